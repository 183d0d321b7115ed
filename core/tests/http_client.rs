//! The HTTP transport against a tiny real server on 127.0.0.1 that reads each request and writes
//! a canned HTTP/1.1 answer (or misbehaves on purpose): the wire format, the error mapping, and
//! the retrying sync driver over real sockets.

mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use chrono::Utc;
use common::*;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use flate2::Compression;
use gocua_core::protocol::*;
use gocua_core::*;
use uuid::Uuid;

// ---------------------------------------------------------------------------------------------
// A one-request-per-connection HTTP/1.1 server.

#[derive(Debug)]
struct Captured {
    method: String,
    path: String,
    headers: HashMap<String, String>,
    /// As received (still gzip-compressed when the client compressed it).
    body: Vec<u8>,
}

impl Captured {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
    }

    fn decoded_body(&self) -> Vec<u8> {
        if self.header("content-encoding") == Some("gzip") {
            let mut out = vec![];
            GzDecoder::new(&self.body[..])
                .read_to_end(&mut out)
                .expect("request body is valid gzip");
            out
        } else {
            self.body.clone()
        }
    }

    fn json<T: serde::de::DeserializeOwned>(&self) -> T {
        serde_json::from_slice(&self.decoded_body()).expect("request body is the expected JSON")
    }
}

/// What to do with one connection once its request has been read.
enum Reply {
    /// Write these bytes, then close.
    Bytes(Vec<u8>),
    /// Hold the connection open this long without answering, then close.
    Stall(Duration),
}

fn read_request(stream: &mut TcpStream) -> Captured {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_owned();
    let path = parts.next().unwrap_or_default().to_owned();
    let mut headers = HashMap::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':').expect("header line");
        headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_owned());
    }
    let len: usize = headers
        .get("content-length")
        .map(|v| v.parse().unwrap())
        .unwrap_or(0);
    let mut body = vec![0; len];
    reader.read_exact(&mut body).unwrap();
    Captured {
        method,
        path,
        headers,
        body,
    }
}

/// Serves up to `max` connections, one request each, answering with `reply`; stops after `max`
/// or after `idle` without a new connection. Returns the base URL and the requests seen.
fn serve_for<F>(max: usize, idle: Duration, mut reply: F) -> (String, JoinHandle<Vec<Captured>>)
where
    F: FnMut(usize, &Captured) -> Reply + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    listener.set_nonblocking(true).unwrap();
    let handle = std::thread::spawn(move || {
        let mut seen = vec![];
        let mut last = Instant::now();
        while seen.len() < max && last.elapsed() < idle {
            let mut stream = match listener.accept() {
                Ok((s, _)) => s,
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    std::thread::sleep(Duration::from_millis(2));
                    continue;
                }
                Err(e) => panic!("accept: {e}"),
            };
            stream.set_nonblocking(false).unwrap();
            let request = read_request(&mut stream);
            match reply(seen.len(), &request) {
                Reply::Bytes(bytes) => {
                    let _ = stream.write_all(&bytes);
                    let _ = stream.flush();
                }
                Reply::Stall(d) => std::thread::sleep(d),
            }
            let _ = stream.shutdown(std::net::Shutdown::Both);
            seen.push(request);
            last = Instant::now();
        }
        seen
    });
    (base, handle)
}

fn serve<F>(max: usize, reply: F) -> (String, JoinHandle<Vec<Captured>>)
where
    F: FnMut(usize, &Captured) -> Reply + Send + 'static,
{
    serve_for(max, Duration::from_secs(20), reply)
}

/// A one-shot server answering `bytes` to the first request.
fn answer_once(bytes: Vec<u8>) -> (String, JoinHandle<Vec<Captured>>) {
    serve(1, move |_, _| Reply::Bytes(bytes.clone()))
}

fn http_response(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\n");
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    let mut out = out.into_bytes();
    out.extend_from_slice(body);
    out
}

fn json_response<T: serde::Serialize>(status: &str, value: &T) -> Vec<u8> {
    http_response(
        status,
        &[("Content-Type", "application/json")],
        &serde_json::to_vec(value).unwrap(),
    )
}

