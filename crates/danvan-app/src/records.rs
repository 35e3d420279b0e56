//! An agency's own records: the leader in charge of its mobilization work and its meetings
//! disseminating documents. Kept by its officers for their own agency, and by the Department
//! and admins for any.

use danvan_store::Store;
use danvan_store::dissemination::NewDissemination;
use danvan_store::leader::NewLeader;

use crate::{Refusal, User};

/// Records who is in charge from a day. A start before the current leader's is refused (the
/// history is never rewritten backwards); the refusal carries the store's conflict.
pub async fn assign_leader(store: &Store, user: &User, leader: &NewLeader) -> Result<i64, Refusal> {
    within!(store, {
        user.require_records_of(leader.unit_id)?;
        store.unit(leader.unit_id).await?.ok_or(Refusal::NotFound)?;
        Ok(store.assign_leader(&user.actor(), leader).await?)
    })
}

/// Records a dissemination meeting with the documents it covered.
pub async fn record_dissemination(store: &Store, user: &User, record: &NewDissemination) -> Result<i64, Refusal> {
    within!(store, {
        user.require_records_of(record.unit_id)?;
        store.unit(record.unit_id).await?.ok_or(Refusal::NotFound)?;
        let mut problems = Vec::new();
        if record.document_ids.is_empty() {
            problems.push("Chọn ít nhất một văn bản đã phổ biến.".to_owned());
        }
        if record.participants <= 0 {
            problems.push("Số người tham dự phải là số nguyên dương.".to_owned());
        }
        if !problems.is_empty() {
            return Err(Refusal::Invalid(problems));
        }
        Ok(store.record_dissemination(&user.actor(), record).await?)
    })
}
