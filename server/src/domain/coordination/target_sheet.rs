//! The bulk target sheet: a campaign's whole-campaign targets per team and indicator, read back
//! from a coordinator's spreadsheet. The file format (which row and column holds what) belongs to
//! the web layer (`web/export/target_sheet.rs`); the rules are here: every bad cell with its
//! reference and reason, then the changes, stored through [`set_target`] and [`clear_target`]
//! like the targets form and `gocua admin set-target`.

use std::collections::HashMap;

use gocua_protocol::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::campaigns::{set_target, NewTarget, MAX_TARGET};
use super::error::AdminResult;
use crate::db::Sql;
use crate::domain::{format, refdata};
use crate::params;

/// A campaign's targets that cover the whole campaign, by team and indicator (targets set for
/// part of a campaign are not on the sheet and are left alone).
pub fn whole_campaign_targets(
    sql: &mut dyn Sql,
    campaign: &Campaign,
) -> AdminResult<HashMap<(Uuid, String), u64>> {
    let mut out = HashMap::new();
    for r in sql.query(
        "SELECT body FROM targets WHERE campaign_id = ? AND team_id IS NOT NULL",
        params![campaign.id],
    )? {
        let t: Target = r.json(0)?;
        if let (Some(team), true) = (
            t.team_id,
            t.starts_on == campaign.starts_on && t.ends_on == campaign.ends_on,
        ) {
            out.insert((team, t.indicator.as_str().to_owned()), t.value);
        }
    }
    Ok(out)
}

/// Removes a team's whole-campaign target for an indicator ("no target"); whether there was one.
pub fn clear_target(
    sql: &mut dyn Sql,
    campaign: &Campaign,
    team_id: Uuid,
    indicator: &Indicator,
) -> AdminResult<bool> {
    let mut removed = false;
    for r in sql.query(
        "SELECT body FROM targets WHERE campaign_id = ? AND team_id = ? AND indicator = ?",
        params![campaign.id, team_id, indicator.as_str()],
    )? {
        let t: Target = r.json(0)?;
        if t.starts_on == campaign.starts_on && t.ends_on == campaign.ends_on {
            refdata::delete_target(sql, t.id)?;
            removed = true;
        }
    }
    Ok(removed)
}

/// A cell of an uploaded sheet, as the file reader found it.
#[derive(Debug, Clone, PartialEq)]
pub enum SheetValue {
    Empty,
    Number(f64),
    Text(String),
}

/// A cell and its reference (`E7`).
#[derive(Debug, Clone, PartialEq)]
pub struct SheetCell {
    pub reference: String,
    pub value: SheetValue,
}

/// One team's row: the team id cell and one cell per indicator.
#[derive(Debug, Clone)]
pub struct SheetRow {
    pub team: SheetCell,
    pub values: Vec<(Indicator, SheetCell)>,
}

/// A sheet as uploaded: the cell naming its campaign and the teams' rows.
#[derive(Debug, Clone)]
pub struct UploadedSheet {
    pub campaign: SheetCell,
    pub rows: Vec<SheetRow>,
}

/// One target to change; `after: None` removes it ("no target").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetChange {
    pub team_id: Uuid,
    pub team_name: String,
    pub indicator: Indicator,
    pub before: Option<u64>,
    pub after: Option<u64>,
}

/// A bad cell: where, and why (Vietnamese, English).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellProblem {
    pub cell: String,
    pub vi: String,
    pub en: String,
}

impl CellProblem {
    fn new(cell: &SheetCell, vi: impl Into<String>, en: impl Into<String>) -> Self {
        CellProblem {
            cell: cell.reference.clone(),
            vi: vi.into(),
            en: en.into(),
        }
    }
}

fn shown(v: &SheetValue) -> String {
    match v {
        SheetValue::Empty => String::new(),
        SheetValue::Number(n) => n.to_string(),
        SheetValue::Text(s) => s.clone(),
    }
}

/// A target cell: empty (no target), or a whole number from 0 to [`MAX_TARGET`].
fn target_value(cell: &SheetCell, indicator: &Indicator) -> Result<Option<u64>, CellProblem> {
    let number = match &cell.value {
        SheetValue::Empty => return Ok(None),
        SheetValue::Text(s) if s.trim().is_empty() => return Ok(None),
        SheetValue::Number(n) => Some(*n),
        SheetValue::Text(s) => s.trim().parse::<f64>().ok().filter(|_| {
            s.trim()
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
        }),
    };
    let raw = shown(&cell.value);
    let (max_vi, max_en) = (
        format::number(format::Lang::Vi, MAX_TARGET),
        format::number(format::Lang::En, MAX_TARGET),
    );
    match number {
        Some(n) if n.is_finite() && n >= 0.0 && n.fract() == 0.0 => {
            if n > MAX_TARGET as f64 {
                Err(CellProblem::new(
                    cell,
                    format!("chỉ tiêu \"{}\" là {raw}, vượt mức tối đa {max_vi}.", indicator.label_vi()),
                    format!("target \"{}\" is {raw}, above the maximum of {max_en}.", indicator.label_en()),
                ))
            } else {
                Ok(Some(n as u64))
            }
        }
        _ => Err(CellProblem::new(
            cell,
            format!("chỉ tiêu \"{}\": \"{raw}\" không phải là số nguyên từ 0 trở lên (để trống nếu không giao).", indicator.label_vi()),
            format!("target \"{}\": \"{raw}\" is not a whole number of 0 or more (leave it empty for no target).", indicator.label_en()),
        )),
    }
}

