//! Periodic reports: kinds, rounds (a kind and a period), each agency's filing with its figures,
//! texts and files, the Department's review, and the compiled text of the province's report.

use danvan_domain::audit::Action;
use std::collections::BTreeMap;

use danvan_domain::report::{Period, PeriodType, ReportKind};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::Row;
use sqlx::any::AnyRow;
use time::Date;

use crate::attached::FILING_FILES;
use crate::audit::{Actor, Change};
use crate::directive::Attachment;
use crate::unit::now;
use crate::{Result, Store, StoreError, conflict_on, parse_date};

/// A report kind as stored: its source is the file as uploaded or shipped.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportKindRecord {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub period: PeriodType,
    pub source: String,
}

impl ReportKindRecord {
    /// The kind read from its source (checked when saved, so this only fails on a corrupt row).
    pub fn kind(&self) -> Result<ReportKind> {
        danvan_domain::report::parse(&self.source)
            .map_err(|e| StoreError::Corrupt(format!("report kind {}: {}", self.code, e[0])))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoundState {
    Open,
    Closed,
}

/// A kind's report for one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundRecord {
    pub id: i64,
    pub kind_id: i64,
    pub period: Period,
    pub window: (Date, Date),
    pub deadline: Date,
    pub state: RoundState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FilingState {
    Draft,
    Submitted,
    Accepted,
    Returned,
}

impl FilingState {
    pub fn code(self) -> &'static str {
        match self {
            FilingState::Draft => "draft",
            FilingState::Submitted => "submitted",
            FilingState::Accepted => "accepted",
            FilingState::Returned => "returned",
        }
    }

    pub fn from_code(code: &str) -> Option<FilingState> {
        [
            FilingState::Draft,
            FilingState::Submitted,
            FilingState::Accepted,
            FilingState::Returned,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            FilingState::Draft => "Đang soạn",
            FilingState::Submitted => "Đã gửi, chờ xem xét",
            FilingState::Accepted => "Đã tiếp nhận",
            FilingState::Returned => "Bị trả lại",
        }
    }

    /// The label as it reads for a round in `round`'s state: once a round is closed, a filing
    /// never sent (a draft, or returned and not sent again) reads "Không nộp".
    pub fn label_in(self, round: RoundState) -> &'static str {
        match (self, round) {
            (FilingState::Draft | FilingState::Returned, RoundState::Closed) => "Không nộp",
            _ => self.label(),
        }
    }

    /// The agency may still change it.
    pub fn editable(self) -> bool {
        matches!(self, FilingState::Draft | FilingState::Returned)
    }
}

/// One indicator's figure in a filing: what the agency reports, what danvan prefilled, and the
/// agency's note when it changed the prefilled figure.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figure {
    pub value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefilled: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

impl Figure {
    /// The agency changed the figure danvan prefilled.
    pub fn changed(&self) -> bool {
        self.prefilled.as_deref().is_some_and(|p| p.trim() != self.value.trim())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilingRecord {
    pub id: i64,
    pub round_id: i64,
    pub unit_id: i64,
    pub state: FilingState,
    pub sections: BTreeMap<String, String>,
    pub figures: BTreeMap<String, Figure>,
    pub warnings_note: String,
    /// The first submission's day: timeliness is judged on it.
    pub first_submitted_on: Option<Date>,
    pub submitted_on: Option<Date>,
    pub review_comment: Option<String>,
}

/// What an agency saves: its texts, figures and the explanation of any warnings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilingContent {
    pub sections: BTreeMap<String, String>,
    pub figures: BTreeMap<String, Figure>,
    pub warnings_note: String,
}

fn iso(date: Date) -> String {
    danvan_domain::date::format_iso(date)
}

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("bad {what} {value:?}"))
}

fn kind_from(row: &AnyRow) -> Result<ReportKindRecord> {
    let period: String = row.try_get("period_type")?;
    Ok(ReportKindRecord {
        id: row.try_get("report_kind_id")?,
        code: row.try_get("code")?,
        name: row.try_get("name")?,
        period: PeriodType::from_code(&period).ok_or_else(|| corrupt("period type", &period))?,
        source: row.try_get("source")?,
    })
}

