//! What a dashboard request can fail with: each error has a status, a stable code and a message
//! in both languages. Rendering it as a page is [`super::error_page`].

use axum::http::StatusCode;
use axum::response::Response;

use super::i18n::Lang;
use crate::db::DbError;
use crate::domain::coordination::AdminError;

/// What a dashboard request can fail with; each has a status and a message in both languages.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("database: {0}")]
    Db(#[from] DbError),
    #[error("{0}")]
    Admin(#[from] AdminError),
    /// An id from a URL or form that is not in the user's unit subtree (or does not exist: the
    /// answer is the same, so ids cannot be probed).
    #[error("not in scope")]
    NotInScope,
    #[error("form token mismatch")]
    Csrf,
    #[error("role may not do this")]
    Forbidden,
    #[error("{en}")]
    BadInput { vi: String, en: String },
    #[error("export: {0}")]
    Export(String),
    /// Refused with its own status and stable code (e.g. `file_too_large`).
    #[error("{en}")]
    Refused {
        status: StatusCode,
        code: &'static str,
        vi: String,
        en: String,
    },
}

impl WebError {
    pub fn bad_input(vi: impl Into<String>, en: impl Into<String>) -> Self {
        WebError::BadInput {
            vi: vi.into(),
            en: en.into(),
        }
    }

    pub fn refused(
        status: StatusCode,
        code: &'static str,
        vi: impl Into<String>,
        en: impl Into<String>,
    ) -> Self {
        WebError::Refused {
            status,
            code,
            vi: vi.into(),
            en: en.into(),
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            WebError::Refused { status, .. } => *status,
            WebError::Admin(AdminError::Conflict { .. }) => StatusCode::CONFLICT,
            WebError::Db(_) | WebError::Export(_) => StatusCode::INTERNAL_SERVER_ERROR,
            WebError::Admin(AdminError::NotFound { .. }) | WebError::NotInScope => {
                StatusCode::NOT_FOUND
            }
            WebError::Admin(AdminError::Db(_)) => StatusCode::INTERNAL_SERVER_ERROR,
            WebError::Admin(_) | WebError::BadInput { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            WebError::Csrf | WebError::Forbidden => StatusCode::FORBIDDEN,
        }
    }

    /// A stable machine code, shown on the page and used by tests.
    pub fn code(&self) -> &'static str {
        match self {
            WebError::Refused { code, .. } => code,
            WebError::Db(_) => "database_error",
            WebError::Export(_) => "export_failed",
            WebError::Admin(e) => e.code(),
            WebError::NotInScope => "not_in_scope",
            WebError::BadInput { .. } => "invalid_input",
            WebError::Csrf => "csrf_mismatch",
            WebError::Forbidden => "forbidden",
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        match self {
            WebError::Db(e) => lang.pick_owned(
                format!("Lỗi cơ sở dữ liệu: {e}"),
                format!("Database error: {e}"),
            ),
            WebError::Export(e) => lang.pick_owned(
                format!("Không tạo được tệp xuất: {e}"),
                format!("The export could not be made: {e}"),
            ),
            WebError::Admin(e) => lang.pick_owned(e.message_vi(), e.message_en()),
            WebError::NotInScope => lang.pick_owned(
                "Không tìm thấy mục này trong phạm vi đơn vị của bạn.",
                "This item was not found within your unit.",
            ),
            WebError::Csrf => lang.pick_owned(
                "Biểu mẫu đã hết hạn hoặc không gửi từ trang này. Hãy tải lại trang rồi làm lại.",
                "The form expired or did not come from this site. Reload the page and try again.",
            ),
            WebError::Forbidden => lang.pick_owned(
                "Vai trò của bạn không được làm việc này.",
                "Your role may not do this.",
            ),
            WebError::BadInput { vi, en } | WebError::Refused { vi, en, .. } => {
                lang.pick_owned(vi.clone(), en.clone())
            }
        }
    }
}

/// A page handler's result: the page, or an error page in the user's language.
pub type PageResult = Result<Response, Response>;
