//! `gocua admin create-unit | create-team | add-member`: the Youth Union units, their teams and members.

use super::{parse_id, tx, Failure};
use crate::db::Db;
use crate::domain::coordination;

pub fn create_unit(
    db: &Db,
    name: String,
    kind: String,
    parent: Option<String>,
    area: Option<String>,
) -> Result<(), Failure> {
    let kind = coordination::parse_unit_kind(&kind)?;
    let parent_id = parent
        .as_deref()
        .map(|p| parse_id("đơn vị cấp trên", "parent unit", p))
        .transpose()?;
    let unit = tx(db, |sql| {
        coordination::create_unit(
            sql,
            &coordination::NewUnit {
                id: None,
                name,
                kind,
                parent_id,
                area_code: area,
            },
        )
    })?;
    println!(
        "Đã tạo đơn vị \"{}\" ({}). / Created unit \"{}\" ({}).",
        unit.name,
        unit.kind.label_vi(),
        unit.name,
        unit.kind.label_en()
    );
    println!("{}", unit.id);
    Ok(())
}

pub fn create_team(db: &Db, name: String, unit: String, areas: Vec<String>) -> Result<(), Failure> {
    let org_unit_id = parse_id("đơn vị", "unit", &unit)?;
    let team = tx(db, |sql| {
        coordination::create_team(
            sql,
            &coordination::NewTeam {
                id: None,
                name,
                org_unit_id,
                area_codes: areas,
            },
        )
    })?;
    println!(
        "Đã tạo đội \"{}\", phụ trách {}. / Created team \"{}\" working in {}.",
        team.name,
        team.area_codes.join(", "),
        team.name,
        team.area_codes.join(", ")
    );
    println!("{}", team.id);
    Ok(())
}

pub fn add_member(db: &Db, team: String, name: String, leader: bool) -> Result<(), Failure> {
    let team_id = parse_id("đội", "team", &team)?;
    let member = tx(db, |sql| {
        coordination::add_member(sql, team_id, None, &name, leader)
    })?;
    println!(
        "Đã thêm {} \"{}\". / Added {} \"{}\".",
        member.role.label_vi().to_lowercase(),
        member.name,
        member.role.label_en().to_lowercase(),
        member.name
    );
    println!("{}", member.id);
    Ok(())
}
