//! Walk lists: a team leader (on the phone) or a coordinator (on the dashboard) gives a member of
//! the team a hamlet or a household to cover in a campaign. An assignment is never deleted: a
//! revocation is a later state of the same record, and two states of one record merge by their
//! hybrid clocks (last writer wins), on the phone and on the server alike.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::enums::MemberRole;
use crate::format::{self, Lang};
use crate::hlc::Hlc;
use crate::reference::{AreaTree, Campaign, Team};
use crate::validation::{ValidationCode, ValidationError, ValidationErrors};
use crate::AreaLevel;

/// What a member is given to cover.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AssignmentTarget {
    /// Every household of a hamlet (thôn, ấp) of one of the team's communes.
    Hamlet {
        commune_code: String,
        hamlet_code: String,
    },
    /// One household of the team.
    Household { household_id: Uuid },
}

/// Who made an assignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", content = "id", rename_all = "snake_case")]
pub enum Assigner {
    /// A team leader, from their phone (a member id).
    Member(Uuid),
    /// A coordinator, from the dashboard (an account id).
    Coordinator(Uuid),
}

/// One entry of a member's walk list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    /// UUIDv7, made where the assignment was made.
    pub id: Uuid,
    pub campaign_id: Uuid,
    pub team_id: Uuid,
    /// The member who is to cover the target.
    pub member_id: Uuid,
    pub target: AssignmentTarget,
    pub assigned_by: Assigner,
    pub created_at: DateTime<Utc>,
    /// True once withdrawn; a revoked assignment is on nobody's list.
    #[serde(default)]
    pub revoked: bool,
    /// The stamp of the last change (creation or revocation).
    pub hlc: Hlc,
}

impl Assignment {
    /// True when `other` is a state of the same assignment: everything but `revoked` and the
    /// stamp is fixed at creation.
    pub fn same_assignment(&self, other: &Assignment) -> bool {
        let fixed = |a: &Assignment| {
            (
                a.id,
                a.campaign_id,
                a.team_id,
                a.member_id,
                a.target.clone(),
                a.assigned_by,
                a.created_at,
            )
        };
        fixed(self) == fixed(other)
    }

    /// The later of two states of the same assignment (larger stamp wins; on equal stamps a
    /// revocation wins), so merging is commutative, associative and idempotent.
    pub fn merge(&self, other: &Assignment) -> Assignment {
        if (other.hlc, other.revoked) > (self.hlc, self.revoked) {
            other.clone()
        } else {
            self.clone()
        }
    }
}

/// What an assignment is checked against.
pub struct AssignmentContext<'a> {
    /// The team the assignment must belong to, with its areas and active members.
    pub team: &'a Team,
    pub tree: &'a AreaTree,
    /// The campaign the assignment names, if the checking side knows it.
    pub campaign: Option<&'a Campaign>,
    /// The day the assignment was made, in the deployment's calendar.
    pub day: NaiveDate,
    /// For a household target: the team the household belongs to, if the checking side knows
    /// the household.
    pub household_team: Option<Uuid>,
}

fn problem(field: &str, code: ValidationCode, vi: &str, en: &str) -> ValidationError {
    ValidationError {
        field: field.into(),
        code,
        message_vi: vi.into(),
        message_en: en.into(),
    }
}

/// Only a leader of the team assigns from a phone.
pub fn check_assigner(team: &Team, member_id: Uuid) -> Result<(), ValidationErrors> {
    let leader = team
        .members
        .iter()
        .any(|m| m.id == member_id && m.role == MemberRole::Leader);
    if leader {
        Ok(())
    } else {
        Err(ValidationErrors(vec![problem(
            "assigned_by",
            ValidationCode::AssignerNotLeader,
            "Chỉ đội trưởng mới được phân công địa bàn, hộ cho đội viên.",
            "Only the team leader may assign hamlets or households to members.",
        )]))
    }
}

