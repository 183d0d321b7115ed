//! `gocua-bench`: how fast and how small a big sync is, end to end and at the server's ingest.
//!
//! ```text
//! cargo run --release -p gocua-bench -- [--visits 10000] [--visits-per-household 2] [--pg postgres://…]
//! ```
//!
//! 1. **End to end** — one real device store (`gocua_core::Store`, SQLCipher, `synchronous=FULL`)
//!    with N queued visits (1–2 assists each) and their households, enrolled with and synced
//!    through the real HTTP transport to a real server (`gocua_server::app::serve_on`, SQLite) on
//!    127.0.0.1. A counting TCP proxy between them counts the bytes actually sent both ways
//!    (HTTP heads and gzip bodies; not TCP/IP headers).
//! 2. **Ingest** — the server's ingest path (`Ingest::apply` inside `Db::tx`, batches of 200,
//!    changes built beforehand, no HTTP; it includes the team's rollup update) beside two
//!    plain-SQL inserts of the same visit and assist rows (values prepared beforehand) in the same
//!    database, same transactions and batch size: one statement per row, and one multi-row
//!    `INSERT … VALUES (…), (…), …` per table and batch; on SQLite and, with `--pg`, on
//!    PostgreSQL (in a throwaway database it creates and drops).

mod pg_scratch;

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use gocua_core::protocol::validation::{self, ValidationContext};
use gocua_core::protocol::*;
use gocua_core::{
    AssistDraft, ConsentDraft, HouseholdDraft, OpenOptions, Store, StoreKey, SyncProgress,
    SystemClock, Transport, TransportError, VisitDraft,
};
use gocua_server::db::{Db, DbResult, Sql, Value};
use gocua_server::domain::ingest::{DeviceContext, Incoming, Ingest};
use gocua_server::domain::refdata::{self, ValidationCache};
use gocua_sim::names;
use pg_scratch::{pg_drop, pg_scratch};
use rand::rngs::StdRng;
use rand::SeedableRng;
use uuid::Uuid;

const BATCH: usize = 200;
const PROVINCE: &str = "86";
const COMMUNE: &str = "28789";

type Res<T> = Result<T, Box<dyn std::error::Error>>;

struct Args {
    visits: usize,
    visits_per_household: usize,
    pg: Option<String>,
    skip_e2e: bool,
    skip_ingest: bool,
}

