//! Attacks on the ingest and the storage from the hardening review (issue 14), each run for real
//! against a server on 127.0.0.1, with the answer the server must give now:
//!
//! 8. a household stamped 31 years ahead used to win over every later edit: its stamps now count
//!    from when the server first received them, and the household is flagged `clock_ahead`;
//! 9. a correction naming a visit of another team that had not arrived yet used to hide that
//!    visit from its team's counts once it arrived: a correction links only within its team and
//!    household, whichever arrives first;
//! 11. 200,000 materials in one session, NUL and bidi overrides in names: refused with their own
//!     codes, nothing of the refused records written;
//! 12. (PostgreSQL) the pool never opens more connections than its bound, a caller finding it
//!     busy gets `503 server_error`, and `sslmode=require` really encrypts.

use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Barrier};
use std::time::Duration;

use chrono::Utc;
use gocua_core::protocol::*;
use gocua_core::Transport;
use gocua_e2e::inspect::scalar;
use gocua_e2e::places::*;
use gocua_e2e::raw::Raw;
use gocua_e2e::*;
use gocua_server::db::{Db, Sql};
use gocua_server::params;
use uuid::Uuid;

on_both_backends!(
    a_household_clock_far_ahead_does_not_win_for_ever,
    a_correction_never_hides_another_teams_visit,
    huge_lists_and_hidden_characters_are_refused_whole,
);

