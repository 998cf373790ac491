//! The one integration-test binary. Storage-touching tests run on SQLite and PostgreSQL.

mod common;

mod access;
mod accounts;
mod actions;
mod analyze_cli;
mod api_conformance;
mod browser_import;
mod browser_scores;
mod browser_survey;
mod browser_tour;
mod faults;
mod fuzz_regressions;
mod hardening;
mod import_entry_points;
mod imports;
mod imports_e2e;
mod incidents;
mod migrations;
mod readability_reference;
mod real_data_scores;
mod report_cli;
mod report_pages;
mod report_pdf;
mod report_svg;
mod review_workflow;
mod reviews;
mod scale_out;
mod scores;
mod scoring_golden;
mod sentiment_accuracy;
mod serve;
mod survey_admin;
mod survey_results;
mod surveys;
mod xss;
