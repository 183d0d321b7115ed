//! Store benchmarks: recording a visit (against a raw-SQL baseline on the same kind of file),
//! household search in a 20,000-household commune, and opening a store of 50,000 visits.
//!
//! `cargo bench -p gocua-core --bench store`. Fixture databases are built once per run in a
//! temporary directory; the setup also prints hand-timed median and p95 for the searches,
//! which criterion does not report. Results and targets: docs/performance.md.

#[path = "../tests/common/mod.rs"]
mod common;

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use gocua_core::protocol::{Area, AreaLevel, ConsentMethod};
use gocua_core::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rusqlite::{params, Connection, TransactionBehavior};
use tempfile::TempDir;
use uuid::Uuid;

const SEARCH_HOUSEHOLDS: usize = 20_000;
const HAMLETS: usize = 50;
const OPEN_VISITS: usize = 50_000;
const VISITS_PER_HOUSEHOLD: usize = 10;
/// Hand-timed runs per query, for median and p95: 1,000 for the headline query, fewer for the
/// others to keep the whole run near three minutes.
const HAND_TIMED_MAIN: usize = 1_000;
const HAND_TIMED_OTHER: usize = 300;

fn profile() -> DeviceProfile {
    DeviceProfile {
        volunteer_id: common::volunteer_id(),
        volunteer_name: "Lê Thị Hoa".into(),
        team_id: common::team_id(),
    }
}

fn hamlet_code(i: usize) -> String {
    format!("{}-AP{:02}", common::COMMUNE, i + 1)
}

/// The test reference data plus 50 hamlets (ấp) under the commune.
fn reference_with_hamlets() -> protocol::ReferenceData {
    let mut data = common::reference_data();
    for i in 0..HAMLETS {
        data.areas.push(Area {
            code: hamlet_code(i),
            name: format!("Ấp {}", i + 1),
            level: AreaLevel::Hamlet,
            division_type: "ấp".into(),
            parent_code: Some(common::COMMUNE.into()),
        });
    }
    data
}

/// An enrolled store with reference data at `path`, on a clock stopped in Youth Month.
fn enrolled(path: &Path, key: &StoreKey, options: &OpenOptions) -> (Store, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new(common::start_time(), 7 * 60));
    let store = Store::open_with(path, key, clock.clone(), options).unwrap();
    store
        .apply_reference_data(&reference_with_hamlets(), true)
        .unwrap();
    store.set_profile(&profile()).unwrap();
    (store, clock)
}

fn relaxed() -> OpenOptions {
    OpenOptions {
        durability: Durability::Relaxed,
        ..Default::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Names

/// Family names with rough national shares (per mille): Nguyễn alone is about four in ten.
const FAMILY: &[(&str, u32)] = &[
    ("Nguyễn", 380),
    ("Trần", 110),
    ("Lê", 95),
    ("Phạm", 70),
    ("Hoàng", 30),
    ("Huỳnh", 30),
    ("Phan", 45),
    ("Vũ", 20),
    ("Võ", 20),
    ("Đặng", 21),
    ("Bùi", 20),
    ("Đỗ", 14),
    ("Hồ", 13),
    ("Ngô", 13),
    ("Dương", 10),
    ("Lý", 5),
];
const MIDDLE: &[(&str, u32)] = &[
    ("Văn", 40),
    ("Thị", 40),
    ("Hữu", 5),
    ("Minh", 6),
    ("Ngọc", 5),
    ("Thanh", 4),
];
const GIVEN: &[&str] = &[
    "An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng", "Hương",
    "Huy", "Khánh", "Lan", "Linh", "Long", "Mai", "Minh", "Nam", "Nga", "Ngọc", "Nhung", "Phong",
    "Phúc", "Phương", "Quang", "Quân", "Sơn", "Tâm", "Thảo", "Thắng", "Thủy", "Trang", "Trung",
    "Tuấn", "Tú", "Vân", "Việt", "Yến",
];
const STREETS: &[&str] = &[
    "Đồng Khởi",
    "Hùng Vương",
    "Nguyễn Đình Chiểu",
    "Trần Quốc Tuấn",
    "Lê Lợi",
    "30 Tháng 4",
    "Cách Mạng Tháng Tám",
    "Phan Ngọc Tòng",
];
const MOBILE_PREFIXES: &[&str] = &[
    "090", "091", "093", "094", "096", "097", "098", "032", "035", "038", "070", "077", "083",
];

fn weighted<'a>(rng: &mut StdRng, items: &[(&'a str, u32)]) -> &'a str {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut pick = rng.random_range(0..total);
    for (item, w) in items {
        if pick < *w {
            return item;
        }
        pick -= w;
    }
    items[0].0
}