/// Checks an uploaded sheet for `campaign`: every bad cell (a value that is not a whole number
/// from 0 to the maximum, a team id that is unknown, outside `in_scope`, deactivated or listed
/// twice, a sheet of another campaign), or the changes it makes to the whole-campaign targets.
pub fn check_target_sheet(
    sql: &mut dyn Sql,
    campaign: &Campaign,
    sheet: &UploadedSheet,
    in_scope: &dyn Fn(Uuid) -> bool,
) -> AdminResult<Result<Vec<TargetChange>, Vec<CellProblem>>> {
    let mut problems = Vec::new();
    let sheet_campaign = match &sheet.campaign.value {
        SheetValue::Text(s) => Uuid::parse_str(s.trim()).ok(),
        _ => None,
    };
    if sheet_campaign != Some(campaign.id) {
        problems.push(CellProblem::new(
            &sheet.campaign,
            format!("bảng này không phải bảng chỉ tiêu của kế hoạch \"{}\" (mã kế hoạch trong bảng: \"{}\"); hãy tải bảng của kế hoạch này về rồi điền lại.", campaign.name, shown(&sheet.campaign.value)),
            format!("this is not the target sheet of campaign \"{}\" (campaign id in the sheet: \"{}\"); download this campaign's sheet and fill it in.", campaign.name, shown(&sheet.campaign.value)),
        ));
    }
    let teams: HashMap<Uuid, (String, bool)> = sql
        .query("SELECT id, name, deactivated_at FROM teams", &[])?
        .iter()
        .map(|r| Ok((r.uuid(0)?, (r.text(1), r.opt_int(2).is_some()))))
        .collect::<AdminResult<_>>()?;
    let current = whole_campaign_targets(sql, campaign)?;
    let mut seen: HashMap<Uuid, String> = HashMap::new();
    let mut changes = Vec::new();
    for row in &sheet.rows {
        let raw = shown(&row.team.value);
        let team = Uuid::parse_str(raw.trim()).ok();
        let known = team.and_then(|t| teams.get(&t).map(|x| (t, x)));
        // The row's team, or why the row cannot be used (Vietnamese, English).
        let team = match known {
            None => Err((
                format!("không có đội mã \"{raw}\"; đừng sửa cột mã đội."),
                format!("there is no team with id \"{raw}\"; do not edit the team id column."),
            )),
            Some((id, _)) if !in_scope(id) => Err((
                format!("đội mã \"{raw}\" không thuộc đơn vị của bạn."),
                format!("team \"{raw}\" is not in your unit."),
            )),
            Some((_, (name, true))) => Err((
                format!("đội \"{name}\" đã ngừng hoạt động; xoá dòng này."),
                format!("team \"{name}\" has been deactivated; delete this row."),
            )),
            Some((id, (name, false))) => match seen.get(&id) {
                Some(first) => Err((
                    format!("đội \"{name}\" đã có ở ô {first}; mỗi đội chỉ một dòng."),
                    format!("team \"{name}\" is already at {first}; one row per team."),
                )),
                None => {
                    seen.insert(id, row.team.reference.clone());
                    Ok((id, name.clone()))
                }
            },
        };
        let team = team
            .map_err(|(vi, en)| problems.push(CellProblem::new(&row.team, vi, en)))
            .ok();
        for (indicator, cell) in &row.values {
            match target_value(cell, indicator) {
                Err(p) => problems.push(p),
                Ok(after) => {
                    let Some((id, name)) = &team else { continue };
                    let before = current.get(&(*id, indicator.as_str().to_owned())).copied();
                    if before != after {
                        changes.push(TargetChange {
                            team_id: *id,
                            team_name: name.clone(),
                            indicator: indicator.clone(),
                            before,
                            after,
                        });
                    }
                }
            }
        }
    }
    Ok(if problems.is_empty() {
        Ok(changes)
    } else {
        Err(problems)
    })
}

/// Stores checked changes: each through [`set_target`] (or [`clear_target`] for "no target").
pub fn apply_target_changes(
    sql: &mut dyn Sql,
    campaign: &Campaign,
    changes: &[TargetChange],
) -> AdminResult<()> {
    for c in changes {
        match c.after {
            Some(value) => {
                set_target(
                    sql,
                    &NewTarget {
                        campaign_id: campaign.id,
                        team_id: c.team_id,
                        indicator: c.indicator.clone(),
                        value,
                        starts_on: None,
                        ends_on: None,
                    },
                )?;
            }
            None => {
                clear_target(sql, campaign, c.team_id, &c.indicator)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(value: SheetValue) -> SheetCell {
        SheetCell {
            reference: "E7".into(),
            value,
        }
    }

    #[test]
    fn target_cells() {
        let i = Indicator::Sessions;
        assert_eq!(target_value(&cell(SheetValue::Empty), &i), Ok(None));
        assert_eq!(
            target_value(&cell(SheetValue::Number(12.0)), &i),
            Ok(Some(12))
        );
        assert_eq!(
            target_value(&cell(SheetValue::Text(" 40 ".into())), &i),
            Ok(Some(40))
        );
        for bad in [
            SheetValue::Number(-1.0),
            SheetValue::Number(2.5),
            SheetValue::Number(10_000_001.0),
            SheetValue::Text("mười".into()),
            SheetValue::Text("1e3".into()),
        ] {
            let p = target_value(&cell(bad.clone()), &i).unwrap_err();
            assert_eq!(p.cell, "E7", "{bad:?}");
        }
    }
}
