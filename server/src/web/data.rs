//! The queries the dashboard's pages and exports share: campaigns and periods, rolled-up
//! progress per team, targets, and sums up the organisation tree.

use std::collections::HashMap;

use chrono::NaiveDate;
use gocua_protocol::*;
use uuid::Uuid;

use super::i18n::Lang;
use super::scope::OrgTree;
use crate::db::Sql;
use crate::domain::rollup::{tally_from_row, SUMS};
use crate::params;
use crate::web::error::WebError;

/// The indicators on the overview, in the order the seed letter reports them (the domain's list).
pub use crate::domain::pace::INDICATORS as OVERVIEW_INDICATORS;

pub fn indicator_label(lang: Lang, i: &Indicator) -> String {
    lang.pick_owned(i.label_vi(), i.label_en())
}

pub fn campaigns(sql: &mut dyn Sql) -> Result<Vec<Campaign>, WebError> {
    let mut out = crate::domain::rollup::load_campaigns(sql)?;
    out.sort_by(|a, b| b.starts_on.cmp(&a.starts_on).then(a.name.cmp(&b.name)));
    Ok(out)
}

/// The campaign asked for, else the one running today, else the latest.
pub fn pick_campaign(list: &[Campaign], asked: Option<Uuid>, today: NaiveDate) -> Option<Campaign> {
    if let Some(id) = asked {
        if let Some(c) = list.iter().find(|c| c.id == id) {
            return Some(c.clone());
        }
    }
    list.iter()
        .find(|c| c.starts_on <= today && today <= c.ends_on)
        .or_else(|| list.first())
        .cloned()
}

/// A period inside a campaign: the whole of it, one of its peak windows, or chosen dates.
#[derive(Debug, Clone, PartialEq)]
pub struct Period {
    /// `all`, `peak0`, `peak1`, … or `custom`.
    pub key: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub label: String,
}

impl Period {
    pub fn whole(&self) -> bool {
        self.key == "all"
    }
}

pub fn period(
    lang: Lang,
    campaign: &Campaign,
    key: Option<&str>,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<Period, WebError> {
    let key = key.unwrap_or("all");
    let whole = Period {
        key: "all".into(),
        from: campaign.starts_on,
        to: campaign.ends_on,
        label: lang.pick_owned("Cả kế hoạch", "Whole campaign"),
    };
    if let Some(i) = key
        .strip_prefix("peak")
        .and_then(|n| n.parse::<usize>().ok())
    {
        return Ok(match campaign.peak_windows.get(i) {
            Some(w) => Period {
                key: key.into(),
                from: w.starts_on,
                to: w.ends_on,
                label: format!(
                    "{} ({} – {})",
                    w.name,
                    super::i18n::date(w.starts_on),
                    super::i18n::date(w.ends_on)
                ),
            },
            None => whole,
        });
    }
    if key == "custom" {
        let parse = |raw: Option<&str>, vi: &str, en: &str| -> Result<NaiveDate, WebError> {
            let raw = raw.unwrap_or("").trim();
            NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| {
                WebError::bad_input(
                    format!("{vi} \"{raw}\" không phải là ngày hợp lệ (năm-tháng-ngày)."),
                    format!("{en} \"{raw}\" is not a valid date (year-month-day)."),
                )
            })
        };
        let from = parse(from, "Ngày bắt đầu", "The start date")?;
        let to = parse(to, "Ngày kết thúc", "The end date")?;
        if to < from {
            return Err(WebError::bad_input(
                "Ngày kết thúc phải sau ngày bắt đầu.",
                "The end date must not be before the start date.",
            ));
        }
        let from = from.max(campaign.starts_on);
        let to = to.min(campaign.ends_on);
        return Ok(Period {
            key: "custom".into(),
            from,
            to,
            label: format!("{} – {}", super::i18n::date(from), super::i18n::date(to)),
        });
    }
    Ok(whole)
}

/// Rolled-up progress per team for a campaign and period. With `teams`, only those (a short
/// list is asked for by id; a long one is filtered after one grouped scan).
pub fn team_sums(
    sql: &mut dyn Sql,
    campaign_id: Uuid,
    period: &Period,
    teams: Option<&[Uuid]>,
) -> Result<HashMap<Uuid, Tally>, WebError> {
    // The whole campaign is one stored row per team; a part of it sums that part's days.
    let (table, mut clause, mut values): (&str, String, Vec<crate::db::Value>) = if period.whole() {
        (
            "rollup_totals",
            "campaign_id = ?".into(),
            vec![campaign_id.into()],
        )
    } else {
        (
            "rollup_days",
            "campaign_id = ? AND day >= ? AND day <= ?".into(),
            vec![
                campaign_id.into(),
                period.from.to_string().into(),
                period.to.to_string().into(),
            ],
        )
    };
    if let Some(list) = teams.filter(|l| l.len() <= 200) {
        if list.is_empty() {
            return Ok(HashMap::new());
        }
        let (marks, ids) = in_list(list);
        clause.push_str(&format!(" AND team_id IN ({marks})"));
        values.extend(ids);
    }
    let rows = sql.query(
        &format!("SELECT team_id, {SUMS} FROM {table} WHERE {clause} GROUP BY team_id"),
        &values,
    )?;
    let mut out = HashMap::with_capacity(rows.len());
    for r in rows {
        out.insert(r.uuid(0)?, tally_from_row(&r, 1));
    }
    if let Some(list) = teams.filter(|l| l.len() > 200) {
        let keep: std::collections::HashSet<&Uuid> = list.iter().collect();
        out.retain(|k, _| keep.contains(k));
    }
    Ok(out)
}

