//! Reading HTML forms: repeated fields (checkbox groups) and local date-times.

use actix_web::HttpRequest;
use actix_web::web::Bytes;
use serde::de::DeserializeOwned;

use super::error::AppError;
use crate::domain::FieldErrors;

/// Parses an urlencoded body, allowing repeated keys (`audiences=a&audiences=b`) into `Vec`s.
pub fn parse<T: DeserializeOwned>(body: &Bytes) -> Result<T, AppError> {
    serde_html_form::from_bytes(body)
        .map_err(|e| AppError::BadRequest(format!("invalid form: {e}")))
}

/// A `datetime-local` field in the viewer's time zone, as UTC; records an error on the field.
pub fn local_time(
    errors: &mut FieldErrors,
    field: &str,
    value: &str,
    tz: chrono_tz::Tz,
) -> Option<chrono::NaiveDateTime> {
    match crate::domain::time::parse_form_datetime(value) {
        Ok(v) => v.map(|local| crate::domain::time::local_to_utc(local, tz)),
        Err(msg) => {
            errors.add(field, msg);
            None
        }
    }
}

pub fn checkbox(value: &Option<String>) -> bool {
    matches!(value.as_deref(), Some("on" | "true" | "1"))
}

pub fn path_param(req: &HttpRequest, name: &str) -> Result<String, AppError> {
    req.match_info()
        .get(name)
        .map(str::to_string)
        .ok_or(AppError::NotFound)
}
