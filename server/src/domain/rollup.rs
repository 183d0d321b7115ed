//! The progress rollup the dashboard reads: for each team, campaign and calendar day (the deployment's
//! of receipt, what that day added to the team's campaign tally.
//!
//! Why this shape: an overview of 3,321 communes must not re-read a million visits per page view,
//! yet "households visited" and "hamlets covered" are distinct counts that plain daily sums would
//! overcount. So each day stores the increment of the team's cumulative campaign tally, as the
//! protocol's own `TallyBuilder` counts it in receipt order. Summing a team's days over the whole
//! campaign gives exactly `progress::team_tally` for the campaign period (what the phones are
//! sent); over part of it, households and hamlets count on the day they were first reached in the
//! campaign.
//!
//! How it is kept (two ways that give the same rows):
//! - **Increments, for an upload** ([`PushDelta`], [`apply_push`]): an upload's new records are
//!   all received at one instant, the last so far, so they only add to today's row. Plain counts
//!   are added with an upsert; for the distinct counts, `rollup_households` and
//!   `rollup_hamlets` remember the day each household and hamlet was first reached in the
//!   campaign, and only those without a row yet count. The cost is that of the upload, whatever
//!   the team's history.
//! - **A recount of the team** ([`refresh_team`]): one pass over the team's records with the
//!   progress's one loop (`progress::for_each_team_record`), rewriting its rows. Used where an
//!   increment would be wrong, all rare: a correction that replaces a visit already counted, a
//!   household moved to another hamlet, a coordinator's deletion, reference data changed since
//!   the team was counted (service kinds and hamlets decide counts: `rollup_teams`), a server
//!   clock that went back across midnight; by [`rebuild_all`] on upgrade; and, for one
//!   campaign's rows only, by [`rebuild_campaign`] when a campaign is made or its dates change. An erasure blanks personal data only, which no count reads.
//!
//! Everything that writes a team's rollup first locks the team's row (`lock_team`), so uploads
//! of one team and recounts queue instead of interleaving (on PostgreSQL; SQLite has one writer).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Utc};
use gocua_protocol::*;
use uuid::Uuid;

use crate::db::{insert_rows, DbResult, Sql, Value};
use crate::domain::progress::CountedRecord;
use crate::domain::{calendar, progress, refdata};
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

/// Takes the team's row lock for the rest of the transaction: everything that writes a team's
/// rollup takes it first, so two uploads of a team (or an upload and a recount) run one after the
/// other instead of deadlocking on the rollup rows. A no-op `UPDATE` locks on PostgreSQL and
/// needs no `FOR UPDATE`, which SQLite lacks (it has one writer anyway).
pub fn lock_team(sql: &mut dyn Sql, team_id: Uuid) -> DbResult<()> {
    sql.exec("UPDATE teams SET id = id WHERE id = ?", params![team_id])?;
    Ok(())
}

/// Recounts a team's rollup rows for every campaign from its records.
pub fn refresh_team(
    sql: &mut dyn Sql,
    team_id: Uuid,
    campaigns: &[Campaign],
    services: &[Service],
    tree: &AreaTree,
) -> DbResult<()> {
    lock_team(sql, team_id)?;
    for table in TEAM_TABLES {
        sql.exec(
            &format!("DELETE FROM {table} WHERE team_id = ?"),
            params![team_id],
        )?;
    }
    for campaign in campaigns {
        let count = count_campaign(sql, team_id, campaign, services, tree)?;
        write_count(sql, team_id, campaign.id, count)?;
    }
    let seq = refdata::current_seq(sql)?;
    sql.exec(
        "INSERT INTO rollup_teams(team_id, reference_seq) VALUES (?, ?)",
        params![team_id, seq],
    )?;
    Ok(())
}