/// Targets per team and indicator for a campaign: the largest value set for the indicator.
pub use crate::domain::pace::Targets;

pub fn team_targets(sql: &mut dyn Sql, campaign_id: Uuid) -> Result<Targets, WebError> {
    Ok(crate::domain::pace::team_targets(sql, campaign_id)?)
}

/// Progress and targets of one node of the tree (a unit's subtree or a team).
#[derive(Debug, Clone, Default)]
pub struct NodeProgress {
    pub tally: Tally,
    pub targets: HashMap<String, u64>,
    pub teams: usize,
}

impl NodeProgress {
    pub fn target(&self, i: &Indicator) -> Option<u64> {
        self.targets.get(i.as_str()).copied()
    }

    /// Some teams, summed (teams work in disjoint areas, so distinct counts add up); the
    /// targets as the domain sums them ([`crate::domain::pace::subtree_targets`]).
    fn of_teams(sums: &HashMap<Uuid, Tally>, targets: &Targets, teams: &[Uuid]) -> NodeProgress {
        NodeProgress {
            tally: teams
                .iter()
                .filter_map(|t| sums.get(t))
                .fold(Tally::default(), |sum, t| sum.plus(t)),
            targets: crate::domain::pace::subtree_targets(targets, teams),
            teams: teams.len(),
        }
    }
}

pub fn team_progress(sums: &HashMap<Uuid, Tally>, targets: &Targets, team: Uuid) -> NodeProgress {
    NodeProgress::of_teams(sums, targets, &[team])
}

/// A unit's subtree, summed.
pub fn unit_progress(
    tree: &OrgTree,
    sums: &HashMap<Uuid, Tally>,
    targets: &Targets,
    unit: Uuid,
) -> NodeProgress {
    NodeProgress::of_teams(sums, targets, &tree.subtree_teams(unit))
}

/// `?, ?, …` and the values for an `IN (…)` list of ids.
pub fn in_list(ids: &[Uuid]) -> (String, Vec<crate::db::Value>) {
    let marks = if ids.is_empty() {
        // `IN ()` is not SQL; a list that matches nothing is.
        "NULL".to_owned()
    } else {
        vec!["?"; ids.len()].join(", ")
    };
    (
        marks,
        ids.iter().map(|i| crate::db::Value::from(*i)).collect(),
    )
}

/// The unit a list page is narrowed to (the user's own by default) and its teams, or the
/// refusal when the unit is outside the user's subtree. `team` narrows further to one team.
pub fn scoped_teams(
    tree: &OrgTree,
    scope: Uuid,
    unit: Option<Uuid>,
    team: Option<Uuid>,
) -> Result<Vec<Uuid>, WebError> {
    if let Some(t) = team {
        tree.team_in_scope(t, scope)?;
        return Ok(vec![t]);
    }
    let unit = unit.unwrap_or(scope);
    tree.unit_in_scope(unit, scope)?;
    Ok(tree.subtree_teams(unit))
}

/// Names of areas by code, for the codes asked.
pub fn area_names(
    sql: &mut dyn Sql,
    codes: impl IntoIterator<Item = String>,
) -> Result<HashMap<String, String>, WebError> {
    let mut out = HashMap::new();
    for code in codes {
        if out.contains_key(&code) {
            continue;
        }
        if let Some(r) = sql.query_one(
            "SELECT name FROM areas WHERE code = ?",
            params![code.as_str()],
        )? {
            out.insert(code, r.text(0));
        }
    }
    Ok(out)
}

/// The unit/team filter shared by list pages, as a form fragment.
pub fn unit_filter(
    lang: Lang,
    tree: &OrgTree,
    scope: Uuid,
    unit: Option<Uuid>,
    team: Option<Uuid>,
) -> maud::Markup {
    let mut teams: Vec<_> = tree
        .subtree_teams(scope)
        .into_iter()
        .map(|t| &tree.teams[&t])
        .collect();
    teams.sort_by_key(|t| crate::web::text::sort_key(&t.name));
    let many = teams.len() > 300;
    maud::html! {
        input type="hidden" name="unit" value=[unit];
        @if !many {
            label { (lang.pick("Đội", "Team"))
                select name="team" {
                    option value="" { (lang.pick("Tất cả đội", "All teams")) }
                    @for t in &teams { option value=(t.id) selected[Some(t.id) == team] { (t.name) } }
                }
            }
        }
    }
}
