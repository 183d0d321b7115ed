//! Reference data on the server: written by coordinators (`gocua admin`, later the dashboard),
//! read by phones through pull, and cached in memory for validating uploads.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use chrono::{DateTime, Duration, Utc};
use gocua_protocol::*;
use uuid::Uuid;

use crate::db::{DbError, DbResult, Sql};
use crate::domain::auth;
use crate::params;

pub const REFERENCE_COUNTER: &str = "reference";

/// Stamps a reference change: rows written in this transaction carry the returned value.
pub fn bump(sql: &mut dyn Sql) -> DbResult<i64> {
    sql.next_seq(REFERENCE_COUNTER)
}

pub fn current_seq(sql: &mut dyn Sql) -> DbResult<i64> {
    Ok(sql
        .query_one(
            "SELECT value FROM counters WHERE name = ?",
            params![REFERENCE_COUNTER],
        )?
        .map_or(0, |r| r.int(0)))
}

pub fn upsert_areas(sql: &mut dyn Sql, areas: &[Area]) -> DbResult<usize> {
    let seq = bump(sql)?;
    for a in areas {
        sql.exec(
            "INSERT INTO areas(code, name, level, division_type, parent_code, seq) VALUES (?, ?, ?, ?, ?, ?)
             ON CONFLICT(code) DO UPDATE SET name = excluded.name, level = excluded.level,
               division_type = excluded.division_type, parent_code = excluded.parent_code, seq = excluded.seq",
            params![a.code.as_str(), a.name.as_str(), a.level.as_str(), a.division_type.as_str(), a.parent_code.clone(), seq],
        )?;
    }
    Ok(areas.len())
}

pub fn area_exists(sql: &mut dyn Sql, code: &str) -> DbResult<bool> {
    Ok(sql
        .query_one("SELECT 1 FROM areas WHERE code = ?", params![code])?
        .is_some())
}

pub fn upsert_services(sql: &mut dyn Sql, services: &[Service]) -> DbResult<usize> {
    let seq = bump(sql)?;
    for s in services {
        let body = serde_json::to_string(s).map_err(|e| DbError::Corrupt(e.to_string()))?;
        sql.exec(
            "INSERT INTO services(key, body, seq) VALUES (?, ?, ?)
             ON CONFLICT(key) DO UPDATE SET body = excluded.body, seq = excluded.seq",
            params![s.key.as_str(), body, seq],
        )?;
    }
    Ok(services.len())
}

pub fn upsert_org_unit(sql: &mut dyn Sql, u: &OrgUnit) -> DbResult<()> {
    let seq = bump(sql)?;
    sql.exec(
        "INSERT INTO org_units(id, name, kind, parent_id, area_code, seq) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, kind = excluded.kind, parent_id = excluded.parent_id,
           area_code = excluded.area_code, seq = excluded.seq",
        params![u.id, u.name.as_str(), u.kind.as_str(), u.parent_id, u.area_code.clone(), seq],
    )?;
    Ok(())
}

/// Deactivates a unit (`Some(when)`) or makes it active again (`None`), stamped as a reference
/// change so phones pull the unit again.
pub fn set_org_unit_deactivated(
    sql: &mut dyn Sql,
    id: Uuid,
    at: Option<DateTime<Utc>>,
) -> DbResult<()> {
    let seq = bump(sql)?;
    sql.exec(
        "UPDATE org_units SET deactivated_at = ?, seq = ? WHERE id = ?",
        params![at, seq, id],
    )?;
    Ok(())
}

/// Creates or replaces a team with its areas and members.
pub fn upsert_team(sql: &mut dyn Sql, t: &Team) -> DbResult<()> {
    let seq = bump(sql)?;
    sql.exec(
        "INSERT INTO teams(id, name, org_unit_id, seq) VALUES (?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, org_unit_id = excluded.org_unit_id, seq = excluded.seq",
        params![t.id, t.name.as_str(), t.org_unit_id, seq],
    )?;
    sql.exec("DELETE FROM team_areas WHERE team_id = ?", params![t.id])?;
    for code in &t.area_codes {
        sql.exec(
            "INSERT INTO team_areas(team_id, area_code) VALUES (?, ?)",
            params![t.id, code.as_str()],
        )?;
    }
    for m in &t.members {
        upsert_member(sql, t.id, m, seq)?;
    }
    Ok(())
}

