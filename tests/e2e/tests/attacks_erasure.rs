//! Attacks on personal data from the hardening review (issue 14), each run for real against a
//! server on both backends:
//!
//! 7. erasure that leaves personal data behind: feedback text of the erased household (database
//!    and feedback CSV), export files made before the erasure (world-readable, never removed,
//!    surviving a restart), the erased name still readable in the SQLite file after a checkpoint,
//!    and no way to erase but from the team's phone (dashboard and command line now, scoped and
//!    audited); viewers seeing dossier codes;
//! 11. any role starting unlimited export jobs, one thread each.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Barrier};
use std::time::Duration;

use gocua_core::protocol::*;
use gocua_core::{AssistDraft, ConsentDraft, FeedbackDraft, HouseholdDraft, VisitDraft};
use gocua_e2e::coverage::met_visit;
use gocua_e2e::dashboard::{account, Page, Web};
use gocua_e2e::inspect::scalar;
use gocua_e2e::seed::*;
use gocua_e2e::server::{free_addr, gocua_admin, gocua_binary, health};
use gocua_e2e::*;
use gocua_server::db::{Db, Sql};
use gocua_server::domain::accounts::Role;
use gocua_server::params;
use uuid::Uuid;

on_both_backends!(
    erasure_blanks_linked_feedback_everywhere,
    exports_are_private_and_short_lived,
    an_erasure_stops_every_earlier_export,
    dashboard_erasure_is_scoped_confirmed_and_audited,
    command_line_erasure_is_audited,
    viewers_see_no_dossier_codes,
    export_jobs_are_bounded,
);

// ---------------------------------------------------------------------------------------------
// Helpers

/// Starts an export of all visits; the answer as the browser gets it.
fn start_export(web: &Web, csrf: &str, format: &str) -> Page {
    web.post("/exports/visits", &[("csrf", csrf), ("format", format)])
}

/// Starts an export and waits until its file is made; its job id.
fn export_done(web: &Web, csrf: &str) -> Uuid {
    let p = start_export(web, csrf, "csv");
    assert_eq!(p.status, 303, "export start: {}", p.body);
    let job = p.location.expect("to the job's page");
    let id = Uuid::parse_str(job.trim_start_matches("/exports/")).expect("job id");
    web.wait_for_export(&job, Duration::from_secs(60));
    id
}

fn code_of(p: &Page) -> Option<&str> {
    p.refusal_code()
}

/// A household with a consented phone, visited (note, GPS, a dossier code), with feedback given
/// during the visit; synced. Returns the household, the visit and the feedback.
fn visited_household(
    phone: &Device,
    name: &str,
    address: &str,
    number: &str,
    dossier: &str,
    feedback: &str,
) -> (Household, Visit, Feedback) {
    let h = phone
        .store
        .create_household(&HouseholdDraft {
            draft_key: None,
            commune_code: COMMUNE_A1.into(),
            hamlet_code: Some(HAMLET_A1_KP1.into()),
            address_line: address.into(),
            head_name: name.into(),
            phone: Some(number.into()),
            members: 4,
            consent: Some(ConsentDraft {
                given: true,
                method: ConsentMethod::Verbal,
            }),
        })
        .expect("household");
    let v = phone
        .store
        .record_visit(&VisitDraft {
            people_reached: 2,
            gps: Some(GeoPoint {
                lat: 10.2415,
                lon: 106.3759,
                accuracy_m: 8.0,
            }),
            note: Some(format!("Ghi chú riêng về {name}")),
            assists: vec![AssistDraft {
                service_key: "birth_registration".into(),
                level_43: None,
                level_42: None,
                result: AssistResult::Submitted,
                dossier_code: Some(dossier.into()),
                not_finished_reason: None,
            }],
            ..met_visit(h.id, None)
        })
        .expect("visit");
    let f = phone
        .store
        .record_feedback(&FeedbackDraft {
            draft_key: None,
            source: FeedbackSource::Visit(v.id),
            category: FeedbackCategory::PortalIssues,
            text: feedback.into(),
            area_code: None,
        })
        .expect("feedback");
    phone.sync_clean(&phone.transport);
    (h, v, f)
}