mod postgres_only {
    #[test]
    fn the_pool_never_exceeds_its_bound() {
        super::the_pool_never_exceeds_its_bound();
    }
    #[test]
    fn a_busy_pool_answers_503_instead_of_connecting_more() {
        super::a_busy_pool_answers_503_instead_of_connecting_more();
    }
    #[test]
    fn sslmode_require_encrypts_every_connection() {
        super::sslmode_require_encrypts_every_connection();
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers

const YEAR_MS: i64 = 365 * 24 * 3_600_000;

fn push(device: &Device, changes: Vec<Change>) -> PushResponse {
    device.push(changes).expect("push answered")
}

fn one(answer: &PushResponse) -> &RecordResult {
    assert_eq!(answer.results.len(), 1, "{:?}", answer.results);
    &answer.results[0]
}

/// Pushes `change` alone from `device`; the server must accept it.
fn assert_accepted(device: &Device, change: Change) {
    assert_status(
        one(&push(device, vec![change])),
        RecordStatus::Accepted,
        None,
    );
}

fn assert_status(r: &RecordResult, status: RecordStatus, code: Option<&str>) {
    assert_eq!(
        (r.status.clone(), r.code.as_deref()),
        (status, code),
        "verdict: {r:?}"
    );
    if code.is_some() {
        assert!(
            r.message_vi.as_deref().is_some_and(|m| !m.is_empty())
                && r.message_en.as_deref().is_some_and(|m| !m.is_empty()),
            "a refusal says why in both languages: {r:?}"
        );
    }
}

fn stamp(wall_ms: i64, node: u32) -> Hlc {
    Hlc {
        wall_ms,
        counter: 0,
        node,
    }
}

/// A visit to `household`, met, recorded now, by `device`'s member.
fn visit(device: &Device, household: Uuid, supersedes: Option<Uuid>) -> Visit {
    let now = Utc::now();
    Visit {
        id: Uuid::now_v7(),
        household_id: household,
        volunteer_id: device.enrolment.volunteer_id,
        team_id: device.enrolment.team_id,
        campaign_id: None,
        revision: if supersedes.is_some() { 2 } else { 1 },
        supersedes,
        started_at: now - chrono::Duration::minutes(10),
        ended_at: None,
        outcome: VisitOutcome::Met,
        people_reached: 2,
        gps: None,
        note: None,
        follow_up_on: None,
        assists: vec![],
        recorded: DeviceTime {
            utc: now,
            offset_minutes: 420,
        },
        hlc: stamp(now.timestamp_millis(), 1),
    }
}

/// What the team's phones are told they achieved for `indicator` (the server's own count).
fn achieved(env: &Env, device: &Device, indicator: Indicator) -> u64 {
    let team = device.enrolment.team_id;
    let target = env
        .seed
        .targets
        .iter()
        .find(|t| t.team_id == Some(team) && t.indicator == indicator)
        .expect("the seed sets this target")
        .id;
    let pulled = device
        .transport
        .pull(&PullRequest {
            protocol_version: PROTOCOL_VERSION,
            device_id: device.device_id(),
            cursor: None,
        })
        .expect("pull");
    pulled
        .reference
        .achievements
        .iter()
        .find(|a| a.target_id == target)
        .expect("the target's achievement")
        .achieved
}

fn superseded_by(db: &Db, visit: Uuid) -> Option<String> {
    db.tx(|sql: &mut dyn Sql| {
        sql.query_one(
            "SELECT superseded_by FROM visits WHERE id = ?",
            params![visit],
        )
    })
    .expect("query")
    .expect("the visit is stored")
    .opt_text(0)
}

// ---------------------------------------------------------------------------------------------
// 8. Household stamps far in the future

fn a_household_clock_far_ahead_does_not_win_for_ever(backend: Backend) {
    let env = Env::start(backend);
    let wrong = env.enrol(&env.seed.team_a, 0); // its clock says 31 years from now
    let right = env.enrol(&env.seed.team_a, 1);
    let created = wrong.home(A1, "Trần Văn Tương Lai", "7 đường Lê Lợi", 4);
    let far = Utc::now().timestamp_millis() + 31 * YEAR_MS;
    let mut from_the_future = created.clone();
    from_the_future.clocks = HouseholdClocks::all(stamp(far, 0xf0));
    let first = push(&wrong, vec![Change::Household(from_the_future.clone())]);
    // Nothing lost: the phone with the wrong clock syncs its household.
    assert_status(one(&first), RecordStatus::Accepted, None);
    let received_ms = first.server_time.timestamp_millis();
    let stored = inspect::household(&env.db, created.id).expect("stored");
    assert_eq!(stored.head_name, "Trần Văn Tương Lai");
    assert!(
        stored.clocks.max().wall_ms <= received_ms + 1_000,
        "no stamp far ahead is kept: {:?} (received at {received_ms})",
        stored.clocks
    );
    assert!(
        inspect::flags(&env.db)
            .iter()
            .any(|f| f.kind == "clock_ahead" && f.record_id == created.id),
        "the household is flagged for coordinators: {:?}",
        inspect::flags(&env.db)
    );

    // A correct edit made after that, on a phone with a right clock: it wins.
    let mut corrected = created.clone();
    corrected.head_name = "Trần Văn Hiện Tại".into();
    corrected.clocks.head_name = stamp(Utc::now().timestamp_millis().max(received_ms) + 1, 0x0a);
    let answer = push(&right, vec![Change::Household(corrected)]);
    assert_status(one(&answer), RecordStatus::Accepted, None);
    assert_eq!(
        inspect::household(&env.db, created.id).unwrap().head_name,
        "Trần Văn Hiện Tại",
        "the later, correct edit wins"
    );

    // The wrong phone sends its upload again (an answer it lost): nothing changes.
    let again = push(&wrong, vec![Change::Household(from_the_future.clone())]);
    assert_status(one(&again), RecordStatus::Duplicate, None);
    assert_eq!(
        inspect::household(&env.db, created.id).unwrap().head_name,
        "Trần Văn Hiện Tại",
        "a resend of the old stamp does not take the name back"
    );

    // It still syncs later edits of its own (the members it counted), ordered when they arrive,
    // and they leave the correct name alone.
    let mut later = from_the_future.clone();
    later.members = 6;
    later.clocks.members = stamp(far + 60_000, 0xf0);
    let answer = push(&wrong, vec![Change::Household(later)]);
    assert_status(one(&answer), RecordStatus::Accepted, None);
    let stored = inspect::household(&env.db, created.id).unwrap();
    assert_eq!(
        (stored.head_name.as_str(), stored.members),
        ("Trần Văn Hiện Tại", 6)
    );
    assert!(stored.clocks.max().wall_ms <= answer.server_time.timestamp_millis() + 1_000);
    // Every upload is kept as it was sent, for the record.
    assert_eq!(
        inspect::household_version_devices(&env.db, created.id).len(),
        3,
        "three uploads changed the household"
    );
}

// ---------------------------------------------------------------------------------------------
// 9. A correction of another team's visit

fn a_correction_never_hides_another_teams_visit(backend: Backend) {
    let env = Env::start(backend);
    let a = env.enrol(&env.seed.team_a, 0);
    let b = env.enrol(&env.seed.team_b, 0);
    let before = achieved(&env, &a, Indicator::HouseholdsVisited);

    // Order 1: the correction arrives before the visit it names.
    let home_a = a.household(seed::COMMUNE_A1, None, "Lê Thị Một", "1 Nguyễn Huệ", 3);
    let home_b = b.household(seed::COMMUNE_B1, None, "Phạm Văn Hai", "2 ấp Long Hoà", 5);
    assert_accepted(&a, Change::Household(home_a.clone()));
    assert_accepted(&b, Change::Household(home_b.clone()));
    let x = visit(&a, home_a.id, None);
    // Team B learnt the id (it is made on the phone) and corrects it within its own household.
    let hostile = visit(&b, home_b.id, Some(x.id));
    assert_accepted(&b, Change::Visit(hostile.clone()));
    // Team A's own correction of the same visit, also before it, is not blocked by B's.
    let own = visit(&a, home_a.id, Some(x.id));
    assert_accepted(&a, Change::Visit(own.clone()));
    assert_accepted(&a, Change::Visit(x.clone()));
    assert_eq!(
        superseded_by(&env.db, x.id),
        Some(own.id.to_string()),
        "the visit is corrected by its own team's revision only"
    );
    assert_eq!(
        scalar(
            &env.db,
            "SELECT count(*) FROM visits WHERE id = ? AND supersedes IS NULL",
            params![hostile.id],
        ),
        1,
        "the other team's link is void"
    );
    assert_eq!(
        achieved(&env, &a, Indicator::HouseholdsVisited),
        before + 1,
        "team A's household visit still counts"
    );

    // Order 2: the visit first, then the other team's correction naming it.
    let home_a2 = a.household(seed::COMMUNE_A1, None, "Võ Văn Ba", "3 Trần Phú", 2);
    assert_accepted(&a, Change::Household(home_a2.clone()));
    let y = visit(&a, home_a2.id, None);
    assert_accepted(&a, Change::Visit(y.clone()));
    let hostile2 = visit(&b, home_b.id, Some(y.id));
    let refused = push(&b, vec![Change::Visit(hostile2.clone())]);
    assert_status(one(&refused), RecordStatus::Rejected, Some("not_your_team"));
    assert_eq!(one(&refused).field.as_deref(), Some("supersedes"));
    assert_eq!(superseded_by(&env.db, y.id), None);
    assert!(inspect::visit(&env.db, hostile2.id).is_none());
    assert_eq!(
        achieved(&env, &a, Indicator::HouseholdsVisited),
        before + 2,
        "both of team A's households count"
    );
    // Team B's own visit counts for team B as a visit of its household, nothing more.
    assert_eq!(superseded_by(&env.db, hostile.id), None);
}

// ---------------------------------------------------------------------------------------------
// 11. Limits on lists and characters

fn session(device: &Device, materials: Vec<String>) -> OutreachSession {
    let now = Utc::now();
    OutreachSession {
        id: Uuid::now_v7(),
        team_id: device.enrolment.team_id,
        volunteer_id: device.enrolment.volunteer_id,
        campaign_id: None,
        kind: SessionKind::CommunityMeeting,
        area_code: seed::COMMUNE_A1.into(),
        place: "Nhà văn hoá khu phố 1".into(),
        held_on: gocua_protocol::Calendar::VIETNAM.day_of(now),
        attendees: 40,
        materials,
        note: None,
        recorded: DeviceTime {
            utc: now,
            offset_minutes: 420,
        },
        hlc: stamp(now.timestamp_millis(), 1),
    }
}

fn huge_lists_and_hidden_characters_are_refused_whole(backend: Backend) {
    let env = Env::start(backend);
    let phone = env.enrol(&env.seed.team_a, 0);
    let before = inspect::counts(&env.db);

    let crowded = session(&phone, vec!["a".to_owned(); 200_000]);
    let answer = push(&phone, vec![Change::OutreachSession(crowded.clone())]);
    assert_status(one(&answer), RecordStatus::Rejected, Some("too_many_items"));
    assert_eq!(one(&answer).field.as_deref(), Some("materials"));

    let good = phone.household(seed::COMMUNE_A1, None, "Nguyễn Thị Hoà", "5 Hùng Vương", 3);
    let mut nul = phone.household(seed::COMMUNE_A1, None, "Nguyễn Văn Nul", "6 Hùng Vương", 3);
    nul.head_name = "Nguyễn Văn\u{0} Nul".into();
    let mut rlo = phone.household(seed::COMMUNE_A1, None, "Lê Văn Đảo", "7 Hùng Vương", 3);
    rlo.head_name = "Lê Văn \u{202E}oảĐ".into();
    let mut isolate = phone.household(seed::COMMUNE_A1, None, "Lê Thị Ẩn", "8 Hùng Vương", 3);
    isolate.address_line = "8 Hùng \u{2066}Vương\u{2069}".into();
    let spoofed_material = session(&phone, vec!["Tờ rơi \u{202D}VNeID".into()]);
    let answer = push(
        &phone,
        vec![
            Change::Household(nul.clone()),
            Change::Household(good.clone()),
            Change::Household(rlo.clone()),
            Change::Household(isolate.clone()),
            Change::OutreachSession(spoofed_material.clone()),
        ],
    );
    let verdicts: Vec<_> = answer
        .results
        .iter()
        .map(|r| (r.id, r.status.clone(), r.code.clone(), r.field.clone()))
        .collect();
    let refused = |id: Uuid, field: &str| {
        (
            id,
            RecordStatus::Rejected,
            Some("invalid_character".to_owned()),
            Some(field.to_owned()),
        )
    };
    assert_eq!(
        verdicts,
        vec![
            refused(nul.id, "head_name"),
            (good.id, RecordStatus::Accepted, None, None),
            refused(rlo.id, "head_name"),
            refused(isolate.id, "address_line"),
            refused(spoofed_material.id, "materials[0]"),
        ]
    );
    for r in &answer.results {
        if r.status == RecordStatus::Rejected {
            let vi = r.message_vi.as_deref().unwrap_or_default();
            assert!(
                vi.contains("ký tự"),
                "a volunteer reads what is wrong: {vi}"
            );
        }
    }

    // Nothing of the refused records was written; the good household was, once.
    let after = inspect::counts(&env.db);
    let grew = |table: &str| after[table] - before[table];
    assert_eq!(grew("households"), 1, "{before:?} → {after:?}");
    assert_eq!(grew("household_versions"), 1);
    assert_eq!(grew("sessions"), 0);
    assert_eq!(grew("flags"), 0);
    assert_eq!(
        inspect::ids(&env.db, "households")
            .into_iter()
            .filter(|id| [nul.id, rlo.id, isolate.id].contains(id))
            .count(),
        0
    );
    assert_eq!(inspect::ids(&env.db, "sessions"), Vec::<Uuid>::new());
    // And the phone's own validation says the same before anything is sent.
    let problems = gocua_protocol::validation::validate_household(
        &nul,
        &gocua_protocol::ValidationContext::at(Utc::now()),
    )
    .expect_err("the phone refuses it too");
    assert_eq!(
        problems.first().code,
        gocua_protocol::ValidationCode::InvalidCharacter
    );
}

// ---------------------------------------------------------------------------------------------
// 12. PostgreSQL: a bounded pool, and TLS

/// The last path segment of a database URL: its database name.
fn database_name(url: &str) -> String {
    let base = url.split('?').next().unwrap_or(url);
    base.rsplit('/').next().unwrap_or_default().to_owned()
}

/// A seeded PostgreSQL database opened through `url_options` (e.g. `pool_max_conns=3`), with an
/// in-process server on it.
fn pg_env(url_options: &str) -> Env {
    let test_db = TestDb::new(Backend::Postgres);
    let url = format!("{}?{url_options}", test_db.target);
    let db = gocua_server::domain::open::open_database(&url)
        .unwrap_or_else(|e| panic!("cannot open {url}: {e}"));
    Env::seeded(test_db, db)
}

fn admin() -> postgres::Client {
    postgres::Client::connect(&pg_admin_url(), postgres::NoTls).expect("admin connection")
}

fn the_pool_never_exceeds_its_bound() {
    const BOUND: i64 = 3;
    let env = pg_env(&format!("pool_max_conns={BOUND}&pool_wait_ms=30000"));
    let name = database_name(&env.test_db.target);
    let phones: Vec<Device> = (0..4).map(|m| env.enrol(&env.seed.team_a, m)).collect();

    // Count the test database's connections from outside while the phones push at once.
    let most = Arc::new(AtomicI64::new(0));
    let samples = Arc::new(AtomicI64::new(0));
    let done = Arc::new(AtomicBool::new(false));
    let watcher = {
        let (most, samples, done, name) =
            (most.clone(), samples.clone(), done.clone(), name.clone());
        std::thread::spawn(move || {
            let mut admin = admin();
            // Bounded: at most two minutes of sampling whatever happens.
            for _ in 0..60_000 {
                let n: i64 = admin
                    .query_one(
                        // Client backends only: an autovacuum worker visiting the database
                        // shows in pg_stat_activity too, and is not the pool's.
                        "SELECT count(*) FROM pg_stat_activity \
                         WHERE datname = $1 AND backend_type = 'client backend'",
                        &[&name],
                    )
                    .expect("pg_stat_activity")
                    .get(0);
                most.fetch_max(n, Ordering::SeqCst);
                samples.fetch_add(1, Ordering::SeqCst);
                if done.load(Ordering::SeqCst) {
                    break;
                }
                std::thread::sleep(Duration::from_millis(2));
            }
        })
    };
    const THREADS_PER_PHONE: usize = 6;
    const ROUNDS: usize = 10;
    let start = Arc::new(Barrier::new(phones.len() * THREADS_PER_PHONE));
    let env = &env;
    std::thread::scope(|s| {
        for phone in &phones {
            for _ in 0..THREADS_PER_PHONE {
                let start = start.clone();
                s.spawn(move || {
                    start.wait();
                    for _ in 0..ROUNDS {
                        // Pulls: each reads the team's scope and counts its records, and
                        // writes the device's last-seen time. (Simultaneous pushes of one team
                        // on PostgreSQL can still collide in the rollup rewrite, a known
                        // limit of its own; they are not what this test is about.)
                        achieved(env, phone, Indicator::HouseholdsVisited);
                    }
                });
            }
        }
    });
    done.store(true, Ordering::SeqCst);
    watcher.join().expect("watcher");
    let most = most.load(Ordering::SeqCst);
    eprintln!(
        "pool bound {BOUND}: at most {most} connections seen in {} samples",
        samples.load(Ordering::SeqCst)
    );
    assert!(samples.load(Ordering::SeqCst) > 10, "the watcher sampled");
    assert!(most >= 1, "the server's connections were seen");
    assert!(
        most <= BOUND,
        "{most} connections to the test database, more than the bound {BOUND}"
    );
    // Afterwards the pool still serves: a push goes through.
    let h = phones[0].household(seed::COMMUNE_A1, None, "Nguyễn Văn Sau", "1 Hùng Vương", 2);
    let v = visit(&phones[0], h.id, None);
    let answer = push(&phones[0], vec![Change::Household(h), Change::Visit(v)]);
    assert!(
        answer
            .results
            .iter()
            .all(|r| r.status == RecordStatus::Accepted),
        "{:?}",
        answer.results
    );
    assert_eq!(achieved(env, &phones[0], Indicator::HouseholdsVisited), 1);
}

fn a_busy_pool_answers_503_instead_of_connecting_more() {
    let env = pg_env("pool_max_conns=1&pool_wait_ms=300");
    let name = database_name(&env.test_db.target);
    let phone = env.enrol(&env.seed.team_a, 0);
    let h = phone.household(seed::COMMUNE_A1, None, "Đỗ Thị Chờ", "9 Hùng Vương", 2);
    let body = serde_json::to_vec(&PushRequest {
        protocol_version: PROTOCOL_VERSION,
        device_id: phone.device_id(),
        changes: vec![Change::Household(h.clone())],
    })
    .unwrap();
    let send = || {
        Raw {
            base: &env.server.url,
            path: "/v1/sync/push",
            token: Some(&phone.token),
            body: body.clone(),
            headers: vec![],
        }
        .send()
    };

    // Someone holds the only connection (here: the test, through the server's own pool).
    let holding = Barrier::new(2);
    let release = Barrier::new(2);
    std::thread::scope(|s| {
        s.spawn(|| {
            env.db
                .tx(|_sql: &mut dyn Sql| {
                    holding.wait();
                    release.wait();
                    Ok::<_, gocua_server::db::DbError>(())
                })
                .expect("hold the connection");
        });
        holding.wait();
        let busy = send();
        let connections: i64 = admin()
            .query_one(
                "SELECT count(*) FROM pg_stat_activity \
                 WHERE datname = $1 AND backend_type = 'client backend'",
                &[&name],
            )
            .unwrap()
            .get(0);
        release.wait();
        let body = busy.assert_refused(503, "server_error");
        assert!(body.message_vi.contains("gửi lại"), "{body:?}");
        assert!(busy.retry_after.is_some(), "Retry-After tells when");
        assert_eq!(connections, 1, "no second connection was opened");
    });
    assert!(
        inspect::household(&env.db, h.id).is_none(),
        "nothing stored"
    );
    // Once it is free again, the same push goes through.
    let ok = send();
    assert_eq!(ok.status, 200, "{}", String::from_utf8_lossy(&ok.body));
    assert!(inspect::household(&env.db, h.id).is_some());
}

fn ssl_of_own_connection(db: &Db) -> bool {
    db.tx(|sql: &mut dyn Sql| {
        sql.query_one(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            &[],
        )
    })
    .expect("pg_stat_ssl")
    .expect("a row for this backend")
    .int(0)
        != 0
}

fn sslmode_require_encrypts_every_connection() {
    let env = pg_env("sslmode=require");
    assert!(
        ssl_of_own_connection(&env.db),
        "sslmode=require connected over TLS (the test cluster of scripts/start-postgres.sh has ssl=on)"
    );
    // The server works over it, and every connection it opened is encrypted.
    let phone = env.enrol(&env.seed.team_a, 0);
    phone.record_field_day(seed::COMMUNE_A1, None, 3);
    phone.sync_clean(&phone.transport);
    let name = database_name(&env.test_db.target);
    let row = admin()
        .query_one(
            "SELECT count(*), count(*) FILTER (WHERE s.ssl) FROM pg_stat_activity a
               JOIN pg_stat_ssl s ON s.pid = a.pid
              WHERE a.datname = $1 AND a.backend_type = 'client backend'",
            &[&name],
        )
        .unwrap();
    let (all, encrypted): (i64, i64) = (row.get(0), row.get(1));
    assert!(all >= 1);
    assert_eq!(all, encrypted, "every connection of the server uses TLS");

    // The check can fail: the same cluster without TLS says so.
    let plain = gocua_server::domain::open::open_database(&format!(
        "{}?sslmode=disable",
        env.test_db.target
    ))
    .expect("plain connection");
    assert!(!ssl_of_own_connection(&plain));
    // And verification is real: a self-signed certificate is not trusted for verify-full.
    let verified = gocua_server::domain::open::open_database(&format!(
        "{}?sslmode=verify-full",
        env.test_db.target
    ));
    assert!(
        verified.is_err(),
        "a self-signed certificate passed verification"
    );
}
