//! Erasure on request: a person asked that their personal data be deleted. The household keeps
//! only what is anonymous (area, member count, that it was visited); everything personal that the
//! server keeps about it is blanked in the same transaction, on both backends:
//!
//! - the household and every stored version of it (name, address, phone, consent);
//! - its visits: notes, GPS fixes and dossier codes (in the visit's body and in `assists`);
//! - the free text of feedback given during its visits;
//! - data-quality flags about it (resolved as `erased`), and the dossier codes quoted by flags on
//!   its visits (resolved too: the code they question is gone);
//! - the `erasures` counter moves, so export files made before are never served again
//!   (`web::jobs` checks it).
//!
//! A phone erases by uploading the household marked erased (`ingest`); a coordinator erases from
//! the dashboard or with `gocua admin erase-household` ([`erase_household`]). Every path ends in
//! [`erase_everywhere`]. Records arriving later for an erased household are blanked on arrival
//! ([`blank_visit`], [`blank_incoming_feedback`]).

use chrono::{DateTime, Utc};
use gocua_protocol::{Feedback, FeedbackSource, Household, Visit};
use serde::Serialize;
use uuid::Uuid;

use crate::db::{DbError, DbResult, Sql};
use crate::domain::flags::FlagNote;
use crate::domain::tagged::Tagged;
use crate::params;

/// Name of the counter (`counters` table) that moves with every erasure.
pub const ERASURES_COUNTER: &str = "erasures";

/// What an erasure blanked, for the audit log and the coordinator's confirmation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Erased {
    pub visits: u64,
    pub feedback: u64,
    pub flags: u64,
}

/// Outcome of a coordinator's erasure of one household.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Erasure {
    Done {
        team_id: Uuid,
        erased: Erased,
    },
    /// The household was erased before: nothing personal was left to blank (the blanking ran
    /// again anyway, so anything that arrived meanwhile is gone too).
    AlreadyErased {
        team_id: Uuid,
        erased: Erased,
    },
}

impl Erasure {
    pub fn team_id(&self) -> Uuid {
        match self {
            Erasure::Done { team_id, .. } | Erasure::AlreadyErased { team_id, .. } => *team_id,
        }
    }
}

fn json<T: Serialize>(record: &T) -> DbResult<String> {
    serde_json::to_string(record).map_err(|e| DbError::Corrupt(e.to_string()))
}

/// How many erasures this database has seen (0 before the first).
pub fn erasure_count(sql: &mut dyn Sql) -> DbResult<i64> {
    Ok(sql
        .query_one(
            "SELECT value FROM counters WHERE name = ?",
            params![ERASURES_COUNTER],
        )?
        .map_or(0, |r| r.int(0)))
}

/// The team of household `id`, and whether it is erased; `None` when there is no such household.
pub fn household_team(sql: &mut dyn Sql, id: Uuid) -> DbResult<Option<(Uuid, bool)>> {
    sql.query_one(
        "SELECT team_id, erased FROM households WHERE id = ?",
        params![id],
    )?
    .map(|r| Ok((r.uuid(0)?, r.int(1) != 0)))
    .transpose()
}

/// Erases household `id` at a coordinator's request (dashboard or command line), as if its
/// team's phone had: the household is marked erased for good (a phone's later edits merge into
/// the erased household and stay blank) and [`erase_everywhere`] runs. `None` when there is no
/// such household. Scope and role are the caller's to check, before.
pub fn erase_household(
    sql: &mut dyn Sql,
    id: Uuid,
    now: DateTime<Utc>,
) -> DbResult<Option<Erasure>> {
    // Lock the row (a no-op UPDATE … RETURNING locks on PostgreSQL; SQLite has one writer), so a
    // phone's merge of the same household waits for this transaction.
    let Some(row) = sql.query_one(
        "UPDATE households SET id = id WHERE id = ? RETURNING team_id, body",
        params![id],
    )?
    else {
        return Ok(None);
    };
    let team_id = row.uuid(0)?;
    let mut h: Household = row.json(1)?;
    let was_erased = h.erased;
    h.erased = true;
    h.blank_personal_data();
    // A stamp after every stamp the household carries, so the erasure also orders last.
    let last = h.clocks.max();
    h.clocks.erased = gocua_protocol::Hlc::tick(last, now.timestamp_millis(), last.node);
    sql.exec(
        "UPDATE households SET dup_key = '', erased = 1, body = ?, updated_at = ? WHERE id = ?",
        params![json(&h)?, now, id],
    )?;
    let erased = erase_everywhere(sql, &h, now)?;
    Ok(Some(if was_erased {
        Erasure::AlreadyErased { team_id, erased }
    } else {
        Erasure::Done { team_id, erased }
    }))
}

