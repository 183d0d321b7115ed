//! Dashboard overview at scale (issue 6, item 5).
//!
//! cargo run --release -p gocua-bench --bin dashboard -- [--visits 1000000] [--backend sqlite|postgres|both]
//!     [--pg-url postgres://…] [--samples 30] [--communes N]
//!
//! Builds a country: a national root, 34 province unions, one commune union and one team per
//! commune (3,321), targets for every indicator, one ~60-day campaign with a peak window, and N
//! visits (≈ N/4 households, assists on about a third of the visits, 2 sessions per team) received
//! over the campaign's days, written with multi-row INSERTs in large transactions. Then it times
//! `rollup::rebuild_all` (one-off), `rollup::refresh_team` (per upload), `overview::load` for the
//! national root and one province over the whole campaign and the peak window, the same with
//! progress over time (`overview::load_pace`, then the charts' SVG) over the whole campaign, and, as the
//! baseline in the same run, a full scan of `visits` grouped by team (what a page would cost
//! without the rollup). On PostgreSQL a fresh database is created beside `--pg-url` and dropped.
//! It also times coverage (`domain::coverage`, the `/coverage` page's counts) for the national
//! root and the province; `--coverage-only` skips everything else after building the data.

#[path = "../pg_scratch.rs"]
mod pg_scratch;

use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, Utc};
use gocua_protocol::*;
use gocua_server::db::{Db, DbError, DbResult, Sql, Value};
use gocua_server::domain::accounts::{Account, Role};
use gocua_server::domain::coordination::{self, NewCampaign, NewTeam, NewUnit};
use gocua_server::domain::refdata;
use gocua_server::domain::rollup;
use gocua_server::web::chart;
use gocua_server::web::i18n::Lang;
use gocua_server::web::pages::overview::{self, Overview, OverviewQuery};
use gocua_server::web::session::User;
use pg_scratch::{pg_drop, pg_scratch};
use uuid::Uuid;

type Res<T> = Result<T, Box<dyn std::error::Error>>;

/// The repository's reference data (`data/`).
const AREAS_CSV: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../data/vn-admin-units-2025-07.csv"
);
const SERVICES_CSV: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../data/services-starter.csv");
const DAY_MS: i64 = 86_400_000;
const CAMPAIGN_DAYS: i64 = 60;
const PEAK_FROM: i64 = 30;
const PEAK_DAYS: i64 = 15;
const SESSIONS_PER_TEAM: usize = 2;

/// splitmix64: deterministic, no dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn uuid(&mut self) -> Uuid {
        uuid::Builder::from_random_bytes(
            ((u128::from(self.next()) << 64) | u128::from(self.next())).to_be_bytes(),
        )
        .into_uuid()
    }
}

/// Multi-row INSERT of up to `per_stmt` rows at a time.
struct Batch {
    head: &'static str,
    cols: usize,
    per_stmt: usize,
    values: Vec<Value>,
    full_sql: String,
}

impl Batch {
    fn new(head: &'static str, cols: usize, per_stmt: usize) -> Batch {
        let full_sql = Self::sql(head, cols, per_stmt);
        Batch {
            head,
            cols,
            per_stmt,
            values: Vec::with_capacity(cols * per_stmt),
            full_sql,
        }
    }
    fn sql(head: &str, cols: usize, rows: usize) -> String {
        let row = format!("({})", vec!["?"; cols].join(", "));
        format!("{head} VALUES {}", vec![row; rows].join(", "))
    }
    fn push(&mut self, sql: &mut dyn Sql, row: Vec<Value>) -> DbResult<()> {
        debug_assert_eq!(row.len(), self.cols);
        self.values.extend(row);
        if self.values.len() == self.cols * self.per_stmt {
            sql.exec(&self.full_sql, &self.values)?;
            self.values.clear();
        }
        Ok(())
    }
    fn flush(&mut self, sql: &mut dyn Sql) -> DbResult<()> {
        if !self.values.is_empty() {
            let rows = self.values.len() / self.cols;
            sql.exec(&Self::sql(self.head, self.cols, rows), &self.values)?;
            self.values.clear();
        }
        Ok(())
    }
}

/// What the builder made.
pub struct Built {
    campaign: Campaign,
    root: Uuid,
    /// (unit, name, communes)
    provinces: Vec<(Uuid, String, usize)>,
    /// (team, commune code)
    teams: Vec<(Uuid, String)>,
    households: usize,
    visits: usize,
    assists: usize,
    sessions: usize,
    setup_secs: f64,
    insert_secs: f64,
}

