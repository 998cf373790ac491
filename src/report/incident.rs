//! The incident report: the PDF management reads, section by section, verdicts first.

use super::ReportError;
use super::charts::ReportChart;
use super::incident_charts::IncidentChart;
use super::labels::{Dimension, Texts, texts};
use super::layout::{self, ScoreTile};
use super::model::{
    ActionStatus, FindingSeverity, ImprovementAction, IncidentReport, Priority, ReportFinding,
};
use super::pdf::compose::TextStyle;
use super::pdf::fonts::{FontSet, fonts};
use super::pdf::table::{Cell, Column, Table};
use super::pdf::{Composer, DocumentInfo, LaidOut};
use super::style::{ALERT, MUTED, severity_colour};
use super::tables::{action_table, audience_table, message_table, other_questions_table};

pub fn render_incident_pdf(report: &IncidentReport) -> Result<Vec<u8>, ReportError> {
    lay_out_incident(report)?.to_pdf()
}

/// The incident report laid out on pages, before it becomes a PDF.
pub fn lay_out_incident(report: &IncidentReport) -> Result<LaidOut, ReportError> {
    let fonts = fonts()?;
    let mut sections = Sections {
        doc: Composer::new(fonts),
        report,
        texts: texts(report.lang),
        fonts,
        charts: IncidentChart::all(report),
    };
    sections.cover();
    sections.executive_summary();
    sections.facts();
    sections.timeliness()?;
    sections.clarity()?;
    sections.perception()?;
    sections.review();
    sections.actions()?;
    sections.appendix();
    Ok(sections.finish())
}

struct Sections<'a> {
    doc: Composer,
    report: &'a IncidentReport,
    texts: &'static Texts,
    fonts: &'static FontSet,
    charts: Vec<IncidentChart>,
}

