//! The server under test: in this process (`gocua_server::app::serve_on` on its own tokio runtime), or
//! the real `gocua serve` binary as a child process that can be killed and restarted.

use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use gocua_server::db::Db;

enum Kind {
    InProcess {
        runtime: Option<tokio::runtime::Runtime>,
        shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    },
    Binary {
        child: Option<Child>,
        target: String,
        log: PathBuf,
        starts: u32,
        /// `ulimit -n` of the process, when lowered.
        open_files: Option<u32>,
        /// Environment variables given to the process besides its own.
        env: Vec<(String, String)>,
    },
}

pub struct Server {
    pub addr: SocketAddr,
    /// `http://127.0.0.1:PORT`
    pub url: String,
    kind: Kind,
}

impl Server {
    /// Serves `db` from this process on a free port of 127.0.0.1.
    pub fn in_process(db: Db) -> Server {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("gocua-e2e-server")
            .enable_all()
            .build()
            .expect("tokio runtime");
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        runtime.spawn(async move {
            let shutdown = async {
                let _ = rx.await;
            };
            if let Err(e) = gocua_server::app::serve_on(db, listener, shutdown).await {
                eprintln!("e2e: in-process server stopped: {e}");
            }
        });
        let server = Server {
            addr,
            url: format!("http://{addr}"),
            kind: Kind::InProcess {
                runtime: Some(runtime),
                shutdown: Some(tx),
            },
        };
        server.wait_healthy();
        server
    }

    /// Starts `gocua serve --db <target> --listen 127.0.0.1:<port>` (a free port unless `addr`
    /// is given); its output goes to a log file in `log_dir`.
    pub fn binary(target: &str, addr: Option<SocketAddr>, log_dir: &Path) -> Server {
        Self::start_binary(
            target,
            addr.unwrap_or_else(free_addr),
            log_dir,
            None,
            Vec::new(),
        )
    }

    /// As [`Server::binary`] on a free port, with `env` set for the process (e.g.
    /// `GOCUA_METRICS_LISTEN`).
    pub fn binary_with_env(target: &str, log_dir: &Path, env: &[(&str, &str)]) -> Server {
        let env = env
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Self::start_binary(target, free_addr(), log_dir, None, env)
    }

    /// As [`Server::binary`], with the process allowed only `open_files` descriptors
    /// (`ulimit -n`), as on a small host.
    pub fn binary_with_open_files(target: &str, log_dir: &Path, open_files: u32) -> Server {
        Self::start_binary(target, free_addr(), log_dir, Some(open_files), Vec::new())
    }

    fn start_binary(
        target: &str,
        addr: SocketAddr,
        log_dir: &Path,
        open_files: Option<u32>,
        env: Vec<(String, String)>,
    ) -> Server {
        let mut server = Server {
            addr,
            url: format!("http://{addr}"),
            kind: Kind::Binary {
                child: None,
                target: target.to_owned(),
                log: log_dir.join("gocua-serve.log"),
                starts: 0,
                open_files,
                env,
            },
        };
        server.start_child();
        server
    }

