//! The end-to-end tests' phone: a real encrypted `gocua_core::Store` on a temporary file,
//! enrolled over HTTP with a coordinator's code, syncing through `gocua_core::HttpTransport`, with
//! helpers that record a field day and check what the queue holds. It panics on anything
//! unexpected, as a test helper should. `tests/e2e` re-exports it as `gocua_e2e::device`.

use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use gocua_core::protocol::*;
use gocua_core::*;
use rand::rngs::StdRng;
use rand::SeedableRng;
use tempfile::TempDir;
use uuid::Uuid;

use crate::names::{person_name, street_line};

pub const APP_VERSION: &str = "0.1.0-e2e";
pub const DEVICE_LABEL: &str = "Samsung Galaxy A15 (e2e)";

pub struct Device {
    pub store: Store,
    pub key: StoreKey,
    /// Straight to the server.
    pub transport: HttpTransport,
    pub token: String,
    pub enrolment: EnrolResponse,
    pub server_url: String,
    dir: TempDir,
}

/// The ids a device recorded, per server table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recorded {
    pub households: Vec<Uuid>,
    pub visits: Vec<Uuid>,
    pub assists: Vec<Uuid>,
    pub sessions: Vec<Uuid>,
    pub feedback: Vec<Uuid>,
}

impl Recorded {
    pub fn extend(&mut self, other: Recorded) {
        self.households.extend(other.households);
        self.visits.extend(other.visits);
        self.assists.extend(other.assists);
        self.sessions.extend(other.sessions);
        self.feedback.extend(other.feedback);
    }

    /// Queue entries (assists travel inside their visit).
    pub fn records(&self) -> u32 {
        (self.households.len() + self.visits.len() + self.sessions.len() + self.feedback.len())
            as u32
    }
}

pub fn no_cancel() -> &'static AtomicBool {
    static NO: AtomicBool = AtomicBool::new(false);
    &NO
}

impl Device {
    /// A fresh store, not enrolled.
    pub fn blank() -> (TempDir, StoreKey, Store) {
        let dir = tempfile::Builder::new()
            .prefix("gocua-phone-")
            .tempdir()
            .expect("temporary directory");
        let key = StoreKey::generate();
        let store = Store::open(dir.path().join("profile.db"), &key, Arc::new(SystemClock))
            .expect("open device store");
        (dir, key, store)
    }

    pub fn enrol_request(store: &Store, code: &str) -> EnrolRequest {
        EnrolRequest {
            protocol_version: PROTOCOL_VERSION,
            code: code.to_owned(),
            device_id: store.device_id(),
            device_label: DEVICE_LABEL.into(),
            app_version: APP_VERSION.into(),
        }
    }

    /// Enrols a new phone with `code`, keeps who it works for, and pulls reference data with a
    /// first sync (empty queue).
    pub fn enrol(server_url: &str, code: &str) -> Device {
        let (dir, key, store) = Device::blank();
        // The app's path: the store enrols and keeps token, server address and profile.
        let enrolment = store
            .enrol(server_url, code, DEVICE_LABEL, APP_VERSION)
            .expect("enrol with a fresh code");
        assert_eq!(enrolment.device_id, store.device_id());
        assert_eq!(store.server_url().unwrap().as_deref(), Some(server_url));
        assert_eq!(
            store
                .http_transport()
                .expect("transport from the store")
                .base_url(),
            server_url
        );
        Device::from_enrolment(server_url, dir, key, store, enrolment)
    }

    /// Finishes enrolment once the server answered: profile, transport, first sync.
    pub fn from_enrolment(
        server_url: &str,
        dir: TempDir,
        key: StoreKey,
        store: Store,
        enrolment: EnrolResponse,
    ) -> Device {
        store
            .set_profile(&DeviceProfile {
                volunteer_id: enrolment.volunteer_id,
                volunteer_name: enrolment.volunteer_name.clone(),
                team_id: enrolment.team_id,
            })
            .expect("set profile");
        let transport = transport(server_url, &enrolment.device_token);
        let device = Device {
            store,
            key,
            transport,
            token: enrolment.device_token.clone(),
            enrolment,
            server_url: server_url.to_owned(),
            dir,
        };
        let report = device.sync_clean(&device.transport);
        assert!(report.pulled, "the first sync pulls reference data");
        assert_eq!(report.sent, 0);
        let team = device
            .store
            .my_team()
            .expect("team arrives with the first pull");
        assert_eq!(team.id, device.enrolment.team_id);
        assert!(
            !device.store.services().expect("services").is_empty(),
            "the service catalogue arrives with the first pull"
        );
        device
    }

