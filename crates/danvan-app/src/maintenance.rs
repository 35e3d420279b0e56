//! The server's daily housekeeping, acting as an admin: stored files no record refers to, and
//! records past their retention period (security.md 30), each with its audit record.

use danvan_domain::Role;
use danvan_domain::retention::{Kind, Retention};
use danvan_store::Store;

use crate::{Refusal, User};

fn admin(user: &User) -> Result<(), Refusal> {
    if user.role == Role::Admin {
        Ok(())
    } else {
        Err(Refusal::Forbidden)
    }
}

/// Removes stored bytes no record refers to, stored before `before` (unix seconds). Returns how
/// many.
pub async fn delete_orphaned_files(store: &Store, user: &User, before: i64) -> Result<i64, Refusal> {
    within!(store, {
        admin(user)?;
        Ok(store.delete_orphaned_files(&user.actor(), before).await?)
    })
}

/// Erases or anonymises what the retention policy says has been kept long enough. Returns how
/// many records of each kind.
pub async fn apply_retention(
    store: &Store,
    user: &User,
    policy: &Retention,
    now: i64,
    this_year: i32,
) -> Result<Vec<(Kind, i64)>, Refusal> {
    within!(store, {
        admin(user)?;
        Ok(store.apply_retention(&user.actor(), policy, now, this_year).await?)
    })
}
