//! The small public error type that crosses the FFI, converted from the core's errors in one
//! place. Every variant carries a stable code and messages in Vietnamese and English.

use gocua_core::{Error, TransportError};

/// One problem with one field of a draft.
#[derive(Debug, Clone, uniffi::Record)]
pub struct FieldProblem {
    pub field: String,
    pub code: String,
    pub message_vi: String,
    pub message_en: String,
}

#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum FieldKitError {
    /// The draft has problems; each names its field, so the app marks them next to the field.
    #[error("invalid: {message_en}")]
    Validation {
        problems: Vec<FieldProblem>,
        message_vi: String,
        message_en: String,
    },
    #[error("wrong key")]
    WrongKey {
        message_vi: String,
        message_en: String,
    },
    #[error("storage full")]
    StorageFull {
        message_vi: String,
        message_en: String,
    },
    #[error("not enrolled")]
    NotEnrolled {
        message_vi: String,
        message_en: String,
    },
    /// No connection or the server is unavailable: the data stays queued, try later.
    #[error("network: {message_en}")]
    Network {
        retry_after_secs: Option<u64>,
        message_vi: String,
        message_en: String,
    },
    /// The server refused the request (e.g. device revoked, code expired); retrying will not help.
    #[error("server refused ({code}): {message_en}")]
    ServerRefused {
        code: String,
        status: u16,
        message_vi: String,
        message_en: String,
    },
    #[error("cancelled")]
    Cancelled {
        message_vi: String,
        message_en: String,
    },
    #[error("not found")]
    NotFound {
        message_vi: String,
        message_en: String,
    },
    /// The profile was closed; open it again.
    #[error("closed")]
    Closed {
        message_vi: String,
        message_en: String,
    },
    #[error("{code}: {message_en}")]
    Other {
        code: String,
        message_vi: String,
        message_en: String,
    },
}

impl FieldKitError {
    pub(crate) fn closed() -> Self {
        FieldKitError::Closed {
            message_vi: "Hồ sơ dữ liệu đã đóng; hãy mở lại.".into(),
            message_en: "The profile is closed; open it again.".into(),
        }
    }

    pub(crate) fn invalid_input(field: &str, vi: String, en: String) -> Self {
        FieldKitError::Validation {
            problems: vec![FieldProblem {
                field: field.into(),
                code: "invalid_format".into(),
                message_vi: vi.clone(),
                message_en: en.clone(),
            }],
            message_vi: vi,
            message_en: en,
        }
    }
}

impl From<Error> for FieldKitError {
    fn from(e: Error) -> Self {
        let (message_vi, message_en) = (e.message_vi(), e.message_en());
        match e {
            Error::Validation(v) => FieldKitError::Validation {
                problems: v
                    .0
                    .iter()
                    .map(|p| FieldProblem {
                        field: p.field.clone(),
                        code: p.code.as_str().into(),
                        message_vi: p.message_vi.clone(),
                        message_en: p.message_en.clone(),
                    })
                    .collect(),
                message_vi,
                message_en,
            },
            Error::WrongKey | Error::InvalidKey(_) => FieldKitError::WrongKey {
                message_vi,
                message_en,
            },
            Error::StorageFull => FieldKitError::StorageFull {
                message_vi,
                message_en,
            },
            Error::NotEnrolled => FieldKitError::NotEnrolled {
                message_vi,
                message_en,
            },
            Error::Cancelled => FieldKitError::Cancelled {
                message_vi,
                message_en,
            },
            Error::NotFound { .. } => FieldKitError::NotFound {
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
                    retry_after_secs: retry_after.map(|d| d.as_secs()),
                    message_vi,
                    message_en,
                }
            }
            Error::Transport(TransportError::Network(_)) => FieldKitError::Network {
                retry_after_secs: None,
                message_vi,
                message_en,
            },
            other => FieldKitError::Other {
                code: other.code().into(),
                message_vi,
                message_en,
            },
        }
    }
}
