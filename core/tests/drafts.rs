//! Half-filled forms kept by the core: saved, read, listed and discarded; cleared by the record
//! that stores the form (in its transaction, so a refused save keeps them); surviving an app
//! kill; gone with `unenrol` and with a household's erasure; never queued.

mod common;

use chrono::{Duration, NaiveDate};
use common::*;
use gocua_core::protocol::*;
use gocua_core::*;

fn queued(store: &Store) -> u32 {
    let s = store.queue_status().unwrap();
    s.pending + s.in_flight + s.accepted + s.rejected + s.deleted
}

#[test]
fn a_draft_is_saved_read_overwritten_listed_and_discarded() {
    let f = fixture();
    assert_eq!(f.store.draft(DraftForm::Household, "new").unwrap(), None);
    f.store
        .save_draft(
            DraftForm::Household,
            "new",
            r#"{"head_name":"Nguyễn V","members":"12a"}"#,
        )
        .unwrap();
    let d = f.store.draft(DraftForm::Household, "new").unwrap().unwrap();
    assert_eq!(d.body, r#"{"head_name":"Nguyễn V","members":"12a"}"#);
    assert_eq!(d.updated_at, start_time());
    // Same key, another form: a different draft.
    assert_eq!(f.store.draft(DraftForm::Visit, "new").unwrap(), None);

    f.clock.advance(Duration::minutes(2));
    f.store
        .save_draft(
            DraftForm::Household,
            "new",
            r#"{"head_name":"Nguyễn Văn Ả"}"#,
        )
        .unwrap();
    let d = f.store.draft(DraftForm::Household, "new").unwrap().unwrap();
    assert_eq!(d.body, r#"{"head_name":"Nguyễn Văn Ả"}"#);
    assert_eq!(d.updated_at, start_time() + Duration::minutes(2));

    f.clock.advance(Duration::minutes(1));
    f.store
        .save_draft(DraftForm::Household, "0190-edit", "{}")
        .unwrap();
    f.store
        .save_draft(DraftForm::Feedback, "general", "x")
        .unwrap();
    assert_eq!(
        f.store.drafts(DraftForm::Household).unwrap(),
        vec![
            ("0190-edit".to_string(), start_time() + Duration::minutes(3)),
            ("new".to_string(), start_time() + Duration::minutes(2)),
        ],
        "newest first, only this form's"
    );

    f.store.discard_draft(DraftForm::Household, "new").unwrap();
    f.store
        .discard_draft(DraftForm::Household, "never-saved")
        .unwrap();
    assert_eq!(f.store.draft(DraftForm::Household, "new").unwrap(), None);
    assert_eq!(f.store.drafts(DraftForm::Household).unwrap().len(), 1);
    assert_eq!(f.store.drafts(DraftForm::Feedback).unwrap().len(), 1);
}

#[test]
fn drafts_survive_closing_and_reopening_the_store() {
    let f = fixture();
    f.store
        .save_draft(DraftForm::Session, "new", "{\"place\":\"Nhà văn hoá\"}")
        .unwrap();
    let Fixture {
        dir,
        key,
        clock,
        store,
    } = f;
    drop(store); // the app is killed
    let store = Store::open(dir.path().join("profile.db"), &key, clock).unwrap();
    assert_eq!(
        store
            .draft(DraftForm::Session, "new")
            .unwrap()
            .unwrap()
            .body,
        "{\"place\":\"Nhà văn hoá\"}"
    );
}

#[test]
fn drafts_are_never_queued() {
    let f = fixture();
    f.store
        .save_draft(DraftForm::Household, "new", "{}")
        .unwrap();
    f.store.save_draft(DraftForm::Visit, "h1", "{}").unwrap();
    f.store.discard_draft(DraftForm::Visit, "h1").unwrap();
    assert_eq!(queued(&f.store), 0);
    assert_eq!(f.store.unsent_count().unwrap(), 0);
}

#[test]
fn a_saved_record_clears_its_draft_and_a_refused_one_keeps_it() {
    let f = fixture();
    let s = &f.store;

    // Household: refused (no name) keeps the draft, saved clears it.
    s.save_draft(DraftForm::Household, "new", "{\"members\":\"4\"}")
        .unwrap();
    let mut draft = household_draft("");
    draft.draft_key = Some("new".into());
    assert!(matches!(
        s.create_household(&draft),
        Err(Error::Validation(_))
    ));
    assert!(s.draft(DraftForm::Household, "new").unwrap().is_some());
    draft.head_name = "Nguyễn Văn Ả".into();
    let h = s.create_household(&draft).unwrap();
    assert_eq!(s.draft(DraftForm::Household, "new").unwrap(), None);

    // Editing a household, even when nothing changed, clears the edit's draft.
    let key = h.id.to_string();
    s.save_draft(DraftForm::Household, &key, "{}").unwrap();
    draft.draft_key = Some(key.clone());
    s.update_household(h.id, &draft).unwrap();
    assert_eq!(s.draft(DraftForm::Household, &key).unwrap(), None);

    // Visit: refused (people reached out of range) keeps it, saved clears only its own.
    s.save_draft(DraftForm::Visit, &key, "{\"people\":\"3\"}")
        .unwrap();
    s.save_draft(DraftForm::Visit, "other", "{}").unwrap();
    let mut visit = visit_draft(h.id);
    visit.draft_key = Some(key.clone());
    visit.people_reached = 60_000;
    assert!(matches!(s.record_visit(&visit), Err(Error::Validation(_))));
    assert!(s.draft(DraftForm::Visit, &key).unwrap().is_some());
    visit.people_reached = 3;
    let v = s.record_visit(&visit).unwrap();
    assert_eq!(s.draft(DraftForm::Visit, &key).unwrap(), None);
    assert!(s.draft(DraftForm::Visit, "other").unwrap().is_some());

    // A correction clears the draft kept under the corrected visit's id.
    let vkey = v.id.to_string();
    s.save_draft(DraftForm::Visit, &vkey, "{}").unwrap();
    visit.draft_key = Some(vkey.clone());
    s.correct_visit(v.id, &visit).unwrap();
    assert_eq!(s.draft(DraftForm::Visit, &vkey).unwrap(), None);

    // Session and feedback.
    s.save_draft(DraftForm::Session, "new", "{}").unwrap();
    let mut session = SessionDraft {
        draft_key: Some("new".into()),
        campaign_id: None,
        kind: SessionKind::CommunityMeeting,
        area_code: HAMLET_B.into(),
        place: "".into(),
        held_on: NaiveDate::from_ymd_opt(2026, 3, 9).unwrap(),
        attendees: 45,
        materials: vec![],
        note: None,
    };
    assert!(matches!(
        s.record_session(&session),
        Err(Error::Validation(_))
    ));
    assert!(s.draft(DraftForm::Session, "new").unwrap().is_some());
    session.place = "Nhà văn hoá khu phố 2".into();
    s.record_session(&session).unwrap();
    assert_eq!(s.draft(DraftForm::Session, "new").unwrap(), None);

    s.save_draft(DraftForm::Feedback, "general", "{\"text\":\"Sóng\"}")
        .unwrap();
    let mut feedback = FeedbackDraft {
        draft_key: Some("general".into()),
        source: FeedbackSource::General,
        category: FeedbackCategory::Infrastructure,
        text: " ".into(),
        area_code: None,
    };
    assert!(matches!(
        s.record_feedback(&feedback),
        Err(Error::Validation(_))
    ));
    assert!(s.draft(DraftForm::Feedback, "general").unwrap().is_some());
    feedback.text = "Sóng 4G yếu ở cuối khu phố".into();
    s.record_feedback(&feedback).unwrap();
    assert_eq!(s.draft(DraftForm::Feedback, "general").unwrap(), None);

    // Without a draft key nothing else is touched.
    assert!(s.draft(DraftForm::Visit, "other").unwrap().is_some());
}

#[test]
fn erasing_a_household_deletes_the_drafts_kept_under_its_id() {
    let f = fixture();
    let h = f.household("Nguyễn Văn Ả");
    let other = f.household("Trần Thị Bé");
    let key = h.id.to_string();
    f.store
        .save_draft(DraftForm::Household, &key, "{\"phone\":\"0912\"}")
        .unwrap();
    f.store
        .save_draft(DraftForm::Visit, &key, "{\"note\":\"con trai\"}")
        .unwrap();
    f.store
        .save_draft(DraftForm::Visit, &other.id.to_string(), "{}")
        .unwrap();
    f.store.erase_household_personal_data(h.id).unwrap();
    assert_eq!(f.store.draft(DraftForm::Household, &key).unwrap(), None);
    assert_eq!(f.store.draft(DraftForm::Visit, &key).unwrap(), None);
    assert!(f
        .store
        .draft(DraftForm::Visit, &other.id.to_string())
        .unwrap()
        .is_some());
}

#[test]
fn leaving_the_team_deletes_every_draft() {
    let f = fixture();
    f.store
        .save_draft(DraftForm::Household, "new", "{\"head_name\":\"Nguyễn\"}")
        .unwrap();
    f.store
        .save_draft(DraftForm::Feedback, "general", "{}")
        .unwrap();
    f.store.unenrol(false).unwrap();
    for form in [
        DraftForm::Household,
        DraftForm::Visit,
        DraftForm::Session,
        DraftForm::Feedback,
    ] {
        assert!(f.store.drafts(form).unwrap().is_empty());
    }
}
