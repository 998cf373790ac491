//! Every word a report prints that does not come from the model, in English and German.

use super::model::{ActionStatus, FindingSeverity, Lang, MessageKind, PhaseKind, Priority};

pub struct Texts {
    pub lang: Lang,
    pub incident_report: &'static str,
    pub portfolio_report: &'static str,
    pub subtitle: &'static str,
    pub prepared_for: &'static str,
    pub generated: &'static str,
    pub page_of: &'static str,
    pub contents: &'static str,

    pub executive_summary: &'static str,
    pub overall: &'static str,
    pub timeliness: &'static str,
    pub clarity: &'static str,
    pub perceived: &'static str,
    pub not_measured: &'static str,
    pub top_findings: &'static str,
    pub top_actions: &'static str,
    pub no_findings: &'static str,
    pub no_actions: &'static str,

    pub facts: &'static str,
    pub key: &'static str,
    pub title: &'static str,
    pub kind: &'static str,
    pub severity: &'static str,
    pub status: &'static str,
    pub detected: &'static str,
    pub started: &'static str,
    pub resolved: &'static str,
    pub affected_services: &'static str,
    pub audiences: &'static str,

    pub timeline_title: &'static str,
    pub timeline_caption: &'static str,
    pub first_message_title: &'static str,
    pub first_message_caption: &'static str,
    pub update_gaps_title: &'static str,
    pub update_gaps_caption: &'static str,
    pub per_audience: &'static str,
    pub audience: &'static str,
    pub first_message: &'static str,
    pub target: &'static str,
    pub no_message: &'static str,
    pub minutes_after_detection: &'static str,
    pub minutes: &'static str,
    pub message: &'static str,
    pub late_message: &'static str,
    pub promise_kept: &'static str,
    pub promise_missed: &'static str,
    pub silence: &'static str,
    pub late_silence: &'static str,
    pub longest_silence: &'static str,
    pub late_of: &'static str,
    pub messages_binned: &'static str,

    pub clarity_title: &'static str,
    pub clarity_caption: &'static str,
    pub message_findings: &'static str,
    pub no_messages: &'static str,
    pub sent: &'static str,
    pub channel: &'static str,
    pub message_kind: &'static str,
    pub findings: &'static str,
    pub score: &'static str,

    pub perception: &'static str,
    pub response_rates_title: &'static str,
    pub invited: &'static str,
    pub answered: &'static str,
    pub survey_title: &'static str,
    pub survey_caption: &'static str,
    pub mean: &'static str,
    pub question: &'static str,
    pub answers: &'static str,
    pub other_questions: &'static str,
    pub no_survey: &'static str,
    pub measured_vs_perceived_title: &'static str,
    pub measured: &'static str,
    pub sentiment_title: &'static str,
    pub mentions_sentiment_title: &'static str,
    pub positive: &'static str,
    pub neutral: &'static str,
    pub negative: &'static str,

    pub review: &'static str,
    pub actions: &'static str,
    pub action_status_title: &'static str,
    pub action: &'static str,
    pub owner: &'static str,
    pub due: &'static str,
    pub priority: &'static str,
    pub category: &'static str,
    pub overdue: &'static str,

    pub appendix: &'static str,
    pub method_text: &'static [&'static str],
    pub rubric_version: &'static str,
    pub weights: &'static str,
    pub weight: &'static str,
    pub group: &'static str,
    pub criterion: &'static str,

    pub period: &'static str,
    pub filters: &'static str,
    pub all: &'static str,
    pub incidents: &'static str,
    pub portfolio_overview: &'static str,
    pub kinds_title: &'static str,
    pub score_trends_title: &'static str,
    pub first_message_trend_title: &'static str,
    pub first_message_trend_caption: &'static str,
    pub action_completion_title: &'static str,
    pub quarter: &'static str,
    pub median: &'static str,
    pub correlation: &'static str,
    pub correlation_none: &'static str,
    pub incident_list: &'static str,
    pub open_actions: &'static str,
    pub portfolio_method: &'static [&'static str],
}

