//! Coverage of a campaign ("độ phủ"): per commune of some teams' areas, and per hamlet of those
//! communes, how many hamlets and households are known, how many a visit in the campaign reached,
//! and how many were last reached before a chosen day (or not at all).
//!
//! What counts, once for the page, its exports and the households list's filter:
//! - a household counts when it is not erased and belongs to one of the teams;
//! - it is *reached* when one of its current (not superseded) visits, by any team, started on a
//!   day of the campaign (the deployment's calendar) — the phones' own rule (`core/src/coverage.rs`);
//! - it is *not reached since D* when no such visit started on D or later: its last visit in the
//!   campaign started before D, or it has none;
//! - a hamlet is *reached* when one of its households is (outreach sessions do not count here:
//!   coverage is about doors).
//!
//! Everything is counted in SQL, grouped by commune and hamlet, so the cost is one probe of the
//! `visits_coverage` index per household in scope, whatever the number of visits.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use gocua_protocol::text::fold;
use gocua_protocol::Campaign;
use uuid::Uuid;

use super::calendar::day_range;
use crate::db::{DbResult, Sql, Value};

/// When the household `h`'s last current visit started within `[?, ?)` (epoch ms, the
/// campaign's instants), or NULL when none did: one probe of the `visits_coverage` index
/// (`household_id, superseded_by, started_at`, schema 9). Reached: not NULL; not reached since
/// an instant: NULL or before it.
const LAST_VISIT: &str = "(SELECT MAX(v.started_at) FROM visits v WHERE v.household_id = h.id
     AND v.superseded_by IS NULL AND v.started_at >= ? AND v.started_at < ?)";

/// The instants a coverage question looks at: the campaign's days, and from the start of the
/// chosen day (never before the campaign's first) to the campaign's end: a household is not
/// reached since the day when its last visit in the campaign started before `since.0`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Windows {
    pub campaign: (i64, i64),
    pub since: (i64, i64),
}

impl Windows {
    pub fn new(campaign: &Campaign, since: NaiveDate) -> Windows {
        let (start, end) = day_range(campaign.starts_on, campaign.ends_on);
        let (since_start, _) = day_range(since, since);
        let (start, end) = (start.timestamp_millis(), end.timestamp_millis());
        Windows {
            campaign: (start, end),
            since: (since_start.timestamp_millis().max(start), end),
        }
    }
}

/// A condition on households `h` for the households list, with its values: "not erased" is the
/// caller's; this adds the hamlet and "not reached since" the coverage page links with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HamletChoice {
    /// Households of this hamlet.
    Hamlet(String),
    /// Households of this commune recorded without a hamlet.
    NoHamlet { commune: String },
}

/// `AND …` conditions on `households h` (and their values, in order): in the hamlet, and/or not
/// reached in the campaign since the day of `windows` (the same rule the counts use).
pub fn household_conditions(
    hamlet: Option<&HamletChoice>,
    not_reached_since: Option<&Windows>,
) -> (String, Vec<Value>) {
    let mut clause = String::new();
    let mut values = Vec::new();
    match hamlet {
        Some(HamletChoice::Hamlet(code)) => {
            clause.push_str(" AND h.hamlet_code = ?");
            values.push(code.into());
        }
        Some(HamletChoice::NoHamlet { commune }) => {
            clause.push_str(" AND h.commune_code = ? AND h.hamlet_code IS NULL");
            values.push(commune.into());
        }
        None => {}
    }
    if let Some(w) = not_reached_since {
        // Campaign instants are after 1970: -1 stands for "no visit".
        clause.push_str(&format!(" AND COALESCE({LAST_VISIT}, -1) < ?"));
        values.extend([w.campaign.0.into(), w.campaign.1.into(), w.since.0.into()]);
    }
    (clause, values)
}

/// The figures of one commune or one hamlet.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Hamlets of the area (a hamlet row: 1 for a known hamlet, 0 for households recorded
    /// without one or with a code that is no hamlet of the commune).
    pub hamlets: u64,
    /// Of those, hamlets with no household reached in the campaign.
    pub hamlets_not_visited: u64,
    /// Households, erased ones left out.
    pub households: u64,
    /// Of those, households reached in the campaign.
    pub reached: u64,
    /// Of those, households with no visit in the campaign on or after the chosen day.
    pub not_reached_since: u64,
}

impl Counts {
    pub fn hamlets_reached(&self) -> u64 {
        self.hamlets - self.hamlets_not_visited
    }

    fn add(&mut self, other: &Counts) {
        self.hamlets += other.hamlets;
        self.hamlets_not_visited += other.hamlets_not_visited;
        self.households += other.households;
        self.reached += other.reached;
        self.not_reached_since += other.not_reached_since;
    }
}

