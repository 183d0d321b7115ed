//! The HTTP edge: what any one client may cost the server, and what every answer carries. One
//! policy for the phone API and the dashboard alike:
//!
//! - connections: how long a request head may take, how long an idle connection is kept, how
//!   many are open at once, how long shutdown waits for requests in flight (used by `app.rs`'s
//!   accept loop);
//! - bodies: one table of what each route may receive, on the wire and decompressed, with a
//!   deadline for the whole body, and a bound on how many large bodies are read at once;
//! - answers: the security headers of every response.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::header::{self, HeaderName, HeaderValue};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::{BoxError, Router};
use http_body::{Frame, SizeHint};
use http_body_util::Limited;
use tokio::sync::Semaphore;

use crate::api::error::ApiError;
use crate::api::{BodyLimit, MAX_MESSAGE_BYTES};
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
pub const FORM_LIMIT: BodyLimit = BodyLimit {
    wire: 2 * 1024 * 1024,
    decoded: 2 * 1024 * 1024,
};

/// What a request to each route may send: the one table of body limits.
fn body_limit(route: &str) -> BodyLimit {
    match route {
        "/v1/sync/push" => BodyLimit::UPLOAD,
        // Enrolment (no token needed), pull, health.
        r if r.starts_with("/v1/") => BodyLimit::MESSAGE,
        _ => FORM_LIMIT,
    }
}

/// The content security policy of every answer: the dashboard has no script at all, one
/// stylesheet of its own, inline SVG and forms posting to itself; no site may frame it.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self'; \
    img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The application inside the edge's layers.
pub fn around(app: Router) -> Router {
    let large_bodies = Arc::new(Semaphore::new(LARGE_BODIES_AT_ONCE));
    app.route_layer(middleware::from_fn_with_state(large_bodies, body_policy))
        // The table above is the only body limit (axum's own default would apply a second one).
        .layer(DefaultBodyLimit::disable())
        .layer(middleware::map_response(security_headers))
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
