//! Guarded JSON parsing shared by the JSON readers: refuse what is not UTF-8 or nests too deep
//! (a hostile file could exhaust the stack) before serde sees it.

use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_json::error::Category;

use super::ReadError;

/// Deeper than any real status-page, PagerDuty, Slack or Debrief document nests (they stay under
/// ten levels); deeper input is hostile or not ours.
pub const MAX_DEPTH: usize = 64;

/// For detection: the bytes without a UTF-8 BOM when their first non-blank byte is one of
/// `openers` (`b"{["` for any JSON document, `b"["` for a list).
pub fn json_start<'a>(bytes: &'a [u8], openers: &[u8]) -> Option<&'a [u8]> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace())?;
    openers.contains(first).then_some(bytes)
}

/// Whether `needle` occurs anywhere in `bytes`.
pub fn contains(bytes: &[u8], needle: &[u8]) -> bool {
    bytes.windows(needle.len()).any(|w| w == needle)
}

/// UTF-8 text of a JSON upload, parsed, after refusing what is not text or nests deeper than
/// `MAX_DEPTH`. `format` names the format in the messages ("PagerDuty", "Slack export").
pub fn parse_json(file_name: &str, bytes: &[u8], format: &str) -> Result<Value, ReadError> {
    parse_json_as(file_name, bytes, format)
}

/// As `parse_json`, straight into the reader's own type.
pub fn parse_json_as<T: DeserializeOwned>(
    file_name: &str,
    bytes: &[u8],
    format: &str,
) -> Result<T, ReadError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        let line = 1 + bytes[..at].iter().filter(|&&b| b == b'\n').count();
        line_error(
            file_name,
            line,
            format!(
                "is not UTF-8 text (invalid byte at offset {at}); {format} JSON is always UTF-8"
            ),
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    parse_text_as(file_name, text, format, 1)
}

/// A JSON document that starts on line `first_line` of the file (1 for a whole file, later for
/// one embedded in other text), with the same guard against deep nesting; error lines are the
/// file's.
pub fn parse_text_as<T: DeserializeOwned>(
    file_name: &str,
    text: &str,
    format: &str,
    first_line: usize,
) -> Result<T, ReadError> {
    let in_file = |line: usize| first_line + line.saturating_sub(1);
    if let Some(line) = too_deep(text, MAX_DEPTH) {
        return Err(line_error(
            file_name,
            in_file(line),
            format!("JSON is nested deeper than {MAX_DEPTH} levels; refused"),
        ));
    }
    serde_json::from_str(text).map_err(|e| {
        let reason = match e.classify() {
            // Well-formed JSON that is not what the format holds (a missing or mistyped field).
            Category::Data => format!("is not a valid {format} document: {e}"),
            _ => format!("is not valid JSON: {e}"),
        };
        line_error(file_name, in_file(e.line()), reason)
    })
}

fn line_error(file_name: &str, line: usize, reason: String) -> ReadError {
    ReadError {
        file: file_name.to_string(),
        line: Some(line),
        record: None,
        field: String::new(),
        reason,
    }
}

/// The 1-based line where nesting first exceeds `max`, if it does. Brackets inside strings do
/// not count.
pub fn too_deep(text: &str, max: usize) -> Option<usize> {
    let (mut depth, mut line) = (0usize, 1usize);
    let (mut in_string, mut escaped) = (false, false);
    for b in text.bytes() {
        if b == b'\n' {
            line += 1;
        }
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > max {
                    return Some(line);
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}
