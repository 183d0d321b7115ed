//! The dashboard's export jobs: who started each, how far it is, and the file it made. The
//! jobs live in the database (`export_jobs`, schema 5), so every `gocua serve` on one database
//! sees the same jobs: a user polling through a load balancer gets the same page from any of
//! them, the limits count every process's jobs, and a job whose process died is made again by
//! the process that next shows it (its heartbeat stopped: [`ExportJobs::take_over`]).
//!
//! Export files hold personal data, so they are kept as briefly and as privately as the work
//! allows:
//!
//! - written `0600` inside a `0700` directory: by default one of this process, under
//!   `<temp dir>/gocua-exports/` (`0700`), deleted when the process stops normally and at the
//!   next start of any `gocua` when the process that made it died (each process holds a lock on
//!   `run-<id>.lock`; a directory whose lock nobody holds is stale); with several instances,
//!   the directory [`EXPORT_DIR_VAR`] names, shared by all of them (a file finished by one is
//!   downloaded through another), where files are deleted by the rules below only;
//! - deleted right after a successful download and [`DEFAULT_MAX_AGE`] after they were made (a
//!   janitor thread of every process looks a few times per period);
//! - never served after an erasure: a job remembers the database's erasure counter
//!   ([`crate::domain::erasure::erasure_count`]) when it starts, and a file made before an erasure
//!   is deleted instead of downloaded (the janitor deletes it too, and stops such a running job).
//!
//! A job holds one of a bounded number of slots from its start until its file is downloaded,
//! expires or is deleted (or the job fails): [`PER_ACCOUNT`] per account and [`GLOBAL`] over
//! the database, so no one can start unlimited jobs, threads or files. Both are counted in the
//! database, in a transaction that first locks the `export_jobs` counter row, so simultaneous
//! starts on several processes cannot overshoot.

use std::fs::File;
use std::io;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Weak};
use std::time::Duration;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::db::{Db, DbResult, Row, Sql, Value};
use crate::domain::erasure::erasure_count;
use crate::params;

/// Jobs an account may hold at once (running, or finished and not yet downloaded).
pub const PER_ACCOUNT: usize = 2;
/// Jobs all processes on the database may hold at once.
pub const GLOBAL: usize = 6;
/// How long a finished export file waits for its download.
pub const DEFAULT_MAX_AGE: Duration = Duration::from_secs(3600);
/// Overrides [`DEFAULT_MAX_AGE`] in whole seconds (tests use a few seconds).
pub const MAX_AGE_VAR: &str = "GOCUA_EXPORT_MAX_AGE_SECS";
/// The shared parent of every process's export directory, inside the temporary directory.
pub const ROOT_NAME: &str = "gocua-exports";
/// A directory every `gocua serve` on the database writes its export files to (several
/// instances: a shared mount on several hosts). Unset: a directory of this process.
pub const EXPORT_DIR_VAR: &str = "GOCUA_EXPORT_DIR";
/// Seconds without a heartbeat after which a running job counts as abandoned (its process
/// died) and the next process to show it makes it again. Default [`DEFAULT_STALE`].
pub const STALE_VAR: &str = "GOCUA_EXPORT_STALE_SECS";
pub const DEFAULT_STALE: Duration = Duration::from_secs(30);

#[derive(Debug, Clone)]
pub enum JobState {
    Running {
        done: u64,
        total: u64,
    },
    Done {
        path: PathBuf,
        name: String,
        mime: &'static str,
        rows: u64,
    },
    Failed(String),
    /// The file is no more; why.
    Gone(Gone),
}

/// Why a job's file was deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gone {
    Downloaded,
    Expired,
    /// A household's personal data was erased after the job started.
    Erasure,
}

#[derive(Debug, Clone)]
pub struct Job {
    pub owner: Uuid,
    pub started: DateTime<Utc>,
    pub state: JobState,
    /// The database's erasure counter when the job started.
    pub erasures: i64,
    /// The last sign of life of the process making it (running jobs).
    pub heartbeat: DateTime<Utc>,
}

