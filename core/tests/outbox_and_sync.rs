//! The upload queue and one sync pass, against a transport that behaves like the server: it
//! keeps what it accepts, answers duplicates, rejects what it is told to, and fails on cue.

mod common;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;

use chrono::{Duration, NaiveDate, Utc};
use common::*;
use gocua_core::protocol::*;
use gocua_core::*;
use uuid::Uuid;

type Hook<'a> = Box<dyn Fn(&PushRequest) + Send + Sync + 'a>;

#[derive(Default)]
struct FakeServer<'a> {
    records: Mutex<HashMap<Uuid, Change>>,
    pushes: AtomicUsize,
    fail_on_push: Mutex<Option<usize>>,
    reject_names: Mutex<Vec<String>>,
    on_push: Mutex<Option<Hook<'a>>>,
    server_offset: Mutex<Duration>,
    reference: Mutex<ReferenceData>,
}

impl FakeServer<'_> {
    fn now(&self) -> chrono::DateTime<Utc> {
        start_time() + *self.server_offset.lock().unwrap()
    }
}

impl Transport for FakeServer<'_> {
    fn push(&self, request: &PushRequest) -> Result<PushResponse, TransportError> {
        let n = self.pushes.fetch_add(1, Ordering::SeqCst) + 1;
        if let Some(hook) = self.on_push.lock().unwrap().as_ref() {
            hook(request);
        }
        if *self.fail_on_push.lock().unwrap() == Some(n) {
            return Err(TransportError::Network("connection reset by peer".into()));
        }
        let mut records = self.records.lock().unwrap();
        let rejects = self.reject_names.lock().unwrap();
        let results = request
            .changes
            .iter()
            .map(|c| {
                let mut r = accepted(c);
                let name = match c {
                    Change::Household(h) => Some(&h.head_name),
                    Change::OutreachSession(s) => Some(&s.place),
                    _ => None,
                };
                if let Some(name) = name {
                    if rejects.contains(name) {
                        r.status = RecordStatus::Rejected;
                        r.code = Some("outside_team_area".into());
                        r.message_vi =
                            Some("Địa bàn này không thuộc phạm vi phụ trách của đội.".into());
                        r.message_en = Some("This area is outside your team's areas.".into());
                        r.field = Some("commune_code".into());
                        return r;
                    }
                }
                match records.get(&c.id()) {
                    Some(old) if old == c => r.status = RecordStatus::Duplicate,
                    _ => {
                        records.insert(c.id(), c.clone());
                    }
                }
                r
            })
            .collect();
        Ok(push_answer(results, self.now()))
    }

    fn pull(&self, _request: &PullRequest) -> Result<PullResponse, TransportError> {
        Ok(pull_answer(
            self.reference.lock().unwrap().clone(),
            self.now(),
        ))
    }
}

fn server<'a>() -> FakeServer<'a> {
    let s = FakeServer::default();
    *s.reference.lock().unwrap() = reference_data();
    s
}

fn record_day(store: &Store, households: usize) -> Vec<Uuid> {
    (0..households)
        .map(|i| {
            let h = store
                .create_household(&household_draft(&format!("Nguyễn Văn Số {i}")))
                .unwrap();
            store.record_visit(&visit_draft(h.id)).unwrap();
            h.id
        })
        .collect()
}

fn no_progress(_: SyncProgress) {}

/// How the last sync ended, once the queue is checked to hold `(pending, in flight, accepted)`.
fn last_sync_leaving(store: &Store, queue: (u32, u32, u32)) -> LastSync {
    let status = store.queue_status().unwrap();
    assert_eq!((status.pending, status.in_flight, status.accepted), queue);
    status.last_sync.unwrap()
}

/// One sync pass without progress reports or cancelling.
fn quiet_sync(store: &Store, srv: &FakeServer<'_>, batch: usize) -> SyncReport {
    store
        .sync_once(srv, batch, &no_progress, &AtomicBool::new(false))
        .unwrap()
}

