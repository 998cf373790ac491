//! A message text made ready once for every rule: case-folded, segmented into sentences (and
//! the clauses that also cover lines without prose), its non-prose parts and time expressions
//! found.

use super::cues::{CueSet, Folded, Hit};
use super::segment::{self, Segmentation};
use super::times::{self, TimeExpression};
use crate::domain::Language;

pub struct Prepared<'t> {
    pub text: &'t str,
    pub folded: Folded<'t>,
    pub language: Language,
    pub segmentation: Segmentation,
    pub times: Vec<TimeExpression>,
}

impl<'t> Prepared<'t> {
    pub fn new(text: &'t str, language: Language) -> Self {
        let segmentation = segment::segment(text);
        Self {
            text,
            folded: Folded::new(text),
            language,
            times: times::find(text),
            segmentation,
        }
    }

    /// Hits of the cue set for the message's language, leaving out those inside URLs, e-mail
    /// addresses and other non-prose spans.
    pub fn hits<L: Copy>(&self, en: &CueSet<L>, de: &CueSet<L>) -> Vec<Hit<L>> {
        let set = match self.language {
            Language::En => en,
            Language::De => de,
        };
        set.find(&self.folded)
            .into_iter()
            .filter(|h| !self.in_non_prose(h.start, h.end))
            .collect()
    }

    pub fn in_non_prose(&self, start: usize, end: usize) -> bool {
        self.segmentation
            .non_prose
            .iter()
            .any(|n| start < n.end && n.start < end && n.kind != segment::NonProseKind::ClockTime)
    }

    /// Index of the clause (sentence or line) that contains byte `at`.
    pub fn clause_of(&self, at: usize) -> usize {
        self.segmentation
            .clauses
            .iter()
            .position(|&(s, e)| at >= s && at < e)
            .unwrap_or(self.segmentation.clauses.len().saturating_sub(1))
    }

    pub fn clause_text(&self, index: usize) -> &'t str {
        self.segmentation
            .clauses
            .get(index)
            .map_or("", |&(s, e)| &self.text[s..e])
    }
}