/// Every text of the tables that hold field records, flags and the audit log, as one string per
/// row (ids included), so a test can look for a secret anywhere.
fn all_stored_text(db: &Db) -> Vec<String> {
    let mut out = Vec::new();
    for (table, columns) in [
        ("households", "id, dup_key, body"),
        ("household_versions", "household_id, body"),
        ("visits", "id, body"),
        ("assists", "id, COALESCE(dossier_code, '')"),
        ("feedback", "id, body"),
        ("flags", "id, detail, COALESCE(params, '')"),
        ("audit_log", "id, subject, detail, COALESCE(params, '')"),
    ] {
        let rows = db
            .tx(|sql: &mut dyn Sql| sql.query(&format!("SELECT {columns} FROM {table}"), &[]))
            .expect("read table");
        for r in rows {
            let cells: Vec<String> = r.0.iter().map(|v| format!("{v:?}")).collect();
            out.push(format!("{table}: {}", cells.join(" | ")));
        }
    }
    out
}

fn assert_nowhere(db: &Db, secrets: &[&str], when: &str) {
    let rows = all_stored_text(db);
    for s in secrets {
        let hits: Vec<&String> = rows.iter().filter(|r| r.contains(s)).collect();
        assert!(
            hits.is_empty(),
            "{when}: \"{s}\" is still stored: {hits:#?}"
        );
    }
}

fn assert_somewhere(db: &Db, secrets: &[&str]) {
    let rows = all_stored_text(db);
    for s in secrets {
        assert!(
            rows.iter().any(|r| r.contains(s)),
            "\"{s}\" should be stored before the erasure"
        );
    }
}

/// The real `gocua serve` with its own temporary directory (so its export files can be looked
/// at) and extra environment; stopped with SIGTERM or SIGKILL.
struct Serve {
    child: Option<Child>,
    url: String,
}

impl Serve {
    fn start(target: &str, tmp: &Path, env: &[(&str, &str)]) -> Serve {
        let addr = free_addr();
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(tmp.join("serve.log"))
            .expect("log");
        let mut cmd = Command::new(gocua_binary());
        cmd.args(["serve", "--db", target, "--listen", &addr.to_string()])
            .env("RUST_LOG", "warn")
            .env("TMPDIR", tmp)
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log"))
            .stderr(log);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("spawn gocua serve");
        let url = format!("http://{addr}");
        let up = wait_for(Duration::from_secs(60), || {
            if let Ok(Some(status)) = child.try_wait() {
                panic!("gocua serve exited with {status}");
            }
            health(&url).then_some(())
        });
        assert!(up.is_some(), "gocua serve did not answer within a minute");
        Serve {
            child: Some(child),
            url,
        }
    }

