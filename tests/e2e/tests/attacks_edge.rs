//! Attacks on the HTTP edge from the hardening review, each run for real against a server (on
//! both backends wherever the database takes part), with the answer the server must give now:
//!
//! 4. compression bombs: 16 KB of gzip inflating to 16 MiB, many at once, to enrolment (no token
//!    needed) and to push — the server's memory stays bounded and each gets `413`;
//! 5. half-sent requests, trickled bodies and idle connections on a process with few descriptors:
//!    the server closes them in time, and `/v1/health` answers meanwhile;
//! 10. the security headers of a page, the sign-in page, exports and an API answer, and a
//!     dashboard without inline script or style for the policy to allow;
//! 11. one invalid token after another from one address: slowed down (`429`), while a phone on
//!     another address syncs;
//! 12. SIGTERM and SIGINT in the middle of a request: it completes, the process exits 0, nothing
//!     panics.

use std::io::{ErrorKind, Read, Write};
use std::net::{IpAddr, SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use gocua_core::protocol::*;
use gocua_core::Transport;
use gocua_e2e::dashboard::{account, client, Web};
use gocua_e2e::inspect;
use gocua_e2e::raw::{self, Answer, Raw};
use gocua_e2e::seed::*;
use gocua_e2e::*;
use gocua_server::api::{MAX_JSON_BYTES, MAX_MESSAGE_BYTES};
use gocua_server::app::edge::{BODY_TIMEOUT, HEADER_READ_TIMEOUT, LARGE_BODIES_AT_ONCE};
use gocua_server::domain::accounts::Role;
use reqwest::header::{HeaderMap, COOKIE};
use serde_json::json;

on_both_backends!(
    compression_bombs_do_not_multiply_memory,
    every_answer_carries_the_security_headers,
    guessing_tokens_is_slowed_per_address,
    shutdown_finishes_requests_in_flight,
);

const ENROL: &str = "/v1/devices/enrol";
const PUSH: &str = "/v1/sync/push";
const PULL: &str = "/v1/sync/pull";
const MIB: u64 = 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// Helpers

/// A field of `/proc/<pid>/status` in bytes (`VmRSS`, `VmHWM`).
fn proc_memory(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("/proc status");
    let line = status
        .lines()
        .find(|l| l.starts_with(&format!("{field}:")))
        .unwrap_or_else(|| panic!("{field} in /proc/{pid}/status"));
    let kib: u64 = line
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .expect("a number of kB");
    kib * 1024
}

/// Sets the process's peak resident size (`VmHWM`) back to its current size.
fn reset_peak(pid: u32) {
    std::fs::write(format!("/proc/{pid}/clear_refs"), "5").expect("reset VmHWM");
}

/// Runs `f` on `threads` threads at once, `each` times per thread; every answer.
fn at_once<T: Send>(threads: usize, each: usize, f: impl Fn() -> T + Sync) -> Vec<T> {
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| s.spawn(|| (0..each).map(|_| f()).collect::<Vec<_>>()))
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("worker"))
            .collect()
    })
}

/// JSON `{…, "pad": "<spaces>"}` of exactly `len` bytes, starting with `head` (an object's
/// members followed by a comma).
/// Sends `request` `threads` × `each` times, `threads` at once (see [`at_once`]). Returns the
/// answers, how much the peak memory of the server (process `pid`) grew above its resident size
/// before, and that size.
fn bombard(pid: u32, request: &Raw, threads: usize, each: usize) -> (Vec<Answer>, u64, u64) {
    let rss = proc_memory(pid, "VmRSS");
    reset_peak(pid);
    let answers = at_once(threads, each, || request.clone().send());
    let growth = proc_memory(pid, "VmHWM").saturating_sub(rss);
    (answers, growth, rss)
}

fn padded(head: &str, len: usize) -> Vec<u8> {
    let mut body = format!("{{{head} \"pad\": \"").into_bytes();
    body.resize(len - 2, b' ');
    body.extend_from_slice(b"\"}");
    body
}

/// Reads an HTTP/1.1 answer until the server closes the connection: (status, body).
fn read_answer(stream: &mut TcpStream) -> (u16, String) {
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("not an HTTP answer: {text:?}"));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {head:?}"));
    (status, body.to_owned())
}

