use chrono::NaiveDateTime;
use serde::Serialize;

crate::text_enum!(
    /// What a signed-in person may do (SPEC §1). Ordered: a higher role includes the lower ones.
    Role { Viewer = "viewer", Editor = "editor", Admin = "admin" }
);

impl Role {
    pub fn includes(self, other: Role) -> bool {
        self >= other
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub locale: String,
    pub time_zone: Option<String>,
    pub active: bool,
    pub has_password: bool,
    pub created_at: NaiveDateTime,
}
