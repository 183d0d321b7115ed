//! `gocua admin teams | rename-team | set-team-areas | deactivate-team | reactivate-team |
//! rename-member | move-member | set-leader | deactivate-member`: the teams and members, through
//! the same domain functions as the `/admin/teams` pages (`domain/coordination/teams.rs`).

use chrono::Utc;

use super::{parse_id, tx, Failure};
use crate::cli::print::{pad, time};
use crate::db::Db;
use crate::domain::coordination::{self, AdminError};
use crate::web::scope::OrgTree;

pub fn teams(db: &Db, unit: Option<String>, all: bool) -> Result<(), Failure> {
    let unit = unit
        .as_deref()
        .map(|u| parse_id("đơn vị", "unit", u))
        .transpose()?;
    let (rows, tree) = tx(db, |sql| {
        let rows = coordination::list_teams(sql)?;
        Ok::<_, AdminError>((rows, OrgTree::load(sql)?))
    })?;
    if let Some(u) = unit {
        if !tree.units.contains_key(&u) {
            return Err(Failure(AdminError::not_found(
                format!("Không có đơn vị Đoàn mã {u}."),
                format!("No Youth Union unit with id {u}."),
            )));
        }
    }
    let rows: Vec<_> = rows
        .into_iter()
        .filter(|t| all || t.deactivated_at.is_none())
        .filter(|t| unit.is_none_or(|u| tree.unit_within(t.org_unit_id, u)))
        .collect();
    if rows.is_empty() {
        println!("Chưa có đội nào. / No teams yet.");
        return Ok(());
    }
    println!(
        "{}  {}  {}  Đội viên / members  Điện thoại / phones  Địa bàn, đội trưởng / areas, leader",
        pad("Mã đội / id", 36),
        pad("Đội / team", 32),
        pad("Đơn vị / unit", 24),
    );
    for t in rows {
        let areas: Vec<&str> = t.areas.iter().map(|(code, _)| code.as_str()).collect();
        let status = match t.deactivated_at {
            Some(at) => format!("  ĐÃ NGỪNG / DEACTIVATED {}", time(Some(at))),
            None => String::new(),
        };
        println!(
            "{}  {}  {}  {}  {}  {}; {}{status}",
            t.id,
            pad(&t.name, 32),
            pad(&t.unit_name, 24),
            pad(&t.members.to_string(), 18),
            pad(&t.phones.to_string(), 19),
            areas.join(","),
            t.leader.as_deref().unwrap_or("–"),
        );
    }
    Ok(())
}

pub fn rename_team(db: &Db, team: String, name: String) -> Result<(), Failure> {
    let id = parse_id("đội", "team", &team)?;
    let team = tx(db, |sql| coordination::rename_team(sql, id, &name))?;
    println!(
        "Đã đổi tên đội thành \"{}\". / Team renamed to \"{}\".",
        team.name, team.name
    );
    Ok(())
}

pub fn set_team_areas(db: &Db, team: String, areas: Vec<String>) -> Result<(), Failure> {
    let id = parse_id("đội", "team", &team)?;
    let team = tx(db, |sql| coordination::set_team_areas(sql, id, &areas))?;
    let list = team.area_codes.join(", ");
    println!(
        "Đội \"{}\" phụ trách {list}. / Team \"{}\" works in {list}.",
        team.name, team.name
    );
    Ok(())
}

pub fn deactivate_team(db: &Db, team: String) -> Result<(), Failure> {
    let id = parse_id("đội", "team", &team)?;
    let done = tx(db, |sql| coordination::deactivate_team(sql, id, Utc::now()))?;
    println!(
        "Đã ngừng hoạt động đội \"{}\"; {} điện thoại đã thu hồi. / Team deactivated; {} phone(s) revoked.",
        done.name, done.devices_revoked, done.devices_revoked
    );
    Ok(())
}

pub fn reactivate_team(db: &Db, team: String) -> Result<(), Failure> {
    let id = parse_id("đội", "team", &team)?;
    let team = tx(db, |sql| coordination::reactivate_team(sql, id))?;
    println!(
        "Đội \"{}\" hoạt động lại; cấp mã đăng ký mới cho điện thoại của đội viên. / Team reactivated; issue new enrolment codes for its members' phones.",
        team.name
    );
    Ok(())
}

pub fn rename_member(db: &Db, member: String, name: String) -> Result<(), Failure> {
    let id = parse_id("đội viên", "member", &member)?;
    let m = tx(db, |sql| coordination::rename_member(sql, id, &name))?;
    println!(
        "Đã đổi tên đội viên thành \"{}\". / Member renamed to \"{}\".",
        m.name, m.name
    );
    Ok(())
}

pub fn move_member(db: &Db, member: String, team: String) -> Result<(), Failure> {
    let id = parse_id("đội viên", "member", &member)?;
    let to = parse_id("đội", "team", &team)?;
    let moved = tx(db, |sql| coordination::move_member(sql, id, to, Utc::now()))?;
    println!(
        "Đã chuyển {} từ \"{}\" sang \"{}\"; điện thoại của đội viên chuyển theo ở lần đồng bộ tới. / Moved {} from \"{}\" to \"{}\"; their phones follow at their next sync.",
        moved.member.name, moved.from.name, moved.to.name, moved.member.name, moved.from.name, moved.to.name
    );
    Ok(())
}

pub fn set_leader(db: &Db, member: String) -> Result<(), Failure> {
    let id = parse_id("đội viên", "member", &member)?;
    let m = tx(db, |sql| coordination::set_leader(sql, id))?;
    println!("{} là đội trưởng. / {} is the team leader.", m.name, m.name);
    Ok(())
}

pub fn deactivate_member(db: &Db, member: String) -> Result<(), Failure> {
    let id = parse_id("đội viên", "member", &member)?;
    let done = tx(db, |sql| {
        coordination::deactivate_member(sql, id, Utc::now())
    })?;
    println!(
        "Đã ngừng hoạt động đội viên {} ({}); {} điện thoại đã thu hồi. / Member deactivated; {} phone(s) revoked.",
        done.name, done.team_name, done.devices_revoked, done.devices_revoked
    );
    Ok(())
}