/// The rules of an assignment. A revocation is checked for its team only: an assignment can
/// always be withdrawn, even after its member left the team or its campaign ended.
pub fn validate_assignment(
    a: &Assignment,
    ctx: &AssignmentContext<'_>,
) -> Result<(), ValidationErrors> {
    let mut p = Vec::new();
    if a.team_id != ctx.team.id {
        p.push(problem(
            "team_id",
            ValidationCode::NotYourTeam,
            "Phân công này thuộc một đội khác.",
            "This assignment belongs to another team.",
        ));
    }
    if !a.revoked && p.is_empty() {
        if !ctx.team.members.iter().any(|m| m.id == a.member_id) {
            p.push(problem(
                "member_id",
                ValidationCode::AssigneeNotInTeam,
                "Người được phân công không phải đội viên của đội.",
                "The person assigned is not a member of the team.",
            ));
        }
        let running = ctx.campaign.is_some_and(|c| {
            c.id == a.campaign_id && c.starts_on <= ctx.day && ctx.day <= c.ends_on
        });
        if !running {
            p.push(problem(
                "campaign_id",
                ValidationCode::CampaignNotRunning,
                "Chỉ phân công được trong một đợt (kế hoạch) đang diễn ra.",
                "Assignments can only be made in a campaign that is running.",
            ));
        }
        match &a.target {
            AssignmentTarget::Hamlet {
                commune_code,
                hamlet_code,
            } => {
                let is_hamlet = ctx.tree.level(hamlet_code) == Some(&AreaLevel::Hamlet)
                    && ctx.tree.parent(hamlet_code) == Some(commune_code.as_str());
                if !is_hamlet {
                    p.push(problem(
                        "target.hamlet_code",
                        ValidationCode::UnknownArea,
                        "Không tìm thấy thôn, ấp này trong xã đã chọn.",
                        "This hamlet is not in the chosen commune.",
                    ));
                } else if !ctx.tree.is_within_any(hamlet_code, &ctx.team.area_codes) {
                    p.push(problem(
                        "target.hamlet_code",
                        ValidationCode::AreaOutsideTeam,
                        "Thôn, ấp này nằm ngoài địa bàn của đội.",
                        "This hamlet is outside the team's areas.",
                    ));
                }
            }
            AssignmentTarget::Household { .. } => {
                if ctx.household_team != Some(ctx.team.id) {
                    p.push(problem(
                        "target.household_id",
                        ValidationCode::HouseholdNotInTeam,
                        "Hộ này không thuộc đội (hoặc chưa được gửi lên máy chủ).",
                        "This household is not one of the team's (or has not been sent yet).",
                    ));
                }
            }
        }
    }
    if p.is_empty() {
        Ok(())
    } else {
        Err(ValidationErrors(p))
    }
}

/// How much of an assignment is left, as phone and dashboard show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Remaining {
    /// A hamlet: households not reached in the campaign, of those known.
    Hamlet { left: u32, known: u32 },
    /// A household: reached in the campaign or not.
    Household { reached: bool },
}

impl Remaining {
    /// Nothing left to do.
    pub fn finished(&self) -> bool {
        match self {
            Remaining::Hamlet { left, known } => *left == 0 && *known > 0,
            Remaining::Household { reached } => *reached,
        }
    }

    /// "còn 12/40 hộ" / "12 of 40 households left"; "đã đến" / "reached" for a household.
    pub fn label(&self, lang: Lang) -> String {
        match *self {
            Remaining::Hamlet { known: 0, .. } => lang
                .pick("chưa ghi hộ nào", "no households recorded yet")
                .into(),
            Remaining::Hamlet { left: 0, known } => lang.pick_owned(
                format!("đã đến hết {} hộ", format::count(known, lang)),
                format!("all {} households reached", format::count(known, lang)),
            ),
            Remaining::Hamlet { left, known } => lang.pick_owned(
                format!(
                    "còn {}/{} hộ",
                    format::count(left, lang),
                    format::count(known, lang)
                ),
                format!(
                    "{} of {} households left",
                    format::count(left, lang),
                    format::count(known, lang)
                ),
            ),
            Remaining::Household { reached: true } => lang.pick("đã đến", "reached").into(),
            Remaining::Household { reached: false } => {
                lang.pick("chưa đến", "not reached yet").into()
            }
        }
    }
}