/// Why a job cannot start now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Busy {
    /// The account holds [`PER_ACCOUNT`] jobs already: these.
    Account(Vec<Uuid>),
    /// [`GLOBAL`] jobs are held already.
    Server,
}

/// What a download request gets.
pub enum Claim {
    File {
        path: PathBuf,
        name: String,
        mime: &'static str,
    },
    Running,
    Gone(Gone),
    Failed(String),
}

/// The directory for export files: this process's own (with its lock), or the shared one.
struct ExportDir {
    path: PathBuf,
    lock_path: Option<PathBuf>,
    _lock: Option<File>,
    /// The shared directory of several processes: left in place when this one stops.
    shared: bool,
}

impl ExportDir {
    /// The shared directory `path` (made `0700` if missing; refused unless it is a directory of
    /// this user).
    fn shared(path: &Path) -> io::Result<ExportDir> {
        match std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(path)
        {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
        let meta = std::fs::symlink_metadata(path)?;
        let mine = tempfile::tempfile_in(path)?.metadata()?.uid();
        if !meta.is_dir() || meta.uid() != mine {
            return Err(io::Error::other(format!(
                "{EXPORT_DIR_VAR}={} is not a directory of this user",
                path.display()
            )));
        }
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700))?;
        Ok(ExportDir {
            path: path.to_owned(),
            lock_path: None,
            _lock: None,
            shared: true,
        })
    }

    /// Makes this process's directory under `<parent>/gocua-exports/`, first deleting the
    /// directories of processes that are gone. If the shared parent cannot be used safely (not a
    /// directory of this user), a private directory of its own is used without the clean-up.
    fn open(parent: &Path) -> io::Result<ExportDir> {
        let root = parent.join(ROOT_NAME);
        match std::fs::DirBuilder::new().mode(0o700).create(&root) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
        let meta = std::fs::symlink_metadata(&root)?;
        // A file just made tells who this process is, without asking the C library.
        let mine = tempfile::tempfile_in(parent)?.metadata()?.uid();
        if !meta.is_dir() || meta.uid() != mine {
            tracing::warn!(
                root = %root.display(),
                "the shared export directory is not this user's: using a private one"
            );
            let dir = tempfile::Builder::new()
                .prefix("gocua-exports-")
                .tempdir_in(parent)?
                .keep();
            std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))?;
            return Ok(ExportDir {
                path: dir,
                lock_path: None,
                _lock: None,
                shared: false,
            });
        }
        std::fs::set_permissions(&root, std::fs::Permissions::from_mode(0o700))?;
        remove_stale(&root);
        let id = Uuid::now_v7().simple().to_string();
        // The lock is taken under a temporary name and then renamed: a `run-*.lock` is always
        // held from the moment it exists, so another process never takes a live one for stale.
        let tmp = root.join(format!("tmp-{id}"));
        let lock = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)?;
        try_lock(&lock)?;
        let lock_path = root.join(format!("run-{id}.lock"));
        std::fs::rename(&tmp, &lock_path)?;
        let path = root.join(format!("run-{id}"));
        std::fs::DirBuilder::new().mode(0o700).create(&path)?;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o700))?;
        Ok(ExportDir {
            path,
            lock_path: Some(lock_path),
            _lock: Some(lock),
            shared: false,
        })
    }
}

impl Drop for ExportDir {
    fn drop(&mut self) {
        if self.shared {
            return;
        }
        let _ = std::fs::remove_dir_all(&self.path);
        if let Some(lock) = &self.lock_path {
            let _ = std::fs::remove_file(lock);
        }
    }
}

/// Takes an exclusive `flock(2)` on `file` without waiting; it is released when the process
/// ends, however it ends.
fn try_lock(file: &File) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    // SAFETY: flock on a file descriptor this `File` owns for the duration of the call.
    if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Deletes the export directories of processes that no longer run (their lock is free), and
