//! Backups that restore (docs/backup.md). A backup taken while phones keep pushing holds every
//! record acknowledged before it began, once; and after a restore, phones send again what the
//! backup lacks (the database's generation changed, docs/protocol.md section 13), so the restored
//! server ends with every record exactly once.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use gocua_e2e::inspect::{self, assert_server_holds_each_once};
use gocua_e2e::seed::*;
use gocua_e2e::server::{gocua_admin, gocua_admin_output};
use gocua_e2e::*;
use gocua_server::db::Db;
use gocua_server::domain::open::open_database;

on_both_backends!(phones_send_again_what_the_backup_lacks);

/// `gocua admin --db <target> <args…>` expected to fail: its standard error.
fn admin_refused(target: &str, args: &[&str]) -> String {
    let out = gocua_admin_output(target, args);
    assert!(
        !out.status.success(),
        "gocua admin {args:?} should have been refused:\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn generation(db: &Db) -> String {
    db.tx(|sql: &mut dyn gocua_server::db::Sql| {
        Ok::<_, gocua_server::db::DbError>(
            sql.query_one(
                "SELECT value FROM schema_meta WHERE key = 'generation'",
                &[],
            )?
            .map(|r| r.text(0))
            .unwrap_or_default(),
        )
    })
    .expect("generation")
}

/// A PostgreSQL tool (`pg_dump`, `pg_restore`): on the PATH or in Debian's versioned directory.
fn pg_tool(name: &str) -> PathBuf {
    if let Ok(dirs) = std::fs::read_dir("/usr/lib/postgresql") {
        let mut found: Vec<PathBuf> = dirs
            .flatten()
            .map(|d| d.path().join("bin").join(name))
            .filter(|p| p.is_file())
            .collect();
        found.sort();
        if let Some(p) = found.pop() {
            return p;
        }
    }
    PathBuf::from(name)
}

fn run(cmd: &mut Command) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Three phones push a stream of records (each records two households with their visits and
/// syncs, again and again) while `gocua admin backup` copies the live SQLite database. Restored
/// into a new file, the backup holds every record acknowledged before the backup began, each
/// once, and only records the phones made, whole (every visit's household is there too). Bad
/// restores are refused with their codes. A new server on the restored file ends, once the
/// phones have synced with it, with every record they made, each once.
#[test]
fn a_backup_during_pushes_holds_every_acknowledged_record() {
    let env = Env::start_binary(Backend::Sqlite);
    let phones: Vec<Device> = (0..3).map(|m| env.enrol(&env.seed.team_a, m)).collect();
    // What each phone had acknowledged, appended after each successful sync.
    let acked: Mutex<Vec<Recorded>> = Mutex::new(vec![Recorded::default(); phones.len()]);
    let mut everything = Recorded::default();
    let stop = AtomicBool::new(false);
    let dir = env.test_db.dir().to_owned();
    let file = dir.join("backup-1.db");
    let (before, backup_took) = std::thread::scope(|s| {
        let workers: Vec<_> = phones
            .iter()
            .enumerate()
            .map(|(i, phone)| {
                let (acked, stop) = (&acked, &stop);
                s.spawn(move || {
                    let mut mine = Recorded::default();
                    let mut rounds = 0;
                    while !stop.load(Ordering::SeqCst) || rounds < 3 {
                        let rec = phone.record_field_day(COMMUNE_A1, Some(HAMLET_A1_KP1), 2);
                        mine.extend(rec.clone());
                        phone.sync_clean(&phone.transport);
                        acked.lock().unwrap()[i].extend(rec);
                        rounds += 1;
                    }
                    mine
                })
            })
            .collect();
        // Let the stream run, then back up in the middle of it.
        let started = wait_for(Duration::from_secs(60), || {
            let a = acked.lock().unwrap();
            a.iter().all(|r| r.households.len() >= 4).then_some(())
        });
        assert!(started.is_some(), "the phones did not get going");
        let before: Recorded =
            acked
                .lock()
                .unwrap()
                .iter()
                .fold(Recorded::default(), |mut all, r| {
                    all.extend(r.clone());
                    all
                });
        let t0 = Instant::now();
        let out = gocua_admin(&env.test_db.target, &["backup", file.to_str().unwrap()]);
        let took = t0.elapsed();
        assert!(
            out.contains("Đã sao lưu") && out.contains("Backed up"),
            "{out}"
        );
        // A few more rounds after the backup, then stop.
        stop.store(true, Ordering::SeqCst);
        for w in workers {
            everything.extend(w.join().expect("phone thread"));
        }
        (before, took)
    });
    eprintln!("backup of a live database took {backup_took:?}");
    let mode = std::fs::metadata(&file).unwrap().permissions();
    assert_eq!(
        std::os::unix::fs::PermissionsExt::mode(&mode) & 0o777,
        0o600,
        "a backup holds personal data"
    );
    assert!(
        !Path::new(&format!("{}-wal", file.display())).exists(),
        "one self-contained file"
    );

    // Restored into a new file (no server has it open, it is empty).
    let restored_path = dir.join("restored.db");
    let restored = restored_path.to_str().unwrap();
    let out = gocua_admin(restored, &["restore", file.to_str().unwrap()]);
    assert!(
        out.contains("Đã khôi phục") && out.contains("Restored"),
        "{out}"
    );
    let db = open_database(restored).expect("open the restored database");
    assert_ne!(generation(&db), generation(&env.db), "a new generation");
    let households = inspect::ids(&db, "households");
    let visits = inspect::ids(&db, "visits");
    for (table, want, got) in [
        ("households", &before.households, &households),
        ("visits", &before.visits, &visits),
    ] {
        let missing: Vec<_> = want.iter().filter(|id| !got.contains(id)).collect();
        assert!(
            missing.is_empty(),
            "{table} acknowledged before the backup began but not in it: {missing:?}"
        );
    }
    // Ids are the primary key, so "there" is "once"; nothing else is there, and the copy is
    // whole: each visit's household came with it, each household was stored once.
    assert!(households.iter().all(|h| everything.households.contains(h)));
    assert!(visits.iter().all(|v| everything.visits.contains(v)));
    for v in &visits {
        let visit = inspect::visit(&db, *v).expect("visit");
        assert!(
            households.contains(&visit.household_id),
            "visit {v} without its household"
        );
    }
    assert_eq!(
        inspect::count(&db, "household_versions"),
        households.len() as i64
    );
    assert!(
        everything.households.len() > before.households.len(),
        "the phones kept pushing after the backup began"
    );
    eprintln!(
        "backup: {} of {} households acknowledged before it, {} in it",
        before.households.len(),
        everything.households.len(),
        households.len()
    );

    // Refusals, each with its code and both languages: the live database (a server has it
    // open; so does this test), the restored one while open here, then once closed.
    let err = admin_refused(&env.test_db.target, &["restore", file.to_str().unwrap()]);
    assert!(
        err.contains("[restore_target_in_use]") && err.contains("Lỗi:"),
        "{err}"
    );
    let err = admin_refused(restored, &["restore", file.to_str().unwrap()]);
    assert!(err.contains("[restore_target_in_use]"), "{err}");
    drop(db);
    let err = admin_refused(restored, &["restore", file.to_str().unwrap()]);
    assert!(
        err.contains("[restore_target_not_empty]") && err.contains("--replace"),
        "{err}"
    );
    let out = gocua_admin(restored, &["restore", "--replace", file.to_str().unwrap()]);
    assert!(out.contains("Restored"), "{out}");
    let err = admin_refused(&env.test_db.target, &["backup", file.to_str().unwrap()]);
    assert!(err.contains("[backup_file_exists]"), "{err}");
    let junk = dir.join("junk.db");
    std::fs::write(&junk, "không phải cơ sở dữ liệu").unwrap();
    let err = admin_refused(
        dir.join("other.db").to_str().unwrap(),
        &["restore", junk.to_str().unwrap()],
    );
    assert!(err.contains("[sqlite_error]"), "{err}");
    let err = admin_refused(
        dir.join("other.db").to_str().unwrap(),
        &["restore", dir.join("missing.db").to_str().unwrap()],
    );
    assert!(err.contains("[file_missing]"), "{err}");
    // A SQLite file that is not Gõ Cửa's, and one of a newer schema: (name, made from the
    // backup?, SQL run on it, the refusal's code).
    for (name, from_backup, change, code) in [
        (
            "foreign.db",
            false,
            "CREATE TABLE t(x); INSERT INTO t VALUES (1);",
            "[not_a_gocua_database]",
        ),
        (
            "newer.db",
            true,
            "UPDATE schema_meta SET value = '99' WHERE key = 'version';",
            "[backup_schema_newer]",
        ),
    ] {
        let bad = dir.join(name);
        if from_backup {
            std::fs::copy(&file, &bad).unwrap();
        }
        rusqlite::Connection::open(&bad)
            .unwrap()
            .execute_batch(change)
            .unwrap();
        let err = admin_refused(
            dir.join("other.db").to_str().unwrap(),
            &["restore", bad.to_str().unwrap()],
        );
        assert!(err.contains(code), "{err}");
    }
    assert!(
        !dir.join("other.db").exists(),
        "a refused restore wrote nothing"
    );

    // A new server on the restored database: the phones send again what they had sent (the
    // generation changed), and it ends with every record they made, each once.
    let server = Server::binary(restored, None, &dir);
    for phone in &phones {
        phone.sync_clean(&phone.transport_to(&server.url));
    }
    let db = open_database(restored).expect("open the restored database");
    assert_server_holds_each_once(
        &db,
        &everything,
        "a restored server took the resent records as duplicates",
    );
}

/// Three phones sync; a backup is taken; they record and sync more (acknowledged), and one
/// records a little more without syncing. The server is lost and the backup restored into a new
/// database, served at the same address. The phones sync again: what the backup lacks is sent
/// again because the generation changed, what it has comes back as duplicates, and the server
/// holds every record exactly once. SQLite: `gocua admin backup` / `restore`; PostgreSQL: the
/// documented `pg_dump -Fc` / `pg_restore` / `gocua admin mark-restored`.
fn phones_send_again_what_the_backup_lacks(backend: Backend) {
    let t0 = Instant::now();
    let mut env = Env::start_binary(backend);
    let phones: Vec<Device> = (0..3).map(|m| env.enrol(&env.seed.team_a, m)).collect();
    let mut expected = Recorded::default();
    for phone in &phones {
        expected.extend(phone.record_field_day(COMMUNE_A1, Some(HAMLET_A1_KP2), 3));
        phone.sync_clean(&phone.transport);
    }
    let old_generation = generation(&env.db);

    let dir = env.test_db.dir().to_owned();
    let file = dir.join("gocua.backup");
    match backend {
        Backend::Sqlite => {
            gocua_admin(&env.test_db.target, &["backup", file.to_str().unwrap()]);
        }
        Backend::Postgres => run(Command::new(pg_tool("pg_dump"))
            .args(["-Fc", "--no-owner", "-f"])
            .arg(&file)
            .arg(&env.test_db.target)),
    }
    let in_backup = expected.records();

    // Acknowledged after the backup: lost with the server unless the phones send them again.
    for phone in &phones {
        expected.extend(phone.record_field_day(COMMUNE_A2, Some(HAMLET_A2_KP3), 2));
        phone.sync_clean(&phone.transport);
        phone.assert_all_accepted(phone.store.queue_status().unwrap().accepted);
    }
    // Still waiting on a phone when the server is lost.
    expected.extend(phones[2].record_field_day(COMMUNE_A1, None, 1));
    env.server.kill();

    let mut _restored_pg = None;
    let restored = match backend {
        Backend::Sqlite => {
            let path = dir.join("restored.db").to_string_lossy().into_owned();
            let out = gocua_admin(&path, &["restore", file.to_str().unwrap()]);
            assert!(
                out.contains(&old_generation),
                "names the old generation: {out}"
            );
            path
        }
        Backend::Postgres => {
            let scratch = PgScratch::on_test_cluster("gocua_e2e_restored");
            run(Command::new(pg_tool("pg_restore"))
                .args(["--no-owner", "--exit-on-error", "-d"])
                .arg(&scratch.url)
                .arg(&file));
            let out = gocua_admin(&scratch.url, &["mark-restored"]);
            assert!(
                out.contains("thế hệ mới") && out.contains("new generation"),
                "{out}"
            );
            let url = scratch.url.clone();
            _restored_pg = Some(scratch);
            url
        }
    };
    let db = open_database(&restored).expect("open the restored database");
    assert_ne!(generation(&db), old_generation);
    assert!(
        (inspect::count(&db, "households") + inspect::count(&db, "visits"))
            < i64::from(expected.records()),
        "the backup lacks what came after it"
    );

    // A new server on the restored database, at the same address the phones know.
    let server = Server::binary(&restored, Some(env.server.addr), &dir);
    let mut resent = 0;
    for phone in &phones {
        resent += phone.sync_clean(&phone.transport).sent;
    }
    assert!(
        resent >= in_backup,
        "everything acknowledged before was sent again ({resent} ≥ {in_backup})"
    );
    for phone in &phones {
        let q = phone.store.queue_status().unwrap();
        assert_eq!((q.pending, q.in_flight, q.rejected), (0, 0, 0), "{q:?}");
    }
    assert_server_holds_each_once(&db, &expected, "the resent ones were duplicates");
    // Nothing more travels on the next sync.
    for phone in &phones {
        assert_eq!(phone.sync_clean(&phone.transport).sent, 0);
    }
    drop(server);
    eprintln!("{backend:?}: restore and resend took {:?}", t0.elapsed());
}
