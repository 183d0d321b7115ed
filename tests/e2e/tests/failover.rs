//! Two `gocua serve` instances on one PostgreSQL behind nginx round-robin (the deployment's own
//! proxy settings), one of them killed (SIGKILL) and started again in the middle of everything:
//! phones pushing and pulling, a coordinator using the dashboard with one session, an export
//! being made and downloaded. No state may live in one process only (docs/backup.md, "Several
//! instances"). PostgreSQL only: several instances on one SQLite file is not a deployment.

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use gocua_e2e::dashboard::{account, login_attempt, Web};
use gocua_e2e::inspect::{self, assert_server_holds_each_once};
use gocua_e2e::nginx::{Listen, Nginx};
use gocua_e2e::seed::*;
use gocua_e2e::*;
use gocua_server::db::{Sql, Value};
use gocua_server::domain::accounts::Role;
use uuid::Uuid;

/// Which upstreams answered `uri` with `status`, per nginx's access log.
fn upstreams_for(nginx: &Nginx, uri: &str, status: &str) -> BTreeSet<String> {
    nginx
        .access_log()
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split(' ').collect();
            // remote upstream status method uri
            (f.len() >= 5 && f[4] == uri && f[2] == status).then(|| f[1].to_owned())
        })
        .collect()
}

fn download(web: &Web, job: &str) -> String {
    let (status, bytes) = web.get_bytes(&format!("{job}/file"));
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
    String::from_utf8(bytes).expect("CSV is UTF-8")
}

