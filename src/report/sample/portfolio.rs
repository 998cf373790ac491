//! A portfolio of generated incidents.

use chrono::{Duration, NaiveDate};

use super::{pick, s};
use crate::report::aggregate::{PortfolioHeader, PortfolioSelection, build_portfolio};
use crate::report::model::*;

/// `count` generated incidents over the 18 months from January 2025, with the quarterly
/// aggregates and correlation computed from them.
pub fn sample_portfolio(lang: Lang, count: usize) -> PortfolioReport {
    // A small linear congruential generator keeps the sample reproducible without a dependency.
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move |range: u64| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % range.max(1)
    };
    let kinds = [
        "it_outage",
        "it_outage",
        "it_outage",
        "social_media",
        "security",
        "other",
    ];
    let titles_de = [
        "Störung der Zahlungsabwicklung",
        "Ausfall des Kundenportals",
        "Shitstorm nach Preiserhöhung",
        "Phishing-Welle bei Mitarbeitenden",
        "Verzögerte E-Mail-Zustellung",
        "Fehlerhafte Rechnungen – 12 000 € Gutschriften",
    ];
    let titles_en = [
        "Payment processing disruption",
        "Customer portal outage",
        "Backlash after a price increase",
        "Phishing wave targeting staff",
        "Delayed e-mail delivery",
        "Wrong invoices – €12,000 in credits",
    ];
    let start = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default();
    let incidents: Vec<PortfolioIncident> = (0..count)
        .map(|i| {
            let detected = start + Duration::days((i as i64 * 547) / count.max(1) as i64);
            let severity = ["sev1", "sev2", "sev2", "sev3", "sev3", "sev4"][next(6) as usize];
            // Communication improves over the period, as it should after reviews.
            let drift = i as f64 / count.max(1) as f64 * 25.0;
            let timeliness = (45.0 + drift + next(40) as f64).min(100.0);
            let clarity = (55.0 + drift / 2.0 + next(35) as f64).min(100.0);
            let perceived = (next(3) > 0)
                .then(|| ((timeliness + clarity) / 2.0 + next(20) as f64 - 10.0).clamp(0.0, 100.0));
            let title = i % titles_de.len();
            PortfolioIncident {
                key: format!("INC-{}-{:03}", detected.format("%Y"), i % 1000 + 1),
                title: s(lang, titles_de[title], titles_en[title]),
                kind: kinds[next(kinds.len() as u64) as usize].into(),
                severity: severity.into(),
                detected,
                scores: Scores {
                    overall: Some(timeliness * 0.5 + clarity * 0.5),
                    timeliness: Some(timeliness),
                    clarity: Some(clarity),
                    perceived,
                },
                first_message_minutes: Some((8.0 + next(80) as f64 - drift).max(2.0)),
                actions: ActionCounts {
                    open: next(3) as u32,
                    in_progress: next(2) as u32,
                    done: next(5) as u32,
                    wont_do: next(2) as u32,
                    overdue: next(2) as u32,
                },
            }
        })
        .map(|mut incident| {
            incident.actions.overdue = incident
                .actions
                .overdue
                .min(incident.actions.open + incident.actions.in_progress);
            incident
        })
        .collect();
    let header = PortfolioHeader {
        organisation: s(
            lang,
            "Stadtwerke Zürich-Nord AG",
            "Northbridge Utilities Ltd",
        ),
        confidentiality: s(
            lang,
            "Vertraulich – nur intern",
            "Confidential – internal only",
        ),
        lang,
        generated_at: pick(lang, "01.07.2026", "1 July 2026").into(),
        generated_utc: NaiveDate::from_ymd_opt(2026, 7, 1)
            .and_then(|d| d.and_hms_opt(8, 0, 0))
            .unwrap_or_default(),
        range: pick(
            lang,
            "01.01.2025 – 30.06.2026",
            "1 January 2025 – 30 June 2026",
        )
        .into(),
    };
    let selection = PortfolioSelection {
        from: start,
        to: NaiveDate::from_ymd_opt(2026, 6, 30).unwrap_or(start),
        kind: None,
        severity: None,
    };
    build_portfolio(header, incidents, &selection)
}
