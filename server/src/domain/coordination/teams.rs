//! Teams and their members: creating a team in a unit, naming it, the areas it works in, its
//! leader, deactivating and reactivating it; adding, renaming, moving and deactivating members.
//! The dashboard's administration pages and `gocua admin` call these same functions.
//!
//! Rules kept here, once:
//! - A team works in at least one area, each an existing area lying under its unit's area (when
//!   the unit has one): a commune union's team works in its commune or its hamlets.
//! - **A team has one leader** (đội trưởng): making a member leader makes the previous leader an
//!   ordinary member. The phones show the team's members with their role.
//! - Deactivated, never deleted: a deactivated team or member keeps its records and past figures;
//!   it leaves the phones' reference data, its phones are revoked ([`revoke_device`], as
//!   `gocua admin revoke-device` does) and its unused enrolment codes stop working. A deactivated
//!   team or member cannot be changed (a team can be reactivated; its members then need new codes).
//! - A moved member's enrolled phones follow them **at their next pull**: a phone sends its queue
//!   before it pulls, so records made for the old team still reach the server as that team's
//!   (`refdata::follow_member`); the pull then switches the phone to the new team and sends
//!   that team's reference data.
//! - Every change phones see bumps the reference sequence, so each phone's next pull is full.

use chrono::{DateTime, Duration, Utc};
use gocua_protocol::*;
use uuid::Uuid;

use super::devices::revoke_device;
use super::error::{AdminError, AdminResult};
use super::input::check_name;
use super::organisation::area_within;
use crate::db::Sql;
use crate::domain::refdata;
use crate::params;

/// A team with its active members, whatever the team's own status (pages showing history need
/// deactivated teams too; see [`active_team`] for changes).
pub fn load_team(sql: &mut dyn Sql, id: Uuid) -> AdminResult<Team> {
    refdata::load_team(sql, id)?.ok_or_else(|| team_not_found(id))
}

fn team_not_found(id: Uuid) -> AdminError {
    AdminError::not_found(
        format!("Không có đội mã {id}."),
        format!("No team with id {id}."),
    )
}

/// When the team was deactivated, if it was.
pub fn team_deactivated_at(sql: &mut dyn Sql, id: Uuid) -> AdminResult<Option<DateTime<Utc>>> {
    match sql.query_one("SELECT deactivated_at FROM teams WHERE id = ?", params![id])? {
        Some(r) => Ok(r.opt_time(0)),
        None => Err(team_not_found(id)),
    }
}

/// A team that may be changed, given targets or enrolment codes: one not deactivated.
pub fn active_team(sql: &mut dyn Sql, id: Uuid) -> AdminResult<Team> {
    let team = load_team(sql, id)?;
    if team_deactivated_at(sql, id)?.is_some() {
        return Err(AdminError::refused(
            "team_deactivated",
            format!(
                "Đội \"{}\" đã ngừng hoạt động; hãy cho đội hoạt động lại trước.",
                team.name
            ),
            format!(
                "The team \"{}\" is deactivated; reactivate it first.",
                team.name
            ),
        ));
    }
    Ok(team)
}

/// The unit a team belongs to, as the area rule needs it.
struct TeamUnit {
    name: String,
    area: Option<(String, String)>,
}

fn team_unit(sql: &mut dyn Sql, id: Uuid) -> AdminResult<TeamUnit> {
    let Some(r) = sql.query_one(
        "SELECT u.name, u.area_code, a.name, u.deactivated_at FROM org_units u
         LEFT JOIN areas a ON a.code = u.area_code WHERE u.id = ?",
        params![id],
    )?
    else {
        return Err(AdminError::not_found(
            format!("Không có đơn vị Đoàn mã {id}."),
            format!("No Youth Union unit with id {id}."),
        ));
    };
    let name = r.text(0);
    if r.opt_int(3).is_some() {
        return Err(AdminError::refused(
            "unit_deactivated",
            format!("Đơn vị \"{name}\" đã ngừng hoạt động; không thêm hay đổi đội của đơn vị này."),
            format!("The unit \"{name}\" is deactivated; its teams cannot be added or changed."),
        ));
    }
    let area = r
        .opt_text(1)
        .map(|code| (code.clone(), r.opt_text(2).unwrap_or(code)));
    Ok(TeamUnit { name, area })
}

