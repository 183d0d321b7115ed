//! The rollup kept by increments (`rollup::apply_push`, run by every push) is always the rollup a
//! full recount writes (`rollup::refresh_team`), and its days sum to the live tally: after every
//! push of a seeded random sequence — new households and visits (met or not, with and without
//! assists), sessions in hamlets and in the commune, resends, corrections (also one arriving
//! before the visit it corrects), households moving hamlet, erasures, coordinator deletions,
//! days inside and outside two overlapping campaigns, and a server clock that goes back across
//! midnight — on SQLite and on PostgreSQL (`GOCUA_TEST_PG_URL`, as tests/migrations.rs).
//!
//! Times are fixed instants of November–December 2026: nothing reads the wall clock or the
//! machine's time zone.

use chrono::{DateTime, Duration, TimeZone, Utc};
use gocua_pg_scratch::PgScratch;
use gocua_protocol::*;
use gocua_server::db::{Db, DbError, Sql};
use gocua_server::domain::coordination::{self, AdminError, NewCampaign};
use gocua_server::domain::progress::team_tally;
use gocua_server::domain::{calendar, rollup};
use gocua_server::params;
use uuid::Uuid;

mod common;

const HAMLETS: &str = "code,name,division_type,commune_code
29000-KP1,Khu phố 1,khu phố,29000
29000-KP2,Khu phố 2,khu phố,29000
29000-KP3,Khu phố 3,khu phố,29000
";
const HAMLET_CODES: [&str; 3] = ["29000-KP1", "29000-KP2", "29000-KP3"];

/// A small deterministic generator (xorshift64*): the sequence is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

#[test]
fn increments_equal_a_recount_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::sqlite_in(dir.path());
    for seed in [1, 2] {
        run(&db, seed);
    }
}

#[test]
fn increments_equal_a_recount_on_postgres() {
    let pg = PgScratch::on_test_cluster("gocua_rollup");
    let db = gocua_server::domain::open::open_database(&pg.url).unwrap();
    run(&db, 3);
}

/// What the test keeps of what it sent.
struct Sent {
    households: Vec<Household>,
    /// Current visits (not corrected, not deleted), as sent.
    visits: Vec<Visit>,
    /// A correction made but held back, and the visit it corrects, sent later.
    held_back: Option<Visit>,
}

fn run(db: &Db, seed: u64) {
    let team = common::seed(db, false);
    db.tx(|sql: &mut dyn Sql| {
        coordination::import_hamlets(sql, HAMLETS.as_bytes(), false)?;
        // A second campaign overlapping the seeded November one.
        coordination::create_campaign(
            sql,
            &NewCampaign {
                id: None,
                name: "Tháng cao điểm".into(),
                legal_reference: "12-KH/ĐTN".into(),
                starts_on: common::day(20),
                ends_on: chrono::NaiveDate::from_ymd_opt(2026, 12, 10).unwrap(),
                report_deadline: chrono::NaiveDate::from_ymd_opt(2026, 12, 10).unwrap(),
                peak_windows: Vec::new(),
            },
        )?;
        Ok::<_, AdminError>(())
    })
    .unwrap();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ seed);
    let mut sent = Sent {
        households: Vec::new(),
        visits: Vec::new(),
        held_back: None,
    };
    // From 28 October (before both campaigns) to mid-December (after both), in steps of hours.
    let mut now = Utc.with_ymd_and_hms(2026, 10, 28, 1, 0, 0).unwrap();
    let mut last_batch: Vec<Change> = Vec::new();
    let mut last_at = now;
    for step in 0..70 {
        now += Duration::hours(rng.below(36) as i64 + 1);
        let mut at = now;
        let clock_back = step % 9 == 8;
        if clock_back {
            // The server's clock went back, to a day before the last push's.
            at = last_at - Duration::hours(30);
        } else {
            last_at = at;
        }
        let changes = make_push(&mut rng, &team, &mut sent, at, &last_batch, clock_back);
        if changes.is_empty() {
            continue;
        }
        receive(db, &team, at, changes.clone());
        last_batch = changes;
        if rng.chance(8) && !sent.visits.is_empty() {
            let i = rng.below(sent.visits.len());
            let gone = sent.visits.remove(i);
            coordinator_deletes(db, team.team, gone.id);
        }
        check(db, &team, &format!("seed {seed}, step {step}"));
        if step % 20 == 10 {
            // The reference data changes (here: the catalogue imported again): the next push
            // that counts anything recounts the team.
            db.tx(|sql: &mut dyn Sql| {
                coordination::import_services(sql, common::SERVICES.as_bytes(), false)
            })
            .unwrap();
        }
    }
}

