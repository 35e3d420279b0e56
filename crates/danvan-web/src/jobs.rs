//! Scheduled work inside the server: reminders (đôn đốc) for assignments due soon and overdue,
//! and, when an SMTP relay is configured, their e-mail queued in the outbox (sent by
//! [`crate::mail::deliver_outbox`], never here: a relay that stops answering cannot hold the job).
//!
//! The job is safe to run again and again: it claims the day first (only one server of several
//! sharing a database wins the claim, and a restart does not run it twice), and a reminder is
//! unique per assignment, kind and day.

use danvan_app::store::Store;
use danvan_app::store::directive::AssignmentRecord;
use danvan_app::store::outbox::NewMail;
use danvan_domain::date;
use time::Date;

/// Working days ahead of a deadline at which a reminder is sent.
pub const DAYS_AHEAD: u32 = 3;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ReminderRun {
    /// False when another run (or server) had already claimed the day.
    pub ran: bool,
    pub created: usize,
    /// Mails queued in the outbox.
    pub queued: usize,
}

fn message(assignment: &AssignmentRecord, overdue: bool) -> (String, String) {
    let subject = if overdue {
        format!("[danvan] Nhiệm vụ quá hạn từ {}", date::format_vn(assignment.due_on))
    } else {
        format!("[danvan] Nhiệm vụ đến hạn ngày {}", date::format_vn(assignment.due_on))
    };
    let body = format!(
        "Kính gửi đơn vị,\n\n{} nhiệm vụ sau:\n\n{}\n({})\n\nHạn: {}\n\nĐề nghị đơn vị khẩn trương thực hiện và báo cáo tiến độ trên hệ thống.\n\nĐây là thư tự động từ danvan.",
        if overdue {
            "Đã quá hạn"
        } else {
            "Sắp đến hạn"
        },
        assignment.task_content,
        assignment.directive_title,
        date::format_vn(assignment.due_on),
    );
    (subject, body)
}

/// Creates today's reminders and, when `mail_domain` is given (a relay is configured; the domain
/// names the Message-IDs), queues the e-mail of each with it, in one transaction.
pub async fn run_reminders(
    store: &Store,
    today: Date,
    mail_domain: Option<&str>,
) -> Result<ReminderRun, danvan_app::store::StoreError> {
    // A run unfinished after half an hour is taken to have died with its server.
    if !store.claim_job("reminders", today, 1800).await? {
        return Ok(ReminderRun::default());
    }
    let mut run = ReminderRun {
        ran: true,
        ..ReminderRun::default()
    };
    let mut calendar = store.work_calendar().await?;
    let horizon = calendar.add_working_days(today, DAYS_AHEAD);
    let accounts = store.list_accounts().await?;
    // A page at a time: a nation's open work does not all fit in a server's memory budget.
    let mut after = None;
    loop {
        let page = store.open_assignments_due_by_page(horizon, after, 500).await?;
        let Some(last) = page.last() else {
            break;
        };
        after = Some((last.due_on, last.id));
        for assignment in page {
            let overdue = assignment.due_on < today;
            let kind = if overdue { "overdue" } else { "due_soon" };
            let recipients: Vec<(String, String)> = accounts
                .iter()
                .filter(|a| a.unit_id == Some(assignment.unit_id) && !a.disabled)
                .filter_map(|a| Some((a.email.clone()?, a.display_name.clone())))
                .collect();
            let mail = match mail_domain {
                Some(_) if !recipients.is_empty() => {
                    let (subject, body) = message(&assignment, overdue);
                    Some(NewMail {
                        dedup_key: format!("reminder:{}:{kind}:{}", assignment.id, date::format_iso(today)),
                        recipients,
                        subject,
                        body,
                    })
                }
                _ => None,
            };
            let created = store
                .create_reminder_and_mail(
                    assignment.id,
                    kind,
                    today,
                    mail.as_ref(),
                    mail_domain.unwrap_or("localhost"),
                )
                .await?;
            if created.is_some() {
                run.created += 1;
                run.queued += usize::from(mail.is_some());
            }
        }
    }
    store.finish_job("reminders", today).await?;
    tracing::info!(created = run.created, queued = run.queued, "reminders done");
    Ok(run)
}
