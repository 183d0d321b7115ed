//! Progress over time: how a unit's count of each indicator grew day by day over a campaign,
//! against the straight line that reaches the target on the campaign's last day, and where the
//! current pace would end. The overview, the unit pages and the quick report all read it here.
//!
//! The rule:
//! - **Days** are calendar days of the deployment's zone ([`super::calendar`]), both ends of the
//!   campaign included: a campaign from 01/03 to 30/03 has 30 days. The first day is day 1.
//! - **Elapsed days** on `today`: 0 before the first day; today's number while the campaign runs
//!   (today counts as a whole day, although it is not over: what came in today is in the count);
//!   every day of the campaign once it has ended.
//! - **The count** at the end of day `d` is what days 1 to `d` added in the rollup (`rollup_days`:
//!   per team and day of receipt, what the day added to the team's campaign tally, so a household
//!   or a hamlet counts once, on the day it was first reached). The records are never recounted.
//!   A unit's count is the sum over the teams of its subtree (their areas do not overlap).
//! - **The target** is the unit's: for each team of the subtree its whole-campaign target for the
//!   indicator (the largest one set), summed ([`team_targets`], [`subtree_targets`]).
//! - **The pace** (the straight line) expects `target × d ÷ campaign days` at the end of day `d`:
//!   nothing before the first day, the whole target on the last.
//! - **The projection** at the current pace is `count ÷ elapsed days × campaign days`, rounded
//!   down; once the campaign has ended it is the final count.
//! - **The verdict**, the first that applies: *no target* (none set, or 0 — as
//!   `share_of_target` reads a target of 0); *reached* (count ≥ target, whenever); *not started*
//!   (no day elapsed); *on pace* (projection ≥ target); *will miss* (projection < target; after
//!   the end, missed). The comparison is exact (`count × days < target × elapsed`), so a rounded
//!   projection never contradicts its verdict.

use std::collections::{BTreeMap, HashMap};

use chrono::{Duration, NaiveDate};
use gocua_protocol::*;
use uuid::Uuid;

use crate::db::{DbResult, Sql, Value};
use crate::domain::rollup::{tally_from_row, SUMS};
use crate::params;

/// The indicators a unit's progress is shown and reported by, in the order of the seed letter.
pub const INDICATORS: [Indicator; 8] = [
    Indicator::Sessions,
    Indicator::PeopleReached,
    Indicator::HouseholdsVisited,
    Indicator::ServicesSupported,
    Indicator::ServicesToanTrinh,
    Indicator::ServicesLevel4,
    Indicator::VneidActivations,
    Indicator::HamletsCovered,
];

/// The campaign's days as seen on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeline {
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub today: NaiveDate,
    /// Days of the campaign, both ends included (at least 1).
    pub campaign_days: u32,
    /// Days of the campaign up to and including today (0 before it starts).
    pub elapsed_days: u32,
}

impl Timeline {
    pub fn new(starts_on: NaiveDate, ends_on: NaiveDate, today: NaiveDate) -> Timeline {
        let ends_on = ends_on.max(starts_on);
        let campaign_days = ((ends_on - starts_on).num_days() + 1) as u32;
        let elapsed_days =
            ((today - starts_on).num_days() + 1).clamp(0, campaign_days as i64) as u32;
        Timeline {
            starts_on,
            ends_on,
            today,
            campaign_days,
            elapsed_days,
        }
    }

    /// The date of day `n` (day 1 is the first day).
    pub fn day(&self, n: u32) -> NaiveDate {
        self.starts_on + Duration::days(i64::from(n.max(1)) - 1)
    }

    pub fn started(&self) -> bool {
        self.elapsed_days > 0
    }

    pub fn ended(&self) -> bool {
        self.today > self.ends_on
    }

    /// The last day counted: today while the campaign runs, its last day after it.
    pub fn counted_until(&self) -> NaiveDate {
        self.today.min(self.ends_on)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    NoTarget,
    Reached,
    NotStarted,
    OnPace,
    WillMiss,
}

/// One indicator of a unit over the campaign.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorPace {
    pub indicator: Indicator,
    /// The target as set (a target of 0 is kept here and read as none by the verdict).
    pub target: Option<u64>,
    /// The count at the end of each elapsed day, day 1 first (`elapsed_days` values).
    pub cumulative: Vec<u64>,
    /// At the current pace by the campaign's last day; `None` before it starts.
    pub projection: Option<u64>,
    pub verdict: Verdict,
}

