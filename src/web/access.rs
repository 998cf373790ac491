//! Who is asking, and may they? Resolves the session or API token, picks the UI language,
//! enforces the route's access rule and checks the CSRF token of every state-changing request.

use std::collections::HashMap;
use std::future::{Ready, ready};
use std::net::IpAddr;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{Method, header};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpMessage, HttpRequest, HttpResponse, web};
use ipnet::IpNet;

use super::error::{AppError, api_error_body};
use super::routes::RouteRule;
use crate::app::AppState;
use crate::auth;
use crate::domain::{Role, User};

pub const SESSION_COOKIE: &str = "debrief_session";
pub const VISITOR_COOKIE: &str = "debrief_visitor";
/// How long a browser keeps its visitor key (browsers cap cookies at about 400 days).
pub const VISITOR_COOKIE_DAYS: i64 = 365;
pub const LANG_COOKIE: &str = "debrief_lang";
pub const CSRF_FIELD: &str = "csrf_token";
pub const CSRF_HEADER: &str = "x-csrf-token";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// No identity needed or resolved (assets, health, metrics, the OpenAPI document).
    Open,
    /// Anyone; the visitor may or may not be signed in.
    Public,
    /// Anyone holding the link: like `Public`, but a POST needs no CSRF token, because the
    /// token in the path is the credential a forged request would lack (RFC 8058 one-click
    /// unsubscribe, which mail clients post without any form).
    Link,
    /// Any signed-in user (viewer, editor or admin).
    Viewer,
    Editor,
    Admin,
}

impl Access {
    pub fn required_role(self) -> Option<Role> {
        match self {
            Access::Open | Access::Public | Access::Link => None,
            Access::Viewer => Some(Role::Viewer),
            Access::Editor => Some(Role::Editor),
            Access::Admin => Some(Role::Admin),
        }
    }
}

/// The rules of the route table by (method, pattern).
pub struct AccessRules(HashMap<(Method, &'static str), Access>);

impl AccessRules {
    pub fn new(rules: &[RouteRule]) -> Self {
        Self(
            rules
                .iter()
                .map(|r| ((r.method.clone(), r.pattern), r.access))
                .collect(),
        )
    }

    fn get(&self, method: &Method, pattern: &str) -> Option<Access> {
        // HEAD is answered by GET routes.
        let method = if method == Method::HEAD {
            &Method::GET
        } else {
            method
        };
        self.0
            .iter()
            .find(|((m, p), _)| m == method && *p == pattern)
            .map(|(_, a)| *a)
    }

    fn has_pattern(&self, pattern: &str) -> bool {
        self.0.keys().any(|(_, p)| *p == pattern)
    }
}

/// The visitor as the handlers see it.
#[derive(Debug, Clone)]
pub struct Identity {
    pub user: Option<User>,
    /// Hash of the session token, when signed in through the browser.
    pub session_hash: Option<String>,
    pub via_api_token: bool,
    pub lang: &'static str,
    pub tz: String,
    pub csrf_token: String,
    pub ip: Option<String>,
}

impl Identity {
    pub fn user(&self) -> Result<&User, AppError> {
        self.user.as_ref().ok_or(AppError::Unauthorized)
    }

    /// Whether the signed-in user has at least `role`.
    pub fn has(&self, role: Role) -> bool {
        self.user.as_ref().is_some_and(|u| u.role.includes(role))
    }

    pub fn actor(&self) -> crate::db::audit::Actor {
        crate::db::audit::Actor {
            user_id: self.user.as_ref().map(|u| u.id),
            label: self
                .user
                .as_ref()
                .map(|u| u.email.clone())
                .unwrap_or_else(|| "anonymous".into()),
            ip: self.ip.clone(),
        }
    }

    pub fn zone(&self) -> chrono_tz::Tz {
        self.tz.parse().unwrap_or(chrono_tz::Europe::Zurich)
    }
}

impl FromRequest for Identity {
    type Error = AppError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(
            req.extensions()
                .get::<Identity>()
                .cloned()
                .ok_or_else(|| AppError::Internal("route has no identity (Open access)".into())),
        )
    }
}

fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
}

