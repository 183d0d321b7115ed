//! Progress over time read from the rollup (`domain::pace`) on SQLite and on PostgreSQL
//! (`GOCUA_TEST_PG_URL`, as tests/migrations.rs): a unit's daily increments are the sum of its
//! teams' `rollup_days` rows per day — also for a subtree of more teams than one query's list
//! holds — days after today and other campaigns' rows are left out, and the verdicts follow.
//! Dates are fixed: nothing reads the wall clock.

use chrono::NaiveDate;
use gocua_pg_scratch::PgScratch;
use gocua_protocol::Indicator;
use gocua_server::db::{Db, DbError, Sql};
use gocua_server::domain::pace::{self, Timeline, Verdict};
use gocua_server::params;
use uuid::Uuid;

mod common;

fn d(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, day).unwrap()
}

const TEAMS: u128 = 1_200;

/// Team `k` visits `k % 5` households on each of days 1 to 6 of March (none when 0), and every
/// team has a row for 25 March, after "today"; another campaign's rows must not count.
fn seed(db: &Db, campaign: Uuid, other: Uuid) {
    db.tx(|sql: &mut dyn Sql| {
        for k in 0..TEAMS {
            let team = Uuid::from_u128(k + 1);
            let mut days: Vec<(NaiveDate, i64)> = (1..=6)
                .filter(|_| k % 5 != 0)
                .map(|day| (d(day), (k % 5) as i64))
                .collect();
            days.push((d(25), 1_000));
            for (day, households) in days {
                sql.exec(
                    "INSERT INTO rollup_days(campaign_id, team_id, day, visits, sessions, people_reached, households_visited, services_supported, services_toan_trinh, services_level4, guided_only, vneid_activations, hamlets_covered) VALUES (?, ?, ?, ?, 0, 0, ?, 0, 0, 0, 0, 0, 0)",
                    params![campaign, team, day, households, households],
                )?;
            }
            sql.exec(
                "INSERT INTO rollup_days(campaign_id, team_id, day, visits, sessions, people_reached, households_visited, services_supported, services_toan_trinh, services_level4, guided_only, vneid_activations, hamlets_covered) VALUES (?, ?, ?, 7, 0, 0, 7, 0, 0, 0, 0, 0, 0)",
                params![other, team, d(2)],
            )?;
        }
        Ok::<_, DbError>(())
    })
    .unwrap();
}

fn run(db: &Db) {
    let (campaign, other) = (Uuid::from_u128(9_001), Uuid::from_u128(9_002));
    seed(db, campaign, other);
    // 01/03 … 30/03, seen on 10/03: day 10 of 30.
    let timeline = Timeline::new(d(1), d(30), d(10));
    let all: Vec<Uuid> = (0..TEAMS).map(|k| Uuid::from_u128(k + 1)).collect();
    let per_day: u64 = (0..TEAMS).map(|k| (k % 5) as u64).sum();
    assert_eq!(per_day, 2_400);

    for teams in [None, Some(all.as_slice())] {
        let days = db
            .tx(|sql| pace::daily_increments(sql, campaign, &timeline, teams))
            .unwrap();
        let got: Vec<(NaiveDate, u64)> = days
            .iter()
            .map(|(day, t)| (*day, t.households_visited))
            .collect();
        let want: Vec<(NaiveDate, u64)> = (1..=6).map(|day| (d(day), per_day)).collect();
        assert_eq!(got, want, "every team, listed or not");
        // 14,400 in 10 days of 30 → 43,200: short of 50,000, past 40,000.
        for (target, verdict) in [(50_000, Verdict::WillMiss), (40_000, Verdict::OnPace)] {
            let p = pace::compute(timeline, &days, |i| {
                (i == &Indicator::HouseholdsVisited).then_some(target)
            });
            let h = &p.indicators[2];
            assert_eq!(h.indicator, Indicator::HouseholdsVisited);
            assert_eq!(h.cumulative.len(), 10);
            assert_eq!(h.cumulative[5..], [14_400; 5]);
            assert_eq!(
                (h.count(), h.projection, h.verdict),
                (14_400, Some(43_200), verdict)
            );
        }
    }

    // A subtree: teams 1 to 3 (k = 0 … 2: 0 + 1 + 2 households a day).
    let some = db
        .tx(|sql| pace::daily_increments(sql, campaign, &timeline, Some(&all[..3])))
        .unwrap();
    assert_eq!(some.len(), 6);
    assert!(some.iter().all(|(_, t)| t.households_visited == 3));
    // Before the start nothing is read; after the end, the last day's rows count too.
    let before = Timeline::new(d(1), d(30), NaiveDate::from_ymd_opt(2026, 2, 1).unwrap());
    assert!(db
        .tx(|sql| pace::daily_increments(sql, campaign, &before, None))
        .unwrap()
        .is_empty());
    let after = Timeline::new(d(1), d(30), NaiveDate::from_ymd_opt(2026, 5, 1).unwrap());
    let ended = db
        .tx(|sql| pace::daily_increments(sql, campaign, &after, Some(&all[..3])))
        .unwrap();
    assert_eq!(
        ended.last().map(|(day, t)| (*day, t.households_visited)),
        Some((d(25), 3_000))
    );
}

#[test]
fn pace_from_the_rollup_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::sqlite_in(dir.path());
    run(&db);
}

#[test]
fn pace_from_the_rollup_on_postgres() {
    let pg = PgScratch::on_test_cluster("gocua_pace");
    let db = gocua_server::domain::open::open_database(&pg.url).unwrap();
    run(&db);
}