fn upsert_member(sql: &mut dyn Sql, team_id: Uuid, m: &TeamMember, seq: i64) -> DbResult<()> {
    sql.exec(
        "INSERT INTO members(id, team_id, name, role, seq) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET team_id = excluded.team_id, name = excluded.name, role = excluded.role, seq = excluded.seq",
        params![m.id, team_id, m.name.as_str(), m.role.as_str(), seq],
    )?;
    Ok(())
}

pub fn add_member(sql: &mut dyn Sql, team_id: Uuid, m: &TeamMember) -> DbResult<()> {
    let seq = bump(sql)?;
    upsert_member(sql, team_id, m, seq)
}

pub fn upsert_campaign(sql: &mut dyn Sql, c: &Campaign) -> DbResult<()> {
    let seq = bump(sql)?;
    let body = serde_json::to_string(c).map_err(|e| DbError::Corrupt(e.to_string()))?;
    sql.exec(
        "INSERT INTO campaigns(id, body, seq) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET body = excluded.body, seq = excluded.seq",
        params![c.id, body, seq],
    )?;
    Ok(())
}

pub fn upsert_target(sql: &mut dyn Sql, t: &Target) -> DbResult<()> {
    let seq = bump(sql)?;
    let body = serde_json::to_string(t).map_err(|e| DbError::Corrupt(e.to_string()))?;
    sql.exec(
        "INSERT INTO targets(id, campaign_id, team_id, org_unit_id, indicator, body, seq) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET campaign_id = excluded.campaign_id, team_id = excluded.team_id,
           org_unit_id = excluded.org_unit_id, indicator = excluded.indicator, body = excluded.body, seq = excluded.seq",
        params![t.id, t.campaign_id, t.team_id, t.org_unit_id, t.indicator.as_str(), body, seq],
    )?;
    Ok(())
}

/// Removes a target (a coordinator's "no target"); phones lose it at their next pull.
pub fn delete_target(sql: &mut dyn Sql, id: Uuid) -> DbResult<()> {
    bump(sql)?;
    sql.exec("DELETE FROM targets WHERE id = ?", params![id])?;
    Ok(())
}

/// Issues a one-time enrolment code for a team member; returns the code to show (once).
pub fn issue_enrol_code(
    sql: &mut dyn Sql,
    team_id: Uuid,
    member_id: Uuid,
    now: DateTime<Utc>,
    valid_for: Duration,
) -> DbResult<String> {
    let code = auth::new_enrol_code();
    sql.exec(
        "INSERT INTO enrol_codes(code_hash, team_id, member_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
        params![auth::code_hash(&code), team_id, member_id, now, now + valid_for],
    )?;
    Ok(code)
}

/// A team (deactivated or not) with its active members: a deactivated member is in no team's
/// reference data.
pub fn load_team(sql: &mut dyn Sql, id: Uuid) -> DbResult<Option<Team>> {
    let Some(row) = sql.query_one(
        "SELECT id, name, org_unit_id FROM teams WHERE id = ?",
        params![id],
    )?
    else {
        return Ok(None);
    };
    let areas = sql.query(
        "SELECT area_code FROM team_areas WHERE team_id = ? ORDER BY area_code",
        params![id],
    )?;
    let members = sql.query(
        "SELECT id, name, role FROM members WHERE team_id = ? AND deactivated_at IS NULL ORDER BY name",
        params![id],
    )?;
    Ok(Some(Team {
        id: row.uuid(0)?,
        name: row.text(1),
        org_unit_id: row.uuid(2)?,
        area_codes: areas.iter().map(|r| r.text(0)).collect(),
        members: members
            .iter()
            .map(|r| {
                Ok(TeamMember {
                    id: r.uuid(0)?,
                    name: r.text(1),
                    role: MemberRole::parse(&r.text(2)),
                })
            })
            .collect::<DbResult<_>>()?,
    }))
}