fn admin_err(e: coordination::AdminError) -> Box<dyn std::error::Error> {
    format!("{} / {}", e.message_vi(), e.message_en()).into()
}

/// Builds the country and its records. `max_communes` limits the communes (for the test).
pub fn build(db: &Db, visits_total: usize, max_communes: Option<usize>) -> Res<Built> {
    let started = Instant::now();
    let areas_csv = std::fs::read(AREAS_CSV)?;
    let services_csv = std::fs::read(SERVICES_CSV)?;
    let start = NaiveDate::from_ymd_opt(2026, 9, 1).ok_or("date")?;
    let day = |d: i64| start + chrono::Duration::days(d);
    let new_campaign = NewCampaign {
        id: Some(Uuid::from_u128(0x0c4a_0000_0000_7000_8000_0000_0000_0001)),
        name: "Chiến dịch Gõ Cửa mùa thu 2026".into(),
        legal_reference: "Kế hoạch số 01-KH/TWĐTN".into(),
        starts_on: start,
        ends_on: day(CAMPAIGN_DAYS - 1),
        report_deadline: day(CAMPAIGN_DAYS + 5),
        peak_windows: vec![PeakWindow {
            name: "Tháng cao điểm".into(),
            starts_on: day(PEAK_FROM),
            ends_on: day(PEAK_FROM + PEAK_DAYS - 1),
        }],
    };
    let mut rng = Rng(20261125);
    let (campaign, root, provinces, teams) = db.tx(|sql| -> Res<_> {
        coordination::import_areas(sql, &areas_csv, false).map_err(admin_err)?;
        coordination::import_services(sql, &services_csv, false).map_err(admin_err)?;
        let campaign = coordination::create_campaign(sql, &new_campaign).map_err(admin_err)?;
        let root = coordination::create_unit(
            sql,
            &NewUnit {
                id: None,
                name: "Trung ương Đoàn".into(),
                kind: OrgUnitKind::Other,
                parent_id: None,
                area_code: None,
            },
        )
        .map_err(admin_err)?
        .id;
        let mut communes: Vec<(String, String, String)> = sql
            .query(
                "SELECT code, name, parent_code FROM areas WHERE level = 'commune' ORDER BY code",
                &[],
            )?
            .iter()
            .map(|r| (r.text(0), r.text(1), r.text(2)))
            .collect();
        if let Some(n) = max_communes {
            communes.truncate(n);
        }
        let province_rows: Vec<(String, String)> = sql
            .query(
                "SELECT code, name FROM areas WHERE level = 'province' ORDER BY code",
                &[],
            )?
            .iter()
            .map(|r| (r.text(0), r.text(1)))
            .collect();
        let mut provinces = Vec::new();
        let mut unit_of = std::collections::HashMap::new();
        for (code, name) in province_rows {
            let n = communes.iter().filter(|c| c.2 == code).count();
            if n == 0 {
                continue;
            }
            let unit = coordination::create_unit(
                sql,
                &NewUnit {
                    id: None,
                    name: format!("Tỉnh Đoàn {name}"),
                    kind: OrgUnitKind::ProvinceUnion,
                    parent_id: Some(root),
                    area_code: Some(code.clone()),
                },
            )
            .map_err(admin_err)?;
            unit_of.insert(code, unit.id);
            provinces.push((unit.id, name, n));
        }
        let mut teams = Vec::new();
        for (code, name, parent) in &communes {
            let unit = coordination::create_unit(
                sql,
                &NewUnit {
                    id: None,
                    name: format!("Đoàn {name}"),
                    kind: OrgUnitKind::CommuneUnion,
                    parent_id: unit_of.get(parent).copied(),
                    area_code: Some(code.clone()),
                },
            )
            .map_err(admin_err)?;
            let team = coordination::create_team(
                sql,
                &NewTeam {
                    id: None,
                    name: format!("Đội Gõ Cửa {name}"),
                    org_unit_id: unit.id,
                    area_codes: vec![code.clone()],
                },
            )
            .map_err(admin_err)?;
            teams.push((team.id, code.clone()));
        }
        // Targets for every indicator (what set_target writes, without its per-call checks).
        let per_team = (visits_total / communes.len().max(1)).max(1) as u64;
        let indicators = [
            (Indicator::Sessions, SESSIONS_PER_TEAM as u64),
            (Indicator::PeopleReached, per_team * 2),
            (Indicator::HouseholdsVisited, per_team / 4),
            (Indicator::ServicesSupported, per_team / 5),
            (Indicator::ServicesToanTrinh, per_team / 10),
            (Indicator::ServicesLevel4, per_team / 10),
            (Indicator::VneidActivations, per_team / 10),
            (Indicator::HamletsCovered, 5),
        ];
        for (team, _) in &teams {
            for (indicator, value) in &indicators {
                refdata::upsert_target(
                    sql,
                    &Target {
                        id: rng.uuid(),
                        campaign_id: campaign.id,
                        team_id: Some(*team),
                        org_unit_id: None,
                        indicator: indicator.clone(),
                        value: (*value).max(1),
                        starts_on: campaign.starts_on,
                        ends_on: campaign.ends_on,
                    },
                )?;
            }
        }
        Ok((campaign, root, provinces, teams))
    })?;
    let setup_secs = started.elapsed().as_secs_f64();

    // Records, a few hundred teams per transaction.
    let started = Instant::now();
    let base_ms =
        DateTime::<Utc>::from_naive_utc_and_offset(start.and_hms_opt(0, 0, 0).ok_or("time")?, Utc)
            .timestamp_millis()
            - 7 * 3_600_000;
    let n_teams = teams.len();
    let (mut households, mut visits, mut assists, mut sessions) = (0, 0, 0, 0);
    for chunk in (0..n_teams).collect::<Vec<_>>().chunks(300) {
        let (h, v, a, s) = db.tx(|sql| -> DbResult<_> {
            let mut hb = Batch::new("INSERT INTO households(id, team_id, commune_code, hamlet_code, dup_key, erased, body, first_received_at, updated_at)", 9, 500);
            let mut vb = Batch::new("INSERT INTO visits(id, household_id, team_id, volunteer_id, campaign_id, revision, supersedes, superseded_by, started_at, outcome, people_reached, recorded_at, received_at, device_id, content_hash, body)", 16, 500);
            let mut ab = Batch::new("INSERT INTO assists(id, visit_id, service_key, level_43, level_42, result, dossier_code, not_finished_reason)", 8, 1000);
            let mut sb = Batch::new("INSERT INTO sessions(id, team_id, volunteer_id, campaign_id, kind, area_code, held_on, attendees, received_at, device_id, content_hash, body)", 12, 500);
            let (mut h, mut v, mut a, mut s) = (0, 0, 0, 0);
            for &t in chunk {
                let (team, commune) = &teams[t];
                let n_visits = visits_total / n_teams + usize::from(t < visits_total % n_teams);
                let n_hh = (n_visits / 4).max(1);
                let volunteer = rng.uuid();
                let device = rng.uuid();
                // Receipt times: a third in the peak window, the rest over the whole campaign.
                let at = |rng: &mut Rng| {
                    let d = if rng.below(3) == 0 {
                        PEAK_FROM + rng.below(PEAK_DAYS as u64) as i64
                    } else {
                        rng.below(CAMPAIGN_DAYS as u64) as i64
                    };
                    base_ms + d * DAY_MS + 7 * 3_600_000 + rng.below(12 * 3_600_000) as i64
                };
                let mut hh_ids = Vec::with_capacity(n_hh);
                for i in 0..n_hh {
                    let id = rng.uuid();
                    let ms = at(&mut rng);
                    let now = DateTime::from_timestamp_millis(ms).unwrap_or_default();
                    let stamp = Hlc { wall_ms: ms, counter: i as u32, node: 7 };
                    let hh = Household {
                        id,
                        commune_code: commune.clone(),
                        hamlet_code: None,
                        address_line: format!("Số {} ngõ {}", i % 200 + 1, i / 200 + 1),
                        head_name: format!("Nguyễn Văn {i}"),
                        phone: None,
                        members: (i % 6 + 1) as u16,
                        consent: None,
                        erased: false,
                        created_by: volunteer,
                        team_id: *team,
                        created: DeviceTime { utc: now, offset_minutes: 420 },
                        clocks: HouseholdClocks::all(stamp),
                    };
                    let body = serde_json::to_string(&hh).map_err(|e| DbError::Corrupt(e.to_string()))?;
                    hb.push(sql, vec![
                        id.into(), (*team).into(), commune.into(), Value::Null,
                        format!("{commune}|{}", hh.head_name).into(), 0i64.into(), body.into(), ms.into(), ms.into(),
                    ])?;
                    hh_ids.push(id);
                    h += 1;
                }
                for i in 0..n_visits {
                    let id = rng.uuid();
                    let ms = at(&mut rng);
                    let now = DateTime::from_timestamp_millis(ms).unwrap_or_default();
                    let outcome = match rng.below(20) {
                        0 | 1 => VisitOutcome::NotHome,
                        2 => VisitOutcome::Refused,
                        _ => VisitOutcome::Met,
                    };
                    let assists_here: Vec<Assist> = if outcome == VisitOutcome::Met && rng.below(3) == 0 {
                        let (key, l43, l42, result) = match rng.below(4) {
                            0 => ("vneid_level2_activation", None, None, AssistResult::CompletedOnline),
                            1 => ("birth_registration", Some(Level43::Level4), Some(Level42::ToanTrinh), AssistResult::Submitted),
                            2 => ("judicial_record", Some(Level43::Level3), Some(Level42::MotPhan), AssistResult::CompletedOnline),
                            _ => ("id_card_renewal", None, None, AssistResult::GuidedOnly),
                        };
                        vec![Assist {
                            id: rng.uuid(),
                            service_key: key.into(),
                            level_43: l43,
                            level_42: l42,
                            result: result.clone(),
                            dossier_code: (result == AssistResult::Submitted).then(|| format!("H{ms}")),
                            not_finished_reason: None,
                        }]
                    } else {
                        Vec::new()
                    };
                    let visit = Visit {
                        id,
                        household_id: hh_ids[i % n_hh],
                        volunteer_id: volunteer,
                        team_id: *team,
                        campaign_id: Some(campaign.id),
                        revision: 1,
                        supersedes: None,
                        started_at: now,
                        ended_at: None,
                        outcome: outcome.clone(),
                        people_reached: if outcome == VisitOutcome::Met { (rng.below(4) + 1) as u16 } else { 0 },
                        gps: None,
                        note: None,
                        follow_up_on: None,
                        assists: assists_here,
                        recorded: DeviceTime { utc: now, offset_minutes: 420 },
                        hlc: Hlc { wall_ms: ms, counter: i as u32, node: 7 },
                    };
                    let body = serde_json::to_string(&visit).map_err(|e| DbError::Corrupt(e.to_string()))?;
                    let hash = gocua_server::domain::auth::sha256_hex(body.as_bytes());
                    for x in &visit.assists {
                        let opt = |s: Option<&str>| s.map_or(Value::Null, |s| Value::Text(s.to_owned()));
                        ab.push(sql, vec![
                            x.id.into(), id.into(), x.service_key.as_str().into(),
                            opt(x.level_43.as_ref().map(|l| l.as_str())), opt(x.level_42.as_ref().map(|l| l.as_str())),
                            x.result.as_str().into(), opt(x.dossier_code.as_deref()), Value::Null,
                        ])?;
                        a += 1;
                    }
                    vb.push(sql, vec![
                        id.into(), visit.household_id.into(), (*team).into(), volunteer.into(), campaign.id.into(),
                        1i64.into(), Value::Null, Value::Null, ms.into(), visit.outcome.as_str().into(),
                        visit.people_reached.into(), ms.into(), ms.into(), device.into(), hash.into(), body.into(),
                    ])?;
                    v += 1;
                }
                for i in 0..SESSIONS_PER_TEAM {
                    let ms = at(&mut rng);
                    let now = DateTime::from_timestamp_millis(ms).unwrap_or_default();
                    let session = OutreachSession {
                        id: rng.uuid(),
                        team_id: *team,
                        volunteer_id: volunteer,
                        campaign_id: Some(campaign.id),
                        kind: if i == 0 { SessionKind::CommunityMeeting } else { SessionKind::OneStopShop },
                        area_code: commune.clone(),
                        place: "Nhà văn hoá".into(),
                        held_on: gocua_server::domain::calendar::day_of(now),
                        attendees: (rng.below(60) + 10) as u32,
                        materials: Vec::new(),
                        note: None,
                        recorded: DeviceTime { utc: now, offset_minutes: 420 },
                        hlc: Hlc { wall_ms: ms, counter: 0, node: 7 },
                    };
                    let body = serde_json::to_string(&session).map_err(|e| DbError::Corrupt(e.to_string()))?;
                    let hash = gocua_server::domain::auth::sha256_hex(body.as_bytes());
                    sb.push(sql, vec![
                        session.id.into(), (*team).into(), volunteer.into(), campaign.id.into(), session.kind.as_str().into(),
                        commune.into(), session.held_on.into(), session.attendees.into(), ms.into(), device.into(),
                        hash.into(), body.into(),
                    ])?;
                    s += 1;
                }
            }
            hb.flush(sql)?;
            vb.flush(sql)?;
            ab.flush(sql)?;
            sb.flush(sql)?;
            Ok((h, v, a, s))
        })?;
        households += h;
        visits += v;
        assists += a;
        sessions += s;
    }
    let insert_secs = started.elapsed().as_secs_f64();
    Ok(Built {
        campaign,
        root,
        provinces,
        teams,
        households,
        visits,
        assists,
        sessions,
        setup_secs,
        insert_secs,
    })
}