    /// SIGTERM, as a service manager stops it; waits until it is gone (killing it after 30 s).
    fn terminate(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        let status = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .expect("kill -TERM");
        assert!(status.success());
        let gone = wait_for(Duration::from_secs(30), || {
            child.try_wait().ok().flatten().map(|_| ())
        });
        if gone.is_none() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// Every file (not directory) under `dir`, recursively.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777
}

/// The export files (not lock files) under the server's temporary directory.
fn export_files(tmp: &Path) -> Vec<PathBuf> {
    files_under(&tmp.join("gocua-exports"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "csv" || e == "xlsx"))
        .collect()
}

fn run_dirs(tmp: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(tmp.join("gocua-exports"))
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// 7. Feedback of an erased household keeps its text

fn erasure_blanks_linked_feedback_everywhere(backend: Backend) {
    let env = Env::start(backend);
    let hoa = env.enrol(&env.seed.team_a, 0);
    let secrets = [
        "Lương Thị Quýtcam",
        "45 Hẻm Bí Mật",
        "0912345678",
        "H29.88-251120-777001",
        "Bà Quýtcam nhờ nộp hồ sơ cho cháu ngoại",
    ];
    let (h, v, f) = visited_household(
        &hoa, secrets[0], secrets[1], secrets[2], secrets[3], secrets[4],
    );
    // Feedback not about this household stays as it was.
    let other = hoa
        .store
        .record_feedback(&FeedbackDraft {
            draft_key: None,
            source: FeedbackSource::General,
            category: FeedbackCategory::Infrastructure,
            text: "Sóng 4G yếu ở cuối khu phố.".into(),
            area_code: Some(COMMUNE_A1.into()),
        })
        .expect("feedback");
    hoa.sync_clean(&hoa.transport);
    account(&env.db, "tinh", Role::Admin, env.seed.org_unit.id);
    let tinh = Web::login(&env.server.url, "tinh");
    let csv = tinh.get("/feedback?format=csv");
    assert_eq!(csv.status, 200);
    assert!(csv.body.contains(secrets[4]), "before: {}", csv.body);
    assert_somewhere(&env.db, &secrets);

    hoa.store
        .erase_household_personal_data(h.id)
        .expect("erase");
    hoa.sync_clean(&hoa.transport);

    assert_nowhere(&env.db, &secrets, "after the phone's erasure");
    let stored: Feedback = env
        .db
        .tx(|sql: &mut dyn Sql| {
            sql.query_one("SELECT body FROM feedback WHERE id = ?", params![f.id])?
                .expect("feedback row")
                .json(0)
        })
        .expect("feedback");
    assert_eq!(stored.text, "", "the linked feedback lost its text");
    assert_eq!(
        stored.category,
        FeedbackCategory::PortalIssues,
        "its category stays"
    );
    let visit = inspect::visit(&env.db, v.id).expect("visit stays");
    assert!(visit.note.is_none() && visit.gps.is_none());
    assert!(visit.assists.iter().all(|a| a.dossier_code.is_none()));
    assert_eq!(visit.people_reached, 2, "anonymous counts stay");
    let csv = tinh.get("/feedback?format=csv");
    assert_eq!(csv.status, 200);
    assert!(!csv.body.contains(secrets[4]), "after: {}", csv.body);
    csv.assert_shows("nội dung đã xoá theo yêu cầu");
    assert!(
        csv.body.contains("Sóng 4G yếu ở cuối khu phố."),
        "other feedback stays"
    );
    let _ = other;

    // Feedback about the erased household's visit that arrives afterwards is stored blank; its
    // content hash still makes a re-send a duplicate.
    let late = hoa
        .store
        .record_feedback(&FeedbackDraft {
            draft_key: None,
            source: FeedbackSource::Visit(v.id),
            category: FeedbackCategory::Recommendation,
            text: "Quýtcam đề nghị gọi lại số 0912345678".into(),
            area_code: None,
        })
        .expect("late feedback");
    hoa.sync_clean(&hoa.transport);
    assert_nowhere(&env.db, &["Quýtcam", "0912345678"], "after late feedback");
    // As the phone's queue sends it (built from its rows).
    let as_sent = hoa
        .store
        .feedback_list()
        .expect("feedback list")
        .into_iter()
        .find(|x| x.id == late.id)
        .expect("the late feedback on the phone");
    let again = hoa
        .push(vec![Change::Feedback(as_sent)])
        .expect("push again");
    assert_eq!(again.results[0].status, RecordStatus::Duplicate);
}

// ---------------------------------------------------------------------------------------------
// 7. Export files: private, deleted after download, after their age, at restart

fn exports_are_private_and_short_lived(backend: Backend) {
    let test_db = TestDb::new(backend);
    let db = test_db.open();
    let seed = seed::seed(&db);
    account(&db, "tinh", Role::Admin, seed.org_unit.id);
    let tmp = tempfile::Builder::new()
        .prefix("gocua-e2e-tmp-")
        .tempdir()
        .expect("tmp");
    let mut serve = Serve::start(&test_db.target, tmp.path(), &[]);
    let code = seed::issue_code(&db, &seed.team_a, 0, chrono::Duration::days(1));
    let hoa = Device::enrol(&serve.url, &code);
    visited_household(
        &hoa,
        "Tạ Văn Tệpxuất",
        "9 Đường Tệp",
        "0900000009",
        "H29.88-251120-000009",
        "Ý kiến",
    );

    // Made private: the shared parent and the process's directory 0700, the file 0600.
    let web = Web::login(&serve.url, "tinh");
    let csrf = web.csrf();
    let job = export_done(&web, &csrf);
    let files = export_files(tmp.path());
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(mode(&files[0]), 0o600, "{}", files[0].display());
    assert_eq!(mode(files[0].parent().unwrap()), 0o700);
    assert_eq!(mode(&tmp.path().join("gocua-exports")), 0o700);
    assert!(std::fs::read_to_string(&files[0])
        .unwrap()
        .contains("Tạ Văn Tệpxuất"));

    // Downloaded once, then gone from the disk; a second download is refused with a reason.
    let (status, bytes) = web.get_bytes(&format!("/exports/{job}/file"));
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&bytes).contains("Tạ Văn Tệpxuất"));
    assert!(
        export_files(tmp.path()).is_empty(),
        "deleted after the download"
    );
    let again = web.get(&format!("/exports/{job}/file"));
    assert_eq!(again.status, 410, "{}", again.body);
    assert_eq!(code_of(&again), Some("export_downloaded"));
    assert!(
        again.body.contains("đã được tải về"),
        "Vietnamese first: {}",
        again.body
    );

