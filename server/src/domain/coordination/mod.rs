//! Coordinators' tools behind `gocua admin` (and used by `gocua demo` and the tests): importing
//! the area lists, hamlets and the service catalogue, creating units, teams, members, campaigns
//! and targets, issuing enrolment codes, listing and revoking devices, and counting progress.
//!
//! Everything here is a plain function over one transaction (`&mut dyn Sql`), so it runs the same
//! on SQLite and PostgreSQL; printing is the caller's business. Errors carry a Vietnamese and an
//! English sentence a coordinator can act on.

mod assignments;
mod campaigns;
mod counts;
mod devices;
mod error;
pub mod guides;
mod hamlets;
mod imports;
mod input;
mod organisation;
pub mod permission;
mod services;
pub mod staged;
mod target_sheet;
mod team_phones;
mod team_rows;
mod teams;
#[cfg(test)]
mod teams_tests;

pub use assignments::*;
pub use campaigns::*;
pub use counts::*;
pub use devices::*;
pub use error::*;
pub use hamlets::*;
pub use imports::*;
pub use input::*;
pub use organisation::*;
pub use services::*;
pub use target_sheet::*;
pub use team_phones::*;
pub use team_rows::*;
pub use teams::*;