/// Every area of the tree (tens of thousands with hamlets; read once per cache reload).
pub fn all_areas(sql: &mut dyn Sql) -> DbResult<Vec<Area>> {
    Ok(sql
        .query(
            "SELECT code, name, level, division_type, parent_code FROM areas",
            &[],
        )?
        .iter()
        .map(area_from_row)
        .collect())
}

/// A unit from a row of `id, name, kind, parent_id, area_code`.
pub fn unit_from_row(r: &crate::db::Row) -> DbResult<OrgUnit> {
    Ok(OrgUnit {
        id: r.uuid(0)?,
        name: r.text(1),
        kind: OrgUnitKind::parse(&r.text(2)),
        parent_id: r.opt_uuid(3)?,
        area_code: r.opt_text(4),
    })
}

/// An area from a row of `code, name, level, division_type, parent_code`.
pub fn area_from_row(r: &crate::db::Row) -> Area {
    Area {
        code: r.text(0),
        name: r.text(1),
        level: AreaLevel::parse(&r.text(2)),
        division_type: r.text(3),
        parent_code: r.opt_text(4),
    }
}

/// The areas a team needs: its own areas, everything below them, and their ancestors.
pub fn team_areas(sql: &mut dyn Sql, team_id: Uuid) -> DbResult<Vec<Area>> {
    let below = sql.query(
        "WITH RECURSIVE scope(code) AS (
             SELECT area_code FROM team_areas WHERE team_id = ?
             UNION SELECT a.code FROM areas a JOIN scope s ON a.parent_code = s.code)
         SELECT a.code, a.name, a.level, a.division_type, a.parent_code FROM areas a JOIN scope s ON a.code = s.code",
        params![team_id],
    )?;
    let above = sql.query(
        "WITH RECURSIVE up(code) AS (
             SELECT a.parent_code FROM areas a JOIN team_areas t ON t.area_code = a.code WHERE t.team_id = ? AND a.parent_code IS NOT NULL
             UNION SELECT a.parent_code FROM areas a JOIN up u ON a.code = u.code WHERE a.parent_code IS NOT NULL)
         SELECT a.code, a.name, a.level, a.division_type, a.parent_code FROM areas a JOIN up u ON a.code = u.code",
        params![team_id],
    )?;
    let mut out: Vec<Area> = below
        .iter()
        .chain(above.iter())
        .map(area_from_row)
        .collect();
    out.sort_by(|a, b| a.code.cmp(&b.code));
    out.dedup_by(|a, b| a.code == b.code);
    Ok(out)
}

fn bodies<T: serde::de::DeserializeOwned>(
    sql: &mut dyn Sql,
    query: &str,
    p: &[crate::db::Value],
) -> DbResult<Vec<T>> {
    sql.query(query, p)?.iter().map(|r| r.json(0)).collect()
}

/// A phone's team at its pull: when its member was moved to another team
/// (`coordination::move_member`), the phone switches to the member's new team now and the
/// answer says so (`true`: send everything). The switch waits for the pull because a phone sends
/// its queue before it pulls: records it made for the old team arrive as that team's first.
pub fn follow_member(sql: &mut dyn Sql, device_id: Uuid, team_id: Uuid) -> DbResult<(Uuid, bool)> {
    let moved = sql.query_one(
        "UPDATE devices SET team_id = (SELECT m.team_id FROM members m WHERE m.id = devices.member_id)
         WHERE id = ? AND revoked_at IS NULL
           AND EXISTS (SELECT 1 FROM members m WHERE m.id = devices.member_id AND m.team_id <> devices.team_id)
         RETURNING team_id",
        params![device_id],
    )?;
    match moved {
        Some(r) => Ok((r.uuid(0)?, true)),
        None => Ok((team_id, false)),
    }
}

