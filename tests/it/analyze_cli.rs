//! `debrief analyze` end to end: the built binary on a small JSON-lines file and on stdin.

use std::io::Write;
use std::process::{Command, Stdio};

const INPUT: &str = concat!(
    r#"{"id":"de-1","lang":"de","kind":"initial","audience":"customers","channel":"social","text":"Seit 9:12 Uhr ist unser E-Banking gestört. Wir arbeiten an einer Lösung. Nächstes Update um 10:30 Uhr."}"#,
    "\n",
    r#"{"id":"en-1","kind":"update","audience":"lay","channel":"status_page","text":"We are rolling back the deployment. Updates will follow shortly."}"#,
    "\n",
    r#"{"id":"bad","kind":"update","channel":"email","text":"No audience here."}"#,
    "\n",
    r#"{"id":"en-2","kind":"resolution","audience":"technical","channel":"chat","text":"Portal logins working again since 11:22. Cause: an expired certificate."}"#,
    "\n",
);

fn debrief() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_debrief"));
    // The command needs no database or configuration; keep the environment from offering one.
    cmd.env_remove("DATABASE_URL").env_remove("DEBRIEF_CONFIG");
    cmd
}

#[test]
fn analyze_writes_one_json_line_per_message_and_reports_bad_lines() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("messages.jsonl");
    std::fs::write(&path, INPUT).expect("write input");
    let out = debrief()
        .args(["analyze", "--json"])
        .arg(&path)
        .output()
        .expect("run debrief analyze");
    assert!(
        !out.status.success(),
        "a bad line makes the exit status non-zero"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("line 3 (id bad): audience: is missing"),
        "{stderr}"
    );
    let results: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("every output line is JSON"))
        .collect();
    let ids: Vec<&str> = results.iter().filter_map(|r| r["id"].as_str()).collect();
    assert_eq!(
        ids,
        vec!["de-1", "en-1", "en-2"],
        "the lines after the bad one are processed"
    );

    let de = &results[0];
    assert_eq!(de["lang"], "de");
    assert!(de["readability"]["amstad"].as_f64().is_some());
    assert!(de["readability"]["lix"].as_f64().is_some());
    assert_eq!(de["labels"]["E2_service"], true);
    assert_eq!(de["labels"]["E8_time_window"], true);
    assert_eq!(de["labels"]["next_update_at"], "10:30 Uhr");
    for part in ["total", "completeness", "language", "tone", "honesty"] {
        assert!(de["clarity"][part].as_f64().is_some(), "clarity.{part}");
    }

    let en = &results[1];
    assert_eq!(en["lang"], "en");
    assert!(en["readability"]["flesch"].as_f64().is_some());
    assert_eq!(en["labels"]["vague_time"], true);
    let jargon: Vec<&str> = en["labels"]["jargon"]
        .as_array()
        .expect("jargon list")
        .iter()
        .filter_map(|j| j.as_str())
        .collect();
    assert_eq!(jargon, vec!["rolling back", "deployment"]);
    let codes: Vec<&str> = en["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["code"].as_str())
        .collect();
    assert!(codes.contains(&"E5.missing") && codes.contains(&"honesty.vague_time"));

    let technical = &results[2];
    assert_eq!(technical["labels"]["jargon"], serde_json::json!([]));
    assert_eq!(technical["labels"]["E10_cause"], true);
}

#[test]
fn analyze_reads_standard_input_and_prints_readable_lines() {
    let mut child = debrief()
        .args(["analyze", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start debrief analyze");
    let first_line = INPUT.lines().next().expect("a line");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(format!("{first_line}\n").as_bytes())
        .expect("write stdin");
    let out = child.wait_with_output().expect("wait");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.lines().count(), 1);
    assert!(stdout.starts_with("de-1 [de] clarity "), "{stdout}");
}

/// With a sending time the promised update and the ETA come out as UTC; a text over the limit
/// is refused by line and id while the other lines are analysed.
#[test]
fn analyze_resolves_times_from_sent_at_and_refuses_overlong_texts() {
    let long = "The portal is down. ".repeat(1_001);
    let input = [
        serde_json::json!({"id": "timed", "kind": "update", "audience": "lay", "channel": "email",
            "sent_at": "2026-06-02T08:10:00+02:00",
            "text": "The portal is down. We expect it back by 11:00. Next update at 9:30."}),
        serde_json::json!({"id": "too-long", "kind": "update", "audience": "lay", "text": long}),
    ]
    .map(|v| v.to_string())
    .join("\n");
    let mut child = debrief()
        .args(["analyze", "--json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start debrief analyze");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write stdin");
    let out = child.wait_with_output().expect("wait");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("line 2 (id too-long): text: is 20020 characters long; at most 20000"),
        "{stderr}"
    );
    let results: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(results.len(), 1);
    // Zurich is on summer time in June: 09:30 and 11:00 local are 07:30 and 09:00 UTC.
    assert_eq!(results[0]["next_update_at"], "2026-06-02T07:30:00Z");
    assert_eq!(results[0]["eta_at"], "2026-06-02T09:00:00Z");
}
