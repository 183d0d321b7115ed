//! The Gõ Cửa server: takes phones' uploads, serves their reference data and the coordinators'
//! dashboard. SQLite embedded by default, PostgreSQL at scale.
//!
//! Layers, each importing only those below it (docs/architecture.md):
//! `cli` → [`app`] → [`api`] (phones) and [`web`] (dashboard) → [`domain`] → [`db`] → protocol.

pub mod api;
pub mod app;
pub mod cli;
pub mod db;
pub mod domain;
pub mod web;
