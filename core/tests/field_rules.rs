//! Rules the apps used to apply themselves, now once in the core: text tidying of every draft,
//! a visit and the consent asked at it in one transaction, paged household lists.

mod common;

use std::collections::HashSet;

use chrono::Duration;
use common::*;
use gocua_core::protocol::*;
use gocua_core::*;
use uuid::Uuid;

/// "Nguyễn" typed with decomposed marks, as some keyboards send it.
const DECOMPOSED: &str = "  Nguye\u{302}\u{303}n  Văn   A ";
const TIDY: &str = "Nguyễn Văn A";

fn outbox_len(f: &Fixture) -> u32 {
    let s = f.store.queue_status().unwrap();
    s.pending + s.in_flight + s.accepted + s.rejected + s.deleted
}

#[test]
fn every_free_text_field_is_tidied_before_storage() {
    let f = fixture();
    let mut draft = household_draft(DECOMPOSED);
    draft.address_line = " Số 12,\n đường  Đồng Khởi ".into();
    draft.phone = Some(" 0912  345 678 ".into());
    draft.consent = Some(ConsentDraft {
        given: true,
        method: ConsentMethod::Verbal,
    });
    let h = f.store.create_household(&draft).unwrap();
    let stored = f.store.household(h.id).unwrap();
    assert_eq!(stored.head_name, TIDY);
    assert_eq!(stored.head_name.as_bytes(), TIDY.as_bytes());
    assert_eq!(stored.address_line, "Số 12, đường Đồng Khởi");
    assert_eq!(stored.phone.as_deref(), Some("0912345678"));

    // An edit tidies the same way: the same name is the same bytes, so nothing changes.
    let again = f.store.update_household(h.id, &draft).unwrap();
    assert_eq!(again, stored);

    let mut v = visit_draft(h.id);
    v.note = Some(" Hướng dẫn\tcài  VNeID \n".into());
    v.assists[0].dossier_code = Some("  H29.88-260310-0001 ".into());
    let visit = f.store.record_visit(&v).unwrap();
    let visit = f.store.visit(visit.id).unwrap();
    assert_eq!(visit.note.as_deref(), Some("Hướng dẫn cài VNeID"));
    assert_eq!(
        visit.assists[0].dossier_code.as_deref(),
        Some("H29.88-260310-0001")
    );
    v.note = Some(" \n ".into());
    let blank_note = f.store.record_visit(&v).unwrap();
    assert_eq!(f.store.visit(blank_note.id).unwrap().note, None);

    let session = f
        .store
        .record_session(&SessionDraft {
            draft_key: None,
            campaign_id: None,
            kind: SessionKind::CommunityMeeting,
            area_code: format!(" {COMMUNE} "),
            place: " Nhà  văn hoá\nKhu phố 1 ".into(),
            held_on: start_time().date_naive(),
            attendees: 40,
            materials: vec![" tờ  rơi ".into(), "  ".into(), "pano".into()],
            note: Some("   ".into()),
        })
        .unwrap();
    let stored = &f
        .store
        .sessions_between(session.held_on, session.held_on)
        .unwrap()[0];
    assert_eq!(stored.place, "Nhà văn hoá Khu phố 1");
    assert_eq!(
        stored.materials,
        vec!["tờ rơi".to_owned(), "pano".to_owned()]
    );
    assert_eq!(stored.note, None);

    let feedback = f
        .store
        .record_feedback(&FeedbackDraft {
            draft_key: None,
            source: FeedbackSource::General,
            category: FeedbackCategory::Devices,
            text: format!("  {DECOMPOSED} không có\n\nđiện thoại  "),
            area_code: None,
        })
        .unwrap();
    assert_eq!(
        f.store.feedback_list().unwrap()[0].text,
        format!("{TIDY} không có điện thoại")
    );
    assert_eq!(feedback.text, f.store.feedback_list().unwrap()[0].text);

    // Blank after tidying is blank: a required field says so.
    let err = f
        .store
        .create_household(&household_draft(" \u{a0}\t "))
        .unwrap_err();
    assert!(matches!(&err, Error::Validation(v) if v.has("head_name", ValidationCode::Required)));
}