fn admin_user(root: Uuid) -> User {
    User {
        account: Account {
            id: Uuid::nil(),
            username: "bench".into(),
            display_name: "Bench".into(),
            role: Role::Admin,
            org_unit_id: root,
        },
        csrf: "x".into(),
        lang: Lang::Vi,
        secret: "x".into(),
    }
}

fn overview_query(campaign: Uuid, unit: Option<Uuid>, period: &str) -> OverviewQuery {
    OverviewQuery {
        campaign: Some(campaign),
        unit,
        period: Some(period.into()),
        ..OverviewQuery::default()
    }
}

fn load_overview(db: &Db, user: &User, q: &OverviewQuery) -> Res<Overview> {
    db.tx(|sql| overview::load(sql, user, q))
        .map_err(|e| format!("overview: {e}"))?
        .ok_or_else(|| "no campaign".into())
}

struct Stats {
    median_ms: f64,
    p95_ms: f64,
    n: usize,
}

fn stats(mut d: Vec<Duration>) -> Stats {
    d.sort();
    let ms = |x: Duration| x.as_secs_f64() * 1e3;
    let n = d.len();
    Stats {
        median_ms: ms(d[n / 2]),
        p95_ms: ms(d[((n * 95).div_ceil(100)).saturating_sub(1).min(n - 1)]),
        n,
    }
}

