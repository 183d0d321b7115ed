//! The async calls' cancellation, against a fake server that holds every push for a while: the
//! future of `sync` is dropped (as uniffi drops it when a Kotlin coroutine or Swift `Task` is
//! cancelled) while a batch is in flight, and every record is back in the queue afterwards. And
//! `sync_watched` against a fake server that answers: the phone leaves wifi after the first
//! batch, the sync stops, the next one sends the rest once.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use gocua_core::protocol::*;

use super::*;

/// Answers enrolment; holds each push for `push_delay`, then hangs up without answering (a
/// connection lost mid-request). Reports each push it receives.
struct FakeServer {
    url: String,
    pushes: mpsc::Receiver<()>,
}

impl FakeServer {
    /// Polls `sync` once, then waits until its first batch reaches this server.
    fn wait_for_a_push<F: std::future::Future>(&self, sync: std::pin::Pin<&mut F>) {
        assert!(poll_once(sync).is_pending());
        self.pushes
            .recv_timeout(Duration::from_secs(10))
            .expect("the sync sent a batch");
    }

    fn start(push_delay: Duration) -> FakeServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let (tx, pushes) = mpsc::channel();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                let tx = tx.clone();
                std::thread::spawn(move || {
                    let (request_line, body, mut stream) = read_request(stream);
                    if request_line.contains(gocua_core::http::ENROL_PATH) {
                        answer(&mut stream, &enrolled(&body));
                    } else {
                        let _ = tx.send(());
                        std::thread::sleep(push_delay);
                        // Hang up without an answer.
                    }
                });
            }
        });
        FakeServer { url, pushes }
    }
}

fn team_id() -> uuid::Uuid {
    uuid::Uuid::parse_str("0190f000-0000-7000-8000-000000000001").unwrap()
}

const COMMUNE: &str = "28789";

fn reference_data() -> ReferenceData {
    ReferenceData {
        areas: vec![Area {
            code: COMMUNE.into(),
            name: "Phường Bến Tre".into(),
            level: AreaLevel::Commune,
            division_type: "phường".into(),
            parent_code: None,
        }],
        teams: vec![Team {
            id: team_id(),
            name: "Đội thử".into(),
            org_unit_id: uuid::Uuid::now_v7(),
            area_codes: vec![COMMUNE.into()],
            members: vec![],
        }],
        ..ReferenceData::default()
    }
}

fn poll_once<F: std::future::Future>(f: std::pin::Pin<&mut F>) -> Poll<F::Output> {
    f.poll(&mut Context::from_waker(Waker::noop()))
}

/// The `i`-th of a run of households made up for a test.
fn numbered_household(i: usize) -> HouseholdDraft {
    HouseholdDraft {
        draft_key: None,
        commune_code: COMMUNE.into(),
        address_line: format!("{i} Đồng Khởi"),
        head_name: format!("Hộ thử {i}"),
        members: 3,
        hamlet_code: None,
        phone: None,
        consent: None,
    }
}

/// A profile enrolled on a fake server whose pushes take half a second, with `n` households
/// waiting in the queue.
fn enrolled_with_households(n: usize) -> (FakeServer, tempfile::TempDir, Arc<FieldProfile>) {
    let server = FakeServer::start(Duration::from_millis(500));
    let dir = tempfile::tempdir().unwrap();
    let profile = FieldProfile::open(dir.path().to_str().unwrap().into(), generate_key()).unwrap();
    let store = profile.store().unwrap();
    store.enrol(&server.url, "ABCD-EFGH", "test", "0").unwrap();
    store.apply_reference_data(&reference_data(), true).unwrap();
    for i in 0..n {
        profile.create_household(numbered_household(i)).unwrap();
    }
    (server, dir, profile)
}

#[test]
fn dropping_the_sync_future_puts_the_records_in_flight_back_in_the_queue() {
    let (server, _dir, profile) = enrolled_with_households(5);
    assert_eq!(profile.queue_status().unwrap().pending, 5);

    let mut sync = Box::pin(profile.sync(None, 3));
    server.wait_for_a_push(sync.as_mut());
    assert_eq!(
        profile.queue_status().unwrap().in_flight,
        5,
        "batch in flight"
    );
    drop(sync); // what uniffi does when the coroutine / Task is cancelled

    // The sync's thread winds down: the push fails, the batch is released, the retry's wait sees
    // the flag. Taking the gate waits for it.
    let started = Instant::now();
    drop(profile.sync_gate.lock().unwrap());
    assert!(started.elapsed() < Duration::from_secs(10));
    let status = profile.queue_status().unwrap();
    assert_eq!(
        (status.pending, status.in_flight, status.accepted),
        (5, 0, 0)
    );
    // The push itself failed (the connection was cut) before the retry's wait saw the flag.
    let outcome = status.last_sync.map(|l| l.outcome);
    assert!(
        matches!(
            outcome,
            Some(LastSyncOutcome::Cancelled | LastSyncOutcome::Failed)
        ),
        "{outcome:?}"
    );
}

