//! `debrief report` end to end: the built binary on a database with the demo loaded (both
//! backends), its PDFs read back with pdfinfo and pdftotext; a kind or severity that does not
//! exist is refused with the allowed values and writes nothing.

use std::path::Path;
use std::process::{Command, Output};

use crate::common::{TestDb, backends};
use crate::report_pdf::{run, tools_present};

fn debrief(db: &TestDb, data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_debrief"))
        .env_remove("DEBRIEF_CONFIG")
        .env("DATABASE_URL", &db.url)
        .env("DEBRIEF_DATA_DIR", data_dir)
        .args(args)
        .output()
        .expect("run debrief")
}

fn succeeded(out: &Output, what: &str) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{what} failed: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

fn pdf_field(path: &str, field: &str) -> String {
    run("pdfinfo", &[path])
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{field}:")))
        .map(|v| v.trim().to_string())
        .unwrap_or_default()
}

#[test]
fn report_writes_the_incident_and_the_portfolio_pdfs_and_refuses_unknown_filters() {
    if !tools_present() {
        return;
    }
    for db in backends() {
        let dir = tempfile::tempdir().expect("temp dir");
        succeeded(&debrief(&db, dir.path(), &["demo"]), "demo");

        let incident = dir.path().join("incident.pdf");
        let incident_path = incident.to_str().expect("utf-8 path");
        let out = debrief(
            &db,
            dir.path(),
            &[
                "report",
                "--incident",
                "inc-2026-014",
                "--lang",
                "de",
                "-o",
                incident_path,
            ],
        );
        assert!(succeeded(&out, "incident report").contains("incident.pdf"));
        assert!(
            pdf_field(incident_path, "Title").starts_with("INC-2026-014 – E-Mail-Störung"),
            "{}",
            run("pdfinfo", &[incident_path])
        );
        assert!(pdf_field(incident_path, "Page size").contains("(A4)"));
        let pages: usize = pdf_field(incident_path, "Pages").parse().expect("pages");
        assert!(pages >= 5, "{pages} pages");
        let text = run("pdftotext", &[incident_path, "-"]);
        for needle in [
            "Management-Zusammenfassung",
            "Eckdaten des Vorfalls",
            "Anhang: Methode",
        ] {
            assert!(text.contains(needle), "{needle} missing");
        }

        let portfolio = dir.path().join("portfolio.pdf");
        let portfolio_path = portfolio.to_str().expect("utf-8 path");
        let out = debrief(
            &db,
            dir.path(),
            &[
                "report",
                "--portfolio",
                "--from",
                "2026-01-01",
                "--to",
                "2026-12-31",
                "--kind",
                "social_media",
                "--lang",
                "en",
                "-o",
                portfolio_path,
            ],
        );
        succeeded(&out, "portfolio report");
        assert_eq!(
            pdf_field(portfolio_path, "Title"),
            "Crisis communication portfolio 1 Jan 2026 – 31 Dec 2026"
        );
        let text = run("pdftotext", &[portfolio_path, "-"]);
        assert!(
            text.contains("INC-2026-021") && !text.contains("INC-2026-014"),
            "only the social media crisis: {text}"
        );
        assert!(text.contains("27 Mar 2026"), "dates in English: {text}");

        // Unknown filters: the allowed values are named, nothing is written.
        for (flag, value, allowed) in [
            (
                "--kind",
                "outage",
                "it_outage, social_media, security, other",
            ),
            ("--severity", "sev9", "sev1, sev2, sev3, sev4"),
        ] {
            let refused = dir.path().join("refused.pdf");
            let out = debrief(
                &db,
                dir.path(),
                &[
                    "report",
                    "--portfolio",
                    "--from",
                    "2026-01-01",
                    "--to",
                    "2026-12-31",
                    flag,
                    value,
                    "-o",
                    refused.to_str().expect("utf-8 path"),
                ],
            );
            assert!(!out.status.success(), "{flag} {value} accepted");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                stderr.contains(&format!("'{value}' is not one of: {allowed}")),
                "{stderr}"
            );
            assert!(!refused.exists(), "nothing written for {flag} {value}");
        }
        let out = debrief(
            &db,
            dir.path(),
            &["report", "--incident", "INC-1999-001", "-o", incident_path],
        );
        assert!(!out.status.success());
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("no incident has the key INC-1999-001")
        );
    }
}
