//! Campaigns (kế hoạch) with their peak windows, and the targets set to each team. Creating and
//! editing check a campaign the same way ([`check_campaign`]); both recount its rollup rows.

use chrono::NaiveDate;
use gocua_protocol::*;
use uuid::Uuid;

use super::error::{AdminError, AdminResult};
use super::input::{check_name, parse_indicator, MAX_NAME_CHARS};
use super::teams::active_team;
use crate::db::Sql;
use crate::domain::{format, refdata};
use crate::params;

/// A campaign to create; `id` is made up when absent.
#[derive(Debug, Clone)]
pub struct NewCampaign {
    pub id: Option<Uuid>,
    pub name: String,
    pub legal_reference: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub report_deadline: NaiveDate,
    pub peak_windows: Vec<PeakWindow>,
}

/// The longest legal reference ("241-KH/TĐTN-TCKT" and the like) a campaign may carry.
pub const MAX_REFERENCE_CHARS: usize = 120;

/// Refuses a campaign day (its end, its report deadline) before the campaign starts.
fn not_before_start(
    code: &'static str,
    (what_vi, what_en): (&str, &str),
    day: NaiveDate,
    start: NaiveDate,
) -> AdminResult<()> {
    if day >= start {
        return Ok(());
    }
    Err(AdminError::refused(
        code,
        format!(
            "{what_vi} ({}) trước ngày bắt đầu ({}).",
            format::date(day),
            format::date(start)
        ),
        format!("{what_en} ({day}) is before the start date ({start})."),
    ))
}

/// A campaign as it will be stored, or the first rule it breaks: a name, a reference of at most
/// [`MAX_REFERENCE_CHARS`], the end and the report deadline not before the start, each peak
/// window named, in order and inside the campaign. Creating and editing both go through it.
pub fn check_campaign(c: &NewCampaign) -> AdminResult<Campaign> {
    let name = check_name("tên kế hoạch", "The campaign name", &c.name)
        .map_err(|e| e.with_code("bad_name"))?;
    let legal_reference = c
        .legal_reference
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if legal_reference.chars().count() > MAX_REFERENCE_CHARS {
        return Err(AdminError::refused(
            "reference_too_long",
            format!("Số kế hoạch quá dài (tối đa {MAX_REFERENCE_CHARS} ký tự)."),
            format!("The legal reference is too long (at most {MAX_REFERENCE_CHARS} characters)."),
        ));
    }
    not_before_start(
        "end_before_start",
        ("Ngày kết thúc", "The end date"),
        c.ends_on,
        c.starts_on,
    )?;
    not_before_start(
        "deadline_before_start",
        ("Hạn báo cáo", "The report deadline"),
        c.report_deadline,
        c.starts_on,
    )?;
    let mut peak_windows = Vec::with_capacity(c.peak_windows.len());
    for w in &c.peak_windows {
        let name = w.name.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() || name.chars().count() > MAX_NAME_CHARS || w.ends_on < w.starts_on {
            return Err(AdminError::refused(
                "bad_peak_window",
                format!("Đợt cao điểm \"{name}\" ({} – {}) cần có tên (tối đa {MAX_NAME_CHARS} ký tự) và không kết thúc trước khi bắt đầu.", format::date(w.starts_on), format::date(w.ends_on)),
                format!("Peak window \"{name}\" ({} to {}) needs a name (at most {MAX_NAME_CHARS} characters) and cannot end before it starts.", w.starts_on, w.ends_on),
            ));
        }
        if w.starts_on < c.starts_on || w.ends_on > c.ends_on {
            return Err(AdminError::refused(
                "peak_outside_campaign",
                format!("Đợt cao điểm \"{name}\" ({} – {}) phải nằm trong thời gian của kế hoạch ({} – {}).", format::date(w.starts_on), format::date(w.ends_on), format::date(c.starts_on), format::date(c.ends_on)),
                format!("Peak window \"{name}\" ({} to {}) must lie within the campaign ({} to {}).", w.starts_on, w.ends_on, c.starts_on, c.ends_on),
            ));
        }
        peak_windows.push(PeakWindow {
            name,
            starts_on: w.starts_on,
            ends_on: w.ends_on,
        });
    }
    Ok(Campaign {
        id: c.id.unwrap_or_else(Uuid::now_v7),
        name,
        legal_reference,
        starts_on: c.starts_on,
        ends_on: c.ends_on,
        peak_windows,
        report_deadline: c.report_deadline,
    })
}

