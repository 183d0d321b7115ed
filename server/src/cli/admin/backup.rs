//! `gocua admin backup FILE` and `gocua admin restore FILE`: a consistent copy of a live SQLite
//! database (SQLite's online backup API, under one read transaction: `gocua serve` keeps
//! writing meanwhile, WAL readers never block it), and its way back. PostgreSQL is backed up with
//! `pg_dump -Fc` and restored with `pg_restore`, then `gocua admin mark-restored`
//! (docs/backup.md).
//!
//! A restored database gets a new generation (`domain::generation`): phones that see it send
//! again what they had sent since the backup, and the server's idempotent ingest answers
//! `duplicate` for what the backup already had.

use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use super::Failure;
use crate::db::{Db, SCHEMA_VERSION};
use crate::domain::generation;
use crate::domain::open::open_database;

/// A refusal with its machine code, shown after the message in both languages.
fn invalid(code: &str, vi: impl Into<String>, en: impl Into<String>) -> Failure {
    super::invalid(
        format!("{} [{code}]", vi.into()),
        format!("{} [{code}]", en.into()),
    )
}

fn is_postgres(target: &str) -> bool {
    target.starts_with("postgres://") || target.starts_with("postgresql://")
}

/// What a Gõ Cửa database file says about itself.
struct Described {
    version: i64,
    generation: Option<String>,
    households: i64,
    visits: i64,
}

fn sqlite_failure(what_vi: &str, what_en: &str, path: &Path, e: rusqlite::Error) -> Failure {
    invalid(
        "sqlite_error",
        format!("{what_vi} {}: {e}.", path.display()),
        format!("{what_en} {}: {e}.", path.display()),
    )
}

fn write_failed(what_vi: &str, what_en: &str, path: &Path, e: std::io::Error) -> Failure {
    invalid(
        "backup_write_failed",
        format!("{what_vi} {}: {e}.", path.display()),
        format!("{what_en} {}: {e}.", path.display()),
    )
}

/// Checks that `conn` is an intact Gõ Cửa database of a schema this gocua can open (equal, or
/// older and upgraded when opened).
fn describe(conn: &Connection, path: &Path) -> Result<Described, Failure> {
    let not_ours = || {
        invalid(
            "not_a_gocua_database",
            format!("Tệp {} không phải cơ sở dữ liệu Gõ Cửa (không có bảng schema_meta, households, visits).", path.display()),
            format!("The file {} is not a Gõ Cửa database (it has no schema_meta, households and visits tables).", path.display()),
        )
    };
    let check: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(|e| {
            sqlite_failure(
                "Không đọc được tệp SQLite",
                "Cannot read the SQLite file",
                path,
                e,
            )
        })?;
    if check != "ok" {
        return Err(invalid(
            "backup_damaged",
            format!(
                "Tệp {} bị hỏng (kiểm tra SQLite: {check}); hãy dùng bản sao lưu khác.",
                path.display()
            ),
            format!(
                "The file {} is damaged (SQLite's check: {check}); use another backup.",
                path.display()
            ),
        ));
    }
    let tables: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('schema_meta', 'households', 'visits')",
            [],
            |r| r.get(0),
        )
        .map_err(|_| not_ours())?;
    if tables != 3 {
        return Err(not_ours());
    }
    let meta = |key: &str| -> Option<String> {
        conn.query_row("SELECT value FROM schema_meta WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .ok()
    };
    let version = meta("version")
        .and_then(|v| v.parse::<i64>().ok())
        .filter(|v| *v >= 1)
        .ok_or_else(not_ours)?;
    if version > SCHEMA_VERSION {
        return Err(invalid(
            "backup_schema_newer",
            format!("Bản sao lưu {} có lược đồ phiên bản {version}, do một Gõ Cửa mới hơn ghi; bản này chỉ mở được đến phiên bản {SCHEMA_VERSION}. Hãy dùng gocua mới hơn để khôi phục.", path.display()),
            format!("The backup {} has schema version {version}, written by a newer Gõ Cửa; this one opens up to version {SCHEMA_VERSION}. Restore it with a newer gocua.", path.display()),
        ));
    }
    let count = |table: &str| -> i64 {
        conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap_or(0)
    };
    Ok(Described {
        version,
        generation: meta("generation"),
        households: count("households"),
        visits: count("visits"),
    })
}

fn open_read_only(path: &Path) -> Result<Connection, Failure> {
    if !path.is_file() {
        return Err(invalid(
            "file_missing",
            format!("Không có tệp {}.", path.display()),
            format!("There is no file {}.", path.display()),
        ));
    }
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| sqlite_failure("Không mở được tệp", "Cannot open the file", path, e))?;
    conn.busy_timeout(Duration::from_secs(10))
        .map_err(|e| sqlite_failure("Không mở được tệp", "Cannot open the file", path, e))?;
    Ok(conn)
}

