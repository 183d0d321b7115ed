//! A field day end to end, and resending: enrol → record offline → sync → the server holds exactly
//! those records; the same batches replayed many times, in any order, change nothing.

use gocua_core::protocol::*;
use gocua_core::HttpTransport;
use gocua_e2e::device::push_patiently;
use gocua_e2e::inspect::{self, assert_server_holds_exactly};
use gocua_e2e::seed::*;
use gocua_e2e::*;
use rand::seq::SliceRandom;
use rand::SeedableRng;

on_both_backends!(
    field_day_arrives_exactly_once,
    replayed_batches_change_nothing
);

/// Against the real `gocua serve` binary: two volunteers of one team record a day offline, sync,
/// and the server holds exactly their records, every queue entry accepted.
fn field_day_arrives_exactly_once(backend: Backend) {
    let env = Env::start_binary(backend);
    let (team, seed) = (&env.seed.team_a, &env.seed);
    let hoa = env.enrol(team, 0);
    let khoa = env.enrol(team, 1);

    // Reference data came down with the first sync: the team's communes and hamlets, the whole
    // service catalogue, the campaign running now, the team's targets.
    let my_team = hoa.store.my_team().unwrap();
    assert_eq!(my_team.name, team.name);
    let mut communes = my_team.area_codes.clone();
    communes.sort();
    assert_eq!(communes, vec![COMMUNE_A2.to_owned(), COMMUNE_A1.to_owned()]);
    assert_eq!(hoa.store.services().unwrap().len(), seed.services);
    let hamlets: Vec<String> = hoa
        .store
        .child_areas(COMMUNE_A1)
        .unwrap()
        .into_iter()
        .map(|a| a.code)
        .collect();
    assert_eq!(
        hamlets,
        vec![HAMLET_A1_KP1.to_owned(), HAMLET_A1_KP2.to_owned()]
    );
    assert!(hoa
        .store
        .campaigns()
        .unwrap()
        .iter()
        .any(|c| c.id == seed.campaign.id));
    assert_eq!(hoa.enrolment.volunteer_name, "Lê Thị Hoa");
    assert_eq!(khoa.enrolment.team_name, team.name);
    let row = inspect::device_row(&env.db, hoa.device_id()).expect("device row");
    assert_eq!(
        (row.0, row.1, row.3.as_str(), row.4),
        (team.id, team.members[0].id, device::APP_VERSION, false)
    );

    // Offline: nothing reaches the server until they sync.
    let mut expected = hoa.record_field_day(COMMUNE_A1, Some(HAMLET_A1_KP1), 6);
    expected.extend(khoa.record_field_day(COMMUNE_A2, Some(HAMLET_A2_KP3), 4));
    expected.extend(khoa.record_field_day(COMMUNE_A1, None, 2));
    assert_eq!(inspect::count(&env.db, "households"), 0);
    assert_eq!(hoa.store.queue_status().unwrap().pending, 6 + 6 + 1 + 2);

    // Small batches, so a sync is several pushes.
    let report = hoa.sync_via(&hoa.transport, 4).expect("sync");
    assert_eq!(
        (report.sent, report.accepted, report.rejected, report.pulled),
        (15, 15, 0, true)
    );
    let report = khoa.sync_via(&khoa.transport, 5).expect("sync");
    assert_eq!(
        (report.sent, report.accepted, report.rejected),
        (expected.records() - 15, expected.records() - 15, 0)
    );

    assert_server_holds_exactly(&env.db, &expected);
    hoa.assert_all_accepted(15);
    khoa.assert_all_accepted(expected.records() - 15);
    assert_eq!(
        inspect::count(&env.db, "household_versions"),
        expected.households.len() as i64
    );
    assert!(
        inspect::flags(&env.db)
            .iter()
            .all(|f| !f.kind.starts_with("clock")),
        "no clock flags for phones with a good clock"
    );

    // What arrived is what was recorded, field for field (the server keeps the record as sent).
    let phones = [&hoa, &khoa];
    assert_stored_as_recorded(
        &expected.households,
        "household",
        |id| phones.iter().find_map(|d| d.store.household(id).ok()),
        |id| inspect::household(&env.db, id),
    );
    assert_stored_as_recorded(
        &expected.visits,
        "visit",
        |id| {
            let visit = phones.iter().find_map(|d| d.store.visit(id).ok())?;
            Some(json_round_trip(&visit))
        },
        |id| inspect::visit(&env.db, id),
    );

    // A second sync sends nothing and changes nothing.
    let before = inspect::counts(&env.db);
    let again = hoa.sync_via(&hoa.transport, 4).expect("sync");
    assert_eq!(again.sent, 0);
    assert_eq!(inspect::counts(&env.db), before);

    // The server counts the team's progress from what it received, and the phone shows it.
    let progress = hoa.store.team_progress(Some(seed.campaign.id)).unwrap();
    let achieved = |indicator: Indicator| {
        progress
            .iter()
            .find(|p| p.target.indicator == indicator)
            .map(|p| (p.achieved_on_server, p.achieved_waiting))
            .expect("target on the phone")
    };
    assert_eq!(
        progress.len(),
        3,
        "team A's three targets reached the phone"
    );
    assert_eq!(
        achieved(Indicator::Sessions),
        (expected.sessions.len() as u64, 0)
    );
    let (visited, waiting) = achieved(Indicator::HouseholdsVisited);
    assert!(
        visited > 0 && visited <= expected.households.len() as u64 && waiting == 0,
        "households visited {visited}, waiting {waiting}"
    );
}

