//! The real [`Transport`]: JSON over HTTP(S) to the Gõ Cửa server.
//!
//! Contract (`/v1/`): `POST /v1/devices/enrol` (no auth) → `EnrolResponse`;
//! `POST /v1/sync/push` and `POST /v1/sync/pull` with `Authorization: Bearer <device token>` and a
//! gzip-compressed JSON body. Errors are 4xx/5xx with an [`ErrorBody`]; 429 and 503 may carry
//! `Retry-After`. Answers may come back gzip-compressed.
//!
//! Error mapping, chosen so the sync engine retries exactly when retrying is safe and useful:
//! - no connection, timeout, a cut or garbled answer, a redirect (e.g. a wifi login page) →
//!   [`TransportError::Network`];
//! - 5xx, 429 and 408 → [`TransportError::Unavailable`] with the server's `Retry-After`;
//! - any other 4xx → [`TransportError::Refused`] with the server's [`ErrorBody`] (or one made up
//!   from the status when the body is not one);
//! - problems found before anything is sent (a malformed server address, a plain `http://`
//!   address of another machine — `insecure_server_url` —, no device token) → `Refused` with
//!   `status: 0`, since trying again cannot help.
//!
//! TLS: the server's certificate is checked against the bundled Mozilla roots. A private
//! deployment with its own certificate authority (and the tests, with a throwaway certificate)
//! adds its root with [`add_root_certificates`]; that adds to the bundled roots, never replaces
//! them, and nothing ever turns checking off.
//!
//! Uses reqwest's blocking client: call it from a plain thread (the sync thread), never from
//! inside an async runtime.

use std::io::Write;
use std::sync::RwLock;
use std::time::Duration;

use chrono::{DateTime, Utc};
use flate2::write::GzEncoder;
use flate2::Compression;
use gocua_protocol::{
    EnrolRequest, EnrolResponse, ErrorBody, PullRequest, PullResponse, PushRequest, PushResponse,
};
use reqwest::blocking::{Client, Response};
use reqwest::header::{
    HeaderMap, HeaderValue, AUTHORIZATION, CONTENT_ENCODING, CONTENT_TYPE, RETRY_AFTER,
};
use reqwest::{StatusCode, Url};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::transport::{Transport, TransportError};
use gocua_protocol::enrol_link::{check_transport_security, EnrolLinkError};

/// Root certificates trusted besides the bundled ones, by every transport made after they are
/// added.
static EXTRA_ROOTS: RwLock<Vec<reqwest::Certificate>> = RwLock::new(Vec::new());

/// Trusts the certificate authorities in `pem` (one or more PEM certificates) for HTTPS, in
/// addition to the bundled Mozilla roots, for every [`HttpTransport`] made from now on in this
/// process: for a deployment whose certificate comes from the organisation's own authority, and
/// for tests. Returns how many certificates were added; a bundle with none, or one that does
/// not parse, is refused (`bad_certificate`) and nothing is added. Blocking, like the transport:
/// call it from a plain thread.
pub fn add_root_certificates(pem: &[u8]) -> Result<usize, TransportError> {
    let bad = |detail: String| {
        local_error(
            "bad_certificate",
            "Chứng chỉ máy chủ được cấu hình không đọc được.".into(),
            format!("The configured root certificate cannot be read: {detail}"),
        )
    };
    let certificates =
        reqwest::Certificate::from_pem_bundle(pem).map_err(|e| bad(error_chain(&e)))?;
    if certificates.is_empty() {
        return Err(bad("no PEM certificate found".into()));
    }
    // Building a client parses each certificate: a broken one is refused here rather than
    // breaking every transport made later.
    certificates
        .iter()
        .fold(Client::builder(), |b, c| b.add_root_certificate(c.clone()))
        .build()
        .map_err(|e| bad(error_chain(&e)))?;
    let n = certificates.len();
    EXTRA_ROOTS
        .write()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .extend(certificates);
    Ok(n)
}

pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Whole request, including reading the answer (a full reference-data pull on a slow network).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
pub const USER_AGENT: &str = concat!("gocua-core/", env!("CARGO_PKG_VERSION"));

pub const ENROL_PATH: &str = "/v1/devices/enrol";
pub const PUSH_PATH: &str = "/v1/sync/push";
pub const PULL_PATH: &str = "/v1/sync/pull";

/// Talks to one server as one device. Cheap to clone (the connection pool is shared).
#[derive(Clone)]
pub struct HttpTransport {
    client: Client,
    /// Without the trailing slash; may carry a path prefix (`https://host/gocua`).
    base: String,
    /// `Bearer <token>`, marked sensitive so it never shows in logs.
    auth: Option<HeaderValue>,
}

