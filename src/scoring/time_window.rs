//! E8, the time window of an outage: "since 09:12" where the sentence reports the problem,
//! "between 14:02 and 15:26", "um 02:14 abgebrochen", "seit gestern"; not an end time such as
//! "working again since 14:20".

use super::cues::Hit;
use super::element_cues::Cue;
use super::elements::Clauses;
use super::prepared::Prepared;
use super::times::TimeValue;

/// E8: a start time or window. "since 09:12" counts where the sentence reports the problem (an
/// end time like "working again since 14:20" does not); a range of clock times always counts.
pub(super) fn detect(text: &Prepared, c: &Clauses) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (i, clause) in c.by_clause.iter().enumerate() {
        let reports_problem = c.has(clause, Cue::Symptom);
        if reports_problem {
            out.extend(c.with(clause, Cue::Window).map(|h| (h.start, h.end)));
            for since in c.with(clause, Cue::Since) {
                let follows = text.times.iter().find(|t| {
                    t.start >= since.end
                        && t.start <= since.end + 12
                        && matches!(t.value, TimeValue::Clock { .. } | TimeValue::Day { .. })
                });
                if let Some(t) = follows
                    && !ends_recovery(clause, since)
                {
                    out.push((since.start, t.end));
                }
            }
            for at in start_times(text, i) {
                out.push(at);
            }
        }
    }
    out.extend(clock_ranges(text));
    out.sort_unstable();
    out.dedup();
    out
}

/// "working again since 14:20", "seit 14.10 Uhr wieder": the nearest state before "since" is the
/// service working, so the time is when the problem ended.
fn ends_recovery(clause: &[Hit<Cue>], since: &Hit<Cue>) -> bool {
    clause
        .iter()
        .filter(|h| h.end <= since.start)
        .filter(|h| matches!(h.label, Cue::Symptom | Cue::Works | Cue::Again))
        .max_by_key(|h| (h.end, h.label == Cue::Symptom))
        .is_some_and(|h| h.label != Cue::Symptom)
}

/// "broke at 02:14", "um 02:14 abgebrochen": a clock time after "at"/"um" in a sentence that
/// reports the problem.
fn start_times(text: &Prepared, clause: usize) -> Vec<(usize, usize)> {
    text.times
        .iter()
        .filter(|t| text.clause_of(t.start) == clause)
        .filter(|t| matches!(t.value, TimeValue::Clock { .. }))
        .filter(|t| {
            let before = text.text[..t.start].trim_end().to_lowercase();
            before.ends_with(" at") || before.ends_with(" um")
        })
        .map(|t| (t.start, t.end))
        .collect()
}

/// Two clock times joined by "–", "to", "bis", "and", "und": an outage window.
fn clock_ranges(text: &Prepared) -> Vec<(usize, usize)> {
    let clocks: Vec<_> = text
        .times
        .iter()
        .filter(|t| matches!(t.value, TimeValue::Clock { .. }))
        .collect();
    clocks
        .windows(2)
        .filter(|pair| {
            let between = text.text[pair[0].end..pair[1].start].trim().to_lowercase();
            let between = between.trim_start_matches("about").trim();
            matches!(
                between,
                "–" | "-" | "—" | "to" | "bis" | "and" | "und" | "until"
            ) || between == "to about"
                || between == "bis ca."
        })
        .map(|pair| (pair[0].start, pair[1].end))
        .collect()
}
