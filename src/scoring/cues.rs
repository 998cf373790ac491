//! Cue phrases: the lexicon matcher every rule uses. A list of phrases, each tagged with what it
//! means, compiled once into an Aho-Corasick automaton and matched against a case-folded copy of
//! the message that keeps the byte offsets of the original, so each hit is evidence in the text.
//!
//! Phrase syntax: `*` at the start lets the phrase end a longer word ("*ausfall" finds
//! "Stromausfall"), `*` at the end lets it begin one ("störung*" finds "Störungen"); a phrase that
//! starts with `=` must match with its capitals ("=Teams", not "teams"), except in a text written
//! in capitals. A space matches any single whitespace character; an apostrophe also matches ’.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

/// The text in lower case, byte for byte where lower-casing keeps the length, with whitespace
/// as plain spaces and typographic apostrophes untouched (the patterns carry both forms).
pub struct Folded<'t> {
    pub original: &'t str,
    pub lower: String,
}

impl<'t> Folded<'t> {
    pub fn new(original: &'t str) -> Self {
        let mut lower = String::with_capacity(original.len());
        for c in original.chars() {
            if c.is_whitespace() && c.len_utf8() == 1 {
                lower.push(' ');
                continue;
            }
            let mut it = c.to_lowercase();
            match (it.next(), it.next()) {
                (Some(l), None) if l.len_utf8() == c.len_utf8() => lower.push(l),
                _ => lower.push(c),
            }
        }
        Self { original, lower }
    }
}

/// One match of a cue phrase; `start..end` are byte offsets into the original text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit<L> {
    pub label: L,
    pub start: usize,
    pub end: usize,
}

struct Pattern<L> {
    label: L,
    open_left: bool,
    open_right: bool,
    /// The spelling that must be matched exactly (for `=` phrases).
    exact: Option<String>,
}

pub struct CueSet<L> {
    automaton: AhoCorasick,
    patterns: Vec<Pattern<L>>,
}

impl<L: Copy> CueSet<L> {
    /// Compiles the phrases. They are the project's own constant lists, so an automaton that
    /// cannot be built is a programming error caught by every test.
    pub fn new(entries: &[(L, &str)]) -> Self {
        let mut needles: Vec<String> = Vec::with_capacity(entries.len());
        let mut patterns = Vec::with_capacity(entries.len());
        for &(label, phrase) in entries {
            let (exact, phrase) = match phrase.strip_prefix('=') {
                Some(rest) => (true, rest),
                None => (false, phrase),
            };
            let open_left = phrase.starts_with('*');
            let open_right = phrase.ends_with('*');
            let core = phrase.trim_matches('*');
            let lower = core.to_lowercase();
            let mut spellings = vec![lower.clone()];
            if lower.contains('\'') {
                spellings.push(lower.replace('\'', "’"));
            }
            for spelling in spellings {
                needles.push(spelling.clone());
                patterns.push(Pattern {
                    label,
                    open_left,
                    open_right,
                    exact: exact.then(|| {
                        if spelling == lower {
                            core.to_string()
                        } else {
                            core.replace('\'', "’")
                        }
                    }),
                });
            }
        }
        // A full DFA: more memory, but the lists are small and every message is scanned.
        let automaton = AhoCorasickBuilder::new()
            .kind(Some(AhoCorasickKind::DFA))
            .match_kind(MatchKind::Standard)
            .build(&needles)
            .expect("cue phrases compile");
        Self {
            automaton,
            patterns,
        }
    }

    /// Like [`CueSet::new`] for phrases grouped by what they mean.
    pub fn from_groups(groups: &[(L, &[&str])]) -> Self {
        let entries: Vec<(L, &str)> = groups
            .iter()
            .flat_map(|(label, phrases)| phrases.iter().map(move |p| (*label, *p)))
            .collect();
        Self::new(&entries)
    }

    /// Every hit in `text`, in order of position (overlapping hits included).
    pub fn find(&self, text: &Folded) -> Vec<Hit<L>> {
        let mut hits = Vec::new();
        for m in self.automaton.find_overlapping_iter(&text.lower) {
            let pattern = &self.patterns[m.pattern().as_usize()];
            let (start, end) = (m.start(), m.end());
            if !pattern.open_left && continues_word_before(text.original, start) {
                continue;
            }
            if !pattern.open_right && continues_word_after(text.original, end) {
                continue;
            }
            if let Some(exact) = &pattern.exact {
                let found = &text.original[start..end];
                let shouted = found.chars().all(|c| !c.is_lowercase());
                if found != exact && !shouted {
                    continue;
                }
            }
            hits.push(Hit {
                label: pattern.label,
                start,
                end,
            });
        }
        hits.sort_by_key(|h| (h.start, h.end));
        hits
    }
}

fn continues_word_before(text: &str, at: usize) -> bool {
    text[..at]
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric)
}

fn continues_word_after(text: &str, at: usize) -> bool {
    text[at..].chars().next().is_some_and(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Tag {
        A,
        B,
    }

    fn found(set: &CueSet<Tag>, text: &str) -> Vec<(Tag, String)> {
        set.find(&Folded::new(text))
            .into_iter()
            .map(|h| (h.label, text[h.start..h.end].to_string()))
            .collect()
    }

    #[test]
    fn whole_words_unless_open() {
        let set = CueSet::new(&[(Tag::A, "app"), (Tag::B, "*ausfall*")]);
        assert_eq!(
            found(
                &set,
                "Die App und der Stromausfälle; Stromausfall heute, applications"
            ),
            vec![(Tag::A, "App".into()), (Tag::B, "ausfall".into())]
        );
        assert_eq!(
            found(&set, "Web-App"),
            vec![(Tag::A, "App".into())],
            "a hyphen ends a word"
        );
    }

    #[test]
    fn offsets_survive_umlauts_and_line_breaks() {
        let set = CueSet::new(&[(Tag::A, "störung behoben")]);
        let text = "Ärger: Die STÖRUNG\nbehoben.";
        let hits = set.find(&Folded::new(text));
        assert_eq!(hits.len(), 1);
        assert_eq!(&text[hits[0].start..hits[0].end], "STÖRUNG\nbehoben");
    }

    #[test]
    fn exact_capitals_and_apostrophes() {
        let set = CueSet::new(&[(Tag::A, "=Teams"), (Tag::B, "we're sorry")]);
        assert_eq!(
            found(
                &set,
                "Our teams are on it. Teams is down. TEAMS DOWN. We’re sorry"
            ),
            vec![
                (Tag::A, "Teams".into()),
                (Tag::A, "TEAMS".into()),
                (Tag::B, "We’re sorry".into())
            ]
        );
    }
}
