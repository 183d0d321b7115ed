//! Walk lists on the phone ("Danh sách của tôi"): the hamlets and households this phone's
//! member was given to cover in the campaign running today, with what is left of each, offline.
//!
//! Assignments are reference data (`reference_items`, kind `assignment`): the server sends the
//! team's current ones with every full download. A leader's own assignments and revocations are
//! also queued for upload like any record; until the server has them, a download keeps them
//! (an entry still in the queue is never dropped by a full download) and the two states of one
//! assignment merge by hybrid clock, as on the server.

use gocua_protocol::assignment::{self, check_assigner, AssignmentContext, Remaining};
use gocua_protocol::format::Lang;
use gocua_protocol::*;
use rusqlite::{params, OptionalExtension};
use uuid::Uuid;

use crate::assignment_rows::{all, load, put};
use crate::error::{Error, Result};
use crate::outbox::enqueue;
use crate::store::Store;

/// One entry of a walk list, ready to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkItem {
    pub assignment: Assignment,
    /// The member it is given to.
    pub member_name: String,
    /// The hamlet's name, or the household's head and address.
    pub target_name: String,
    /// For a hamlet: its commune's name.
    pub commune_name: Option<String>,
    pub remaining: Remaining,
}

impl WalkItem {
    /// "Ấp Phú Hòa — còn 12/40 hộ".
    pub fn line(&self, lang: Lang) -> String {
        assignment::list_line(&self.target_name, &self.remaining, lang)
    }
}

impl Store {
    /// True when this phone's member leads the team (may assign and revoke).
    pub fn is_leader(&self) -> Result<bool> {
        let profile = self.require_profile()?;
        Ok(self
            .my_team()
            .is_ok_and(|t| check_assigner(&t, profile.volunteer_id).is_ok()))
    }

    /// "Danh sách của tôi": this phone's member's current assignments in the campaign running
    /// today, those with something left first, then by name. Empty when no campaign is running.
    pub fn my_list(&self) -> Result<Vec<WalkItem>> {
        let me = self.require_profile()?.volunteer_id;
        self.walk_list(|a| a.member_id == me)
    }

    /// The leader's view: every current assignment of the team in the campaign running today,
    /// by member, then as [`Store::my_list`] orders them.
    pub fn team_assignments(&self) -> Result<Vec<WalkItem>> {
        let mut items = self.walk_list(|_| true)?;
        items.sort_by(|a, b| a.member_name.cmp(&b.member_name));
        Ok(items)
    }

    fn walk_list(&self, keep: impl Fn(&Assignment) -> bool) -> Result<Vec<WalkItem>> {
        let profile = self.require_profile()?;
        let cache = self.reference_cache()?;
        let today = cache.calendar.day_of(self.clock.now());
        let Some(campaign) = cache.campaign_on(today) else {
            return Ok(Vec::new());
        };
        let team = cache.team(profile.team_id);
        let member_name = |id: Uuid| {
            team.and_then(|t| t.members.iter().find(|m| m.id == id))
                .map_or_else(String::new, |m| m.name.clone())
        };
        let assignments = self.read(all)?;
        let mut items = Vec::new();
        for a in assignments.into_iter().filter(|a| {
            !a.revoked && a.campaign_id == campaign.id && a.team_id == profile.team_id && keep(a)
        }) {
            let (target_name, commune_name, remaining) = match &a.target {
                AssignmentTarget::Hamlet {
                    commune_code,
                    hamlet_code,
                } => {
                    let c = self.coverage(Some(commune_code), Some(hamlet_code))?;
                    (
                        self.area(hamlet_code)?
                            .map_or_else(|| hamlet_code.clone(), |h| h.name),
                        self.area(commune_code)?.map(|c| c.name),
                        Remaining::Hamlet {
                            left: c.not_visited,
                            known: c.households,
                        },
                    )
                }
                AssignmentTarget::Household { household_id } => {
                    let (name, reached) = self.household_reached(*household_id)?;
                    (name, None, Remaining::Household { reached })
                }
            };
            items.push(WalkItem {
                member_name: member_name(a.member_id),
                assignment: a,
                target_name,
                commune_name,
                remaining,
            });
        }
        items.sort_by(|x, y| {
            x.remaining
                .finished()
                .cmp(&y.remaining.finished())
                .then_with(|| x.target_name.cmp(&y.target_name))
                .then_with(|| x.assignment.id.cmp(&y.assignment.id))
        });
        Ok(items)
    }