impl Sections<'_> {
    /// The chart with this id, with its title and caption, if the report has data for it.
    fn chart(&mut self, id: &str) -> Result<(), ReportError> {
        let (texts, fonts) = (self.texts, self.fonts);
        if let Some(chart) = self.charts.iter().find(|c| c.id() == id) {
            layout::chart_block(
                &mut self.doc,
                chart.title(texts),
                chart.caption(texts).as_deref(),
                chart.size(),
                |area| chart.draw(area, texts, fonts),
            )?;
        }
        Ok(())
    }

    fn cover(&mut self) {
        let (report, texts) = (self.report, self.texts);
        let facts = &report.facts;
        layout::cover(
            &mut self.doc,
            texts,
            &layout::CoverText {
                kicker: texts.incident_report,
                title: &facts.title,
                lines: vec![
                    format!(
                        "{} · {} · {}",
                        facts.key,
                        texts.kind(&facts.kind),
                        texts.severity(&facts.severity)
                    ),
                    format!("{}: {}", texts.detected, facts.detected),
                ],
                organisation: &report.organisation,
                generated: &report.generated_at,
                confidentiality: &report.confidentiality,
            },
        );
    }

    fn executive_summary(&mut self) {
        let (report, texts) = (self.report, self.texts);
        let doc = &mut self.doc;
        doc.new_page();
        doc.heading(1, texts.executive_summary);
        let scores = report.scores;
        let tile = |label, dimension, score| ScoreTile {
            label,
            dimension,
            score,
        };
        layout::score_tiles(
            doc,
            texts,
            &[
                tile(texts.overall, Dimension::Overall, scores.overall),
                tile(texts.timeliness, Dimension::Timeliness, scores.timeliness),
                tile(texts.clarity, Dimension::Clarity, scores.clarity),
                tile(texts.perceived, Dimension::Perceived, scores.perceived),
            ],
        );
        if !report.facts.summary.is_empty() {
            doc.rich_text(&report.facts.summary, TextStyle::BODY.sized(10.0));
        }
        doc.heading(2, texts.top_findings);
        let findings = top_findings(&report.findings, 5);
        if findings.is_empty() {
            doc.paragraph(texts.no_findings, TextStyle::BODY);
        }
        for finding in findings {
            let context: Vec<&str> = [
                finding.audience.as_deref().map(|a| report.audience_name(a)),
                finding.message.as_deref(),
            ]
            .into_iter()
            .flatten()
            .collect();
            layout::flagged_item(
                doc,
                severity_colour(finding.severity),
                texts.finding_severity(finding.severity),
                &finding.text,
                &context.join(" · "),
            );
        }
        doc.heading(2, texts.top_actions);
        let actions = top_actions(&report.actions, 5);
        if actions.is_empty() {
            doc.paragraph(texts.no_actions, TextStyle::BODY);
        }
        for action in actions {
            let mut context = format!(
                "{} · {} {} · {}",
                action.owner,
                texts.due,
                action.due,
                texts.action_status(action.status)
            );
            if action.overdue {
                context.push_str(&format!(" · {}", texts.overdue));
            }
            let colour = if action.overdue { ALERT } else { MUTED };
            layout::flagged_item(
                doc,
                colour,
                texts.priority(action.priority),
                &action.title,
                &context,
            );
        }
    }

    fn facts(&mut self) {
        let (report, texts) = (self.report, self.texts);
        let facts = &report.facts;
        self.doc.heading(1, texts.facts);
        let mut rows = vec![
            (texts.key.to_string(), facts.key.clone()),
            (texts.title.to_string(), facts.title.clone()),
            (texts.kind.to_string(), texts.kind(&facts.kind)),
            (texts.severity.to_string(), texts.severity(&facts.severity)),
            (
                texts.status.to_string(),
                texts.incident_status(&facts.status),
            ),
        ];
        if let Some(started) = &facts.started {
            rows.push((texts.started.to_string(), started.clone()));
        }
        rows.push((texts.detected.to_string(), facts.detected.clone()));
        if let Some(resolved) = &facts.resolved {
            rows.push((texts.resolved.to_string(), resolved.clone()));
        }
        rows.push((
            texts.affected_services.to_string(),
            facts.affected_services.join(", "),
        ));
        let audiences: Vec<&str> = report.audiences.iter().map(|a| a.name.as_str()).collect();
        rows.push((texts.audiences.to_string(), audiences.join(", ")));
        self.doc.key_values(&rows);
    }

    fn timeliness(&mut self) -> Result<(), ReportError> {
        self.doc.heading(1, self.texts.timeliness);
        self.chart("timeline")?;
        self.chart("first-message")?;
        self.doc.heading(2, self.texts.per_audience);
        self.doc.table(&audience_table(self.report, self.texts));
        self.chart("update-gaps")
    }

    fn clarity(&mut self) -> Result<(), ReportError> {
        self.doc.heading(1, self.texts.clarity);
        self.chart("clarity")?;
        if self.report.messages.is_empty() {
            self.doc.paragraph(self.texts.no_messages, TextStyle::BODY);
        } else {
            self.doc.heading(2, self.texts.message_findings);
            self.doc.table(&message_table(self.report, self.texts));
        }
        Ok(())
    }

    fn perception(&mut self) -> Result<(), ReportError> {
        let (report, texts) = (self.report, self.texts);
        self.doc.heading(1, texts.perception);
        if report.survey.is_none() {
            self.doc.paragraph(texts.no_survey, TextStyle::BODY);
        }
        self.chart("response-rates")?;
        self.chart("survey")?;
        if let Some(table) = report
            .survey
            .as_ref()
            .and_then(|survey| other_questions_table(report, survey, texts))
        {
            self.doc.heading(2, texts.other_questions);
            self.doc.table(&table);
        }
        self.chart("measured-perceived")?;
        self.chart("survey-sentiment")?;
        if let Some(survey) = &report.survey {
            let s = survey.sentiment;
            let counts = format!(
                "{}: {} {} · {} {} · {} {}",
                texts.sentiment_title,
                s.positive,
                texts.positive,
                s.neutral,
                texts.neutral,
                s.negative,
                texts.negative
            );
            self.doc.paragraph(&counts, TextStyle::SMALL);
        }
        self.chart("mentions-sentiment")
    }

    fn review(&mut self) {
        if self.report.review_sections.is_empty() {
            return;
        }
        self.doc.heading(1, self.texts.review);
        for section in &self.report.review_sections {
            self.doc.heading(2, &section.title);
            self.doc.rich_text(&section.text, TextStyle::BODY);
        }
    }

    fn actions(&mut self) -> Result<(), ReportError> {
        self.doc.heading(1, self.texts.actions);
        if self.report.actions.is_empty() {
            self.doc.paragraph(self.texts.no_actions, TextStyle::BODY);
            return Ok(());
        }
        self.chart("action-status")?;
        self.doc
            .table(&action_table(&self.report.actions, self.texts));
        Ok(())
    }

    fn appendix(&mut self) {
        let (report, texts) = (self.report, self.texts);
        let doc = &mut self.doc;
        doc.heading(1, texts.appendix);
        for paragraph in texts.method_text {
            doc.paragraph(paragraph, TextStyle::BODY);
        }
        doc.paragraph(
            &format!("{}: {}", texts.rubric_version, report.method.rubric_version),
            TextStyle::STRONG,
        );
        if report.method.weights.is_empty() {
            return;
        }
        doc.heading(2, texts.weights);
        doc.table(&Table {
            columns: vec![
                Column::new(texts.group, 2.0),
                Column::new(texts.criterion, 4.0),
                Column::right(texts.weight, 1.0),
            ],
            rows: report
                .method
                .weights
                .iter()
                .map(|w| {
                    vec![
                        Cell::new(&w.group),
                        Cell::new(&w.name),
                        Cell::new(
                            texts.number(w.weight, if w.weight.fract() == 0.0 { 0 } else { 2 }),
                        ),
                    ]
                })
                .collect(),
        });
    }

    fn finish(self) -> LaidOut {
        let (report, texts, fonts) = (self.report, self.texts, self.fonts);
        let facts = &report.facts;
        let subject = format!("{} · {}", facts.key, facts.title);
        let running = layout::RunningHeader {
            subject: &subject,
            confidentiality: &report.confidentiality,
            organisation: &report.organisation,
        };
        let (pages, outline) = self.doc.finish(|page, index, total| {
            layout::decorate(fonts, texts, &running, page, index, total);
        });
        LaidOut {
            pages,
            outline,
            info: DocumentInfo {
                title: format!("{} – {}", facts.key, facts.title),
                author: report.organisation.clone(),
                subject: format!("{} {}", texts.incident_report, facts.key),
                keywords: vec![
                    facts.key.clone(),
                    facts.kind.clone(),
                    facts.severity.clone(),
                ],
                lang: report.lang.code().to_string(),
                created_unix: report.generated_utc.and_utc().timestamp(),
            },
        }
    }
}