/// One push: what it holds is drawn at random; every record in it must be accepted (or be a
/// duplicate of an earlier one).
fn make_push(
    rng: &mut Rng,
    team: &common::Team,
    sent: &mut Sent,
    at: DateTime<Utc>,
    last_batch: &[Change],
    clock_back: bool,
) -> Vec<Change> {
    let made = at - Duration::minutes(30);
    if clock_back {
        // Visits to households the last push met: first reached "tomorrow", seen from today.
        let met: Vec<Uuid> = last_batch
            .iter()
            .filter_map(|c| match c {
                Change::Visit(v) if v.outcome == VisitOutcome::Met => Some(v.household_id),
                _ => None,
            })
            .collect();
        let mut changes = Vec::new();
        for h in sent.households.iter().filter(|h| met.contains(&h.id)) {
            let v = team.visit(h, made, Vec::new());
            sent.visits.push(v.clone());
            changes.push(Change::Visit(v));
        }
        return changes;
    }
    if rng.chance(5) && !last_batch.is_empty() {
        // A resend of the previous push: all duplicates.
        return last_batch.to_vec();
    }
    let mut changes = Vec::new();
    for _ in 0..rng.below(4) {
        let hamlet = [None, Some(0), Some(1), Some(2)][rng.below(4)].map(|i| HAMLET_CODES[i]);
        let h = team.household(made, &format!("Hộ số {}", sent.households.len()), hamlet);
        sent.households.push(h.clone());
        changes.push(Change::Household(h));
    }
    if rng.chance(15) && !sent.households.is_empty() {
        // A household moves to another hamlet (or is erased): newer stamps win.
        let i = rng.below(sent.households.len());
        let h = &mut sent.households[i];
        h.clocks = HouseholdClocks::all(common::hlc(made));
        if rng.chance(30) {
            h.erased = true;
            h.blank_personal_data();
        } else {
            h.hamlet_code =
                [None, Some(0), Some(1), Some(2)][rng.below(4)].map(|i| HAMLET_CODES[i].to_owned());
        }
        changes.push(Change::Household(h.clone()));
    }
    if let Some(original) = sent.held_back.take() {
        changes.push(Change::Visit(original));
    }
    for _ in 0..rng.below(8) {
        if sent.households.is_empty() {
            break;
        }
        let h = sent.households[rng.below(sent.households.len())].clone();
        let mut v = team.visit(&h, made, Vec::new());
        v.outcome = [
            VisitOutcome::Met,
            VisitOutcome::Met,
            VisitOutcome::NotHome,
            VisitOutcome::Refused,
        ][rng.below(4)]
        .clone();
        v.people_reached = if v.outcome == VisitOutcome::Met {
            rng.below(3) as u16 + 1
        } else {
            0
        };
        if v.outcome == VisitOutcome::Met && rng.chance(50) {
            let result = [
                AssistResult::CompletedOnline,
                AssistResult::Submitted,
                AssistResult::GuidedOnly,
            ][rng.below(3)]
            .clone();
            let dossier_code = (result == AssistResult::Submitted)
                .then(|| format!("G22.99-261110-{:05}", rng.below(99_999)));
            v.assists.push(Assist {
                id: Uuid::now_v7(),
                service_key: "birth_registration".into(),
                level_43: Some(Level43::Level4),
                level_42: Some(Level42::ToanTrinh),
                result,
                dossier_code,
                not_finished_reason: None,
            });
        }
        if rng.chance(10) && sent.held_back.is_none() {
            // Its correction goes first; the visit itself in the next push.
            let mut correction = v.clone();
            correction.id = Uuid::now_v7();
            correction.revision = 2;
            correction.supersedes = Some(v.id);
            correction.outcome = VisitOutcome::Met;
            correction.people_reached = 1;
            for a in &mut correction.assists {
                a.id = Uuid::now_v7();
            }
            sent.held_back = Some(v);
            sent.visits.push(correction.clone());
            changes.push(Change::Visit(correction));
            continue;
        }
        sent.visits.push(v.clone());
        changes.push(Change::Visit(v));
    }
    if rng.chance(20) && !sent.visits.is_empty() {
        // A correction of a visit already sent (when it is the current revision of its chain).
        let i = rng.below(sent.visits.len());
        let old = sent.visits[i].clone();
        let mut correction = old.clone();
        correction.id = Uuid::now_v7();
        correction.revision = old.revision + 1;
        correction.supersedes = Some(old.id);
        correction.assists.clear();
        correction.outcome = VisitOutcome::NotHome;
        correction.people_reached = 0;
        correction.recorded = common::recorded(made);
        sent.visits[i] = correction.clone();
        changes.push(Change::Visit(correction));
    }
    if rng.chance(30) {
        let area = ["29000", HAMLET_CODES[0], HAMLET_CODES[1], HAMLET_CODES[2]][rng.below(4)];
        changes.push(Change::OutreachSession(OutreachSession {
            id: Uuid::now_v7(),
            team_id: team.team,
            volunteer_id: team.member,
            campaign_id: Some(team.campaign),
            kind: SessionKind::CommunityMeeting,
            area_code: area.into(),
            place: "Nhà văn hoá".into(),
            held_on: calendar::day_of(made),
            attendees: rng.below(30) as u32 + 1,
            materials: Vec::new(),
            note: None,
            recorded: common::recorded(made),
            hlc: common::hlc(made),
        }));
    }
    changes
}

