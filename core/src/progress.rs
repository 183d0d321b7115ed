//! The volunteer's own counts (today, this week, this campaign) and the team's progress against
//! its targets. The arithmetic is the protocol's [`TallyBuilder`]; this file only chooses records.

use std::collections::HashMap;

use chrono::NaiveDate;
use gocua_protocol::*;
use rusqlite::Connection;
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::records;
use crate::store::Store;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MyCounts {
    pub today: Tally,
    pub this_week: Tally,
    pub campaign: Option<(Campaign, Tally)>,
}

/// Progress of one target of the team.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetProgress {
    pub target: Target,
    /// Counted by the server at its last answer (accepted records of the whole team).
    pub achieved_on_server: u64,
    /// This phone's records still waiting to be uploaded, inside the target's period.
    pub achieved_waiting: u64,
    pub achieved: u64,
    /// Whole per cent of the target reached, rounded down (may exceed 100; 100 for a target of
    /// 0): `gocua_protocol::format::percent`.
    pub percent: u32,
}

/// Which records to count.
struct Filter<'a> {
    from: NaiveDate,
    to: NaiveDate,
    volunteer: Option<Uuid>,
    /// Only records not yet accepted by the server.
    waiting_only: bool,
    services: &'a [Service],
    areas: &'a AreaTree,
}

fn tally(conn: &Connection, calendar: &Calendar, f: &Filter<'_>) -> Result<Tally> {
    // Days of the deployment's calendar → UTC instants.
    let (start, end) = calendar.day_range(f.from, f.to);
    let volunteer = f.volunteer.map(|v| v.to_string());
    let waiting = if f.waiting_only {
        " AND EXISTS (SELECT 1 FROM outbox o WHERE o.kind = ?4 AND o.record_id = id AND o.state IN ('pending', 'in_flight'))"
    } else {
        " AND ?4 IS NOT NULL"
    };
    let visits = records::load_visits(
        conn,
        &format!("superseded_by IS NULL AND started_at >= ?1 AND started_at < ?2 AND (?3 IS NULL OR volunteer_id = ?3){waiting}"),
        &[&start.timestamp_millis(), &end.timestamp_millis(), &volunteer, &"visit"],
    )?;
    let sessions = records::load::<OutreachSession>(
        conn,
        &format!("held_on BETWEEN ?1 AND ?2 AND (?3 IS NULL OR volunteer_id = ?3){waiting}"),
        &[
            &f.from.to_string(),
            &f.to.to_string(),
            &volunteer,
            &"outreach_session",
        ],
    )?;
    let mut hamlets: HashMap<Uuid, Option<String>> = HashMap::new();
    let mut builder = TallyBuilder::new(f.services);
    for v in &visits {
        let hamlet = match hamlets.entry(v.household_id) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(records::load_household(conn, v.household_id)?.hamlet_code)
            }
        };
        builder.add_visit(v, hamlet.as_deref());
    }
    for s in &sessions {
        builder.add_session(s, f.areas);
    }
    Ok(builder.finish())
}

impl Store {
    /// The deployment's calendar (Vietnam's unless the server said otherwise).
    pub fn calendar(&self) -> Result<Calendar> {
        Ok(self.reference_cache()?.calendar)
    }

    /// Today in the deployment's calendar, whatever zone the phone is set to.
    pub fn today(&self) -> Result<NaiveDate> {
        Ok(self.calendar()?.day_of(self.clock.now()))
    }

    /// The volunteer's own counts for today, this week (Monday to today) and the current campaign.
    pub fn my_counts(&self) -> Result<MyCounts> {
        let profile = self.require_profile()?;
        let cache = self.reference_cache()?;
        let calendar = cache.calendar;
        let today = calendar.day_of(self.clock.now());
        let monday = Calendar::week_start(today);
        self.read(|c| {
            let filter = |from, to| Filter {
                from,
                to,
                volunteer: Some(profile.volunteer_id),
                waiting_only: false,
                services: &cache.services,
                areas: &cache.tree,
            };
            let campaign = match cache.campaign_on(today) {
                Some(camp) => Some((
                    camp.clone(),
                    tally(c, &calendar, &filter(camp.starts_on, camp.ends_on))?,
                )),
                None => None,
            };
            Ok(MyCounts {
                today: tally(c, &calendar, &filter(today, today))?,
                this_week: tally(c, &calendar, &filter(monday, today))?,
                campaign,
            })
        })
    }

    /// The team's targets in a campaign (default: the one running today) with what the server
    /// last counted plus this phone's records still waiting to be uploaded. Distinct counts
    /// (households, hamlets) may over-count by the overlap until the next sync.
    pub fn team_progress(&self, campaign_id: Option<Uuid>) -> Result<Vec<TargetProgress>> {
        let profile = self.require_profile()?;
        let cache = self.reference_cache()?;
        let campaign_id = match campaign_id.or_else(|| {
            cache
                .campaign_on(cache.calendar.day_of(self.clock.now()))
                .map(|c| c.id)
        }) {
            Some(id) => id,
            None => return Ok(Vec::new()),
        };
        if !cache.campaigns.iter().any(|c| c.id == campaign_id) {
            return Err(Error::NotFound {
                kind: "campaign",
                id: campaign_id,
            });
        }
        let calendar = cache.calendar;
        self.read(|c| {
            let mut out = Vec::new();
            for target in cache
                .targets
                .iter()
                .filter(|t| t.campaign_id == campaign_id && t.team_id == Some(profile.team_id))
            {
                let on_server = cache
                    .achievements
                    .iter()
                    .find(|a| a.target_id == target.id)
                    .map_or(0, |a| a.achieved);
                let waiting = tally(
                    c,
                    &calendar,
                    &Filter {
                        from: target.starts_on,
                        to: target.ends_on,
                        volunteer: None,
                        waiting_only: true,
                        services: &cache.services,
                        areas: &cache.tree,
                    },
                )?
                .get(&target.indicator)
                .unwrap_or(0);
                let achieved = on_server + waiting;
                let percent = format::percent(achieved, target.value);
                out.push(TargetProgress {
                    target: target.clone(),
                    achieved_on_server: on_server,
                    achieved_waiting: waiting,
                    achieved,
                    percent,
                });
            }
            Ok(out)
        })
    }
}
