//! Every route × every role: the expected access is written here independently of the route
//! table, so a new route without a decision here fails the first test.

use actix_web::http::{Method, StatusCode};
use debrief::domain::Role;
use debrief::web::Access;

use crate::common::{ADMIN_PASSWORD, backends, create_user, state_for};

/// (method, pattern, who may use it).
const EXPECTED: &[(&str, &str, Access)] = {
    use Access::*;
    &[
        ("GET", "/healthz", Open),
        ("GET", "/metrics", Open),
        ("GET", "/assets/{path:.*}", Open),
        ("GET", "/favicon.ico", Open),
        ("GET", "/login", Public),
        ("POST", "/login", Public),
        ("POST", "/logout", Viewer),
        ("GET", "/setup/{token}", Public),
        ("POST", "/setup/{token}", Public),
        ("GET", "/password/forgot", Public),
        ("POST", "/password/forgot", Public),
        ("GET", "/password/reset/{token}", Public),
        ("POST", "/password/reset/{token}", Public),
        ("GET", "/invitation/{token}", Public),
        ("POST", "/invitation/{token}", Public),
        ("POST", "/lang", Public),
        ("GET", "/r/{token}", Public),
        ("POST", "/r/{token}", Public),
        ("GET", "/r/{token}/thanks", Public),
        ("GET", "/u/{token}", Public),
        ("POST", "/u/{token}", Link),
        ("GET", "/p/{token}", Public),
        ("POST", "/p/{token}", Public),
        ("GET", "/p/{token}/thanks", Public),
        ("GET", "/", Viewer),
        ("POST", "/demo", Editor),
        ("GET", "/incidents", Viewer),
        ("GET", "/incidents/new", Editor),
        ("POST", "/incidents", Editor),
        ("GET", "/incidents/{key}", Viewer),
        ("GET", "/incidents/{key}/edit", Editor),
        ("GET", "/incidents/{key}/import", Editor),
        ("GET", "/incidents/{key}/scores", Viewer),
        ("GET", "/incidents/{key}/scores/messages", Viewer),
        ("GET", "/incidents/{key}/report.pdf", Viewer),
        ("GET", "/portfolio", Viewer),
        ("GET", "/portfolio/report.pdf", Viewer),
        ("GET", "/analyze", Viewer),
        ("POST", "/analyze", Viewer),
        ("GET", "/incidents/{key}/surveys", Viewer),
        ("POST", "/incidents/{key}/surveys", Editor),
        ("GET", "/incidents/{key}/surveys/{id}", Viewer),
        ("POST", "/incidents/{key}/surveys/{id}", Editor),
        ("GET", "/incidents/{key}/surveys/{id}/edit", Editor),
        ("GET", "/incidents/{key}/surveys/{id}/progress.json", Viewer),
        ("GET", "/incidents/{key}/surveys/{id}/results", Viewer),
        ("GET", "/incidents/{key}/surveys/{id}/export.csv", Editor),
        ("POST", "/incidents/{key}/surveys/{id}/send", Editor),
        ("POST", "/incidents/{key}/surveys/{id}/remind", Editor),
        ("POST", "/incidents/{key}/surveys/{id}/close", Editor),
        ("POST", "/incidents/{key}/surveys/{id}/reopen", Editor),
        ("POST", "/incidents/{key}/surveys/{id}/delete", Editor),
        ("POST", "/incidents/{key}/surveys/{id}/recipients", Editor),
        ("POST", "/incidents/{key}/surveys/{id}/questions", Editor),
        (
            "POST",
            "/incidents/{key}/surveys/{id}/questions/{qid}",
            Editor,
        ),
        (
            "POST",
            "/incidents/{key}/surveys/{id}/questions/{qid}/move",
            Editor,
        ),
        (
            "POST",
            "/incidents/{key}/surveys/{id}/questions/{qid}/delete",
            Editor,
        ),
        ("GET", "/incidents/{key}/review", Viewer),
        ("POST", "/incidents/{key}/review", Editor),
        ("POST", "/incidents/{key}/review/regenerate", Editor),
        ("POST", "/incidents/{key}/review/status", Editor),
        ("POST", "/incidents/{key}/review/reopen", Admin),
        ("POST", "/incidents/{key}/review/meeting", Editor),
        ("GET", "/incidents/{key}/review/sections/{section}", Editor),
        ("POST", "/incidents/{key}/review/sections/{section}", Editor),
        (
            "GET",
            "/incidents/{key}/review/sections/{section}/history",
            Viewer,
        ),
        ("POST", "/incidents/{key}/review/participants", Editor),
        (
            "POST",
            "/incidents/{key}/review/participants/{id}/link",
            Editor,
        ),
        (
            "POST",
            "/incidents/{key}/review/participants/{id}/delete",
            Editor,
        ),
        ("GET", "/incidents/{key}/review/contributions", Viewer),
        (
            "POST",
            "/incidents/{key}/review/contributions/merge",
            Editor,
        ),
        ("POST", "/incidents/{key}/review/contribution", Viewer),
        ("POST", "/incidents/{key}/review/pins", Editor),
        ("POST", "/incidents/{key}/review/pins/{id}/action", Editor),
        ("POST", "/incidents/{key}/review/pins/{id}/delete", Editor),
        ("GET", "/c/{token}", Public),
        ("POST", "/c/{token}", Public),
        ("GET", "/c/{token}/thanks", Public),
        ("GET", "/incidents/{key}/actions", Viewer),
        ("GET", "/actions", Viewer),
        ("GET", "/actions/mine", Viewer),
        ("GET", "/actions/new", Editor),
        ("GET", "/actions/export.csv", Viewer),
        ("POST", "/actions", Editor),
        ("POST", "/actions/calendar", Viewer),
        ("GET", "/actions/{id}", Viewer),
        ("GET", "/actions/{id}/edit", Editor),
        ("POST", "/actions/{id}", Editor),
        ("POST", "/actions/{id}/status", Viewer),
        ("POST", "/actions/{id}/delete", Editor),
        ("GET", "/calendar/{token}/actions.ics", Public),
        ("GET", "/recipients", Editor),
        ("POST", "/recipients/{id}/delete", Editor),
        ("GET", "/imports/new", Editor),
        ("POST", "/imports/preview", Editor),
        ("POST", "/imports/commit", Editor),
        ("POST", "/imports/discard", Editor),
        ("POST", "/incidents/{key}", Editor),
        ("POST", "/incidents/{key}/delete", Editor),
        ("GET", "/incidents/{key}/events/new", Editor),
        ("POST", "/incidents/{key}/events", Editor),
        ("GET", "/incidents/{key}/events/{id}/edit", Editor),
        ("POST", "/incidents/{key}/events/{id}", Editor),
        ("POST", "/incidents/{key}/events/{id}/delete", Editor),
        ("GET", "/incidents/{key}/messages/new", Editor),
        ("POST", "/incidents/{key}/messages", Editor),
        ("GET", "/incidents/{key}/messages/{id}/edit", Editor),
        ("POST", "/incidents/{key}/messages/{id}", Editor),
        ("POST", "/incidents/{key}/messages/{id}/delete", Editor),
        ("GET", "/incidents/{key}/mentions/new", Editor),
        ("POST", "/incidents/{key}/mentions", Editor),
        ("GET", "/incidents/{key}/mentions/{id}/edit", Editor),
        ("POST", "/incidents/{key}/mentions/{id}", Editor),
        ("POST", "/incidents/{key}/mentions/{id}/delete", Editor),
        ("GET", "/profile", Viewer),
        ("POST", "/profile", Viewer),
        ("POST", "/profile/password", Viewer),
        ("POST", "/profile/logout-everywhere", Viewer),
        ("POST", "/profile/tokens", Viewer),
        ("POST", "/profile/tokens/{id}/revoke", Viewer),
        ("GET", "/users", Admin),
        ("POST", "/users", Admin),
        ("GET", "/users/{id}/edit", Admin),
        ("POST", "/users/{id}", Admin),
        ("GET", "/settings", Admin),
        ("POST", "/settings/organisation", Admin),
        ("POST", "/settings/policy", Admin),
        ("POST", "/settings/audiences", Admin),
        ("POST", "/settings/audiences/{id}", Admin),
        ("POST", "/settings/services", Admin),
        ("POST", "/settings/services/{id}", Admin),
        ("POST", "/settings/services/{id}/delete", Admin),
        ("POST", "/settings/rubrics", Admin),
        ("POST", "/settings/smtp-test", Admin),
        ("GET", "/audit", Admin),
        ("GET", "/api/v1/openapi.json", Open),
        ("GET", "/api/v1/incidents", Viewer),
        ("POST", "/api/v1/incidents", Editor),
        ("GET", "/api/v1/incidents/{key}", Viewer),
        ("PUT", "/api/v1/incidents/{key}", Editor),
        ("DELETE", "/api/v1/incidents/{key}", Editor),
        ("GET", "/api/v1/incidents/{key}/events", Viewer),
        ("POST", "/api/v1/incidents/{key}/events", Editor),
        ("PUT", "/api/v1/incidents/{key}/events/{id}", Editor),
        ("DELETE", "/api/v1/incidents/{key}/events/{id}", Editor),
        ("GET", "/api/v1/incidents/{key}/messages", Viewer),
        ("POST", "/api/v1/incidents/{key}/messages", Editor),
        ("PUT", "/api/v1/incidents/{key}/messages/{id}", Editor),
        ("DELETE", "/api/v1/incidents/{key}/messages/{id}", Editor),
        ("GET", "/api/v1/incidents/{key}/mentions", Viewer),
        ("POST", "/api/v1/incidents/{key}/mentions", Editor),
        ("PUT", "/api/v1/incidents/{key}/mentions/{id}", Editor),
        ("DELETE", "/api/v1/incidents/{key}/mentions/{id}", Editor),
        ("POST", "/api/v1/imports", Editor),
        ("GET", "/api/v1/incidents/{key}/export.json", Viewer),
        ("GET", "/api/v1/incidents/{key}/surveys", Viewer),
        ("POST", "/api/v1/incidents/{key}/surveys", Editor),
        ("GET", "/api/v1/surveys/{id}", Viewer),
        ("PUT", "/api/v1/surveys/{id}", Editor),
        ("DELETE", "/api/v1/surveys/{id}", Editor),
        ("POST", "/api/v1/surveys/{id}/questions", Editor),
        ("PUT", "/api/v1/surveys/{id}/questions/{qid}", Editor),
        ("DELETE", "/api/v1/surveys/{id}/questions/{qid}", Editor),
        ("PUT", "/api/v1/surveys/{id}/questions/order", Editor),
        ("GET", "/api/v1/recipients", Editor),
        ("POST", "/api/v1/recipients", Editor),
        ("DELETE", "/api/v1/recipients/{id}", Editor),
        ("POST", "/api/v1/surveys/{id}/send", Editor),
        ("POST", "/api/v1/surveys/{id}/remind", Editor),
        ("POST", "/api/v1/surveys/{id}/close", Editor),
        ("POST", "/api/v1/surveys/{id}/reopen", Editor),
        ("GET", "/api/v1/surveys/{id}/status", Viewer),
        ("GET", "/api/v1/surveys/{id}/results", Viewer),
        ("GET", "/api/v1/surveys/{id}/export.csv", Editor),
        ("GET", "/api/v1/incidents/{key}/scores", Viewer),
        ("GET", "/api/v1/incidents/{key}/report.pdf", Viewer),
        ("POST", "/api/v1/analyze", Viewer),
        ("GET", "/api/v1/incidents/{key}/review", Viewer),
        ("POST", "/api/v1/incidents/{key}/review", Editor),
        (
            "PUT",
            "/api/v1/incidents/{key}/review/sections/{section}",
            Editor,
        ),
        (
            "GET",
            "/api/v1/incidents/{key}/review/sections/{section}/history",
            Viewer,
        ),
        ("POST", "/api/v1/incidents/{key}/review/regenerate", Editor),
        ("POST", "/api/v1/incidents/{key}/review/status", Editor),
        ("POST", "/api/v1/incidents/{key}/review/reopen", Admin),
        (
            "GET",
            "/api/v1/incidents/{key}/review/contributions",
            Viewer,
        ),
        (
            "POST",
            "/api/v1/incidents/{key}/review/contributions",
            Viewer,
        ),
        (
            "POST",
            "/api/v1/incidents/{key}/review/contributions/merge",
            Editor,
        ),
        (
            "POST",
            "/api/v1/incidents/{key}/review/participants",
            Editor,
        ),
        ("POST", "/api/v1/incidents/{key}/review/pins", Editor),
        (
            "POST",
            "/api/v1/incidents/{key}/review/pins/{id}/action",
            Editor,
        ),
        ("GET", "/api/v1/actions", Viewer),
        ("POST", "/api/v1/actions", Editor),
        ("GET", "/api/v1/actions/metrics", Viewer),
        ("GET", "/api/v1/actions/export.csv", Viewer),
        ("GET", "/api/v1/actions/{id}", Viewer),
        ("PUT", "/api/v1/actions/{id}", Editor),
        ("POST", "/api/v1/actions/{id}/status", Viewer),
        ("DELETE", "/api/v1/actions/{id}", Editor),
        ("GET", "/api/v1/audiences", Viewer),
        ("GET", "/api/v1/settings", Viewer),
        ("PUT", "/api/v1/settings/policy", Admin),
        ("GET", "/api/v1/settings/rubrics", Viewer),
        ("PUT", "/api/v1/settings/rubrics", Admin),
        ("GET", "/api/v1/me", Viewer),
    ]
};

