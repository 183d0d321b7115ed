//! Two phones of one team and one household: edits of different fields both survive (per-field
//! merge by hybrid clocks), and two records that are probably the same household are flagged for
//! the coordinator, never merged.

use std::sync::Barrier;

use gocua_core::protocol::*;
use gocua_core::HouseholdDraft;
use gocua_e2e::device::push_patiently;
use gocua_e2e::inspect;
use gocua_e2e::places::*;
use gocua_e2e::seed::*;
use gocua_e2e::*;

on_both_backends!(
    edits_of_two_phones_merge_per_field,
    simultaneous_edits_of_two_phones_both_survive,
    probable_duplicates_are_flagged_not_merged
);

fn draft_of(h: &Household) -> HouseholdDraft {
    HouseholdDraft {
        draft_key: None,
        commune_code: h.commune_code.clone(),
        hamlet_code: h.hamlet_code.clone(),
        address_line: h.address_line.clone(),
        head_name: h.head_name.clone(),
        phone: h.phone.clone(),
        members: h.members,
        consent: None,
    }
}

fn node_of(device: &Device) -> u32 {
    let b = device.device_id().into_bytes();
    u32::from_be_bytes([b[12], b[13], b[14], b[15]])
}

fn edits_of_two_phones_merge_per_field(backend: Backend) {
    let env = Env::start(backend);
    let a = env.enrol(&env.seed.team_a, 0);
    let b = env.enrol(&env.seed.team_a, 1);

    // A records the household and syncs.
    let created = a.home(
        A1_KP1,
        "Nguyễn Thị Lan",
        "Số 7, hẻm 3 đường Nguyễn Đình Chiểu",
        4,
    );
    a.sync_clean(&a.transport);
    assert_eq!(
        inspect::household(&env.db, created.id).as_ref(),
        Some(&created)
    );

    // B visited the same family and learnt two more people live there. Phones do not pull
    // households, so B's edit is the record as B knows it: the same id, its members changed and
    // stamped with B's clock; the other fields keep their old values and old stamps.
    let mut by_b = created.clone();
    by_b.members = 6;
    by_b.clocks.members = Hlc {
        wall_ms: created.clocks.max().wall_ms + 1_000,
        counter: 0,
        node: node_of(&b),
    };
    let answer = b
        .push(vec![Change::Household(by_b.clone())])
        .expect("push B's edit");
    assert_eq!(answer.results.len(), 1);
    assert_eq!(
        answer.results[0].status,
        RecordStatus::Accepted,
        "{:?}",
        answer.results[0]
    );

    // Meanwhile, offline, A corrected the name of the head of household.
    let corrected = a
        .store
        .update_household(
            created.id,
            &HouseholdDraft {
                draft_key: None,
                head_name: "Nguyễn Thị Ngọc Lan".into(),
                ..draft_of(&created)
            },
        )
        .expect("edit household");
    assert_eq!(corrected.members, 4, "A does not know about B's edit");
    assert!(corrected.clocks.head_name > created.clocks.head_name);
    assert_eq!(
        corrected.clocks.members, created.clocks.members,
        "only the changed field gets a new stamp"
    );
    a.sync_clean(&a.transport);
    a.assert_all_accepted(1);

    // The server kept both: A's name, B's member count, everything else as created.
    let merged = inspect::household(&env.db, created.id).expect("household on the server");
    assert_eq!(
        merged.head_name, "Nguyễn Thị Ngọc Lan",
        "A's edit of the name"
    );
    assert_eq!(merged.members, 6, "B's edit of the members");
    assert_eq!(
        (merged.address_line.as_str(), merged.commune_code.as_str()),
        (created.address_line.as_str(), created.commune_code.as_str())
    );
    assert_eq!(merged.clocks.head_name, corrected.clocks.head_name);
    assert_eq!(merged.clocks.members, by_b.clocks.members);
    assert_eq!(
        (merged.team_id, merged.created_by),
        (created.team_id, created.created_by)
    );
    assert_eq!(
        inspect::count(&env.db, "households"),
        1,
        "one household, however many edits"
    );
    assert_eq!(
        inspect::household_version_devices(&env.db, created.id),
        vec![a.device_id(), b.device_id(), a.device_id()],
        "every edit is kept as a version"
    );

    // The order uploads arrive in does not matter: B resending its edit now changes nothing.
    let again = b
        .push(vec![Change::Household(by_b)])
        .expect("resend B's edit");
    assert_eq!(again.results[0].status, RecordStatus::Duplicate);
    // A stale copy (A's first version, all clocks older) changes nothing either.
    let stale = a
        .push(vec![Change::Household(created.clone())])
        .expect("resend A's first version");
    assert_eq!(stale.results[0].status, RecordStatus::Duplicate);
    assert_eq!(inspect::household(&env.db, created.id), Some(merged));
    assert_eq!(inspect::count(&env.db, "household_versions"), 3);
}

