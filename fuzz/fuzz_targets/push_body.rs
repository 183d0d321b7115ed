//! A push body from raw bytes to typed, validated changes: the path of `POST /v1/sync/push` up to
//! the database.
//!
//! The server's own reader (`server/src/api/body.rs`: `read_json`, `check_version`, `typed`, and
//! `parse_change` in `api/sync.rs`) is private to the server crate, so this target goes through
//! the same steps with the same libraries and limits: gzip (bounded to `MAX_JSON_BYTES` + 1),
//! UTF-8, JSON, `protocol_version`, the envelope with each change still raw, each change read on
//! its own as a `gocua_protocol::Change`, then the protocol's validation with the server's
//! context (`validation_now` clamping, the real area list and service catalogue of `data/`, a
//! team and its areas).
//!
//! Input: the first byte picks how the rest is sent — 0: as is; 1: as is but declared gzip (a
//! damaged or hostile gzip stream); 2: compressed here first, then read back as gzip (the phone's
//! way); 3: a whole push built around the bytes as one change's record.
//!
//! Checked besides "never panics": the per-change id is the record's when it parsed; validation
//! errors always name a field; a change that passes validation (so the server would store it)
//! serialises back to the same value and to the same bytes twice (the server's idempotency
//! hashes its own serialisation, and reads the stored body back).
#![no_main]

use std::io::{Read, Write};
use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use gocua_protocol::import::{areas::parse_areas, services::parse_services};
use gocua_protocol::validation::{self, earliest_plausible, ValidationContext};
use gocua_protocol::*;
use libfuzzer_sys::fuzz_target;
use serde::Deserialize;
use uuid::Uuid;

/// `server/src/api/body.rs`: the limit after decompression.
const MAX_JSON_BYTES: usize = 16 * 1024 * 1024;
/// `server/src/api/sync.rs`.
const MAX_CHANGES_PER_PUSH: usize = 2_000;

const TEAM: Uuid = Uuid::from_u128(0x0190f000_0000_7000_8000_000000000001);

struct Reference {
    tree: AreaTree,
    services: Vec<Service>,
    team_areas: Vec<String>,
    now: DateTime<Utc>,
}

fn reference() -> &'static Reference {
    static REF: OnceLock<Reference> = OnceLock::new();
    REF.get_or_init(|| {
        let mut areas = parse_areas(&include_bytes!("../../data/vn-admin-units-2025-07.csv")[..])
            .expect("data/vn-admin-units-2025-07.csv imports");
        areas.push(Area {
            code: "28789-KP1".into(),
            name: "Khu phố 1".into(),
            level: AreaLevel::Hamlet,
            division_type: "khu phố".into(),
            parent_code: Some("28789".into()),
        });
        let services = parse_services(&include_bytes!("../../data/services-starter.csv")[..])
            .expect("data/services-starter.csv imports");
        Reference {
            tree: AreaTree::new(&areas),
            services,
            team_areas: vec!["28789".into()],
            // A fixed "server now" a few hours after the protocol.md example, so runs repeat.
            now: "2026-03-10T10:00:00Z".parse().expect("a time"),
        }
    })
}

/// `server/src/api/sync.rs`: the envelope with each change still raw.
#[derive(Deserialize)]
struct PushEnvelope {
    device_id: Uuid,
    changes: Vec<serde_json::Value>,
}

fn read_body(gzip: bool, raw: &[u8]) -> Option<Vec<u8>> {
    if !gzip {
        return Some(raw.to_vec());
    }
    let mut out = Vec::new();
    GzDecoder::new(raw)
        .take(MAX_JSON_BYTES as u64 + 1)
        .read_to_end(&mut out)
        .ok()?;
    (out.len() <= MAX_JSON_BYTES).then_some(out)
}

fn check_version(value: &serde_json::Value) -> bool {
    value
        .get("protocol_version")
        .and_then(serde_json::Value::as_u64)
        == Some(u64::from(PROTOCOL_VERSION))
}

/// `validation_now` of `server/src/domain/ingest.rs`.
fn validation_now(recorded: DateTime<Utc>, server_now: DateTime<Utc>) -> DateTime<Utc> {
    recorded.max(earliest_plausible()).min(server_now)
}

