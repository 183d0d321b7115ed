//! The audit log: who changed what, when. Written in the same transaction as the change. What
//! happened is kept as data — the action's code (`audit_log.action`) and its parameters
//! (`audit_log.params`, JSON) — and worded in the reader's language by the web layer.

use chrono::{NaiveDate, Utc};
use gocua_protocol::{Indicator, OrgUnitKind};
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
    // uploads
    /// A commune's hamlet file confirmed: how many hamlets were new and how many changed.
    HamletsImported {
        commune: String,
        new: u64,
        changed: u64,
    },
    /// One hamlet renamed or given another kind (the values after the edit).
    HamletEdited {
        code: String,
        name: String,
        division_type: String,
    },
    /// A catalogue entry edited: which fields changed (`name_vi`, `code`, `code_verified`, …).
    ServiceEdited {
        key: String,
        fields: Vec<String>,
    },
    /// A team's whole-campaign target removed ("no target").
    TargetCleared {
        indicator: Indicator,
    },
    /// A bulk target sheet confirmed: how many targets it changed (each is logged too).
    TargetSheet {
        changes: u64,
    },
    // units
    /// A unit created (the subject is its name), under the unit named `parent` (none for a top
    /// unit), answering for area `area`.
    UnitCreated {
        kind: OrgUnitKind,
        parent: Option<String>,
        area: Option<String>,
    },
    /// A unit renamed from `from` (the subject is the new name).
    UnitRenamed {
        from: String,
    },
    /// A unit moved from under `from` to under `to` (units' names).
    UnitMoved {
        from: Option<String>,
        to: String,
    },
    /// A unit's area changed (area codes; none: no area).
    UnitAreaChanged {
        from: Option<String>,
        to: Option<String>,
    },
    UnitDeactivated {},
    UnitReactivated {},
    /// The first-run set-up done: the first administrator (the subject) and top unit made, the
    /// area list `area_list` (none: not imported) and the service catalogue imported.
    SetupCompleted {
        area_list: Option<String>,
        areas: u64,
        services: u64,
    },
    // accounts and campaigns (administration in the browser; `via`: dashboard or cli)
    /// A dashboard account made with a role at a unit (the unit's name).
    AccountCreated {
        role: String,
        unit: String,
    },
    AccountRenamed {
        from: String,
        to: String,
    },
    /// A password reset by an administrator (the password itself is never written anywhere).
    PasswordReset {
        via: String,
    },
    AccountLocked {
        via: String,
    },
    AccountUnlocked {
        via: String,
    },
    AccountDeactivated {
        via: String,
    },
    /// An account holder changed their own password.
    PasswordChanged {},
    /// A sign-in with the right password refused: the account is `locked` by an administrator
    /// or `deactivated`.
    LoginRefused {
        reason: String,
    },
    CampaignCreated {
        from: NaiveDate,
        to: NaiveDate,
        via: String,
    },
    /// A campaign edited: what changed (`name`, `legal_reference`, `dates`, `peak_windows`,
    /// `report_deadline`) and how many targets moved with the dates.
    CampaignEdited {
        changed: Vec<String>,
        targets_moved: u64,
        via: String,
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
    // walk lists (subject: the team's name; target: a hamlet code or a household id)
    AssignmentMade {
        member: String,
        target: String,
        via: String,
    },
    AssignmentRevoked {
        member: String,
        target: String,
        via: String,
    },
    // service guides (subject: the service's Vietnamese name)
    /// A guide written or changed: its service, length, whether it was saved as checked.
    GuideSaved {
        key: String,
        chars: u64,
        checked: bool,
        via: String,
    },
    /// A guide marked as checked by a coordinator.
    GuideChecked {
        key: String,
        via: String,
    },
    GuideDeleted {
        key: String,
        via: String,
    },
    /// The built-in starter guides loaded for services without one (subject: the count).
    GuidesLoaded {
        keys: Vec<String>,
        via: String,
    },
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
            event.code(),
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
            AuditEvent::UnitCreated {
                kind: OrgUnitKind::CommuneUnion,
                parent: Some("Tỉnh Đoàn Vĩnh Long".into()),
                area: None,
            },
            AuditEvent::UnitMoved {
                from: None,
                to: "Tỉnh Đoàn".into(),
            },
            AuditEvent::UnitDeactivated {},
            AuditEvent::SetupCompleted {
                area_list: Some("2025-07".into()),
                areas: 3355,
                services: 27,
            },
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
            let back = AuditEvent::from_stored(&e.code(), Some(&e.params_json()));
            assert_eq!(back.as_ref(), Some(&e), "{}", e.params_json());
        }
        assert_eq!(AuditEvent::from_stored("login", None), None);
    }
}
