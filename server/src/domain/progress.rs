//! Progress counted on the server: accepted records by server receipt time, in the deployment's
//! calendar (`crate::domain::calendar`). The arithmetic is the protocol's `TallyBuilder`, the same the phones use.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use gocua_protocol::text::fold;
use gocua_protocol::*;
use uuid::Uuid;

use super::calendar::day_range;
use super::coordination::{load_campaign, AdminResult};
use super::refdata;
use crate::db::{DbResult, Sql};
use crate::params;

/// A record the server counts: a current (not superseded) accepted visit with its household's
/// commune and hamlet, or an accepted outreach session.
#[derive(Debug, Clone)]
pub enum CountedRecord {
    Visit {
        visit: Visit,
        commune_code: String,
        hamlet_code: Option<String>,
    },
    Session(OutreachSession),
}

impl CountedRecord {
    /// Adds the record to a builder: a visit with its household's hamlet, a session with the
    /// area tree (it covers a hamlet only when held in one; the protocol's rule).
    pub fn add_to(&self, builder: &mut TallyBuilder, areas: &AreaTree) {
        match self {
            CountedRecord::Visit {
                visit, hamlet_code, ..
            } => builder.add_visit(visit, hamlet_code.as_deref()),
            CountedRecord::Session(session) => builder.add_session(session, areas),
        }
    }
}

/// The one loop of the server's counting: a team's current accepted records received on the
/// calendar days `from..=to` (the deployment's calendar), passed to `each` one at a time in order
/// of receipt, with the instant the server received each. Every count of a team's progress reads
/// its records here and feeds them with [`CountedRecord::add_to`]: the team's tally
/// ([`team_tally`]), the campaign's progress by commune ([`campaign_progress`]), the daily
/// rollup (`rollup`, which needs the receipt order to cut the increments by day) and the team
/// page's table by hamlet.
pub fn for_each_team_record(
    sql: &mut dyn Sql,
    team_id: Uuid,
    from: NaiveDate,
    to: NaiveDate,
    mut each: impl FnMut(DateTime<Utc>, &CountedRecord),
) -> DbResult<()> {
    let (start, end) = day_range(from, to);
    let mut records: Vec<(i64, CountedRecord)> = Vec::new();
    for row in sql.query(
        "SELECT v.received_at, v.body, h.commune_code, h.hamlet_code FROM visits v JOIN households h ON h.id = v.household_id
         WHERE v.team_id = ? AND v.superseded_by IS NULL AND v.received_at >= ? AND v.received_at < ?",
        params![team_id, start, end],
    )? {
        records.push((
            row.int(0),
            CountedRecord::Visit {
                visit: row.json(1)?,
                commune_code: row.text(2),
                hamlet_code: row.opt_text(3),
            },
        ));
    }
    for row in sql.query(
        "SELECT received_at, body FROM sessions WHERE team_id = ? AND received_at >= ? AND received_at < ?",
        params![team_id, start, end],
    )? {
        records.push((row.int(0), CountedRecord::Session(row.json(1)?)));
    }
    records.sort_by_key(|(at, _)| *at);
    for (at, record) in &records {
        each(
            DateTime::from_timestamp_millis(*at).unwrap_or_default(),
            record,
        );
    }
    Ok(())
}

/// Tally of a team's accepted records received between two calendar days (the deployment's).
pub fn team_tally(
    sql: &mut dyn Sql,
    team_id: Uuid,
    from: NaiveDate,
    to: NaiveDate,
    services: &[Service],
    tree: &AreaTree,
) -> DbResult<Tally> {
    let mut builder = TallyBuilder::new(services);
    for_each_team_record(sql, team_id, from, to, |_, record| {
        record.add_to(&mut builder, tree)
    })?;
    Ok(builder.finish())
}

/// How far each of a team's targets has got.
pub fn team_achievements(
    sql: &mut dyn Sql,
    team_id: Uuid,
    targets: &[Target],
    services: &[Service],
    tree: &AreaTree,
    now: DateTime<Utc>,
) -> DbResult<Vec<TargetAchievement>> {
    let mut by_period: HashMap<(NaiveDate, NaiveDate), Tally> = HashMap::new();
    let mut out = Vec::new();
    for t in targets.iter().filter(|t| t.team_id == Some(team_id)) {
        let tally = match by_period.entry((t.starts_on, t.ends_on)) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => e.insert(team_tally(
                sql,
                team_id,
                t.starts_on,
                t.ends_on,
                services,
                tree,
            )?),
        };
        out.push(TargetAchievement {
            target_id: t.id,
            achieved: tally.get(&t.indicator).unwrap_or(0),
            as_of: now,
        });
    }
    Ok(out)
}

