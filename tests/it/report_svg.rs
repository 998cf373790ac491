//! The charts as SVG for the web: snapshots of every chart of the sample reports
//! (`tests/fixtures/svg/`; `DEBRIEF_UPDATE_SNAPSHOTS=1` rewrites them after an intended change),
//! and the promise that an SVG is safe to inline in a page.

use std::path::PathBuf;

use debrief::report::model::Lang;
use debrief::report::sample::{sample_incident_report, sample_portfolio};
use debrief::report::{incident_charts_svg, portfolio_charts_svg};

fn snapshot_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/svg")
}

fn check_snapshot(name: &str, svg: &str) {
    let path = snapshot_dir().join(format!("{name}.svg"));
    if std::env::var("DEBRIEF_UPDATE_SNAPSHOTS").as_deref() == Ok("1") {
        std::fs::create_dir_all(snapshot_dir()).expect("snapshot dir");
        std::fs::write(&path, svg).expect("write snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "no snapshot {} (DEBRIEF_UPDATE_SNAPSHOTS=1 writes it)",
            path.display()
        )
    });
    if expected != svg {
        let actual = path.with_extension("actual.svg");
        std::fs::write(&actual, svg).expect("write actual");
        panic!(
            "{name}.svg changed; the new rendering is in {} (DEBRIEF_UPDATE_SNAPSHOTS=1 accepts it)",
            actual.display()
        );
    }
}

#[test]
fn incident_charts_match_their_snapshots() {
    let charts = incident_charts_svg(&sample_incident_report(Lang::En)).expect("charts");
    let ids: Vec<&str> = charts.iter().map(|(id, _)| *id).collect();
    assert_eq!(
        ids,
        [
            "timeline",
            "first-message",
            "update-gaps",
            "clarity",
            "response-rates",
            "survey",
            "measured-perceived",
            "survey-sentiment",
            "mentions-sentiment",
            "action-status"
        ]
    );
    for (id, svg) in &charts {
        check_snapshot(&format!("incident-{id}"), svg);
    }
    let german = incident_charts_svg(&sample_incident_report(Lang::De)).expect("charts");
    let (_, timeline) = &german[0];
    assert!(
        timeline.contains("Kundinnen und") && timeline.contains("Zugesagtes Update verpasst"),
        "German labels"
    );
    check_snapshot("incident-timeline-de", timeline);
}

#[test]
fn portfolio_charts_match_their_snapshots() {
    for (id, svg) in portfolio_charts_svg(&sample_portfolio(Lang::En, 60)).expect("charts") {
        check_snapshot(&format!("portfolio-{id}"), &svg);
    }
}

#[test]
fn svg_is_safe_to_inline() {
    let mut report = sample_incident_report(Lang::En);
    report.audiences[0].name = "<script>alert(1)</script> & \"friends\"".into();
    report.timeline.messages[0].channel = "<img src=x onerror=alert(1)>".into();
    for (id, svg) in incident_charts_svg(&report).expect("charts") {
        assert!(
            svg.starts_with("<svg viewBox=\"0 0 954 "),
            "{id}: fixed viewBox first"
        );
        assert!(
            svg.contains("width=\"100%\""),
            "{id}: scales to its container"
        );
        assert!(svg.contains("<title>"), "{id}: accessible name");
        let lower = svg.to_lowercase();
        for forbidden in [
            "<script",
            "onerror",
            "onload",
            "href=",
            "<foreignobject",
            "javascript:",
        ] {
            assert!(!lower.contains(forbidden), "{id} contains {forbidden}");
        }
        assert_eq!(svg.matches("<svg").count(), 1, "{id}");
        assert!(svg.trim_end().ends_with("</svg>"), "{id}");
    }
    let charts = incident_charts_svg(&report).expect("charts");
    let timeline = &charts[0].1;
    assert!(
        timeline.contains("&lt;script&gt;"),
        "the audience name is escaped, not dropped"
    );
}