impl std::fmt::Debug for HttpTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpTransport")
            .field("base", &self.base)
            .field("token", &self.auth.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl HttpTransport {
    /// A transport for `base_url` (e.g. `https://gocua.example.vn`), authenticating with the
    /// device token from enrolment (`None` only for enrolment itself).
    pub fn new(base_url: &str, token: Option<String>) -> Result<Self, TransportError> {
        Self::with_timeouts(base_url, token, CONNECT_TIMEOUT, REQUEST_TIMEOUT)
    }

    pub fn with_timeouts(
        base_url: &str,
        token: Option<String>,
        connect_timeout: Duration,
        request_timeout: Duration,
    ) -> Result<Self, TransportError> {
        let base = check_base_url(base_url)?;
        let auth = match token {
            None => None,
            Some(t) => {
                let mut value = HeaderValue::from_str(&format!("Bearer {}", t.trim()))
                    .map_err(|_| bad_token())?;
                value.set_sensitive(true);
                Some(value)
            }
        };
        let mut builder = Client::builder();
        for root in EXTRA_ROOTS
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .iter()
        {
            builder = builder.add_root_certificate(root.clone());
        }
        let client = builder
            .user_agent(USER_AGENT)
            .connect_timeout(connect_timeout)
            .timeout(request_timeout)
            // A POST must not silently turn into a GET somewhere else; a redirect is most likely
            // a wifi login page.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| {
                local_error(
                    "http_client",
                    "Không khởi tạo được kết nối mạng trong ứng dụng.".into(),
                    format!("Cannot set up the HTTP client: {}", error_chain(&e)),
                )
            })?;
        Ok(HttpTransport { client, base, auth })
    }

    pub fn base_url(&self) -> &str {
        &self.base
    }

    pub fn has_token(&self) -> bool {
        self.auth.is_some()
    }

    /// Enrols this device with a coordinator's one-time code. No token is needed for a device
    /// id the server does not know; a transport that has one sends it, which proves the id when
    /// the same installation enrols again (the server refuses a known id without it, except
    /// for a retry of the enrolment that bound it).
    pub fn enrol(&self, request: &EnrolRequest) -> Result<EnrolResponse, TransportError> {
        let body = serde_json::to_vec(request).map_err(encode_error)?;
        self.post(ENROL_PATH, body, false, self.auth.is_some())
    }

    fn post<T: DeserializeOwned>(
        &self,
        path: &str,
        json: Vec<u8>,
        gzip: bool,
        auth: bool,
    ) -> Result<T, TransportError> {
        let mut request = self
            .client
            .post(format!("{}{}", self.base, path))
            .header(CONTENT_TYPE, "application/json");
        if auth {
            let value = self.auth.clone().ok_or_else(no_token)?;
            request = request.header(AUTHORIZATION, value);
        }
        let body = if gzip {
            request = request.header(CONTENT_ENCODING, "gzip");
            gzip_bytes(&json)?
        } else {
            json
        };
        // The `gzip` feature adds `Accept-Encoding: gzip` and inflates gzip answers.
        let response = request
            .body(body)
            .send()
            .map_err(|e| TransportError::Network(error_chain(&e)))?;
        read_answer(response)
    }

    fn post_gzip<Q: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        request: &Q,
    ) -> Result<T, TransportError> {
        let json = serde_json::to_vec(request).map_err(encode_error)?;
        self.post(path, json, true, true)
    }
}

impl Transport for HttpTransport {
    fn push(&self, request: &PushRequest) -> Result<PushResponse, TransportError> {
        self.post_gzip(PUSH_PATH, request)
    }

    fn pull(&self, request: &PullRequest) -> Result<PullResponse, TransportError> {
        self.post_gzip(PULL_PATH, request)
    }
}

/// Enrols a device at `base_url`: `POST /v1/devices/enrol`. Keep the returned `device_token`
/// for [`HttpTransport::new`].
pub fn enrol(base_url: &str, request: &EnrolRequest) -> Result<EnrolResponse, TransportError> {
    HttpTransport::new(base_url, None)?.enrol(request)
}

fn check_base_url(base_url: &str) -> Result<String, TransportError> {
    let trimmed = base_url.trim().trim_end_matches('/');
    let url = Url::parse(trimmed).map_err(|_| bad_url(base_url))?;
    if !matches!(url.scheme(), "http" | "https")
        || url.host_str().is_none()
        || url.query().is_some()
        || url.fragment().is_some()
    {
        return Err(bad_url(base_url));
    }
    // The device token and the households' data never cross a network unencrypted.
    if check_transport_security(trimmed) == Err(EnrolLinkError::InsecureServer) {
        let e = EnrolLinkError::InsecureServer;
        return Err(local_error(
            e.code(),
            e.message_vi().into(),
            format!("{} ({trimmed})", e.message_en()),
        ));
    }
    Ok(trimmed.to_owned())
}