/// The areas a team of `unit` may work in, tidied (trimmed, sorted, once each), or the refusal:
/// none (`areas_required`), codes not in the area list (`area_unknown`), areas outside the
/// unit's area (`area_outside_unit`).
fn check_areas(sql: &mut dyn Sql, unit: &TeamUnit, codes: &[String]) -> AdminResult<Vec<String>> {
    let mut codes: Vec<String> = codes
        .iter()
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty())
        .collect();
    codes.sort();
    codes.dedup();
    if codes.is_empty() {
        return Err(AdminError::refused(
            "areas_required",
            "Cần chọn ít nhất một địa bàn phụ trách cho đội.",
            "A team needs at least one area to work in.",
        ));
    }
    let mut unknown = Vec::new();
    for code in &codes {
        if !refdata::area_exists(sql, code)? {
            unknown.push(code.as_str());
        }
    }
    if !unknown.is_empty() {
        let list = unknown.join(", ");
        return Err(AdminError::refused(
            "area_unknown",
            format!("Không có địa bàn mã {list} trong danh mục; hãy kiểm tra mã hoặc nhập danh mục địa bàn trước."),
            format!("No area with code {list}; check the codes or import the area list first."),
        ));
    }
    if let Some((unit_area, unit_area_name)) = &unit.area {
        let mut outside = Vec::new();
        for code in &codes {
            if !area_within(sql, code, unit_area)? {
                outside.push(code.as_str());
            }
        }
        if !outside.is_empty() {
            let list = outside.join(", ");
            return Err(AdminError::refused(
                "area_outside_unit",
                format!("Địa bàn {list} không thuộc {unit_area_name}, địa bàn của đơn vị \"{}\"; đội chỉ được phụ trách địa bàn của đơn vị mình.", unit.name),
                format!("Area {list} is not within {unit_area_name}, the area of the unit \"{}\"; a team works only in its unit's area.", unit.name),
            ));
        }
    }
    Ok(codes)
}

fn team_name(raw: &str) -> AdminResult<String> {
    check_name("tên đội", "The team name", raw).map_err(|e| e.with_code("team_name_invalid"))
}

fn member_name(raw: &str) -> AdminResult<String> {
    check_name("họ tên đội viên", "The member's name", raw)
        .map_err(|e| e.with_code("member_name_invalid"))
}

/// A team to create; `id` is made up when absent (an existing id is updated, as the demo's
/// second run does, keeping its members).
#[derive(Debug, Clone)]
pub struct NewTeam {
    pub id: Option<Uuid>,
    pub name: String,
    pub org_unit_id: Uuid,
    pub area_codes: Vec<String>,
}

pub fn create_team(sql: &mut dyn Sql, t: &NewTeam) -> AdminResult<Team> {
    let name = team_name(&t.name)?;
    let unit = team_unit(sql, t.org_unit_id)?;
    let area_codes = check_areas(sql, &unit, &t.area_codes)?;
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

pub fn rename_team(sql: &mut dyn Sql, id: Uuid, name: &str) -> AdminResult<Team> {
    let mut team = active_team(sql, id)?;
    team.name = team_name(name)?;
    let seq = refdata::bump(sql)?;
    sql.exec(
        "UPDATE teams SET name = ?, seq = ? WHERE id = ?",
        params![team.name.as_str(), seq, id],
    )?;
    Ok(team)
}

/// Replaces the areas a team works in.
pub fn set_team_areas(sql: &mut dyn Sql, id: Uuid, codes: &[String]) -> AdminResult<Team> {
    let mut team = active_team(sql, id)?;
    let unit = team_unit(sql, team.org_unit_id)?;
    team.area_codes = check_areas(sql, &unit, codes)?;
    let seq = refdata::bump(sql)?;
    sql.exec("UPDATE teams SET seq = ? WHERE id = ?", params![seq, id])?;
    sql.exec("DELETE FROM team_areas WHERE team_id = ?", params![id])?;
    for code in &team.area_codes {
        sql.exec(
            "INSERT INTO team_areas(team_id, area_code) VALUES (?, ?)",
            params![id, code.as_str()],
        )?;
    }
    Ok(team)
}

/// What deactivating a team or a member did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deactivated {
    /// The team's or member's name.
    pub name: String,
    /// The team's name (the member's team for a member).
    pub team_name: String,
    /// Phones revoked with it.
    pub devices_revoked: u64,
}

/// Unused enrolment codes of a member (or of a whole team) stop working: they would enrol a
/// phone into a team the member has left, or that no longer works.
fn expire_codes(sql: &mut dyn Sql, column: &str, id: Uuid, now: DateTime<Utc>) -> AdminResult<()> {
    let column = match column {
        "member_id" => "member_id",
        _ => "team_id",
    };
    let past = now - Duration::milliseconds(1);
    sql.exec(
        &format!("UPDATE enrol_codes SET expires_at = ? WHERE {column} = ? AND used_at IS NULL AND expires_at > ?"),
        params![past, id, past],
    )?;
    Ok(())
}

