//! Accounts: first-run setup, users, sign-in with throttling, password reset, invitations and
//! API tokens. Plain functions over a connection; the web and the CLI call them.

use chrono::Duration;

use crate::auth;
use crate::db::audit::{self, Actor};
use crate::db::outbox::NewMail;
use crate::db::users::{UserInsertForm, normalise_email};
use crate::db::{self, DbConn};
use crate::domain::{FieldErrors, Role, User};
use crate::error::{ServiceError, ServiceResult};
use crate::templates::Templates;

const SETUP_VALID_HOURS: i64 = 24;
const RESET_VALID_MINUTES: i64 = 60;
const INVITATION_VALID_DAYS: i64 = 7;

pub fn valid_email(email: &str) -> bool {
    let email = email.trim();
    match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && email.len() <= 254
                && !email
                    .chars()
                    .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>')
        }
        None => false,
    }
}

fn validate_new_user(email: &str, name: &str, password: Option<&str>) -> ServiceResult<()> {
    let mut e = FieldErrors::default();
    if !valid_email(email) {
        e.add("email", "is not a valid e-mail address");
    }
    if name.trim().is_empty() || name.chars().count() > 120 {
        e.add("name", "is required (at most 120 characters)");
    }
    if let Some(pw) = password
        && let Err(reason) = auth::check_password_strength(pw, email)
    {
        e.add("password", reason);
    }
    e.into_result(()).map_err(ServiceError::Invalid)
}

fn hash(password: &str) -> ServiceResult<String> {
    auth::hash_password(password).map_err(ServiceError::Internal)
}

/// Creates a user; without a password the user can only sign in after an invitation or reset.
pub fn create_user(
    conn: &mut DbConn,
    email: &str,
    name: &str,
    role: Role,
    password: Option<&str>,
    actor: &Actor,
) -> ServiceResult<User> {
    validate_new_user(email, name, password)?;
    let email = normalise_email(email);
    if db::users::find_by_email(conn, &email)?.is_some() {
        return Err(ServiceError::Invalid(FieldErrors::single(
            "email",
            "a user with this e-mail address exists already",
        )));
    }
    let password_hash = password.map(hash).transpose()?;
    let t = db::now();
    let id = db::users::insert(
        conn,
        &UserInsertForm {
            email: &email,
            name: name.trim(),
            role: role.as_str(),
            password_hash: password_hash.as_deref(),
            locale: "en",
            active: true,
            created_at: t,
            updated_at: t,
        },
    )?;
    audit::record(
        conn,
        actor,
        "user.created",
        Some(&email),
        Some(&format!("role {role}")),
    )?;
    db::users::find(conn, id)?.ok_or_else(|| ServiceError::Internal("user vanished".into()))
}

// --- first-run setup ---------------------------------------------------------------------------

/// When no user exists, a fresh single-use link to create the first admin (older links die).
pub fn setup_link(conn: &mut DbConn, base_url: &str) -> ServiceResult<Option<String>> {
    if db::users::count(conn)? > 0 {
        return Ok(None);
    }
    let token = auth::new_token();
    crate::db::write_transaction(conn, |c| {
        db::auth::expire_one_time_tokens(c, "setup", None)?;
        db::auth::insert_one_time_token(
            c,
            &auth::hash_token(&token),
            "setup",
            None,
            Duration::hours(SETUP_VALID_HOURS),
        )?;
        Ok::<_, ServiceError>(())
    })?;
    Ok(Some(format!("{base_url}/setup/{token}")))
}

pub fn setup_link_valid(conn: &mut DbConn, token: &str) -> ServiceResult<bool> {
    Ok(db::users::count(conn)? == 0
        && db::auth::find_one_time_token(conn, &auth::hash_token(token), "setup")?.is_some())
}

/// Creates the first admin through the setup link. The link works once, and only while there is
/// no user at all.
pub fn complete_setup(
    conn: &mut DbConn,
    token: &str,
    email: &str,
    name: &str,
    password: &str,
    ip: Option<String>,
) -> ServiceResult<User> {
    validate_new_user(email, name, Some(password))?;
    let password_hash = hash(password)?;
    crate::db::write_transaction(conn, |c| {
        let (id, _) = db::auth::find_one_time_token(c, &auth::hash_token(token), "setup")?
            .ok_or(ServiceError::LinkInvalid)?;
        if db::users::count(c)? > 0 || !db::auth::consume_one_time_token(c, id)? {
            return Err(ServiceError::LinkInvalid);
        }
        let email = normalise_email(email);
        let t = db::now();
        let user_id = db::users::insert(
            c,
            &UserInsertForm {
                email: &email,
                name: name.trim(),
                role: Role::Admin.as_str(),
                password_hash: Some(&password_hash),
                locale: "en",
                active: true,
                created_at: t,
                updated_at: t,
            },
        )?;
        let actor = Actor {
            user_id: Some(user_id),
            label: email.clone(),
            ip,
        };
        audit::record(c, &actor, "setup.completed", Some(&email), None)?;
        db::users::find(c, user_id)?.ok_or_else(|| ServiceError::Internal("user vanished".into()))
    })
}

