//! The dashboard's export jobs of this process: who started each, how far it is, and the file it
//! made, kept in a private temporary directory until the process ends.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use uuid::Uuid;

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
}

#[derive(Debug, Clone)]
pub struct Job {
    pub owner: Uuid,
    pub started: DateTime<Utc>,
    pub state: JobState,
}

/// Export jobs of this process; files live in a private temporary directory.
pub struct ExportJobs {
    jobs: Mutex<HashMap<Uuid, Job>>,
    dir: tempfile::TempDir,
}

impl Default for ExportJobs {
    fn default() -> Self {
        ExportJobs {
            jobs: Mutex::new(HashMap::new()),
            dir: tempfile::Builder::new()
                .prefix("gocua-exports-")
                .tempdir()
                .expect("a temporary directory for exports"),
        }
    }
}

impl ExportJobs {
    /// Registers a job that has just started.
    pub(crate) fn start(&self, id: Uuid, job: Job) {
        self.jobs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(id, job);
    }

    /// Where a job's file is written.
    pub(crate) fn file_path(&self, name: String) -> PathBuf {
        self.dir.path().join(name)
    }

    pub(crate) fn set(&self, id: Uuid, state: JobState) {
        if let Some(j) = self
            .jobs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get_mut(&id)
        {
            j.state = state;
        }
    }

    /// A job of this owner (another coordinator's job id gets nothing).
    pub fn get(&self, id: Uuid, owner: Uuid) -> Option<Job> {
        self.jobs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&id)
            .filter(|j| j.owner == owner)
            .cloned()
    }
}
