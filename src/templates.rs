//! The one template environment (minijinja), loaded from the templates embedded in the binary.
//! Undefined variables are errors, so a typo fails loudly in tests instead of rendering blank.

use std::sync::Arc;

use minijinja::{Environment, Error, ErrorKind, State, UndefinedBehavior, Value};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "templates/"]
struct Embedded;

pub type TemplateError = minijinja::Error;

#[derive(Clone)]
pub struct Templates {
    env: Arc<Environment<'static>>,
}

impl Templates {
    pub fn new() -> Self {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_loader(|name| {
            Ok(Embedded::get(name).map(|f| String::from_utf8_lossy(&f.data).into_owned()))
        });
        // HTML escaping for .html templates; text mails are not escaped.
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".html") {
                minijinja::AutoEscape::Html
            } else {
                minijinja::AutoEscape::None
            }
        });
        env.add_function("t", t);
        env.add_filter("localtime", localtime);
        env.add_filter("localdate", localdate);
        env.add_filter("inputtime", inputtime);
        Self { env: Arc::new(env) }
    }

    /// The process-wide instance, for places without application state (error pages).
    pub fn shared() -> &'static Templates {
        static SHARED: std::sync::OnceLock<Templates> = std::sync::OnceLock::new();
        SHARED.get_or_init(Templates::new)
    }

    pub fn render<S: serde::Serialize>(&self, name: &str, ctx: S) -> Result<String, Error> {
        self.env.get_template(name)?.render(ctx)
    }

    /// Every template name, for the test that renders them all.
    pub fn names() -> Vec<String> {
        Embedded::iter().map(|n| n.into_owned()).collect()
    }
}

impl Default for Templates {
    fn default() -> Self {
        Self::new()
    }
}

fn lang_of(state: &State) -> String {
    state
        .lookup("lang")
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| "en".into())
}

/// `t("key", name=value, …)`: the UI string in the page's language with `{name}` filled in.
fn t(state: &State, key: &str, kwargs: minijinja::value::Kwargs) -> Result<String, Error> {
    let text = crate::i18n::translate(&lang_of(state), key);
    let mut args = Vec::new();
    for name in kwargs.args() {
        let v: Value = kwargs.get(name)?;
        args.push((name, v.to_string()));
    }
    Ok(crate::i18n::interpolate(&text, &args))
}

fn zone_of(state: &State) -> chrono_tz::Tz {
    state
        .lookup("tz")
        .and_then(|v| v.as_str().and_then(|s| s.parse().ok()))
        .unwrap_or(chrono_tz::Europe::Zurich)
}

fn parse_stored(value: &Value) -> Result<Option<chrono::NaiveDateTime>, Error> {
    if value.is_none() || value.is_undefined() {
        return Ok(None);
    }
    let s = value
        .as_str()
        .ok_or_else(|| Error::new(ErrorKind::InvalidOperation, "a time must be a string"))?;
    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
        .map(Some)
        .map_err(|e| Error::new(ErrorKind::InvalidOperation, format!("bad time '{s}': {e}")))
}

/// A stored UTC time shown in the viewer's zone: `2026-03-10 07:42`.
fn localtime(state: &State, value: Value) -> Result<String, Error> {
    Ok(parse_stored(&value)?
        .map(|t| {
            crate::domain::time::utc_to_local(t, zone_of(state))
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_default())
}

fn localdate(state: &State, value: Value) -> Result<String, Error> {
    Ok(parse_stored(&value)?
        .map(|t| {
            crate::domain::time::utc_to_local(t, zone_of(state))
                .format("%Y-%m-%d")
                .to_string()
        })
        .unwrap_or_default())
}

/// The value for an `<input type="datetime-local">` in the viewer's zone.
fn inputtime(state: &State, value: Value) -> Result<String, Error> {
    Ok(parse_stored(&value)?
        .map(|t| {
            crate::domain::time::utc_to_local(t, zone_of(state))
                .format("%Y-%m-%dT%H:%M")
                .to_string()
        })
        .unwrap_or_default())
}