fn sample(warmup: usize, samples: usize, mut f: impl FnMut() -> Res<()>) -> Res<Stats> {
    for _ in 0..warmup {
        f()?;
    }
    let mut out = Vec::with_capacity(samples);
    for _ in 0..samples {
        let t = Instant::now();
        f()?;
        out.push(t.elapsed());
    }
    Ok(stats(out))
}

/// Coverage as the `/coverage` page counts it (its unit's teams from the organisation tree, then
/// `coverage::coverage`), for the national root and the province nearest 100 communes, with the
/// "not reached since" day in the middle of the campaign.
fn coverage_timings(db: &Db, b: &Built, samples: usize) -> Res<()> {
    let province = b
        .provinces
        .iter()
        .min_by_key(|p| p.2.abs_diff(100))
        .ok_or("no province")?
        .clone();
    let since = b.campaign.starts_on + chrono::Duration::days(CAMPAIGN_DAYS / 2);
    println!();
    println!("| coverage (domain::coverage) | scope | households counted | communes | median ms | p95 ms | n |");
    println!("|---|---|---|---|---|---|---|");
    for (label, unit) in [
        (format!("national root ({} teams)", b.teams.len()), b.root),
        (
            format!("province {} ({} communes)", province.1, province.2),
            province.0,
        ),
    ] {
        let mut seen = (0, 0);
        let s = sample(2, samples, || {
            let cov = db.tx(|sql| {
                let tree = gocua_server::web::scope::OrgTree::load(sql)?;
                let teams = tree.subtree_teams(unit);
                gocua_server::domain::coverage::coverage(sql, &b.campaign, &teams, since, None)
            })?;
            seen = (cov.total().households, cov.communes.len());
            Ok(())
        })?;
        println!(
            "| coverage | {label} | {} | {} | {:.2} | {:.2} | {} |",
            seen.0, seen.1, s.median_ms, s.p95_ms, s.n
        );
    }
    Ok(())
}

