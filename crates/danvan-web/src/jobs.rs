//! Scheduled work inside the server: reminders (đôn đốc) for assignments due soon and overdue,
//! and the e-mail that carries them when an SMTP relay is configured.
//!
//! The job is safe to run again and again: it claims the day first (only one server of several
//! sharing a database wins the claim, and a restart does not run it twice), and a reminder is
//! unique per assignment, kind and day.

use danvan_domain::date;
use danvan_store::Store;
use danvan_store::directive::AssignmentRecord;
use time::Date;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// Working days ahead of a deadline at which a reminder is sent.
pub const DAYS_AHEAD: u32 = 3;

/// An SMTP relay on the government network, reached without authentication (as most internal
/// relays are); the address and sender come from the settings.
#[derive(Debug, Clone)]
pub struct Mailer {
    pub host: String,
    pub port: u16,
    pub from: String,
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("smtp connection: {0}")]
    Io(#[from] std::io::Error),
    #[error("smtp server said: {0}")]
    Refused(String),
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A header value in UTF-8, as RFC 2047 asks.
fn encoded_word(text: &str) -> String {
    format!("=?UTF-8?B?{}?=", base64(text.as_bytes()))
}

/// An address safe to put in an SMTP command: no line breaks, no angle brackets.
fn clean_address(address: &str) -> Option<&str> {
    let a = address.trim();
    (a.contains('@') && !a.contains(['\r', '\n', '<', '>', ' '])).then_some(a)
}

async fn expect(reader: &mut BufReader<TcpStream>, codes: &[&str]) -> Result<(), MailError> {
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).await? == 0 {
            return Err(MailError::Refused("connection closed".into()));
        }
        // Multi-line replies continue with "250-"; the last line has a space after the code.
        if line.len() >= 4 && line.as_bytes()[3] == b'-' {
            continue;
        }
        return if codes.iter().any(|c| line.starts_with(c)) {
            Ok(())
        } else {
            Err(MailError::Refused(line.trim().to_owned()))
        };
    }
}

impl Mailer {
    /// Sends one plain-text message in UTF-8.
    pub async fn send(&self, to: &[String], subject: &str, body: &str) -> Result<(), MailError> {
        let recipients: Vec<&str> = to.iter().filter_map(|t| clean_address(t)).collect();
        let from = clean_address(&self.from).ok_or_else(|| MailError::Refused("bad sender address".into()))?;
        if recipients.is_empty() {
            return Ok(());
        }
        let stream = TcpStream::connect((self.host.as_str(), self.port)).await?;
        let mut reader = BufReader::new(stream);
        expect(&mut reader, &["220"]).await?;
        let command =
            async |reader: &mut BufReader<TcpStream>, text: String, codes: &[&str]| -> Result<(), MailError> {
                reader.get_mut().write_all(text.as_bytes()).await?;
                expect(reader, codes).await
            };
        command(&mut reader, "EHLO danvan\r\n".into(), &["250"]).await?;
        command(&mut reader, format!("MAIL FROM:<{from}>\r\n"), &["250"]).await?;
        for recipient in &recipients {
            command(&mut reader, format!("RCPT TO:<{recipient}>\r\n"), &["250", "251"]).await?;
        }
        command(&mut reader, "DATA\r\n".into(), &["354"]).await?;
        let body64 = base64(body.as_bytes());
        let wrapped: Vec<&str> = body64
            .as_bytes()
            .chunks(76)
            .map(|c| std::str::from_utf8(c).unwrap_or(""))
            .collect();
        let message = format!(
            "From: danvan <{from}>\r\nTo: {}\r\nSubject: {}\r\nMIME-Version: 1.0\r\n\
             Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n.\r\n",
            recipients.join(", "),
            encoded_word(subject),
            wrapped.join("\r\n")
        );
        command(&mut reader, message, &["250"]).await?;
        command(&mut reader, "QUIT\r\n".into(), &["221"]).await?;
        Ok(())
    }
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ReminderRun {
    /// False when another run (or server) had already claimed the day.
    pub ran: bool,
    pub created: usize,
    pub emailed: usize,
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

/// Creates today's reminders and sends them when a mailer is given.
pub async fn run_reminders(
    store: &Store,
    today: Date,
    mailer: Option<&Mailer>,
) -> Result<ReminderRun, danvan_store::StoreError> {
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
    for assignment in store.open_assignments_due_by(horizon).await? {
        let overdue = assignment.due_on < today;
        let kind = if overdue { "overdue" } else { "due_soon" };
        let Some(reminder) = store.create_reminder(assignment.id, kind, today).await? else {
            continue;
        };
        run.created += 1;
        if let Some(mailer) = mailer {
            let to: Vec<String> = accounts
                .iter()
                .filter(|a| a.unit_id == Some(assignment.unit_id) && !a.disabled)
                .filter_map(|a| a.email.clone())
                .collect();
            if to.is_empty() {
                continue;
            }
            let (subject, body) = message(&assignment, overdue);
            match mailer.send(&to, &subject, &body).await {
                Ok(()) => {
                    store.mark_reminder_emailed(reminder).await?;
                    run.emailed += 1;
                }
                // The reminder stays in the agency's inbox; the mail is not retried.
                Err(error) => tracing::warn!(%error, assignment = assignment.id, "reminder e-mail not sent"),
            }
        }
    }
    store.finish_job("reminders", today).await?;
    tracing::info!(created = run.created, emailed = run.emailed, "reminders done");
    Ok(run)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_and_encoded_words() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(encoded_word("Hạn"), "=?UTF-8?B?SOG6oW4=?=");
        assert_eq!(clean_address("a@b.vn\r\nRCPT TO:<x@y>"), None);
        assert_eq!(clean_address(" snv@daknong.gov.vn "), Some("snv@daknong.gov.vn"));
    }
}