fn parse_args() -> Res<Args> {
    let mut args = Args {
        visits: 10_000,
        visits_per_household: 2,
        pg: None,
        skip_e2e: false,
        skip_ingest: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--visits" => args.visits = it.next().ok_or("--visits needs a number")?.parse()?,
            "--visits-per-household" => {
                args.visits_per_household = it
                    .next()
                    .ok_or("--visits-per-household needs a number")?
                    .parse::<usize>()?
                    .max(1)
            }
            "--pg" => args.pg = Some(it.next().ok_or("--pg needs a postgres:// URL")?),
            "--skip-e2e" => args.skip_e2e = true,
            "--skip-ingest" => args.skip_ingest = true,
            "-h" | "--help" => {
                println!("gocua-bench [--visits N] [--visits-per-household K] [--pg postgres://…] [--skip-e2e] [--skip-ingest]");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    Ok(args)
}

// ---------------------------------------------------------------------------------------------
// Reference data, the same for every part

struct Scope {
    team: Uuid,
    member: Uuid,
    campaign: Uuid,
    hamlets: Vec<String>,
}

type Levels = (Option<Level42>, Option<Level43>);
/// A procedure fully online, level 4.
const FULL: Levels = (Some(Level42::ToanTrinh), Some(Level43::Level4));
/// A procedure partly online, level 3.
const PART: Levels = (Some(Level42::MotPhan), Some(Level43::Level3));
/// Not a procedure (VNeID activation): no levels.
const NONE: Levels = (None, None);

fn setup_reference(sql: &mut dyn Sql) -> DbResult<Scope> {
    let scope = Scope {
        team: Uuid::now_v7(),
        member: Uuid::now_v7(),
        campaign: Uuid::now_v7(),
        hamlets: (1..=8).map(|i| format!("{COMMUNE}-KP{i}")).collect(),
    };
    let area =
        |code: &str, name: &str, level: AreaLevel, division: &str, parent: Option<&str>| Area {
            code: code.into(),
            name: name.into(),
            level,
            division_type: division.into(),
            parent_code: parent.map(Into::into),
        };
    let mut areas = vec![
        area(PROVINCE, "Vĩnh Long", AreaLevel::Province, "tỉnh", None),
        area(
            COMMUNE,
            "Phường Bến Tre",
            AreaLevel::Commune,
            "phường",
            Some(PROVINCE),
        ),
    ];
    for (i, h) in scope.hamlets.iter().enumerate() {
        areas.push(area(
            h,
            &format!("Khu phố {}", i + 1),
            AreaLevel::Hamlet,
            "khu phố",
            Some(COMMUNE),
        ));
    }
    refdata::upsert_areas(sql, &areas)?;
    let org = OrgUnit {
        id: Uuid::now_v7(),
        name: "Đoàn phường Bến Tre".into(),
        kind: OrgUnitKind::CommuneUnion,
        parent_id: None,
        area_code: Some(COMMUNE.into()),
    };
    refdata::upsert_org_unit(sql, &org)?;
    refdata::upsert_team(
        sql,
        &Team {
            id: scope.team,
            name: "Đội TNTN Phường Bến Tre".into(),
            org_unit_id: org.id,
            area_codes: vec![COMMUNE.into()],
            members: vec![TeamMember {
                id: scope.member,
                name: "Lê Thị Hoa".into(),
                role: MemberRole::Leader,
            }],
        },
    )?;
    // The four services the bench's visits use: key, code, name, kind and (4.2, 4.3) levels.
    let services = [
        (
            "birth_registration",
            Some("1.001193"),
            "Đăng ký khai sinh",
            FULL,
        ),
        (
            "permanent_residence",
            Some("1.004222"),
            "Đăng ký thường trú",
            FULL,
        ),
        ("judicial_record", None, "Cấp phiếu lý lịch tư pháp", PART),
        (
            "vneid_level2_activation",
            None,
            "Kích hoạt VNeID mức độ 2",
            NONE,
        ),
    ]
    .map(|(key, code, name, (l42, l43))| Service {
        key: key.into(),
        code: code.map(Into::into),
        code_verified: code.is_some(),
        name_vi: name.into(),
        name_en: key.replace('_', " "),
        authority: "UBND cấp xã".into(),
        kind: match l42 {
            Some(_) => ServiceKind::Procedure,
            None => ServiceKind::VneidActivation,
        },
        level_42: l42,
        level_43: l43,
        active: true,
    });
    refdata::upsert_services(sql, &services)?;
    let today = Calendar::VIETNAM.day_of(Utc::now());
    refdata::upsert_campaign(
        sql,
        &Campaign {
            id: scope.campaign,
            name: "Ra quân hỗ trợ dịch vụ công trực tuyến".into(),
            legal_reference: "241-KH/TĐTN-TCKT".into(),
            starts_on: today - chrono::Duration::days(120),
            ends_on: today + chrono::Duration::days(90),
            peak_windows: vec![],
            report_deadline: today + chrono::Duration::days(95),
        },
    )?;
    for indicator in [
        Indicator::HouseholdsVisited,
        Indicator::ServicesSupported,
        Indicator::VneidActivations,
    ] {
        refdata::upsert_target(
            sql,
            &Target {
                id: Uuid::now_v7(),
                campaign_id: scope.campaign,
                team_id: Some(scope.team),
                org_unit_id: None,
                indicator,
                value: 5_000,
                starts_on: today - chrono::Duration::days(120),
                ends_on: today + chrono::Duration::days(90),
            },
        )?;
    }
    Ok(scope)
}

/// The mix of field work the bench records (deterministic in `i`): every visit met the household
/// and has a GPS fix; 1 in 5 has a short note; each has 1 or 2 assists.
fn assists_for(i: usize) -> Vec<AssistDraft> {
    let submitted = |key: &str, n: usize| AssistDraft {
        service_key: key.into(),
        level_43: None,
        level_42: None,
        result: AssistResult::Submitted,
        dossier_code: Some(format!("G22.99-260310-{n:05}")),
        not_finished_reason: None,
    };
    let other = |key: &str, result: AssistResult, reason: Option<NotFinishedReason>| AssistDraft {
        service_key: key.into(),
        level_43: None,
        level_42: None,
        result,
        dossier_code: None,
        not_finished_reason: reason,
    };
    let mut out = vec![match i % 4 {
        0 => submitted("birth_registration", i),
        1 => other(
            "vneid_level2_activation",
            AssistResult::CompletedOnline,
            None,
        ),
        2 => other("judicial_record", AssistResult::GuidedOnly, None),
        _ => submitted("permanent_residence", i),
    }];
    if i % 2 == 1 {
        out.push(match i % 3 {
            0 => other(
                "vneid_level2_activation",
                AssistResult::NotFinished,
                Some(NotFinishedReason::NoChipIdCard),
            ),
            1 => other("birth_registration", AssistResult::GuidedOnly, None),
            _ => other(
                "vneid_level2_activation",
                AssistResult::CompletedOnline,
                None,
            ),
        });
    }
    out
}

const NOTES: [&str; 6] = [
    "Hẹn quay lại khi có căn cước gắn chip",
    "Cụ ông không nhớ mật khẩu VNeID, con trai đi làm xa",
    "Nhà không có wifi, dùng 4G của đội",
    "Đã hướng dẫn cài ứng dụng VNeID cho con dâu",
    "Cần bản sao giấy chứng sinh, hẹn tuần sau",
    "Hộ nghèo, đề nghị hỗ trợ điện thoại thông minh",
];

fn note_for(i: usize) -> Option<String> {
    (i % 5 == 0).then(|| format!("{} (lần {})", NOTES[(i / 5) % NOTES.len()], i / 30 + 1))
}

fn gps_for(i: usize) -> GeoPoint {
    GeoPoint {
        lat: 10.2415 + (i % 1000) as f64 * 1e-5,
        lon: 106.3759 + (i % 700) as f64 * 1e-5,
        accuracy_m: 8.0 + (i % 20) as f32,
    }
}

/// Household `i`: the same every run (its name and street drawn from `gocua_sim::names` with `i`
/// as the seed), in the hamlets in turn, a third with a consented phone number.
fn household_draft(i: usize, hamlets: &[String]) -> HouseholdDraft {
    let mut rng = StdRng::seed_from_u64(i as u64);
    let phone = (i % 3 == 0).then(|| format!("09{:08}", 12_000_000 + i));
    HouseholdDraft {
        draft_key: None,
        commune_code: COMMUNE.into(),
        hamlet_code: Some(hamlets[i % hamlets.len()].clone()),
        address_line: format!("{}, tổ {}", names::street_line(&mut rng), i % 12 + 1),
        head_name: format!("{} {i}", names::person_name(&mut rng)),
        consent: phone.as_ref().map(|_| ConsentDraft {
            given: true,
            method: ConsentMethod::Verbal,
        }),
        phone,
        members: (i % 6 + 1) as u16,
    }
}

// ---------------------------------------------------------------------------------------------
// The server in-process, and a counting TCP proxy in front of it

struct Server {
    addr: SocketAddr,
    runtime: Option<tokio::runtime::Runtime>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Server {
    fn start(db: Db) -> Res<Server> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()?;
        let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        runtime.spawn(gocua_server::app::serve_on(db, listener, async move {
            let _ = stopped.await;
        }));
        Ok(Server {
            addr,
            runtime: Some(runtime),
            stop: Some(stop),
        })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_timeout(Duration::from_secs(5));
        }
    }
}

#[derive(Default)]
struct Counters {
    up: AtomicU64,
    down: AtomicU64,
    connections: AtomicU64,
    /// Status codes of the answers, read from the `HTTP/1.1 NNN` lines going down.
    statuses: Mutex<BTreeMap<u16, u64>>,
}

impl Counters {
    fn snapshot(&self) -> (u64, u64) {
        (
            self.up.load(Ordering::SeqCst),
            self.down.load(Ordering::SeqCst),
        )
    }
}

/// Copies one direction of a connection, counting bytes (and, going down, answer statuses).
fn pump(mut from: TcpStream, mut to: TcpStream, counters: Arc<Counters>, down: bool) {
    let mut buf = vec![0u8; 64 * 1024];
    let mut tail: Vec<u8> = Vec::new();
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        if down {
            counters.down.fetch_add(n as u64, Ordering::SeqCst);
            // `HTTP/1.1 NNN` is 12 bytes: keeping the last 11 of each read finds lines cut in
            // two and never counts one twice.
            tail.extend_from_slice(&buf[..n]);
            let mut statuses = counters.statuses.lock().unwrap_or_else(|e| e.into_inner());
            for at in 0..tail.len().saturating_sub(11) {
                if &tail[at..at + 9] == b"HTTP/1.1 " {
                    if let Some(code) = std::str::from_utf8(&tail[at + 9..at + 12])
                        .ok()
                        .and_then(|s| s.parse().ok())
                    {
                        *statuses.entry(code).or_insert(0) += 1;
                    }
                }
            }
            let keep_from = tail.len().saturating_sub(11);
            tail.drain(..keep_from);
        } else {
            counters.up.fetch_add(n as u64, Ordering::SeqCst);
        }
        if to.write_all(&buf[..n]).is_err() {
            break;
        }
    }
    let _ = to.shutdown(Shutdown::Write);
}

