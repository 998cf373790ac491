//! The survey as respondents see it: `/r/{token}` (personal link) and `/p/{token}` (open link).
//! No account; the language comes from `?lang=`, then the invitation, then the browser.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use crate::surveys::model::QuestionType;
use crate::surveys::respond::{self, Link, LinkProblem, Submission, Visit};
use crate::web::access::VISITOR_COOKIE;
use crate::web::blocking;
use crate::web::error::AppError;
use crate::web::ui::{Ui, redirect};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LangQuery {
    lang: Option<String>,
}

fn chosen(lang: Option<&str>) -> Option<&'static str> {
    lang.filter(|l| crate::i18n::LANGUAGES.contains(l))
        .map(crate::i18n::negotiate)
}

/// `/r/{token}` or `/p/{token}`: where the form, the thanks page and the switch point to.
fn base_path(link: &Link) -> String {
    match link {
        Link::Personal(t) => format!("/r/{t}"),
        Link::Open { token, .. } => format!("/p/{token}"),
    }
}

fn open_link(req: &HttpRequest, token: String) -> Link {
    // The visitor cookie is random per browser; the form page sets it before any submission.
    let browser_key = req
        .cookie(VISITOR_COOKIE)
        .map(|c| c.value().to_string())
        .unwrap_or_default();
    Link::Open { token, browser_key }
}

fn browser_lang(req: &HttpRequest) -> Option<&'static str> {
    req.headers()
        .get(actix_web::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(crate::i18n::from_accept_language)
}

fn display_time(t: chrono::NaiveDateTime, tz: &str, lang: &str) -> String {
    let zone = crate::domain::time::parse_zone(tz).unwrap_or(chrono_tz::Europe::Zurich);
    let local = crate::domain::time::utc_to_local(t, zone);
    if lang == "de" {
        local.format("%d.%m.%Y, %H:%M Uhr").to_string()
    } else {
        local.format("%-d %B %Y, %H:%M").to_string()
    }
}

struct Page {
    org_name: String,
    org_tz: String,
}

async fn organisation(ui: &Ui) -> Result<Page, AppError> {
    let org = match ui.state.cached_organisation() {
        Some(org) => org,
        None => {
            let org = blocking(&ui.state, |conn| {
                Ok::<_, AppError>(crate::organisation::load(conn)?)
            })
            .await?;
            ui.state.remember_organisation(&org);
            org
        }
    };
    Ok(Page {
        org_name: org.name,
        org_tz: org.time_zone,
    })
}

fn problem_page(
    ui: &Ui,
    page: &Page,
    problem: &LinkProblem,
    lang: &str,
    switch: Option<&str>,
) -> Result<HttpResponse, AppError> {
    let t = |k: &str| crate::i18n::translate(lang, k);
    let (status, heading, text, title) = match problem {
        LinkProblem::Unknown => (
            StatusCode::NOT_FOUND,
            t("respond.unknown_title"),
            t("respond.unknown_text"),
            None,
        ),
        LinkProblem::Closed { title_en, title_de } => (
            StatusCode::GONE,
            t("respond.closed_title"),
            t("respond.closed_text"),
            Some(if lang == "de" && !title_de.is_empty() {
                title_de
            } else {
                title_en
            }),
        ),
        LinkProblem::NotYetOpen { title_en, title_de } => (
            StatusCode::OK,
            t("respond.not_open_title"),
            t("respond.not_open_text"),
            Some(if lang == "de" && !title_de.is_empty() {
                title_de
            } else {
                title_en
            }),
        ),
        LinkProblem::AnsweredElsewhere => (
            StatusCode::CONFLICT,
            t("respond.elsewhere_title"),
            t("respond.elsewhere_text"),
            None,
        ),
    };
    ui.render_status(
        status,
        "respond/problem.html",
        minijinja::context! {
            lang => lang, organisation => page.org_name, heading => heading, text => text,
            survey_title => title, switch_base => switch,
        },
    )
}

/// A submission that did not pass: the problems by field, and what was entered.
struct Invalid<'a> {
    errors: &'a BTreeMap<String, String>,
    entered: &'a BTreeMap<String, Vec<String>>,
}

