//! The API the phone apps call: one [`FieldProfile`] object per device profile, records for
//! drafts and views, typed vocabularies, text helpers and a small error type. No business logic
//! lives here — every call adapts `gocua-core` and `gocua-protocol`. `docs/phone-api.md` is the
//! guide for app engineers.
//!
//! **Threading:** every synchronous method blocks on disk. Call them off the UI thread (Kotlin:
//! `Dispatchers.IO`; Swift: a detached task or a background actor). `enrol` and `sync` also use
//! the network and are `async` (Kotlin `suspend`, Swift `async`): they run on a thread of their
//! own, and cancelling the coroutine or `Task` cancels them — records in flight go back to the
//! queue, nothing is lost.
//!
//! **Namespaces:** the vocabularies (`VisitOutcome`, `AssistResult`, `Lang`, …) are exported by
//! `gocua-protocol` (Kotlin package `uniffi.gocua_protocol`), the sync policy's enums
//! (`SyncTrigger`, `SyncWaitReason`) by `gocua-core` (`uniffi.gocua_core`), everything else here
//! (`uniffi.gocua_ffi`).

mod coverage;
mod error;
mod figures;
mod guides;
mod records;
mod task;
mod text;
mod types;
mod vocab;
mod walk;
mod watch;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use gocua_core::protocol::format::Lang;
use gocua_core::protocol::*;
use gocua_core::{policy, DraftForm, QueueFilter, Store, StoreKey, SystemClock};

pub use coverage::*;
pub use error::{FieldKitError, FieldProblem};
pub use figures::*;
pub use guides::*;
pub use records::*;
pub use text::*;
pub use types::CalendarDay;
pub use vocab::*;
pub use walk::*;
pub use watch::*;

uniffi::setup_scaffolding!();

type Result<T> = std::result::Result<T, FieldKitError>;

/// The file of a profile inside the app's data directory.
pub const STORE_FILE: &str = "gocua-profile.db";

/// How many records a sync sends per request.
const BATCH_SIZE: usize = gocua_core::DEFAULT_BATCH_SIZE;

/// Receives sync progress, for a progress bar. Called on the sync's own thread (not the UI
/// thread): post to the UI from there.
#[uniffi::export(callback_interface)]
pub trait SyncListener: Send + Sync {
    /// `sent` of `total` records sent so far; first `(0, total)`, last `(total, total)`.
    fn on_progress(&self, sent: u32, total: u32);
}

/// A fresh random 32-byte key for a new profile (keep it in Android Keystore / iOS Keychain).
#[uniffi::export]
pub fn generate_key() -> Vec<u8> {
    StoreKey::generate().as_bytes().to_vec()
}

/// Whether to sync now, from what the platform knows (network, battery), what asked for the sync,
/// the volunteer's "wifi only" setting and, for "Gửi ngay" (`USER_FORCED`) only, whether the
/// volunteer chose "Gửi bằng dữ liệu di động lần này" (`mobile_data_once`): without it, "Gửi ngay"
/// on mobile data with "wifi only" on waits for wifi like the automatic triggers.
#[uniffi::export(default(mobile_data_once = false))]
pub fn decide_sync(
    facts: NetworkFacts,
    trigger: policy::SyncTrigger,
    wifi_only: bool,
    mobile_data_once: bool,
) -> SyncDecisionView {
    let facts = watch::core_facts(&facts);
    match policy::decide(&facts, trigger, wifi_only, mobile_data_once) {
        policy::SyncDecision::Now => SyncDecisionView {
            sync_now: true,
            reason: None,
            message_vi: None,
            message_en: None,
        },
        policy::SyncDecision::Wait {
            reason,
            message_vi,
            message_en,
        } => SyncDecisionView {
            sync_now: false,
            reason: Some(reason),
            message_vi: Some(message_vi),
            message_en: Some(message_en),
        },
    }
}

fn store_path(data_dir: &str) -> PathBuf {
    PathBuf::from(data_dir).join(STORE_FILE)
}

/// The way back when the platform lost the profile's key (a restored phone, a reset Keystore):
/// after `FieldProfile.open` failed with `WrongKey`, this deletes the store in `data_dir` that
/// nothing can read any more, so `open` with a new key creates an empty profile to enrol again.
/// Records that were never sent are lost with it: nobody can decrypt them any more. Call it only
/// after `WrongKey`, never to "reset" a profile that opens (that is `unenrol`). Missing files are
/// fine.
#[uniffi::export]
pub fn discard_unreadable_store(data_dir: String) -> Result<()> {
    gocua_core::discard_unreadable_store(store_path(&data_dir))?;
    Ok(())
}

