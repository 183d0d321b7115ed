//! The Youth Union's units, their teams (each working in some areas) and the teams' members.

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
        ))
    }
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

pub fn create_unit(sql: &mut dyn Sql, u: &NewUnit) -> AdminResult<OrgUnit> {
    let name = check_name("tên đơn vị", "The unit name", &u.name)?;
    if let Some(parent) = u.parent_id {
        load_unit(sql, parent)?;
    }
    if let Some(area) = &u.area_code {
        require_area(sql, area)?;
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

pub fn load_team(sql: &mut dyn Sql, id: Uuid) -> AdminResult<Team> {
    refdata::load_team(sql, id)?.ok_or_else(|| {
        AdminError::not_found(
            format!("Không có đội mã {id}."),
            format!("No team with id {id}."),
        )
    })
}

/// A team to create; `id` is made up when absent.
#[derive(Debug, Clone)]
pub struct NewTeam {
    pub id: Option<Uuid>,
    pub name: String,
    pub org_unit_id: Uuid,
    pub area_codes: Vec<String>,
}

pub fn create_team(sql: &mut dyn Sql, t: &NewTeam) -> AdminResult<Team> {
    let name = check_name("tên đội", "The team name", &t.name)?;
    load_unit(sql, t.org_unit_id)?;
    let mut area_codes: Vec<String> = t
        .area_codes
        .iter()
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty())
        .collect();
    area_codes.sort();
    area_codes.dedup();
    if area_codes.is_empty() {
        return Err(AdminError::invalid(
            "Cần chọn ít nhất một địa bàn phụ trách cho đội (--areas MÃ,MÃ).",
            "A team needs at least one area (--areas CODE,CODE).",
        ));
    }
    let mut missing = Vec::new();
    for code in &area_codes {
        if !refdata::area_exists(sql, code)? {
            missing.push(code.clone());
        }
    }
    if !missing.is_empty() {
        let list = missing.join(", ");
        return Err(AdminError::not_found(
            format!("Không có địa bàn mã {list} trong danh mục; hãy kiểm tra mã hoặc nhập danh mục địa bàn trước."),
            format!("No area with code {list}; check the codes or import the area list first."),
        ));
    }
    let members = match t.id {
        Some(id) => refdata::load_team(sql, id)?
            .map(|old| old.members)
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let team = Team {
        id: t.id.unwrap_or_else(Uuid::now_v7),
        name,
        org_unit_id: t.org_unit_id,
        area_codes,
        members,
    };
    refdata::upsert_team(sql, &team)?;
    Ok(team)
}

pub fn add_member(
    sql: &mut dyn Sql,
    team_id: Uuid,
    id: Option<Uuid>,
    name: &str,
    leader: bool,
) -> AdminResult<TeamMember> {
    let name = check_name("họ tên đội viên", "The member's name", name)?;
    load_team(sql, team_id)?;
    let member = TeamMember {
        id: id.unwrap_or_else(Uuid::now_v7),
        name,
        role: if leader {
            MemberRole::Leader
        } else {
            MemberRole::Member
        },
    };
    refdata::add_member(sql, team_id, &member)?;
    Ok(member)
}
