//! The README's first command, end to end: the real binary on a real port with the demo, the
//! setup link from its console, the first admin, the demo incidents, and a graceful stop.

use crate::common::server::Server;

fn csrf(body: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = body.find(marker).expect("csrf field") + marker.len();
    body[start..start + body[start..].find('"').expect("end")].to_string()
}

#[test]
fn serve_prints_a_setup_link_and_shows_the_demo_after_setup() {
    let server = Server::start_demo();
    let base = server.base.clone();
    let link = server.setup_link();

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
    let status = server.stop();
    assert!(status.success(), "exit status {status}");
}
