//! What a coordinator's command can fail with, in words a coordinator can act on (Vietnamese,
//! then English).

use gocua_protocol::import::CsvRowError;

use crate::db::DbError;

#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error("database: {0}")]
    Db(#[from] DbError),
    /// Problems of an imported file; nothing was imported.
    #[error("the file has {} problem(s); nothing was imported", .0.len())]
    Csv(Vec<CsvRowError>),
    /// A value given by the coordinator is not acceptable.
    #[error("{en}")]
    Invalid { vi: String, en: String },
    /// Something named by id or code does not exist.
    #[error("{en}")]
    NotFound { vi: String, en: String },
    /// A rule refused the change; `code` is stable (the pages' `data-code`, tests, scripts).
    #[error("{en}")]
    Refused {
        code: &'static str,
        vi: String,
        en: String,
    },
}

impl AdminError {
    pub fn invalid(vi: impl Into<String>, en: impl Into<String>) -> Self {
        AdminError::Invalid {
            vi: vi.into(),
            en: en.into(),
        }
    }

    pub fn not_found(vi: impl Into<String>, en: impl Into<String>) -> Self {
        AdminError::NotFound {
            vi: vi.into(),
            en: en.into(),
        }
    }

    pub fn refused(code: &'static str, vi: impl Into<String>, en: impl Into<String>) -> Self {
        AdminError::Refused {
            code,
            vi: vi.into(),
            en: en.into(),
        }
    }

    /// The same refusal under a specific code (e.g. a name check's `Invalid` as `team_name_invalid`).
    pub fn with_code(self, code: &'static str) -> Self {
        match self {
            AdminError::Invalid { vi, en } | AdminError::Refused { vi, en, .. } => {
                AdminError::Refused { code, vi, en }
            }
            other => other,
        }
    }

    /// A stable machine code for the kind of failure.
    pub fn code(&self) -> &'static str {
        match self {
            AdminError::Db(_) => "database_error",
            AdminError::Csv(_) | AdminError::Invalid { .. } => "invalid_input",
            AdminError::NotFound { .. } => "not_found",
            AdminError::Refused { code, .. } => code,
        }
    }

    pub fn message_vi(&self) -> String {
        match self {
            AdminError::Db(e) => format!("Lỗi cơ sở dữ liệu: {e}"),
            AdminError::Csv(errors) => format!("Tệp có {} lỗi; chưa nhập dòng nào.", errors.len()),
            AdminError::Invalid { vi, .. }
            | AdminError::NotFound { vi, .. }
            | AdminError::Refused { vi, .. } => vi.clone(),
        }
    }

    pub fn message_en(&self) -> String {
        match self {
            AdminError::Db(e) => format!("Database error: {e}"),
            AdminError::Csv(errors) => {
                format!(
                    "The file has {} problem(s); nothing was imported.",
                    errors.len()
                )
            }
            AdminError::Invalid { en, .. }
            | AdminError::NotFound { en, .. }
            | AdminError::Refused { en, .. } => en.clone(),
        }
    }
}

pub type AdminResult<T> = Result<T, AdminError>;
