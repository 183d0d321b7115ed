//! Opening the encrypted SQLite file: key, pragmas, migrations — whatever the entry point, so a
//! background sync after an app update migrates too.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags, TransactionBehavior};

use gocua_protocol::text;

use crate::error::{Error, Result};
use crate::key::StoreKey;

/// The schema this code writes. Bump it with a new `upgrade_from` step, and freeze the new
/// schema's description in tests/fixtures (tests/migrations.rs says how).
pub const SCHEMA_VERSION: i64 = 4;

/// Version 1 as shipped. A new store is made by it and then every upgrade step, so new and
/// upgraded stores run the same SQL and shipped steps are never copied into a "latest" script.
const CREATE_V1: &str = include_str!("sql/create_v1.sql");
const UPGRADE_V1_TO_V2: &str = include_str!("sql/upgrade_v1_to_v2.sql");
const UPGRADE_V2_TO_V3: &str = include_str!("sql/upgrade_v2_to_v3.sql");
const UPGRADE_V3_TO_V4: &str = include_str!("sql/upgrade_v3_to_v4.sql");
const UPGRADE_V3_TO_V4_INDEX: &str = include_str!("sql/upgrade_v3_to_v4_index.sql");

/// How hard commits are pushed to the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Durability {
    /// `synchronous=FULL`: a commit that returned survives power loss. Always used on phones.
    #[default]
    Full,
    /// `synchronous=OFF`: only for bulk loads in tests and benchmarks, never for field data.
    Relaxed,
}

#[derive(Debug, Clone, Default)]
pub struct OpenOptions {
    pub durability: Durability,
    /// Caps the file size in pages (4 KiB each); reaching it behaves like a full disk.
    pub max_page_count: Option<u64>,
}

pub(crate) fn open_connection(
    path: &Path,
    key: &StoreKey,
    options: &OpenOptions,
) -> Result<Connection> {
    finish_sqlcipher_start_up()?;
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut conn = Connection::open_with_flags(path, flags)?;
    apply_key(&conn, key)?;
    conn.busy_timeout(Duration::from_secs(5))?;
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(Error::Corrupt(format!(
            "journal mode {mode} instead of wal"
        )));
    }
    let sync = match options.durability {
        Durability::Full => "FULL",
        Durability::Relaxed => "OFF",
    };
    conn.execute_batch(&format!(
        // SQLite's default page cache (2 MiB), stated so it is not raised by accident: searches
        // walk the `households_search` index and read only the rows they show, so a large
        // commune needs no bigger cache on a cheap phone (docs/performance.md).
        "PRAGMA synchronous = {sync}; PRAGMA foreign_keys = ON; PRAGMA cache_size = -2000;"
    ))?;
    if let Some(pages) = options.max_page_count {
        conn.query_row(&format!("PRAGMA max_page_count = {pages}"), [], |_| Ok(()))?;
    }
    migrate(&mut conn)?;
    Ok(conn)
}

/// A bare keyed connection to a store's file: no pragmas, no key check, no migrations. For tests
/// and benchmarks that write an old schema, look at rows the API hides or damage a file on
/// purpose; the app always goes through `Store::open`. It waits for SQLCipher's start-up like
/// every other open (a test thread keying its file while another opens a store could otherwise
/// fail with "An error occurred with PRAGMA key").
pub fn open_raw(path: &Path, key: &StoreKey) -> Result<Connection> {
    finish_sqlcipher_start_up()?;
    let conn = Connection::open(path)?;
    conn.execute_batch(&format!("PRAGMA key = {};", key.pragma_literal()))?;
    Ok(conn)
}

extern "C" {
    /// SQLCipher's own start-up (allocates its heap, starts the crypto provider). Idempotent:
    /// it runs under SQLite's main mutex and returns at once when already done.
    fn sqlcipher_extra_init(arg: *const std::ffi::c_char) -> std::ffi::c_int;
}

