//! Recording a volunteer's day: households, visits with assists, corrections, sessions, feedback.

mod common;

use chrono::{Duration, NaiveDate};
use common::*;
use gocua_core::protocol::*;
use gocua_core::*;

fn count_pending(store: &Store) -> u32 {
    store.queue_status().unwrap().pending
}

#[test]
fn household_is_created_queued_and_tidied() {
    let f = fixture();
    let mut draft = household_draft("  Nguyễn   Văn Ả ");
    draft.phone = Some("+84 912 345 678".into());
    draft.consent = Some(ConsentDraft {
        given: true,
        method: ConsentMethod::Verbal,
    });
    let h = f.store.create_household(&draft).unwrap();
    assert_eq!(h.head_name, "Nguyễn Văn Ả");
    assert_eq!(h.phone.as_deref(), Some("0912345678"));
    assert_eq!(h.team_id, team_id());
    assert_eq!(h.created_by, volunteer_id());
    assert_eq!(h.created.offset_minutes, 420);
    assert_eq!(
        h.id.get_version_num(),
        7,
        "ids are UUIDv7 made on the phone"
    );
    assert_eq!(f.store.household(h.id).unwrap(), h);
    let entry = f.entry(&RecordKind::Household, h.id);
    assert_eq!(entry.state, EntryState::Pending);
    assert_eq!(entry.attempts, 0);
}

#[test]
fn phone_without_consent_is_refused_and_nothing_is_written() {
    let f = fixture();
    let mut draft = household_draft("Trần Thị Bình");
    draft.phone = Some("0912345678".into());
    let err = f.store.create_household(&draft).unwrap_err();
    let Error::Validation(v) = &err else {
        panic!("expected validation error, got {err:?}")
    };
    assert!(v.has("phone", ValidationCode::ConsentRequired), "{v}");
    assert!(err.message_vi().contains("đồng ý"));
    assert_eq!(count_pending(&f.store), 0);
    assert!(f
        .store
        .list_households(COMMUNE, None, 100, 0)
        .unwrap()
        .is_empty());
}

#[test]
fn household_outside_team_area_or_unknown_area_is_refused() {
    let f = fixture();
    let mut draft = household_draft("Phạm Văn Cường");
    draft.commune_code = FOREIGN_COMMUNE.into();
    draft.hamlet_code = None;
    let Error::Validation(v) = f.store.create_household(&draft).unwrap_err() else {
        panic!()
    };
    assert!(
        v.has("commune_code", ValidationCode::OutsideTeamArea),
        "{v}"
    );

    draft.commune_code = "99999".into();
    let Error::Validation(v) = f.store.create_household(&draft).unwrap_err() else {
        panic!()
    };
    assert!(v.has("commune_code", ValidationCode::UnknownArea), "{v}");

    let mut draft = household_draft("Phạm Văn Cường");
    draft.commune_code = OTHER_COMMUNE.into(); // hamlet A belongs to COMMUNE, not this one
    let Error::Validation(v) = f.store.create_household(&draft).unwrap_err() else {
        panic!()
    };
    assert!(v.has("hamlet_code", ValidationCode::Inconsistent), "{v}");
    assert_eq!(count_pending(&f.store), 0);
}

#[test]
fn household_validation_names_every_bad_field() {
    let f = fixture();
    let mut draft = household_draft("");
    draft.members = 0;
    draft.phone = Some("12ab".into());
    let Error::Validation(v) = f.store.create_household(&draft).unwrap_err() else {
        panic!()
    };
    assert!(v.has("head_name", ValidationCode::Required));
    assert!(v.has("members", ValidationCode::OutOfRange));
    assert!(v.has("phone", ValidationCode::InvalidFormat));
    for e in &v.0 {
        assert!(!e.message_vi.is_empty() && !e.message_en.is_empty());
    }
}

#[test]
fn editing_a_household_stamps_only_changed_fields_and_requeues() {
    let f = fixture();
    let h = f.household("Lê Văn Dũng");
    f.clock.advance(Duration::minutes(5));
    let mut draft = household_draft("Lê Văn Dũng");
    draft.members = 6;
    let edited = f.store.update_household(h.id, &draft).unwrap();
    assert_eq!(edited.members, 6);
    assert!(edited.clocks.members > h.clocks.members);
    assert_eq!(edited.clocks.head_name, h.clocks.head_name);
    assert_eq!(edited.clocks.location, h.clocks.location);
    // An edit with no change queues nothing new.
    let again = f.store.update_household(h.id, &draft).unwrap();
    assert_eq!(again, edited);
    assert_eq!(count_pending(&f.store), 1);
}