/// Revokes every phone in use by the members `where_members` selects (one `?`: `id`).
fn revoke_members_devices(
    sql: &mut dyn Sql,
    where_members: &str,
    id: Uuid,
    now: DateTime<Utc>,
) -> AdminResult<u64> {
    let devices = sql.query(
        &format!(
            "SELECT d.id FROM devices d JOIN members m ON m.id = d.member_id
             WHERE d.revoked_at IS NULL AND {where_members}"
        ),
        params![id],
    )?;
    for r in &devices {
        revoke_device(sql, r.uuid(0)?, now)?;
    }
    Ok(devices.len() as u64)
}

/// Deactivates a team: its phones are revoked, its unused codes stop working, it leaves the
/// phones' reference data and the lists; its records and past figures stay.
pub fn deactivate_team(
    sql: &mut dyn Sql,
    id: Uuid,
    now: DateTime<Utc>,
) -> AdminResult<Deactivated> {
    let team = active_team(sql, id)?;
    let seq = refdata::bump(sql)?;
    sql.exec(
        "UPDATE teams SET deactivated_at = ?, seq = ? WHERE id = ?",
        params![now, seq, id],
    )?;
    // The phones of the team's members; a phone still on this team whose member has moved on
    // follows its member at its next pull instead.
    let devices_revoked = revoke_members_devices(sql, "m.team_id = ?", id, now)?;
    expire_codes(sql, "team_id", id, now)?;
    Ok(Deactivated {
        name: team.name.clone(),
        team_name: team.name,
        devices_revoked,
    })
}

/// Lets a deactivated team work again (its members' phones need new enrolment codes).
pub fn reactivate_team(sql: &mut dyn Sql, id: Uuid) -> AdminResult<Team> {
    let team = load_team(sql, id)?;
    if team_deactivated_at(sql, id)?.is_none() {
        return Err(AdminError::refused(
            "team_active",
            format!("Đội \"{}\" đang hoạt động.", team.name),
            format!("The team \"{}\" is already active.", team.name),
        ));
    }
    team_unit(sql, team.org_unit_id)?;
    let seq = refdata::bump(sql)?;
    sql.exec(
        "UPDATE teams SET deactivated_at = NULL, seq = ? WHERE id = ?",
        params![seq, id],
    )?;
    Ok(team)
}

/// The name of the team's member `id`, or the id itself when the team does not list them (any
/// more).
pub fn member_name_or_id(team: &Team, id: Uuid) -> String {
    team.members
        .iter()
        .find(|m| m.id == id)
        .map_or_else(|| id.to_string(), |m| m.name.clone())
}

/// A member as the administration pages know them, deactivated or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRow {
    pub id: Uuid,
    pub team_id: Uuid,
    pub name: String,
    pub role: MemberRole,
    pub deactivated_at: Option<DateTime<Utc>>,
}

const MEMBER_QUERY: &str = "SELECT id, team_id, name, role, deactivated_at FROM members";

fn member_from_row(r: &crate::db::Row) -> AdminResult<MemberRow> {
    Ok(MemberRow {
        id: r.uuid(0)?,
        team_id: r.uuid(1)?,
        name: r.text(2),
        role: MemberRole::parse(&r.text(3)),
        deactivated_at: r.opt_time(4),
    })
}

pub fn load_member(sql: &mut dyn Sql, id: Uuid) -> AdminResult<MemberRow> {
    match sql.query_one(&format!("{MEMBER_QUERY} WHERE id = ?"), params![id])? {
        Some(r) => member_from_row(&r),
        None => Err(AdminError::not_found(
            format!("Không có đội viên mã {id}."),
            format!("No member with id {id}."),
        )),
    }
}

/// Every member of a team, deactivated ones too (by name).
pub fn team_members(sql: &mut dyn Sql, team_id: Uuid) -> AdminResult<Vec<MemberRow>> {
    sql.query(
        &format!("{MEMBER_QUERY} WHERE team_id = ? ORDER BY name, id"),
        params![team_id],
    )?
    .iter()
    .map(member_from_row)
    .collect()
}

/// A member that may be changed (not deactivated), in a team that may be changed.
fn active_member(sql: &mut dyn Sql, id: Uuid) -> AdminResult<(MemberRow, Team)> {
    let member = load_member(sql, id)?;
    if member.deactivated_at.is_some() {
        return Err(AdminError::refused(
            "member_deactivated",
            format!("Đội viên \"{}\" đã ngừng hoạt động.", member.name),
            format!("The member \"{}\" is deactivated.", member.name),
        ));
    }
    let team = active_team(sql, member.team_id)?;
    Ok((member, team))
}

/// Makes every leader of `team_id` but `keep` an ordinary member (a team has one leader).
fn demote_leaders(sql: &mut dyn Sql, team_id: Uuid, keep: Uuid, seq: i64) -> AdminResult<()> {
    sql.exec(
        "UPDATE members SET role = ?, seq = ? WHERE team_id = ? AND role = ? AND id <> ?",
        params![
            MemberRole::Member.as_str(),
            seq,
            team_id,
            MemberRole::Leader.as_str(),
            keep
        ],
    )?;
    Ok(())
}