/// Creates a campaign (or rewrites the one with the same id) and counts the records already
/// received into its rollup rows.
pub fn create_campaign(sql: &mut dyn Sql, c: &NewCampaign) -> AdminResult<Campaign> {
    let campaign = check_campaign(c)?;
    let counted_with = refdata::current_seq(sql)?;
    refdata::upsert_campaign(sql, &campaign)?;
    // Records already received may fall in the new campaign's dates.
    crate::domain::rollup::rebuild_campaign(sql, &campaign, counted_with)?;
    Ok(campaign)
}

pub fn load_campaign(sql: &mut dyn Sql, id: Uuid) -> AdminResult<Campaign> {
    super::load_body(sql, "campaigns", id, ("kế hoạch", "campaign"))
}

pub fn list_campaigns(sql: &mut dyn Sql) -> AdminResult<Vec<Campaign>> {
    let mut out: Vec<Campaign> = sql
        .query("SELECT body FROM campaigns", &[])?
        .iter()
        .map(|r| r.json(0))
        .collect::<Result<_, _>>()?;
    out.sort_by_key(|c| (c.starts_on, c.id));
    Ok(out)
}

/// The largest target a coordinator may set (the targets form, the bulk sheet, the terminal).
pub const MAX_TARGET: u64 = 10_000_000;
/// What to change in a campaign; `None` keeps the value as it is.
#[derive(Debug, Clone, Default)]
pub struct CampaignEdit {
    pub name: Option<String>,
    pub legal_reference: Option<String>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub report_deadline: Option<NaiveDate>,
    pub peak_windows: Option<Vec<PeakWindow>>,
}

/// A campaign after an edit: what changed (`name`, `legal_reference`, `dates`, `peak_windows`,
/// `report_deadline`; empty when nothing did and nothing was written) and how many targets moved
/// with the dates.
#[derive(Debug, Clone)]
pub struct CampaignEdited {
    pub campaign: Campaign,
    pub changed: Vec<&'static str>,
    pub targets_moved: u64,
}

/// Edits a campaign with the rules of [`create_campaign`], in the caller's transaction. The
/// change reaches the phones at their next sync (the reference counter moves).
///
/// **New dates** recount the campaign's rollup rows from the records already received
/// (`rollup::rebuild_campaign`), so the dashboard counts exactly the records of the new period.
/// Targets set for the whole campaign (from its old start to its old end, the default) move
/// with it. A target with dates of its own that would fall outside the new dates is
/// **not clipped** (a target of 100 households over four weeks is not the same target over
/// two): the edit is refused (`targets_outside_campaign`) with those targets listed, to be
/// changed first.
pub fn edit_campaign(
    sql: &mut dyn Sql,
    id: Uuid,
    edit: &CampaignEdit,
) -> AdminResult<CampaignEdited> {
    let old = load_campaign(sql, id)?;
    let new = check_campaign(&NewCampaign {
        id: Some(id),
        name: edit.name.clone().unwrap_or_else(|| old.name.clone()),
        legal_reference: edit
            .legal_reference
            .clone()
            .unwrap_or_else(|| old.legal_reference.clone()),
        starts_on: edit.starts_on.unwrap_or(old.starts_on),
        ends_on: edit.ends_on.unwrap_or(old.ends_on),
        report_deadline: edit.report_deadline.unwrap_or(old.report_deadline),
        peak_windows: edit
            .peak_windows
            .clone()
            .unwrap_or_else(|| old.peak_windows.clone()),
    })?;
    let dates_changed = (new.starts_on, new.ends_on) != (old.starts_on, old.ends_on);
    let changed: Vec<&'static str> = [
        ("name", new.name != old.name),
        (
            "legal_reference",
            new.legal_reference != old.legal_reference,
        ),
        ("dates", dates_changed),
        ("peak_windows", new.peak_windows != old.peak_windows),
        (
            "report_deadline",
            new.report_deadline != old.report_deadline,
        ),
    ]
    .into_iter()
    .filter_map(|(what, yes)| yes.then_some(what))
    .collect();
    if changed.is_empty() {
        return Ok(CampaignEdited {
            campaign: old,
            changed,
            targets_moved: 0,
        });
    }
    let moved = if dates_changed {
        targets_for_new_dates(sql, &old, &new)?
    } else {
        Vec::new()
    };
    let counted_with = refdata::current_seq(sql)?;
    refdata::upsert_campaign(sql, &new)?;
    for t in &moved {
        refdata::upsert_target(sql, t)?;
    }
    if dates_changed {
        crate::domain::rollup::rebuild_campaign(sql, &new, counted_with)?;
    } else {
        // Nothing counted differently: the teams' rollups stay current.
        crate::domain::rollup::keep_current(sql, counted_with)?;
    }
    Ok(CampaignEdited {
        campaign: new,
        changed,
        targets_moved: moved.len() as u64,
    })
}