fn gzip_json_response<T: serde::Serialize>(value: &T) -> Vec<u8> {
    let mut enc = GzEncoder::new(vec![], Compression::default());
    enc.write_all(&serde_json::to_vec(value).unwrap()).unwrap();
    http_response(
        "200 OK",
        &[
            ("Content-Type", "application/json"),
            ("Content-Encoding", "gzip"),
        ],
        &enc.finish().unwrap(),
    )
}

fn error_response(status: &str, code: &str, headers: &[(&str, &str)]) -> Vec<u8> {
    let body = ErrorBody {
        code: code.into(),
        message_vi: "Thiết bị này đã bị thu hồi quyền gửi dữ liệu.".into(),
        message_en: "This device has been revoked.".into(),
        field: None,
    };
    let mut all = vec![("Content-Type", "application/json")];
    all.extend_from_slice(headers);
    http_response(status, &all, &serde_json::to_vec(&body).unwrap())
}

// ---------------------------------------------------------------------------------------------
// What a well-behaved server answers.

fn accept_all(request: &PushRequest) -> PushResponse {
    push_answer(request.changes.iter().map(accepted).collect(), Utc::now())
}

fn pull_response() -> PullResponse {
    PullResponse {
        cursor: "c42".into(),
        ..pull_answer(reference_data(), start_time())
    }
}

/// Answers like the real server would, by path.
fn good_answer(request: &Captured) -> Vec<u8> {
    match request.path.as_str() {
        "/v1/sync/push" => gzip_json_response(&accept_all(&request.json())),
        "/v1/sync/pull" => gzip_json_response(&pull_response()),
        other => panic!("unexpected path {other}"),
    }
}

fn push_request(store: &Store) -> PushRequest {
    let h = store
        .create_household(&household_draft("Trần Văn Bảy"))
        .unwrap();
    let v = store.record_visit(&visit_draft(h.id)).unwrap();
    PushRequest {
        protocol_version: PROTOCOL_VERSION,
        device_id: store.device_id(),
        changes: vec![Change::Household(h), Change::Visit(v)],
    }
}

fn small_request() -> PullRequest {
    PullRequest {
        protocol_version: PROTOCOL_VERSION,
        device_id: Uuid::now_v7(),
        cursor: None,
    }
}

const TOKEN: &str = "dev_7Jq2-token";

fn transport(base: &str) -> HttpTransport {
    HttpTransport::new(base, Some(TOKEN.into())).unwrap()
}

fn expect_network<T: std::fmt::Debug>(r: Result<T, TransportError>) -> String {
    match r {
        Err(TransportError::Network(msg)) => msg,
        other => panic!("expected a network error, got {other:?}"),
    }
}

fn no_progress(_: SyncProgress) {}

// ---------------------------------------------------------------------------------------------
// The wire format.

#[test]
fn push_round_trip_is_gzip_both_ways_with_the_bearer_token() {
    let f = fixture();
    let request = push_request(&f.store);
    let expected = accept_all(&request);
    let answer = expected.clone();
    let (base, server) = serve(1, move |_, _| Reply::Bytes(gzip_json_response(&answer)));

    let response = transport(&base).push(&request).unwrap();
    assert_eq!(response, expected);

    let seen = server.join().unwrap();
    assert_eq!(seen.len(), 1);
    let r = &seen[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.path, "/v1/sync/push");
    assert_eq!(r.header("authorization"), Some(&*format!("Bearer {TOKEN}")));
    assert_eq!(r.header("content-encoding"), Some("gzip"));
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert!(r.header("accept-encoding").unwrap().contains("gzip"));
    assert!(r.header("user-agent").unwrap().starts_with("gocua-core/"));
    assert_eq!(&r.body[..2], &[0x1f, 0x8b], "gzip magic");
    let sent: PushRequest = r.json();
    assert_eq!(sent, request);
    // Vietnamese text survives the trip as UTF-8.
    assert!(String::from_utf8(r.decoded_body())
        .unwrap()
        .contains("Trần Văn Bảy"));
}

