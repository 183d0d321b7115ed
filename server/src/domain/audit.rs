//! The audit log: who changed what, when. Written in the same transaction as the change. What
//! happened is kept as data — the action's code (`audit_log.action`) and its parameters
//! (`audit_log.params`, JSON) — and worded in the reader's language by the web layer.

use chrono::{NaiveDate, Utc};
use gocua_protocol::Indicator;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::tagged::Tagged;
use crate::db::{DbResult, Sql};
use crate::domain::accounts::Account;
use crate::params;

/// One thing a coordinator (or someone trying to sign in) did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", content = "params", rename_all = "snake_case")]
pub enum AuditEvent {
    Login {},
    LoginFailed {},
    LoginLocked {},
    Logout {},
    TargetSet {
        indicator: Indicator,
        value: u64,
    },
    /// An enrolment code issued for a member's phone.
    EnrolCode {
        member: String,
    },
    DeviceRevoked {
        label: String,
        member: String,
    },
    FlagResolved {
        resolution: String,
    },
    VisitDeleted {
        revisions: u64,
    },
    /// A table exported (`visits`, `households`).
    Export {
        table: String,
        rows: u64,
    },
    /// The quick report downloaded for a period.
    Report {
        from: NaiveDate,
        to: NaiveDate,
    },
    HouseholdViewed {},
    /// A household's personal data erased at the person's request, from the dashboard or the
    /// command line (`via`), with what was blanked besides the household itself.
    HouseholdErased {
        via: String,
        visits: u64,
        feedback: u64,
    },
    // teams (subject: the team's name)
    TeamCreated {
        unit: String,
        areas: Vec<String>,
    },
    TeamRenamed {
        from: String,
    },
    TeamAreasSet {
        areas: Vec<String>,
    },
    TeamDeactivated {
        devices: u64,
    },
    TeamReactivated {},
    MemberAdded {
        member: String,
        leader: bool,
    },
    MemberRenamed {
        from: String,
        to: String,
    },
    LeaderSet {
        member: String,
    },
    /// Subject: the team the member left.
    MemberMoved {
        member: String,
        to: String,
    },
    MemberDeactivated {
        member: String,
        devices: u64,
    },
}

impl AuditEvent {
    /// The action's code, stored in `audit_log.action`.
    pub fn action(&self) -> &'static str {
        match self {
            AuditEvent::Login {} => "login",
            AuditEvent::LoginFailed {} => "login_failed",
            AuditEvent::LoginLocked {} => "login_locked",
            AuditEvent::Logout {} => "logout",
            AuditEvent::TargetSet { .. } => "target_set",
            AuditEvent::EnrolCode { .. } => "enrol_code",
            AuditEvent::DeviceRevoked { .. } => "device_revoked",
            AuditEvent::FlagResolved { .. } => "flag_resolved",
            AuditEvent::VisitDeleted { .. } => "visit_deleted",
            AuditEvent::Export { .. } => "export",
            AuditEvent::Report { .. } => "report",
            AuditEvent::HouseholdViewed {} => "household_viewed",
            AuditEvent::HouseholdErased { .. } => "household_erased",
            // teams
            AuditEvent::TeamCreated { .. } => "team_created",
            AuditEvent::TeamRenamed { .. } => "team_renamed",
            AuditEvent::TeamAreasSet { .. } => "team_areas_set",
            AuditEvent::TeamDeactivated { .. } => "team_deactivated",
            AuditEvent::TeamReactivated {} => "team_reactivated",
            AuditEvent::MemberAdded { .. } => "member_added",
            AuditEvent::MemberRenamed { .. } => "member_renamed",
            AuditEvent::LeaderSet { .. } => "leader_set",
            AuditEvent::MemberMoved { .. } => "member_moved",
            AuditEvent::MemberDeactivated { .. } => "member_deactivated",
        }
    }
}

impl Tagged for AuditEvent {
    const TAG: &'static str = "action";
}

/// Writes `event` about `subject` (a name or an id, as the reader knows it) to the log.
pub fn record(
    sql: &mut dyn Sql,
    who: Option<&Account>,
    username: &str,
    subject: &str,
    event: &AuditEvent,
) -> DbResult<()> {
    sql.exec(
        "INSERT INTO audit_log(id, at, coordinator_id, username, org_unit_id, action, subject, detail, params) VALUES (?, ?, ?, ?, ?, ?, ?, '', ?)",
        params![
            Uuid::now_v7(),
            Utc::now(),
            who.map(|a| a.id),
            username,
            who.map(|a| a.org_unit_id),
            event.action(),
            subject,
            event.params_json()
        ],
    )?;
    Ok(())
}

/// [`record`] of something a signed-in coordinator did.
pub fn record_by(
    sql: &mut dyn Sql,
    who: &Account,
    subject: &str,
    event: &AuditEvent,
) -> DbResult<()> {
    record(sql, Some(who), &who.username, subject, event)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_survives_storage_as_action_and_params() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        let events = [
            AuditEvent::Login {},
            AuditEvent::TargetSet {
                indicator: Indicator::HouseholdsVisited,
                value: 120,
            },
            AuditEvent::DeviceRevoked {
                label: "Máy A".into(),
                member: "Lê Thị Hoa".into(),
            },
            AuditEvent::Export {
                table: "visits".into(),
                rows: 3,
            },
            AuditEvent::Report { from: day, to: day },
            AuditEvent::TeamCreated {
                unit: "Đoàn phường Bến Tre".into(),
                areas: vec!["28789".into()],
            },
            AuditEvent::MemberMoved {
                member: "Lê Thị Hoa".into(),
                to: "Đội 2".into(),
            },
            AuditEvent::TeamReactivated {},
        ];
        for e in events {
            let back = AuditEvent::from_stored(e.action(), Some(&e.params_json()));
            assert_eq!(back.as_ref(), Some(&e), "{}", e.params_json());
        }
        assert_eq!(AuditEvent::from_stored("login", None), None);
    }
}
