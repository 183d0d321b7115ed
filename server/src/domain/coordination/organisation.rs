//! The Youth Union's units (their teams and members: `teams.rs`).

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
