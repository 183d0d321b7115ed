//! Assignments as the phone stores them: reference items of kind `assignment`, each the latest
//! state merged by hybrid clock. Kept apart from the walk-list API (`assignments.rs`), which
//! queues uploads: the outbox reads queued assignments from here, so neither imports the other.

use gocua_protocol::*;
use rusqlite::{params, Connection, OptionalExtension};
use uuid::Uuid;

use crate::error::{Error, Result};

/// The `reference_items` kind of an assignment.
const KIND: &str = "assignment";

/// Queue states whose assignment a full download must keep: the server may not have it yet.
pub(crate) const KEEP_QUEUED: &str = "DELETE FROM reference_items WHERE NOT (kind = 'assignment'
     AND id IN (SELECT record_id FROM outbox WHERE kind = 'assignment' AND state IN ('pending', 'in_flight', 'rejected')))";

pub(crate) fn load(conn: &Connection, id: Uuid) -> Result<Option<Assignment>> {
    let body: Option<String> = conn
        .query_row(
            "SELECT body FROM reference_items WHERE kind = ?1 AND id = ?2",
            params![KIND, id.to_string()],
            |r| r.get(0),
        )
        .optional()?;
    Ok(body.map(|b| serde_json::from_str(&b)).transpose()?)
}

pub(crate) fn load_change(conn: &Connection, id: Uuid) -> Result<Change> {
    load(conn, id)?
        .map(Change::Assignment)
        .ok_or(Error::NotFound {
            kind: "assignment",
            id,
        })
}

/// Stores `a` merged with the state held (if any): the later state wins.
pub(crate) fn put(conn: &Connection, a: &Assignment) -> Result<()> {
    let merged = match load(conn, a.id)? {
        Some(held) if held.same_assignment(a) => held.merge(a),
        _ => a.clone(),
    };
    conn.execute(
        "INSERT INTO reference_items(kind, id, body) VALUES (?1, ?2, ?3)
         ON CONFLICT(kind, id) DO UPDATE SET body = excluded.body",
        params![KIND, merged.id.to_string(), serde_json::to_string(&merged)?],
    )?;
    Ok(())
}

pub(crate) fn all(conn: &Connection) -> Result<Vec<Assignment>> {
    let mut stmt = conn.prepare_cached("SELECT body FROM reference_items WHERE kind = ?1")?;
    let rows = stmt.query_map([KIND], |r| r.get::<_, String>(0))?;
    rows.map(|b| Ok(serde_json::from_str(&b?)?)).collect()
}

/// Stores the assignments of a download (after a full download's deletion, which kept those
/// still queued), each merged with the state held.
pub(crate) fn apply(conn: &Connection, assignments: &[Assignment]) -> Result<()> {
    for a in assignments {
        put(conn, a)?;
    }
    Ok(())
}
