//! Walk lists on the server: who of a team has which hamlets or households to cover in the
//! campaign running today, and how much is left. The dashboard's `/assignments` page and
//! `gocua admin assign | assignments | revoke-assignment` call these functions; a leader's
//! assignments from the phone arrive through the ingest, which stores them with
//! [`store_assignment`] as these do.
//!
//! Rules kept here, once (the rules themselves are the protocol's, `assignment.rs`):
//! - an assignment belongs to a team, names an active member of it, and a hamlet of the team's
//!   areas or one of the team's households, in the campaign running on the day it is made;
//! - it is never deleted: revoking stores a later state, merged by hybrid clock with whatever a
//!   leader's phone sends (last writer wins);
//! - "left" is counted like the phone's "Chưa đến": a household is reached when one of its
//!   current visits started within the campaign's days; a hamlet's households are the team's
//!   households there, erased ones left out.

use chrono::{DateTime, Utc};
use gocua_protocol::assignment::{self, AssignmentContext};
use gocua_protocol::*;
use uuid::Uuid;

use super::campaigns::list_campaigns;
use super::error::{AdminError, AdminResult};
use super::teams::active_team;
use crate::db::{DbError, DbResult, Sql};
use crate::domain::{calendar, refdata};
use crate::params;

/// The campaign running on `day`: the most recently started one whose days include it (as the
/// phone picks it).
pub fn campaign_running_on(
    sql: &mut dyn Sql,
    day: chrono::NaiveDate,
) -> AdminResult<Option<Campaign>> {
    Ok(list_campaigns(sql)?
        .into_iter()
        .filter(|c| c.starts_on <= day && day <= c.ends_on)
        .max_by_key(|c| (c.starts_on, c.id)))
}

/// The area tree an assignment of `team` is checked against: the team's areas (with what lies
/// below and above them) and, for a hamlet target, that hamlet and its ancestors, so a hamlet
/// outside the team's areas is recognised as such.
fn tree_for(sql: &mut dyn Sql, team_id: Uuid, target: &AssignmentTarget) -> DbResult<AreaTree> {
    let mut areas = refdata::team_areas(sql, team_id)?;
    if let AssignmentTarget::Hamlet { hamlet_code, .. } = target {
        let up = sql.query(
            "WITH RECURSIVE up(code) AS (SELECT ? UNION SELECT a.parent_code FROM areas a JOIN up u ON a.code = u.code WHERE a.parent_code IS NOT NULL)
             SELECT a.code, a.name, a.level, a.division_type, a.parent_code FROM areas a JOIN up u ON a.code = u.code",
            params![hamlet_code.as_str()],
        )?;
        areas.extend(up.iter().map(refdata::area_from_row));
    }
    Ok(AreaTree::new(&areas))
}

/// The team a household belongs to, if the server has it.
fn household_team(sql: &mut dyn Sql, id: Uuid) -> DbResult<Option<Uuid>> {
    sql.query_one("SELECT team_id FROM households WHERE id = ?", params![id])?
        .map(|r| r.uuid(0))
        .transpose()
}

/// Checks `a` with the protocol's rules against what the server holds: its team (active members
/// and areas), the campaign it names, its target. `day` is the day it was made.
pub fn check_assignment(
    sql: &mut dyn Sql,
    team: &Team,
    a: &Assignment,
    day: chrono::NaiveDate,
) -> DbResult<Result<(), ValidationErrors>> {
    let tree = tree_for(sql, team.id, &a.target)?;
    let campaign: Option<Campaign> = sql
        .query_one(
            "SELECT body FROM campaigns WHERE id = ?",
            params![a.campaign_id],
        )?
        .map(|r| r.json(0))
        .transpose()?;
    let household_team = match &a.target {
        AssignmentTarget::Household { household_id } => household_team(sql, *household_id)?,
        AssignmentTarget::Hamlet { .. } => None,
    };
    Ok(assignment::validate_assignment(
        a,
        &AssignmentContext {
            team,
            tree: &tree,
            campaign: campaign.as_ref(),
            day,
            household_team,
        },
    ))
}

