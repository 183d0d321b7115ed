//! The small public error type that crosses the FFI, converted from the core's errors in one
//! place. Two tiers: the variant says what the app should do (fix the fields, ask for the key,
//! wait for a connection, …); every variant carries a stable machine `code` (for logs and for
//! telling server refusals apart) and the messages to show, in Vietnamese and English.

use gocua_core::protocol::enrol_link::EnrolLinkError;
use gocua_core::protocol::fields;
use gocua_core::{Error, TransportError};

use crate::vocab::ProblemCode;

/// One problem with one field of a draft, with the field's own label so the app can say which
/// ("Mã hồ sơ (dịch vụ 1)") even when the field is not on screen.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct FieldProblem {
    /// The field's path, as in the draft: `head_name`, `assists[0].dossier_code`, `day`.
    pub field: String,
    pub field_label_vi: String,
    pub field_label_en: String,
    pub code: ProblemCode,
    pub message_vi: String,
    pub message_en: String,
}

impl FieldProblem {
    pub(crate) fn new(field: &str, code: ProblemCode, vi: String, en: String) -> Self {
        let (field_label_vi, field_label_en) = fields::label(field);
        FieldProblem {
            field: field.to_owned(),
            field_label_vi,
            field_label_en,
            code,
            message_vi: vi,
            message_en: en,
        }
    }
}

/// What went wrong. Kotlin: `FieldKitException.<Variant>`; Swift: `FieldKitError.<variant>`;
/// Python: `FieldKitError.<Variant>`. Every variant has `code`, `message_vi` and `message_en`.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum FieldKitError {
    /// The draft has problems; each names its field, so the app marks them next to the field.
    /// `code` is `validation`.
    #[error("invalid: {message_en}")]
    Validation {
        code: String,
        problems: Vec<FieldProblem>,
        message_vi: String,
        message_en: String,
    },
    /// The key does not open the store (or is not 32 bytes), or the file is not a Gõ Cửa store.
    /// If the platform lost the key, see `discard_unreadable_store`. `code`: `wrong_key` or
    /// `invalid_key`.
    #[error("wrong key")]
    WrongKey {
        code: String,
        message_vi: String,
        message_en: String,
    },
    /// `storage_full`: the phone's storage is full; nothing saved was lost.
    #[error("storage full")]
    StorageFull {
        code: String,
        message_vi: String,
        message_en: String,
    },
    /// `not_enrolled`: the profile has not joined a team yet (see `enrol`).
    #[error("not enrolled")]
    NotEnrolled {
        code: String,
        message_vi: String,
        message_en: String,
    },
    /// `already_enrolled`: the profile already belongs to a team; unenrol first.
    #[error("already enrolled")]
    AlreadyEnrolled {
        code: String,
        message_vi: String,
        message_en: String,
    },
    /// `unsent_records`: `count` records have not reached the server; send or export them first.
    #[error("unsent records: {count}")]
    UnsentRecords {
        code: String,
        count: u32,
        message_vi: String,
        message_en: String,
    },
    /// No connection or the server is unavailable: the data stays queued, try later.
    /// `code`: `network`, `timeout`, `unavailable`, …
    #[error("network: {message_en}")]
    Network {
        code: String,
        retry_after_secs: Option<u64>,
        message_vi: String,
        message_en: String,
    },
    /// The server refused the request (e.g. device revoked, code already used); retrying will not
    /// help. `code` is the server's (`enrol_code_used`, `device_revoked`, …), `status` its HTTP
    /// status.
    #[error("server refused ({code}): {message_en}")]
    ServerRefused {
        code: String,
        status: u16,
        message_vi: String,
        message_en: String,
    },
    /// `cancelled`: the call was cancelled; records in flight went back to the queue.
    #[error("cancelled")]
    Cancelled {
        code: String,
        message_vi: String,
        message_en: String,
    },
    /// `not_found`: no such record on this phone.
    #[error("not found")]
    NotFound {
        code: String,
        message_vi: String,
        message_en: String,
    },
    /// `closed`: the profile was closed; open it again.
    #[error("closed")]
    Closed {
        code: String,
        message_vi: String,
        message_en: String,
    },
    /// Anything else, e.g. `newer_schema` (update the app), `already_corrected`, `erased`,
    /// `storage`, `internal`.
    #[error("{code}: {message_en}")]
    Other {
        code: String,
        message_vi: String,
        message_en: String,
    },
}

