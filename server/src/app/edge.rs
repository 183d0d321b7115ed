//! The HTTP edge: what any one client may cost the server, and what every answer carries. One
//! policy for the phone API and the dashboard alike:
//!
//! - connections: how long a request head may take, how long an idle connection is kept, how
//!   many are open at once, how long shutdown waits for requests in flight (used by `app.rs`'s
//!   accept loop);
//! - bodies: one table of what each route may receive, on the wire and decompressed, with a
//!   deadline for the whole body, and a bound on how many large bodies are read at once;
//! - answers: the security headers of every response;
//! - who is asking: the client's address, scheme and request id, taken from `X-Forwarded-For`,
//!   `X-Forwarded-Proto` and `X-Request-Id` only when the TCP peer is a configured trusted proxy
//!   (from anyone else those headers, and `X-Forwarded-Host`, are removed before any handler
//!   sees them); each request runs in a tracing span with its id, method and matched route
//!   template (never the raw path or query, which may carry names and phone numbers), logged
//!   with its status and duration when answered; the answer carries `X-Request-Id`, HSTS when
//!   it goes out over HTTPS, and its cookies are made `Secure` when the request came over
//!   HTTPS through a trusted proxy or the public URL is https.

use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{ConnectInfo, DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::header::{self, HeaderName, HeaderValue};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::{BoxError, Router};
use http_body::{Frame, SizeHint};
use http_body_util::Limited;
use ipnet::IpNet;
use tokio::sync::Semaphore;
use tracing::Instrument;

use crate::api::error::ApiError;
use crate::api::{BodyLimit, BodyLimits, RemoteAddr, MAX_MESSAGE_BYTES};
use crate::web::{i18n, layout};

/// A client must send a whole request head within this time, and an idle keep-alive connection
/// is closed after it (hyper's header read timer also runs while a connection waits for its
/// next request). A phone sends its head at once and the next request of a sync follows within
/// a second; half-sent requests and idle sockets no longer hold descriptors for minutes.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(15);

/// A request body must have arrived this long after its head. The phone gives a whole request
/// 60 s (`core/src/http.rs`), so nothing it sends needs longer; a client trickling a body a
/// byte at a time is cut off here (answer `408 body_timeout`).
pub const BODY_TIMEOUT: Duration = Duration::from_secs(60);

/// Connections open at once. Beyond it the server stops accepting (new ones wait in the
/// kernel's queue) instead of failing on "too many open files"; lowered to fit the process's
/// descriptor limit, keeping [`RESERVED_DESCRIPTORS`] for the database, logs and exports.
pub const MAX_CONNECTIONS: usize = 1024;
/// Descriptors kept back from connections (see [`MAX_CONNECTIONS`]).
pub const RESERVED_DESCRIPTORS: usize = 64;

/// [`MAX_CONNECTIONS`], or fewer when the process may open fewer descriptors.
pub fn max_connections() -> usize {
    open_file_limit().map_or(MAX_CONNECTIONS, |fds| {
        fds.saturating_sub(RESERVED_DESCRIPTORS)
            .clamp(8, MAX_CONNECTIONS)
    })
}

#[cfg(unix)]
fn open_file_limit() -> Option<usize> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit only writes the struct it is given.
    let ok = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } == 0;
    (ok && limit.rlim_cur != libc::RLIM_INFINITY)
        .then(|| usize::try_from(limit.rlim_cur).unwrap_or(usize::MAX))
}

#[cfg(not(unix))]
fn open_file_limit() -> Option<usize> {
    None
}

/// On SIGTERM or Ctrl-C, requests in flight get this long to finish before the server stops
/// anyway (a push takes a few seconds at most; the orchestrator's own grace is usually 30 s).
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(20);

/// Large bodies (a push, or any body that may exceed [`MAX_MESSAGE_BYTES`]) read, decompressed,
/// parsed and handled at once. Each may hold its 16 MiB decompressed plus its records, so
/// parallel bombs cannot multiply memory past this many; the others wait their turn.
pub const LARGE_BODIES_AT_ONCE: usize = 4;
/// How long a large body waits for its turn before the answer is `503 server_busy`.
pub const LARGE_BODY_WAIT: Duration = Duration::from_secs(20);

