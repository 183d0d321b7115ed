//! Debian's nginx in front of one or more `gocua serve` instances, on 127.0.0.1, with the
//! deployment's own `deploy/nginx/gocua-proxy.conf` included: what the tests prove about TLS,
//! forwarded headers and round-robin is what an operator deploys.
//!
//! Each proxy runs as a child process (`nginx -p DIR -c DIR/nginx.conf`, `daemon off`) with
//! everything in its own temporary directory: configuration, a throwaway self-signed certificate
//! for 127.0.0.1 (made with the `openssl` command), logs and buffers. It is stopped when dropped.

use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use tempfile::TempDir;

use crate::server::free_addr;

/// Overrides where the nginx binary is (Debian installs it at `/usr/sbin/nginx`).
pub const NGINX_VAR: &str = "GOCUA_NGINX";

/// How the proxy listens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listen {
    /// HTTPS with a throwaway self-signed certificate for 127.0.0.1 and `localhost`.
    Tls,
    /// Plain HTTP (for load tests that measure the servers, not TLS).
    Plain,
}

pub struct Nginx {
    /// `https://127.0.0.1:PORT` or `http://127.0.0.1:PORT`.
    pub url: String,
    pub addr: SocketAddr,
    /// The plain-HTTP server that sends everything to HTTPS (deploy/nginx/gocua.conf's `:80`
    /// block), when started with [`Nginx::start_with_redirect`].
    pub redirect_addr: Option<SocketAddr>,
    child: Option<Child>,
    dir: TempDir,
}

impl Nginx {
    /// Starts nginx on a free port of 127.0.0.1, sending requests round-robin to `upstreams`
    /// (`127.0.0.1:PORT` of each `gocua serve`).
    pub fn start(upstreams: &[SocketAddr], listen: Listen) -> Nginx {
        Self::launch(upstreams, listen, false)
    }

    /// As [`Nginx::start`] with TLS, plus the deployment's plain-HTTP server (the first
    /// `server { }` block of deploy/nginx/gocua.conf, its `listen` lines moved to a free port of
    /// 127.0.0.1) on [`Nginx::redirect_addr`].
    pub fn start_with_redirect(upstreams: &[SocketAddr]) -> Nginx {
        Self::launch(upstreams, Listen::Tls, true)
    }

    fn launch(upstreams: &[SocketAddr], listen: Listen, redirect: bool) -> Nginx {
        assert!(!upstreams.is_empty(), "nginx needs at least one upstream");
        let dir = tempfile::Builder::new()
            .prefix("gocua-nginx-")
            .tempdir()
            .expect("temporary directory");
        if listen == Listen::Tls {
            make_certificate(dir.path());
        }
        let addr = free_addr();
        let redirect_addr = redirect.then(free_addr);
        let mut conf = config(dir.path(), addr, upstreams, listen);
        if let Some(at) = redirect_addr {
            let block = redirect_server(at);
            let end = conf.rfind('}').expect("the http block closes");
            conf.insert_str(end, &block);
        }
        std::fs::write(dir.path().join("nginx.conf"), conf).expect("write nginx.conf");
        let log = std::fs::File::create(dir.path().join("nginx.out")).expect("nginx output file");
        let child = Command::new(nginx_binary())
            .arg("-p")
            .arg(dir.path())
            .arg("-c")
            .arg(dir.path().join("nginx.conf"))
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("nginx output file"))
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "could not start nginx ({e}): install Debian's nginx-light \
                     (bash scripts/install-deps.sh) or set {NGINX_VAR}"
                )
            });
        let scheme = match listen {
            Listen::Tls => "https",
            Listen::Plain => "http",
        };
        let mut nginx = Nginx {
            url: format!("{scheme}://{addr}"),
            addr,
            redirect_addr,
            child: Some(child),
            dir,
        };
        nginx.wait_listening();
        nginx
    }

    /// The self-signed certificate (PEM) clients must trust to talk to a [`Listen::Tls`] proxy.
    pub fn certificate_pem(&self) -> Vec<u8> {
        std::fs::read(self.certificate_path()).expect("the proxy's certificate")
    }

    pub fn certificate_path(&self) -> PathBuf {
        self.dir.path().join("cert.pem")
    }

    /// nginx's access log so far (one line per request: `$remote_addr $upstream_addr $status`).
    pub fn access_log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("access.log")).unwrap_or_default()
    }

    /// nginx's error log and console output so far.
    pub fn error_log(&self) -> String {
        let read = |name: &str| std::fs::read_to_string(self.dir.path().join(name));
        format!(
            "{}{}",
            read("error.log").unwrap_or_default(),
            read("nginx.out").unwrap_or_default()
        )
    }

    fn wait_listening(&mut self) {
        let child = self.child.as_mut().expect("nginx is running");
        let addrs: Vec<SocketAddr> = std::iter::once(self.addr)
            .chain(self.redirect_addr)
            .collect();
        let up = crate::wait_for(Duration::from_secs(20), || {
            if let Ok(Some(status)) = child.try_wait() {
                return Some(Err(status));
            }
            addrs
                .iter()
                .all(|a| TcpStream::connect_timeout(a, Duration::from_millis(200)).is_ok())
                .then_some(Ok(()))
        });
        match up {
            Some(Ok(())) => {}
            Some(Err(status)) => panic!("nginx exited with {status}:\n{}", self.error_log()),
            None => panic!(
                "nginx did not listen on {} within 20 s:\n{}",
                self.addr,
                self.error_log()
            ),
        }
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            // SIGQUIT is nginx's graceful stop; a kill is enough for a throwaway proxy.
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// The nginx binary: `GOCUA_NGINX`, else Debian's `/usr/sbin/nginx`, else `nginx` on the path.
pub fn nginx_binary() -> PathBuf {
    if let Ok(path) = std::env::var(NGINX_VAR) {
        return PathBuf::from(path);
    }
    let debian = Path::new("/usr/sbin/nginx");
    if debian.exists() {
        debian.to_path_buf()
    } else {
        PathBuf::from("nginx")
    }
}

/// The deployment's proxy settings, included by every test proxy.
pub fn proxy_snippet() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../deploy/nginx/gocua-proxy.conf")
        .canonicalize()
        .expect("deploy/nginx/gocua-proxy.conf")
}