// --- sign-in -----------------------------------------------------------------------------------

pub struct SignedIn {
    pub user: User,
    /// The session secret for the cookie; only its hash is stored.
    pub session_token: String,
}

fn throttle_minutes_left(conn: &mut DbConn, keys: &[(String, i64)]) -> ServiceResult<Option<i64>> {
    let window = Duration::minutes(auth::THROTTLE_WINDOW_MINUTES);
    let since = db::now() - window;
    for (key, max) in keys {
        let (count, oldest) = db::auth::attempts_since(conn, key, since)?;
        if count >= *max {
            let ends = oldest.map(|o| o + window).unwrap_or_else(db::now);
            let minutes = ((ends - db::now()).num_seconds() + 59) / 60;
            return Ok(Some(minutes.max(1)));
        }
    }
    Ok(None)
}

/// Checks the password with throttling per account and per IP, then starts a new session
/// (a fresh token at every sign-in, so a planted session id is useless).
pub fn login(
    conn: &mut DbConn,
    email: &str,
    password: &str,
    ip: Option<&str>,
    user_agent: Option<&str>,
    session_idle: Duration,
) -> ServiceResult<SignedIn> {
    let account_key = auth::throttle_key_account(email);
    let ip_key = ip.map(auth::throttle_key_ip);
    let mut limits = vec![(account_key.clone(), auth::MAX_FAILURES_PER_ACCOUNT)];
    if let Some(k) = &ip_key {
        limits.push((k.clone(), auth::MAX_FAILURES_PER_IP));
    }
    if let Some(minutes) = throttle_minutes_left(conn, &limits)? {
        // Still spend the hashing time so a throttled answer looks like any other.
        auth::dummy_verify(password);
        return Err(ServiceError::Throttled { minutes });
    }
    let found = db::users::find_by_email_with_hash(conn, email)?;
    let ok_user = match found {
        Some((user, Some(hash))) if user.active => {
            auth::verify_password(password, &hash).then_some(user)
        }
        _ => {
            auth::dummy_verify(password);
            None
        }
    };
    let Some(user) = ok_user else {
        let mut keys = vec![account_key];
        keys.extend(ip_key);
        db::auth::record_attempt(conn, &keys)?;
        let actor = Actor {
            user_id: None,
            label: normalise_email(email),
            ip: ip.map(str::to_string),
        };
        audit::record(conn, &actor, "login.failed", None, None)?;
        return Err(ServiceError::InvalidCredentials);
    };
    db::auth::clear_attempts(conn, &account_key)?;
    let session_token = auth::new_token();
    let t = db::now();
    db::auth::insert_session(
        conn,
        &db::auth::SessionInsertForm {
            token_hash: &auth::hash_token(&session_token),
            user_id: user.id,
            created_at: t,
            last_seen_at: t,
            expires_at: t + session_idle,
            ip,
            user_agent: user_agent.map(|u| &u[..u.len().min(300)]),
        },
    )?;
    let actor = Actor {
        user_id: Some(user.id),
        label: user.email.clone(),
        ip: ip.map(str::to_string),
    };
    audit::record(conn, &actor, "login", None, None)?;
    Ok(SignedIn {
        user,
        session_token,
    })
}

// --- password reset and invitations -----------------------------------------------------------

pub struct MailContext {
    pub templates: Templates,
    pub base_url: String,
}

fn enqueue(
    conn: &mut DbConn,
    mail: &MailContext,
    kind: &str,
    user: &User,
    ctx: minijinja::Value,
) -> ServiceResult<()> {
    let lang = crate::i18n::negotiate(&user.locale);
    let composed = crate::mail::compose(&mail.templates, kind, lang, &ctx)
        .map_err(|e| ServiceError::Internal(format!("mail template {kind}: {e}")))?;
    db::outbox::enqueue(
        conn,
        &NewMail {
            kind: kind.into(),
            to_address: user.email.clone(),
            to_name: user.name.clone(),
            subject: composed.subject,
            body_text: composed.body_text,
            body_html: Some(composed.body_html),
            headers: "{}".into(),
            message_id: crate::mail::compose::new_message_id(&mail.base_url),
            invitation_id: None,
        },
    )?;
    Ok(())
}

