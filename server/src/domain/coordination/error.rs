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
    /// A value given by the coordinator is not acceptable. `code` is the machine code pages
    /// show (`data-code`) and tests check: `invalid_input` unless a rule names its own.
    #[error("{en}")]
    Invalid {
        code: &'static str,
        vi: String,
        en: String,
    },
    /// Something named by id or code does not exist (`not_found` unless a rule names its own).
    #[error("{en}")]
    NotFound {
        code: &'static str,
        vi: String,
        en: String,
    },
    /// A rule refused the change (`username_taken`, `unit_move_cycle`, …): the web answers 422.
    #[error("{en}")]
    Refused {
        code: &'static str,
        vi: String,
        en: String,
    },
    /// The thing asked for changed state meanwhile (`upload_already_confirmed`,
    /// `upload_expired`): the web answers 409.
    #[error("{en}")]
    Conflict {
        code: &'static str,
        vi: String,
        en: String,
    },
}

impl AdminError {
    pub fn invalid(vi: impl Into<String>, en: impl Into<String>) -> Self {
        AdminError::Invalid {
            code: "invalid_input",
            vi: vi.into(),
            en: en.into(),
        }
    }

    pub fn not_found(vi: impl Into<String>, en: impl Into<String>) -> Self {
        AdminError::NotFound {
            code: "not_found",
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

    pub fn conflict(code: &'static str, vi: impl Into<String>, en: impl Into<String>) -> Self {
        AdminError::Conflict {
            code,
            vi: vi.into(),
            en: en.into(),
        }
    }

    /// The same refusal with the machine code of the rule that made it (e.g. `unit_move_cycle`).
    pub fn with_code(mut self, new: &'static str) -> Self {
        if let AdminError::Invalid { code, .. } | AdminError::NotFound { code, .. } = &mut self {
            *code = new;
        }
        self
    }

    /// The stable machine code: what pages put in `data-code` and tests compare.
    pub fn code(&self) -> &'static str {
        match self {
            AdminError::Db(_) => "database_error",
            AdminError::Csv(_) => "invalid_input",
            AdminError::Invalid { code, .. }
            | AdminError::NotFound { code, .. }
            | AdminError::Refused { code, .. }
            | AdminError::Conflict { code, .. } => code,
        }
    }

    pub fn message_vi(&self) -> String {
        match self {
            AdminError::Db(e) => format!("Lỗi cơ sở dữ liệu: {e}"),
            AdminError::Csv(errors) => format!("Tệp có {} lỗi; chưa nhập dòng nào.", errors.len()),
            AdminError::Invalid { vi, .. }
            | AdminError::NotFound { vi, .. }
            | AdminError::Refused { vi, .. }
            | AdminError::Conflict { vi, .. } => vi.clone(),
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
            | AdminError::Refused { en, .. }
            | AdminError::Conflict { en, .. } => en.clone(),
        }
    }
}

pub type AdminResult<T> = Result<T, AdminError>;
