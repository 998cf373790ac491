//! Report speed on the real path, from a SQLite database to the PDF:
//! - `incident_report_pdf`: the demo e-mail outage with a review, a survey with answers and
//!   actions (so every chart has data) — loaded, scored and rendered as the download does it
//!   (target ≤ 300 ms);
//! - `incident_report_render`: the same report's rendering alone, from the loaded model, which is
//!   what WeasyPrint is compared with;
//! - `portfolio/portfolio_500_pdf`: 500 generated incidents (the demo incidents varied in date,
//!   kind, severity and length, some with actions), loaded, scored and rendered (target ≤ 3 s).
//!
//! Also writes `target/reports/bench-incident.html`: the same incident report as HTML with the
//! same content — score tiles with verdicts, findings, facts, audience and message tables, the same
//! SVG charts, the survey's tables, the review, the actions, the method — which
//! `benches/report_weasyprint.py` renders through WeasyPrint (`benches/report.sh` runs both).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use debrief::actions::model::ActionInput;
use debrief::app::AppState;
use debrief::config::{Config, MailTransport, Secret};
use debrief::db::audit::Actor;
use debrief::import::pipeline::{self, ImportRequest, SourceFile, Target};
use debrief::report::aggregate::PortfolioSelection;
use debrief::report::incident_charts_svg;
use debrief::report::labels::{Dimension, texts};
use debrief::report::model::{IncidentReport, Lang};
use debrief::surveys::model::{QuestionType, SurveyTemplate};
use debrief::surveys::respond::Link;

const DEMO: &str = "INC-2026-014";

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn reports_dir() -> PathBuf {
    let dir = PathBuf::from(std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into()))
        .join("reports");
    let _ = std::fs::create_dir_all(&dir);
    dir
}

fn state(dir: &Path, name: &str) -> AppState {
    AppState::build(Config {
        database_url: Some(Secret(dir.join(name).to_string_lossy().into_owned())),
        data_dir: dir.to_path_buf(),
        mail_transport: MailTransport::Memory,
        worker: false,
        ..Config::default()
    })
    .expect("database")
}

fn action(title: &str, status: &str, priority: &str, due: &str) -> ActionInput {
    ActionInput {
        title: title.into(),
        category: "process".into(),
        priority: priority.into(),
        status: status.into(),
        due_date: due.into(),
        ..Default::default()
    }
}

/// The demo incidents, and for the e-mail outage everything a full report shows: a review, a
/// survey answered by two thirds of 24 recipients, and four actions.
fn demo_database(dir: &Path) -> AppState {
    let state = state(dir, "demo.db");
    let actor = Actor::cli();
    let mut conn = state.pool.get().expect("connection");
    debrief::demo::load(&mut conn, &actor).expect("demo");
    debrief::reviews::manage::create(&mut conn, DEMO, &actor).expect("review");

    let survey = debrief::surveys::manage::create(&mut conn, DEMO, SurveyTemplate::Default, &actor)
        .expect("survey");
    for audience in ["employees", "management", "customers"] {
        for i in 0..8 {
            debrief::surveys::manage::add_recipient(
                &mut conn,
                &format!("person{i}.{audience}@example.org"),
                &format!("Person {i}"),
                audience,
                "de",
            )
            .expect("recipient");
        }
    }
    let invitees = debrief::db::write_transaction(&mut conn, |c| {
        debrief::db::invitations::create_for_survey(c, survey.id, "de")
    })
    .expect("invitations");
    debrief::db::surveys::set_status(
        &mut conn,
        survey.id,
        debrief::surveys::model::SurveyStatus::Open,
    )
    .expect("open");
    let questions = debrief::db::surveys::questions(&mut conn, survey.id).expect("questions");
    let remarks = [
        "Die SMS kam schnell, danach hörten wir lange nichts.",
        "Gut, dass Outlook im Web als Ausweg genannt wurde.",
        "Die Geschäftsleitung erfuhr es aus der Presse – das darf nicht sein.",
        "Verständlich geschrieben, aber zu spät.",
    ];
    for (n, (_, token)) in invitees.iter().enumerate().filter(|(n, _)| n % 3 != 2) {
        let pairs: Vec<(String, String)> = questions
            .iter()
            .filter_map(|q| {
                let value = match q.qtype {
                    QuestionType::Rating5 => (1 + (n * 7) % 5).to_string(),
                    QuestionType::Scale10 => ((n * 3) % 11).to_string(),
                    QuestionType::Text => remarks[n % remarks.len()].to_string(),
                    _ => {
                        let choices = q.choices();
                        choices.get(n % choices.len().max(1))?.value.clone()
                    }
                };
                Some((format!("q{}", q.id), value))
            })
            .collect();
        debrief::surveys::respond::submit(
            &mut conn,
            &Link::Personal(token.clone()),
            &pairs,
            "de",
            None,
        )
        .expect("answer");
    }

    for input in [
        action(
            "Statusseite zuerst aktualisieren",
            "in_progress",
            "high",
            "2026-04-30",
        ),
        action(
            "Geschäftsleitung per SMS alarmieren",
            "open",
            "high",
            "2026-03-31",
        ),
        action("SMS-Vorlage kürzen", "done", "medium", ""),
        action(
            "Kontaktformular-Ausfall melden",
            "open",
            "low",
            "2026-12-31",
        ),
    ] {
        debrief::actions::manage::create(&mut conn, &input, Some(DEMO), &actor).expect("action");
    }
    drop(conn);
    state
}