fn round_from(row: &AnyRow) -> Result<RoundRecord> {
    let period_type: String = row.try_get("period_type")?;
    let period_type = PeriodType::from_code(&period_type).ok_or_else(|| corrupt("period type", &period_type))?;
    let code: String = row.try_get("period_code")?;
    let state: String = row.try_get("state")?;
    Ok(RoundRecord {
        id: row.try_get("report_round_id")?,
        kind_id: row.try_get("report_kind_id")?,
        period: Period::parse(period_type, &code).ok_or_else(|| corrupt("period", &code))?,
        window: (
            parse_date(&row.try_get::<String, _>("window_from")?)?,
            parse_date(&row.try_get::<String, _>("window_to")?)?,
        ),
        deadline: parse_date(&row.try_get::<String, _>("deadline")?)?,
        state: match state.as_str() {
            "open" => RoundState::Open,
            "closed" => RoundState::Closed,
            other => return Err(corrupt("round state", other)),
        },
    })
}

fn filing_from(row: &AnyRow) -> Result<FilingRecord> {
    let state: String = row.try_get("state")?;
    let sections: String = row.try_get("sections")?;
    let figures: String = row.try_get("figures")?;
    let day = |column: &str| -> Result<Option<Date>> {
        let text: Option<String> = row.try_get(column)?;
        text.as_deref().map(parse_date).transpose()
    };
    Ok(FilingRecord {
        id: row.try_get("report_filing_id")?,
        round_id: row.try_get("report_round_id")?,
        unit_id: row.try_get("unit_id")?,
        state: FilingState::from_code(&state).ok_or_else(|| corrupt("filing state", &state))?,
        sections: serde_json::from_str(&sections).map_err(|_| corrupt("sections", &sections))?,
        figures: serde_json::from_str(&figures).map_err(|_| corrupt("figures", &figures))?,
        warnings_note: row.try_get("warnings_note")?,
        first_submitted_on: day("first_submitted_on")?,
        submitted_on: day("submitted_on")?,
        review_comment: row.try_get("review_comment")?,
    })
}

const ROUND: &str = "r.report_round_id, r.report_kind_id, k.period_type, r.period_code, r.window_from, r.window_to, \
                     r.deadline, r.state";
const FILING: &str = "report_filing_id, report_round_id, unit_id, state, sections, figures, warnings_note, \
                      first_submitted_on, submitted_on, review_comment";

impl Store {
    /// Saves a checked report kind with its source; a code is never reused
    /// ([`StoreError::Conflict`] on `code`).
    pub async fn save_report_kind(&self, actor: &Actor, kind: &ReportKind, source: &str) -> Result<i64> {
        let digest: String = Sha256::digest(source.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let mut change = Change::begin(self).await?;
        let id: i64 = sqlx::query(
            "insert into report_kind (code, name, period_type, source, source_sha256, created_by, created_at) \
             values ($1, $2, $3, $4, $5, $6, $7) returning report_kind_id",
        )
        .bind(&kind.code)
        .bind(&kind.name)
        .bind(kind.period.code())
        .bind(source)
        .bind(&digest)
        .bind(&actor.name)
        .bind(now())
        .fetch_one(&mut *change.tx)
        .await
        .map_err(conflict_on("code"))?
        .try_get(0)?;
        let after = json!({"code": kind.code, "name": kind.name, "period": kind.period.code(), "sha256": digest});
        change
            .record(actor, Action::CreateReportKind, id, None, Some(&after))
            .await?;
        change.commit().await?;
        Ok(id)
    }

    pub async fn report_kinds(&self) -> Result<Vec<ReportKindRecord>> {
        let rows = sqlx::query(
            "select report_kind_id, code, name, period_type, source from report_kind order by report_kind_id",
        )
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter().map(kind_from).collect()
    }

    pub async fn report_kind(&self, id: i64) -> Result<Option<ReportKindRecord>> {
        let row = sqlx::query(
            "select report_kind_id, code, name, period_type, source from report_kind where report_kind_id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *self.conn().await?)
        .await?;
        row.as_ref().map(kind_from).transpose()
    }

    /// Opens a kind's round for a period with a draft filing for each obliged agency, in one
    /// transaction. One round per kind and period ([`StoreError::Conflict`] on `period`).
    pub async fn open_round(
        &self,
        actor: &Actor,
        kind_id: i64,
        period: Period,
        deadline: Date,
        units: &[i64],
    ) -> Result<i64> {
        let (from, to) = period.window();
        let mut change = Change::begin(self).await?;
        let id: i64 = sqlx::query(
            "insert into report_round (report_kind_id, period_code, window_from, window_to, deadline, state, \
             opened_by, opened_at) values ($1, $2, $3, $4, $5, 'open', $6, $7) returning report_round_id",
        )
        .bind(kind_id)
        .bind(period.code())
        .bind(iso(from))
        .bind(iso(to))
        .bind(iso(deadline))
        .bind(&actor.name)
        .bind(now())
        .fetch_one(&mut *change.tx)
        .await
        .map_err(conflict_on("period"))?
        .try_get(0)?;
        for unit_id in units {
            sqlx::query(
                "insert into report_filing (report_round_id, unit_id, state, sections, figures, warnings_note, \
                 updated_by, updated_at) values ($1, $2, 'draft', '{}', '{}', '', $3, $4)",
            )
            .bind(id)
            .bind(unit_id)
            .bind(&actor.name)
            .bind(now())
            .execute(&mut *change.tx)
            .await?;
        }
        let after =
            json!({"kind_id": kind_id, "period": period.code(), "deadline": iso(deadline), "agencies": units.len()});
        change.record(actor, Action::OpenRound, id, None, Some(&after)).await?;
        change.commit().await?;
        Ok(id)
    }

    /// Every round, the latest period first.
    pub async fn rounds(&self) -> Result<Vec<RoundRecord>> {
        let rows = sqlx::query(&format!(
            "select {ROUND} from report_round r join report_kind k on k.report_kind_id = r.report_kind_id \
             order by r.window_to desc, r.report_round_id desc"
        ))
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter().map(round_from).collect()
    }

    pub async fn round(&self, id: i64) -> Result<Option<RoundRecord>> {
        let row = sqlx::query(&format!(
            "select {ROUND} from report_round r join report_kind k on k.report_kind_id = r.report_kind_id \
             where r.report_round_id = $1"
        ))
        .bind(id)
        .fetch_optional(&mut *self.conn().await?)
        .await?;
        row.as_ref().map(round_from).transpose()
    }

    /// Closes a round: no more filings are saved or submitted.
    pub async fn close_round(&self, actor: &Actor, id: i64) -> Result<()> {
        let mut change = Change::begin(self).await?;
        let done =
            sqlx::query("update report_round set state = 'closed' where report_round_id = $1 and state = 'open'")
                .bind(id)
                .execute(&mut *change.tx)
                .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Conflict("state"));
        }
        change.record(actor, Action::CloseRound, id, None, None).await?;
        change.commit().await
    }

