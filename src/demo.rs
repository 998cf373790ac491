//! Two demo incidents written for Debrief: a German e-mail outage (employees, management,
//! customers) and an English social-media crisis, with the flaws a review should find. They are
//! loaded through the import pipeline like any Debrief export.

use crate::db::DbConn;
use crate::db::audit::Actor;
use crate::error::{ServiceError, ServiceResult};
use crate::import::pipeline::{self, ImportRequest, ImportSummary, SourceFile, Target};

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

/// Loads the demo incidents; loading them again changes nothing.
pub fn load(conn: &mut DbConn, actor: &Actor) -> ServiceResult<ImportSummary> {
    let files: Vec<SourceFile> = DEMOS
        .iter()
        .map(|(name, text)| SourceFile {
            name: (*name).to_string(),
            bytes: text.as_bytes().to_vec(),
        })
        .collect();
    let request = ImportRequest {
        format: Some("debrief".into()),
        target: Target::FromFiles,
        dry_run: false,
        skip_invalid: false,
        read: Default::default(),
    };
    let summary = pipeline::run(conn, &files, &request, actor)?;
    if !summary.errors.is_empty() {
        let listed: Vec<String> = summary.errors.iter().map(|e| e.to_string()).collect();
        return Err(ServiceError::Internal(format!(
            "the demo data is invalid: {}",
            listed.join("; ")
        )));
    }
    Ok(summary)
}