fn household(rng: &mut StdRng, i: usize) -> HouseholdDraft {
    let name = format!(
        "{} {} {}",
        weighted(rng, FAMILY),
        weighted(rng, MIDDLE),
        GIVEN[rng.random_range(0..GIVEN.len())]
    );
    let with_phone = rng.random_bool(0.6);
    HouseholdDraft {
        draft_key: None,
        commune_code: common::COMMUNE.into(),
        hamlet_code: Some(hamlet_code(i % HAMLETS)),
        address_line: format!(
            "Số {}, đường {}",
            rng.random_range(1..400),
            STREETS[rng.random_range(0..STREETS.len())]
        ),
        head_name: name,
        phone: with_phone.then(|| {
            format!(
                "{}{:07}",
                MOBILE_PREFIXES[rng.random_range(0..MOBILE_PREFIXES.len())],
                rng.random_range(0..10_000_000)
            )
        }),
        members: rng.random_range(1..9),
        consent: with_phone.then_some(ConsentDraft {
            given: true,
            method: ConsentMethod::Verbal,
        }),
    }
}

// ---------------------------------------------------------------------------------------------
// Recording a visit, and the raw-SQL baseline

fn bench_record_visit(c: &mut Criterion) {
    let dir = TempDir::new().unwrap();
    let key = StoreKey::generate();

    for (name, options) in [
        ("record_visit_two_assists", OpenOptions::default()),
        ("record_visit_two_assists_relaxed", relaxed()),
    ] {
        let (store, clock) = enrolled(&dir.path().join(format!("{name}.db")), &key, &options);
        let households: Vec<Uuid> = (0..100)
            .map(|i| {
                store
                    .create_household(&common::household_draft(&format!("Nguyễn Văn Bền {i}")))
                    .unwrap()
                    .id
            })
            .collect();
        let drafts: Vec<VisitDraft> = households.iter().map(|&h| common::visit_draft(h)).collect();
        let mut n = 0usize;
        let mut g = c.benchmark_group(name);
        g.sample_size(40)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(5));
        g.bench_function(name, |b| {
            b.iter(|| {
                n += 1;
                if n % 64 == 0 {
                    clock.advance(chrono::Duration::seconds(1));
                }
                black_box(store.record_visit(&drafts[n % drafts.len()]).unwrap())
            })
        });
        g.finish();
    }

    for (name, synchronous) in [
        ("baseline_raw_insert", "FULL"),
        ("baseline_raw_insert_relaxed", "OFF"),
    ] {
        let conn = raw_store(&dir.path().join(format!("{name}.db")), &key, synchronous);
        let household_id = Uuid::now_v7().to_string();
        conn.execute(
            "INSERT INTO households(id, commune_code, hamlet_code, address_line, head_name, members, created_by, team_id,
                created_utc, created_offset, clocks, search_text, updated_utc)
             VALUES (?1, ?2, ?3, 'Số 12, đường Đồng Khởi', 'Nguyễn Văn Bền', 4, ?4, ?5, 0, 420, '{}', 'nguyen van ben', 0)",
            params![household_id, common::COMMUNE, common::HAMLET_A, common::volunteer_id().to_string(), common::team_id().to_string()],
        )
        .unwrap();
        let mut conn = conn;
        let mut g = c.benchmark_group(name);
        g.sample_size(40)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(5));
        g.bench_function(name, |b| {
            b.iter(|| raw_insert_visit(&mut conn, &household_id))
        });
        g.finish();
    }
}