/// One device profile: the encrypted store of one volunteer on one phone.
#[derive(uniffi::Object)]
pub struct FieldProfile {
    store: Mutex<Option<Arc<Store>>>,
    /// One sync (or enrolment) at a time: a new one waits for a cancelled one to wind down.
    sync_gate: Arc<Mutex<()>>,
    /// Cancellation flags of the syncs and enrolments running or waiting their turn.
    running: Arc<Mutex<Vec<Arc<AtomicBool>>>>,
}

/// Takes a finished (or dropped) call's flag off the profile's list.
struct Running {
    list: Arc<Mutex<Vec<Arc<AtomicBool>>>>,
    flag: Arc<AtomicBool>,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.list
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|f| !Arc::ptr_eq(f, &self.flag));
    }
}

impl FieldProfile {
    /// Awaits a sync or enrolment, registered so that `cancel_sync` can reach it.
    async fn cancellable<T>(&self, call: task::Blocking<Result<T>>) -> Result<T> {
        let flag = call.cancel_flag();
        self.running
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(flag.clone());
        let _running = Running {
            list: self.running.clone(),
            flag,
        };
        call.await
    }

    /// Runs a sync or an enrolment on its own thread: one at a time per profile (a new one waits
    /// for a cancelled one to wind down), registered so that `cancel_sync` can reach it, and not
    /// started at all when it was cancelled while waiting its turn.
    async fn one_network_call<T: Send + 'static>(
        &self,
        thread_name: &str,
        work: impl FnOnce(&Store, &AtomicBool) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let store = self.store()?;
        let gate = self.sync_gate.clone();
        self.cancellable(task::spawn(thread_name, move |cancel| {
            let _one_at_a_time = gate.lock().unwrap_or_else(|e| e.into_inner());
            if cancel.load(Ordering::SeqCst) {
                return Err(gocua_core::Error::Cancelled.into());
            }
            work(&store, cancel)
        }))
        .await
    }

    fn store(&self) -> Result<Arc<Store>> {
        self.store
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
            .ok_or_else(FieldKitError::closed)
    }

    fn profile_view(store: &Store) -> Result<Option<ProfileView>> {
        Ok(store.profile()?.map(|p| ProfileView {
            device_id: store.device_id().to_string(),
            volunteer_id: p.volunteer_id.to_string(),
            volunteer_name: p.volunteer_name,
            team_id: p.team_id.to_string(),
            team_name: store.team_name().ok().flatten(),
            server_url: store.server_url().ok().flatten(),
        }))
    }

    fn service_names(store: &Store) -> Result<ServiceNames> {
        Ok(store
            .services()?
            .into_iter()
            .map(|s| (s.key, (s.name_vi, s.name_en)))
            .collect())
    }

    /// The visits `read` finds, as views naming their services.
    fn visit_views(
        &self,
        read: impl FnOnce(&Store) -> gocua_core::Result<Vec<gocua_core::protocol::Visit>>,
    ) -> Result<Vec<VisitView>> {
        let store = self.store()?;
        let names = Self::service_names(&store)?;
        Ok(read(&store)?
            .iter()
            .map(|v| visit_view(v, &names))
            .collect())
    }
}

#[uniffi::export]
impl FieldProfile {
    /// Opens (creating and migrating as needed) the profile in `data_dir` with its 32-byte key.
    /// A key that does not open it gives `WrongKey` (see `discard_unreadable_store`).
    #[uniffi::constructor]
    pub fn open(data_dir: String, key: Vec<u8>) -> Result<Arc<Self>> {
        let key = StoreKey::from_bytes(&key)?;
        let dir = PathBuf::from(&data_dir);
        std::fs::create_dir_all(&dir).map_err(|e| FieldKitError::Other {
            code: "storage".into(),
            message_vi: "Không tạo được thư mục dữ liệu trên điện thoại.".into(),
            message_en: format!("Cannot create the data directory: {e}"),
        })?;
        let store = Store::open(store_path(&data_dir), &key, Arc::new(SystemClock))?;
        Ok(Arc::new(FieldProfile {
            store: Mutex::new(Some(Arc::new(store))),
            sync_gate: Arc::new(Mutex::new(())),
            running: Arc::default(),
        }))
    }