/// A hamlet of a commune, or the commune's households recorded without a known hamlet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HamletCoverage {
    /// The hamlet's code; `None` for households recorded without a hamlet.
    pub code: Option<String>,
    /// The hamlet's name (its code when it is no area we know).
    pub name: String,
    /// A hamlet of the commune in the area list (false for a code we do not know there).
    pub known: bool,
    pub counts: Counts,
}

impl HamletCoverage {
    /// A known hamlet none of whose households was reached in the campaign.
    pub fn not_visited(&self) -> bool {
        self.known && self.counts.reached == 0
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommuneCoverage {
    pub code: String,
    pub name: String,
    /// The commune's figures: the sum of its hamlets' rows.
    pub counts: Counts,
    /// Known hamlets not visited first (by name), then the others by name, then households
    /// without a known hamlet.
    pub hamlets: Vec<HamletCoverage>,
}

/// Coverage of a campaign in some teams' communes, by commune (sorted by name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    pub since: NaiveDate,
    pub communes: Vec<CommuneCoverage>,
}

impl Coverage {
    /// The sum over every commune.
    pub fn total(&self) -> Counts {
        let mut c = Counts::default();
        for commune in &self.communes {
            c.add(&commune.counts);
        }
        c
    }
}

fn marks(n: usize) -> String {
    if n == 0 {
        // `IN ()` is not SQL; a list that matches nothing is.
        "NULL".to_owned()
    } else {
        vec!["?"; n].join(", ")
    }
}

/// Coverage of `campaign` by `teams` (their areas' communes and their households), households
/// counted as not reached since `since`. With `commune`, only that commune (nothing when it is
/// none of the teams' communes and holds none of their households).
pub fn coverage(
    sql: &mut dyn Sql,
    campaign: &Campaign,
    teams: &[Uuid],
    since: NaiveDate,
    commune: Option<&str>,
) -> DbResult<Coverage> {
    let windows = Windows::new(campaign, since);
    let team_values: Vec<Value> = teams.iter().map(|t| Value::from(*t)).collect();
    let team_marks = marks(teams.len());

    // Households by commune and hamlet.
    let mut values: Vec<Value> = vec![windows.campaign.0.into(), windows.campaign.1.into()];
    values.extend(team_values.iter().cloned());
    let mut only_commune = String::new();
    if let Some(c) = commune {
        only_commune.push_str(" AND h.commune_code = ?");
        values.push(c.into());
    }
    values.push(windows.since.0.into());
    let groups = sql.query(
        &format!(
            // MATERIALIZED: PostgreSQL would otherwise inline `last_at` into each SUM and
            // probe the visits once per use (SQLite and PostgreSQL 12+ both take the hint).
            "WITH x AS MATERIALIZED (
                 SELECT h.commune_code, h.hamlet_code, {LAST_VISIT} AS last_at
                 FROM households h
                 WHERE h.erased = 0 AND h.team_id IN ({team_marks}){only_commune})
             SELECT commune_code, hamlet_code, COUNT(*),
                    CAST(SUM(CASE WHEN last_at IS NULL THEN 0 ELSE 1 END) AS BIGINT),
                    CAST(SUM(CASE WHEN last_at IS NULL OR last_at < ? THEN 1 ELSE 0 END) AS BIGINT)
             FROM x GROUP BY commune_code, hamlet_code"
        ),
        &values,
    )?;

