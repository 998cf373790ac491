//! The few text cues the replies score needs, in English and German: whether a reply sends the
//! person to a private channel, and whether two replies are copies of each other once the parts
//! that are always personal (handles, greetings with names, sign-offs) are set aside.

use std::hash::{DefaultHasher, Hash, Hasher};

/// Word sequences that send someone to a private channel: DM, phone, hotline, a form, e-mail.
/// Matched on lower-case words, so "E-Mail" is `["e", "mail"]`.
const REDIRECT_PHRASES: &[&[&str]] = &[
    // English
    &["dm"],
    &["dms"],
    &["direct", "message"],
    &["private", "message"],
    &["pm", "us"],
    &["message", "us"],
    &["inbox"],
    &["hotline"],
    &["helpline"],
    &["call", "us"],
    &["give", "us", "a", "call"],
    &["phone", "us"],
    &["contact", "us"],
    &["contact", "our"],
    &["contact", "support"],
    &["get", "in", "touch"],
    &["reach", "out", "to"],
    &["support", "form"],
    &["contact", "form"],
    &["web", "form"],
    &["online", "form"],
    &["email", "us"],
    &["e", "mail", "us"],
    &["write", "to", "us"],
    // German
    &["per", "dm"],
    &["pn"],
    &["direktnachricht"],
    &["privatnachricht"],
    &["private", "nachricht"],
    &["persönliche", "nachricht"],
    &["rufen", "sie", "uns"],
    &["rufen", "sie", "unseren"],
    &["rufen", "sie", "unsere"],
    &["ruf", "uns"],
    &["telefonisch"],
    &["kontaktformular"],
    &["supportformular"],
    &["formular"],
    &["schreiben", "sie", "uns"],
    &["schreib", "uns"],
    &["wenden", "sie", "sich"],
    &["wende", "dich"],
    &["melden", "sie", "sich", "bei"],
    &["meld", "dich"],
    &["per", "mail"],
    &["per", "e", "mail"],
];

/// Parts of a link that point at a contact or support page.
const CONTACT_URL_PARTS: &[&str] = &["contact", "kontakt", "support", "hilfe", "help", "form"];

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn contains_phrase(words: &[String], phrase: &[&str]) -> bool {
    words
        .windows(phrase.len())
        .any(|w| w.iter().zip(phrase).all(|(a, b)| a == b))
}

fn is_link(token: &str) -> bool {
    let t = token.to_lowercase();
    t.starts_with("http://") || t.starts_with("https://") || t.starts_with("www.")
}

/// A phone number: at least nine digits written with spaces, dashes, slashes or brackets only.
fn has_phone_number(text: &str) -> bool {
    let mut digits = 0;
    for c in text.chars() {
        if c.is_ascii_digit() {
            digits += 1;
            if digits >= 9 {
                return true;
            }
        } else if !matches!(c, ' ' | '-' | '/' | '(' | ')' | '+') {
            digits = 0;
        }
    }
    false
}

/// Whether the reply sends the person to a private channel (DM, hotline, support form, e-mail).
pub fn redirects_to_private_channel(text: &str) -> bool {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let prose: Vec<&str> = tokens.iter().copied().filter(|t| !is_link(t)).collect();
    let w = words(&prose.join(" "));
    REDIRECT_PHRASES.iter().any(|p| contains_phrase(&w, p))
        || tokens.iter().any(|t| {
            is_link(t) && {
                let lower = t.to_lowercase();
                CONTACT_URL_PARTS.iter().any(|part| lower.contains(part))
            }
        })
        || has_phone_number(text)
}

const GREETINGS: &[&str] = &[
    "hi", "hello", "hey", "dear", "hallo", "hoi", "grüezi", "gruezi", "servus", "moin", "liebe",
    "lieber", "liebes", "salut",
];

const TWO_WORD_GREETINGS: &[(&str, &str)] = &[
    ("good", "morning"),
    ("good", "afternoon"),
    ("good", "evening"),
    ("guten", "tag"),
    ("guten", "morgen"),
    ("guten", "abend"),
    ("sehr", "geehrte"),
    ("sehr", "geehrter"),
];

fn bare(token: &str) -> String {
    token
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
}

/// How many leading tokens are a greeting, with the name that follows it up to the comma or
/// exclamation mark ("Hi Anna,", "Liebe Frau Müller,", "Hallo @anna_k!").
fn greeting_length(tokens: &[&str]) -> usize {
    let first = tokens.first().map(|t| bare(t)).unwrap_or_default();
    let second = tokens.get(1).map(|t| bare(t)).unwrap_or_default();
    let greeting_words = if TWO_WORD_GREETINGS
        .iter()
        .any(|(a, b)| *a == first && *b == second)
    {
        2
    } else if GREETINGS.contains(&first.as_str()) {
        1
    } else {
        return 0;
    };
    let ends_salutation = |t: &&str| t.ends_with(',') || t.ends_with('!') || t.ends_with(':');
    tokens
        .iter()
        .take(greeting_words + 4)
        .position(ends_salutation)
        .map_or(greeting_words, |i| i + 1)
}