fn start_proxy(target: SocketAddr, counters: Arc<Counters>) -> Res<SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    std::thread::spawn(move || {
        for client in listener.incoming() {
            let Ok(client) = client else { continue };
            let Ok(server) = TcpStream::connect(target) else {
                continue;
            };
            let _ = client.set_nodelay(true);
            let _ = server.set_nodelay(true);
            counters.connections.fetch_add(1, Ordering::SeqCst);
            let (c2, s2) = match (client.try_clone(), server.try_clone()) {
                (Ok(c), Ok(s)) => (c, s),
                _ => continue,
            };
            let (up, down) = (counters.clone(), counters.clone());
            std::thread::spawn(move || pump(client, server, up, false));
            std::thread::spawn(move || pump(s2, c2, down, true));
        }
    });
    Ok(addr)
}

/// The real transport, timed: what is left of a sync's wall time is the phone's own work.
struct Timed<T> {
    inner: T,
    in_transport: Mutex<Duration>,
}

impl<T: Transport> Timed<T> {
    fn time<R>(&self, f: impl FnOnce() -> R) -> R {
        let started = Instant::now();
        let out = f();
        *self.in_transport.lock().unwrap_or_else(|e| e.into_inner()) += started.elapsed();
        out
    }
}

impl<T: Transport> Transport for Timed<T> {
    fn push(&self, request: &PushRequest) -> Result<PushResponse, TransportError> {
        self.time(|| self.inner.push(request))
    }

