//! The progress rollup the dashboard reads: for each team, campaign and calendar day (the deployment's
//! of receipt, what that day added to the team's campaign tally.
//!
//! Why this shape: an overview of 3,321 communes must not re-read a million visits per page view,
//! yet "households visited" and "hamlets covered" are distinct counts that plain daily sums would
//! overcount. So a team's campaign tally is built once, in receipt order, with the protocol's own
//! `TallyBuilder` fed by the progress's one loop (`progress::for_each_team_record`), and each day
//! stores the increment of the cumulative tally. Summing a team's days
//! over the whole campaign gives exactly `progress::team_tally` for the campaign period (what the
//! phones are sent); over part of it, households and hamlets count on the day they were first
//! reached in the campaign.
//!
//! A team's rows are rewritten in the transaction that accepts its upload (`refresh_team`), and
//! when a coordinator deletes a record. The cost is one pass over that team's records, not the
//! country's.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use gocua_protocol::*;
use uuid::Uuid;

use crate::db::{DbResult, Sql};
use crate::domain::{calendar, progress};
use crate::params;

/// The indicator columns of `rollup_days`, in `Tally` order.
pub const COLUMNS: &str = "visits, sessions, people_reached, households_visited, services_supported, services_toan_trinh, services_level4, guided_only, vneid_activations, hamlets_covered";

/// `SUM(…)` of every indicator column, for aggregate queries (cast: PostgreSQL sums BIGINT as
/// NUMERIC).
pub const SUMS: &str = "CAST(SUM(visits) AS BIGINT), CAST(SUM(sessions) AS BIGINT), CAST(SUM(people_reached) AS BIGINT), CAST(SUM(households_visited) AS BIGINT), CAST(SUM(services_supported) AS BIGINT), CAST(SUM(services_toan_trinh) AS BIGINT), CAST(SUM(services_level4) AS BIGINT), CAST(SUM(guided_only) AS BIGINT), CAST(SUM(vneid_activations) AS BIGINT), CAST(SUM(hamlets_covered) AS BIGINT)";

/// Reads ten indicator columns starting at `first` (the order of [`COLUMNS`]).
pub fn tally_from_row(row: &crate::db::Row, first: usize) -> Tally {
    let n = |i: usize| row.opt_int(first + i).unwrap_or(0).max(0) as u64;
    Tally {
        visits: n(0),
        sessions: n(1),
        people_reached: n(2),
        households_visited: n(3),
        services_supported: n(4),
        services_toan_trinh: n(5),
        services_level4: n(6),
        guided_only: n(7),
        vneid_activations: n(8),
        hamlets_covered: n(9),
    }
}

/// What a rebuild needs besides the records.
pub struct RollupInputs {
    pub campaigns: Vec<Campaign>,
    pub services: Vec<Service>,
    pub tree: AreaTree,
}

pub fn load_campaigns(sql: &mut dyn Sql) -> DbResult<Vec<Campaign>> {
    sql.query("SELECT body FROM campaigns", &[])?
        .iter()
        .map(|r| r.json(0))
        .collect()
}

impl RollupInputs {
    pub fn load(sql: &mut dyn Sql) -> DbResult<RollupInputs> {
        let campaigns = load_campaigns(sql)?;
        let services = sql
            .query("SELECT body FROM services", &[])?
            .iter()
            .map(|r| r.json(0))
            .collect::<DbResult<Vec<Service>>>()?;
        let areas = crate::domain::refdata::all_areas(sql)?;
        Ok(RollupInputs {
            campaigns,
            services,
            tree: AreaTree::new(&areas),
        })
    }
}

/// Rewrites a team's rollup rows for every campaign.
pub fn refresh_team(
    sql: &mut dyn Sql,
    team_id: Uuid,
    campaigns: &[Campaign],
    services: &[Service],
    tree: &AreaTree,
) -> DbResult<()> {
    sql.exec(
        "DELETE FROM rollup_days WHERE team_id = ?",
        params![team_id],
    )?;
    sql.exec(
        "DELETE FROM rollup_totals WHERE team_id = ?",
        params![team_id],
    )?;
    for campaign in campaigns {
        let days = campaign_days(sql, team_id, campaign, services, tree)?;
        if !days.is_empty() {
            let total = days
                .iter()
                .fold(Tally::default(), |sum, (_, t)| sum.plus(t));
            insert_tally(sql, "rollup_totals", campaign.id, team_id, None, &total)?;
        }
        for (day, tally) in days {
            insert_tally(sql, "rollup_days", campaign.id, team_id, Some(day), &tally)?;
        }
    }
    Ok(())
}

/// One row of `rollup_days` (with its day) or `rollup_totals` (without).
fn insert_tally(
    sql: &mut dyn Sql,
    table: &str,
    campaign_id: Uuid,
    team_id: Uuid,
    day: Option<NaiveDate>,
    t: &Tally,
) -> DbResult<()> {
    let (day_column, day_mark) = if day.is_some() {
        ("day, ", "?, ")
    } else {
        ("", "")
    };
    let mut values: Vec<crate::db::Value> = vec![campaign_id.into(), team_id.into()];
    values.extend(day.map(Into::into));
    values.extend(
        [
            t.visits,
            t.sessions,
            t.people_reached,
            t.households_visited,
            t.services_supported,
            t.services_toan_trinh,
            t.services_level4,
            t.guided_only,
            t.vneid_activations,
            t.hamlets_covered,
        ]
        .map(Into::into),
    );
    sql.exec(
        &format!("INSERT INTO {table}(campaign_id, team_id, {day_column}{COLUMNS}) VALUES (?, ?, {day_mark}?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        &values,
    )?;
    Ok(())
}

/// Rewrites every team's rollup (after an upgrade, or when a campaign's dates change).
pub fn rebuild_all(sql: &mut dyn Sql) -> DbResult<()> {
    let inputs = RollupInputs::load(sql)?;
    let teams = sql
        .query("SELECT id FROM teams", &[])?
        .iter()
        .map(|r| r.uuid(0))
        .collect::<DbResult<Vec<_>>>()?;
    sql.exec("DELETE FROM rollup_days", &[])?;
    sql.exec("DELETE FROM rollup_totals", &[])?;
    for team in teams {
        refresh_team(sql, team, &inputs.campaigns, &inputs.services, &inputs.tree)?;
    }
    Ok(())
}

/// A team's records received in the campaign period, folded day by day into increments (the
/// progress's one loop, which hands them over in order of receipt).
fn campaign_days(
    sql: &mut dyn Sql,
    team_id: Uuid,
    campaign: &Campaign,
    services: &[Service],
    tree: &AreaTree,
) -> DbResult<Vec<(NaiveDate, Tally)>> {
    let mut builder = TallyBuilder::new(services);
    let mut days: BTreeMap<NaiveDate, Tally> = BTreeMap::new();
    let mut before = Tally::default();
    let mut current_day: Option<NaiveDate> = None;
    progress::for_each_team_record(
        sql,
        team_id,
        campaign.starts_on,
        campaign.ends_on,
        |at, record| {
            let day = calendar::day_of(at);
            if current_day != Some(day) {
                if let Some(d) = current_day {
                    let now = builder.current().clone();
                    days.insert(d, now.minus(&before));
                    before = now;
                }
                current_day = Some(day);
            }
            record.add_to(&mut builder, tree);
        },
    )?;
    if let Some(d) = current_day {
        days.insert(d, builder.current().minus(&before));
    }
    Ok(days.into_iter().collect())
}
