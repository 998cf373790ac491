//! The raw answers as CSV: one row per response, one column per question, of the responses the
//! results filter keeps. An anonymous survey's export holds nothing that names a respondent and
//! follows the results' rule for small groups: no address, no invitation, no submission time,
//! rows in an order of their own, the audience left blank for groups too small to name, and no
//! rows at all when fewer than three responses match.

use super::model::Question;
use super::results::{self, MIN_ANONYMOUS_GROUP, ResultsFilter};
use crate::db::audit::{self, Actor};
use crate::db::responses::ExportRow;
use crate::db::{self, DbConn};
use crate::error::{ServiceError, ServiceResult};

/// A spreadsheet cell that starts like a formula is prefixed, so opening the export in Excel
/// cannot run what a respondent typed.
fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

pub fn to_csv(
    questions: &[Question],
    rows: &[ExportRow],
    anonymous: bool,
    tz: chrono_tz::Tz,
    lang: &str,
) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["response", "audience", "language"]
        .into_iter()
        .map(str::to_string)
        .collect::<Vec<_>>();
    if !anonymous {
        header.push("submitted_at".into());
        header.push("email".into());
    }
    for (i, q) in questions.iter().enumerate() {
        header.push(q.code.clone().unwrap_or_else(|| format!("q{}", i + 1)));
    }
    let fixed = header.len() - questions.len();
    w.write_record(&header)?;
    // A second line with the question texts, so the export reads without the survey at hand.
    let mut texts = vec![String::new(); fixed];
    texts.extend(questions.iter().map(|q| cell(q.text(lang))));
    w.write_record(&texts)?;
    for r in rows {
        let mut rec = vec![
            r.number.to_string(),
            r.record.audience.clone().unwrap_or_default(),
            r.record.locale.clone(),
        ];
        if !anonymous {
            rec.push(
                crate::domain::time::utc_to_local(r.record.submitted_at, tz)
                    .format("%Y-%m-%d %H:%M")
                    .to_string(),
            );
            rec.push(r.email.clone().unwrap_or_default());
        }
        rec.extend(questions.iter().map(|q| {
            r.record
                .answers
                .get(&q.id)
                .map(|a| cell(&a.display()))
                .unwrap_or_default()
        }));
        w.write_record(&rec)?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// The rows of the responses `filter` keeps, made ready for an anonymous survey's export (see
/// the module comment). None when an anonymous survey has too few matching responses to export.
pub fn prepare(
    questions: &[Question],
    rows: Vec<ExportRow>,
    anonymous: bool,
    filter: &ResultsFilter,
) -> Option<Vec<ExportRow>> {
    let records: Vec<results::ResponseRecord> = rows.iter().map(|r| r.record.clone()).collect();
    let keep = results::select(questions, &records, filter);
    let mut rows: Vec<ExportRow> = rows
        .into_iter()
        .enumerate()
        .filter(|(i, _)| keep.contains(i))
        .map(|(_, r)| r)
        .collect();
    if !anonymous {
        return Some(rows);
    }
    if rows.len() < MIN_ANONYMOUS_GROUP {
        return None;
    }
    let mut audiences: Vec<Option<String>> = Vec::new();
    for r in &rows {
        if !audiences.contains(&r.record.audience) {
            audiences.push(r.record.audience.clone());
        }
    }
    let sizes: Vec<usize> = audiences
        .iter()
        .map(|a| rows.iter().filter(|r| &r.record.audience == a).count())
        .collect();
    let named = results::visible_groups(&sizes);
    for r in &mut rows {
        let i = audiences.iter().position(|a| a == &r.record.audience);
        if i.is_some_and(|i| !named[i]) {
            r.record.audience = None;
        }
    }
    // Sorted by what they say, not by when they came: the row order tells nothing.
    let key = |r: &ExportRow| {
        let answers: Vec<String> = questions
            .iter()
            .map(|q| {
                r.record
                    .answers
                    .get(&q.id)
                    .map(|a| a.display())
                    .unwrap_or_default()
            })
            .collect();
        (r.record.audience.clone(), r.record.locale.clone(), answers)
    };
    rows.sort_by_cached_key(key);
    for (i, r) in rows.iter_mut().enumerate() {
        r.number = i + 1;
        r.email = None;
    }
    Some(rows)
}

/// The export of one survey, recorded in the audit log (raw answers leave the system).
pub fn for_survey(
    conn: &mut DbConn,
    survey_id: i64,
    filter: &ResultsFilter,
    lang: &str,
    actor: &Actor,
) -> ServiceResult<Vec<u8>> {
    let survey = super::manage::get(conn, survey_id)?;
    let questions = db::surveys::questions(conn, survey_id)?;
    let all = db::responses::export(conn, survey_id, survey.anonymous)?;
    let rows = prepare(&questions, all, survey.anonymous, filter).ok_or_else(|| {
        ServiceError::Conflict(format!(
            "fewer than {MIN_ANONYMOUS_GROUP} answers match; an anonymous survey's answers are \
             exported only in groups of {MIN_ANONYMOUS_GROUP} or more, so that none points to a person"
        ))
    })?;
    let org = crate::organisation::load(conn)?;
    let tz = crate::domain::time::parse_zone(&org.time_zone).unwrap_or(chrono_tz::Europe::Zurich);
    audit::record(
        conn,
        actor,
        "survey.exported",
        Some(&format!("survey {survey_id}")),
        Some(&format!("{} responses", rows.len())),
    )?;
    to_csv(&questions, &rows, survey.anonymous, tz, lang)
        .map_err(|e| ServiceError::Internal(format!("csv: {e}")))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::surveys::model::{AnswerValue, QuestionType};
    use crate::surveys::results::ResponseRecord;

    #[test]
    fn formulas_are_defused_and_anonymous_exports_have_no_address() {
        let q = Question {
            id: 7,
            survey_id: 1,
            position: 1,
            qtype: QuestionType::Text,
            code: Some("improve".into()),
            required: false,
            text_en: "Better?".into(),
            text_de: "Besser?".into(),
            options: vec![],
        };
        let row = ExportRow {
            number: 1,
            email: Some("anna@firma.ch".into()),
            record: ResponseRecord {
                audience: Some("employees".into()),
                locale: "de".into(),
                submitted_at: chrono::NaiveDate::from_ymd_opt(2026, 3, 10)
                    .and_then(|d| d.and_hms_opt(9, 0, 0))
                    .expect("time"),
                answers: BTreeMap::from([(7, AnswerValue::Text("=HYPERLINK(\"x\")".into()))]),
            },
        };
        let csv = String::from_utf8(
            to_csv(
                std::slice::from_ref(&q),
                std::slice::from_ref(&row),
                false,
                chrono_tz::Europe::Zurich,
                "de",
            )
            .expect("csv"),
        )
        .expect("utf8");
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let header = reader.headers().expect("header").clone();
        assert_eq!(&header[4], "email");
        let records: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
        assert_eq!(&records[0][5], "Besser?");
        assert_eq!(&records[1][3], "2026-03-10 10:00", "local time");
        assert_eq!(&records[1][5], "'=HYPERLINK(\"x\")");
        let anonymous = String::from_utf8(
            to_csv(&[q], &[row], true, chrono_tz::Europe::Zurich, "en").expect("csv"),
        )
        .expect("utf8");
        assert!(!anonymous.contains("anna@firma.ch") && !anonymous.contains("email"));
        assert!(!anonymous.contains("2026-03-10") && !anonymous.contains("submitted_at"));
    }

    #[test]
    fn anonymous_exports_follow_the_small_group_rule() {
        let q = Question {
            id: 1,
            survey_id: 1,
            position: 1,
            qtype: QuestionType::Rating5,
            code: Some("timeliness".into()),
            required: true,
            text_en: "Timely?".into(),
            text_de: "Rechtzeitig?".into(),
            options: vec![],
        };
        let row = |n: usize, audience: &str, rating: f64| ExportRow {
            number: n,
            email: Some(format!("p{n}@firma.ch")),
            record: ResponseRecord {
                audience: Some(audience.into()),
                locale: "de".into(),
                submitted_at: chrono::NaiveDate::from_ymd_opt(2026, 3, 10)
                    .and_then(|d| d.and_hms_opt(9, n as u32, 0))
                    .expect("time"),
                answers: BTreeMap::from([(1, AnswerValue::Number(rating))]),
            },
        };
        let rows = vec![
            row(1, "employees", 5.0),
            row(2, "employees", 1.0),
            row(3, "employees", 3.0),
            row(4, "employees", 2.0),
            row(5, "management", 4.0),
        ];
        let none = ResultsFilter::default();
        let out = prepare(std::slice::from_ref(&q), rows.clone(), true, &none).expect("rows");
        assert!(
            out.iter()
                .all(|r| r.record.audience.is_none() && r.email.is_none()),
            "the lone manager is not named, nor by elimination the rest"
        );
        let ratings: Vec<String> = out.iter().map(|r| r.record.answers[&1].display()).collect();
        assert_eq!(
            ratings,
            ["1", "2", "3", "4", "5"],
            "sorted by answer, not by arrival"
        );
        let management = ResultsFilter {
            audience: Some("management".into()),
            ..Default::default()
        };
        assert!(prepare(std::slice::from_ref(&q), rows.clone(), true, &management).is_none());
        let named = prepare(&[q], rows, false, &management).expect("rows");
        assert_eq!(named.len(), 1);
        assert_eq!(named[0].email.as_deref(), Some("p5@firma.ch"));
    }
}
