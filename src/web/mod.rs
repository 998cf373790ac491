//! HTTP: one route table (`routes`), where every route declares who may use it; one middleware
//! (`access`) that resolves the signed-in user, enforces that declaration and checks CSRF; thin
//! handlers in `pages` (HTML) and `api` (JSON).

pub mod access;
pub mod api;
pub mod assets;
pub mod error;
pub mod forms;
pub mod ops;
pub mod pages;
pub mod routes;
pub mod ui;

pub use access::{Access, Identity};
pub use error::{ApiError, AppError};

/// Runs blocking storage work off the async workers (diesel and argon2 are blocking).
pub async fn blocking<T, E, F>(state: &crate::app::AppState, f: F) -> Result<T, E>
where
    F: FnOnce(&mut crate::db::DbConn) -> Result<T, E> + Send + 'static,
    T: Send + 'static,
    E: From<crate::db::StoreError> + From<actix_web::error::BlockingError> + Send + 'static,
{
    // A burst of requests queues for a permit here rather than as threads parked on the pool:
    // parked threads cost memory and a context switch each time a connection is handed on.
    let _slot = state
        .db_slots
        .acquire()
        .await
        .map_err(|_| crate::db::StoreError::Config("the database slots were closed".into()))?;
    let pool = state.pool.clone();
    actix_web::web::block(move || {
        let mut conn = pool.get().map_err(crate::db::StoreError::from)?;
        f(&mut conn)
    })
    .await?
}

/// Renders reports and charts at most this many at a time: one per core, since rendering is
/// CPU work and more at once only makes each slower.
static RENDERS: std::sync::LazyLock<std::sync::Arc<tokio::sync::Semaphore>> =
    std::sync::LazyLock::new(|| {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        std::sync::Arc::new(tokio::sync::Semaphore::new(cores))
    });

/// Runs rendering (a PDF, a page's charts) off the async workers and without a database
/// connection: load what is needed with [`blocking`] first, then render here. Renders beyond one
/// per core wait their turn, so a burst of downloads queues instead of taking the threads and
/// connections every other request needs.
pub async fn render<T, E, F>(f: F) -> Result<T, E>
where
    F: FnOnce() -> Result<T, E> + Send + 'static,
    T: Send + 'static,
    E: From<actix_web::error::BlockingError> + Send + 'static,
{
    // The semaphore is never closed, so acquiring only waits. The permit moves into the task:
    // a render whose client went away still counts until it has finished.
    let permit = RENDERS.clone().acquire_owned().await.ok();
    actix_web::web::block(move || {
        let _permit = permit;
        f()
    })
    .await?
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// More renders than cores at once: they all finish, never more than one per core running.
    #[actix_web::test]
    async fn renders_queue_beyond_one_per_core() {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let renders: Vec<_> = (0..cores * 3)
            .map(|i| {
                let (running, most) = (running.clone(), most.clone());
                actix_web::rt::spawn(super::render(move || {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(std::time::Duration::from_millis(30));
                    running.fetch_sub(1, Ordering::SeqCst);
                    Ok::<_, super::AppError>(i)
                }))
            })
            .collect();
        let mut finished = Vec::new();
        for render in renders {
            finished.push(render.await.expect("joined").expect("rendered"));
        }
        assert_eq!(finished, (0..cores * 3).collect::<Vec<_>>());
        let most = most.load(Ordering::SeqCst);
        assert!(most <= cores, "{most} renders at once on {cores} cores");
        assert!(most >= 1);
    }
}
