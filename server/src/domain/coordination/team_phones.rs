//! A team's phones: one-time enrolment codes for its members, and the list of its enrolled
//! devices (the device row itself and its revocation are in `devices.rs`).

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::devices::{device_from_row, DeviceRow, DEVICE_QUERY};
use super::error::{AdminError, AdminResult};
use super::teams::{active_team, load_team};
use crate::db::Sql;
use crate::domain::{auth, refdata};
use crate::params;

/// Longest validity of an enrolment code.
pub const MAX_ENROL_HOURS: u32 = 30 * 24;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnrolCode {
    /// Shown once, as `ABCD-EFGH`.
    pub code: String,
    pub expires_at: DateTime<Utc>,
    pub team_name: String,
    pub member_name: String,
}

/// Issues a one-time enrolment code for a member of a team.
pub fn issue_enrol_code(
    sql: &mut dyn Sql,
    team_id: Uuid,
    member_id: Uuid,
    valid_hours: u32,
    now: DateTime<Utc>,
) -> AdminResult<EnrolCode> {
    if valid_hours == 0 || valid_hours > MAX_ENROL_HOURS {
        return Err(AdminError::invalid(
            format!("Thời hạn mã đăng ký phải từ 1 đến {MAX_ENROL_HOURS} giờ."),
            format!("An enrolment code must be valid for 1 to {MAX_ENROL_HOURS} hours."),
        ));
    }
    let team = active_team(sql, team_id)?;
    let Some(member) = team.members.iter().find(|m| m.id == member_id) else {
        return Err(AdminError::not_found(
            format!("Đội \"{}\" không có đội viên mã {member_id}; hãy thêm đội viên trước (gocua admin add-member).", team.name),
            format!("Team \"{}\" has no member with id {member_id}; add the member first (gocua admin add-member).", team.name),
        ));
    };
    let valid_for = Duration::hours(valid_hours.into());
    let code = refdata::issue_enrol_code(sql, team_id, member_id, now, valid_for)?;
    Ok(EnrolCode {
        code,
        expires_at: now + valid_for,
        team_name: team.name,
        member_name: member.name.clone(),
    })
}

pub fn list_devices(sql: &mut dyn Sql, team_id: Option<Uuid>) -> AdminResult<Vec<DeviceRow>> {
    let rows = match team_id {
        Some(team) => {
            load_team(sql, team)?;
            sql.query(
                &format!(
                    "{DEVICE_QUERY} WHERE d.team_id = ? ORDER BY t.name, m.name, d.enrolled_at"
                ),
                params![team],
            )?
        }
        None => sql.query(
            &format!("{DEVICE_QUERY} ORDER BY t.name, m.name, d.enrolled_at"),
            &[],
        )?,
    };
    rows.iter().map(device_from_row).collect()
}

/// The QR payload of an enrolment code (see [`auth::qr_payload`]).
pub fn qr_payload(server_url: &str, code: &str) -> String {
    auth::qr_payload(server_url, code)
}
