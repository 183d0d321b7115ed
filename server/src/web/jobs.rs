//! The dashboard's export jobs of this process: who started each, how far it is, and the file it
//! made. Export files hold personal data, so they are kept as briefly and as privately as the
//! work allows:
//!
//! - written `0600` inside a directory of this process (`0700`), under
//!   `<temp dir>/gocua-exports/` (`0700`);
//! - deleted right after a successful download, [`DEFAULT_MAX_AGE`] after they were made (a
//!   janitor thread looks a few times per period), when the process stops normally, and at the
//!   next start of any `gocua` when the process that made them died (each process holds a lock on
//!   `run-<id>.lock`; a directory whose lock nobody holds is stale);
//! - never served after an erasure: a job remembers the database's erasure counter
//!   ([`crate::domain::erasure::erasure_count`]) when it starts, and a file made before an erasure
//!   is deleted instead of downloaded (the janitor deletes it too, and stops such a running job).
//!
//! A job holds one of a bounded number of slots from its start until its file is downloaded,
//! expires or is deleted (or the job fails): [`PER_ACCOUNT`] per account and [`GLOBAL`] in the
//! process, so no one can start unlimited jobs, threads or files.

use std::collections::HashMap;
use std::fs::File;
use std::io;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::db::Db;
use crate::domain::erasure::erasure_count;

/// Jobs an account may hold at once (running, or finished and not yet downloaded).
pub const PER_ACCOUNT: usize = 2;
/// Jobs the whole process may hold at once.
pub const GLOBAL: usize = 6;
/// How long a finished export file waits for its download.
pub const DEFAULT_MAX_AGE: Duration = Duration::from_secs(3600);
/// Overrides [`DEFAULT_MAX_AGE`] in whole seconds (tests use a few seconds).
pub const MAX_AGE_VAR: &str = "GOCUA_EXPORT_MAX_AGE_SECS";
/// The shared parent of every process's export directory, inside the temporary directory.
pub const ROOT_NAME: &str = "gocua-exports";

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
    /// When the job started, and (once done) when its file was finished: expiry counts from there.
    pub clock: Instant,
}

impl Job {
    pub fn new(owner: Uuid, total: u64, erasures: i64) -> Job {
        Job {
            owner,
            started: Utc::now(),
            state: JobState::Running { done: 0, total },
            erasures,
            clock: Instant::now(),
        }
    }

    /// Whether the job holds a slot (and perhaps a file).
    fn holds_slot(&self) -> bool {
        matches!(self.state, JobState::Running { .. } | JobState::Done { .. })
    }
}

/// Why a job cannot start now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Busy {
    /// The account holds [`PER_ACCOUNT`] jobs already: these.
    Account(Vec<Uuid>),
    /// The process holds [`GLOBAL`] jobs already.
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

/// This process's directory for export files, and its lock.
struct ExportDir {
    path: PathBuf,
    lock_path: Option<PathBuf>,
    _lock: Option<File>,
}

impl ExportDir {
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
        })
    }
}

impl Drop for ExportDir {
    fn drop(&mut self) {
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
    jobs: Mutex<HashMap<Uuid, Job>>,
    max_age: Duration,
    db: Db,
    // Last: the directory goes after everything else.
    dir: ExportDir,
}

/// Export jobs of this process.
pub struct ExportJobs {
    inner: Arc<Inner>,
}

impl ExportJobs {
    /// Export jobs over `db`, kept for [`MAX_AGE_VAR`] seconds (default an hour), under the
    /// system's temporary directory.
    pub fn new(db: Db) -> ExportJobs {
        let max_age = std::env::var(MAX_AGE_VAR)
            .ok()
            .and_then(|s| s.trim().parse::<u64>().ok())
            .filter(|s| *s > 0)
            .map_or(DEFAULT_MAX_AGE, Duration::from_secs);
        ExportJobs::with(db, &std::env::temp_dir(), max_age)
            .expect("a private temporary directory for exports")
    }

    /// Export jobs with their directory under `parent` and files kept for `max_age`.
    pub fn with(db: Db, parent: &Path, max_age: Duration) -> io::Result<ExportJobs> {
        let inner = Arc::new(Inner {
            jobs: Mutex::new(HashMap::new()),
            max_age,
            db,
            dir: ExportDir::open(parent)?,
        });
        let weak = Arc::downgrade(&inner);
        let every = (max_age / 4).clamp(Duration::from_millis(250), Duration::from_secs(60));
        std::thread::Builder::new()
            .name("gocua-export-janitor".into())
            .spawn(move || janitor(weak, every))?;
        Ok(ExportJobs { inner })
    }

    /// The directory this process writes export files to.
    pub fn dir(&self) -> &Path {
        &self.inner.dir.path
    }

    fn jobs(&self) -> std::sync::MutexGuard<'_, HashMap<Uuid, Job>> {
        self.inner.jobs.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Registers a job that is about to start, if a slot is free for its owner and in the
    /// process; checked and taken under one lock, so simultaneous starts cannot overshoot.
    pub(crate) fn try_start(&self, id: Uuid, job: Job) -> Result<(), Busy> {
        let mut jobs = self.jobs();
        let mut mine: Vec<(Instant, Uuid)> = jobs
            .iter()
            .filter(|(_, j)| j.owner == job.owner && j.holds_slot())
            .map(|(id, j)| (j.clock, *id))
            .collect();
        if mine.len() >= PER_ACCOUNT {
            mine.sort();
            return Err(Busy::Account(mine.into_iter().map(|(_, id)| id).collect()));
        }
        if jobs.values().filter(|j| j.holds_slot()).count() >= GLOBAL {
            return Err(Busy::Server);
        }
        jobs.insert(id, job);
        Ok(())
    }