/// Makes sure SQLCipher has finished starting before any database is keyed.
///
/// SQLite runs SQLCipher's start-up only after marking itself initialised and releasing its
/// locks, so a second thread opening a store at that moment (the app and a background sync,
/// right after launch) could key its database first and fail with "An error occurred with
/// PRAGMA key". Calling the start-up ourselves, once per process, waits for it to be done.
fn finish_sqlcipher_start_up() -> Result<()> {
    static RESULT: std::sync::OnceLock<std::ffi::c_int> = std::sync::OnceLock::new();
    let rc = *RESULT.get_or_init(|| {
        // SAFETY: both are SQLite's documented, thread-safe entry points; the argument is unused.
        unsafe {
            let rc = rusqlite::ffi::sqlite3_initialize();
            if rc != rusqlite::ffi::SQLITE_OK {
                return rc;
            }
            sqlcipher_extra_init(std::ptr::null())
        }
    });
    if rc == rusqlite::ffi::SQLITE_OK {
        Ok(())
    } else {
        Err(rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(rc), None).into())
    }
}

/// Sets the key and proves it right by reading the schema: a wrong key fails here with
/// "not a database", never later with an empty-looking store.
fn apply_key(conn: &Connection, key: &StoreKey) -> Result<()> {
    // SQLCipher would log a wrong key to stderr/logcat; the error we return says it better.
    conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
    conn.execute_batch(&format!("PRAGMA key = {};", key.pragma_literal()))?;
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    }) {
        Ok(_) => Ok(()),
        Err(e) if e.sqlite_error_code() == Some(ErrorCode::NotADatabase) => Err(Error::WrongKey),
        Err(e) => Err(e.into()),
    }
}

fn user_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

/// Brings the schema to [`SCHEMA_VERSION`] in one IMMEDIATE transaction: all steps or none.
pub(crate) fn migrate(conn: &mut Connection) -> Result<()> {
    let found = user_version(conn)?;
    if found == SCHEMA_VERSION {
        return Ok(());
    }
    if found > SCHEMA_VERSION {
        return Err(Error::NewerSchema {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Re-read under the write lock: another connection may have migrated meanwhile.
    let mut found = user_version(&tx)?;
    if found == 0 {
        tx.execute_batch(CREATE_V1)?;
        found = 1;
    }
    for from in found..SCHEMA_VERSION {
        upgrade_from(&tx, from)?;
    }
    tx.execute_batch(&format!("PRAGMA user_version = {SCHEMA_VERSION}"))?;
    tx.commit()?;
    Ok(())
}

fn upgrade_from(conn: &Connection, version: i64) -> Result<()> {
    match version {
        1 => conn.execute_batch(UPGRADE_V1_TO_V2)?,
        2 => conn.execute_batch(UPGRADE_V2_TO_V3)?,
        3 => {
            conn.execute_batch(UPGRADE_V3_TO_V4)?;
            fill_search_names(conn)?;
            conn.execute_batch(UPGRADE_V3_TO_V4_INDEX)?;
        }
        other => {
            return Err(Error::Corrupt(format!(
                "no upgrade from schema version {other}"
            )))
        }
    }
    Ok(())
}

/// Version 4: the folded head names, which SQL cannot fold.
fn fill_search_names(conn: &Connection) -> Result<()> {
    let names: Vec<(i64, String)> = conn
        .prepare("SELECT rowid, head_name FROM households")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut update = conn.prepare("UPDATE households SET search_name = ?2 WHERE rowid = ?1")?;
    for (rowid, name) in names {
        update.execute(rusqlite::params![rowid, text::fold(&name)])?;
    }
    Ok(())
}

/// Re-encrypts the whole file under a new key. SQLCipher cannot re-key a WAL database in
/// place, so the journal is switched to DELETE for the duration.
pub(crate) fn rekey(conn: &Connection, new_key: &StoreKey) -> Result<()> {
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    let _: String = conn.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
    let result = conn.execute_batch(&format!("PRAGMA rekey = {};", new_key.pragma_literal()));
    let _: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    result?;
    Ok(())
}