    fn pull(&self, request: &PullRequest) -> Result<PullResponse, TransportError> {
        self.time(|| self.inner.pull(request))
    }
}

// ---------------------------------------------------------------------------------------------
// Part 1: one device, end to end

struct E2e {
    visits: usize,
    households: usize,
    assists: u64,
    changes: u64,
    build_secs: f64,
    sync_secs: f64,
    transport_secs: f64,
    up: u64,
    down: u64,
    household_phase: (u64, u64),
    visit_phase: (u64, u64),
    pull: (u64, u64),
    requests: u64,
    connections: u64,
    statuses: BTreeMap<u16, u64>,
    attempts_note: String,
    server_body_bytes_per_visit: f64,
}

fn end_to_end(visits: usize, per_household: usize) -> Res<E2e> {
    let dir = tempfile::tempdir()?;
    let db = gocua_server::domain::open::open_database(
        dir.path().join("server.db").to_str().ok_or("path")?,
    )?;
    let scope = db.tx(setup_reference)?;
    let code = db.tx(|sql: &mut dyn Sql| {
        refdata::issue_enrol_code(
            sql,
            scope.team,
            scope.member,
            Utc::now(),
            chrono::Duration::hours(1),
        )
    })?;
    let server = Server::start(db.clone())?;
    let counters = Arc::new(Counters::default());
    let proxy = start_proxy(server.addr, counters.clone())?;
    let url = format!("http://{proxy}");

    // The phone: enrol, first sync (reference data), then record the field work.
    let store_path = dir.path().join("phone.db");
    let key = StoreKey::generate();
    let households = visits.div_ceil(per_household);
    let build = Instant::now();
    {
        let fast = OpenOptions {
            durability: gocua_core::Durability::Relaxed,
            ..OpenOptions::default()
        };
        let store = Store::open_with(&store_path, &key, Arc::new(SystemClock), &fast)?;
        store.enrol(&url, &code, "bench phone", "bench")?;
        let transport = store.http_transport()?;
        store.sync_once(&transport, BATCH, &|_| {}, &AtomicBool::new(false))?;
        let mut ids = Vec::with_capacity(households);
        for i in 0..households {
            ids.push(
                store
                    .create_household(&household_draft(i, &scope.hamlets))?
                    .id,
            );
        }
        for i in 0..visits {
            store.record_visit(&visit_draft(i, ids[i / per_household]))?;
        }
    }
    let build_secs = build.elapsed().as_secs_f64();

    // The measured sync, on the store as a phone opens it (synchronous=FULL).
    let store = Store::open(&store_path, &key, Arc::new(SystemClock))?;
    let transport = Timed {
        inner: store.http_transport()?,
        in_transport: Mutex::new(Duration::ZERO),
    };
    let pending = store.queue_status()?.pending as u64;
    let snapshots: Mutex<Vec<(u32, u64, u64)>> = Mutex::new(Vec::new());
    let base = counters.snapshot();
    let base_statuses = counters
        .statuses
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let progress = |p: SyncProgress| {
        let (u, d) = counters.snapshot();
        snapshots
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((p.sent, u - base.0, d - base.1));
    };
    let started = Instant::now();
    let report =
        store.sync_with_retry(&transport, BATCH, 20, &progress, &AtomicBool::new(false))?;
    let sync_secs = started.elapsed().as_secs_f64();
    let (up, down) = counters.snapshot();
    let (up, down) = (up - base.0, down - base.1);
    let transport_secs = transport
        .in_transport
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .as_secs_f64();

    let status = store.queue_status()?;
    if status.pending + status.in_flight + status.rejected > 0 || !report.pulled {
        return Err(format!("the sync did not finish cleanly: {status:?} {report:?}").into());
    }
    let snapshots = snapshots.into_inner().unwrap_or_else(|e| e.into_inner());
    // Households go first; with a count that is a multiple of the batch, their batches hold nothing else.
    let at_households = snapshots
        .iter()
        .find(|(sent, _, _)| *sent as usize >= households)
        .map_or((0, 0), |(_, u, d)| (*u, *d));
    let last_push = snapshots.last().map_or((0, 0), |(_, u, d)| (*u, *d));
    let (server_visits, server_assists, body_bytes) = db.tx(|sql: &mut dyn Sql| {
        let v = sql
            .query_one("SELECT count(*), sum(length(body)) FROM visits", &[])?
            .ok_or_else(|| gocua_server::db::DbError::Corrupt("no row".into()))?;
        let a = sql
            .query_one("SELECT count(*) FROM assists", &[])?
            .ok_or_else(|| gocua_server::db::DbError::Corrupt("no row".into()))?;
        Ok::<_, gocua_server::db::DbError>((v.int(0) as u64, a.int(0) as u64, v.int(1) as u64))
    })?;
    if server_visits != visits as u64 {
        return Err(format!("the server has {server_visits} visits, expected {visits}").into());
    }
    let statuses_now = counters
        .statuses
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let mut statuses = BTreeMap::new();
    for (code, n) in statuses_now {
        let delta = n - base_statuses.get(&code).copied().unwrap_or(0);
        if delta > 0 {
            statuses.insert(code, delta);
        }
    }
    let requests = statuses.values().sum::<u64>();
    let retried = statuses
        .iter()
        .filter(|(c, _)| **c != 200)
        .map(|(_, n)| n)
        .sum::<u64>();
    Ok(E2e {
        visits,
        households,
        assists: server_assists,
        changes: pending,
        build_secs,
        sync_secs,
        transport_secs,
        up,
        down,
        household_phase: at_households,
        visit_phase: (last_push.0 - at_households.0, last_push.1 - at_households.1),
        pull: (up - last_push.0, down - last_push.1),
        requests,
        connections: counters.connections.load(Ordering::SeqCst),
        statuses,
        attempts_note: if retried == 0 {
            "no retries".into()
        } else {
            format!("{retried} answers were not 200; the driver waited and retried")
        },
        server_body_bytes_per_visit: body_bytes as f64 / visits as f64,
    })
}

