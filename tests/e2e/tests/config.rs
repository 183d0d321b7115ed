//! `gocua serve`'s configuration as an operator meets it: a bad setting stops the real binary
//! with exit code 2 and one message naming the setting and where it came from, before the
//! database is opened or anything listens; and the systemd unit of deploy/ is valid and
//! sandboxed.

#[path = "common/configured.rs"]
mod configured;

use std::path::Path;
use std::process::Command;

use configured::{run_to_exit, write_config};
use gocua_e2e::server::{free_addr, gocua_binary};

/// A bad configuration file, the environment it runs with, the setting the message must name
/// and where it must say the setting came from.
type BadCase<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a str, &'a str);

/// Each bad setting: exit 2, a message naming it and its line (or variable), and no database
/// file made.
#[test]
fn bad_configuration_exits_2_naming_the_setting() {
    let cases: [BadCase; 5] = [
        (
            "listen = \"127.0.0.1:8080\"\ntrusted_proxy = [\"127.0.0.1\"]\n",
            &[],
            "trusted_proxy",
            "gocua.toml:2",
        ),
        (
            "log_format = \"text\"\n\ntrusted_proxies = [\"127.0.0.1\", \"10.0.0/8\"]\n",
            &[],
            "trusted_proxies",
            "gocua.toml:3",
        ),
        (
            "public_url = \"http://gocua.example.vn\"\n",
            &[],
            "public_url",
            "gocua.toml:1",
        ),
        (
            "time_zone = \"Asia/Ho_Chi_Minh\"\n",
            &[("GOCUA_TIME_ZONE", "Asia/Sai_Gon")],
            "time_zone",
            "environment variable GOCUA_TIME_ZONE",
        ),
        ("listen = 8080\n", &[], "listen", "gocua.toml:1"),
    ];
    for (toml, env, setting, origin) in cases {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("never.db");
        let file = write_config(
            dir.path(),
            &format!("database = {:?}\n{toml}", db.to_str().unwrap()),
        );
        // The file's first line is the database: every line named is one further down.
        let origin = match origin.strip_prefix("gocua.toml:") {
            Some(n) => format!("gocua.toml:{}", n.parse::<u32>().unwrap() + 1),
            None => origin.to_owned(),
        };
        let out = run_to_exit(&["--config", file.to_str().unwrap()], env);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{toml:?}: {stderr}");
        assert!(
            stderr.contains(&format!("setting `{setting}`")) && stderr.contains(&origin),
            "{toml:?}: the message names `{setting}` at {origin}:\n{stderr}"
        );
        assert!(
            stderr.contains("cấu hình không hợp lệ / invalid configuration"),
            "{stderr}"
        );
        assert_eq!(stderr.trim().lines().count(), 1, "one message:\n{stderr}");
        assert!(
            !db.exists(),
            "{toml:?}: the database was opened before the check"
        );
    }
}

/// A flag wins over the file: the same bad file line does not matter when the flag gives a good
/// value, and a bad flag is named as the flag. The server never listens on a bad start.
#[test]
fn flags_override_the_file_and_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_config(dir.path(), "log_format = \"xml\"\n");
    let addr = free_addr();
    let out = run_to_exit(
        &[
            "--config",
            file.to_str().unwrap(),
            "--log-format",
            "json",
            "--listen",
            &addr.to_string(),
            "--trusted-proxies",
            "127.0.0.1,not-an-address",
        ],
        &[],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("command-line flag --trusted-proxies: setting `trusted_proxies`"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("log_format"),
        "the flag overrode the file: {stderr}"
    );
    assert!(
        std::net::TcpStream::connect(addr).is_err(),
        "nothing listens"
    );
}

/// The hardening options deploy/gocua.service must keep (a test, because removing one changes
/// nothing visible until the day it matters).
const HARDENING: [&str; 19] = [
    "DynamicUser=yes",
    "StateDirectory=gocua",
    "ProtectSystem=strict",
    "ProtectHome=yes",
    "PrivateTmp=yes",
    "NoNewPrivileges=yes",
    "PrivateDevices=yes",
    "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
    "SystemCallFilter=@system-service",
    "CapabilityBoundingSet=",
    "MemoryDenyWriteExecute=yes",
    "LockPersonality=yes",
    "UMask=0077",
    "ReadWritePaths=/var/lib/gocua",
    "Restart=on-failure",
    "ExecStart=/usr/local/bin/gocua serve --config /etc/gocua/gocua.toml",
    "EnvironmentFile=-/etc/gocua/secrets.env",
    "RestartPreventExitStatus=2",
    "WantedBy=multi-user.target",
];

fn unit_path() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deploy/gocua.service")
}

#[test]
fn the_systemd_unit_keeps_its_hardening() {
    let text = std::fs::read_to_string(unit_path()).expect("deploy/gocua.service");
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    for option in HARDENING {
        assert!(
            lines.contains(&option),
            "deploy/gocua.service lacks `{option}`"
        );
    }
    // No option is given twice (systemd would take the last, silently).
    let mut keys: Vec<&str> = lines
        .iter()
        .filter_map(|l| l.split_once('=').map(|(k, _)| k))
        .collect();
    keys.sort_unstable();
    let before = keys.len();
    keys.dedup();
    assert_eq!(before, keys.len(), "an option is repeated");
}

/// `systemd-analyze verify` (Debian's systemd package, scripts/install-deps.sh) in a scratch root
/// holding the system's own units and the `gocua` binary where the units expect it: no unknown
/// option, no misspelt value, an executable ExecStart — for the server's unit and the nightly
/// backup's service and timer.
#[test]
fn systemd_analyze_verifies_the_units() {
    let analyze = Path::new("/usr/bin/systemd-analyze");
    assert!(
        analyze.exists(),
        "systemd-analyze is missing: bash scripts/install-deps.sh installs Debian's systemd"
    );
    let root = tempfile::tempdir().unwrap();
    let r = root.path();
    for d in [
        "usr/local/bin",
        "usr/bin",
        "etc/systemd/system",
        "usr/lib/systemd",
    ] {
        std::fs::create_dir_all(r.join(d)).unwrap();
    }
    std::fs::copy(gocua_binary(), r.join("usr/local/bin/gocua")).expect("copy gocua");
    // What the backup service runs besides gocua.
    for tool in ["sh", "find", "date"] {
        std::fs::copy(
            Path::new("/usr/bin").join(tool),
            r.join("usr/bin").join(tool),
        )
        .unwrap_or_else(|e| panic!("copy /usr/bin/{tool}: {e}"));
    }
    let deploy = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deploy");
    let units = [
        "gocua.service",
        "gocua-backup.service",
        "gocua-backup.timer",
    ];
    for unit in units {
        std::fs::copy(deploy.join(unit), r.join("etc/systemd/system").join(unit))
            .unwrap_or_else(|e| panic!("copy deploy/{unit}: {e}"));
    }
    let copied = Command::new("cp")
        .arg("-r")
        .arg("/usr/lib/systemd/system")
        .arg(r.join("usr/lib/systemd/"))
        .status()
        .expect("cp");
    assert!(copied.success());
    let out = Command::new(analyze)
        .arg("verify")
        .arg(format!("--root={}", r.display()))
        .args(units)
        .output()
        .expect("run systemd-analyze");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "systemd-analyze verify failed:\n{said}"
    );
    // Unknown keys and values are warnings with exit code 0: none may appear.
    assert!(said.trim().is_empty(), "systemd-analyze verify:\n{said}");
}