fn run(
    db: &Db,
    backend: &str,
    visits: usize,
    samples: usize,
    communes: Option<usize>,
    coverage_only: bool,
) -> Res<()> {
    eprintln!("… {backend}: building {visits} visits");
    let b = build(db, visits, communes)?;
    println!();
    println!("## {backend}");
    println!();
    println!(
        "data: {} teams/communes, {} provinces, {} households, {} visits, {} assists, {} sessions; setup {:.1} s, inserts {:.1} s",
        b.teams.len(), b.provinces.len(), b.households, b.visits, b.assists, b.sessions, b.setup_secs, b.insert_secs
    );
    if let Db::Postgres(_) = db {
        db.tx(|sql| sql.exec("ANALYZE", &[]))?;
    }
    coverage_timings(db, &b, samples)?;
    if coverage_only {
        return Ok(());
    }
    eprintln!("… {backend}: rollup::rebuild_all");
    let t = Instant::now();
    db.tx(rollup::rebuild_all)?;
    let rebuild_secs = t.elapsed().as_secs_f64();
    if let Db::Postgres(_) = db {
        db.tx(|sql| sql.exec("ANALYZE", &[]))?;
    }
    let rollup_rows = db
        .tx(|sql| sql.query_one("SELECT COUNT(*) FROM rollup_days", &[]))?
        .map_or(0, |r| r.int(0));
    println!("rollup::rebuild_all: {rebuild_secs:.2} s ({rollup_rows} rollup_days rows)");

    // refresh_team as the push transaction runs it (inputs loaded once, as sync.rs has them).
    let inputs = db.tx(rollup::RollupInputs::load)?;
    let mut i = 0;
    let refresh = sample(3, samples, || {
        let team = b.teams[(i * 97) % b.teams.len()].0;
        i += 1;
        db.tx(|sql| {
            rollup::refresh_team(sql, team, &inputs.campaigns, &inputs.services, &inputs.tree)
        })?;
        Ok(())
    })?;
    println!(
        "rollup::refresh_team (one team, ~{} visits, in its own tx): median {:.2} ms, p95 {:.2} ms (n={})",
        b.visits / b.teams.len().max(1),
        refresh.median_ms,
        refresh.p95_ms,
        refresh.n
    );

    let user = admin_user(b.root);
    let province = b
        .provinces
        .iter()
        .min_by_key(|p| p.2.abs_diff(100))
        .ok_or("no province")?
        .clone();
    println!();
    println!("| measure | scope | period | median ms | p95 ms | n |");
    println!("|---|---|---|---|---|---|");
    let scopes = [
        (
            format!("national root ({} children)", b.provinces.len()),
            None,
        ),
        (
            format!("province {} ({} communes)", province.1, province.2),
            Some(province.0),
        ),
    ];
    for (label, unit) in &scopes {
        for (period, period_label) in [("all", "whole campaign"), ("peak0", "peak window")] {
            let q = overview_query(b.campaign.id, *unit, period);
            let s = sample(3, samples, || {
                load_overview(db, &user, &q)?;
                Ok(())
            })?;
            println!(
                "| overview::load | {label} | {period_label} | {:.2} | {:.2} | {} |",
                s.median_ms, s.p95_ms, s.n
            );
            let s = sample(3, samples, || {
                let o = load_overview(db, &user, &q)?;
                std::hint::black_box(overview::table(Lang::Vi, &o));
                Ok(())
            })?;
            println!("| overview::load + overview::table | {label} | {period_label} | {:.2} | {:.2} | {} |", s.median_ms, s.p95_ms, s.n);
        }
        // Progress over time, as the page adds it (always the whole campaign; seen on its last
        // day, so every day is read): the rollup's days, then the SVG of each targeted indicator.
        let q = overview_query(b.campaign.id, *unit, "all");
        let last_day = b.campaign.ends_on;
        let s = sample(3, samples, || {
            db.tx(|sql| {
                let o = overview::load(sql, &user, &q)?.ok_or("no campaign")?;
                std::hint::black_box(overview::load_pace(sql, &o, last_day)?);
                Ok::<_, Box<dyn std::error::Error>>(())
            })
        })?;
        println!(
            "| overview::load + progress over time (pace::load) | {label} | whole campaign | {:.2} | {:.2} | {} |",
            s.median_ms, s.p95_ms, s.n
        );
        let s = sample(3, samples, || {
            db.tx(|sql| {
                let o = overview::load(sql, &user, &q)?.ok_or("no campaign")?;
                let p = overview::load_pace(sql, &o, last_day)?;
                for i in p.targeted() {
                    std::hint::black_box(chart::indicator_chart(Lang::Vi, &p, i).into_string());
                }
                Ok::<_, Box<dyn std::error::Error>>(())
            })
        })?;
        println!(
            "| overview::load + pace::load + 8 SVG charts | {label} | whole campaign | {:.2} | {:.2} | {} |",
            s.median_ms, s.p95_ms, s.n
        );
    }
    let s = sample(2, samples, || {
        let rows = db.tx(|sql| {
            sql.query(
                "SELECT team_id, COUNT(*), CAST(SUM(people_reached) AS BIGINT) FROM visits GROUP BY team_id",
                &[],
            )
        })?;
        std::hint::black_box(rows);
        Ok(())
    })?;
    println!(
        "| baseline: full scan of visits GROUP BY team_id | all teams | — | {:.2} | {:.2} | {} |",
        s.median_ms, s.p95_ms, s.n
    );
    Ok(())
}

