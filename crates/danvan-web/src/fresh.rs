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
//!
//! A value that is missing is worked out once however many requests ask for it at the same
//! time: the first asks the database, the others wait for its answer (a cold board page at a
//! nation's scale costs half a second, and sixteen requests working it out side by side would
//! each take eight). If the first fails or is given up (its client went away), the next waiting
//! request works it out.

use std::any::Any;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

use danvan_app::store::Store;
use danvan_app::store::audit::DataGeneration;
use time::Date;
use tokio::sync::OnceCell;

use crate::error::AppError;

/// The most values kept; past it, values of older generations go first, then the least
/// recently used.
const MOST: usize = 512;

/// Where the official data stood, and which day it was, when a value was worked out: statuses
/// such as "overdue" move with the day alone. The work that a value comes from is handed this
/// day, never reads the clock again: a value worked out across midnight is kept under the day
/// it was worked out for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generation {
    /// `None` where nothing may be kept (a store inside a caller's transaction).
    data: Option<DataGeneration>,
    today: Date,
}

impl Generation {
    /// The day values are worked out for.
    pub fn today(&self) -> Date {
        self.today
    }
}

type Value = Arc<dyn Any + Send + Sync>;

struct Entry {
    at: Generation,
    /// When the value was last asked for, in asks of this store: the least recent goes first.
    used: u64,
    /// Empty while the first request to ask is working the value out; the others wait on it.
    value: Arc<OnceCell<Value>>,
}

#[derive(Default)]
struct Entries {
    map: HashMap<String, Entry>,
    asks: u64,
}

impl Entries {
    /// Puts `value` under `key` at `generation`, first making room: values of older
    /// generations go first, then the least recently used.
    fn insert(&mut self, key: String, generation: &Generation, value: Arc<OnceCell<Value>>) {
        if self.map.len() >= MOST && !self.map.contains_key(&key) {
            self.map.retain(|_, entry| entry.at == *generation);
            if self.map.len() >= MOST {
                let least = self
                    .map
                    .iter()
                    .min_by_key(|(_, entry)| entry.used)
                    .map(|(key, _)| key.clone());
                if let Some(least) = least {
                    self.map.remove(&least);
                }
            }
        }
        let used = self.asks;
        self.map.insert(
            key,
            Entry {
                at: generation.clone(),
                used,
                value,
            },
        );
    }

    /// Takes `cell` out from under `key`, unless another has replaced it there since.
    fn remove_if(&mut self, key: &str, cell: &Arc<OnceCell<Value>>) {
        if self.map.get(key).is_some_and(|entry| Arc::ptr_eq(&entry.value, cell)) {
            self.map.remove(key);
        }
    }
}

/// The kept values, shared by every request of one server.
#[derive(Default)]
pub struct Fresh {
    entries: Mutex<Entries>,
}

impl Fresh {
    /// The current generation, read from the database (see the module's note on order).
    pub async fn generation(store: &Store, today: Date) -> Result<Generation, AppError> {
        Ok(Generation {
            data: store.data_generation().await?,
            today,
        })
    }

    /// The value kept under `key` at `generation`, or else `work`'s, then kept. Keys name what
    /// the value depends on besides the data and the day (the page, its period, the viewer's
    /// agency); a key used for two types is worked out again, never misread.
    pub async fn get_or<T, F, Fut>(&self, generation: &Generation, key: String, work: F) -> Result<Arc<T>, AppError>
    where
        T: Send + Sync + 'static,
        F: FnOnce(Date) -> Fut,
        Fut: Future<Output = Result<T, AppError>>,
    {
        self.get_or_when(generation, key, work, |_| true, true).await
    }

    /// As [`Fresh::get_or`] for a record asked for by its id: a record that is not there is not
    /// kept, so asking for ids that do not exist cannot push out what is kept.
    pub async fn get_found<T, F, Fut>(
        &self,
        generation: &Generation,
        key: String,
        work: F,
    ) -> Result<Option<Arc<T>>, AppError>
    where
        T: Send + Sync + 'static,
        F: FnOnce(Date) -> Fut,
        Fut: Future<Output = Result<Option<T>, AppError>>,
    {
        let found = self
            .get_or_when(
                generation,
                key,
                |today| async move { Ok(work(today).await?.map(Arc::new)) },
                Option::is_some,
                false,
            )
            .await?;
        Ok(found.as_ref().clone())
    }