#[test]
fn two_instances_one_killed_lose_nothing() {
    let t0 = Instant::now();
    let test_db = TestDb::new(Backend::Postgres);
    let db = test_db.open();
    let seed = seed::seed(&db);
    account(&db, "tinh", Role::Admin, seed.org_unit.id);
    // One export directory for both instances; an abandoned job is taken over after 3 s
    // without a heartbeat. (Inherited by the `gocua serve` children.)
    let exports = test_db.dir().join("exports");
    std::env::set_var("GOCUA_EXPORT_DIR", &exports);
    std::env::set_var("GOCUA_EXPORT_STALE_SECS", "3");
    let (dir_a, dir_b) = (test_db.dir().join("a"), test_db.dir().join("b"));
    std::fs::create_dir_all(&dir_a).unwrap();
    std::fs::create_dir_all(&dir_b).unwrap();
    let mut a = Server::binary(&test_db.target, None, &dir_a);
    let b = Server::binary(&test_db.target, None, &dir_b);
    let upstream: [SocketAddr; 2] = [a.addr, b.addr];
    let nginx = Nginx::start(&upstream, Listen::Plain);

    // Phones enrol through the proxy.
    let phones: Vec<Device> = (0..3)
        .map(|m| {
            let code = seed::issue_code(&db, &seed.team_a, m, chrono::Duration::days(1));
            Device::enrol(&nginx.url, &code)
        })
        .collect();
    let expected = Mutex::new(Recorded::default());
    let stop = AtomicBool::new(false);

    // The coordinator signs in through the proxy; the one session works on both instances.
    let web = Web::login(&nginx.url, "tinh");
    for _ in 0..6 {
        let p = web.get("/visits");
        assert_eq!(p.status, 200, "{}", p.body);
    }
    assert_eq!(
        upstreams_for(&nginx, "/visits", "200").len(),
        2,
        "both instances served the session's pages:\n{}",
        nginx.access_log()
    );
    let csrf = web.csrf();

    std::thread::scope(|s| {
        let workers: Vec<_> = phones
            .iter()
            .map(|phone| {
                let (expected, stop) = (&expected, &stop);
                s.spawn(move || {
                    let mut rounds = 0;
                    while !stop.load(Ordering::SeqCst) || rounds < 4 {
                        let rec = phone.record_field_day(COMMUNE_A1, Some(HAMLET_A1_KP1), 2);
                        expected.lock().unwrap().extend(rec);
                        // Waits out the 502s of a request cut by the kill: retried, idempotent.
                        phone.sync_clean(&phone.transport);
                        rounds += 1;
                    }
                })
            })
            .collect();

        // Some records on the server, then one instance dies mid-stream.
        let going = wait_for(Duration::from_secs(60), || {
            (expected.lock().unwrap().households.len() >= 12).then_some(())
        });
        assert!(going.is_some(), "the phones did not get going");
        a.kill();

        // The dashboard goes on through the other instance, with the same session.
        for path in ["/", "/visits", "/households"] {
            let p = web.get(path);
            assert_eq!(p.status, 200, "{path} with one instance down: {}", p.body);
        }
        // An export started now is made by the living instance and downloads.
        let p = web.post("/exports/visits", &[("csrf", &csrf), ("format", "csv")]);
        assert_eq!(p.status, 303, "export start: {}", p.body);
        let job = p.location.clone().expect("to the job's page");
        web.wait_for_export(&job, Duration::from_secs(90));
        let csv = download(&web, &job);
        assert!(csv.lines().count() > 1, "{csv}");

        a.restart();
        stop.store(true, Ordering::SeqCst);
        for w in workers {
            w.join().expect("phone thread");
        }
    });

    // After the restart, both instances serve the same session again (nginx tries the
    // restarted one again once its `fail_timeout`, 10 s by default, has passed).
    let both = wait_for(Duration::from_secs(30), || {
        let p = web.get("/flags");
        assert_eq!(p.status, 200, "{}", p.body);
        (upstreams_for(&nginx, "/flags", "200").len() == 2).then_some(())
    });
    assert!(both.is_some(), "{}", nginx.access_log());

    // A job whose instance died half-way (its heartbeat stopped): the instance the polling
    // reaches takes it over, makes the file again and serves it.
    let owner = db
        .tx(|sql: &mut dyn Sql| {
            sql.query_one(
                "SELECT id FROM coordinators WHERE username = ?",
                &[Value::Text("tinh".into())],
            )
            .map(|r| r.expect("tinh").uuid(0))
        })
        .and_then(|r| r)
        .expect("tinh's id");
    let abandoned = Uuid::now_v7();
    let long_ago = chrono::Utc::now() - chrono::Duration::minutes(5);
    db.tx(|sql: &mut dyn Sql| {
        let erasures = gocua_server::domain::erasure::erasure_count(sql)?;
        sql.exec(
            "INSERT INTO export_jobs(id, owner_id, state, done_rows, total_rows, erasures, request, worker, heartbeat_at, started_at)
             VALUES (?, ?, 'running', 1000, 100000, ?, ?, 'an-instance-that-died', ?, ?)",
            &[
                Value::from(abandoned),
                Value::from(owner),
                Value::Int(erasures),
                Value::Text(r#"{"lang":"vi","unit":null,"team":null,"from":null,"to":null,"xlsx":false}"#.into()),
                Value::from(long_ago),
                Value::from(long_ago),
            ],
        )
    })
    .expect("an abandoned job");
    let job = format!("/exports/{abandoned}");
    web.wait_for_export(&job, Duration::from_secs(90));
    let csv = download(&web, &job);
    let expected = expected.into_inner().unwrap();
    for phone in &phones {
        phone.sync_clean(&phone.transport);
    }
    assert!(csv.lines().count() > expected.visits.len() / 2, "{csv}");
    let rows = inspect::scalar(
        &db,
        "SELECT done_rows FROM export_jobs WHERE id = ?",
        &[Value::from(abandoned)],
    );
    assert_eq!(
        rows as usize,
        expected.visits.len(),
        "the taken-over export holds every visit"
    );
    let again = web.get(&format!("{job}/file"));
    assert_eq!(again.status, 410, "downloaded once, over both instances");

    // A reference change made while both instances run (the team takes on a commune of team B)
    // is used by both at once: each checks the reference counter on every push, so neither
    // refuses a record in the new commune with a stale area list.
    set_team_areas(&db, &seed.team_a, &[COMMUNE_A1, COMMUNE_A2, COMMUNE_B1]);
    let mut expected = expected;
    for phone in &phones {
        // The pull brings the phone the new area list.
        phone.sync_clean(&phone.transport);
    }
    for _ in 0..2 {
        for phone in &phones {
            expected.extend(phone.record_field_day(COMMUNE_B1, None, 1));
            let report = phone.sync_clean(&phone.transport);
            assert_eq!(report.rejected, 0, "{report:?}");
        }
    }
    assert_eq!(
        upstreams_for(&nginx, "/v1/sync/push", "200").len(),
        2,
        "both instances took pushes"
    );

    // Every phone's records on the server exactly once.
    assert_server_holds_each_once(
        &db,
        &expected,
        "what a phone sent again to the other instance was a duplicate",
    );
    for phone in &phones {
        phone.assert_all_accepted(phone.store.queue_status().unwrap().accepted);
    }

    // A lock-out set through one instance holds on the other: five wrong passwords for a name
    // without an account, then every attempt is locked, whichever instance answers.
    for _ in 0..5 {
        let (p, _) = login_attempt(&nginx.url, "khong-co-ai", "sai-mat-khau");
        assert_eq!(p.status, 401, "{}", p.body);
    }
    for _ in 0..4 {
        let (p, _) = login_attempt(&nginx.url, "khong-co-ai", "sai-mat-khau");
        assert_eq!(p.refusal_code(), Some("account_locked"), "{}", p.body);
    }
    assert_eq!(upstreams_for(&nginx, "/login", "401").len(), 2);

    // No export file is left once downloaded.
    let left: Vec<_> = std::fs::read_dir(&exports)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    assert!(
        left.iter()
            .all(|p| p.extension().is_none_or(|e| e != "csv")),
        "{left:?}"
    );
    drop(nginx);
    drop(b);
    drop(a);
    eprintln!("failover: {:?}", t0.elapsed());
}
