//! Teams and members as the administration lists show them (`/admin/teams…`, `gocua admin
//! teams`): each team with its unit, areas, active members, leader and phones in use.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use gocua_protocol::{Area, MemberRole};
use uuid::Uuid;

use super::error::AdminResult;
use crate::db::Sql;
use crate::domain::refdata;
use crate::params;

/// Vietnamese names in the order people expect: diacritics and case folded first.
fn sort_key(name: &str) -> (String, String) {
    (gocua_protocol::text::fold(name), name.to_owned())
}

/// One team of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamRow {
    pub id: Uuid,
    pub name: String,
    pub org_unit_id: Uuid,
    pub unit_name: String,
    /// (code, name) of each area it works in, by name.
    pub areas: Vec<(String, String)>,
    /// Active members.
    pub members: u64,
    pub leader: Option<String>,
    /// Enrolled phones, not revoked, of its active members.
    pub phones: u64,
    pub deactivated_at: Option<DateTime<Utc>>,
}

/// Every team (deactivated ones too), by unit name then team name.
pub fn list_teams(sql: &mut dyn Sql) -> AdminResult<Vec<TeamRow>> {
    let mut areas: HashMap<Uuid, Vec<(String, String)>> = HashMap::new();
    for r in sql.query(
        "SELECT t.team_id, t.area_code, coalesce(a.name, t.area_code) FROM team_areas t
         LEFT JOIN areas a ON a.code = t.area_code",
        &[],
    )? {
        areas
            .entry(r.uuid(0)?)
            .or_default()
            .push((r.text(1), r.text(2)));
    }
    let mut members: HashMap<Uuid, u64> = HashMap::new();
    let mut leaders: HashMap<Uuid, String> = HashMap::new();
    for r in sql.query(
        "SELECT team_id, name, role FROM members WHERE deactivated_at IS NULL ORDER BY name",
        &[],
    )? {
        let team = r.uuid(0)?;
        *members.entry(team).or_default() += 1;
        if MemberRole::parse(&r.text(2)) == MemberRole::Leader {
            leaders.entry(team).or_insert_with(|| r.text(1));
        }
    }
    let mut phones: HashMap<Uuid, u64> = HashMap::new();
    for r in sql.query(
        "SELECT m.team_id, count(*) FROM devices d JOIN members m ON m.id = d.member_id
         WHERE d.revoked_at IS NULL AND m.deactivated_at IS NULL GROUP BY m.team_id",
        &[],
    )? {
        phones.insert(r.uuid(0)?, r.int(1) as u64);
    }
    let mut out = Vec::new();
    for r in sql.query(
        "SELECT t.id, t.name, t.org_unit_id, coalesce(u.name, ''), t.deactivated_at
         FROM teams t LEFT JOIN org_units u ON u.id = t.org_unit_id",
        &[],
    )? {
        let id = r.uuid(0)?;
        let mut team_areas = areas.remove(&id).unwrap_or_default();
        team_areas.sort_by_cached_key(|(_, name)| sort_key(name));
        out.push(TeamRow {
            id,
            name: r.text(1),
            org_unit_id: r.uuid(2)?,
            unit_name: r.text(3),
            areas: team_areas,
            members: members.get(&id).copied().unwrap_or(0),
            leader: leaders.remove(&id),
            phones: phones.get(&id).copied().unwrap_or(0),
            deactivated_at: r.opt_time(4),
        });
    }
    out.sort_by_cached_key(|t| (sort_key(&t.unit_name), sort_key(&t.name)));
    Ok(out)
}

/// A phone enrolled for a member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberPhone {
    pub id: Uuid,
    pub member_id: Uuid,
    pub label: String,
    pub last_seen_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// The member moved to another team and the phone has not pulled since: it still sends as
    /// its old team until its next sync.
    pub moving: bool,
}

/// The phones of a team's members (deactivated members' too), oldest enrolment first.
pub fn member_phones(sql: &mut dyn Sql, team_id: Uuid) -> AdminResult<Vec<MemberPhone>> {
    sql.query(
        "SELECT d.id, d.member_id, d.label, d.last_seen_at, d.revoked_at, d.team_id <> m.team_id
         FROM devices d JOIN members m ON m.id = d.member_id
         WHERE m.team_id = ? ORDER BY d.enrolled_at, d.id",
        params![team_id],
    )?
    .iter()
    .map(|r| {
        Ok(MemberPhone {
            id: r.uuid(0)?,
            member_id: r.uuid(1)?,
            label: r.text(2),
            last_seen_at: r.opt_time(3),
            revoked_at: r.opt_time(4),
            moving: r.int(5) != 0,
        })
    })
    .collect()
}

/// Every area at or below `code` (a province's communes and their hamlets: a few thousand), for
/// the team form's area picker.
pub fn areas_under(sql: &mut dyn Sql, code: &str) -> AdminResult<Vec<Area>> {
    Ok(sql
        .query(
            "WITH RECURSIVE sub(code) AS (
                 SELECT code FROM areas WHERE code = ?
                 UNION SELECT a.code FROM areas a JOIN sub s ON a.parent_code = s.code)
             SELECT a.code, a.name, a.level, a.division_type, a.parent_code
             FROM areas a JOIN sub s ON a.code = s.code",
            params![code],
        )?
        .iter()
        .map(refdata::area_from_row)
        .collect())
}

/// The units that may get teams: those not deactivated.
pub fn active_unit_ids(sql: &mut dyn Sql) -> AdminResult<std::collections::HashSet<Uuid>> {
    sql.query("SELECT id FROM org_units WHERE deactivated_at IS NULL", &[])?
        .iter()
        .map(|r| Ok(r.uuid(0)?))
        .collect()
}

/// A unit's area (code and name), when it has one.
pub fn unit_area(sql: &mut dyn Sql, unit: Uuid) -> AdminResult<Option<(String, String)>> {
    Ok(sql
        .query_one(
            "SELECT u.area_code, coalesce(a.name, u.area_code) FROM org_units u
             LEFT JOIN areas a ON a.code = u.area_code WHERE u.id = ? AND u.area_code IS NOT NULL",
            params![unit],
        )?
        .map(|r| (r.text(0), r.text(1))))
}