/// The campaign's targets that move with new dates (rewritten), or the refusal listing those
/// that would fall outside them.
fn targets_for_new_dates(
    sql: &mut dyn Sql,
    old: &Campaign,
    new: &Campaign,
) -> AdminResult<Vec<Target>> {
    let targets: Vec<Target> = sql
        .query(
            "SELECT body FROM targets WHERE campaign_id = ?",
            params![old.id],
        )?
        .iter()
        .map(|r| r.json(0))
        .collect::<Result<_, _>>()?;
    let mut moved = Vec::new();
    let mut outside = Vec::new();
    for mut t in targets {
        let (from, to) = (t.starts_on, t.ends_on);
        if (from, to) == (old.starts_on, old.ends_on) {
            (t.starts_on, t.ends_on) = (new.starts_on, new.ends_on);
        }
        if t.starts_on < new.starts_on || t.ends_on > new.ends_on || t.ends_on < t.starts_on {
            outside.push((t, from, to));
        } else if (t.starts_on, t.ends_on) != (from, to) {
            moved.push(t);
        }
    }
    if outside.is_empty() {
        return Ok(moved);
    }
    let mut lines_vi = Vec::new();
    let mut lines_en = Vec::new();
    for (t, from, to) in outside.iter().take(10) {
        let team = match t.team_id {
            Some(team) => {
                refdata::load_team(sql, team)?.map_or_else(|| team.to_string(), |x| x.name)
            }
            None => String::new(),
        };
        lines_vi.push(format!(
            "{team}: {} ({} – {})",
            t.indicator.label_vi(),
            format::date(*from),
            format::date(*to)
        ));
        lines_en.push(format!(
            "{team}: {} ({from} to {to})",
            t.indicator.label_en()
        ));
    }
    let more = outside.len().saturating_sub(10);
    let (more_vi, more_en) = if more > 0 {
        (
            format!("; và {more} chỉ tiêu khác"),
            format!("; and {more} more"),
        )
    } else {
        (String::new(), String::new())
    };
    Err(AdminError::refused(
        "targets_outside_campaign",
        format!(
            "{} chỉ tiêu có thời gian riêng sẽ nằm ngoài thời gian mới ({} – {}); hãy sửa các chỉ tiêu này trước: {}{more_vi}.",
            outside.len(),
            format::date(new.starts_on),
            format::date(new.ends_on),
            lines_vi.join("; ")
        ),
        format!(
            "{} target(s) with dates of their own would fall outside the new dates ({} to {}); change them first: {}{more_en}.",
            outside.len(),
            new.starts_on,
            new.ends_on,
            lines_en.join("; ")
        ),
    ))
}

