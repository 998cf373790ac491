//! The HTTP API against its OpenAPI document, by schemathesis (tests/schemathesis.sh): no server
//! error and every answer as documented, for generated valid and invalid requests.

use std::process::Command;

/// Examples per operation: enough to reach every documented status code, small enough for CI
/// (about a minute and a half for the 62 operations).
const EXAMPLES: &str = "25";

#[test]
fn every_operation_answers_as_its_schema_documents() {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/schemathesis.sh");
    let output = Command::new("bash")
        .arg(script)
        .arg(EXAMPLES)
        .env("DEBRIEF_BIN", env!("CARGO_BIN_EXE_debrief"))
        .output()
        .expect("bash runs tests/schemathesis.sh");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let summary: String = stdout
        .lines()
        .skip_while(|l| !l.contains("FAILURES") && !l.contains("SUMMARY"))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        output.status.success(),
        "schemathesis found problems:\n{summary}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // "3135 generated, 3135 passed": a run that generated few cases reached nothing.
    let generated: usize = stdout
        .lines()
        .find_map(|l| l.trim().split_once(" generated,"))
        .and_then(|(n, _)| n.trim().parse().ok())
        .unwrap_or(0);
    assert!(
        generated >= 2000,
        "schemathesis generated only {generated} cases:\n{summary}"
    );
}
