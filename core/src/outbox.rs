//! The upload queue. One entry per record, written in the same transaction as the record.
//!
//! States: pending → in_flight → accepted | rejected | deleted. Only the server's answer moves an
//! entry out of pending/in_flight. A rejected entry is quarantined with the server's reason and
//! never blocks the others; fixing the record (or `requeue`) makes it pending again. An edit
//! while in flight bumps `change_counter`, so the acknowledgement of the older content sends the
//! entry back to pending instead of settling it.

use chrono::{DateTime, Utc};
use gocua_protocol::{Change, RecordKind, RecordResult, RecordStatus};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::millis::{from_millis, millis};
use crate::records::conversion_error;
use crate::store::{get_meta, set_meta, Store};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryState {
    Pending,
    InFlight,
    Accepted,
    Rejected,
    /// The server deleted the record; the phone stops sending it.
    Deleted,
}

impl EntryState {
    pub fn as_str(&self) -> &'static str {
        match self {
            EntryState::Pending => "pending",
            EntryState::InFlight => "in_flight",
            EntryState::Accepted => "accepted",
            EntryState::Rejected => "rejected",
            EntryState::Deleted => "deleted",
        }
    }

    pub(crate) fn parse(s: &str) -> Result<Self> {
        Ok(match s {
            "pending" => EntryState::Pending,
            "in_flight" => EntryState::InFlight,
            "accepted" => EntryState::Accepted,
            "rejected" => EntryState::Rejected,
            "deleted" => EntryState::Deleted,
            other => return Err(Error::Corrupt(format!("unknown outbox state {other}"))),
        })
    }
}

/// The server's reason for refusing a record, kept with the entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectReason {
    pub code: String,
    pub message_vi: String,
    pub message_en: String,
    pub field: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueEntry {
    pub kind: RecordKind,
    pub record_id: Uuid,
    pub state: EntryState,
    pub attempts: u32,
    pub queued_at: DateTime<Utc>,
    pub last_attempt_at: Option<DateTime<Utc>>,
    pub reason: Option<RejectReason>,
}

/// How the last sync ended, for the Today and Queue screens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastSync {
    pub finished_at: DateTime<Utc>,
    /// `ok`, `partial` (some records rejected), `failed`, `cancelled` or `stopped` (the sync
    /// policy, asked again between batches, said to wait: `error_code` is its reason).
    pub outcome: String,
    pub sent: u32,
    pub accepted: u32,
    pub rejected: u32,
    pub error_code: Option<String>,
    pub message_vi: Option<String>,
    pub message_en: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QueueStatus {
    pub pending: u32,
    pub in_flight: u32,
    pub accepted: u32,
    pub rejected: u32,
    pub deleted: u32,
    /// Age in seconds of the oldest entry still waiting to be sent.
    pub oldest_pending_age_secs: Option<i64>,
    pub last_sync: Option<LastSync>,
}

