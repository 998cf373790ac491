//! Debrief's own incident format (`debrief-incident/1`, see `crate::bundle`): the export of an
//! incident, and the format the demo incidents are written in.

use super::{
    ImportedIncident, ImportedMessage, Located, Location, ReadError, ReadOptions, ReadResult,
};
use crate::bundle::{Bundle, FORMAT};

/// The format marker may come anywhere in the object (exports list keys alphabetically).
pub fn detect(bytes: &[u8]) -> bool {
    super::json::json_start(bytes, b"{")
        .is_some_and(|b| super::json::contains(b, FORMAT.as_bytes()))
}

pub fn read(file_name: &str, bytes: &[u8], _opts: &ReadOptions) -> ReadResult {
    let bundle: Bundle =
        super::json::parse_json_as(file_name, bytes, "Debrief export").map_err(|e| vec![e])?;
    if bundle.format != FORMAT {
        return Err(vec![ReadError {
            file: file_name.to_string(),
            line: None,
            record: None,
            field: "format".into(),
            reason: format!("expected \"{FORMAT}\", found \"{}\"", bundle.format),
        }]);
    }
    let at = |record: String| Location {
        file: file_name.to_string(),
        line: None,
        record: Some(record),
    };
    Ok(vec![ImportedIncident {
        source: None,
        external_id: None,
        incident: Some(bundle.incident),
        events: bundle
            .events
            .into_iter()
            .enumerate()
            .map(|(i, value)| Located {
                at: at(format!("events[{i}]")),
                value,
            })
            .collect(),
        mentions: bundle
            .mentions
            .into_iter()
            .enumerate()
            .map(|(i, value)| Located {
                at: at(format!("mentions[{i}]")),
                value,
            })
            .collect(),
        messages: bundle
            .messages
            .into_iter()
            .enumerate()
            .map(|(i, m)| Located {
                at: at(format!("messages[{i}]")),
                value: ImportedMessage {
                    message: m.message,
                    in_reply_to_external: m.in_reply_to_external,
                },
            })
            .collect(),
        recipients: Vec::new(),
    }])
}