/// A plain rusqlite connection on a file like the store's: SQLCipher with a raw key, WAL, the
/// given `synchronous`, foreign keys on, and the store's own schema (made by opening it as a
/// store once, which runs the store's migrations).
fn raw_store(path: &Path, key: &StoreKey, synchronous: &str) -> Connection {
    drop(Store::open(path, key, Arc::new(SystemClock)).unwrap());
    let conn = gocua_core::open_raw(path, key).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    conn.execute_batch(&format!(
        "PRAGMA synchronous = {synchronous}; PRAGMA foreign_keys = ON;"
    ))
    .unwrap();
    conn
}

/// One visit row, two assist rows and one outbox row, in one IMMEDIATE transaction.
fn raw_insert_visit(conn: &mut Connection, household_id: &str) {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .unwrap();
    let visit_id = Uuid::now_v7().to_string();
    let now = chrono::Utc::now().timestamp_millis();
    tx.prepare_cached(
        "INSERT INTO visits(id, household_id, volunteer_id, team_id, campaign_id, revision, supersedes, started_at,
            ended_at, outcome, people_reached, gps_lat, gps_lon, gps_accuracy_m, note, follow_up_on, recorded_utc,
            recorded_offset, hlc, time_flag)
         VALUES (?1, ?2, ?3, ?4, ?5, 1, NULL, ?6, NULL, 'met', 3, 10.2415, 106.3759, 12.0, ?7, NULL, ?6, 420, ?8, NULL)",
    )
    .unwrap()
    .execute(params![
        visit_id,
        household_id,
        common::volunteer_id().to_string(),
        common::team_id().to_string(),
        common::campaign_id().to_string(),
        now,
        "Hướng dẫn cài VNeID cho con trai",
        format!("{now}-0-1a2b3c4d"),
    ])
    .unwrap();
    {
        let mut assist = tx
            .prepare_cached(
                "INSERT INTO assists(id, visit_id, position, service_key, level_43, level_42, result, dossier_code, not_finished_reason)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )
            .unwrap();
        assist
            .execute(params![
                Uuid::now_v7().to_string(),
                visit_id,
                0,
                "birth_registration",
                "4",
                "toan_trinh",
                "submitted",
                "H29.88-260310-0001",
                None::<String>
            ])
            .unwrap();
        assist
            .execute(params![
                Uuid::now_v7().to_string(),
                visit_id,
                1,
                "vneid_level2_activation",
                None::<String>,
                None::<String>,
                "not_finished",
                None::<String>,
                "no_chip_id_card"
            ])
            .unwrap();
    }
    tx.prepare_cached(
        "INSERT INTO outbox(kind, record_id, state, change_counter, attempts, queued_at) VALUES ('visit', ?1, 'pending', 1, 0, ?2)",
    )
    .unwrap()
    .execute(params![visit_id, now])
    .unwrap();
    tx.commit().unwrap();
}

