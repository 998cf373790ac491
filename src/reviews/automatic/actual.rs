//! The "actual" section: key facts from the timeline and the scorecard.

use chrono::NaiveDateTime;

use super::{Clock, plain, score, tr, whole};
use crate::domain::{Channel, Message};
use crate::scoring::scorecard::Scorecard;
use crate::scoring::timeliness::PromiseOutcome;

/// How many silences the section lists: the longest ones say enough.
const LISTED_SILENCES: usize = 3;
const EXCERPT_CHARS: usize = 80;

#[derive(Debug, Clone, PartialEq)]
pub struct FirstMessage {
    pub audience: String,
    /// Minutes from detection; `None` when the audience was never informed.
    pub minutes: Option<f64>,
    pub target: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Gap {
    pub audience: String,
    pub from: NaiveDateTime,
    pub to: NaiveDateTime,
    pub minutes: f64,
    pub target: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BrokenPromise {
    pub audience: String,
    pub due_at: NaiveDateTime,
    pub answered_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ClarityNote {
    pub clarity: f64,
    pub sent_at: NaiveDateTime,
    pub channel: Channel,
    pub excerpt: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ActualFacts {
    pub timeliness: Option<f64>,
    pub clarity: Option<f64>,
    pub overall: Option<f64>,
    pub rubric_version: i32,
    pub first_messages: Vec<FirstMessage>,
    /// The longest silences past their target, longest first.
    pub silences: Vec<Gap>,
    pub broken_promises: Vec<BrokenPromise>,
    pub clearest: Option<ClarityNote>,
    pub least_clear: Option<ClarityNote>,
}

/// A message as one line: its subject, or the start of its text.
fn excerpt(m: &Message) -> String {
    let source = m
        .subject
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or(&m.body);
    let line = source.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() > EXCERPT_CHARS {
        let cut: String = line.chars().take(EXCERPT_CHARS - 1).collect();
        format!("{}…", cut.trim_end())
    } else {
        line
    }
}

impl ActualFacts {
    /// The facts of the "actual" section from a scorecard and the messages it scored;
    /// `name` gives an audience key's name in the review's language.
    pub fn from_scorecard(
        card: &Scorecard,
        messages: &[Message],
        name: &dyn Fn(&str) -> String,
    ) -> Self {
        let first_messages = card
            .audiences
            .iter()
            .map(|a| FirstMessage {
                audience: name(&a.key),
                minutes: a.first_message_min,
                target: a.first_message_target_min,
            })
            .collect();
        let mut silences: Vec<Gap> = card
            .timeline
            .audiences
            .iter()
            .flat_map(|a| {
                a.timeline.silences.iter().filter(|s| s.late).map(|s| Gap {
                    audience: name(&a.key),
                    from: s.from,
                    to: s.to,
                    minutes: s.minutes,
                    target: s.target_min,
                })
            })
            .collect();
        silences.sort_by(|a, b| b.minutes.total_cmp(&a.minutes).then(a.from.cmp(&b.from)));
        silences.truncate(LISTED_SILENCES);
        let mut broken_promises: Vec<BrokenPromise> = card
            .timeline
            .audiences
            .iter()
            .flat_map(|a| {
                a.timeline
                    .promises
                    .iter()
                    .filter(|p| p.outcome == PromiseOutcome::Broken)
                    .map(|p| BrokenPromise {
                        audience: name(&a.key),
                        due_at: p.due_at,
                        answered_at: p.answered_at,
                    })
            })
            .collect();
        broken_promises.sort_by_key(|p| p.due_at);
        let note = |s: &crate::scoring::scorecard::MessageScore| {
            messages
                .iter()
                .find(|m| m.id == s.message_id)
                .map(|m| ClarityNote {
                    clarity: s.clarity,
                    sent_at: s.sent_at,
                    channel: s.channel,
                    excerpt: excerpt(m),
                })
        };
        // Ties go to the earlier message, so the same scorecard always names the same ones.
        let clearest = card
            .messages
            .iter()
            .max_by(|a, b| {
                a.clarity
                    .total_cmp(&b.clarity)
                    .then(b.sent_at.cmp(&a.sent_at))
            })
            .and_then(note);
        let least_clear = card
            .messages
            .iter()
            .min_by(|a, b| {
                a.clarity
                    .total_cmp(&b.clarity)
                    .then(a.sent_at.cmp(&b.sent_at))
            })
            .filter(|_| card.messages.len() > 1)
            .and_then(note);
        Self {
            timeliness: card.timeliness,
            clarity: card.clarity,
            overall: card.overall,
            rubric_version: card.rubric_version,
            first_messages,
            silences,
            broken_promises,
            clearest,
            least_clear,
        }
    }
}

fn heading(out: &mut String, lang: &str, key: &str) {
    out.push_str("\n\n**");
    out.push_str(&tr(lang, key, &[]));
    out.push_str("**\n\n");
}

pub fn actual(f: &ActualFacts, clock: &Clock) -> String {
    let lang = clock.lang;
    let mut out = tr(
        lang,
        "scores",
        &[
            ("timeliness", score(f.timeliness)),
            ("clarity", score(f.clarity)),
            ("overall", score(f.overall)),
            ("version", f.rubric_version.to_string()),
        ],
    );

    heading(&mut out, lang, "first_heading");
    for m in &f.first_messages {
        let audience = plain(&m.audience);
        let line = match m.minutes {
            None => tr(lang, "first_never", &[("audience", audience)]),
            Some(min) if min.round() <= m.target.round() => tr(
                lang,
                "first_on_time",
                &[
                    ("audience", audience),
                    ("minutes", whole(min)),
                    ("target", whole(m.target)),
                ],
            ),
            Some(min) => tr(
                lang,
                "first_late",
                &[
                    ("audience", audience),
                    ("minutes", whole(min)),
                    ("target", whole(m.target)),
                    ("over", whole(min - m.target)),
                ],
            ),
        };
        out.push_str(&format!("- {line}\n"));
    }

    heading(&mut out, lang, "silences_heading");
    if f.silences.is_empty() {
        out.push_str(&tr(lang, "silences_none", &[]));
    }
    for g in &f.silences {
        let line = tr(
            lang,
            "silence",
            &[
                ("audience", plain(&g.audience)),
                ("minutes", whole(g.minutes)),
                ("from", clock.at(g.from)),
                ("to", clock.at(g.to)),
                ("target", whole(g.target)),
            ],
        );
        out.push_str(&format!("- {line}\n"));
    }

    heading(&mut out, lang, "promises_heading");
    if f.broken_promises.is_empty() {
        out.push_str(&tr(lang, "promises_none", &[]));
    }
    for p in &f.broken_promises {
        let line = match p.answered_at {
            Some(a) => tr(
                lang,
                "promise_late",
                &[
                    ("audience", plain(&p.audience)),
                    ("due", clock.at(p.due_at)),
                    ("answered", clock.at(a)),
                ],
            ),
            None => tr(
                lang,
                "promise_never",
                &[
                    ("audience", plain(&p.audience)),
                    ("due", clock.at(p.due_at)),
                ],
            ),
        };
        out.push_str(&format!("- {line}\n"));
    }

    heading(&mut out, lang, "never_heading");
    let never: Vec<String> = f
        .first_messages
        .iter()
        .filter(|m| m.minutes.is_none())
        .map(|m| plain(&m.audience))
        .collect();
    if never.is_empty() {
        out.push_str(&tr(lang, "never_none", &[]));
    } else {
        out.push_str(&never.join(", "));
    }

    heading(&mut out, lang, "clarity_heading");
    let mut notes = Vec::new();
    for (key, note) in [("clearest", &f.clearest), ("least_clear", &f.least_clear)] {
        if let Some(n) = note {
            notes.push(format!(
                "- {}",
                tr(
                    lang,
                    key,
                    &[
                        ("score", whole(n.clarity)),
                        ("time", clock.at(n.sent_at)),
                        (
                            "channel",
                            crate::i18n::translate(lang, &format!("channel.{}", n.channel))
                        ),
                        ("excerpt", plain(&n.excerpt)),
                    ],
                )
            ));
        }
    }
    if notes.is_empty() {
        out.push_str(&tr(lang, "no_messages", &[]));
    } else {
        out.push_str(&notes.join("\n"));
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::super::samples::{clock, t};
    use super::*;

    fn facts() -> ActualFacts {
        ActualFacts {
            timeliness: Some(61.6),
            clarity: Some(70.2),
            overall: Some(65.9),
            rubric_version: 1,
            first_messages: vec![
                FirstMessage {
                    audience: "IT users / employees".into(),
                    minutes: Some(52.0),
                    target: 30.0,
                },
                FirstMessage {
                    audience: "Customers".into(),
                    minutes: Some(18.4),
                    target: 30.0,
                },
                FirstMessage {
                    audience: "Management".into(),
                    minutes: None,
                    target: 30.0,
                },
            ],
            silences: vec![Gap {
                audience: "Customers".into(),
                // 09:04–10:39 in Zurich (UTC+1 in March).
                from: t(8, 4),
                to: t(9, 39),
                minutes: 95.0,
                target: 60.0,
            }],
            broken_promises: vec![
                BrokenPromise {
                    audience: "IT users / employees".into(),
                    due_at: t(9, 30),
                    answered_at: Some(t(10, 5)),
                },
                BrokenPromise {
                    audience: "Customers".into(),
                    due_at: t(11, 0),
                    answered_at: None,
                },
            ],
            clearest: Some(ClarityNote {
                clarity: 84.4,
                sent_at: t(7, 58),
                channel: Channel::Email,
                excerpt: "Störung *E-Mail*".into(),
            }),
            least_clear: None,
        }
    }

    #[test]
    fn actual_names_first_messages_silences_promises_and_clarity() {
        let en = actual(&facts(), &clock("en"));
        for expected in [
            "Measured scores: timeliness 62, clarity 70, overall 66 (rubric version 1).",
            "- IT users / employees: first message 52 min after detection (target 30 min), 22 min late",
            "- Customers: first message 18 min after detection (target 30 min), on time",
            "- Management: never informed",
            "- Customers: 95 min without news (09:04–10:39; target 60 min)",
            "- IT users / employees: the update promised for 10:30 came at 11:05",
            "- Customers: the update promised for 12:00 never came",
            "**Audiences never informed**\n\nManagement",
            "Clearest message: 84 – 08:58, E-mail: “Störung \\*E-Mail\\*”",
        ] {
            assert!(en.contains(expected), "missing {expected:?} in\n{en}");
        }
        let de = actual(&facts(), &clock("de"));
        assert!(de.contains("nie informiert"), "{de}");
        assert!(!de.contains("review.auto"), "{de}");
    }

    #[test]
    fn a_clean_record_says_so() {
        let f = ActualFacts {
            first_messages: vec![],
            silences: vec![],
            broken_promises: vec![],
            clearest: None,
            ..facts()
        };
        let en = actual(&f, &clock("en"));
        assert!(
            en.contains("No silence was longer than its target."),
            "{en}"
        );
        assert!(en.contains("No promised update was broken."), "{en}");
        assert!(en.contains("Every affected audience was informed."), "{en}");
        assert!(en.contains("No message was sent."), "{en}");
    }
}
