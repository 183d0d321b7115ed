//! Every server count of a team's records reads them through one loop
//! (`progress::for_each_team_record`): the team's tally the phones are sent, the campaign progress
//! by commune (`gocua admin progress`), the dashboard's rollup and the team page's table by hamlet
//! all agree, and a session held for a whole commune covers no hamlet.

use chrono::{DateTime, TimeZone, Utc};
use gocua_protocol::*;
use gocua_server::db::{DbResult, Row, Sql};
use gocua_server::domain::progress::{self, CountedRecord};
use gocua_server::domain::refdata::ValidationCache;
use gocua_server::domain::rollup;
use uuid::Uuid;

mod common;

use common::Fixture;

use common::{day, hlc, recorded, COMMUNE, HAMLET};

fn utc(d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, d, h, 0, 0).unwrap()
}

fn fixture() -> Fixture {
    Fixture::new(true)
}

impl Fixture {
    /// Day `d` of November: a session at `area` with `attendees` at 1 o'clock, a household (head
    /// `name`, in `hamlet`) visited at 2, all received together at 3.
    fn field_day(
        &self,
        d: u32,
        (area, attendees): (&str, u32),
        (name, hamlet): (&str, Option<&str>),
    ) {
        let household = self.household(utc(d, 2), name, hamlet);
        self.receive(
            utc(d, 3),
            vec![
                Change::OutreachSession(self.session(area, utc(d, 1), attendees)),
                Change::Household(household.clone()),
                Change::Visit(self.visit(&household, utc(d, 2))),
            ],
        );
    }

    fn session(&self, area: &str, at: DateTime<Utc>, attendees: u32) -> OutreachSession {
        OutreachSession {
            id: Uuid::now_v7(),
            team_id: self.team,
            volunteer_id: self.member,
            campaign_id: Some(self.campaign),
            kind: SessionKind::CommunityMeeting,
            area_code: area.into(),
            place: "Nhà văn hoá khu phố".into(),
            held_on: at.date_naive(),
            attendees,
            materials: Vec::new(),
            note: None,
            recorded: recorded(at),
            hlc: hlc(at),
        }
    }
}

/// The team's rows of the rollup table `table`: the `key` column (if any) then the tally's
/// columns, in the order of `key`.
fn team_rollup(
    sql: &mut dyn Sql,
    team: Uuid,
    table: &str,
    key: Option<&str>,
) -> DbResult<Vec<Row>> {
    let query = match key {
        Some(key) => format!(
            "SELECT {key}, {} FROM {table} WHERE team_id = ? ORDER BY {key}",
            rollup::COLUMNS
        ),
        None => format!("SELECT {} FROM {table} WHERE team_id = ?", rollup::COLUMNS),
    };
    sql.query(&query, gocua_server::params![team])
}
#[test]
fn every_count_reads_the_same_records_and_a_commune_session_covers_no_hamlet() {
    let f = fixture();
    // Day 10: a session for the whole commune, then a visit to a household without a hamlet.
    f.field_day(10, (COMMUNE, 30), ("Nguyễn Văn An", None));
    let t =
        f.db.tx(|sql: &mut dyn Sql| {
            let data = ValidationCache::default().get(sql)?;
            progress::team_tally(sql, f.team, day(1), day(30), &data.services, &data.tree)
        })
        .unwrap();
    assert_eq!(
        (t.sessions, t.people_reached, t.hamlets_covered),
        (1, 32, 0),
        "a session held for the whole commune covers no hamlet"
    );

    // Day 12: a session in the hamlet and a visit to a household of the hamlet.
    f.field_day(12, (HAMLET, 12), ("Lê Thị Bình", Some(HAMLET)));

    let (seen, tally, progress, totals, days) =
        f.db.tx(|sql: &mut dyn Sql| {
            let data = ValidationCache::default().get(sql)?;
            let mut seen = Vec::new();
            progress::for_each_team_record(sql, f.team, day(1), day(30), |at, record| {
                let kind = match record {
                    CountedRecord::Visit { .. } => "visit",
                    CountedRecord::Session(_) => "session",
                };
                seen.push((at, kind));
            })?;
            let tally =
                progress::team_tally(sql, f.team, day(1), day(30), &data.services, &data.tree)?;
            let progress = progress::campaign_progress(sql, f.campaign).unwrap();
            let totals = team_rollup(sql, f.team, "rollup_totals", None)?
                .iter()
                .map(|r| rollup::tally_from_row(r, 0))
                .collect::<Vec<_>>();
            let days = team_rollup(sql, f.team, "rollup_days", Some("day"))?
                .iter()
                .map(|r| (r.text(0), rollup::tally_from_row(r, 1)))
                .collect::<Vec<_>>();
            Ok::<_, gocua_server::db::DbError>((seen, tally, progress, totals, days))
        })
        .unwrap();

    // In order of receipt (each upload's records were received together).
    assert_eq!(seen.len(), 4);
    assert!(seen.windows(2).all(|w| w[0].0 <= w[1].0), "{seen:?}");
    assert_eq!(
        seen.iter().map(|(at, _)| *at).collect::<Vec<_>>(),
        vec![utc(10, 3), utc(10, 3), utc(12, 3), utc(12, 3)]
    );

    assert_eq!(
        (
            tally.visits,
            tally.sessions,
            tally.people_reached,
            tally.households_visited,
            tally.hamlets_covered
        ),
        (2, 2, 46, 2, 1),
        "the hamlet once, for the hamlet's session and visit"
    );
    // The campaign progress: the same total, and the commune's share is all of it.
    assert_eq!(progress.len(), 1);
    assert_eq!(progress[0].total, tally);
    assert_eq!(progress[0].communes.len(), 1);
    assert_eq!(progress[0].communes[0].code, COMMUNE);
    assert_eq!(progress[0].communes[0].tally, tally);
    // The rollup: the whole campaign equals the live tally; each day holds what it added.
    assert_eq!(totals, vec![tally.clone()]);
    assert_eq!(
        days.iter().map(|(d, _)| d.as_str()).collect::<Vec<_>>(),
        ["2026-11-10", "2026-11-12"]
    );
    assert_eq!(days[0].1.hamlets_covered, 0);
    assert_eq!(days[1].1.hamlets_covered, 1);
    assert_eq!(
        days.iter()
            .fold(Tally::default(), |sum, (_, t)| sum.plus(t)),
        tally
    );
}