#[test]
fn every_route_has_an_expected_access_decision() {
    let table = debrief::web::routes::table();
    let actual: Vec<(String, &str, Access)> = table
        .rules()
        .iter()
        .map(|r| (r.method.to_string(), r.pattern, r.access))
        .collect();
    for (m, p, a) in &actual {
        let expected = EXPECTED.iter().find(|(em, ep, _)| em == m && ep == p);
        match expected {
            None => {
                panic!("route {m} {p} is not in the access test's table: decide who may use it")
            }
            Some((_, _, e)) => assert_eq!(e, a, "{m} {p}"),
        }
    }
    assert_eq!(
        actual.len(),
        EXPECTED.len(),
        "the test table lists routes that no longer exist"
    );
}

fn concrete(pattern: &str, incident: &str, message_id: i64) -> String {
    pattern
        .replace("{path:.*}", "css/app.css")
        .replace("{key}", incident)
        .replace("{token}", "not-a-real-token")
        .replace("{id}", &message_id.to_string())
        .replace("{qid}", "1")
        .replace("{section}", "went_well")
}

fn rank(role: Option<Role>) -> u8 {
    match role {
        None => 0,
        Some(Role::Viewer) => 1,
        Some(Role::Editor) => 2,
        Some(Role::Admin) => 3,
    }
}

