//! A phone's request body from the bytes on the wire to a checked JSON document, and a push from
//! that document to its changes — without the network, so the server and the fuzz target
//! `push_body` run the very same code. Size after decompression, UTF-8, JSON syntax and the
//! protocol version are checked in that order, each failure with its own code and both messages.
//!
//! No JSON tree is built: the version is read by a visitor that skips everything else (checking
//! the syntax on the way), and the message is deserialised straight from the bytes.
//!
//! Behind the `body` feature: the server enables it, the phone library does not.

mod push;
mod version_probe;

use std::io::Read;

use flate2::read::GzDecoder;
use serde::Deserialize;

use crate::wire::{ErrorBody, PROTOCOL_VERSION};
use version_probe::VersionProbe;

pub use push::{decode_push, Incoming, MAX_CHANGES_PER_PUSH};

/// Largest push on the wire (compressed or not).
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;
/// Largest push after decompression (a guard against compression bombs).
pub const MAX_JSON_BYTES: usize = 16 * 1024 * 1024;
/// Largest enrolment or pull, on the wire and decompressed: they carry a few hundred bytes, so a
/// compression bomb sent to them (enrolment needs no token) inflates to this at most.
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024;

/// What one request may send: bytes on the wire (compressed or not) and after decompression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyLimits {
    pub wire: usize,
    pub decoded: usize,
}

impl BodyLimits {
    /// A push: up to 2,000 records at once.
    pub const UPLOAD: BodyLimits = BodyLimits {
        wire: MAX_BODY_BYTES,
        decoded: MAX_JSON_BYTES,
    };
    /// Every other phone message (enrolment, pull).
    pub const MESSAGE: BodyLimits = BodyLimits {
        wire: MAX_MESSAGE_BYTES,
        decoded: MAX_MESSAGE_BYTES,
    };
}

/// Which kind of refusal a body gets; the server answers each with its HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyProblem {
    /// Over a limit (413).
    TooLarge,
    /// Not readable as what was declared: compression, UTF-8, JSON syntax, version (400).
    Unreadable,
    /// Well-formed JSON that is not the expected message (422).
    WrongShape,
}

/// A refused body: what kind of refusal, and the machine code and messages the phone is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyError {
    pub problem: BodyProblem,
    pub body: ErrorBody,
}

impl BodyError {
    fn new(problem: BodyProblem, code: &str, vi: String, en: String) -> BodyError {
        BodyError {
            problem,
            body: ErrorBody {
                code: code.to_owned(),
                message_vi: vi,
                message_en: en,
                field: None,
            },
        }
    }

    fn with_field(mut self, field: &str) -> BodyError {
        self.body.field = Some(field.to_owned());
        self
    }

    /// A body over its limit, before or after decompression.
    pub fn too_large() -> BodyError {
        BodyError::new(
            BodyProblem::TooLarge,
            "body_too_large",
            "Gói dữ liệu quá lớn; điện thoại sẽ gửi thành nhiều phần nhỏ hơn.".into(),
            "The upload is too large; the phone will send it in smaller parts.".into(),
        )
    }

    fn bad_compression() -> BodyError {
        BodyError::new(
            BodyProblem::Unreadable,
            "bad_compression",
            "Dữ liệu nén bị hỏng hoặc bị cắt giữa chừng; điện thoại sẽ gửi lại.".into(),
            "The compressed upload is damaged or cut short; the phone will send it again.".into(),
        )
    }

    fn missing_version() -> BodyError {
        BodyError::new(
            BodyProblem::WrongShape,
            "invalid_body",
            "Thiếu hoặc sai trường protocol_version.".into(),
            "protocol_version is missing or not a number.".into(),
        )
        .with_field("protocol_version")
    }
}

/// A request body read within its limits: decompressed, UTF-8, JSON, of the current protocol
/// version. [`JsonBody::parse`] gives the typed message.
pub struct JsonBody(Vec<u8>);

impl JsonBody {
    /// The typed message; wrong types name the offending field. `T` may borrow from the body
    /// (a push keeps each change as a slice of it until it is parsed).
    pub fn parse<'a, T: Deserialize<'a>>(&'a self) -> Result<T, BodyError> {
        serde_json::from_slice(&self.0).map_err(|e| {
            BodyError::new(
                BodyProblem::WrongShape,
                "invalid_body",
                format!("Dữ liệu gửi lên không đúng cấu trúc: {e}"),
                format!("The body does not have the expected structure: {e}"),
            )
        })
    }
}