fn gzip_bytes(json: &[u8]) -> Result<Vec<u8>, TransportError> {
    let mut encoder = GzEncoder::new(
        Vec::with_capacity(json.len() / 4 + 64),
        Compression::default(),
    );
    encoder
        .write_all(json)
        .and_then(|_| encoder.finish())
        .map_err(|e| {
            local_error(
                "encode",
                "Không nén được dữ liệu để gửi.".into(),
                format!("Cannot compress the request: {e}"),
            )
        })
}

/// Turns an answer into the expected value or the right kind of error.
fn read_answer<T: DeserializeOwned>(response: Response) -> Result<T, TransportError> {
    let status = response.status();
    let code = status.as_u16();
    if status.is_success() {
        let bytes = response.bytes().map_err(|e| {
            TransportError::Network(format!("answer cut or garbled: {}", error_chain(&e)))
        })?;
        // Resending is harmless (the server answers duplicates), so a bad answer is retried.
        return serde_json::from_slice(&bytes).map_err(|e| {
            TransportError::Network(format!("answer cut or garbled (HTTP {code}): {e}"))
        });
    }
    if status.is_server_error()
        || status == StatusCode::TOO_MANY_REQUESTS
        || status == StatusCode::REQUEST_TIMEOUT
    {
        return Err(TransportError::Unavailable {
            status: code,
            retry_after: parse_retry_after(response.headers(), Utc::now()),
        });
    }
    if status.is_client_error() {
        // A refusal whose body was cut is still a refusal.
        let body = response
            .bytes()
            .ok()
            .and_then(|b| serde_json::from_slice::<ErrorBody>(&b).ok())
            .filter(|b| !b.code.is_empty())
            .unwrap_or_else(|| synthesized_body(code));
        return Err(TransportError::Refused { status: code, body });
    }
    let location = response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
        .to_owned();
    Err(TransportError::Network(format!(
        "unexpected answer HTTP {code} (location {location}); a wifi login page?"
    )))
}

/// `Retry-After` as seconds, or as an HTTP date (relative to `now`); `None` when absent or
/// unreadable.
pub fn parse_retry_after(headers: &HeaderMap, now: DateTime<Utc>) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = DateTime::parse_from_rfc2822(value)
        .ok()?
        .with_timezone(&Utc);
    Some((at - now).to_std().unwrap_or(Duration::ZERO))
}

/// An error body for a 4xx whose body is not an [`ErrorBody`] (a proxy's page, an old server).
fn synthesized_body(status: u16) -> ErrorBody {
    let (vi, en) = match status {
        401 | 403 => (
            "Điện thoại này không còn được phép gửi dữ liệu. Hãy liên hệ cán bộ Đoàn để đăng ký lại.".to_owned(),
            "This phone is no longer allowed to send data. Ask your coordinator to enrol it again.".to_owned(),
        ),
        404 | 410 => (
            "Địa chỉ máy chủ không đúng hoặc ứng dụng đã quá cũ. Hãy cập nhật ứng dụng.".to_owned(),
            "The server address is wrong or the app is too old. Please update the app.".to_owned(),
        ),
        413 => (
            "Gói dữ liệu quá lớn so với giới hạn của máy chủ.".to_owned(),
            "The data sent is larger than the server accepts.".to_owned(),
        ),
        _ => (
            format!("Máy chủ từ chối yêu cầu (mã HTTP {status}). Dữ liệu vẫn nằm an toàn trong hàng chờ."),
            format!("The server refused the request (HTTP {status}). Your data is safe in the queue."),
        ),
    };
    ErrorBody {
        code: format!("http_{status}"),
        message_vi: vi,
        message_en: en,
        field: None,
    }
}

/// A problem found on the phone before anything was sent; retrying cannot fix it.
fn local_error(code: &str, message_vi: String, message_en: String) -> TransportError {
    TransportError::Refused {
        status: 0,
        body: ErrorBody {
            code: code.to_owned(),
            message_vi,
            message_en,
            field: None,
        },
    }
}

fn bad_url(given: &str) -> TransportError {
    local_error(
        "bad_server_url",
        "Địa chỉ máy chủ không hợp lệ (cần dạng https://tên-máy-chủ).".into(),
        format!("The server address is not valid (expected https://host): {given:?}"),
    )
}

fn bad_token() -> TransportError {
    local_error(
        "bad_device_token",
        "Mã thiết bị đã lưu không hợp lệ. Hãy đăng ký lại điện thoại.".into(),
        "The stored device token is not valid. Enrol the phone again.".into(),
    )
}

fn no_token() -> TransportError {
    local_error(
        "not_enrolled",
        "Điện thoại chưa được đăng ký vào đội. Hãy nhập mã đăng ký do cán bộ Đoàn cấp.".into(),
        "This phone is not enrolled in a team yet. Enter the code from your coordinator.".into(),
    )
}

