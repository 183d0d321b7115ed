//! Campaigns (kế hoạch) with their peak windows, and the targets set to each team.

use chrono::NaiveDate;
use gocua_protocol::*;
use uuid::Uuid;

use super::error::{AdminError, AdminResult};
use super::input::{check_name, parse_indicator};
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

/// Refuses a campaign day (its end, its report deadline) before the campaign starts.
fn not_before_start(
    (what_vi, what_en): (&str, &str),
    day: NaiveDate,
    start: NaiveDate,
) -> AdminResult<()> {
    if day >= start {
        return Ok(());
    }
    Err(AdminError::invalid(
        format!(
            "{what_vi} ({}) trước ngày bắt đầu ({}).",
            format::date(day),
            format::date(start)
        ),
        format!("{what_en} ({day}) is before the start date ({start})."),
    ))
}

pub fn create_campaign(sql: &mut dyn Sql, c: &NewCampaign) -> AdminResult<Campaign> {
    let name = check_name("tên kế hoạch", "The campaign name", &c.name)?;
    let legal_reference = c.legal_reference.trim().to_owned();
    not_before_start(("Ngày kết thúc", "The end date"), c.ends_on, c.starts_on)?;
    not_before_start(
        ("Hạn báo cáo", "The report deadline"),
        c.report_deadline,
        c.starts_on,
    )?;
    for w in &c.peak_windows {
        if w.starts_on < c.starts_on || w.ends_on > c.ends_on || w.ends_on < w.starts_on {
            return Err(AdminError::invalid(
                format!("Đợt cao điểm \"{}\" ({} – {}) phải nằm trong thời gian của kế hoạch ({} – {}).", w.name, format::date(w.starts_on), format::date(w.ends_on), format::date(c.starts_on), format::date(c.ends_on)),
                format!("Peak window \"{}\" ({} to {}) must lie within the campaign ({} to {}).", w.name, w.starts_on, w.ends_on, c.starts_on, c.ends_on),
            ));
        }
    }
    let campaign = Campaign {
        id: c.id.unwrap_or_else(Uuid::now_v7),
        name,
        legal_reference,
        starts_on: c.starts_on,
        ends_on: c.ends_on,
        peak_windows: c.peak_windows.clone(),
        report_deadline: c.report_deadline,
    };
    refdata::upsert_campaign(sql, &campaign)?;
    // Records already received may fall in the new campaign's dates: recount the rollup.
    crate::domain::rollup::rebuild_all(sql)?;
    Ok(campaign)
}

pub fn load_campaign(sql: &mut dyn Sql, id: Uuid) -> AdminResult<Campaign> {
    match sql.query_one("SELECT body FROM campaigns WHERE id = ?", params![id])? {
        Some(r) => Ok(r.json(0)?),
        None => Err(AdminError::not_found(
            format!("Không có kế hoạch mã {id}."),
            format!("No campaign with id {id}."),
        )),
    }
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
