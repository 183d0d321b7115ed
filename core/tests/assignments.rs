//! Walk lists on the phone: "my list" offline with what is left (dropping as visits are
//! recorded), the leader's assigning and revoking (queued, seen at once), a non-leader refused,
//! what a download keeps and replaces, and the hybrid-clock merge of two states.

mod common;

use std::collections::HashMap;
use std::sync::atomic::AtomicBool;
use std::sync::Mutex;

use common::*;
use gocua_core::protocol::format::Lang;
use gocua_core::protocol::*;
use gocua_core::*;
use uuid::Uuid;

fn other_member() -> Uuid {
    Uuid::from_u128(0xbeef)
}

/// The test team with this phone's volunteer as leader (or not) and a second member.
fn team_reference(leader: bool) -> ReferenceData {
    let mut data = reference_data();
    let team = &mut data.teams[0];
    team.members[0].role = if leader {
        MemberRole::Leader
    } else {
        MemberRole::Member
    };
    team.members.push(TeamMember {
        id: other_member(),
        name: "Trần Minh Khoa".into(),
        role: if leader {
            MemberRole::Member
        } else {
            MemberRole::Leader
        },
    });
    data
}

fn hamlet(code: &str) -> AssignmentTarget {
    AssignmentTarget::Hamlet {
        commune_code: COMMUNE.into(),
        hamlet_code: code.into(),
    }
}

/// An assignment as the server sends it: to this phone's volunteer, by a coordinator.
fn from_server(target: AssignmentTarget, wall_ms: i64) -> Assignment {
    Assignment {
        id: Uuid::now_v7(),
        campaign_id: campaign_id(),
        team_id: team_id(),
        member_id: volunteer_id(),
        target,
        assigned_by: Assigner::Coordinator(Uuid::from_u128(7)),
        created_at: start_time(),
        revoked: false,
        hlc: Hlc {
            wall_ms,
            counter: 0,
            node: 0,
        },
    }
}

fn lines(items: &[WalkItem]) -> Vec<String> {
    items.iter().map(|i| i.line(Lang::Vi)).collect()
}

