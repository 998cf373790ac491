//! Blameless by design: a gentle warning when review text names a person (or the users) as the
//! cause. It reuses the blame cues of the message scoring, and also treats the names of the
//! organisation's people and the review's participants as a person.

use serde::Serialize;

use crate::domain::Language;
use crate::scoring::Blame;
use crate::scoring::prepared::Prepared;

/// One passage that reads like blame, with whom it blames.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BlameWarning {
    /// `individual` or `user`.
    pub blames: &'static str,
    /// The paragraph or list item it was found in, shortened.
    pub passage: String,
}

const PASSAGE_CHARS: usize = 160;

/// Paragraphs and list items, each judged on its own so one text can warn more than once.
fn passages(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let trimmed = line.trim();
        let starts_item = trimmed.starts_with("- ")
            || trimmed.starts_with("* ")
            || trimmed
                .split_once(". ")
                .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
        if trimmed.is_empty() || starts_item {
            if !current.trim().is_empty() {
                out.push(current.trim().to_string());
            }
            current.clear();
        }
        if !trimmed.is_empty() {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(if starts_item {
                without_marker(trimmed)
            } else {
                trimmed
            });
        }
    }
    if !current.trim().is_empty() {
        out.push(current.trim().to_string());
    }
    out
}

fn without_marker(item: &str) -> &str {
    item.strip_prefix("- ")
        .or_else(|| item.strip_prefix("* "))
        .or_else(|| item.split_once(". ").map(|(_, rest)| rest))
        .unwrap_or(item)
        .trim_start()
}

/// The passage with every known name replaced by a word the blame cues read as a person.
fn with_names_as_person(passage: &str, names: &[String], language: Language) -> String {
    let stand_in = match language {
        Language::De => "ein Kollege",
        Language::En => "a colleague",
    };
    let mut text = passage.to_string();
    for name in names {
        let name = name.trim();
        if name.chars().count() < 3 {
            continue;
        }
        let lower = text.to_lowercase();
        let wanted = name.to_lowercase();
        // Lower-casing can change byte lengths (rare letters); then the names stay as they are.
        if lower.len() != text.len() {
            continue;
        }
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for (i, _) in lower.match_indices(&wanted) {
            let before = text[..i].chars().next_back();
            let after = text[i + wanted.len()..].chars().next();
            let word = before.is_none_or(|c| !c.is_alphanumeric())
                && after.is_none_or(|c| !c.is_alphanumeric());
            if word && i >= at {
                out.push_str(&text[at..i]);
                out.push_str(stand_in);
                at = i + wanted.len();
            }
        }
        out.push_str(&text[at..]);
        text = out;
    }
    text
}

fn shortened(passage: &str) -> String {
    if passage.chars().count() <= PASSAGE_CHARS {
        return passage.to_string();
    }
    let cut: String = passage.chars().take(PASSAGE_CHARS - 1).collect();
    format!("{}…", cut.trim_end())
}

/// Passages of `text` that name a person (or the users) as the cause. `names`: people the text
/// may mention by name (first names work as well as full names).
pub fn warnings(text: &str, names: &[String], fallback: Language) -> Vec<BlameWarning> {
    let mut out = Vec::new();
    for passage in passages(&crate::text::markdown::to_text(text)) {
        let language = crate::text::detect_language_or(&passage, fallback);
        let judged = with_names_as_person(&passage, names, language);
        let prepared = Prepared::new(&judged, language);
        let blames = match crate::scoring::tone::detect(&prepared, false).blame {
            Blame::Individual => "individual",
            Blame::User => "user",
            Blame::None | Blame::ThirdParty => continue,
        };
        out.push(BlameWarning {
            blames,
            passage: shortened(&passage),
        });
    }
    out
}

/// The names a review text may mention: full names and first names of people.
pub fn known_names<'a>(people: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for full in people {
        let full = full.trim();
        for candidate in [Some(full), full.split_whitespace().next()]
            .into_iter()
            .flatten()
        {
            if candidate.chars().count() >= 3 && !out.iter().any(|n| n == candidate) {
                out.push(candidate.to_string());
            }
        }
    }
    // Longer names first, so "Martin Keller" is replaced before "Martin".
    out.sort_by_key(|n| std::cmp::Reverse(n.chars().count()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_person_as_the_cause_is_flagged() {
        let w = warnings(
            "- The hotline worked well.\n- A member of our IT team applied an incorrect setting.",
            &[],
            Language::En,
        );
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!(w[0].blames, "individual");
        assert!(w[0].passage.starts_with("A member of our IT team"));
    }

    #[test]
    fn a_named_colleague_counts_as_a_person() {
        let names = known_names(["Martin Keller", "Anna Schmid"]);
        let de = warnings(
            "Martin hat versehentlich das falsche Zertifikat eingespielt.",
            &names,
            Language::De,
        );
        assert_eq!(de.len(), 1, "{de:?}");
        assert_eq!(de[0].blames, "individual");
        let en = warnings(
            "Anna Schmid made a mistake in the DNS change.",
            &names,
            Language::En,
        );
        assert_eq!(en.len(), 1, "{en:?}");
        // A name as part of another word is not the person.
        assert!(warnings("Martinsried had an incorrect route.", &names, Language::En).is_empty());
    }

    #[test]
    fn describing_the_system_is_not_blame() {
        assert!(
            warnings(
                "The certificate expired because the renewal job was not monitored. We will add an alert.",
                &known_names(["Martin Keller"]),
                Language::En
            )
            .is_empty()
        );
        assert!(
            warnings(
                "Martin koordinierte die Updates an die Geschäftsleitung.",
                &known_names(["Martin Keller"]),
                Language::De
            )
            .is_empty()
        );
    }

    #[test]
    fn users_as_the_cause_are_flagged_too() {
        let w = warnings(
            "This is because users are typing the wrong password.",
            &[],
            Language::En,
        );
        assert_eq!(w.iter().map(|w| w.blames).collect::<Vec<_>>(), ["user"]);
    }

    #[test]
    fn names_are_full_and_first_longest_first() {
        assert_eq!(
            known_names(["Jo Li", "Martin Keller", "Martin Keller"]),
            vec!["Martin Keller", "Martin", "Jo Li"]
        );
    }
}
