//! Load test: many phones syncing at once through nginx (docs/performance.md, "Load test: many
//! phones through nginx").
//!
//! ```text
//! cargo run --release -p gocua-bench --bin load -- --pg postgres://… [--phones 50,500]
//!     [--visits-per-phone 12] [--batch 10] [--phones-per-team 5] [--seed 1] [--skip-sqlite]
//! ```
//!
//! For each N of `--phones`, twice:
//!
//! 1. **PostgreSQL, two instances** — a throwaway database beside `--pg` (created, seeded with the
//!    end-to-end tests' reference data plus N/5 teams of five volunteers, each team in its own
//!    commune with a hamlet, and dropped at the end), two real `gocua serve` processes on it and
//!    Debian's nginx in front of them (`Listen::Plain`, round-robin, the deployment's
//!    `deploy/nginx/gocua-proxy.conf`).
//! 2. **SQLite, one instance** — the same through nginx to one `gocua serve` on a SQLite file:
//!    the baseline of the same run.
//!
//! Each of the N phones is a real device store (`gocua_core::Store`, SQLCipher) enrolled through
//! nginx with a one-time code, with its first sync (reference data), then a day or two of field
//! work recorded offline by `gocua-sim` from a seeded plan (`--visits-per-phone` visits, their
//! households, sessions and feedback). Untimed so far. Then all phones sync at once, `--batch`
//! records per push, through the core's own retrying driver (`Store::sync_with_retry`); a
//! transport wrapper times every request at the phone and keeps its answer.
//!
//! Reported: records per second (records accepted ÷ wall time from the start signal to the last
//! phone done), p50/p95/max push latency per request, pushes, the non-2xx answers and network
//! errors (each one is retried by the driver: that is the retry count) and records still queued
//! at the end (should be 0); under the table, the CPU seconds PostgreSQL, the servers, nginx and
//! the phones (this process) used while the phones synced (`/proc/<pid>/stat`). The same seed
//! gives the same field work on every run.

#[path = "../pg_scratch.rs"]
mod pg_scratch;

use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;
use gocua_core::protocol::calendar::Calendar;
use gocua_core::protocol::*;
use gocua_core::{Backoff, HttpTransport, Store, StoreKey, SystemClock, Transport, TransportError};
use gocua_e2e::nginx::{Listen, Nginx};
use gocua_e2e::seed::{self, Seed};
use gocua_e2e::server::Server;
use gocua_server::db::{Db, DbError, Sql};
use gocua_server::domain::open::open_database;
use gocua_server::domain::refdata;
use gocua_sim::days::record_field_days;
use gocua_sim::names::person_name;
use gocua_sim::plan::{PhonePlan, Place};
use pg_scratch::{pg_drop, pg_scratch};
use rand::rngs::StdRng;
use rand::SeedableRng;
use uuid::Uuid;

type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// Tries of a sync pass while the server or the network asks to wait (as the demo's phones).
const ATTEMPTS: u32 = 8;

struct Args {
    phones: Vec<usize>,
    pg: Option<String>,
    visits: usize,
    batch: usize,
    per_team: usize,
    seed: u64,
    sqlite: bool,
}

