//! A respondent's submission checked against the survey's questions.

use std::collections::BTreeMap;

use super::model::{AnswerValue, Question, QuestionType};
use crate::domain::validation::FieldErrors;

/// Free text is feedback, not an essay; longer input is refused rather than cut silently.
pub const MAX_TEXT_CHARS: usize = 5000;

/// The form field of a question: `q<id>`.
pub fn field_name(question: &Question) -> String {
    format!("q{}", question.id)
}

/// Reads the answers from form pairs (`q12=4`, repeated `q13=a&q13=b` for several choices).
/// Unanswered optional questions are left out; every problem is named by its question's field.
pub fn parse(
    questions: &[Question],
    pairs: &[(String, String)],
) -> Result<BTreeMap<i64, AnswerValue>, FieldErrors> {
    let mut errors = FieldErrors::default();
    let mut answers = BTreeMap::new();
    for q in questions {
        let field = field_name(q);
        let values: Vec<&str> = pairs
            .iter()
            .filter(|(k, _)| *k == field)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
            .collect();
        if values.is_empty() {
            if q.required {
                errors.add(&field, "please answer this question");
            }
            continue;
        }
        match answer(q, &values) {
            Ok(a) => {
                answers.insert(q.id, a);
            }
            Err(message) => errors.add(&field, message),
        }
    }
    errors.into_result(answers)
}

fn answer(q: &Question, values: &[&str]) -> Result<AnswerValue, &'static str> {
    let single = || match values {
        [one] => Ok(*one),
        _ => Err("choose one answer"),
    };
    let allowed = |v: &str| q.choices().iter().any(|c| c.value == v);
    match q.qtype {
        QuestionType::Rating5 | QuestionType::Scale10 => {
            let v = single()?;
            let (lo, hi) = if q.qtype == QuestionType::Rating5 {
                (1, 5)
            } else {
                (0, 10)
            };
            match v.parse::<i32>() {
                Ok(n) if (lo..=hi).contains(&n) => Ok(AnswerValue::Number(f64::from(n))),
                _ => Err("choose one of the points of the scale"),
            }
        }
        QuestionType::Single | QuestionType::YesPartlyNo => {
            let v = single()?;
            if allowed(v) {
                Ok(AnswerValue::Choice(v.to_string()))
            } else {
                Err("choose one of the answers shown")
            }
        }
        QuestionType::Multiple => {
            let mut chosen: Vec<String> = Vec::new();
            for v in values {
                if !allowed(v) {
                    return Err("choose among the answers shown");
                }
                if !chosen.iter().any(|c| c == v) {
                    chosen.push(v.to_string());
                }
            }
            // Stored in the question's order, so the same choice reads the same in every export.
            let order: Vec<String> = q.choices().into_iter().map(|c| c.value).collect();
            chosen.sort_by_key(|c| order.iter().position(|o| o == c));
            Ok(AnswerValue::Choices(chosen))
        }
        QuestionType::Text => {
            let text = values.join("\n");
            if text.chars().count() > MAX_TEXT_CHARS {
                Err("is longer than 5000 characters")
            } else {
                Ok(AnswerValue::Text(text))
            }
        }
    }
}

/// The stored columns of an answer: (number, text, choices as JSON).
pub fn to_columns(a: &AnswerValue) -> (Option<f64>, Option<String>, Option<String>) {
    match a {
        AnswerValue::Number(n) => (Some(*n), None, None),
        AnswerValue::Choice(c) => (None, Some(c.clone()), None),
        AnswerValue::Text(t) => (None, Some(t.clone()), None),
        AnswerValue::Choices(list) => (
            None,
            None,
            Some(serde_json::to_string(list).unwrap_or_else(|_| "[]".into())),
        ),
    }
}

/// An answer from its stored columns, read as the question's type says.
pub fn from_columns(
    qtype: QuestionType,
    number: Option<f64>,
    text: Option<String>,
    choices: Option<String>,
) -> Option<AnswerValue> {
    match qtype {
        QuestionType::Rating5 | QuestionType::Scale10 => number.map(AnswerValue::Number),
        QuestionType::Single | QuestionType::YesPartlyNo => text.map(AnswerValue::Choice),
        QuestionType::Text => text.map(AnswerValue::Text),
        QuestionType::Multiple => choices
            .and_then(|c| serde_json::from_str::<Vec<String>>(&c).ok())
            .map(AnswerValue::Choices),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::surveys::model::Choice;

    fn question(id: i64, qtype: QuestionType, required: bool) -> Question {
        Question {
            id,
            survey_id: 1,
            position: id as i32,
            qtype,
            code: None,
            required,
            text_en: "Q".into(),
            text_de: "F".into(),
            options: vec![
                Choice::new("a", "A", "A"),
                Choice::new("b", "B", "B"),
                Choice::new("c", "C", "C"),
            ],
        }
    }

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn every_type_reads_its_values() {
        let qs = vec![
            question(1, QuestionType::Rating5, true),
            question(2, QuestionType::Scale10, false),
            question(3, QuestionType::Single, true),
            question(4, QuestionType::Multiple, false),
            question(5, QuestionType::YesPartlyNo, true),
            question(6, QuestionType::Text, false),
        ];
        let got = parse(
            &qs,
            &pairs(&[
                ("q1", "4"),
                ("q2", "0"),
                ("q3", "b"),
                ("q4", "c"),
                ("q4", "a"),
                ("q4", "c"),
                ("q5", "partly"),
                ("q6", "  Mehr SMS bitte  "),
            ]),
        )
        .expect("valid");
        assert_eq!(got[&1], AnswerValue::Number(4.0));
        assert_eq!(got[&2], AnswerValue::Number(0.0));
        assert_eq!(got[&3], AnswerValue::Choice("b".into()));
        assert_eq!(got[&4], AnswerValue::Choices(vec!["a".into(), "c".into()]));
        assert_eq!(got[&5], AnswerValue::Choice("partly".into()));
        assert_eq!(got[&6], AnswerValue::Text("Mehr SMS bitte".into()));
        for (id, a) in &got {
            let (n, t, c) = to_columns(a);
            let qtype = qs
                .iter()
                .find(|q| q.id == *id)
                .map(|q| q.qtype)
                .expect("question");
            assert_eq!(from_columns(qtype, n, t, c).as_ref(), Some(a));
        }
    }

    #[test]
    fn problems_are_named_per_question() {
        let qs = vec![
            question(1, QuestionType::Rating5, true),
            question(2, QuestionType::Single, true),
            question(3, QuestionType::Multiple, false),
            question(4, QuestionType::Text, false),
            question(5, QuestionType::YesPartlyNo, true),
        ];
        let long = "x".repeat(MAX_TEXT_CHARS + 1);
        let e = parse(
            &qs,
            &pairs(&[
                ("q1", "6"),
                ("q2", "a"),
                ("q2", "b"),
                ("q3", "zzz"),
                ("q4", &long),
            ]),
        )
        .expect_err("invalid");
        for f in ["q1", "q2", "q3", "q4", "q5"] {
            assert!(e.get(f).is_some(), "{f}: {e}");
        }
        assert_eq!(e.get("q5"), Some("please answer this question"));
        // An optional question left empty is simply not answered.
        let ok = parse(&qs[..1], &pairs(&[("q1", "1"), ("q9", "ignored")])).expect("valid");
        assert_eq!(ok.len(), 1);
    }
}