// ---------------------------------------------------------------------------------------------
// Part 2: ingest against raw inserts

struct IngestFigures {
    backend: &'static str,
    households: usize,
    household_secs: f64,
    visits: usize,
    assists: usize,
    ingest_secs: f64,
    /// Plain inserts of the same rows, one statement per row.
    raw_secs: f64,
    /// Plain inserts of the same rows, multi-row statements.
    raw_batch_secs: f64,
    /// Rough split of the ingest's own CPU work, measured apart: validation (with the per-record
    /// catalogue map the ingest builds) and serialising + hashing each visit.
    validate_secs: f64,
    encode_secs: f64,
    /// Median seconds of one ingest batch among the first tenth of the batches, and among the
    /// last tenth (when the team already has ~90 % of the visits): a push should cost the same.
    first_batches_p50: f64,
    last_batches_p50: f64,
}

fn built_household(i: usize, scope: &Scope, now: DateTime<Utc>) -> Household {
    let d = household_draft(i, &scope.hamlets);
    Household {
        id: Uuid::now_v7(),
        commune_code: d.commune_code,
        hamlet_code: d.hamlet_code,
        address_line: d.address_line,
        head_name: d.head_name,
        consent: d.consent.map(|c| Consent {
            given: c.given,
            method: c.method,
            recorded_at: now,
            recorded_by: scope.member,
        }),
        phone: d.phone,
        members: d.members,
        erased: false,
        created_by: scope.member,
        team_id: scope.team,
        created: DeviceTime {
            utc: now,
            offset_minutes: 420,
        },
        clocks: HouseholdClocks::all(Hlc {
            wall_ms: now.timestamp_millis(),
            counter: i as u32,
            node: 0x1a2b_3c4d,
        }),
    }
}

/// The `i`-th visit the bench records on a phone, to `household`.
fn visit_draft(i: usize, household: Uuid) -> VisitDraft {
    VisitDraft {
        draft_key: None,
        household_id: household,
        campaign_id: None,
        started_at: None,
        ended_at: None,
        outcome: VisitOutcome::Met,
        people_reached: (i % 3 + 1) as u16,
        gps: Some(gps_for(i)),
        note: note_for(i),
        follow_up_on: None,
        assists: assists_for(i),
        consent: None,
    }
}

/// The `i`-th visit of [`visit_draft`] as the phone sends it, started at `now` (the volunteer's
/// pace is the caller's: a visit every two minutes, as in the field, so the rapid-visit check
/// flags none of them).
fn built_visit(i: usize, household: Uuid, scope: &Scope, now: DateTime<Utc>) -> Visit {
    let levels = |key: &str| match key {
        "judicial_record" => PART,
        "vneid_level2_activation" => NONE,
        _ => FULL,
    };
    let draft = visit_draft(i, household);
    Visit {
        id: Uuid::now_v7(),
        household_id: household,
        volunteer_id: scope.member,
        team_id: scope.team,
        campaign_id: Some(scope.campaign),
        revision: 1,
        supersedes: None,
        started_at: now,
        ended_at: draft.ended_at,
        outcome: draft.outcome,
        people_reached: draft.people_reached,
        gps: draft.gps,
        note: draft.note,
        follow_up_on: draft.follow_up_on,
        assists: draft
            .assists
            .into_iter()
            .map(|a| {
                let (l42, l43) = levels(&a.service_key);
                Assist {
                    id: Uuid::now_v7(),
                    service_key: a.service_key,
                    level_43: l43,
                    level_42: l42,
                    result: a.result,
                    dossier_code: a.dossier_code,
                    not_finished_reason: a.not_finished_reason,
                }
            })
            .collect(),
        recorded: DeviceTime {
            utc: now,
            offset_minutes: 420,
        },
        hlc: Hlc {
            wall_ms: now.timestamp_millis(),
            counter: i as u32,
            node: 0x1a2b_3c4d,
        },
    }
}

/// The rows of one visit as the ingest writes them (same SQL, same values), computed beforehand.
struct RawVisit {
    visit: Vec<Value>,
    assists: Vec<Vec<Value>>,
}