/// The form with the questions in `lang`, the earlier or just entered answers, and errors.
fn form_page(
    ui: &Ui,
    page: &Page,
    visit: &Visit,
    link: &Link,
    lang: &str,
    status: StatusCode,
    invalid: Option<Invalid<'_>>,
) -> Result<HttpResponse, AppError> {
    let (errors, entered) = match invalid {
        Some(i) => (Some(i.errors), Some(i.entered)),
        None => (None, None),
    };
    let questions: Vec<minijinja::Value> = visit
        .questions
        .iter()
        .map(|q| {
            let field = crate::surveys::answers::field_name(q);
            let value: Vec<String> = match entered {
                Some(e) => e.get(&field).cloned().unwrap_or_default(),
                None => match visit.existing.as_ref().and_then(|r| r.answers.get(&q.id)) {
                    Some(crate::surveys::AnswerValue::Choices(list)) => list.clone(),
                    Some(a) => vec![a.display()],
                    None => Vec::new(),
                },
            };
            let choices: Vec<minijinja::Value> = q
                .choices()
                .iter()
                .map(|c| minijinja::context! { value => c.value, label => c.label(lang) })
                .collect();
            // A scale without its own labels explains its two ends.
            let ends = match q.qtype {
                QuestionType::Rating5 if q.options.is_empty() => Some(vec![
                    crate::i18n::translate(lang, "respond.scale_low"),
                    crate::i18n::translate(lang, "respond.scale_high"),
                ]),
                QuestionType::Scale10 => Some(vec![
                    crate::i18n::translate(lang, "respond.scale10_low"),
                    crate::i18n::translate(lang, "respond.scale10_high"),
                ]),
                _ => None,
            };
            minijinja::context! {
                field => field, qtype => q.qtype.as_str(), text => q.text(lang), required => q.required,
                choices => choices, value => value, ends => ends,
            }
        })
        .collect();
    let base = base_path(link);
    let survey = &visit.survey;
    ui.render_status(
        status,
        "respond/form.html",
        minijinja::context! {
            lang => lang,
            organisation => page.org_name,
            title => survey.title(lang),
            intro => survey.intro(lang),
            anonymous => survey.anonymous,
            open_link => matches!(link, Link::Open { .. }),
            closes => survey.closes_at.map(|t| display_time(t, &page.org_tz, lang)),
            answered_at => visit.existing.as_ref().map(|r| display_time(r.updated_at, &page.org_tz, lang)),
            questions => questions,
            errors => errors,
            action => base,
            switch_base => base,
        },
    )
}

async fn show(
    ui: Ui,
    req: HttpRequest,
    link: Link,
    q: LangQuery,
) -> Result<HttpResponse, AppError> {
    let page = organisation(&ui).await?;
    let l = link.clone();
    let visit = blocking(&ui.state, move |conn| {
        Ok::<_, AppError>(respond::visit(conn, &l)?)
    })
    .await?;
    let base = base_path(&link);
    match visit {
        Ok(v) => {
            let lang = chosen(q.lang.as_deref())
                .or(match link {
                    Link::Personal(_) => Some(crate::i18n::negotiate(&v.locale)),
                    Link::Open { .. } => browser_lang(&req),
                })
                .unwrap_or_else(|| crate::i18n::negotiate(&v.locale));
            form_page(&ui, &page, &v, &link, lang, StatusCode::OK, None)
        }
        Err(problem) => {
            let lang = chosen(q.lang.as_deref())
                .or(browser_lang(&req))
                .unwrap_or(ui.id.lang);
            let switch = (problem != LinkProblem::Unknown).then_some(base.as_str());
            problem_page(&ui, &page, &problem, lang, switch)
        }
    }
}

