//! The README's first command, end to end: the real binary on a real port with the demo, the
//! setup link from its console, the first admin, the demo incidents, and a graceful stop.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

fn csrf(body: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = body.find(marker).expect("csrf field") + marker.len();
    body[start..start + body[start..].find('"').expect("end")].to_string()
}

#[test]
fn serve_prints_a_setup_link_and_shows_the_demo_after_setup() {
    let dir = tempfile::tempdir().expect("tempdir");
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut child = Command::new(env!("CARGO_BIN_EXE_debrief"))
        .args(["serve", "--demo", "--bind", &format!("127.0.0.1:{port}")])
        .env("DEBRIEF_DATA_DIR", dir.path())
        .env("DEBRIEF_PUBLIC_URL", &base)
        .env_remove("DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start debrief");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let link = loop {
        let line = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("setup link printed");
        if let Some(i) = line.find(&format!("{base}/setup/")) {
            break line[i..].trim().to_string();
        }
    };
    let started = Instant::now();
    while ureq::get(&format!("{base}/healthz")).call().is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "server did not come up"
        );
        std::thread::sleep(Duration::from_millis(100));
    }

    let agent = ureq::AgentBuilder::new().redirects(0).build();
    let form = agent
        .get(&link)
        .call()
        .expect("setup page")
        .into_string()
        .expect("body");
    let password = "Wolken über dem Säntis";
    let res = agent
        .post(&link)
        .send_form(&[
            ("csrf_token", &csrf(&form)),
            ("name", "Ada Admin"),
            ("email", "ada@firma.ch"),
            ("password", password),
            ("password_repeat", password),
        ])
        .expect("setup");
    assert_eq!(res.status(), 303);
    let login = agent
        .get(&format!("{base}/login"))
        .call()
        .expect("login page")
        .into_string()
        .expect("body");
    let res = agent
        .post(&format!("{base}/login"))
        .send_form(&[
            ("csrf_token", &csrf(&login)),
            ("email", "ada@firma.ch"),
            ("password", password),
            ("next", "/incidents"),
        ])
        .expect("login");
    assert_eq!(res.status(), 303);
    let list = agent
        .get(&format!("{base}/incidents"))
        .call()
        .expect("incidents")
        .into_string()
        .expect("body");
    assert!(
        list.contains("INC-2026-014") && list.contains("INC-2026-021"),
        "both demo incidents are listed"
    );
    let page = agent
        .get(&format!("{base}/incidents/INC-2026-014"))
        .call()
        .expect("incident")
        .into_string()
        .expect("body");
    assert!(page.contains("Outlook"), "the timeline shows the messages");
    // The setup link is spent.
    assert!(agent.get(&link).call().is_err(), "second use is refused");

    // SIGTERM: the server stops gracefully and exits cleanly.
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    let deadline = Instant::now() + Duration::from_secs(40);
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            assert!(status.success(), "exit status {status}");
            break;
        }
        assert!(Instant::now() < deadline, "did not stop after SIGTERM");
        std::thread::sleep(Duration::from_millis(100));
    }
}
