//! The security log: sign-ins, failures, exports, reads of personal data. These records are not
//! official data (a refused step may write them), but they name who acted, so they are written
//! here, where the audit's [`danvan_store::Actor`] is made.

use danvan_domain::audit::Action;
use danvan_store::Store;

use crate::{Refusal, User};

/// Records a security event (`event` on the record `object_id`) by `user`.
pub async fn record(store: &Store, user: &User, event: Action, object_id: i64) -> Result<(), Refusal> {
    within!(store, {
        store.record_security_event(&user.actor(), event, object_id).await?;
        Ok(())
    })
}

/// Records that `user` read a record holding personal data (security.md: who saw whom).
pub async fn personal_read(store: &Store, user: &User, kind: &str, id: i64) -> Result<(), Refusal> {
    within!(store, {
        store.record_personal_read(&user.actor(), kind, id).await?;
        Ok(())
    })
}