/// One line of a walk list: "Ấp Phú Hòa — còn 12/40 hộ".
pub fn list_line(target_name: &str, remaining: &Remaining, lang: Lang) -> String {
    format!("{target_name} — {}", remaining.label(lang))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::{Area, TeamMember};

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    struct Fixture {
        team: Team,
        tree: AreaTree,
        campaign: Campaign,
        leader: Uuid,
        member: Uuid,
    }

    fn fixture() -> Fixture {
        let area = Area::bare;
        let areas = [
            area("P", AreaLevel::Province, None),
            area("C1", AreaLevel::Commune, Some("P")),
            area("C2", AreaLevel::Commune, Some("P")),
            area("H1", AreaLevel::Hamlet, Some("C1")),
            area("H2", AreaLevel::Hamlet, Some("C2")),
        ];
        let (leader, member) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let team = Team {
            id: Uuid::from_u128(10),
            name: "Đội".into(),
            org_unit_id: Uuid::from_u128(11),
            area_codes: vec!["C1".into()],
            members: vec![
                TeamMember {
                    id: leader,
                    name: "An".into(),
                    role: MemberRole::Leader,
                },
                TeamMember {
                    id: member,
                    name: "Bình".into(),
                    role: MemberRole::Member,
                },
            ],
        };
        let campaign = Campaign {
            id: Uuid::from_u128(20),
            name: "Đợt".into(),
            legal_reference: String::new(),
            starts_on: day("2026-03-01"),
            ends_on: day("2026-03-31"),
            peak_windows: vec![],
            report_deadline: day("2026-04-05"),
        };
        Fixture {
            team,
            tree: AreaTree::new(&areas),
            campaign,
            leader,
            member,
        }
    }

    fn assignment(f: &Fixture, target: AssignmentTarget) -> Assignment {
        Assignment {
            id: Uuid::from_u128(30),
            campaign_id: f.campaign.id,
            team_id: f.team.id,
            member_id: f.member,
            target,
            assigned_by: Assigner::Member(f.leader),
            created_at: "2026-03-10T02:00:00Z".parse().unwrap(),
            revoked: false,
            hlc: Hlc {
                wall_ms: 5,
                counter: 0,
                node: 1,
            },
        }
    }

    fn hamlet(commune: &str, hamlet: &str) -> AssignmentTarget {
        AssignmentTarget::Hamlet {
            commune_code: commune.into(),
            hamlet_code: hamlet.into(),
        }
    }

    fn ctx<'a>(f: &'a Fixture, on: &str) -> AssignmentContext<'a> {
        AssignmentContext {
            team: &f.team,
            tree: &f.tree,
            campaign: Some(&f.campaign),
            day: day(on),
            household_team: None,
        }
    }

    fn codes(r: Result<(), ValidationErrors>) -> Vec<&'static str> {
        r.err()
            .map(|e| e.0.iter().map(|p| p.code.as_str()).collect())
            .unwrap_or_default()
    }

    #[test]
    fn a_hamlet_of_the_teams_commune_to_a_member_in_a_running_campaign_is_valid() {
        let f = fixture();
        let a = assignment(&f, hamlet("C1", "H1"));
        assert_eq!(
            codes(validate_assignment(&a, &ctx(&f, "2026-03-10"))),
            Vec::<&str>::new()
        );
    }

    #[test]
    fn each_rule_has_its_code() {
        let f = fixture();
        let mut a = assignment(&f, hamlet("C2", "H2"));
        assert_eq!(
            codes(validate_assignment(&a, &ctx(&f, "2026-03-10"))),
            ["area_outside_team"]
        );
        a.target = hamlet("C1", "H2");
        assert_eq!(
            codes(validate_assignment(&a, &ctx(&f, "2026-03-10"))),
            ["unknown_area"]
        );
        a.target = hamlet("C1", "H1");
        a.member_id = Uuid::from_u128(99);
        assert_eq!(
            codes(validate_assignment(&a, &ctx(&f, "2026-04-01"))),
            ["assignee_not_in_team", "campaign_not_running"]
        );
        a.member_id = f.member;
        a.target = AssignmentTarget::Household {
            household_id: Uuid::from_u128(40),
        };
        let mut c = ctx(&f, "2026-03-10");
        assert_eq!(
            codes(validate_assignment(&a, &c)),
            ["household_not_in_team"]
        );
        c.household_team = Some(Uuid::from_u128(77));
        assert_eq!(
            codes(validate_assignment(&a, &c)),
            ["household_not_in_team"]
        );
        c.household_team = Some(f.team.id);
        assert!(validate_assignment(&a, &c).is_ok());
        a.team_id = Uuid::from_u128(77);
        assert_eq!(codes(validate_assignment(&a, &c)), ["not_your_team"]);
    }

    #[test]
    fn a_revocation_is_allowed_after_the_campaign_and_the_member_left() {
        let f = fixture();
        let mut a = assignment(&f, hamlet("C1", "H1"));
        a.member_id = Uuid::from_u128(99);
        a.revoked = true;
        assert!(validate_assignment(&a, &ctx(&f, "2026-05-01")).is_ok());
    }

    #[test]
    fn only_a_leader_assigns() {
        let f = fixture();
        assert!(check_assigner(&f.team, f.leader).is_ok());
        assert_eq!(
            codes(check_assigner(&f.team, f.member)),
            ["assigner_not_leader"]
        );
        assert_eq!(
            codes(check_assigner(&f.team, Uuid::from_u128(99))),
            ["assigner_not_leader"]
        );
    }

    #[test]
    fn merge_takes_the_later_state_in_any_order() {
        let f = fixture();
        let a = assignment(&f, hamlet("C1", "H1"));
        let mut revoked = a.clone();
        revoked.revoked = true;
        revoked.hlc.wall_ms = 9;
        assert_eq!(a.merge(&revoked), revoked);
        assert_eq!(revoked.merge(&a), revoked);
        assert_eq!(a.merge(&a), a);
        // Equal stamps: the revocation wins either way.
        let mut tie = a.clone();
        tie.revoked = true;
        assert_eq!(a.merge(&tie), tie);
        assert_eq!(tie.merge(&a), tie);
        assert!(a.same_assignment(&revoked));
        let mut other = a.clone();
        other.member_id = f.leader;
        assert!(!a.same_assignment(&other));
    }

    #[test]
    fn labels_say_what_is_left() {
        let r = Remaining::Hamlet {
            left: 12,
            known: 40,
        };
        assert_eq!(
            list_line("Ấp Phú Hòa", &r, Lang::Vi),
            "Ấp Phú Hòa — còn 12/40 hộ"
        );
        assert_eq!(r.label(Lang::En), "12 of 40 households left");
        assert!(!r.finished());
        let done = Remaining::Hamlet { left: 0, known: 3 };
        assert!(done.finished());
        assert_eq!(done.label(Lang::Vi), "đã đến hết 3 hộ");
        let empty = Remaining::Hamlet { left: 0, known: 0 };
        assert!(!empty.finished());
        assert_eq!(
            Remaining::Household { reached: false }.label(Lang::Vi),
            "chưa đến"
        );
        assert!(Remaining::Household { reached: true }.finished());
    }

    #[test]
    fn wire_form_is_stable() {
        let f = fixture();
        let a = assignment(&f, hamlet("C1", "H1"));
        let json = serde_json::to_value(&a).unwrap();
        assert_eq!(json["target"]["type"], "hamlet");
        assert_eq!(json["assigned_by"]["type"], "member");
        assert_eq!(json["hlc"], "5-0-1");
        let back: Assignment = serde_json::from_value(json).unwrap();
        assert_eq!(back, a);
    }
}
