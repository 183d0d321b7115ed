//! Enrolment state (enrolled, leaving the team, exporting what was not sent, a lost key) and the
//! Queue screen's facts.

mod common;

use std::sync::Arc;

use common::*;
use gocua_core::protocol::*;
use gocua_core::*;
use uuid::Uuid;

const OUTSIDE: (&str, &str) = (
    "Địa bàn này không thuộc phạm vi phụ trách của đội.",
    "This area is outside your team's areas.",
);
const BAD_DOSSIER: (&str, &str) = ("Mã hồ sơ không đúng.", "The dossier code is not valid.");

/// Households and feedback left on the phone.
fn count_rows(store: &Store) -> usize {
    let households = store
        .list_households_page(None, None, 1_000, None)
        .unwrap()
        .items
        .len();
    households + store.feedback_list().unwrap().len()
}

#[test]
fn enrolled_until_leaving_and_enrolling_twice_is_refused() {
    let f = fixture();
    assert!(f.store.is_enrolled().unwrap());
    // Refused before any network: the address below is never contacted.
    let err = f
        .store
        .enrol("https://gocua.invalid", "ABCD-1234", "phone", "1.0")
        .unwrap_err();
    assert!(matches!(err, Error::AlreadyEnrolled), "{err:?}");
    assert_eq!(err.code(), "already_enrolled");
    assert!(err.message_vi().contains("đã được đăng ký"));
    assert!(err.message_en().contains("already enrolled"));

    f.store.unenrol(false).unwrap();
    assert!(!f.store.is_enrolled().unwrap());
}

#[test]
fn enrol_checks_the_address_and_code_first() {
    let dir = tempfile::tempdir().unwrap();
    let store = blank_store(&dir);
    assert!(!store.is_enrolled().unwrap());
    for (url, code, field) in [
        ("", "ABCD", "server_url"),
        ("gocua.tinhdoan.vn", "ABCD", "server_url"),
        ("https://gocua.invalid", "  ", "code"),
    ] {
        match store.enrol(url, code, "phone", "1.0") {
            Err(Error::Validation(v)) => {
                assert_eq!(v.first().field, field, "{url} {code}");
                assert!(fields::is_known(field));
            }
            other => panic!("{url} {code}: {other:?}"),
        }
    }
}

#[test]
fn unenrol_is_refused_while_records_wait_and_leaves_an_empty_store() {
    let f = fixture();
    let device = f.store.device_id();
    let h = f.household("Nguyễn Văn Tâm");
    f.store.record_visit(&visit_draft(h.id)).unwrap();

    let err = f.store.unenrol(false).unwrap_err();
    assert!(matches!(err, Error::UnsentRecords { count: 2 }), "{err:?}");
    assert_eq!(err.code(), "unsent_records");
    assert!(err.message_vi().contains("Còn 2 bản ghi chưa gửi"));
    assert!(err.message_en().contains("2 records are not on the server"));
    let err = f.store.unenrol(true).unwrap_err();
    assert!(
        matches!(err, Error::UnsentRecords { count: 2 }),
        "not exported yet: {err:?}"
    );
    assert!(f.store.is_enrolled().unwrap(), "nothing removed");
    assert_eq!(f.store.household(h.id).unwrap().head_name, "Nguyễn Văn Tâm");

    // Once the server has everything, leaving is allowed.
    settle_all(&f.store, RecordStatus::Accepted);
    assert_eq!(f.store.unsent_count().unwrap(), 0);
    f.store.unenrol(false).unwrap();

    assert!(!f.store.is_enrolled().unwrap());
    assert_eq!(f.store.profile().unwrap(), None);
    assert_eq!(f.store.server_url().unwrap(), None);
    assert!(f.store.http_transport().is_err());
    assert!(matches!(
        f.store.household(h.id),
        Err(Error::NotFound { .. })
    ));
    assert_eq!(count_rows(&f.store), 0);
    assert_eq!(f.store.queue_status().unwrap(), QueueStatus::default());
    assert!(
        f.store.services().unwrap().is_empty(),
        "reference data gone"
    );
    assert!(f.store.area(COMMUNE).unwrap().is_none());
    assert!(matches!(f.store.my_team(), Err(Error::NotEnrolled)));
    assert_eq!(f.store.device_id(), device, "the installation keeps its id");
    assert_eq!(f.store.integrity_check().unwrap(), "ok");
    let path = f.path();
    drop(f.store);
    let reopened = Store::open(path, &f.key, f.clock.clone()).unwrap();
    assert!(!reopened.is_enrolled().unwrap());
    assert_eq!(reopened.device_id(), device);

    // The empty store takes a new team.
    reopened
        .apply_reference_data(&reference_data(), true)
        .unwrap();
    reopened
        .set_profile(&DeviceProfile {
            volunteer_id: volunteer_id(),
            volunteer_name: "Lê Thị Hoa".into(),
            team_id: team_id(),
        })
        .unwrap();
    let again = reopened
        .create_household(&household_draft("Phạm Thị Mai"))
        .unwrap();
    assert_eq!(reopened.unsent_count().unwrap(), 1);
    assert_ne!(again.id, h.id);
}