fn main() -> Res<()> {
    let mut visits = 20_000;
    let mut backend = "sqlite".to_owned();
    let mut pg_url = std::env::var("GOCUA_TEST_PG_URL").ok();
    let mut samples = 30;
    let mut communes = None;
    let mut coverage_only = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--visits" => visits = val()?.parse()?,
            "--backend" => backend = val()?,
            "--pg-url" => pg_url = Some(val()?),
            "--samples" => samples = val()?.parse()?,
            "--communes" => communes = Some(val()?.parse()?),
            "--coverage-only" => coverage_only = true,
            _ => return Err(format!("unknown argument {a}").into()),
        }
    }
    println!(
        "gocua dashboard bench: {visits} visits, {samples} samples, {} cores",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    if backend == "sqlite" || backend == "both" {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("dash.sqlite");
        let db = gocua_server::domain::open::open_database(path.to_str().ok_or("path")?)?;
        run(&db, "SQLite", visits, samples, communes, coverage_only)?;
    }
    if backend == "postgres" || backend == "both" {
        let url = pg_url.ok_or("--pg-url or GOCUA_TEST_PG_URL is needed for PostgreSQL")?;
        let (scratch, name) = pg_scratch(&url, "gocua_dash")?;
        let result = gocua_server::domain::open::open_database(&scratch)
            .map_err(Into::into)
            .and_then(|db| {
                let r = run(&db, "PostgreSQL", visits, samples, communes, coverage_only);
                drop(db);
                r
            });
        pg_drop(&url, &name)?;
        result?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The builder's data and the rollup agree: overview totals equal counts over the raw tables.
    #[test]
    fn overview_totals_match_raw_counts() -> Res<()> {
        let dir = tempfile::tempdir()?;
        let db = gocua_server::domain::open::open_database(
            dir.path().join("t.sqlite").to_str().ok_or("path")?,
        )?;
        let b = build(&db, 3_000, Some(40))?;
        db.tx(rollup::rebuild_all)?;
        let q = overview_query(b.campaign.id, None, "all");
        let o = load_overview(&db, &admin_user(b.root), &q)?;
        let one = |sql: &str| -> Res<u64> {
            Ok(db.tx(|s| s.query_one(sql, &[]))?.map_or(0, |r| r.int(0)) as u64)
        };
        let t = &o.total.tally;
        assert_eq!(b.visits, 3_000);
        assert_eq!(t.visits, one("SELECT COUNT(*) FROM visits")?);
        assert_eq!(t.sessions, one("SELECT COUNT(*) FROM sessions")?);
        assert_eq!(
            t.people_reached,
            one("SELECT SUM(people_reached) FROM visits")?
                + one("SELECT SUM(attendees) FROM sessions")?
        );
        assert_eq!(
            t.households_visited,
            one("SELECT COUNT(DISTINCT household_id) FROM visits WHERE outcome = 'met'")?
        );
        assert_eq!(o.total.teams, 40);
        let children: u64 = o.children.iter().map(|c| c.progress.tally.visits).sum();
        assert_eq!(children, t.visits);
        // The peak window is a part of the campaign.
        let peak = load_overview(
            &db,
            &admin_user(b.root),
            &overview_query(b.campaign.id, None, "peak0"),
        )?;
        assert!(peak.total.tally.visits > 0 && peak.total.tally.visits < t.visits);
        Ok(())
    }
}