    /// A household's name for a walk list and whether the campaign running today reached it.
    fn household_reached(&self, id: Uuid) -> Result<(String, bool)> {
        let h = self.read(|c| {
            crate::records::load_household(c, id)
                .map(Some)
                .or_else(|e| match e {
                    Error::NotFound { .. } => Ok(None),
                    other => Err(other),
                })
        })?;
        let Some(h) = h else {
            return Ok((id.to_string(), false));
        };
        let name = match (h.head_name.trim(), h.address_line.trim()) {
            ("", _) => id.to_string(),
            (name, "") => name.to_owned(),
            (name, address) => format!("{name} — {address}"),
        };
        let (start, end) = self.campaign_span_millis()?;
        let reached = self.read(|c| {
            Ok(c.query_row(
                "SELECT EXISTS (SELECT 1 FROM visits v WHERE v.household_id = ?1
                   AND v.superseded_by IS NULL AND v.started_at >= ?2 AND v.started_at < ?3)",
                params![id.to_string(), start, end],
                |r| r.get::<_, bool>(0),
            )?)
        })?;
        Ok((name, reached))
    }

    /// A leader gives `member_id` a hamlet (with its commune) or a household in the campaign
    /// running today; queued for upload. Refused for anyone but the team's leader
    /// (`assigner_not_leader`) and by the protocol's rules, with their codes.
    pub fn assign(&self, member_id: Uuid, target: AssignmentTarget) -> Result<Assignment> {
        let profile = self.require_profile()?;
        let team = self.my_team()?;
        check_assigner(&team, profile.volunteer_id)?;
        let cache = self.reference_cache()?;
        let now = self.clock.now();
        let today = cache.calendar.day_of(now);
        let campaign = cache.campaign_on(today).cloned();
        let household_team = match &target {
            AssignmentTarget::Household { household_id } => self.read(|c| {
                Ok(c.query_row(
                    "SELECT 1 FROM households WHERE id = ?1",
                    [household_id.to_string()],
                    |_| Ok(()),
                )
                .optional()?
                .map(|_| team.id))
            })?,
            AssignmentTarget::Hamlet { .. } => None,
        };
        self.write(|tx| {
            let mut a = Assignment {
                id: Uuid::now_v7(),
                campaign_id: campaign.as_ref().map_or(Uuid::nil(), |c| c.id),
                team_id: team.id,
                member_id,
                target,
                assigned_by: Assigner::Member(profile.volunteer_id),
                created_at: now,
                revoked: false,
                hlc: Hlc::ZERO,
            };
            assignment::validate_assignment(
                &a,
                &AssignmentContext {
                    team: &team,
                    tree: &cache.tree,
                    campaign: campaign.as_ref(),
                    day: today,
                    household_team,
                },
            )?;
            a.hlc = self.next_hlc(tx)?;
            put(tx, &a)?;
            enqueue(tx, &RecordKind::Assignment, a.id, now)?;
            Ok(a)
        })
    }

    /// A leader withdraws an assignment (a later state of it, queued for upload).
    pub fn revoke_assignment(&self, id: Uuid) -> Result<Assignment> {
        let profile = self.require_profile()?;
        let team = self.my_team()?;
        check_assigner(&team, profile.volunteer_id)?;
        let now = self.clock.now();
        self.write(|tx| {
            let mut a = load(tx, id)?.ok_or(Error::NotFound {
                kind: "assignment",
                id,
            })?;
            if a.revoked {
                return Ok(a);
            }
            a.revoked = true;
            a.hlc = self.next_hlc(tx)?;
            put(tx, &a)?;
            enqueue(tx, &RecordKind::Assignment, a.id, now)?;
            Ok(a)
        })
    }
}