/// Findings for the summary: red before amber before the rest, costliest first.
fn top_findings(findings: &[ReportFinding], count: usize) -> Vec<&ReportFinding> {
    let rank = |s: FindingSeverity| match s {
        FindingSeverity::Red => 0,
        FindingSeverity::Amber => 1,
        FindingSeverity::Info => 2,
        FindingSeverity::Good => 3,
    };
    let mut sorted: Vec<&ReportFinding> = findings.iter().collect();
    sorted.sort_by(|a, b| {
        rank(a.severity)
            .cmp(&rank(b.severity))
            .then(b.impact.total_cmp(&a.impact))
    });
    sorted.truncate(count);
    sorted
}

/// Actions for the summary: unfinished ones by priority, overdue first.
fn top_actions(actions: &[ImprovementAction], count: usize) -> Vec<&ImprovementAction> {
    let finished =
        |a: &ImprovementAction| matches!(a.status, ActionStatus::Done | ActionStatus::WontDo);
    let priority = |p: Priority| match p {
        Priority::High => 0,
        Priority::Medium => 1,
        Priority::Low => 2,
    };
    let mut sorted: Vec<&ImprovementAction> = actions.iter().filter(|a| !finished(a)).collect();
    sorted.sort_by_key(|a| (priority(a.priority), !a.overdue));
    sorted.truncate(count);
    sorted
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::model::Lang;
    use crate::report::sample::sample_incident_report;

    #[test]
    fn the_summary_leads_with_the_costliest_red_findings() {
        let report = sample_incident_report(Lang::En);
        let top = top_findings(&report.findings, 5);
        assert_eq!(top.len(), 5);
        let severities: Vec<FindingSeverity> = top.iter().map(|f| f.severity).collect();
        assert_eq!(severities[..3], [FindingSeverity::Red; 3]);
        assert!(
            top.windows(2)
                .all(|w| w[0].severity != w[1].severity || w[0].impact >= w[1].impact)
        );
        assert!(
            top[0].text.starts_with("Management first heard"),
            "{}",
            top[0].text
        );
    }

    #[test]
    fn the_summary_lists_only_unfinished_actions_high_priority_and_overdue_first() {
        let report = sample_incident_report(Lang::En);
        let top = top_actions(&report.actions, 5);
        assert_eq!(top.len(), 4, "done and won't-do actions are left out");
        assert!(top[0].overdue && top[0].priority == Priority::High);
        assert!(
            top.iter()
                .all(|a| !matches!(a.status, ActionStatus::Done | ActionStatus::WontDo))
        );
    }
}