/// Shifts every `…_at` timestamp of a bundle by `by`.
fn shift_times(value: &mut serde_json::Value, by: Duration) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if key.ends_with("_at")
                    && let Some(t) = v.as_str().and_then(|s| s.parse::<DateTime<Utc>>().ok())
                {
                    *v = serde_json::Value::String((t + by).to_rfc3339());
                } else {
                    shift_times(v, by);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(|v| shift_times(v, by)),
        _ => {}
    }
}

/// 500 incidents from the two demo bundles: spread over 18 months, of every kind and severity,
/// with fewer messages here and there; every third with actions.
fn portfolio_database(dir: &Path) -> AppState {
    let state = state(dir, "portfolio.db");
    let actor = Actor::cli();
    let demos: Vec<serde_json::Value> = [
        include_str!("../assets/demo/email-outage-de.json"),
        include_str!("../assets/demo/social-crisis-en.json"),
    ]
    .iter()
    .map(|text| serde_json::from_str(text).expect("demo bundle"))
    .collect();
    let kinds = ["it_outage", "social_media", "security", "other"];
    let severities = ["sev1", "sev2", "sev3", "sev4"];
    let start = NaiveDate::from_ymd_opt(2025, 1, 6).expect("date");
    let mut files = Vec::new();
    for i in 0..500usize {
        let mut bundle = demos[i % 2].clone();
        let detected: DateTime<Utc> = bundle["incident"]["detected_at"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .expect("detected_at");
        let day = start + Duration::days((i * 545 / 500) as i64);
        let by = day.and_time(detected.time()) - detected.naive_utc()
            + Duration::minutes((i % 7) as i64 * 9);
        shift_times(&mut bundle, by);
        let incident = &mut bundle["incident"];
        incident["key"] = format!("GEN-{i:04}").into();
        let title = incident["title"].as_str().unwrap_or_default().to_string();
        incident["title"] = format!("{title} ({i})").into();
        incident["kind"] = kinds[(i * 3) % 4].into();
        incident["severity"] = severities[(i * 7) % 4].into();
        if let Some(messages) = bundle["messages"].as_array_mut() {
            let keep = messages.len().saturating_sub(i % 6).max(3);
            messages.truncate(keep);
        }
        files.push(SourceFile {
            name: format!("gen-{i:04}.json"),
            bytes: serde_json::to_vec(&bundle).expect("bundle"),
        });
    }
    let mut conn = state.pool.get().expect("connection");
    let summary = pipeline::run(
        &mut conn,
        &files,
        &ImportRequest {
            format: Some("debrief".into()),
            target: Target::FromFiles,
            dry_run: false,
            skip_invalid: false,
            read: Default::default(),
        },
        &actor,
    )
    .expect("import");
    assert!(summary.errors.is_empty(), "{:?}", summary.errors);
    let statuses = ["open", "in_progress", "done", "wont_do"];
    for i in (0..500usize).step_by(3) {
        for j in 0..(1 + i % 3) {
            let due = (start + Duration::days((i * 545 / 500 + 20 * j) as i64)).to_string();
            let input = action(
                &format!("Maßnahme {i}-{j}"),
                statuses[(i + j) % 4],
                "medium",
                &due,
            );
            debrief::actions::manage::create(
                &mut conn,
                &input,
                Some(&format!("GEN-{i:04}")),
                &actor,
            )
            .expect("action");
        }
    }
    drop(conn);
    state
}

/// The incident report's content as one HTML page, section by section as the PDF has it.
fn equivalent_html(report: &IncidentReport) -> String {
    let t = texts(report.lang);
    let score = |s: Option<f64>| s.map_or_else(|| "–".to_string(), |v| t.number(v, 0));
    let mut html = format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><style>\
         @font-face {{ font-family: 'Noto Sans'; src: url('../../assets/fonts/NotoSans-Regular.ttf'); }}\
         @font-face {{ font-family: 'Noto Sans'; font-weight: bold; src: url('../../assets/fonts/NotoSans-Bold.ttf'); }}\
         @font-face {{ font-family: 'Noto Sans'; font-style: italic; src: url('../../assets/fonts/NotoSans-Italic.ttf'); }}\
         @page {{ size: A4; margin: 26mm 20mm 22mm 22mm; @top-left {{ content: '{} · {}'; font-family: 'Noto Sans'; font-size: 7.5pt; }} @bottom-right {{ content: counter(page) \" / \" counter(pages); }} }}\
         body {{ font-family: 'Noto Sans', sans-serif; font-size: 9.5pt; color: #1d2433; }}\
         h1 {{ color: #005a8c; font-size: 16pt; border-bottom: 1px solid #c9ced6; page-break-before: always; page-break-after: avoid; }}\
         h2 {{ font-size: 11.5pt; page-break-after: avoid; }} svg {{ width: 100%; height: auto; }}\
         table {{ width: 100%; border-collapse: collapse; font-size: 8.3pt; }} thead {{ display: table-header-group; }}\
         th {{ background: #f3f5f8; text-align: left; }} td, th {{ padding: 3pt 4pt; border-bottom: 0.4pt solid #c9ced6; }}\
         .cover {{ background: #005a8c; color: white; padding: 40pt; }}\
         .tiles {{ display: flex; gap: 10pt; }} .tile {{ flex: 1; background: #f3f5f8; padding: 8pt; border-top: 3pt solid #0072b2; }}\
         .tile b {{ font-size: 28pt; display: block; white-space: nowrap; }} .tile small {{ font-size: 8pt; font-weight: normal; }}\
         </style></head><body>",
        report.lang.code(),
        escape(&report.facts.key),
        escape(&report.confidentiality)
    );
    let facts = &report.facts;
    let _ = write!(
        html,
        "<div class=\"cover\"><p>{}</p><p>{}</p><h2 style=\"color:white;font-size:26pt\">{}</h2><p>{} · {} · {}</p><p>{}: {}</p><p>{}</p></div>",
        escape(&report.organisation),
        t.incident_report,
        escape(&facts.title),
        escape(&facts.key),
        t.kind(&facts.kind),
        t.severity(&facts.severity),
        t.detected,
        escape(&facts.detected),
        escape(&report.confidentiality)
    );

    let _ = write!(
        html,
        "<h1>{}</h1><div class=\"tiles\">",
        t.executive_summary
    );
    for (label, dimension, value) in [
        (t.overall, Dimension::Overall, report.scores.overall),
        (
            t.timeliness,
            Dimension::Timeliness,
            report.scores.timeliness,
        ),
        (t.clarity, Dimension::Clarity, report.scores.clarity),
        (t.perceived, Dimension::Perceived, report.scores.perceived),
    ] {
        let _ = write!(
            html,
            "<div class=\"tile\">{label}<b>{} <small>/ 100</small></b>{}</div>",
            score(value),
            t.verdict(dimension, value)
        );
    }
    let _ = write!(
        html,
        "</div><p>{}</p><h2>{}</h2><ul>",
        escape(&facts.summary),
        t.top_findings
    );
    for finding in report.findings.iter().take(5) {
        let _ = write!(
            html,
            "<li><b>{}</b> {}</li>",
            t.finding_severity(finding.severity),
            escape(&finding.text)
        );
    }
    let _ = write!(html, "</ul><h2>{}</h2><ul>", t.top_actions);
    for action in report.actions.iter().take(5) {
        let _ = write!(
            html,
            "<li><b>{}</b> {} – {} {}</li>",
            t.priority(action.priority),
            escape(&action.title),
            t.action_status(action.status),
            escape(&action.due)
        );
    }

    let _ = write!(html, "</ul><h1>{}</h1><table>", t.facts);
    for (key, value) in [
        (t.key, facts.key.clone()),
        (t.title, facts.title.clone()),
        (t.kind, t.kind(&facts.kind)),
        (t.severity, t.severity(&facts.severity)),
        (t.status, t.incident_status(&facts.status)),
        (t.detected, facts.detected.clone()),
        (t.resolved, facts.resolved.clone().unwrap_or_default()),
        (t.affected_services, facts.affected_services.join(", ")),
    ] {
        let _ = write!(html, "<tr><th>{key}</th><td>{}</td></tr>", escape(&value));
    }
    html.push_str("</table>");

    let charts = incident_charts_svg(report).unwrap_or_default();
    let chart = |html: &mut String, ids: &[&str]| {
        for (id, svg) in charts.iter().filter(|(id, _)| ids.contains(id)) {
            let _ = write!(html, "<figure id=\"{id}\">{svg}</figure>");
        }
    };
    let _ = write!(html, "<h1>{}</h1>", t.timeliness);
    chart(&mut html, &["timeline", "first-message", "update-gaps"]);
    let _ = write!(
        html,
        "<h2>{}</h2><table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        t.per_audience, t.audience, t.first_message, t.target, t.timeliness, t.clarity, t.perceived
    );
    for a in &report.audiences {
        let _ = write!(
            html,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&a.name),
            a.first_message_minutes
                .map_or_else(|| t.no_message.to_string(), |m| t.duration(m)),
            a.first_message_target_minutes
                .map_or_else(|| "–".into(), |m| t.duration(m)),
            score(a.scores.timeliness),
            score(a.scores.clarity),
            score(a.scores.perceived)
        );
    }
    let _ = write!(html, "</tbody></table><h1>{}</h1>", t.clarity);
    chart(&mut html, &["clarity"]);
    let _ = write!(
        html,
        "<h2>{}</h2><table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        t.message_findings, t.sent, t.audiences, t.channel, t.clarity, t.findings
    );
    for row in &report.messages {
        let findings: Vec<String> = row.findings.iter().map(|f| escape(&f.1)).collect();
        let _ = write!(
            html,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&row.sent),
            escape(&row.audiences),
            escape(&row.channel),
            row.clarity.map_or_else(String::new, |c| t.number(c, 0)),
            findings.join("<br>")
        );
    }
    let _ = write!(html, "</tbody></table><h1>{}</h1>", t.perception);
    chart(
        &mut html,
        &[
            "response-rates",
            "survey",
            "measured-perceived",
            "survey-sentiment",
            "mentions-sentiment",
        ],
    );
    if let Some(survey) = &report.survey {
        let _ = write!(
            html,
            "<h2>{}</h2><table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
            t.response_rates_title, t.audience, t.invited, t.answered
        );
        for rate in &survey.response_rates {
            let _ = write!(
                html,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&rate.audience),
                rate.invited,
                rate.answered
            );
        }
        let _ = write!(
            html,
            "</tbody></table><h2>{}</h2><table><thead><tr><th>{}</th><th>{}</th><th></th></tr></thead><tbody>",
            t.other_questions, t.question, t.audience
        );
        for question in &survey.questions {
            for d in &question.per_audience {
                let counts: Vec<String> = question
                    .options
                    .iter()
                    .zip(&d.counts)
                    .map(|(o, n)| format!("{}: {n}", escape(o)))
                    .collect();
                let _ = write!(
                    html,
                    "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                    escape(&question.text),
                    escape(&d.audience),
                    counts.join(" · ")
                );
            }
        }
        html.push_str("</tbody></table>");
    }
    let _ = write!(html, "<h1>{}</h1>", t.review);
    for section in &report.review_sections {
        let _ = write!(
            html,
            "<h2>{}</h2><p>{}</p>",
            escape(&section.title),
            escape(&section.text).replace("\n\n", "</p><p>")
        );
    }
    let _ = write!(html, "<h1>{}</h1>", t.actions);
    chart(&mut html, &["action-status"]);
    let _ = write!(
        html,
        "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        t.action, t.owner, t.due, t.priority, t.status
    );
    for action in &report.actions {
        let _ = write!(
            html,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&action.title),
            escape(&action.owner),
            escape(&action.due),
            t.priority(action.priority),
            t.action_status(action.status)
        );
    }
    let _ = write!(html, "</tbody></table><h1>{}</h1>", t.appendix);
    for paragraph in t.method_text {
        let _ = write!(html, "<p>{}</p>", escape(paragraph));
    }
    let _ = write!(
        html,
        "<p>{}: {}</p><h2>{}</h2><table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        t.rubric_version, report.method.rubric_version, t.weights, t.group, t.criterion, t.weight
    );
    for w in &report.method.weights {
        let _ = write!(
            html,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&w.group),
            escape(&w.name),
            t.number(w.weight, 2)
        );
    }
    html.push_str("</tbody></table></body></html>");
    html
}