/// Reset requests one address may make within [`auth::THROTTLE_WINDOW_MINUTES`]; more are
/// answered as usual and send nothing, so nobody can flood an inbox through the form.
pub const MAX_RESETS_PER_ADDRESS: i64 = 3;
/// Reset requests from one client address in the same window before it is told to wait.
pub const MAX_RESETS_PER_IP: i64 = 20;

/// The part of a reset request that is answered before the reply: the throttles, recorded for every
/// address alike, so the reply costs the same whether an account exists or not. `Ok(true)`: look
/// the address up and mail it ([`request_password_reset`], after the reply). `Ok(false)`: the
/// address asked too often, nothing is sent. `Throttled`: the client asked too often.
pub fn reset_allowed(conn: &mut DbConn, email: &str, ip: Option<&str>) -> ServiceResult<bool> {
    let address_key = format!("reset-{}", auth::throttle_key_account(email));
    let ip_key = ip.map(|ip| format!("reset-{}", auth::throttle_key_ip(ip)));
    if let Some(k) = &ip_key
        && let Some(minutes) = throttle_minutes_left(conn, &[(k.clone(), MAX_RESETS_PER_IP)])?
    {
        return Err(ServiceError::Throttled { minutes });
    }
    let address_spent =
        throttle_minutes_left(conn, &[(address_key.clone(), MAX_RESETS_PER_ADDRESS)])?.is_some();
    let mut keys = vec![address_key];
    keys.extend(ip_key);
    db::auth::record_attempt(conn, &keys)?;
    Ok(!address_spent)
}

/// Queues a reset mail when the address belongs to an active user; runs after the reply (see
/// [`reset_allowed`]), so its work on a known address tells nothing to the one who asked.
pub fn request_password_reset(
    conn: &mut DbConn,
    email: &str,
    mail: &MailContext,
) -> ServiceResult<()> {
    let Some(user) = db::users::find_by_email(conn, email)?.filter(|u| u.active) else {
        return Ok(());
    };
    let token = auth::new_token();
    crate::db::write_transaction(conn, |c| {
        db::auth::expire_one_time_tokens(c, "password_reset", Some(user.id))?;
        db::auth::insert_one_time_token(
            c,
            &auth::hash_token(&token),
            "password_reset",
            Some(user.id),
            Duration::minutes(RESET_VALID_MINUTES),
        )?;
        let link = format!("{}/password/reset/{token}", mail.base_url);
        enqueue(
            c,
            mail,
            "password_reset",
            &user,
            minijinja::context! { name => user.name, link => link, minutes => RESET_VALID_MINUTES },
        )
    })
}

/// Who a reset or invitation link belongs to, if it is still valid.
pub fn link_user(conn: &mut DbConn, token: &str, purpose: &str) -> ServiceResult<User> {
    let (_, user_id) = db::auth::find_one_time_token(conn, &auth::hash_token(token), purpose)?
        .ok_or(ServiceError::LinkInvalid)?;
    let user_id = user_id.ok_or(ServiceError::LinkInvalid)?;
    db::users::find(conn, user_id)?
        .filter(|u| u.active)
        .ok_or(ServiceError::LinkInvalid)
}

/// Sets a new password through a reset or invitation link; every other session of the user ends.
pub fn set_password_with_link(
    conn: &mut DbConn,
    token: &str,
    purpose: &str,
    password: &str,
    ip: Option<String>,
) -> ServiceResult<User> {
    let user = link_user(conn, token, purpose)?;
    if let Err(reason) = auth::check_password_strength(password, &user.email) {
        return Err(ServiceError::Invalid(FieldErrors::single(
            "password", reason,
        )));
    }
    let password_hash = hash(password)?;
    crate::db::write_transaction(conn, |c| {
        let (id, _) = db::auth::find_one_time_token(c, &auth::hash_token(token), purpose)?
            .ok_or(ServiceError::LinkInvalid)?;
        if !db::auth::consume_one_time_token(c, id)? {
            return Err(ServiceError::LinkInvalid);
        }
        db::users::set_password(c, user.id, &password_hash)?;
        db::auth::delete_user_sessions(c, user.id)?;
        let actor = Actor {
            user_id: Some(user.id),
            label: user.email.clone(),
            ip,
        };
        let action = if purpose == "invitation" {
            "invitation.accepted"
        } else {
            "password.reset"
        };
        audit::record(c, &actor, action, Some(&user.email), None)?;
        Ok(user.clone())
    })
}