fn encode_error(e: serde_json::Error) -> TransportError {
    local_error(
        "encode",
        "Không chuẩn bị được dữ liệu để gửi.".into(),
        format!("Cannot encode the request: {e}"),
    )
}

/// An error with its causes ("error sending request …: tcp connect error: Connection refused").
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn headers(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, HeaderValue::from_str(value).unwrap());
        h
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = Utc.with_ymd_and_hms(2026, 3, 10, 2, 0, 0).unwrap();
        assert_eq!(
            parse_retry_after(&headers("7"), now),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            parse_retry_after(&headers(" 120 "), now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            parse_retry_after(&headers("Tue, 10 Mar 2026 02:01:30 GMT"), now),
            Some(Duration::from_secs(90))
        );
        assert_eq!(
            parse_retry_after(&headers("Tue, 10 Mar 2026 01:00:00 GMT"), now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after(&headers("soon"), now), None);
        assert_eq!(parse_retry_after(&headers("-3"), now), None);
        assert_eq!(parse_retry_after(&HeaderMap::new(), now), None);
    }

    #[test]
    fn base_urls() {
        for ok in [
            "http://127.0.0.1:8080",
            "https://gocua.example.vn/",
            " https://example.vn/gocua// ",
            "http://localhost:3000",
        ] {
            let t = HttpTransport::new(ok, None).unwrap_or_else(|e| panic!("{ok}: {e:?}"));
            assert!(!t.base_url().ends_with('/'));
            assert!(!t.has_token());
        }
        assert_eq!(
            HttpTransport::new("https://example.vn/gocua/", None)
                .unwrap()
                .base_url(),
            "https://example.vn/gocua"
        );
        for bad in [
            "",
            "gocua.example.vn",
            "ftp://x.vn",
            "http://",
            "https://x.vn/?a=1",
        ] {
            match HttpTransport::new(bad, None) {
                Err(TransportError::Refused { status: 0, body }) => {
                    assert_eq!(body.code, "bad_server_url", "{bad}")
                }
                other => panic!("{bad}: {other:?}"),
            }
        }
    }

    #[test]
    fn plain_http_only_to_this_device() {
        for insecure in [
            "http://gocua.example.vn",
            "http://192.168.1.20:8080",
            "http://10.0.2.2:8080/",
            "http://[fe80::1]:8080",
        ] {
            match HttpTransport::new(insecure, Some("t".into())) {
                Err(TransportError::Refused { status: 0, body }) => {
                    assert_eq!(body.code, "insecure_server_url", "{insecure}");
                    assert!(body.message_vi.contains("https://"), "{insecure}");
                    assert_eq!(body.field, None);
                }
                other => panic!("{insecure}: {other:?}"),
            }
        }
        for local in [
            "http://127.0.0.1:8080",
            "http://127.0.0.2",
            "http://[::1]:9",
            "http://localhost",
        ] {
            assert!(HttpTransport::new(local, None).is_ok(), "{local}");
        }
    }

    #[test]
    fn root_certificates_must_parse() {
        for bad in [
            &b""[..],
            b"not a certificate",
            b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
        ] {
            match add_root_certificates(bad) {
                Err(TransportError::Refused { status: 0, body }) => {
                    assert_eq!(body.code, "bad_certificate")
                }
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn token_is_checked_and_redacted() {
        let t = HttpTransport::new("https://x.vn", Some("s3cret-token".into())).unwrap();
        assert!(t.has_token());
        assert!(!format!("{t:?}").contains("s3cret"));
        let bad = HttpTransport::new("https://x.vn", Some("a\nb".into())).unwrap_err();
        assert!(!bad.is_transient());
    }

    #[test]
    fn push_without_token_fails_locally() {
        let t = HttpTransport::new("http://127.0.0.1:9", None).unwrap();
        let e = t
            .pull(&PullRequest {
                protocol_version: 1,
                device_id: uuid::Uuid::nil(),
                cursor: None,
            })
            .unwrap_err();
        match e {
            TransportError::Refused { status: 0, body } => assert_eq!(body.code, "not_enrolled"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn synthesized_bodies_name_the_status() {
        let b = synthesized_body(401);
        assert_eq!(b.code, "http_401");
        assert!(b.message_vi.contains("đăng ký lại"));
        let b = synthesized_body(422);
        assert_eq!(b.code, "http_422");
        assert!(b.message_vi.contains("422") && b.message_en.contains("422"));
    }

    #[test]
    fn gzip_round_trip() {
        use std::io::Read;
        let json = r#"{"hello":"Gõ Cửa"}"#.repeat(50).into_bytes();
        let packed = gzip_bytes(&json).unwrap();
        assert!(packed.len() < json.len());
        let mut out = vec![];
        flate2::read::GzDecoder::new(&packed[..])
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, json);
    }
}