/// Adds a member (`id` made up when absent); a new leader replaces the team's leader.
pub fn add_member(
    sql: &mut dyn Sql,
    team_id: Uuid,
    id: Option<Uuid>,
    name: &str,
    leader: bool,
) -> AdminResult<TeamMember> {
    let name = member_name(name)?;
    active_team(sql, team_id)?;
    let member = TeamMember {
        id: id.unwrap_or_else(Uuid::now_v7),
        name,
        role: if leader {
            MemberRole::Leader
        } else {
            MemberRole::Member
        },
    };
    if leader {
        let seq = refdata::bump(sql)?;
        demote_leaders(sql, team_id, member.id, seq)?;
    }
    refdata::add_member(sql, team_id, &member)?;
    Ok(member)
}

pub fn rename_member(sql: &mut dyn Sql, id: Uuid, name: &str) -> AdminResult<MemberRow> {
    let (mut member, _) = active_member(sql, id)?;
    member.name = member_name(name)?;
    let seq = refdata::bump(sql)?;
    sql.exec(
        "UPDATE members SET name = ?, seq = ? WHERE id = ?",
        params![member.name.as_str(), seq, id],
    )?;
    Ok(member)
}

/// Makes a member their team's leader; the previous leader becomes an ordinary member.
pub fn set_leader(sql: &mut dyn Sql, id: Uuid) -> AdminResult<MemberRow> {
    let (mut member, team) = active_member(sql, id)?;
    let seq = refdata::bump(sql)?;
    demote_leaders(sql, team.id, id, seq)?;
    sql.exec(
        "UPDATE members SET role = ?, seq = ? WHERE id = ?",
        params![MemberRole::Leader.as_str(), seq, id],
    )?;
    member.role = MemberRole::Leader;
    Ok(member)
}

/// What moving a member did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moved {
    pub member: MemberRow,
    pub from: Team,
    pub to: Team,
}

/// Moves a member to another team, as an ordinary member (the new team keeps its leader). Their
/// enrolled phones follow at their next pull (see the module's notes); unused codes stop working.
pub fn move_member(
    sql: &mut dyn Sql,
    id: Uuid,
    to_team: Uuid,
    now: DateTime<Utc>,
) -> AdminResult<Moved> {
    let mut member = load_member(sql, id)?;
    if member.deactivated_at.is_some() {
        return Err(AdminError::refused(
            "member_deactivated",
            format!("Đội viên \"{}\" đã ngừng hoạt động.", member.name),
            format!("The member \"{}\" is deactivated.", member.name),
        ));
    }
    // A deactivated team's members may still be moved out of it.
    let from = load_team(sql, member.team_id)?;
    let to = active_team(sql, to_team)?;
    if from.id == to.id {
        return Err(AdminError::refused(
            "member_same_team",
            format!("Đội viên \"{}\" đã ở đội \"{}\".", member.name, to.name),
            format!(
                "\"{}\" is already in the team \"{}\".",
                member.name, to.name
            ),
        ));
    }
    let seq = refdata::bump(sql)?;
    sql.exec(
        "UPDATE members SET team_id = ?, role = ?, seq = ? WHERE id = ?",
        params![to.id, MemberRole::Member.as_str(), seq, id],
    )?;
    expire_codes(sql, "member_id", id, now)?;
    member.team_id = to.id;
    member.role = MemberRole::Member;
    Ok(Moved { member, from, to })
}

/// Deactivates a member: their phones are revoked, their unused codes stop working, they leave
/// the team's reference data; their past visits stay.
pub fn deactivate_member(
    sql: &mut dyn Sql,
    id: Uuid,
    now: DateTime<Utc>,
) -> AdminResult<Deactivated> {
    let member = load_member(sql, id)?;
    if member.deactivated_at.is_some() {
        return Err(AdminError::refused(
            "member_deactivated",
            format!("Đội viên \"{}\" đã ngừng hoạt động.", member.name),
            format!("The member \"{}\" is already deactivated.", member.name),
        ));
    }
    let team = load_team(sql, member.team_id)?;
    let seq = refdata::bump(sql)?;
    sql.exec(
        "UPDATE members SET deactivated_at = ?, seq = ? WHERE id = ?",
        params![now, seq, id],
    )?;
    let devices_revoked = revoke_members_devices(sql, "m.id = ?", id, now)?;
    expire_codes(sql, "member_id", id, now)?;
    Ok(Deactivated {
        name: member.name,
        team_name: team.name,
        devices_revoked,
    })
}