/// Everything a team's device works with (without achievements; see `ingest::achievements`).
/// A deactivated team's phones are revoked; were one to pull, it would get no team.
pub fn team_snapshot(sql: &mut dyn Sql, team_id: Uuid) -> DbResult<ReferenceData> {
    let active = sql
        .query_one(
            "SELECT 1 FROM teams WHERE id = ? AND deactivated_at IS NULL",
            params![team_id],
        )?
        .is_some();
    let team = if active {
        load_team(sql, team_id)?
    } else {
        None
    };
    let org_units = match &team {
        Some(t) => sql
            .query(
                "SELECT id, name, kind, parent_id, area_code FROM org_units WHERE id = ?",
                params![t.org_unit_id],
            )?
            .iter()
            .map(unit_from_row)
            .collect::<DbResult<_>>()?,
        None => Vec::new(),
    };
    Ok(ReferenceData {
        areas: team_areas(sql, team_id)?,
        org_units,
        teams: team.into_iter().collect(),
        services: bodies(sql, "SELECT body FROM services ORDER BY key", &[])?,
        campaigns: bodies(sql, "SELECT body FROM campaigns ORDER BY id", &[])?,
        targets: bodies(
            sql,
            "SELECT body FROM targets WHERE team_id = ? ORDER BY id",
            params![team_id],
        )?,
        achievements: Vec::new(),
        time_zone: Some(crate::domain::calendar::get().zone_name().to_owned()),
        assignments: if active {
            team_assignments(sql, team_id)?
        } else {
            Vec::new()
        },
        guides: phone_guides(sql)?,
    })
}

/// Every service guide, for the phones (written by `coordination::guides`).
fn phone_guides(sql: &mut dyn Sql) -> DbResult<Vec<gocua_protocol::guide::ServiceGuide>> {
    Ok(sql
        .query(
            "SELECT service_key, body, needs_check, updated_at FROM service_guides ORDER BY service_key",
            &[],
        )?
        .iter()
        .map(|r| gocua_protocol::guide::ServiceGuide {
            service_key: r.text(0),
            body: r.text(1),
            needs_check: r.int(2) != 0,
            updated_at: r.opt_time(3).unwrap_or_default(),
        })
        .collect())
}

// walk lists
/// Counts changes to assignments. Kept apart from [`REFERENCE_COUNTER`]: an assignment changes
/// no rule uploads are checked or counted with, so it must not reload the validation cache or
/// make every team's rollup recount; the pull cursor carries both counters.
pub const ASSIGNMENTS_COUNTER: &str = "assignments";

/// Stamps a change to assignments: phones of every team pull again (their next pull is full).
pub fn bump_assignments(sql: &mut dyn Sql) -> DbResult<i64> {
    sql.next_seq(ASSIGNMENTS_COUNTER)
}

pub fn assignments_seq(sql: &mut dyn Sql) -> DbResult<i64> {
    Ok(sql
        .query_one(
            "SELECT value FROM counters WHERE name = ?",
            params![ASSIGNMENTS_COUNTER],
        )?
        .map_or(0, |r| r.int(0)))
}

/// A team's current (not revoked) assignments, as its phones get them.
pub fn team_assignments(sql: &mut dyn Sql, team_id: Uuid) -> DbResult<Vec<Assignment>> {
    bodies(
        sql,
        "SELECT body FROM assignments WHERE team_id = ? AND revoked = 0 ORDER BY id",
        params![team_id],
    )
}

/// What upload validation needs, kept in memory and reloaded when reference data changes.
pub struct ValidationData {
    pub seq: i64,
    pub tree: AreaTree,
    pub services: Vec<Service>,
    pub team_areas: HashMap<Uuid, Vec<String>>,
}

#[derive(Default)]
pub struct ValidationCache {
    current: RwLock<Option<Arc<ValidationData>>>,
}

impl ValidationCache {
    /// The cached data, reloaded if the reference counter moved since it was loaded.
    pub fn get(&self, sql: &mut dyn Sql) -> DbResult<Arc<ValidationData>> {
        let seq = current_seq(sql)?;
        if let Some(data) = self
            .current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
        {
            if data.seq == seq {
                return Ok(data.clone());
            }
        }
        let areas = all_areas(sql)?;
        let mut team_areas: HashMap<Uuid, Vec<String>> = HashMap::new();
        for r in sql.query("SELECT team_id, area_code FROM team_areas", &[])? {
            team_areas.entry(r.uuid(0)?).or_default().push(r.text(1));
        }
        let data = Arc::new(ValidationData {
            seq,
            tree: AreaTree::new(&areas),
            services: bodies(sql, "SELECT body FROM services", &[])?,
            team_areas,
        });
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Some(data.clone());
        Ok(data)
    }
}