/// directories and leftovers without any lock.
fn remove_stale(root: &Path) {
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    let names: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    for name in &names {
        if let Some(id) = name
            .strip_prefix("run-")
            .and_then(|n| n.strip_suffix(".lock"))
        {
            let lock_path = root.join(name);
            let Ok(lock) = File::open(&lock_path) else {
                continue;
            };
            if try_lock(&lock).is_ok() {
                let _ = std::fs::remove_dir_all(root.join(format!("run-{id}")));
                let _ = std::fs::remove_file(&lock_path);
            }
        } else if let Some(id) = name.strip_prefix("run-") {
            // A directory whose lock file is gone belongs to nobody.
            if !names.contains(&format!("run-{id}.lock")) {
                let _ = std::fs::remove_dir_all(root.join(name));
            }
        } else if name.starts_with("tmp-") {
            // A lock still being set up is held; a free one is a leftover.
            if let Ok(f) = File::open(root.join(name)) {
                if try_lock(&f).is_ok() {
                    let _ = std::fs::remove_file(root.join(name));
                }
            }
        }
    }
}

struct Inner {
    max_age: Duration,
    stale: Duration,
    /// This process, as the `worker` of the jobs it makes.
    worker: String,
    db: Db,
    // Last: the directory goes after everything else.
    dir: ExportDir,
}

/// Export jobs over the database, made by this process or taken over from another.
pub struct ExportJobs {
    inner: Arc<Inner>,
}

const JOB_COLUMNS: &str = "owner_id, state, done_rows, total_rows, erasures, started_at, \
    heartbeat_at, file_path, file_name, mime, message, gone_reason, finished_at, worker";

fn mime_of(stored: &str) -> &'static str {
    match stored {
        m if m.starts_with("text/csv") => "text/csv; charset=utf-8",
        _ => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
}

fn gone_of(stored: &str) -> Gone {
    match stored {
        "downloaded" => Gone::Downloaded,
        "erasure" => Gone::Erasure,
        _ => Gone::Expired,
    }
}

fn gone_str(why: Gone) -> &'static str {
    match why {
        Gone::Downloaded => "downloaded",
        Gone::Expired => "expired",
        Gone::Erasure => "erasure",
    }
}

fn job_of(r: &Row) -> DbResult<Job> {
    let state = match r.text(1).as_str() {
        "running" => JobState::Running {
            done: r.int(2) as u64,
            total: r.int(3) as u64,
        },
        "done" => JobState::Done {
            path: PathBuf::from(r.text(7)),
            name: r.text(8),
            mime: mime_of(&r.text(9)),
            rows: r.int(2) as u64,
        },
        "failed" => JobState::Failed(r.text(10)),
        _ => JobState::Gone(gone_of(&r.text(11))),
    };
    Ok(Job {
        owner: r.uuid(0)?,
        started: r.opt_time(5).unwrap_or_default(),
        state,
        erasures: r.int(4),
        heartbeat: r.opt_time(6).unwrap_or_default(),
    })
}

/// The files of the finished jobs that the SQL condition `and` also picks, read before the
/// sweep marks those jobs gone.
fn done_files(sql: &mut dyn Sql, and: &str, params: &[Value]) -> DbResult<Vec<PathBuf>> {
    Ok(sql
        .query(
            &format!("SELECT file_path FROM export_jobs WHERE state = 'done' AND {and}"),
            params,
        )?
        .iter()
        .map(|r| PathBuf::from(r.text(0)))
        .collect())
}

/// Finished jobs whose file is no more give up their slot: the file was in the directory of a
/// process that stopped (deleted with it), or deleted by hand. Counted as expired.
fn release_missing_files(sql: &mut dyn Sql, now: DateTime<Utc>) -> DbResult<()> {
    for r in sql.query(
        "SELECT id, file_path FROM export_jobs WHERE state = 'done'",
        &[],
    )? {
        if !Path::new(&r.text(1)).is_file() {
            sql.exec(
                "UPDATE export_jobs SET state = 'gone', gone_reason = 'expired', finished_at = ? WHERE id = ? AND state = 'done'",
                params![now, r.text(0)],
            )?;
        }
    }
    Ok(())
}

fn env_secs(var: &str) -> Option<Duration> {
    std::env::var(var)
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .filter(|s| *s > 0)
        .map(Duration::from_secs)
}