/// Creates the user without a password and mails them a link to choose one.
pub fn invite_user(
    conn: &mut DbConn,
    email: &str,
    name: &str,
    role: Role,
    locale: &str,
    actor: &Actor,
    mail: &MailContext,
) -> ServiceResult<User> {
    crate::db::write_transaction(conn, |c| {
        let mut user = create_user(c, email, name, role, None, actor)?;
        let locale = crate::i18n::negotiate(locale);
        db::users::set_locale(c, user.id, locale)?;
        user.locale = locale.to_string();
        let token = auth::new_token();
        db::auth::insert_one_time_token(
            c,
            &auth::hash_token(&token),
            "invitation",
            Some(user.id),
            Duration::days(INVITATION_VALID_DAYS),
        )?;
        let link = format!("{}/invitation/{token}", mail.base_url);
        let inviter = actor.label.clone();
        enqueue(
            c,
            mail,
            "invitation",
            &user,
            minijinja::context! { name => user.name, link => link, inviter => inviter, days => INVITATION_VALID_DAYS, role => role.as_str() },
        )?;
        audit::record(
            c,
            actor,
            "user.invited",
            Some(&user.email),
            Some(&format!("role {role}")),
        )?;
        Ok(user)
    })
}

/// Changes one's own password after checking the current one; other sessions end.
pub fn change_password(
    conn: &mut DbConn,
    user: &User,
    current: &str,
    new: &str,
    keep_session: Option<&str>,
) -> ServiceResult<()> {
    let (_, hash_now) = db::users::find_by_email_with_hash(conn, &user.email)?
        .ok_or(ServiceError::InvalidCredentials)?;
    if !hash_now.is_some_and(|h| auth::verify_password(current, &h)) {
        return Err(ServiceError::Invalid(FieldErrors::single(
            "current_password",
            "is not your current password",
        )));
    }
    if let Err(reason) = auth::check_password_strength(new, &user.email) {
        return Err(ServiceError::Invalid(FieldErrors::single(
            "new_password",
            reason,
        )));
    }
    let new_hash = hash(new)?;
    crate::db::write_transaction(conn, |c| {
        db::users::set_password(c, user.id, &new_hash)?;
        // End every session but the one the change was made from.
        let keep: Option<String> = keep_session.map(str::to_string);
        db::auth::delete_user_sessions_except(c, user.id, keep.as_deref())?;
        audit::record(
            c,
            &Actor {
                user_id: Some(user.id),
                label: user.email.clone(),
                ip: None,
            },
            "password.changed",
            Some(&user.email),
            None,
        )?;
        Ok(())
    })
}

// --- API tokens --------------------------------------------------------------------------------

/// Creates a token for `user_id`; the plain token is returned once and never stored.
pub fn create_api_token(
    conn: &mut DbConn,
    user: &User,
    name: &str,
    actor: &Actor,
) -> ServiceResult<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(ServiceError::Invalid(FieldErrors::single(
            "name",
            "is required (at most 80 characters)",
        )));
    }
    let token = format!("dbf_{}", auth::new_token());
    let prefix: String = token.chars().take(10).collect();
    db::auth::insert_api_token(conn, user.id, name, &prefix, &auth::hash_token(&token))?;
    audit::record(conn, actor, "token.created", Some(&user.email), Some(name))?;
    Ok(token)
}

pub fn revoke_api_token(
    conn: &mut DbConn,
    token_id: i64,
    owner: &User,
    actor: &Actor,
) -> ServiceResult<bool> {
    match db::auth::find_api_token(conn, token_id)? {
        Some(t) if t.user_id == owner.id => {
            let revoked = db::auth::revoke_api_token(conn, token_id)?;
            if revoked {
                audit::record(
                    conn,
                    actor,
                    "token.revoked",
                    Some(&owner.email),
                    Some(&t.name),
                )?;
            }
            Ok(revoked)
        }
        _ => Ok(false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_shapes() {
        assert!(valid_email("anna@firma.ch"));
        assert!(!valid_email("anna@firma"));
        assert!(!valid_email("anna firma@x.ch"));
        assert!(!valid_email("<a@b.ch>"));
        assert!(!valid_email("@b.ch"));
    }
}
