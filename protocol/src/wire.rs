//! Messages between phone and server under `/v1/`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::assignment::Assignment;
use crate::enums::{RecordKind, RecordStatus};
use crate::hlc::Hlc;
use crate::records::*;
use crate::reference_data::ReferenceData;

/// Version of the wire protocol. A server answers a request with an unknown version with a
/// specific error instead of guessing.
pub const PROTOCOL_VERSION: u32 = 1;

/// One queued change: the record's whole current state (records are small; sending the state
/// rather than a diff is what makes a resend harmless).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "record", rename_all = "snake_case")]
pub enum Change {
    Household(Household),
    Visit(Visit),
    OutreachSession(OutreachSession),
    Feedback(Feedback),
    /// A leader's assignment or its revocation (walk lists).
    Assignment(Assignment),
}

impl Change {
    pub fn id(&self) -> Uuid {
        match self {
            Change::Household(h) => h.id,
            Change::Visit(v) => v.id,
            Change::OutreachSession(s) => s.id,
            Change::Feedback(f) => f.id,
            Change::Assignment(a) => a.id,
        }
    }

    pub fn kind(&self) -> RecordKind {
        match self {
            Change::Household(_) => RecordKind::Household,
            Change::Visit(_) => RecordKind::Visit,
            Change::OutreachSession(_) => RecordKind::OutreachSession,
            Change::Feedback(_) => RecordKind::Feedback,
            Change::Assignment(_) => RecordKind::Assignment,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushRequest {
    pub protocol_version: u32,
    pub device_id: Uuid,
    pub changes: Vec<Change>,
}

/// The server's verdict on one record of a push.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordResult {
    pub id: Uuid,
    pub kind: RecordKind,
    pub status: RecordStatus,
    /// Machine code of a rejection or conflict (e.g. `outside_team_area`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_vi: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_en: Option<String>,
    /// For rejections caused by validation: the field concerned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl RecordResult {
    /// A verdict that needs no reason: accepted, duplicate, deleted.
    pub fn plain(id: Uuid, kind: RecordKind, status: RecordStatus) -> RecordResult {
        RecordResult {
            id,
            kind,
            status,
            code: None,
            message_vi: None,
            message_en: None,
            field: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushResponse {
    pub results: Vec<RecordResult>,
    /// The server's clock, so phones with a wrong clock still order their edits after it.
    pub server_time: DateTime<Utc>,
    pub server_hlc: Hlc,
    /// The server database's generation: a random id written when the database is created and
    /// again when it is restored from a backup. A phone that sees it change re-sends the records
    /// it had acknowledged under the previous one (docs/protocol.md, "Restores"). Absent from
    /// servers that predate it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generation: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullRequest {
    pub protocol_version: u32,
    pub device_id: Uuid,
    /// Opaque cursor from the previous pull; `None` for everything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullResponse {
    pub reference: ReferenceData,
    pub cursor: String,
    /// True when `reference` replaces everything held (a full snapshot), false for changes only.
    pub full: bool,
    pub server_time: DateTime<Utc>,
    /// As [`PushResponse::generation`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generation: Option<String>,
}

/// A phone asks to join a team with the one-time code its coordinator gave it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolRequest {
    pub protocol_version: u32,
    pub code: String,
    pub device_id: Uuid,
    pub device_label: String,
    pub app_version: String,
}

/// The device's secret token (shown once; the server keeps only its hash) and who it works for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolResponse {
    pub device_token: String,
    pub device_id: Uuid,
    pub team_id: Uuid,
    pub team_name: String,
    pub volunteer_id: Uuid,
    pub volunteer_name: String,
    pub server_time: DateTime<Utc>,
}

/// Body of every error answer: a machine code and a message a volunteer can understand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub code: String,
    pub message_vi: String,
    pub message_en: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}
