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

    // Survey respondents: personal links, the open link, opting out. No account.
    r.get("/r/{token}", Public, pages::respond::personal_form);
    r.post("/r/{token}", Public, pages::respond::personal_submit);
    r.get("/r/{token}/thanks", Public, pages::respond::personal_thanks);
    r.get("/u/{token}", Public, pages::respond::unsubscribe_form);
    r.post("/u/{token}", Link, pages::respond::unsubscribe);
    r.get("/p/{token}", Public, pages::respond::open_form);
    r.post("/p/{token}", Public, pages::respond::open_submit);
    r.get("/p/{token}/thanks", Public, pages::respond::open_thanks);

    // Incidents and their timelines.
    r.get("/", Viewer, pages::dashboard::show);
    r.post("/demo", Editor, pages::dashboard::load_demo);
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

    // Scores: the scorecard, each message's analysis, the report, and the draft analyser.
    r.get("/incidents/{key}/scores", Viewer, pages::scores::show);
    r.get(
        "/incidents/{key}/scores/messages",
        Viewer,
        pages::scores::messages,
    );
    r.get(
        "/incidents/{key}/report.pdf",
        Viewer,
        pages::reports::incident_pdf,
    );
    r.get("/portfolio", Viewer, pages::reports::portfolio);
    r.get(
        "/portfolio/report.pdf",
        Viewer,
        pages::reports::portfolio_pdf,
    );
    r.get("/analyze", Viewer, pages::scores::draft_form);
    r.post("/analyze", Viewer, pages::scores::draft);

    // Surveys of an incident: presets and builder, recipients, sending, results.
    r.get("/incidents/{key}/surveys", Viewer, pages::surveys::list);
    r.post("/incidents/{key}/surveys", Editor, pages::surveys::create);
    r.get(
        "/incidents/{key}/surveys/{id}",
        Viewer,
        pages::surveys::show,
    );
    r.post(
        "/incidents/{key}/surveys/{id}",
        Editor,
        pages::surveys::update,
    );
    r.get(
        "/incidents/{key}/surveys/{id}/edit",
        Editor,
        pages::surveys::settings_form,
    );
    r.get(
        "/incidents/{key}/surveys/{id}/progress.json",
        Viewer,
        pages::surveys::progress,
    );
    r.get(
        "/incidents/{key}/surveys/{id}/results",
        Viewer,
        pages::surveys::results,
    );
    r.get(
        "/incidents/{key}/surveys/{id}/export.csv",
        Editor,
        pages::surveys::export,
    );
    r.post(
        "/incidents/{key}/surveys/{id}/send",
        Editor,
        pages::surveys::send,
    );
    r.post(
        "/incidents/{key}/surveys/{id}/remind",
        Editor,
        pages::surveys::remind,
    );
    r.post(
        "/incidents/{key}/surveys/{id}/close",
        Editor,
        pages::surveys::close,
    );
    r.post(
        "/incidents/{key}/surveys/{id}/reopen",
        Editor,
        pages::surveys::reopen,
    );
    r.post(
        "/incidents/{key}/surveys/{id}/delete",
        Editor,
        pages::surveys::delete,
    );
    r.post(
        "/incidents/{key}/surveys/{id}/recipients",
        Editor,
        pages::surveys::add_recipient,
    );
    r.post(
        "/incidents/{key}/surveys/{id}/questions",
        Editor,
        pages::surveys::add_question,
    );
    r.post(
        "/incidents/{key}/surveys/{id}/questions/{qid}",
        Editor,
        pages::surveys::update_question,
    );
    r.post(
        "/incidents/{key}/surveys/{id}/questions/{qid}/move",
        Editor,
        pages::surveys::move_question,
    );
    r.post(
        "/incidents/{key}/surveys/{id}/questions/{qid}/delete",
        Editor,
        pages::surveys::delete_question,
    );

    // The review of an incident: sections, workflow, participants, contributions, pins.
    r.get("/incidents/{key}/review", Viewer, pages::reviews::show);
    r.post("/incidents/{key}/review", Editor, pages::reviews::create);
    r.post(
        "/incidents/{key}/review/regenerate",
        Editor,
        pages::reviews::regenerate,
    );
    r.post(
        "/incidents/{key}/review/status",
        Editor,
        pages::reviews::set_status,
    );
    r.post(
        "/incidents/{key}/review/reopen",
        Admin,
        pages::reviews::reopen,
    );
    r.post(
        "/incidents/{key}/review/meeting",
        Editor,
        pages::reviews::set_meeting,
    );
    r.get(
        "/incidents/{key}/review/sections/{section}",
        Editor,
        pages::reviews::edit_section,
    );
    r.post(
        "/incidents/{key}/review/sections/{section}",
        Editor,
        pages::reviews::save_section,
    );
    r.get(
        "/incidents/{key}/review/sections/{section}/history",
        Viewer,
        pages::reviews::history,
    );
    r.post(
        "/incidents/{key}/review/participants",
        Editor,
        pages::review_people::add_participant,
    );
    r.post(
        "/incidents/{key}/review/participants/{id}/link",
        Editor,
        pages::review_people::resend_link,
    );
    r.post(
        "/incidents/{key}/review/participants/{id}/delete",
        Editor,
        pages::review_people::remove_participant,
    );
    r.get(
        "/incidents/{key}/review/contributions",
        Viewer,
        pages::review_people::contributions,
    );
    r.post(
        "/incidents/{key}/review/contributions/merge",
        Editor,
        pages::review_people::merge,
    );
    r.post(
        "/incidents/{key}/review/contribution",
        Viewer,
        pages::review_people::contribute,
    );
    r.post(
        "/incidents/{key}/review/pins",
        Editor,
        pages::review_people::pin,
    );
    r.post(
        "/incidents/{key}/review/pins/{id}/action",
        Editor,
        pages::review_people::make_action,
    );
    r.post(
        "/incidents/{key}/review/pins/{id}/delete",
        Editor,
        pages::review_people::unpin,
    );

    // Contributions of outside participants through their personal link. No account.
    r.get("/c/{token}", Public, pages::contribute::form);
    r.post("/c/{token}", Public, pages::contribute::submit);
    r.get("/c/{token}/thanks", Public, pages::contribute::thanks);

    // Improvement actions: the board, my actions, one action; the calendar feed by token.
    r.get("/incidents/{key}/actions", Viewer, pages::actions::incident);
    r.get("/actions", Viewer, pages::actions::board);
    r.get("/actions/mine", Viewer, pages::actions::mine);
    r.get("/actions/new", Editor, pages::actions::new_form);
    r.get("/actions/export.csv", Viewer, pages::actions::export);
    r.post("/actions", Editor, pages::actions::create);
    r.post("/actions/calendar", Viewer, pages::actions::calendar_link);
    r.get("/actions/{id}", Viewer, pages::actions::show);
    r.get("/actions/{id}/edit", Editor, pages::actions::edit_form);
    r.post("/actions/{id}", Editor, pages::actions::update);
    r.post(
        "/actions/{id}/status",
        Viewer,
        pages::actions::change_status,
    );
    r.post("/actions/{id}/delete", Editor, pages::actions::delete);
    r.get(
        "/calendar/{token}/actions.ics",
        Public,
        pages::actions::calendar_feed,
    );

    // Survey recipients of the organisation.
    r.get("/recipients", Editor, pages::recipients::list);
    r.post("/recipients/{id}/delete", Editor, pages::recipients::delete);

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
    r.post("/settings/rubrics", Admin, pages::settings::update_rubrics);
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
    r.get(
        "/api/v1/incidents/{key}/surveys",
        Viewer,
        api::surveys::list,
    );
    r.post(
        "/api/v1/incidents/{key}/surveys",
        Editor,
        api::surveys::create,
    );
    r.get("/api/v1/surveys/{id}", Viewer, api::surveys::get);
    r.put("/api/v1/surveys/{id}", Editor, api::surveys::update);
    r.delete("/api/v1/surveys/{id}", Editor, api::surveys::delete);
    r.post(
        "/api/v1/surveys/{id}/questions",
        Editor,
        api::surveys::add_question,
    );
    // Before `/questions/{qid}`, which would take `order` for an id.
    r.put(
        "/api/v1/surveys/{id}/questions/order",
        Editor,
        api::surveys::reorder_questions,
    );
    r.put(
        "/api/v1/surveys/{id}/questions/{qid}",
        Editor,
        api::surveys::update_question,
    );
    r.delete(
        "/api/v1/surveys/{id}/questions/{qid}",
        Editor,
        api::surveys::delete_question,
    );
    r.get("/api/v1/recipients", Editor, api::surveys::list_recipients);
    r.post("/api/v1/recipients", Editor, api::surveys::add_recipient);
    r.delete(
        "/api/v1/recipients/{id}",
        Editor,
        api::surveys::delete_recipient,
    );
    r.post("/api/v1/surveys/{id}/send", Editor, api::surveys::send);
    r.post("/api/v1/surveys/{id}/remind", Editor, api::surveys::remind);
    r.post("/api/v1/surveys/{id}/close", Editor, api::surveys::close);
    r.post("/api/v1/surveys/{id}/reopen", Editor, api::surveys::reopen);
    r.get("/api/v1/surveys/{id}/status", Viewer, api::surveys::status);
    r.get(
        "/api/v1/surveys/{id}/results",
        Viewer,
        api::surveys::results,
    );
    r.get(
        "/api/v1/surveys/{id}/export.csv",
        Editor,
        api::surveys::export,
    );
    r.get("/api/v1/incidents/{key}/scores", Viewer, api::scores::get);
    r.get(
        "/api/v1/incidents/{key}/report.pdf",
        Viewer,
        api::scores::report,
    );
    r.post("/api/v1/analyze", Viewer, api::scores::analyze);
    r.get("/api/v1/incidents/{key}/review", Viewer, api::reviews::get);
    r.post(
        "/api/v1/incidents/{key}/review",
        Editor,
        api::reviews::create,
    );
    r.put(
        "/api/v1/incidents/{key}/review/sections/{section}",
        Editor,
        api::reviews::put_section,
    );
    r.get(
        "/api/v1/incidents/{key}/review/sections/{section}/history",
        Viewer,
        api::reviews::history,
    );
    r.post(
        "/api/v1/incidents/{key}/review/regenerate",
        Editor,
        api::reviews::regenerate,
    );
    r.post(
        "/api/v1/incidents/{key}/review/status",
        Editor,
        api::reviews::set_status,
    );
    r.post(
        "/api/v1/incidents/{key}/review/reopen",
        Admin,
        api::reviews::reopen,
    );
    r.get(
        "/api/v1/incidents/{key}/review/contributions",
        Viewer,
        api::reviews::contributions,
    );
    r.post(
        "/api/v1/incidents/{key}/review/contributions",
        Viewer,
        api::reviews::contribute,
    );
    r.post(
        "/api/v1/incidents/{key}/review/contributions/merge",
        Editor,
        api::reviews::merge,
    );
    r.post(
        "/api/v1/incidents/{key}/review/participants",
        Editor,
        api::reviews::add_participant,
    );
    r.post(
        "/api/v1/incidents/{key}/review/pins",
        Editor,
        api::reviews::pin,
    );
    r.post(
        "/api/v1/incidents/{key}/review/pins/{id}/action",
        Editor,
        api::reviews::make_action,
    );
    r.get("/api/v1/actions", Viewer, api::actions::list);
    r.post("/api/v1/actions", Editor, api::actions::create);
    r.get("/api/v1/actions/metrics", Viewer, api::actions::metrics);
    r.get("/api/v1/actions/export.csv", Viewer, api::actions::export);
    r.get("/api/v1/actions/{id}", Viewer, api::actions::get);
    r.put("/api/v1/actions/{id}", Editor, api::actions::update);
    r.post(
        "/api/v1/actions/{id}/status",
        Viewer,
        api::actions::change_status,
    );
    r.delete("/api/v1/actions/{id}", Editor, api::actions::delete);
    r.get("/api/v1/audiences", Viewer, api::settings::audiences);
    r.get("/api/v1/settings", Viewer, api::settings::get);
    r.put("/api/v1/settings/policy", Admin, api::settings::put_policy);
    r.get(
        "/api/v1/settings/rubrics",
        Viewer,
        api::settings::get_rubrics,
    );
    r.put(
        "/api/v1/settings/rubrics",
        Admin,
        api::settings::put_rubrics,
    );
    r.get("/api/v1/me", Viewer, api::settings::me);

    r
}