const INSERT_VISIT: &str = "INSERT INTO visits(id, household_id, team_id, volunteer_id, campaign_id, revision, supersedes, superseded_by,
                started_at, outcome, people_reached, recorded_at, received_at, device_id, content_hash, body)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
const INSERT_ASSIST: &str = "INSERT INTO assists(id, visit_id, service_key, level_43, level_42, result, dossier_code, not_finished_reason)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
/// The same two inserts without their `VALUES`, for multi-row statements.
const INSERT_VISIT_HEAD: &str = "INSERT INTO visits(id, household_id, team_id, volunteer_id, campaign_id, revision, supersedes, superseded_by,
                started_at, outcome, people_reached, recorded_at, received_at, device_id, content_hash, body)";
const INSERT_ASSIST_HEAD: &str = "INSERT INTO assists(id, visit_id, service_key, level_43, level_42, result, dossier_code, not_finished_reason)";

/// One plain `INSERT … VALUES (…), (…), …` of all `rows` (the raw multi-row baseline).
fn multi_row_insert(sql: &mut dyn Sql, head: &str, rows: &[&Vec<Value>]) -> DbResult<()> {
    let Some(first) = rows.first() else {
        return Ok(());
    };
    let row = format!("({})", vec!["?"; first.len()].join(", "));
    let statement = format!(
        "{head} VALUES {}",
        vec![row.as_str(); rows.len()].join(", ")
    );
    let values: Vec<Value> = rows.iter().flat_map(|r| r.iter().cloned()).collect();
    sql.exec(&statement, &values)?;
    Ok(())
}

fn raw_rows(v: &Visit, device: Uuid, now: DateTime<Utc>) -> RawVisit {
    let body = serde_json::to_string(v).expect("visit serializes");
    let hash = gocua_server::domain::auth::sha256_hex(body.as_bytes());
    let opt = |s: Option<&str>| s.map_or(Value::Null, |s| Value::Text(s.to_owned()));
    RawVisit {
        visit: vec![
            v.id.into(),
            v.household_id.into(),
            v.team_id.into(),
            v.volunteer_id.into(),
            v.campaign_id.into(),
            v.revision.into(),
            v.supersedes.into(),
            Value::Null,
            v.started_at.into(),
            v.outcome.as_str().into(),
            v.people_reached.into(),
            v.recorded.utc.into(),
            now.into(),
            device.into(),
            hash.into(),
            body.into(),
        ],
        assists: v
            .assists
            .iter()
            .map(|a| {
                vec![
                    a.id.into(),
                    v.id.into(),
                    a.service_key.as_str().into(),
                    opt(a.level_43.as_ref().map(|l| l.as_str())),
                    opt(a.level_42.as_ref().map(|l| l.as_str())),
                    a.result.as_str().into(),
                    opt(a.dossier_code.as_deref()),
                    opt(a.not_finished_reason.as_ref().map(|r| r.as_str())),
                ]
            })
            .collect(),
    }
}

