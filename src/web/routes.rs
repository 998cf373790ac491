//! The one route table. Each route names its access level here, next to its handler; the access
//! middleware refuses any request whose route has no rule.

use actix_web::http::Method;
use actix_web::{FromRequest, Handler, Resource, Responder, web};

use super::access::Access;
use super::{api, assets, ops, pages};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteRule {
    pub method: Method,
    pub pattern: &'static str,
    pub access: Access,
}

/// `get`, `post`, … : `add` with the method in its name, so the table reads like a route list.
macro_rules! router_methods {
    ($($name:ident => $method:ident),+) => {
        $(
            pub fn $name<F, Args>(&mut self, pattern: &'static str, access: Access, handler: F)
            where
                F: Handler<Args>,
                Args: FromRequest + 'static,
                F::Output: Responder + 'static,
            {
                self.add(Method::$method, pattern, access, handler);
            }
        )+
    };
}

/// Collects routes into actix resources (one per path, in declaration order) and their rules.
#[derive(Default)]
pub struct Router {
    resources: Vec<(&'static str, Resource)>,
    rules: Vec<RouteRule>,
}

impl Router {
    fn add<F, Args>(&mut self, method: Method, pattern: &'static str, access: Access, handler: F)
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.rules.push(RouteRule {
            method: method.clone(),
            pattern,
            access,
        });
        let route = web::method(method).to(handler);
        match self.resources.iter_mut().find(|(p, _)| *p == pattern) {
            Some((_, resource)) => {
                let taken = std::mem::replace(resource, web::resource(pattern));
                *resource = taken.route(route);
            }
            None => self
                .resources
                .push((pattern, web::resource(pattern).route(route))),
        }
    }

    router_methods!(get => GET, post => POST, put => PUT, delete => DELETE);

    pub fn rules(&self) -> &[RouteRule] {
        &self.rules
    }

    pub fn register(self, cfg: &mut web::ServiceConfig) {
        for (_, resource) in self.resources {
            cfg.service(resource);
        }
    }
}

/// Every route of Debrief.
pub fn table() -> Router {
    use Access::*;
    let mut r = Router::default();

    // Operations and static files.
    r.get("/healthz", Open, ops::healthz);
    r.get("/metrics", Open, ops::metrics);
    r.get("/assets/{path:.*}", Open, assets::serve);
    r.get("/favicon.ico", Open, assets::favicon);

    // Signing in, first-run setup, password reset and invitations.
    r.get("/login", Public, pages::auth::login_form);
    r.post("/login", Public, pages::auth::login);
    r.post("/logout", Viewer, pages::auth::logout);
    r.get("/setup/{token}", Public, pages::auth::setup_form);
    r.post("/setup/{token}", Public, pages::auth::setup);
    r.get("/password/forgot", Public, pages::auth::forgot_form);
    r.post("/password/forgot", Public, pages::auth::forgot);
    r.get("/password/reset/{token}", Public, pages::auth::reset_form);
    r.post("/password/reset/{token}", Public, pages::auth::reset);
    r.get("/invitation/{token}", Public, pages::auth::invitation_form);
    r.post(
        "/invitation/{token}",
        Public,
        pages::auth::accept_invitation,
    );
    r.post("/lang", Public, pages::auth::switch_language);

    // Incidents and their timelines.
    r.get("/", Viewer, pages::dashboard::show);
    r.get("/incidents", Viewer, pages::incidents::list);
    r.get("/incidents/new", Editor, pages::incidents::new_form);
    r.post("/incidents", Editor, pages::incidents::create);
    r.get("/incidents/{key}", Viewer, pages::incidents::show);
    r.get(
        "/incidents/{key}/import",
        Editor,
        pages::imports::incident_form,
    );
    r.get("/incidents/{key}/edit", Editor, pages::incidents::edit_form);
    r.post("/incidents/{key}", Editor, pages::incidents::update);
    r.post("/incidents/{key}/delete", Editor, pages::incidents::delete);
    r.get(
        "/incidents/{key}/events/new",
        Editor,
        pages::timeline::new_event,
    );
    r.post(
        "/incidents/{key}/events",
        Editor,
        pages::timeline::create_event,
    );
    r.get(
        "/incidents/{key}/events/{id}/edit",
        Editor,
        pages::timeline::edit_event,
    );
    r.post(
        "/incidents/{key}/events/{id}",
        Editor,
        pages::timeline::update_event,
    );
    r.post(
        "/incidents/{key}/events/{id}/delete",
        Editor,
        pages::timeline::delete_event,
    );
    r.get(
        "/incidents/{key}/messages/new",
        Editor,
        pages::timeline::new_message,
    );
    r.post(
        "/incidents/{key}/messages",
        Editor,
        pages::timeline::create_message,
    );
    r.get(
        "/incidents/{key}/messages/{id}/edit",
        Editor,
        pages::timeline::edit_message,
    );
    r.post(
        "/incidents/{key}/messages/{id}",
        Editor,
        pages::timeline::update_message,
    );
    r.post(
        "/incidents/{key}/messages/{id}/delete",
        Editor,
        pages::timeline::delete_message,
    );
    r.get(
        "/incidents/{key}/mentions/new",
        Editor,
        pages::timeline::new_mention,
    );
    r.post(
        "/incidents/{key}/mentions",
        Editor,
        pages::timeline::create_mention,
    );
    r.get(
        "/incidents/{key}/mentions/{id}/edit",
        Editor,
        pages::timeline::edit_mention,
    );
    r.post(
        "/incidents/{key}/mentions/{id}",
        Editor,
        pages::timeline::update_mention,
    );
    r.post(
        "/incidents/{key}/mentions/{id}/delete",
        Editor,
        pages::timeline::delete_mention,
    );

    // Imports: choose files, preview, commit.
    r.get("/imports/new", Editor, pages::imports::new_form);
    r.post("/imports/preview", Editor, pages::imports::preview);
    r.post("/imports/commit", Editor, pages::imports::commit);
    r.post("/imports/discard", Editor, pages::imports::discard);

    // Profile (any signed-in user).
    r.get("/profile", Viewer, pages::profile::show);
    r.post("/profile", Viewer, pages::profile::update);
    r.post("/profile/password", Viewer, pages::profile::change_password);
    r.post(
        "/profile/logout-everywhere",
        Viewer,
        pages::profile::logout_everywhere,
    );
    r.post("/profile/tokens", Viewer, pages::profile::create_token);
    r.post(
        "/profile/tokens/{id}/revoke",
        Viewer,
        pages::profile::revoke_token,
    );

    // Administration.
    r.get("/users", Admin, pages::users::list);
    r.post("/users", Admin, pages::users::invite);
    r.get("/users/{id}/edit", Admin, pages::users::edit_form);
    r.post("/users/{id}", Admin, pages::users::update);
    r.get("/settings", Admin, pages::settings::show);
    r.post(
        "/settings/organisation",
        Admin,
        pages::settings::update_organisation,
    );
    r.post("/settings/policy", Admin, pages::settings::update_policy);
    r.post(
        "/settings/audiences",
        Admin,
        pages::settings::create_audience,
    );
    r.post(
        "/settings/audiences/{id}",
        Admin,
        pages::settings::update_audience,
    );
    r.post("/settings/services", Admin, pages::settings::create_service);
    r.post(
        "/settings/services/{id}",
        Admin,
        pages::settings::update_service,
    );
    r.post(
        "/settings/services/{id}/delete",
        Admin,
        pages::settings::delete_service,
    );
    r.post("/settings/smtp-test", Admin, pages::settings::smtp_test);
    r.get("/audit", Admin, pages::audit::list);

    // JSON API.
    r.get("/api/v1/openapi.json", Open, api::openapi);
    r.get("/api/v1/incidents", Viewer, api::incidents::list);
    r.post("/api/v1/incidents", Editor, api::incidents::create);
    r.get("/api/v1/incidents/{key}", Viewer, api::incidents::get);
    r.put("/api/v1/incidents/{key}", Editor, api::incidents::update);
    r.delete("/api/v1/incidents/{key}", Editor, api::incidents::delete);
    r.get(
        "/api/v1/incidents/{key}/events",
        Viewer,
        api::timeline::list_events,
    );
    r.post(
        "/api/v1/incidents/{key}/events",
        Editor,
        api::timeline::create_event,
    );
    r.put(
        "/api/v1/incidents/{key}/events/{id}",
        Editor,
        api::timeline::update_event,
    );
    r.delete(
        "/api/v1/incidents/{key}/events/{id}",
        Editor,
        api::timeline::delete_event,
    );
    r.get(
        "/api/v1/incidents/{key}/messages",
        Viewer,
        api::timeline::list_messages,
    );
    r.post(
        "/api/v1/incidents/{key}/messages",
        Editor,
        api::timeline::create_message,
    );
    r.put(
        "/api/v1/incidents/{key}/messages/{id}",
        Editor,
        api::timeline::update_message,
    );
    r.delete(
        "/api/v1/incidents/{key}/messages/{id}",
        Editor,
        api::timeline::delete_message,
    );
    r.get(
        "/api/v1/incidents/{key}/mentions",
        Viewer,
        api::timeline::list_mentions,
    );
    r.post(
        "/api/v1/incidents/{key}/mentions",
        Editor,
        api::timeline::create_mention,
    );
    r.put(
        "/api/v1/incidents/{key}/mentions/{id}",
        Editor,
        api::timeline::update_mention,
    );
    r.delete(
        "/api/v1/incidents/{key}/mentions/{id}",
        Editor,
        api::timeline::delete_mention,
    );
    r.post("/api/v1/imports", Editor, api::imports::create);
    r.get(
        "/api/v1/incidents/{key}/export.json",
        Viewer,
        api::imports::export,
    );
    r.get("/api/v1/audiences", Viewer, api::settings::audiences);
    r.get("/api/v1/settings", Viewer, api::settings::get);
    r.put("/api/v1/settings/policy", Admin, api::settings::put_policy);
    r.get("/api/v1/me", Viewer, api::settings::me);

    r
}