fn chrono_of(d: Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX)
}

impl ExportJobs {
    /// Export jobs over `db`, kept for [`MAX_AGE_VAR`] seconds (default an hour), in the
    /// directory [`EXPORT_DIR_VAR`] names or else one of this process under the system's
    /// temporary directory.
    pub fn new(db: Db) -> ExportJobs {
        let max_age = env_secs(MAX_AGE_VAR).unwrap_or(DEFAULT_MAX_AGE);
        let stale = env_secs(STALE_VAR).unwrap_or(DEFAULT_STALE);
        let dir = match std::env::var_os(EXPORT_DIR_VAR).filter(|d| !d.is_empty()) {
            Some(shared) => ExportDir::shared(Path::new(&shared)).unwrap_or_else(|e| {
                panic!(
                    "Không dùng được thư mục tệp xuất {EXPORT_DIR_VAR}={}: {e}. / \
                     The export directory {EXPORT_DIR_VAR}={} cannot be used: {e}.",
                    Path::new(&shared).display(),
                    Path::new(&shared).display()
                )
            }),
            None => ExportDir::open(&std::env::temp_dir())
                .expect("a private temporary directory for exports"),
        };
        ExportJobs::start(db, dir, max_age, stale).expect("the export janitor thread")
    }

    /// Export jobs with their directory under `parent` and files kept for `max_age`.
    pub fn with(db: Db, parent: &Path, max_age: Duration) -> io::Result<ExportJobs> {
        ExportJobs::start(db, ExportDir::open(parent)?, max_age, DEFAULT_STALE)
    }

    fn start(db: Db, dir: ExportDir, max_age: Duration, stale: Duration) -> io::Result<ExportJobs> {
        let inner = Arc::new(Inner {
            max_age,
            stale,
            worker: Uuid::now_v7().simple().to_string(),
            db,
            dir,
        });
        let weak = Arc::downgrade(&inner);
        let every = (max_age / 4).clamp(Duration::from_millis(250), Duration::from_secs(60));
        // Heartbeats several times per stale period, so a live job never looks abandoned.
        let beat = (stale / 4).clamp(Duration::from_millis(250), Duration::from_secs(5));
        std::thread::Builder::new()
            .name("gocua-export-janitor".into())
            .spawn(move || janitor(weak, every, beat))?;
        Ok(ExportJobs { inner })
    }

    /// The directory this process writes export files to.
    pub fn dir(&self) -> &Path {
        &self.inner.dir.path
    }

    fn tx<T>(&self, f: impl FnOnce(&mut dyn Sql) -> DbResult<T>) -> DbResult<T> {
        self.inner.db.tx(f)
    }

    /// Registers a job that is about to start, made by this process, if a slot is free for its
    /// owner and over the database. `request` is what another process needs to make the job
    /// again (JSON). Checked and taken in one transaction that first locks the jobs' counter
    /// row, so simultaneous starts, on any process, cannot overshoot.
    pub(crate) fn try_start(
        &self,
        id: Uuid,
        owner: Uuid,
        total: u64,
        erasures: i64,
        request: &str,
    ) -> DbResult<Result<(), Busy>> {
        let worker = self.inner.worker.clone();
        let request = request.to_owned();
        self.tx(move |sql| {
            // The row lock serialises every start (SQLite has one writer anyway).
            sql.next_seq("export_jobs")?;
            release_missing_files(sql, Utc::now())?;
            let mine: Vec<Uuid> = sql
                .query(
                    "SELECT id FROM export_jobs WHERE owner_id = ? AND state IN ('running', 'done') ORDER BY started_at, id",
                    params![owner],
                )?
                .iter()
                .map(|r| r.uuid(0))
                .collect::<DbResult<_>>()?;
            if mine.len() >= PER_ACCOUNT {
                return Ok(Err(Busy::Account(mine)));
            }
            let held = sql
                .query_one(
                    "SELECT count(*) FROM export_jobs WHERE state IN ('running', 'done')",
                    &[],
                )?
                .map_or(0, |r| r.int(0));
            if held >= GLOBAL as i64 {
                return Ok(Err(Busy::Server));
            }
            let now = Utc::now();
            sql.exec(
                "INSERT INTO export_jobs(id, owner_id, state, done_rows, total_rows, erasures, request, worker, heartbeat_at, started_at)
                 VALUES (?, ?, 'running', 0, ?, ?, ?, ?, ?, ?)",
                params![id, owner, total, erasures, request, worker, now, now],
            )?;
            Ok(Ok(()))
        })
    }

