//! UI strings in English and German: one catalogue per language (`assets/i18n/*.toml`), looked up
//! by dotted key. Templates call `t("key")`; Rust code calls [`translate`].

use std::collections::HashMap;
use std::sync::OnceLock;

pub const LANGUAGES: &[&str] = &["en", "de"];

type Catalogue = HashMap<String, String>;

fn catalogues() -> &'static HashMap<&'static str, Catalogue> {
    static CATALOGUES: OnceLock<HashMap<&'static str, Catalogue>> = OnceLock::new();
    CATALOGUES.get_or_init(|| {
        let mut all = HashMap::new();
        for (lang, text) in [
            ("en", include_str!("../assets/i18n/en.toml")),
            ("de", include_str!("../assets/i18n/de.toml")),
        ] {
            let table: toml::Table = toml::from_str(text)
                .unwrap_or_else(|e| panic!("assets/i18n/{lang}.toml is invalid: {e}"));
            let mut flat = HashMap::new();
            flatten("", &table, &mut flat);
            all.insert(lang, flat);
        }
        all
    })
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut Catalogue) {
    for (k, v) in table {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            toml::Value::Table(t) => flatten(&key, t, out),
            toml::Value::String(s) => {
                out.insert(key, s.clone());
            }
            other => {
                out.insert(key, other.to_string());
            }
        }
    }
}

/// The supported language closest to `wanted` ("de-CH" → "de"); English otherwise.
pub fn negotiate(wanted: &str) -> &'static str {
    let primary = wanted.trim().get(..2).unwrap_or("").to_ascii_lowercase();
    LANGUAGES
        .iter()
        .find(|l| **l == primary)
        .copied()
        .unwrap_or("en")
}

/// Picks the first supported language of an `Accept-Language` header.
pub fn from_accept_language(header: &str) -> Option<&'static str> {
    header
        .split(',')
        .map(|part| part.split(';').next().unwrap_or("").trim())
        .find_map(|tag| {
            let p = tag.get(..2)?.to_ascii_lowercase();
            LANGUAGES.iter().find(|l| **l == p).copied()
        })
}

/// The string for `key` in `lang`, falling back to English, then to the key itself.
pub fn translate(lang: &str, key: &str) -> String {
    let all = catalogues();
    all.get(negotiate(lang))
        .and_then(|c| c.get(key))
        .or_else(|| all.get("en").and_then(|c| c.get(key)))
        .cloned()
        .unwrap_or_else(|| key.to_string())
}

/// Replaces `{name}` placeholders.
pub fn interpolate(text: &str, args: &[(&str, String)]) -> String {
    let mut out = text.to_string();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

pub fn keys(lang: &str) -> Vec<String> {
    catalogues()
        .get(lang)
        .map(|c| c.keys().cloned().collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_catalogues_have_the_same_keys() {
        let mut en = keys("en");
        let mut de = keys("de");
        en.sort();
        de.sort();
        let missing_de: Vec<_> = en.iter().filter(|k| !de.contains(k)).collect();
        let missing_en: Vec<_> = de.iter().filter(|k| !en.contains(k)).collect();
        assert!(missing_de.is_empty(), "missing in de.toml: {missing_de:?}");
        assert!(missing_en.is_empty(), "missing in en.toml: {missing_en:?}");
    }

    #[test]
    fn negotiation() {
        assert_eq!(negotiate("de-CH"), "de");
        assert_eq!(negotiate("fr"), "en");
        assert_eq!(
            from_accept_language("fr-CH, de;q=0.8, en;q=0.5"),
            Some("de")
        );
        assert_eq!(from_accept_language("fr"), None);
    }
}

#[cfg(test)]
mod validation_tests {
    /// Field errors are written in English in the code (the API and CLI show them as they are);
    /// the web UI shows them through the `validation` table. Every literal message in the code must
    /// be in that table, or German users would silently see English.
    #[test]
    fn every_validation_message_in_the_code_is_catalogued() {
        let src = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        let mut files = Vec::new();
        let mut dirs = vec![std::path::PathBuf::from(src)];
        while let Some(d) = dirs.pop() {
            for e in std::fs::read_dir(&d).expect("src dir").flatten() {
                let p = e.path();
                if p.is_dir() {
                    dirs.push(p);
                } else if p.extension().is_some_and(|x| x == "rs") && !p.ends_with("i18n.rs") {
                    files.push(p);
                }
            }
        }
        let mut missing = Vec::new();
        for f in files {
            let text = std::fs::read_to_string(&f).expect("read");
            // `errors.add("field", "message")`, `FieldErrors::single("field", "message")`,
            // and the strength rule's `Err("message")` in auth.rs.
            for call in [".add(", "single("] {
                for (i, _) in text.match_indices(call) {
                    let rest = &text[i + call.len()..];
                    if !rest.trim_start().starts_with('"') {
                        continue;
                    }
                    let mut quoted = rest.split('"').skip(1).step_by(2);
                    let (Some(_field), Some(msg)) = (quoted.next(), quoted.next()) else {
                        continue;
                    };
                    let between = &rest[..rest.find(msg).unwrap_or(0)];
                    if between.matches(',').count() != 1
                        || between.contains(['(', ')'])
                        || msg.contains('{')
                    {
                        continue;
                    }
                    if super::translate("de", &format!("validation.{msg}"))
                        == format!("validation.{msg}")
                    {
                        missing.push(format!("{}: {msg}", f.display()));
                    }
                }
            }
        }
        for reason in [
            "must be at least 12 characters long",
            "must not be or contain your e-mail address",
            "must not repeat one character",
        ] {
            if super::translate("de", &format!("validation.{reason}"))
                == format!("validation.{reason}")
            {
                missing.push(reason.to_string());
            }
        }
        assert!(
            missing.is_empty(),
            "messages without a German text in [validation]: {missing:#?}"
        );
    }
}
