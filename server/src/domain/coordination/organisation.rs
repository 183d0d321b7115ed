//! The Youth Union's units (their teams and members: `teams.rs`).

use chrono::{DateTime, Utc};
use gocua_protocol::*;
use uuid::Uuid;

use super::error::{AdminError, AdminResult};
use super::input::check_name;
use crate::db::Sql;
use crate::domain::refdata;
use crate::params;

fn require_area(sql: &mut dyn Sql, code: &str) -> AdminResult<()> {
    if refdata::area_exists(sql, code)? {
        Ok(())
    } else {
        Err(AdminError::not_found(
            format!("Không có địa bàn mã \"{code}\" trong danh mục; hãy nhập danh mục địa bàn trước (gocua admin import-areas)."),
            format!("No area with code \"{code}\"; import the area list first (gocua admin import-areas)."),
        )
        .with_code("area_unknown"))
    }
}

// ---------------------------------------------------------------------------------------------
// Units: the rules of creating, renaming, moving, placing and deactivating them, the same for the
// dashboard's pages and `gocua admin`. Who may do what where is `permission.rs` and the subtree
// check of the caller; these functions hold what must be true whoever asks.

/// A unit with what the lists show beside it.
#[derive(Debug, Clone)]
pub struct UnitRow {
    pub unit: OrgUnit,
    /// The name of the unit's area, when it has one.
    pub area_name: Option<String>,
    /// Teams of the unit itself (not of the units below it) that are not deactivated.
    pub active_teams: u64,
    pub deactivated_at: Option<DateTime<Utc>>,
}

impl UnitRow {
    pub fn active(&self) -> bool {
        self.deactivated_at.is_none()
    }
}

/// Every unit (active or not), with its area's name and its active teams, by name.
pub fn list_units(sql: &mut dyn Sql) -> AdminResult<Vec<UnitRow>> {
    let rows = sql.query(
        "SELECT u.id, u.name, u.kind, u.parent_id, u.area_code, a.name, u.deactivated_at,
                (SELECT count(*) FROM teams t WHERE t.org_unit_id = u.id AND t.deactivated_at IS NULL)
         FROM org_units u LEFT JOIN areas a ON a.code = u.area_code",
        &[],
    )?;
    let mut out = rows
        .iter()
        .map(|r| {
            Ok(UnitRow {
                unit: refdata::unit_from_row(r)?,
                area_name: r.opt_text(5),
                deactivated_at: r.opt_time(6),
                active_teams: r.int(7).max(0) as u64,
            })
        })
        .collect::<AdminResult<Vec<_>>>()?;
    out.sort_by_cached_key(|u| gocua_protocol::text::fold(&u.unit.name));
    Ok(out)
}

/// One unit with its status.
pub fn load_unit_row(sql: &mut dyn Sql, id: Uuid) -> AdminResult<UnitRow> {
    let unit = load_unit(sql, id)?;
    let row = sql.query_one(
        "SELECT u.deactivated_at, a.name,
                (SELECT count(*) FROM teams t WHERE t.org_unit_id = u.id AND t.deactivated_at IS NULL)
         FROM org_units u LEFT JOIN areas a ON a.code = u.area_code WHERE u.id = ?",
        params![id],
    )?;
    let (deactivated_at, area_name, active_teams) = row.map_or((None, None, 0), |r| {
        (r.opt_time(0), r.opt_text(1), r.int(2).max(0) as u64)
    });
    Ok(UnitRow {
        unit,
        area_name,
        active_teams,
        deactivated_at,
    })
}

/// A unit's name as it will be stored, or the refusal (`unit_name_invalid`).
pub fn check_unit_name(raw: &str) -> AdminResult<String> {
    check_name("tên đơn vị", "The unit name", raw).map_err(|e| e.with_code("unit_name_invalid"))
}

/// The parent a unit is placed under: it exists and is active (a deactivated unit takes no new
/// units).
fn active_parent(sql: &mut dyn Sql, id: Uuid) -> AdminResult<UnitRow> {
    let parent = load_unit_row(sql, id)?;
    if !parent.active() {
        return Err(AdminError::invalid(
            format!("Đơn vị \"{}\" đã ngừng hoạt động nên không nhận đơn vị cấp dưới mới; hãy cho hoạt động lại trước.", parent.unit.name),
            format!("\"{}\" is deactivated and takes no new units below it; reactivate it first.", parent.unit.name),
        )
        .with_code("unit_parent_inactive"));
    }
    Ok(parent)
}

