//! Uploads checked and waiting for their owner's confirmation (`staged_uploads`): the preview
//! shows the staged body, and confirming stores exactly that body, once, in the transaction that
//! marks it used. Another account's upload is answered as one that does not exist; one older than
//! [`STAGED_LIFETIME`] is refused. Old previews are removed whenever a new one is staged.

use chrono::{DateTime, Duration, Utc};
use serde::de::DeserializeOwned;
use serde::Serialize;
use uuid::Uuid;

use super::error::{AdminError, AdminResult};
use crate::db::{DbError, Row, Sql};
use crate::params;

/// How long a preview may be confirmed.
pub const STAGED_LIFETIME: Duration = Duration::days(1);

/// What was uploaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadKind {
    Hamlets,
    Targets,
}

impl UploadKind {
    pub fn as_str(self) -> &'static str {
        match self {
            UploadKind::Hamlets => "hamlets",
            UploadKind::Targets => "targets",
        }
    }
}

/// A staged upload: what it is about (a commune code, a campaign id) and the body to store.
#[derive(Debug, Clone)]
pub struct Staged<T> {
    pub id: Uuid,
    pub subject: String,
    pub body: T,
    pub created_at: DateTime<Utc>,
    pub used: bool,
}

impl<T: DeserializeOwned> Staged<T> {
    /// Reads the columns `subject, body, created_at` of a staged upload's row.
    fn from_row(id: Uuid, row: &Row, used: bool) -> AdminResult<Staged<T>> {
        Ok(Staged {
            id,
            subject: row.text(0),
            body: row.json(1)?,
            created_at: row.opt_time(2).unwrap_or_default(),
            used,
        })
    }
}

/// Keeps `body` as the preview of an upload by `owner`; returns its id.
pub fn stage<T: Serialize>(
    sql: &mut dyn Sql,
    owner: Uuid,
    kind: UploadKind,
    subject: &str,
    body: &T,
    now: DateTime<Utc>,
) -> AdminResult<Uuid> {
    sql.exec(
        "DELETE FROM staged_uploads WHERE created_at < ?",
        params![now - STAGED_LIFETIME],
    )?;
    let id = Uuid::now_v7();
    let body = serde_json::to_string(body).map_err(|e| DbError::Corrupt(e.to_string()))?;
    sql.exec(
        "INSERT INTO staged_uploads(id, owner_id, kind, subject, body, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        params![id, owner, kind.as_str(), subject, body, now],
    )?;
    Ok(id)
}

fn not_found() -> AdminError {
    AdminError::not_found(
        "Không tìm thấy bản xem trước này (có thể đã bị xoá). Hãy tải tệp lên lại.",
        "This preview was not found (it may have been removed). Upload the file again.",
    )
}

fn expired() -> AdminError {
    AdminError::conflict(
        "upload_expired",
        "Bản xem trước đã quá một ngày; hãy tải tệp lên lại để kiểm tra với dữ liệu hiện nay.",
        "The preview is more than a day old; upload the file again to check it against today's data.",
    )
}

/// The staged upload `id` of `owner` (used or not), for its preview page.
pub fn load<T: DeserializeOwned>(
    sql: &mut dyn Sql,
    id: Uuid,
    owner: Uuid,
    kind: UploadKind,
    now: DateTime<Utc>,
) -> AdminResult<Staged<T>> {
    let row = sql
        .query_one(
            "SELECT subject, body, created_at, used_at FROM staged_uploads WHERE id = ? AND owner_id = ? AND kind = ?",
            params![id, owner, kind.as_str()],
        )?
        .ok_or_else(not_found)?;
    let staged = Staged::from_row(id, &row, row.opt_int(3).is_some())?;
    if !staged.used && staged.created_at < now - STAGED_LIFETIME {
        return Err(expired());
    }
    Ok(staged)
}

/// Marks the staged upload used and returns it, once: a second confirmation, an expired preview
/// or another account's upload is refused. Call it in the transaction that stores the body.
pub fn take<T: DeserializeOwned>(
    sql: &mut dyn Sql,
    id: Uuid,
    owner: Uuid,
    kind: UploadKind,
    now: DateTime<Utc>,
) -> AdminResult<Staged<T>> {
    let claimed = sql.query_one(
        "UPDATE staged_uploads SET used_at = ? WHERE id = ? AND owner_id = ? AND kind = ? AND used_at IS NULL AND created_at >= ? RETURNING subject, body, created_at",
        params![now, id, owner, kind.as_str(), now - STAGED_LIFETIME],
    )?;
    match claimed {
        Some(row) => Staged::from_row(id, &row, true),
        None => {
            // Why not: the same answers as the preview page, or "already confirmed".
            let staged: Staged<serde_json::Value> = load(sql, id, owner, kind, now)?;
            if staged.used {
                Err(AdminError::conflict(
                    "upload_already_confirmed",
                    "Tệp này đã được xác nhận và lưu rồi; không lưu lại lần nữa.",
                    "This upload was already confirmed and stored; it is not stored twice.",
                ))
            } else {
                Err(expired())
            }
        }
    }
}