/// What storing a state of an assignment did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    Inserted,
    /// A later state (a revocation) replaced the stored one.
    Updated,
    /// Nothing new: the stored state is the same or later.
    Duplicate,
    /// The id is taken by a different assignment (another member, target, …).
    Conflict,
}

/// Stores a state of an assignment, merged by hybrid clock with the stored one, and moves the
/// walk-list counter so the team's phones pull again. In the caller's transaction.
pub fn store_assignment(sql: &mut dyn Sql, a: &Assignment, now: DateTime<Utc>) -> DbResult<Stored> {
    let (commune, hamlet, household) = match &a.target {
        AssignmentTarget::Hamlet {
            commune_code,
            hamlet_code,
        } => (commune_code.clone(), Some(hamlet_code.clone()), None),
        AssignmentTarget::Household { household_id } => {
            let commune = sql
                .query_one(
                    "SELECT commune_code FROM households WHERE id = ?",
                    params![*household_id],
                )?
                .map_or_else(String::new, |r| r.text(0));
            (commune, None, Some(*household_id))
        }
    };
    // Locks the stored row (a no-op UPDATE … RETURNING), as households do.
    let stored = sql.query_one(
        "UPDATE assignments SET id = id WHERE id = ? RETURNING body",
        params![a.id],
    )?;
    let body =
        |x: &Assignment| serde_json::to_string(x).map_err(|e| DbError::Corrupt(e.to_string()));
    match stored {
        None => {
            let seq = refdata::bump_assignments(sql)?;
            sql.exec(
                "INSERT INTO assignments(id, campaign_id, team_id, member_id, commune_code, hamlet_code, household_id,
                   revoked, created_at, body, updated_at, seq)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                params![
                    a.id, a.campaign_id, a.team_id, a.member_id, commune.as_str(), hamlet, household,
                    a.revoked, a.created_at, body(a)?, now, seq
                ],
            )?;
            Ok(Stored::Inserted)
        }
        Some(row) => {
            let old: Assignment = row.json(0)?;
            if !old.same_assignment(a) {
                return Ok(Stored::Conflict);
            }
            let merged = old.merge(a);
            if merged == old {
                return Ok(Stored::Duplicate);
            }
            let seq = refdata::bump_assignments(sql)?;
            sql.exec(
                "UPDATE assignments SET revoked = ?, body = ?, updated_at = ?, seq = ? WHERE id = ?",
                params![merged.revoked, body(&merged)?, now, seq, a.id],
            )?;
            Ok(Stored::Updated)
        }
    }
}

/// What a coordinator assigns.
#[derive(Debug, Clone)]
pub struct NewAssignment {
    pub team_id: Uuid,
    pub member_id: Uuid,
    pub target: AssignmentTarget,
    /// The coordinator's account id (the CLI: the nil id, "the server's operator").
    pub by: Uuid,
    pub now: DateTime<Utc>,
}

fn from_validation(e: &ValidationErrors) -> AdminError {
    let first = e.first();
    AdminError::Invalid {
        code: first.code.as_str(),
        vi: first.message_vi.clone(),
        en: first.message_en.clone(),
    }
}

/// The target of a hamlet code: the hamlet with its commune (its parent in the area tree).
pub fn hamlet_target(sql: &mut dyn Sql, hamlet_code: &str) -> AdminResult<AssignmentTarget> {
    let parent = sql
        .query_one(
            "SELECT parent_code FROM areas WHERE code = ? AND level = 'hamlet'",
            params![hamlet_code],
        )?
        .and_then(|r| r.opt_text(0));
    match parent {
        Some(commune_code) => Ok(AssignmentTarget::Hamlet {
            commune_code,
            hamlet_code: hamlet_code.to_owned(),
        }),
        None => Err(AdminError::Invalid {
            code: "unknown_area",
            vi: format!("Không có thôn, ấp mã \"{hamlet_code}\"."),
            en: format!("No hamlet with code \"{hamlet_code}\"."),
        }),
    }
}