/// Dashboard forms, on the wire (browsers do not compress them). A form is a few KiB; the
/// sign-in page still reads an oversized username to refuse it and log it short.
pub const FORM_LIMIT: BodyLimit = BodyLimit(BodyLimits {
    wire: 2 * 1024 * 1024,
    decoded: 2 * 1024 * 1024,
});

/// A coordinator's upload form (a hamlet CSV, a target sheet): see
/// [`crate::web::pages::admin::upload::MAX_FORM_BYTES`].
pub const FILE_FORM_LIMIT: BodyLimit = BodyLimit(BodyLimits {
    wire: crate::web::pages::admin::upload::MAX_FORM_BYTES,
    decoded: crate::web::pages::admin::upload::MAX_FORM_BYTES,
});

/// What a request to each route may send: the one table of body limits.
fn body_limit(route: &str) -> BodyLimit {
    match route {
        "/v1/sync/push" => BodyLimit::UPLOAD,
        "/admin/hamlets/upload" | "/admin/targets/upload" => FILE_FORM_LIMIT,
        // Enrolment (no token needed), pull, health.
        r if r.starts_with("/v1/") => BodyLimit::MESSAGE,
        _ => FORM_LIMIT,
    }
}

/// The content security policy of every answer: the dashboard has no script at all, one
/// stylesheet of its own, inline SVG and forms posting to itself; no site may frame it.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self'; \
    img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// What the edge is told about the deployment (cli/config.rs reads it).
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Peers whose forwarded headers are believed (addresses are single-host ranges).
    pub trusted_proxies: Vec<IpNet>,
    /// The public URL is `https://`: cookies are Secure on every answer.
    pub public_url_https: bool,
}

impl Settings {
    fn trusts(&self, peer: IpAddr) -> bool {
        let peer = peer.to_canonical();
        self.trusted_proxies.iter().any(|net| net.contains(&peer))
    }
}

/// The HSTS header the server sends on answers that went out over HTTPS: the same value as
/// deploy/nginx/gocua-proxy.conf's, which hides the server's copy and adds its own on every
/// answer (its error pages included), so a browser sees it once.
pub const STRICT_TRANSPORT_SECURITY: &str = "max-age=31536000";

/// The longest request id taken from a trusted proxy; longer or odd ones are replaced.
pub const MAX_REQUEST_ID_CHARS: usize = 64;

/// The headers only a trusted proxy may set.
const FORWARDED_HEADERS: [&str; 5] = [
    "x-forwarded-for",
    "x-forwarded-proto",
    "x-forwarded-host",
    "x-request-id",
    "forwarded",
];

static X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The application inside the edge's layers.
pub fn around(app: Router, settings: Settings) -> Router {
    let large_bodies = Arc::new(Semaphore::new(LARGE_BODIES_AT_ONCE));
    app.route_layer(middleware::from_fn_with_state(large_bodies, body_policy))
        // The table above is the only body limit (axum's own default would apply a second one).
        .layer(DefaultBodyLimit::disable())
        .layer(middleware::map_response(security_headers))
        .layer(middleware::from_fn_with_state(
            Arc::new(settings),
            who_is_asking,
        ))
}

