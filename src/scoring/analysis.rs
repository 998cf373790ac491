//! The public entry point of the text analysis: [`analyze`] one message in its context and get
//! its language, readability, the codebook labels, the promised next update and ETA as UTC, the
//! clarity scores with their findings, and the evidence of every detection.

use chrono::NaiveDateTime;
use chrono_tz::Tz;
use serde::Serialize;

use super::clarity::{self, ClarityScores, Detections};
use super::elements::{self, Element};
use super::finding::{Evidence, Finding};
use super::honesty;
use super::jargon;
use super::labels::{Apology, Blame, EtaKind, Readers};
use super::prepared::Prepared;
use super::promise;
use super::readability::{self, Readability};
use super::rubric::ClarityRubric;
use super::services::ServiceCatalogue;
use super::times;
use super::tone;
use crate::domain::{Channel, Language, MessageKind};
use crate::text::detect_language;

/// The longest text analysed on request — the draft page, `debrief analyze` and
/// `POST /api/v1/analyze`: far more than any message, and a bound on what one request costs.
pub const MAX_TEXT_CHARS: usize = 20_000;

/// What the analysis needs to know besides the text.
#[derive(Clone, Copy)]
pub struct MessageContext<'a> {
    pub kind: MessageKind,
    pub readers: Readers,
    pub channel: Channel,
    /// The language when it is known; detected from the text otherwise.
    pub language: Option<Language>,
    /// When the message was sent (UTC), to place "14:30" or "in 30 minutes" on the calendar.
    pub sent_at: Option<NaiveDateTime>,
    /// The zone clock times in the text are read in, unless the text names one ("BST").
    pub time_zone: Tz,
    pub services: &'a ServiceCatalogue,
    /// The incident calls for a full apology (preventable or repeated).
    pub apology_expected: bool,
    pub rubric: &'a ClarityRubric,
}

impl<'a> MessageContext<'a> {
    /// A context with the organisation defaults: no sending time, Europe/Zurich, any channel.
    pub fn new(
        kind: MessageKind,
        readers: Readers,
        services: &'a ServiceCatalogue,
        rubric: &'a ClarityRubric,
    ) -> Self {
        Self {
            kind,
            readers,
            channel: Channel::Other,
            language: None,
            sent_at: None,
            time_zone: chrono_tz::Europe::Zurich,
            services,
            apology_expected: false,
            rubric,
        }
    }
}

/// The codebook's labels (shared/data/CODEBOOK.md), serialised under its names.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Labels {
    #[serde(rename = "E1_symptom")]
    pub e1_symptom: bool,
    #[serde(rename = "E2_service")]
    pub e2_service: bool,
    #[serde(rename = "E3_scope")]
    pub e3_scope: bool,
    #[serde(rename = "E4_action")]
    pub e4_action: bool,
    #[serde(rename = "E5_next_update")]
    pub e5_next_update: bool,
    #[serde(rename = "E6_workaround")]
    pub e6_workaround: bool,
    #[serde(rename = "E7_help")]
    pub e7_help: bool,
    #[serde(rename = "E8_time_window")]
    pub e8_time_window: bool,
    #[serde(rename = "E9_data")]
    pub e9_data: bool,
    #[serde(rename = "E10_cause")]
    pub e10_cause: bool,
    pub apology: Apology,
    pub concern_thanks: bool,
    pub blame: Blame,
    pub vague_time: bool,
    pub eta: EtaKind,
    pub uncertainty_ack: bool,
    /// Jargon terms as written.
    pub jargon: Vec<String>,
    /// The promised next update as written ("14:30", "30 Minuten").
    pub next_update_at: Option<String>,
}