/// Honours a person's erasure request in every copy the server keeps, once the household row
/// itself holds `erased` (blank, marked erased). Runs in the caller's transaction.
pub fn erase_everywhere(
    sql: &mut dyn Sql,
    erased: &Household,
    now: DateTime<Utc>,
) -> DbResult<Erased> {
    let mut out = Erased::default();
    let body = json(erased)?;
    sql.exec(
        "UPDATE household_versions SET body = ? WHERE household_id = ?",
        params![body.as_str(), erased.id],
    )?;
    let visits = sql.query(
        "SELECT id, body FROM visits WHERE household_id = ?",
        params![erased.id],
    )?;
    for row in visits {
        let mut v: Visit = row.json(1)?;
        if blank_visit(&mut v) {
            sql.exec(
                "UPDATE visits SET body = ? WHERE id = ?",
                params![json(&v)?, v.id],
            )?;
            out.visits += 1;
        }
        sql.exec(
            "UPDATE assists SET dossier_code = NULL WHERE visit_id = ? AND dossier_code IS NOT NULL",
            params![v.id],
        )?;
        out.feedback += blank_feedback_of_visit(sql, v.id)?;
        out.flags += scrub_visit_flags(sql, v.id, now)?;
    }
    out.flags += sql.exec(
        "UPDATE flags SET resolved_at = ?, resolution = 'erased' WHERE (record_id = ? OR other_id = ?) AND resolved_at IS NULL",
        params![now, erased.id, erased.id],
    )?;
    sql.next_seq(ERASURES_COUNTER)?;
    Ok(out)
}

/// Blanks what is personal in a visit to an erased household: the note, the GPS fix and the
/// dossier codes (a code finds the person's application on the public-service portal). True when
/// anything changed.
pub fn blank_visit(v: &mut Visit) -> bool {
    let mut changed = v.note.take().is_some() | v.gps.take().is_some();
    for a in &mut v.assists {
        changed |= a.dossier_code.take().is_some();
    }
    changed
}

/// Feedback given during visit `visit_id`: its free text blanked. Returns how many changed.
fn blank_feedback_of_visit(sql: &mut dyn Sql, visit_id: Uuid) -> DbResult<u64> {
    // The source is inside the JSON body; the LIKE narrows, the parsed body decides.
    let rows = sql.query(
        "SELECT id, body FROM feedback WHERE body LIKE ?",
        params![format!("%{visit_id}%")],
    )?;
    let mut n = 0;
    for row in rows {
        let mut f: Feedback = row.json(1)?;
        if f.source == FeedbackSource::Visit(visit_id) && !f.text.is_empty() {
            f.text.clear();
            sql.exec(
                "UPDATE feedback SET body = ? WHERE id = ?",
                params![json(&f)?, f.id],
            )?;
            n += 1;
        }
    }
    Ok(n)
}

/// Flags on a visit of an erased household that quote a dossier code lose the code and are
/// resolved as `erased` (flags written before schema 3 keep their sentence in `detail`: emptied).
fn scrub_visit_flags(sql: &mut dyn Sql, visit_id: Uuid, now: DateTime<Utc>) -> DbResult<u64> {
    let rows = sql.query(
        "SELECT id, params FROM flags WHERE record_id = ? AND kind = 'dossier_code_suspect'",
        params![visit_id],
    )?;
    let mut n = 0;
    for row in rows {
        let params_json =
            match FlagNote::from_stored("dossier_code_suspect", row.opt_text(1).as_deref()) {
                Some(FlagNote::DossierCodeSuspect { problem, .. }) => Some(
                    FlagNote::DossierCodeSuspect {
                        code: String::new(),
                        problem,
                    }
                    .params_json(),
                ),
                _ => None,
            };
        sql.exec(
            "UPDATE flags SET params = ?, detail = '', resolved_at = COALESCE(resolved_at, ?), resolution = COALESCE(resolution, 'erased') WHERE id = ?",
            params![params_json, now, row.uuid(0)?],
        )?;
        n += 1;
    }
    Ok(n)
}

/// Feedback arriving from a phone about a visit to an erased household: stored without its text.
pub fn blank_incoming_feedback(sql: &mut dyn Sql, f: &mut Feedback) -> DbResult<()> {
    if let FeedbackSource::Visit(visit_id) = f.source {
        let erased = sql
            .query_one(
                "SELECT h.erased FROM visits v JOIN households h ON h.id = v.household_id WHERE v.id = ?",
                params![visit_id],
            )?
            .is_some_and(|r| r.int(0) != 0);
        if erased {
            f.text.clear();
        }
    }
    Ok(())
}

/// A visit arriving for an erased household: stored blank (see [`blank_visit`]), and feedback
/// that arrived before it, about it, loses its text.
pub fn blank_arriving_visit(sql: &mut dyn Sql, v: &mut Visit) -> DbResult<()> {
    blank_visit(v);
    blank_feedback_of_visit(sql, v.id)?;
    Ok(())
}