/// A coordinator gives a member of an active team a hamlet or household in the campaign running
/// today. Refused with the protocol's codes (`assignee_not_in_team`, `area_outside_team`,
/// `household_not_in_team`, `campaign_not_running`, `unknown_area`); nothing stored then.
pub fn create_assignment(sql: &mut dyn Sql, new: &NewAssignment) -> AdminResult<Assignment> {
    let team = active_team(sql, new.team_id)?;
    let today = calendar::day_of(new.now);
    let campaign = campaign_running_on(sql, today)?;
    let a = Assignment {
        id: Uuid::now_v7(),
        // No campaign running: the rule below refuses it with its code.
        campaign_id: campaign.map_or(Uuid::nil(), |c| c.id),
        team_id: team.id,
        member_id: new.member_id,
        target: new.target.clone(),
        assigned_by: Assigner::Coordinator(new.by),
        created_at: new.now,
        revoked: false,
        hlc: Hlc::of_clock(new.now.timestamp_millis()),
    };
    check_assignment(sql, &team, &a, today)?.map_err(|e| from_validation(&e))?;
    store_assignment(sql, &a, new.now)?;
    Ok(a)
}

pub fn load_assignment(sql: &mut dyn Sql, id: Uuid) -> AdminResult<Assignment> {
    super::load_body(sql, "assignments", id, ("phân công", "assignment"))
}

/// Revokes an assignment (a later state of it, stamped after the stored one). Revoking one
/// already revoked is refused (`already_revoked`).
pub fn revoke_assignment(
    sql: &mut dyn Sql,
    id: Uuid,
    now: DateTime<Utc>,
) -> AdminResult<Assignment> {
    let mut a = load_assignment(sql, id)?;
    if a.revoked {
        return Err(AdminError::refused(
            "already_revoked",
            "Phân công này đã được thu hồi.",
            "This assignment was already revoked.",
        ));
    }
    a.revoked = true;
    a.hlc = Hlc::tick(a.hlc, now.timestamp_millis(), 0);
    store_assignment(sql, &a, now)?;
    Ok(a)
}

/// One assignment as the dashboard and the CLI list it.
#[derive(Debug, Clone)]
pub struct AssignmentRow {
    pub assignment: Assignment,
    pub member_name: String,
    /// "Khu phố 1" for a hamlet; "Nguyễn Văn A — 12 Lê Lợi" for a household.
    pub target_name: String,
    pub remaining: Remaining,
}

impl AssignmentRow {
    /// "Khu phố 1 — còn 12/40 hộ".
    pub fn remaining_line(&self, lang: gocua_protocol::format::Lang) -> String {
        assignment::list_line(&self.target_name, &self.remaining, lang)
    }
}

/// A target as the audit log keeps it: the hamlet's code or the household's id (never a name:
/// the log outlives an erasure).
pub fn target_code(target: &AssignmentTarget) -> String {
    match target {
        AssignmentTarget::Hamlet { hamlet_code, .. } => hamlet_code.clone(),
        AssignmentTarget::Household { household_id } => household_id.to_string(),
    }
}

