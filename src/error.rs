//! The error type of the service layer (accounts, incidents, …): what callers can act on.
//! The web layer maps it once to HTTP (`web::error`), the CLI prints it.

use crate::db::StoreError;
use crate::domain::FieldErrors;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("{0}")]
    Invalid(FieldErrors),
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Conflict(String),
    /// Deliberately the same for an unknown e-mail and a wrong password.
    #[error("e-mail or password is wrong")]
    InvalidCredentials,
    #[error("too many failed sign-ins; try again in {minutes} minutes")]
    Throttled { minutes: i64 },
    #[error("this link is invalid, used or expired")]
    LinkInvalid,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Internal(String),
}

impl From<diesel::result::Error> for ServiceError {
    fn from(e: diesel::result::Error) -> Self {
        ServiceError::Store(e.into())
    }
}

impl From<FieldErrors> for ServiceError {
    fn from(e: FieldErrors) -> Self {
        ServiceError::Invalid(e)
    }
}

pub type ServiceResult<T> = Result<T, ServiceError>;
