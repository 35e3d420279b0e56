//! What pages work out from official data, kept while that data has not changed (issue 18).
//!
//! A dashboard's aggregates or a role's work-queue counts take a dozen statements each, and each
//! statement on SQLite crosses to the connection's own thread and back; yet they change only when
//! someone changes official data, and with the day. So each is kept under its key with the
//! [`Generation`] it was worked out at, and worked out again once the generation has moved.
//!
//! The generation is read from the database on every request (one statement), never assumed, so
//! that a change made through another app server on the same database, or through the command
//! line beside the server, is seen by the next request. It is read *before* what it keys, so a
//! value worked out while a change commits is at worst kept under the older generation and
//! worked out again, never kept under the newer one without that change.

use std::any::Any;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

use danvan_app::store::Store;
use danvan_app::store::audit::DataGeneration;
use time::Date;

use crate::error::AppError;

/// The most values kept; past it, values of older generations go first, then all.
const MOST: usize = 512;

/// Where the official data stood, and which day it was, when a value was worked out: statuses
/// such as "overdue" move with the day alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generation {
    data: DataGeneration,
    today: Date,
}

type Entry = (Generation, Arc<dyn Any + Send + Sync>);

/// The kept values, shared by every request of one server.
#[derive(Default)]
pub struct Fresh {
    entries: Mutex<HashMap<String, Entry>>,
}

impl Fresh {
    /// The current generation, or `None` where nothing may be kept (a store inside a caller's
    /// transaction).
    pub async fn generation(store: &Store, today: Date) -> Result<Option<Generation>, AppError> {
        Ok(store.data_generation().await?.map(|data| Generation { data, today }))
    }

    /// The value kept under `key` at `generation`, or else `work`'s, then kept. Keys name what
    /// the value depends on besides the data and the day (the page, its period, the viewer's
    /// agency); a key used for two types is worked out again, never misread.
    pub async fn get_or<T, F, Fut>(
        &self,
        generation: Option<&Generation>,
        key: String,
        work: F,
    ) -> Result<Arc<T>, AppError>
    where
        T: Send + Sync + 'static,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, AppError>>,
    {
        let Some(generation) = generation else {
            return Ok(Arc::new(work().await?));
        };
        let kept = self
            .entries
            .lock()
            .expect("fresh values")
            .get(&key)
            .filter(|(at, _)| at == generation)
            .map(|(_, value)| value.clone());
        if let Some(value) = kept.and_then(|value| value.downcast::<T>().ok()) {
            return Ok(value);
        }
        let value = Arc::new(work().await?);
        let mut entries = self.entries.lock().expect("fresh values");
        if entries.len() >= MOST {
            entries.retain(|_, (at, _)| at == generation);
            if entries.len() >= MOST {
                entries.clear();
            }
        }
        let erased: Arc<dyn Any + Send + Sync> = value.clone();
        entries.insert(key, (generation.clone(), erased));
        Ok(value)
    }
}

impl crate::AppState {
    /// The value kept under `key` while the official data and the day have not moved, or else
    /// `work`'s (see [`Fresh::get_or`]); for a page that keeps one value.
    pub async fn kept<T, F, Fut>(&self, key: String, work: F) -> Result<Arc<T>, AppError>
    where
        T: Send + Sync + 'static,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, AppError>>,
    {
        let generation = Fresh::generation(&self.store, self.clock.today()).await?;
        self.fresh.get_or(generation.as_ref(), key, work).await
    }
}

impl std::fmt::Debug for Fresh {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kept = self.entries.lock().map(|entries| entries.len()).unwrap_or(0);
        f.debug_struct("Fresh").field("kept", &kept).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn generation(records: i64, day: u8) -> Generation {
        Generation {
            data: DataGeneration {
                records,
                head: format!("{records:064}"),
                agencies: 1,
            },
            today: Date::from_calendar_date(2025, time::Month::March, day).unwrap(),
        }
    }

    #[tokio::test]
    async fn a_value_is_worked_out_again_when_the_data_or_the_day_moves() {
        let fresh = Fresh::default();
        let runs = AtomicUsize::new(0);
        let work = || async { Ok::<_, AppError>(runs.fetch_add(1, Ordering::SeqCst)) };
        let first = generation(5, 1);
        assert_eq!(*fresh.get_or(Some(&first), "k".into(), work).await.unwrap(), 0);
        assert_eq!(*fresh.get_or(Some(&first), "k".into(), work).await.unwrap(), 0, "kept");
        assert_eq!(
            *fresh.get_or(Some(&first), "other".into(), work).await.unwrap(),
            1,
            "another key"
        );
        assert_eq!(
            *fresh.get_or(Some(&generation(6, 1)), "k".into(), work).await.unwrap(),
            2,
            "a change"
        );
        assert_eq!(
            *fresh.get_or(Some(&generation(6, 2)), "k".into(), work).await.unwrap(),
            3,
            "the next day"
        );
        assert_eq!(
            *fresh.get_or(None, "k".into(), work).await.unwrap(),
            4,
            "nothing kept in a scope"
        );
        assert_eq!(*fresh.get_or(None, "k".into(), work).await.unwrap(), 5);
        // The same key asked for as another type is worked out, not misread.
        let text = fresh
            .get_or(Some(&generation(6, 2)), "k".into(), || async {
                Ok::<_, AppError>("x".to_owned())
            })
            .await
            .unwrap();
        assert_eq!(*text, "x");
    }

    #[tokio::test]
    async fn the_store_never_grows_past_its_bound() {
        let fresh = Fresh::default();
        for i in 0..(3 * MOST) {
            let at = generation(i as i64 / 100, 1);
            fresh
                .get_or(Some(&at), format!("k{i}"), || async { Ok::<_, AppError>(i) })
                .await
                .unwrap();
            assert!(fresh.entries.lock().unwrap().len() <= MOST);
        }
    }
}
