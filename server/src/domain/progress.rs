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

/// Tally of a team's accepted records received between two Vietnamese calendar days.
pub fn team_tally(
    sql: &mut dyn Sql,
    team_id: Uuid,
    from: NaiveDate,
    to: NaiveDate,
    services: &[Service],
    tree: &AreaTree,
) -> DbResult<Tally> {
    let (start, end) = crate::domain::calendar::day_range(from, to);
    let mut builder = TallyBuilder::new(services);
    let visits = sql.query(
        "SELECT v.body, h.hamlet_code FROM visits v JOIN households h ON h.id = v.household_id
         WHERE v.team_id = ? AND v.superseded_by IS NULL AND v.received_at >= ? AND v.received_at < ?",
        params![team_id, start, end],
    )?;
    for row in visits {
        let visit: Visit = row.json(0)?;
        builder.add_visit(&visit, row.opt_text(1).as_deref());
    }
    let sessions = sql.query(
        "SELECT body FROM sessions WHERE team_id = ? AND received_at >= ? AND received_at < ?",
        params![team_id, start, end],
    )?;
    for row in sessions {
        let s: OutreachSession = row.json(0)?;
        let hamlet =
            (tree.level(&s.area_code) == Some(&AreaLevel::Hamlet)).then_some(s.area_code.as_str());
        builder.add_session(&s, hamlet);
    }
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

fn commune_of<'a>(tree: &'a AreaTree, code: &'a str) -> Option<&'a str> {
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
    let (start, end) = day_range(from, to);
    let mut out = Vec::new();
    for team_id in team_ids {
        let Some(team) = refdata::load_team(sql, team_id)? else {
            continue;
        };
        let total = team_tally(sql, team_id, from, to, &services, &tree)?;
        // The same arithmetic, one builder per commune.
        let mut builders: BTreeMap<String, TallyBuilder> = BTreeMap::new();
        for code in &team.area_codes {
            if let Some(c) = commune_of(&tree, code) {
                builders
                    .entry(c.to_owned())
                    .or_insert_with(|| TallyBuilder::new(&services));
            }
        }
        let visits = sql.query(
            "SELECT v.body, h.commune_code, h.hamlet_code FROM visits v JOIN households h ON h.id = v.household_id
             WHERE v.team_id = ? AND v.superseded_by IS NULL AND v.received_at >= ? AND v.received_at < ?",
            params![team_id, start, end],
        )?;
        for row in visits {
            let visit: Visit = row.json(0)?;
            builders
                .entry(row.text(1))
                .or_insert_with(|| TallyBuilder::new(&services))
                .add_visit(&visit, row.opt_text(2).as_deref());
        }
        let sessions = sql.query(
            "SELECT body FROM sessions WHERE team_id = ? AND received_at >= ? AND received_at < ?",
            params![team_id, start, end],
        )?;
        for row in sessions {
            let s: OutreachSession = row.json(0)?;
            let Some(commune) = commune_of(&tree, &s.area_code) else {
                continue;
            };
            let hamlet = (tree.level(&s.area_code) == Some(&AreaLevel::Hamlet))
                .then_some(s.area_code.as_str());
            builders
                .entry(commune.to_owned())
                .or_insert_with(|| TallyBuilder::new(&services))
                .add_session(&s, hamlet);
        }
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