/// Queues (or re-queues) a record after a local change. Must run in the change's transaction.
pub(crate) fn enqueue(
    tx: &Transaction<'_>,
    kind: &RecordKind,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<()> {
    tx.execute(
        "INSERT INTO outbox(kind, record_id, state, change_counter, attempts, queued_at)
         VALUES (?1, ?2, 'pending', 1, 0, ?3)
         ON CONFLICT(kind, record_id) DO UPDATE SET
           change_counter = change_counter + 1,
           queued_at = CASE WHEN state IN ('accepted', 'rejected', 'deleted') THEN excluded.queued_at ELSE queued_at END,
           state = CASE WHEN state = 'deleted' THEN 'deleted' ELSE 'pending' END,
           reason_code = NULL, reason_message_vi = NULL, reason_message_en = NULL, reason_field = NULL",
        params![kind.as_str(), id.to_string(), millis(now)],
    )?;
    Ok(())
}

impl RejectReason {
    /// The reason stored in an outbox row's four reason columns, starting at column `first`
    /// (code, message in Vietnamese, in English, field); none when the code is empty.
    pub(crate) fn from_columns(
        r: &rusqlite::Row<'_>,
        first: usize,
    ) -> rusqlite::Result<Option<RejectReason>> {
        let Some(code) = r.get::<_, Option<String>>(first)? else {
            return Ok(None);
        };
        Ok(Some(RejectReason {
            code,
            message_vi: r.get::<_, Option<String>>(first + 1)?.unwrap_or_default(),
            message_en: r.get::<_, Option<String>>(first + 2)?.unwrap_or_default(),
            field: r.get(first + 3)?,
        }))
    }
}

fn entry_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<QueueEntry> {
    Ok(QueueEntry {
        kind: RecordKind::parse(&r.get::<_, String>(0)?),
        record_id: Uuid::parse_str(&r.get::<_, String>(1)?).map_err(conversion_error)?,
        state: EntryState::parse(&r.get::<_, String>(2)?).map_err(conversion_error)?,
        attempts: r.get(3)?,
        queued_at: from_millis(r.get(4)?),
        last_attempt_at: r.get::<_, Option<i64>>(5)?.map(from_millis),
        reason: RejectReason::from_columns(r, 6)?,
    })
}

fn load_entries(
    conn: &Connection,
    where_sql: &str,
    args: &[&dyn rusqlite::ToSql],
) -> Result<Vec<QueueEntry>> {
    let sql = format!(
        "SELECT kind, record_id, state, attempts, queued_at, last_attempt_at,
                reason_code, reason_message_vi, reason_message_en, reason_field
         FROM outbox WHERE {where_sql} ORDER BY queued_at, record_id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(args, entry_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Whatever was sent but not answered goes back to pending.
pub(crate) fn release(conn: &Connection) -> Result<()> {
    conn.execute(
        "UPDATE outbox SET state = CASE WHEN state = 'in_flight' THEN 'pending' ELSE state END, sent_counter = NULL
         WHERE sent_counter IS NOT NULL OR state = 'in_flight'",
        [],
    )?;
    Ok(())
}

/// Meta key of the server database's generation under which the accepted entries were
/// acknowledged (docs/protocol.md, "Restores").
pub(crate) const SERVER_GENERATION: &str = "server_generation";

/// Takes note of the generation a server answer carried. When it differs from the one the
/// accepted entries were acknowledged under, the server's database was restored from a backup
/// that may lack them: every accepted entry goes back to pending (the records never left the
/// store), and the pull cursor is forgotten (the restored reference data may be older). Returns
/// how many entries were re-queued. Must run before the answer's own verdicts are settled, so
/// those stay settled under the new generation.
pub(crate) fn observe_generation(
    tx: &Transaction<'_>,
    generation: Option<&str>,
    now: DateTime<Utc>,
) -> Result<u32> {
    let Some(generation) = generation.filter(|g| !g.is_empty()) else {
        return Ok(0);
    };
    let known = get_meta(tx, SERVER_GENERATION)?;
    if known.as_deref() == Some(generation) {
        return Ok(0);
    }
    let requeued = match known {
        // The first generation this phone sees (a new enrolment, or an app older than
        // generations): nothing to compare with.
        None => 0,
        Some(_) => {
            tx.execute("DELETE FROM meta WHERE key = 'pull_cursor'", [])?;
            tx.execute(
                "UPDATE outbox SET state = 'pending', queued_at = ?1 WHERE state = 'accepted'",
                params![millis(now)],
            )? as u32
        }
    };
    set_meta(tx, SERVER_GENERATION, generation)?;
    Ok(requeued)
}

impl Store {
    pub fn queue_status(&self) -> Result<QueueStatus> {
        let now = self.clock.now();
        self.read(|c| {
            let mut status = QueueStatus::default();
            let mut stmt = c.prepare_cached("SELECT state, count(*) FROM outbox GROUP BY state")?;
            let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?)))?;
            for row in rows {
                let (state, n) = row?;
                match EntryState::parse(&state)? {
                    EntryState::Pending => status.pending = n,
                    EntryState::InFlight => status.in_flight = n,
                    EntryState::Accepted => status.accepted = n,
                    EntryState::Rejected => status.rejected = n,
                    EntryState::Deleted => status.deleted = n,
                }
            }
            let oldest: Option<i64> = c.query_row(
                "SELECT min(queued_at) FROM outbox WHERE state IN ('pending', 'in_flight')",
                [],
                |r| r.get(0),
            )?;
            status.oldest_pending_age_secs = oldest.map(|ms| ((millis(now) - ms) / 1000).max(0));
            status.last_sync = match get_meta(c, "last_sync")? {
                Some(json) => Some(serde_json::from_str(&json)?),
                None => None,
            };
            Ok(status)
        })
    }

    /// Every entry the server rejected, with its reason, oldest first.
    pub fn rejected_entries(&self) -> Result<Vec<QueueEntry>> {
        self.read(|c| load_entries(c, "state = 'rejected'", &[]))
    }

    /// Entries waiting to be sent (pending or in flight), oldest first.
    pub fn pending_entries(&self) -> Result<Vec<QueueEntry>> {
        self.read(|c| load_entries(c, "state IN ('pending', 'in_flight')", &[]))
    }

    pub fn queue_entry(&self, kind: &RecordKind, id: Uuid) -> Result<Option<QueueEntry>> {
        let kind = kind.as_str().to_owned();
        let id = id.to_string();
        self.read(|c| Ok(load_entries(c, "kind = ?1 AND record_id = ?2", &[&kind, &id])?.pop()))
    }

    /// Sends a rejected entry again as it is (e.g. after the coordinator fixed the team's areas).
    pub fn requeue(&self, kind: &RecordKind, id: Uuid) -> Result<()> {
        let now = self.clock.now();
        self.write(|tx| {
            let state: Option<String> = tx
                .query_row(
                    "SELECT state FROM outbox WHERE kind = ?1 AND record_id = ?2",
                    params![kind.as_str(), id.to_string()],
                    |r| r.get(0),
                )
                .optional()?;
            match state.as_deref() {
                None => Err(Error::NotFound {
                    kind: "queue entry",
                    id,
                }),
                Some("rejected") => enqueue(tx, kind, id, now),
                Some(_) => Ok(()),
            }
        })
    }

    /// Marks up to `limit` pending entries in flight and returns them with the records' current
    /// content. Counted as an attempt.
    pub fn take_batch(&self, limit: usize) -> Result<Vec<Change>> {
        let now = self.clock.now();
        self.write(|tx| {
            let ids: Vec<(String, String)> = {
                let mut stmt = tx.prepare_cached(
                    "SELECT kind, record_id FROM outbox WHERE state = 'pending'
                     ORDER BY CASE kind WHEN 'household' THEN 0 ELSE 1 END, queued_at, record_id LIMIT ?1",
                )?;
                let rows = stmt.query_map([limit as i64], |r| Ok((r.get(0)?, r.get(1)?)))?;
                rows.collect::<rusqlite::Result<_>>()?
            };
            let mut changes = Vec::with_capacity(ids.len());
            for (kind, id) in ids {
                let uuid = Uuid::parse_str(&id).map_err(|e| Error::Corrupt(e.to_string()))?;
                changes.push(crate::records::load_change(tx, &RecordKind::parse(&kind), uuid)?);
                tx.execute(
                    "UPDATE outbox SET state = 'in_flight', sent_counter = change_counter,
                       attempts = attempts + 1, last_attempt_at = ?3
                     WHERE kind = ?1 AND record_id = ?2",
                    params![kind, id, millis(now)],
                )?;
            }
            Ok(changes)
        })
    }

    /// Applies the server's per-record answers. Entries in flight without an answer go back to
    /// pending. Returns (accepted, rejected) counts.
    pub fn settle_batch(&self, results: &[RecordResult]) -> Result<(u32, u32)> {
        self.settle_batch_of(results, None).map(|(a, r, _)| (a, r))
    }

    /// [`Store::settle_batch`] for an answer that carried the server's `generation`: in the same
    /// transaction, first the entries acknowledged under another generation go back to pending
    /// (see [`observe_generation`]), then this answer's verdicts are applied. Returns (accepted,
    /// rejected, re-queued).
    pub fn settle_batch_of(
        &self,
        results: &[RecordResult],
        generation: Option<&str>,
    ) -> Result<(u32, u32, u32)> {
        let now = self.clock.now();
        self.write(|tx| {
            let requeued = observe_generation(tx, generation, now)?;
            let (mut accepted, mut rejected) = (0, 0);
            for r in results {
                let (state, reason) = match &r.status {
                    RecordStatus::Accepted | RecordStatus::Duplicate => {
                        accepted += 1;
                        ("accepted", None)
                    }
                    RecordStatus::Deleted => ("deleted", None),
                    RecordStatus::Rejected | RecordStatus::Conflict | RecordStatus::Unknown(_) => {
                        rejected += 1;
                        ("rejected", Some(r))
                    }
                };
                // Settles only what was sent: an entry edited meanwhile goes back to pending.
                tx.execute(
                    "UPDATE outbox SET
                       state = CASE WHEN change_counter = sent_counter THEN ?3 ELSE 'pending' END,
                       settled_at = ?4,
                       reason_code = CASE WHEN change_counter = sent_counter THEN ?5 END,
                       reason_message_vi = CASE WHEN change_counter = sent_counter THEN ?6 END,
                       reason_message_en = CASE WHEN change_counter = sent_counter THEN ?7 END,
                       reason_field = CASE WHEN change_counter = sent_counter THEN ?8 END,
                       sent_counter = NULL
                     WHERE kind = ?1 AND record_id = ?2 AND sent_counter IS NOT NULL",
                    params![
                        r.kind.as_str(),
                        r.id.to_string(),
                        state,
                        millis(now),
                        reason.map(|r| r
                            .code
                            .clone()
                            .unwrap_or_else(|| r.status.as_str().to_owned())),
                        reason.and_then(|r| r.message_vi.clone()),
                        reason.and_then(|r| r.message_en.clone()),
                        reason.and_then(|r| r.field.clone()),
                    ],
                )?;
            }
            release(tx)?;
            Ok((accepted, rejected, requeued))
        })
    }

    /// Puts everything in flight back to pending (the push failed or was cancelled).
    pub fn release_in_flight(&self) -> Result<()> {
        self.write(|tx| release(tx))
    }

    pub(crate) fn record_sync_outcome(
        &self,
        outcome: &LastSync,
        server_time: Option<DateTime<Utc>>,
    ) -> Result<()> {
        self.write(|tx| {
            set_meta(tx, "last_sync", &serde_json::to_string(outcome)?)?;
            if let Some(t) = server_time {
                set_meta(tx, "last_server_time", &t.to_rfc3339())?;
            }
            Ok(())
        })
    }
}