    fn start_child(&mut self) {
        let addr = self.addr;
        let Kind::Binary {
            child,
            target,
            log,
            starts,
            open_files,
            env,
        } = &mut self.kind
        else {
            panic!("not a child-process server")
        };
        assert!(child.is_none(), "the server is already running");
        let mut last_error = String::new();
        // Right after a kill the port may still be held for a moment: try a few times.
        for _attempt in 0..20 {
            *starts += 1;
            let out = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&*log)
                .expect("server log file");
            let err = out.try_clone().expect("server log file");
            let mut command = match open_files {
                None => Command::new(gocua_binary()),
                // The shell lowers its limit and becomes the server (same process id).
                Some(n) => {
                    let mut c = Command::new("sh");
                    c.arg("-c")
                        .arg(format!("ulimit -n {n} && exec \"$0\" \"$@\""))
                        .arg(gocua_binary());
                    c
                }
            };
            let mut spawned = command
                .args([
                    "serve",
                    "--db",
                    target.as_str(),
                    "--listen",
                    &addr.to_string(),
                ])
                .env("RUST_LOG", "warn")
                .envs(env.iter().map(|(k, v)| (k, v)))
                .stdin(Stdio::null())
                .stdout(out)
                .stderr(err)
                .spawn()
                .expect("spawn gocua serve");
            let healthy = crate::wait_for(Duration::from_secs(30), || {
                if let Ok(Some(status)) = spawned.try_wait() {
                    return Some(Err(status));
                }
                health(&format!("http://{addr}")).then_some(Ok(()))
            });
            match healthy {
                Some(Ok(())) => {
                    *child = Some(spawned);
                    return;
                }
                Some(Err(status)) => {
                    last_error = format!("gocua serve exited with {status}");
                    std::thread::sleep(Duration::from_millis(100));
                }
                None => {
                    let _ = spawned.kill();
                    let _ = spawned.wait();
                    last_error = "gocua serve did not answer /v1/health within 30 s".into();
                }
            }
        }
        let text = std::fs::read_to_string(&*log).unwrap_or_default();
        panic!("{last_error}; its log:\n{text}");
    }

    /// Kills the child process with SIGKILL (no chance to finish anything) and waits for it.
    pub fn kill(&mut self) {
        let Kind::Binary { child, .. } = &mut self.kind else {
            panic!("only a child-process server can be killed")
        };
        if let Some(mut c) = child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// The process id of the child-process server.
    pub fn pid(&self) -> u32 {
        match &self.kind {
            Kind::Binary { child: Some(c), .. } => c.id(),
            _ => panic!("no child-process server is running"),
        }
    }

    /// Sends `signal` (`libc::SIGTERM`, `libc::SIGINT`, …) to the child-process server.
    pub fn signal(&self, signal: i32) {
        let pid = libc::pid_t::try_from(self.pid()).expect("a process id");
        // SAFETY: kill(2) on our own child's id; it reads and writes no memory of ours.
        let sent = unsafe { libc::kill(pid, signal) };
        assert_eq!(sent, 0, "kill({pid}, {signal}) failed");
    }

    /// Waits up to `timeout` for the child-process server to exit by itself: its exit status,
    /// or `None` while it still runs. Once it has exited, [`Server::restart`] starts it again.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<std::process::ExitStatus> {
        let Kind::Binary { child, .. } = &mut self.kind else {
            panic!("only a child-process server exits")
        };
        let c = child.as_mut().expect("the server is running");
        let status = crate::wait_for(timeout, || c.try_wait().expect("wait for gocua serve"))?;
        *child = None;
        Some(status)
    }

    /// What the child-process server has written to its log (stdout and stderr) so far.
    pub fn log(&self) -> String {
        let Kind::Binary { log, .. } = &self.kind else {
            panic!("only a child-process server has a log")
        };
        std::fs::read_to_string(log).unwrap_or_default()
    }

    /// Starts the binary again on the same address and database.
    pub fn restart(&mut self) {
        self.kill();
        self.start_child();
    }

    /// How many times the binary was started.
    pub fn starts(&self) -> u32 {
        match &self.kind {
            Kind::Binary { starts, .. } => *starts,
            Kind::InProcess { .. } => 1,
        }
    }

    fn wait_healthy(&self) {
        let url = self.url.clone();
        crate::wait_for(Duration::from_secs(30), || health(&url).then_some(()))
            .expect("server did not become healthy");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        match &mut self.kind {
            Kind::InProcess { runtime, shutdown } => {
                if let Some(tx) = shutdown.take() {
                    let _ = tx.send(());
                }
                if let Some(rt) = runtime.take() {
                    rt.shutdown_timeout(Duration::from_secs(5));
                }
            }
            Kind::Binary { child, .. } => {
                if let Some(mut c) = child.take() {
                    let _ = c.kill();
                    let _ = c.wait();
                }
            }
        }
    }
}