fn ingest_bench(
    backend: &'static str,
    db: &Db,
    visits: usize,
    per_household: usize,
) -> Res<IngestFigures> {
    let scope = db.tx(setup_reference)?;
    let device = DeviceContext {
        device_id: Uuid::now_v7(),
        team_id: scope.team,
        member_id: scope.member,
    };
    let cache = ValidationCache::default();
    let now = Utc::now();
    let households: Vec<Household> = (0..visits.div_ceil(per_household))
        .map(|i| built_household(i, &scope, now))
        .collect();
    let visit_list: Vec<Visit> = (0..visits)
        .map(|i| {
            // One visit every two minutes, the last one now (50,000 visits: 69 days back, inside
            // the campaign's 120 days); visits at one instant would each raise a rapid-visit flag.
            let started = now - chrono::Duration::minutes(2 * (visits - i) as i64);
            built_visit(i, households[i / per_household].id, &scope, started)
        })
        .collect();
    // The raw inserts write copies under fresh ids (the ingest writes the originals).
    let copies = || -> Vec<RawVisit> {
        (0..visits)
            .map(|i| {
                let mut copy = visit_list[i].clone();
                copy.id = Uuid::now_v7();
                for a in &mut copy.assists {
                    a.id = Uuid::now_v7();
                }
                raw_rows(&copy, device.device_id, now)
            })
            .collect()
    };
    let raw = copies();
    let raw_batch = copies();
    let assists: usize = visit_list.iter().map(|v| v.assists.len()).sum();

    let apply = |changes: Vec<Change>| -> Res<()> {
        let n = changes.len();
        let incoming: Vec<Incoming> = changes
            .into_iter()
            .map(|c| Incoming::Parsed(Box::new(c)))
            .collect();
        let results = db.tx(|sql: &mut dyn Sql| {
            let data = cache.get(sql)?;
            Ingest {
                data: &data,
                device,
                now: Utc::now(),
            }
            .apply(sql, incoming)
        })?;
        let accepted = results
            .iter()
            .filter(|r| r.status == RecordStatus::Accepted)
            .count();
        if accepted != n {
            let first = results.iter().find(|r| r.status != RecordStatus::Accepted);
            return Err(
                format!("{backend}: {accepted} of {n} accepted; first refusal {first:?}").into(),
            );
        }
        Ok(())
    };

    // Households first (visits need them): timed on their own.
    let mut household_batches: Vec<Vec<Change>> = households
        .chunks(BATCH)
        .map(|c| c.iter().cloned().map(Change::Household).collect())
        .collect();
    let started = Instant::now();
    for batch in household_batches.drain(..) {
        apply(batch)?;
    }
    let household_secs = started.elapsed().as_secs_f64();

    // Raw inserts of the same rows, same transactions and batch size.
    let started = Instant::now();
    for batch in raw.chunks(BATCH) {
        db.tx(|sql: &mut dyn Sql| {
            for v in batch {
                sql.exec(INSERT_VISIT, &v.visit)?;
                for a in &v.assists {
                    sql.exec(INSERT_ASSIST, a)?;
                }
            }
            Ok::<_, gocua_server::db::DbError>(())
        })?;
    }
    let raw_secs = started.elapsed().as_secs_f64();

    // The same again with multi-row statements.
    let started = Instant::now();
    for batch in raw_batch.chunks(BATCH) {
        db.tx(|sql: &mut dyn Sql| {
            let visit_rows: Vec<&Vec<Value>> = batch.iter().map(|v| &v.visit).collect();
            let assist_rows: Vec<&Vec<Value>> = batch.iter().flat_map(|v| &v.assists).collect();
            multi_row_insert(sql, INSERT_VISIT_HEAD, &visit_rows)?;
            multi_row_insert(sql, INSERT_ASSIST_HEAD, &assist_rows)?;
            Ok::<_, gocua_server::db::DbError>(())
        })?;
    }
    let raw_batch_secs = started.elapsed().as_secs_f64();

    // The ingest path.
    let visit_batches: Vec<Vec<Change>> = visit_list
        .chunks(BATCH)
        .map(|c| c.iter().cloned().map(Change::Visit).collect())
        .collect();
    let started = Instant::now();
    let mut batch_secs = Vec::with_capacity(visit_batches.len());
    for batch in visit_batches {
        let one = Instant::now();
        apply(batch)?;
        batch_secs.push(one.elapsed().as_secs_f64());
    }
    let ingest_secs = started.elapsed().as_secs_f64();
    let tenth = batch_secs.len().div_ceil(10);
    let first_batches_p50 = median(&batch_secs[..tenth]);
    let last_batches_p50 = median(&batch_secs[batch_secs.len() - tenth..]);

    // Where the ingest's time goes, roughly: its CPU steps timed on their own.
    let data = db.tx(|sql: &mut dyn Sql| cache.get(sql))?;
    let team_areas: &[String] = data.team_areas.get(&scope.team).map_or(&[], Vec::as_slice);
    let started = Instant::now();
    for v in &visit_list {
        let catalogue = catalogue_by_key(&data.services);
        let ctx = ValidationContext {
            now: Utc::now(),
            services: Some(&catalogue),
            areas: Some(&data.tree),
            team: Some((scope.team, team_areas)),
            calendar: Default::default(),
        };
        validation::validate_visit(v, &ctx)?;
    }
    let validate_secs = started.elapsed().as_secs_f64();
    let started = Instant::now();
    for v in &visit_list {
        let bytes = serde_json::to_vec(v)?;
        std::hint::black_box(gocua_server::domain::auth::sha256_hex(&bytes));
        std::hint::black_box(serde_json::to_string(v)?);
    }
    let encode_secs = started.elapsed().as_secs_f64();

    let stored = db.tx(|sql: &mut dyn Sql| {
        Ok::<_, gocua_server::db::DbError>(
            sql.query_one("SELECT count(*) FROM visits", &[])?
                .map_or(0, |r| r.int(0)),
        )
    })?;
    if stored != 3 * visits as i64 {
        return Err(format!("{backend}: {stored} visit rows, expected {}", 3 * visits).into());
    }
    Ok(IngestFigures {
        backend,
        households: households.len(),
        household_secs,
        visits,
        assists,
        ingest_secs,
        raw_secs,
        raw_batch_secs,
        validate_secs,
        encode_secs,
        first_batches_p50,
        last_batches_p50,
    })
}

fn median(secs: &[f64]) -> f64 {
    let mut sorted = secs.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted.get(sorted.len() / 2).copied().unwrap_or(0.0)
}

// ---------------------------------------------------------------------------------------------

fn rate(n: usize, secs: f64) -> f64 {
    n as f64 / secs.max(1e-9)
}

