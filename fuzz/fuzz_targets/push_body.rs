//! A push body from raw bytes to typed, validated changes: the path of `POST /v1/sync/push` up to
//! the database, through the code the server runs: `gocua_protocol::body::decode_json` (gzip
//! within the push's limits, UTF-8, JSON, `protocol_version`) and `decode_push` (the envelope, at
//! most `MAX_CHANGES_PER_PUSH` changes, each parsed on its own), then the protocol's validation
//! with the server's context (`validation_now` clamping, the real area list and service catalogue
//! of `data/`, a team and its areas).
//!
//! Input: the first byte picks how the rest is sent — 0: as is; 1: as is but declared gzip (a
//! damaged or hostile gzip stream); 2: compressed here first, then read back as gzip (the phone's
//! way); 3: a whole push built around the bytes as one change's record of each kind.
//!
//! Checked besides "never panics": every refusal of the body is a 4xx with a machine code and
//! both messages; an unparsable change says why; validation errors always name
//! a field; a change that passes validation (so the server would store it) serialises back to the
//! same value and to the same bytes twice (the server's idempotency hashes its own serialisation,
//! and reads the stored body back).
#![no_main]

use std::io::Write;
use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use flate2::write::GzEncoder;
use gocua_protocol::import::{areas::parse_areas, services::parse_services};
use gocua_protocol::body::{decode_json, decode_push, BodyLimits, Incoming};
use gocua_protocol::validation::{self, validation_now, ValidationContext};
use gocua_protocol::*;
use libfuzzer_sys::fuzz_target;
use uuid::Uuid;

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

/// One change as the push's decoding left it: refused ones say what they are, parsed ones are
/// validated as the ingest would.
fn check_incoming(incoming: Incoming) {
    let change = match incoming {
        Incoming::Unparsable { message, .. } => {
            assert!(!message.is_empty(), "an unparsable change says why");
            return;
        }
        Incoming::Parsed(change) => *change,
    };
    let r = reference();
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
        // Walk lists: the rules of `assignment.rs` against the team (no members, no campaign
        // known: what the checks decide must still name a field), on the day it was made.
        Change::Assignment(a) => {
            let team = Team {
                id: TEAM,
                name: "Đội".into(),
                org_unit_id: TEAM,
                area_codes: r.team_areas.clone(),
                members: vec![],
            };
            let day = Calendar::default().day_of(validation_now(a.created_at, r.now));
            gocua_protocol::assignment::validate_assignment(
                a,
                &gocua_protocol::assignment::AssignmentContext {
                    team: &team,
                    tree: &r.tree,
                    campaign: None,
                    day,
                    household_team: Some(TEAM),
                },
            )
        }
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
    if let Change::Assignment(a) = &change {
        assert_eq!(a.merge(a), *a, "a resent assignment merges to itself");
    }
}

fn check_body(gzip: bool, raw: &[u8]) {
    let decoded =
        decode_json(gzip, raw.to_vec(), BodyLimits::UPLOAD).and_then(|json| decode_push(&json));
    match decoded {
        Err(refused) => {
            assert!(
                !refused.body.code.is_empty(),
                "every refusal has a machine code"
            );
            assert!(!refused.body.message_vi.is_empty() && !refused.body.message_en.is_empty());
        }
        Ok((_device, incoming)) => incoming.into_iter().for_each(check_incoming),
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
            let changes: Vec<_> = ["household", "visit", "outreach_session", "feedback", "assignment"]
                .into_iter()
                .map(|kind| serde_json::json!({ "kind": kind, "record": record.clone() }))
                .collect();
            let push = serde_json::json!({
                "protocol_version": PROTOCOL_VERSION,
                "device_id": TEAM,
                "changes": changes,
            });
            check_body(false, &serde_json::to_vec(&push).expect("in memory"));
        }
    }
});