fn parse_args() -> Res<Args> {
    let mut args = Args {
        phones: vec![50, 500],
        pg: std::env::var("GOCUA_TEST_PG_URL").ok(),
        visits: 12,
        batch: 10,
        per_team: 5,
        seed: 1,
        sqlite: true,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "--phones" => {
                args.phones = value("--phones")?
                    .split(',')
                    .map(|n| n.trim().parse::<usize>().map(|n| n.max(1)))
                    .collect::<Result<_, _>>()?
            }
            "--pg" => args.pg = Some(value("--pg")?),
            "--visits-per-phone" => args.visits = value("--visits-per-phone")?.parse()?,
            "--batch" => args.batch = value("--batch")?.parse::<usize>()?.max(1),
            "--phones-per-team" => {
                args.per_team = value("--phones-per-team")?.parse::<usize>()?.max(1)
            }
            "--seed" => args.seed = value("--seed")?.parse()?,
            "--skip-sqlite" => args.sqlite = false,
            "-h" | "--help" => {
                println!(
                    "load [--phones 50,500] [--pg postgres://…] [--visits-per-phone 12] [--batch 10] \
                     [--phones-per-team 5] [--seed 1] [--skip-sqlite]"
                );
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    Ok(args)
}

/// What the phones' transports saw, all phones together.
#[derive(Default)]
struct Seen {
    push_latency: Vec<Duration>,
    /// Records the answers accepted (or found already there).
    accepted: u64,
    pull_latency: Vec<Duration>,
    /// Answers that were not 2xx, by status; `network` for no answer at all.
    failures: BTreeMap<String, u64>,
}

/// A phone's transport that times every request and keeps what came back.
struct Timed<'a> {
    inner: &'a HttpTransport,
    seen: &'a Mutex<Seen>,
}

fn failure_key(e: &TransportError) -> String {
    match e {
        TransportError::Network(_) => "network".into(),
        TransportError::Unavailable { status, .. } | TransportError::Refused { status, .. } => {
            status.to_string()
        }
    }
}

impl Transport for Timed<'_> {
    fn push(&self, request: &PushRequest) -> Result<PushResponse, TransportError> {
        let started = Instant::now();
        let answer = self.inner.push(request);
        let took = started.elapsed();
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        match &answer {
            Ok(r) => {
                seen.push_latency.push(took);
                seen.accepted += r
                    .results
                    .iter()
                    .filter(|r| {
                        matches!(r.status, RecordStatus::Accepted | RecordStatus::Duplicate)
                    })
                    .count() as u64;
            }
            Err(e) => *seen.failures.entry(failure_key(e)).or_default() += 1,
        }
        answer
    }

    fn pull(&self, request: &PullRequest) -> Result<PullResponse, TransportError> {
        let started = Instant::now();
        let answer = self.inner.pull(request);
        let took = started.elapsed();
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        match &answer {
            Ok(_) => seen.pull_latency.push(took),
            Err(e) => *seen.failures.entry(failure_key(e)).or_default() += 1,
        }
        answer
    }
}

/// The organisation the phones work for: the end-to-end seed plus teams of `per_team`
/// volunteers, team `t` in commune `t` of the province (with one hamlet of its own).
struct Org {
    seed: Seed,
    plans: Vec<PhonePlan>,
}

fn build_org(db: &Db, phones: usize, args: &Args) -> Res<Org> {
    let seeded = seed::seed(db);
    let communes: Vec<&Area> = seed::areas()
        .iter()
        .filter(|a| a.level == AreaLevel::Commune)
        .collect();
    let teams = phones.div_ceil(args.per_team);
    let mut rng = StdRng::seed_from_u64(args.seed);
    let mut hamlets = Vec::new();
    let mut team_list = Vec::new();
    for t in 0..teams {
        let commune = communes[t % communes.len()];
        let hamlet = Area {
            code: format!("{}-LT{}", commune.code, t + 1),
            name: format!("Ấp {}", t + 1),
            level: AreaLevel::Hamlet,
            division_type: "ấp".into(),
            parent_code: Some(commune.code.clone()),
        };
        let members = (0..args.per_team)
            .map(|m| TeamMember {
                id: Uuid::now_v7(),
                name: person_name(&mut rng),
                role: if m == 0 {
                    MemberRole::Leader
                } else {
                    MemberRole::Member
                },
            })
            .collect();
        let team = Team {
            id: Uuid::now_v7(),
            name: format!("Đội TNTN {} số {}", commune.name, t + 1),
            org_unit_id: seeded.org_unit.id,
            area_codes: vec![commune.code.clone()],
            members,
        };
        team_list.push((team, commune, hamlet.clone()));
        hamlets.push(hamlet);
    }
    db.tx(|sql: &mut dyn Sql| {
        refdata::upsert_areas(sql, &hamlets)?;
        for (team, _, _) in &team_list {
            refdata::upsert_team(sql, team)?;
        }
        Ok::<_, DbError>(())
    })?;
    let mut plans = Vec::with_capacity(phones);
    for i in 0..phones {
        let (team, commune, hamlet) = &team_list[i / args.per_team];
        let member = i % args.per_team;
        let code = seed::issue_code(db, team, member, chrono::Duration::days(1));
        let ward = commune.division_type.to_lowercase().contains("phường");
        let place = |a: &Area| Place {
            code: a.code.clone(),
            name: a.name.clone(),
            commune_code: commune.code.clone(),
            ward,
        };
        plans.push(PhonePlan {
            index: i + 1,
            label: format!("Phone {}", i + 1),
            code,
            team: team.name.clone(),
            communes: vec![place(commune)],
            hamlets: vec![place(hamlet)],
            visits: args.visits,
            seed: args.seed.wrapping_mul(1_000_003).wrapping_add(i as u64),
        });
    }
    Ok(Org {
        seed: seeded,
        plans,
    })
}

