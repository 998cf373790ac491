//! The tables of the incident report: per audience, message by message, and the improvement
//! actions.

use super::labels::Texts;
use super::model::{
    FindingSeverity, ImprovementAction, IncidentReport, QuestionType, SurveyResults,
};
use super::pdf::table::{Cell, Column, Table};
use super::style::{ALERT, severity_colour};

fn score_text(texts: &Texts, score: Option<f64>) -> String {
    score.map_or_else(|| "–".to_string(), |s| texts.number(s, 0))
}

pub fn audience_table(report: &IncidentReport, texts: &Texts) -> Table {
    Table {
        columns: vec![
            Column::new(texts.audience, 3.0),
            Column::right(texts.first_message, 1.6),
            Column::right(texts.target, 1.2),
            Column::right(texts.timeliness, 1.4),
            Column::right(texts.clarity, 1.4),
            Column::right(texts.perceived, 1.4),
        ],
        rows: report
            .audiences
            .iter()
            .map(|a| {
                let late = match (a.first_message_minutes, a.first_message_target_minutes) {
                    (Some(m), Some(t)) => m > t,
                    (None, _) => true,
                    _ => false,
                };
                let first = a
                    .first_message_minutes
                    .map_or_else(|| texts.no_message.to_string(), |m| texts.duration(m));
                vec![
                    Cell::bold(&a.name),
                    if late {
                        Cell::chip(first, ALERT)
                    } else {
                        Cell::new(first)
                    },
                    Cell::new(
                        a.first_message_target_minutes
                            .map_or_else(|| "–".into(), |t| texts.duration(t)),
                    ),
                    Cell::new(score_text(texts, a.scores.timeliness)),
                    Cell::new(score_text(texts, a.scores.clarity)),
                    Cell::new(score_text(texts, a.scores.perceived)),
                ]
            })
            .collect(),
    }
}

pub fn message_table(report: &IncidentReport, texts: &Texts) -> Table {
    Table {
        columns: vec![
            Column::new(texts.sent, 1.0),
            Column::new(texts.audience, 1.8),
            Column::new(texts.channel, 1.4),
            Column::new(texts.message_kind, 1.4),
            Column::right(texts.score, 0.9),
            Column::new(texts.findings, 5.0),
        ],
        rows: report
            .messages
            .iter()
            .map(|m| {
                let worst = m.findings.iter().map(|f| f.0).min_by_key(|s| match s {
                    FindingSeverity::Red => 0,
                    FindingSeverity::Amber => 1,
                    FindingSeverity::Info => 2,
                    FindingSeverity::Good => 3,
                });
                let findings = m
                    .findings
                    .iter()
                    .map(|(_, text)| format!("• {text}"))
                    .collect::<Vec<_>>()
                    .join("\n");
                vec![
                    Cell::new(&m.sent),
                    Cell::new(&m.audiences),
                    Cell::new(&m.channel),
                    Cell::new(texts.message_kind(m.kind)),
                    Cell::new(score_text(texts, m.clarity)),
                    match worst {
                        Some(severity) => Cell::chip(findings, severity_colour(severity)),
                        None => Cell::new(findings),
                    },
                ]
            })
            .collect(),
    }
}

pub fn action_table(actions: &[ImprovementAction], texts: &Texts) -> Table {
    Table {
        columns: vec![
            Column::new(texts.action, 4.2),
            Column::new(texts.owner, 1.8),
            Column::new(texts.due, 1.3),
            Column::new(texts.priority, 1.1),
            Column::new(texts.status, 1.4),
            Column::new(texts.category, 1.8),
        ],
        rows: actions
            .iter()
            .map(|a| {
                let status = texts.action_status(a.status);
                vec![
                    Cell::new(&a.title),
                    Cell::new(&a.owner),
                    if a.overdue {
                        Cell::chip(format!("{} ({})", a.due, texts.overdue), ALERT)
                    } else {
                        Cell::new(&a.due)
                    },
                    Cell::new(texts.priority(a.priority)),
                    Cell::new(status),
                    Cell::new(&a.category),
                ]
            })
            .collect(),
    }
}

/// Questions the stacked bars leave out: multiple choice (counts per option) and free text
/// (how many answered); `None` when there are none.
pub fn other_questions_table(
    report: &IncidentReport,
    survey: &SurveyResults,
    texts: &Texts,
) -> Option<Table> {
    let rows: Vec<Vec<Cell>> = survey
        .questions
        .iter()
        .filter(|q| {
            matches!(
                q.kind,
                QuestionType::MultipleChoice | QuestionType::FreeText
            )
        })
        .flat_map(|question| {
            let answers: Vec<(String, String)> = if question.per_audience.is_empty() {
                vec![("–".to_string(), "–".to_string())]
            } else {
                question
                    .per_audience
                    .iter()
                    .map(|d| {
                        let detail = match question.kind {
                            QuestionType::MultipleChoice => question
                                .options
                                .iter()
                                .zip(&d.counts)
                                .map(|(option, count)| format!("{option}: {count}"))
                                .collect::<Vec<_>>()
                                .join(" · "),
                            _ => format!("n = {}", d.n),
                        };
                        (report.audience_name(&d.audience).to_string(), detail)
                    })
                    .collect()
            };
            answers
                .into_iter()
                .enumerate()
                .map(move |(i, (audience, detail))| {
                    let text = if i == 0 {
                        question.text.clone()
                    } else {
                        String::new()
                    };
                    vec![Cell::new(text), Cell::new(audience), Cell::new(detail)]
                })
        })
        .collect();
    (!rows.is_empty()).then(|| Table {
        columns: vec![
            Column::new(texts.question, 3.0),
            Column::new(texts.audience, 2.0),
            Column::new(texts.answers, 4.0),
        ],
        rows,
    })
}