#[test]
fn export_then_leave_and_nothing_recorded_since() {
    let f = fixture();
    let h = f.household("Nguyễn Văn Tâm");
    let v = f.store.record_visit(&visit_draft(h.id)).unwrap();
    // One refused record counts as not sent, and is exported with its reason.
    let s = f
        .store
        .record_session(&SessionDraft {
            draft_key: None,
            campaign_id: None,
            kind: SessionKind::School,
            area_code: COMMUNE.into(),
            place: "Trường THCS Phú Tân".into(),
            held_on: start_time().date_naive(),
            attendees: 120,
            materials: vec![],
            note: None,
        })
        .unwrap();
    let batch = f.store.take_batch(10).unwrap();
    let results: Vec<RecordResult> = batch
        .iter()
        .map(|c| match c.id() == s.id {
            true => refused(c, "outside_team_area", OUTSIDE, "area_code"),
            false => accepted(c),
        })
        .collect();
    f.store.settle_batch(&results).unwrap();
    f.clock.advance(chrono::Duration::minutes(1));
    let later = f.store.record_visit(&visit_draft(h.id)).unwrap();
    assert_eq!(f.store.unsent_count().unwrap(), 2);

    let json = f.store.export_unsent().unwrap();
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["format"], "gocua-unsent-records");
    assert_eq!(doc["device_id"], f.store.device_id().to_string());
    assert_eq!(doc["profile"]["volunteer_id"], volunteer_id().to_string());
    let changes: Vec<Change> = serde_json::from_value(doc["changes"].clone()).unwrap();
    let ids: Vec<Uuid> = changes.iter().map(Change::id).collect();
    assert_eq!(ids.len(), 2);
    assert!(ids.contains(&s.id) && ids.contains(&later.id));
    assert!(
        !ids.contains(&v.id) && !ids.contains(&h.id),
        "accepted ones are on the server"
    );
    assert_eq!(
        changes[ids.iter().position(|i| *i == later.id).unwrap()],
        Change::Visit(f.store.visit(later.id).unwrap())
    );
    let queue = doc["queue"].as_array().unwrap();
    let refused = queue
        .iter()
        .find(|e| e["record_id"] == s.id.to_string())
        .unwrap();
    assert_eq!(refused["state"], "rejected");
    assert_eq!(refused["reason"]["code"], "outside_team_area");

    // Something recorded after the export: the export no longer covers everything.
    f.store
        .record_feedback(&FeedbackDraft {
            draft_key: None,
            source: FeedbackSource::General,
            category: FeedbackCategory::Devices,
            text: "Nhiều hộ không có điện thoại thông minh".into(),
            area_code: None,
        })
        .unwrap();
    let err = f.store.unenrol(true).unwrap_err();
    assert!(matches!(err, Error::UnsentRecords { count: 3 }), "{err:?}");

    // Even an edit of an exported record counts.
    f.store.export_unsent().unwrap();
    f.store
        .update_household(h.id, &{
            let mut d = household_draft("Nguyễn Văn Tâm");
            d.members = 5;
            d
        })
        .unwrap();
    assert!(matches!(
        f.store.unenrol(true),
        Err(Error::UnsentRecords { count: 4 })
    ));

    // A sync after the export does not invalidate it; exporting again and leaving works.
    let json = f.store.export_unsent().unwrap();
    settle_all(&f.store, RecordStatus::Accepted);
    assert!(json.contains("Nhiều hộ không có điện thoại thông minh"));
    assert!(
        matches!(
            f.store.unenrol(false),
            Err(Error::UnsentRecords { count: 1 })
        ),
        "the refused session is still not on the server"
    );
    f.store.unenrol(true).unwrap();
    assert!(!f.store.is_enrolled().unwrap());
    assert_eq!(f.store.unsent_count().unwrap(), 0);
}

#[test]
fn a_store_whose_key_was_lost_can_be_discarded_and_started_again() {
    let f = fixture();
    f.household("Trần Văn Út");
    let path = f.path();
    drop(f.store);
    // The platform lost the key: the store cannot be opened any more.
    let new_key = StoreKey::generate();
    let err = Store::open(&path, &new_key, Arc::new(SystemClock)).unwrap_err();
    assert!(matches!(err, Error::WrongKey), "{err:?}");

    // Companions a crashed writer may leave behind go too.
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    std::fs::write(&wal, b"leftover").unwrap();
    discard_unreadable_store(&path).unwrap();
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        assert!(!std::path::Path::new(&p).exists(), "{suffix} left behind");
    }
    // Again, with nothing there: fine.
    discard_unreadable_store(&path).unwrap();

    let store = Store::open(&path, &new_key, Arc::new(SystemClock)).unwrap();
    assert!(!store.is_enrolled().unwrap());
    assert_eq!(store.unsent_count().unwrap(), 0);
    assert!(store.integrity_check().unwrap() == "ok");

    let err = discard_unreadable_store(f.dir.path()).unwrap_err();
    assert_eq!(err.code(), "file");
    assert!(!err.message_vi().is_empty() && !err.message_en().is_empty());
}