/// A sign-off at the end: "^mb", "/Lisa", "– Lisa", "-Tom".
fn sign_off_length(tokens: &[&str]) -> usize {
    let is_dash = |t: &str| matches!(t, "-" | "–" | "—" | "/" | "~");
    let initials = |t: &str| {
        t.chars().count() <= 13
            && t.starts_with(['-', '–', '—', '/', '~'])
            && t.chars().skip(1).all(char::is_alphabetic)
            && t.chars().count() > 1
    };
    match tokens {
        [.., dash, name] if is_dash(dash) && name.chars().all(char::is_alphabetic) => 2,
        [.., last] if initials(last) => 1,
        _ => 0,
    }
}

/// The words of a reply with its personal frame removed: greeting and name, handles, links,
/// sign-offs and the handle of the person answered.
pub fn normalised_words(text: &str, author_handle: Option<&str>) -> Vec<String> {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let start = greeting_length(&tokens);
    let body = &tokens[start.min(tokens.len())..];
    let end = body.len() - sign_off_length(body).min(body.len());
    let handle = author_handle.map(bare).filter(|h| !h.is_empty());
    let kept: Vec<&str> = body[..end]
        .iter()
        .copied()
        .filter(|t| !t.starts_with('@') && !t.starts_with('^') && !is_link(t))
        .filter(|t| handle.as_deref().is_none_or(|h| bare(t) != h))
        .collect();
    words(&kept.join(" "))
}

/// Overlapping runs of `size` words, hashed and sorted; a reply shorter than that is one shingle
/// of all its words. Hashes keep the pairwise comparison of thousands of replies cheap; the
/// hasher's fixed keys make them the same on every run.
pub fn shingles(words: &[String], size: usize) -> Vec<u64> {
    let size = size.max(1);
    let hash = |run: &[String]| {
        let mut h = DefaultHasher::new();
        run.hash(&mut h);
        h.finish()
    };
    let mut out: Vec<u64> = if words.is_empty() {
        Vec::new()
    } else if words.len() < size {
        vec![hash(words)]
    } else {
        words.windows(size).map(hash).collect()
    };
    out.sort_unstable();
    out.dedup();
    out
}

/// |A ∩ B| / |A ∪ B| of two sorted, deduplicated shingle lists.
pub fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    let (mut i, mut j, mut shared) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - shared;
    if union == 0 {
        0.0
    } else {
        shared as f64 / union as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirects_in_english_and_german() {
        for text in [
            "@anna Sorry for the trouble! Please send us a DM with your customer number.",
            "Please call our hotline, we can help you there.",
            "Could you fill in our support form? Thanks!",
            "Bitte schicken Sie uns eine Direktnachricht.",
            "Bitte wenden Sie sich an unseren Kundendienst.",
            "Schreib uns per PN, dann schauen wir uns das an.",
            "Rufen Sie uns unter 0800 123 456 an.",
            "Details: https://example.com/kontakt",
            "Bitte melden Sie sich per E-Mail.",
        ] {
            assert!(redirects_to_private_channel(text), "{text}");
        }
    }

    #[test]
    fn public_answers_are_not_redirects() {
        for text in [
            "We are sorry, e-banking is down for everyone. Next update at 14:30.",
            "Die Störung ist behoben, das Login funktioniert wieder.",
            "Our support team is working on it; see https://status.example.com",
            "Incident INC-2026-014 started at 09:12.",
            "Unser Kundendienst arbeitet mit Hochdruck daran.",
        ] {
            assert!(!redirects_to_private_channel(text), "{text}");
        }
    }

    #[test]
    fn personal_frame_is_removed_before_comparing() {
        assert_eq!(
            normalised_words(
                "Hi Anna, sorry for the trouble! We're on it. ^mb",
                Some("anna_k")
            ),
            words("sorry for the trouble! We're on it.")
        );
        assert_eq!(
            normalised_words("Liebe Frau Müller, es tut uns leid. – Lisa", None),
            words("es tut uns leid.")
        );
        assert_eq!(
            normalised_words(
                "@anna_k Sorry! https://x.example/1 Fixed soon",
                Some("@anna_k")
            ),
            words("Sorry! Fixed soon")
        );
        // "Hello" without a name keeps the rest.
        assert_eq!(
            normalised_words("Hello we are looking into it", None),
            words("we are looking into it")
        );
    }

    #[test]
    fn jaccard_of_shingles() {
        let a = shingles(&words("we are sorry for the outage"), 3);
        let b = shingles(&words("we are sorry for the outage"), 3);
        let c = shingles(&words("the card terminals work again"), 3);
        assert_eq!(jaccard(&a, &b), 1.0);
        assert_eq!(jaccard(&a, &c), 0.0);
        // The last of six words changed: 4 shingles each, 3 shared, 5 in the union.
        let d = shingles(&words("we are sorry for the delay"), 3);
        assert!((jaccard(&a, &d) - 3.0 / 5.0).abs() < 1e-9);
        assert_eq!(shingles(&words("thanks"), 3).len(), 1);
        assert!(shingles(&[], 3).is_empty());
    }
}