#[test]
fn pull_round_trip_with_a_plain_json_answer() {
    let expected = pull_response();
    let (base, server) = answer_once(json_response("200 OK", &expected));
    let request = PullRequest {
        cursor: Some("c41".into()),
        ..small_request()
    };
    let response = transport(&base).pull(&request).unwrap();
    assert_eq!(response, expected);
    let seen = server.join().unwrap();
    assert_eq!(seen[0].path, "/v1/sync/pull");
    assert_eq!(seen[0].header("content-encoding"), Some("gzip"));
    assert_eq!(seen[0].json::<PullRequest>(), request);
}

#[test]
fn enrol_sends_plain_json_without_a_token() {
    let answer = EnrolResponse {
        device_token: "dev_new".into(),
        device_id: Uuid::now_v7(),
        team_id: team_id(),
        team_name: "Đội TNTN Phường Bến Tre".into(),
        volunteer_id: volunteer_id(),
        volunteer_name: "Lê Thị Hoa".into(),
        server_time: start_time(),
    };
    let (base, server) = answer_once(json_response("200 OK", &answer));
    let request = EnrolRequest {
        protocol_version: PROTOCOL_VERSION,
        code: "BT-4821".into(),
        device_id: answer.device_id,
        device_label: "Galaxy A15".into(),
        app_version: "1.0.0".into(),
    };
    assert_eq!(enrol(&format!("{base}/"), &request).unwrap(), answer);
    let seen = server.join().unwrap();
    let r = &seen[0];
    assert_eq!(r.path, "/v1/devices/enrol");
    assert_eq!(r.header("authorization"), None);
    assert_eq!(r.header("content-encoding"), None);
    assert_eq!(r.json::<EnrolRequest>(), request);
}

// ---------------------------------------------------------------------------------------------
// Error mapping.

#[test]
fn busy_server_with_retry_after_is_unavailable() {
    let (base, _server) = answer_once(error_response(
        "503 Service Unavailable",
        "maintenance",
        &[("Retry-After", "7")],
    ));
    let e = transport(&base).pull(&small_request()).unwrap_err();
    assert_eq!(
        e,
        TransportError::Unavailable {
            status: 503,
            retry_after: Some(Duration::from_secs(7))
        }
    );
    assert!(e.is_transient());
}

#[test]
fn too_many_requests_without_retry_after() {
    let (base, _server) = answer_once(http_response("429 Too Many Requests", &[], b""));
    assert_eq!(
        transport(&base).pull(&small_request()).unwrap_err(),
        TransportError::Unavailable {
            status: 429,
            retry_after: None
        }
    );
}

