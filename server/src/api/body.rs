//! Reading a request body defensively, under the limits its route was given at the edge
//! (`app/edge.rs`, one table for every route): the encoding and the size on the wire here, then
//! the protocol's own decoding (`gocua_protocol::body`: decompression within the limit, UTF-8,
//! JSON, the protocol version, the typed message), each failure with its own code.

use std::convert::Infallible;
use std::error::Error as StdError;

use axum::body::{Body, Bytes};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use flate2::write::GzEncoder;
pub use gocua_protocol::body::{
    decode_json, BodyError, BodyLimits, BodyProblem, JsonBody, MAX_BODY_BYTES, MAX_JSON_BYTES,
    MAX_MESSAGE_BYTES,
};
use serde::Serialize;

use super::error::ApiError;

/// What one request may send (the protocol's [`BodyLimits`]), as the edge put it into the
/// request for its route; a handler takes it as an extractor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyLimit(pub BodyLimits);

impl BodyLimit {
    /// A push: up to 2,000 records at once.
    pub const UPLOAD: BodyLimit = BodyLimit(BodyLimits::UPLOAD);
    /// Every other phone message (enrolment, pull).
    pub const MESSAGE: BodyLimit = BodyLimit(BodyLimits::MESSAGE);
}

impl std::ops::Deref for BodyLimit {
    type Target = BodyLimits;

    fn deref(&self) -> &BodyLimits {
        &self.0
    }
}

impl<S: Send + Sync> FromRequestParts<S> for BodyLimit {
    type Rejection = Infallible;

    /// The limit the edge gave this request; the small one if none was given.
    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Infallible> {
        Ok(parts
            .extensions
            .get::<BodyLimit>()
            .copied()
            .unwrap_or(BodyLimit::MESSAGE))
    }
}

fn too_large() -> ApiError {
    BodyError::too_large().into()
}

impl From<BodyError> for ApiError {
    fn from(e: BodyError) -> ApiError {
        let status = match e.problem {
            BodyProblem::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            BodyProblem::Unreadable => StatusCode::BAD_REQUEST,
            BodyProblem::WrongShape => StatusCode::UNPROCESSABLE_ENTITY,
        };
        ApiError {
            status,
            body: e.body,
            retry_after_secs: None,
        }
    }
}

/// Why reading the body from the connection failed: too long, too slow (the edge's deadline
/// ends a body with an `io::ErrorKind::TimedOut` error), or cut off.
fn body_error(e: axum::Error) -> ApiError {
    if find::<http_body_util::LengthLimitError>(&e).is_some() {
        return too_large();
    }
    if find::<std::io::Error>(&e).is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut) {
        return ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            "body_timeout",
            "Gửi dữ liệu quá chậm nên máy chủ đã dừng nhận; điện thoại sẽ gửi lại.",
            "The upload arrived too slowly and the server stopped waiting; the phone will send it again.",
        )
        .retry_after(5);
    }
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "incomplete_body",
        "Dữ liệu gửi lên bị cắt giữa chừng; điện thoại sẽ gửi lại.",
        "The upload was cut short; the phone will send it again.",
    )
}

/// The first error of type `E` in `e`'s chain of sources.
fn find<'e, E: StdError + 'static>(e: &'e (dyn StdError + 'static)) -> Option<&'e E> {
    let mut current = Some(e);
    while let Some(c) = current {
        if let Some(found) = c.downcast_ref::<E>() {
            return Some(found);
        }
        current = c.source();
    }
    None
}

/// Reads the body under `limit` and checks it up to the protocol version; nothing is kept but
/// the (decompressed) bytes.
pub async fn read_json(
    headers: &HeaderMap,
    limit: BodyLimit,
    body: Body,
) -> Result<JsonBody, ApiError> {
    let gzip = match headers
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("identity")
        .trim()
        .to_ascii_lowercase()
        .as_str()
    {
        "identity" | "" => false,
        "gzip" => true,
        other => {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_encoding",
                format!("Kiểu nén \"{other}\" không được hỗ trợ (chỉ gzip)."),
                format!("Content encoding \"{other}\" is not supported (gzip only)."),
            ))
        }
    };
    // A declared length over the limit is refused before a byte of the body is read.
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit.wire as u64) {
        return Err(too_large());
    }
    let raw: Bytes = axum::body::to_bytes(body, limit.wire)
        .await
        .map_err(body_error)?;
    Ok(decode_json(gzip, Vec::from(raw), limit.0)?)
}

/// Reads the body under `limit` as the typed message `T`.
pub async fn read_message<T: serde::de::DeserializeOwned>(
    headers: &HeaderMap,
    limit: BodyLimit,
    body: Body,
) -> Result<T, ApiError> {
    Ok(read_json(headers, limit, body).await?.parse()?)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn each_route_limit_holds_before_and_after_decompression() {
        let read = |body: Vec<u8>, gzip: bool, limit: BodyLimit| async move {
            let mut headers = HeaderMap::new();
            if gzip {
                headers.insert(header::CONTENT_ENCODING, "gzip".parse().unwrap());
            }
            read_json(&headers, limit, Body::from(body))
                .await
                .map(|_| ())
                .map_err(|e| e.body.code)
        };
        let gz = |data: &[u8]| {
            let mut enc = GzEncoder::new(Vec::new(), flate2::Compression::best());
            std::io::Write::write_all(&mut enc, data).unwrap();
            enc.finish().unwrap()
        };
        let mut padded = br#"{"protocol_version": 1, "pad": ""#.to_vec();
        padded.resize(MAX_MESSAGE_BYTES + 1, b' ');
        padded.extend_from_slice(br#""}"#);
        let bomb = gz(&padded);
        assert!(bomb.len() < 1024);
        assert_eq!(
            read(bomb.clone(), true, BodyLimit::MESSAGE).await,
            Err("body_too_large".into())
        );
        assert_eq!(read(bomb, true, BodyLimit::UPLOAD).await, Ok(()));
        assert_eq!(
            read(padded.clone(), false, BodyLimit::MESSAGE).await,
            Err("body_too_large".into())
        );
        assert_eq!(read(padded, false, BodyLimit::UPLOAD).await, Ok(()));
    }
}
