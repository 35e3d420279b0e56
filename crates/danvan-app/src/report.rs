//! Periodic reports: the kinds (a checked TOML file each), the rounds the Department opens and
//! closes, each agency's filing (saved, submitted, accepted or returned) and the compiled
//! report's texts.

use std::collections::BTreeMap;

use danvan_domain::Role;
use danvan_domain::report::{Period, ReportKind};
use danvan_domain::role::Access;
use danvan_store::directive::Attachment;
use danvan_store::report::{FilingContent, FilingState, RoundState};
use danvan_store::{Store, StoreError};
use time::Date;

use crate::{Refusal, User};

/// The longest text of one section of the compiled report.
pub const MAX_SECTION: usize = 200_000;

/// Saves a report kind from its file, checked whole (every problem with its line); a code is
/// never reused (the store's conflict). Admins and the Department.
pub async fn save_kind(store: &Store, user: &User, source: &str) -> Result<(i64, ReportKind), Refusal> {
    within!(store, {
        user.require(Access::UnitManagers)?;
        let kind = danvan_domain::report::parse(source)
            .map_err(|errors| Refusal::Invalid(errors.iter().map(ToString::to_string).collect()))?;
        // A misspelt group would oblige nobody: every group named must be one of the province's.
        let groups = store.list_groups().await?;
        let unknown: Vec<String> = kind
            .obliged_groups
            .iter()
            .filter(|g| !groups.iter().any(|known| &known.code == *g))
            .map(|g| format!("Nhóm đơn vị \"{g}\" (obliged_groups) không có trong danh sách nhóm của tỉnh."))
            .collect();
        if !unknown.is_empty() {
            return Err(Refusal::Invalid(unknown));
        }
        let id = store.save_report_kind(&user.actor(), &kind, source).await?;
        Ok((id, kind))
    })
}

/// Opens a round of a kind for a period, with its deadline, for the agencies obliged to file.
pub async fn open_round(
    store: &Store,
    user: &User,
    kind_id: i64,
    period: Period,
    deadline: Date,
    units: &[i64],
) -> Result<i64, Refusal> {
    within!(store, {
        user.require(Access::UnitManagers)?;
        store.report_kind(kind_id).await?.ok_or(Refusal::NotFound)?;
        if units.is_empty() {
            return Err(Refusal::Invalid(vec![
                "Không có đơn vị nào phải nộp loại báo cáo này trong kỳ.".into(),
            ]));
        }
        Ok(store
            .open_round(&user.actor(), kind_id, period, deadline, units)
            .await?)
    })
}

/// Closes a round: filings not submitted by then count as not filed.
pub async fn close_round(store: &Store, user: &User, id: i64) -> Result<(), Refusal> {
    within!(store, {
        user.require(Access::UnitManagers)?;
        let round = store.round(id).await?.ok_or(Refusal::NotFound)?;
        if round.state == RoundState::Closed {
            return Err(Refusal::State("Kỳ báo cáo này đã đóng.".into()));
        }
        store.close_round(&user.actor(), id).await.map_err(|e| match e {
            StoreError::Conflict(_) => Refusal::State("Kỳ báo cáo này đã đóng.".into()),
            other => Refusal::from_step(other),
        })
    })
}

/// An agency saves its filing as a draft, with new attachments already stored. Only the
/// agency's officers, while the round is open and the filing is a draft or was returned. The
/// page has checked the figures against the kind; submitting is [`submit_filing`].
pub async fn save_filing(
    store: &Store,
    user: &User,
    id: i64,
    content: &FilingContent,
    attachments: &[Attachment],
) -> Result<FilingState, Refusal> {
    within!(store, {
        write_filing(store, user, id, content, attachments, None).await
    })
}

/// The filing's texts, figures and files written, submitted on `submit_on` when given, after the
/// checks that both saving and submitting share. Runs inside its caller's transaction.
async fn write_filing(
    store: &Store,
    user: &User,
    id: i64,
    content: &FilingContent,
    attachments: &[Attachment],
    submit_on: Option<Date>,
) -> Result<FilingState, Refusal> {
    let filing = store.filing(id).await?.ok_or(Refusal::NotFound)?;
    if user.role != Role::Officer || user.unit_id != Some(filing.unit_id) {
        return Err(Refusal::Forbidden);
    }
    let round = store.round(filing.round_id).await?.ok_or(Refusal::NotFound)?;
    let closed = || Refusal::State("Báo cáo đã gửi hoặc kỳ báo cáo đã đóng; không sửa được nữa.".into());
    if round.state == RoundState::Closed || !matches!(filing.state, FilingState::Draft | FilingState::Returned) {
        return Err(closed());
    }
    for attachment in attachments {
        store.add_filing_file(&user.actor(), id, attachment).await?;
    }
    store
        .save_filing(&user.actor(), id, content, submit_on)
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => closed(),
            other => Refusal::from_step(other),
        })
}

