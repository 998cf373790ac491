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