/// Waits until the server closes `stream` (end of stream or reset); how long that took.
fn closed_by_server(stream: &mut TcpStream, within: Duration) -> Duration {
    let start = Instant::now();
    stream.set_read_timeout(Some(within)).expect("read timeout");
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return start.elapsed(),
            Ok(_) => continue,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                panic!("the server kept the connection open for {within:?}")
            }
            Err(_) => return start.elapsed(),
        }
    }
}

fn header<'h>(headers: &'h HeaderMap, name: &str) -> &'h str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("no {name} header in {headers:?}"))
}

// ---------------------------------------------------------------------------------------------
// 4. Compression bombs

fn compression_bombs_do_not_multiply_memory(backend: Backend) {
    let env = Env::start_binary(backend);
    let phone = env.enrol(&env.seed.team_a, 0);
    let pid = env.server.pid();
    let url = env.server.url.as_str();
    let gzip = || vec![("content-encoding", "gzip".to_owned())];

    // The review's bomb: 16 KB of gzip that inflates to just under the old 16 MiB limit, so the
    // old server inflated it and built a JSON tree of it. Enrolment needs no token.
    let enrol_bomb = raw::gzip(&padded(
        r#""protocol_version": 1, "code": "ABCD-2345", "device_id": "0190f000-0000-7000-8000-000000000001", "device_label": "x", "app_version": "1","#,
        MAX_JSON_BYTES - 64,
    ));
    assert!(enrol_bomb.len() < 20_000, "{} bytes", enrol_bomb.len());
    let bomb = Raw {
        base: url,
        path: ENROL,
        token: None,
        body: enrol_bomb,
        headers: gzip(),
    };
    let (answers, growth, rss) = bombard(pid, &bomb, 8, 3);
    eprintln!(
        "attacks_edge: 24 enrolment bombs, 8 at a time: peak grew by {} MiB (from {} MiB)",
        growth / MIB,
        rss / MIB
    );
    assert!(
        growth < 64 * MIB,
        "enrolment bombs grew the server's peak memory by {} MiB",
        growth / MIB
    );
    for a in &answers {
        a.assert_refused(413, "body_too_large");
    }

    // Push may inflate to 16 MiB, but only so many at once: twelve bombs just over the limit
    // (each inflated up to its 16 MiB before it is refused) cost at most the bound's worth.
    let device = phone.device_id().to_string();
    let push_bomb = raw::gzip(&padded(
        &format!(r#""protocol_version": 1, "device_id": "{device}", "changes": [],"#),
        MAX_JSON_BYTES + 1,
    ));
    let bomb = Raw {
        base: url,
        path: PUSH,
        token: Some(&phone.token),
        body: push_bomb,
        headers: gzip(),
    };
    let (answers, growth, _) = bombard(pid, &bomb, 12, 1);
    for a in &answers {
        a.assert_refused(413, "body_too_large");
    }
    let bound = (LARGE_BODIES_AT_ONCE as u64 + 1) * MAX_JSON_BYTES as u64 + 16 * MIB;
    eprintln!(
        "attacks_edge: 12 push bombs at once: peak grew by {} MiB (bound {} MiB)",
        growth / MIB,
        bound / MIB
    );
    assert!(
        growth < bound,
        "push bombs grew the peak by {} MiB",
        growth / MIB
    );

    // Enrolment and pull carry small messages: a plain body over their limit is refused too,
    // and the phone still syncs.
    let big = padded(r#""protocol_version": 1,"#, MAX_MESSAGE_BYTES + 1);
    for path in [ENROL, PULL] {
        Raw {
            base: url,
            path,
            token: Some(&phone.token),
            body: big.clone(),
            headers: vec![],
        }
        .send()
        .assert_refused(413, "body_too_large");
    }
    let recorded = phone.record_field_day(COMMUNE_A1, None, 1);
    phone.sync_clean(&phone.transport);
    phone.assert_all_accepted(recorded.records());
}

// ---------------------------------------------------------------------------------------------
// 5. Slow and idle connections

/// No database work is involved (the requests never get past their head or body), so one
/// backend is enough.
#[test]
fn slow_and_idle_connections_are_closed() {
    let test_db = TestDb::new(Backend::Sqlite);
    // 160 descriptors: the server keeps 64 for itself and takes at most 96 connections.
    let server = Server::binary_with_open_files(&test_db.target, test_db.dir(), 160);
    let addr = server.addr;
    let connect = || TcpStream::connect(addr).expect("connect");
    let started = Instant::now();

    // Requests whose body never finishes: answered 408 after the body deadline.
    let mut trickled: Vec<TcpStream> = (0..4)
        .map(|_| {
            let mut s = connect();
            s.write_all(
                format!("POST {ENROL} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{\"protocol_version\": 1, ")
                    .as_bytes(),
            )
            .expect("write");
            s
        })
        .collect();
    // Idle connections and requests cut off in their head.
    let mut idle: Vec<TcpStream> = (0..70).map(|_| connect()).collect();
    for _ in 0..10 {
        let mut s = connect();
        s.write_all(format!("POST {PUSH} HTTP/1.1\r\nHost: {addr}\r\nContent-Le").as_bytes())
            .expect("write");
        idle.push(s);
    }
    // Meanwhile the server answers.
    for _ in 0..5 {
        assert!(
            server::health(&server.url),
            "/v1/health while 84 connections hang"
        );
        std::thread::sleep(Duration::from_millis(500));
    }
    // The idle and half-sent ones are closed after the header timeout.
    let bound = HEADER_READ_TIMEOUT + Duration::from_secs(5);
    for s in &mut idle {
        closed_by_server(s, bound);
    }
    let took = started.elapsed();
    assert!(
        took < HEADER_READ_TIMEOUT + Duration::from_secs(10),
        "idle connections closed after {took:?}"
    );
    eprintln!("attacks_edge: 80 idle and half-sent connections closed after {took:?}");

    // More connections than the server takes: the extra ones wait to be accepted instead of
    // exhausting its descriptors, and health is answered once idle ones are dropped.
    let mut flood: Vec<TcpStream> = (0..130).map(|_| connect()).collect();
    let asked = Instant::now();
    let answered = reqwest::blocking::Client::builder()
        .timeout(HEADER_READ_TIMEOUT * 2 + Duration::from_secs(10))
        .build()
        .expect("client")
        .get(format!("{}/v1/health", server.url))
        .send()
        .expect("/v1/health answers while the connections are full");
    assert!(answered.status().is_success());
    eprintln!(
        "attacks_edge: with 130 idle connections on a 96-connection server, health answered in {:?}",
        asked.elapsed()
    );
    for s in &mut flood {
        closed_by_server(s, HEADER_READ_TIMEOUT * 2 + Duration::from_secs(10));
    }

    // The trickled bodies: 408 body_timeout once the deadline passed, then closed.
    for s in &mut trickled {
        s.set_read_timeout(Some(BODY_TIMEOUT + Duration::from_secs(15)))
            .expect("read timeout");
        let (status, body) = read_answer(s);
        assert_eq!(status, 408, "{body}");
        assert!(body.contains("\"body_timeout\""), "{body}");
    }
    let took = started.elapsed();
    assert!(
        took >= BODY_TIMEOUT && took < BODY_TIMEOUT + Duration::from_secs(15),
        "trickled bodies ended after {took:?}"
    );
    assert!(server::health(&server.url));
    let log = server.log();
    assert!(
        !log.contains("Too many open files") && !log.contains("panicked"),
        "{log}"
    );
}

// ---------------------------------------------------------------------------------------------
// 10. Security headers

fn every_answer_carries_the_security_headers(backend: Backend) {
    let env = Env::start(backend);
    let url = env.server.url.as_str();
    let phone = env.enrol(&env.seed.team_a, 0);
    let recorded = phone.record_field_day(COMMUNE_A1, None, 2);
    phone.sync_clean(&phone.transport);
    phone.assert_all_accepted(recorded.records());
    account(&env.db, "tinhdoan", Role::Admin, env.seed.org_unit.id);
    let web = Web::login(url, "tinhdoan");
    // The session's requests, read with their headers.
    let get = |path: &str| {
        client()
            .get(format!("{url}{path}"))
            .header(COOKIE, &web.cookie)
            .send()
            .expect("GET")
    };
    let secured = |what: &str, headers: &HeaderMap, cache: &str| {
        let csp = header(headers, "content-security-policy");
        for directive in [
            "default-src 'none'",
            "frame-ancestors 'none'",
            "form-action 'self'",
        ] {
            assert!(csp.contains(directive), "{what}: {csp}");
        }
        assert!(
            !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"),
            "{what}: {csp}"
        );
        assert_eq!(header(headers, "x-frame-options"), "DENY", "{what}");
        assert_eq!(
            header(headers, "x-content-type-options"),
            "nosniff",
            "{what}"
        );
        assert_eq!(header(headers, "referrer-policy"), "same-origin", "{what}");
        assert_eq!(header(headers, "cache-control"), cache, "{what}");
    };

    // Pages, signed in or not: secured, never stored, and nothing inline for the policy to
    // allow (no script at all, styles only from the stylesheet).
    for path in ["/", "/visits", "/households", "/report", "/login"] {
        let r = get(path);
        assert_eq!(r.status(), 200, "{path}");
        secured(path, &r.headers().clone(), "no-store");
        let html = r.text().expect("page");
        for inline in [
            "<script",
            "<style",
            " style=",
            "javascript:",
            " onclick=",
            " onload=",
        ] {
            assert!(!html.contains(inline), "{path} has {inline}");
        }
    }
    // Exports with personal data: a table download and an export job's file.
    let r = get("/visits?format=csv");
    assert_eq!(r.status(), 200);
    secured("visits CSV", r.headers(), "no-store");
    let started = web.post(
        "/exports/visits",
        &[("csrf", web.csrf().as_str()), ("format", "xlsx")],
    );
    let job = started.location.expect("redirected to the export's page");
    wait_for(Duration::from_secs(60), || {
        get(&job)
            .text()
            .ok()
            .filter(|t| t.contains("/file\""))
            .map(|_| ())
    })
    .expect("the export finishes");
    let r = get(&format!("{job}/file"));
    assert_eq!(r.status(), 200);
    secured("export file", r.headers(), "no-store");
    // The stylesheet keeps its own caching.
    let r = get("/assets/app.css");
    secured("stylesheet", r.headers(), "public, max-age=3600");
    // API answers, accepted and refused.
    let pull = json!({ "protocol_version": PROTOCOL_VERSION, "device_id": phone.device_id() });
    for token in [phone.token.as_str(), "not-a-token"] {
        let r = raw::client()
            .post(format!("{url}{PULL}"))
            .header("authorization", format!("Bearer {token}"))
            .body(pull.to_string())
            .send()
            .expect("pull");
        secured("API answer", r.headers(), "no-store");
    }
    // An unknown path too.
    let r = get("/nowhere");
    assert_eq!(r.status(), 404);
    secured("404", r.headers(), "no-store");
}

// ---------------------------------------------------------------------------------------------
// 11. Guessing tokens

fn guessing_tokens_is_slowed_per_address(backend: Backend) {
    let env = Env::start(backend);
    let url = env.server.url.as_str();
    let phone = env.enrol(&env.seed.team_a, 0);
    // The guesser comes from another loopback address than the phone (127.0.0.1).
    let guesser = reqwest::blocking::Client::builder()
        .local_address("127.0.0.2".parse::<IpAddr>().unwrap())
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client");
    let pull = |client: &reqwest::blocking::Client, token: &str| {
        Raw {
            base: url,
            path: PULL,
            token: Some(token),
            body: json!({ "protocol_version": PROTOCOL_VERSION, "device_id": phone.device_id() })
                .to_string()
                .into_bytes(),
            headers: vec![],
        }
        .send_with(client)
    };
    let guesses: Vec<_> = (0..40)
        .map(|_| pull(&guesser, &format!("{:064x}", rand::random::<u128>())))
        .collect();
    for g in &guesses[..20] {
        g.assert_refused(401, "unauthorized");
    }
    let limited: Vec<_> = guesses[20..].iter().filter(|g| g.status == 429).collect();
    assert!(
        limited.len() >= 15,
        "after 20 failures the address is slowed down: {:?}",
        guesses.iter().map(|g| g.status).collect::<Vec<_>>()
    );
    for g in &guesses[20..] {
        if g.status != 429 {
            g.assert_refused(401, "unauthorized");
            continue;
        }
        g.assert_refused(429, "rate_limited");
        let wait: u64 = g
            .retry_after
            .as_deref()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        assert!((1..=2).contains(&wait), "Retry-After {:?}", g.retry_after);
    }
    // The phone on its own address is not affected: it pulls and syncs.
    let answer = phone
        .transport
        .pull(&PullRequest {
            protocol_version: PROTOCOL_VERSION,
            device_id: phone.device_id(),
            cursor: None,
        })
        .expect("the phone pulls");
    assert!(answer.full);
    let recorded = phone.record_field_day(COMMUNE_A1, None, 1);
    phone.sync_clean(&phone.transport);
    phone.assert_all_accepted(recorded.records());
    // From the limited address every request waits, a valid token too (docs/protocol.md §8)…
    pull(&guesser, &phone.token).assert_refused(429, "rate_limited");
    // …until the next guess is due: slowed, not banned.
    std::thread::sleep(Duration::from_millis(2_100));
    pull(&guesser, &format!("{:064x}", rand::random::<u128>())).assert_refused(401, "unauthorized");
    pull(&guesser, &format!("{:064x}", rand::random::<u128>())).assert_refused(429, "rate_limited");
}

// ---------------------------------------------------------------------------------------------
// 12. Shutdown

fn shutdown_finishes_requests_in_flight(backend: Backend) {
    let mut env = Env::start_binary(backend);
    let phone = env.enrol(&env.seed.team_a, 0);
    let addr: SocketAddr = env.server.addr;
    for (signal, name) in [(libc::SIGTERM, "SIGTERM"), (libc::SIGINT, "SIGINT")] {
        let household = phone.household(COMMUNE_A1, None, "Lê Thị Mười", "Số 10, đường Lê Lợi", 2);
        let body = json!({
            "protocol_version": PROTOCOL_VERSION,
            "device_id": phone.device_id(),
            "changes": [Change::Household(household.clone())],
        })
        .to_string();
        let (first, rest) = body.as_bytes().split_at(body.len() / 2);
        // A push whose body is half sent when the signal arrives.
        let mut stream = TcpStream::connect(addr).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .expect("read timeout");
        stream
            .write_all(
                format!(
                    "POST {PUSH} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nAuthorization: Bearer {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    phone.token,
                    body.len()
                )
                .as_bytes(),
            )
            .expect("write head");
        stream.write_all(first).expect("write half the body");
        std::thread::sleep(Duration::from_millis(300));
        env.server.signal(signal);
        std::thread::sleep(Duration::from_millis(500));
        // No new connection is taken any more…
        assert!(
            TcpStream::connect_timeout(&addr, Duration::from_secs(2)).is_err(),
            "{name}: the server still accepts connections"
        );
        // …but the request in flight completes.
        stream.write_all(rest).expect("write the rest of the body");
        let (status, answer) = read_answer(&mut stream);
        assert_eq!(status, 200, "{name}: {answer}");
        let pushed: PushResponse = serde_json::from_str(&answer).expect("a push answer");
        assert_eq!(pushed.results[0].status, RecordStatus::Accepted, "{name}");
        let exit = env
            .server
            .wait_exit(Duration::from_secs(30))
            .unwrap_or_else(|| panic!("{name}: the server did not exit"));
        assert_eq!(
            exit.code(),
            Some(0),
            "{name}: {exit:?}\n{}",
            env.server.log()
        );
        let log = env.server.log();
        assert!(!log.contains("panicked"), "{name}:\n{log}");
        assert!(
            log.contains(&format!("gocua: {name}: stopping")) && log.contains("gocua: stopped"),
            "{name}:\n{log}"
        );
        assert_eq!(inspect::household(&env.db, household.id), Some(household));
        // The next round (or the test's end) finds it running again.
        env.server.restart();
    }
    assert!(server::health(&env.server.url));
}
