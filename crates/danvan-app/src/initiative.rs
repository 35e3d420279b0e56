//! "Dân vận khéo" initiatives: registered by an agency, carried through their steps (started,
//! reviewed, recognised, replicated, stopped) with files. An agency's officers keep their own
//! agency's; recognition, which needs a decision, is the Department's.

use danvan_domain::initiative::{self as flow, Step};
use danvan_store::directive::Attachment;
use danvan_store::initiative::{NewInitiative, StepInput};
use danvan_store::{Store, StoreError};

use crate::{Refusal, User};

/// Registers an initiative for an agency. Replicating one needs it recognised first; the
/// store's conflict (`replicated_from`) or missing agency (not found) are carried back.
pub async fn register(store: &Store, user: &User, initiative: &NewInitiative) -> Result<i64, Refusal> {
    within!(store, {
        user.require_records_of(initiative.unit_id)?;
        if initiative.ends_on < initiative.starts_on {
            return Err(Refusal::Invalid(vec![
                "Ngày kết thúc không được trước ngày bắt đầu.".into(),
            ]));
        }
        Ok(store.register_initiative(&user.actor(), initiative).await?)
    })
}

/// Records a step of an initiative. Steps that need a decision (recognition, reward) are the
/// Department's; the others the agency's. A step its stage does not allow is refused with the
/// domain's reason.
pub async fn advance(store: &Store, user: &User, id: i64, input: &StepInput) -> Result<(), Refusal> {
    within!(store, {
        let record = store.initiative(id).await?.ok_or(Refusal::NotFound)?;
        let allowed = if input.step.needs_decision() {
            user.role.manages_units()
        } else {
            user.keeps_records_of(record.details.unit_id)
        };
        if !allowed {
            return Err(Refusal::Forbidden);
        }
        if let Err(refused) = flow::step(record.stage, input.step) {
            return Err(Refusal::State(refused.0.to_owned()));
        }
        let mut problems = Vec::new();
        if matches!(input.step, Step::InterimReview | Step::FinalReview | Step::Stop) && input.note.trim().is_empty() {
            problems.push("Sơ kết, tổng kết hay dừng thực hiện cần ghi kết quả hoặc lý do.".to_owned());
        }
        if input.step.needs_decision() && input.decision.as_deref().is_none_or(|d| d.trim().is_empty()) {
            problems.push("Ghi số, ký hiệu quyết định công nhận hoặc khen thưởng.".to_owned());
        }
        if !problems.is_empty() {
            return Err(Refusal::Invalid(problems));
        }
        match store.advance_initiative(&user.actor(), id, input).await {
            Ok(_) => Ok(()),
            Err(StoreError::Conflict(_)) => Err(Refusal::moved_on()),
            Err(other) => Err(Refusal::from_step(other)),
        }
    })
}

/// Adds files (already checked and stored) to an initiative.
pub async fn add_files(store: &Store, user: &User, id: i64, files: &[Attachment]) -> Result<(), Refusal> {
    within!(store, {
        let record = store.initiative(id).await?.ok_or(Refusal::NotFound)?;
        user.require_records_of(record.details.unit_id)?;
        for file in files {
            store.add_initiative_file(&user.actor(), id, file).await?;
        }
        Ok(())
    })
}