/// An area as people read it: "Xã Long Hồ (29602)", or the bare code when it is unknown.
fn area_label(sql: &mut dyn Sql, code: &str) -> AdminResult<String> {
    let name = sql
        .query_one("SELECT name FROM areas WHERE code = ?", params![code])?
        .map(|r| r.text(0));
    Ok(name.map_or_else(|| code.to_owned(), |n| format!("{n} ({code})")))
}

/// Whether area `code` is `ancestor` or lies below it (walking the parent codes up; a unit's
/// area and a team's areas are both checked with it).
pub(super) fn area_within(sql: &mut dyn Sql, code: &str, ancestor: &str) -> AdminResult<bool> {
    let mut current = Some(code.to_owned());
    // The deepest list has four levels; the bound also stops a cycle in bad data.
    for _ in 0..32 {
        let Some(c) = current else {
            return Ok(false);
        };
        if c == ancestor {
            return Ok(true);
        }
        current = sql
            .query_one("SELECT parent_code FROM areas WHERE code = ?", params![c])?
            .and_then(|r| r.opt_text(0));
    }
    Ok(false)
}

/// A unit's area: it exists, it is a province, district or commune (a hamlet is too small to
/// answer for), and it lies within the parent's area when the parent has one — a unit answers
/// for part of what its parent answers for, never more (what a unit's area covers decides,
/// for instance, whose hamlets its coordinators may edit).
fn check_unit_area(sql: &mut dyn Sql, code: &str, parent: Option<&OrgUnit>) -> AdminResult<()> {
    require_area(sql, code)?;
    let level = sql
        .query_one("SELECT level FROM areas WHERE code = ?", params![code])?
        .map(|r| AreaLevel::parse(&r.text(0)));
    if level == Some(AreaLevel::Hamlet) {
        return Err(AdminError::invalid(
            format!("Địa bàn \"{code}\" là thôn, ấp, khu phố; đơn vị Đoàn gắn với tỉnh, huyện hoặc xã, phường."),
            format!("Area \"{code}\" is a hamlet; a Youth Union unit answers for a province, district or commune."),
        )
        .with_code("unit_area_level"));
    }
    if let Some(parent) = parent {
        if let Some(parent_area) = &parent.area_code {
            if !area_within(sql, code, parent_area)? {
                let (area, parent_area) = (area_label(sql, code)?, area_label(sql, parent_area)?);
                return Err(AdminError::invalid(
                    format!("Địa bàn {area} không thuộc địa bàn {parent_area} của đơn vị cấp trên \"{}\". Hãy chọn địa bàn khác hoặc đơn vị cấp trên khác.", parent.name),
                    format!("Area {area} is not within {parent_area}, the area of the parent unit \"{}\". Choose another area or another parent.", parent.name),
                )
                .with_code("unit_area_outside_parent"));
            }
        }
    }
    Ok(())
}

/// The areas a unit placed under `parent` may answer for: the parent's area and every province,
/// district and commune below it; the provinces when the parent has no area (or there is none).
pub fn area_choices(sql: &mut dyn Sql, parent: Option<&OrgUnit>) -> AdminResult<Vec<Area>> {
    let rows = match parent.and_then(|p| p.area_code.as_deref()) {
        Some(top) => sql.query(
            "WITH RECURSIVE below(code) AS (
                 SELECT ? UNION SELECT a.code FROM areas a JOIN below b ON a.parent_code = b.code WHERE a.level <> 'hamlet')
             SELECT a.code, a.name, a.level, a.division_type, a.parent_code FROM areas a JOIN below b ON a.code = b.code",
            params![top],
        )?,
        None => sql.query(
            "SELECT code, name, level, division_type, parent_code FROM areas WHERE level = 'province'",
            &[],
        )?,
    };
    let mut out: Vec<Area> = rows.iter().map(refdata::area_from_row).collect();
    let rank = |l: &AreaLevel| match l {
        AreaLevel::Province => 0,
        AreaLevel::District => 1,
        _ => 2,
    };
    out.sort_by_cached_key(|a| (rank(&a.level), gocua_protocol::text::fold(&a.name)));
    Ok(out)
}

/// What changed: the unit before and after (equal when there was nothing to change).
#[derive(Debug, Clone)]
pub struct UnitChanged {
    pub before: OrgUnit,
    pub after: OrgUnit,
}

impl UnitChanged {
    pub fn changed(&self) -> bool {
        self.before != self.after
    }
}

fn store(sql: &mut dyn Sql, before: OrgUnit, after: OrgUnit) -> AdminResult<UnitChanged> {
    if before != after {
        refdata::upsert_org_unit(sql, &after)?;
    }
    Ok(UnitChanged { before, after })
}

pub fn rename_unit(sql: &mut dyn Sql, id: Uuid, name: &str) -> AdminResult<UnitChanged> {
    let name = check_unit_name(name)?;
    let before = load_unit(sql, id)?;
    let after = OrgUnit {
        name,
        ..before.clone()
    };
    store(sql, before, after)
}

