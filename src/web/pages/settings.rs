//! Organisation settings: name and time zone, the communication policy per severity and audience,
//! the audiences, the service catalogue, and an SMTP test.

use std::collections::HashMap;

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use crate::db::audiences::AudienceForm;
use crate::domain::{FieldErrors, PolicyTargets, Severity};
use crate::organisation::Organisation;
use crate::web::error::AppError;
use crate::web::ui::{Ui, redirect_with_flash};
use crate::web::{blocking, forms};

/// What a refused form posted, shown again instead of the stored values.
enum Retry<'a> {
    Nothing,
    Organisation(&'a Organisation),
    Rubrics(&'a RubricsForm),
}

fn pretty_json(value: &impl Serialize) -> String {
    // Plain structs of numbers: serialising cannot fail.
    serde_json::to_string_pretty(value).unwrap_or_default()
}

async fn render(
    ui: &Ui,
    retry: Retry<'_>,
    errors: Option<&FieldErrors>,
    notice: Option<String>,
) -> Result<HttpResponse, AppError> {
    let (org, audiences, policies, services, rubrics) = blocking(&ui.state, |conn| {
        Ok::<_, AppError>((
            crate::organisation::load(conn)?,
            crate::db::audiences::list(conn)?,
            crate::db::audiences::policies(conn)?,
            crate::db::audiences::list_services(conn)?,
            crate::scores::rubrics(conn)?,
        ))
    })
    .await?;
    let rubric_values = match &retry {
        Retry::Rubrics(form) => RubricsForm {
            clarity: form.clarity.clone(),
            timeliness: form.timeliness.clone(),
            reset: String::new(),
        },
        _ => RubricsForm {
            clarity: pretty_json(&rubrics.clarity),
            timeliness: pretty_json(&rubrics.timeliness),
            reset: String::new(),
        },
    };
    let org = match retry {
        Retry::Organisation(values) => values.clone(),
        _ => org,
    };
    // policy[severity][audience id] → targets, for the grid.
    let mut grid: HashMap<&str, HashMap<String, PolicyTargets>> = HashMap::new();
    for sev in Severity::ALL {
        let row = grid.entry(sev.as_str()).or_default();
        for a in &audiences {
            let t = policies
                .iter()
                .find(|(s, aud, _)| s == sev && *aud == a.id)
                .map(|(_, _, t)| *t)
                .unwrap_or_else(|| PolicyTargets::default_for(*sev));
            row.insert(a.id.to_string(), t);
        }
    }
    let ctx = minijinja::context! {
        org => org,
        rubrics => rubric_values,
        rubric_version => crate::scoring::RUBRIC_VERSION,
        audiences => audiences,
        severities => Severity::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
        policy => grid,
        services => services,
        mail_transport => format!("{:?}", ui.state.config.mail_transport).to_lowercase(),
        smtp_host => ui.state.config.smtp.host,
        notice => notice,
    };
    match errors {
        Some(e) => ui.render_invalid("pages/settings.html", e, ctx),
        None => ui.render("pages/settings.html", ctx),
    }
}

pub async fn show(ui: Ui) -> Result<HttpResponse, AppError> {
    render(&ui, Retry::Nothing, None, None).await
}

#[derive(Deserialize, Serialize, Default)]
#[serde(default)]
pub struct OrganisationForm {
    name: String,
    time_zone: String,
    confidentiality_label: String,
    default_language: String,
}

pub async fn update_organisation(ui: Ui, body: web::Bytes) -> Result<HttpResponse, AppError> {
    let form: OrganisationForm = forms::parse(&body)?;
    let org = Organisation {
        name: form.name.trim().into(),
        time_zone: form.time_zone.trim().into(),
        confidentiality_label: form.confidentiality_label.trim().into(),
        default_language: form.default_language,
    };
    if let Err(e) = org.validate() {
        return render(&ui, Retry::Organisation(&org), Some(&e), None).await;
    }
    let actor = ui.id.actor();
    let saved = org.clone();
    blocking(&ui.state, move |conn| {
        crate::organisation::save(conn, &org)?;
        crate::db::audit::record(conn, &actor, "settings.organisation", None, Some(&org.name))?;
        Ok::<_, AppError>(())
    })
    .await?;
    // This instance shows the change at once; others within a few seconds.
    ui.state.remember_organisation(&saved);
    Ok(redirect_with_flash("/settings", "success", "flash.saved"))
}

/// The policy grid posts `{severity}.{audience id}.{field}` = minutes for every cell.
pub async fn update_policy(ui: Ui, body: web::Bytes) -> Result<HttpResponse, AppError> {
    let pairs: HashMap<String, String> = url::form_urlencoded::parse(&body).into_owned().collect();
    let audiences = blocking(&ui.state, |conn| {
        Ok::<_, AppError>(crate::db::audiences::list(conn)?)
    })
    .await?;
    let mut errors = FieldErrors::default();
    let mut rows = Vec::new();
    for sev in Severity::ALL {
        for a in &audiences {
            let field = |name: &str| {
                let key = format!("{}.{}.{}", sev.as_str(), a.id, name);
                let value = pairs
                    .get(&key)
                    .map(|v| v.trim().to_string())
                    .unwrap_or_default();
                (key, value.parse::<i32>())
            };
            let mut get = |name: &str| match field(name) {
                (_, Ok(v)) => v,
                (key, Err(_)) => {
                    errors.add(&key, "enter whole minutes");
                    0
                }
            };
            let t = PolicyTargets {
                first_message_min: get("first_message_min"),
                update_interval_min: get("update_interval_min"),
                all_clear_min: get("all_clear_min"),
                reply_target_min: get("reply_target_min"),
            };
            if errors.is_empty()
                && let Err(msg) = t.validate()
            {
                errors.add(&format!("{}.{}.first_message_min", sev.as_str(), a.id), msg);
            }
            rows.push((*sev, a.id, t));
        }
    }
    if !errors.is_empty() {
        return render(&ui, Retry::Nothing, Some(&errors), None).await;
    }
    let actor = ui.id.actor();
    blocking(&ui.state, move |conn| {
        crate::db::write_transaction(conn, |c| {
            for (sev, aud, t) in &rows {
                crate::db::audiences::set_policy(c, *sev, *aud, t)?;
            }
            crate::db::audit::record(c, &actor, "settings.policy", None, None)?;
            Ok::<_, AppError>(())
        })
    })
    .await?;
    Ok(redirect_with_flash(
        "/settings#policy",
        "success",
        "flash.saved",
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AudienceFormData {
    key: String,
    name_en: String,
    name_de: String,
    internal: Option<String>,
    lay: Option<String>,
    weight: String,
}

fn validate_audience(form: &AudienceFormData, new: bool) -> Result<f64, FieldErrors> {
    let mut e = FieldErrors::default();
    if new
        && (form.key.is_empty()
            || form.key.len() > 40
            || !form.key.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
    {
        e.add(
            "key",
            "use 1–40 lower-case letters and underscores, e.g. press",
        );
    }
    if form.name_en.trim().is_empty() {
        e.add("name_en", "is required");
    }
    if form.name_de.trim().is_empty() {
        e.add("name_de", "is required");
    }
    let weight = form
        .weight
        .trim()
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|w| (0.0..=1.0).contains(w));
    if weight.is_none() {
        e.add("weight", "enter a share between 0 and 1, e.g. 0.25");
    }
    e.into_result(weight.unwrap_or(0.0))
}

pub async fn create_audience(ui: Ui, body: web::Bytes) -> Result<HttpResponse, AppError> {
    let form: AudienceFormData = forms::parse(&body)?;
    let weight = match validate_audience(&form, true) {
        Ok(w) => w,
        Err(e) => return render(&ui, Retry::Nothing, Some(&e), None).await,
    };
    let actor = ui.id.actor();
    let result = blocking(&ui.state, move |conn| {
        let id = crate::db::audiences::insert(
            conn,
            &AudienceForm {
                key: &form.key,
                name_en: form.name_en.trim(),
                name_de: form.name_de.trim(),
                internal: forms::checkbox(&form.internal),
                lay: forms::checkbox(&form.lay),
                weight,
            },
        );
        if id.is_ok() {
            crate::db::audit::record(
                conn,
                &actor,
                "settings.audience_created",
                Some(&form.key),
                None,
            )?;
        }
        Ok::<_, AppError>(id)
    })
    .await?;
    match result {
        Ok(_) => Ok(redirect_with_flash(
            "/settings#audiences",
            "success",
            "flash.saved",
        )),
        Err(e) if e.is_unique_violation() => {
            render(
                &ui,
                Retry::Nothing,
                Some(&FieldErrors::single(
                    "key",
                    "an audience with this key exists",
                )),
                None,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn update_audience(
    ui: Ui,
    id: web::Path<i64>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let form: AudienceFormData = forms::parse(&body)?;
    let weight = match validate_audience(&form, false) {
        Ok(w) => w,
        Err(e) => return render(&ui, Retry::Nothing, Some(&e), None).await,
    };
    let id = id.into_inner();
    let actor = ui.id.actor();
    blocking(&ui.state, move |conn| {
        crate::db::audiences::update(
            conn,
            id,
            &AudienceForm {
                key: "",
                name_en: form.name_en.trim(),
                name_de: form.name_de.trim(),
                internal: forms::checkbox(&form.internal),
                lay: forms::checkbox(&form.lay),
                weight,
            },
        )?;
        crate::db::audit::record(
            conn,
            &actor,
            "settings.audience_updated",
            Some(&id.to_string()),
            None,
        )?;
        Ok::<_, AppError>(())
    })
    .await?;
    Ok(redirect_with_flash(
        "/settings#audiences",
        "success",
        "flash.saved",
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ServiceForm {
    name: String,
    aliases: String,
    description: String,
}

fn validate_service(form: &ServiceForm) -> Result<(), FieldErrors> {
    let mut e = FieldErrors::default();
    if form.name.trim().is_empty() || form.name.chars().count() > 100 {
        e.add("service_name", "is required (at most 100 characters)");
    }
    if form.aliases.chars().count() > 1000 {
        e.add("aliases", "is longer than 1000 characters");
    }
    e.into_result(())
}

pub async fn create_service(ui: Ui, body: web::Bytes) -> Result<HttpResponse, AppError> {
    save_service(ui, None, body).await
}

pub async fn update_service(
    ui: Ui,
    id: web::Path<i64>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    save_service(ui, Some(id.into_inner()), body).await
}

async fn save_service(ui: Ui, id: Option<i64>, body: web::Bytes) -> Result<HttpResponse, AppError> {
    let form: ServiceForm = forms::parse(&body)?;
    if let Err(e) = validate_service(&form) {
        return render(&ui, Retry::Nothing, Some(&e), None).await;
    }
    let result = blocking(&ui.state, move |conn| {
        let (name, aliases, description) = (
            form.name.trim(),
            form.aliases.trim(),
            form.description.trim(),
        );
        Ok::<_, AppError>(match id {
            Some(id) => crate::db::audiences::update_service(conn, id, name, aliases, description)
                .map(|_| ()),
            None => {
                crate::db::audiences::insert_service(conn, name, aliases, description).map(|_| ())
            }
        })
    })
    .await?;
    match result {
        Ok(()) => Ok(redirect_with_flash(
            "/settings#services",
            "success",
            "flash.saved",
        )),
        Err(e) if e.is_unique_violation() => {
            render(
                &ui,
                Retry::Nothing,
                Some(&FieldErrors::single(
                    "service_name",
                    "a service with this name exists",
                )),
                None,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn delete_service(ui: Ui, id: web::Path<i64>) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    blocking(&ui.state, move |conn| {
        Ok::<_, AppError>(crate::db::audiences::delete_service(conn, id)?)
    })
    .await?;
    Ok(redirect_with_flash(
        "/settings#services",
        "success",
        "flash.deleted",
    ))
}

#[derive(Deserialize, Serialize, Default)]
#[serde(default)]
pub struct RubricsForm {
    clarity: String,
    timeliness: String,
    /// Set by the "restore the defaults" button.
    reset: String,
}

/// The scoring rubric's weights and thresholds as JSON; fields left out keep SCORING.md's
/// defaults. Every scorecard is recomputed when next shown.
pub async fn update_rubrics(ui: Ui, body: web::Bytes) -> Result<HttpResponse, AppError> {
    let form: RubricsForm = forms::parse(&body)?;
    let (clarity, timeliness) = if form.reset.is_empty() {
        (form.clarity.clone(), form.timeliness.clone())
    } else {
        (String::new(), String::new())
    };
    let actor = ui.id.actor();
    let saved = blocking(&ui.state, move |conn| {
        let saved = crate::scores::save_rubrics(conn, &clarity, &timeliness);
        if saved.is_ok() {
            crate::db::audit::record(conn, &actor, "settings.rubrics", None, None)?;
        }
        Ok::<_, AppError>(saved)
    })
    .await?;
    match saved {
        Ok(_) => Ok(redirect_with_flash(
            "/settings#rubrics",
            "success",
            "flash.saved",
        )),
        Err(crate::error::ServiceError::Invalid(e)) => {
            render(&ui, Retry::Rubrics(&form), Some(&e), None).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Sends a test mail to the signed-in admin through the configured transport and reports the
/// outcome on the page.
pub async fn smtp_test(ui: Ui) -> Result<HttpResponse, AppError> {
    let Some(user) = ui.id.user.clone() else {
        return Err(AppError::Unauthorized);
    };
    let mailer = ui.state.mailer.clone();
    let from = ui.state.config.smtp.from.clone();
    let message_id = crate::mail::compose::new_message_id(&ui.state.config.base_url());
    let subject = ui.t("settings.smtp_test_subject");
    let text = ui.t("settings.smtp_test_text");
    let (to, name) = (user.email.clone(), user.name.clone());
    let outcome =
        web::block(move || mailer.send_test(&from, &to, &name, &subject, &text, message_id))
            .await?;
    let notice = match outcome {
        Ok(()) => crate::i18n::interpolate(&ui.t("settings.smtp_ok"), &[("email", user.email)]),
        Err(e) => format!("{}: {e}", ui.t("settings.smtp_failed")),
    };
    render(&ui, Retry::Nothing, None, Some(notice)).await
}