// ---------------------------------------------------------------------------------------------
// Search

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn bench_search(c: &mut Criterion) {
    let dir = TempDir::new().unwrap();
    let key = StoreKey::generate();
    let path = dir.path().join("search.db");
    let started = Instant::now();
    {
        let (store, _clock) = enrolled(&path, &key, &relaxed());
        let mut rng = StdRng::seed_from_u64(20_000);
        for i in 0..SEARCH_HOUSEHOLDS {
            store.create_household(&household(&mut rng, i)).unwrap();
        }
    }
    println!(
        "search fixture: {SEARCH_HOUSEHOLDS} households in {HAMLETS} hamlets built in {:.1} s, {:.1} MiB",
        started.elapsed().as_secs_f64(),
        std::fs::metadata(&path).unwrap().len() as f64 / (1024.0 * 1024.0)
    );

    let clock = Arc::new(ManualClock::new(common::start_time(), 7 * 60));
    let store = Store::open(&path, &key, clock).unwrap();
    let hamlet = hamlet_code(7);
    let queries = [
        ("search_20k_households", "nguyen van", None, HAND_TIMED_MAIN),
        ("search_20k_prefix_ngu", "ngu", None, HAND_TIMED_OTHER),
        ("search_20k_phone_0912", "0912", None, HAND_TIMED_OTHER),
        // A given name that is also the start of a family name (Hoa, Hoàng): all three ranks.
        ("search_20k_ranked_hoa", "hoa", None, HAND_TIMED_OTHER),
        // Within one hamlet of 400 households: few of the matches are in it.
        (
            "search_20k_hamlet_nguyen_van",
            "nguyen van",
            Some(hamlet.as_str()),
            HAND_TIMED_OTHER,
        ),
    ];

    for &(_, q, hamlet, runs) in &queries {
        let commune = hamlet.map(|_| common::COMMUNE);
        let matches = store
            .search_households(q, commune, hamlet, u32::MAX)
            .unwrap()
            .len();
        let mut times = Vec::with_capacity(runs);
        for _ in 0..runs {
            let t = Instant::now();
            black_box(store.search_households(q, commune, hamlet, 50).unwrap());
            times.push(t.elapsed());
        }
        times.sort();
        let within = hamlet.map_or(String::new(), |h| format!(" in {h}"));
        println!(
            "search {q:?}{within} (limit 50, {matches} matches in all): {runs} hand-timed runs: median {:.3} ms, p95 {:.3} ms, max {:.3} ms",
            ms(percentile(&times, 50.0)),
            ms(percentile(&times, 95.0)),
            ms(*times.last().unwrap())
        );
    }

    for (name, q, hamlet, _) in queries {
        let commune = hamlet.map(|_| common::COMMUNE);
        let mut g = c.benchmark_group(name);
        g.sample_size(40)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(4));
        g.bench_function(name, |b| {
            b.iter(|| black_box(store.search_households(q, commune, hamlet, 50).unwrap()))
        });
        g.finish();
    }
}

// ---------------------------------------------------------------------------------------------
// Opening

fn bench_open(c: &mut Criterion) {
    let dir = TempDir::new().unwrap();
    let key = StoreKey::generate();
    let path = dir.path().join("open.db");
    let started = Instant::now();
    {
        let (store, clock) = enrolled(&path, &key, &relaxed());
        let mut rng = StdRng::seed_from_u64(50_000);
        for i in 0..OPEN_VISITS / VISITS_PER_HOUSEHOLD {
            let h = store.create_household(&household(&mut rng, i)).unwrap();
            let draft = common::visit_draft(h.id);
            for _ in 0..VISITS_PER_HOUSEHOLD {
                store.record_visit(&draft).unwrap();
                clock.advance(chrono::Duration::seconds(5));
            }
        }
        let status = store.queue_status().unwrap();
        assert_eq!(
            status.pending as usize,
            OPEN_VISITS + OPEN_VISITS / VISITS_PER_HOUSEHOLD
        );
    } // closed: checkpointed, WAL removed
    println!(
        "open fixture: {OPEN_VISITS} visits ({} households) built in {:.1} s, {:.1} MiB",
        OPEN_VISITS / VISITS_PER_HOUSEHOLD,
        started.elapsed().as_secs_f64(),
        std::fs::metadata(&path).unwrap().len() as f64 / (1024.0 * 1024.0)
    );

    let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(common::start_time(), 7 * 60));
    let mut g = c.benchmark_group("open_store_50k_visits");
    g.sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    g.bench_function("open_store_50k_visits", |b| {
        // Closing (and its checkpoint) happens outside the timed part.
        b.iter_with_large_drop(|| {
            let store = Store::open(&path, &key, clock.clone()).unwrap();
            black_box(store.queue_status().unwrap());
            store
        })
    });
    g.finish();
}

criterion_group!(benches, bench_record_visit, bench_search, bench_open);
criterion_main!(benches);