/// [`quiet_sync`] asking the sync policy again between batches.
fn checked_sync(
    store: &Store,
    srv: &FakeServer<'_>,
    batch: usize,
    recheck: &Recheck<'_>,
) -> SyncReport {
    store
        .sync_once_checked(
            srv,
            batch,
            &no_progress,
            &AtomicBool::new(false),
            Some(recheck),
        )
        .unwrap()
}

#[test]
fn sync_uploads_everything_once_and_reports_progress() {
    let f = fixture();
    record_day(&f.store, 5);
    let srv = server();
    let seen = Mutex::new(Vec::new());
    let report = f
        .store
        .sync_once(
            &srv,
            4,
            &|p| seen.lock().unwrap().push((p.sent, p.total)),
            &AtomicBool::new(false),
        )
        .unwrap();
    assert_eq!(
        report,
        SyncReport {
            sent: 10,
            accepted: 10,
            rejected: 0,
            pulled: true,
            stopped: None,
        }
    );
    assert_eq!(srv.records.lock().unwrap().len(), 10);
    assert_eq!(
        srv.pushes.load(Ordering::SeqCst),
        3,
        "10 records in batches of 4"
    );
    assert_eq!(
        *seen.lock().unwrap(),
        vec![(0, 10), (4, 10), (8, 10), (10, 10)]
    );
    let status = f.store.queue_status().unwrap();
    assert_eq!(
        (status.pending, status.accepted, status.rejected),
        (0, 10, 0)
    );
    assert_eq!(status.oldest_pending_age_secs, None);
    assert_eq!(status.last_sync.unwrap().outcome, "ok");
    // Nothing left: a second sync sends nothing.
    let again = quiet_sync(&f.store, &srv, 4);
    assert_eq!(again.sent, 0);
}

#[test]
fn households_go_before_their_visits() {
    let f = fixture();
    // Visits first on the clock: a visit to an older household, then a new household.
    let old = f.household("Hộ Cũ");
    f.store.record_visit(&visit_draft(old.id)).unwrap();
    record_day(&f.store, 2);
    let order = Mutex::new(Vec::new());
    let mut srv = server();
    srv.on_push = Mutex::new(Some(Box::new(|req: &PushRequest| {
        order
            .lock()
            .unwrap()
            .extend(req.changes.iter().map(|c| c.kind()));
    })));
    quiet_sync(&f.store, &srv, 100);
    drop(srv);
    let order = order.into_inner().unwrap();
    assert_eq!(order.len(), 6);
    let first_visit = order.iter().position(|k| *k == RecordKind::Visit).unwrap();
    assert!(order[..first_visit]
        .iter()
        .all(|k| *k == RecordKind::Household));
    assert_eq!(first_visit, 3, "all three households lead the batch");
}

#[test]
fn rejected_record_is_quarantined_without_blocking_the_rest_and_can_be_fixed() {
    let f = fixture();
    let bad = f.household("Hộ Bị Từ Chối");
    record_day(&f.store, 3);
    let srv = server();
    srv.reject_names
        .lock()
        .unwrap()
        .push("Hộ Bị Từ Chối".into());
    let report = quiet_sync(&f.store, &srv, 2);
    assert_eq!((report.accepted, report.rejected), (6, 1));
    let status = f.store.queue_status().unwrap();
    assert_eq!(
        (status.pending, status.accepted, status.rejected),
        (0, 6, 1)
    );
    assert_eq!(status.last_sync.unwrap().outcome, "partial");
    let rejected = f.store.rejected_entries().unwrap();
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0].record_id, bad.id);
    let reason = rejected[0].reason.clone().unwrap();
    assert_eq!(reason.code, "outside_team_area");
    assert_eq!(reason.field.as_deref(), Some("commune_code"));
    assert!(reason.message_vi.contains("phạm vi"));

    // A rejected entry stays put across syncs (not retried forever)...
    quiet_sync(&f.store, &srv, 2);
    assert_eq!(f.store.rejected_entries().unwrap().len(), 1);
    // ...until the volunteer fixes the record, which queues it again.
    srv.reject_names.lock().unwrap().clear();
    f.store
        .update_household(bad.id, &household_draft("Hộ Đã Sửa"))
        .unwrap();
    assert_eq!(
        f.entry(&RecordKind::Household, bad.id).state,
        EntryState::Pending
    );
    quiet_sync(&f.store, &srv, 2);
    assert!(f.store.rejected_entries().unwrap().is_empty());
    assert_eq!(f.store.queue_status().unwrap().accepted, 7);
}