    /// Closes the store; later calls fail with `Closed`. Also happens when the object is freed.
    /// (Not `close`: uniffi objects are `AutoCloseable` in Kotlin, whose `close()` frees them.)
    pub fn close_profile(&self) {
        self.store.lock().unwrap_or_else(|e| e.into_inner()).take();
    }

    /// This installation's id (made on first open).
    pub fn device_id(&self) -> Result<String> {
        Ok(self.store()?.device_id().to_string())
    }

    /// Re-encrypts the store under `new_key`; the old key stops working at once.
    pub fn rekey(&self, new_key: Vec<u8>) -> Result<()> {
        Ok(self.store()?.rekey(&StoreKey::from_bytes(&new_key)?)?)
    }

    /// Whether the profile has joined a team.
    pub fn is_enrolled(&self) -> Result<bool> {
        Ok(self.store()?.is_enrolled()?)
    }

    /// Joins the team with the coordinator's one-time code, then downloads the team's reference
    /// data (areas, services, campaign). Refused with `AlreadyEnrolled` when the profile already
    /// belongs to a team. Cancelling after the server accepted the code leaves the profile
    /// enrolled (the code is used up); the reference data then come with the next `sync`.
    pub async fn enrol(
        &self,
        server_url: String,
        code: String,
        device_label: String,
        app_version: String,
    ) -> Result<ProfileView> {
        self.one_network_call("gocua-enrol", move |store, cancel| {
            store.enrol(&server_url, &code, &device_label, &app_version)?;
            let transport = store.http_transport()?;
            store.sync_once(&transport, BATCH_SIZE, &|_| {}, cancel)?;
            Self::profile_view(store)?.ok_or_else(|| gocua_core::Error::NotEnrolled.into())
        })
        .await
    }

    /// The volunteer and team this profile works for; `None` before enrolment.
    pub fn profile(&self) -> Result<Option<ProfileView>> {
        let store = self.store()?;
        Self::profile_view(&store)
    }

    /// Leaves the team: removes the server address and token, the team's reference data and
    /// every record, leaving an empty profile (same key, same device id) that can enrol again.
    /// Refused with `UnsentRecords` while records are not on the server — unless
    /// `discard_after_export` and `export_unsent` exported them all with nothing recorded since.
    /// Refused (`Other`, code `sync_in_progress`) while a sync runs.
    #[uniffi::method(default(discard_after_export = false))]
    pub fn unenrol(&self, discard_after_export: bool) -> Result<()> {
        Ok(self.store()?.unenrol(discard_after_export)?)
    }

    /// How many records are not on the server (waiting, being sent, or refused).
    pub fn unsent_count(&self) -> Result<u32> {
        Ok(self.store()?.unsent_count()?)
    }

    /// Every record the server has not accepted, as JSON (`"format": "gocua-unsent-records"`:
    /// the records exactly as a sync sends them, with their queue state and refusal reasons), for
    /// the volunteer to hand over — e.g. share as a file — before `unenrol(true)`.
    pub fn export_unsent(&self) -> Result<String> {
        Ok(self.store()?.export_unsent()?)
    }

    /// Today in the deployment's calendar (Vietnam's unless the server says otherwise), whatever
    /// time zone the phone is set to.
    pub fn today(&self) -> Result<CalendarDay> {
        Ok(self.store()?.today()?)
    }

    /// "14:05, 25/11/2026": an instant in the deployment's calendar.
    pub fn format_day_time(&self, at: std::time::SystemTime, lang: Lang) -> Result<String> {
        let calendar = self.store()?.calendar()?;
        Ok(format::day_time(types::from_instant(at), &calendar, lang))
    }

    /// The services of the catalogue that can be chosen now.
    pub fn services(&self) -> Result<Vec<ServiceView>> {
        Ok(self
            .store()?
            .services()?
            .iter()
            .filter(|s| s.active)
            .map(ServiceView::from)
            .collect())
    }

    /// The areas the team works in (communes or hamlets), as the coordinator set them.
    pub fn team_areas(&self) -> Result<Vec<AreaView>> {
        let store = self.store()?;
        let team = store.my_team()?;
        let mut out = Vec::new();
        for code in team.area_codes {
            if let Some(a) = store.area(&code)? {
                out.push(a.into());
            }
        }
        Ok(out)
    }