#[test]
fn revoked_device_is_refused_with_the_servers_body() {
    let (base, _server) = answer_once(error_response("401 Unauthorized", "device_revoked", &[]));
    match transport(&base).pull(&small_request()).unwrap_err() {
        e @ TransportError::Refused { status: 401, .. } => {
            let TransportError::Refused { body, .. } = &e else {
                unreachable!()
            };
            assert_eq!(body.code, "device_revoked");
            assert!(!e.is_transient());
            assert_eq!(
                e.message_vi(),
                "Thiết bị này đã bị thu hồi quyền gửi dữ liệu."
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn refusal_without_an_error_body_gets_a_made_up_one() {
    let (base, _server) = answer_once(http_response(
        "400 Bad Request",
        &[("Content-Type", "text/html")],
        b"<html><body>Bad Request</body></html>",
    ));
    match transport(&base).pull(&small_request()).unwrap_err() {
        TransportError::Refused { status: 400, body } => {
            assert_eq!(body.code, "http_400");
            assert!(body.message_vi.contains("từ chối"), "{}", body.message_vi);
            assert!(body.message_en.contains("400"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn connection_closed_mid_answer_is_a_network_error() {
    let cut = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\nConnection: close\r\n\r\n{\"reference\":{\"areas\":[".to_vec();
    let (base, _server) = answer_once(cut);
    expect_network(transport(&base).pull(&small_request()));
}

#[test]
fn connection_closed_before_any_answer_is_a_network_error() {
    let (base, _server) = answer_once(vec![]);
    expect_network(transport(&base).pull(&small_request()));
}

#[test]
fn truncated_json_in_a_complete_200_is_a_network_error() {
    let json = serde_json::to_vec(&pull_response()).unwrap();
    let (base, _server) = answer_once(http_response(
        "200 OK",
        &[("Content-Type", "application/json")],
        &json[..json.len() / 2],
    ));
    let msg = expect_network(transport(&base).pull(&small_request()));
    assert!(msg.contains("cut or garbled"), "{msg}");
}

#[test]
fn a_wifi_login_page_is_a_network_error() {
    // A captive portal answering 200 with HTML…
    let (base, _server) = answer_once(http_response(
        "200 OK",
        &[("Content-Type", "text/html")],
        b"<html>Dang nhap wifi</html>",
    ));
    expect_network(transport(&base).pull(&small_request()));
    // …or redirecting: not followed (a POST must not turn into a GET elsewhere).
    let (base, server) = answer_once(http_response(
        "302 Found",
        &[("Location", "http://login.wifi.example/")],
        b"",
    ));
    let msg = expect_network(transport(&base).pull(&small_request()));
    assert!(msg.contains("302"), "{msg}");
    assert_eq!(server.join().unwrap().len(), 1);
}

#[test]
fn nobody_listening_is_a_network_error() {
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let msg = expect_network(transport(&format!("http://127.0.0.1:{port}")).pull(&small_request()));
    assert!(!msg.is_empty());
}

#[test]
fn a_silent_server_times_out_as_a_network_error() {
    let (base, _server) = serve(1, |_, _| Reply::Stall(Duration::from_secs(3)));
    let t = HttpTransport::with_timeouts(
        &base,
        Some(TOKEN.into()),
        Duration::from_secs(1),
        Duration::from_millis(300),
    )
    .unwrap();
    let start = Instant::now();
    expect_network(t.pull(&small_request()));
    assert!(start.elapsed() < Duration::from_secs(2));
}

// ---------------------------------------------------------------------------------------------
// The retrying driver.

fn record_day(store: &Store, households: usize) {
    for i in 0..households {
        let h = store
            .create_household(&household_draft(&format!("Nguyễn Văn Số {i}")))
            .unwrap();
        store.record_visit(&visit_draft(h.id)).unwrap();
    }
}

#[test]
fn sync_with_retry_survives_two_transient_failures() {
    let f = fixture();
    record_day(&f.store, 3);
    let pending = f.store.queue_status().unwrap().pending;
    assert_eq!(pending, 6);

    // First push: 503 (Retry-After 0); second push: connection dropped; then all is well.
    let (base, server) = serve_for(10, Duration::from_millis(500), |n, request| match n {
        0 => Reply::Bytes(error_response(
            "503 Service Unavailable",
            "overloaded",
            &[("Retry-After", "0")],
        )),
        1 => Reply::Bytes(vec![]),
        _ => Reply::Bytes(good_answer(request)),
    });
    let progress_calls = AtomicUsize::new(0);
    let report = f
        .store
        .sync_with_backoff(
            &transport(&base),
            DEFAULT_BATCH_SIZE,
            3,
            Backoff::new(Duration::from_millis(5), Duration::from_millis(50)),
            &|_| {
                progress_calls.fetch_add(1, Ordering::SeqCst);
            },
            &AtomicBool::new(false),
        )
        .unwrap();
    assert_eq!(report.sent, 6);
    assert_eq!(report.accepted, 6);
    assert!(report.pulled);

    let status = f.store.queue_status().unwrap();
    assert_eq!(
        (status.pending, status.in_flight, status.accepted),
        (0, 0, 6)
    );
    assert_eq!(status.last_sync.unwrap().outcome, "ok");

    // Three pushes (two failed), then one pull; nothing more.
    let seen = server.join().unwrap();
    let paths: Vec<_> = seen.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "/v1/sync/push",
            "/v1/sync/push",
            "/v1/sync/push",
            "/v1/sync/pull"
        ]
    );
    // Every try resent the same records (nothing was lost in between).
    let ids = |r: &Captured| {
        let mut ids: Vec<Uuid> = r
            .json::<PushRequest>()
            .changes
            .iter()
            .map(Change::id)
            .collect();
        ids.sort();
        ids
    };
    assert_eq!(ids(&seen[0]), ids(&seen[2]));
    assert_eq!(ids(&seen[1]), ids(&seen[2]));
    assert!(progress_calls.load(Ordering::SeqCst) >= 3);
}

#[test]
fn sync_with_retry_gives_up_after_max_attempts() {
    let f = fixture();
    record_day(&f.store, 1);
    let (base, server) = serve_for(10, Duration::from_millis(500), |_, _| {
        Reply::Bytes(http_response("502 Bad Gateway", &[], b""))
    });
    let e = f
        .store
        .sync_with_backoff(
            &transport(&base),
            DEFAULT_BATCH_SIZE,
            2,
            Backoff::new(Duration::from_millis(5), Duration::from_millis(20)),
            &no_progress,
            &AtomicBool::new(false),
        )
        .unwrap_err();
    assert!(matches!(
        e,
        Error::Transport(TransportError::Unavailable { status: 502, .. })
    ));
    assert_eq!(server.join().unwrap().len(), 2);
    let status = f.store.queue_status().unwrap();
    assert_eq!((status.pending, status.in_flight), (2, 0));
    assert_eq!(status.last_sync.unwrap().outcome, "failed");
}

#[test]
fn sync_with_retry_stops_at_once_when_refused() {
    let f = fixture();
    record_day(&f.store, 2);
    let (base, server) = serve_for(10, Duration::from_millis(500), |_, _| {
        Reply::Bytes(error_response("401 Unauthorized", "device_revoked", &[]))
    });
    let start = Instant::now();
    let e = f
        .store
        .sync_with_retry(
            &transport(&base),
            DEFAULT_BATCH_SIZE,
            5,
            &no_progress,
            &AtomicBool::new(false),
        )
        .unwrap_err();
    // The default backoff starts at seconds: returning this fast means it never slept.
    assert!(start.elapsed() < Duration::from_millis(1500));
    match &e {
        Error::Transport(TransportError::Refused { status: 401, body }) => {
            assert_eq!(body.code, "device_revoked")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(e.code(), "server_refused");
    assert_eq!(server.join().unwrap().len(), 1, "no retry after a refusal");

    let status = f.store.queue_status().unwrap();
    assert_eq!((status.pending, status.in_flight), (4, 0));
    let last = status.last_sync.unwrap();
    assert_eq!(last.outcome, "failed");
    assert_eq!(last.error_code.as_deref(), Some("server_refused"));
}

/// Always busy, asking for a long pause.
struct AlwaysBusy(AtomicUsize);

impl Transport for AlwaysBusy {
    fn push(&self, _: &PushRequest) -> Result<PushResponse, TransportError> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Err(TransportError::Unavailable {
            status: 503,
            retry_after: Some(Duration::from_secs(30)),
        })
    }

    fn pull(&self, _: &PullRequest) -> Result<PullResponse, TransportError> {
        unreachable!("push always fails first")
    }
}

#[test]
fn cancel_interrupts_a_backoff_pause_promptly() {
    let f = fixture();
    record_day(&f.store, 1);
    let busy = AlwaysBusy(AtomicUsize::new(0));
    let cancel = AtomicBool::new(false);
    let start = Instant::now();
    let result = std::thread::scope(|s| {
        s.spawn(|| {
            std::thread::sleep(Duration::from_millis(150));
            cancel.store(true, Ordering::SeqCst);
        });
        f.store.sync_with_backoff(
            &busy,
            DEFAULT_BATCH_SIZE,
            10,
            Backoff::new(Duration::from_secs(1), Duration::from_secs(60)),
            &no_progress,
            &cancel,
        )
    });
    assert!(matches!(result, Err(Error::Cancelled)), "{result:?}");
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "Retry-After 30 s was not cut short"
    );
    assert_eq!(busy.0.load(Ordering::SeqCst), 1);
    assert_eq!(f.store.queue_status().unwrap().pending, 2);
}
