//! Helpers for Gõ Cửa's end-to-end tests: a real server (in this process through
//! `gocua_server::app::serve_on`, or the `gocua serve` binary as a child process) on 127.0.0.1, on a
//! fresh SQLite file or a fresh PostgreSQL database, seeded with real reference data; real device
//! stores (encrypted, on temporary files: `gocua_sim`'s [`Device`], re-exported here) talking to
//! it through `gocua_core::HttpTransport`; a TCP proxy that cuts connections; and queries of what
//! the server stored.
//!
//! Every scenario runs on both backends. PostgreSQL comes from `GOCUA_TEST_PG_URL` (the admin
//! database of a throwaway cluster: `bash scripts/test.sh` starts one with
//! `scripts/start-postgres.sh`); each test creates its own database there. Without that variable
//! the PostgreSQL tests fail with a message saying how to run them — they are never skipped.

pub mod admin;
pub mod coverage;
pub mod dashboard;
pub mod inspect;
pub mod nginx;
pub mod places;
pub mod proxy;
pub mod raw;
pub mod seed;
pub mod server;
pub mod uploads;

use std::time::Duration;

use gocua_server::db::Db;
use tempfile::TempDir;

/// The phone of these tests lives in `gocua-sim`, with the demo's simulated phones.
pub use gocua_sim::device;
pub use gocua_sim::device::{Device, Recorded, RecordingTransport};
pub use seed::Seed;
pub use server::Server;

/// The two storage backends of the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub use gocua_pg_scratch::{pg_admin_url, with_database, PgScratch, PG_URL_VAR};

/// Runs `scenario` once per backend as two `#[test]`s in a module named after it:
/// `on_both_backends!(my_scenario);` gives `my_scenario::sqlite` and `my_scenario::postgres`.
#[macro_export]
macro_rules! on_both_backends {
    ($($scenario:ident),+ $(,)?) => {
        $(
            mod $scenario {
                #[test]
                fn sqlite() {
                    super::$scenario($crate::Backend::Sqlite)
                }
                #[test]
                fn postgres() {
                    super::$scenario($crate::Backend::Postgres)
                }
            }
        )+
    };
}

/// A fresh, empty database for one test: a SQLite file in a temporary directory, or a new
/// PostgreSQL database `gocua_e2e_<random>` (dropped again at the end unless the test failed,
/// so it can be inspected).
pub struct TestDb {
    pub backend: Backend,
    /// What `gocua serve --db` takes: a file path or a `postgres://` URL.
    pub target: String,
    dir: TempDir,
    _pg: Option<PgScratch>,
}

impl TestDb {
    pub fn new(backend: Backend) -> TestDb {
        let dir = tempfile::Builder::new()
            .prefix("gocua-e2e-")
            .tempdir()
            .expect("temporary directory");
        match backend {
            Backend::Sqlite => {
                let target = dir.path().join("server.db").to_string_lossy().into_owned();
                TestDb {
                    backend,
                    target,
                    dir,
                    _pg: None,
                }
            }
            Backend::Postgres => {
                let pg = PgScratch::on_test_cluster("gocua_e2e");
                TestDb {
                    backend,
                    target: pg.url.clone(),
                    dir,
                    _pg: Some(pg),
                }
            }
        }
    }

    /// Opens the database (creating the schema) as the server does.
    pub fn open(&self) -> Db {
        gocua_server::domain::open::open_database(&self.target)
            .unwrap_or_else(|e| panic!("cannot open {}: {e}", self.target))
    }

    /// A directory that lives as long as the database (logs, device stores).
    pub fn dir(&self) -> &std::path::Path {
        self.dir.path()
    }
}

/// One test's world: a database seeded with reference data and a server on it. Fields drop in
/// order: the server stops before the database goes.
pub struct Env {
    pub server: Server,
    pub db: Db,
    pub seed: Seed,
    pub test_db: TestDb,
}