fn config(dir: &Path, addr: SocketAddr, upstreams: &[SocketAddr], listen: Listen) -> String {
    let d = dir.display();
    let servers: String = upstreams
        .iter()
        .map(|u| format!("        server {u};\n"))
        .collect();
    let (listen_line, tls_lines) = match listen {
        Listen::Tls => (
            format!("listen {addr} ssl;"),
            format!(
                "ssl_certificate {d}/cert.pem;\n        ssl_certificate_key {d}/key.pem;\n        \
                 ssl_protocols TLSv1.2 TLSv1.3;"
            ),
        ),
        Listen::Plain => (format!("listen {addr};"), String::new()),
    };
    // As root (CI), nginx would hand its workers to `nobody`, who cannot write the buffers in
    // this private directory; the throwaway proxy keeps the test's own user.
    // SAFETY: geteuid has no preconditions and touches no memory.
    let user = if unsafe { libc::geteuid() } == 0 {
        "user root;"
    } else {
        ""
    };
    format!(
        "{user}
daemon off;
worker_processes 1;
# Room for the load test's 500 phones (each holds a connection to nginx and one upstream).
worker_rlimit_nofile 8192;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    log_format gocua_test '$remote_addr $upstream_addr $status $request_method $uri';
    access_log {d}/access.log gocua_test;
    client_body_temp_path {d}/body;
    proxy_temp_path {d}/proxy;
    fastcgi_temp_path {d}/fastcgi;
    uwsgi_temp_path {d}/uwsgi;
    scgi_temp_path {d}/scgi;
    upstream gocua {{
{servers}        keepalive 16;
    }}
    server {{
        {listen_line}
        server_name localhost;
        {tls_lines}
        include {snippet};
    }}
}}
",
        snippet = proxy_snippet().display()
    )
}

/// The deployment's site file, deploy/nginx/gocua.conf.
pub fn site_config() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../deploy/nginx/gocua.conf")
        .canonicalize()
        .expect("deploy/nginx/gocua.conf")
}

/// The first `server { }` block of deploy/nginx/gocua.conf (the plain-HTTP redirect), listening
/// on `at` instead of port 80.
fn redirect_server(at: SocketAddr) -> String {
    let text = std::fs::read_to_string(site_config()).expect("read deploy/nginx/gocua.conf");
    let start = text
        .find("\nserver {")
        .expect("a server block in gocua.conf")
        + 1;
    let end = start + text[start..].find("\n}").expect("the server block closes") + 2;
    let block = &text[start..end];
    assert!(
        block.contains("listen 80;"),
        "the first server block of gocua.conf is the plain-HTTP one:\n{block}"
    );
    let mut out = String::from("    ");
    let mut listened = false;
    for line in block.lines() {
        if line.trim_start().starts_with("listen ") {
            if !listened {
                out.push_str(&format!("    listen {at};\n    "));
                listened = true;
            }
            continue;
        }
        out.push_str(line);
        out.push_str("\n    ");
    }
    out.push('\n');
    out
}

/// A self-signed certificate for 127.0.0.1 and `localhost`, valid from now for two days.
fn make_certificate(dir: &Path) {
    let out = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost",
            // rustls refuses a CA certificate as a server's own.
            "-addext",
            "basicConstraints=critical,CA:FALSE",
            "-keyout",
        ])
        .arg(dir.join("key.pem"))
        .arg("-out")
        .arg(dir.join("cert.pem"))
        .stdin(Stdio::null())
        .output()
        .expect("run openssl to make a test certificate");
    assert!(
        out.status.success(),
        "openssl req failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
