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
    // Stored times come as "…T06:42:00" or, from the API's views, "…T06:42:00Z" (both UTC).
    let utc = s.strip_suffix('Z').unwrap_or(s);
    chrono::NaiveDateTime::parse_from_str(utc, "%Y-%m-%dT%H:%M:%S%.f")
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_compiles() {
        let t = Templates::new();
        let names = Templates::names();
        assert!(names.iter().any(|n| n == "base.html"));
        for name in names {
            if let Err(e) = t.env.get_template(&name) {
                panic!("{name}: {e:#}");
            }
        }
    }

    /// Every literal `t("key")` in a template exists in both catalogues.
    #[test]
    fn every_ui_string_used_by_a_template_is_translated() {
        let mut missing = Vec::new();
        for name in Templates::names() {
            let Some(file) = Embedded::get(&name) else {
                continue;
            };
            let text = String::from_utf8_lossy(&file.data).into_owned();
            for (i, _) in text.match_indices("t(\"") {
                let rest = &text[i + 3..];
                let Some(end) = rest.find('"') else { continue };
                let key = &rest[..end];
                // Keys built at run time (`t("kind." ~ value)`) are checked by their vocabularies.
                if key.ends_with(['.', '_']) || key.is_empty() {
                    continue;
                }
                for lang in crate::i18n::LANGUAGES {
                    if crate::i18n::translate(lang, key) == key {
                        missing.push(format!("{name}: {key} ({lang})"));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "untranslated: {missing:#?}");
    }

    /// The vocabularies shown through `t("kind." ~ value)` and similar have labels in both languages.
    #[test]
    fn every_vocabulary_value_has_a_label() {
        use crate::domain::*;
        let mut keys: Vec<String> = Vec::new();
        keys.extend(IncidentKind::ALL.iter().map(|v| format!("kind.{v}")));
        keys.extend(Severity::ALL.iter().map(|v| format!("severity.{v}")));
        keys.extend(IncidentStatus::ALL.iter().map(|v| format!("status.{v}")));
        keys.extend(EventKind::ALL.iter().map(|v| format!("event_kind.{v}")));
        keys.extend(Channel::ALL.iter().map(|v| format!("channel.{v}")));
        keys.extend(MessageKind::ALL.iter().map(|v| format!("message_kind.{v}")));
        keys.extend(Role::ALL.iter().map(|v| format!("role.{v}")));
        keys.extend(Language::ALL.iter().map(|v| format!("lang.{v}")));
        for key in keys {
            for lang in crate::i18n::LANGUAGES {
                assert_ne!(crate::i18n::translate(lang, &key), key, "{lang}: {key}");
            }
        }
    }
}