#[test]
fn a_refused_session_is_corrected_in_place_and_sent_again_but_not_once_accepted() {
    let f = fixture();
    let mut draft = SessionDraft {
        draft_key: None,
        campaign_id: None,
        kind: SessionKind::CommunityMeeting,
        area_code: HAMLET_B.into(),
        place: "Nhà ông Tư".into(),
        held_on: NaiveDate::from_ymd_opt(2026, 3, 9).unwrap(),
        attendees: 45,
        materials: vec![],
        note: None,
    };
    let session = f.store.record_session(&draft).unwrap();
    let srv = server();
    srv.reject_names.lock().unwrap().push("Nhà ông Tư".into());
    quiet_sync(&f.store, &srv, 10);
    assert_eq!(f.store.rejected_entries().unwrap()[0].record_id, session.id);

    // Fixed from the queue: same record, new fields, its draft gone, queued again.
    f.store
        .save_draft(DraftForm::Session, &session.id.to_string(), "x")
        .unwrap();
    draft.place = "Nhà văn hoá khu phố 2".into();
    draft.attendees = 52;
    draft.draft_key = Some(session.id.to_string());
    let fixed = f.store.correct_session(session.id, &draft).unwrap();
    assert_eq!(
        (fixed.id, fixed.recorded, fixed.volunteer_id),
        (session.id, session.recorded, session.volunteer_id)
    );
    assert_eq!(
        f.store.session(session.id).unwrap().place,
        "Nhà văn hoá khu phố 2"
    );
    assert_eq!(f.store.session(session.id).unwrap().attendees, 52);
    assert_ne!(fixed.hlc, session.hlc, "a new clock");
    assert_eq!(
        f.store
            .draft(DraftForm::Session, &session.id.to_string())
            .unwrap(),
        None
    );
    let entry = f.entry(&RecordKind::OutreachSession, session.id);
    assert_eq!(entry.state, EntryState::Pending);

    // A correction the rules refuse changes nothing.
    let mut bad = draft.clone();
    bad.place = " ".into();
    assert!(matches!(
        f.store.correct_session(session.id, &bad),
        Err(Error::Validation(_))
    ));
    assert_eq!(
        f.store.session(session.id).unwrap().place,
        "Nhà văn hoá khu phố 2"
    );

    quiet_sync(&f.store, &srv, 10);
    assert!(f.store.rejected_entries().unwrap().is_empty());
    // The server keeps sessions as they came: once accepted, the phone cannot change one.
    assert!(matches!(
        f.store.correct_session(session.id, &draft),
        Err(Error::AlreadyOnServer(id)) if id == session.id
    ));
}

#[test]
fn requeue_sends_a_rejected_entry_again_unchanged() {
    let f = fixture();
    let h = f.household("Hộ Bị Từ Chối");
    let srv = server();
    srv.reject_names
        .lock()
        .unwrap()
        .push("Hộ Bị Từ Chối".into());
    quiet_sync(&f.store, &srv, 10);
    assert_eq!(f.store.rejected_entries().unwrap().len(), 1);
    srv.reject_names.lock().unwrap().clear(); // the coordinator fixed the team's areas
    f.store.requeue(&RecordKind::Household, h.id).unwrap();
    quiet_sync(&f.store, &srv, 10);
    let entry = f.entry(&RecordKind::Household, h.id);
    assert_eq!(entry.state, EntryState::Accepted);
    assert_eq!(entry.attempts, 2);
    assert!(matches!(
        f.store.requeue(&RecordKind::Visit, Uuid::now_v7()),
        Err(Error::NotFound { .. })
    ));
}