/// Writes a team's counted campaign into its (emptied) rollup rows.
fn write_count(
    sql: &mut dyn Sql,
    team_id: Uuid,
    campaign_id: Uuid,
    count: CampaignCount,
) -> DbResult<()> {
    if !count.days.is_empty() {
        let total = count
            .days
            .iter()
            .fold(Tally::default(), |sum, (_, t)| sum.plus(t));
        add_tally(sql, "rollup_totals", campaign_id, team_id, None, &total)?;
    }
    for (day, tally) in &count.days {
        add_tally(sql, "rollup_days", campaign_id, team_id, Some(*day), tally)?;
    }
    let firsts = |key: String, day: NaiveDate| -> Vec<Value> {
        vec![team_id.into(), campaign_id.into(), key.into(), day.into()]
    };
    let households: Vec<Vec<Value>> = count
        .households
        .into_iter()
        .map(|(h, day)| firsts(h.to_string(), day))
        .collect();
    insert_rows(sql, INSERT_HOUSEHOLDS, &FIRST_TYPES, "", households)?;
    let hamlets: Vec<Vec<Value>> = count
        .hamlets
        .into_iter()
        .map(|(h, day)| firsts(h, day))
        .collect();
    insert_rows(sql, INSERT_HAMLETS, &FIRST_TYPES, "", hamlets)?;
    Ok(())
}

/// Recounts one campaign's rows for every team, from the records (when a campaign is made or its
/// dates change; its other rows stay as they are). `counted_with` is the reference counter as it
/// was before the campaign was written: teams whose rollup was current then are current again
/// afterwards ([`keep_current`]) — the campaign was all that changed — so their next upload adds
/// increments instead of recounting every campaign.
pub fn rebuild_campaign(sql: &mut dyn Sql, campaign: &Campaign, counted_with: i64) -> DbResult<()> {
    let inputs = RollupInputs::load(sql)?;
    let teams = lock_every_team(sql)?;
    for table in CAMPAIGN_TABLES {
        sql.exec(
            &format!("DELETE FROM {table} WHERE campaign_id = ?"),
            params![campaign.id],
        )?;
    }
    for team in teams {
        let count = count_campaign(sql, team, campaign, &inputs.services, &inputs.tree)?;
        write_count(sql, team, campaign.id, count)?;
    }
    keep_current(sql, counted_with)
}

/// After a change of reference data that counts nothing differently (a campaign's name, or its
/// dates once [`rebuild_campaign`] recounted it): the teams counted with `counted_with` are
/// marked counted with the current reference data.
pub fn keep_current(sql: &mut dyn Sql, counted_with: i64) -> DbResult<()> {
    let seq = refdata::current_seq(sql)?;
    sql.exec(
        "UPDATE rollup_teams SET reference_seq = ? WHERE reference_seq = ?",
        params![seq, counted_with],
    )?;
    Ok(())
}

/// The tables with a campaign's rows (all but `rollup_teams`, which is per team).
const CAMPAIGN_TABLES: [&str; 4] = [
    "rollup_days",
    "rollup_totals",
    "rollup_households",
    "rollup_hamlets",
];

/// The tables with a team's rollup, all rewritten by a recount.
const TEAM_TABLES: [&str; 5] = [
    "rollup_days",
    "rollup_totals",
    "rollup_households",
    "rollup_hamlets",
    "rollup_teams",
];

const INSERT_HOUSEHOLDS: &str =
    "INSERT INTO rollup_households(team_id, campaign_id, household_id, day)";
const INSERT_HAMLETS: &str = "INSERT INTO rollup_hamlets(team_id, campaign_id, hamlet_code, day)";
/// The SQL types of the columns of the two inserts above.
const FIRST_TYPES: [&str; 4] = ["TEXT", "TEXT", "TEXT", "TEXT"];

/// The ten indicator values of a tally, in [`COLUMNS`] order.
fn tally_values(t: &Tally) -> [Value; 10] {
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
    .map(Into::into)
}