#[test]
fn a_sync_cancelled_before_its_thread_ran_does_not_touch_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let profile = FieldProfile::open(dir.path().to_str().unwrap().into(), generate_key()).unwrap();
    // Never polled: nothing starts.
    drop(profile.sync(None, 1));
    assert_eq!(profile.queue_status().unwrap().last_sync, None);
}

#[test]
fn cancel_sync_stops_a_sync_whose_future_is_still_awaited() {
    // What a Swift app does: its Task cancellation does not reach Rust, so it calls cancel_sync.
    let (server, _dir, profile) = enrolled_with_households(3);
    let mut sync = Box::pin(profile.sync(None, 3));
    server.wait_for_a_push(sync.as_mut());
    profile.cancel_sync();
    let started = Instant::now();
    let outcome = loop {
        if let Poll::Ready(r) = poll_once(sync.as_mut()) {
            break r;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the sync stops"
        );
        std::thread::sleep(Duration::from_millis(5));
    };
    assert!(outcome.is_err(), "a cancelled sync reports no success");
    let status = profile.queue_status().unwrap();
    assert_eq!(
        (status.pending, status.in_flight, status.accepted),
        (3, 0, 0),
        "nothing in flight is lost"
    );
    // Nothing is left registered: a later cancel_sync does not touch the next sync.
    assert!(profile.running.lock().unwrap().is_empty());
}

/// Answers every request like the server would: enrolment, pushes (each record accepted, its id
/// noted) and pulls (the reference data). Counts the pushes.
struct AnsweringServer {
    url: String,
    pushes: Arc<std::sync::atomic::AtomicUsize>,
    received: Arc<Mutex<Vec<String>>>,
}

fn answer(stream: &mut std::net::TcpStream, body: &[u8]) {
    write!(
        stream,
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    stream.write_all(body).unwrap();
}

/// Reads one HTTP request: its request line and its body (un-gzipped), and the stream to answer
/// on.
fn read_request(stream: std::net::TcpStream) -> (String, Vec<u8>, std::net::TcpStream) {
    let mut reader = BufReader::new(stream);
    let mut request_line = String::new();
    reader.read_line(&mut request_line).unwrap();
    let (mut length, mut gzip) = (0usize, false);
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        if line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap();
            }
            if name.eq_ignore_ascii_case("content-encoding") {
                gzip = value.trim() == "gzip";
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    if gzip {
        let mut plain = Vec::new();
        flate2::read::GzDecoder::new(&body[..])
            .read_to_end(&mut plain)
            .unwrap();
        body = plain;
    }
    (request_line, body, reader.into_inner())
}

/// The server's answer to an enrolment request (`body`): a token for the test team.
fn enrolled(body: &[u8]) -> Vec<u8> {
    let request: EnrolRequest = serde_json::from_slice(body).unwrap();
    serde_json::to_vec(&EnrolResponse {
        device_token: "token".into(),
        device_id: request.device_id,
        team_id: team_id(),
        team_name: "Đội thử".into(),
        volunteer_id: uuid::Uuid::now_v7(),
        volunteer_name: "Người thử".into(),
        server_time: chrono::Utc::now(),
    })
    .unwrap()
}

impl AnsweringServer {
    fn start() -> AnsweringServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let pushes = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let received = Arc::new(Mutex::new(Vec::new()));
        let (p, r) = (pushes.clone(), received.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                let (request_line, body, mut stream) = read_request(stream);
                let now = chrono::Utc::now();
                if request_line.contains(gocua_core::http::ENROL_PATH) {
                    answer(&mut stream, &enrolled(&body));
                } else if request_line.contains(gocua_core::http::PUSH_PATH) {
                    let request: PushRequest = serde_json::from_slice(&body).unwrap();
                    p.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    let results = request
                        .changes
                        .iter()
                        .map(|c| {
                            r.lock().unwrap().push(c.id().to_string());
                            RecordResult::plain(c.id(), c.kind(), RecordStatus::Accepted)
                        })
                        .collect();
                    let server_hlc = Hlc {
                        wall_ms: now.timestamp_millis(),
                        ..Hlc::ZERO
                    };
                    let out = PushResponse {
                        results,
                        server_time: now,
                        server_hlc,
                        generation: None,
                    };
                    answer(&mut stream, &serde_json::to_vec(&out).unwrap());
                } else {
                    let out = PullResponse {
                        reference: reference_data(),
                        cursor: "c1".into(),
                        full: true,
                        server_time: now,
                        generation: None,
                    };
                    answer(&mut stream, &serde_json::to_vec(&out).unwrap());
                }
            }
        });
        AnsweringServer {
            url,
            pushes,
            received,
        }
    }
}

