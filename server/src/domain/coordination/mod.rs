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

/// The stored body (JSON) of row `id` of `table` (campaigns, assignments); when there is none,
/// the refusal names it as `what` ("kế hoạch", "campaign").
fn load_body<T: serde::de::DeserializeOwned>(
    sql: &mut dyn crate::db::Sql,
    table: &str,
    id: uuid::Uuid,
    (what_vi, what_en): (&str, &str),
) -> AdminResult<T> {
    let row = sql.query_one(
        &format!("SELECT body FROM {table} WHERE id = ?"),
        crate::params![id],
    )?;
    match row {
        Some(r) => Ok(r.json(0)?),
        None => Err(AdminError::not_found(
            format!("Không có {what_vi} mã {id}."),
            format!("No {what_en} with id {id}."),
        )),
    }
}