    /// Areas directly under `parent_code`, e.g. the hamlets of a commune.
    pub fn child_areas(&self, parent_code: String) -> Result<Vec<AreaView>> {
        Ok(self
            .store()?
            .child_areas(&parent_code)?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    pub fn create_household(&self, draft: HouseholdDraft) -> Result<HouseholdView> {
        Ok((&self.store()?.create_household(&draft.to_core())?).into())
    }

    pub fn update_household(&self, id: String, draft: HouseholdDraft) -> Result<HouseholdView> {
        Ok((&self
            .store()?
            .update_household(parse_id("id", &id)?, &draft.to_core())?)
            .into())
    }

    pub fn household(&self, id: String) -> Result<HouseholdView> {
        Ok((&self.store()?.household(parse_id("id", &id)?)?).into())
    }

    /// The households of a commune (every commune of the team when `None`), optionally of one
    /// hamlet, by name, one page at a time: `page_size` per page; pass the page's `next` as
    /// `after` for the following one (`None` for the first). Every household is on exactly one
    /// page, however many there are.
    #[uniffi::method(default(commune_code = None, hamlet_code = None, page_size = 50, after = None))]
    pub fn list_households(
        &self,
        commune_code: Option<String>,
        hamlet_code: Option<String>,
        page_size: u32,
        after: Option<String>,
    ) -> Result<HouseholdPage> {
        Ok((&self.store()?.list_households_page(
            commune_code.as_deref(),
            hamlet_code.as_deref(),
            page_size,
            after.as_deref(),
        )?)
            .into())
    }

    /// Diacritic-insensitive search by head name, address or phone ("nguyen van a" finds
    /// "Nguyễn Văn Ả"), optionally within a commune or hamlet, paged like `list_households`. An
    /// empty query lists the commune's households (nothing without a commune).
    #[uniffi::method(default(commune_code = None, hamlet_code = None, page_size = 50, after = None))]
    pub fn search_households(
        &self,
        query: String,
        commune_code: Option<String>,
        hamlet_code: Option<String>,
        page_size: u32,
        after: Option<String>,
    ) -> Result<HouseholdPage> {
        Ok((&self.store()?.search_households_page(
            &query,
            commune_code.as_deref(),
            hamlet_code.as_deref(),
            page_size,
            after.as_deref(),
        )?)
            .into())
    }

    /// "Chưa đến": the households of a commune (optionally one hamlet), erased ones left out, with
    /// no visit in the campaign running today (no visit at all when none is running), by name
    /// and paged like `list_households`.
    #[uniffi::method(default(hamlet_code = None, page_size = 50, after = None))]
    pub fn households_not_visited(
        &self,
        commune_code: String,
        hamlet_code: Option<String>,
        page_size: u32,
        after: Option<String>,
    ) -> Result<HouseholdPage> {
        Ok((&self.store()?.households_not_visited(
            &commune_code,
            hamlet_code.as_deref(),
            page_size,
            after.as_deref(),
        )?)
            .into())
    }

    /// How many of the area's households the campaign running today has reached, of how many:
    /// the count beside `households_not_visited`. Without a commune: all the team's households.
    #[uniffi::method(default(commune_code = None, hamlet_code = None))]
    pub fn coverage(
        &self,
        commune_code: Option<String>,
        hamlet_code: Option<String>,
    ) -> Result<CoverageView> {
        Ok(self
            .store()?
            .coverage(commune_code.as_deref(), hamlet_code.as_deref())?
            .into())
    }

    /// Follow-ups due on or before `until` (default: today in the deployment's calendar).
    #[uniffi::method(default(until = None))]
    pub fn follow_ups_due(&self, until: Option<CalendarDay>) -> Result<Vec<FollowUpView>> {
        let store = self.store()?;
        let until = match until {
            Some(d) => d,
            None => store.today()?,
        };
        Ok(store
            .follow_ups_due(until)?
            .iter()
            .map(|f| FollowUpView {
                household: (&f.household).into(),
                visit_id: f.visit_id.to_string(),
                follow_up_on: f.follow_up_on,
            })
            .collect())
    }

    /// Keeps a half-filled form on the phone (replacing the one under the same `form` and `key`):
    /// `body` is the app's own text (e.g. JSON of the fields as typed), never validated, never
    /// sent. Pass the same key as `draft_key` when saving the record and the draft goes with it.
    pub fn save_draft(&self, form: DraftForm, key: String, body: String) -> Result<()> {
        Ok(self.store()?.save_draft(form, &key, &body)?)
    }

    /// The draft kept for `form` under `key`, if any.
    pub fn draft(&self, form: DraftForm, key: String) -> Result<Option<DraftView>> {
        Ok(self.store()?.draft(form, &key)?.map(|d| DraftView {
            body: d.body,
            updated_at: types::instant(d.updated_at),
        }))
    }

    /// The drafts kept for `form`, newest first.
    pub fn drafts(&self, form: DraftForm) -> Result<Vec<DraftEntry>> {
        Ok(self
            .store()?
            .drafts(form)?
            .into_iter()
            .map(|(key, at)| DraftEntry {
                key,
                updated_at: types::instant(at),
            })
            .collect())
    }

    /// Deletes the draft of `form` under `key` (the volunteer threw the form away).
    pub fn discard_draft(&self, form: DraftForm, key: String) -> Result<()> {
        Ok(self.store()?.discard_draft(form, &key)?)
    }

    /// Erases a household's personal data on the person's request (anonymous counts stay).
    pub fn erase_household_personal_data(&self, id: String) -> Result<()> {
        Ok(self
            .store()?
            .erase_household_personal_data(parse_id("id", &id)?)?)
    }

    pub fn record_visit(&self, draft: VisitDraft) -> Result<VisitView> {
        let store = self.store()?;
        let visit = store.record_visit(&draft.to_core()?)?;
        Ok(visit_view(&visit, &Self::service_names(&store)?))
    }

    /// Records a correction of `visit_id` (a new revision; the old one stays as history).
    pub fn correct_visit(&self, visit_id: String, draft: VisitDraft) -> Result<VisitView> {
        let store = self.store()?;
        let visit = store.correct_visit(parse_id("visit_id", &visit_id)?, &draft.to_core()?)?;
        Ok(visit_view(&visit, &Self::service_names(&store)?))
    }

    /// The current revision of every visit to a household, newest first.
    pub fn household_visits(&self, household_id: String) -> Result<Vec<VisitView>> {
        let id = parse_id("household_id", &household_id)?;
        self.visit_views(|store| store.household_visits(id))
    }

    /// Every revision of a visit (the original and its corrections).
    pub fn visit_revisions(&self, visit_id: String) -> Result<Vec<VisitView>> {
        let id = parse_id("visit_id", &visit_id)?;
        self.visit_views(|store| store.visit_revisions(id))
    }

    /// Records an outreach session; returns its id.
    pub fn record_session(&self, draft: SessionDraft) -> Result<String> {
        Ok(self
            .store()?
            .record_session(&draft.to_core()?)?
            .id
            .to_string())
    }

    /// The outreach session `id`, as the session form's fields (to correct it).
    pub fn session(&self, id: String) -> Result<SessionDraft> {
        let s = self.store()?.session(parse_id("id", &id)?)?;
        Ok(SessionDraft {
            kind: s.kind,
            area_code: s.area_code,
            place: s.place,
            held_on: s.held_on,
            attendees: s.attendees,
            materials: s.materials,
            note: s.note,
            campaign_id: s.campaign_id.map(|c| c.to_string()),
            draft_key: None,
        })
    }

    /// Corrects an outreach session the server has not taken (one it refused, fixed from the
    /// queue): the same record with the fields as corrected, queued again. Refused with
    /// `Other`, code `already_on_server`, once the server accepted it.
    pub fn correct_session(&self, session_id: String, draft: SessionDraft) -> Result<String> {
        Ok(self
            .store()?
            .correct_session(parse_id("session_id", &session_id)?, &draft.to_core()?)?
            .id
            .to_string())
    }

    /// Records a difficulty or recommendation; returns its id.
    pub fn record_feedback(&self, draft: FeedbackDraft) -> Result<String> {
        Ok(self
            .store()?
            .record_feedback(&draft.to_core()?)?
            .id
            .to_string())
    }

    /// The volunteer's own counts: today, this week, the current campaign.
    pub fn my_counts(&self) -> Result<CountsView> {
        let counts = self.store()?.my_counts()?;
        let (campaign_name, campaign) = counts.campaign.map(|(c, t)| (c.name, t)).unzip();
        Ok(CountsView {
            today: counts.today,
            this_week: counts.this_week,
            campaign_name,
            campaign,
        })
    }

    /// The team's targets in the current campaign and how far they are.
    pub fn team_progress(&self) -> Result<Vec<TargetProgressView>> {
        Ok(self
            .store()?
            .team_progress(None)?
            .into_iter()
            .map(|p| TargetProgressView {
                indicator: p.target.indicator,
                target: p.target.value,
                achieved: p.achieved,
                achieved_on_server: p.achieved_on_server,
                achieved_waiting: p.achieved_waiting,
                percent: p.percent,
                starts_on: p.target.starts_on,
                ends_on: p.target.ends_on,
            })
            .collect())
    }

    /// Whether the phone's clock looks wrong right now.
    pub fn clock_warning(&self) -> Result<Option<ClockWarningView>> {
        Ok(self.store()?.clock_warning()?.map(|w| ClockWarningView {
            kind: ClockWarningKind::parse(w.code),
            message_vi: w.message_vi.into(),
            message_en: w.message_en.into(),
        }))
    }

    pub fn queue_status(&self) -> Result<QueueStatusView> {
        let s = self.store()?.queue_status()?;
        Ok(QueueStatusView {
            pending: s.pending,
            in_flight: s.in_flight,
            accepted: s.accepted,
            rejected: s.rejected,
            deleted: s.deleted,
            oldest_pending_age_secs: s.oldest_pending_age_secs,
            last_sync: s.last_sync.as_ref().map(Into::into),
        })
    }

    /// The queue's records in `filter` (`UNSENT`: every record not on the server), oldest first, each with what the Queue screen shows: kind, title, a visit's service names, and
    /// for a refused record the server's reason with the label of the field it names.
    pub fn queue_items(&self, filter: QueueFilter) -> Result<Vec<QueueItemView>> {
        Ok(self
            .store()?
            .queue_items(filter)?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// `queue_items(QueueFilter.WAITING)`: records waiting to be sent or being sent.
    pub fn pending_items(&self) -> Result<Vec<QueueItemView>> {
        self.queue_items(QueueFilter::Waiting)
    }

    /// `queue_items(QueueFilter.REJECTED)`: records the server refused, with its reasons.
    pub fn rejected_items(&self) -> Result<Vec<QueueItemView>> {
        self.queue_items(QueueFilter::Rejected)
    }

    /// Sends a rejected record again unchanged (after the coordinator fixed the cause).
    pub fn requeue(&self, kind: RecordKind, record_id: String) -> Result<()> {
        Ok(self
            .store()?
            .requeue(&kind, parse_id("record_id", &record_id)?)?)
    }

    /// Uploads the queue and downloads reference data, retrying transient failures with backoff
    /// (at most `max_attempts` tries). `listener` hears the progress on the sync's thread.
    /// Cancel by cancelling the coroutine / `Task`: the records in flight go back to the queue.
    /// A second sync waits for the first to finish.
    #[uniffi::method(default(listener = None, max_attempts = 3))]
    pub async fn sync(
        &self,
        listener: Option<Box<dyn SyncListener>>,
        max_attempts: u32,
    ) -> Result<SyncReportView> {
        self.one_network_call("gocua-sync", move |store, cancel| {
            let transport = store.http_transport()?;
            let report = store.sync_with_retry(
                &transport,
                BATCH_SIZE,
                max_attempts.max(1),
                &|p: gocua_core::SyncProgress| {
                    if let Some(l) = &listener {
                        l.on_progress(p.sent, p.total)
                    }
                },
                cancel,
            )?;
            Ok(SyncReportView::from(&report))
        })
        .await
    }

    /// Stops the sync (or enrolment) running on this profile, and any waiting for its turn: it
    /// ends with `Cancelled` before its next step and the records in flight go back to the queue.
    /// In Kotlin, cancelling the coroutine does the same. Swift needs this call: uniffi 0.32's
    /// Swift runtime does not pass a `Task`'s cancellation to Rust, so call it from
    /// `withTaskCancellationHandler` (or a Stop button, or a background task's expiration).
    pub fn cancel_sync(&self) {
        for flag in self
            .running
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
        {
            flag.store(true, Ordering::SeqCst);
        }
    }
}

#[cfg(test)]
mod tests;