    /// Takes over a running job whose process stopped beating (it died): this process becomes
    /// its worker and gets the job's request to make it again from the start. `None`: the job
    /// is alive, finished, or another process took it first.
    pub fn take_over(&self, id: Uuid) -> DbResult<Option<String>> {
        let worker = self.inner.worker.clone();
        let now = Utc::now();
        let before = now - chrono_of(self.inner.stale);
        self.tx(move |sql| {
            let taken = sql.exec(
                "UPDATE export_jobs SET worker = ?, heartbeat_at = ?, done_rows = 0
                 WHERE id = ? AND state = 'running' AND heartbeat_at < ?",
                params![worker, now, id, before],
            )?;
            if taken == 0 {
                return Ok(None);
            }
            Ok(sql
                .query_one("SELECT request FROM export_jobs WHERE id = ?", params![id])?
                .map(|r| r.text(0)))
        })
    }

    /// Whether a running job's heartbeat is old enough for [`ExportJobs::take_over`].
    pub fn abandoned(&self, job: &Job) -> bool {
        matches!(job.state, JobState::Running { .. })
            && job.heartbeat < Utc::now() - chrono_of(self.inner.stale)
    }

    /// Creates a job's file, readable by this user only. Named after the job and this process,
    /// so a process that takes a job over never writes into the file of the one before.
    pub(crate) fn create_file(&self, id: Uuid, ext: &str) -> io::Result<(PathBuf, File)> {
        let path = self
            .inner
            .dir
            .path
            .join(format!("{id}.{}.{ext}", &self.inner.worker[20..]));
        let _ = std::fs::remove_file(&path);
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)?;
        Ok((path, file))
    }

    /// A job's new state, if this process still makes it. A job that was stopped meanwhile (its
    /// slot given up because of an erasure) or taken over by another process stays as it is,
    /// and the file this process made is deleted.
    pub(crate) fn set(&self, id: Uuid, state: JobState) {
        let worker = self.inner.worker.clone();
        let now = Utc::now();
        let st = state.clone();
        let updated = self.tx(move |sql| match &st {
            JobState::Running { done, total } => sql.exec(
                "UPDATE export_jobs SET done_rows = ?, total_rows = ?, heartbeat_at = ?
                 WHERE id = ? AND worker = ? AND state = 'running'",
                params![*done, *total, now, id, worker],
            ),
            JobState::Done {
                path,
                name,
                mime,
                rows,
            } => sql.exec(
                "UPDATE export_jobs SET state = 'done', done_rows = ?, file_path = ?, file_name = ?, mime = ?, finished_at = ?, heartbeat_at = ?
                 WHERE id = ? AND worker = ? AND state = 'running'",
                params![*rows, path.to_string_lossy().into_owned(), name.clone(), *mime, now, now, id, worker],
            ),
            JobState::Failed(message) => sql.exec(
                "UPDATE export_jobs SET state = 'failed', message = ?, finished_at = ?
                 WHERE id = ? AND worker = ? AND state = 'running'",
                params![message.clone(), now, id, worker],
            ),
            JobState::Gone(why) => sql.exec(
                "UPDATE export_jobs SET state = 'gone', gone_reason = ?, finished_at = ?
                 WHERE id = ? AND worker = ? AND state IN ('running', 'done')",
                params![gone_str(*why), now, id, worker],
            ),
        });
        if !matches!(updated, Ok(1)) {
            remove_file_of(&state);
        }
    }

    /// Whether a running job was stopped, or taken over by another process (this one should
    /// stop writing). A database error counts as stopped: the job is made again elsewhere.
    pub(crate) fn stopped(&self, id: Uuid) -> bool {
        let worker = self.inner.worker.clone();
        self.tx(move |sql| {
            Ok(sql
                .query_one(
                    "SELECT 1 FROM export_jobs WHERE id = ? AND worker = ? AND state = 'running'",
                    params![id, worker],
                )?
                .is_none())
        })
        .unwrap_or(true)
    }

    /// How many jobs of the whole deployment are running, and finished awaiting their download
    /// (for the metrics).
    pub fn counts(&self) -> DbResult<(u64, u64)> {
        self.tx(|sql| {
            let mut counts = (0, 0);
            for row in sql.query(
                "SELECT state, count(*) FROM export_jobs WHERE state IN ('running', 'done') GROUP BY state",
                &[],
            )? {
                let n = row.int(1).max(0) as u64;
                match row.text(0).as_str() {
                    "running" => counts.0 = n,
                    _ => counts.1 = n,
                }
            }
            Ok(counts)
        })
    }

    /// A job of this owner (another coordinator's job id gets nothing).
    pub fn get(&self, id: Uuid, owner: Uuid) -> DbResult<Option<Job>> {
        self.tx(move |sql| {
            sql.query_one(
                &format!("SELECT {JOB_COLUMNS} FROM export_jobs WHERE id = ? AND owner_id = ?"),
                params![id, owner],
            )?
            .map(|r| job_of(&r))
            .transpose()
        })
    }

    /// Hands a finished file to its owner's download, once (over all processes): the job gives
    /// up its slot, and the caller deletes the file after reading it. `erasures` is the
    /// database's erasure counter now; a file made before an erasure is deleted instead, and a
    /// file that is no more (its process's directory went with it) counts as expired. `None`:
    /// no such job of this owner.
    pub fn claim(&self, id: Uuid, owner: Uuid, erasures: i64) -> DbResult<Option<Claim>> {
        let now = Utc::now();
        let claim = self.tx(move |sql| {
            let Some(row) = sql.query_one(
                &format!("SELECT {JOB_COLUMNS} FROM export_jobs WHERE id = ? AND owner_id = ?"),
                params![id, owner],
            )?
            else {
                return Ok(None);
            };
            let job = job_of(&row)?;
            Ok(Some(match job.state {
                JobState::Running { .. } => Claim::Running,
                JobState::Failed(msg) => Claim::Failed(msg),
                JobState::Gone(why) => Claim::Gone(why),
                JobState::Done {
                    path, name, mime, ..
                } => {
                    let why = if job.erasures != erasures {
                        Some(Gone::Erasure)
                    } else if !path.is_file() {
                        Some(Gone::Expired)
                    } else {
                        None
                    };
                    let reason = gone_str(why.unwrap_or(Gone::Downloaded));
                    // Only one download wins the file, whichever process it reaches.
                    let won = sql.exec(
                        "UPDATE export_jobs SET state = 'gone', gone_reason = ?, finished_at = ? WHERE id = ? AND state = 'done'",
                        params![reason, now, id],
                    )? == 1;
                    match why {
                        Some(why) => {
                            let _ = std::fs::remove_file(&path);
                            Claim::Gone(why)
                        }
                        None if won => Claim::File { path, name, mime },
                        None => Claim::Gone(Gone::Downloaded),
                    }
                }
            }))
        })?;
        Ok(claim)
    }

    /// Deletes files past their age, and (with the erasure counter) every job's file made before
    /// the latest erasure; forgets old jobs. Runs on the janitor thread, and after an erasure
    /// from the dashboard.
    pub fn sweep(&self, erasures: Option<i64>) {
        if let Err(e) = self.inner.sweep(erasures) {
            tracing::warn!("export janitor: {e}");
        }
    }
}