async fn submit(ui: Ui, link: Link, body: web::Bytes) -> Result<HttpResponse, AppError> {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(&body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let lang = chosen(
        pairs
            .iter()
            .find(|(k, _)| k == "lang")
            .map(|(_, v)| v.as_str()),
    )
    .unwrap_or(ui.id.lang);
    let page = organisation(&ui).await?;
    let ip = ui.id.ip.clone();
    let l = link.clone();
    let outcome = blocking(&ui.state, move |conn| {
        Ok::<_, AppError>(respond::submit(conn, &l, &pairs, lang, ip.as_deref())?)
    })
    .await?;
    let base = base_path(&link);
    match outcome {
        Submission::Stored => Ok(redirect(&format!("{base}/thanks?lang={lang}"))),
        Submission::Invalid {
            errors,
            visit,
            entered,
        } => {
            let errors: BTreeMap<String, String> =
                errors.0.into_iter().map(|e| (e.field, e.message)).collect();
            form_page(
                &ui,
                &page,
                &visit,
                &link,
                lang,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(Invalid {
                    errors: &errors,
                    entered: &entered,
                }),
            )
        }
        Submission::Throttled => ui.render_status(
            StatusCode::TOO_MANY_REQUESTS,
            "respond/problem.html",
            minijinja::context! {
                lang => lang, organisation => page.org_name, survey_title => None::<String>,
                heading => crate::i18n::translate(lang, "respond.throttled_title"),
                text => crate::i18n::translate(lang, "respond.throttled_text"),
                switch_base => None::<String>,
            },
        ),
        Submission::Problem(problem) => problem_page(&ui, &page, &problem, lang, None),
    }
}

async fn thanks(
    ui: Ui,
    req: HttpRequest,
    link: Link,
    q: LangQuery,
) -> Result<HttpResponse, AppError> {
    let page = organisation(&ui).await?;
    let l = link.clone();
    let visit = blocking(&ui.state, move |conn| {
        Ok::<_, AppError>(respond::visit(conn, &l)?)
    })
    .await?;
    let base = base_path(&link);
    let lang = chosen(q.lang.as_deref())
        .or(browser_lang(&req))
        .unwrap_or(ui.id.lang);
    match visit {
        Ok(v) => ui.render(
            "respond/thanks.html",
            minijinja::context! {
                lang => lang, organisation => page.org_name, back => format!("{base}?lang={lang}"),
                closes => v.survey.closes_at.map(|t| display_time(t, &page.org_tz, lang)),
                switch_base => format!("{base}/thanks"),
            },
        ),
        Err(problem) => problem_page(&ui, &page, &problem, lang, None),
    }
}

pub async fn personal_form(
    ui: Ui,
    req: HttpRequest,
    token: web::Path<String>,
    q: web::Query<LangQuery>,
) -> Result<HttpResponse, AppError> {
    show(ui, req, Link::Personal(token.into_inner()), q.into_inner()).await
}

pub async fn personal_submit(
    ui: Ui,
    token: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    submit(ui, Link::Personal(token.into_inner()), body).await
}

pub async fn personal_thanks(
    ui: Ui,
    req: HttpRequest,
    token: web::Path<String>,
    q: web::Query<LangQuery>,
) -> Result<HttpResponse, AppError> {
    thanks(ui, req, Link::Personal(token.into_inner()), q.into_inner()).await
}

pub async fn open_form(
    ui: Ui,
    req: HttpRequest,
    token: web::Path<String>,
    q: web::Query<LangQuery>,
) -> Result<HttpResponse, AppError> {
    let link = open_link(&req, token.into_inner());
    show(ui, req, link, q.into_inner()).await
}

pub async fn open_submit(
    ui: Ui,
    req: HttpRequest,
    token: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let link = open_link(&req, token.into_inner());
    submit(ui, link, body).await
}

pub async fn open_thanks(
    ui: Ui,
    req: HttpRequest,
    token: web::Path<String>,
    q: web::Query<LangQuery>,
) -> Result<HttpResponse, AppError> {
    let link = open_link(&req, token.into_inner());
    thanks(ui, req, link, q.into_inner()).await
}

pub async fn unsubscribe_form(
    ui: Ui,
    req: HttpRequest,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let page = organisation(&ui).await?;
    let lang = browser_lang(&req).unwrap_or(ui.id.lang);
    ui.render(
        "respond/unsubscribe.html",
        minijinja::context! {
            lang => lang, organisation => page.org_name, done => false,
            action => format!("/u/{}", token.into_inner()), switch_base => None::<String>,
        },
    )
}

/// Also the target of the one-click unsubscribe (RFC 8058) that mail clients post without a
/// form, which is why this route needs no CSRF token: the link's token is the credential.
pub async fn unsubscribe(
    ui: Ui,
    req: HttpRequest,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let page = organisation(&ui).await?;
    let lang = browser_lang(&req).unwrap_or(ui.id.lang);
    let token = token.into_inner();
    let valid = blocking(&ui.state, move |conn| {
        Ok::<_, AppError>(respond::opt_out(conn, &token)?)
    })
    .await?;
    if !valid {
        return problem_page(&ui, &page, &LinkProblem::Unknown, lang, None);
    }
    ui.render(
        "respond/unsubscribe.html",
        minijinja::context! {
            lang => lang, organisation => page.org_name, done => true, action => "", switch_base => None::<String>,
        },
    )
}