fn deny(req: ServiceRequest, err: AppError) -> ServiceResponse<BoxBody> {
    let api = is_api(req.path());
    let response = if api {
        HttpResponse::build(err.status()).json(api_error_body(&err))
    } else if matches!(err, AppError::Unauthorized) {
        let next = req
            .uri()
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| "/".into());
        let location = format!("/login?next={}", urlencoding(&next));
        HttpResponse::SeeOther()
            .insert_header((header::LOCATION, location))
            .finish()
    } else {
        actix_web::ResponseError::error_response(&err)
    };
    req.into_response(response)
}

fn urlencoding(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

fn client_ip(req: &ServiceRequest, trusted: &[IpNet]) -> Option<String> {
    let peer = req.peer_addr().map(|a| a.ip());
    let headers = req.headers();
    let mut forwarded: Vec<&str> = Vec::new();
    for value in headers.get_all("forwarded").filter_map(|v| v.to_str().ok()) {
        forwarded.extend(value.split(',').filter_map(forwarded_for));
    }
    if forwarded.is_empty() {
        for value in headers
            .get_all("x-forwarded-for")
            .filter_map(|v| v.to_str().ok())
        {
            forwarded.extend(value.split(','));
        }
    }
    client_address(peer, &forwarded, trusted).map(|ip| ip.to_string())
}

/// The `for=` node of one `Forwarded` element (RFC 7239), without quotes.
fn forwarded_for(element: &str) -> Option<&str> {
    element.split(';').find_map(|pair| {
        let (key, value) = pair.trim().split_once('=')?;
        key.eq_ignore_ascii_case("for")
            .then(|| value.trim().trim_matches('"'))
    })
}

/// The client behind the chain of proxies: the peer itself unless it is a trusted proxy; then the
/// forwarded addresses from the nearest hop outwards, the first one that is not a trusted proxy.
/// Addresses written by the client itself stand left of that and are never believed.
fn client_address(peer: Option<IpAddr>, forwarded: &[&str], trusted: &[IpNet]) -> Option<IpAddr> {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    let peer = peer?;
    if !is_trusted(&peer) {
        return Some(peer);
    }
    let mut client = peer;
    for hop in forwarded.iter().rev() {
        match parse_node(hop) {
            Some(ip) => {
                client = ip;
                if !is_trusted(&ip) {
                    break;
                }
            }
            // An unreadable hop ("unknown", an obfuscated name): stop at the last address known.
            None => break,
        }
    }
    Some(client)
}

/// `203.0.113.7`, `203.0.113.7:4711`, `2001:db8::1`, `[2001:db8::1]:4711`.
fn parse_node(node: &str) -> Option<IpAddr> {
    let node = node.trim();
    if let Ok(ip) = node.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Ok(addr) = node.parse::<std::net::SocketAddr>() {
        return Some(addr.ip());
    }
    node.strip_prefix('[')
        .and_then(|rest| rest.split_once(']'))
        .and_then(|(ip, _)| ip.parse().ok())
}

pub async fn guard(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let (Some(state), Some(rules)) = (
        req.app_data::<web::Data<AppState>>().cloned(),
        req.app_data::<web::Data<AccessRules>>().cloned(),
    ) else {
        return Ok(deny(
            req,
            AppError::Internal("application state missing".into()),
        ));
    };
    let Some(pattern) = req.match_pattern() else {
        // No route: the 404 of the default service.
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let access = match rules.get(req.method(), &pattern) {
        Some(a) => a,
        // A path with rules but not for this method: let actix answer 405.
        None if rules.has_pattern(&pattern) => {
            return Ok(next.call(req).await?.map_into_boxed_body());
        }
        None => {
            return Ok(deny(
                req,
                AppError::Internal(format!("route {pattern} has no access rule")),
            ));
        }
    };
    if access == Access::Open {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }

    let api = is_api(req.path());
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| auth::hash_token(t.trim()));
    let session_hash = req
        .cookie(SESSION_COOKIE)
        .map(|c| auth::hash_token(c.value()));
    let visitor = req.cookie(VISITOR_COOKIE).map(|c| c.value().to_string());
    let idle = chrono::Duration::hours(state.config.session_idle_hours);

    let lookup_bearer = bearer.clone().filter(|_| api);
    let lookup_session = session_hash.clone();
    let cached = state.cached_organisation();
    let fresh = cached.is_none();
    let resolved = if lookup_bearer.is_none() && lookup_session.is_none() && cached.is_some() {
        // A visitor without a session (a respondent, the login page): nothing to look up.
        Ok((None, cached.unwrap_or_default()))
    } else {
        super::blocking(&state, move |conn| {
            let user_id = match (&lookup_bearer, &lookup_session) {
                (Some(token), _) => {
                    crate::db::auth::user_for_api_token(conn, token)?.map(|u| (u, true))
                }
                (None, Some(session)) => {
                    crate::db::auth::user_for_session(conn, session, idle)?.map(|(_, u)| (u, false))
                }
                _ => None,
            };
            let user = match user_id {
                Some((id, via_token)) => crate::db::users::find(conn, id)?.map(|u| (u, via_token)),
                None => None,
            };
            let org = match cached {
                Some(org) => org,
                None => crate::organisation::load(conn)?,
            };
            Ok::<_, AppError>((user, org))
        })
        .await
    };
    let (user, org) = match resolved {
        Ok(v) => v,
        Err(e) => return Ok(deny(req, e)),
    };
    if fresh {
        state.remember_organisation(&org);
    }
    if api && bearer.is_some() && user.is_none() {
        return Ok(deny(req, AppError::Unauthorized));
    }
    let via_api_token = user.as_ref().is_some_and(|(_, t)| *t);
    let user = user.map(|(u, _)| u);

    let lang = user
        .as_ref()
        .map(|u| crate::i18n::negotiate(&u.locale))
        .or_else(|| {
            req.cookie(LANG_COOKIE)
                .map(|c| crate::i18n::negotiate(c.value()))
        })
        .or_else(|| {
            req.headers()
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(crate::i18n::from_accept_language)
        })
        .unwrap_or("en");
    let tz = user
        .as_ref()
        .and_then(|u| u.time_zone.clone())
        .unwrap_or(org.time_zone);

    if let Some(required) = access.required_role() {
        match &user {
            None => return Ok(deny(req, AppError::Unauthorized)),
            Some(u) if !u.role.includes(required) => return Ok(deny(req, AppError::Forbidden)),
            Some(_) => {}
        }
    }

    // Visitors without a session get a random cookie that anonymous forms (login, setup) bind to.
    let (visitor, new_visitor) = match visitor {
        Some(v) => (v, false),
        None => (auth::new_token(), true),
    };
    let session_for_csrf = if user.is_some() {
        session_hash.clone()
    } else {
        None
    };
    let binding = match &session_for_csrf {
        Some(s) => format!("session:{s}"),
        None => format!("visitor:{visitor}"),
    };
    let csrf_token = auth::csrf_token(&state.csrf_secret, &binding);

    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if unsafe_method && !via_api_token && access != Access::Link {
        let provided = match provided_csrf(&mut req).await {
            Ok(p) => p,
            Err(e) => return Ok(deny(req, e)),
        };
        let valid = !new_visitor
            && provided
                .as_deref()
                .is_some_and(|p| auth::constant_time_eq(p, &csrf_token));
        if !valid {
            return Ok(deny(req, AppError::Csrf));
        }
    }

    let ip = client_ip(&req, &state.config.trusted_proxies);
    req.extensions_mut().insert(Identity {
        user,
        session_hash: session_for_csrf,
        via_api_token,
        lang,
        tz,
        csrf_token,
        ip,
    });
    let mut res = next.call(req).await?.map_into_boxed_body();
    if new_visitor {
        // Persistent, not a session cookie: the open link takes one response per browser, and
        // the browser must still be the same one after it was closed and opened again.
        let cookie = Cookie::build(VISITOR_COOKIE, visitor)
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(state.config.cookies_secure())
            .max_age(actix_web::cookie::time::Duration::days(VISITOR_COOKIE_DAYS))
            .finish();
        let _ = res.response_mut().add_cookie(&cookie);
    }
    Ok(res)
}

/// The CSRF token from the `X-CSRF-Token` header, the `csrf_token` form field (the body is
/// read and put back for the handler) or, for file uploads, the query string.
async fn provided_csrf(req: &mut ServiceRequest) -> Result<Option<String>, AppError> {
    if let Some(h) = req.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()) {
        return Ok(Some(h.to_string()));
    }
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if content_type.starts_with("application/x-www-form-urlencoded") {
        let body = req
            .extract::<web::Bytes>()
            .await
            .map_err(|e| AppError::BadRequest(format!("cannot read the form: {e}")))?;
        let token = url::form_urlencoded::parse(&body)
            .find(|(k, _)| k == CSRF_FIELD)
            .map(|(_, v)| v.into_owned());
        req.set_payload(Payload::from(body));
        return Ok(token);
    }
    Ok(url::form_urlencoded::parse(req.query_string().as_bytes())
        .find(|(k, _)| k == CSRF_FIELD)
        .map(|(_, v)| v.into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|n| n.parse().expect("network")).collect()
    }

    fn ip(s: &str) -> Option<IpAddr> {
        Some(s.parse().expect("address"))
    }

    #[test]
    fn without_trusted_proxies_the_peer_is_the_client_whatever_it_claims() {
        let got = client_address(ip("198.51.100.9"), &["203.0.113.1"], &[]);
        assert_eq!(got, ip("198.51.100.9"));
    }

    #[test]
    fn behind_a_trusted_proxy_the_nearest_untrusted_hop_is_the_client() {
        let trusted = nets(&["127.0.0.1/32", "10.0.0.0/8"]);
        // The client wrote a fake first entry; the proxies appended the real ones.
        let chain = ["1.2.3.4", "198.51.100.9", "10.1.2.3"];
        assert_eq!(
            client_address(ip("127.0.0.1"), &chain, &trusted),
            ip("198.51.100.9")
        );
    }

    #[test]
    fn an_untrusted_peer_cannot_forward_for_someone_else() {
        let trusted = nets(&["127.0.0.1/32"]);
        assert_eq!(
            client_address(ip("198.51.100.9"), &["203.0.113.1"], &trusted),
            ip("198.51.100.9")
        );
    }

    #[test]
    fn ports_brackets_and_ipv6_are_read_whole() {
        assert_eq!(parse_node("2001:db8::1"), ip("2001:db8::1"));
        assert_eq!(parse_node("[2001:db8::1]:4711"), ip("2001:db8::1"));
        assert_eq!(parse_node(" 203.0.113.7:80"), ip("203.0.113.7"));
        assert_eq!(parse_node("unknown"), None);
        assert_eq!(
            forwarded_for(r#"for="[2001:db8::1]:4711";proto=https"#),
            Some("[2001:db8::1]:4711")
        );
        assert_eq!(forwarded_for("proto=https;by=10.0.0.1"), None);
    }

    #[test]
    fn an_unreadable_hop_stops_the_walk_at_the_last_known_address() {
        let trusted = nets(&["127.0.0.1/32", "10.0.0.0/8"]);
        assert_eq!(
            client_address(ip("127.0.0.1"), &["unknown", "10.0.0.5"], &trusted),
            ip("10.0.0.5")
        );
    }
}
