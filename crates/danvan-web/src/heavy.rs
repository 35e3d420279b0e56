//! Heavy work off the request path: reading a document, a spreadsheet. It runs on the blocking
//! thread pool, at most a few at once, so that the threads answering requests stay free; when
//! every place is taken the request is refused at once with a Vietnamese message rather than
//! queued behind the others.

use std::sync::Arc;

use tokio::sync::Semaphore;

use crate::error::AppError;

/// What the user reads when every place is taken.
pub const BUSY: &str = "Hệ thống đang xử lý nhiều tệp cùng lúc; vui lòng thử lại sau ít phút.";

/// At most `places` pieces of heavy work at once.
#[derive(Debug, Clone)]
pub struct Heavy {
    places: Arc<Semaphore>,
}

impl Heavy {
    pub fn new(places: usize) -> Heavy {
        Heavy {
            places: Arc::new(Semaphore::new(places.max(1))),
        }
    }

    /// Runs `work` on the blocking pool when a place is free; refuses at once otherwise.
    pub async fn run<T, F>(&self, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let Ok(place) = self.places.clone().try_acquire_owned() else {
            tracing::warn!("heavy work refused: every place is taken");
            return Err(AppError::Unavailable(BUSY));
        };
        let result = tokio::task::spawn_blocking(move || {
            let _place = place;
            work()
        })
        .await;
        result.map_err(|error| AppError::Internal(format!("heavy work failed: {error}")))
    }

    /// Places free now.
    pub fn free(&self) -> usize {
        self.places.available_permits()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn at_most_its_places_run_and_the_next_is_refused_politely() {
        let heavy = Heavy::new(2);
        let (release, wait) = std::sync::mpsc::channel::<()>();
        let wait = Arc::new(std::sync::Mutex::new(wait));
        let mut running = Vec::new();
        for _ in 0..2 {
            let heavy = heavy.clone();
            let wait = wait.clone();
            running.push(tokio::spawn(async move {
                heavy.run(move || wait.lock().unwrap().recv().ok()).await
            }));
        }
        // Both places are taken once the two pieces of work have started.
        while heavy.free() > 0 {
            tokio::task::yield_now().await;
        }
        match heavy.run(|| 1).await {
            Err(AppError::Unavailable(message)) => assert_eq!(message, BUSY),
            other => panic!("a third piece of work was not refused: {other:?}"),
        }
        release.send(()).unwrap();
        release.send(()).unwrap();
        for handle in running {
            assert!(handle.await.unwrap().is_ok());
        }
        assert_eq!(heavy.run(|| 7).await.unwrap(), 7, "a place is free again");
    }
}