fn main() -> Res<()> {
    let args = parse_args()?;
    println!(
        "gocua-bench: {} visits, {} per household, batches of {BATCH}",
        args.visits, args.visits_per_household
    );
    println!(
        "machine: {} cores, {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        std::env::consts::ARCH
    );

    if !args.skip_e2e {
        eprintln!("… end to end: building the phone's queue and syncing it");
        let e = end_to_end(args.visits, args.visits_per_household)?;
        let per_visit = |(u, d): (u64, u64)| (u + d) as f64 / e.visits as f64;
        println!();
        println!("## End to end: one device, real store, real HTTP, SQLite server");
        println!();
        println!("| measure | value |");
        println!("|---|---|");
        println!(
            "| queued changes | {} ({} households, {} visits, {} assists) |",
            e.changes, e.households, e.visits, e.assists
        );
        println!(
            "| recording them on the phone (not timed below) | {:.1} s |",
            e.build_secs
        );
        println!(
            "| whole sync wall time (push all + pull) | {:.2} s |",
            e.sync_secs
        );
        println!(
            "| visits per second, end to end | {:.0} |",
            rate(e.visits, e.sync_secs)
        );
        println!(
            "| of which waiting for the server (HTTP round trips incl. server ingest) | {:.2} s |",
            e.transport_secs
        );
        println!(
            "| of which the phone's own work (take batch, settle, store writes) | {:.2} s |",
            e.sync_secs - e.transport_secs
        );
        println!(
            "| requests / connections | {} / {} |",
            e.requests, e.connections
        );
        println!(
            "| answers by status | {:?} ({}) |",
            e.statuses, e.attempts_note
        );
        println!("| bytes up / down (TCP payload) | {} / {} |", e.up, e.down);
        println!(
            "| bytes per visit, everything (households, answers, pull) | {:.0} |",
            (e.up + e.down) as f64 / e.visits as f64
        );
        println!(
            "| bytes per visit, visit batches only (up + down) | {:.0} ({:.0} up, {:.0} down) |",
            per_visit(e.visit_phase),
            e.visit_phase.0 as f64 / e.visits as f64,
            e.visit_phase.1 as f64 / e.visits as f64
        );
        println!(
            "| bytes per household, household batches (up + down) | {:.0} |",
            (e.household_phase.0 + e.household_phase.1) as f64 / e.households as f64
        );
        println!("| pull (up + down) | {} bytes |", e.pull.0 + e.pull.1);
        println!(
            "| uncompressed visit JSON as stored by the server | {:.0} bytes per visit |",
            e.server_body_bytes_per_visit
        );
    }

    if !args.skip_ingest {
        let mut figures = Vec::new();
        eprintln!("… ingest on SQLite");
        let dir = tempfile::tempdir()?;
        let db = gocua_server::domain::open::open_database(
            dir.path().join("ingest.db").to_str().ok_or("path")?,
        )?;
        figures.push(ingest_bench(
            "sqlite",
            &db,
            args.visits,
            args.visits_per_household,
        )?);
        drop(db);
        if let Some(url) = &args.pg {
            eprintln!("… ingest on PostgreSQL");
            let (scratch, name) = pg_scratch(url, "gocua_bench")?;
            let result = gocua_server::domain::open::open_database(&scratch)
                .map_err(|e| -> Box<dyn std::error::Error> { e.into() })
                .and_then(|db| {
                    ingest_bench("postgres", &db, args.visits, args.visits_per_household)
                });
            pg_drop(url, &name)?;
            figures.push(result?);
        }
        println!();
        println!("## Server ingest (no HTTP): `Ingest::apply` in `Db::tx`, batches of {BATCH}, vs plain-SQL inserts of the same rows");
        println!();
        println!("| backend | households/s (ingest) | visits/s (ingest) | visits/s (raw, per row) | ingest ÷ raw per row | visits/s (raw, multi-row) | ingest ÷ raw multi-row | visits, assists |");
        println!("|---|---|---|---|---|---|---|---|");
        for f in &figures {
            println!(
                "| {} | {:.0} | {:.0} | {:.0} | {:.2} | {:.0} | {:.2} | {}, {} |",
                f.backend,
                rate(f.households, f.household_secs),
                rate(f.visits, f.ingest_secs),
                rate(f.visits, f.raw_secs),
                f.raw_secs / f.ingest_secs,
                rate(f.visits, f.raw_batch_secs),
                f.raw_batch_secs / f.ingest_secs,
                f.visits,
                f.assists
            );
        }
        println!();
        println!("Where an ingested visit's time goes (µs per visit; the CPU steps timed apart, the rest is SQL):");
        println!();
        println!("| backend | total ingest | validation | serialise + hash | SQL and the rest | raw insert, per row | raw insert, multi-row |");
        println!("|---|---|---|---|---|---|---|");
        for f in &figures {
            let us = |secs: f64| secs * 1e6 / f.visits as f64;
            println!(
                "| {} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} |",
                f.backend,
                us(f.ingest_secs),
                us(f.validate_secs),
                us(f.encode_secs),
                us(f.ingest_secs - f.validate_secs - f.encode_secs),
                us(f.raw_secs),
                us(f.raw_batch_secs)
            );
        }
        println!();
        println!(
            "A push's cost as the team's history grows (median ms per batch of {BATCH} visits):"
        );
        println!();
        println!("| backend | first tenth of the batches | last tenth of the batches |");
        println!("|---|---|---|");
        for f in &figures {
            println!(
                "| {} | {:.1} | {:.1} |",
                f.backend,
                f.first_batches_p50 * 1e3,
                f.last_batches_p50 * 1e3
            );
        }
    }
    Ok(())
}