/// A phone ready to sync: enrolled, reference data pulled, its field work queued.
struct ReadyPhone {
    store: Store,
    transport: HttpTransport,
    records: u32,
}

/// Enrols (waiting out the enrolment rate limit), pulls, records offline: nothing timed.
fn prepare(
    plan: &PhonePlan,
    url: &str,
    campaign: &Campaign,
    dir: &std::path::Path,
) -> Res<ReadyPhone> {
    let store = Store::open(
        dir.join(format!("phone-{}.db", plan.index)),
        &StoreKey::generate(),
        Arc::new(SystemClock),
    )?;
    let mut backoff = Backoff::default();
    let mut rng = StdRng::seed_from_u64(plan.seed);
    loop {
        match store.enrol(url, &plan.code, &plan.label, "gocua-load/1") {
            Ok(_) => break,
            Err(gocua_core::Error::Transport(t)) if t.is_transient() && backoff.attempt() < 30 => {
                let asked = match &t {
                    TransportError::Unavailable { retry_after, .. } => *retry_after,
                    _ => None,
                };
                std::thread::sleep(backoff.next_delay(&mut rng, asked));
            }
            Err(e) => return Err(format!("{}: enrolment failed: {e}", plan.label).into()),
        }
    }
    let transport = store.http_transport()?;
    store.sync_with_retry(&transport, 200, ATTEMPTS, &|_| {}, &AtomicBool::new(false))?;
    let counts = record_field_days(&store, plan, campaign, Calendar::VIETNAM, Utc::now())?;
    let records = store.queue_status()?.pending;
    let made = counts.households + counts.visits + counts.sessions + counts.feedback;
    if records != made {
        return Err(format!("{}: {made} records made, {records} queued", plan.label).into());
    }
    Ok(ReadyPhone {
        store,
        transport,
        records,
    })
}

/// Runs `f` over `items` on at most `threads` threads at once, in order of the results.
fn parallel<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> Res<R> + Sync,
) -> Res<Vec<R>> {
    let next = Mutex::new(0usize);
    let results: Mutex<Vec<Option<Res<R>>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..threads.min(items.len()).max(1) {
            scope.spawn(|| loop {
                let i = {
                    let mut n = next.lock().unwrap();
                    let i = *n;
                    *n += 1;
                    i
                };
                let Some(item) = items.get(i) else { break };
                let r = f(item);
                results.lock().unwrap()[i] = Some(r);
            });
        }
    });
    results
        .into_inner()
        .unwrap()
        .into_iter()
        .map(|r| r.expect("every item ran"))
        .collect()
}

/// The processes of a run, by role, for their CPU time.
type Roles = Vec<(&'static str, Vec<u32>)>;

/// CPU time (user + system, all threads) of `pid` so far, from `/proc/<pid>/stat`.
fn cpu_time(pid: u32) -> Duration {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return Duration::ZERO;
    };
    // After the command name in parentheses: state is field 3; utime and stime are 14 and 15.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or(Vec::new(), |(_, rest)| rest.split_whitespace().collect());
    let ticks: u64 = [11, 12]
        .iter()
        .filter_map(|&i| fields.get(i).and_then(|f| f.parse::<u64>().ok()))
        .sum();
    // SAFETY: sysconf reads a configuration value; no memory of ours is involved.
    let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as u64;
    Duration::from_secs_f64(ticks as f64 / per_second as f64)
}

