//! The team's survey pages: the incident's surveys, one survey (settings, questions, recipients,
//! sending with live progress), results, and the raw-answers export.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use crate::error::ServiceError;
use crate::surveys::manage;
use crate::surveys::model::{Choice, QuestionInput, QuestionType, SurveyInput, SurveyTemplate};
use crate::surveys::results::FilterInput;
use crate::web::error::AppError;
use crate::web::ui::{Ui, redirect_with_flash};
use crate::web::{blocking, forms};

fn survey_url(key: &str, id: i64) -> String {
    format!("/incidents/{key}/surveys/{id}")
}

pub async fn list(ui: Ui, key: web::Path<String>) -> Result<HttpResponse, AppError> {
    let key = key.into_inner();
    let editor = ui.id.has(crate::domain::Role::Editor);
    let (incident, surveys) = blocking(&ui.state, move |conn| {
        let incident = crate::incidents::get(conn, &key)?;
        let surveys = crate::db::surveys::of_incident(conn, incident.id)?;
        let mut rows = Vec::new();
        for s in surveys {
            let progress = crate::db::invitations::progress(conn, s.id)?.shown_to(editor);
            let responses = crate::db::responses::count(conn, s.id)?;
            rows.push(
                minijinja::context! { survey => s, progress => progress, responses => responses },
            );
        }
        Ok::<_, AppError>((incident, rows))
    })
    .await?;
    ui.render(
        "pages/surveys/list.html",
        minijinja::context! {
            incident => incident, surveys => surveys, tab => "surveys",
            templates => SurveyTemplate::ALL.iter().map(|t| t.as_str()).collect::<Vec<_>>(),
        },
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CreateForm {
    template: String,
}

pub async fn create(
    ui: Ui,
    key: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let form: CreateForm = forms::parse(&body)?;
    let template: SurveyTemplate = form.template.parse().map_err(AppError::BadRequest)?;
    let key = key.into_inner();
    let actor = ui.id.actor();
    let survey = blocking(&ui.state, move |conn| {
        Ok::<_, AppError>(manage::create(conn, &key, template, &actor)?)
    })
    .await?;
    let incident_key = blocking(&ui.state, move |conn| {
        Ok::<_, AppError>(crate::incidents::get_by_id(conn, survey.incident_id)?.key)
    })
    .await?;
    Ok(redirect_with_flash(
        &survey_url(&incident_key, survey.id),
        "success",
        "flash.survey_created",
    ))
}

/// Everything the survey page shows.
async fn render_show(
    ui: &Ui,
    key: String,
    id: i64,
    status: StatusCode,
    notice: Option<String>,
    errors: Option<(&str, &crate::domain::FieldErrors)>,
) -> Result<HttpResponse, AppError> {
    let secret = ui.state.csrf_secret.clone();
    let base_url = ui.state.config.base_url();
    let editor = ui.id.has(crate::domain::Role::Editor);
    let data = blocking(&ui.state, move |conn| {
        let (incident, survey) = manage::of_incident(conn, &key, id)?;
        let questions = crate::db::surveys::questions(conn, id)?;
        let progress = crate::db::invitations::progress(conn, id)?.shown_to(editor);
        let responses = crate::db::responses::count(conn, id)?;
        let audiences = crate::db::audiences::list(conn)?;
        let recipient_counts = crate::db::recipients::counts_by_audience(conn)?;
        let open_link = survey
            .has_open_link
            .then(|| format!("{base_url}/p/{}", manage::open_link_token(&secret, &survey)));
        Ok::<_, AppError>((
            incident,
            survey,
            questions,
            progress,
            responses,
            audiences,
            recipient_counts,
            open_link,
        ))
    })
    .await?;
    let (incident, survey, questions, progress, responses, audiences, recipient_counts, open_link) =
        data;
    let lang = ui.id.lang;
    let targets: Vec<minijinja::Value> = audiences
        .iter()
        .filter(|a| survey.audiences.contains(&a.key))
        .map(|a| {
            let (total, opted_out) = recipient_counts
                .iter()
                .find(|(k, ..)| k.as_deref() == Some(a.key.as_str()))
                .map(|(_, t, o)| (*t, *o))
                .unwrap_or((0, 0));
            minijinja::context! { key => a.key, name => a.name(lang), recipients => total, opted_out => opted_out }
        })
        .collect();
    let target_options: Vec<(String, String)> = audiences
        .iter()
        .filter(|a| survey.audiences.contains(&a.key))
        .map(|a| (a.key.clone(), a.name(lang).to_string()))
        .collect();
    let question_rows: Vec<minijinja::Value> = questions
        .iter()
        .map(|q| {
            minijinja::context! {
                id => q.id, qtype => q.qtype.as_str(), code => q.code, required => q.required,
                text => q.text(lang), text_en => q.text_en, text_de => q.text_de,
                choices => q.choices().iter().map(|c| c.label(lang).to_string()).collect::<Vec<_>>(),
                choices_raw => q.options.iter().map(|c| format!("{} | {}", c.en, c.de)).collect::<Vec<_>>(),
            }
        })
        .collect();
    let (form_name, form_errors) = match errors {
        Some((name, e)) => (
            Some(name),
            e.0.iter()
                .map(|f| (f.field.clone(), f.message.clone()))
                .collect::<std::collections::BTreeMap<_, _>>(),
        ),
        None => (None, Default::default()),
    };
    ui.render_status(
        status,
        "pages/surveys/show.html",
        minijinja::context! {
            incident => incident, survey => survey, title => survey.title(lang), tab => "surveys",
            questions => question_rows, progress => progress, responses => responses,
            target_options => target_options, targets => targets, open_link => open_link, notice => notice,
            qtypes => QuestionType::ALL.iter().map(|t| t.as_str()).collect::<Vec<_>>(),
            audiences => audiences, form_name => form_name, errors => form_errors,
        },
    )
}

pub async fn show(ui: Ui, path: web::Path<(String, i64)>) -> Result<HttpResponse, AppError> {
    let (key, id) = path.into_inner();
    render_show(&ui, key, id, StatusCode::OK, None, None).await
}

/// Runs a survey action; a refusal (conflict) is shown on the survey page instead of an error page.
async fn act<T, F>(
    ui: Ui,
    key: String,
    id: i64,
    flash: &str,
    form: &'static str,
    f: F,
) -> Result<HttpResponse, AppError>
where
    F: FnOnce(&mut crate::db::DbConn) -> Result<T, ServiceError> + Send + 'static,
    T: Send + 'static,
{
    let result = blocking(&ui.state, move |conn| Ok::<_, AppError>(f(conn))).await?;
    match result {
        Ok(_) => Ok(redirect_with_flash(&survey_url(&key, id), "success", flash)),
        Err(ServiceError::Conflict(m)) => {
            render_show(&ui, key, id, StatusCode::CONFLICT, Some(m), None).await
        }
        Err(ServiceError::Invalid(e)) => {
            render_show(
                &ui,
                key,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some((form, &e)),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn send(ui: Ui, path: web::Path<(String, i64)>) -> Result<HttpResponse, AppError> {
    let (key, id) = path.into_inner();
    let mail = ui.state.mail_context();
    let actor = ui.id.actor();
    let k = key.clone();
    act(ui, key, id, "flash.survey_sent", "action", move |conn| {
        manage::of_incident(conn, &k, id)?;
        manage::send(conn, id, &mail, &actor)
    })
    .await
}

pub async fn remind(ui: Ui, path: web::Path<(String, i64)>) -> Result<HttpResponse, AppError> {
    let (key, id) = path.into_inner();
    let mail = ui.state.mail_context();
    let actor = ui.id.actor();
    let k = key.clone();
    act(
        ui,
        key,
        id,
        "flash.survey_reminded",
        "action",
        move |conn| {
            let (_, mut survey) = manage::of_incident(conn, &k, id)?;
            // "Remind now" does not wait for the configured delay.
            survey.reminder_delay_hours = Some(0);
            survey.max_reminders = survey.max_reminders.max(1);
            manage::remind(conn, &survey, &mail, crate::db::now(), &actor)
        },
    )
    .await
}

pub async fn close(ui: Ui, path: web::Path<(String, i64)>) -> Result<HttpResponse, AppError> {
    let (key, id) = path.into_inner();
    let actor = ui.id.actor();
    let k = key.clone();
    act(ui, key, id, "flash.survey_closed", "action", move |conn| {
        manage::of_incident(conn, &k, id)?;
        manage::close(conn, id, &actor)
    })
    .await
}

pub async fn reopen(ui: Ui, path: web::Path<(String, i64)>) -> Result<HttpResponse, AppError> {
    let (key, id) = path.into_inner();
    let actor = ui.id.actor();
    let k = key.clone();
    act(
        ui,
        key,
        id,
        "flash.survey_reopened",
        "action",
        move |conn| {
            manage::of_incident(conn, &k, id)?;
            manage::reopen(conn, id, &actor)
        },
    )
    .await
}

pub async fn delete(ui: Ui, path: web::Path<(String, i64)>) -> Result<HttpResponse, AppError> {
    let (key, id) = path.into_inner();
    let actor = ui.id.actor();
    let k = key.clone();
    blocking(&ui.state, move |conn| {
        manage::of_incident(conn, &k, id)?;
        Ok::<_, AppError>(manage::delete(conn, id, &actor)?)
    })
    .await?;
    Ok(redirect_with_flash(
        &format!("/incidents/{key}/surveys"),
        "success",
        "flash.survey_deleted",
    ))
}

/// The settings form as submitted: times in the viewer's zone, checkboxes as present or not.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct SettingsForm {
    title_en: String,
    title_de: String,
    intro_en: String,
    intro_de: String,
    anonymous: Option<String>,
    open_link: Option<String>,
    default_locale: String,
    opens_at: String,
    closes_at: String,
    reminder_delay_hours: String,
    max_reminders: String,
    audiences: Vec<String>,
}

impl SettingsForm {
    fn from_survey(s: &crate::surveys::Survey, tz: chrono_tz::Tz) -> Self {
        let local = |t: Option<chrono::NaiveDateTime>| {
            t.map(|t| {
                crate::domain::time::utc_to_local(t, tz)
                    .format("%Y-%m-%dT%H:%M")
                    .to_string()
            })
            .unwrap_or_default()
        };
        Self {
            title_en: s.title_en.clone(),
            title_de: s.title_de.clone(),
            intro_en: s.intro_en.clone(),
            intro_de: s.intro_de.clone(),
            anonymous: s.anonymous.then(|| "on".into()),
            open_link: s.has_open_link.then(|| "on".into()),
            default_locale: s.default_locale.clone(),
            opens_at: local(s.opens_at),
            closes_at: local(s.closes_at),
            reminder_delay_hours: s
                .reminder_delay_hours
                .map(|h| h.to_string())
                .unwrap_or_default(),
            max_reminders: s.max_reminders.to_string(),
            audiences: s.audiences.clone(),
        }
    }

    fn to_input(&self, tz: chrono_tz::Tz) -> (SurveyInput, crate::domain::FieldErrors) {
        let mut errors = crate::domain::FieldErrors::default();
        let number =
            |errors: &mut crate::domain::FieldErrors, field: &str, v: &str| -> Option<i32> {
                let v = v.trim();
                if v.is_empty() {
                    return None;
                }
                match v.parse() {
                    Ok(n) => Some(n),
                    Err(_) => {
                        errors.add(field, "enter a whole number");
                        None
                    }
                }
            };
        let input = SurveyInput {
            title_en: self.title_en.clone(),
            title_de: self.title_de.clone(),
            intro_en: self.intro_en.clone(),
            intro_de: self.intro_de.clone(),
            anonymous: forms::checkbox(&self.anonymous),
            open_link: forms::checkbox(&self.open_link),
            default_locale: self.default_locale.clone(),
            opens_at: forms::local_time(&mut errors, "opens_at", &self.opens_at, tz),
            closes_at: forms::local_time(&mut errors, "closes_at", &self.closes_at, tz),
            reminder_delay_hours: number(
                &mut errors,
                "reminder_delay_hours",
                &self.reminder_delay_hours,
            ),
            max_reminders: number(&mut errors, "max_reminders", &self.max_reminders).unwrap_or(0),
            audiences: self.audiences.clone(),
        };
        (input, errors)
    }
}

async fn render_settings(
    ui: &Ui,
    key: String,
    id: i64,
    form: Option<SettingsForm>,
    errors: Option<&crate::domain::FieldErrors>,
) -> Result<HttpResponse, AppError> {
    let (incident, survey, audiences) = blocking(&ui.state, move |conn| {
        let (incident, survey) = manage::of_incident(conn, &key, id)?;
        Ok::<_, AppError>((incident, survey, crate::db::audiences::list(conn)?))
    })
    .await?;
    let values = form.unwrap_or_else(|| SettingsForm::from_survey(&survey, ui.id.zone()));
    let ctx = minijinja::context! {
        incident => incident, survey => survey, values => values, audiences => audiences, tab => "surveys",
    };
    match errors {
        Some(e) => ui.render_invalid("pages/surveys/settings.html", e, ctx),
        None => ui.render("pages/surveys/settings.html", ctx),
    }
}

pub async fn settings_form(
    ui: Ui,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, AppError> {
    let (key, id) = path.into_inner();
    render_settings(&ui, key, id, None, None).await
}

pub async fn update(
    ui: Ui,
    path: web::Path<(String, i64)>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let (key, id) = path.into_inner();
    let form: SettingsForm = forms::parse(&body)?;
    let (input, errors) = form.to_input(ui.id.zone());
    if !errors.is_empty() {
        return render_settings(&ui, key, id, Some(form), Some(&errors)).await;
    }
    let secret = ui.state.csrf_secret.clone();
    let actor = ui.id.actor();
    let k = key.clone();
    let result = blocking(&ui.state, move |conn| {
        manage::of_incident(conn, &k, id)?;
        Ok::<_, AppError>(manage::update(conn, id, &input, &secret, &actor))
    })
    .await?;
    match result {
        Ok(_) => Ok(redirect_with_flash(
            &survey_url(&key, id),
            "success",
            "flash.saved",
        )),
        Err(ServiceError::Invalid(e)) => render_settings(&ui, key, id, Some(form), Some(&e)).await,
        Err(e) => Err(e.into()),
    }
}

/// A question as the builder submits it: options one per line, `English | Deutsch`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct QuestionForm {
    qtype: String,
    code: String,
    required: Option<String>,
    text_en: String,
    text_de: String,
    options: String,
}

impl QuestionForm {
    fn to_input(&self) -> QuestionInput {
        let options = self
            .options
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| match l.split_once('|') {
                Some((en, de)) => Choice::new("", en.trim(), de.trim()),
                None => Choice::new("", l, l),
            })
            .collect();
        QuestionInput {
            qtype: self.qtype.clone(),
            code: Some(self.code.clone()),
            required: forms::checkbox(&self.required),
            text_en: self.text_en.clone(),
            text_de: self.text_de.clone(),
            options,
        }
    }
}

pub async fn add_question(
    ui: Ui,
    path: web::Path<(String, i64)>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let (key, id) = path.into_inner();
    let input = forms::parse::<QuestionForm>(&body)?.to_input();
    let k = key.clone();
    act(
        ui,
        key,
        id,
        "flash.question_added",
        "question",
        move |conn| {
            manage::of_incident(conn, &k, id)?;
            manage::add_question(conn, id, &input)
        },
    )
    .await
}

pub async fn update_question(
    ui: Ui,
    path: web::Path<(String, i64, i64)>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let (key, id, qid) = path.into_inner();
    let input = forms::parse::<QuestionForm>(&body)?.to_input();
    let k = key.clone();
    act(ui, key, id, "flash.saved", "question", move |conn| {
        manage::of_incident(conn, &k, id)?;
        manage::update_question(conn, id, qid, &input)
    })
    .await
}

pub async fn delete_question(
    ui: Ui,
    path: web::Path<(String, i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (key, id, qid) = path.into_inner();
    let k = key.clone();
    act(
        ui,
        key,
        id,
        "flash.question_deleted",
        "question",
        move |conn| {
            manage::of_incident(conn, &k, id)?;
            manage::delete_question(conn, id, qid)
        },
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MoveForm {
    step: String,
}

pub async fn move_question(
    ui: Ui,
    path: web::Path<(String, i64, i64)>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let (key, id, qid) = path.into_inner();
    let step = if forms::parse::<MoveForm>(&body)?.step == "up" {
        -1
    } else {
        1
    };
    let k = key.clone();
    act(ui, key, id, "flash.saved", "question", move |conn| {
        manage::of_incident(conn, &k, id)?;
        manage::move_question(conn, id, qid, step)
    })
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RecipientForm {
    email: String,
    name: String,
    audience: String,
    locale: String,
}

pub async fn add_recipient(
    ui: Ui,
    path: web::Path<(String, i64)>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let (key, id) = path.into_inner();
    let form: RecipientForm = forms::parse(&body)?;
    let k = key.clone();
    act(
        ui,
        key,
        id,
        "flash.recipient_added",
        "recipient",
        move |conn| {
            manage::of_incident(conn, &k, id)?;
            manage::add_recipient(conn, &form.email, &form.name, &form.audience, &form.locale)
                .map(|_| ())
        },
    )
    .await
}

pub async fn progress(ui: Ui, path: web::Path<(String, i64)>) -> Result<HttpResponse, AppError> {
    let (key, id) = path.into_inner();
    let editor = ui.id.has(crate::domain::Role::Editor);
    let (survey, progress, responses) = blocking(&ui.state, move |conn| {
        let (_, survey) = manage::of_incident(conn, &key, id)?;
        Ok::<_, AppError>((
            survey,
            crate::db::invitations::progress(conn, id)?.shown_to(editor),
            crate::db::responses::count(conn, id)?,
        ))
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .json(serde_json::json!({ "status": survey.status, "progress": progress, "responses": responses })))
}

/// The results filter as the page's form sends it, and as the page passes it on to the export.
fn filter_query(f: &FilterInput) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("audience", f.audience.trim()),
            ("language", f.language.trim()),
            ("from", f.from.trim()),
            ("to", f.to.trim()),
            ("sentiment", f.sentiment.trim()),
        ])
        .finish()
}

pub async fn results(
    ui: Ui,
    path: web::Path<(String, i64)>,
    q: web::Query<FilterInput>,
) -> Result<HttpResponse, AppError> {
    let (key, id) = path.into_inner();
    let input = q.into_inner();
    let lang = ui.id.lang;
    let report_lang = crate::report::model::Lang::from_code(lang);
    let tz = ui.id.zone();
    let given = input.clone();
    let data = blocking(&ui.state, move |conn| {
        let (incident, survey) = manage::of_incident(conn, &key, id)?;
        // A filter that does not check out is reported and not applied.
        let (filter, invalid) = match manage::results_filter(conn, &survey, &given) {
            Ok(f) => (f, None),
            Err(ServiceError::Invalid(e)) => (Default::default(), Some(e)),
            Err(e) => return Err(e.into()),
        };
        let (questions, results) = manage::results(conn, &survey, &filter)?;
        let audiences = crate::db::audiences::list(conn)?;
        // Measured beside perceived (SCORING §3): the scorecard's overall per audience.
        let card = crate::scores::ensure(conn, &incident)?;
        let measured: Vec<(String, f64)> = card
            .audiences
            .iter()
            .map(|a| (a.key.clone(), a.overall))
            .collect();
        let name = |k: &Option<String>| match k {
            Some(k) => audiences
                .iter()
                .find(|a| &a.key == k)
                .map(|a| a.name(lang).to_string())
                .unwrap_or_else(|| k.clone()),
            None => crate::i18n::translate(lang, "surveys.no_audience"),
        };
        let charts = crate::surveys::charts::results_charts_svg(
            &questions,
            &results,
            &crate::surveys::charts::ChartContext {
                lang: report_lang,
                tz,
                name: &name,
                measured: &measured,
            },
        )
        .map_err(|e| AppError::Internal(e.to_string()))?;
        Ok::<_, AppError>((
            incident,
            survey,
            questions,
            results,
            audiences,
            (measured, card.overall),
            charts,
            invalid,
        ))
    })
    .await?;
    let (
        incident,
        survey,
        questions,
        results,
        audiences,
        (measured, measured_overall),
        charts,
        invalid,
    ) = data;
    let audience_name = |k: &Option<String>| match k {
        Some(k) => audiences
            .iter()
            .find(|a| &a.key == k)
            .map(|a| a.name(lang).to_string())
            .unwrap_or_else(|| k.clone()),
        None => crate::i18n::translate(lang, "surveys.no_audience"),
    };
    let label_of = |qid: i64, value: &str| {
        questions
            .iter()
            .find(|q| q.id == qid)
            .and_then(|q| q.choices().into_iter().find(|c| c.value == value))
            .map(|c| c.label(lang).to_string())
            .unwrap_or_else(|| value.to_string())
    };
    let question_rows: Vec<minijinja::Value> = results
        .questions
        .iter()
        .map(|q| {
            let dist = |d: &crate::surveys::results::Distribution| {
                minijinja::context! {
                    n => d.n, mean => d.mean, median => d.median, score => d.score,
                    counts => d.counts.iter().map(|(v, c)| (label_of(q.question_id, v), *c)).collect::<Vec<_>>(),
                }
            };
            minijinja::context! {
                text => if lang == "de" && !q.text_de.is_empty() { &q.text_de } else { &q.text_en },
                qtype => q.qtype.as_str(),
                overall => dist(&q.overall),
                groups => q.by_audience.iter().map(|g| minijinja::context! {
                    audience => audience_name(&g.audience),
                    dist => g.distribution.as_ref().map(dist),
                }).collect::<Vec<_>>(),
            }
        })
        .collect();
    let rates: Vec<minijinja::Value> = results
        .rates
        .iter()
        .map(|r| minijinja::context! { audience => audience_name(&r.audience), invited => r.invited, answered => r.answered, rate => r.rate, responses => r.responses })
        .collect();
    let perceived: Vec<minijinja::Value> = results
        .perceived
        .iter()
        .map(|p| {
            let m = p
                .audience
                .as_ref()
                .and_then(|k| measured.iter().find(|(a, _)| a == k))
                .map(|(_, v)| *v);
            minijinja::context! { audience => audience_name(&p.audience), key => p.audience, p => p, measured => m }
        })
        .collect();
    let over_time_audiences: Vec<String> = results
        .over_time
        .points
        .last()
        .map(|p| {
            p.audiences
                .iter()
                .map(|a| audience_name(&a.audience))
                .collect()
        })
        .unwrap_or_default();
    let editor = ui
        .id
        .user
        .as_ref()
        .is_some_and(|u| u.role.includes(crate::domain::Role::Editor));
    let texts: Vec<minijinja::Value> = if editor {
        results
            .texts
            .iter()
            .map(|t| {
                let question = questions.iter().find(|q| q.id == t.question_id).map(|q| q.text(lang).to_string());
                let audience = if t.audience_withheld {
                    crate::i18n::translate(lang, "surveys.audience_withheld")
                } else {
                    audience_name(&t.audience)
                };
                minijinja::context! {
                    question => question, audience => audience, text => t.text, locale => t.locale,
                    sentiment => t.sentiment.as_str(), aspects => t.aspects.iter().map(|a| a.as_str()).collect::<Vec<_>>(),
                    themes => t.themes,
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    // The recurring themes of the shown answers, each with the answers that mention it.
    let mut themes: Vec<(String, Vec<minijinja::Value>)> = Vec::new();
    for (t, shown) in results.texts.iter().zip(&texts) {
        for phrase in &t.themes {
            match themes.iter_mut().find(|(p, _)| p == phrase) {
                Some((_, list)) => list.push(shown.clone()),
                None => themes.push((phrase.clone(), vec![shown.clone()])),
            }
        }
    }
    themes.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
    let themes: Vec<minijinja::Value> = themes
        .into_iter()
        .map(|(phrase, texts)| minijinja::context! { phrase => phrase, texts => texts })
        .collect();
    let insights: Vec<minijinja::Value> = results
        .insights
        .iter()
        .chain(std::iter::once(&results.insights_overall))
        .map(|i| {
            minijinja::context! {
                audience => i.audience.as_ref().map(|_| audience_name(&i.audience)), answers => i.answers,
                positive => i.positive, neutral => i.neutral, negative => i.negative,
                aspects => i.aspects.iter().map(|(a, n)| (a.as_str(), *n)).collect::<Vec<_>>(),
                themes => i.themes.iter().map(|t| (t.phrase.clone(), t.answers)).collect::<Vec<_>>(),
            }
        })
        .collect();
    let survey_audiences: Vec<(String, String)> = survey
        .audiences
        .iter()
        .map(|k| (k.clone(), audience_name(&Some(k.clone()))))
        .collect();
    let export_query = if invalid.is_none() {
        filter_query(&input)
    } else {
        String::new()
    };
    let ctx = minijinja::context! {
        incident => incident, survey => survey, title => survey.title(lang), tab => "surveys",
        insights => insights, themes => themes,
        results => results, questions => question_rows, rates => rates, perceived => perceived,
        over_time_audiences => over_time_audiences,
        texts => texts, text_count => results.texts.len(), measured_overall => measured_overall,
        min_group => crate::surveys::results::MIN_ANONYMOUS_GROUP,
        charts => charts, filter => input, filtered => !input.is_empty() && invalid.is_none(),
        survey_audiences => survey_audiences, export_query => export_query,
    };
    match &invalid {
        Some(e) => ui.render_invalid("pages/surveys/results.html", e, ctx),
        None => ui.render("pages/surveys/results.html", ctx),
    }
}

pub async fn export(
    ui: Ui,
    path: web::Path<(String, i64)>,
    q: web::Query<FilterInput>,
) -> Result<HttpResponse, AppError> {
    let (key, id) = path.into_inner();
    let actor = ui.id.actor();
    let lang = ui.id.lang;
    let input = q.into_inner();
    let (name, bytes) = blocking(&ui.state, move |conn| {
        let (incident, survey) = manage::of_incident(conn, &key, id)?;
        let filter = manage::results_filter(conn, &survey, &input)?;
        Ok::<_, AppError>(
            crate::surveys::export::for_survey(conn, id, &filter, lang, &actor)
                .map(|b| (format!("{}-survey-{id}.csv", incident.key), b))?,
        )
    })
    .await?;
    Ok(csv_response(&name, bytes))
}

/// A CSV download that is never cached.
pub fn csv_response(name: &str, bytes: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .body(bytes)
}