/// Adds `t` to a row of `rollup_days` (with its day) or `rollup_totals` (without), creating it
/// (a recount writes into rows it has just deleted: then this is a plain insert).
fn add_tally(
    sql: &mut dyn Sql,
    table: &str,
    campaign_id: Uuid,
    team_id: Uuid,
    day: Option<NaiveDate>,
    t: &Tally,
) -> DbResult<()> {
    let (day_column, day_mark, key) = if day.is_some() {
        ("day, ", "?, ", "campaign_id, team_id, day")
    } else {
        ("", "", "campaign_id, team_id")
    };
    let sums = COLUMNS
        .split(", ")
        .map(|c| format!("{c} = {table}.{c} + excluded.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut values: Vec<Value> = vec![campaign_id.into(), team_id.into()];
    values.extend(day.map(Into::into));
    values.extend(tally_values(t));
    sql.exec(
        &format!("INSERT INTO {table}(campaign_id, team_id, {day_column}{COLUMNS}) VALUES (?, ?, {day_mark}?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                  ON CONFLICT({key}) DO UPDATE SET {sums}"),
        &values,
    )?;
    Ok(())
}

/// Takes every team's lock first (uploads lock their one team before touching the rollup), so an
/// upload running meanwhile finishes first or waits for the rebuild; returns the teams' ids.
fn lock_every_team(sql: &mut dyn Sql) -> DbResult<Vec<Uuid>> {
    sql.exec("UPDATE teams SET id = id", &[])?;
    sql.query("SELECT id FROM teams", &[])?
        .iter()
        .map(|r| r.uuid(0))
        .collect()
}

/// Rewrites every team's rollup (after an upgrade: the schema's opener calls it).
pub fn rebuild_all(sql: &mut dyn Sql) -> DbResult<()> {
    let inputs = RollupInputs::load(sql)?;
    let teams = lock_every_team(sql)?;
    for table in TEAM_TABLES {
        sql.exec(&format!("DELETE FROM {table}"), &[])?;
    }
    for team in teams {
        refresh_team(sql, team, &inputs.campaigns, &inputs.services, &inputs.tree)?;
    }
    Ok(())
}

/// A team's campaign counted from its records: each day's increment, and the day each household
/// (visited and met) and each hamlet was first reached.
struct CampaignCount {
    days: Vec<(NaiveDate, Tally)>,
    households: Vec<(Uuid, NaiveDate)>,
    hamlets: Vec<(String, NaiveDate)>,
}

/// The hamlet a counted record covers, as `TallyBuilder` reads it: a visit's household's hamlet;
/// a session's area when that is a hamlet.
fn hamlet_of<'r>(record: &'r CountedRecord, tree: &AreaTree) -> Option<&'r str> {
    match record {
        CountedRecord::Visit { hamlet_code, .. } => hamlet_code.as_deref(),
        CountedRecord::Session(s) => {
            (tree.level(&s.area_code) == Some(&AreaLevel::Hamlet)).then_some(s.area_code.as_str())
        }
    }
}

/// The household a counted record visited and met (what "households visited" counts).
fn household_met(record: &CountedRecord) -> Option<Uuid> {
    match record {
        CountedRecord::Visit { visit, .. } if visit.outcome == VisitOutcome::Met => {
            Some(visit.household_id)
        }
        _ => None,
    }
}

/// A team's records received in the campaign period, folded day by day into increments (the
/// progress's one loop, which hands them over in order of receipt).
fn count_campaign(
    sql: &mut dyn Sql,
    team_id: Uuid,
    campaign: &Campaign,
    services: &[Service],
    tree: &AreaTree,
) -> DbResult<CampaignCount> {
    let mut builder = TallyBuilder::new(services);
    let mut days: BTreeMap<NaiveDate, Tally> = BTreeMap::new();
    let mut households: BTreeMap<Uuid, NaiveDate> = BTreeMap::new();
    let mut hamlets: BTreeMap<String, NaiveDate> = BTreeMap::new();
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
            // In receipt order, so the first day seen is the first day reached.
            if let Some(h) = household_met(record) {
                households.entry(h).or_insert(day);
            }
            if let Some(h) = hamlet_of(record, tree) {
                hamlets.entry(h.to_owned()).or_insert(day);
            }
        },
    )?;
    if let Some(d) = current_day {
        days.insert(d, builder.current().minus(&before));
    }
    debug_assert_eq!(
        (households.len() as u64, hamlets.len() as u64),
        (
            builder.current().households_visited,
            builder.current().hamlets_covered
        ),
        "the first-reached tables must count as TallyBuilder does"
    );
    Ok(CampaignCount {
        days: days.into_iter().collect(),
        households: households.into_iter().collect(),
        hamlets: hamlets.into_iter().collect(),
    })
}

/// What one upload adds to its team's rollup, gathered while its records are stored: the
/// records it made count (new visits not already replaced by a correction, new sessions), or
/// that something changed which increments cannot express, so the team is recounted.
pub struct PushDelta<'a> {
    builder: TallyBuilder<'a>,
    households: BTreeSet<Uuid>,
    hamlets: BTreeSet<String>,
    counted: usize,
    recount: bool,
}

impl<'a> PushDelta<'a> {
    pub fn new(services: &'a [Service]) -> Self {
        PushDelta {
            builder: TallyBuilder::new(services),
            households: BTreeSet::new(),
            hamlets: BTreeSet::new(),
            counted: 0,
            recount: false,
        }
    }