    pub fn device_id(&self) -> Uuid {
        self.store.device_id()
    }

    pub fn dir(&self) -> &std::path::Path {
        self.dir.path()
    }

    /// A transport with this device's token to another address (e.g. a proxy).
    pub fn transport_to(&self, url: &str) -> HttpTransport {
        transport(url, &self.token)
    }

    /// One sync pass through `t`, `batch` records per push.
    pub fn sync_via(&self, t: &dyn Transport, batch: usize) -> gocua_core::Result<SyncReport> {
        self.store.sync_once(t, batch, &|_| {}, no_cancel())
    }

    /// Syncs through `t` until the queue is empty, waiting out rate limiting and transient
    /// errors (bounded); panics on anything else.
    pub fn sync_clean(&self, t: &dyn Transport) -> SyncReport {
        let mut total = SyncReport::default();
        let mut last_error = None;
        for _ in 0..40 {
            match self.sync_via(t, DEFAULT_BATCH_SIZE) {
                Ok(r) => {
                    total.sent += r.sent;
                    total.accepted += r.accepted;
                    total.rejected += r.rejected;
                    total.pulled = r.pulled;
                    let q = self.store.queue_status().expect("queue status");
                    if q.pending == 0 && q.in_flight == 0 {
                        return total;
                    }
                }
                Err(gocua_core::Error::Transport(e)) if e.is_transient() => {
                    let wait = match &e {
                        TransportError::Unavailable {
                            retry_after: Some(d),
                            ..
                        } => (*d).min(Duration::from_secs(5)),
                        _ => Duration::from_millis(200),
                    };
                    last_error = Some(e);
                    std::thread::sleep(wait);
                }
                Err(e) => panic!("sync failed: {e:?}"),
            }
        }
        panic!("the queue did not empty after 40 sync passes; last error {last_error:?}");
    }

    /// Pushes `changes` as this device (bypassing its queue), waiting out rate limiting.
    pub fn push(&self, changes: Vec<Change>) -> Result<PushResponse, TransportError> {
        push_patiently(
            &self.transport,
            &PushRequest {
                protocol_version: PROTOCOL_VERSION,
                device_id: self.device_id(),
                changes,
            },
        )
    }

    fn team(&self) -> Team {
        self.store.my_team().expect("my team")
    }

    /// Records a household offline; returns it as stored (and sent).
    pub fn household(
        &self,
        commune: &str,
        hamlet: Option<&str>,
        head_name: &str,
        address: &str,
        members: u16,
    ) -> Household {
        let created = self
            .store
            .create_household(&HouseholdDraft {
                draft_key: None,
                commune_code: commune.into(),
                hamlet_code: hamlet.map(Into::into),
                address_line: address.into(),
                head_name: head_name.into(),
                phone: None,
                members,
                consent: None,
            })
            .expect("create household");
        self.store
            .household(created.id)
            .expect("household as stored")
    }