    // Not downloaded, then the server stops (SIGTERM) or dies (SIGKILL): the next start deletes
    // the file of the earlier run.
    export_done(&web, &csrf);
    assert_eq!(export_files(tmp.path()).len(), 1);
    let old_dirs = run_dirs(tmp.path());
    serve.terminate();
    let mut serve = Serve::start(&test_db.target, tmp.path(), &[]);
    assert!(
        export_files(tmp.path()).is_empty(),
        "after SIGTERM and a restart"
    );
    for d in &old_dirs {
        assert!(!d.exists(), "{} of the earlier run is gone", d.display());
    }
    let web = Web::login(&serve.url, "tinh");
    let csrf = web.csrf();
    export_done(&web, &csrf);
    let child = serve.child.as_mut().unwrap();
    let _ = child.kill();
    let _ = child.wait();
    serve.child = None;
    let serve = Serve::start(&test_db.target, tmp.path(), &[]);
    assert!(
        export_files(tmp.path()).is_empty(),
        "after SIGKILL and a restart"
    );
    drop(serve);

    // Never downloaded: deleted when its age is reached (here 2 s instead of an hour).
    let serve = Serve::start(
        &test_db.target,
        tmp.path(),
        &[("GOCUA_EXPORT_MAX_AGE_SECS", "2")],
    );
    let web = Web::login(&serve.url, "tinh");
    let csrf = web.csrf();
    let job = export_done(&web, &csrf);
    let expired = wait_for(Duration::from_secs(60), || {
        export_files(tmp.path()).is_empty().then_some(())
    });
    assert!(expired.is_some(), "the file outlived its age");
    let late = web.get(&format!("/exports/{job}/file"));
    assert_eq!(late.status, 410);
    assert_eq!(code_of(&late), Some("export_expired"));
    let status = web.get(&format!("/exports/{job}"));
    status.assert_shows("data-state=\"gone\"");
    drop(serve);
    drop(hoa);
}

// ---------------------------------------------------------------------------------------------
// 7. An erasure stops every export made before it

