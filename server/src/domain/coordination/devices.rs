//! An enrolled phone as a coordinator sees it, and its revocation (what deactivating a member
//! or a team does to their phones). Enrolment codes and a team's list are in `team_phones.rs`.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::error::{AdminError, AdminResult};
use crate::db::{Row, Sql};
use crate::params;

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

pub(super) const DEVICE_QUERY: &str = "SELECT d.id, d.team_id, t.name, d.member_id, m.name, d.label, d.app_version, d.enrolled_at,
       d.last_seen_at, d.last_push_at, d.revoked_at
     FROM devices d LEFT JOIN teams t ON t.id = d.team_id LEFT JOIN members m ON m.id = d.member_id";

pub(super) fn device_from_row(r: &Row) -> AdminResult<DeviceRow> {
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
