//! The report's charts on the pages, on both backends: the scorecard draws the charts that explain
//! the scores, the review puts its charts beside the sections they are evidence for, the portfolio
//! page draws the portfolio's charts; the portfolio refuses an unknown kind or severity instead of
//! showing an empty report; an API download is timed like a page download.

use actix_web::http::StatusCode;
use debrief::actions::model::ActionInput;
use debrief::db::audit::Actor;
use debrief::domain::Role;
use scraper::{Html, Selector};

use crate::common::{ADMIN_PASSWORD, backends, create_user, state_for};

const KEY: &str = "INC-2026-014";
const YEAR: &str = "from=2026-01-01&to=2026-12-31";

/// The ids of the charts inside `scope` (a CSS selector) that carry a drawn SVG.
fn chart_ids(page: &str, scope: &str) -> Vec<String> {
    let html = Html::parse_document(page);
    let selector = Selector::parse(&format!("{scope} .chart[id^='chart-']")).expect("selector");
    let svg = Selector::parse("svg[role=img]").expect("selector");
    html.select(&selector)
        .filter(|chart| chart.select(&svg).next().is_some())
        .filter_map(|chart| chart.value().id())
        .map(|id| id.trim_start_matches("chart-").to_string())
        .collect()
}

fn report_metric_count(metrics: &str, kind: &str) -> u64 {
    let line = format!("debrief_report_duration_seconds_count{{kind=\"{kind}\"}} ");
    metrics
        .lines()
        .find_map(|l| l.strip_prefix(&line))
        .map_or(0, |n| n.trim().parse().expect("count"))
}

#[actix_web::test]
async fn each_page_draws_the_charts_it_shows() {
    for db in backends() {
        let state = state_for(&db);
        let mut conn = state.pool.get().expect("conn");
        debrief::demo::load(&mut conn, &Actor::cli()).expect("demo");
        for (title, status) in [
            ("Statusseite zuerst", "in_progress"),
            ("SMS-Vorlage", "done"),
        ] {
            let input = ActionInput {
                title: title.into(),
                category: "process".into(),
                priority: "medium".into(),
                status: status.into(),
                ..Default::default()
            };
            debrief::actions::manage::create(&mut conn, &input, Some(KEY), &Actor::cli())
                .expect("action");
        }
        drop(conn);
        create_user(&state, "editor@firma.ch", Role::Editor);
        let mut c = crate::app!(state);
        c.login("editor@firma.ch", ADMIN_PASSWORD).await;

        // The scorecard: the charts that explain the scores, not the survey's or the actions'.
        let scorecard = c.get(&format!("/incidents/{KEY}/scores")).await;
        assert_eq!(scorecard.status, StatusCode::OK);
        let shown = chart_ids(&scorecard.body, "main");
        for id in ["timeline", "first-message", "clarity"] {
            assert!(shown.iter().any(|s| s == id), "{id} missing: {shown:?}");
        }
        for id in &shown {
            assert!(
                debrief::web::pages::scores::SCORECARD_CHARTS.contains(&id.as_str()),
                "{id} is drawn on the scorecard but not meant for it"
            );
        }
        assert!(!shown.iter().any(|s| s == "action-status"), "{shown:?}");

        // The review: each chart beside the section it supports.
        let csrf = c.get("/profile").await.csrf().expect("csrf");
        let review = format!("/incidents/{KEY}/review");
        let created = c.post_form(&review, &[("csrf_token", &csrf)]).await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        let page = c.get(&review).await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(
            chart_ids(&page.body, "#section-actual"),
            ["timeline", "first-message"]
        );
        assert_eq!(
            chart_ids(&page.body, "section[aria-labelledby='h-actions']"),
            ["action-status"]
        );
        assert!(
            chart_ids(&page.body, "#section-perception").is_empty(),
            "no survey yet, so nothing to compare the scores with"
        );
        assert_eq!(
            chart_ids(&page.body, "main").len(),
            3,
            "no other charts on the review page"
        );

        // The portfolio page: the portfolio's charts.
        let portfolio = c.get(&format!("/portfolio?{YEAR}")).await;
        assert_eq!(portfolio.status, StatusCode::OK);
        assert_eq!(
            chart_ids(&portfolio.body, "main"),
            [
                "kinds",
                "score-trends",
                "first-message-trend",
                "action-completion"
            ]
        );
        let outages = c.get(&format!("/portfolio?{YEAR}&kind=it_outage")).await;
        assert_eq!(outages.status, StatusCode::OK);
        assert!(outages.body.contains(KEY) && !outages.body.contains("INC-2026-021"));
    }
}

#[actix_web::test]
async fn an_unknown_kind_or_severity_is_refused_with_the_allowed_values() {
    for db in backends() {
        let state = state_for(&db);
        debrief::demo::load(&mut state.pool.get().expect("conn"), &Actor::cli()).expect("demo");
        create_user(&state, "viewer@firma.ch", Role::Viewer);
        let mut c = crate::app!(state);
        c.login("viewer@firma.ch", ADMIN_PASSWORD).await;
        let page = c.get(&format!("/portfolio?{YEAR}&kind=outage")).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            page.body
                .contains("is not one of: it_outage, social_media, security, other"),
            "{}",
            page.body
        );
        let pdf = c
            .get(&format!("/portfolio/report.pdf?{YEAR}&severity=sev9"))
            .await;
        assert_eq!(pdf.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(!pdf.bytes.starts_with(b"%PDF-"));
        let fine = c
            .get(&format!(
                "/portfolio/report.pdf?{YEAR}&severity=sev1&lang=en"
            ))
            .await;
        assert_eq!(fine.status, StatusCode::OK);
        assert!(fine.bytes.starts_with(b"%PDF-"));
    }
}