impl IndicatorPace {
    /// The count so far (at the end of today, or of the campaign's last day).
    pub fn count(&self) -> u64 {
        self.cumulative.last().copied().unwrap_or(0)
    }

    /// A target other than 0.
    pub fn real_target(&self) -> Option<u64> {
        self.target.filter(|t| *t > 0)
    }

    /// What the straight line expects at the end of day `day` (rounded down).
    pub fn pace_at(&self, timeline: &Timeline, day: u32) -> u64 {
        let target = self.real_target().unwrap_or(0);
        let day = day.min(timeline.campaign_days);
        (u128::from(target) * u128::from(day) / u128::from(timeline.campaign_days)) as u64
    }
}

/// A unit's progress over time in one campaign.
#[derive(Debug, Clone, PartialEq)]
pub struct Pace {
    pub timeline: Timeline,
    /// In [`INDICATORS`] order.
    pub indicators: Vec<IndicatorPace>,
}

impl Pace {
    /// The indicators that will miss (or, after the end, missed) their target.
    pub fn missing(&self) -> impl Iterator<Item = &IndicatorPace> {
        self.indicators
            .iter()
            .filter(|i| i.verdict == Verdict::WillMiss)
    }

    /// The indicators with a target (other than 0).
    pub fn targeted(&self) -> impl Iterator<Item = &IndicatorPace> {
        self.indicators.iter().filter(|i| i.real_target().is_some())
    }
}

/// The rule itself, over what the rollup gave: `days` are the daily increments of the unit
/// (days outside the campaign or after today are ignored; missing days added nothing), `target`
/// the unit's target of an indicator.
pub fn compute(
    timeline: Timeline,
    days: &[(NaiveDate, Tally)],
    target: impl Fn(&Indicator) -> Option<u64>,
) -> Pace {
    let elapsed = timeline.elapsed_days as usize;
    // Per elapsed day, the increment (index 0 is day 1).
    let mut added: Vec<Tally> = vec![Tally::default(); elapsed];
    for (day, tally) in days {
        let n = (*day - timeline.starts_on).num_days();
        if n >= 0 && (n as usize) < elapsed {
            added[n as usize] = added[n as usize].plus(tally);
        }
    }
    let indicators = INDICATORS
        .iter()
        .map(|indicator| {
            let mut sum = 0u64;
            let cumulative: Vec<u64> = added
                .iter()
                .map(|t| {
                    sum += t.get(indicator).unwrap_or(0);
                    sum
                })
                .collect();
            let count = sum;
            let projection = timeline.started().then(|| {
                (u128::from(count) * u128::from(timeline.campaign_days)
                    / u128::from(timeline.elapsed_days)) as u64
            });
            let target = target(indicator);
            let verdict = match target.filter(|t| *t > 0) {
                None => Verdict::NoTarget,
                Some(t) if count >= t => Verdict::Reached,
                Some(_) if !timeline.started() => Verdict::NotStarted,
                Some(t)
                    if u128::from(count) * u128::from(timeline.campaign_days)
                        < u128::from(t) * u128::from(timeline.elapsed_days) =>
                {
                    Verdict::WillMiss
                }
                Some(_) => Verdict::OnPace,
            };
            IndicatorPace {
                indicator: indicator.clone(),
                target,
                cumulative,
                projection,
                verdict,
            }
        })
        .collect();
    Pace {
        timeline,
        indicators,
    }
}

/// Targets per team and indicator (`Indicator::as_str`) for a campaign: the largest value set
/// for the indicator.
pub type Targets = HashMap<Uuid, HashMap<String, u64>>;

pub fn team_targets(sql: &mut dyn Sql, campaign_id: Uuid) -> DbResult<Targets> {
    let mut out: Targets = HashMap::new();
    for r in sql.query(
        "SELECT team_id, indicator, body FROM targets WHERE campaign_id = ? AND team_id IS NOT NULL",
        params![campaign_id],
    )? {
        let t: Target = r.json(2)?;
        let slot = out.entry(r.uuid(0)?).or_default().entry(r.text(1)).or_insert(0);
        *slot = (*slot).max(t.value);
    }
    Ok(out)
}