/// Where a campaign stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CampaignStatus {
    Upcoming,
    Running,
    Ended,
}

impl CampaignStatus {
    /// The campaign's status on `today` (the deployment's calendar: `domain::calendar::today`).
    pub fn of(c: &Campaign, today: NaiveDate) -> CampaignStatus {
        if today < c.starts_on {
            CampaignStatus::Upcoming
        } else if today > c.ends_on {
            CampaignStatus::Ended
        } else {
            CampaignStatus::Running
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            CampaignStatus::Upcoming => "upcoming",
            CampaignStatus::Running => "running",
            CampaignStatus::Ended => "ended",
        }
    }
}

/// A target to set; the period defaults to the campaign's.
#[derive(Debug, Clone)]
pub struct NewTarget {
    pub campaign_id: Uuid,
    pub team_id: Uuid,
    pub indicator: Indicator,
    pub value: u64,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
}

/// Sets a team's target for an indicator and period, replacing the one set before for the same
/// campaign, team, indicator and period.
pub fn set_target(sql: &mut dyn Sql, t: &NewTarget) -> AdminResult<Target> {
    let campaign = load_campaign(sql, t.campaign_id)?;
    // A deactivated team gets no new targets (it left the targets form).
    active_team(sql, t.team_id)?;
    if t.value > MAX_TARGET {
        return Err(AdminError::invalid(
            format!(
                "Chỉ tiêu {} vượt mức tối đa {}.",
                format::number(format::Lang::Vi, t.value),
                format::number(format::Lang::Vi, MAX_TARGET)
            ),
            format!(
                "The target {} is above the maximum of {}.",
                format::number(format::Lang::En, t.value),
                format::number(format::Lang::En, MAX_TARGET)
            ),
        ));
    }
    if !t.indicator.is_known() {
        return Err(parse_indicator(t.indicator.as_str())
            .err()
            .unwrap_or_else(|| {
                AdminError::invalid("Chỉ tiêu không hợp lệ.", "Unknown indicator.")
            }));
    }
    let starts_on = t.starts_on.unwrap_or(campaign.starts_on);
    let ends_on = t.ends_on.unwrap_or(campaign.ends_on);
    if ends_on < starts_on {
        return Err(AdminError::invalid(
            format!(
                "Ngày kết thúc ({}) trước ngày bắt đầu ({}).",
                format::date(ends_on),
                format::date(starts_on)
            ),
            format!("The end date ({ends_on}) is before the start date ({starts_on})."),
        ));
    }
    if starts_on < campaign.starts_on || ends_on > campaign.ends_on {
        return Err(AdminError::invalid(
            format!("Thời gian chỉ tiêu ({} – {}) phải nằm trong thời gian của kế hoạch ({} – {}).", format::date(starts_on), format::date(ends_on), format::date(campaign.starts_on), format::date(campaign.ends_on)),
            format!("The target period ({starts_on} to {ends_on}) must lie within the campaign ({} to {}).", campaign.starts_on, campaign.ends_on),
        ));
    }
    let existing: Vec<Target> = sql
        .query(
            "SELECT body FROM targets WHERE campaign_id = ? AND team_id = ? AND indicator = ?",
            params![t.campaign_id, t.team_id, t.indicator.as_str()],
        )?
        .iter()
        .map(|r| r.json(0))
        .collect::<Result<_, _>>()?;
    let id = existing
        .iter()
        .find(|e| e.starts_on == starts_on && e.ends_on == ends_on)
        .map_or_else(Uuid::now_v7, |e| e.id);
    let target = Target {
        id,
        campaign_id: t.campaign_id,
        team_id: Some(t.team_id),
        org_unit_id: None,
        indicator: t.indicator.clone(),
        value: t.value,
        starts_on,
        ends_on,
    };
    refdata::upsert_target(sql, &target)?;
    Ok(target)
}

#[cfg(test)]
#[path = "campaigns_tests.rs"]
mod tests;
