//! `gocua serve` as a child process with a configuration file and environment of the test's
//! choosing (the harness's `Server::binary` passes only `--db` and `--listen`). Shared by
//! config.rs, tls.rs and logs.rs through `#[path]`.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use gocua_e2e::dashboard;
use gocua_e2e::seed::{self, Seed};
use gocua_e2e::server::{free_addr, gocua_binary, health};
use gocua_e2e::{Backend, TestDb};
use gocua_server::db::Db;
use gocua_server::domain::accounts::Role;

/// A running `gocua serve`, killed when dropped.
pub struct Configured {
    pub addr: SocketAddr,
    /// `http://127.0.0.1:PORT` (the server itself speaks plain HTTP; TLS is nginx's).
    pub url: String,
    pub log: PathBuf,
    child: Child,
}

/// Writes `toml` to `dir/gocua.toml` and returns its path.
pub fn write_config(dir: &Path, toml: &str) -> PathBuf {
    let path = dir.join("gocua.toml");
    std::fs::write(&path, toml).expect("write gocua.toml");
    path
}

/// A `gocua serve` command with a clean environment: only PATH and `env` (no GOCUA_* or
/// RUST_LOG of the machine running the tests).
pub fn command(args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut c = Command::new(gocua_binary());
    c.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .arg("serve")
        .args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::null());
    c
}

/// Runs `gocua serve` expecting it to stop by itself (a bad configuration) within 30 s.
pub fn run_to_exit(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut child = command(args, env)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn gocua serve");
    let exited = gocua_e2e::wait_for(Duration::from_secs(30), || {
        child.try_wait().expect("wait for gocua serve")
    });
    if exited.is_none() {
        let _ = child.kill();
    }
    let out = child.wait_with_output().expect("gocua serve output");
    assert!(exited.is_some(), "gocua serve kept running: {out:?}");
    out
}

impl Configured {
    /// Starts `gocua serve --config <config> --listen 127.0.0.1:<free port>` with `env`, its
    /// output in `dir/gocua-serve.log`, and waits until it answers `/v1/health`.
    pub fn start(dir: &Path, config: &Path, env: &[(&str, &str)]) -> Configured {
        let addr = free_addr();
        let log = dir.join("gocua-serve.log");
        let out = std::fs::File::create(&log).expect("log file");
        let child = command(
            &[
                "--config",
                config.to_str().expect("a UTF-8 path"),
                "--listen",
                &addr.to_string(),
            ],
            env,
        )
        .stdout(out.try_clone().expect("log file"))
        .stderr(out)
        .spawn()
        .expect("spawn gocua serve");
        let mut server = Configured {
            addr,
            url: format!("http://{addr}"),
            log,
            child,
        };
        let up = gocua_e2e::wait_for(Duration::from_secs(30), || {
            if let Ok(Some(status)) = server.child.try_wait() {
                return Some(Err(status));
            }
            health(&server.url).then_some(Ok(()))
        });
        match up {
            Some(Ok(())) => server,
            Some(Err(status)) => panic!("gocua serve exited with {status}:\n{}", server.log_text()),
            None => panic!("gocua serve did not become healthy:\n{}", server.log_text()),
        }
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Stops the server with SIGTERM and waits for it (so its last log lines are written).
    pub fn stop(&mut self) {
        let pid = libc::pid_t::try_from(self.child.id()).expect("a process id");
        // SAFETY: kill(2) on our own child's id.
        unsafe { libc::kill(pid, libc::SIGTERM) };
        let _ = gocua_e2e::wait_for(Duration::from_secs(30), || {
            self.child.try_wait().ok().flatten()
        });
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Configured {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A seeded SQLite database with a dashboard account `tinh` (an administrator of the seed's top
/// unit), and `gocua serve` on it configured by a file: its `database` line, then `settings`.
pub struct Seeded {
    pub test_db: TestDb,
    pub db: Db,
    pub seed: Seed,
    pub server: Configured,
    pub dir: tempfile::TempDir,
}

pub fn seeded(settings: &str, env: &[(&str, &str)]) -> Seeded {
    let test_db = TestDb::new(Backend::Sqlite);
    let db = test_db.open();
    let seed = seed::seed(&db);
    dashboard::account(&db, "tinh", Role::Admin, seed.org_unit.id);
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(
        dir.path(),
        &format!("database = {:?}\n{settings}", test_db.target),
    );
    let server = Configured::start(dir.path(), &config, env);
    Seeded {
        test_db,
        db,
        seed,
        server,
        dir,
    }
}