fn household_with_phone(f: &Fixture) -> Household {
    let mut draft = household_draft("Trần Thị Bích");
    draft.phone = Some("0912 345 678".into());
    draft.consent = Some(ConsentDraft {
        given: true,
        method: ConsentMethod::Signed,
    });
    f.store.create_household(&draft).unwrap()
}

fn withdrawn() -> Option<ConsentDraft> {
    Some(ConsentDraft {
        given: false,
        method: ConsentMethod::Verbal,
    })
}

#[test]
fn consent_withdrawn_at_a_visit_is_saved_with_it_and_drops_the_phone() {
    let f = fixture();
    let h = household_with_phone(&f);
    f.clock.advance(Duration::minutes(5));
    let before = outbox_len(&f);

    let mut draft = visit_draft(h.id);
    draft.consent = withdrawn();
    let visit = f.store.record_visit(&draft).unwrap();

    let after = f.store.household(h.id).unwrap();
    assert_eq!(after.phone, None, "no phone without consent");
    let consent = after.consent.clone().unwrap();
    assert!(!consent.given);
    assert_eq!(consent.method, ConsentMethod::Verbal);
    assert_eq!(consent.recorded_at, f.clock.now());
    assert_eq!(consent.recorded_by, volunteer_id());
    assert!(after.clocks.consent > h.clocks.consent);
    assert!(after.clocks.phone > h.clocks.phone);
    assert_eq!(
        after.clocks.head_name, h.clocks.head_name,
        "other fields untouched"
    );
    // Both are queued: the visit is new, the household's entry was already pending.
    assert_eq!(outbox_len(&f), before + 1);
    let batch = f.store.take_batch(10).unwrap();
    let ids: HashSet<Uuid> = batch.iter().map(Change::id).collect();
    assert!(ids.contains(&h.id) && ids.contains(&visit.id));
    match batch.iter().find(|c| c.id() == h.id) {
        Some(Change::Household(sent)) => assert_eq!(sent, &after),
        other => panic!("household not sent: {other:?}"),
    }
}

#[test]
fn the_same_answer_changes_nothing_and_no_answer_changes_nothing() {
    let f = fixture();
    let h = household_with_phone(&f);
    // Settle the household so a change would show in the queue.
    settle_all(&f.store, RecordStatus::Accepted);

    let mut draft = visit_draft(h.id);
    draft.consent = Some(ConsentDraft {
        given: true,
        method: ConsentMethod::Verbal,
    });
    f.store.record_visit(&draft).unwrap();
    draft.consent = None;
    f.store.record_visit(&draft).unwrap();
    assert_eq!(
        f.store.household(h.id).unwrap(),
        h,
        "asked again with the same answer: the signed consent stays as it was"
    );
    let entry = f.entry(&RecordKind::Household, h.id);
    assert_eq!(entry.state, EntryState::Accepted, "nothing to send again");
}

#[test]
fn an_invalid_visit_with_a_consent_change_writes_nothing() {
    let f = fixture();
    let h = household_with_phone(&f);
    let before = outbox_len(&f);
    let status_before = f.store.queue_status().unwrap();

    let mut draft = visit_draft(h.id);
    draft.consent = withdrawn();
    draft.outcome = VisitOutcome::NotHome; // with 3 people reached and services: invalid
    let err = f.store.record_visit(&draft).unwrap_err();
    assert!(
        matches!(&err, Error::Validation(v) if v.has("people_reached", ValidationCode::Inconsistent))
    );

    assert_eq!(f.store.household(h.id).unwrap(), h, "household unchanged");
    assert_eq!(outbox_len(&f), before);
    assert_eq!(f.store.queue_status().unwrap(), status_before);
    assert!(f.store.household_visits(h.id).unwrap().is_empty());
}