/// Places a unit under another. Refused when the new parent is the unit itself or lies below
/// it (`unit_move_cycle`), is deactivated, or does not cover the unit's area.
pub fn move_unit(sql: &mut dyn Sql, id: Uuid, new_parent: Uuid) -> AdminResult<UnitChanged> {
    let before = load_unit(sql, id)?;
    let parent = active_parent(sql, new_parent)?.unit;
    // Walk up from the new parent: meeting the unit means it would sit below itself.
    let mut current = Some(parent.clone());
    for _ in 0..64 {
        let Some(u) = current else { break };
        if u.id == id {
            return Err(AdminError::invalid(
                format!("Không thể chuyển \"{}\" vào \"{}\": đơn vị đó là chính nó hoặc thuộc cấp dưới của nó.", before.name, parent.name),
                format!("\"{}\" cannot move under \"{}\": that is the unit itself or one of the units below it.", before.name, parent.name),
            )
            .with_code("unit_move_cycle"));
        }
        current = match u.parent_id {
            Some(p) => Some(load_unit(sql, p)?),
            None => None,
        };
    }
    if let Some(area) = &before.area_code {
        check_unit_area(sql, area, Some(&parent))?;
    }
    let after = OrgUnit {
        parent_id: Some(parent.id),
        ..before.clone()
    };
    store(sql, before, after)
}

/// Gives a unit another area (or none). The new area lies within the parent's, and the areas of
/// the units directly below still lie within it.
pub fn set_unit_area(sql: &mut dyn Sql, id: Uuid, area: Option<&str>) -> AdminResult<UnitChanged> {
    let before = load_unit(sql, id)?;
    let area = area.map(str::trim).filter(|a| !a.is_empty());
    if let Some(code) = area {
        let parent = match before.parent_id {
            Some(p) => Some(load_unit(sql, p)?),
            None => None,
        };
        check_unit_area(sql, code, parent.as_ref())?;
        let mut outside = Vec::new();
        for r in sql.query(
            "SELECT name, area_code FROM org_units WHERE parent_id = ? AND area_code IS NOT NULL ORDER BY name",
            params![id],
        )? {
            if !area_within(sql, &r.text(1), code)? {
                outside.push(r.text(0));
            }
        }
        if !outside.is_empty() {
            let list = outside.join(", ");
            return Err(AdminError::invalid(
                format!("Địa bàn {} không bao gồm địa bàn của các đơn vị cấp dưới: {list}. Hãy sửa địa bàn của các đơn vị đó trước.", area_label(sql, code)?),
                format!("Area {} does not cover the areas of the units below: {list}. Change theirs first.", area_label(sql, code)?),
            )
            .with_code("unit_area_children_outside"));
        }
    }
    let after = OrgUnit {
        area_code: area.map(str::to_owned),
        ..before.clone()
    };
    store(sql, before, after)
}

/// What keeps a unit from being deactivated: its active teams, active units directly below, and
/// the dashboard accounts still active at it (an account of a deactivated unit would keep
/// working in a subtree nobody looks after).
#[derive(Debug, Clone, Default)]
pub struct UnitBlockers {
    pub teams: Vec<(Uuid, String)>,
    pub units: Vec<(Uuid, String)>,
    /// (id, username)
    pub accounts: Vec<(Uuid, String)>,
}

impl UnitBlockers {
    pub fn is_empty(&self) -> bool {
        self.teams.is_empty() && self.units.is_empty() && self.accounts.is_empty()
    }
}

pub fn unit_blockers(sql: &mut dyn Sql, id: Uuid) -> AdminResult<UnitBlockers> {
    let mut named = |query: &str| -> AdminResult<Vec<(Uuid, String)>> {
        let mut v = sql
            .query(query, params![id])?
            .iter()
            .map(|r| Ok((r.uuid(0)?, r.text(1))))
            .collect::<AdminResult<Vec<_>>>()?;
        v.sort_by_cached_key(|(_, name)| gocua_protocol::text::fold(name));
        Ok(v)
    };
    Ok(UnitBlockers {
        teams: named(
            "SELECT id, name FROM teams WHERE org_unit_id = ? AND deactivated_at IS NULL",
        )?,
        units: named(
            "SELECT id, name FROM org_units WHERE parent_id = ? AND deactivated_at IS NULL",
        )?,
        accounts: named(
            "SELECT id, username FROM coordinators WHERE org_unit_id = ? AND disabled_at IS NULL",
        )?,
    })
}

