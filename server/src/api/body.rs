//! Reading a request body defensively, under the limits its route was given at the edge
//! (`app/edge.rs`, one table for every route): size on the wire, then after decompression, UTF-8,
//! JSON, the protocol version, then the typed message — each failure with its own code.
//!
//! No JSON tree is built: the version is read by a visitor that skips everything else (checking
//! the syntax on the way), and the message is deserialised straight from the bytes.

use std::convert::Infallible;
use std::error::Error as StdError;
use std::fmt;
use std::io::Read;

use axum::body::{Body, Bytes};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use gocua_protocol::PROTOCOL_VERSION;
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Serialize;

use super::error::ApiError;

/// Largest push on the wire (compressed or not).
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;
/// Largest push after decompression (a guard against compression bombs).
pub const MAX_JSON_BYTES: usize = 16 * 1024 * 1024;
/// Largest enrolment or pull, on the wire and decompressed: they carry a few hundred bytes, so a
/// compression bomb sent to them (enrolment needs no token) inflates to this at most.
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024;

/// What one request may send: bytes on the wire (compressed or not) and after decompression.
/// The edge puts the route's limit into the request; a handler takes it as an extractor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyLimit {
    pub wire: usize,
    pub decoded: usize,
}

impl BodyLimit {
    /// A push: up to 2,000 records at once.
    pub const UPLOAD: BodyLimit = BodyLimit {
        wire: MAX_BODY_BYTES,
        decoded: MAX_JSON_BYTES,
    };
    /// Every other phone message (enrolment, pull).
    pub const MESSAGE: BodyLimit = BodyLimit {
        wire: MAX_MESSAGE_BYTES,
        decoded: MAX_MESSAGE_BYTES,
    };
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
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "body_too_large",
        "Gói dữ liệu quá lớn; điện thoại sẽ gửi thành nhiều phần nhỏ hơn.",
        "The upload is too large; the phone will send it in smaller parts.",
    )
}

fn bad_compression() -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "bad_compression",
        "Dữ liệu nén bị hỏng hoặc bị cắt giữa chừng; điện thoại sẽ gửi lại.",
        "The compressed upload is damaged or cut short; the phone will send it again.",
    )
}

/// Why reading the body from the connection failed: too long, too slow (the edge's deadline
/// ends a body with an `io::ErrorKind::TimedOut` error), or cut off.
fn body_error(e: axum::Error) -> ApiError {
    if find::<http_body_util::LengthLimitError>(&e).is_some() {
        return too_large();
    }
    if find::<std::io::Error>(&e).is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut) {
        let mut timed_out = ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            "body_timeout",
            "Gửi dữ liệu quá chậm nên máy chủ đã dừng nhận; điện thoại sẽ gửi lại.",
            "The upload arrived too slowly and the server stopped waiting; the phone will send it again.",
        );
        timed_out.retry_after_secs = Some(5);
        return timed_out;
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

/// A request body read within its limits: decompressed, UTF-8, JSON, of the current protocol
/// version. [`JsonBody::parse`] gives the typed message.
pub struct JsonBody(Bytes);

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
    decode_json(gzip, raw, limit)
}

/// The bytes of a body as read off the wire (`gzip`: declared `Content-Encoding: gzip`) up to a
/// checked JSON document of the current protocol version: decompressed within `limit.decoded`,
/// UTF-8, well-formed, `protocol_version` first. Everything a request body goes through before
/// its typed message is parsed, without the network (the fuzz target `push_body` runs it).
pub fn decode_json(gzip: bool, raw: Bytes, limit: BodyLimit) -> Result<JsonBody, ApiError> {
    let bytes = if gzip {
        Bytes::from(inflate(&raw, limit.decoded)?)
    } else if raw.len() > limit.decoded {
        return Err(too_large());
    } else {
        raw
    };
    if let Err(e) = std::str::from_utf8(&bytes) {
        return Err(ApiError::new(
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
        ));
    }
    // One pass over the whole document: its syntax, and `protocol_version` before anything
    // else is interpreted.
    let probe: VersionProbe = serde_json::from_slice(&bytes).map_err(|e| {
        if e.is_data() {
            // Valid JSON, but not an object.
            missing_version()
        } else {
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
        }
    })?;
    check_version(probe.0)?;
    Ok(JsonBody(bytes))
}

/// Reads the body under `limit` as the typed message `T`.
pub async fn read_message<T: serde::de::DeserializeOwned>(
    headers: &HeaderMap,
    limit: BodyLimit,
    body: Body,
) -> Result<T, ApiError> {
    read_json(headers, limit, body).await?.parse()
}

/// gzip-decompresses `raw`, stopping one byte past `max`.
fn inflate(raw: &[u8], max: usize) -> Result<Vec<u8>, ApiError> {
    let mut out = Vec::with_capacity(raw.len().saturating_mul(4).min(max));
    GzDecoder::new(raw)
        .take(max as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|_| bad_compression())?;
    if out.len() > max {
        return Err(too_large());
    }
    Ok(out)
}