    /// A round's filings counted against its deadline, without reading them: (expected,
    /// first submitted on or before the deadline, first submitted after it).
    pub async fn round_counts(&self, round_id: i64) -> Result<(usize, usize, usize)> {
        let row = sqlx::query(
            "select count(*) as expected, \
             sum(case when f.first_submitted_on <= r.deadline then 1 else 0 end) as on_time, \
             sum(case when f.first_submitted_on > r.deadline then 1 else 0 end) as late \
             from report_filing f join report_round r on r.report_round_id = f.report_round_id \
             where f.report_round_id = $1",
        )
        .bind(round_id)
        .fetch_one(&mut *self.conn().await?)
        .await?;
        let count =
            |column: &str| -> Result<usize> { Ok(row.try_get::<Option<i64>, _>(column)?.unwrap_or(0) as usize) };
        Ok((count("expected")?, count("on_time")?, count("late")?))
    }

    /// A round's filings, by agency id.
    pub async fn filings(&self, round_id: i64) -> Result<Vec<FilingRecord>> {
        let rows = sqlx::query(&format!(
            "select {FILING} from report_filing where report_round_id = $1 order by unit_id"
        ))
        .bind(round_id)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter().map(filing_from).collect()
    }

    /// An agency's filings across rounds, the latest first.
    pub async fn filings_of(&self, unit_id: i64) -> Result<Vec<FilingRecord>> {
        let rows = sqlx::query(&format!(
            "select {FILING} from report_filing where unit_id = $1 order by report_round_id desc"
        ))
        .bind(unit_id)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter().map(filing_from).collect()
    }

    pub async fn filing(&self, id: i64) -> Result<Option<FilingRecord>> {
        let row = sqlx::query(&format!(
            "select {FILING} from report_filing where report_filing_id = $1"
        ))
        .bind(id)
        .fetch_optional(&mut *self.conn().await?)
        .await?;
        row.as_ref().map(filing_from).transpose()
    }

