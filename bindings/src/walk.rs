//! Walk lists for the apps: "Danh sách của tôi / My list" (the member's hamlets and households
//! in the campaign running today, with what is left, offline) and, for a team leader, assigning
//! and revoking. Every label is made here, in the chosen language; the apps only draw it.

use std::sync::Arc;

use gocua_core::protocol::format::Lang;
use gocua_core::protocol::{AssignmentTarget, MemberRole};
use gocua_core::WalkItem;

use crate::records::parse_id;
use crate::{FieldProfile, Result};

/// What an assignment names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum WalkTargetKind {
    Hamlet,
    Household,
}

/// One entry of a walk list, ready to draw.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct WalkItemView {
    /// The assignment's id (for `revoke_assignment`).
    pub id: String,
    pub member_id: String,
    pub member_name: String,
    pub kind: WalkTargetKind,
    /// For a hamlet: its commune and hamlet codes (to open `households_not_visited`).
    pub commune_code: Option<String>,
    pub hamlet_code: Option<String>,
    /// For a household: its id (to open the household).
    pub household_id: Option<String>,
    /// The hamlet's name, or the household's head and address.
    pub title: String,
    /// For a hamlet: its commune's name.
    pub subtitle: Option<String>,
    /// "còn 12/40 hộ", "đã đến hết", "chưa đến", …
    pub left_label: String,
    /// "Ấp Phú Hòa — còn 12/40 hộ".
    pub line: String,
    /// Nothing left to do (finished entries come last).
    pub finished: bool,
}

fn view(item: &WalkItem, lang: Lang) -> WalkItemView {
    let a = &item.assignment;
    let (kind, commune_code, hamlet_code, household_id) = match &a.target {
        AssignmentTarget::Hamlet {
            commune_code,
            hamlet_code,
        } => (
            WalkTargetKind::Hamlet,
            Some(commune_code.clone()),
            Some(hamlet_code.clone()),
            None,
        ),
        AssignmentTarget::Household { household_id } => (
            WalkTargetKind::Household,
            None,
            None,
            Some(household_id.to_string()),
        ),
    };
    WalkItemView {
        id: a.id.to_string(),
        member_id: a.member_id.to_string(),
        member_name: item.member_name.clone(),
        kind,
        commune_code,
        hamlet_code,
        household_id,
        title: item.target_name.clone(),
        subtitle: item.commune_name.clone(),
        left_label: item.remaining.label(lang),
        line: item.line(lang),
        finished: item.remaining.finished(),
    }
}

/// A member of the phone's team, for the leader's member picker.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TeamMemberView {
    pub id: String,
    pub name: String,
    pub is_leader: bool,
    /// "Đội trưởng" / "Team leader", "Đội viên" / "Member".
    pub role_label: String,
}

#[uniffi::export]
impl FieldProfile {
    /// "Danh sách của tôi": this phone's member's hamlets and households in the campaign running
    /// today, with what is left; unfinished first. Works offline.
    pub fn my_list(&self, lang: Lang) -> Result<Vec<WalkItemView>> {
        let items = self.store()?.my_list()?;
        Ok(items.iter().map(|i| view(i, lang)).collect())
    }

    /// For a leader: every current assignment of the team in the campaign running today, by
    /// member.
    pub fn team_assignments(&self, lang: Lang) -> Result<Vec<WalkItemView>> {
        let items = self.store()?.team_assignments()?;
        Ok(items.iter().map(|i| view(i, lang)).collect())
    }

    /// True when this phone's member leads the team (may assign and revoke).
    pub fn is_leader(&self) -> Result<bool> {
        Ok(self.store()?.is_leader()?)
    }

    /// The team's members, leader first, then by name.
    pub fn team_members(&self, lang: Lang) -> Result<Vec<TeamMemberView>> {
        let mut members = self.store()?.my_team()?.members;
        members.sort_by(|a, b| {
            (a.role != MemberRole::Leader, &a.name).cmp(&(b.role != MemberRole::Leader, &b.name))
        });
        Ok(members
            .into_iter()
            .map(|m| TeamMemberView {
                id: m.id.to_string(),
                is_leader: m.role == MemberRole::Leader,
                role_label: lang.pick(m.role.label_vi(), m.role.label_en()).to_owned(),
                name: m.name,
            })
            .collect())
    }

    /// A leader gives a member a hamlet of the team's communes (queued for upload). Refusals:
    /// `Validation` with `assigner_not_leader`, `assignee_not_in_team`, `unknown_area`,
    /// `area_outside_team`, `campaign_not_running`.
    pub fn assign_hamlet(
        &self,
        member_id: String,
        commune_code: String,
        hamlet_code: String,
        lang: Lang,
    ) -> Result<WalkItemView> {
        let member = parse_id("member_id", &member_id)?;
        let store = self.store()?;
        let a = store.assign(
            member,
            AssignmentTarget::Hamlet {
                commune_code,
                hamlet_code,
            },
        )?;
        Self::assigned(&store, a.id, lang)
    }

    /// A leader gives a member one household of the team (queued for upload). Refusals as
    /// `assign_hamlet`, with `household_not_in_team`.
    pub fn assign_household(
        &self,
        member_id: String,
        household_id: String,
        lang: Lang,
    ) -> Result<WalkItemView> {
        let member = parse_id("member_id", &member_id)?;
        let household_id = parse_id("household_id", &household_id)?;
        let store = self.store()?;
        let a = store.assign(member, AssignmentTarget::Household { household_id })?;
        Self::assigned(&store, a.id, lang)
    }

    /// A leader withdraws an assignment (queued for upload).
    pub fn revoke_assignment(&self, id: String) -> Result<()> {
        let id = parse_id("id", &id)?;
        self.store()?.revoke_assignment(id)?;
        Ok(())
    }
}

impl FieldProfile {
    /// The new assignment as the leader's list shows it.
    fn assigned(
        store: &Arc<gocua_core::Store>,
        id: uuid::Uuid,
        lang: Lang,
    ) -> Result<WalkItemView> {
        store
            .team_assignments()?
            .iter()
            .find(|i| i.assignment.id == id)
            .map(|i| view(i, lang))
            .ok_or_else(|| crate::FieldKitError::internal("assignment not listed".into()))
    }
}
