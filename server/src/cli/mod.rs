//! The `gocua` command line: `serve`, `admin` and `demo`. The top layer: it may use every layer
//! below (app, domain, db); nothing imports it.

pub mod admin;
pub mod args;
pub mod config;
#[cfg(feature = "demo")]
pub mod demo;
pub mod first_run;
pub mod print;
pub mod serve;