fn required(access: Access) -> u8 {
    match access {
        Access::Open | Access::Public | Access::Link => 0,
        Access::Viewer => 1,
        Access::Editor => 2,
        Access::Admin => 3,
    }
}

#[actix_web::test]
async fn every_route_refuses_every_role_below_its_level() {
    for db in backends() {
        let state = state_for(&db);
        create_user(&state, "admin@firma.ch", Role::Admin);
        create_user(&state, "editor@firma.ch", Role::Editor);
        create_user(&state, "viewer@firma.ch", Role::Viewer);
        {
            let mut conn = state.pool.get().expect("conn");
            debrief::demo::load(&mut conn, &debrief::db::audit::Actor::cli()).expect("demo");
        }
        for role in [
            None,
            Some(Role::Viewer),
            Some(Role::Editor),
            Some(Role::Admin),
        ] {
            let mut client = crate::app!(state);
            if let Some(r) = role {
                let email = format!("{}@firma.ch", r.as_str());
                let page = client.login(&email, ADMIN_PASSWORD).await;
                assert_eq!(page.status, StatusCode::SEE_OTHER, "login as {r}");
            }
            let csrf = client
                .get(if role.is_some() { "/profile" } else { "/login" })
                .await
                .csrf()
                .expect("csrf token");
            for (method, pattern, access) in EXPECTED {
                // Logging out or revoking would change the client's own state mid-test.
                if matches!(
                    *pattern,
                    "/logout" | "/profile/logout-everywhere" | "/profile/password"
                ) || pattern.ends_with("/delete")
                    || *method == "DELETE"
                {
                    continue;
                }
                // A fresh incident per request keeps destructive routes from affecting later ones.
                let path = concrete(pattern, "INC-2026-014", 1);
                let method = Method::from_bytes(method.as_bytes()).expect("method");
                let page = if method == Method::GET {
                    client.get(&path).await
                } else if path.starts_with("/api/") {
                    client
                        .request(
                            method.clone(),
                            &path,
                            Some(("application/json", b"{}".to_vec())),
                            &[("x-csrf-token", &csrf)],
                        )
                        .await
                } else {
                    client.post_form(&path, &[("csrf_token", &csrf)]).await
                };
                let allowed = rank(role) >= required(*access);
                let who = role.map(|r| r.as_str()).unwrap_or("anonymous");
                if allowed {
                    assert!(
                        page.status != StatusCode::FORBIDDEN
                            && page.status != StatusCode::UNAUTHORIZED
                            && !page.location().is_some_and(|l| l.starts_with("/login?")),
                        "{:?}: {who} must reach {method} {path}, got {} {}",
                        db.backend,
                        page.status,
                        &page.body[..page.body.len().min(300)]
                    );
                    assert!(
                        !page.status.is_server_error(),
                        "{:?}: {who} {method} {path} → {}: {}",
                        db.backend,
                        page.status,
                        &page.body[..page.body.len().min(500)]
                    );
                } else if role.is_none() {
                    if path.starts_with("/api/") {
                        assert_eq!(page.status, StatusCode::UNAUTHORIZED, "{method} {path}");
                    } else {
                        assert_eq!(page.status, StatusCode::SEE_OTHER, "{method} {path}");
                        assert!(
                            page.location()
                                .is_some_and(|l| l.starts_with("/login?next=")),
                            "{method} {path}"
                        );
                    }
                } else {
                    assert_eq!(
                        page.status,
                        StatusCode::FORBIDDEN,
                        "{:?}: {who} {method} {path}",
                        db.backend
                    );
                }
            }
        }
    }
}