fn an_erasure_stops_every_earlier_export(backend: Backend) {
    let test_db = TestDb::new(backend);
    let db = test_db.open();
    let seed = seed::seed(&db);
    account(&db, "tinh", Role::Admin, seed.org_unit.id);
    let tmp = tempfile::Builder::new()
        .prefix("gocua-e2e-tmp-")
        .tempdir()
        .expect("tmp");
    let serve = Serve::start(&test_db.target, tmp.path(), &[]);
    let code = seed::issue_code(&db, &seed.team_a, 0, chrono::Duration::days(1));
    let hoa = Device::enrol(&serve.url, &code);
    let (h1, _, _) = visited_household(
        &hoa,
        "Kha Thị Mộtlần",
        "1 Đường Một",
        "0900000001",
        "H29.88-251120-000101",
        "Ý kiến một",
    );
    let (h2, _, _) = visited_household(
        &hoa,
        "Kha Văn Hailần",
        "2 Đường Hai",
        "0900000002",
        "H29.88-251120-000102",
        "Ý kiến hai",
    );
    let web = Web::login(&serve.url, "tinh");
    let csrf = web.csrf();

    // Erased from the phone: the file made before is not served, and is deleted.
    let job = export_done(&web, &csrf);
    assert_eq!(export_files(tmp.path()).len(), 1);
    hoa.store
        .erase_household_personal_data(h1.id)
        .expect("erase");
    hoa.sync_clean(&hoa.transport);
    let refused = web.get(&format!("/exports/{job}/file"));
    assert_eq!(refused.status, 410, "{}", refused.body);
    assert_eq!(code_of(&refused), Some("export_erased"));
    assert!(export_files(tmp.path()).is_empty());

    // Erased from the dashboard: the file goes at once, before anyone asks for it.
    let job = export_done(&web, &csrf);
    assert_eq!(export_files(tmp.path()).len(), 1);
    let p = web.post(
        &format!("/households/{}/erase", h2.id),
        &[("csrf", &csrf), ("confirm", "yes")],
    );
    assert_eq!(p.status, 303, "{}", p.body);
    assert!(
        export_files(tmp.path()).is_empty(),
        "deleted with the erasure"
    );
    let refused = web.get(&format!("/exports/{job}/file"));
    assert_eq!(code_of(&refused), Some("export_erased"));

    // An export made after the erasure is served, without the erased names.
    let job = export_done(&web, &csrf);
    let (status, bytes) = web.get_bytes(&format!("/exports/{job}/file"));
    assert_eq!(status, 200);
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        !text.contains("Mộtlần") && !text.contains("Hailần"),
        "{text}"
    );
    drop(serve);
    drop(db);
}

// ---------------------------------------------------------------------------------------------
// 7. SQLite: no erased bytes left in the file after a checkpoint

#[test]
fn the_sqlite_file_keeps_no_erased_bytes() {
    let env = Env::start(Backend::Sqlite);
    let hoa = env.enrol(&env.seed.team_a, 0);
    // Distinctive, so a hit cannot be anything else.
    let secrets = [
        "Quách Thị Zyxwvutsr",
        "Zyxwvutsr",
        "zyxwvutsr", // folded, as the duplicate key keeps it
        "88 Hẻm Qwertyuiop",
        "0987123456",
        "H29.88-251120-554433",
        "Chuyện riêng Plmoknijb",
    ];
    let (h, _, _) = visited_household(
        &hoa, secrets[0], secrets[3], secrets[4], secrets[5], secrets[6],
    );
    let path = PathBuf::from(&env.test_db.target);
    let file_hits = |label: &str| -> Vec<&str> {
        let conn = rusqlite::Connection::open(&path).expect("open the file");
        let (busy, _, _): (i64, i64, i64) = conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .expect("checkpoint");
        assert_eq!(busy, 0, "{label}: the checkpoint ran to completion");
        drop(conn);
        let mut bytes = std::fs::read(&path).expect("read the database file");
        let wal = PathBuf::from(format!("{}-wal", path.display()));
        bytes.extend(std::fs::read(&wal).unwrap_or_default());
        secrets
            .iter()
            .copied()
            .filter(|s| bytes.windows(s.len()).any(|w| w == s.as_bytes()))
            .collect()
    };
    // The check can fail: before the erasure every secret is in the file.
    assert_eq!(file_hits("before").len(), secrets.len());
    hoa.store
        .erase_household_personal_data(h.id)
        .expect("erase");
    hoa.sync_clean(&hoa.transport);
    assert_eq!(
        file_hits("after"),
        Vec::<&str>::new(),
        "bytes left in the file"
    );
}

// ---------------------------------------------------------------------------------------------
// 7. Erasure from the dashboard: scoped, confirmed, audited, and it stays

