//! The scorecard of an incident, each message's analysis with its evidence highlighted, and the
//! draft analyser: a message pasted before sending, read by the same function.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use crate::report::labels::{Dimension, texts};
use crate::report::model::Lang;
use crate::scoring::{Evidence, MessageAnalysis, MessageContext, Readers};
use crate::web::error::AppError;
use crate::web::ui::Ui;
use crate::web::{blocking, forms, render};

/// A stretch of a message: plain, or the evidence of a detection.
#[derive(Debug, Serialize, PartialEq)]
pub struct Segment {
    pub text: String,
    pub label: Option<String>,
}

/// Which evidence wins where spans overlap: problems first (they carry the suggestions), then
/// tone and honesty cues, then the content elements.
fn priority(label: &str) -> u8 {
    match label {
        "jargon" | "vague_time" | "blame" | "shouting" => 0,
        "apology" | "concern_thanks" | "ownership" | "uncertainty_ack" | "eta"
        | "next_update_at" => 1,
        _ => 2,
    }
}

/// The text cut at the evidence spans, for highlighting. Overlapping spans keep the one of higher
/// priority; offsets that do not fall on character boundaries are skipped rather than cut a letter.
pub fn segments(text: &str, evidence: &[Evidence]) -> Vec<Segment> {
    let mut candidates: Vec<&Evidence> = evidence
        .iter()
        .filter(|e| {
            e.start < e.end
                && e.end <= text.len()
                && text.is_char_boundary(e.start)
                && text.is_char_boundary(e.end)
        })
        .collect();
    candidates.sort_by_key(|e| (priority(&e.label), e.start, std::cmp::Reverse(e.end)));
    let mut chosen: Vec<&Evidence> = Vec::new();
    for e in candidates {
        if chosen.iter().all(|c| e.end <= c.start || c.end <= e.start) {
            chosen.push(e);
        }
    }
    chosen.sort_by_key(|e| e.start);
    let mut out = Vec::new();
    let mut at = 0;
    for e in chosen {
        if e.start > at {
            out.push(Segment {
                text: text[at..e.start].to_string(),
                label: None,
            });
        }
        out.push(Segment {
            text: text[e.start..e.end].to_string(),
            label: Some(e.label.clone()),
        });
        at = e.end;
    }
    if at < text.len() {
        out.push(Segment {
            text: text[at..].to_string(),
            label: None,
        });
    }
    out
}

fn analysis_view(a: &MessageAnalysis, text: &str, lang: &str) -> minijinja::Value {
    minijinja::context! {
        language => a.language.as_str(),
        readability => a.readability,
        labels => a.labels,
        clarity => a.clarity,
        segments => segments(text, &a.evidence),
        findings => a.findings.iter().map(|f| minijinja::context! { severity => f.severity.as_str(), text => f.text(lang) }).collect::<Vec<_>>(),
    }
}

/// The charts that explain the scores: when each audience heard what, against the targets, how
/// clear each message was, and how the measured scores compare with what people perceived.
pub const SCORECARD_CHARTS: &[&str] = &[
    "timeline",
    "first-message",
    "update-gaps",
    "clarity",
    "measured-perceived",
];