    async fn get_or_when<T, F, Fut>(
        &self,
        generation: &Generation,
        key: String,
        work: F,
        worth_keeping: impl Fn(&T) -> bool,
        // Whether a missing value takes its place before it is worked out, for requests arriving
        // meanwhile to wait on; not for records asked for by id, so that asking for ids that do
        // not exist cannot push out what is kept even for a moment.
        single_flight: bool,
    ) -> Result<Arc<T>, AppError>
    where
        T: Send + Sync + 'static,
        F: FnOnce(Date) -> Fut,
        Fut: Future<Output = Result<T, AppError>>,
    {
        if generation.data.is_none() {
            return Ok(Arc::new(work(generation.today).await?));
        }
        let today = generation.today;
        let cell = {
            let mut entries = self.entries.lock().expect("fresh values");
            entries.asks += 1;
            let asks = entries.asks;
            let kept = entries
                .map
                .get_mut(&key)
                .filter(|entry| entry.at == *generation)
                .map(|entry| {
                    entry.used = asks;
                    entry.value.clone()
                });
            match kept {
                Some(cell) => Some(cell),
                None if single_flight => {
                    let cell = Arc::new(OnceCell::new());
                    entries.insert(key.clone(), generation, cell.clone());
                    Some(cell)
                }
                None => None,
            }
        };
        let Some(cell) = cell else {
            return self.work_out_alone(generation, key, work, worth_keeping).await;
        };
        let mut work = Some(work);
        let erased = cell
            .get_or_try_init(|| {
                let work = work.take().expect("the value is worked out once per request");
                async move { Ok::<Value, AppError>(Arc::new(work(today).await?)) }
            })
            .await?
            .clone();
        match erased.downcast::<T>() {
            Ok(value) => {
                if !worth_keeping(&value) {
                    self.entries.lock().expect("fresh values").remove_if(&key, &cell);
                }
                Ok(value)
            }
            Err(_) => {
                // The key was kept as another type: this request's own work was not run (it
                // would have been of this type), so it is run now, and its value takes the key.
                let work = work.take().expect("not run: the kept value is of another type");
                self.work_out_alone(generation, key, work, worth_keeping).await
            }
        }
    }

    /// `work`'s value for this request alone, kept under `key` afterwards when worth keeping.
    async fn work_out_alone<T, F, Fut>(
        &self,
        generation: &Generation,
        key: String,
        work: F,
        worth_keeping: impl Fn(&T) -> bool,
    ) -> Result<Arc<T>, AppError>
    where
        T: Send + Sync + 'static,
        F: FnOnce(Date) -> Fut,
        Fut: Future<Output = Result<T, AppError>>,
    {
        let value = Arc::new(work(generation.today).await?);
        if worth_keeping(&value) {
            let erased: Value = value.clone();
            let kept = Arc::new(OnceCell::new_with(Some(erased)));
            self.entries.lock().expect("fresh values").insert(key, generation, kept);
        }
        Ok(value)
    }
}

/// The kept values as one request sees them: the generation read once, so a page that keeps
/// several values (a directive and the agency chooser, say) reads it once, and every value on
/// the page is of the same generation and day.
pub struct Kept<'a> {
    fresh: &'a Fresh,
    generation: Generation,
}

impl Kept<'_> {
    /// The day the request's values are worked out for.
    pub fn today(&self) -> Date {
        self.generation.today
    }

    /// The value kept under `key`, or else `work`'s (see [`Fresh::get_or`]).
    pub async fn get<T, F, Fut>(&self, key: String, work: F) -> Result<Arc<T>, AppError>
    where
        T: Send + Sync + 'static,
        F: FnOnce(Date) -> Fut,
        Fut: Future<Output = Result<T, AppError>>,
    {
        self.fresh.get_or(&self.generation, key, work).await
    }

    /// A record kept under `key`; one that is not there is not kept (see [`Fresh::get_found`]).
    pub async fn found<T, F, Fut>(&self, key: String, work: F) -> Result<Option<Arc<T>>, AppError>
    where
        T: Send + Sync + 'static,
        F: FnOnce(Date) -> Fut,
        Fut: Future<Output = Result<Option<T>, AppError>>,
    {
        self.fresh.get_found(&self.generation, key, work).await
    }
}

