//! Every refusal is a specific HTTP status with a machine code and a message a volunteer can read.

use std::time::Duration;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use gocua_protocol::ErrorBody;

use crate::db::DbError;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub body: ErrorBody,
    pub retry_after_secs: Option<u64>,
}

impl ApiError {
    pub fn new(
        status: StatusCode,
        code: &str,
        vi: impl Into<String>,
        en: impl Into<String>,
    ) -> Self {
        ApiError {
            status,
            body: ErrorBody {
                code: code.to_owned(),
                message_vi: vi.into(),
                message_en: en.into(),
                field: None,
            },
            retry_after_secs: None,
        }
    }

    /// Asks the phone to try again after `secs` seconds (`Retry-After`).
    pub fn retry_after(mut self, secs: u64) -> Self {
        self.retry_after_secs = Some(secs);
        self
    }

    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.body.field = Some(field.into());
        self
    }

    pub fn unauthorized() -> Self {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Thiết bị chưa được đăng ký hoặc mã truy cập không đúng. Hãy đăng ký lại bằng mã do cán bộ Đoàn cấp.",
            "This device is not enrolled or its access token is wrong. Enrol again with a code from your coordinator.",
        )
    }

    pub fn revoked() -> Self {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "device_revoked",
            "Thiết bị này đã bị thu hồi quyền gửi dữ liệu. Dữ liệu chưa gửi vẫn nằm trên máy; hãy liên hệ cán bộ Đoàn.",
            "This device's access was revoked. Unsent data stays on the phone; contact your coordinator.",
        )
    }

    /// `429` with `Retry-After`: `wait` rounded up to whole seconds, at least one.
    pub fn rate_limited(wait: Duration) -> Self {
        ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            "Gửi quá nhanh; điện thoại sẽ tự thử lại sau ít giây.",
            "Too many requests; the phone will try again in a few seconds.",
        )
        .retry_after((wait.as_secs_f64().ceil() as u64).max(1))
    }

    /// `503` with `Retry-After`: too many large uploads are being read at once.
    pub fn busy() -> Self {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "server_busy",
            "Máy chủ đang bận nhận dữ liệu của nhiều điện thoại; điện thoại sẽ tự gửi lại sau ít giây.",
            "The server is busy receiving other phones' uploads; the phone will send again in a few seconds.",
        )
        .retry_after(5)
    }
}

impl From<DbError> for ApiError {
    fn from(e: DbError) -> Self {
        tracing::error!(error = %crate::domain::redact::loggable(&e), "database error");
        let mut err = ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "server_error",
            "Máy chủ đang gặp sự cố. Dữ liệu trên điện thoại vẫn an toàn và sẽ được gửi lại sau.",
            "The server has a problem. Data on the phone is safe and will be sent again later.",
        );
        // Written out (not `.retry_after(30)`): tests/openapi_contract.rs reads this line to check
        // the documented Retry-After.
        err.retry_after_secs = Some(30);
        err
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(self.body)).into_response();
        if let Some(secs) = self.retry_after_secs {
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        response
    }
}
