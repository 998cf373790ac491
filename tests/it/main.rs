//! The one integration-test binary. Storage-touching tests run on SQLite and PostgreSQL.

mod common;

mod access;
mod accounts;
mod imports;
mod incidents;
mod migrations;
mod serve;