impl crate::AppState {
    /// The kept values as of now: reads the generation (one statement) for a page that keeps
    /// several values.
    pub async fn kept_now(&self) -> Result<Kept<'_>, AppError> {
        Ok(Kept {
            fresh: &self.fresh,
            generation: Fresh::generation(&self.store, self.clock.today()).await?,
        })
    }

    /// The value kept under `key` while the official data and the day have not moved, or else
    /// `work`'s for the day (see [`Fresh::get_or`]); for a page that keeps one value.
    pub async fn kept<T, F, Fut>(&self, key: String, work: F) -> Result<Arc<T>, AppError>
    where
        T: Send + Sync + 'static,
        F: FnOnce(Date) -> Fut,
        Fut: Future<Output = Result<T, AppError>>,
    {
        self.kept_now().await?.get(key, work).await
    }

    /// A record kept under `key` while the data and the day have not moved; one that is not
    /// there is not kept (see [`Fresh::get_found`]); for a page that keeps one value.
    pub async fn kept_found<T, F, Fut>(&self, key: String, work: F) -> Result<Option<Arc<T>>, AppError>
    where
        T: Send + Sync + 'static,
        F: FnOnce(Date) -> Fut,
        Fut: Future<Output = Result<Option<T>, AppError>>,
    {
        self.kept_now().await?.found(key, work).await
    }
}

impl std::fmt::Debug for Fresh {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kept = self.entries.lock().map(|entries| entries.map.len()).unwrap_or(0);
        f.debug_struct("Fresh").field("kept", &kept).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn generation(records: i64, day: u8) -> Generation {
        Generation {
            data: Some(DataGeneration {
                records,
                head: format!("{records:064}"),
                agencies: 1,
            }),
            today: Date::from_calendar_date(2025, time::Month::March, day).unwrap(),
        }
    }

    #[tokio::test]
    async fn a_value_is_worked_out_again_when_the_data_or_the_day_moves() {
        let fresh = Fresh::default();
        let runs = AtomicUsize::new(0);
        let work = |_| async { Ok::<_, AppError>(runs.fetch_add(1, Ordering::SeqCst)) };
        let first = generation(5, 1);
        assert_eq!(*fresh.get_or(&first, "k".into(), work).await.unwrap(), 0);
        assert_eq!(*fresh.get_or(&first, "k".into(), work).await.unwrap(), 0, "kept");
        assert_eq!(
            *fresh.get_or(&first, "other".into(), work).await.unwrap(),
            1,
            "another key"
        );
        assert_eq!(
            *fresh.get_or(&generation(6, 1), "k".into(), work).await.unwrap(),
            2,
            "a change"
        );
        assert_eq!(
            *fresh.get_or(&generation(6, 2), "k".into(), work).await.unwrap(),
            3,
            "the next day"
        );
        let scoped = Generation {
            data: None,
            today: generation(6, 2).today,
        };
        assert_eq!(
            *fresh.get_or(&scoped, "k".into(), work).await.unwrap(),
            4,
            "nothing kept in a scope"
        );
        assert_eq!(*fresh.get_or(&scoped, "k".into(), work).await.unwrap(), 5);
        // The same key asked for as another type is worked out, not misread.
        let text = fresh
            .get_or(&generation(6, 2), "k".into(), |_| async {
                Ok::<_, AppError>("x".to_owned())
            })
            .await
            .unwrap();
        assert_eq!(*text, "x");
    }

    #[tokio::test]
    async fn a_missing_value_asked_for_at_once_by_many_is_worked_out_once() {
        let fresh = Arc::new(Fresh::default());
        let runs = Arc::new(AtomicUsize::new(0));
        let mut asks = tokio::task::JoinSet::new();
        for _ in 0..16 {
            let (fresh, runs) = (fresh.clone(), runs.clone());
            asks.spawn(async move {
                let value = fresh
                    .get_or(&generation(1, 1), "board".into(), |_| async move {
                        runs.fetch_add(1, Ordering::SeqCst);
                        // Long enough for every other request to ask meanwhile.
                        for _ in 0..50 {
                            tokio::task::yield_now().await;
                        }
                        Ok::<_, AppError>(7usize)
                    })
                    .await
                    .unwrap();
                *value
            });
        }
        while let Some(value) = asks.join_next().await {
            assert_eq!(value.unwrap(), 7);
        }
        assert_eq!(runs.load(Ordering::SeqCst), 1, "worked out by the first request only");
    }

