//! A coordinator moves the volunteer to another team, or renames them: the next download says
//! so, and the phone follows — new records belong to the new team, records queued before keep
//! the team they were made for.

mod common;

use common::*;
use gocua_core::protocol::*;
use uuid::Uuid;

fn other_team(member_name: &str) -> Team {
    Team {
        id: Uuid::now_v7(),
        name: "Đội TNXK Xã Phú Túc".into(),
        org_unit_id: Uuid::now_v7(),
        area_codes: vec![OTHER_COMMUNE.into()],
        members: vec![TeamMember {
            id: volunteer_id(),
            name: member_name.into(),
            role: MemberRole::Member,
        }],
    }
}

#[test]
fn a_moved_volunteer_follows_the_new_team_and_keeps_the_queue() {
    let f = fixture();
    let before = f.household("Phạm Văn Đức");
    assert_eq!(before.team_id, team_id());

    let moved = other_team("Lê Thị Hoa Mai");
    let mut data = reference_data();
    data.teams = vec![moved.clone()];
    f.store.apply_reference_data(&data, true).unwrap();

    let profile = f.store.profile().unwrap().unwrap();
    assert_eq!(profile.team_id, moved.id);
    assert_eq!(profile.volunteer_name, "Lê Thị Hoa Mai");
    assert_eq!(f.store.my_team().unwrap().id, moved.id);
    assert_eq!(
        f.store.team_name().unwrap().as_deref(),
        Some("Đội TNXK Xã Phú Túc")
    );
    // The household queued before the move still goes as the old team's.
    let queued = f.store.take_batch(10).unwrap();
    let Change::Household(h) = &queued[0] else {
        panic!("{queued:?}")
    };
    assert_eq!((h.id, h.team_id), (before.id, team_id()));
    f.store.release_in_flight().unwrap();
    // New records belong to the new team.
    let mut draft = household_draft("Ngô Thị Lan");
    draft.commune_code = OTHER_COMMUNE.into();
    draft.hamlet_code = None;
    let after = f.store.create_household(&draft).unwrap();
    assert_eq!(after.team_id, moved.id);
}

#[test]
fn a_download_without_the_volunteer_changes_nothing() {
    let f = fixture();
    let mut data = reference_data();
    data.teams[0].members.clear();
    f.store.apply_reference_data(&data, true).unwrap();
    assert_eq!(f.store.profile().unwrap().unwrap().team_id, team_id());
    let changes_only = ReferenceData::default();
    f.store.apply_reference_data(&changes_only, false).unwrap();
    assert_eq!(
        f.store.profile().unwrap().unwrap().volunteer_name,
        "Lê Thị Hoa"
    );
}