/// The bytes of a body as read off the wire (`gzip`: declared `Content-Encoding: gzip`) up to a
/// checked JSON document of the current protocol version: decompressed within `limits.decoded`,
/// UTF-8, well-formed, `protocol_version` first. (The wire size is the reader's to enforce.)
pub fn decode_json(gzip: bool, raw: Vec<u8>, limits: BodyLimits) -> Result<JsonBody, BodyError> {
    let bytes = if gzip {
        inflate(&raw, limits.decoded)?
    } else if raw.len() > limits.decoded {
        return Err(BodyError::too_large());
    } else {
        raw
    };
    if let Err(e) = std::str::from_utf8(&bytes) {
        return Err(BodyError::new(
            BodyProblem::Unreadable,
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
            BodyError::missing_version()
        } else {
            BodyError::new(
                BodyProblem::Unreadable,
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

/// gzip-decompresses `raw`, stopping one byte past `max`.
fn inflate(raw: &[u8], max: usize) -> Result<Vec<u8>, BodyError> {
    let mut out = Vec::with_capacity(raw.len().saturating_mul(4).min(max));
    GzDecoder::new(raw)
        .take(max as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|_| BodyError::bad_compression())?;
    if out.len() > max {
        return Err(BodyError::too_large());
    }
    Ok(out)
}

/// Checks `protocol_version` (`None`: missing, or not a non-negative integer).
fn check_version(version: Option<u64>) -> Result<(), BodyError> {
    match version {
        Some(v) if v == u64::from(PROTOCOL_VERSION) => Ok(()),
        Some(v) => Err(BodyError::new(
            BodyProblem::Unreadable,
            "unsupported_protocol_version",
            format!("Phiên bản giao thức {v} không được máy chủ hỗ trợ (máy chủ dùng {PROTOCOL_VERSION}). Hãy cập nhật ứng dụng hoặc báo cán bộ Đoàn."),
            format!("Protocol version {v} is not supported by this server (it speaks {PROTOCOL_VERSION}). Update the app or tell your coordinator."),
        )
        .with_field("protocol_version")),
        None => Err(BodyError::missing_version()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::write::GzEncoder;

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut enc = GzEncoder::new(Vec::new(), flate2::Compression::best());
        std::io::Write::write_all(&mut enc, data).unwrap();
        enc.finish().unwrap()
    }

    fn code(result: Result<JsonBody, BodyError>) -> Result<(), String> {
        result.map(|_| ()).map_err(|e| e.body.code)
    }

    #[test]
    fn each_limit_holds_before_and_after_decompression() {
        let mut padded = br#"{"protocol_version": 1, "pad": ""#.to_vec();
        padded.resize(MAX_MESSAGE_BYTES + 1, b' ');
        padded.extend_from_slice(br#""}"#);
        let bomb = gz(&padded);
        assert!(bomb.len() < 1024);
        let message = BodyLimits::MESSAGE;
        let upload = BodyLimits::UPLOAD;
        assert_eq!(
            code(decode_json(true, bomb.clone(), message)),
            Err("body_too_large".into())
        );
        assert_eq!(code(decode_json(true, bomb, upload)), Ok(()));
        assert_eq!(
            code(decode_json(false, padded.clone(), message)),
            Err("body_too_large".into())
        );
        assert_eq!(code(decode_json(false, padded, upload)), Ok(()));
    }

    #[test]
    fn each_failure_has_its_code_and_kind() {
        let cases: [(&[u8], bool, &str, BodyProblem); 6] = [
            (
                b"\x1f\x8b\x08garbage",
                true,
                "bad_compression",
                BodyProblem::Unreadable,
            ),
            (
                b"{\"protocol_version\": 1, \"x\": \"\xff\"}",
                false,
                "invalid_utf8",
                BodyProblem::Unreadable,
            ),
            (
                b"{\"protocol_version\": 1,",
                false,
                "malformed_json",
                BodyProblem::Unreadable,
            ),
            (b"[1, 2]", false, "invalid_body", BodyProblem::WrongShape),
            (
                b"{\"protocol_version\": 99}",
                false,
                "unsupported_protocol_version",
                BodyProblem::Unreadable,
            ),
            (
                b"{\"other\": 1}",
                false,
                "invalid_body",
                BodyProblem::WrongShape,
            ),
        ];
        for (bytes, gzip, want, problem) in cases {
            let err = decode_json(gzip, bytes.to_vec(), BodyLimits::MESSAGE)
                .err()
                .unwrap();
            assert_eq!(err.body.code, want, "{}", String::from_utf8_lossy(bytes));
            assert_eq!(err.problem, problem, "{want}");
            assert!(!err.body.message_vi.is_empty() && !err.body.message_en.is_empty());
        }
    }
}