    #[tokio::test]
    async fn a_failed_or_abandoned_first_ask_leaves_the_value_to_the_next() {
        let fresh = Fresh::default();
        let at = generation(1, 1);
        let failed = fresh
            .get_or(&at, "k".into(), |_| async {
                Err::<usize, _>(AppError::Internal("the database went away".into()))
            })
            .await;
        assert!(failed.is_err());
        // An ask given up while working (its client went away) holds nobody up either.
        let abandoned = tokio::time::timeout(
            std::time::Duration::from_millis(5),
            fresh.get_or(&at, "k".into(), |_| async {
                std::future::pending::<()>().await;
                Ok::<_, AppError>(0usize)
            }),
        )
        .await;
        assert!(abandoned.is_err());
        let value = fresh
            .get_or(&at, "k".into(), |_| async { Ok::<_, AppError>(3usize) })
            .await
            .unwrap();
        assert_eq!(*value, 3);
    }

    #[tokio::test]
    async fn the_work_is_handed_the_day_of_the_key() {
        let fresh = Fresh::default();
        let at = generation(1, 7);
        let day = fresh
            .get_or(&at, "d".into(), |today| async move { Ok::<_, AppError>(today) })
            .await
            .unwrap();
        assert_eq!(*day, at.today());
    }

    #[tokio::test]
    async fn a_record_not_found_is_not_kept() {
        let fresh = Fresh::default();
        let at = generation(1, 1);
        let runs = AtomicUsize::new(0);
        let missing = |_| async {
            runs.fetch_add(1, Ordering::SeqCst);
            Ok::<Option<u8>, AppError>(None)
        };
        assert!(fresh.get_found(&at, "gone".into(), missing).await.unwrap().is_none());
        assert!(fresh.get_found(&at, "gone".into(), missing).await.unwrap().is_none());
        assert_eq!(runs.load(Ordering::SeqCst), 2, "asked again each time");
        assert!(fresh.entries.lock().unwrap().map.is_empty());
        let found = |_| async {
            runs.fetch_add(1, Ordering::SeqCst);
            Ok::<_, AppError>(Some(9u8))
        };
        assert_eq!(*fresh.get_found(&at, "here".into(), found).await.unwrap().unwrap(), 9);
        assert_eq!(*fresh.get_found(&at, "here".into(), found).await.unwrap().unwrap(), 9);
        assert_eq!(runs.load(Ordering::SeqCst), 3, "kept once found");
    }

    #[tokio::test]
    async fn asking_for_records_that_are_not_there_pushes_nothing_out() {
        let fresh = Fresh::default();
        let at = generation(1, 1);
        for i in 0..MOST {
            fresh
                .get_or(&at, format!("k{i}"), |_| async move { Ok::<_, AppError>(i) })
                .await
                .unwrap();
        }
        for i in 0..(2 * MOST) {
            let gone = fresh
                .get_found(&at, format!("missing{i}"), |_| async {
                    Ok::<Option<u8>, AppError>(None)
                })
                .await
                .unwrap();
            assert!(gone.is_none());
        }
        let entries = fresh.entries.lock().unwrap();
        assert_eq!(entries.map.len(), MOST);
        assert!((0..MOST).all(|i| entries.map.contains_key(&format!("k{i}"))));
    }

    #[tokio::test]
    async fn the_store_never_grows_past_its_bound_and_what_is_used_stays() {
        let fresh = Fresh::default();
        let at = generation(1, 1);
        let hot_runs = AtomicUsize::new(0);
        let hot = |_| async {
            hot_runs.fetch_add(1, Ordering::SeqCst);
            Ok::<_, AppError>(0usize)
        };
        for i in 0..(3 * MOST) {
            fresh.get_or(&at, "hot".into(), hot).await.unwrap();
            fresh
                .get_or(&at, format!("k{i}"), |_| async move { Ok::<_, AppError>(i) })
                .await
                .unwrap();
            assert!(fresh.entries.lock().unwrap().map.len() <= MOST);
        }
        assert_eq!(
            hot_runs.load(Ordering::SeqCst),
            1,
            "a value asked for all along is never pushed out"
        );
        // Another generation's values go first.
        let next = generation(2, 1);
        fresh
            .get_or(&next, "new".into(), |_| async { Ok::<_, AppError>(1usize) })
            .await
            .unwrap();
        assert_eq!(fresh.entries.lock().unwrap().map.len(), 1);
    }
}
