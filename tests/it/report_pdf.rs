//! The PDF reports checked with the tools a reader's machine has: qpdf, and poppler's pdfinfo,
//! pdffonts, pdftotext and pdftoppm. The PDFs and PNGs of their first pages stay under
//! `target/reports/` for a human look. Without the tools the tests say so and pass, unless
//! `DEBRIEF_REQUIRE_PDF_TOOLS=1` (CI) makes that a failure.
//! Install: `apt-get install poppler-utils qpdf`.

use std::path::{Path, PathBuf};
use std::process::Command;

use debrief::report::model::{IncidentReport, Lang};
use debrief::report::pdf::compose::overflowing_items;
use debrief::report::pdf::fonts::fonts;
use debrief::report::sample::{sample_huge_incident, sample_incident_report, sample_portfolio};
use debrief::report::{
    lay_out_incident, lay_out_portfolio, render_incident_pdf, render_portfolio_pdf,
};

const TOOLS: [&str; 5] = ["qpdf", "pdfinfo", "pdffonts", "pdftotext", "pdftoppm"];

pub fn tools_present() -> bool {
    let missing: Vec<&str> = TOOLS
        .iter()
        .copied()
        .filter(|tool| Command::new(tool).arg("-v").output().is_err())
        .collect();
    if missing.is_empty() {
        return true;
    }
    let message = format!(
        "PDF tools missing: {} (apt-get install poppler-utils qpdf)",
        missing.join(", ")
    );
    assert!(
        std::env::var("DEBRIEF_REQUIRE_PDF_TOOLS").as_deref() != Ok("1"),
        "{message}, and DEBRIEF_REQUIRE_PDF_TOOLS=1 requires them"
    );
    eprintln!("{message}; the PDF checks are skipped");
    false
}

fn reports_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .map_or_else(|| PathBuf::from("target"), Path::to_path_buf)
        .join("reports");
    std::fs::create_dir_all(&dir).expect("create target/reports");
    dir
}