/// Works out the client's address, scheme and request id (believing forwarded headers only
/// from a trusted proxy), runs the request in its span, and marks the answer.
async fn who_is_asking(
    State(settings): State<Arc<Settings>>,
    mut request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_canonical());
    let trusted = peer.is_some_and(|p| settings.trusts(p));
    let headers = request.headers_mut();
    if !trusted {
        for name in FORWARDED_HEADERS {
            headers.remove(name);
        }
    }
    let https = trusted && forwarded_https(headers);
    let request_id = headers
        .get(&X_REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|id| well_formed_request_id(id))
        .map(str::to_owned)
        .unwrap_or_else(|| uuid::Uuid::now_v7().simple().to_string());
    if let Some(peer) = peer {
        let client = if trusted {
            forwarded_client(peer, headers, &settings)
        } else {
            peer
        };
        request.extensions_mut().insert(RemoteAddr(client));
    }
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("-", |p| p.as_str())
        .to_owned();
    let span = tracing::info_span!(
        "request",
        request_id = %request_id,
        method = %request.method(),
        route = %route,
        status = tracing::field::Empty,
        duration_ms = tracing::field::Empty,
    );
    let mut response = next.run(request).instrument(span.clone()).await;
    let status = response.status().as_u16();
    span.record("status", status);
    span.record("duration_ms", started.elapsed().as_millis() as u64);
    span.in_scope(|| tracing::info!(status, "answered"));

    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        headers.insert(X_REQUEST_ID.clone(), value);
    }
    if https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(STRICT_TRANSPORT_SECURITY),
        );
    }
    if https || settings.public_url_https {
        secure_cookies(headers);
    }
    response
}

/// The last `X-Forwarded-Proto` (the one the nearest proxy set) says `https`.
fn forwarded_https(headers: &HeaderMap) -> bool {
    headers
        .get_all("x-forwarded-proto")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .last()
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"))
}

/// The client behind a trusted proxy: the right-most `X-Forwarded-For` entry that is not itself
/// a trusted proxy (entries to its left could have been written by anyone). The peer when the
/// header is missing or any entry is not an address.
fn forwarded_client(peer: IpAddr, headers: &HeaderMap, settings: &Settings) -> IpAddr {
    let mut entries = Vec::new();
    for value in headers.get_all("x-forwarded-for") {
        let Ok(text) = value.to_str() else {
            return peer;
        };
        for entry in text.split(',') {
            match entry.trim().parse::<IpAddr>() {
                Ok(ip) => entries.push(ip.to_canonical()),
                Err(_) => return peer,
            }
        }
    }
    entries
        .iter()
        .rev()
        .find(|ip| !settings.trusts(**ip))
        .or(entries.first())
        .copied()
        .unwrap_or(peer)
}

/// A request id a proxy may give: 1 to [`MAX_REQUEST_ID_CHARS`] letters, digits, `-`, `_`, `.`
/// (nginx's `$request_id` is 32 hex digits). Anything else could forge log lines.
fn well_formed_request_id(id: &str) -> bool {
    (1..=MAX_REQUEST_ID_CHARS).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// Adds `Secure` to every cookie the answer sets without it.
fn secure_cookies(headers: &mut HeaderMap) {
    let cookies: Vec<HeaderValue> = headers
        .get_all(header::SET_COOKIE)
        .iter()
        .cloned()
        .collect();
    if cookies.is_empty() {
        return;
    }
    headers.remove(header::SET_COOKIE);
    for cookie in cookies {
        let secure = match cookie.to_str() {
            Ok(text)
                if !text
                    .split(';')
                    .any(|attr| attr.trim().eq_ignore_ascii_case("secure")) =>
            {
                HeaderValue::from_str(&format!("{text}; Secure")).unwrap_or(cookie)
            }
            _ => cookie,
        };
        headers.append(header::SET_COOKIE, secure);
    }
}

/// Applies the route's limit: the body is cut at its wire limit and at its deadline, the limit
/// goes along for the phone API's reader, and a large body first waits for its turn.
async fn body_policy(
    State(large_bodies): State<Arc<Semaphore>>,
    route: MatchedPath,
    mut request: Request,
    next: Next,
) -> Response {
    let limit = body_limit(route.as_str());
    let _turn = if may_be_large(limit, request.headers()) {
        match tokio::time::timeout(LARGE_BODY_WAIT, large_bodies.acquire_owned()).await {
            Ok(Ok(permit)) => Some(permit),
            _ => return busy(route.as_str(), request.headers()),
        }
    } else {
        None
    };
    request.extensions_mut().insert(limit);
    let request = request.map(|body| {
        Body::new(Deadline {
            body: Limited::new(body, limit.wire),
            timer: Box::pin(tokio::time::sleep(BODY_TIMEOUT)),
        })
    });
    next.run(request).await
}

/// Whether a body may be over [`MAX_MESSAGE_BYTES`] once read: its route allows more, and it is
/// compressed, of unknown length or declared longer.
fn may_be_large(limit: BodyLimit, headers: &HeaderMap) -> bool {
    if limit.decoded <= MAX_MESSAGE_BYTES {
        return false;
    }
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<usize>().ok());
    headers.contains_key(header::CONTENT_ENCODING) || declared.is_none_or(|n| n > MAX_MESSAGE_BYTES)
}

