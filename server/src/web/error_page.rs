//! A [`WebError`] shown as a page in the reader's language.

use axum::response::{Html, IntoResponse, Response};

use super::error::WebError;
use super::i18n::Lang;
use super::layout;

impl WebError {
    /// The error as a page in the user's language.
    pub fn into_page(self, lang: Lang) -> Response {
        if let WebError::Db(e) = &self {
            tracing::error!(
                error = %crate::domain::redact::loggable(e),
                "dashboard: database error"
            );
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
