//! What an edit changed: the lines removed and added between two versions of a section's text.

use serde::Serialize;
use similar::{ChangeTag, TextDiff};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LineChange {
    Kept,
    Removed,
    Added,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffLine {
    pub change: LineChange,
    pub text: String,
}

/// How many unchanged lines around a change are shown; the rest is folded away.
const CONTEXT: usize = 2;

/// The changed lines with a little context, in order. Unchanged stretches beyond the context
/// are left out (the UI marks the cut).
pub fn line_diff(old: &str, new: &str) -> Vec<DiffLine> {
    // A last line without its newline is still the same line.
    let (old, new) = (terminated(old), terminated(new));
    let diff = TextDiff::from_lines(&old, &new);
    let mut out = Vec::new();
    for group in diff.grouped_ops(CONTEXT) {
        for op in group {
            for change in diff.iter_changes(&op) {
                out.push(DiffLine {
                    change: match change.tag() {
                        ChangeTag::Equal => LineChange::Kept,
                        ChangeTag::Delete => LineChange::Removed,
                        ChangeTag::Insert => LineChange::Added,
                    },
                    text: change.value().trim_end_matches(['\n', '\r']).to_string(),
                });
            }
        }
    }
    out
}

fn terminated(text: &str) -> String {
    let mut t = text.replace("\r\n", "\n");
    if !t.is_empty() && !t.ends_with('\n') {
        t.push('\n');
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_lines_are_marked_with_context() {
        let old = "a\nb\nc\nd\ne\nf\ng";
        let new = "a\nb\nc\nd\nE\nf\ng\nh";
        let d = line_diff(old, new);
        let shown: Vec<(LineChange, &str)> =
            d.iter().map(|l| (l.change, l.text.as_str())).collect();
        assert_eq!(
            shown,
            vec![
                (LineChange::Kept, "c"),
                (LineChange::Kept, "d"),
                (LineChange::Removed, "e"),
                (LineChange::Added, "E"),
                (LineChange::Kept, "f"),
                (LineChange::Kept, "g"),
                (LineChange::Added, "h"),
            ]
        );
    }

    #[test]
    fn a_first_text_is_all_added() {
        let d = line_diff("", "one\ntwo");
        assert!(d.iter().all(|l| l.change == LineChange::Added));
        assert_eq!(d.len(), 2);
    }
}