#[test]
fn an_invalid_consent_with_a_valid_visit_writes_nothing_and_both_problems_are_reported() {
    let f = fixture();
    let h = household_with_phone(&f);
    let before = outbox_len(&f);

    let mut draft = visit_draft(h.id);
    draft.consent = Some(ConsentDraft {
        given: false,
        method: ConsentMethod::Unknown("telepathy".into()),
    });
    let err = f.store.record_visit(&draft).unwrap_err();
    let Error::Validation(problems) = &err else {
        panic!("{err:?}")
    };
    assert!(problems.has("consent.method", ValidationCode::UnknownValue));
    assert!(fields::is_known("consent.method"));

    // With a visit problem too, both come back at once.
    draft.people_reached = 0;
    let Error::Validation(both) = f.store.record_visit(&draft).unwrap_err() else {
        panic!()
    };
    assert!(both.has("consent.method", ValidationCode::UnknownValue));
    assert!(both.has("people_reached", ValidationCode::OutOfRange));

    assert_eq!(f.store.household(h.id).unwrap(), h);
    assert_eq!(outbox_len(&f), before);
    assert!(f.store.household_visits(h.id).unwrap().is_empty());
}

#[test]
fn a_correction_carries_the_consent_too() {
    let f = fixture();
    let h = household_with_phone(&f);
    let first = f.store.record_visit(&visit_draft(h.id)).unwrap();
    f.clock.advance(Duration::minutes(10));
    let mut draft = visit_draft(h.id);
    draft.consent = withdrawn();
    draft.note = Some("Người dân rút lại đồng ý".into());
    let second = f.store.correct_visit(first.id, &draft).unwrap();
    assert_eq!(second.supersedes, Some(first.id));
    let after = f.store.household(h.id).unwrap();
    assert_eq!(after.phone, None);
    assert!(!after.has_contact_consent());

    // Given again at a later visit: recorded; the phone stays gone (it must be typed again).
    let mut draft = visit_draft(h.id);
    draft.consent = Some(ConsentDraft {
        given: true,
        method: ConsentMethod::Verbal,
    });
    f.store.record_visit(&draft).unwrap();
    let again = f.store.household(h.id).unwrap();
    assert!(again.has_contact_consent());
    assert_eq!(again.phone, None);
}

#[test]
fn consent_at_a_visit_to_an_erased_household() {
    let f = fixture();
    let h = household_with_phone(&f);
    f.store.erase_household_personal_data(h.id).unwrap();
    let erased = f.store.household(h.id).unwrap();

    let mut draft = visit_draft(h.id);
    draft.consent = withdrawn();
    f.store
        .record_visit(&draft)
        .expect("a refusal changes nothing on an erased household");
    assert_eq!(f.store.household(h.id).unwrap(), erased);

    draft.consent = Some(ConsentDraft {
        given: true,
        method: ConsentMethod::Verbal,
    });
    let visits_before = f.store.household_visits(h.id).unwrap().len();
    let err = f.store.record_visit(&draft).unwrap_err();
    assert!(matches!(err, Error::Erased(id) if id == h.id), "{err:?}");
    assert_eq!(f.store.household_visits(h.id).unwrap().len(), visits_before);
}

// ---- paging --------------------------------------------------------------------------------

const FAMILY: &[&str] = &["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi"];
const GIVEN: &[&str] = &["Văn An", "Thị Bình", "Hữu Cường", "Ngọc Dung", "Minh Đức"];

fn many_households(f: &Fixture, n: usize) -> Vec<Uuid> {
    (0..n)
        .map(|i| {
            let mut d = household_draft(&format!(
                "{} {}",
                FAMILY[i % FAMILY.len()],
                GIVEN[(i / FAMILY.len()) % GIVEN.len()]
            ));
            // Some share a name: the id keeps them apart.
            d.address_line = format!("Số {}, tổ {}", i % 7, i % 3);
            d.hamlet_code = Some(if i % 2 == 0 { HAMLET_A } else { HAMLET_B }.into());
            if i % 10 == 0 {
                d.commune_code = OTHER_COMMUNE.into();
                d.hamlet_code = None;
            }
            f.store.create_household(&d).unwrap().id
        })
        .collect()
}

