//! What the server knows and decides, below HTTP: ingest of uploads, accounts and sign-in,
//! coordination (areas, units, teams, campaigns, targets, devices), progress and its rollup,
//! data-quality checks, the audit log, and the deployment's calendar.
//!
//! Nothing here imports `api`, `web`, `app` or `cli`; everything here reads and writes through
//! [`crate::db`].

pub mod accounts;
pub mod audit;
pub mod auth;
pub mod builtin_data;
pub mod builtin_guides;
pub mod calendar;
pub mod coordination;
pub mod coverage;
pub mod enrol;
pub mod erasure;
pub mod flags;
pub mod format;
pub mod generation;
pub mod ingest;
pub mod lockout;
pub mod open;
pub mod pace;
pub mod progress;
pub mod quality;
pub mod ratelimit;
pub mod redact;
pub mod refdata;
pub mod rollup;
pub mod setup;
pub mod tagged;
