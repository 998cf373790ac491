use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use crate::accounts;
use crate::domain::{FieldErrors, Role};
use crate::error::ServiceError;
use crate::web::error::AppError;
use crate::web::ui::{Ui, redirect_with_flash};
use crate::web::{blocking, forms};

fn roles() -> Vec<&'static str> {
    Role::ALL.iter().map(|r| r.as_str()).collect()
}

async fn render_list(
    ui: &Ui,
    values: &InviteForm,
    errors: Option<&FieldErrors>,
) -> Result<HttpResponse, AppError> {
    let users = blocking(&ui.state, |conn| {
        Ok::<_, AppError>(crate::db::users::list(conn)?)
    })
    .await?;
    let ctx = minijinja::context! { users => users, roles => roles(), values => values };
    match errors {
        Some(e) => ui.render_invalid("pages/users/list.html", e, ctx),
        None => ui.render("pages/users/list.html", ctx),
    }
}

pub async fn list(ui: Ui) -> Result<HttpResponse, AppError> {
    let values = InviteForm {
        role: "editor".into(),
        locale: ui.id.lang.into(),
        ..Default::default()
    };
    render_list(&ui, &values, None).await
}

#[derive(Deserialize, Serialize, Default)]
#[serde(default)]
pub struct InviteForm {
    email: String,
    name: String,
    role: String,
    locale: String,
}

pub async fn invite(ui: Ui, body: web::Bytes) -> Result<HttpResponse, AppError> {
    let form: InviteForm = forms::parse(&body)?;
    let role = match form.role.parse::<Role>() {
        Ok(r) => r,
        Err(msg) => return render_list(&ui, &form, Some(&FieldErrors::single("role", msg))).await,
    };
    let actor = ui.id.actor();
    let mail = ui.state.mail_context();
    let (email, name, locale) = (form.email.clone(), form.name.clone(), form.locale.clone());
    let result = blocking(&ui.state, move |conn| {
        Ok::<_, AppError>(accounts::invite_user(
            conn, &email, &name, role, &locale, &actor, &mail,
        ))
    })
    .await?;
    match result {
        Ok(_) => Ok(redirect_with_flash(
            "/users",
            "success",
            "flash.user_invited",
        )),
        Err(ServiceError::Invalid(e)) => render_list(&ui, &form, Some(&e)).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn edit_form(ui: Ui, id: web::Path<i64>) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let account = blocking(&ui.state, move |conn| {
        Ok::<_, AppError>(crate::db::users::find(conn, id)?)
    })
    .await?
    .ok_or(AppError::NotFound)?;
    ui.render(
        "pages/users/edit.html",
        minijinja::context! { account => account, roles => roles() },
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct UserForm {
    name: String,
    role: String,
    active: Option<String>,
    send_reset: Option<String>,
}

pub async fn update(
    ui: Ui,
    id: web::Path<i64>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let form: UserForm = forms::parse(&body)?;
    let id = id.into_inner();
    let mut errors = FieldErrors::default();
    let role = form
        .role
        .parse::<Role>()
        .map_err(|m| errors.add("role", m))
        .ok();
    if form.name.trim().is_empty() {
        errors.add("name", "is required");
    }
    let active = forms::checkbox(&form.active);
    let me = ui.id.user()?.id;
    if id == me && (!active || role != Some(Role::Admin)) {
        errors.add(
            "role",
            "you cannot remove your own admin role or deactivate yourself",
        );
    }
    let account = blocking(&ui.state, move |conn| {
        Ok::<_, AppError>(crate::db::users::find(conn, id)?)
    })
    .await?
    .ok_or(AppError::NotFound)?;
    let (Some(role), true) = (role, errors.is_empty()) else {
        // Show what was submitted, not what is stored, so nothing typed is lost.
        let mut shown = account.clone();
        shown.name = form.name.clone();
        shown.role = role.unwrap_or(account.role);
        shown.active = active;
        return ui.render_invalid(
            "pages/users/edit.html",
            &errors,
            minijinja::context! { account => shown, roles => roles() },
        );
    };
    let actor = ui.id.actor();
    let mail = ui.state.mail_context();
    let send_reset = forms::checkbox(&form.send_reset);
    let name = form.name.trim().to_string();
    blocking(&ui.state, move |conn| {
        crate::db::write_transaction(conn, |c| {
            if account.role == Role::Admin
                && (role != Role::Admin || !active)
                && crate::db::users::count_active_admins(c)? <= 1
            {
                return Err(AppError::Conflict(
                    "the last active admin cannot be demoted or deactivated".into(),
                ));
            }
            crate::db::users::update_admin_fields(c, id, &name, role, active)?;
            if !active {
                crate::db::auth::delete_user_sessions(c, id)?;
            }
            if account.role != role {
                crate::db::audit::record(
                    c,
                    &actor,
                    "user.role_changed",
                    Some(&account.email),
                    Some(&format!("{} → {}", account.role, role)),
                )?;
            }
            if account.active != active {
                let action = if active {
                    "user.activated"
                } else {
                    "user.deactivated"
                };
                crate::db::audit::record(c, &actor, action, Some(&account.email), None)?;
            }
            if send_reset {
                accounts::request_password_reset(c, &account.email, &mail)?;
            }
            Ok(())
        })
    })
    .await?;
    Ok(redirect_with_flash("/users", "success", "flash.saved"))
}
