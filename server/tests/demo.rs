//! `gocua demo`, run as a coordinator runs it: the real binary, plus the demo's library entry
//! point. The demo exists only with the server's `demo` feature (on by default); a server built
//! with `--no-default-features` has neither the command nor these tests.
#![cfg(feature = "demo")]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use gocua_server::cli::demo::{run_demo, DemoOptions, DemoSummary, DeviceReport};
use gocua_server::db::Sql;

/// A file of the repository's `data/`.
fn data_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../data")
        .join(name)
}

fn count(db: &Path, query: &str) -> i64 {
    let db = gocua_server::domain::open::open_database(db.to_str().unwrap()).unwrap();
    db.tx(|sql: &mut dyn Sql| {
        Ok::<_, gocua_server::db::DbError>(sql.query_one(query, &[])?.map_or(0, |r| r.int(0)))
    })
    .unwrap()
}

fn http_get(url: &str, path: &str) -> String {
    let host = url.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = TcpStream::connect(host).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    stream.read_to_string(&mut out).unwrap();
    out
}

/// `gocua demo` on four simulated phones recording `visits` visits from `seed`, into the
/// database file `db`, quietly; its summary.
async fn quiet_demo(db: &Path, visits: usize, seed: u64) -> DemoSummary {
    run_demo(DemoOptions {
        listen: "127.0.0.1:0".parse().unwrap(),
        db: Some(db.to_str().unwrap().to_owned()),
        data_dir: None,
        devices: 4,
        visits,
        seed: Some(seed),
        verbose: false,
    })
    .await
    .unwrap_or_else(|e| panic!("{} / {}", e.message_vi(), e.message_en()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_syncs_every_phone_and_counts_on_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let summary = quiet_demo(&db, 160, 2094).await;

    assert_eq!(summary.devices.len(), 4);
    let c = summary.counts;
    assert!(
        c.visits > 0 && c.sessions > 0 && c.feedback > 0 && c.households > 0 && c.assists > 0,
        "{c:?}"
    );
    assert_eq!(c.devices, 4);
    let recorded: u32 = summary.devices.iter().map(|d| d.visits).sum();
    assert_eq!(c.visits, u64::from(recorded));
    let over_devices = |count: fn(&DeviceReport) -> u32| {
        summary
            .devices
            .iter()
            .map(|d| u64::from(count(d)))
            .sum::<u64>()
    };
    assert_eq!(c.sessions, over_devices(|d| d.sessions));
    assert_eq!(c.feedback, over_devices(|d| d.feedback));
    for d in &summary.devices {
        assert_eq!(
            (d.queue.pending, d.queue.in_flight, d.queue.rejected),
            (0, 0, 0),
            "{}: {:?}",
            d.label,
            d.queue
        );
        assert!(
            d.queue.accepted > 0 && d.sync.rejected == 0,
            "{}: {:?}",
            d.label,
            d.sync
        );
    }
    // Counted on the server, against targets for every indicator.
    assert_eq!(summary.progress.len(), 4);
    for t in &summary.progress {
        assert_eq!(t.targets.len(), 8, "{}", t.team.name);
        assert!(t.total.households_visited > 0, "{}", t.team.name);
        // A commune union's team works in its own commune (and its hamlets).
        assert_eq!(t.communes.len(), 1, "{}", t.team.name);
    }
    for name in [
        "Phường Bến Tre",
        "Xã Mỏ Cày",
        "Xã Giồng Trôm",
        "Xã Thạnh Phú",
    ] {
        assert!(
            summary.table.contains(name),
            "{name} missing from:\n{}",
            summary.table
        );
    }
    assert!(
        summary.table.contains("Hộ đã đến") && summary.table.contains("Households"),
        "{}",
        summary.table
    );
    let today = chrono::Utc::now().date_naive();
    assert!(summary.campaign.starts_on <= today && today <= summary.campaign.ends_on);
    assert_eq!(summary.campaign.legal_reference, "241-KH/TĐTN-TCKT");

    // Still serving after run_demo returned.
    let health = tokio::task::spawn_blocking({
        let url = summary.url.clone();
        move || http_get(&url, "/v1/health")
    })
    .await
    .unwrap();
    assert!(
        health.starts_with("HTTP/1.1 200") && health.contains("\"ok\""),
        "{health}"
    );
    let elapsed = summary.elapsed;
    summary.server.stop().await.unwrap();
    assert!(elapsed < Duration::from_secs(60), "{elapsed:?}");
}

#[test]
fn the_demo_command_prints_the_table_and_keeps_serving() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_gocua"))
        .args([
            "demo",
            "--listen",
            "127.0.0.1:0",
            "--devices",
            "4",
            "--visits",
            "80",
            "--seed",
            "7",
            "--db",
        ])
        .arg(&db)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut out = String::new();
    let deadline = Instant::now() + Duration::from_secs(90);
    let mut ready = false;
    while Instant::now() < deadline {
        match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(line) => {
                out.push_str(&line);
                out.push('\n');
                if line.contains("Ctrl-C") {
                    ready = true;
                    break;
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if let Some(status) = child.try_wait().unwrap() {
                    let mut err = String::new();
                    child
                        .stderr
                        .take()
                        .unwrap()
                        .read_to_string(&mut err)
                        .unwrap();
                    panic!("gocua demo exited ({status}):\n{out}\n{err}");
                }
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    let url = out
        .lines()
        .find_map(|l| {
            l.split_whitespace()
                .find(|w| w.starts_with("http://127.0.0.1:"))
        })
        .map(|u| u.trim_end_matches('/').to_owned());
    let health = url.as_deref().map(|u| http_get(u, "/v1/health"));
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(ready, "the demo did not finish in time:\n{out}");
    assert!(
        health.is_some_and(|h| h.starts_with("HTTP/1.1 200")),
        "{out}"
    );
    for expected in [
        "Hộ đã đến",
        "Phường Bến Tre",
        "Xã Mỏ Cày",
        "Cộng đội / team total",
        "/v1/",
        "241-KH/TĐTN-TCKT",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }
    assert_eq!(count(&db, "SELECT count(*) FROM visits"), 80);
    assert!(count(&db, "SELECT count(*) FROM sessions") > 0);
    assert!(count(&db, "SELECT count(*) FROM feedback") > 0);
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
}

/// What a demo database holds, without ids and times: who was visited, what happened, what was
/// helped with.
fn field_work(db: &Path) -> Vec<String> {
    let db = gocua_server::domain::open::open_database(db.to_str().unwrap()).unwrap();
    let query = |sql: &mut dyn Sql, q: &str| -> Result<Vec<String>, gocua_server::db::DbError> {
        Ok(sql.query(q, &[])?.iter().map(|r| r.text(0)).collect())
    };
    db.tx(|sql: &mut dyn Sql| {
        let mut out = query(
            sql,
            "SELECT json_extract(body, '$.head_name') || ' | ' || json_extract(body, '$.address_line')
                    || ' | ' || json_extract(body, '$.members') FROM households ORDER BY 1",
        )?;
        out.extend(query(
            sql,
            "SELECT v.outcome || ' ' || v.people_reached || ' ' || json_extract(h.body, '$.head_name')
               FROM visits v JOIN households h ON h.id = v.household_id ORDER BY 1",
        )?);
        out.extend(query(
            sql,
            "SELECT service_key || ' ' || result || ' ' || coalesce(not_finished_reason, '') FROM assists ORDER BY 1",
        )?);
        out.extend(query(
            sql,
            "SELECT kind || ' ' || attendees || ' ' || area_code FROM sessions ORDER BY 1",
        )?);
        Ok::<_, gocua_server::db::DbError>(out)
    })
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_seed_makes_the_same_field_work() {
    let dir = tempfile::tempdir().unwrap();
    let mut runs = Vec::new();
    for (name, seed) in [("a.db", 2021), ("b.db", 2021), ("c.db", 2022)] {
        let db = dir.path().join(name);
        let summary = quiet_demo(&db, 60, seed).await;
        assert_eq!(summary.seed, seed);
        summary.server.stop().await.unwrap();
        runs.push(field_work(&db));
    }
    assert!(runs[0].len() > 100, "{:?}", runs[0]);
    assert_eq!(runs[0], runs[1], "seed 2021 twice");
    assert_ne!(runs[0], runs[2], "seeds 2021 and 2022");
}

#[test]
fn the_demo_has_its_data_built_in_and_reads_another_directory_on_request() {
    use gocua_server::cli::demo::reference_data;
    let built_in = reference_data(None).unwrap_or_else(|e| panic!("{}", e.message_en()));
    assert_eq!(built_in.dir, None);
    assert_eq!(
        built_in.areas_csv,
        std::fs::read(data_file("vn-admin-units-2025-07.csv")).unwrap()
    );
    assert_eq!(
        built_in.services_csv,
        std::fs::read(data_file("services-starter.csv")).unwrap()
    );
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data");
    let given = reference_data(Some(&data)).unwrap_or_else(|e| panic!("{}", e.message_en()));
    assert_eq!(given.dir, Some(data.canonicalize().unwrap()));
    assert_eq!(given.areas_csv, built_in.areas_csv);

    // A --data directory without the files is explained, in both languages.
    let empty = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_gocua"))
        .args(["demo", "--listen", "127.0.0.1:0", "--data"])
        .arg(empty.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    let shown = empty.path().display().to_string();
    assert!(
        stderr.contains(&shown)
            && stderr.contains("vn-admin-units-2025-07.csv")
            && stderr.contains("không có đủ")
            && stderr.contains("does not hold")
            && stderr.contains("leave --data out"),
        "{stderr}"
    );
}

#[test]
fn the_demo_explains_a_busy_port() {
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = busy.local_addr().unwrap().to_string();
    let output = Command::new(env!("CARGO_BIN_EXE_gocua"))
        .args(["demo", "--listen", &addr])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(
        stderr.contains(&addr) && stderr.contains("--listen 127.0.0.1:0"),
        "{stderr}"
    );
    assert!(
        stderr.contains("đang được một chương trình khác dùng")
            && stderr.contains("already in use"),
        "{stderr}"
    );
}