/// Copies `from` into `to` with SQLite's online backup API, all pages in one step: the copy is
/// the database as of one moment, however busy the server is (a step taken page by page would
/// start over at every write of another process).
fn copy(from: &Connection, to: &mut Connection, path: &Path) -> Result<(), Failure> {
    let backup = Backup::new(from, to)
        .map_err(|e| sqlite_failure("Không sao chép được vào", "Cannot copy into", path, e))?;
    for _ in 0..100 {
        match backup
            .step(-1)
            .map_err(|e| sqlite_failure("Không sao chép được vào", "Cannot copy into", path, e))?
        {
            StepResult::Done => return Ok(()),
            // Busy or locked: another process holds a write lock a moment; try again.
            _ => std::thread::sleep(Duration::from_millis(100)),
        }
    }
    Err(invalid(
        "database_busy",
        format!(
            "Cơ sở dữ liệu bận suốt 10 giây; chưa sao chép được vào {}. Hãy thử lại.",
            path.display()
        ),
        format!(
            "The database stayed busy for 10 seconds; nothing was copied to {}. Try again.",
            path.display()
        ),
    ))
}

/// A path beside `file` for the copy being written, renamed to `file` once complete.
fn partial_path(file: &Path) -> PathBuf {
    let name = file
        .file_name()
        .map_or_else(|| "backup".into(), |n| n.to_string_lossy().into_owned());
    file.with_file_name(format!(".{name}.partial-{}", std::process::id()))
}

/// `gocua admin backup FILE`.
pub fn backup(target: &str, file: &Path) -> Result<(), Failure> {
    if is_postgres(target) {
        return Err(invalid(
            "use_pg_dump",
            "Với PostgreSQL, hãy sao lưu bằng pg_dump -Fc (xem docs/backup.md).",
            "For PostgreSQL, back up with pg_dump -Fc (see docs/backup.md).",
        ));
    }
    if file.exists() {
        return Err(invalid(
            "backup_file_exists",
            format!(
                "Tệp {} đã có; hãy chọn tên khác (bản sao lưu không ghi đè).",
                file.display()
            ),
            format!(
                "The file {} already exists; choose another name (a backup never overwrites).",
                file.display()
            ),
        ));
    }
    let source = open_read_only(Path::new(target))?;
    describe(&source, Path::new(target))?;
    let partial = partial_path(file);
    let _ = std::fs::remove_file(&partial);
    // 0600 from the start: the copy holds personal data.
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&partial)
        .map_err(|e| write_failed("Không tạo được tệp", "Cannot create the file", &partial, e))?;
    let result = (|| {
        let mut dest = Connection::open(&partial)
            .map_err(|e| sqlite_failure("Không mở được", "Cannot open", &partial, e))?;
        copy(&source, &mut dest, file)?;
        // One self-contained file, no WAL beside it.
        let _: String = dest
            .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))
            .map_err(|e| sqlite_failure("Không ghi được", "Cannot write", &partial, e))?;
        let described = describe(&dest, file)?;
        drop(dest);
        std::fs::File::open(&partial)
            .and_then(|f| f.sync_all())
            .and_then(|()| std::fs::rename(&partial, file))
            .map_err(|e| write_failed("Không ghi được", "Cannot write", file, e))?;
        Ok(described)
    })();
    let described = match result {
        Ok(d) => d,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
    };
    println!(
        "Đã sao lưu vào {}: lược đồ phiên bản {}, {} hộ, {} lượt thăm.",
        file.display(),
        described.version,
        described.households,
        described.visits
    );
    println!(
        "Backed up to {}: schema version {}, {} households, {} visits.",
        file.display(),
        described.version,
        described.households,
        described.visits
    );
    Ok(())
}

/// Whether the SQLite database at `target` holds data worth keeping (accounts, devices or
/// records), as opposed to nothing or an empty schema.
fn holds_data(conn: &Connection) -> bool {
    [
        "households",
        "visits",
        "sessions",
        "feedback",
        "devices",
        "coordinators",
    ]
    .iter()
    .any(|t| {
        conn.query_row(&format!("SELECT count(*) > 0 FROM {t}"), [], |r| {
            r.get::<_, bool>(0)
        })
        .unwrap_or(false)
    })
}

/// Whether another process has the WAL database `target` open: every SQLite connection in WAL
/// mode holds a shared lock on the "DMS" byte of the `-shm` file (offset 128, SQLite's unix
/// VFS) for as long as it is open, which is how SQLite itself tells the first connection from
/// the others. This process has no connection to it, so a write lock on that byte is refused
/// exactly when someone else has the database open (an idle `gocua serve` too).
fn shm_in_use(target: &str) -> bool {
    use std::os::fd::AsRawFd;
    let Ok(shm) = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(format!("{target}-shm"))
    else {
        return false;
    };
    // SAFETY: an all-zero `flock` is a valid value of this plain C struct; the fields used are
    // set below.
    let mut lock: libc::flock = unsafe { std::mem::zeroed() };
    lock.l_type = libc::F_WRLCK as libc::c_short;
    lock.l_whence = libc::SEEK_SET as libc::c_short;
    lock.l_start = 128;
    lock.l_len = 1;
    // SAFETY: fcntl(F_SETLK) on a descriptor `shm` owns, with a pointer to a live `flock`.
    let refused = unsafe { libc::fcntl(shm.as_raw_fd(), libc::F_SETLK, &lock) } != 0;
    // Closing the file releases the lock if it was taken.
    drop(shm);
    refused
}