#[test]
fn network_error_mid_sync_loses_nothing_and_the_retry_duplicates_nothing() {
    let f = fixture();
    record_day(&f.store, 5);
    let srv = server();
    *srv.fail_on_push.lock().unwrap() = Some(2);
    let err = f
        .store
        .sync_once(&srv, 3, &no_progress, &AtomicBool::new(false))
        .unwrap_err();
    assert!(
        matches!(err, Error::Transport(TransportError::Network(_))),
        "{err:?}"
    );
    assert!(err.message_vi().contains("hàng chờ"));
    let last = last_sync_leaving(&f.store, (7, 0, 3));
    assert_eq!(last.outcome, "failed");
    assert_eq!(last.error_code.as_deref(), Some("network"));
    assert!(f
        .store
        .queue_status()
        .unwrap()
        .oldest_pending_age_secs
        .is_some());

    let report = quiet_sync(&f.store, &srv, 3);
    assert_eq!(report.accepted, 7);
    assert_eq!(
        srv.records.lock().unwrap().len(),
        10,
        "each record stored exactly once"
    );
    assert_eq!(f.store.queue_status().unwrap().accepted, 10);
}

#[test]
fn lost_acknowledgement_is_resent_and_answered_as_duplicate() {
    let f = fixture();
    record_day(&f.store, 2);
    let srv = server();
    // The server stores the batch but the answer never arrives: simulate by storing first.
    let batch = f.store.take_batch(100).unwrap();
    for c in &batch {
        srv.records.lock().unwrap().insert(c.id(), c.clone());
    }
    f.store.release_in_flight().unwrap();
    let report = quiet_sync(&f.store, &srv, 100);
    assert_eq!(report.accepted, 4, "duplicates count as accepted");
    assert_eq!(srv.records.lock().unwrap().len(), 4);
}

#[test]
fn edit_while_in_flight_goes_back_to_pending_and_is_sent_again() {
    let f = fixture();
    let h = f.household("Phan Văn Lợi");
    let store = &f.store;
    let edited = AtomicBool::new(false);
    let mut srv = server();
    // The push hook edits the household while its upload is in flight.
    srv.on_push = Mutex::new(Some(Box::new(|_req: &PushRequest| {
        if !edited.swap(true, Ordering::SeqCst) {
            let mut d = household_draft("Phan Văn Lợi");
            d.members = 9;
            store.update_household(h.id, &d).unwrap();
            let entry = store
                .queue_entry(&RecordKind::Household, h.id)
                .unwrap()
                .unwrap();
            assert_eq!(
                entry.state,
                EntryState::Pending,
                "an edit in flight is pending again at once"
            );
        }
    })));
    let report = store
        .sync_once(&srv, 10, &no_progress, &AtomicBool::new(false))
        .unwrap();
    assert_eq!(
        report.sent, 2,
        "sent once with 4 members, then again with 9"
    );
    let on_server = srv.records.lock().unwrap().get(&h.id).cloned().unwrap();
    let Change::Household(on_server) = on_server else {
        panic!()
    };
    assert_eq!(
        on_server.members, 9,
        "the edit made during the push reached the server"
    );
    assert_eq!(
        f.entry(&RecordKind::Household, h.id).state,
        EntryState::Accepted
    );
}

#[test]
fn cancel_between_batches_leaves_the_rest_pending() {
    let f = fixture();
    record_day(&f.store, 5);
    let srv = server();
    let cancel = AtomicBool::new(false);
    let err = f
        .store
        .sync_once(
            &srv,
            4,
            &|p| {
                if p.sent >= 4 {
                    cancel.store(true, Ordering::SeqCst)
                }
            },
            &cancel,
        )
        .unwrap_err();
    assert!(matches!(err, Error::Cancelled));
    let status = f.store.queue_status().unwrap();
    assert_eq!(
        (status.pending, status.in_flight, status.accepted),
        (6, 0, 4)
    );
    assert_eq!(status.last_sync.unwrap().outcome, "cancelled");
}

