//! The web layer's one error type, mapped once to HTTP: pages get an error page, the API gets
//! JSON with a stable code (`ApiError`).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

use crate::db::StoreError;
use crate::domain::FieldErrors;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("sign-in required")]
    Unauthorized,
    #[error("you do not have permission for this")]
    Forbidden,
    #[error("the form has expired or was not sent from Debrief; reload the page and try again")]
    Csrf,
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    BadRequest(String),
    /// An upload over the configured limit.
    #[error("{0}")]
    TooLarge(String),
    #[error("invalid input: {0}")]
    Invalid(FieldErrors),
    #[error("too many attempts; try again in {minutes} minutes")]
    TooManyAttempts { minutes: i64 },
    #[error("storage: {0}")]
    Store(#[from] StoreError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        AppError::Internal(e.to_string())
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        AppError::Store(e.into())
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(e: diesel::result::Error) -> Self {
        ApiError(e.into())
    }
}

impl From<minijinja::Error> for AppError {
    fn from(e: minijinja::Error) -> Self {
        AppError::Internal(format!("template: {e:#}"))
    }
}

/// An extractor's error as the caller expects it: JSON under `/api/`, an error page elsewhere.
pub fn for_request(req: &actix_web::HttpRequest, error: AppError) -> actix_web::Error {
    if req.path().starts_with("/api/") {
        ApiError(error).into()
    } else {
        error.into()
    }
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Store(e) if e.is_unique_violation() => StatusCode::CONFLICT,
            AppError::Store(e) if e.is_unavailable() => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Store(_) | AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Stable, documented codes that API clients can branch on.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotFound => "not_found",
            AppError::Unauthorized => "unauthorized",
            AppError::Forbidden => "forbidden",
            AppError::Csrf => "csrf_failed",
            AppError::Conflict(_) => "conflict",
            AppError::BadRequest(_) => "bad_request",
            AppError::TooLarge(_) => "payload_too_large",
            AppError::Invalid(_) => "validation_failed",
            AppError::TooManyAttempts { .. } => "too_many_attempts",
            AppError::Store(e) if e.is_unique_violation() => "conflict",
            AppError::Store(e) if e.is_unavailable() => "unavailable",
            AppError::Store(_) | AppError::Internal(_) => "internal",
        }
    }

    /// What the user may read: internal details stay in the log.
    pub fn public_message(&self) -> String {
        match self {
            AppError::Store(e) if e.is_unique_violation() => {
                "this already exists (a unique value is taken)".into()
            }
            AppError::Store(e) if e.is_unavailable() => {
                "the database is busy or unreachable; try again in a moment".into()
            }
            AppError::Store(_) | AppError::Internal(_) => {
                "something went wrong on our side; the error was logged".into()
            }
            other => other.to_string(),
        }
    }

    fn log(&self) {
        if self.status().is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        self.status()
    }

    fn error_response(&self) -> HttpResponse {
        self.log();
        let templates = crate::templates::Templates::shared();
        let body = templates
            .render(
                "errors/error.html",
                minijinja::context! {
                    status => self.status().as_u16(),
                    code => self.code(),
                    message => self.public_message(),
                },
            )
            .unwrap_or_else(|_| self.public_message());
        HttpResponse::build(self.status())
            .content_type("text/html; charset=utf-8")
            .body(body)
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ApiErrorBody {
    /// Stable machine-readable code, e.g. `validation_failed`, `not_found`, `conflict`.
    pub code: String,
    pub message: String,
    /// Per-field problems for `validation_failed`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<crate::domain::validation::FieldError>,
}

/// The same errors as JSON, for `/api/v1`.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct ApiError(#[from] pub AppError);

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        ApiError(e.into())
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        ApiError(e.into())
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.0.status()
    }

    fn error_response(&self) -> HttpResponse {
        self.0.log();
        HttpResponse::build(self.0.status()).json(api_error_body(&self.0))
    }
}

pub fn api_error_body(e: &AppError) -> ApiErrorBody {
    ApiErrorBody {
        code: e.code().into(),
        message: e.public_message(),
        errors: match e {
            AppError::Invalid(f) => f.0.clone(),
            _ => Vec::new(),
        },
    }
}

impl From<crate::error::ServiceError> for AppError {
    fn from(e: crate::error::ServiceError) -> Self {
        use crate::error::ServiceError as S;
        match e {
            S::Invalid(f) => AppError::Invalid(f),
            S::NotFound => AppError::NotFound,
            S::Conflict(m) => AppError::Conflict(m),
            S::InvalidCredentials => AppError::Unauthorized,
            S::Throttled { minutes } => AppError::TooManyAttempts { minutes },
            S::LinkInvalid => AppError::NotFound,
            S::Store(s) => AppError::Store(s),
            S::Internal(m) => AppError::Internal(m),
        }
    }
}

impl From<crate::error::ServiceError> for ApiError {
    fn from(e: crate::error::ServiceError) -> Self {
        ApiError(e.into())
    }
}