/// A unit's targets: its teams' targets summed per indicator.
pub fn subtree_targets(targets: &Targets, teams: &[Uuid]) -> HashMap<String, u64> {
    let mut out = HashMap::new();
    for team in teams {
        for (k, v) in targets.get(team).into_iter().flatten() {
            *out.entry(k.clone()).or_insert(0) += v;
        }
    }
    out
}

/// Teams per `IN (…)` list: well under SQLite's and PostgreSQL's limits on parameters.
const TEAMS_PER_QUERY: usize = 500;

/// The daily increments of some teams (all of the campaign's with `None`) from the first day to
/// the last counted day, read from the rollup, summed per day.
pub fn daily_increments(
    sql: &mut dyn Sql,
    campaign_id: Uuid,
    timeline: &Timeline,
    teams: Option<&[Uuid]>,
) -> DbResult<Vec<(NaiveDate, Tally)>> {
    if !timeline.started() {
        return Ok(Vec::new());
    }
    let base: Vec<Value> = vec![
        campaign_id.into(),
        timeline.starts_on.into(),
        timeline.counted_until().into(),
    ];
    let mut by_day: BTreeMap<NaiveDate, Tally> = BTreeMap::new();
    let mut read = |clause: String, values: Vec<Value>| -> DbResult<()> {
        for r in sql.query(
            &format!(
                "SELECT day, {SUMS} FROM rollup_days WHERE campaign_id = ? AND day >= ? AND day <= ?{clause} GROUP BY day"
            ),
            &values,
        )? {
            let Ok(day) = NaiveDate::parse_from_str(&r.text(0), "%Y-%m-%d") else {
                continue;
            };
            let slot = by_day.entry(day).or_default();
            *slot = slot.plus(&tally_from_row(&r, 1));
        }
        Ok(())
    };
    match teams {
        None => read(String::new(), base)?,
        Some(teams) => {
            for chunk in teams.chunks(TEAMS_PER_QUERY) {
                let marks = vec!["?"; chunk.len()].join(", ");
                let mut values = base.clone();
                values.extend(chunk.iter().map(|t| Value::from(*t)));
                read(format!(" AND team_id IN ({marks})"), values)?;
            }
        }
    }
    Ok(by_day.into_iter().collect())
}