#[test]
fn a_second_sync_at_the_same_time_is_refused() {
    let f = fixture();
    record_day(&f.store, 1);
    let store = &f.store;
    let inner_result = Mutex::new(None);
    let mut srv = server();
    srv.on_push = Mutex::new(Some(Box::new(|_: &PushRequest| {
        let r = store.sync_once(
            &FakeServer::default(),
            10,
            &no_progress,
            &AtomicBool::new(false),
        );
        *inner_result.lock().unwrap() = Some(r.map(|_| ()).map_err(|e| e.code()));
    })));
    store
        .sync_once(&srv, 10, &no_progress, &AtomicBool::new(false))
        .unwrap();
    drop(srv);
    assert_eq!(
        inner_result.lock().unwrap().clone(),
        Some(Err("sync_in_progress"))
    );
}

#[test]
fn entries_in_flight_when_the_app_died_are_pending_after_reopen() {
    let f = fixture();
    record_day(&f.store, 2);
    let taken = f.store.take_batch(3).unwrap();
    assert_eq!(taken.len(), 3);
    assert_eq!(f.store.queue_status().unwrap().in_flight, 3);
    let path = f.path();
    drop(f.store);
    let store = Store::open(&path, &f.key, f.clock.clone()).unwrap();
    let status = store.queue_status().unwrap();
    assert_eq!((status.pending, status.in_flight), (4, 0));
    assert!(
        store
            .pending_entries()
            .unwrap()
            .iter()
            .filter(|e| e.attempts == 1)
            .count()
            == 3
    );
}

#[test]
fn pull_replaces_reference_data_and_server_time_drives_clock_flags_and_hlc() {
    let f = fixture();
    let srv = server();
    // The coordinator adds a service; the phone's clock is a day slow.
    srv.reference.lock().unwrap().services.push(Service {
        key: "dvcqg_account".into(),
        code: None,
        code_verified: false,
        name_vi: "Đăng ký tài khoản Cổng Dịch vụ công quốc gia".into(),
        name_en: "Register a National Public Service Portal account".into(),
        authority: "Văn phòng Chính phủ".into(),
        kind: ServiceKind::PortalAccount,
        level_42: None,
        level_43: None,
        active: true,
    });
    *srv.server_offset.lock().unwrap() = Duration::days(1);
    quiet_sync(&f.store, &srv, 10);
    assert!(f
        .store
        .services()
        .unwrap()
        .iter()
        .any(|s| s.key == "dvcqg_account"));

    let warning = f
        .store
        .clock_warning()
        .unwrap()
        .expect("clock is behind the server");
    assert_eq!(warning.code, "clock_before_last_sync");
    let h = f.household("Hồ Văn Minh");
    assert_eq!(
        f.store
            .time_flag_of(&RecordKind::Household, h.id)
            .unwrap()
            .as_deref(),
        Some("clock_before_last_sync")
    );
    assert!(
        h.clocks.head_name.wall_ms >= srv.now().timestamp_millis(),
        "HLC moved past the server's clock"
    );

    // Clock fixed: no more warning or flag.
    f.clock.set(srv.now() + Duration::minutes(1));
    assert_eq!(f.store.clock_warning().unwrap(), None);
    let h2 = f.household("Hồ Văn Nam");
    assert_eq!(
        f.store.time_flag_of(&RecordKind::Household, h2.id).unwrap(),
        None
    );
}

#[test]
fn refused_request_is_not_transient() {
    let body = ErrorBody {
        code: "device_revoked".into(),
        message_vi: "Thiết bị đã bị thu hồi.".into(),
        message_en: "Device revoked.".into(),
        field: None,
    };
    let e = TransportError::Refused { status: 401, body };
    assert!(!e.is_transient());
    assert!(TransportError::Network("x".into()).is_transient());
    assert_eq!(Error::from(e).message_vi(), "Thiết bị đã bị thu hồi.");
}

/// The platform's facts as a test flips them.
struct Facts(Mutex<policy::NetworkFacts>);