#[actix_web::test]
async fn a_report_over_the_api_is_timed_and_audited() {
    for db in backends() {
        let state = state_for(&db);
        debrief::demo::load(&mut state.pool.get().expect("conn"), &Actor::cli()).expect("demo");
        create_user(&state, "viewer@firma.ch", Role::Viewer);
        let mut c = crate::app!(state);
        c.login("viewer@firma.ch", ADMIN_PASSWORD).await;
        let before = report_metric_count(&c.get("/metrics").await.body, "incident");
        let pdf = c
            .get(&format!("/api/v1/incidents/{KEY}/report.pdf?lang=en"))
            .await;
        assert_eq!(pdf.status, StatusCode::OK);
        assert!(pdf.bytes.starts_with(b"%PDF-"));
        assert_eq!(
            pdf.headers
                .get("content-disposition")
                .and_then(|v| v.to_str().ok()),
            Some(format!("attachment; filename=\"{KEY}-report-en.pdf\"").as_str())
        );
        let after = report_metric_count(&c.get("/metrics").await.body, "incident");
        assert_eq!(after, before + 1, "the API download is timed");
        let missing = c.get("/api/v1/incidents/INC-1999-001/report.pdf").await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert_eq!(
            report_metric_count(&c.get("/metrics").await.body, "incident"),
            after,
            "only delivered reports are timed"
        );
        let mut conn = state.pool.get().expect("conn");
        use debrief::db::schema::audit_log;
        use diesel::prelude::*;
        let audited: i64 = audit_log::table
            .filter(audit_log::action.eq("report.downloaded"))
            .count()
            .get_result(&mut conn)
            .expect("count");
        assert_eq!(audited, 1);
    }
}

/// The portfolio reads each incident's headline from the stored scores while the facts are those
/// they were computed from, and recomputes once the facts change.
#[actix_web::test]
async fn the_portfolio_reads_stored_scores_until_the_facts_change() {
    use debrief::db::schema::{messages, scores};
    use diesel::prelude::*;
    for db in backends() {
        let state = state_for(&db);
        let mut conn = state.pool.get().expect("conn");
        debrief::demo::load(&mut conn, &Actor::cli()).expect("demo");
        let (incident, card) = debrief::scores::scorecard(&mut conn, KEY).expect("card");
        let stored = debrief::scores::headline(&mut conn, &incident).expect("headline");
        assert_eq!(stored.overall, card.overall);
        assert_eq!(stored.timeliness, card.timeliness);
        assert_eq!(stored.clarity, card.clarity);
        let first = card
            .audiences
            .iter()
            .filter_map(|a| a.first_message_min)
            .reduce(f64::min);
        assert!(first.is_some());
        assert_eq!(stored.first_message_min, first);

        // A stored value that no computation would give shows the headline comes from storage.
        diesel::update(
            scores::table
                .filter(scores::incident_id.eq(incident.id))
                .filter(scores::scope.eq("incident"))
                .filter(scores::dimension.eq("clarity")),
        )
        .set(scores::value.eq(Some(12.5)))
        .execute(&mut conn)
        .expect("mark");
        let read = debrief::scores::headline(&mut conn, &incident).expect("headline");
        assert_eq!(read.clarity, Some(12.5));

        // New facts: the headline is computed again (and stored), not read.
        let first_id: i64 = messages::table
            .filter(messages::incident_id.eq(incident.id))
            .order(messages::sent_at.asc())
            .select(messages::id)
            .first(&mut conn)
            .expect("first message");
        diesel::update(messages::table.find(first_id))
            .set(messages::body.eq("Seit 7:15 Uhr ist E-Mail gestört. Wir arbeiten daran."))
            .execute(&mut conn)
            .expect("edit");
        let fresh = debrief::scores::headline(&mut conn, &incident).expect("headline");
        let (_, recomputed) = debrief::scores::scorecard(&mut conn, KEY).expect("card");
        assert_eq!(fresh.clarity, recomputed.clarity);
        assert_ne!(fresh.clarity, Some(12.5));
        let portfolio = debrief::reports::portfolio_report(
            &mut conn,
            &debrief::report::aggregate::PortfolioSelection {
                from: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("date"),
                to: chrono::NaiveDate::from_ymd_opt(2026, 12, 31).expect("date"),
                kind: None,
                severity: None,
            },
            debrief::report::model::Lang::En,
        )
        .expect("portfolio");
        let listed = portfolio
            .incidents
            .iter()
            .find(|i| i.key == KEY)
            .expect("listed");
        assert_eq!(listed.scores.clarity, recomputed.clarity);
        assert_eq!(listed.scores.overall, recomputed.overall);
    }
}