/// The children of `parent` (nginx's workers under its master).
fn children(parent: u32) -> Vec<u32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| {
                s.rsplit_once(')')
                    .and_then(|(_, rest)| rest.split_whitespace().nth(1)?.parse::<u32>().ok())
                    == Some(parent)
            })
        })
        .collect()
}

/// nginx's master (the process started with `-p <its directory>`) and its workers.
fn nginx_pids(nginx: &Nginx) -> Vec<u32> {
    let cert = nginx.certificate_path();
    let dir = cert.parent().map(|d| d.to_string_lossy().into_owned());
    let Ok(procs) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let master = procs
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .find(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline")).is_ok_and(|c| {
                let c = String::from_utf8_lossy(&c).replace('\0', " ");
                c.contains("nginx") && dir.as_deref().is_some_and(|d| c.contains(d))
            })
        });
    master.map_or(Vec::new(), |m| {
        let mut pids = children(m);
        pids.push(m);
        pids
    })
}

/// PostgreSQL's processes serving the cluster of `url` now (backends and its own workers).
fn postgres_pids(url: &str) -> Vec<u32> {
    let Ok(mut client) = postgres::Client::connect(url, postgres::NoTls) else {
        return Vec::new();
    };
    let own: i32 = client
        .query_one("SELECT pg_backend_pid()", &[])
        .map_or(0, |r| r.get(0));
    client
        .query("SELECT pid FROM pg_stat_activity", &[])
        .map(|rows| {
            rows.iter()
                .map(|r| r.get::<_, i32>(0))
                .filter(|&p| p != own)
                .filter_map(|p| u32::try_from(p).ok())
                .collect()
        })
        .unwrap_or_default()
}

