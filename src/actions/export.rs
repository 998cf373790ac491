//! Improvement actions as CSV for Jira's CSV import: summary, description, assignee e-mail, due
//! date (`yyyy-MM-dd`), priority and labels. Repeated `Labels` columns are how Jira takes
//! several labels; labels cannot contain spaces.

use super::model::{Action, Priority};

/// A cell that starts like a formula is prefixed, so opening the file in a spreadsheet cannot
/// run what someone typed.
fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

fn priority(p: Priority) -> &'static str {
    match p {
        Priority::High => "High",
        Priority::Medium => "Medium",
        Priority::Low => "Low",
    }
}

fn label(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join("_")
}

pub const HEADER: [&str; 8] = [
    "Summary",
    "Description",
    "Assignee",
    "Due Date",
    "Priority",
    "Labels",
    "Labels",
    "Labels",
];

/// `base_url`: Debrief's address, so each issue links back to its action.
pub fn to_jira_csv(actions: &[Action], base_url: &str) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(HEADER)?;
    for a in actions {
        let mut description = a.description.clone();
        let mut source = Vec::new();
        if let Some(k) = &a.incident_key {
            source.push(format!("Incident: {k}"));
        }
        if let Some(f) = &a.finding {
            source.push(format!("Finding: {f}"));
        }
        if let Some(l) = &a.external_link {
            source.push(format!("Ticket: {l}"));
        }
        source.push(format!("Debrief: {base_url}/actions/{}", a.id));
        if !description.is_empty() {
            description.push_str("\n\n");
        }
        description.push_str(&source.join("\n"));
        w.write_record([
            cell(&a.title),
            cell(&description),
            a.owner_email.clone().unwrap_or_default(),
            a.due_date.map(|d| d.to_string()).unwrap_or_default(),
            priority(a.priority).to_string(),
            "debrief".to_string(),
            label(a.category.as_str()),
            a.incident_key.as_deref().map(label).unwrap_or_default(),
        ])?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

#[cfg(test)]
mod tests {
    use super::super::model::ActionStatus;
    use super::super::model::samples::action;
    use super::*;

    #[test]
    fn a_row_per_action_with_jiras_columns() {
        let mut a = action(12, ActionStatus::Open, Some("2026-04-30"));
        a.title = "=HYPERLINK(\"x\")".into();
        a.description = "Text, with \"quotes\"\nand a line".into();
        a.incident_key = Some("INC-2026-014".into());
        a.priority = Priority::High;
        let bytes = to_jira_csv(&[a], "https://debrief.firma.ch").expect("csv");
        let mut r = csv::Reader::from_reader(bytes.as_slice());
        let header: Vec<String> = r
            .headers()
            .expect("header")
            .iter()
            .map(str::to_string)
            .collect();
        assert_eq!(header, HEADER);
        let rows: Vec<csv::StringRecord> = r.records().map(|x| x.expect("row")).collect();
        assert_eq!(rows.len(), 1);
        let row = &rows[0];
        assert_eq!(&row[0], "'=HYPERLINK(\"x\")");
        assert!(row[1].starts_with("Text, with \"quotes\"\nand a line\n\nIncident: INC-2026-014"));
        assert!(row[1].ends_with("Debrief: https://debrief.firma.ch/actions/12"));
        assert_eq!(&row[2], "anna@firma.ch");
        assert_eq!(&row[3], "2026-04-30");
        assert_eq!(&row[4], "High");
        assert_eq!(
            (&row[5], &row[6], &row[7]),
            ("debrief", "process", "INC-2026-014")
        );
    }
}