impl Env {
    /// A seeded database and an in-process server on it.
    pub fn start(backend: Backend) -> Env {
        let test_db = TestDb::new(backend);
        let db = test_db.open();
        Env::seeded(test_db, db)
    }

    /// A seeded database opened through `db` (e.g. with URL options) and an in-process server
    /// on it; `test_db` is where it lives.
    pub fn seeded(test_db: TestDb, db: Db) -> Env {
        let seed = seed::seed(&db);
        let server = Server::in_process(db.clone());
        Env {
            server,
            db,
            seed,
            test_db,
        }
    }

    /// A seeded database and the real `gocua serve` binary on it, as a child process.
    pub fn start_binary(backend: Backend) -> Env {
        let test_db = TestDb::new(backend);
        let db = test_db.open();
        let seed = seed::seed(&db);
        let server = Server::binary(&test_db.target, None, test_db.dir());
        Env {
            server,
            db,
            seed,
            test_db,
        }
    }

    /// A scope test's start: the seed's communes split into units A and B
    /// ([`seed::split_units`]), the scope test's accounts over unit A
    /// ([`dashboard::coordinator_and_viewer`]), and unit A's coordinator `xa_a` signed in, with
    /// its form token.
    pub fn split_for_scope(
        &self,
    ) -> (
        gocua_protocol::OrgUnit,
        gocua_protocol::OrgUnit,
        dashboard::Web,
        String,
    ) {
        let (unit_a, unit_b) = seed::split_units(&self.db, &self.seed);
        dashboard::coordinator_and_viewer(&self.db, self.seed.org_unit.id, unit_a.id);
        let (xa, csrf) = dashboard::Web::login_with_csrf(&self.server.url, "xa_a");
        (unit_a, unit_b, xa, csrf)
    }

    /// A fresh one-time enrolment code for a member of `team` (valid for a day).
    pub fn code(&self, team: &gocua_protocol::Team, member: usize) -> String {
        seed::issue_code(&self.db, team, member, chrono::Duration::days(1))
    }

    /// A new phone, enrolled as member `member` of `team` with a fresh code, reference data
    /// pulled.
    pub fn enrol(&self, team: &gocua_protocol::Team, member: usize) -> Device {
        Device::enrol(&self.server.url, &self.code(team, member))
    }
}

/// Syncs `device` (batches of `batch`) and asserts that the server refuses it with `status` and
/// the machine code `code`; `why` says why it must. Returns the error and the refusal's body.
#[track_caller]
pub fn assert_sync_refused(
    device: &Device,
    batch: usize,
    why: &str,
    status: u16,
    code: &str,
) -> (gocua_core::Error, gocua_protocol::ErrorBody) {
    let err = device.sync_via(&device.transport, batch).expect_err(why);
    let gocua_core::Error::Transport(gocua_core::TransportError::Refused { status: got, body }) =
        &err
    else {
        panic!("expected a refusal, got {err:?}")
    };
    assert_eq!((*got, body.code.as_str()), (status, code));
    let body = body.clone();
    (err, body)
}

/// Retries `f` while it says "not yet" (`None`), up to `timeout`.
pub fn wait_for<T>(timeout: Duration, mut f: impl FnMut() -> Option<T>) -> Option<T> {
    let deadline = std::time::Instant::now() + timeout;
    loop {
        if let Some(v) = f() {
            return Some(v);
        }
        if std::time::Instant::now() > deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A seed for the randomised tests: `GOCUA_E2E_SEED` when set (to replay a failure), else
/// random; printed so a failing run can be repeated.
pub fn rng_seed(test: &str) -> u64 {
    let seed = std::env::var("GOCUA_E2E_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand::random);
    eprintln!("e2e {test}: GOCUA_E2E_SEED={seed}");
    seed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_names_are_replaced() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/gocua_test", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            with_database("postgresql://u:p@h:1/db?sslmode=disable", "y"),
            "postgresql://u:p@h:1/y?sslmode=disable"
        );
        assert_eq!(with_database("postgres://h:1", "z"), "postgres://h:1/z");
    }
}