impl Labels {
    pub fn element(&self, element: Element) -> bool {
        match element {
            Element::E1 => self.e1_symptom,
            Element::E2 => self.e2_service,
            Element::E3 => self.e3_scope,
            Element::E4 => self.e4_action,
            Element::E5 => self.e5_next_update,
            Element::E6 => self.e6_workaround,
            Element::E7 => self.e7_help,
            Element::E8 => self.e8_time_window,
            Element::E9 => self.e9_data,
            Element::E10 => self.e10_cause,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MessageAnalysis {
    pub rubric_version: i32,
    pub language: Language,
    pub readability: Readability,
    pub labels: Labels,
    /// The promised next update in UTC, when the sending time is known.
    pub next_update_at: Option<NaiveDateTime>,
    /// The stated time of resolution in UTC, when the sending time is known.
    pub eta_at: Option<NaiveDateTime>,
    pub clarity: ClarityScores,
    pub findings: Vec<Finding>,
    /// Every detection with its place in the text (byte offsets), in order.
    pub evidence: Vec<Evidence>,
}

/// Analyses one message. Pure and deterministic: the same text and context give the same result.
pub fn analyze(text: &str, ctx: &MessageContext) -> MessageAnalysis {
    let language = ctx.language.unwrap_or_else(|| detect_language(text));
    let prepared = Prepared::new(text, language);
    let readability = readability::measure(
        text,
        &prepared.segmentation,
        language,
        ctx.rubric.long_sentence_words,
    );
    let services = ctx.services.mentions(&prepared);
    let next_update = promise::next_update(&prepared);
    let element_spans = elements::detect(
        &prepared,
        &services,
        next_update.as_ref().map(|p| (p.start, p.end)),
    );
    let honesty_cues = honesty::detect(
        &prepared,
        next_update.as_ref().map(|p| prepared.clause_of(p.cue.0)),
    );
    let tone_cues = tone::detect(&prepared, !element_spans[Element::E4.index()].is_empty());
    let jargon_hits = jargon::detect(&prepared, ctx.readers, ctx.rubric.long_compound_letters);

    let labels = Labels {
        e1_symptom: !element_spans[0].is_empty(),
        e2_service: !element_spans[1].is_empty(),
        e3_scope: !element_spans[2].is_empty(),
        e4_action: !element_spans[3].is_empty(),
        e5_next_update: !element_spans[4].is_empty(),
        e6_workaround: !element_spans[5].is_empty(),
        e7_help: !element_spans[6].is_empty(),
        e8_time_window: !element_spans[7].is_empty(),
        e9_data: !element_spans[8].is_empty(),
        e10_cause: !element_spans[9].is_empty(),
        apology: tone_cues.apology,
        concern_thanks: !tone_cues.concern_thanks.is_empty(),
        blame: tone_cues.blame,
        vague_time: !honesty_cues.vague.is_empty(),
        eta: honesty_cues.eta.as_ref().map_or(EtaKind::None, |e| e.kind),
        uncertainty_ack: !honesty_cues.uncertainty.is_empty(),
        jargon: jargon_hits
            .iter()
            .map(|h| h.written(text).to_string())
            .collect(),
        next_update_at: next_update.as_ref().map(|p| p.written(text).to_string()),
    };

    let data_relevant = labels.e9_data || mentions_data(&prepared);
    let detections = Detections {
        text,
        language,
        kind: ctx.kind,
        channel: ctx.channel,
        readability: &readability,
        elements: &element_spans,
        data_relevant,
        jargon: &jargon_hits,
        tone: &tone_cues,
        honesty: &honesty_cues,
        has_next_update: next_update.is_some(),
        apology_expected: ctx.apology_expected,
    };
    let (clarity, findings) = clarity::score(&detections, ctx.rubric);

    let mut evidence = Vec::new();
    let mut add = |spans: &[(usize, usize)], label: &str| {
        for &(start, end) in spans {
            evidence.push(Evidence {
                start,
                end,
                text: text[start..end].to_string(),
                label: label.to_string(),
            });
        }
    };
    for element in Element::ALL {
        add(&element_spans[element.index()], element.label());
    }
    add(&tone_cues.apology_spans, "apology");
    add(&tone_cues.concern_thanks, "concern_thanks");
    add(&tone_cues.ownership, "ownership");
    add(&tone_cues.blame_spans, "blame");
    add(&tone_cues.shouting, "shouting");
    add(&honesty_cues.vague, "vague_time");
    add(&honesty_cues.uncertainty, "uncertainty_ack");
    if let Some(eta) = &honesty_cues.eta {
        add(&[(eta.start, eta.end)], "eta");
    }
    let jargon_spans: Vec<(usize, usize)> = jargon_hits.iter().map(|h| (h.start, h.end)).collect();
    add(&jargon_spans, "jargon");
    if let Some(p) = &next_update {
        add(&[(p.expression.start, p.expression.end)], "next_update_at");
    }
    evidence.sort_by(|a, b| (a.start, a.end, &a.label).cmp(&(b.start, b.end, &b.label)));

    MessageAnalysis {
        rubric_version: super::RUBRIC_VERSION,
        language,
        readability,
        next_update_at: next_update
            .as_ref()
            .and_then(|p| p.resolve(ctx.sent_at, ctx.time_zone)),
        eta_at: honesty_cues.eta.as_ref().and_then(|e| {
            ctx.sent_at
                .and_then(|sent| times::resolve(e.expression.value, sent, ctx.time_zone))
        }),
        labels,
        clarity,
        findings,
        evidence,
    }
}

/// Whether data, payments or security come up at all, which makes E9 expected.
fn mentions_data(text: &Prepared) -> bool {
    const WORDS: &[&str] = &[
        "data",
        "daten",
        "payment",
        "zahlung",
        "charged",
        "belastet",
        "security",
        "sicherheit",
        "password",
        "passwort",
        "backup",
        "sicherung",
        "submission",
        "abgabe",
    ];
    let lower = &text.folded.lower;
    WORDS.iter().any(|w| lower.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn context<'a>(
        kind: MessageKind,
        services: &'a ServiceCatalogue,
        rubric: &'a ClarityRubric,
    ) -> MessageContext<'a> {
        MessageContext::new(kind, Readers::Lay, services, rubric)
    }

    #[test]
    fn a_good_german_initial_message() {
        let services = ServiceCatalogue::default();
        let rubric = ClarityRubric::default();
        let mut ctx = context(MessageKind::Initial, &services, &rubric);
        ctx.sent_at = NaiveDate::from_ymd_opt(2026, 3, 10).and_then(|d| d.and_hms_opt(8, 0, 0));
        let text = "Seit 9:12 Uhr ist das E-Mail-System für alle Mitarbeitenden nicht erreichbar. \
                    Wir arbeiten an der Behebung. Webmail funktioniert weiterhin. \
                    Nächstes Update um 10:30 Uhr. Bei Fragen: Servicedesk, Tel. 4455.";
        let a = analyze(text, &ctx);
        assert_eq!(a.language, Language::De);
        let l = &a.labels;
        assert!(l.e1_symptom && l.e2_service && l.e3_scope && l.e4_action && l.e5_next_update);
        assert!(l.e6_workaround && l.e7_help && l.e8_time_window);
        assert_eq!(l.next_update_at.as_deref(), Some("10:30 Uhr"));
        // 10:30 in Zurich on 10 March is 09:30 UTC.
        assert_eq!(
            a.next_update_at,
            NaiveDate::from_ymd_opt(2026, 3, 10).and_then(|d| d.and_hms_opt(9, 30, 0))
        );
        assert_eq!(a.clarity.completeness, 100.0);
        assert!(a.findings.iter().all(|f| !f.code.ends_with(".missing")));
        assert!(
            a.evidence
                .iter()
                .any(|e| e.label == "E2_service" && e.text == "E-Mail")
        );
    }

    #[test]
    fn a_poor_english_update_gets_findings_with_suggestions() {
        let services = ServiceCatalogue::default();
        let rubric = ClarityRubric::default();
        let ctx = context(MessageKind::Update, &services, &rubric);
        let text = "Update: the rollback of the k8s cluster is ongoing. Further updates will follow shortly.";
        let a = analyze(text, &ctx);
        assert_eq!(a.language, Language::En);
        assert!(a.labels.vague_time);
        assert!(!a.labels.e5_next_update);
        let codes: Vec<&str> = a.findings.iter().map(|f| f.code.as_str()).collect();
        assert!(codes.contains(&"E5.missing"));
        assert!(codes.contains(&"honesty.vague_time"));
        assert!(codes.contains(&"jargon"));
        let rollback = a
            .findings
            .iter()
            .find(|f| f.code == "jargon" && f.evidence.iter().any(|e| e.text == "rollback"))
            .expect("a jargon finding for rollback");
        assert_eq!(
            rollback.text_en,
            "Replace 'rollback' with 'undo the change'."
        );
        assert!(a.clarity.honesty < 70.0);
        assert!(a.clarity.total < 70.0);
    }

    #[test]
    fn analysis_is_deterministic_and_offsets_point_into_the_text() {
        let services = ServiceCatalogue::default();
        let rubric = ClarityRubric::default();
        let ctx = context(MessageKind::Resolution, &services, &rubric);
        let text = "Das Bezahlen mit Karte klappt wieder. Der Ausfall dauerte von 8.40 bis 9.55 Uhr. Keine Zahlung wurde doppelt belastet.";
        let first = analyze(text, &ctx);
        let second = analyze(text, &ctx);
        assert_eq!(first, second);
        for e in &first.evidence {
            assert_eq!(&text[e.start..e.end], e.text);
        }
        assert!(first.labels.e8_time_window && first.labels.e9_data);
    }

    #[test]
    fn forced_language_and_technical_readers() {
        let services = ServiceCatalogue::default();
        let rubric = ClarityRubric::default();
        let mut ctx =
            MessageContext::new(MessageKind::Update, Readers::Technical, &services, &rubric);
        ctx.language = Some(Language::De);
        let a = analyze("Der Rollback ist im Gang, ETA 20 Min.", &ctx);
        assert_eq!(a.language, Language::De);
        assert!(a.labels.jargon.is_empty());
        assert_eq!(a.labels.eta, EtaKind::Hedged);
    }

    #[test]
    fn labels_serialise_under_the_codebook_names() {
        let services = ServiceCatalogue::default();
        let rubric = ClarityRubric::default();
        let ctx = context(MessageKind::Initial, &services, &rubric);
        let a = analyze("The website is down.", &ctx);
        let json = serde_json::to_value(&a.labels).expect("labels serialise");
        for name in [
            "E1_symptom",
            "E2_service",
            "E3_scope",
            "E4_action",
            "E5_next_update",
            "E6_workaround",
            "E7_help",
            "E8_time_window",
            "E9_data",
            "E10_cause",
            "apology",
            "concern_thanks",
            "blame",
            "vague_time",
            "eta",
            "uncertainty_ack",
            "jargon",
            "next_update_at",
        ] {
            assert!(json.get(name).is_some(), "{name} is missing");
        }
        assert_eq!(json["apology"], "none");
    }

    #[test]
    fn arbitrary_text_never_panics_and_evidence_stays_on_char_boundaries() {
        let services = ServiceCatalogue::default();
        let rubric = ClarityRubric::default();
        let pieces = [
            "E-Mail",
            "ẞ",
            "İ",
            "ü",
            "Ä",
            "🙏",
            "\n",
            " ",
            ".",
            "..",
            "!!",
            "z. B.",
            "14:30",
            "15.30 Uhr",
            "seit",
            "since",
            "nicht",
            "down",
            "@x",
            "http://a.de/ü",
            "a@b.ch",
            "+41 44 123 45 67",
            "–",
            "’",
            "'",
            "Teams",
            "DNS",
            "bis",
            "ca.",
            "2021-07-15 14:00 US/Pacific",
            "in 30 Min.",
            "ß",
        ];
        // A fixed linear congruential sequence: the same texts on every run.
        let mut state: u64 = 42;
        for _ in 0..1500 {
            let mut text = String::new();
            for _ in 0..(state % 24) {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(pieces[(state >> 33) as usize % pieces.len()]);
            }
            for kind in [MessageKind::Initial, MessageKind::Resolution] {
                let a = analyze(&text, &context(kind, &services, &rubric));
                for e in &a.evidence {
                    assert_eq!(text.get(e.start..e.end), Some(e.text.as_str()));
                }
                assert!((0.0..=100.0).contains(&a.clarity.total), "{text:?}");
            }
        }
    }
}