    /// Saves an agency's draft (or a returned filing), optionally submitting it on `submit_on`.
    /// Refused ([`StoreError::Conflict`] on `state`) unless the filing is still the agency's to
    /// change and its round is open.
    pub async fn save_filing(
        &self,
        actor: &Actor,
        id: i64,
        content: &FilingContent,
        submit_on: Option<Date>,
    ) -> Result<FilingState> {
        let sections = serde_json::to_string(&content.sections).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let figures = serde_json::to_string(&content.figures).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let mut change = Change::begin(self).await?;
        let next = if submit_on.is_some() {
            FilingState::Submitted
        } else {
            FilingState::Draft
        };
        let day = submit_on.map(iso);
        let done = sqlx::query(
            "update report_filing set sections = $1, figures = $2, warnings_note = $3, \
             state = case when $4 = 'submitted' then 'submitted' else state end, \
             submitted_on = coalesce($5, submitted_on), first_submitted_on = coalesce(first_submitted_on, $5), \
             updated_by = $6, updated_at = $7 \
             where report_filing_id = $8 and state in ('draft', 'returned') and exists (select 1 from report_round r \
             where r.report_round_id = report_filing.report_round_id and r.state = 'open')",
        )
        .bind(&sections)
        .bind(&figures)
        .bind(&content.warnings_note)
        .bind(next.code())
        .bind(day.clone())
        .bind(&actor.name)
        .bind(now())
        .bind(id)
        .execute(&mut *change.tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Conflict("state"));
        }
        let after = json!({"sections": content.sections, "figures": content.figures,
                           "warnings_note": content.warnings_note, "submitted_on": day});
        let action = if submit_on.is_some() {
            Action::SubmitFiling
        } else {
            Action::SaveFiling
        };
        change.record(actor, action, id, None, Some(&after)).await?;
        change.commit().await?;
        let state: String = sqlx::query("select state from report_filing where report_filing_id = $1")
            .bind(id)
            .fetch_one(&mut *self.conn().await?)
            .await?
            .try_get(0)?;
        FilingState::from_code(&state).ok_or_else(|| corrupt("filing state", &state))
    }

    /// The Department accepts a submitted filing or returns it with a comment.
    pub async fn review_filing(&self, actor: &Actor, id: i64, accept: bool, comment: &str) -> Result<()> {
        let next = if accept {
            FilingState::Accepted
        } else {
            FilingState::Returned
        };
        let mut change = Change::begin(self).await?;
        let done = sqlx::query(
            "update report_filing set state = $1, review_comment = $2, updated_by = $3, updated_at = $4 \
             where report_filing_id = $5 and state = 'submitted'",
        )
        .bind(next.code())
        .bind(comment)
        .bind(&actor.name)
        .bind(now())
        .bind(id)
        .execute(&mut *change.tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Conflict("state"));
        }
        let after = json!({"state": next.code(), "comment": comment});
        change
            .record(actor, Action::ReviewFiling, id, None, Some(&after))
            .await?;
        change.commit().await
    }

    /// Attaches a stored file (see [`Store::put_file`]) to a filing.
    pub async fn add_filing_file(&self, actor: &Actor, id: i64, file: &Attachment) -> Result<i64> {
        self.attach_file(FILING_FILES, actor, id, file).await
    }

    /// A filing's files, in the order added, each with its id.
    pub async fn filing_files(&self, id: i64) -> Result<Vec<(i64, Attachment)>> {
        self.files_of(FILING_FILES, id).await
    }

    /// One file and the filing it belongs to.
    pub async fn filing_file(&self, file_id: i64) -> Result<Option<(i64, Attachment)>> {
        self.file_with_owner(FILING_FILES, file_id).await
    }

    /// Saves the Department's text of the province's report, per section.
    pub async fn save_compilation(
        &self,
        actor: &Actor,
        round_id: i64,
        sections: &BTreeMap<String, String>,
    ) -> Result<()> {
        let text = serde_json::to_string(sections).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let mut change = Change::begin(self).await?;
        sqlx::query(
            "insert into report_compilation (report_round_id, sections, updated_by, updated_at) values ($1, $2, $3, $4) \
             on conflict (report_round_id) do update set sections = excluded.sections, \
             updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        )
        .bind(round_id)
        .bind(&text)
        .bind(&actor.name)
        .bind(now())
        .execute(&mut *change.tx)
        .await?;
        change
            .record(
                actor,
                Action::CompileRound,
                round_id,
                None,
                Some(&json!({"sections": sections})),
            )
            .await?;
        change.commit().await
    }

    /// The Department's text of the province's report, if written.
    pub async fn compilation(&self, round_id: i64) -> Result<Option<BTreeMap<String, String>>> {
        let row = sqlx::query("select sections from report_compilation where report_round_id = $1")
            .bind(round_id)
            .fetch_optional(&mut *self.conn().await?)
            .await?;
        row.map(|row| {
            let text: String = row.try_get(0)?;
            serde_json::from_str(&text).map_err(|_| corrupt("compilation", &text))
        })
        .transpose()
    }
}
