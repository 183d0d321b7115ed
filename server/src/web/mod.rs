//! The coordinators' dashboard, served by `gocua serve` at `/`: server-rendered pages (maud),
//! charts as inline SVG, no JavaScript. Vietnamese by default, English by cookie.
//!
//! Every page runs as a signed-in [`session::User`]; every id from a URL or form is checked
//! against the user's unit subtree ([`scope`]); every change is written to the audit log.

pub mod chart;
pub mod cookies;
pub mod data;
pub mod error;
pub mod error_page;
pub mod export;
pub mod extract;
pub mod guide_html;
pub mod i18n;
pub mod jobs;
pub mod layout;
pub mod notes;
pub mod pages;
pub mod routes;
pub mod scope;
pub mod session;
pub mod state;
pub mod text;