/// `503` when a large body waited too long for its turn: the phone's error body on the API, an
/// error page on the dashboard.
fn busy(route: &str, headers: &HeaderMap) -> Response {
    if route.starts_with("/v1/") {
        return ApiError::busy().into_response();
    }
    let lang = i18n::lang_from_headers(headers);
    let message = lang.pick(
        "Máy chủ đang bận; hãy thử lại sau ít giây.",
        "The server is busy; try again in a few seconds.",
    );
    let page = layout::error_page(
        lang,
        StatusCode::SERVICE_UNAVAILABLE,
        "server_busy",
        message,
    );
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::RETRY_AFTER, HeaderValue::from_static("5"))],
        Html(page.into_string()),
    )
        .into_response()
}

/// A request body that fails with `io::ErrorKind::TimedOut` once [`BODY_TIMEOUT`] has passed
/// since the request's head, however steadily the bytes trickle in.
struct Deadline<B> {
    body: B,
    timer: Pin<Box<tokio::time::Sleep>>,
}

impl<B> HttpBody for Deadline<B>
where
    B: HttpBody<Data = Bytes> + Unpin,
    B::Error: Into<BoxError>,
{
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = &mut *self;
        if let Poll::Ready(frame) = Pin::new(&mut this.body).poll_frame(cx) {
            return Poll::Ready(frame.map(|f| f.map_err(Into::into)));
        }
        if this.timer.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Some(Err(Box::new(io::Error::new(
                io::ErrorKind::TimedOut,
                format!(
                    "the request body did not arrive within {} s",
                    BODY_TIMEOUT.as_secs()
                ),
            )))));
        }
        Poll::Pending
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