#[test]
fn visit_with_assists_is_recorded_atomically_with_defaults_from_catalogue() {
    let f = fixture();
    let h = f.household("Huỳnh Thị Em");
    let v = f.store.record_visit(&visit_draft(h.id)).unwrap();
    assert_eq!(v.revision, 1);
    assert_eq!(
        v.campaign_id,
        Some(campaign_id()),
        "the running campaign is filled in"
    );
    assert_eq!(v.started_at, start_time());
    assert_eq!(v.assists.len(), 2);
    assert_eq!(
        v.assists[0].level_42,
        Some(Level42::ToanTrinh),
        "level from the catalogue"
    );
    assert_eq!(v.assists[0].level_43, Some(Level43::Level4));
    let stored = f.store.visit(v.id).unwrap();
    assert_eq!(stored, v);
    assert_eq!(count_pending(&f.store), 2);
}

#[test]
fn invalid_visit_writes_nothing() {
    let f = fixture();
    let h = f.household("Võ Văn Giàu");
    let mut draft = visit_draft(h.id);
    draft.assists[1].service_key = "not_in_catalogue".into();
    draft.assists[0].dossier_code = None;
    let Error::Validation(v) = f.store.record_visit(&draft).unwrap_err() else {
        panic!()
    };
    assert!(
        v.has("assists[1].service_key", ValidationCode::UnknownService),
        "{v}"
    );
    assert!(
        v.has("assists[0].dossier_code", ValidationCode::Required),
        "{v}"
    );
    assert!(f.store.household_visits(h.id).unwrap().is_empty());
    assert_eq!(count_pending(&f.store), 1);

    let mut draft = visit_draft(h.id);
    draft.people_reached = 400;
    let Error::Validation(v) = f.store.record_visit(&draft).unwrap_err() else {
        panic!()
    };
    assert!(v.has("people_reached", ValidationCode::OutOfRange));

    let mut draft = visit_draft(h.id);
    draft.started_at =
        Some(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 1980, 1, 1, 0, 0, 0).unwrap());
    let err = f.store.record_visit(&draft).unwrap_err();
    let Error::Validation(v) = &err else { panic!() };
    assert!(v.has("started_at", ValidationCode::TooFarInPast));
    assert!(
        err.message_vi().contains("ngày giờ của điện thoại"),
        "{}",
        err.message_vi()
    );

    let mut draft = visit_draft(h.id);
    draft.started_at = Some(start_time() + Duration::days(3));
    let Error::Validation(v) = f.store.record_visit(&draft).unwrap_err() else {
        panic!()
    };
    assert!(v.has("started_at", ValidationCode::InFuture));

    let mut draft = visit_draft(uuid::Uuid::now_v7());
    draft.assists.clear();
    assert!(matches!(
        f.store.record_visit(&draft),
        Err(Error::NotFound {
            kind: "household",
            ..
        })
    ));
    assert_eq!(count_pending(&f.store), 1);
}

#[test]
fn not_home_visit_cannot_carry_assists_or_people() {
    let f = fixture();
    let h = f.household("Đặng Văn Hải");
    let mut draft = visit_draft(h.id);
    draft.outcome = VisitOutcome::NotHome;
    let Error::Validation(v) = f.store.record_visit(&draft).unwrap_err() else {
        panic!()
    };
    assert!(v.has("assists", ValidationCode::Inconsistent));
    assert!(v.has("people_reached", ValidationCode::Inconsistent));
    draft.assists.clear();
    draft.people_reached = 0;
    draft.follow_up_on = Some(NaiveDate::from_ymd_opt(2026, 3, 12).unwrap());
    f.store.record_visit(&draft).unwrap();
}

#[test]
fn correcting_a_visit_keeps_history() {
    let f = fixture();
    let h = f.household("Bùi Thị Lan");
    let v1 = f.store.record_visit(&visit_draft(h.id)).unwrap();
    f.clock.advance(Duration::minutes(30));
    let mut fix = visit_draft(h.id);
    fix.people_reached = 5;
    fix.started_at = Some(v1.started_at);
    let v2 = f.store.correct_visit(v1.id, &fix).unwrap();
    assert_eq!(v2.revision, 2);
    assert_eq!(v2.supersedes, Some(v1.id));
    assert!(v2.hlc > v1.hlc);
    let history = f.store.visit_revisions(v1.id).unwrap();
    assert_eq!(
        history.iter().map(|v| v.id).collect::<Vec<_>>(),
        vec![v1.id, v2.id]
    );
    assert_eq!(f.store.visit_revisions(v2.id).unwrap().len(), 2);
    let current = f.store.household_visits(h.id).unwrap();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0].people_reached, 5);
    match f.store.correct_visit(v1.id, &fix) {
        Err(Error::AlreadyCorrected { id, by }) => assert_eq!((id, by), (v1.id, v2.id)),
        other => panic!("expected AlreadyCorrected, got {other:?}"),
    }
    assert_eq!(
        count_pending(&f.store),
        3,
        "household + both revisions are uploaded"
    );
}