/// Wifi until the server has answered `wifi_pushes` pushes, mobile data after.
struct FlippingNetwork {
    pushes: Arc<std::sync::atomic::AtomicUsize>,
    wifi_pushes: usize,
}

impl NetworkWatch for FlippingNetwork {
    fn current(&self) -> NetworkFacts {
        let pushed = self.pushes.load(std::sync::atomic::Ordering::SeqCst);
        let wifi = pushed < self.wifi_pushes;
        NetworkFacts {
            connected: true,
            unmetered: wifi,
            battery_percent: Some(80),
            charging: false,
            power_saver: false,
        }
    }
}

fn wait_for<F: std::future::Future>(f: F) -> F::Output {
    let mut f = Box::pin(f);
    let started = Instant::now();
    loop {
        if let Poll::Ready(out) = poll_once(f.as_mut()) {
            return out;
        }
        assert!(started.elapsed() < Duration::from_secs(30), "the call ends");
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn a_watched_sync_stops_when_the_phone_leaves_wifi_and_the_next_sends_the_rest_once() {
    let server = AnsweringServer::start();
    let dir = tempfile::tempdir().unwrap();
    let profile = FieldProfile::open(dir.path().to_str().unwrap().into(), generate_key()).unwrap();
    wait_for(profile.enrol(
        server.url.clone(),
        "ABCD-EFGH".into(),
        "test".into(),
        "0".into(),
    ))
    .unwrap();
    let n = BATCH_SIZE + 50; // two batches
    for i in 0..n {
        profile.create_household(numbered_household(i)).unwrap();
    }
    let watch = || {
        Box::new(FlippingNetwork {
            pushes: server.pushes.clone(),
            wifi_pushes: 1,
        })
    };
    let request = SyncRequest {
        trigger: policy::SyncTrigger::Periodic,
        wifi_only: true,
        mobile_data_once: false,
    };

    let report = wait_for(profile.sync_watched(request.clone(), watch(), None, 1)).unwrap();
    assert_eq!(
        (report.sent, report.accepted),
        (BATCH_SIZE as u32, BATCH_SIZE as u32)
    );
    assert_eq!(report.stopped, Some(policy::SyncWaitReason::Metered));
    assert!(report.stopped_message_vi.unwrap().contains("wifi"));
    assert_eq!(server.pushes.load(std::sync::atomic::Ordering::SeqCst), 1);
    let status = profile.queue_status().unwrap();
    assert_eq!(
        (status.pending, status.in_flight, status.accepted),
        (50, 0, BATCH_SIZE as u32),
        "the rest waits in the queue, nothing in flight"
    );
    let last = status.last_sync.unwrap();
    assert_eq!(last.outcome, LastSyncOutcome::Stopped);
    assert_eq!(last.error_code.as_deref(), Some("metered"));

    // Still on mobile data: "Gửi ngay" alone waits for wifi; with the override it sends.
    let forced = SyncRequest {
        trigger: policy::SyncTrigger::UserForced,
        ..request.clone()
    };
    let waited = wait_for(profile.sync_watched(forced.clone(), watch(), None, 1)).unwrap();
    assert_eq!(
        (waited.sent, waited.stopped),
        (0, Some(policy::SyncWaitReason::Metered))
    );
    let once = SyncRequest {
        mobile_data_once: true,
        ..forced
    };
    let rest = wait_for(profile.sync_watched(once, watch(), None, 1)).unwrap();
    assert_eq!((rest.sent, rest.accepted, rest.stopped), (50, 50, None));
    let mut ids = server.received.lock().unwrap().clone();
    assert_eq!(ids.len(), n, "every record sent");
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n, "none sent twice");
    let status = profile.queue_status().unwrap();
    assert_eq!((status.pending, status.accepted), (0, n as u32));
    assert_eq!(status.last_sync.unwrap().outcome, LastSyncOutcome::Ok);
}