    /// Creates a job's file, readable by this user only.
    pub(crate) fn create_file(&self, name: &str) -> io::Result<(PathBuf, File)> {
        let path = self.inner.dir.path.join(name);
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)?;
        Ok((path, file))
    }

    /// A job's new state. A job that was stopped meanwhile (its slot given up because of an
    /// erasure) stays stopped, and the file it made is deleted.
    pub(crate) fn set(&self, id: Uuid, state: JobState) {
        let mut jobs = self.jobs();
        let Some(j) = jobs.get_mut(&id) else {
            remove_file_of(&state);
            return;
        };
        if matches!(j.state, JobState::Gone(_)) {
            remove_file_of(&state);
            return;
        }
        if matches!(state, JobState::Done { .. }) {
            j.clock = Instant::now();
        }
        j.state = state;
    }

    /// Whether a running job was stopped (and should stop writing).
    pub(crate) fn stopped(&self, id: Uuid) -> bool {
        self.jobs()
            .get(&id)
            .is_none_or(|j| matches!(j.state, JobState::Gone(_)))
    }

    /// A job of this owner (another coordinator's job id gets nothing).
    pub fn get(&self, id: Uuid, owner: Uuid) -> Option<Job> {
        self.jobs().get(&id).filter(|j| j.owner == owner).cloned()
    }

    /// Hands a finished file to its owner's download, once: the job gives up its slot, and the
    /// caller deletes the file after reading it. `erasures` is the database's erasure counter
    /// now; a file made before an erasure is deleted instead. `None`: no such job of this owner.
    pub fn claim(&self, id: Uuid, owner: Uuid, erasures: i64) -> Option<Claim> {
        let mut jobs = self.jobs();
        let job = jobs.get_mut(&id).filter(|j| j.owner == owner)?;
        Some(match job.state.clone() {
            JobState::Running { .. } => Claim::Running,
            JobState::Failed(msg) => Claim::Failed(msg),
            JobState::Gone(why) => Claim::Gone(why),
            JobState::Done {
                path, name, mime, ..
            } => {
                if job.erasures != erasures {
                    let _ = std::fs::remove_file(&path);
                    job.state = JobState::Gone(Gone::Erasure);
                    Claim::Gone(Gone::Erasure)
                } else {
                    job.state = JobState::Gone(Gone::Downloaded);
                    Claim::File { path, name, mime }
                }
            }
        })
    }

    /// Deletes files past their age, and (with the erasure counter) every job's file made before
    /// the latest erasure; forgets old jobs. Runs on the janitor thread, and after an erasure
    /// from the dashboard.
    pub fn sweep(&self, erasures: Option<i64>) {
        self.inner.sweep(erasures);
    }
}

impl Inner {
    fn sweep(&self, erasures: Option<i64>) {
        let mut jobs = self.jobs.lock().unwrap_or_else(|e| e.into_inner());
        let mut keep_files = Vec::new();
        for j in jobs.values_mut() {
            let before_erasure = erasures.is_some_and(|n| n != j.erasures);
            match j.state.clone() {
                JobState::Done { path, .. } => {
                    if before_erasure {
                        let _ = std::fs::remove_file(&path);
                        j.state = JobState::Gone(Gone::Erasure);
                    } else if j.clock.elapsed() >= self.max_age {
                        let _ = std::fs::remove_file(&path);
                        j.state = JobState::Gone(Gone::Expired);
                    } else {
                        keep_files.push(path);
                    }
                }
                // The worker sees it stopped, stops and deletes what it wrote.
                JobState::Running { .. } if before_erasure => {
                    j.state = JobState::Gone(Gone::Erasure);
                }
                _ => {}
            }
        }
        // A status page remembers a finished job for a day, then the entry goes too.
        let forget = self.max_age.max(Duration::from_secs(24 * 3600));
        jobs.retain(|_, j| j.holds_slot() || j.clock.elapsed() < forget);
        // Files no job owns any more (a worker that stopped halfway) go as well — but not
        // those of running jobs, which are still being written.
        // The jobs stay locked meanwhile, so no job starts writing a file during the scan.
        let running: Vec<String> = jobs
            .iter()
            .filter(|(_, j)| matches!(j.state, JobState::Running { .. }))
            .map(|(id, _)| id.to_string())
            .collect();
        if let Ok(entries) = std::fs::read_dir(&self.dir.path) {
            for e in entries.flatten() {
                let path = e.path();
                let name = e.file_name().to_string_lossy().into_owned();
                let of_running = running.iter().any(|id| name.starts_with(id.as_str()));
                if !of_running && !keep_files.contains(&path) {
                    let _ = std::fs::remove_file(&path);
                }
            }
        }
        drop(jobs);
    }
}

fn remove_file_of(state: &JobState) {
    if let JobState::Done { path, .. } = state {
        let _ = std::fs::remove_file(path);
    }
}

/// Sweeps every `every` for as long as the jobs exist.
fn janitor(jobs: Weak<Inner>, every: Duration) {
    loop {
        std::thread::sleep(every);
        let Some(inner) = jobs.upgrade() else {
            return;
        };
        let erasures = inner.db.tx(erasure_count).ok();
        inner.sweep(erasures);
    }
}
