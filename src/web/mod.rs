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
    let pool = state.pool.clone();
    actix_web::web::block(move || {
        let mut conn = pool.get().map_err(crate::db::StoreError::from)?;
        f(&mut conn)
    })
    .await?
}
