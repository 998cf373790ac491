//! The wording of the clarity findings, in English and German, for a communications person:
//! what is missing or costs points, and what to write instead.

use super::elements::Element;
use super::jargon::{JargonHit, JargonKind};
use super::labels::Blame;
use crate::domain::{Language, MessageKind};

type Bilingual = (String, String);

fn pair(en: &str, de: &str) -> Bilingual {
    (en.to_string(), de.to_string())
}

pub fn missing_element(element: Element, kind: MessageKind) -> Bilingual {
    let closing = matches!(kind, MessageKind::Resolution | MessageKind::PostIncident);
    match element {
        Element::E1 if closing => pair(
            "It does not say that the service works again. Write it plainly, e.g. 'E-mail is working normally again.'",
            "Es steht nicht drin, dass der Dienst wieder funktioniert. Schreiben Sie es klar, z. B. „Der E-Mail-Versand funktioniert wieder.“",
        ),
        Element::E1 => pair(
            "It does not say what is wrong as users notice it. Describe the symptom, e.g. 'E-mails cannot be sent.'",
            "Es steht nicht drin, was Nutzer von der Störung merken. Beschreiben Sie das Symptom, z. B. „E-Mails können nicht versendet werden.“",
        ),
        Element::E2 => pair(
            "It does not name the affected service. Use the name users know, e.g. 'online banking'.",
            "Der betroffene Dienst wird nicht genannt. Verwenden Sie den Namen, den Nutzer kennen, z. B. „E-Banking“.",
        ),
        Element::E3 => pair(
            "It does not say who is affected. Add who or how many, e.g. 'customers in Vienna' or 'about 30 % of users'.",
            "Es steht nicht drin, wer betroffen ist. Nennen Sie wer oder wie viele, z. B. „Kundinnen und Kunden in Wien“ oder „rund 30 % der Nutzer“.",
        ),
        Element::E4 if closing => pair(
            "It does not say what was fixed. Add what the team did, e.g. 'We replaced the faulty disk.'",
            "Es steht nicht drin, was behoben wurde. Nennen Sie, was das Team getan hat, z. B. „Wir haben die defekte Festplatte ersetzt.“",
        ),
        Element::E4 => pair(
            "It does not say what is being done. Add what the team is doing, e.g. 'We are restoring the database.'",
            "Es steht nicht drin, was unternommen wird. Nennen Sie, was das Team tut, z. B. „Wir stellen die Datenbank wieder her.“",
        ),
        Element::E5 => pair(
            "Add a time for the next update, e.g. 'Next update at 14:30.'",
            "Nennen Sie eine Zeit für das nächste Update, z. B. „Nächstes Update um 14:30 Uhr.“",
        ),
        Element::E6 => pair(
            "It does not say what readers can do meanwhile. Add a workaround or what still works.",
            "Es steht nicht drin, was Leser in der Zwischenzeit tun können. Nennen Sie eine Alternative oder was weiterhin funktioniert.",
        ),
        Element::E7 => pair(
            "It does not say where to get help. Add the hotline, the status page or the service desk.",
            "Es steht nicht drin, wo es Hilfe gibt. Nennen Sie Hotline, Statusseite oder Servicedesk.",
        ),
        Element::E8 if closing => pair(
            "It does not say how long the outage lasted. Add the time window, e.g. 'from 10:04 to 11:17'.",
            "Es steht nicht drin, wie lange die Störung dauerte. Nennen Sie den Zeitraum, z. B. „von 10:04 bis 11:17 Uhr“.",
        ),
        Element::E8 => pair(
            "It does not say since when the problem exists. Add the start time, e.g. 'since 09:12'.",
            "Es steht nicht drin, seit wann die Störung besteht. Nennen Sie den Beginn, z. B. „seit 9:12 Uhr“.",
        ),
        Element::E9 => pair(
            "It says nothing about data. Say whether data was lost or is safe, e.g. 'No data was lost.'",
            "Zu den Daten steht nichts drin. Sagen Sie, ob Daten verloren gingen oder sicher sind, z. B. „Es sind keine Daten verloren gegangen.“",
        ),
        Element::E10 => pair(
            "It does not state the cause or what will prevent a repeat. Add both, or promise a report with a date.",
            "Ursache und Maßnahmen gegen eine Wiederholung fehlen. Nennen Sie beides oder kündigen Sie einen Bericht mit Datum an.",
        ),
    }
}

pub fn hard_to_read(language: Language, ease: f64, target: f64) -> Bilingual {
    let measure = match language {
        Language::En => "Flesch",
        Language::De => "Amstad",
    };
    (
        format!(
            "Reading ease is {ease:.0} ({measure}); {target:.0} or more is easy to read. Use shorter sentences and shorter words."
        ),
        format!(
            "Die Lesbarkeit liegt bei {ease:.0} ({measure}); ab {target:.0} ist ein Text leicht lesbar. Verwenden Sie kürzere Sätze und kürzere Wörter."
        ),
    )
}

pub fn long_sentences(count: usize, longest: usize, limit: usize) -> Bilingual {
    (
        format!(
            "{count} sentence(s) have more than {limit} words (the longest has {longest}). Split them into shorter ones."
        ),
        format!(
            "{count} Satz/Sätze haben mehr als {limit} Wörter (der längste hat {longest}). Teilen Sie sie in kürzere Sätze auf."
        ),
    )
}

