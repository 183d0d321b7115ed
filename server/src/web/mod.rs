//! The coordinators' dashboard, served by `gocua serve` at `/`: server-rendered pages (maud),
//! charts as inline SVG, no JavaScript. Vietnamese by default, English by cookie.
//!
//! Every page runs as a signed-in [`session::User`]; every id from a URL or form is checked
//! against the user's unit subtree ([`scope`]); every change is written to the audit log.

pub mod accounts;
pub mod audit;
pub mod data;
pub mod export;
pub mod i18n;
pub mod layout;
pub mod pages;
pub mod scope;
pub mod session;

use std::sync::Arc;

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

use crate::admin::AdminError;
use crate::api::AppState;
use crate::db::DbError;
use i18n::Lang;

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
}

impl WebError {
    pub fn bad_input(vi: impl Into<String>, en: impl Into<String>) -> Self {
        WebError::BadInput {
            vi: vi.into(),
            en: en.into(),
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
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
            WebError::Db(_) | WebError::Admin(AdminError::Db(_)) => "database_error",
            WebError::Export(_) => "export_failed",
            WebError::Admin(AdminError::NotFound { .. }) => "not_found",
            WebError::NotInScope => "not_in_scope",
            WebError::Admin(_) | WebError::BadInput { .. } => "invalid_input",
            WebError::Csrf => "csrf_mismatch",
            WebError::Forbidden => "forbidden",
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        match self {
            WebError::Db(e) => lang.s(
                format!("Lỗi cơ sở dữ liệu: {e}"),
                format!("Database error: {e}"),
            ),
            WebError::Export(e) => lang.s(
                format!("Không tạo được tệp xuất: {e}"),
                format!("The export could not be made: {e}"),
            ),
            WebError::Admin(e) => lang.s(e.message_vi(), e.message_en()),
            WebError::NotInScope => lang.s(
                "Không tìm thấy mục này trong phạm vi đơn vị của bạn.",
                "This item was not found within your unit.",
            ),
            WebError::Csrf => lang.s(
                "Biểu mẫu đã hết hạn hoặc không gửi từ trang này. Hãy tải lại trang rồi làm lại.",
                "The form expired or did not come from this site. Reload the page and try again.",
            ),
            WebError::Forbidden => lang.s(
                "Vai trò của bạn không được làm việc này.",
                "Your role may not do this.",
            ),
            WebError::BadInput { vi, en } => lang.s(vi.clone(), en.clone()),
        }
    }

    /// The error as a page in the user's language.
    pub fn into_page(self, lang: Lang) -> Response {
        if matches!(self, WebError::Db(_)) {
            tracing::error!("dashboard: {self}");
        }
        let status = self.status();
        let body = layout::error_page(lang, status, self.code(), &self.message(lang));
        (status, Html(body.into_string())).into_response()
    }
}

impl IntoResponse for WebError {
    /// Without the request's language: Vietnamese, as the default.
    fn into_response(self) -> Response {
        self.into_page(Lang::Vi)
    }
}

/// A page handler's result: the page, or an error page in the user's language.
pub type PageResult = Result<Response, Response>;

/// Runs blocking database work for a page; errors become error pages in `lang`.
pub async fn db_run<T: Send + 'static>(
    state: &Arc<AppState>,
    lang: Lang,
    f: impl FnOnce(&mut dyn crate::db::Sql) -> Result<T, WebError> + Send + 'static,
) -> Result<T, Response> {
    state.db.run(f).await.map_err(|e| e.into_page(lang))
}

pub fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Orders Vietnamese names the way people expect (ignoring case and diacritics first).
pub fn sort_key(name: &str) -> (String, String) {
    (gocua_protocol::text::fold(name), name.to_owned())
}

pub fn router() -> Router<Arc<AppState>> {
    use pages::*;
    Router::new()
        .route("/", get(overview::page))
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", post(login::logout))
        .route("/lang/{code}", get(login::switch_language))
        .route("/assets/app.css", get(layout::stylesheet))
        .route("/teams/{id}", get(teams::page))
        .route("/teams/{id}/codes", post(teams::issue_code))
        .route(
            "/teams/{id}/targets",
            get(targets::form).post(targets::save),
        )
        .route("/devices/{id}/revoke", post(teams::revoke))
        .route("/households", get(households::list))
        .route("/households/{id}", get(households::detail))
        .route("/visits", get(visits::list))
        .route("/visits/{id}/delete", post(visits::delete))
        .route("/follow-ups", get(followups::list))
        .route("/flags", get(flags::list))
        .route("/flags/{id}/resolve", post(flags::resolve))
        .route("/feedback", get(feedback::list))
        .route("/audit", get(audit_page::list))
        .route("/report", get(report::form).post(report::download))
        .route("/exports/visits", post(exports::start_visits))
        .route("/exports/{id}", get(exports::status))
        .route("/exports/{id}/file", get(exports::download))
}