/// `gocua admin restore FILE [--replace]`.
pub fn restore(target: &str, file: &Path, replace: bool) -> Result<(), Failure> {
    if is_postgres(target) {
        return Err(invalid(
            "use_pg_restore",
            "Với PostgreSQL, hãy khôi phục bằng pg_restore rồi chạy gocua admin mark-restored (xem docs/backup.md).",
            "For PostgreSQL, restore with pg_restore, then run gocua admin mark-restored (see docs/backup.md).",
        ));
    }
    let source = open_read_only(file)?;
    let described = describe(&source, file)?;
    let target_path = Path::new(target);
    if target_path.exists() {
        let in_use = shm_in_use(target) || {
            let conn = Connection::open(target_path)
                .map_err(|e| sqlite_failure("Không mở được", "Cannot open", target_path, e))?;
            // Leaving WAL mode needs the only connection to the file: it fails while another
            // program is in a transaction on it.
            let _ = conn.busy_timeout(Duration::from_secs(2));
            conn.query_row("PRAGMA journal_mode = DELETE", [], |r| {
                r.get::<_, String>(0)
            })
            .map(|mode| mode != "delete")
            .unwrap_or(true)
        };
        let conn = Connection::open(target_path)
            .map_err(|e| sqlite_failure("Không mở được", "Cannot open", target_path, e))?;
        if in_use {
            return Err(invalid(
            "restore_target_in_use",
                format!("Cơ sở dữ liệu {target} đang được một chương trình khác mở (gocua serve?). Hãy dừng máy chủ rồi khôi phục."),
                format!("The database {target} is open in another program (gocua serve?). Stop the server, then restore."),
            ));
        }
        if holds_data(&conn) && !replace {
            return Err(invalid(
            "restore_target_not_empty",
                format!("Cơ sở dữ liệu {target} đang có dữ liệu; khôi phục sẽ thay thế toàn bộ. Nếu đúng ý bạn, chạy lại với --replace (nên sao lưu nó trước)."),
                format!("The database {target} holds data; restoring replaces all of it. If that is what you want, run again with --replace (back it up first)."),
            ));
        }
    }
    {
        let mut dest = Connection::open(target_path)
            .map_err(|e| sqlite_failure("Không mở được", "Cannot open", target_path, e))?;
        copy(&source, &mut dest, target_path)?;
    }
    // Leftovers of the replaced database's journal would not match the restored pages.
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{target}{suffix}"));
    }
    // Open as the server does (migrating an older schema), then give it its new generation.
    let db: Db = open_database(target).map_err(|e| {
        invalid(
            "restore_open_failed",
            format!("Đã chép bản sao lưu nhưng không mở được {target}: {e}."),
            format!("The backup was copied but {target} cannot be opened: {e}."),
        )
    })?;
    let new_generation = super::tx(&db, |sql| Ok(generation::mark_restored(sql)?))?;
    println!(
        "Đã khôi phục {} vào {target}: lược đồ phiên bản {} (nay {SCHEMA_VERSION}), {} hộ, {} lượt thăm; thế hệ mới {new_generation} (trước: {}). Điện thoại sẽ tự gửi lại những gì đã gửi sau lúc sao lưu.",
        file.display(),
        described.version,
        described.households,
        described.visits,
        described.generation.as_deref().unwrap_or("—"),
    );
    println!(
        "Restored {} into {target}: schema version {} (now {SCHEMA_VERSION}), {} households, {} visits; new generation {new_generation} (was {}). Phones will send again what they sent after the backup was taken.",
        file.display(),
        described.version,
        described.households,
        described.visits,
        described.generation.as_deref().unwrap_or("—"),
    );
    Ok(())
}

/// `gocua admin mark-restored`: after `pg_restore` (or any restore made without gocua).
pub fn mark_restored(db: &Db) -> Result<(), Failure> {
    let new_generation = super::tx(db, |sql| Ok(generation::mark_restored(sql)?))?;
    println!("Đã đánh dấu cơ sở dữ liệu là bản khôi phục: thế hệ mới {new_generation}. Điện thoại sẽ tự gửi lại những gì đã gửi sau lúc sao lưu.");
    println!("The database is marked restored: new generation {new_generation}. Phones will send again what they sent after the backup was taken.");
    Ok(())
}
