//! Bad input, each with its specific status and code, and nothing stored: broken bodies, wrong
//! versions, compression bombs, strangers, other devices' ids, floods; and bad records inside an
//! otherwise good batch, refused one by one while the others are taken.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use gocua_core::protocol::*;
use gocua_e2e::inspect::{self, counts};
use gocua_e2e::places::*;
use gocua_e2e::raw::{self, post_over_tcp, Raw};
use gocua_e2e::seed::*;
use gocua_e2e::*;
use gocua_server::api::{MAX_BODY_BYTES, MAX_CHANGES_PER_PUSH, MAX_JSON_BYTES};
use serde_json::json;
use uuid::Uuid;

on_both_backends!(
    malformed_requests_are_refused_and_store_nothing,
    bad_records_are_refused_one_by_one,
    floods_are_rate_limited
);

const PUSH: &str = "/v1/sync/push";
const PULL: &str = "/v1/sync/pull";

fn malformed_requests_are_refused_and_store_nothing(backend: Backend) {
    let env = Env::start(backend);
    let phone = env.enrol(&env.seed.team_a, 0);
    let other = env.enrol(&env.seed.team_a, 1);
    let base = env.server.url.as_str();
    let token = Some(phone.token.as_str());
    let device = phone.device_id().to_string();
    // A real change, so a body that gets through by mistake would store something.
    let household = phone.household(COMMUNE_A1, None, "Bùi Văn Tám", "Số 8, đường Lê Lợi", 3);
    let change = serde_json::to_value(Change::Household(household.clone())).unwrap();
    let valid =
        json!({ "protocol_version": PROTOCOL_VERSION, "device_id": device, "changes": [change] });
    let before = counts(&env.db);
    let send = |path: &str, token: Option<&str>, body: Vec<u8>, headers: Vec<(&str, String)>| {
        Raw {
            base,
            path,
            token,
            body,
            headers,
        }
        .send()
    };

    // Malformed JSON.
    let a = send(
        PUSH,
        token,
        br#"{"protocol_version": 1, "device_id": "#.to_vec(),
        vec![],
    );
    let body = a.assert_refused(400, "malformed_json");
    assert!(
        body.message_en.contains("line 1"),
        "the message says where: {body:?}"
    );
    // Well-formed JSON of the wrong shape.
    send(
        PUSH,
        token,
        json!({ "protocol_version": 1, "device_id": device, "changes": "all of them" })
            .to_string()
            .into_bytes(),
        vec![],
    )
    .assert_refused(422, "invalid_body");
    send(
        PUSH,
        token,
        json!({ "protocol_version": 1, "device_id": 42, "changes": [] })
            .to_string()
            .into_bytes(),
        vec![],
    )
    .assert_refused(422, "invalid_body");
    send(
        PULL,
        token,
        json!({ "protocol_version": "1", "device_id": device })
            .to_string()
            .into_bytes(),
        vec![],
    )
    .assert_refused(422, "invalid_body");
    send(PUSH, token, b"[1, 2, 3]".to_vec(), vec![]).assert_refused(422, "invalid_body");
    // Not UTF-8 (Latin-1 "Nguyễn" as a phone with a broken keyboard app might send).
    let mut latin1 = br#"{"protocol_version": 1, "note": "Nguy"#.to_vec();
    latin1.extend_from_slice(&[0xEA, 0x6E, b'"', b'}']);
    send(PUSH, token, latin1, vec![]).assert_refused(400, "invalid_utf8");
    // A protocol version from the future.
    let mut future = valid.clone();
    future["protocol_version"] = json!(PROTOCOL_VERSION + 1);
    let body = send(PUSH, token, future.to_string().into_bytes(), vec![])
        .assert_refused(400, "unsupported_protocol_version");
    assert_eq!(body.field.as_deref(), Some("protocol_version"));
    let mut missing = valid.clone();
    missing.as_object_mut().unwrap().remove("protocol_version");
    send(PUSH, token, missing.to_string().into_bytes(), vec![]).assert_refused(422, "invalid_body");

    // Larger than the limit on the wire (sent over a bare socket: the server may answer before
    // it has read everything).
    let mut huge = br#"{"protocol_version": 1, "pad": ""#.to_vec();
    huge.resize(MAX_BODY_BYTES + 1024, b'a');
    huge.extend_from_slice(br#""}"#);
    post_over_tcp(env.server.addr, PUSH, token, "", &huge).assert_refused(413, "body_too_large");
    // More records than one push may carry.
    let many: Vec<_> = (0..=MAX_CHANGES_PER_PUSH).map(|_| change.clone()).collect();
    let too_many =
        json!({ "protocol_version": PROTOCOL_VERSION, "device_id": device, "changes": many });
    send(PUSH, token, too_many.to_string().into_bytes(), vec![])
        .assert_refused(413, "too_many_changes");
    // A gzip bomb: small on the wire, over the limit once inflated.
    let mut bomb = br#"{"protocol_version": 1, "device_id": ""#.to_vec();
    bomb.extend_from_slice(device.as_bytes());
    bomb.extend_from_slice(br#"", "changes": [], "pad": ""#);
    bomb.resize(bomb.len() + MAX_JSON_BYTES, b' ');
    bomb.extend_from_slice(br#""}"#);
    let packed = raw::gzip(&bomb);
    assert!(
        packed.len() < MAX_BODY_BYTES / 50,
        "the bomb is small on the wire ({} bytes)",
        packed.len()
    );
    send(
        PUSH,
        token,
        packed,
        vec![("content-encoding", "gzip".into())],
    )
    .assert_refused(413, "body_too_large");
    // The same valid body, compressed but cut short; and an encoding the server does not speak.
    let packed = raw::gzip(valid.to_string().as_bytes());
    send(
        PUSH,
        token,
        packed[..packed.len() / 2].to_vec(),
        vec![("content-encoding", "gzip".into())],
    )
    .assert_refused(400, "bad_compression");
    send(
        PUSH,
        token,
        valid.to_string().into_bytes(),
        vec![("content-encoding", "br".into())],
    )
    .assert_refused(415, "unsupported_encoding");

    // No token, a made-up token, another scheme: all "unauthorized", nothing read.
    send(PUSH, None, valid.to_string().into_bytes(), vec![]).assert_refused(401, "unauthorized");
    send(
        PUSH,
        Some("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"),
        valid.to_string().into_bytes(),
        vec![],
    )
    .assert_refused(401, "unauthorized");
    send(
        PULL,
        None,
        valid.to_string().into_bytes(),
        vec![("authorization", format!("Basic {}", phone.token))],
    )
    .assert_refused(401, "unauthorized");
    // A real token with another device's id.
    let mut theirs = valid.clone();
    theirs["device_id"] = json!(other.device_id());
    let body = send(PUSH, token, theirs.to_string().into_bytes(), vec![])
        .assert_refused(403, "device_mismatch");
    assert_eq!(body.field.as_deref(), Some("device_id"));
    let pull = json!({ "protocol_version": PROTOCOL_VERSION, "device_id": other.device_id() });
    send(PULL, token, pull.to_string().into_bytes(), vec![]).assert_refused(403, "device_mismatch");

    assert_eq!(
        counts(&env.db),
        before,
        "no refused request stored anything"
    );

    // The valid body itself goes through, and only then is the household stored.
    let ok = send(PUSH, token, valid.to_string().into_bytes(), vec![]);
    assert_eq!(ok.status, 200, "{}", String::from_utf8_lossy(&ok.body));
    let answer: PushResponse = ok.json();
    assert_eq!(answer.results[0].status, RecordStatus::Accepted);
    assert_eq!(inspect::household(&env.db, household.id), Some(household));
}

fn bad_records_are_refused_one_by_one(backend: Backend) {
    let env = Env::start(backend);
    let phone = env.enrol(&env.seed.team_a, 2);
    let team_b = env.enrol(&env.seed.team_b, 1);

    // Team B's household, on the server.
    let theirs = team_b.home(B1_AP1, "Trần Văn Chín", "Ấp Long Hoà", 5);
    team_b.sync_clean(&team_b.transport);

    // Team A's phone: a household with a visit, recorded normally.
    let ours = phone.record_field_day(COMMUNE_A1, Some(HAMLET_A1_KP1), 1);
    let household = phone.store.household(ours.households[0]).unwrap();
    let visit = phone.store.visit(ours.visits[0]).unwrap();
    // A visit from a phone whose clock said 1980.
    let day_1980 = Utc.with_ymd_and_hms(1980, 1, 1, 8, 0, 0).unwrap();
    let mut old = visit.clone();
    old.id = Uuid::now_v7();
    old.started_at = day_1980;
    old.recorded.utc = day_1980;
    old.campaign_id = None;
    for a in &mut old.assists {
        a.id = Uuid::now_v7();
    }
    // Team B's household id in team A's upload: as a household (overwriting it) and as a visit.
    let mut hijack = household.clone();
    hijack.id = theirs.id;
    let mut hijack_visit = visit.clone();
    hijack_visit.id = Uuid::now_v7();
    hijack_visit.household_id = theirs.id;
    for a in &mut hijack_visit.assists {
        a.id = Uuid::now_v7();
    }
    let unknown_kind = Uuid::now_v7();
    let broken_visit = Uuid::now_v7();
    let changes = json!([
        { "kind": "livestock", "record": { "id": unknown_kind, "cows": 3 } },
        Change::Household(household.clone()),
        Change::Visit(old.clone()),
        Change::Household(hijack),
        Change::Visit(visit.clone()),
        Change::Visit(hijack_visit.clone()),
        { "kind": "visit", "record": { "id": broken_visit, "household_id": household.id } },
    ]);
    let body = json!({ "protocol_version": PROTOCOL_VERSION, "device_id": phone.device_id(), "changes": changes });
    let before = counts(&env.db);
    let answer = Raw {
        base: &env.server.url,
        path: PUSH,
        token: Some(&phone.token),
        body: body.to_string().into_bytes(),
        headers: vec![],
    }
    .send();
    assert_eq!(
        answer.status, 200,
        "a batch with bad records is still answered record by record"
    );
    let results = answer.json::<PushResponse>().results;
    let verdict: Vec<(Uuid, String, Option<&str>, Option<&str>)> = results
        .iter()
        .map(|r| {
            (
                r.id,
                r.status.as_str().to_owned(),
                r.code.as_deref(),
                r.field.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        verdict,
        vec![
            (
                unknown_kind,
                "rejected".into(),
                Some("invalid_record"),
                None
            ),
            (household.id, "accepted".into(), None, None),
            (
                old.id,
                "rejected".into(),
                Some("too_far_in_past"),
                Some("started_at")
            ),
            (
                theirs.id,
                "rejected".into(),
                Some("not_your_team"),
                Some("id")
            ),
            (visit.id, "accepted".into(), None, None),
            (
                hijack_visit.id,
                "rejected".into(),
                Some("not_your_team"),
                Some("household_id")
            ),
            (
                broken_visit,
                "rejected".into(),
                Some("invalid_record"),
                None
            ),
        ]
    );
    assert_eq!(results[0].kind, RecordKind::Unknown("livestock".into()));
    assert!(results
        .iter()
        .filter(|r| r.code.is_some())
        .all(|r| r.message_vi.is_some() && r.message_en.is_some()));

    // Exactly the two good records were stored; team B's household is untouched.
    let after = counts(&env.db);
    assert_eq!(after["households"], before["households"] + 1);
    assert_eq!(after["visits"], before["visits"] + 1);
    assert_eq!(
        after["assists"],
        before["assists"] + visit.assists.len() as i64
    );
    assert!(
        inspect::visit(&env.db, old.id).is_none()
            && inspect::visit(&env.db, hijack_visit.id).is_none()
    );
    assert_eq!(inspect::household(&env.db, theirs.id), Some(theirs));
    assert_eq!(inspect::household(&env.db, household.id), Some(household));
}

fn floods_are_rate_limited(backend: Backend) {
    let env = Env::start(backend);
    let noisy = env.enrol(&env.seed.team_a, 3);
    let calm = env.enrol(&env.seed.team_a, 2);
    let records = noisy.record_field_day(COMMUNE_A1, None, 1);
    let stop = AtomicBool::new(false);
    let answered = AtomicUsize::new(0);
    let limited: Mutex<Option<(raw::Answer, usize)>> = Mutex::new(None);
    let deadline = Instant::now() + Duration::from_secs(60);
    let phone_sync = std::thread::scope(|s| {
        // A runaway app: three connections sending cheap requests as fast as they can
        // (authenticated, so they count, then refused for their body), until told to stop.
        for _ in 0..3 {
            s.spawn(|| {
                let client = raw::client();
                while !stop.load(Ordering::SeqCst) && Instant::now() < deadline {
                    let a = Raw {
                        base: &env.server.url,
                        path: PULL,
                        token: Some(&noisy.token),
                        body: b"{".to_vec(),
                        headers: vec![],
                    }
                    .send_with(&client);
                    match a.status {
                        400 => {
                            answered.fetch_add(1, Ordering::SeqCst);
                        }
                        429 => {
                            let n = answered.load(Ordering::SeqCst);
                            limited.lock().unwrap().get_or_insert((a, n));
                        }
                        other => panic!("flood answered {other}: {a:?}"),
                    }
                }
            });
        }
        let seen = wait_for(Duration::from_secs(60), || {
            limited.lock().unwrap().is_some().then_some(())
        });
        // While the flood goes on, the phone's own sync is told to wait (429, retryable),
        // never refused, and loses nothing.
        let sync = seen.map(|()| noisy.sync_via(&noisy.transport, 10));
        stop.store(true, Ordering::SeqCst);
        sync
    });
    let (first, before_limit) = limited
        .into_inner()
        .unwrap()
        .expect("a flood of requests is rate limited");
    let body = first.assert_refused(429, "rate_limited");
    assert!(!body.message_vi.is_empty());
    let wait: u64 = first
        .retry_after
        .as_deref()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("Retry-After in seconds: {first:?}"));
    assert!((1..=60).contains(&wait), "Retry-After {wait}");
    assert!(
        before_limit >= 50,
        "a catch-up sync's worth of requests passes unthrottled ({before_limit} did)"
    );
    match phone_sync.expect("the flood was limited") {
        Err(gocua_core::Error::Transport(e)) => assert!(
            matches!(
                e,
                gocua_core::TransportError::Unavailable {
                    status: 429,
                    retry_after: Some(_)
                }
            ),
            "{e:?}"
        ),
        other => panic!("expected the phone to be told to wait, got {other:?}"),
    }
    let q = noisy.store.queue_status().unwrap();
    // (Its push may have caught a token freed a moment before: then the pull was limited.)
    assert_eq!(
        (q.pending + q.accepted, q.in_flight, q.rejected),
        (records.records(), 0, 0),
        "{q:?}"
    );
    // Other devices are not limited.
    let mine = calm.record_field_day(COMMUNE_A1, None, 1);
    let report = calm
        .sync_via(&calm.transport, 10)
        .expect("another phone syncs");
    assert_eq!(report.accepted, mine.records());
    // After the wait the flooding phone gets through.
    noisy.sync_clean(&noisy.transport);
    noisy.assert_all_accepted(records.records());
    let mut all = records;
    all.extend(mine);
    inspect::assert_server_holds_exactly(&env.db, &all);
}