fn check_change(raw: serde_json::Value) {
    let r = reference();
    let pointer_id = raw
        .pointer("/record/id")
        .and_then(|v| v.as_str())
        .and_then(|s| Uuid::parse_str(s).ok())
        .unwrap_or_else(Uuid::nil);
    let kind = RecordKind::parse(raw.get("kind").and_then(|k| k.as_str()).unwrap_or(""));
    let _ = kind.as_str();
    if !kind.is_known() {
        return;
    }
    let Ok(change) = serde_json::from_value::<Change>(raw) else {
        return;
    };
    assert_eq!(change.kind(), kind, "the parsed change keeps its kind");
    assert_eq!(
        change.id(),
        pointer_id,
        "record.id is the id of the parsed change"
    );

    let catalogue = catalogue_by_key(&r.services);
    let ctx_at = |recorded: DateTime<Utc>| ValidationContext {
        now: validation_now(recorded, r.now),
        services: None,
        areas: Some(&r.tree),
        team: Some((TEAM, &r.team_areas)),
        calendar: Calendar::default(),
    };
    let verdict = match &change {
        Change::Household(h) => validation::validate_household(h, &ctx_at(h.created.utc)),
        Change::Visit(v) => {
            let mut ctx = ctx_at(v.recorded.utc);
            ctx.services = Some(&catalogue);
            validation::validate_visit(v, &ctx)
        }
        Change::OutreachSession(s) => validation::validate_session(s, &ctx_at(s.recorded.utc)),
        Change::Feedback(f) => validation::validate_feedback(f, &ctx_at(f.recorded.utc)),
    };
    if let Err(errors) = verdict {
        assert!(!errors.0.is_empty(), "a refusal has at least one problem");
        for e in &errors.0 {
            assert!(!e.field.is_empty(), "every problem names its field: {e:?}");
            assert!(!e.message_vi.is_empty() && !e.message_en.is_empty());
            let _ = e.code.as_str();
        }
        let _ = errors.to_string();
        return;
    }
    if std::env::var_os("GOCUA_FUZZ_VERBOSE").is_some() {
        eprintln!("valid: {} {}", change.kind().as_str(), change.id());
    }
    // A valid change is stored: the server hashes its own serialisation (idempotency) and keeps it
    // as the stored body, so it must read back to the same value and serialise to the same bytes.
    let first = serde_json::to_vec(&change).expect("a parsed change serialises");
    let again: Change = serde_json::from_slice(&first).expect("its serialisation parses");
    assert_eq!(again, change, "serialise then parse gives the same change");
    let second = serde_json::to_vec(&again).expect("serialises");
    assert_eq!(first, second, "the serialisation is stable");
    // What the ingest does next with a household (blanked when erased): the merge with what is
    // stored, which for the same copy changes nothing (the answer is then `duplicate`).
    if let Change::Household(h) = &change {
        let mut fresh = h.clone();
        if fresh.erased {
            fresh.blank_personal_data();
        }
        assert_eq!(
            fresh.merge(&fresh),
            fresh,
            "a resent household merges to itself"
        );
    }
}

fn check_body(gzip: bool, raw: &[u8]) {
    let Some(bytes) = read_body(gzip, raw) else {
        return;
    };
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return;
    };
    let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else {
        return;
    };
    if !check_version(&value) {
        return;
    }
    let Ok(envelope) = serde_json::from_value::<PushEnvelope>(value) else {
        return;
    };
    let _ = envelope.device_id;
    if envelope.changes.len() > MAX_CHANGES_PER_PUSH {
        return;
    }
    for raw in envelope.changes {
        check_change(raw);
    }
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(bytes).expect("in memory");
    enc.finish().expect("in memory")
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    match mode % 4 {
        0 => check_body(false, rest),
        1 => check_body(true, rest),
        2 => check_body(true, &gzip(rest)),
        _ => {
            // The bytes as the record of one change of each kind, in a well-formed push.
            let Ok(record) = serde_json::from_slice::<serde_json::Value>(rest) else {
                return;
            };
            for kind in ["household", "visit", "outreach_session", "feedback"] {
                check_change(serde_json::json!({ "kind": kind, "record": record.clone() }));
            }
        }
    }
});