#[test]
fn sessions_and_feedback_are_recorded_and_validated() {
    let f = fixture();
    let s = f
        .store
        .record_session(&SessionDraft {
            draft_key: None,
            campaign_id: None,
            kind: SessionKind::CommunityMeeting,
            area_code: HAMLET_B.into(),
            place: "Nhà văn hoá khu phố 2".into(),
            held_on: NaiveDate::from_ymd_opt(2026, 3, 9).unwrap(),
            attendees: 45,
            materials: vec!["Tờ rơi VNeID".into(), " ".into()],
            note: None,
        })
        .unwrap();
    assert_eq!(s.materials, vec!["Tờ rơi VNeID".to_string()]);
    assert_eq!(s.campaign_id, Some(campaign_id()));
    let fb = f
        .store
        .record_feedback(&FeedbackDraft {
            draft_key: None,
            source: FeedbackSource::Session(s.id),
            category: FeedbackCategory::Infrastructure,
            text: "Sóng 4G yếu ở cuối khu phố, người dân không tải được ứng dụng".into(),
            area_code: Some(HAMLET_B.into()),
        })
        .unwrap();
    assert_eq!(f.store.feedback_list().unwrap(), vec![fb]);
    assert_eq!(
        f.store
            .sessions_between(
                NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
                NaiveDate::from_ymd_opt(2026, 3, 31).unwrap()
            )
            .unwrap(),
        vec![s]
    );

    let bad = SessionDraft {
        draft_key: None,
        campaign_id: None,
        kind: SessionKind::Unknown("karaoke".into()),
        area_code: FOREIGN_COMMUNE.into(),
        place: "".into(),
        held_on: NaiveDate::from_ymd_opt(2026, 3, 9).unwrap(),
        attendees: 100_000,
        materials: vec![],
        note: None,
    };
    let Error::Validation(v) = f.store.record_session(&bad).unwrap_err() else {
        panic!()
    };
    assert!(v.has("kind", ValidationCode::UnknownValue));
    assert!(v.has("area_code", ValidationCode::OutsideTeamArea));
    assert!(v.has("place", ValidationCode::Required));
    assert!(v.has("attendees", ValidationCode::OutOfRange));
    let err = f
        .store
        .record_feedback(&FeedbackDraft {
            draft_key: None,
            source: FeedbackSource::Visit(uuid::Uuid::now_v7()),
            category: FeedbackCategory::Other,
            text: "x".into(),
            area_code: None,
        })
        .unwrap_err();
    assert!(matches!(err, Error::NotFound { kind: "visit", .. }));
    assert_eq!(count_pending(&f.store), 2);
}

#[test]
fn not_enrolled_store_refuses_records_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let store = blank_store(&dir);
    let err = store
        .create_household(&household_draft("Ngô Văn Khoa"))
        .unwrap_err();
    assert!(matches!(err, Error::NotEnrolled));
    assert_eq!(err.code(), "not_enrolled");
    assert!(err.message_vi().contains("mã đăng ký"));
}

#[test]
fn erasing_personal_data_keeps_anonymous_counts_and_is_queued() {
    let f = fixture();
    let mut draft = household_draft("Dương Thị Mai");
    draft.phone = Some("0987654321".into());
    draft.consent = Some(ConsentDraft {
        given: true,
        method: ConsentMethod::Signed,
    });
    let h = f.store.create_household(&draft).unwrap();
    let v = f.store.record_visit(&visit_draft(h.id)).unwrap();
    let before = f.store.my_counts().unwrap();
    f.store.erase_household_personal_data(h.id).unwrap();
    let erased = f.store.household(h.id).unwrap();
    assert!(erased.erased);
    assert!(erased.head_name.is_empty() && erased.address_line.is_empty());
    assert_eq!(erased.phone, None);
    assert_eq!(erased.consent, None);
    assert_eq!(erased.members, 4, "anonymous facts stay");
    let visit = f.store.visit(v.id).unwrap();
    assert_eq!(visit.note, None);
    assert_eq!(visit.gps, None);
    assert!(f
        .store
        .search_households("duong mai", None, None, 10)
        .unwrap()
        .is_empty());
    assert!(f
        .store
        .search_households("0987", None, None, 10)
        .unwrap()
        .is_empty());
    assert_eq!(
        f.store.my_counts().unwrap(),
        before,
        "counts are not falsified"
    );
    assert!(matches!(
        f.store.update_household(h.id, &draft),
        Err(Error::Erased(_))
    ));
    let entry = f.entry(&RecordKind::Household, h.id);
    assert_eq!(entry.state, EntryState::Pending);
}