/// One sync's pushes replayed ten times each, batches in shuffled order: every answer is
/// "duplicate" and no table changes; a different content under a known id is a conflict.
fn replayed_batches_change_nothing(backend: Backend) {
    let env = Env::start(backend);
    let phone = env.enrol(&env.seed.team_a, 2);
    let expected = phone.record_field_day(COMMUNE_A1, Some(HAMLET_A1_KP2), 5);

    let recorder = RecordingTransport::new(phone.transport.clone());
    let report = phone.sync_via(&recorder, 4).expect("sync");
    assert_eq!((report.accepted, report.rejected), (expected.records(), 0));
    let batches = recorder.pushes();
    assert_eq!(batches.len(), expected.records().div_ceil(4) as usize);
    assert_server_holds_exactly(&env.db, &expected);
    let before = inspect::counts(&env.db);

    let mut rng = rand::rngs::StdRng::seed_from_u64(rng_seed("replay"));
    let mut order: Vec<usize> = (0..batches.len())
        .flat_map(|i| std::iter::repeat_n(i, 10))
        .collect();
    order.shuffle(&mut rng);
    // A fresh connection pool, as a phone after a restart would have.
    let t = HttpTransport::new(&env.server.url, Some(phone.token.clone())).unwrap();
    for i in order {
        let request = &batches[i];
        let response = push_patiently(&t, request).expect("replayed push");
        let sent: Vec<_> = request.changes.iter().map(|c| (c.id(), c.kind())).collect();
        let answered: Vec<_> = response
            .results
            .iter()
            .map(|r| (r.id, r.kind.clone()))
            .collect();
        assert_eq!(answered, sent, "one answer per record, in order");
        for r in &response.results {
            assert_eq!(
                r.status,
                RecordStatus::Duplicate,
                "replayed {:?} {}: {r:?}",
                r.kind,
                r.id
            );
        }
        assert_eq!(
            inspect::counts(&env.db),
            before,
            "a replay changed the server's tables"
        );
    }
    assert_server_holds_exactly(&env.db, &expected);
    phone.assert_all_accepted(expected.records());

    // The same ids with different content: visits, sessions and feedback are immutable.
    let all: Vec<Change> = batches.iter().flat_map(|b| b.changes.clone()).collect();
    let visit = first_of(&all, |c| match c {
        Change::Visit(v) => Some(v.clone()),
        _ => None,
    });
    let session = first_of(&all, |c| match c {
        Change::OutreachSession(s) => Some(s.clone()),
        _ => None,
    });
    let mut altered_visit = visit.clone();
    altered_visit.note = Some("Sửa ghi chú mà không tạo bản sửa".into());
    let mut altered_session = session.clone();
    altered_session.attendees += 10;
    let response = phone
        .push(vec![
            Change::Visit(altered_visit),
            Change::OutreachSession(altered_session),
        ])
        .unwrap();
    for r in &response.results {
        assert_eq!(r.status, RecordStatus::Conflict, "{r:?}");
        assert_eq!(r.code.as_deref(), Some("conflict_different_content"));
    }
    assert_eq!(inspect::counts(&env.db), before);
    assert_eq!(
        inspect::visit(&env.db, visit.id).unwrap(),
        visit,
        "the stored visit is untouched"
    );

    // A proper correction (a new revision) is a new record and supersedes the old one.
    let correction = phone
        .store
        .correct_visit(
            visit.id,
            &gocua_core::VisitDraft {
                draft_key: None,
                household_id: visit.household_id,
                campaign_id: visit.campaign_id,
                started_at: Some(visit.started_at),
                ended_at: None,
                outcome: VisitOutcome::Met,
                people_reached: 3,
                gps: None,
                note: Some("Bổ sung: đã hướng dẫn thêm cho con dâu".into()),
                follow_up_on: None,
                assists: vec![],
                consent: None,
            },
        )
        .unwrap();
    assert_eq!(correction.supersedes, Some(visit.id));
    phone.sync_clean(&phone.transport);
    assert_eq!(inspect::count(&env.db, "visits"), before["visits"] + 1);
    assert!(inspect::visit(&env.db, correction.id).is_some());
}

/// The record as the server reads it off the wire (serde_json parses floats to the nearest value
/// only within an ulp, so a GPS coordinate may differ in its last bit).
/// Asserts that each record of `ids` is stored on the server (`on_server`) exactly as a phone holds
/// it (`on_phone`).
fn assert_stored_as_recorded<T: PartialEq + std::fmt::Debug>(
    ids: &[uuid::Uuid],
    what: &str,
    on_phone: impl Fn(uuid::Uuid) -> Option<T>,
    on_server: impl Fn(uuid::Uuid) -> Option<T>,
) {
    for id in ids {
        let phone = on_phone(*id).unwrap_or_else(|| panic!("{what} on a phone"));
        assert_eq!(
            on_server(*id).as_ref(),
            Some(&phone),
            "{what} {id} as stored"
        );
    }
}

/// The first of `changes` that `pick` takes.
fn first_of<T>(changes: &[Change], pick: impl Fn(&Change) -> Option<T>) -> T {
    changes.iter().find_map(pick).expect("such a change")
}

fn json_round_trip<T: serde::Serialize + serde::de::DeserializeOwned>(value: &T) -> T {
    serde_json::from_str(&serde_json::to_string(value).unwrap()).unwrap()
}
