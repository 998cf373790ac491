//! Two demo incidents written for Debrief: a German e-mail outage (employees, management,
//! customers) and an English social-media crisis, with the flaws a review should find.

use crate::bundle::{self, Stored};
use crate::db::DbConn;
use crate::db::audit::Actor;
use crate::error::ServiceResult;

const DEMOS: &[(&str, &str)] = &[
    (
        "email-outage-de.json",
        include_str!("../assets/demo/email-outage-de.json"),
    ),
    (
        "social-crisis-en.json",
        include_str!("../assets/demo/social-crisis-en.json"),
    ),
];

/// Loads the demo incidents that are not there yet.
pub fn load(conn: &mut DbConn, actor: &Actor) -> ServiceResult<Vec<Stored>> {
    DEMOS
        .iter()
        .map(|(file, text)| {
            let b = bundle::parse(text, file)?;
            bundle::store(conn, &b, actor)
        })
        .collect()
}
