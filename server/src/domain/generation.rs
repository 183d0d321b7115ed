//! The database's generation: a random id kept in `schema_meta` (key `generation`), written when
//! the database is first opened and again whenever it is restored from a backup
//! ([`mark_restored`]). Every push and pull answer carries it; a phone that sees it change sends
//! again every record it had acknowledged under the previous one, so records the restored copy
//! lacks come back (and those it has are answered `duplicate`). See docs/protocol.md, "Restores".

use crate::db::{DbResult, Sql};
use crate::params;

/// A new random generation id: 128 bits, in hex.
pub fn new_generation() -> String {
    format!("{:032x}", rand::random::<u128>())
}

/// The database's generation, made now if it has none yet (a database made by an older gocua).
pub fn current(sql: &mut dyn Sql) -> DbResult<String> {
    if let Some(row) = sql.query_one(
        "SELECT value FROM schema_meta WHERE key = 'generation'",
        &[],
    )? {
        return Ok(row.text(0));
    }
    // Two processes opening one PostgreSQL at once: the first insert wins, both read it.
    sql.exec(
        "INSERT INTO schema_meta(key, value) VALUES ('generation', ?) ON CONFLICT(key) DO NOTHING",
        params![new_generation()],
    )?;
    Ok(sql
        .query_one(
            "SELECT value FROM schema_meta WHERE key = 'generation'",
            &[],
        )?
        .map(|r| r.text(0))
        .unwrap_or_default())
}

/// What a restored database must forget: it gets a new generation (so phones send again what
/// they sent after the backup was taken), and the state of the processes that served the copy
/// (dashboard sessions, export jobs) is dropped — its files are not part of the backup, and a
/// browser signed in before the backup must sign in again. Returns the new generation.
pub fn mark_restored(sql: &mut dyn Sql) -> DbResult<String> {
    let generation = new_generation();
    sql.exec(
        "INSERT INTO schema_meta(key, value) VALUES ('generation', ?)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![generation.clone()],
    )?;
    sql.exec("DELETE FROM web_sessions", &[])?;
    sql.exec("DELETE FROM export_jobs", &[])?;
    Ok(generation)
}