impl JsonBody {
    /// The typed message; wrong types name the offending field. `T` may borrow from the body
    /// (a push keeps each change as a slice of it until it is parsed).
    pub fn parse<'a, T: Deserialize<'a>>(&'a self) -> Result<T, ApiError> {
        serde_json::from_slice(&self.0).map_err(|e| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_body",
                format!("Dữ liệu gửi lên không đúng cấu trúc: {e}"),
                format!("The body does not have the expected structure: {e}"),
            )
        })
    }
}

fn missing_version() -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_body",
        "Thiếu hoặc sai trường protocol_version.",
        "protocol_version is missing or not a number.",
    )
    .with_field("protocol_version")
}

/// Checks `protocol_version` (`None`: missing, or not a non-negative integer).
fn check_version(version: Option<u64>) -> Result<(), ApiError> {
    match version {
        Some(v) if v == u64::from(PROTOCOL_VERSION) => Ok(()),
        Some(v) => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "unsupported_protocol_version",
            format!("Phiên bản giao thức {v} không được máy chủ hỗ trợ (máy chủ dùng {PROTOCOL_VERSION}). Hãy cập nhật ứng dụng hoặc báo cán bộ Đoàn."),
            format!("Protocol version {v} is not supported by this server (it speaks {PROTOCOL_VERSION}). Update the app or tell your coordinator."),
        )
        .with_field("protocol_version")),
        None => Err(missing_version()),
    }
}

/// The top-level object's `protocol_version` when it is a non-negative integer; every other
/// member is skipped without being stored.
struct VersionProbe(Option<u64>);

impl<'de> Deserialize<'de> for VersionProbe {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Object;
        impl<'de> Visitor<'de> for Object {
            type Value = VersionProbe;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<VersionProbe, A::Error> {
                let mut version = None;
                while let Some(is_version) = map.next_key::<IsVersionKey>()? {
                    if is_version.0 {
                        version = map.next_value::<AnyNumber>()?.0;
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(VersionProbe(version))
            }
        }
        d.deserialize_map(Object)
    }
}

/// Whether a key is `protocol_version` (compared in place, never copied).
struct IsVersionKey(bool);

impl<'de> Deserialize<'de> for IsVersionKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Key;
        impl Visitor<'_> for Key {
            type Value = IsVersionKey;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<IsVersionKey, E> {
                Ok(IsVersionKey(v == "protocol_version"))
            }
        }
        d.deserialize_str(Key)
    }
}

/// Any JSON value: `Some` for a non-negative integer, `None` for anything else (skipped).
struct AnyNumber(Option<u64>);

impl<'de> Deserialize<'de> for AnyNumber {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Any;
        impl<'de> Visitor<'de> for Any {
            type Value = AnyNumber;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_u64<E>(self, v: u64) -> Result<AnyNumber, E> {
                Ok(AnyNumber(Some(v)))
            }
            fn visit_i64<E>(self, _: i64) -> Result<AnyNumber, E> {
                Ok(AnyNumber(None))
            }
            fn visit_f64<E>(self, _: f64) -> Result<AnyNumber, E> {
                Ok(AnyNumber(None))
            }
            fn visit_bool<E>(self, _: bool) -> Result<AnyNumber, E> {
                Ok(AnyNumber(None))
            }
            fn visit_str<E>(self, _: &str) -> Result<AnyNumber, E> {
                Ok(AnyNumber(None))
            }
            fn visit_unit<E>(self) -> Result<AnyNumber, E> {
                Ok(AnyNumber(None))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<AnyNumber, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(AnyNumber(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<AnyNumber, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(AnyNumber(None))
            }
        }
        d.deserialize_any(Any)
    }
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

    fn probe(text: &str) -> Result<Option<u64>, serde_json::Error> {
        serde_json::from_str::<VersionProbe>(text).map(|p| p.0)
    }

    #[test]
    fn the_version_is_read_without_the_rest() {
        assert_eq!(probe(r#"{"protocol_version": 1}"#).unwrap(), Some(1));
        assert_eq!(
            probe(r#"{"a": [1, {"b": "c"}], "protocol_version": 7, "z": null}"#).unwrap(),
            Some(7)
        );
        for not_a_version in [
            r#"{"protocol_version": "1"}"#,
            r#"{"protocol_version": -1}"#,
            r#"{"protocol_version": 1.0}"#,
            r#"{"protocol_version": [1]}"#,
            r#"{"protocol_version": {"v": 1}}"#,
            r#"{"protocol_version": null}"#,
            r#"{"other": 1}"#,
            r#"{"protocol\u005fversion": true}"#,
        ] {
            assert_eq!(probe(not_a_version).unwrap(), None, "{not_a_version}");
        }
        // An escaped key is still the key.
        assert_eq!(probe(r#"{"protocol\u005fversion": 3}"#).unwrap(), Some(3));
    }

    #[test]
    fn syntax_and_shape_errors_are_told_apart() {
        for malformed in [r#"{"protocol_version": 1, "x": "#, r#"{"a": 1} x"#, "{,}"] {
            assert!(!probe(malformed).unwrap_err().is_data(), "{malformed}");
        }
        for not_an_object in ["[1, 2, 3]", "[1]", "\"text\"", "42", "null"] {
            assert!(
                probe(not_an_object).unwrap_err().is_data(),
                "{not_an_object}"
            );
        }
    }

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