/// The headers every answer carries unless its handler set them: no framing, no sniffing, no
/// referrer to other sites, and nothing stored by the browser or a proxy (pages, exports and
/// API answers hold personal data; the stylesheet sets its own caching).
async fn security_headers(mut response: Response) -> Response {
    const HEADERS: [(HeaderName, &str); 5] = [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        // Same-origin: the language switch returns to the page it was clicked on.
        (header::REFERRER_POLICY, "same-origin"),
        (header::CACHE_CONTROL, "no-store"),
    ];
    let headers = response.headers_mut();
    for (name, value) in HEADERS {
        headers
            .entry(name)
            .or_insert(HeaderValue::from_static(value));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_has_its_limit() {
        assert_eq!(body_limit("/v1/sync/push"), BodyLimit::UPLOAD);
        assert_eq!(body_limit("/v1/devices/enrol"), BodyLimit::MESSAGE);
        assert_eq!(body_limit("/v1/sync/pull"), BodyLimit::MESSAGE);
        assert_eq!(body_limit("/login"), FORM_LIMIT);
        assert_eq!(body_limit("/teams/{id}/targets"), FORM_LIMIT);
    }

    fn settings(proxies: &[&str], public_url_https: bool) -> Settings {
        Settings {
            trusted_proxies: proxies.iter().map(|p| p.parse().unwrap()).collect(),
            public_url_https,
        }
    }

    fn forwarded_for(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append("x-forwarded-for", HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn trusted_proxies_by_address_and_range() {
        let s = settings(&["127.0.0.1/32", "10.0.0.0/8", "::1/128"], false);
        for ip in ["127.0.0.1", "10.200.3.4", "::1", "::ffff:10.0.0.9"] {
            assert!(s.trusts(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["127.0.0.2", "11.0.0.1", "::2", "192.168.1.1"] {
            assert!(!s.trusts(ip.parse().unwrap()), "{ip}");
        }
        assert!(!Settings::default().trusts("127.0.0.1".parse().unwrap()));
    }

    #[test]
    fn the_client_is_the_rightmost_untrusted_forwarded_address() {
        let s = settings(&["127.0.0.1/32", "10.0.0.0/8"], false);
        let peer: IpAddr = "127.0.0.1".parse().unwrap();
        let client = |h: &HeaderMap| forwarded_client(peer, h, &s).to_string();
        assert_eq!(client(&forwarded_for(&["203.0.113.7"])), "203.0.113.7");
        // A client's own forged entry on the left is passed over.
        assert_eq!(
            client(&forwarded_for(&["1.2.3.4, 203.0.113.7"])),
            "203.0.113.7"
        );
        assert_eq!(
            client(&forwarded_for(&["1.2.3.4", "203.0.113.7, 10.1.1.1"])),
            "203.0.113.7"
        );
        assert_eq!(client(&forwarded_for(&["10.1.1.1"])), "10.1.1.1");
        assert_eq!(client(&forwarded_for(&[])), "127.0.0.1");
        assert_eq!(client(&forwarded_for(&["203.0.113.7, bogus"])), "127.0.0.1");
    }

    #[test]
    fn only_the_nearest_proxy_says_https() {
        let mut h = HeaderMap::new();
        assert!(!forwarded_https(&h));
        h.insert("x-forwarded-proto", HeaderValue::from_static("HTTPS"));
        assert!(forwarded_https(&h));
        h.insert("x-forwarded-proto", HeaderValue::from_static("https, http"));
        assert!(!forwarded_https(&h));
    }

    #[test]
    fn request_ids_from_a_proxy_must_be_short_and_plain() {
        assert!(well_formed_request_id("0f3a9c2e7d1b4a5f8e6d2c1b0a9f8e7d"));
        assert!(well_formed_request_id("req-1.2_3"));
        for bad in ["", "a b", "x\ny", "\"quoted\"", "tên", &"a".repeat(65)] {
            assert!(!well_formed_request_id(bad), "{bad:?}");
        }
    }

    #[test]
    fn cookies_are_made_secure_once() {
        let mut h = HeaderMap::new();
        h.append(
            header::SET_COOKIE,
            HeaderValue::from_static("a=1; Path=/; HttpOnly"),
        );
        h.append(
            header::SET_COOKIE,
            HeaderValue::from_static("b=2; Secure; HttpOnly"),
        );
        secure_cookies(&mut h);
        let all: Vec<_> = h
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap())
            .collect();
        assert_eq!(
            all,
            ["a=1; Path=/; HttpOnly; Secure", "b=2; Secure; HttpOnly"]
        );
    }

    #[test]
    fn only_bodies_that_may_be_large_wait_for_a_turn() {
        let headers = |pairs: &[(HeaderName, &str)]| {
            let mut h = HeaderMap::new();
            for (n, v) in pairs {
                h.insert(n.clone(), HeaderValue::from_str(v).unwrap());
            }
            h
        };
        let small = headers(&[(header::CONTENT_LENGTH, "900")]);
        let big = headers(&[(header::CONTENT_LENGTH, "3000000")]);
        let gzip = headers(&[
            (header::CONTENT_LENGTH, "900"),
            (header::CONTENT_ENCODING, "gzip"),
        ]);
        let chunked = headers(&[]);
        assert!(!may_be_large(BodyLimit::UPLOAD, &small));
        assert!(may_be_large(BodyLimit::UPLOAD, &big));
        assert!(may_be_large(BodyLimit::UPLOAD, &gzip));
        assert!(may_be_large(BodyLimit::UPLOAD, &chunked));
        assert!(may_be_large(FORM_LIMIT, &big));
        for h in [&small, &big, &gzip, &chunked] {
            assert!(!may_be_large(BodyLimit::MESSAGE, h), "bounded by its limit");
        }
    }
}