/// The Department accepts a submitted filing or returns it with a reason.
pub async fn review_filing(store: &Store, user: &User, id: i64, accept: bool, comment: &str) -> Result<(), Refusal> {
    within!(store, {
        user.require(Access::UnitManagers)?;
        let filing = store.filing(id).await?.ok_or(Refusal::NotFound)?;
        let comment = comment.trim();
        if !accept && comment.is_empty() {
            return Err(Refusal::Invalid(vec!["Khi trả lại báo cáo, cần ghi lý do.".into()]));
        }
        let waiting = || Refusal::State("Báo cáo này không ở trạng thái chờ xem xét.".into());
        if filing.state != FilingState::Submitted {
            return Err(waiting());
        }
        store
            .review_filing(&user.actor(), id, accept, comment)
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => waiting(),
                other => Refusal::from_step(other),
            })
    })
}

/// The Department's texts for the compiled report's sections.
pub async fn save_compilation(
    store: &Store,
    user: &User,
    round_id: i64,
    sections: &BTreeMap<String, String>,
) -> Result<(), Refusal> {
    within!(store, {
        user.require(Access::UnitManagers)?;
        store.round(round_id).await?.ok_or(Refusal::NotFound)?;
        if sections.values().any(|t| t.chars().count() > MAX_SECTION) {
            return Err(Refusal::Invalid(vec![
                "Nội dung một phần không quá 200.000 ký tự.".into(),
            ]));
        }
        Ok(store.save_compilation(&user.actor(), round_id, sections).await?)
    })
}

/// What submitting a filing would be refused for, from what is stored: the kind's errors in
/// the figures, warnings without an explanation, a prefilled figure changed without a note.
pub fn submission_problems(kind: &ReportKind, filing: &danvan_store::report::FilingRecord) -> Vec<String> {
    let values: BTreeMap<String, String> = filing
        .figures
        .iter()
        .map(|(id, figure)| (id.clone(), figure.value.clone()))
        .collect();
    let checked = danvan_domain::report::check(kind, &values);
    let mut problems = checked.errors;
    if !checked.warnings.is_empty() && filing.warnings_note.trim().is_empty() {
        problems.push("Có cảnh báo về số liệu: ghi giải trình trước khi gửi.".to_owned());
    }
    for indicator in &kind.indicators {
        if let Some(figure) = filing.figures.get(&indicator.id)
            && figure.changed()
            && figure.note.trim().is_empty()
        {
            problems.push(format!(
                "{}: đã sửa số liệu hệ thống điền sẵn ({}), cần ghi lý do.",
                indicator.name,
                figure.prefilled.clone().unwrap_or_default()
            ));
        }
    }
    problems
}

/// An agency submits the filing it has saved, on `today`, after the page that says what follows.
/// Only its officers, while the round is open and the filing a draft or returned, and only when
/// the stored figures pass the kind's checks ([`submission_problems`]).
pub async fn submit_filing(store: &Store, user: &User, id: i64, today: Date) -> Result<FilingState, Refusal> {
    within!(store, {
        let filing = store.filing(id).await?.ok_or(Refusal::NotFound)?;
        if user.role != Role::Officer || user.unit_id != Some(filing.unit_id) {
            return Err(Refusal::Forbidden);
        }
        let round = store.round(filing.round_id).await?.ok_or(Refusal::NotFound)?;
        let kind = store
            .report_kind(round.kind_id)
            .await?
            .ok_or(Refusal::NotFound)?
            .kind()?;
        let problems = submission_problems(&kind, &filing);
        if !problems.is_empty() {
            return Err(Refusal::Invalid(problems));
        }
        let content = FilingContent {
            sections: filing.sections.clone(),
            figures: filing.figures.clone(),
            warnings_note: filing.warnings_note.clone(),
        };
        write_filing(store, user, id, &content, &[], Some(today)).await
    })
}