impl FieldKitError {
    /// The stable machine code of any variant.
    pub fn code(&self) -> &str {
        match self {
            FieldKitError::Validation { code, .. }
            | FieldKitError::WrongKey { code, .. }
            | FieldKitError::StorageFull { code, .. }
            | FieldKitError::NotEnrolled { code, .. }
            | FieldKitError::AlreadyEnrolled { code, .. }
            | FieldKitError::UnsentRecords { code, .. }
            | FieldKitError::Network { code, .. }
            | FieldKitError::ServerRefused { code, .. }
            | FieldKitError::Cancelled { code, .. }
            | FieldKitError::NotFound { code, .. }
            | FieldKitError::Closed { code, .. }
            | FieldKitError::Other { code, .. } => code,
        }
    }

    pub(crate) fn closed() -> Self {
        FieldKitError::Closed {
            code: "closed".into(),
            message_vi: "Hồ sơ dữ liệu đã đóng; hãy mở lại.".into(),
            message_en: "The profile is closed; open it again.".into(),
        }
    }

    pub(crate) fn internal(detail: String) -> Self {
        FieldKitError::Other {
            code: "internal".into(),
            message_vi: "Lỗi trong ứng dụng. Dữ liệu đã lưu không bị mất; hãy thử lại.".into(),
            message_en: format!("Internal error ({detail}). Saved data is not lost; try again."),
        }
    }

    pub(crate) fn validation(problems: Vec<FieldProblem>) -> Self {
        let (message_vi, message_en) = problems
            .first()
            .map(|p| (p.message_vi.clone(), p.message_en.clone()))
            .unwrap_or_default();
        FieldKitError::Validation {
            code: "validation".into(),
            problems,
            message_vi,
            message_en,
        }
    }

    pub(crate) fn invalid_input(field: &str, vi: String, en: String) -> Self {
        FieldKitError::validation(vec![FieldProblem::new(
            field,
            ProblemCode::InvalidFormat,
            vi,
            en,
        )])
    }
}

impl From<EnrolLinkError> for FieldKitError {
    fn from(e: EnrolLinkError) -> Self {
        FieldKitError::validation(vec![FieldProblem::new(
            e.field().unwrap_or("enrol_link"),
            ProblemCode::parse(e.code()),
            e.message_vi().into(),
            e.message_en().into(),
        )])
    }
}

impl From<Error> for FieldKitError {
    fn from(e: Error) -> Self {
        let (message_vi, message_en) = (e.message_vi(), e.message_en());
        let code = e.code().to_owned();
        match e {
            Error::Validation(v) => FieldKitError::Validation {
                code,
                problems: v
                    .0
                    .iter()
                    .map(|p| {
                        FieldProblem::new(
                            &p.field,
                            ProblemCode::parse(p.code.as_str()),
                            p.message_vi.clone(),
                            p.message_en.clone(),
                        )
                    })
                    .collect(),
                message_vi,
                message_en,
            },
            Error::WrongKey | Error::InvalidKey(_) => FieldKitError::WrongKey {
                code,
                message_vi,
                message_en,
            },
            Error::StorageFull => FieldKitError::StorageFull {
                code,
                message_vi,
                message_en,
            },
            Error::NotEnrolled => FieldKitError::NotEnrolled {
                code,
                message_vi,
                message_en,
            },
            Error::AlreadyEnrolled => FieldKitError::AlreadyEnrolled {
                code,
                message_vi,
                message_en,
            },
            Error::UnsentRecords { count } => FieldKitError::UnsentRecords {
                code,
                count,
                message_vi,
                message_en,
            },
            Error::Cancelled => FieldKitError::Cancelled {
                code,
                message_vi,
                message_en,
            },
            Error::NotFound { .. } => FieldKitError::NotFound {
                code,
                message_vi,
                message_en,
            },
            Error::Transport(TransportError::Refused { status, body }) => {
                FieldKitError::ServerRefused {
                    code: body.code,
                    status,
                    message_vi,
                    message_en,
                }
            }
            Error::Transport(TransportError::Unavailable { retry_after, .. }) => {
                FieldKitError::Network {
                    code,
                    retry_after_secs: retry_after.map(|d| d.as_secs()),
                    message_vi,
                    message_en,
                }
            }
            Error::Transport(TransportError::Network(_)) => FieldKitError::Network {
                code,
                retry_after_secs: None,
                message_vi,
                message_en,
            },
            _ => FieldKitError::Other {
                code,
                message_vi,
                message_en,
            },
        }
    }
}