/// What a score measures, for the words of its verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dimension {
    Overall,
    Timeliness,
    Clarity,
    Perceived,
}

pub fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::De => &DE,
        Lang::En => &EN,
    }
}

impl Texts {
    pub fn kind(&self, code: &str) -> String {
        let name = match (self.lang, code) {
            (Lang::En, "it_outage") => "IT outage",
            (Lang::En, "social_media") => "Social-media crisis",
            (Lang::En, "security") => "Security incident",
            (Lang::En, "other") => "Other",
            (Lang::De, "it_outage") => "IT-Störung",
            (Lang::De, "social_media") => "Social-Media-Krise",
            (Lang::De, "security") => "Sicherheitsvorfall",
            (Lang::De, "other") => "Sonstiges",
            _ => return code.to_string(),
        };
        name.to_string()
    }

    pub fn severity(&self, code: &str) -> String {
        let name = match (self.lang, code) {
            (Lang::En, "sev1") => "SEV 1 – critical",
            (Lang::En, "sev2") => "SEV 2 – major",
            (Lang::En, "sev3") => "SEV 3 – minor",
            (Lang::En, "sev4") => "SEV 4 – low",
            (Lang::De, "sev1") => "SEV 1 – kritisch",
            (Lang::De, "sev2") => "SEV 2 – hoch",
            (Lang::De, "sev3") => "SEV 3 – mittel",
            (Lang::De, "sev4") => "SEV 4 – gering",
            _ => return code.to_string(),
        };
        name.to_string()
    }

    pub fn incident_status(&self, code: &str) -> String {
        let name = match (self.lang, code) {
            (Lang::En, "open") => "Open",
            (Lang::En, "in_review") => "In review",
            (Lang::En, "closed") => "Closed",
            (Lang::De, "open") => "Offen",
            (Lang::De, "in_review") => "In Nachbetrachtung",
            (Lang::De, "closed") => "Abgeschlossen",
            _ => return code.to_string(),
        };
        name.to_string()
    }

