//! The device store: one encrypted SQLite file per device profile.
//!
//! One writer connection behind a mutex (phones write rarely and briefly); every change and its
//! upload-queue entry commit in one IMMEDIATE transaction. Operations live in their own modules
//! as `impl Store` blocks: households, visits, sessions, feedback, search, progress, outbox, sync.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, Duration, Utc};
use gocua_protocol::validation::earliest_plausible;
use gocua_protocol::{DeviceTime, Hlc};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::clock::Clock;
use crate::db::{self, OpenOptions};
use crate::error::{Error, Result};
use crate::key::StoreKey;
use crate::reference_cache::ReferenceCache;

/// Who this device works for, set at enrolment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceProfile {
    pub volunteer_id: Uuid,
    pub volunteer_name: String,
    pub team_id: Uuid,
}

/// Device clock readings further than this behind the last server time are flagged.
const CLOCK_BEHIND_TOLERANCE_MINUTES: i64 = 5;
/// Device clock readings further than this ahead of the last server time are flagged.
const CLOCK_AHEAD_FLAG_DAYS: i64 = 60;

pub struct Store {
    conn: Mutex<Connection>,
    pub(crate) clock: Arc<dyn Clock>,
    path: PathBuf,
    device_id: Uuid,
    reference: Mutex<Option<Arc<ReferenceCache>>>,
    pub(crate) sync_lock: Mutex<()>,
    interrupt: rusqlite::InterruptHandle,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .field("device_id", &self.device_id)
            .finish()
    }
}

impl Store {
    /// Opens (creating if needed) the store at `path` with `key`, migrating it to this version.
    pub fn open(path: impl AsRef<Path>, key: &StoreKey, clock: Arc<dyn Clock>) -> Result<Store> {
        Store::open_with(path, key, clock, &OpenOptions::default())
    }

