use serde::Serialize;

/// Errors of one submitted form or JSON body, by field, so each can be shown next to its input.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<FieldError>);

#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

pub type Validated<T> = Result<T, FieldErrors>;

impl FieldErrors {
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.to_string(),
            message: message.into(),
        });
    }

    pub fn single(field: &str, message: impl Into<String>) -> Self {
        let mut e = Self::default();
        e.add(field, message);
        e
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    /// Adds the errors of fields that have none yet (a later check does not repeat an earlier one).
    pub fn merge(&mut self, other: FieldErrors) {
        for e in other.0 {
            if self.get(&e.field).is_none() {
                self.0.push(e);
            }
        }
    }

    pub fn into_result<T>(self, value: T) -> Validated<T> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect();
        f.write_str(&parts.join("; "))
    }
}

/// A required, trimmed text of bounded length.
pub fn required_text(
    errors: &mut FieldErrors,
    field: &str,
    value: &str,
    max_chars: usize,
) -> String {
    let value = value.trim();
    if value.is_empty() {
        errors.add(field, "is required");
    } else if value.chars().count() > max_chars {
        errors.add(field, format!("is longer than {max_chars} characters"));
    }
    value.to_string()
}

/// Parses a vocabulary value, recording the allowed values when it is not one of them.
pub fn parse_choice<T: std::str::FromStr<Err = String>>(
    errors: &mut FieldErrors,
    field: &str,
    value: &str,
) -> Option<T> {
    match value.parse() {
        Ok(v) => Some(v),
        Err(reason) => {
            errors.add(field, reason);
            None
        }
    }
}