fn dashboard_erasure_is_scoped_confirmed_and_audited(backend: Backend) {
    let env = Env::start(backend);
    let (unit_a, unit_b) = split_units(&env.db, &env.seed);
    let hoa = env.enrol(&env.seed.team_a, 0);
    let secrets = [
        "Mai Văn Vănphòng",
        "3 Đường Xã",
        "0900000303",
        "H29.88-251120-000303",
        "Ý kiến ông Vănphòng",
    ];
    let (h, _, f) = visited_household(
        &hoa, secrets[0], secrets[1], secrets[2], secrets[3], secrets[4],
    );
    account(&env.db, "xa_a", Role::Coordinator, unit_a.id);
    account(&env.db, "xa_b", Role::Coordinator, unit_b.id);
    account(&env.db, "xem", Role::Viewer, env.seed.org_unit.id);
    let url = &env.server.url;
    let path = format!("/households/{}/erase", h.id);

    // A coordinator of another commune: the household does not exist for them.
    let (xa_b, b_csrf) = Web::login_with_csrf(url, "xa_b");
    for p in [
        xa_b.get(&path),
        xa_b.post(&path, &[("csrf", &b_csrf), ("confirm", "yes")]),
    ] {
        assert_eq!(p.status, 404, "{}", p.body);
        assert_eq!(code_of(&p), Some("not_in_scope"));
    }
    // A viewer may not erase.
    let xem = Web::login(url, "xem");
    let p = xem.post(&path, &[("csrf", &xem.csrf()), ("confirm", "yes")]);
    assert_eq!(
        (p.status, code_of(&p)),
        (403, Some("forbidden")),
        "{}",
        p.body
    );
    // The right coordinator, without the session's token or without ticking the confirmation.
    let (xa_a, csrf) = Web::login_with_csrf(url, "xa_a");
    let p = xa_a.post(&path, &[("csrf", "forged"), ("confirm", "yes")]);
    assert_eq!((p.status, code_of(&p)), (403, Some("csrf_mismatch")));
    let p = xa_a.post(&path, &[("csrf", &csrf)]);
    assert_eq!(
        (p.status, code_of(&p)),
        (422, Some("invalid_input")),
        "{}",
        p.body
    );
    p.assert_shows("Hãy đánh dấu ô xác nhận");
    assert_somewhere(&env.db, &secrets);
    assert_eq!(
        scalar(
            &env.db,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'household_erased'",
            &[]
        ),
        0
    );

    // The confirmation step, then the erasure.
    let detail = xa_a.get(&format!("/households/{}", h.id));
    assert!(detail.body.contains(&path), "the household page offers it");
    let confirm = xa_a.get(&path);
    assert_eq!(confirm.status, 200);
    confirm.assert_shows("name=\"confirm\"");
    confirm.assert_shows("Không hoàn tác được");
    let p = xa_a.post(&path, &[("csrf", &csrf), ("confirm", "yes")]);
    assert_eq!(p.status, 303, "{}", p.body);
    assert_eq!(
        p.location.as_deref(),
        Some(format!("/households/{}", h.id).as_str())
    );
    assert_nowhere(&env.db, &secrets, "after the dashboard erasure");
    assert!(inspect::household(&env.db, h.id).unwrap().erased);
    let fb: Feedback = env
        .db
        .tx(|sql: &mut dyn Sql| {
            sql.query_one("SELECT body FROM feedback WHERE id = ?", params![f.id])?
                .unwrap()
                .json(0)
        })
        .unwrap();
    assert_eq!(fb.text, "");
    let audit = env
        .db
        .tx(|sql: &mut dyn Sql| {
            sql.query(
                "SELECT username, subject, params FROM audit_log WHERE action = 'household_erased'",
                &[],
            )
        })
        .unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].text(0), "xa_a");
    assert_eq!(audit[0].text(1), h.id.to_string());
    assert!(
        audit[0].text(2).contains("\"via\":\"dashboard\""),
        "{}",
        audit[0].text(2)
    );
    let log = xa_a.get("/audit");
    assert!(
        log.body
            .contains("Xoá thông tin cá nhân của hộ theo yêu cầu"),
        "{}",
        log.body
    );

    // The phone still has the household and edits it: the server keeps it erased.
    hoa.store
        .update_household(
            h.id,
            &HouseholdDraft {
                draft_key: None,
                commune_code: COMMUNE_A1.into(),
                hamlet_code: Some(HAMLET_A1_KP1.into()),
                address_line: secrets[1].into(),
                head_name: secrets[0].into(),
                phone: Some(secrets[2].into()),
                members: 5,
                consent: Some(ConsentDraft {
                    given: true,
                    method: ConsentMethod::Verbal,
                }),
            },
        )
        .expect("edit on the phone");
    hoa.sync_clean(&hoa.transport);
    assert_nowhere(&env.db, &secrets, "after the phone's later edit");
    assert_eq!(inspect::household(&env.db, h.id).unwrap().members, 5);
}