fn code_of(r: gocua_core::Result<Assignment>) -> &'static str {
    match r {
        Err(Error::Validation(v)) => v.first().code.as_str(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn my_list_is_offline_and_left_drops_as_visits_are_recorded() {
    let f = fixture();
    let kp1 = from_server(hamlet(HAMLET_A), 1);
    let kp2 = from_server(hamlet(HAMLET_B), 1);
    let mut data = team_reference(false);
    // One for another member: not on this phone's list.
    let mut theirs = from_server(hamlet(HAMLET_B), 1);
    theirs.member_id = other_member();
    data.assignments = vec![kp1.clone(), kp2.clone(), theirs];
    f.store.apply_reference_data(&data, true).unwrap();
    assert!(f
        .store
        .my_list()
        .unwrap()
        .iter()
        .all(|i| i.member_name == "Lê Thị Hoa"));
    assert_eq!(
        lines(&f.store.my_list().unwrap()),
        ["Khu phố 1 — chưa ghi hộ nào", "Khu phố 2 — chưa ghi hộ nào"]
    );

    let a = f.household("An");
    let b = f.household("Bình");
    assert_eq!(
        lines(&f.store.my_list().unwrap())[0],
        "Khu phố 1 — còn 2/2 hộ"
    );
    f.store.record_visit(&visit_draft(a.id)).unwrap();
    assert_eq!(
        lines(&f.store.my_list().unwrap())[0],
        "Khu phố 1 — còn 1/2 hộ"
    );
    f.store.record_visit(&visit_draft(b.id)).unwrap();
    // Finished entries go last.
    let list = f.store.my_list().unwrap();
    assert_eq!(
        lines(&list),
        ["Khu phố 2 — chưa ghi hộ nào", "Khu phố 1 — đã đến hết 2 hộ"]
    );
    assert_eq!(list[1].commune_name.as_deref(), Some("Phường Bến Tre"));
    assert_eq!(
        list[1].line(Lang::En),
        "Khu phố 1 — all 2 households reached"
    );

    // A household assignment: reached or not.
    let c = f.household("Cúc");
    let mut data = team_reference(false);
    data.assignments = vec![from_server(
        AssignmentTarget::Household { household_id: c.id },
        2,
    )];
    f.store.apply_reference_data(&data, true).unwrap();
    assert_eq!(
        lines(&f.store.my_list().unwrap()),
        ["Cúc — Số 12, đường Đồng Khởi — chưa đến"]
    );
    f.store.record_visit(&visit_draft(c.id)).unwrap();
    assert_eq!(
        lines(&f.store.my_list().unwrap()),
        ["Cúc — Số 12, đường Đồng Khởi — đã đến"]
    );

    // Survives closing the app; nothing listed outside the campaign.
    drop(f.store);
    let again = Store::open(f.dir.path().join("profile.db"), &f.key, f.clock.clone()).unwrap();
    assert_eq!(again.my_list().unwrap().len(), 1);
    f.clock.set(start_time() + chrono::Duration::days(200));
    assert!(again.my_list().unwrap().is_empty(), "the campaign ended");
}

#[test]
fn a_non_leader_is_refused_and_nothing_is_queued() {
    let f = fixture();
    f.store
        .apply_reference_data(&team_reference(false), true)
        .unwrap();
    assert!(!f.store.is_leader().unwrap());
    assert_eq!(
        code_of(f.store.assign(other_member(), hamlet(HAMLET_A))),
        "assigner_not_leader"
    );
    assert_eq!(f.store.queue_status().unwrap().pending, 0);
    assert!(f.store.team_assignments().unwrap().is_empty());
}

#[test]
fn a_leader_assigns_and_revokes_offline_with_the_protocols_rules() {
    let f = fixture();
    f.store
        .apply_reference_data(&team_reference(true), true)
        .unwrap();
    assert!(f.store.is_leader().unwrap());
    let a = f.store.assign(other_member(), hamlet(HAMLET_A)).unwrap();
    assert_eq!(a.assigned_by, Assigner::Member(volunteer_id()));
    assert_eq!(a.campaign_id, campaign_id());
    let team = f.store.team_assignments().unwrap();
    assert_eq!(team.len(), 1);
    assert_eq!(team[0].member_name, "Trần Minh Khoa");
    assert!(
        f.store.my_list().unwrap().is_empty(),
        "the leader's own list"
    );
    assert_eq!(f.store.queue_status().unwrap().pending, 1);

    // Rules, each with its code; nothing queued for them.
    assert_eq!(
        code_of(f.store.assign(Uuid::from_u128(99), hamlet(HAMLET_A))),
        "assignee_not_in_team"
    );
    assert_eq!(
        code_of(f.store.assign(
            other_member(),
            AssignmentTarget::Hamlet {
                commune_code: OTHER_COMMUNE.into(),
                hamlet_code: HAMLET_A.into(),
            }
        )),
        "unknown_area"
    );
    assert_eq!(
        code_of(f.store.assign(
            other_member(),
            AssignmentTarget::Household {
                household_id: Uuid::now_v7()
            }
        )),
        "household_not_in_team"
    );
    f.clock.set(start_time() + chrono::Duration::days(200));
    assert_eq!(
        code_of(f.store.assign(other_member(), hamlet(HAMLET_B))),
        "campaign_not_running"
    );
    f.clock.set(start_time());
    assert_eq!(f.store.queue_status().unwrap().pending, 1);

    // Revoked: gone from the leader's view, still one queue entry (the latest state).
    let revoked = f.store.revoke_assignment(a.id).unwrap();
    assert!(revoked.revoked && revoked.hlc > a.hlc);
    assert!(f.store.team_assignments().unwrap().is_empty());
    assert_eq!(f.store.queue_status().unwrap().pending, 1);
}

/// A server that takes assignments (merged by clock) and sends the current ones back.
struct Server {
    held: Mutex<HashMap<Uuid, Assignment>>,
}

impl Transport for Server {
    fn push(&self, request: &PushRequest) -> std::result::Result<PushResponse, TransportError> {
        let mut held = self.held.lock().unwrap();
        let results = request
            .changes
            .iter()
            .map(|c| {
                if let Change::Assignment(a) = c {
                    let merged = held.get(&a.id).map_or(a.clone(), |h| h.merge(a));
                    held.insert(a.id, merged);
                }
                RecordResult::plain(c.id(), c.kind(), RecordStatus::Accepted)
            })
            .collect();
        Ok(PushResponse {
            results,
            server_time: start_time(),
            server_hlc: Hlc::ZERO,
            generation: None,
        })
    }

    fn pull(&self, _: &PullRequest) -> std::result::Result<PullResponse, TransportError> {
        let mut reference = team_reference(true);
        reference.assignments = self
            .held
            .lock()
            .unwrap()
            .values()
            .filter(|a| !a.revoked)
            .cloned()
            .collect();
        Ok(PullResponse {
            reference,
            cursor: "r1".into(),
            full: true,
            server_time: start_time(),
            generation: None,
        })
    }
}

#[test]
fn a_download_keeps_what_is_queued_and_the_later_state_wins() {
    let f = fixture();
    f.store
        .apply_reference_data(&team_reference(true), true)
        .unwrap();
    let a = f.store.assign(other_member(), hamlet(HAMLET_A)).unwrap();
    // A full download that does not have it yet keeps it (still queued).
    f.store
        .apply_reference_data(&team_reference(true), true)
        .unwrap();
    assert_eq!(f.store.team_assignments().unwrap().len(), 1);
    // Revoked locally; a download carrying the older (not revoked) state changes nothing.
    f.store.revoke_assignment(a.id).unwrap();
    let mut stale = team_reference(true);
    stale.assignments = vec![a.clone()];
    f.store.apply_reference_data(&stale, true).unwrap();
    assert!(
        f.store.team_assignments().unwrap().is_empty(),
        "the revocation is later"
    );

    // Synced: the server has the revocation; a server-side assignment arrives.
    let server = Server {
        held: Mutex::new(HashMap::new()),
    };
    let mut theirs = from_server(hamlet(HAMLET_B), start_time().timestamp_millis());
    theirs.member_id = other_member();
    server
        .held
        .lock()
        .unwrap()
        .insert(theirs.id, theirs.clone());
    let report = f
        .store
        .sync_once(
            &server,
            DEFAULT_BATCH_SIZE,
            &|_| {},
            &AtomicBool::new(false),
        )
        .unwrap();
    assert_eq!(report.accepted, 1);
    assert!(server.held.lock().unwrap()[&a.id].revoked);
    let team = f.store.team_assignments().unwrap();
    assert_eq!(team.len(), 1);
    assert_eq!(team[0].assignment.id, theirs.id);
    // No longer queued: the next full download without it drops it.
    f.store
        .apply_reference_data(&team_reference(true), true)
        .unwrap();
    assert!(f.store.team_assignments().unwrap().is_empty());
}