pub async fn show(ui: Ui, key: web::Path<String>) -> Result<HttpResponse, AppError> {
    let key = key.into_inner();
    let lang = Lang::from_code(ui.id.lang);
    let (incident, card, report, pins) = blocking(&ui.state, move |conn| {
        let (incident, card, report) = crate::reports::incident_view(conn, &key, lang)?;
        let pins = match crate::db::reviews::of_incident(conn, incident.id)? {
            Some(r) => crate::db::reviews::pins(conn, r.id)?,
            None => Vec::new(),
        };
        Ok::<_, AppError>((incident, card, report, pins))
    })
    .await?;
    let (report, charts) = render(move || {
        let charts = crate::report::incident_charts_svg_of(&report, SCORECARD_CHARTS)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        Ok::<_, AppError>((report, charts))
    })
    .await?;
    let l = ui.id.lang;
    let t = texts(lang);
    let tiles = [
        ("overall", report.scores.overall, Dimension::Overall),
        (
            "timeliness",
            report.scores.timeliness,
            Dimension::Timeliness,
        ),
        ("clarity", report.scores.clarity, Dimension::Clarity),
        ("perceived", report.scores.perceived, Dimension::Perceived),
    ]
    .into_iter()
    .map(|(k, v, d)| minijinja::context! { key => k, value => v, verdict => t.verdict(d, v) })
    .collect::<Vec<_>>();
    let audiences: Vec<minijinja::Value> = card
        .audiences
        .iter()
        .map(|a| {
            let subs = card
                .timeline
                .audiences
                .iter()
                .find(|x| x.key == a.key)
                .map(|x| {
                    x.sub_scores
                        .iter()
                        .filter(|s| s.score.is_some())
                        .map(|s| minijinja::context! { id => s.id.as_str(), score => s.score, weight => s.weight, reason => s.reason(l) })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default();
            let perceived = report.audiences.iter().find(|x| x.key == a.key).and_then(|x| x.scores.perceived);
            minijinja::context! {
                key => a.key, name => if l == "de" { &a.name_de } else { &a.name_en },
                timeliness => a.timeliness, clarity => a.clarity, overall => a.overall, perceived => perceived,
                messages => a.messages, first => a.first_message_min, target => a.first_message_target_min,
                share => a.share, subs => subs,
            }
        })
        .collect();
    let findings: Vec<minijinja::Value> = card
        .findings
        .iter()
        .filter(|f| f.severity != crate::scoring::FindingSeverity::Info)
        .map(|f| {
            // A pin is the finding's rule, message and audience (see `reviews::pins`).
            let pin = pins.iter().find(|p| {
                p.finding_code == f.code && p.message_id == f.message_id && p.audience == f.audience
            });
            minijinja::context! {
                severity => f.severity.as_str(), text => f.text(l), message_id => f.message_id, impact => f.impact,
                code => f.code, audience => f.audience, pinned => pin.is_some(),
                action_id => pin.and_then(|p| p.action_id),
            }
        })
        .collect();
    let silences: Vec<minijinja::Value> = card
        .timeline
        .audiences
        .iter()
        .flat_map(|a| {
            let name = report.audience_name(&a.key).to_string();
            let promises = a.timeline.promises.iter().filter(|p| p.outcome == crate::scoring::timeliness::PromiseOutcome::Broken).map({
                let name = name.clone();
                move |p| minijinja::context! { kind => "promise", audience => name, from => p.due_at, to => p.answered_at, minutes => None::<f64> }
            });
            let late = a.timeline.silences.iter().filter(|s| s.late).map(move |s| minijinja::context! { kind => "silence", audience => name, from => s.from, to => s.to, minutes => s.minutes });
            promises.chain(late).collect::<Vec<_>>()
        })
        .collect();
    ui.render(
        "pages/scores/show.html",
        minijinja::context! {
            incident => incident, tab => "scores", tiles => tiles, audiences => audiences, findings => findings,
            charts => charts, silences => silences, rubric_version => card.rubric_version,
            time_to_detect => card.timeline.time_to_detect_min,
        },
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PageQuery {
    offset: i64,
}

const MESSAGES_PER_PAGE: usize = 50;

pub async fn messages(
    ui: Ui,
    key: web::Path<String>,
    q: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let key = key.into_inner();
    let offset = q.offset.max(0) as usize;
    let (incident, card, messages, audiences) = blocking(&ui.state, move |conn| {
        let (incident, card) = crate::scores::scorecard(conn, &key)?;
        let messages = crate::db::timeline::messages(conn, incident.id)?;
        Ok::<_, AppError>((incident, card, messages, crate::db::audiences::list(conn)?))
    })
    .await?;
    let l = ui.id.lang;
    let rows: Vec<minijinja::Value> = messages
        .iter()
        .skip(offset)
        .take(MESSAGES_PER_PAGE)
        .filter_map(|m| {
            let score = card.messages.iter().find(|s| s.message_id == m.id)?;
            // Evidence refers to the body (the scorecard reads a mail's subject with it).
            let text = &m.body;
            Some(minijinja::context! {
                message => m,
                audience_names => m.audiences.iter().map(|k| audiences.iter().find(|a| &a.key == k).map_or(k.clone(), |a| a.name(l).to_string())).collect::<Vec<_>>(),
                clarity => score.clarity, honesty => score.honesty, adjustment => score.honesty_adjustment,
                readers => score.readers.as_str(),
                analysis => analysis_view(&score.analysis, text, l),
            })
        })
        .collect();
    let total = messages.len();
    ui.render(
        "pages/scores/messages.html",
        minijinja::context! {
            incident => incident, tab => "scores", rows => rows, total => total, first => offset + 1,
            previous_offset => (offset > 0).then(|| offset.saturating_sub(MESSAGES_PER_PAGE)),
            next_offset => (offset + MESSAGES_PER_PAGE < total).then_some(offset + MESSAGES_PER_PAGE),
        },
    )
}

/// The draft as the analyser's form submits it.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct DraftForm {
    text: String,
    kind: String,
    readers: String,
    channel: String,
    language: String,
}

pub async fn draft_form(ui: Ui) -> Result<HttpResponse, AppError> {
    render_draft(
        &ui,
        DraftForm {
            kind: "update".into(),
            readers: "lay".into(),
            channel: "email".into(),
            ..Default::default()
        },
        None,
    )
}

pub async fn draft(ui: Ui, body: web::Bytes) -> Result<HttpResponse, AppError> {
    let form: DraftForm = forms::parse(&body)?;
    use crate::scoring::analysis::MAX_TEXT_CHARS;
    if form.text.trim().is_empty() || form.text.chars().count() > MAX_TEXT_CHARS {
        let errors = crate::domain::FieldErrors::single(
            "text",
            format!("is required (at most {MAX_TEXT_CHARS} characters)"),
        );
        return ui.render_invalid(
            "pages/scores/draft.html",
            &errors,
            draft_context(&form, None),
        );
    }
    let f = form.clone();
    let tz = ui.id.zone();
    let analysis = blocking(&ui.state, move |conn| {
        let entries: Vec<_> = crate::db::audiences::list_services(conn)?
            .iter()
            .map(|s| crate::domain::service::ServiceEntry::from_stored(&s.name, &s.aliases))
            .collect();
        let services = crate::scoring::ServiceCatalogue::new(entries);
        let rubrics = crate::scores::rubrics(conn)?;
        let mut ctx = MessageContext::new(
            f.kind.parse().unwrap_or(crate::domain::MessageKind::Update),
            f.readers.parse().unwrap_or(Readers::Lay),
            &services,
            &rubrics.clarity,
        );
        ctx.channel = f.channel.parse().unwrap_or(crate::domain::Channel::Other);
        ctx.language = f.language.parse().ok();
        ctx.sent_at = Some(crate::db::now());
        ctx.time_zone = tz;
        Ok::<_, AppError>(crate::scoring::analyze(&f.text, &ctx))
    })
    .await?;
    let view = analysis_view(&analysis, &form.text, ui.id.lang);
    render_draft(&ui, form, Some(view))
}

fn draft_context(form: &DraftForm, analysis: Option<minijinja::Value>) -> minijinja::Value {
    minijinja::context! {
        values => form, analysis => analysis,
        kinds => crate::domain::MessageKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
        channels => crate::domain::Channel::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
    }
}

fn render_draft(
    ui: &Ui,
    form: DraftForm,
    analysis: Option<minijinja::Value>,
) -> Result<HttpResponse, AppError> {
    ui.render("pages/scores/draft.html", draft_context(&form, analysis))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(start: usize, end: usize, label: &str) -> Evidence {
        Evidence {
            start,
            end,
            text: String::new(),
            label: label.into(),
        }
    }

    #[test]
    fn segments_cover_the_text_once_and_skip_overlaps_and_split_letters() {
        let text = "Die Latenz ist hoch, wir melden uns zeitnah.";
        let s = segments(
            text,
            &[
                ev(0, 19, "E1_symptom"),
                ev(4, 10, "jargon"),
                ev(36, 43, "vague_time"),
                ev(1, 100, "bad"),
            ],
        );
        let joined: String = s.iter().map(|x| x.text.as_str()).collect();
        assert_eq!(joined, text);
        let marked: Vec<(&str, &str)> = s
            .iter()
            .filter_map(|x| x.label.as_deref().map(|l| (x.text.as_str(), l)))
            .collect();
        // The jargon inside the symptom wins; the symptom span is dropped as it overlaps.
        assert_eq!(marked, [("Latenz", "jargon"), ("zeitnah", "vague_time")]);
        // "ä" is two bytes: a span ending inside it is left out.
        assert_eq!(segments("ä", &[ev(0, 1, "x")]).len(), 1);
    }
}