fn incident(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let state = demo_database(dir.path());
    let mut conn = state.pool.get().expect("connection");
    let report =
        debrief::reports::incident_report(&mut conn, DEMO, Lang::De).expect("report model");
    let charts = incident_charts_svg(&report).expect("charts").len();
    assert_eq!(
        charts,
        debrief::report::incident_charts::IncidentChart::IDS.len(),
        "the benchmarked report has every chart"
    );
    let _ = std::fs::write(
        reports_dir().join("bench-incident.html"),
        equivalent_html(&report),
    );
    let (_, pdf) = debrief::reports::incident_pdf(&mut conn, DEMO, Lang::De).expect("pdf");
    let _ = std::fs::write(reports_dir().join("bench-incident.pdf"), pdf);
    c.bench_function("incident_report_pdf", |b| {
        b.iter(|| {
            debrief::reports::incident_pdf(&mut conn, DEMO, Lang::De)
                .map(|(_, pdf)| pdf.len())
                .expect("report")
        })
    });
    c.bench_function("incident_report_render", |b| {
        b.iter(|| {
            debrief::reports::render_incident(&report)
                .map(|(_, pdf)| pdf.len())
                .expect("render")
        })
    });
}

fn portfolio(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let state = portfolio_database(dir.path());
    let mut conn = state.pool.get().expect("connection");
    let selection = PortfolioSelection {
        from: NaiveDate::from_ymd_opt(2025, 1, 1).expect("date"),
        to: NaiveDate::from_ymd_opt(2026, 12, 31).expect("date"),
        kind: None,
        severity: None,
    };
    // The first report scores and stores every incident; later ones find their scores stored.
    let first = debrief::reports::portfolio_report(&mut conn, &selection, Lang::En).expect("model");
    assert_eq!(first.incidents.len(), 500);
    let mut group = c.benchmark_group("portfolio");
    group.sample_size(10);
    group.bench_function("portfolio_500_pdf", |b| {
        b.iter(|| {
            debrief::reports::portfolio_pdf(&mut conn, &selection, Lang::En)
                .map(|(_, pdf)| pdf.len())
                .expect("report")
        })
    });
    group.finish();
}

criterion_group!(benches, incident, portfolio);
criterion_main!(benches);
