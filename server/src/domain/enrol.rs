//! Enrolment of a phone: a one-time code buys a device token.
//!
//! Two rules keep one phone from being taken over by another, and one code from enrolling two:
//!
//! - **A device id is bound to its first enrolment.** A new id is enrolled by any valid code. An
//!   id the server already knows (and has not revoked) is enrolled again only
//!   - with a fresh code *and* that device's current token (`Authorization: Bearer …` on the
//!     enrol request: the phone moving to another team or member, or joining again after
//!     leaving), or
//!   - as a retry of the enrolment that bound it: the same code, the same device id, label and
//!     app version, while the code has not expired (the phone never received the answer). The
//!     retry gets a fresh token; the previous one stops working.
//!
//!   Anything else is refused with [`EnrolRefusal::DeviceTaken`] and changes nothing. A revoked id
//!   stays revoked.
//! - **A code is claimed in one statement** (`UPDATE … WHERE used_at IS NULL … RETURNING`), so
//!   of several simultaneous enrolments with one code exactly one wins on either backend (on
//!   PostgreSQL the others wait for the winner's row lock, then find the code used).
//!
//! Every refusal is an `Err`, so the caller's transaction rolls back whatever was written.

use chrono::{DateTime, Utc};
use gocua_protocol::{EnrolRequest, EnrolResponse};

use crate::db::{DbError, Sql};
use crate::domain::{auth, refdata};
use crate::params;

/// Why an enrolment was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnrolRefusal {
    /// No such code.
    CodeInvalid,
    /// The code has expired (also for the device that used it).
    CodeExpired,
    /// The code was used by another device, or by an earlier enrolment of this one.
    CodeUsed,
    /// This device id was revoked by a coordinator.
    DeviceRevoked,
    /// This device id is enrolled on a phone in use, and the request neither carries its
    /// current token nor retries the enrolment that bound it.
    DeviceTaken,
}

#[derive(Debug, thiserror::Error)]
pub enum EnrolError {
    #[error("enrolment refused: {0:?}")]
    Refused(EnrolRefusal),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<EnrolRefusal> for EnrolError {
    fn from(r: EnrolRefusal) -> Self {
        EnrolError::Refused(r)
    }
}

/// Enrols `request.device_id` with `request.code`. `presented_token` is the bearer token the
/// request carried, if any (only used to re-enrol a known device id).
pub fn enrol(
    sql: &mut dyn Sql,
    request: &EnrolRequest,
    presented_token: Option<&str>,
    now: DateTime<Utc>,
) -> Result<EnrolResponse, EnrolError> {
    let code_hash = auth::code_hash(&request.code);
    let Some(code) = sql.query_one(
        "SELECT team_id, member_id, expires_at, used_at, device_id FROM enrol_codes WHERE code_hash = ?",
        params![code_hash.as_str()],
    )?
    else {
        return Err(EnrolRefusal::CodeInvalid.into());
    };
    let expires_at = code.int(2);
    if expires_at < now.timestamp_millis() {
        return Err(EnrolRefusal::CodeExpired.into());
    }
    let used_at = code.opt_int(3);
    let used_by = code.opt_uuid(4)?;
    if used_at.is_some() && used_by != Some(request.device_id) {
        return Err(EnrolRefusal::CodeUsed.into());
    }
    let device = sql.query_one(
        "SELECT token_hash, enrolled_at, revoked_at, label, app_version FROM devices WHERE id = ?",
        params![request.device_id],
    )?;
    if device.as_ref().is_some_and(|d| d.opt_int(2).is_some()) {
        return Err(EnrolRefusal::DeviceRevoked.into());
    }
    let token = auth::new_device_token();
    let token_hash = auth::sha256_hex(token.as_bytes());
    let (team_id, member_id) = match (used_at, device) {
        // The code is this device's already: only a retry of the very enrolment it made.
        (Some(used_at), Some(d)) => {
            let same_enrolment = d.opt_int(1) == Some(used_at)
                && d.text(3) == request.device_label
                && d.text(4) == request.app_version;
            if !same_enrolment {
                return Err(EnrolRefusal::CodeUsed.into());
            }
            let n = sql.exec(
                "UPDATE devices SET token_hash = ? WHERE id = ? AND enrolled_at = ? AND revoked_at IS NULL",
                params![token_hash.as_str(), request.device_id, used_at],
            )?;
            if n != 1 {
                return Err(EnrolRefusal::CodeUsed.into());
            }
            (code.uuid(0)?, code.uuid(1)?)
        }
        (Some(_), None) => return Err(EnrolRefusal::CodeUsed.into()),
        // A fresh code: claim it, then bind the device.
        (None, device) => {
            let rebind = match &device {
                None => false,
                Some(d) => {
                    let proven = presented_token.is_some_and(|t| {
                        constant_time_eq(
                            auth::sha256_hex(t.as_bytes()).as_bytes(),
                            d.text(0).as_bytes(),
                        )
                    });
                    if !proven {
                        return Err(EnrolRefusal::DeviceTaken.into());
                    }
                    true
                }
            };
            let claimed = sql.query_one(
                "UPDATE enrol_codes SET used_at = ?, device_id = ?
                 WHERE code_hash = ? AND used_at IS NULL AND expires_at >= ?
                 RETURNING team_id, member_id",
                params![now, request.device_id, code_hash.as_str(), now],
            )?;
            let Some(claimed) = claimed else {
                // Another enrolment claimed it between our read and our claim.
                return Err(EnrolRefusal::CodeUsed.into());
            };
            let (team_id, member_id) = (claimed.uuid(0)?, claimed.uuid(1)?);
            let n = if rebind {
                let old_hash = device.as_ref().map(|d| d.text(0)).unwrap_or_default();
                sql.exec(
                    "UPDATE devices SET token_hash = ?, team_id = ?, member_id = ?, label = ?, app_version = ?, enrolled_at = ?
                     WHERE id = ? AND token_hash = ? AND revoked_at IS NULL",
                    params![token_hash.as_str(), team_id, member_id, request.device_label.as_str(), request.app_version.as_str(), now, request.device_id, old_hash],
                )?
            } else {
                sql.query(
                    "INSERT INTO devices(id, token_hash, team_id, member_id, label, app_version, enrolled_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                     ON CONFLICT(id) DO NOTHING RETURNING id",
                    params![request.device_id, token_hash.as_str(), team_id, member_id, request.device_label.as_str(), request.app_version.as_str(), now],
                )?
                .len() as u64
            };
            if n != 1 {
                // Another enrolment of this id won meanwhile: the code claim rolls back with us.
                return Err(EnrolRefusal::DeviceTaken.into());
            }
            (team_id, member_id)
        }
    };
    let team = refdata::load_team(sql, team_id)?
        .ok_or_else(|| DbError::Corrupt("code for a missing team".into()))?;
    let member = team
        .members
        .iter()
        .find(|m| m.id == member_id)
        .map(|m| m.name.clone())
        .unwrap_or_default();
    Ok(EnrolResponse {
        device_token: token,
        device_id: request.device_id,
        team_id,
        team_name: team.name,
        volunteer_id: member_id,
        volunteer_name: member,
        server_time: now,
    })
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
