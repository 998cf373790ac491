//! The results of a survey as the team reads them after the demo outage: response rates per
//! audience and over time, the report's charts, ratings per audience beside the measured scores,
//! what people wrote grouped by tone and by theme — and the same filter on the page, the API and
//! the CSV export.

use actix_web::http::StatusCode;
use debrief::text::Polarity;

use crate::common::smtp::{Received, SmtpSink};
use crate::common::{ADMIN_PASSWORD, answer_fields, backends};
use crate::surveys::{create_survey, editor_token, setup, state_with_smtp, survey_id};

const LATE_SMS: &str = "Die SMS kam viel zu spät, wir wussten lange nichts.";
const UNCLEAR_SMS: &str = "Die SMS kam zu spät und war unklar.";
const PRAISE: &str = "Great updates, thank you for the clear and honest communication.";

/// Answers the survey through the link in `mail`, in `lang`, with a rating and a free text.
async fn respond(
    state: &debrief::app::AppState,
    mail: &Received,
    rating: &str,
    text: &str,
    lang: &str,
) {
    let path = mail
        .link("http://debrief.test/r/")
        .expect("link")
        .replace("http://debrief.test", "");
    let mut browser = crate::app!(state);
    let form = browser.get(&path).await;
    let mut fields = answer_fields(&form.body, rating, text);
    fields.push(("csrf_token".into(), form.csrf().expect("csrf")));
    fields.push(("lang".into(), lang.into()));
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let done = browser.post_form(&path, &pairs).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
}

/// The `<tr …>` … `</tr>` that starts with `opening`.
fn row<'a>(page: &'a str, opening: &str) -> &'a str {
    let start = page.find(opening).unwrap_or_else(|| panic!("no {opening}"));
    let rest = &page[start..];
    &rest[..rest.find("</tr>").expect("row end")]
}

/// The element with `attribute` up to its closing `tag`.
fn element<'a>(page: &'a str, attribute: &str, tag: &str) -> &'a str {
    let start = page
        .find(attribute)
        .unwrap_or_else(|| panic!("no {attribute}"));
    let rest = &page[start..];
    &rest[..rest.find(&format!("</{tag}>")).expect("end")]
}