pub fn jargon(hit: &JargonHit, written: &str, language: Language) -> Bilingual {
    match (hit.kind, hit.plain()) {
        (JargonKind::Lexicon, Some(term)) => {
            let plain = match language {
                Language::En => term.plain_en,
                Language::De => term.plain_de,
            };
            (
                format!("Replace '{written}' with '{plain}'."),
                format!("Ersetzen Sie „{written}“ durch „{plain}“."),
            )
        }
        (JargonKind::Acronym, _) => (
            format!("Spell out '{written}' or say what it means."),
            format!("Schreiben Sie „{written}“ aus oder sagen Sie, was es bedeutet."),
        ),
        (JargonKind::LongCompound, _) => (
            format!("Split '{written}' into shorter words."),
            format!("Zerlegen Sie „{written}“ in kürzere Wörter."),
        ),
        _ => (
            format!("Remove '{written}' or describe it in plain words."),
            format!("Entfernen Sie „{written}“ oder beschreiben Sie es in einfachen Worten."),
        ),
    }
}

pub fn full_apology() -> Bilingual {
    pair(
        "A direct apology owned by the sender. Keep doing this.",
        "Eine direkte Entschuldigung des Absenders. Weiter so.",
    )
}

pub fn apology_expected(formulaic: bool) -> Bilingual {
    if formulaic {
        pair(
            "The apology is a stock phrase where a full apology is called for. Apologise for what happened, e.g. 'We are sorry for the outage.'",
            "Die Entschuldigung ist eine Floskel, wo eine echte Entschuldigung angebracht wäre. Entschuldigen Sie sich für das Geschehene, z. B. „Es tut uns leid, dass der Dienst ausgefallen ist.“",
        )
    } else {
        pair(
            "A full apology is called for here. Add one, e.g. 'We are sorry for the disruption.'",
            "Hier wäre eine Entschuldigung angebracht. Ergänzen Sie z. B. „Es tut uns leid, dass es zu dieser Störung gekommen ist.“",
        )
    }
}

pub fn formulaic_apology() -> Bilingual {
    pair(
        "The apology is a stock phrase ('any inconvenience'). Apologise for what happened, e.g. 'We are sorry for the outage.'",
        "Die Entschuldigung ist eine Floskel („Unannehmlichkeiten“). Entschuldigen Sie sich für das Geschehene, z. B. „Es tut uns leid, dass der Dienst ausgefallen ist.“",
    )
}

pub fn blame(blame: Blame) -> Bilingual {
    match blame {
        Blame::ThirdParty => pair(
            "A provider is given as the explanation without taking ownership. Say what you are doing about it, e.g. 'We are working with our provider on a fix.'",
            "Ein Dienstleister wird als Erklärung genannt, ohne Verantwortung zu übernehmen. Sagen Sie, was Sie selbst tun, z. B. „Wir arbeiten mit unserem Dienstleister an einer Lösung.“",
        ),
        Blame::Individual => pair(
            "An individual is blamed. Describe the fault, not the person, e.g. 'a configuration error during maintenance'.",
            "Eine einzelne Person wird verantwortlich gemacht. Beschreiben Sie den Fehler, nicht die Person, z. B. „ein Konfigurationsfehler bei Wartungsarbeiten“.",
        ),
        Blame::User | Blame::None => pair(
            "The readers are blamed. Explain how to avoid the problem without blaming them.",
            "Die Leser werden verantwortlich gemacht. Erklären Sie, wie sich das Problem vermeiden lässt, ohne Schuld zuzuweisen.",
        ),
    }
}

pub fn shouting() -> Bilingual {
    pair(
        "The message shouts (words in capitals, '!!'). Write in normal case with at most one exclamation mark.",
        "Die Meldung schreit (Wörter in Grossbuchstaben, „!!“). Schreiben Sie in normaler Schreibweise und mit höchstens einem Ausrufezeichen.",
    )
}

pub fn vague_time(words: &[&str]) -> Bilingual {
    let quoted_en = words
        .iter()
        .map(|w| format!("'{w}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let quoted_de = words
        .iter()
        .map(|w| format!("„{w}“"))
        .collect::<Vec<_>>()
        .join(", ");
    (
        format!(
            "Vague time words ({quoted_en}) and no time for the next update. Give a time instead, e.g. 'Next update at 14:30.'"
        ),
        format!(
            "Vage Zeitangaben ({quoted_de}) und keine Zeit für das nächste Update. Nennen Sie stattdessen eine Zeit, z. B. „Nächstes Update um 14:30 Uhr.“"
        ),
    )
}

pub fn definitive_eta(time: &str) -> Bilingual {
    (
        format!(
            "A definite resolution time is promised ('{time}'). Unless it is certain, say 'we expect …' and give the next update time."
        ),
        format!(
            "Eine feste Behebungszeit wird versprochen („{time}“). Wenn sie nicht sicher ist, schreiben Sie „voraussichtlich …“ und nennen Sie die Zeit des nächsten Updates."
        ),
    )
}