impl Inner {
    fn sweep(&self, erasures: Option<i64>) -> DbResult<()> {
        let now = Utc::now();
        let expired_before = now - chrono_of(self.max_age);
        // A status page remembers a finished job for a day, then the row goes too.
        let forget_before = now - chrono_of(self.max_age.max(Duration::from_secs(24 * 3600)));
        let (doomed, keep, running) = self.db.tx(|sql| {
            let mut doomed = Vec::new();
            if let Some(n) = erasures {
                doomed.extend(done_files(sql, "erasures <> ?", params![n])?);
                sql.exec(
                    "UPDATE export_jobs SET state = 'gone', gone_reason = 'erasure', finished_at = ?
                     WHERE state IN ('running', 'done') AND erasures <> ?",
                    params![now, n],
                )?;
            }
            doomed.extend(done_files(
                sql,
                "finished_at < ?",
                params![expired_before],
            )?);
            sql.exec(
                "UPDATE export_jobs SET state = 'gone', gone_reason = 'expired'
                 WHERE state = 'done' AND finished_at < ?",
                params![expired_before],
            )?;
            release_missing_files(sql, now)?;
            // A job abandoned by its process and shown to nobody since (no one took it over):
            // after the files' age, it fails and gives up its slot.
            sql.exec(
                "UPDATE export_jobs SET state = 'failed', message = '', finished_at = ?
                 WHERE state = 'running' AND heartbeat_at < ?",
                params![now, expired_before.min(now - chrono_of(self.stale))],
            )?;
            sql.exec(
                "DELETE FROM export_jobs WHERE state IN ('failed', 'gone') AND coalesce(finished_at, started_at) < ?",
                params![forget_before],
            )?;
            // Running first: a job that finishes between the two reads is in the second (each
            // statement may see a newer state on PostgreSQL).
            let running: Vec<String> = sql
                .query("SELECT id FROM export_jobs WHERE state = 'running'", &[])?
                .iter()
                .map(|r| r.text(0))
                .collect();
            let keep: Vec<PathBuf> = sql
                .query(
                    "SELECT file_path FROM export_jobs WHERE state = 'done'",
                    &[],
                )?
                .iter()
                .map(|r| PathBuf::from(r.text(0)))
                .collect();
            Ok::<_, crate::db::DbError>((doomed, keep, running))
        })?;
        for path in doomed {
            let _ = std::fs::remove_file(path);
        }
        // Files no job owns any more (a worker that stopped halfway, a job taken over) go as
        // well — but not those of running jobs, which may still be being written. A job's row
        // is written before its file is made, so a file made after the query above belongs to
        // a job it listed as running.
        if let Ok(entries) = std::fs::read_dir(&self.dir.path) {
            for e in entries.flatten() {
                let path = e.path();
                let name = e.file_name().to_string_lossy().into_owned();
                let of_running = running.iter().any(|id| name.starts_with(id.as_str()));
                if !of_running && !keep.contains(&path) && path.is_file() {
                    let _ = std::fs::remove_file(&path);
                }
            }
        }
        Ok(())
    }

    /// The heartbeat of this process's running jobs.
    fn beat(&self) -> DbResult<()> {
        let worker = self.worker.clone();
        self.db.tx(|sql| {
            sql.exec(
                "UPDATE export_jobs SET heartbeat_at = ? WHERE worker = ? AND state = 'running'",
                params![Utc::now(), worker],
            )
        })?;
        Ok(())
    }
}

fn remove_file_of(state: &JobState) {
    if let JobState::Done { path, .. } = state {
        let _ = std::fs::remove_file(path);
    }
}

/// Beats every `beat` and sweeps every `every`, for as long as the jobs exist.
fn janitor(jobs: Weak<Inner>, every: Duration, beat: Duration) {
    let tick = every.min(beat);
    let mut since_sweep = Duration::ZERO;
    loop {
        std::thread::sleep(tick);
        let Some(inner) = jobs.upgrade() else {
            return;
        };
        let _ = inner.beat();
        since_sweep += tick;
        if since_sweep >= every {
            since_sweep = Duration::ZERO;
            let erasures = inner.db.tx(erasure_count).ok();
            if let Err(e) = inner.sweep(erasures) {
                tracing::warn!("export janitor: {e}");
            }
        }
    }
}