/// Receives a push as the push handler does (`Ingest::apply`, which keeps the rollup), without
/// the recount the shared test helper adds.
fn receive(db: &Db, team: &common::Team, now: DateTime<Utc>, changes: Vec<Change>) {
    db.tx(|sql: &mut dyn Sql| {
        for r in team.ingest(sql, now, changes)? {
            assert!(
                matches!(
                    r.status,
                    RecordStatus::Accepted | RecordStatus::Duplicate | RecordStatus::Deleted
                ),
                "{r:?}"
            );
        }
        Ok::<_, DbError>(())
    })
    .unwrap();
}

/// What the dashboard's "delete this visit" does (web/pages/visits.rs): the visit's revision
/// chain goes, and the team is recounted.
fn coordinator_deletes(db: &Db, team: Uuid, id: Uuid) {
    db.tx(|sql: &mut dyn Sql| {
        let mut chain = vec![id];
        let mut i = 0;
        while i < chain.len() {
            let current = chain[i];
            for r in sql.query(
                "SELECT id FROM visits WHERE supersedes = ? OR id = (SELECT supersedes FROM visits WHERE id = ?)",
                params![current, current],
            )? {
                let other = r.uuid(0)?;
                if !chain.contains(&other) {
                    chain.push(other);
                }
            }
            i += 1;
        }
        for v in &chain {
            sql.exec(
                "INSERT INTO deleted_records(kind, id, deleted_at) VALUES ('visit', ?, ?) ON CONFLICT(kind, id) DO NOTHING",
                params![*v, Utc.with_ymd_and_hms(2026, 12, 31, 0, 0, 0).unwrap()],
            )?;
            sql.exec("DELETE FROM assists WHERE visit_id = ?", params![*v])?;
            sql.exec("DELETE FROM visits WHERE id = ?", params![*v])?;
        }
        let inputs = rollup::RollupInputs::load(sql)?;
        rollup::refresh_team(sql, team, &inputs.campaigns, &inputs.services, &inputs.tree)
    })
    .unwrap();
}

/// Every rollup row of the team, as text, in a fixed order.
fn snapshot(sql: &mut dyn Sql, team: Uuid) -> Vec<String> {
    let mut out = Vec::new();
    for (table, key) in [
        ("rollup_days", "campaign_id, day"),
        ("rollup_totals", "campaign_id"),
        ("rollup_households", "campaign_id, household_id"),
        ("rollup_hamlets", "campaign_id, hamlet_code"),
    ] {
        let columns = match table {
            "rollup_days" => format!("campaign_id, day, {}", rollup::COLUMNS),
            "rollup_totals" => format!("campaign_id, {}", rollup::COLUMNS),
            _ => "*".to_owned(),
        };
        for row in sql
            .query(
                &format!("SELECT {columns} FROM {table} WHERE team_id = ? ORDER BY {key}"),
                params![team],
            )
            .unwrap()
        {
            out.push(format!("{table} {:?}", row.0));
        }
    }
    out
}

/// The kept rollup equals a recount, and each campaign's days sum to the live tally.
fn check(db: &Db, team: &common::Team, what: &str) {
    db.tx(|sql: &mut dyn Sql| {
        let kept = snapshot(sql, team.team);
        let inputs = rollup::RollupInputs::load(sql)?;
        rollup::refresh_team(
            sql,
            team.team,
            &inputs.campaigns,
            &inputs.services,
            &inputs.tree,
        )?;
        let recounted = snapshot(sql, team.team);
        assert_eq!(kept, recounted, "{what}: increments differ from a recount");
        for campaign in &inputs.campaigns {
            let days: Tally = sql
                .query(
                    &format!(
                        "SELECT {} FROM rollup_days WHERE team_id = ? AND campaign_id = ?",
                        rollup::SUMS
                    ),
                    params![team.team, campaign.id],
                )?
                .first()
                .map(|r| rollup::tally_from_row(r, 0))
                .unwrap_or_default();
            let live = team_tally(
                sql,
                team.team,
                campaign.starts_on,
                campaign.ends_on,
                &inputs.services,
                &inputs.tree,
            )?;
            assert_eq!(days, live, "{what}: campaign {}", campaign.name);
        }
        Ok::<_, DbError>(())
    })
    .unwrap();
}
