//! Debrief: post-incident review of crisis communication.
//!
//! Layers, from the outside in: `web` (actix handlers, thin) and `cli` call service modules
//! (`accounts`, `incidents`, …), which use `domain` types, pure logic and the `db` query
//! functions. See docs/ARCHITECTURE.md.

pub mod auth;
pub mod config;
pub mod db;
pub mod domain;
pub mod i18n;
pub mod mail;
pub mod templates;
pub mod accounts;
pub mod app;
pub mod error;
pub mod incidents;
pub mod organisation;
pub mod web;
pub mod bundle;
pub mod cli;
pub mod demo;