fn all_pages(
    f: &Fixture,
    commune: Option<&str>,
    hamlet: Option<&str>,
    size: u32,
) -> (Vec<Uuid>, usize) {
    let (mut ids, mut pages, mut after) = (Vec::new(), 0, None::<String>);
    loop {
        let page = f
            .store
            .list_households_page(commune, hamlet, size, after.as_deref())
            .unwrap();
        pages += 1;
        assert!(page.items.len() <= size.max(1) as usize);
        ids.extend(page.items.iter().map(|h| h.id));
        match page.next {
            Some(next) => {
                assert_eq!(
                    page.items.len(),
                    size.max(1) as usize,
                    "only the last page is short"
                );
                after = Some(next);
            }
            None => return (ids, pages),
        }
    }
}

#[test]
fn paging_through_250_households_shows_each_once_in_order() {
    let f = fixture();
    let created = many_households(&f, 250);
    let in_commune = created.len() - created.len().div_ceil(10);

    let (ids, pages) = all_pages(&f, Some(COMMUNE), None, 40);
    assert_eq!(ids.len(), in_commune, "no silent cap");
    assert_eq!(pages, in_commune.div_ceil(40));
    assert_eq!(
        ids.iter().collect::<HashSet<_>>().len(),
        ids.len(),
        "no repeats"
    );
    let one_go: Vec<Uuid> = f
        .store
        .list_households(COMMUNE, None, 1_000, 0)
        .unwrap()
        .iter()
        .map(|h| h.id)
        .collect();
    assert_eq!(ids, one_go, "same order as the unpaged list");

    let (everyone, _) = all_pages(&f, None, None, 33);
    assert_eq!(
        everyone.iter().collect::<HashSet<_>>(),
        created.iter().collect::<HashSet<_>>()
    );
    let (hamlet, _) = all_pages(&f, Some(COMMUNE), Some(HAMLET_B), 25);
    assert_eq!(hamlet.len(), 125);
    let (exact, pages) = all_pages(&f, Some(OTHER_COMMUNE), None, 25);
    assert_eq!(
        (exact.len(), pages),
        (25, 1),
        "a full last page says there is no more"
    );
    let (tiny, _) = all_pages(&f, Some(OTHER_COMMUNE), None, 0);
    assert_eq!(tiny.len(), 25, "a page size of 0 is taken as 1");
}

#[test]
fn households_added_between_pages_do_not_repeat_or_hide_others() {
    let f = fixture();
    many_households(&f, 60);
    let first = f
        .store
        .list_households_page(Some(COMMUNE), None, 20, None)
        .unwrap();
    // Someone sorting before and after the current position is added meanwhile.
    f.household("An Văn Đầu");
    let late = f.household("Ý Thị Cuối");
    let mut seen: Vec<Uuid> = first.items.iter().map(|h| h.id).collect();
    let mut after = first.next;
    while let Some(cursor) = after {
        let page = f
            .store
            .list_households_page(Some(COMMUNE), None, 20, Some(&cursor))
            .unwrap();
        seen.extend(page.items.iter().map(|h| h.id));
        after = page.next;
    }
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), seen.len());
    assert!(
        seen.contains(&late.id),
        "one added after the position shows up"
    );
}

#[test]
fn search_pages_and_bad_cursors() {
    let f = fixture();
    many_households(&f, 250);
    let all = f
        .store
        .search_households("nguyen", None, None, 1_000)
        .unwrap();
    assert!(all.len() > 20);
    let ids = search_all_pages(&f.store, "nguyen", 7, all.len());
    assert_eq!(ids, all.iter().map(|h| h.id).collect::<Vec<_>>());
    assert!(f
        .store
        .search_households_page("  ", None, None, 10, None)
        .unwrap()
        .items
        .is_empty());
    assert_eq!(
        f.store
            .search_households_page("", Some(OTHER_COMMUNE), None, 100, None)
            .unwrap()
            .items
            .len(),
        25
    );

    let err = f
        .store
        .list_households_page(Some(COMMUNE), None, 10, Some("not a cursor"))
        .unwrap_err();
    match &err {
        Error::Validation(v) => {
            assert!(v.has("cursor", ValidationCode::InvalidFormat));
            assert!(fields::is_known("cursor"));
        }
        other => panic!("{other:?}"),
    }
}