    pub fn message_kind(&self, kind: MessageKind) -> &'static str {
        match (self.lang, kind) {
            (Lang::En, MessageKind::Initial) => "Initial",
            (Lang::En, MessageKind::Update) => "Update",
            (Lang::En, MessageKind::Resolution) => "All-clear",
            (Lang::En, MessageKind::PostIncident) => "Post-incident",
            (Lang::En, MessageKind::Reply) => "Reply",
            (Lang::De, MessageKind::Initial) => "Erstmeldung",
            (Lang::De, MessageKind::Update) => "Update",
            (Lang::De, MessageKind::Resolution) => "Entwarnung",
            (Lang::De, MessageKind::PostIncident) => "Nachbericht",
            (Lang::De, MessageKind::Reply) => "Antwort",
        }
    }

    pub fn phase(&self, kind: PhaseKind) -> &'static str {
        match (self.lang, kind) {
            (Lang::En, PhaseKind::Undetected) => "Undetected",
            (Lang::En, PhaseKind::Investigating) => "Investigating",
            (Lang::En, PhaseKind::Mitigating) => "Mitigating",
            (Lang::En, PhaseKind::Monitoring) => "Monitoring",
            (Lang::En, PhaseKind::Resolved) => "Resolved",
            (Lang::De, PhaseKind::Undetected) => "Unbemerkt",
            (Lang::De, PhaseKind::Investigating) => "Analyse",
            (Lang::De, PhaseKind::Mitigating) => "Behebung",
            (Lang::De, PhaseKind::Monitoring) => "Beobachtung",
            (Lang::De, PhaseKind::Resolved) => "Behoben",
        }
    }

    pub fn finding_severity(&self, severity: FindingSeverity) -> &'static str {
        match (self.lang, severity) {
            (Lang::En, FindingSeverity::Red) => "Critical",
            (Lang::En, FindingSeverity::Amber) => "Gap",
            (Lang::En, FindingSeverity::Info) => "Note",
            (Lang::En, FindingSeverity::Good) => "Strength",
            (Lang::De, FindingSeverity::Red) => "Kritisch",
            (Lang::De, FindingSeverity::Amber) => "Lücke",
            (Lang::De, FindingSeverity::Info) => "Hinweis",
            (Lang::De, FindingSeverity::Good) => "Stärke",
        }
    }

    pub fn action_status(&self, status: ActionStatus) -> &'static str {
        match (self.lang, status) {
            (Lang::En, ActionStatus::Open) => "Open",
            (Lang::En, ActionStatus::InProgress) => "In progress",
            (Lang::En, ActionStatus::Done) => "Done",
            (Lang::En, ActionStatus::WontDo) => "Won’t do",
            (Lang::De, ActionStatus::Open) => "Offen",
            (Lang::De, ActionStatus::InProgress) => "In Arbeit",
            (Lang::De, ActionStatus::Done) => "Erledigt",
            (Lang::De, ActionStatus::WontDo) => "Verworfen",
        }
    }

    pub fn priority(&self, priority: Priority) -> &'static str {
        match (self.lang, priority) {
            (Lang::En, Priority::High) => "High",
            (Lang::En, Priority::Medium) => "Medium",
            (Lang::En, Priority::Low) => "Low",
            (Lang::De, Priority::High) => "Hoch",
            (Lang::De, Priority::Medium) => "Mittel",
            (Lang::De, Priority::Low) => "Niedrig",
        }
    }

    /// The one-line verdict under a score in the executive summary, in the words of its
    /// dimension.
    pub fn verdict(&self, dimension: Dimension, score: Option<f64>) -> &'static str {
        let band = match score {
            None => return self.not_measured,
            Some(s) if s >= 85.0 => 0,
            Some(s) if s >= 70.0 => 1,
            Some(s) if s >= 50.0 => 2,
            Some(_) => 3,
        };
        let lines: [&'static str; 4] = match (self.lang, dimension) {
            (Lang::En, Dimension::Overall) => [
                "Strong – keep doing this",
                "Good, with gaps to close",
                "Needs improvement",
                "Critical gaps",
            ],
            (Lang::En, Dimension::Timeliness) => [
                "Audiences were informed promptly and kept updated",
                "Mostly on time; some audiences waited",
                "Several audiences heard late or waited too long",
                "Communication lagged far behind the incident",
            ],
            (Lang::En, Dimension::Clarity) => [
                "Messages were complete and easy to read",
                "Clear, with some gaps in content",
                "Key content missing or hard to read",
                "Messages left readers guessing",
            ],
            (Lang::En, Dimension::Perceived) => [
                "Stakeholders felt well informed",
                "Stakeholders were mostly satisfied",
                "Mixed feedback from stakeholders",
                "Stakeholders felt poorly informed",
            ],
            (Lang::De, Dimension::Overall) => [
                "Stark – so beibehalten",
                "Gut, mit Lücken",
                "Verbesserung nötig",
                "Kritische Lücken",
            ],
            (Lang::De, Dimension::Timeliness) => [
                "Zielgruppen früh informiert und auf dem Laufenden gehalten",
                "Meist rechtzeitig; einzelne Zielgruppen warteten",
                "Mehrere Zielgruppen erfuhren spät oder warteten zu lange",
                "Die Kommunikation hinkte dem Vorfall weit hinterher",
            ],
            (Lang::De, Dimension::Clarity) => [
                "Meldungen vollständig und gut lesbar",
                "Verständlich, mit inhaltlichen Lücken",
                "Wichtige Inhalte fehlten oder waren schwer lesbar",
                "Die Meldungen ließen Lesende rätseln",
            ],
            (Lang::De, Dimension::Perceived) => [
                "Betroffene fühlten sich gut informiert",
                "Betroffene waren überwiegend zufrieden",
                "Gemischte Rückmeldungen der Betroffenen",
                "Betroffene fühlten sich schlecht informiert",
            ],
        };
        lines[band]
    }

    /// A number the way the report language writes it (decimal comma in German).
    pub fn number(&self, value: f64, decimals: usize) -> String {
        let text = format!("{value:.decimals$}");
        match self.lang {
            Lang::De => text.replace('.', ","),
            Lang::En => text,
        }
    }

    /// A calendar day the way the report language writes it: 07.12.2026, 7 Dec 2026.
    pub fn date(&self, day: chrono::NaiveDate) -> String {
        match self.lang {
            Lang::De => day.format("%d.%m.%Y").to_string(),
            Lang::En => day.format("%-d %b %Y").to_string(),
        }
    }

    /// Minutes as "52 min" or "2 h 05 min".
    pub fn duration(&self, minutes: f64) -> String {
        let total = minutes.round() as i64;
        if total.abs() < 60 {
            format!("{total} min")
        } else {
            format!("{} h {:02} min", total / 60, (total % 60).abs())
        }
    }
}

