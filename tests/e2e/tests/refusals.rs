//! Refusals that must not lose data: a revoked phone keeps its whole queue; a household outside
//! the team's area is quarantined on the phone with the server's reason while the rest goes
//! through.

use gocua_core::protocol::*;
use gocua_core::{Error, HouseholdDraft, Transport, TransportError};
use gocua_e2e::inspect::{self, assert_server_holds_exactly};
use gocua_e2e::places::*;
use gocua_e2e::seed::*;
use gocua_e2e::*;

on_both_backends!(
    revoked_device_keeps_its_queue,
    household_outside_team_area_is_quarantined
);

fn refused(result: Result<impl std::fmt::Debug, TransportError>) -> (u16, ErrorBody) {
    match result {
        Err(TransportError::Refused { status, body }) => (status, body),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn revoked_device_keeps_its_queue(backend: Backend) {
    let env = Env::start(backend);
    let lost = env.enrol(&env.seed.team_a, 1);
    let colleague = env.enrol(&env.seed.team_a, 2);
    let recorded = lost.record_field_day(COMMUNE_A1, Some(HAMLET_A1_KP1), 3);

    // The coordinator revokes the phone (reported lost) before it syncs, with the real command.
    let said = server::gocua_admin(
        &env.test_db.target,
        &["revoke-device", &lost.device_id().to_string()],
    );
    assert!(said.contains("revoked"), "{said}");
    assert!(inspect::device_row(&env.db, lost.device_id()).unwrap().4);

    let (err, body) = assert_sync_refused(
        &lost,
        2,
        "a revoked device cannot sync",
        401,
        "device_revoked",
    );
    assert!(!err.to_string().is_empty() && !body.message_vi.is_empty());
    assert!(
        !TransportError::Refused {
            status: 401,
            body: body.clone()
        }
        .is_transient(),
        "retrying will not help"
    );

    // Nothing was taken; nothing left the phone's queue.
    for table in ["households", "visits", "assists", "sessions", "feedback"] {
        assert_eq!(inspect::count(&env.db, table), 0, "{table} on the server");
    }
    let q = lost.store.queue_status().unwrap();
    assert_eq!(
        (q.pending, q.in_flight, q.accepted, q.rejected),
        (recorded.records(), 0, 0, 0),
        "{q:?}"
    );
    let last = q.last_sync.expect("the failed sync is reported");
    assert_eq!(
        (last.outcome.as_str(), last.error_code.as_deref()),
        ("failed", Some("server_refused"))
    );
    assert_eq!(
        last.message_vi.as_deref(),
        Some(body.message_vi.as_str()),
        "the volunteer sees the server's explanation"
    );
    for id in &recorded.households {
        assert!(
            lost.store.household(*id).is_ok(),
            "the records stay readable on the phone"
        );
    }

    // Pull is refused too, and the same again later: the queue stays as it is.
    let pull = lost.transport.pull(&PullRequest {
        protocol_version: PROTOCOL_VERSION,
        device_id: lost.device_id(),
        cursor: None,
    });
    assert_eq!(refused(pull).0, 401);
    assert!(lost.sync_via(&lost.transport, 50).is_err());
    assert_eq!(
        lost.store.queue_status().unwrap().pending,
        recorded.records()
    );

    // Enrolling again with a new code does not lift the revocation.
    let code = env.code(&env.seed.team_a, 1);
    let again = gocua_core::enrol(&env.server.url, &Device::enrol_request(&lost.store, &code));
    let (status, body) = refused(again);
    assert_eq!((status, body.code.as_str()), (401, "device_revoked"));

    // The rest of the team is not affected.
    let theirs = colleague.record_field_day(COMMUNE_A2, None, 1);
    colleague.sync_clean(&colleague.transport);
    assert_server_holds_exactly(&env.db, &theirs);
}

fn household_outside_team_area_is_quarantined(backend: Backend) {
    let env = Env::start(backend);
    let phone = env.enrol(&env.seed.team_a, 3);

    // The coordinator hands Phường Phú Khương (A2) over to team B after this phone downloaded
    // its areas; the phone, offline, still believes A2 is its team's.
    set_team_areas(&env.db, &env.seed.team_a, &[COMMUNE_A1]);
    set_team_areas(
        &env.db,
        &env.seed.team_b,
        &[COMMUNE_B1, COMMUNE_B2, COMMUNE_A2],
    );

    let good = phone.record_field_day(COMMUNE_A1, Some(HAMLET_A1_KP1), 3);
    let stray = phone.home(A2_KP3, "Đặng Thị Đào", "Số 40, đường Đồng Khởi", 2);
    let stray_visit = phone
        .store
        .record_visit(&gocua_core::VisitDraft {
            draft_key: None,
            household_id: stray.id,
            campaign_id: None,
            started_at: None,
            ended_at: None,
            outcome: VisitOutcome::NotHome,
            people_reached: 0,
            gps: None,
            note: None,
            follow_up_on: None,
            assists: vec![],
            consent: None,
        })
        .unwrap();

    let report = phone.sync_via(&phone.transport, 4).expect("sync");
    assert_eq!(
        (report.sent, report.accepted, report.rejected),
        (good.records() + 2, good.records(), 2),
        "{report:?}"
    );

    // Quarantined on the phone, each with the server's reason; the rest accepted.
    let rejected = phone.store.rejected_entries().unwrap();
    let reason = |id| {
        rejected
            .iter()
            .find(|e| e.record_id == id)
            .and_then(|e| e.reason.clone())
            .unwrap_or_else(|| panic!("{id} quarantined: {rejected:?}"))
    };
    let r = reason(stray.id);
    assert_eq!(
        (r.code.as_str(), r.field.as_deref()),
        ("outside_team_area", Some("hamlet_code")),
        "{r:?}"
    );
    assert!(!r.message_vi.is_empty() && !r.message_en.is_empty());
    assert_eq!(
        reason(stray_visit.id).code,
        "unknown_household",
        "the visit of a refused household waits for it"
    );
    assert_eq!(rejected.len(), 2);
    let q = phone.store.queue_status().unwrap();
    assert_eq!(
        (q.pending, q.in_flight, q.rejected, q.accepted),
        (0, 0, 2, good.records()),
        "{q:?}"
    );
    assert_server_holds_exactly(&env.db, &good);

    // The same sync pulled the new areas: the phone no longer offers A2.
    let mine = phone.store.my_team().unwrap();
    assert_eq!(mine.area_codes, vec![COMMUNE_A1.to_owned()]);
    let refused_locally = phone.store.create_household(&HouseholdDraft {
        draft_key: None,
        commune_code: COMMUNE_A2.into(),
        hamlet_code: None,
        address_line: "Số 41, đường Đồng Khởi".into(),
        head_name: "Đặng Văn Tư".into(),
        phone: None,
        members: 2,
        consent: None,
    });
    assert!(
        matches!(refused_locally, Err(Error::Validation(_))),
        "{refused_locally:?}"
    );

    // A quarantined record does not block later ones, and is not resent on its own.
    let later = phone.record_field_day(COMMUNE_A1, None, 1);
    let report = phone.sync_via(&phone.transport, 4).expect("sync");
    assert_eq!(
        (report.sent, report.accepted, report.rejected),
        (later.records(), later.records(), 0)
    );
    let mut all = good.clone();
    all.extend(later);
    assert_server_holds_exactly(&env.db, &all);

    // Sent by hand, a household in a commune of the other team is refused the same way, and the
    // other records of the batch are taken.
    let mut foreign = phone.household(COMMUNE_A1, None, "Huỳnh Văn Sáu", "Ấp Long Hoà", 4);
    let ok = phone.household(COMMUNE_A1, None, "Võ Thị Bảy", "Số 3, đường Lê Lợi", 4);
    foreign.commune_code = COMMUNE_B1.into();
    foreign.hamlet_code = Some(HAMLET_B1_AP1.into());
    let answer = phone
        .push(vec![
            Change::Household(foreign.clone()),
            Change::Household(ok.clone()),
        ])
        .unwrap();
    assert_eq!(answer.results[0].status, RecordStatus::Rejected);
    assert_eq!(answer.results[0].code.as_deref(), Some("outside_team_area"));
    assert_eq!(answer.results[1].status, RecordStatus::Accepted);
    assert!(inspect::household(&env.db, foreign.id).is_none());
    assert!(inspect::household(&env.db, ok.id).is_some());
}