/// CPU seconds each role used between two snapshots.
fn cpu_by_role(
    before: &[(&'static str, Vec<(u32, Duration)>)],
    after: &Roles,
) -> Vec<(&'static str, f64)> {
    after
        .iter()
        .map(|(role, pids)| {
            let was = |pid: u32| {
                before
                    .iter()
                    .filter(|(r, _)| r == role)
                    .flat_map(|(_, p)| p.iter())
                    .find(|(p, _)| *p == pid)
                    .map_or(Duration::ZERO, |(_, t)| *t)
            };
            let used: f64 = pids
                .iter()
                .map(|&p| cpu_time(p).saturating_sub(was(p)).as_secs_f64())
                .sum();
            (*role, used)
        })
        .collect()
}

fn snapshot(roles: &Roles) -> Vec<(&'static str, Vec<(u32, Duration)>)> {
    roles
        .iter()
        .map(|(role, pids)| (*role, pids.iter().map(|&p| (p, cpu_time(p))).collect()))
        .collect()
}

/// One measured run.
struct Figures {
    label: String,
    phones: usize,
    records: u64,
    accepted: u64,
    wall: Duration,
    pushes: usize,
    p50: Duration,
    p95: Duration,
    max: Duration,
    pull_p50: Duration,
    failures: BTreeMap<String, u64>,
    left: u64,
    prepare: Duration,
    /// CPU seconds per role during the measured syncs.
    cpu: Vec<(&'static str, f64)>,
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Prepares every phone through `url`, then lets them all sync at once and measures.
fn run_phones(
    label: &str,
    org: &Org,
    url: &str,
    batch: usize,
    roles: &dyn Fn() -> Roles,
) -> Res<Figures> {
    let dir = tempfile::Builder::new().prefix("gocua-load-").tempdir()?;
    let started = Instant::now();
    let ready = parallel(&org.plans, 8, |plan| {
        prepare(plan, url, &org.seed.campaign, dir.path())
    })?;
    let prepare_time = started.elapsed();
    let records: u64 = ready.iter().map(|p| u64::from(p.records)).sum();
    let seen = Mutex::new(Seen::default());
    let start = Barrier::new(ready.len() + 1);
    let (wall, outcomes, cpu) = std::thread::scope(|scope| {
        let handles: Vec<_> = ready
            .iter()
            .map(|phone| {
                let (seen, start) = (&seen, &start);
                scope.spawn(move || {
                    let timed = Timed {
                        inner: &phone.transport,
                        seen,
                    };
                    start.wait();
                    let report = phone.store.sync_with_retry(
                        &timed,
                        batch,
                        ATTEMPTS,
                        &|_| {},
                        &AtomicBool::new(false),
                    );
                    let left = phone.store.queue_status().map(|q| q.pending + q.in_flight);
                    (report, left)
                })
            })
            .collect();
        let before = snapshot(&roles());
        start.wait();
        let t0 = Instant::now();
        let outcomes: Vec<_> = handles
            .into_iter()
            .map(|h| h.join().expect("a phone thread panicked"))
            .collect();
        let wall = t0.elapsed();
        (wall, outcomes, cpu_by_role(&before, &roles()))
    });
    let mut left = 0u64;
    let mut failed_syncs = 0u64;
    for (report, pending) in outcomes {
        match report {
            Ok(_) => {}
            Err(e) => {
                failed_syncs += 1;
                eprintln!("load: a phone's sync gave up: {e}");
            }
        }
        left += u64::from(pending.unwrap_or(0));
    }
    let mut seen = seen.into_inner().unwrap_or_else(|e| e.into_inner());
    if failed_syncs > 0 {
        seen.failures.insert("syncs given up".into(), failed_syncs);
    }
    seen.push_latency.sort();
    seen.pull_latency.sort();
    Ok(Figures {
        label: label.to_owned(),
        phones: org.plans.len(),
        records,
        accepted: seen.accepted,
        wall,
        pushes: seen.push_latency.len(),
        p50: percentile(&seen.push_latency, 50.0),
        p95: percentile(&seen.push_latency, 95.0),
        max: seen.push_latency.last().copied().unwrap_or_default(),
        pull_p50: percentile(&seen.pull_latency, 50.0),
        failures: seen.failures,
        left,
        prepare: prepare_time,
        cpu,
    })
}

/// N phones through nginx into two `gocua serve` on one fresh PostgreSQL database.
fn postgres_run(pg: &str, phones: usize, args: &Args) -> Res<Figures> {
    let (url, name) = pg_scratch(pg, "gocua_load").map_err(|e| e.to_string())?;
    let result = (|| {
        let db = open_database(&url)?;
        let org = build_org(&db, phones, args)?;
        drop(db);
        let logs = tempfile::Builder::new()
            .prefix("gocua-load-logs-")
            .tempdir()?;
        let (la, lb) = (logs.path().join("a"), logs.path().join("b"));
        std::fs::create_dir_all(&la)?;
        std::fs::create_dir_all(&lb)?;
        let a = Server::binary(&url, None, &la);
        let b = Server::binary(&url, None, &lb);
        let nginx = Nginx::start(&[a.addr, b.addr], Listen::Plain);
        let roles = || -> Roles {
            vec![
                ("PostgreSQL", postgres_pids(&url)),
                ("2 × gocua serve", vec![a.pid(), b.pid()]),
                ("nginx", nginx_pids(&nginx)),
                ("phones", vec![std::process::id()]),
            ]
        };
        let figures = run_phones(
            "PostgreSQL, 2 × gocua serve",
            &org,
            &nginx.url,
            args.batch,
            &roles,
        );
        if figures.as_ref().map_or(true, |f| !f.failures.is_empty()) {
            show_logs(&[&a, &b]);
            show_nginx(&nginx);
        }
        drop(nginx);
        drop((a, b));
        figures
    })();
    if let Err(e) = pg_drop(pg, &name) {
        eprintln!("load: could not drop {name}: {e}");
    }
    result
}

/// The same phones and plans through nginx into one `gocua serve` on a SQLite file.
fn sqlite_run(phones: usize, args: &Args) -> Res<Figures> {
    let dir = tempfile::Builder::new()
        .prefix("gocua-load-sqlite-")
        .tempdir()?;
    let target = dir.path().join("server.db").to_string_lossy().into_owned();
    let db = open_database(&target)?;
    let org = build_org(&db, phones, args)?;
    drop(db);
    let server = Server::binary(&target, None, dir.path());
    let nginx = Nginx::start(&[server.addr], Listen::Plain);
    let roles = || -> Roles {
        vec![
            ("gocua serve", vec![server.pid()]),
            ("nginx", nginx_pids(&nginx)),
            ("phones", vec![std::process::id()]),
        ]
    };
    let figures = run_phones(
        "SQLite, 1 × gocua serve",
        &org,
        &nginx.url,
        args.batch,
        &roles,
    );
    if figures.as_ref().map_or(true, |f| !f.failures.is_empty()) {
        show_logs(&[&server]);
        show_nginx(&nginx);
    }
    drop(nginx);
    drop(server);
    figures
}

/// The servers' warnings and errors, after a run with failed requests (the last lines of each).
fn show_logs(servers: &[&Server]) {
    for (i, server) in servers.iter().enumerate() {
        let log = server.log();
        let lines: Vec<&str> = log.lines().collect();
        eprintln!("load: server {} log (last lines):", i + 1);
        for line in &lines[lines.len().saturating_sub(15)..] {
            eprintln!("  {line}");
        }
    }
}

/// nginx's error log after a run with failed requests (the last lines).
fn show_nginx(nginx: &Nginx) {
    let log = nginx.error_log();
    let lines: Vec<&str> = log.lines().collect();
    eprintln!("load: nginx error log (last lines):");
    for line in &lines[lines.len().saturating_sub(10)..] {
        eprintln!("  {line}");
    }
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

fn print_table(all: &[Figures], args: &Args) {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!();
    println!(
        "{} visits per phone, {} records per push, {} phones per team, seed {}",
        args.visits, args.batch, args.per_team, args.seed
    );
    println!();
    println!("| setup | phones | records | wall | records/s | pushes | push p50 | push p95 | push max | pull p50 | non-2xx / errors (each retried) | left queued |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|");
    for f in all {
        let failures = if f.failures.is_empty() {
            "0".to_owned()
        } else {
            f.failures
                .iter()
                .map(|(k, v)| format!("{v} × {k}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        println!(
            "| {} | {} | {} | {:.1} s | {:.0} | {} | {} | {} | {} | {} | {} | {} |",
            f.label,
            f.phones,
            f.accepted,
            f.wall.as_secs_f64(),
            f.accepted as f64 / f.wall.as_secs_f64(),
            f.pushes,
            ms(f.p50),
            ms(f.p95),
            ms(f.max),
            ms(f.pull_p50),
            failures,
            f.left
        );
    }
    println!();
    for f in all {
        if f.accepted != f.records {
            println!(
                "note: {} with {} phones: {} records queued, {} accepted",
                f.label, f.phones, f.records, f.accepted
            );
        }
        println!(
            "({} with {} phones: enrolment, first sync and offline recording took {:.1} s, untimed)",
            f.label,
            f.phones,
            f.prepare.as_secs_f64()
        );
        let cpu: Vec<String> = f
            .cpu
            .iter()
            .map(|(role, secs)| format!("{role} {secs:.1} s"))
            .collect();
        println!(
            "  CPU during the {:.1} s of syncing ({:.1} CPU-seconds on {cores} cores): {}",
            f.wall.as_secs_f64(),
            cores as f64 * f.wall.as_secs_f64(),
            cpu.join(", ")
        );
    }
}

fn main() -> Res<()> {
    let args = parse_args()?;
    let pg = args
        .pg
        .clone()
        .ok_or("--pg postgres://… is needed (or GOCUA_TEST_PG_URL): eval \"$(bash scripts/start-postgres.sh)\"")?;
    println!(
        "load: {} CPUs, phones {:?}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        args.phones
    );
    let mut all = Vec::new();
    for &n in &args.phones {
        println!("load: {n} phones, PostgreSQL, two instances behind nginx …");
        let f = postgres_run(&pg, n, &args)?;
        println!(
            "load:   {} records in {:.1} s",
            f.accepted,
            f.wall.as_secs_f64()
        );
        all.push(f);
        if args.sqlite {
            println!("load: {n} phones, SQLite, one instance behind nginx …");
            let f = sqlite_run(n, &args)?;
            println!(
                "load:   {} records in {:.1} s",
                f.accepted,
                f.wall.as_secs_f64()
            );
            all.push(f);
        }
    }
    print_table(&all, &args);
    Ok(())
}