    // The communes of the teams' areas: communes at or below an area, the commune above a hamlet.
    let mut values = team_values.clone();
    values.extend(team_values.iter().cloned());
    let mut communes: HashSet<String> = sql
        .query(
            &format!(
                "WITH RECURSIVE down(code, level) AS (
                     SELECT a.code, a.level FROM areas a JOIN team_areas t ON t.area_code = a.code
                            WHERE t.team_id IN ({team_marks})
                     UNION SELECT a.code, a.level FROM areas a JOIN down d ON a.parent_code = d.code
                           WHERE d.level <> 'commune' AND d.level <> 'hamlet')
                 SELECT code FROM down WHERE level = 'commune'
                 UNION SELECT a.parent_code FROM areas a JOIN team_areas t ON t.area_code = a.code
                       WHERE t.team_id IN ({team_marks}) AND a.level = 'hamlet'
                             AND a.parent_code IS NOT NULL"
            ),
            &values,
        )?
        .iter()
        .map(|r| r.text(0))
        .collect();
    if let Some(c) = commune {
        communes.retain(|code| code == c);
    }
    for g in &groups {
        communes.insert(g.text(0));
    }
    let mut communes: Vec<String> = communes.into_iter().collect();
    communes.sort();

    // Names of the communes, their hamlets, and any other hamlet code households carry.
    let mut names: HashMap<String, String> = HashMap::new();
    let mut hamlets_of: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    if !communes.is_empty() {
        let list: Vec<Value> = communes.iter().map(Value::from).collect();
        let m = marks(communes.len());
        for r in sql.query(
            &format!("SELECT code, name FROM areas WHERE code IN ({m})"),
            &list,
        )? {
            names.insert(r.text(0), r.text(1));
        }
        for r in sql.query(
            &format!(
                "SELECT code, name, parent_code FROM areas
                 WHERE level = 'hamlet' AND parent_code IN ({m})"
            ),
            &list,
        )? {
            hamlets_of
                .entry(r.text(2))
                .or_default()
                .push((r.text(0), r.text(1)));
        }
    }
    let stray: Vec<String> = groups
        .iter()
        .filter_map(|g| g.opt_text(1))
        .filter(|h| !names.contains_key(h))
        .collect();
    if !stray.is_empty() {
        let list: Vec<Value> = stray.iter().map(Value::from).collect();
        for r in sql.query(
            &format!(
                "SELECT code, name FROM areas WHERE code IN ({})",
                marks(stray.len())
            ),
            &list,
        )? {
            names.insert(r.text(0), r.text(1));
        }
    }

    // Per commune, its households' figures by hamlet code (None: recorded without one).
    let mut by_commune: HashMap<String, HashMap<Option<String>, Counts>> = HashMap::new();
    for g in &groups {
        by_commune.entry(g.text(0)).or_default().insert(
            g.opt_text(1),
            Counts {
                hamlets: 0,
                hamlets_not_visited: 0,
                households: g.int(2).max(0) as u64,
                reached: g.int(3).max(0) as u64,
                not_reached_since: g.int(4).max(0) as u64,
            },
        );
    }

    let mut out = Vec::with_capacity(communes.len());
    for code in communes {
        let mut groups = by_commune.remove(&code).unwrap_or_default();
        let mut rows: Vec<HamletCoverage> = Vec::new();
        for (hamlet, name) in hamlets_of.remove(&code).unwrap_or_default() {
            let mut counts = groups.remove(&Some(hamlet.clone())).unwrap_or_default();
            counts.hamlets = 1;
            counts.hamlets_not_visited = u64::from(counts.reached == 0);
            rows.push(HamletCoverage {
                code: Some(hamlet),
                name,
                known: true,
                counts,
            });
        }
        // What is left: households without a hamlet, or with one that is no hamlet of this commune.
        let mut others: Vec<HamletCoverage> = groups
            .into_iter()
            .map(|(h, counts)| HamletCoverage {
                name: h
                    .as_ref()
                    .map(|h| names.get(h).cloned().unwrap_or_else(|| h.clone()))
                    .unwrap_or_default(),
                code: h,
                known: false,
                counts,
            })
            .collect();
        rows.sort_by_cached_key(|h| (!h.not_visited(), fold(&h.name), h.code.clone()));
        others.sort_by_cached_key(|h| (h.code.is_none(), fold(&h.name), h.code.clone()));
        rows.extend(others);
        let mut counts = Counts::default();
        for h in &rows {
            counts.add(&h.counts);
        }
        out.push(CommuneCoverage {
            name: names.get(&code).cloned().unwrap_or_else(|| code.clone()),
            code,
            counts,
            hamlets: rows,
        });
    }
    out.sort_by_cached_key(|c| (fold(&c.name), c.code.clone()));
    Ok(Coverage {
        since,
        communes: out,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_since_window_never_starts_before_the_campaign() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let campaign = Campaign {
            id: Uuid::nil(),
            name: "K".into(),
            legal_reference: String::new(),
            starts_on: d("2026-03-01"),
            ends_on: d("2026-03-30"),
            peak_windows: vec![],
            report_deadline: d("2026-03-31"),
        };
        let w = Windows::new(&campaign, d("2026-02-01"));
        assert_eq!(w.since, w.campaign);
        let w = Windows::new(&campaign, d("2026-03-10"));
        assert_eq!(w.since.1, w.campaign.1);
        // Nine whole days after the campaign's start.
        assert_eq!(w.since.0 - w.campaign.0, 9 * 86_400_000);
        // A day after the campaign: nothing in the campaign is on or after it.
        let w = Windows::new(&campaign, d("2026-04-05"));
        assert!(w.since.0 >= w.since.1);
    }

    #[test]
    fn conditions_bind_what_they_name() {
        let (c, v) = household_conditions(None, None);
        assert!(c.is_empty() && v.is_empty());
        let w = Windows {
            campaign: (1, 9),
            since: (5, 9),
        };
        let (c, v) = household_conditions(
            Some(&HamletChoice::NoHamlet {
                commune: "28789".into(),
            }),
            Some(&w),
        );
        assert_eq!(c.matches('?').count(), v.len());
        assert!(c.contains("h.hamlet_code IS NULL") && c.contains("MAX(v.started_at)"));
        assert_eq!(v[1..], [Value::Int(1), Value::Int(9), Value::Int(5)]);
    }
}