/// The same as above, but the two phones' uploads reach the server at the same moment (two
/// volunteers syncing on the same wifi after a meeting). Both are answered "accepted", so
/// neither phone will ever send its edit again: both edits must be in the stored household.
fn simultaneous_edits_of_two_phones_both_survive(backend: Backend) {
    let env = Env::start(backend);
    let a = env.enrol(&env.seed.team_a, 0);
    let b = env.enrol(&env.seed.team_a, 1);
    let mut lost = Vec::new();
    for round in 0..15 {
        let created = a.household(
            COMMUNE_A1,
            Some(HAMLET_A1_KP1),
            &format!("Phan Văn Mười {round}"),
            "Số 22, đường Lê Lợi",
            4,
        );
        a.sync_clean(&a.transport);
        // A renames the head of household; B (not knowing) changes the member count.
        let draft = HouseholdDraft {
            draft_key: None,
            head_name: format!("Phan Văn Mười Một {round}"),
            ..draft_of(&created)
        };
        let by_a = a.store.update_household(created.id, &draft).unwrap();
        let mut by_b = created.clone();
        by_b.members = 7;
        by_b.clocks.members = Hlc {
            wall_ms: by_a.clocks.head_name.wall_ms,
            counter: 0,
            node: node_of(&b),
        };
        let push = |d: &Device, h: &Household| PushRequest {
            protocol_version: PROTOCOL_VERSION,
            device_id: d.device_id(),
            changes: vec![Change::Household(h.clone())],
        };
        let (request_a, request_b) = (push(&a, &by_a), push(&b, &by_b));
        let barrier = Barrier::new(2);
        let (answer_a, answer_b) = std::thread::scope(|s| {
            let from_a = s.spawn(|| {
                barrier.wait();
                push_patiently(&a.transport, &request_a)
            });
            let from_b = s.spawn(|| {
                barrier.wait();
                push_patiently(&b.transport, &request_b)
            });
            (from_a.join().unwrap(), from_b.join().unwrap())
        });
        for answer in [answer_a, answer_b] {
            let answer = answer.expect("push");
            assert_eq!(
                answer.results[0].status,
                RecordStatus::Accepted,
                "{:?}",
                answer.results[0]
            );
        }
        let merged = inspect::household(&env.db, created.id).unwrap();
        if merged.head_name != by_a.head_name || merged.members != 7 {
            lost.push(format!(
                "round {round}: stored \"{}\" with {} members",
                merged.head_name, merged.members
            ));
        }
    }
    assert!(
        lost.is_empty(),
        "an edit answered \"accepted\" was lost in {} of 15 rounds: {lost:#?}",
        lost.len()
    );
}

fn probable_duplicates_are_flagged_not_merged(backend: Backend) {
    let env = Env::start(backend);
    let a = env.enrol(&env.seed.team_a, 0);
    let b = env.enrol(&env.seed.team_a, 3);

    // Two volunteers register the same family, one with diacritics, one typing without them.
    let one = a.home(A1_KP2, "Nguyễn Văn Ả", "Số 15, đường Hùng Vương", 3);
    let two = b.home(A1_KP2, "nguyen van a", "so 15 duong hung vuong", 3);
    // Same name and address in another commune: a different family.
    let elsewhere = b.home(A2, "Nguyễn Văn Ả", "Số 15, đường Hùng Vương", 5);
    // A different family in the same street.
    let neighbour = a.home(A1_KP2, "Nguyễn Văn Bé", "Số 17, đường Hùng Vương", 2);
    a.sync_clean(&a.transport);
    b.sync_clean(&b.transport);
    a.assert_all_accepted(2);
    b.assert_all_accepted(2);

    // All four households are kept as sent: nothing was merged.
    assert_eq!(inspect::count(&env.db, "households"), 4);
    assert_eq!(
        inspect::household(&env.db, one.id).unwrap().head_name,
        "Nguyễn Văn Ả"
    );
    assert_eq!(
        inspect::household(&env.db, two.id).unwrap().head_name,
        "nguyen van a"
    );
    assert!(
        inspect::household(&env.db, elsewhere.id).is_some()
            && inspect::household(&env.db, neighbour.id).is_some()
    );

    // Exactly one flag, on the pair, for the team's coordinator.
    let flags = inspect::flags(&env.db);
    let (low, high) = if one.id < two.id {
        (one.id, two.id)
    } else {
        (two.id, one.id)
    };
    assert_eq!(
        flags,
        vec![inspect::Flag {
            kind: "probable_duplicate".into(),
            record_id: low,
            other_id: Some(high),
            team_id: env.seed.team_a.id
        }],
        "one probable-duplicate flag for the pair"
    );

    // Sending them again does not flag them twice.
    let again = b.push(vec![Change::Household(two.clone())]).unwrap();
    assert_eq!(again.results[0].status, RecordStatus::Duplicate);
    assert_eq!(inspect::flags(&env.db).len(), 1);
}