    /// A new current visit of the team; `hamlet_code` is its household's hamlet.
    pub fn visit(&mut self, visit: &Visit, hamlet_code: Option<&str>) {
        self.builder.add_visit(visit, hamlet_code);
        if visit.outcome == VisitOutcome::Met {
            self.households.insert(visit.household_id);
        }
        if let Some(h) = hamlet_code {
            self.hamlets.insert(h.to_owned());
        }
        self.counted += 1;
    }

    /// A new session of the team.
    pub fn session(&mut self, session: &OutreachSession, tree: &AreaTree) {
        self.builder.add_session(session, tree);
        if tree.level(&session.area_code) == Some(&AreaLevel::Hamlet) {
            self.hamlets.insert(session.area_code.clone());
        }
        self.counted += 1;
    }

    /// Something already counted changed (a visit replaced, a household's hamlet): the team is
    /// recounted at the end of the upload.
    pub fn recount(&mut self) {
        self.recount = true;
    }
}

/// Brings the team's rollup up to date after an upload received at `received`: the upload's
/// increments added to that day's rows of every campaign the day falls in, or the team
/// recounted (see the module's notes for when). `reference_seq` is the reference data's counter
/// the upload was validated and counted with. The caller holds the team's lock ([`lock_team`]).
pub fn apply_push(
    sql: &mut dyn Sql,
    team_id: Uuid,
    received: DateTime<Utc>,
    delta: PushDelta<'_>,
    reference_seq: i64,
    services: &[Service],
    tree: &AreaTree,
) -> DbResult<()> {
    if !delta.recount && delta.counted == 0 {
        return Ok(());
    }
    // In one round trip: what the team's rollup was counted with and its latest day, and the
    // campaigns.
    let mut state = None;
    let mut campaigns: Vec<Campaign> = Vec::new();
    for row in sql.query(
        "SELECT 'state', CAST(reference_seq AS TEXT), (SELECT max(day) FROM rollup_days WHERE team_id = ?) FROM rollup_teams WHERE team_id = ?
         UNION ALL SELECT 'campaign', body, NULL FROM campaigns",
        params![team_id, team_id],
    )? {
        if row.text(0) == "state" {
            state = Some(row);
        } else {
            campaigns.push(row.json(1)?);
        }
    }
    let campaigns = &campaigns;
    let day = calendar::day_of(received);
    let stale = match &state {
        None => true,
        Some(row) => {
            row.int(1) != reference_seq
                // The server's clock went back to an earlier day: households and hamlets
                // reached "later" would now be reached first today.
                || row.opt_text(2).is_some_and(|latest| latest > day.to_string())
        }
    };
    if delta.recount || stale {
        return refresh_team(sql, team_id, campaigns, services, tree);
    }
    let first_row = |key: &str, campaign_id: Uuid| -> Vec<Value> {
        vec![team_id.into(), campaign_id.into(), key.into(), day.into()]
    };
    for campaign in campaigns
        .iter()
        .filter(|c| c.starts_on <= day && day <= c.ends_on)
    {
        let mut tally = delta.builder.current().clone();
        // Households and hamlets the team had not reached yet in the campaign: the rows the
        // insert-if-absent adds.
        let households: Vec<Vec<Value>> = delta
            .households
            .iter()
            .map(|h| first_row(&h.to_string(), campaign.id))
            .collect();
        tally.households_visited = insert_rows(
            sql,
            INSERT_HOUSEHOLDS,
            &FIRST_TYPES,
            "ON CONFLICT(team_id, campaign_id, household_id) DO NOTHING",
            households,
        )?;
        let hamlets: Vec<Vec<Value>> = delta
            .hamlets
            .iter()
            .map(|h| first_row(h, campaign.id))
            .collect();
        tally.hamlets_covered = insert_rows(
            sql,
            INSERT_HAMLETS,
            &FIRST_TYPES,
            "ON CONFLICT(team_id, campaign_id, hamlet_code) DO NOTHING",
            hamlets,
        )?;
        add_tally(sql, "rollup_days", campaign.id, team_id, Some(day), &tally)?;
        add_tally(sql, "rollup_totals", campaign.id, team_id, None, &tally)?;
    }
    Ok(())
}