/// Runs `gocua admin --db <target> <args…>` (the coordinators' command line), whatever its exit.
pub fn gocua_admin_output(target: &str, args: &[&str]) -> std::process::Output {
    Command::new(gocua_binary())
        .args(["admin", "--db", target])
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run gocua admin")
}

/// Runs `gocua admin --db <target> <args…>` (the coordinators' command line) and returns its
/// standard output; panics with its output when it fails.
pub fn gocua_admin(target: &str, args: &[&str]) -> String {
    let out = gocua_admin_output(target, args);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(
        out.status.success(),
        "gocua admin {args:?} failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
    stdout.into_owned()
}

/// True when `GET /v1/health` answers 200.
pub fn health(url: &str) -> bool {
    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(2))
        .build()
        .expect("http client");
    client
        .get(format!("{url}/v1/health"))
        .send()
        .map(|r| r.status().is_success())
        .unwrap_or(false)
}

/// A port of 127.0.0.1 nobody listens on right now.
pub fn free_addr() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().expect("local address")
}

/// The `gocua` binary of this build, built first if needed. It sits next to the test binary's
/// `deps/` directory (`target/<profile>/gocua`); `cargo build -p gocua-server --bin gocua` is run
/// once per test process with the same target directory and profile, so a changed server is
/// never tested through a stale binary. `GOCUA_BIN` overrides all of this.
pub fn gocua_binary() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        if let Ok(bin) = std::env::var("GOCUA_BIN") {
            return PathBuf::from(bin);
        }
        let exe = std::env::current_exe().expect("test executable path");
        // target/<profile>/deps/<test>-<hash>, or target/<profile>/<bin> (the load bench).
        let parent = exe.parent().expect("target/<profile> directory");
        let profile_dir = if parent.file_name().is_some_and(|n| n == "deps") {
            parent.parent().expect("target/<profile> directory")
        } else {
            parent
        }
        .to_path_buf();
        let target_dir = profile_dir
            .parent()
            .expect("target directory")
            .to_path_buf();
        let profile = profile_dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("debug")
            .to_owned();
        let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../Cargo.toml");
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut cmd = Command::new(cargo);
        // `cargo test` gives this process its package's variables (CARGO_MANIFEST_DIR, …). Build
        // scripts that watch them (ring's does) would see them "changed" and rebuild half the
        // dependency tree, twice per run: the nested build gets the environment the outer had.
        for (name, _) in std::env::vars_os() {
            let name = name.to_string_lossy();
            if name.starts_with("CARGO_PKG_")
                || [
                    "CARGO_MANIFEST_DIR",
                    "CARGO_MANIFEST_PATH",
                    "CARGO_CRATE_NAME",
                    "CARGO_BIN_NAME",
                    "CARGO_PRIMARY_PACKAGE",
                    "CARGO_TARGET_TMPDIR",
                    "CARGO_RUSTC_CURRENT_DIR",
                    "OUT_DIR",
                ]
                .contains(&name.as_ref())
            {
                cmd.env_remove(name.as_ref());
            }
        }
        cmd.args([
            "build",
            "--quiet",
            "-p",
            "gocua-server",
            "--bin",
            "gocua",
            "--manifest-path",
        ])
        .arg(&manifest)
        .arg("--target-dir")
        .arg(&target_dir);
        match profile.as_str() {
            "debug" => {}
            "release" => {
                cmd.arg("--release");
            }
            other => {
                cmd.args(["--profile", other]);
            }
        }
        let status = cmd.status().expect("run cargo build for the gocua binary");
        assert!(
            status.success(),
            "cargo build -p gocua-server --bin gocua failed ({status})"
        );
        let bin = profile_dir.join(format!("gocua{}", std::env::consts::EXE_SUFFIX));
        assert!(bin.exists(), "{} was not built", bin.display());
        bin
    })
}
