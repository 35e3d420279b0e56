//! Retention: what is past its period (for the self-check) and the sweep that deletes or
//! anonymises it, each kind in one transaction with its audit record (the audit log itself is
//! never changed, so its chain stays verifiable).

use danvan_domain::audit::Action;
use danvan_domain::retention::{Kind, Retention};
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::audit::{Actor, Change};
use crate::{Result, Store};

/// The name an anonymised learner or account is shown under.
pub const ANONYMISED: &str = "Đã ẩn danh";

/// Where each kind's records past their period are, as SQL conditions with one parameter
/// (`$1`, the cut-off); already anonymised rows are not counted again.
fn due_condition(kind: Kind) -> (&'static str, &'static str) {
    match kind {
        Kind::LoginFailures => ("login_failure", "created_at < $1"),
        Kind::TrainingAttendance => (
            "training_attendance",
            "person_key not like 'an:%' and training_course_id in \
             (select training_course_id from training_course where ends_on < $1)",
        ),
        Kind::DisabledAccounts => (
            "account",
            "(case when disabled then 1 else 0 end) = 1 and username not like '~%' and updated_at < $1 \
             and coalesce(last_login_at, 0) < $1",
        ),
    }
}

/// The cut-off of a kind, as bound to `$1`.
enum Cutoff {
    Instant(i64),
    Day(String),
}

fn cutoff(policy: &Retention, kind: Kind, now: i64, this_year: i32) -> Cutoff {
    match kind {
        Kind::LoginFailures => Cutoff::Instant(policy.login_failures_before(now)),
        Kind::TrainingAttendance => Cutoff::Day(format!("{:04}-01-01", policy.training_ended_before_year(this_year))),
        Kind::DisabledAccounts => Cutoff::Instant(policy.disabled_accounts_before(now)),
    }
}

fn bind<'q>(
    query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    cutoff: &Cutoff,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    match cutoff {
        Cutoff::Instant(at) => query.bind(*at),
        Cutoff::Day(day) => query.bind(day.clone()),
    }
}

impl Store {
    /// How many records of each kind are past their period at `now` (Unix seconds) in
    /// `this_year`.
    pub async fn retention_due(&self, policy: &Retention, now: i64, this_year: i32) -> Result<Vec<(Kind, i64)>> {
        let mut due = Vec::new();
        for kind in Kind::ALL {
            let (table, condition) = due_condition(kind);
            let sql = format!("select count(*) as n from {table} where {condition}");
            let row = bind(sqlx::query(&sql), &cutoff(policy, kind, now, this_year))
                .fetch_one(&mut *self.conn().await?)
                .await?;
            due.push((kind, row.try_get::<i64, _>("n")?));
        }
        Ok(due)
    }

    /// Deletes or anonymises what is past its period; each kind in one transaction with an
    /// audit record naming how many records and which. Returns what was done, per kind.
    pub async fn apply_retention(
        &self,
        actor: &Actor,
        policy: &Retention,
        now: i64,
        this_year: i32,
    ) -> Result<Vec<(Kind, i64)>> {
        let mut done = Vec::new();
        for kind in Kind::ALL {
            let cut = cutoff(policy, kind, now, this_year);
            let (table, condition) = due_condition(kind);
            let mut change = Change::begin(self).await?;
            let ids: Vec<i64> = {
                let id = match kind {
                    Kind::LoginFailures => "login_failure_id",
                    Kind::TrainingAttendance => "training_attendance_id",
                    Kind::DisabledAccounts => "account_id",
                };
                let sql = format!("select {id} as id from {table} where {condition} order by {id}");
                bind(sqlx::query(&sql), &cut)
                    .fetch_all(&mut *change.tx)
                    .await?
                    .iter()
                    .map(|row| row.try_get::<i64, _>("id"))
                    .collect::<std::result::Result<_, _>>()?
            };
            if ids.is_empty() {
                done.push((kind, 0));
                continue;
            }
            let sql = match kind {
                Kind::LoginFailures => format!("delete from login_failure where {condition}"),
                Kind::TrainingAttendance => format!(
                    "update training_attendance set name = '{ANONYMISED}', position = '', \
                     person_key = 'an:' || person_key where {condition}"
                ),
                Kind::DisabledAccounts => format!(
                    "update account set username = '~' || account_id, display_name = '{ANONYMISED}', \
                     email = null, totp_secret = null, totp_last_step = null where {condition}"
                ),
            };
            bind(sqlx::query(&sql), &cut).execute(&mut *change.tx).await?;
            if kind == Kind::TrainingAttendance {
                pseudonymise_person_keys(&mut change).await?;
            }
            let action = match kind {
                Kind::LoginFailures => Action::RetentionDeleteLoginFailures,
                Kind::TrainingAttendance => Action::RetentionAnonymiseAttendance,
                Kind::DisabledAccounts => Action::RetentionAnonymiseAccounts,
            };
            let after = json!({"kind": kind.code(), "records": ids.len(), "ids": ids});
            change.record(actor, action, ids.len(), None, Some(&after)).await?;
            change.commit().await?;
            done.push((kind, ids.len() as i64));
        }
        Ok(done)
    }
}

/// Learners just anonymised keep a key that still tells one person from another within what
/// was anonymised together (so counts of distinct people stay right), but that no longer
/// derives from the name: a digest of the old key with a random salt used once and dropped.
async fn pseudonymise_person_keys(change: &mut Change) -> Result<()> {
    let rows = sqlx::query(
        "select training_attendance_id, person_key from training_attendance \
         where person_key like 'an:%' and person_key not like 'an:#%'",
    )
    .fetch_all(&mut *change.tx)
    .await?;
    let mut salt = [0u8; 32];
    getrandom::fill(&mut salt).map_err(|e| crate::StoreError::Corrupt(format!("random salt: {e}")))?;
    for row in rows {
        let id: i64 = row.try_get("training_attendance_id")?;
        let key: String = row.try_get("person_key")?;
        let digest = Sha256::new().chain_update(salt).chain_update(key.as_bytes()).finalize();
        let pseudonym: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
        sqlx::query("update training_attendance set person_key = $1 where training_attendance_id = $2")
            .bind(format!("an:#{pseudonym}"))
            .bind(id)
            .execute(&mut *change.tx)
            .await?;
    }
    Ok(())
}
