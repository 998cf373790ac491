//! Organisation-wide settings: name (for reports), time zone, confidentiality label.

use serde::{Deserialize, Serialize};

use crate::db::{self, DbConn, StoreResult};
use crate::domain::FieldErrors;
use crate::domain::time::{DEFAULT_TIME_ZONE, parse_zone};

const KEY: &str = "organisation";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Organisation {
    pub name: String,
    pub time_zone: String,
    pub confidentiality_label: String,
    /// Language of new incidents and of survey invitations without a known locale.
    pub default_language: String,
}

impl Default for Organisation {
    fn default() -> Self {
        Self {
            name: "Our organisation".into(),
            time_zone: DEFAULT_TIME_ZONE.into(),
            confidentiality_label: "Internal".into(),
            default_language: "de".into(),
        }
    }
}

impl Organisation {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        if self.name.trim().is_empty() || self.name.chars().count() > 200 {
            e.add("name", "is required (at most 200 characters)");
        }
        if let Err(msg) = parse_zone(&self.time_zone) {
            e.add("time_zone", msg);
        }
        if self.confidentiality_label.chars().count() > 60 {
            e.add("confidentiality_label", "is longer than 60 characters");
        }
        if !crate::i18n::LANGUAGES.contains(&self.default_language.as_str()) {
            e.add("default_language", "must be de or en");
        }
        e.into_result(())
    }
}

pub fn load(conn: &mut DbConn) -> StoreResult<Organisation> {
    Ok(db::settings::get(conn, KEY)?.unwrap_or_default())
}

pub fn save(conn: &mut DbConn, org: &Organisation) -> StoreResult<()> {
    db::settings::put(conn, KEY, org)
}

/// The key that signs CSRF tokens; shared by all instances through the database.
pub fn csrf_secret(conn: &mut DbConn) -> StoreResult<Vec<u8>> {
    let secret: String = db::settings::get_or_init(conn, "csrf_secret", crate::auth::new_token)?;
    Ok(secret.into_bytes())
}