pub fn run(tool: &str, args: &[&str]) -> String {
    let output = Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{tool}: {e}"));
    assert!(
        output.status.success(),
        "{tool} {args:?} failed: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn info_field(info: &str, field: &str) -> String {
    info.lines()
        .find_map(|line| line.strip_prefix(&format!("{field}:")))
        .map(|v| v.trim().to_string())
        .unwrap_or_default()
}

/// qpdf's structure check, A4 pages, metadata, every font embedded; returns the page count.
fn check_structure(path: &str, title: &str, author: &str) -> usize {
    let check = run("qpdf", &["--check", path]);
    assert!(
        check.contains("No syntax or stream encoding errors"),
        "{check}"
    );
    let info = run("pdfinfo", &[path]);
    assert_eq!(info_field(&info, "Title"), title);
    assert_eq!(info_field(&info, "Author"), author);
    assert!(!info_field(&info, "Subject").is_empty(), "{info}");
    assert!(!info_field(&info, "CreationDate").is_empty(), "{info}");
    assert!(
        info_field(&info, "Page size").starts_with("595.28 x 841.89 pts (A4)"),
        "{info}"
    );
    let fonts = run("pdffonts", &[path]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{fonts}");
    for row in rows {
        let columns: Vec<&str> = row.split_whitespace().collect();
        // name, type (two words), encoding, then emb sub uni.
        let emb = columns.iter().rev().nth(4).copied();
        assert_eq!(emb, Some("yes"), "font not embedded: {row}");
        let sub = columns.iter().rev().nth(3).copied();
        assert_eq!(sub, Some("yes"), "font not subset: {row}");
        let uni = columns.iter().rev().nth(2).copied();
        assert_eq!(uni, Some("yes"), "font without ToUnicode map: {row}");
    }
    info_field(&info, "Pages").parse().expect("page count")
}

/// The outline's top level is the report's sections in reading order, the summary's
/// sub-headings nest under it, and the catalogue names the language.
fn check_outline_and_language(path: &str, lang: &str, first_section: &str) {
    let json: serde_json::Value =
        serde_json::from_str(&run("qpdf", &["--json", "--json-key=outlines", path]))
            .expect("qpdf json");
    let outlines = json["outlines"].as_array().expect("an outline");
    let titles: Vec<&str> = outlines
        .iter()
        .filter_map(|o| o["title"].as_str())
        .collect();
    assert_eq!(titles.first().copied(), Some(first_section), "{titles:?}");
    assert!(titles.len() >= 7, "{titles:?}");
    assert!(
        outlines[0]["kids"]
            .as_array()
            .is_some_and(|kids| kids.len() >= 2),
        "summary has nested entries"
    );
    let pages: Vec<u64> = outlines
        .iter()
        .filter_map(|o| o["destpageposfrom1"].as_u64())
        .collect();
    assert!(
        pages.windows(2).all(|w| w[0] <= w[1]),
        "outline in page order: {pages:?}"
    );
    let qdf = run("qpdf", &["--qdf", "--object-streams=disable", path, "-"]);
    assert!(
        qdf.contains(&format!("/Lang ({lang})")),
        "no /Lang ({lang}) in the catalogue"
    );
}

fn text_of(path: &str, pages: Option<(usize, usize)>) -> String {
    match pages {
        Some((first, last)) => run(
            "pdftotext",
            &["-f", &first.to_string(), "-l", &last.to_string(), path, "-"],
        ),
        None => run("pdftotext", &[path, "-"]),
    }
}

fn render_pngs(path: &str, stem: &str) {
    let prefix = reports_dir().join(stem);
    run(
        "pdftoppm",
        &[
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "3",
            "-png",
            path,
            prefix.to_str().expect("utf-8 path"),
        ],
    );
}

fn write(name: &str, bytes: &[u8]) -> String {
    let path = reports_dir().join(name);
    std::fs::write(&path, bytes).expect("write PDF");
    path.to_string_lossy().into_owned()
}

/// A word of a page as `pdftotext -bbox` gives it: its box in points and its text.
#[derive(Debug, Clone)]
struct Word {
    x0: f64,
    y0: f64,
    y1: f64,
    text: String,
}

fn words_on_page(path: &str, page: usize) -> Vec<Word> {
    let html = run(
        "pdftotext",
        &[
            "-bbox",
            "-f",
            &page.to_string(),
            "-l",
            &page.to_string(),
            path,
            "-",
        ],
    );
    let word = regex::Regex::new(
        r#"<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="[0-9.]+" yMax="([0-9.]+)">([^<]*)</word>"#,
    )
    .expect("regex");
    word.captures_iter(&html)
        .map(|c| Word {
            x0: c[1].parse().expect("x"),
            y0: c[2].parse().expect("y"),
            y1: c[3].parse().expect("y"),
            text: c[4]
                .replace("&amp;", "&")
                .replace("&lt;", "<")
                .replace("&gt;", ">"),
        })
        .collect()
}

/// The score tiles of the executive summary (page 2) as a reader sees them: for each tile label,
/// the whole number printed under it (`Some`) or "–" (`None`). A number counts only where the
/// tile puts it: right under its label, followed by "/ 100" on the same line.
fn summary_tiles(path: &str, labels: &[&str]) -> Vec<Option<u32>> {
    let words = words_on_page(path, 2);
    labels
        .iter()
        .map(|label| {
            words
                .iter()
                .filter(|w| w.text == *label)
                .find_map(|l| {
                    let below = words
                        .iter()
                        .filter(|w| (w.x0 - l.x0).abs() < 1.0 && w.y0 > l.y1 && w.y0 < l.y1 + 60.0)
                        .min_by(|a, b| a.y0.total_cmp(&b.y0))?;
                    if below.text == "–" {
                        return Some(None);
                    }
                    let number: u32 = below.text.parse().ok()?;
                    let mut right: Vec<&Word> = words
                        .iter()
                        .filter(|w| {
                            w.x0 > below.x0
                                && (w.y1 - below.y1).abs() < 12.0
                                && w.x0 < below.x0 + 80.0
                        })
                        .collect();
                    right.sort_by(|a, b| a.x0.total_cmp(&b.x0));
                    let out_of: Vec<&str> = right.iter().take(2).map(|w| w.text.as_str()).collect();
                    (out_of == ["/", "100"]).then_some(Some(number))
                })
                .unwrap_or_else(|| panic!("no score tile {label:?} on page 2 of {path}"))
        })
        .collect()
}

/// A tile shows the score rounded to a whole number.
fn assert_shown(label: &str, shown: Option<u32>, score: Option<f64>) {
    match (shown, score) {
        (Some(n), Some(s)) => assert!(
            (f64::from(n) - s).abs() <= 0.5,
            "{label}: the summary shows {n}, the score is {s}"
        ),
        (None, None) => {}
        _ => panic!("{label}: the summary shows {shown:?}, the score is {score:?}"),
    }
}

fn tile_labels(lang: Lang) -> [&'static str; 4] {
    match lang {
        Lang::De => [
            "Gesamt",
            "Rechtzeitigkeit",
            "Verständlichkeit",
            "Wahrnehmung",
        ],
        Lang::En => ["Overall", "Timeliness", "Clarity", "Perceived"],
    }
}

fn check_incident(report: &IncidentReport, headings: &[&str]) {
    let bytes = render_incident_pdf(report).expect("render");
    let stem = format!("incident-{}", report.lang.code());
    let path = write(&format!("{stem}.pdf"), &bytes);
    let title = format!("{} – {}", report.facts.key, report.facts.title);
    let pages = check_structure(&path, &title, &report.organisation);
    assert!(pages >= 6, "{pages} pages");

    let text = text_of(&path, None);
    for heading in headings {
        assert!(text.contains(heading), "missing section {heading:?}");
    }
    for needle in ["ä", "ö", "ü", "ß", "€", "–"] {
        assert!(
            text.contains(needle),
            "{needle:?} does not come back as text"
        );
    }
    let quotes = if report.lang == Lang::De {
        ["„", "“"]
    } else {
        ["“", "”"]
    };
    for quote in quotes {
        assert!(text.contains(quote), "typographic quote {quote:?} lost");
    }
    // The summary page shows the model's scores, rounded, each under its label.
    let labels = tile_labels(report.lang);
    let shown = summary_tiles(&path, &labels);
    for ((label, shown), score) in labels.iter().zip(shown).zip([
        report.scores.overall,
        report.scores.timeliness,
        report.scores.clarity,
        report.scores.perceived,
    ]) {
        assert_shown(label, shown, score);
    }
    check_outline_and_language(&path, report.lang.code(), headings[0]);
    // The running header carries the key and the confidentiality label on every page but the cover.
    let last_page = text_of(&path, Some((pages, pages)));
    assert!(
        last_page.contains(&report.facts.key) && last_page.contains(&report.confidentiality),
        "{last_page}"
    );
    render_pngs(&path, &stem);
}

#[test]
fn incident_report_in_german() {
    if !tools_present() {
        return;
    }
    check_incident(
        &sample_incident_report(Lang::De),
        &[
            "Management-Zusammenfassung",
            "Eckdaten des Vorfalls",
            "Rechtzeitigkeit",
            "Verständlichkeit",
            "Wahrnehmung der Betroffenen",
            "Nachbetrachtung",
            "Verbesserungsmaßnahmen",
            "Anhang: Methode",
            "Seite 2 von",
        ],
    );
}

#[test]
fn incident_report_in_english() {
    if !tools_present() {
        return;
    }
    check_incident(
        &sample_incident_report(Lang::En),
        &[
            "Executive summary",
            "Incident facts",
            "Timeliness",
            "Clarity",
            "Stakeholder perception",
            "After-action review",
            "Improvement actions",
            "Appendix: method",
            "Page 2 of",
        ],
    );
}

#[test]
fn a_huge_incident_paginates_its_tables_and_nothing_overflows() {
    let report = sample_huge_incident(Lang::De, 5000);
    let laid_out = lay_out_incident(&report).expect("lay out");
    let fonts = fonts().expect("fonts");
    let overflowing = overflowing_items(fonts, &laid_out.pages);
    assert!(
        overflowing.is_empty(),
        "{} items outside the page, e.g. {:?}",
        overflowing.len(),
        overflowing.first()
    );
    assert!(laid_out.pages.len() > 60, "{} pages", laid_out.pages.len());
    if !tools_present() {
        return;
    }
    let path = write("incident-huge.pdf", &laid_out.to_pdf().expect("pdf"));
    let pages = check_structure(
        &path,
        &format!("{} – {}", report.facts.key, report.facts.title),
        &report.organisation,
    );
    let text = text_of(&path, None);
    // The findings table's header row is repeated on every page it runs over.
    let table_pages = text
        .split('\u{c}')
        .filter(|page| page.contains("Gesendet") && page.contains("Befunde"))
        .count();
    assert!(
        table_pages > 50,
        "header repeated on {table_pages} of {pages} pages"
    );
    // pdftotext gives the no-break space between date and time as a plain space.
    let last_message = report
        .messages
        .last()
        .expect("messages")
        .sent
        .replace('\u{a0}', " ");
    assert!(
        text.contains(&last_message),
        "last row {last_message} missing"
    );
}

#[test]
fn portfolio_report_over_five_hundred_incidents() {
    let report = sample_portfolio(Lang::En, 500);
    let laid_out = lay_out_portfolio(&report).expect("lay out");
    let overflowing = overflowing_items(fonts().expect("fonts"), &laid_out.pages);
    assert!(overflowing.is_empty(), "{overflowing:?}");
    if !tools_present() {
        return;
    }
    let bytes = render_portfolio_pdf(&report).expect("render");
    let path = write("portfolio-en.pdf", &bytes);
    let pages = check_structure(
        &path,
        &format!("Crisis communication portfolio {}", report.range),
        &report.organisation,
    );
    assert!(pages > 10, "{pages}");
    let text = text_of(&path, None);
    for heading in [
        "Overview",
        "Incidents by kind and severity",
        "Score trends per quarter",
        "Incidents in the period",
        "€12,000",
    ] {
        assert!(text.contains(heading), "missing {heading:?}");
    }
    assert!(
        text.contains(&report.incidents[499].key),
        "last incident missing"
    );
    render_pngs(&path, "portfolio-en");

    let german = render_portfolio_pdf(&sample_portfolio(Lang::De, 40)).expect("render");
    let path = write("portfolio-de.pdf", &german);
    let text = text_of(&path, None);
    for needle in [
        "Überblick",
        "Vorfälle nach Art und Schweregrad",
        "€",
        "Störung",
        "Seite 2 von",
    ] {
        assert!(text.contains(needle), "missing {needle:?}");
    }
}

#[test]
fn an_incident_with_nothing_yet_still_renders() {
    let mut report = sample_incident_report(Lang::En);
    report.scores = Default::default();
    report.audiences.truncate(1);
    report.audiences[0].first_message_minutes = None;
    report.audiences[0].scores = Default::default();
    report.findings.clear();
    report.timeline.resolved_at = None;
    report.timeline.phases.clear();
    report.timeline.messages.clear();
    report.timeline.promises.clear();
    report.timeline.silences.clear();
    report.clarity.clear();
    report.messages.clear();
    report.survey = None;
    report.mentions_sentiment.clear();
    report.review_sections.clear();
    report.actions.clear();
    report.facts.summary.clear();
    let laid_out = lay_out_incident(&report).expect("lay out");
    assert!(overflowing_items(fonts().expect("fonts"), &laid_out.pages).is_empty());
    let pdf = laid_out.to_pdf().expect("pdf");
    assert!(pdf.starts_with(b"%PDF-"));
    let charts = debrief::report::incident_charts_svg(&report).expect("charts");
    let ids: Vec<&str> = charts.iter().map(|(id, _)| *id).collect();
    assert_eq!(
        ids,
        ["timeline", "first-message"],
        "only charts with something to show"
    );
    if tools_present() {
        let path = write("incident-empty.pdf", &pdf);
        check_structure(
            &path,
            &format!("{} – {}", report.facts.key, report.facts.title),
            &report.organisation,
        );
        let text = text_of(&path, None);
        assert!(
            text.contains("Not measured")
                && text.contains("No findings were recorded.")
                && text.contains("No messages have been recorded"),
            "{text}"
        );
    }
}

/// The demo e-mail outage's report as a viewer downloads it (the API route: the same loading and
/// rendering as the page and the CLI), read back with pdftotext: every score in the executive
/// summary is the scorecard's, in German and English, on both backends.
#[actix_web::test]
async fn the_demo_reports_summary_shows_the_scorecards_numbers() {
    if !tools_present() {
        return;
    }
    const KEY: &str = "INC-2026-014";
    for db in crate::common::backends() {
        let state = crate::common::state_for(&db);
        debrief::demo::load(
            &mut state.pool.get().expect("conn"),
            &debrief::db::audit::Actor::cli(),
        )
        .expect("demo");
        crate::common::create_user(&state, "viewer@firma.ch", debrief::domain::Role::Viewer);
        let mut c = crate::app!(state);
        c.login("viewer@firma.ch", crate::common::ADMIN_PASSWORD)
            .await;
        let card = c
            .get(&format!("/api/v1/incidents/{KEY}/scores"))
            .await
            .json();
        let surveys = c
            .get(&format!("/api/v1/incidents/{KEY}/surveys"))
            .await
            .json();
        assert_eq!(
            surveys.as_array().map(Vec::len),
            Some(0),
            "the demo has no survey, so nothing is perceived yet"
        );
        for lang in [Lang::De, Lang::En] {
            let pdf = c
                .get(&format!(
                    "/api/v1/incidents/{KEY}/report.pdf?lang={}",
                    lang.code()
                ))
                .await;
            assert_eq!(pdf.status, actix_web::http::StatusCode::OK);
            let path = write(
                &format!("demo-{}-{:?}.pdf", lang.code(), db.backend).to_lowercase(),
                &pdf.bytes,
            );
            let check = run("qpdf", &["--check", &path]);
            assert!(
                check.contains("No syntax or stream encoding errors"),
                "{check}"
            );
            let labels = tile_labels(lang);
            let shown = summary_tiles(&path, &labels);
            for (i, field) in ["overall", "timeliness", "clarity"].iter().enumerate() {
                let score = card[field].as_f64();
                assert!(score.is_some(), "the demo has a {field} score: {card}");
                assert_shown(labels[i], shown[i], score);
            }
            assert_shown(labels[3], shown[3], None);
        }
    }
}
