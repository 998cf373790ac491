//! Debrief: post-incident review of crisis communication.
//!
//! Layers, from the outside in: `web` (actix handlers, thin) and `cli` call service modules
//! (`accounts`, `incidents`, …), which use `domain` types, pure logic and the `db` query
//! functions. See docs/ARCHITECTURE.md.

pub mod accounts;
pub mod actions;
pub mod app;
pub mod auth;
pub mod bundle;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod import;
pub mod incidents;
pub mod mail;
pub mod organisation;
pub mod report;
pub mod reports;
pub mod reviews;
pub mod schedule;
pub mod scores;
pub mod scoring;
pub mod stats;
pub mod surveys;
pub mod templates;
pub mod text;
pub mod web;