/// One commune's share of a team's work.
#[derive(Debug, Clone, PartialEq)]
pub struct CommuneProgress {
    pub code: String,
    pub name: String,
    pub tally: Tally,
}

/// A team's progress in a campaign, counted on the server from accepted records by receipt time
/// (the same counts the phones are sent).
#[derive(Debug, Clone, PartialEq)]
pub struct TeamProgress {
    pub team: Team,
    pub total: Tally,
    pub targets: Vec<Target>,
    pub communes: Vec<CommuneProgress>,
}

impl TeamProgress {
    /// The team's target for an indicator over the whole campaign period, if set.
    pub fn target(&self, indicator: &Indicator) -> Option<u64> {
        self.targets
            .iter()
            .filter(|t| &t.indicator == indicator)
            .map(|t| t.value)
            .max()
    }
}

/// The commune an area lies in (itself for a commune); `None` above communes or outside the tree.
pub fn commune_of<'a>(tree: &'a AreaTree, code: &'a str) -> Option<&'a str> {
    let mut current = Some(code);
    let mut steps = 0;
    while let Some(c) = current {
        if tree.level(c) == Some(&AreaLevel::Commune) {
            return Some(c);
        }
        steps += 1;
        if steps > 64 {
            return None;
        }
        current = tree.parent(c);
    }
    None
}

/// Progress of every team with targets in the campaign (or, when none has, of every team).
pub fn campaign_progress(sql: &mut dyn Sql, campaign_id: Uuid) -> AdminResult<Vec<TeamProgress>> {
    let campaign = load_campaign(sql, campaign_id)?;
    let (from, to) = (campaign.starts_on, campaign.ends_on);
    let areas = refdata::all_areas(sql)?;
    let names: HashMap<&str, &str> = areas
        .iter()
        .map(|a| (a.code.as_str(), a.name.as_str()))
        .collect();
    let tree = AreaTree::new(&areas);
    let services: Vec<Service> = sql
        .query("SELECT body FROM services", &[])?
        .iter()
        .map(|r| r.json(0))
        .collect::<Result<_, _>>()?;
    let targets: Vec<Target> = sql
        .query(
            "SELECT body FROM targets WHERE campaign_id = ?",
            params![campaign_id],
        )?
        .iter()
        .map(|r| r.json(0))
        .collect::<Result<_, _>>()?;
    let mut team_ids: Vec<Uuid> = targets.iter().filter_map(|t| t.team_id).collect();
    if team_ids.is_empty() {
        team_ids = sql
            .query("SELECT id FROM teams", &[])?
            .iter()
            .map(|r| r.uuid(0))
            .collect::<Result<_, _>>()?;
    }
    team_ids.sort();
    team_ids.dedup();
    let mut out = Vec::new();
    for team_id in team_ids {
        let Some(team) = refdata::load_team(sql, team_id)? else {
            continue;
        };
        // The same records, once: into the team's total and into one builder per commune.
        let mut total = TallyBuilder::new(&services);
        let mut builders: BTreeMap<String, TallyBuilder> = BTreeMap::new();
        for code in &team.area_codes {
            if let Some(c) = commune_of(&tree, code) {
                builders
                    .entry(c.to_owned())
                    .or_insert_with(|| TallyBuilder::new(&services));
            }
        }
        for_each_team_record(sql, team_id, from, to, |_, record| {
            record.add_to(&mut total, &tree);
            let commune = match record {
                CountedRecord::Visit { commune_code, .. } => Some(commune_code.as_str()),
                CountedRecord::Session(s) => commune_of(&tree, &s.area_code),
            };
            if let Some(commune) = commune {
                let builder = builders
                    .entry(commune.to_owned())
                    .or_insert_with(|| TallyBuilder::new(&services));
                record.add_to(builder, &tree);
            }
        })?;
        let total = total.finish();
        let mut communes: Vec<CommuneProgress> = builders
            .into_iter()
            .map(|(code, b)| CommuneProgress {
                name: names
                    .get(code.as_str())
                    .map_or_else(|| code.clone(), |n| (*n).to_owned()),
                code,
                tally: b.finish(),
            })
            .collect();
        communes.sort_by_cached_key(|c| (fold(&c.name), c.code.clone()));
        let team_targets = targets
            .iter()
            .filter(|t| t.team_id == Some(team_id))
            .cloned()
            .collect();
        out.push(TeamProgress {
            team,
            total,
            targets: team_targets,
            communes,
        });
    }
    out.sort_by_cached_key(|t| (fold(&t.team.name), t.team.id));
    Ok(out)
}