    /// A field day offline: `n` households in `commune` (some with consented phone numbers),
    /// each visited (most met, with services assisted), one door-to-door session and two pieces
    /// of feedback.
    pub fn record_field_day(&self, commune: &str, hamlet: Option<&str>, n: usize) -> Recorded {
        let mut rec = Recorded::default();
        let salt = rand::random::<u32>() as usize;
        let mut rng = StdRng::seed_from_u64(salt as u64);
        assert!(
            self.team().area_codes.iter().any(|c| c == commune),
            "{commune} is one of the device's team communes"
        );
        for i in 0..n {
            let k = salt.wrapping_add(i * 7);
            let name = person_name(&mut rng);
            let address = street_line(&mut rng);
            let with_phone = i % 3 == 0;
            let h = self
                .store
                .create_household(&HouseholdDraft {
                    draft_key: None,
                    commune_code: commune.into(),
                    hamlet_code: hamlet.map(Into::into),
                    address_line: address,
                    head_name: name,
                    phone: with_phone.then(|| format!("09{:08}", k % 100_000_000)),
                    members: 1 + (k % 6) as u16,
                    consent: with_phone.then_some(ConsentDraft {
                        given: true,
                        method: ConsentMethod::Verbal,
                    }),
                })
                .expect("create household");
            rec.households.push(h.id);
            let met = i % 4 != 3;
            let assists = if met {
                vec![
                    AssistDraft {
                        service_key: "birth_registration".into(),
                        level_43: None,
                        level_42: None,
                        result: AssistResult::Submitted,
                        dossier_code: Some(format!("H29.88-{:06}", k % 1_000_000)),
                        not_finished_reason: None,
                    },
                    AssistDraft {
                        service_key: "vneid_level2_activation".into(),
                        level_43: None,
                        level_42: None,
                        result: if i % 2 == 0 {
                            AssistResult::CompletedOnline
                        } else {
                            AssistResult::NotFinished
                        },
                        dossier_code: None,
                        not_finished_reason: (i % 2 == 1)
                            .then_some(NotFinishedReason::NoChipIdCard),
                    },
                ]
            } else {
                Vec::new()
            };
            let v = self
                .store
                .record_visit(&VisitDraft {
                    gps: Some(GeoPoint {
                        lat: 10.2415 + i as f64 * 0.0001,
                        lon: 106.3759,
                        accuracy_m: 12.0,
                    }),
                    note: met.then(|| "Hướng dẫn cài VNeID cho con trai".to_owned()),
                    assists,
                    ..crate::fieldwork::knock(h.id, met)
                })
                .expect("record visit");
            rec.visits.push(v.id);
            rec.assists.extend(v.assists.iter().map(|a| a.id));
        }
        let session = self
            .store
            .record_session(&SessionDraft {
                draft_key: None,
                campaign_id: None,
                kind: SessionKind::DoorToDoorDay,
                area_code: commune.into(),
                place: "Nhà văn hoá khu phố 1".into(),
                held_on: self.store.today().expect("reference data"),
                attendees: 35,
                materials: vec!["Tờ rơi hướng dẫn VNeID".into()],
                note: None,
            })
            .expect("record session");
        rec.sessions.push(session.id);
        let general = self
            .store
            .record_feedback(&FeedbackDraft {
                draft_key: None,
                source: FeedbackSource::Session(session.id),
                category: FeedbackCategory::Infrastructure,
                text: "Sóng 4G yếu ở cuối khu phố, khó nộp hồ sơ trực tuyến.".into(),
                area_code: Some(commune.into()),
            })
            .expect("record feedback");
        rec.feedback.push(general.id);
        if let Some(first_visit) = rec.visits.first() {
            let f = self
                .store
                .record_feedback(&FeedbackDraft {
                    draft_key: None,
                    source: FeedbackSource::Visit(*first_visit),
                    category: FeedbackCategory::PortalIssues,
                    text: "Cổng dịch vụ công báo lỗi khi thanh toán lệ phí.".into(),
                    area_code: None,
                })
                .expect("record feedback");
            rec.feedback.push(f.id);
        }
        rec
    }

    /// Asserts every queue entry was accepted: nothing pending, in flight or rejected.
    pub fn assert_all_accepted(&self, expected: u32) {
        let q = self.store.queue_status().expect("queue status");
        assert_eq!(
            (q.pending, q.in_flight, q.rejected, q.deleted, q.accepted),
            (0, 0, 0, 0, expected),
            "queue (pending, in flight, rejected, deleted, accepted) after a clean sync: {q:?}"
        );
    }
}

/// A transport with short timeouts (everything is on 127.0.0.1).
pub fn transport(url: &str, token: &str) -> HttpTransport {
    HttpTransport::with_timeouts(
        url,
        Some(token.to_owned()),
        Duration::from_secs(5),
        Duration::from_secs(30),
    )
    .expect("transport")
}

/// Pushes, waiting out 429 answers (bounded).
pub fn push_patiently(
    t: &dyn Transport,
    request: &PushRequest,
) -> Result<PushResponse, TransportError> {
    for _ in 0..30 {
        match t.push(request) {
            Err(TransportError::Unavailable {
                status: 429,
                retry_after,
            }) => {
                std::thread::sleep(
                    retry_after
                        .unwrap_or(Duration::from_secs(1))
                        .min(Duration::from_secs(5)),
                );
            }
            other => return other,
        }
    }
    panic!("still rate limited after 30 attempts");
}

/// A transport that remembers every push it carried (to replay them later).
pub struct RecordingTransport<T> {
    pub inner: T,
    pushes: Mutex<Vec<PushRequest>>,
}

impl<T: Transport> RecordingTransport<T> {
    pub fn new(inner: T) -> Self {
        RecordingTransport {
            inner,
            pushes: Mutex::new(Vec::new()),
        }
    }

    pub fn pushes(&self) -> Vec<PushRequest> {
        self.pushes.lock().unwrap().clone()
    }
}

impl<T: Transport> Transport for RecordingTransport<T> {
    fn push(&self, request: &PushRequest) -> Result<PushResponse, TransportError> {
        self.pushes.lock().unwrap().push(request.clone());
        self.inner.push(request)
    }

    fn pull(&self, request: &PullRequest) -> Result<PullResponse, TransportError> {
        self.inner.pull(request)
    }
}
