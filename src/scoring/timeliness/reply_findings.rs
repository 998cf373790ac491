//! The reason and the findings of the replies score, in English and German.

use super::context::{Costed, minutes};
use super::measure::ratio;
use super::replies::ReplyMeasures;
use super::rubric::ReplyRubric;
use super::wording::tidy_de;
use crate::scoring::{Finding, FindingSeverity};

/// Median and 90th percentile in both languages, "–" when no mention was answered.
fn spread(m: &ReplyMeasures) -> [String; 4] {
    let both = |v: Option<f64>| {
        v.map(minutes)
            .map_or_else(|| ("–".to_string(), "–".to_string()), |d| (d.en, d.de))
    };
    let (med_en, med_de) = both(m.median_min);
    let (p90_en, p90_de) = both(m.p90_min);
    [med_en, med_de, p90_en, p90_de]
}

pub fn reply_reason(m: &ReplyMeasures) -> (String, String) {
    let [med_en, med_de, p90_en, p90_de] = spread(m);
    let (within, n, t) = (m.within_target(), m.mentions(), minutes(m.target_min));
    let mut en = format!(
        "{within} of {n} mentions answered within {}; median {med_en}, 90th percentile {p90_en}",
        t.en
    );
    let mut de = format!(
        "{within} von {n} Erwähnungen innerhalb von {} beantwortet; Median {med_de}, 90. Perzentil {p90_de}",
        t.de
    );
    let (r, copied, redirected) = (m.replies, m.copied, m.redirected);
    if r > 0 {
        en.push_str(&format!(
            "; {copied} of {r} replies near-identical, {redirected} sent to a private channel"
        ));
        de.push_str(&format!(
            "; {copied} von {r} Antworten fast gleich, {redirected} auf einen privaten Kanal verwiesen"
        ));
    }
    en.push('.');
    de.push('.');
    (en, tidy_de(de))
}

/// German "x von n" needs the noun and the verb in the number the count asks for.
fn count_de(x: usize, n: usize, noun: (&str, &str), verb: (&str, &str)) -> String {
    let noun = if n == 1 { noun.0 } else { noun.1 };
    let verb = if x == 1 { verb.0 } else { verb.1 };
    format!("{x} von {n} {noun} {verb}")
}

pub fn reply_findings(m: &ReplyMeasures, rubric: &ReplyRubric) -> Vec<Costed> {
    let finding = |code: &str, severity, en: String, de: String| {
        let mut f = Finding::new(code, severity, 0.0, en, tidy_de(de));
        f.audience = m.audience_key.clone();
        f
    };
    let [med_en, med_de, p90_en, p90_de] = spread(m);
    let (n, answered, r) = (m.mentions(), m.answered(), m.replies);
    let t = minutes(m.target_min);
    let mut findings = Vec::new();

    let late: Vec<usize> = (0..n)
        .filter(|&i| m.first_replies[i].minutes.is_some() && !m.first_replies[i].within_target)
        .collect();
    if !late.is_empty() {
        let lost = late.iter().map(|&i| 100.0 - m.speed_points[i]).sum::<f64>() / n as f64;
        findings.push(Costed::new(
            finding(
                "R.slow",
                FindingSeverity::Amber,
                format!(
                    "{} of {n} mentions got their first reply later than the {} reply target; median {med_en}, 90th percentile {p90_en}.",
                    late.len(),
                    t.en
                ),
                format!(
                    "{} die erste Antwort später als das Antwortziel von {}; Median {med_de}, 90. Perzentil {p90_de}.",
                    count_de(late.len(), n, ("Erwähnung", "Erwähnungen"), ("erhielt", "erhielten")),
                    t.de
                ),
            ),
            m.speed_share * lost,
        ));
    }
    if answered < n {
        let u = n - answered;
        findings.push(Costed::new(
            finding(
                "R.unanswered",
                FindingSeverity::Amber,
                format!("{u} of {n} mentions got no reply at all."),
                format!(
                    "{} ganz ohne Antwort.",
                    count_de(u, n, ("Erwähnung", "Erwähnungen"), ("blieb", "blieben"))
                ),
            ),
            m.speed_share * 100.0 * ratio(u, n),
        ));
    } else if late.is_empty() {
        findings.push(Costed::free(finding(
            "R.on_time",
            FindingSeverity::Good,
            format!(
                "All {n} mentions got a reply within the {} target (median {med_en}).",
                t.en
            ),
            format!(
                "Alle {n} Erwähnungen wurden innerhalb des Ziels von {} beantwortet (Median {med_de}).",
                t.de
            ),
        )));
    }
    if let (Some(share), Some(weight)) = (m.near_identical_share, m.personal_share)
        && m.copied > 0
    {
        let copied = m.copied;
        findings.push(Costed::new(
                finding(
                    "R.copy_paste",
                    FindingSeverity::Amber,
                    format!(
                        "{copied} of {r} replies were near-identical copies of each other; people notice a pasted answer."
                    ),
                    format!(
                        "{copied} von {r} Antworten waren nahezu wortgleiche Kopien; Betroffene merken, wenn eine Antwort kopiert ist."
                    ),
                ),
                weight * 100.0 * share,
            ));
    }
    if r > 0 && ratio(m.redirected, r) > rubric.redirect_notice_share {
        let redirected = m.redirected;
        findings.push(Costed::free(finding(
            "R.redirected",
            FindingSeverity::Info,
            format!(
                "{redirected} of {r} replies sent people to a private channel (DM, hotline, support form); others reading along see the redirection but not the answer."
            ),
            format!(
                "{} auf einen privaten Kanal (Direktnachricht, Hotline, Formular); Mitlesende sehen den Verweis, aber nicht die Antwort.",
                count_de(redirected, r, ("Antwort", "Antworten"), ("verwies", "verwiesen"))
            ),
        )));
    }
    if let Some(weight) = m.apology_share {
        let platform = &m.first_platform;
        if m.apology_on_first_platform {
            findings.push(Costed::free(finding(
                "R.apology_where_known",
                FindingSeverity::Good,
                format!("The apology was posted on {platform}, where the crisis became known."),
                format!("Die Entschuldigung erschien auf {platform}, wo die Krise bekannt wurde."),
            )));
        } else {
            findings.push(Costed::new(
                finding(
                    "R.no_apology_where_known",
                    FindingSeverity::Amber,
                    format!(
                        "The crisis became known on {platform}, but no apology was posted there."
                    ),
                    format!(
                        "Die Krise wurde auf {platform} bekannt, dort erschien aber keine Entschuldigung."
                    ),
                ),
                weight * 100.0,
            ));
        }
    }
    findings
}
