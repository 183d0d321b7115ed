//! A visit received at 23:59 and another at 00:01 Vietnam time land on two different days in the
//! server's rollup, in a period's sums and in the report's figures — whatever zone the machine
//! running the test is set to (CI runs this under TZ=Etc/GMT+12 and TZ=Pacific/Kiritimati too).

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use gocua_protocol::*;
use gocua_server::db::Sql;
use gocua_server::domain::refdata::ValidationCache;
use gocua_server::web::data::{team_sums, Period};

mod common;

use common::Fixture;

use common::day;

fn utc(d: u32, h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, d, h, m, 0).unwrap()
}

fn fixture() -> Fixture {
    Fixture::new(false)
}

impl Fixture {
    /// A visit recorded by a phone whose clock is set to UTC−12.
    fn visit_utc_minus_12(&self, household: &Household, at: DateTime<Utc>) -> Visit {
        let mut visit = self.visit(household, at);
        // The phone's own offset is evidence only: a phone set to UTC-12 changes nothing.
        visit.recorded.offset_minutes = -720;
        visit
    }

    fn period_sums(&self, from: NaiveDate, to: NaiveDate) -> Tally {
        let period = Period {
            key: "custom".into(),
            from,
            to,
            label: String::new(),
        };
        self.db
            .tx(|sql: &mut dyn Sql| {
                Ok::<_, gocua_server::web::error::WebError>(
                    team_sums(sql, self.campaign, &period, None)?
                        .remove(&self.team)
                        .unwrap_or_default(),
                )
            })
            .unwrap()
    }
}

#[test]
fn visits_at_2359_and_0001_vietnam_time_fall_on_their_own_days() {
    let f = fixture();
    // 23:59 on 29/11 and 00:01 on 30/11 in Vietnam.
    let before = utc(29, 16, 59);
    let after = utc(29, 17, 1);
    let a = f.household(before, "Nguyễn Văn An", None);
    let b = f.household(after, "Lê Thị Bình", None);
    f.receive(
        before,
        vec![
            Change::Household(a.clone()),
            Change::Visit(f.visit_utc_minus_12(&a, before)),
        ],
    );
    f.receive(
        after,
        vec![
            Change::Household(b.clone()),
            Change::Visit(f.visit_utc_minus_12(&b, after)),
        ],
    );

    // The rollup's days.
    let days: Vec<(String, i64)> =
        f.db.tx(|sql: &mut dyn Sql| {
            sql.query(
                "SELECT day, visits FROM rollup_days WHERE team_id = ? ORDER BY day",
                gocua_server::params![f.team],
            )
            .map(|rows| {
                rows.iter()
                    .map(|r| (r.text(0), r.opt_int(1).unwrap_or(0)))
                    .collect()
            })
        })
        .unwrap();
    assert_eq!(
        days,
        vec![("2026-11-29".to_owned(), 1), ("2026-11-30".to_owned(), 1)]
    );

    // A period of one day, as the dashboard and the quick report count it.
    assert_eq!(f.period_sums(day(29), day(29)).visits, 1);
    assert_eq!(f.period_sums(day(30), day(30)).visits, 1);
    assert_eq!(f.period_sums(day(29), day(30)).households_visited, 2);

    // The live count the phones are sent and `gocua admin progress` prints.
    let (t29, t30) =
        f.db.tx(|sql: &mut dyn Sql| {
            let data = ValidationCache::default().get(sql)?;
            let tally = |sql: &mut dyn Sql, d| {
                gocua_server::domain::progress::team_tally(
                    sql,
                    f.team,
                    d,
                    d,
                    &data.services,
                    &data.tree,
                )
            };
            Ok::<_, gocua_server::db::DbError>((tally(sql, day(29))?, tally(sql, day(30))?))
        })
        .unwrap();
    assert_eq!((t29.visits, t30.visits), (1, 1));
}

#[test]
fn the_server_calendar_is_vietnams_by_default() {
    assert_eq!(
        gocua_server::domain::calendar::get().zone_name(),
        "Asia/Ho_Chi_Minh"
    );
    assert_eq!(
        gocua_server::domain::calendar::day_of(utc(29, 16, 59)),
        day(29)
    );
    assert_eq!(
        gocua_server::domain::calendar::day_of(utc(29, 17, 1)),
        day(30)
    );
}

#[test]
fn a_bad_time_zone_stops_the_server_before_it_starts() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gocua"))
        .args(["serve", "--listen", "127.0.0.1:0", "--db"])
        .arg(dir.path().join("never.db"))
        .env("GOCUA_TIME_ZONE", "Asia/Ha_Noi")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("GOCUA_TIME_ZONE") && stderr.contains("Asia/Ha_Noi"),
        "{stderr}"
    );
    assert!(!dir.path().join("never.db").exists(), "nothing was started");
}