const EN: Texts = Texts {
    lang: Lang::En,
    incident_report: "Incident communication report",
    portfolio_report: "Crisis communication portfolio",
    subtitle: "Post-incident review of crisis communication",
    prepared_for: "Prepared for",
    generated: "Generated",
    page_of: "Page {page} of {total}",
    contents: "Contents",

    executive_summary: "Executive summary",
    overall: "Overall",
    timeliness: "Timeliness",
    clarity: "Clarity",
    perceived: "Perceived",
    not_measured: "Not measured",
    top_findings: "Top findings",
    top_actions: "Top improvement actions",
    no_findings: "No findings were recorded.",
    no_actions: "No improvement actions have been agreed yet.",

    facts: "Incident facts",
    key: "Key",
    title: "Title",
    kind: "Kind",
    severity: "Severity",
    status: "Status",
    detected: "Detected",
    started: "Impact started",
    resolved: "Resolved",
    affected_services: "Affected services",
    audiences: "Audiences",

    timeline_title: "Timeline: who heard what, when",
    timeline_caption: "One lane per audience. Markers are messages; shaded bands are incident phases; orange bars are silences longer than the update interval; diamonds are promised updates (hollow: missed).",
    first_message_title: "Time to first message",
    first_message_caption: "Minutes from detection to the first message each audience received, against the policy target (black tick).",
    update_gaps_title: "Update gaps",
    update_gaps_caption: "Every silence between messages while the incident was unresolved; orange ones exceeded the update interval (dashed line).",
    per_audience: "Per audience",
    audience: "Audience",
    first_message: "First message",
    target: "Target",
    no_message: "no message",
    minutes_after_detection: "minutes after detection",
    minutes: "min",
    message: "Message",
    late_message: "Late message",
    promise_kept: "Promised update kept",
    promise_missed: "Promised update missed",
    silence: "Silence",
    late_silence: "Late silence",
    longest_silence: "Longest silence",
    late_of: "{late} of {total} late",
    messages_binned: "Many messages: markers are grouped by time; the larger the marker, the more messages it stands for. Orange rings: a group holds a late message.",

    clarity_title: "Clarity per message",
    clarity_caption: "Clarity score of each message (0–100) over the course of the incident, by audience.",
    message_findings: "Message-by-message findings",
    no_messages: "No messages have been recorded for this incident yet.",
    sent: "Sent",
    channel: "Channel",
    message_kind: "Kind",
    findings: "Findings",
    score: "Score",

    perception: "Stakeholder perception",
    response_rates_title: "Response rate per audience",
    invited: "invited",
    answered: "answered",
    survey_title: "Survey results per question and audience",
    survey_caption: "Share of answers per category in per cent, most negative on the left; n = number of answers, Ø = mean. Response rates: answered / invited.",
    mean: "mean",
    question: "Question",
    answers: "Answers",
    other_questions: "Further questions",
    no_survey: "No survey has been run for this incident yet.",
    measured_vs_perceived_title: "Measured against perceived",
    measured: "Measured",
    sentiment_title: "Sentiment of free-text answers",
    mentions_sentiment_title: "Sentiment of mentions over time",
    positive: "positive",
    neutral: "neutral",
    negative: "negative",

    review: "After-action review",
    actions: "Improvement actions",
    action_status_title: "Action status",
    action: "Action",
    owner: "Owner",
    due: "Due",
    priority: "Priority",
    category: "Category",
    overdue: "overdue",

    appendix: "Appendix: method",
    method_text: &[
        "Every score runs from 0 to 100 and is built from sub-scores; each deduction is a finding that names the message or the silence it comes from.",
        "Timeliness is measured per audience from the moment the incident was detected: time to the first message, the cadence of updates while the incident was unresolved, promises of a next update and whether they were kept, the all-clear after resolution, proactivity against the first external signal, and whether staff heard before customers. The incident score weights the audiences (customers and public highest).",
        "Clarity is scored per message: completeness of the content a reader needs (what happened, what is affected, who is affected, what is being done, when the next update comes, what to do meanwhile), language (readability for the message’s language, sentence length, jargon for lay readers), tone (apology, empathy, ownership, no blame) and honesty (next-update times, acknowledged uncertainty, no vague or unhedged promises).",
        "Perceived scores come from the feedback survey: the timeliness, clarity, helpfulness and trust questions rescaled to 0–100, per audience, shown beside the measured scores. Sentiment of free text is evidence for the team, not part of any score.",
    ],
    rubric_version: "Rubric version",
    weights: "Weights",
    weight: "Weight",
    group: "Score",
    criterion: "Criterion",

    period: "Period",
    filters: "Filters",
    all: "all",
    incidents: "Incidents",
    portfolio_overview: "Overview",
    kinds_title: "Incidents by kind and severity",
    score_trends_title: "Score trends per quarter",
    first_message_trend_title: "Time to first message over time",
    first_message_trend_caption: "Each dot is one incident; the line is the quarterly median.",
    action_completion_title: "Action completion and overdue actions per quarter",
    quarter: "Quarter",
    median: "median",
    correlation: "Rank correlation between measured and perceived overall scores: {value}.",
    correlation_none: "Too few incidents with survey results for a correlation between measured and perceived scores.",
    incident_list: "Incidents in the period",
    open_actions: "Open actions",
    portfolio_method: &[
        "The portfolio aggregates the incidents detected in the period. Quarterly values are means of the incidents’ scores (incidents without a score are left out) and the median time to first message.",
        "The rank correlation (Spearman) shows whether incidents that scored well on measured communication were also perceived well by their audiences.",
    ],
};

