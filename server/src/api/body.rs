//! Reading a request body defensively: size limits before and after decompression, UTF-8, JSON,
//! the protocol version, then the typed message — each failure with its own code.

use std::io::Read;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use gocua_protocol::PROTOCOL_VERSION;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::error::ApiError;

/// Largest body accepted on the wire (compressed or not).
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;
/// Largest body after decompression (a guard against compression bombs).
pub const MAX_JSON_BYTES: usize = 16 * 1024 * 1024;

fn too_large() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "body_too_large",
        "Gói dữ liệu quá lớn; điện thoại sẽ gửi thành nhiều phần nhỏ hơn.",
        "The upload is too large; the phone will send it in smaller parts.",
    )
}

pub async fn read_json(headers: &HeaderMap, body: Body) -> Result<serde_json::Value, ApiError> {
    let raw: Bytes = axum::body::to_bytes(body, MAX_BODY_BYTES)
        .await
        .map_err(|_| too_large())?;
    let encoding = headers
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("identity");
    let bytes = match encoding.trim().to_ascii_lowercase().as_str() {
        "identity" | "" => raw.to_vec(),
        "gzip" => {
            let mut out = Vec::new();
            GzDecoder::new(&raw[..])
                .take(MAX_JSON_BYTES as u64 + 1)
                .read_to_end(&mut out)
                .map_err(|_| {
                    ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "bad_compression",
                    "Dữ liệu nén bị hỏng hoặc bị cắt giữa chừng; điện thoại sẽ gửi lại.",
                    "The compressed upload is damaged or cut short; the phone will send it again.",
                )
                })?;
            if out.len() > MAX_JSON_BYTES {
                return Err(too_large());
            }
            out
        }
        other => {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_encoding",
                format!("Kiểu nén \"{other}\" không được hỗ trợ (chỉ gzip)."),
                format!("Content encoding \"{other}\" is not supported (gzip only)."),
            ))
        }
    };
    let text = std::str::from_utf8(&bytes).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_utf8",
            format!(
                "Dữ liệu không phải văn bản UTF-8 hợp lệ (byte thứ {}).",
                e.valid_up_to()
            ),
            format!(
                "The body is not valid UTF-8 text (at byte {}).",
                e.valid_up_to()
            ),
        )
    })?;
    serde_json::from_str(text).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "malformed_json",
            format!(
                "Dữ liệu JSON bị lỗi ở dòng {}, cột {}.",
                e.line(),
                e.column()
            ),
            format!(
                "The JSON is malformed at line {}, column {}: {e}",
                e.line(),
                e.column()
            ),
        )
    })
}

/// Checks `protocol_version` before anything else is interpreted.
pub fn check_version(value: &serde_json::Value) -> Result<(), ApiError> {
    match value.get("protocol_version").and_then(serde_json::Value::as_u64) {
        Some(v) if v == u64::from(PROTOCOL_VERSION) => Ok(()),
        Some(v) => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "unsupported_protocol_version",
            format!("Phiên bản giao thức {v} không được máy chủ hỗ trợ (máy chủ dùng {PROTOCOL_VERSION}). Hãy cập nhật ứng dụng hoặc báo cán bộ Đoàn."),
            format!("Protocol version {v} is not supported by this server (it speaks {PROTOCOL_VERSION}). Update the app or tell your coordinator."),
        )
        .with_field("protocol_version")),
        None => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            "Thiếu hoặc sai trường protocol_version.",
            "protocol_version is missing or not a number.",
        )
        .with_field("protocol_version")),
    }
}

/// Converts the JSON into a typed message; wrong types name the offending field.
pub fn typed<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, ApiError> {
    serde_json::from_value(value).map_err(|e| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            format!("Dữ liệu gửi lên không đúng cấu trúc: {e}"),
            format!("The body does not have the expected structure: {e}"),
        )
    })
}

/// A JSON answer, gzip-compressed when the client accepts it.
pub fn json_response<T: Serialize>(headers: &HeaderMap, value: &T) -> Response {
    let body = match serde_json::to_vec(value) {
        Ok(b) => b,
        Err(e) => {
            return ApiError::from(crate::db::DbError::Corrupt(e.to_string())).into_response()
        }
    };
    let gzip = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|p| p.trim().starts_with("gzip")));
    if gzip && body.len() > 512 {
        let mut enc = GzEncoder::new(Vec::new(), flate2::Compression::fast());
        if std::io::Write::write_all(&mut enc, &body).is_ok() {
            if let Ok(compressed) = enc.finish() {
                return (
                    [
                        (header::CONTENT_TYPE, "application/json"),
                        (header::CONTENT_ENCODING, "gzip"),
                    ],
                    compressed,
                )
                    .into_response();
            }
        }
    }
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}