/// Deactivates a unit: it leaves the lists of parents and new work, its records and reports
/// stay. Refused while it has active teams, active units below it or active accounts
/// (`unit_not_empty`, naming them). Returns whether anything changed (deactivating twice changes nothing).
pub fn deactivate_unit(
    sql: &mut dyn Sql,
    id: Uuid,
    now: DateTime<Utc>,
) -> AdminResult<(OrgUnit, bool)> {
    let row = load_unit_row(sql, id)?;
    if !row.active() {
        return Ok((row.unit, false));
    }
    let blockers = unit_blockers(sql, id)?;
    if !blockers.is_empty() {
        let names = |v: &[(Uuid, String)]| {
            v.iter()
                .map(|(_, n)| n.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let (mut vi, mut en) = (Vec::new(), Vec::new());
        if !blockers.teams.is_empty() {
            vi.push(format!("đội đang hoạt động ({})", names(&blockers.teams)));
            en.push(format!("active teams ({})", names(&blockers.teams)));
        }
        if !blockers.units.is_empty() {
            vi.push(format!(
                "đơn vị cấp dưới đang hoạt động ({})",
                names(&blockers.units)
            ));
            en.push(format!(
                "active units below it ({})",
                names(&blockers.units)
            ));
        }
        if !blockers.accounts.is_empty() {
            vi.push(format!(
                "tài khoản cán bộ đang hoạt động ({})",
                names(&blockers.accounts)
            ));
            en.push(format!(
                "active coordinator accounts ({})",
                names(&blockers.accounts)
            ));
        }
        return Err(AdminError::invalid(
            format!("Chưa thể ngừng hoạt động \"{}\": vẫn còn {}. Hãy ngừng hoạt động hoặc chuyển chúng đi trước.", row.unit.name, vi.join(" và ")),
            format!("\"{}\" cannot be deactivated yet: it still has {}. Deactivate or move them first.", row.unit.name, en.join(" and ")),
        )
        .with_code("unit_not_empty"));
    }
    refdata::set_org_unit_deactivated(sql, id, Some(now))?;
    Ok((row.unit, true))
}

/// Makes a deactivated unit active again; refused while its parent is deactivated.
pub fn reactivate_unit(sql: &mut dyn Sql, id: Uuid) -> AdminResult<(OrgUnit, bool)> {
    let row = load_unit_row(sql, id)?;
    if row.active() {
        return Ok((row.unit, false));
    }
    if let Some(parent) = row.unit.parent_id {
        active_parent(sql, parent)?;
    }
    refdata::set_org_unit_deactivated(sql, id, None)?;
    Ok((row.unit, true))
}

pub fn load_unit(sql: &mut dyn Sql, id: Uuid) -> AdminResult<OrgUnit> {
    let row = sql.query_one(
        "SELECT id, name, kind, parent_id, area_code FROM org_units WHERE id = ?",
        params![id],
    )?;
    match row {
        Some(r) => Ok(OrgUnit {
            id: r.uuid(0)?,
            name: r.text(1),
            kind: OrgUnitKind::parse(&r.text(2)),
            parent_id: r.opt_uuid(3)?,
            area_code: r.opt_text(4),
        }),
        None => Err(AdminError::not_found(
            format!("Không có đơn vị Đoàn mã {id}."),
            format!("No Youth Union unit with id {id}."),
        )),
    }
}

/// A unit to create; `id` is made up when absent.
#[derive(Debug, Clone)]
pub struct NewUnit {
    pub id: Option<Uuid>,
    pub name: String,
    pub kind: OrgUnitKind,
    pub parent_id: Option<Uuid>,
    pub area_code: Option<String>,
}

/// Creates a unit (or, given the id of one, updates it: the demo runs again on its own data).
/// The parent is active; the area follows [`check_unit_area`].
pub fn create_unit(sql: &mut dyn Sql, u: &NewUnit) -> AdminResult<OrgUnit> {
    let name = check_unit_name(&u.name)?;
    let parent = match u.parent_id {
        Some(p) => Some(active_parent(sql, p)?.unit),
        None => None,
    };
    if let Some(area) = &u.area_code {
        check_unit_area(sql, area, parent.as_ref())?;
    }
    let unit = OrgUnit {
        id: u.id.unwrap_or_else(Uuid::now_v7),
        name,
        kind: u.kind.clone(),
        parent_id: u.parent_id,
        area_code: u.area_code.clone(),
    };
    if Some(unit.id) == unit.parent_id {
        return Err(AdminError::invalid(
            "Một đơn vị không thể là đơn vị cấp trên của chính nó.",
            "A unit cannot be its own parent.",
        ));
    }
    refdata::upsert_org_unit(sql, &unit)?;
    Ok(unit)
}
