//! Counts of what the server holds, for summaries.

use super::error::AdminResult;
use crate::db::Sql;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ServerCounts {
    pub households: u64,
    pub visits: u64,
    pub assists: u64,
    pub sessions: u64,
    pub feedback: u64,
    pub devices: u64,
    pub flags: u64,
}

pub fn server_counts(sql: &mut dyn Sql) -> AdminResult<ServerCounts> {
    let mut count = |table: &str| -> AdminResult<u64> {
        Ok(sql
            .query_one(&format!("SELECT count(*) FROM {table}"), &[])?
            .map_or(0, |r| r.int(0) as u64))
    };
    Ok(ServerCounts {
        households: count("households")?,
        visits: count("visits")?,
        assists: count("assists")?,
        sessions: count("sessions")?,
        feedback: count("feedback")?,
        devices: count("devices")?,
        flags: count("flags")?,
    })
}
