//! The document library: documents saved after their fields were read and reviewed, and the
//! mapping of addressee phrases to agencies or groups. Kept by the Department and admins.

use danvan_domain::role::Access;
use danvan_store::{NewDocument, SaveOutcome, Store};

use crate::{Refusal, User};

/// The longest addressee phrase mapped.
pub const MAX_ADDRESSEE: usize = 500;

/// Saves a document (or completes one already held without its file). A document already
/// held is refused with the store's conflict, which the caller turns into a link to it.
pub async fn save(store: &Store, user: &User, doc: &NewDocument) -> Result<SaveOutcome, Refusal> {
    within!(store, {
        user.require(Access::UnitManagers)?;
        Ok(store.save_document(&user.actor(), doc).await?)
    })
}

/// Maps an addressee phrase to one agency or one group, for reading later documents.
pub async fn map_addressee(
    store: &Store,
    user: &User,
    text: &str,
    unit_id: Option<i64>,
    group_id: Option<i64>,
) -> Result<(), Refusal> {
    within!(store, {
        user.require(Access::UnitManagers)?;
        let text = text.trim();
        let mut problems = Vec::new();
        if text.is_empty() || text.chars().count() > MAX_ADDRESSEE {
            problems.push("Nơi nhận không hợp lệ.".to_owned());
        }
        match (unit_id, group_id) {
            (Some(id), None) => {
                if store.unit(id).await?.is_none() {
                    problems.push("Đơn vị không tồn tại.".into());
                }
            }
            (None, Some(id)) => {
                if !store.list_groups().await?.iter().any(|g| g.id == id) {
                    problems.push("Khối không tồn tại.".into());
                }
            }
            _ => problems.push("Chọn đơn vị hoặc khối cho nơi nhận.".into()),
        }
        if !problems.is_empty() {
            return Err(Refusal::Invalid(problems));
        }
        Ok(store
            .set_addressee_mapping(&user.actor(), text, unit_id, group_id)
            .await?)
    })
}