#[actix_web::test]
async fn the_team_sees_rates_charts_ratings_beside_measured_scores_and_texts_by_tone_and_theme() {
    for db in backends() {
        let sink = SmtpSink::start();
        let state = state_with_smtp(&db, &sink);
        setup(&state);
        let mut team = crate::app!(state);
        team.login("editor@firma.ch", ADMIN_PASSWORD).await;
        let base = create_survey(&mut team, false).await;
        let id = survey_id(Some(&base));
        team.submit(&base, &format!("{base}/send"), &[]).await;
        state.worker("w").run_once().expect("worker");
        let mails = sink.wait_for(5, 20);
        let to = |who: &str| mails.iter().find(|m| m.to == [who]).expect("mail");
        respond(&state, to("anna.keller@firma.ch"), "2", LATE_SMS, "de").await;
        respond(&state, to("beat.huber@firma.ch"), "3", UNCLEAR_SMS, "de").await;
        respond(&state, to("chiara.rossi@firma.ch"), "5", "", "de").await;
        respond(&state, to("dana.meier@firma.ch"), "5", PRAISE, "en").await;
        let tone = |t: &str| debrief::text::analyse_sentiment(t).polarity;
        assert_ne!(tone(LATE_SMS), tone(PRAISE), "the texts differ in tone");

        let mut api = crate::app!(state);
        api.bearer = Some(editor_token(&state));
        let results = api
            .get(&format!("/api/v1/surveys/{id}/results"))
            .await
            .json();
        let page = team.get(&format!("{base}/results")).await;
        assert_eq!(page.status, StatusCode::OK);
        let body = page.body.replace("&#x2f;", "/");

        // The report's charts, inline.
        for chart in [
            "response-rates",
            "survey",
            "measured-perceived",
            "sentiment",
        ] {
            let section = element(&body, &format!("id=\"chart-{chart}\""), "section");
            assert!(
                section.contains("<svg") && section.contains("role=\"img\""),
                "{chart}"
            );
        }

        // Perceived beside measured, per audience.
        let card = {
            let mut conn = state.pool.get().expect("conn");
            let incident = debrief::incidents::get(&mut conn, "INC-2026-014").expect("incident");
            debrief::scores::ensure(&mut conn, &incident).expect("scorecard")
        };
        for key in ["employees", "management"] {
            let perceived = results["perceived"]
                .as_array()
                .and_then(|p| p.iter().find(|x| x["audience"] == key))
                .and_then(|p| p["overall"].as_f64())
                .expect("perceived");
            let measured = card
                .audiences
                .iter()
                .find(|a| a.key == key)
                .map(|a| a.overall)
                .expect("measured");
            let tr = row(&body, &format!("<tr data-audience=\"{key}\">"));
            let scores: Vec<&str> = tr
                .split("<span class=\"score")
                .skip(1)
                .filter_map(|s| s.split('>').nth(1)?.split('<').next())
                .collect();
            assert_eq!(
                (scores[4], scores[5]),
                (
                    format!("{}", perceived.round() as i64).as_str(),
                    format!("{}", measured.round() as i64).as_str()
                ),
                "{key}: overall perceived, then measured: {tr}"
            );
        }

        // What people wrote, by tone and by theme.
        for text in [LATE_SMS, UNCLEAR_SMS, PRAISE] {
            let group = element(
                &body,
                &format!("data-sentiment=\"{}\"", tone(text).as_str()),
                "section",
            );
            assert!(group.contains(text), "{text} under {}", tone(text).as_str());
        }
        let theme = results["insights_overall"]["themes"][0]["phrase"]
            .as_str()
            .expect("a recurring theme");
        let by_theme = element(&body, &format!("data-theme=\"{theme}\""), "details");
        assert!(
            by_theme.contains(LATE_SMS) && by_theme.contains(UNCLEAR_SMS),
            "{by_theme}"
        );
        assert!(!by_theme.contains(PRAISE));

        // Response rate over time per audience.
        let last = results["over_time"]["points"]
            .as_array()
            .and_then(|p| p.last())
            .expect("points");
        let so_far = |key: &str| {
            last["audiences"]
                .as_array()
                .and_then(|a| a.iter().find(|x| x["audience"] == key))
                .map(|x| (x["total"].as_i64(), x["rate"].as_f64()))
        };
        assert_eq!(so_far("employees"), Some((Some(3), Some(1.0))));
        assert_eq!(so_far("management"), Some((Some(1), Some(0.5))));
        let over_time = element(&body, "aria-labelledby=\"over-time\"", "section");
        assert!(
            over_time.contains("100 %") && over_time.contains("50 %"),
            "{over_time}"
        );

        // One filter, the same answers on the page, over the API and in the export.
        let negative = [LATE_SMS, UNCLEAR_SMS, PRAISE]
            .iter()
            .filter(|t| tone(t) == Polarity::Negative)
            .count();
        for (query, expected) in [
            ("language=en", 1),
            ("audience=management", 1),
            ("audience=employees", 3),
            ("sentiment=negative", negative),
            ("audience=employees&language=en", 0),
            ("from=2099-01-01", 0),
        ] {
            let api_results = api
                .get(&format!("/api/v1/surveys/{id}/results?{query}"))
                .await
                .json();
            assert_eq!(
                api_results["responses"].as_u64(),
                Some(expected as u64),
                "API {query}"
            );
            let page = team.get(&format!("{base}/results?{query}")).await;
            assert_eq!(page.status, StatusCode::OK, "{query}");
            assert!(
                page.body.contains(&format!("{expected} responses match"))
                    || page
                        .body
                        .contains(&format!("{expected} Antworten entsprechen")),
                "page {query}"
            );
            // The page's own export link carries the filter.
            let body = page.body.replace("&#x2f;", "/").replace("&amp;", "&");
            let start = body
                .find(&format!("href=\"{base}/export.csv?"))
                .expect("export link")
                + 6;
            let link = &body[start..start + body[start..].find('"').expect("end")];
            for csv in [
                team.get(link).await,
                api.get(&format!("/api/v1/surveys/{id}/export.csv?{query}"))
                    .await,
            ] {
                assert_eq!(csv.status, StatusCode::OK, "{query}");
                let mut reader = ::csv::Reader::from_reader(csv.body.as_bytes());
                assert_eq!(reader.records().count(), expected + 1, "export {query}");
            }
        }
        let negative_texts = api
            .get(&format!("/api/v1/surveys/{id}/results?sentiment=negative"))
            .await
            .json();
        assert!(
            negative_texts["texts"]
                .as_array()
                .expect("texts")
                .iter()
                .all(|t| t["sentiment"] == "negative"),
            "only texts of that tone"
        );

        // A filter that does not check out says which field and why, and changes nothing.
        let bad = team
            .get(&format!("{base}/results?from=gestern&sentiment=angry"))
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("error-summary") && bad.body.contains("href=\"#field-from\""));
        let bad = api
            .get(&format!("/api/v1/surveys/{id}/results?audience=martians"))
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad.json()["errors"][0]["field"], "audience");
        let bad = api
            .get(&format!("/api/v1/surveys/{id}/export.csv?to=2026-02-30"))
            .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    }
}