const DE: Texts = Texts {
    lang: Lang::De,
    incident_report: "Bericht zur Vorfallkommunikation",
    portfolio_report: "Portfolio der Krisenkommunikation",
    subtitle: "Nachbetrachtung der Krisenkommunikation",
    prepared_for: "Erstellt für",
    generated: "Erstellt am",
    page_of: "Seite {page} von {total}",
    contents: "Inhalt",

    executive_summary: "Management-Zusammenfassung",
    overall: "Gesamt",
    timeliness: "Rechtzeitigkeit",
    clarity: "Verständlichkeit",
    perceived: "Wahrnehmung",
    not_measured: "Nicht gemessen",
    top_findings: "Wichtigste Befunde",
    top_actions: "Wichtigste Verbesserungsmaßnahmen",
    no_findings: "Es wurden keine Befunde erfasst.",
    no_actions: "Es wurden noch keine Verbesserungsmaßnahmen vereinbart.",

    facts: "Eckdaten des Vorfalls",
    key: "Schlüssel",
    title: "Titel",
    kind: "Art",
    severity: "Schweregrad",
    status: "Status",
    detected: "Erkannt",
    started: "Beginn der Auswirkung",
    resolved: "Behoben",
    affected_services: "Betroffene Dienste",
    audiences: "Zielgruppen",

    timeline_title: "Zeitachse: wer wann was erfuhr",
    timeline_caption: "Eine Spur je Zielgruppe. Symbole sind Meldungen, hinterlegte Bänder die Phasen des Vorfalls, orange Balken Funkstillen über dem Update-Intervall, Rauten zugesagte Updates (hohl: nicht eingehalten).",
    first_message_title: "Zeit bis zur ersten Meldung",
    first_message_caption: "Minuten von der Erkennung bis zur ersten Meldung an jede Zielgruppe, verglichen mit der Zielvorgabe (schwarzer Strich).",
    update_gaps_title: "Lücken zwischen Updates",
    update_gaps_caption: "Jede Funkstille zwischen zwei Meldungen, solange der Vorfall andauerte; orange: länger als das Update-Intervall (gestrichelt).",
    per_audience: "Je Zielgruppe",
    audience: "Zielgruppe",
    first_message: "Erste Meldung",
    target: "Ziel",
    no_message: "keine Meldung",
    minutes_after_detection: "Minuten nach Erkennung",
    minutes: "Min.",
    message: "Meldung",
    late_message: "Verspätete Meldung",
    promise_kept: "Zugesagtes Update eingehalten",
    promise_missed: "Zugesagtes Update verpasst",
    silence: "Funkstille",
    late_silence: "Zu lange Funkstille",
    longest_silence: "Längste Funkstille",
    late_of: "{late} von {total} zu lang",
    messages_binned: "Viele Meldungen: Symbole sind nach Zeit gruppiert; je größer das Symbol, desto mehr Meldungen stehen dahinter. Orange Ringe: eine Gruppe enthält eine verspätete Meldung.",

    clarity_title: "Verständlichkeit je Meldung",
    clarity_caption: "Verständlichkeitswert jeder Meldung (0–100) im Verlauf des Vorfalls, nach Zielgruppe.",
    message_findings: "Befunde Meldung für Meldung",
    no_messages: "Zu diesem Vorfall sind noch keine Meldungen erfasst.",
    sent: "Gesendet",
    channel: "Kanal",
    message_kind: "Art",
    findings: "Befunde",
    score: "Wert",

    perception: "Wahrnehmung der Betroffenen",
    response_rates_title: "Rücklaufquote je Zielgruppe",
    invited: "eingeladen",
    answered: "geantwortet",
    survey_title: "Umfrageergebnisse je Frage und Zielgruppe",
    survey_caption: "Anteil der Antworten je Kategorie in Prozent, die negativste links; n = Anzahl Antworten, Ø = Mittelwert. Rücklauf: geantwortet / eingeladen.",
    mean: "Mittelwert",
    question: "Frage",
    answers: "Antworten",
    other_questions: "Weitere Fragen",
    no_survey: "Zu diesem Vorfall wurde noch keine Umfrage durchgeführt.",
    measured_vs_perceived_title: "Gemessen und wahrgenommen",
    measured: "Gemessen",
    sentiment_title: "Stimmung der Freitextantworten",
    mentions_sentiment_title: "Stimmung der Erwähnungen im Zeitverlauf",
    positive: "positiv",
    neutral: "neutral",
    negative: "negativ",

    review: "Nachbetrachtung",
    actions: "Verbesserungsmaßnahmen",
    action_status_title: "Stand der Maßnahmen",
    action: "Maßnahme",
    owner: "Verantwortlich",
    due: "Fällig",
    priority: "Priorität",
    category: "Kategorie",
    overdue: "überfällig",

    appendix: "Anhang: Methode",
    method_text: &[
        "Jeder Wert reicht von 0 bis 100 und setzt sich aus Teilwerten zusammen; jeder Abzug ist ein Befund, der die Meldung oder Funkstille nennt, aus der er stammt.",
        "Die Rechtzeitigkeit wird je Zielgruppe ab der Erkennung des Vorfalls gemessen: Zeit bis zur ersten Meldung, Takt der Updates, solange der Vorfall andauerte, Zusagen eines nächsten Updates und ob sie eingehalten wurden, Entwarnung nach der Behebung, Proaktivität gegenüber dem ersten Signal von außen und ob die Mitarbeitenden vor den Kund:innen informiert waren. Der Wert des Vorfalls gewichtet die Zielgruppen (Kundschaft und Öffentlichkeit am höchsten).",
        "Die Verständlichkeit wird je Meldung bewertet: Vollständigkeit der Inhalte, die Lesende brauchen (was ist passiert, was ist betroffen, wer ist betroffen, was wird getan, wann kommt das nächste Update, was ist in der Zwischenzeit zu tun), Sprache (Lesbarkeit in der Sprache der Meldung, Satzlänge, Fachjargon für Laien), Ton (Entschuldigung, Anteilnahme, Verantwortung, keine Schuldzuweisung) und Ehrlichkeit (Zeitpunkt des nächsten Updates, eingestandene Unsicherheit, keine vagen oder unbedingten Zusagen).",
        "Die wahrgenommenen Werte stammen aus der Feedback-Umfrage: die Fragen zu Rechtzeitigkeit, Verständlichkeit, Nützlichkeit und Vertrauen, auf 0–100 umgerechnet, je Zielgruppe und neben den gemessenen Werten. Die Stimmung der Freitexte ist ein Hinweis für das Team, kein Teil eines Werts.",
    ],
    rubric_version: "Version der Bewertungsregeln",
    weights: "Gewichte",
    weight: "Gewicht",
    group: "Wert",
    criterion: "Kriterium",

    period: "Zeitraum",
    filters: "Filter",
    all: "alle",
    incidents: "Vorfälle",
    portfolio_overview: "Überblick",
    kinds_title: "Vorfälle nach Art und Schweregrad",
    score_trends_title: "Entwicklung der Werte je Quartal",
    first_message_trend_title: "Zeit bis zur ersten Meldung im Zeitverlauf",
    first_message_trend_caption: "Jeder Punkt ist ein Vorfall; die Linie ist der Median je Quartal.",
    action_completion_title: "Erledigte und überfällige Maßnahmen je Quartal",
    quarter: "Quartal",
    median: "Median",
    correlation: "Rangkorrelation zwischen gemessenem und wahrgenommenem Gesamtwert: {value}.",
    correlation_none: "Zu wenige Vorfälle mit Umfrageergebnissen für eine Korrelation zwischen gemessenen und wahrgenommenen Werten.",
    incident_list: "Vorfälle im Zeitraum",
    open_actions: "Offene Maßnahmen",
    portfolio_method: &[
        "Das Portfolio fasst die im Zeitraum erkannten Vorfälle zusammen. Quartalswerte sind Mittelwerte der Werte der Vorfälle (Vorfälle ohne Wert bleiben außen vor) und der Median der Zeit bis zur ersten Meldung.",
        "Die Rangkorrelation (Spearman) zeigt, ob Vorfälle mit guter gemessener Kommunikation auch von ihren Zielgruppen gut wahrgenommen wurden.",
    ],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_follow_the_score_bands() {
        let en = texts(Lang::En);
        assert_eq!(
            en.verdict(Dimension::Overall, Some(91.0)),
            "Strong – keep doing this"
        );
        assert_eq!(
            en.verdict(Dimension::Overall, Some(69.9)),
            "Needs improvement"
        );
        assert_eq!(
            en.verdict(Dimension::Timeliness, Some(70.0)),
            "Mostly on time; some audiences waited"
        );
        assert_eq!(en.verdict(Dimension::Perceived, None), en.not_measured);
        assert_eq!(
            texts(Lang::De).verdict(Dimension::Clarity, Some(10.0)),
            "Die Meldungen ließen Lesende rätseln"
        );
    }

    #[test]
    fn numbers_and_durations_read_naturally() {
        assert_eq!(texts(Lang::De).number(72.46, 1), "72,5");
        assert_eq!(texts(Lang::En).number(72.46, 1), "72.5");
        assert_eq!(texts(Lang::En).duration(52.0), "52 min");
        let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 7).unwrap_or_default();
        assert_eq!(texts(Lang::De).date(day), "07.03.2026");
        assert_eq!(texts(Lang::En).date(day), "7 Mar 2026");
        assert_eq!(texts(Lang::En).duration(125.0), "2 h 05 min");
    }

    #[test]
    fn unknown_codes_are_shown_as_they_are() {
        assert_eq!(texts(Lang::De).kind("it_outage"), "IT-Störung");
        assert_eq!(texts(Lang::De).kind("flood"), "flood");
    }
}