impl Facts {
    fn wifi() -> Facts {
        Facts(Mutex::new(policy::NetworkFacts {
            connected: true,
            unmetered: true,
            battery_percent: Some(80),
            charging: false,
            power_saver: false,
        }))
    }
    fn now(&self) -> policy::NetworkFacts {
        *self.0.lock().unwrap()
    }
    fn set(&self, f: impl FnOnce(&mut policy::NetworkFacts)) {
        f(&mut self.0.lock().unwrap())
    }
}

#[test]
fn a_sync_that_leaves_wifi_stops_after_the_batch_and_the_next_sends_the_rest_once() {
    let f = fixture();
    record_day(&f.store, 5); // 10 records
    let facts = Facts::wifi();
    let mut srv = server();
    // The phone leaves wifi for mobile data while the first batch is on its way.
    srv.on_push = Mutex::new(Some(Box::new(|_: &PushRequest| {
        facts.set(|f| f.unmetered = false)
    })));
    let now = || facts.now();
    let recheck = Recheck {
        facts: &now,
        trigger: SyncTrigger::Periodic,
        wifi_only: true,
        mobile_data_once: false,
    };
    let report = checked_sync(&f.store, &srv, 4, &recheck);
    assert_eq!(
        (report.sent, report.accepted),
        (4, 4),
        "the batch in flight was settled"
    );
    assert!(!report.pulled, "no pull on mobile data either");
    let stop = report.stopped.expect("stopped");
    assert_eq!(stop.reason, policy::SyncWaitReason::Metered);
    assert!(stop.message_vi.contains("wifi"), "{}", stop.message_vi);
    assert_eq!(srv.pushes.load(Ordering::SeqCst), 1, "no second batch");
    let last = last_sync_leaving(&f.store, (6, 0, 4));
    assert_eq!(last.outcome, "stopped");
    assert_eq!(last.error_code.as_deref(), Some("metered"));
    assert_eq!((last.sent, last.accepted), (4, 4));

    // Back on wifi: the next sync sends the six others, each once.
    *srv.on_push.lock().unwrap() = None;
    facts.set(|f| f.unmetered = true);
    let rest = checked_sync(&f.store, &srv, 4, &recheck);
    assert_eq!((rest.sent, rest.accepted, rest.stopped), (6, 6, None));
    assert!(rest.pulled);
    assert_eq!(
        srv.records.lock().unwrap().len(),
        10,
        "ten records, none twice"
    );
    assert_eq!(
        f.store.queue_status().unwrap().last_sync.unwrap().outcome,
        "ok"
    );
}

#[test]
fn the_recheck_stops_on_losing_the_connection_or_the_battery_but_not_for_send_now_on_mobile_data() {
    let f = fixture();
    record_day(&f.store, 3); // 6 records
    let facts = Facts::wifi();
    let now = || facts.now();
    let srv = server();
    let check = |trigger, mobile_data_once| Recheck {
        facts: &now,
        trigger,
        wifi_only: true,
        mobile_data_once,
    };

    // Offline before the first batch: nothing is taken, the reason is `offline`.
    facts.set(|f| f.connected = false);
    let r = checked_sync(&f.store, &srv, 2, &check(SyncTrigger::UserForced, true));
    assert_eq!(r.sent, 0);
    assert_eq!(r.stopped.unwrap().reason, policy::SyncWaitReason::Offline);
    assert_eq!(srv.pushes.load(Ordering::SeqCst), 0);

    // Low battery on wifi: an automatic sync stops…
    facts.set(|f| {
        f.connected = true;
        f.battery_percent = Some(10)
    });
    let r = checked_sync(&f.store, &srv, 2, &check(SyncTrigger::AppForeground, false));
    assert_eq!(
        r.stopped.unwrap().reason,
        policy::SyncWaitReason::LowBattery
    );

    // …"Gửi ngay" with "Gửi bằng dữ liệu di động lần này" on mobile data and low battery goes on.
    facts.set(|f| f.unmetered = false);
    let r = checked_sync(&f.store, &srv, 2, &check(SyncTrigger::UserForced, true));
    assert_eq!((r.sent, r.stopped), (6, None));
    assert_eq!(f.store.queue_status().unwrap().pending, 0);
}