#[test]
fn queue_items_carry_what_a_volunteer_recognises() {
    let f = fixture();
    let h = f.household("Nguyễn Văn Tâm");
    let mut draft = visit_draft(h.id);
    draft.assists[1].service_key = "judicial_record".into();
    draft.assists[1].result = AssistResult::GuidedOnly;
    draft.assists[1].not_finished_reason = None;
    let v = f.store.record_visit(&draft).unwrap();
    let s = f
        .store
        .record_session(&SessionDraft {
            draft_key: None,
            campaign_id: None,
            kind: SessionKind::OneStopShop,
            area_code: COMMUNE.into(),
            place: "Bộ phận một cửa phường".into(),
            held_on: start_time().date_naive(),
            attendees: 30,
            materials: vec![],
            note: None,
        })
        .unwrap();
    let fb = f
        .store
        .record_feedback(&FeedbackDraft {
            draft_key: None,
            source: FeedbackSource::Visit(v.id),
            category: FeedbackCategory::PortalIssues,
            text: "Cổng dịch vụ công báo lỗi khi nộp".into(),
            area_code: None,
        })
        .unwrap();

    let items = f.store.queue_items(QueueFilter::Waiting).unwrap();
    assert_eq!(items.len(), 4);
    let by_id = |id: Uuid| items.iter().find(|i| i.record_id == id).unwrap();
    let hh = by_id(h.id);
    assert_eq!(
        (hh.kind_label_vi(), hh.title_vi.as_str()),
        ("Hộ gia đình", "Nguyễn Văn Tâm")
    );
    assert!(hh.services.is_empty());
    let visit = by_id(v.id);
    assert_eq!(visit.kind, RecordKind::Visit);
    assert_eq!(visit.title_vi, "Nguyễn Văn Tâm");
    assert_eq!(visit.title_en, "Nguyễn Văn Tâm");
    let names: Vec<&str> = visit.services.iter().map(|s| s.name_vi.as_str()).collect();
    assert_eq!(
        names,
        ["Thủ tục đăng ký khai sinh", "Cấp phiếu lý lịch tư pháp"]
    );
    assert_eq!(visit.services[1].key, "judicial_record");
    assert!(visit
        .services
        .iter()
        .all(|s| !s.name_vi.contains('_') && !s.name_en.contains('_')));
    assert_eq!(by_id(s.id).title_vi, "Bộ phận một cửa phường");
    let feedback = by_id(fb.id);
    assert_eq!(
        (feedback.title_vi.as_str(), feedback.title_en.as_str()),
        ("Lỗi cổng dịch vụ công", "Portal problems")
    );
    assert_eq!(feedback.kind_label_en(), "Feedback");
    assert!(items
        .iter()
        .all(|i| i.state == EntryState::Pending && i.reason.is_none()));

    // A refusal names a field: its label comes with it.
    let batch = f.store.take_batch(10).unwrap();
    let results: Vec<RecordResult> = batch
        .iter()
        .map(|c| match c.id() == v.id {
            true => refused(c, "invalid_format", BAD_DOSSIER, "assists[0].dossier_code"),
            false => accepted(c),
        })
        .collect();
    f.store.settle_batch(&results).unwrap();
    assert!(f
        .store
        .queue_items(QueueFilter::Waiting)
        .unwrap()
        .is_empty());
    let rejected = f.store.queue_items(QueueFilter::Rejected).unwrap();
    assert_eq!(rejected.len(), 1);
    let r = &rejected[0];
    assert_eq!(r.record_id, v.id);
    assert_eq!(r.state, EntryState::Rejected);
    assert_eq!(r.attempts, 1);
    assert_eq!(r.reason.as_ref().unwrap().code, "invalid_format");
    assert_eq!(
        r.reason_field_label_vi.as_deref(),
        Some("Mã hồ sơ (dịch vụ 1)")
    );
    assert_eq!(
        r.reason_field_label_en.as_deref(),
        Some("Dossier code (service 1)")
    );
    assert_eq!(r.services.len(), 2);
    assert_eq!(f.store.queue_items(QueueFilter::Unsent).unwrap().len(), 1);
    assert_eq!(f.store.queue_items(QueueFilter::All).unwrap().len(), 4);

    // An erased household is not shown by name, in its own entry or its visits'.
    f.store.erase_household_personal_data(h.id).unwrap();
    let all = f.store.queue_items(QueueFilter::All).unwrap();
    for id in [h.id, v.id] {
        let item = all.iter().find(|i| i.record_id == id).unwrap();
        assert!(!item.title_vi.contains("Tâm") && !item.title_vi.is_empty());
        assert!(!item.title_en.contains("Tâm") && !item.title_en.is_empty());
    }
}