/// A unit's progress over time: `teams` its subtree's teams (`None`: every team of the
/// campaign), `target` its targets per indicator.
pub fn load(
    sql: &mut dyn Sql,
    campaign: &Campaign,
    teams: Option<&[Uuid]>,
    target: impl Fn(&Indicator) -> Option<u64>,
    today: NaiveDate,
) -> DbResult<Pace> {
    let timeline = Timeline::new(campaign.starts_on, campaign.ends_on, today);
    let days = daily_increments(sql, campaign.id, &timeline, teams)?;
    Ok(compute(timeline, &days, target))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    /// A tally with `households` households visited and `sessions` sessions.
    fn t(households: u64, sessions: u64) -> Tally {
        Tally {
            households_visited: households,
            sessions,
            ..Tally::default()
        }
    }

    fn of<'a>(p: &'a Pace, i: &Indicator) -> &'a IndicatorPace {
        p.indicators.iter().find(|x| &x.indicator == i).unwrap()
    }

    fn targets(
        households: Option<u64>,
        sessions: Option<u64>,
    ) -> impl Fn(&Indicator) -> Option<u64> {
        move |i| match i {
            Indicator::HouseholdsVisited => households,
            Indicator::Sessions => sessions,
            _ => None,
        }
    }

    #[test]
    fn days_count_from_one_and_include_both_ends() {
        // 01/03 … 30/03: 30 days.
        let t = Timeline::new(d(3, 1), d(3, 30), d(3, 1));
        assert_eq!((t.campaign_days, t.elapsed_days), (30, 1));
        assert_eq!(t.day(1), d(3, 1));
        assert_eq!(t.day(30), d(3, 30));
        assert_eq!(Timeline::new(d(3, 1), d(3, 30), d(3, 10)).elapsed_days, 10);
        assert_eq!(Timeline::new(d(3, 1), d(3, 30), d(3, 30)).elapsed_days, 30);
        let before = Timeline::new(d(3, 1), d(3, 30), d(2, 27));
        assert_eq!(before.elapsed_days, 0);
        assert!(!before.started() && !before.ended());
        let after = Timeline::new(d(3, 1), d(3, 30), d(4, 15));
        assert_eq!(after.elapsed_days, 30);
        assert!(after.ended());
        assert_eq!(after.counted_until(), d(3, 30));
        // A one-day campaign.
        assert_eq!(Timeline::new(d(3, 1), d(3, 1), d(3, 1)).campaign_days, 1);
    }

    #[test]
    fn running_campaign_with_a_day_of_nothing() {
        // 30 days, today is day 10. Households: 100 on day 1, nothing on day 2, 50 on day 3,
        // 150 on day 10 → 300 after 10 days. Projection 300 ÷ 10 × 30 = 900 < 1,000: will miss.
        // Pace expects 1,000 × 10 ÷ 30 = 333 by today.
        let timeline = Timeline::new(d(3, 1), d(3, 30), d(3, 10));
        let days = [
            (d(3, 1), t(100, 1)),
            (d(3, 3), t(50, 0)),
            (d(3, 10), t(150, 2)),
        ];
        let p = compute(timeline, &days, targets(Some(1_000), Some(9)));
        let h = of(&p, &Indicator::HouseholdsVisited);
        assert_eq!(
            h.cumulative,
            [100, 100, 150, 150, 150, 150, 150, 150, 150, 300]
        );
        assert_eq!(h.count(), 300);
        assert_eq!(h.projection, Some(900));
        assert_eq!(h.verdict, Verdict::WillMiss);
        assert_eq!(h.pace_at(&timeline, 10), 333);
        assert_eq!(h.pace_at(&timeline, 30), 1_000);
        assert_eq!(h.pace_at(&timeline, 0), 0);
        // Sessions: 3 in 10 days → 9 by the end: exactly on pace.
        let s = of(&p, &Indicator::Sessions);
        assert_eq!((s.count(), s.projection), (3, Some(9)));
        assert_eq!(s.verdict, Verdict::OnPace);
        assert_eq!(
            p.missing().map(|i| &i.indicator).collect::<Vec<_>>(),
            [&Indicator::HouseholdsVisited]
        );
        // No target for the others, whatever they count.
        assert_eq!(
            of(&p, &Indicator::VneidActivations).verdict,
            Verdict::NoTarget
        );
        assert_eq!(p.targeted().count(), 2);
    }

    #[test]
    fn projection_rounds_down_but_the_verdict_is_exact() {
        // 7 in 3 days of 10 → 23.33…: projection 23; a target of 23 is on pace, 24 is missed.
        let timeline = Timeline::new(d(3, 1), d(3, 10), d(3, 3));
        let days = [(d(3, 2), t(7, 0))];
        let p = compute(timeline, &days, targets(Some(23), Some(24)));
        assert_eq!(of(&p, &Indicator::HouseholdsVisited).projection, Some(23));
        assert_eq!(
            of(&p, &Indicator::HouseholdsVisited).verdict,
            Verdict::OnPace
        );
        let p = compute(timeline, &days, targets(Some(24), None));
        assert_eq!(
            of(&p, &Indicator::HouseholdsVisited).verdict,
            Verdict::WillMiss
        );
    }

    #[test]
    fn campaign_not_started() {
        let timeline = Timeline::new(d(3, 1), d(3, 30), d(2, 20));
        let p = compute(timeline, &[(d(3, 1), t(5, 0))], targets(Some(100), None));
        let h = of(&p, &Indicator::HouseholdsVisited);
        assert!(h.cumulative.is_empty());
        assert_eq!((h.count(), h.projection), (0, None));
        assert_eq!(h.verdict, Verdict::NotStarted);
        assert_eq!(p.missing().count(), 0);
    }

    #[test]
    fn campaign_ended() {
        // 10 days, over: 80 households in all (one row after the end is ignored). Final count
        // 80 < 100: missed; sessions 12 ≥ 10: reached.
        let timeline = Timeline::new(d(3, 1), d(3, 10), d(5, 1));
        let days = [
            (d(3, 1), t(30, 4)),
            (d(3, 10), t(50, 8)),
            (d(3, 11), t(999, 0)),
        ];
        let p = compute(timeline, &days, targets(Some(100), Some(10)));
        let h = of(&p, &Indicator::HouseholdsVisited);
        assert_eq!(h.cumulative.len(), 10);
        assert_eq!((h.count(), h.projection), (80, Some(80)));
        assert_eq!(h.verdict, Verdict::WillMiss);
        assert_eq!(of(&p, &Indicator::Sessions).verdict, Verdict::Reached);
    }

    #[test]
    fn target_of_zero_and_no_target() {
        let timeline = Timeline::new(d(3, 1), d(3, 30), d(3, 5));
        let p = compute(timeline, &[(d(3, 2), t(4, 0))], targets(Some(0), None));
        let h = of(&p, &Indicator::HouseholdsVisited);
        assert_eq!(h.target, Some(0));
        assert_eq!(h.real_target(), None);
        assert_eq!(h.verdict, Verdict::NoTarget);
        assert_eq!(h.projection, Some(24));
        assert_eq!(h.pace_at(&timeline, 30), 0);
        assert_eq!(of(&p, &Indicator::Sessions).verdict, Verdict::NoTarget);
        assert_eq!(p.targeted().count(), 0);
    }

    #[test]
    fn reached_early_is_reached_even_before_the_pace_says_so() {
        let timeline = Timeline::new(d(3, 1), d(3, 30), d(3, 2));
        let p = compute(timeline, &[(d(3, 1), t(40, 0))], targets(Some(40), None));
        assert_eq!(
            of(&p, &Indicator::HouseholdsVisited).verdict,
            Verdict::Reached
        );
    }

    #[test]
    fn subtree_targets_sum_the_teams() {
        let (a, b, c) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        let mut all: Targets = HashMap::new();
        all.insert(a, HashMap::from([("sessions".to_owned(), 4)]));
        all.insert(
            b,
            HashMap::from([
                ("sessions".to_owned(), 6),
                ("hamlets_covered".to_owned(), 2),
            ]),
        );
        all.insert(c, HashMap::from([("sessions".to_owned(), 100)]));
        let sum = subtree_targets(&all, &[a, b]);
        assert_eq!(sum.get("sessions"), Some(&10));
        assert_eq!(sum.get("hamlets_covered"), Some(&2));
    }

    #[test]
    fn increments_are_read_from_the_rollup_per_day() {
        let dir = tempfile::tempdir().unwrap();
        let db =
            crate::domain::open::open_database(dir.path().join("t.db").to_str().unwrap()).unwrap();
        let campaign = Uuid::from_u128(7);
        let (a, b, other) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        db.tx(|sql| {
            for (team, day, households) in [
                (a, "2026-03-01", 3),
                (b, "2026-03-01", 4),
                (a, "2026-03-03", 5),
                (other, "2026-03-03", 100),
                (a, "2026-03-20", 7), // after today
            ] {
                sql.exec(
                    "INSERT INTO rollup_days(campaign_id, team_id, day, visits, sessions, people_reached, households_visited, services_supported, services_toan_trinh, services_level4, guided_only, vneid_activations, hamlets_covered) VALUES (?, ?, ?, 0, 0, 0, ?, 0, 0, 0, 0, 0, 0)",
                    params![campaign, team, day, households as i64],
                )?;
            }
            Ok::<_, crate::db::DbError>(())
        })
        .unwrap();
        let timeline = Timeline::new(d(3, 1), d(3, 30), d(3, 4));
        let rows = db
            .tx(|sql| daily_increments(sql, campaign, &timeline, Some(&[a, b])))
            .unwrap();
        let got: Vec<(NaiveDate, u64)> = rows
            .iter()
            .map(|(d, t)| (*d, t.households_visited))
            .collect();
        assert_eq!(got, [(d(3, 1), 7), (d(3, 3), 5)]);
        let all = db
            .tx(|sql| daily_increments(sql, campaign, &timeline, None))
            .unwrap();
        assert_eq!(all[1].1.households_visited, 105);
        let p = compute(timeline, &rows, targets(Some(60), None));
        assert_eq!(
            of(&p, &Indicator::HouseholdsVisited).cumulative,
            [7, 7, 12, 12]
        );
        // 12 in 4 days of 30 → 90 ≥ 60.
        assert_eq!(
            of(&p, &Indicator::HouseholdsVisited).verdict,
            Verdict::OnPace
        );
    }
}
