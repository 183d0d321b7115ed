//! The volunteers' phones: one-time enrolment codes, the list of enrolled devices, revocation.

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::error::{AdminError, AdminResult};
use super::teams::{active_team, load_team};
use crate::db::{Row, Sql};
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

/// One enrolled device, for the coordinator's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceRow {
    pub id: Uuid,
    pub team_id: Uuid,
    pub team_name: String,
    pub member_id: Uuid,
    pub member_name: String,
    pub label: String,
    pub app_version: String,
    pub enrolled_at: Option<DateTime<Utc>>,
    pub last_seen_at: Option<DateTime<Utc>>,
    pub last_push_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

const DEVICE_QUERY: &str = "SELECT d.id, d.team_id, t.name, d.member_id, m.name, d.label, d.app_version, d.enrolled_at,
       d.last_seen_at, d.last_push_at, d.revoked_at
     FROM devices d LEFT JOIN teams t ON t.id = d.team_id LEFT JOIN members m ON m.id = d.member_id";

fn device_from_row(r: &Row) -> AdminResult<DeviceRow> {
    Ok(DeviceRow {
        id: r.uuid(0)?,
        team_id: r.uuid(1)?,
        team_name: r.text(2),
        member_id: r.uuid(3)?,
        member_name: r.text(4),
        label: r.text(5),
        app_version: r.text(6),
        enrolled_at: r.opt_time(7),
        last_seen_at: r.opt_time(8),
        last_push_at: r.opt_time(9),
        revoked_at: r.opt_time(10),
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

/// Revokes a device: its token stops working at its next request. Revoking twice is harmless;
/// the time of the first revocation is kept.
pub fn revoke_device(sql: &mut dyn Sql, id: Uuid, now: DateTime<Utc>) -> AdminResult<DeviceRow> {
    sql.exec(
        "UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
        params![now, id],
    )?;
    match sql.query_one(&format!("{DEVICE_QUERY} WHERE d.id = ?"), params![id])? {
        Some(r) => device_from_row(&r),
        None => Err(AdminError::not_found(
            format!("Không có thiết bị mã {id}; xem danh sách bằng \"gocua admin devices\"."),
            format!("No device with id {id}; list them with \"gocua admin devices\"."),
        )),
    }
}

/// The QR payload of an enrolment code (see [`auth::qr_payload`]).
pub fn qr_payload(server_url: &str, code: &str) -> String {
    auth::qr_payload(server_url, code)
}