    pub fn open_with(
        path: impl AsRef<Path>,
        key: &StoreKey,
        clock: Arc<dyn Clock>,
        options: &OpenOptions,
    ) -> Result<Store> {
        let path = path.as_ref().to_path_buf();
        let conn = db::open_connection(&path, key, options)?;
        let device_id = ensure_device_id(&conn)?;
        // A push cut short by a crash left entries in flight: the server may or may not have
        // them, and resending is harmless, so they go back to pending. (Only `in_flight` rows:
        // the state index makes this free at open; a stale `sent_counter` on a pending row is
        // overwritten by the next push.)
        conn.execute(
            "UPDATE outbox SET state = 'pending', sent_counter = NULL WHERE state = 'in_flight'",
            [],
        )?;
        let interrupt = conn.get_interrupt_handle();
        Ok(Store {
            conn: Mutex::new(conn),
            clock,
            path,
            device_id,
            reference: Mutex::new(None),
            sync_lock: Mutex::new(()),
            interrupt,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// This installation's id (UUIDv7, made on first open).
    pub fn device_id(&self) -> Uuid {
        self.device_id
    }

    /// Re-encrypts the store under `new_key`; the old key stops working at once.
    pub fn rekey(&self, new_key: &StoreKey) -> Result<()> {
        let conn = self.lock();
        db::rekey(&conn, new_key)
    }

    /// Interrupts a long-running statement (e.g. during a cancelled sync).
    pub fn interrupt(&self) {
        self.interrupt.interrupt();
    }

    pub fn set_profile(&self, profile: &DeviceProfile) -> Result<()> {
        self.write(|tx| set_meta(tx, "profile", &serde_json::to_string(profile)?))
    }

    pub fn profile(&self) -> Result<Option<DeviceProfile>> {
        let conn = self.lock();
        match get_meta(&conn, "profile")? {
            Some(json) => Ok(Some(serde_json::from_str(&json)?)),
            None => Ok(None),
        }
    }

    pub(crate) fn require_profile(&self) -> Result<DeviceProfile> {
        self.profile()?.ok_or(Error::NotEnrolled)
    }

    /// `PRAGMA integrity_check` result; "ok" when the file is sound.
    pub fn integrity_check(&self) -> Result<String> {
        let conn = self.lock();
        Ok(conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs `f` in one IMMEDIATE transaction; commits only if it succeeds.
    pub(crate) fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    pub(crate) fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let conn = self.lock();
        f(&conn)
    }

    pub(crate) fn reference_cache(&self) -> Result<Arc<ReferenceCache>> {
        let mut slot = self.reference.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(cache) = slot.as_ref() {
            return Ok(cache.clone());
        }
        let cache = Arc::new(self.read(ReferenceCache::load)?);
        *slot = Some(cache.clone());
        Ok(cache)
    }

    pub(crate) fn invalidate_reference_cache(&self) {
        *self.reference.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }

    pub(crate) fn device_time(&self) -> DeviceTime {
        DeviceTime {
            utc: self.clock.now(),
            offset_minutes: self.clock.utc_offset_minutes(),
        }
    }

    /// The next hybrid-clock stamp, persisted in the same transaction as the change it stamps.
    pub(crate) fn next_hlc(&self, tx: &Transaction<'_>) -> Result<Hlc> {
        let last = load_hlc(tx)?;
        let next = Hlc::tick(
            last,
            self.clock.now().timestamp_millis(),
            node_of(self.device_id),
        );
        set_meta(tx, "hlc", &next.to_string())?;
        Ok(next)
    }

    /// Folds a stamp from the server into the clock so later local stamps sort after it.
    pub(crate) fn observe_hlc(&self, tx: &Transaction<'_>, remote: Hlc) -> Result<()> {
        let merged = Hlc::observe(load_hlc(tx)?, remote);
        set_meta(tx, "hlc", &merged.to_string())
    }

    /// Flags (never rejects) a device clock reading that looks wrong: before 2020 (an unset
    /// clock), behind the last server time seen, or far ahead of it.
    pub(crate) fn time_flag(
        &self,
        conn: &Connection,
        now: DateTime<Utc>,
    ) -> Result<Option<&'static str>> {
        if now < earliest_plausible() {
            return Ok(Some("clock_unset"));
        }
        let Some(server) = last_server_time(conn)? else {
            return Ok(None);
        };
        if now < server - Duration::minutes(CLOCK_BEHIND_TOLERANCE_MINUTES) {
            Ok(Some("clock_before_last_sync"))
        } else if now > server + Duration::days(CLOCK_AHEAD_FLAG_DAYS) {
            Ok(Some("clock_far_ahead"))
        } else {
            Ok(None)
        }
    }
}

fn node_of(device_id: Uuid) -> u32 {
    let b = device_id.as_bytes();
    u32::from_be_bytes([b[12], b[13], b[14], b[15]])
}

fn ensure_device_id(conn: &Connection) -> Result<Uuid> {
    if let Some(id) = get_meta(conn, "device_id")? {
        return Uuid::parse_str(&id).map_err(|e| Error::Corrupt(e.to_string()));
    }
    let id = Uuid::now_v7();
    conn.execute(
        "INSERT INTO meta(key, value) VALUES ('device_id', ?1)",
        [id.to_string()],
    )?;
    Ok(id)
}

fn load_hlc(conn: &Connection) -> Result<Hlc> {
    match get_meta(conn, "hlc")? {
        Some(s) => s
            .parse()
            .map_err(|e: gocua_protocol::hlc::HlcParseError| Error::Corrupt(e.to_string())),
        None => Ok(Hlc::ZERO),
    }
}

pub(crate) fn last_server_time(conn: &Connection) -> Result<Option<DateTime<Utc>>> {
    Ok(get_meta(conn, "last_server_time")?
        .and_then(|s| DateTime::parse_from_rfc3339(&s).ok())
        .map(|t| t.with_timezone(&Utc)))
}

pub(crate) fn get_meta(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?)
}

pub(crate) fn set_meta(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO meta(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, value],
    )?;
    Ok(())
}

/// A warning about the phone's clock, for the Today screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockWarning {
    /// `clock_unset`, `clock_before_last_sync` or `clock_far_ahead`.
    pub code: &'static str,
    pub message_vi: &'static str,
    pub message_en: &'static str,
}

impl Store {
    /// Says whether the phone's clock looks wrong right now (records made now would be flagged).
    pub fn clock_warning(&self) -> Result<Option<ClockWarning>> {
        let now = self.clock.now();
        let code = self.read(|c| self.time_flag(c, now))?;
        Ok(code.map(|code| ClockWarning {
            code,
            message_vi: "Ngày giờ của điện thoại có vẻ sai. Hãy bật \"Ngày giờ tự động\" trong Cài đặt; dữ liệu vẫn được lưu.",
            message_en: "The phone's date and time look wrong. Turn on automatic date and time in Settings; data is still saved.",
        }))
    }

    /// The clock flag stored with a record when it was made, if its device time looked wrong.
    pub fn time_flag_of(
        &self,
        kind: &gocua_protocol::RecordKind,
        id: Uuid,
    ) -> Result<Option<String>> {
        let table = match kind {
            gocua_protocol::RecordKind::Household => "households",
            gocua_protocol::RecordKind::Visit => "visits",
            gocua_protocol::RecordKind::OutreachSession => "sessions",
            gocua_protocol::RecordKind::Feedback => "feedback",
            gocua_protocol::RecordKind::Assignment | gocua_protocol::RecordKind::Unknown(_) => {
                return Ok(None)
            }
        };
        self.read(|c| {
            Ok(c.query_row(
                &format!("SELECT time_flag FROM {table} WHERE id = ?1"),
                [id.to_string()],
                |r| r.get(0),
            )
            .optional()?
            .flatten())
        })
    }
}