/// The current (not revoked) assignments of a team in the campaign running today, with what is
/// left of each, by member name then target name. No campaign running: none.
pub fn list_assignments(
    sql: &mut dyn Sql,
    team_id: Uuid,
    now: DateTime<Utc>,
) -> AdminResult<Vec<AssignmentRow>> {
    let Some(campaign) = campaign_running_on(sql, calendar::day_of(now))? else {
        return Ok(Vec::new());
    };
    let (start, end) = calendar::day_range(campaign.starts_on, campaign.ends_on);
    let rows = sql.query(
        "SELECT a.body, COALESCE(m.name, ''), COALESCE(ar.name, ''), h.body FROM assignments a
           LEFT JOIN members m ON m.id = a.member_id
           LEFT JOIN areas ar ON ar.code = a.hamlet_code
           LEFT JOIN households h ON h.id = a.household_id
         WHERE a.team_id = ? AND a.campaign_id = ? AND a.revoked = 0",
        params![team_id, campaign.id],
    )?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let assignment: Assignment = r.json(0)?;
        let (target_name, remaining) = match &assignment.target {
            AssignmentTarget::Hamlet { hamlet_code, .. } => {
                let counts = sql
                    .query_one(
                        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM visits v WHERE v.household_id = h.id
                             AND v.superseded_by IS NULL AND v.started_at >= ? AND v.started_at < ?) THEN 1 ELSE 0 END), 0)
                         FROM households h WHERE h.team_id = ? AND h.hamlet_code = ? AND h.erased = 0",
                        params![start, end, team_id, hamlet_code.as_str()],
                    )?
                    .map_or((0, 0), |c| (c.int(0), c.int(1)));
                let known = u32::try_from(counts.0).unwrap_or(u32::MAX);
                let reached = u32::try_from(counts.1).unwrap_or(u32::MAX);
                (
                    r.text(2),
                    Remaining::Hamlet {
                        left: known.saturating_sub(reached),
                        known,
                    },
                )
            }
            AssignmentTarget::Household { household_id } => {
                let reached = sql
                    .query_one(
                        "SELECT 1 FROM visits v WHERE v.household_id = ? AND v.superseded_by IS NULL
                           AND v.started_at >= ? AND v.started_at < ? LIMIT 1",
                        params![*household_id, start, end],
                    )?
                    .is_some();
                let name = match r.opt_text(3) {
                    Some(body) => {
                        let h: Household = serde_json::from_str(&body)
                            .map_err(|e| DbError::Corrupt(e.to_string()))?;
                        household_name(&h)
                    }
                    None => household_id.to_string(),
                };
                (name, Remaining::Household { reached })
            }
        };
        out.push(AssignmentRow {
            assignment,
            member_name: r.text(1),
            target_name,
            remaining,
        });
    }
    out.sort_by(|a, b| {
        (&a.member_name, &a.target_name, a.assignment.id).cmp(&(
            &b.member_name,
            &b.target_name,
            b.assignment.id,
        ))
    });
    Ok(out)
}

/// How a household is named in a walk list: head and address ("—" joined), or that its data was
/// erased.
pub fn household_name(h: &Household) -> String {
    if h.erased {
        return "(đã xoá thông tin / erased)".into();
    }
    match (h.head_name.trim(), h.address_line.trim()) {
        (name, "") => name.to_owned(),
        (name, address) => format!("{name} — {address}"),
    }
}

/// The team's households a coordinator may pick from (erased ones left out), by head name, at
/// most `limit`.
pub fn team_households(
    sql: &mut dyn Sql,
    team_id: Uuid,
    limit: u32,
) -> AdminResult<Vec<(Uuid, String)>> {
    let rows = sql.query(
        "SELECT id, body FROM households WHERE team_id = ? AND erased = 0",
        params![team_id],
    )?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let h: Household = r.json(1)?;
        out.push((r.uuid(0)?, household_name(&h)));
    }
    out.sort_by(|a, b| (&a.1, a.0).cmp(&(&b.1, b.0)));
    out.truncate(limit as usize);
    Ok(out)
}

/// The hamlets of the team's areas (a commune's hamlets, or a hamlet itself), by commune then
/// name, as (hamlet, commune name).
pub fn team_hamlets(sql: &mut dyn Sql, team_id: Uuid) -> AdminResult<Vec<(Area, String)>> {
    let areas = refdata::team_areas(sql, team_id)?;
    let tree = AreaTree::new(&areas);
    let team = super::teams::load_team(sql, team_id)?;
    let name_of = |code: &str| {
        areas
            .iter()
            .find(|a| a.code == code)
            .map_or_else(|| code.to_owned(), |a| a.name.clone())
    };
    let mut out: Vec<(Area, String)> = areas
        .iter()
        .filter(|a| a.level == AreaLevel::Hamlet && tree.is_within_any(&a.code, &team.area_codes))
        .map(|a| {
            let commune = a.parent_code.as_deref().map(name_of).unwrap_or_default();
            (a.clone(), commune)
        })
        .collect();
    out.sort_by(|a, b| (&a.1, &a.0.name, &a.0.code).cmp(&(&b.1, &b.0.name, &b.0.code)));
    Ok(out)
}
