//! Driving the real binary over HTTP as its users do: the API with a bearer token, survey
//! recipients from the CLI, and respondents answering their personal links.

use std::time::Duration;

use super::server::Server;

/// A request to the API; `Err` only when no HTTP answer came (connection refused or cut).
pub fn api(
    base: &str,
    token: &str,
    method: &str,
    path: &str,
    body: &str,
) -> Result<(u16, String), String> {
    let req = ureq::request(method, &format!("{base}{path}"))
        .set("Authorization", &format!("Bearer {token}"))
        .timeout(Duration::from_secs(120));
    let res = if method == "GET" {
        req.call()
    } else {
        req.set("Content-Type", "application/json")
            .send_string(body)
    };
    match res {
        Ok(r) => Ok((r.status(), r.into_string().unwrap_or_default())),
        Err(ureq::Error::Status(code, r)) => Ok((code, r.into_string().unwrap_or_default())),
        Err(e) => Err(e.to_string()),
    }
}

pub fn json(s: &str) -> serde_json::Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("not JSON ({e}): {s}"))
}

/// `n` recipients of the employees audience, imported with the CLI.
pub fn recipients(server: &Server, n: usize) {
    let mut csv = String::from("email;name;audience;language\n");
    for i in 0..n {
        csv.push_str(&format!("person{i}@firma.ch;Person {i};employees;de\n"));
    }
    let path = server.data_dir.path().join("recipients.csv");
    std::fs::write(&path, csv).expect("csv");
    server.cli(
        &[
            "import",
            "--records",
            "recipients",
            path.to_str().expect("path"),
        ],
        "",
    );
}

/// The default survey of the demo incident INC-2026-014 to employees, sent; returns its id.
pub fn sent_survey(base: &str, token: &str) -> i64 {
    let (_, s) = api(
        base,
        token,
        "POST",
        "/api/v1/incidents/INC-2026-014/surveys",
        r#"{"template":"default"}"#,
    )
    .expect("survey");
    let id = json(&s)["id"].as_i64().expect("id");
    api(
        base,
        token,
        "PUT",
        &format!("/api/v1/surveys/{id}"),
        r#"{"title_en":"Faults","audiences":["employees"]}"#,
    )
    .expect("settings");
    let (code, body) = api(
        base,
        token,
        "POST",
        &format!("/api/v1/surveys/{id}/send"),
        "{}",
    )
    .expect("send");
    assert_eq!(code, 200, "{body}");
    id
}

/// The personal link's path (`/r/…`) in a mail text.
pub fn response_path(text: &str) -> Option<String> {
    let rest = &text[text.find("/r/")?..];
    Some(rest[..rest.find(char::is_whitespace).unwrap_or(rest.len())].to_string())
}

/// Opens the survey form at `base + path` and submits it with every question answered (the
/// first offered value, or a sentence for free text). The status of the submission: 303 when
/// the answer was stored.
pub fn answer(base: &str, path: &str) -> Result<u16, String> {
    let agent = ureq::AgentBuilder::new()
        .redirects(0)
        .timeout(Duration::from_secs(10))
        .build();
    let form = agent
        .get(&format!("{base}{path}"))
        .call()
        .map_err(|e| e.to_string())?
        .into_string()
        .map_err(|e| e.to_string())?;
    let csrf = csrf_in(&form).ok_or("no CSRF token in the form")?;
    let questions: std::collections::BTreeSet<&str> = form
        .match_indices("name=\"q")
        .filter_map(|(i, _)| form[i + 6..].split('"').next())
        .collect();
    let mut body = format!("csrf_token={csrf}");
    for name in questions {
        let value = form
            .split(&format!("name=\"{name}\" value=\""))
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap_or("Gut informiert");
        let value: String = url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
        body.push_str(&format!("&{name}={value}"));
    }
    match agent
        .post(&format!("{base}{path}"))
        .set("Content-Type", "application/x-www-form-urlencoded")
        .send_string(&body)
    {
        Ok(r) => Ok(r.status()),
        Err(ureq::Error::Status(code, _)) => Ok(code),
        Err(e) => Err(e.to_string()),
    }
}

/// Signs in through the login form; the agent keeps the session cookie, which is returned too.
pub fn login(base: &str, email: &str, password: &str) -> (ureq::Agent, String) {
    let agent = ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(30))
        .build();
    let form = agent
        .get(&format!("{base}/login"))
        .call()
        .expect("login form")
        .into_string()
        .expect("body");
    let csrf = csrf_in(&form).expect("CSRF token in the login form");
    let body: String = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("csrf_token", &csrf)
        .append_pair("email", email)
        .append_pair("password", password)
        .finish();
    agent
        .post(&format!("{base}/login"))
        .set("Content-Type", "application/x-www-form-urlencoded")
        .send_string(&body)
        .expect("signed in");
    let host = url::Url::parse(base).expect("base");
    let session = agent
        .cookie_store()
        .get(host.host_str().expect("host"), "/", "debrief_session")
        .map(|c| c.value().to_string())
        .expect("a session cookie");
    (agent, session)
}

/// The CSRF token in a page's forms.
pub fn csrf_in(page: &str) -> Option<String> {
    page.split("name=\"csrf_token\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .map(str::to_string)
}