// ---------------------------------------------------------------------------------------------
// 7. Erasure from the command line, audited

fn command_line_erasure_is_audited(backend: Backend) {
    let env = Env::start(backend);
    let hoa = env.enrol(&env.seed.team_a, 0);
    let secrets = [
        "Đỗ Thị Dònglệnh",
        "4 Đường Lệnh",
        "0900000404",
        "H29.88-251120-000404",
        "Ý kiến bà Dònglệnh",
    ];
    let (h, _, _) = visited_household(
        &hoa, secrets[0], secrets[1], secrets[2], secrets[3], secrets[4],
    );
    let id = h.id.to_string();
    let out = gocua_admin(
        &env.test_db.target,
        &["erase-household", &id, "--by", "Cán bộ Xã"],
    );
    assert!(out.contains("Đã xoá thông tin cá nhân"), "{out}");
    assert!(out.contains("erased"), "{out}");
    assert_nowhere(&env.db, &secrets, "after the command");
    let row = env
        .db
        .tx(|sql: &mut dyn Sql| {
            sql.query_one(
                "SELECT username, coordinator_id, params FROM audit_log WHERE action = 'household_erased' AND subject = ?",
                params![id.as_str()],
            )
        })
        .unwrap()
        .expect("an audit entry");
    assert_eq!(row.text(0), "Cán bộ Xã");
    assert_eq!(row.opt_text(1), None);
    assert!(row.text(2).contains("\"via\":\"cli\""), "{}", row.text(2));
    // Again: said so, not audited twice.
    let out = gocua_admin(
        &env.test_db.target,
        &["erase-household", &id, "--by", "Cán bộ Xã"],
    );
    assert!(out.contains("đã được xoá từ trước"), "{out}");
    assert_eq!(
        scalar(
            &env.db,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'household_erased'",
            &[]
        ),
        1
    );
    // An unknown household: refused, in both languages, nothing written.
    let missing = Command::new(gocua_binary())
        .args([
            "admin",
            "--db",
            &env.test_db.target,
            "erase-household",
            &Uuid::now_v7().to_string(),
            "--by",
            "x",
        ])
        .output()
        .expect("run gocua admin");
    assert!(!missing.status.success());
    let err = String::from_utf8_lossy(&missing.stderr);
    assert!(
        err.contains("Không có hộ nào") && err.contains("There is no household"),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------------------
// 7. Viewers see no dossier codes

fn viewers_see_no_dossier_codes(backend: Backend) {
    let env = Env::start(backend);
    let hoa = env.enrol(&env.seed.team_a, 0);
    // One well-formed code, one the dossier check flags (and quotes).
    let good = "H29.88-251120-000505";
    let bad = "SAIMA-505";
    let (h, _, _) = visited_household(
        &hoa,
        "Hồ Văn Xem",
        "5 Đường Xem",
        "0900000505",
        good,
        "Ý kiến",
    );
    let (_, _, _) = visited_household(
        &hoa,
        "Hồ Thị Xem",
        "6 Đường Xem",
        "0900000506",
        bad,
        "Ý kiến",
    );
    assert!(
        inspect::flags(&env.db)
            .iter()
            .any(|f| f.kind == "dossier_code_suspect"),
        "the bad code is flagged"
    );
    account(&env.db, "tinh", Role::Admin, env.seed.org_unit.id);
    account(&env.db, "xem", Role::Viewer, env.seed.org_unit.id);
    let pages = [
        "/visits".to_owned(),
        "/visits?format=csv".to_owned(),
        format!("/households/{}", h.id),
        "/flags".to_owned(),
        "/flags?format=csv".to_owned(),
    ];
    let shows = |web: &Web, path: &str, code: &str| -> bool {
        let (status, bytes) = web.get_bytes(path);
        assert_eq!(status, 200, "{path}");
        String::from_utf8_lossy(&bytes).contains(code)
    };
    // A coordinator sees them (the check can fail)…
    let tinh = Web::login(&env.server.url, "tinh");
    assert!(shows(&tinh, "/visits", good) && shows(&tinh, "/visits?format=csv", bad));
    assert!(shows(&tinh, &format!("/households/{}", h.id), good));
    assert!(shows(&tinh, "/flags", bad));
    // … a viewer nowhere, exports included.
    let xem = Web::login(&env.server.url, "xem");
    for path in &pages {
        for code in [good, bad] {
            assert!(!shows(&xem, path, code), "a viewer sees {code} on {path}");
        }
    }
    let csrf = xem.csrf();
    let job = export_done(&xem, &csrf);
    let (status, bytes) = xem.get_bytes(&format!("/exports/{job}/file"));
    assert_eq!(status, 200);
    let text = String::from_utf8_lossy(&bytes);
    assert!(!text.contains(good) && !text.contains(bad), "{text}");
    assert!(
        !text.contains("Mã hồ sơ"),
        "no dossier column for viewers: {text}"
    );
}

// ---------------------------------------------------------------------------------------------
// 11. Export jobs are bounded per account and in all

fn export_jobs_are_bounded(backend: Backend) {
    let env = Env::start(backend);
    let hoa = env.enrol(&env.seed.team_a, 0);
    hoa.record_field_day(COMMUNE_A1, Some(HAMLET_A1_KP1), 3);
    hoa.sync_clean(&hoa.transport);
    for name in ["a1", "a2", "a3", "a4"] {
        account(&env.db, name, Role::Viewer, env.seed.org_unit.id);
    }
    let url = env.server.url.clone();

    // Twelve starts at once from one account: exactly two jobs, the others refused with 429.
    let a1 = Arc::new(Web::login(&url, "a1"));
    let csrf = Arc::new(a1.csrf());
    const AT_ONCE: usize = 12;
    let barrier = Arc::new(Barrier::new(AT_ONCE));
    let answers: Vec<Page> = (0..AT_ONCE)
        .map(|_| {
            let (web, csrf, barrier) = (a1.clone(), csrf.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                start_export(&web, &csrf, "csv")
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|t| t.join().expect("thread"))
        .collect();
    let started: Vec<&Page> = answers.iter().filter(|p| p.status == 303).collect();
    let refused: Vec<&Page> = answers.iter().filter(|p| p.status == 429).collect();
    eprintln!(
        "export_jobs_are_bounded: {} started, {} refused of {AT_ONCE}",
        started.len(),
        refused.len()
    );
    assert_eq!((started.len(), refused.len()), (2, AT_ONCE - 2));
    for p in &refused {
        assert_eq!(code_of(p), Some("too_many_exports"));
        p.assert_shows("tệp xuất đang tạo hoặc chưa tải về");
    }
    // Only the started ones were audited.
    assert_eq!(
        scalar(
            &env.db,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'export'",
            &[]
        ),
        2
    );

    // Downloading one frees its slot.
    let first = started[0].location.clone().unwrap();
    let done = wait_for(Duration::from_secs(60), || {
        a1.get(&first)
            .body
            .contains("data-state=\"done\"")
            .then_some(())
    });
    assert!(done.is_some());
    assert_eq!(a1.get_bytes(&format!("{first}/file")).0, 200);
    assert_eq!(
        start_export(&a1, &csrf, "csv").status,
        303,
        "a slot is free again"
    );

    // The whole server: 2 + 2 + 2 held, the next account is refused although it holds none.
    for name in ["a2", "a3"] {
        let web = Web::login(&url, name);
        let csrf = web.csrf();
        for _ in 0..2 {
            let p = start_export(&web, &csrf, "csv");
            assert_eq!(p.status, 303, "{name}: {}", p.body);
        }
    }
    let a4 = Web::login(&url, "a4");
    let p = start_export(&a4, &a4.csrf(), "csv");
    assert_eq!(p.status, 429, "{}", p.body);
    assert_eq!(code_of(&p), Some("too_many_exports"));
    p.assert_shows("Máy chủ đang tạo nhiều tệp xuất");
}
