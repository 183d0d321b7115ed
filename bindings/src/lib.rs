//! The API the phone apps call: one [`FieldProfile`] object per device profile, records for
//! drafts and views, and a small error type. No business logic lives here — every call adapts
//! `gocua-core`.
//!
//! **Threading:** every method blocks (disk, and for `enrol`/`sync` the network). Call them from a
//! background thread (Kotlin: `Dispatchers.IO`; Swift: a detached task), never the UI thread.
//! A running `sync` is cancelled through its [`CancelHandle`].

mod error;
mod records;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use gocua_core::protocol::*;
use gocua_core::{policy, Store, StoreKey, SystemClock};

pub use error::{FieldKitError, FieldProblem};
pub use records::*;

uniffi::setup_scaffolding!();

type Result<T> = std::result::Result<T, FieldKitError>;

/// The file of a profile inside the app's data directory.
pub const STORE_FILE: &str = "gocua-profile.db";

/// Receives sync progress, for a progress bar. Called on the syncing thread.
#[uniffi::export(callback_interface)]
pub trait SyncListener: Send + Sync {
    fn on_progress(&self, sent: u32, total: u32);
}

/// Cancels a running sync; the records being sent go back to the queue, never lost.
#[derive(uniffi::Object, Default)]
pub struct CancelHandle {
    flag: AtomicBool,
}

#[uniffi::export]
impl CancelHandle {
    #[uniffi::constructor]
    pub fn new() -> Arc<Self> {
        Arc::new(CancelHandle::default())
    }
    pub fn cancel(&self) {
        self.flag.store(true, Ordering::SeqCst);
    }
    pub fn is_cancelled(&self) -> bool {
        self.flag.load(Ordering::SeqCst)
    }
}

/// A fresh random 32-byte key for a new profile (keep it in Android Keystore / iOS Keychain).
#[uniffi::export]
pub fn generate_key() -> Vec<u8> {
    StoreKey::generate().as_bytes().to_vec()
}

macro_rules! choices_of {
    ($t:ty) => {
        <$t>::KNOWN
            .iter()
            .map(|v| Choice {
                code: v.as_str().into(),
                label_vi: v.label_vi().into(),
                label_en: v.label_en().into(),
            })
            .collect()
    };
}

/// The values (and their labels) of a vocabulary: `visit_outcome`, `assist_result`,
/// `not_finished_reason`, `level_43`, `level_42`, `session_kind`, `feedback_category`,
/// `consent_method`. Unknown names give an empty list.
#[uniffi::export]
pub fn choices(vocabulary: String) -> Vec<Choice> {
    match vocabulary.as_str() {
        "visit_outcome" => choices_of!(VisitOutcome),
        "assist_result" => choices_of!(AssistResult),
        "not_finished_reason" => choices_of!(NotFinishedReason),
        "level_43" => choices_of!(Level43),
        "level_42" => choices_of!(Level42),
        "session_kind" => choices_of!(SessionKind),
        "feedback_category" => choices_of!(FeedbackCategory),
        "consent_method" => choices_of!(ConsentMethod),
        _ => Vec::new(),
    }
}

/// Whether to sync now, from what the platform knows (network, battery) and the user's setting.
/// `trigger`: `periodic`, `app_foreground` or `user_forced`.
#[uniffi::export]
pub fn decide_sync(facts: NetworkFacts, trigger: String, wifi_only: bool) -> SyncDecisionView {
    let trigger = match trigger.as_str() {
        "user_forced" => policy::SyncTrigger::UserForced,
        "app_foreground" => policy::SyncTrigger::AppForeground,
        _ => policy::SyncTrigger::Periodic,
    };
    let facts = policy::NetworkFacts {
        connected: facts.connected,
        unmetered: facts.unmetered,
        battery_percent: facts.battery_percent,
        charging: facts.charging,
        power_saver: facts.power_saver,
    };
    match policy::decide(&facts, trigger, wifi_only) {
        policy::SyncDecision::Now => SyncDecisionView {
            sync_now: true,
            reason_code: None,
            message_vi: None,
            message_en: None,
        },
        policy::SyncDecision::Wait {
            reason_code,
            message_vi,
            message_en,
        } => SyncDecisionView {
            sync_now: false,
            reason_code: Some(reason_code.into()),
            message_vi: Some(message_vi),
            message_en: Some(message_en),
        },
    }
}

/// One device profile: the encrypted store of one volunteer on one phone.
#[derive(uniffi::Object)]
pub struct FieldProfile {
    store: Mutex<Option<Arc<Store>>>,
}

impl FieldProfile {
    fn store(&self) -> Result<Arc<Store>> {
        self.store
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
            .ok_or_else(FieldKitError::closed)
    }
}

#[uniffi::export]
impl FieldProfile {
    /// Opens (creating and migrating as needed) the profile in `data_dir` with its 32-byte key.
    #[uniffi::constructor]
    pub fn open(data_dir: String, key: Vec<u8>) -> Result<Arc<Self>> {
        let key = StoreKey::from_bytes(&key)?;
        let dir = PathBuf::from(data_dir);
        std::fs::create_dir_all(&dir).map_err(|e| FieldKitError::Other {
            code: "storage".into(),
            message_vi: "Không tạo được thư mục dữ liệu trên điện thoại.".into(),
            message_en: format!("Cannot create the data directory: {e}"),
        })?;
        let store = Store::open(dir.join(STORE_FILE), &key, Arc::new(SystemClock))?;
        Ok(Arc::new(FieldProfile {
            store: Mutex::new(Some(Arc::new(store))),
        }))
    }

    /// Closes the store; later calls fail with `Closed`. Also happens when the object is freed.
    /// (Not `close`: uniffi objects are `AutoCloseable` in Kotlin, whose `close()` frees them.)
    pub fn close_profile(&self) {
        self.store.lock().unwrap_or_else(|e| e.into_inner()).take();
    }

    pub fn device_id(&self) -> Result<String> {
        Ok(self.store()?.device_id().to_string())
    }

    pub fn rekey(&self, new_key: Vec<u8>) -> Result<()> {
        Ok(self.store()?.rekey(&StoreKey::from_bytes(&new_key)?)?)
    }

    /// Joins the team with the coordinator's code, then downloads the team's reference data.
    pub fn enrol(
        &self,
        server_url: String,
        code: String,
        device_label: String,
        app_version: String,
    ) -> Result<ProfileView> {
        let store = self.store()?;
        store.enrol(&server_url, &code, &device_label, &app_version)?;
        let transport = store.http_transport()?;
        store.sync_once(
            &transport,
            gocua_core::DEFAULT_BATCH_SIZE,
            &|_| {},
            &AtomicBool::new(false),
        )?;
        self.profile()?
            .ok_or_else(|| gocua_core::Error::NotEnrolled.into())
    }

    pub fn profile(&self) -> Result<Option<ProfileView>> {
        let store = self.store()?;
        Ok(store.profile()?.map(|p| ProfileView {
            device_id: store.device_id().to_string(),
            volunteer_id: p.volunteer_id.to_string(),
            volunteer_name: p.volunteer_name,
            team_id: p.team_id.to_string(),
            team_name: store.team_name().ok().flatten(),
            server_url: store.server_url().ok().flatten(),
        }))
    }

    pub fn services(&self) -> Result<Vec<ServiceView>> {
        Ok(self
            .store()?
            .services()?
            .into_iter()
            .filter(|s| s.active)
            .map(|s| ServiceView {
                key: s.key,
                code: s.code,
                code_verified: s.code_verified,
                name_vi: s.name_vi,
                name_en: s.name_en,
                kind: s.kind.as_str().into(),
                level_42: s.level_42.map(|l| l.as_str().into()),
                level_43: s.level_43.map(|l| l.as_str().into()),
            })
            .collect())
    }

    /// The areas the team works in (communes or hamlets), as the coordinator set them.
    pub fn team_areas(&self) -> Result<Vec<AreaView>> {
        let store = self.store()?;
        let team = store.my_team()?;
        let mut out = Vec::new();
        for code in team.area_codes {
            if let Some(a) = store.area(&code)? {
                out.push(area_view(a));
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
            .map(area_view)
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

    pub fn list_households(
        &self,
        commune_code: String,
        hamlet_code: Option<String>,
        limit: u32,
        offset: u32,
    ) -> Result<Vec<HouseholdSummaryView>> {
        Ok(self
            .store()?
            .list_households(&commune_code, hamlet_code.as_deref(), limit, offset)?
            .iter()
            .map(Into::into)
            .collect())
    }

    /// Diacritic-insensitive search by head name, address or phone ("nguyen van a" finds
    /// "Nguyễn Văn Ả").
    pub fn search_households(
        &self,
        query: String,
        commune_code: Option<String>,
        hamlet_code: Option<String>,
        limit: u32,
    ) -> Result<Vec<HouseholdSummaryView>> {
        Ok(self
            .store()?
            .search_households(
                &query,
                commune_code.as_deref(),
                hamlet_code.as_deref(),
                limit,
            )?
            .iter()
            .map(Into::into)
            .collect())
    }

    /// Follow-ups due on or before `until` ("YYYY-MM-DD"; empty: today).
    pub fn follow_ups_due(&self, until: Option<String>) -> Result<Vec<FollowUpView>> {
        let store = self.store()?;
        let until = match until {
            Some(d) => parse_day("until", &d)?,
            None => store.local_today(),
        };
        Ok(store
            .follow_ups_due(until)?
            .iter()
            .map(|f| FollowUpView {
                household: (&f.household).into(),
                visit_id: f.visit_id.to_string(),
                follow_up_on: f.follow_up_on.to_string(),
            })
            .collect())
    }

    /// Erases a household's personal data on the person's request (anonymous counts stay).
    pub fn erase_household_personal_data(&self, id: String) -> Result<()> {
        Ok(self
            .store()?
            .erase_household_personal_data(parse_id("id", &id)?)?)
    }

    pub fn record_visit(&self, draft: VisitDraft) -> Result<VisitView> {
        Ok((&self.store()?.record_visit(&draft.to_core()?)?).into())
    }

    /// Records a correction of `visit_id` (a new revision; the old one stays as history).
    pub fn correct_visit(&self, visit_id: String, draft: VisitDraft) -> Result<VisitView> {
        Ok((&self
            .store()?
            .correct_visit(parse_id("visit_id", &visit_id)?, &draft.to_core()?)?)
            .into())
    }

    pub fn household_visits(&self, household_id: String) -> Result<Vec<VisitView>> {
        Ok(self
            .store()?
            .household_visits(parse_id("household_id", &household_id)?)?
            .iter()
            .map(Into::into)
            .collect())
    }

    pub fn visit_revisions(&self, visit_id: String) -> Result<Vec<VisitView>> {
        Ok(self
            .store()?
            .visit_revisions(parse_id("visit_id", &visit_id)?)?
            .iter()
            .map(Into::into)
            .collect())
    }

    pub fn record_session(&self, draft: SessionDraft) -> Result<String> {
        let session = self.store()?.record_session(&gocua_core::SessionDraft {
            campaign_id: draft
                .campaign_id
                .as_deref()
                .map(|c| parse_id("campaign_id", c))
                .transpose()?,
            kind: SessionKind::parse(&draft.kind),
            area_code: draft.area_code,
            place: draft.place,
            held_on: parse_day("held_on", &draft.held_on)?,
            attendees: draft.attendees,
            materials: draft.materials,
            note: draft.note,
        })?;
        Ok(session.id.to_string())
    }

    pub fn record_feedback(&self, draft: FeedbackDraft) -> Result<String> {
        let source = match (draft.source_type.as_str(), draft.source_id.as_deref()) {
            ("visit", Some(id)) => FeedbackSource::Visit(parse_id("source_id", id)?),
            ("session", Some(id)) => FeedbackSource::Session(parse_id("source_id", id)?),
            _ => FeedbackSource::General,
        };
        let feedback = self.store()?.record_feedback(&gocua_core::FeedbackDraft {
            source,
            category: FeedbackCategory::parse(&draft.category),
            text: draft.text,
            area_code: draft.area_code,
        })?;
        Ok(feedback.id.to_string())
    }

    pub fn my_counts(&self) -> Result<CountsView> {
        let counts = self.store()?.my_counts()?;
        Ok(CountsView {
            today: (&counts.today).into(),
            this_week: (&counts.this_week).into(),
            campaign_name: counts.campaign.as_ref().map(|(c, _)| c.name.clone()),
            campaign: counts.campaign.as_ref().map(|(_, t)| t.into()),
        })
    }

    pub fn team_progress(&self) -> Result<Vec<TargetProgressView>> {
        Ok(self
            .store()?
            .team_progress(None)?
            .into_iter()
            .map(|p| TargetProgressView {
                indicator: p.target.indicator.as_str().into(),
                label_vi: p.target.indicator.label_vi().into(),
                label_en: p.target.indicator.label_en().into(),
                target: p.target.value,
                achieved: p.achieved,
                achieved_on_server: p.achieved_on_server,
                achieved_waiting: p.achieved_waiting,
                percent: p.percent,
            })
            .collect())
    }

    pub fn clock_warning(&self) -> Result<Option<ClockWarningView>> {
        Ok(self.store()?.clock_warning()?.map(|w| ClockWarningView {
            code: w.code.into(),
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
            oldest_pending_age_secs: s.oldest_pending_age_secs,
            last_sync_at_ms: s
                .last_sync
                .as_ref()
                .map(|l| l.finished_at.timestamp_millis()),
            last_sync_outcome: s.last_sync.as_ref().map(|l| l.outcome.clone()),
            last_sync_message_vi: s.last_sync.as_ref().and_then(|l| l.message_vi.clone()),
            last_sync_message_en: s.last_sync.as_ref().and_then(|l| l.message_en.clone()),
        })
    }

    /// Records the server refused, each with its reason, for the Queue screen.
    pub fn rejected_items(&self) -> Result<Vec<QueueItemView>> {
        Ok(self
            .store()?
            .rejected_entries()?
            .iter()
            .map(Into::into)
            .collect())
    }

    pub fn pending_items(&self) -> Result<Vec<QueueItemView>> {
        Ok(self
            .store()?
            .pending_entries()?
            .iter()
            .map(Into::into)
            .collect())
    }

    /// Sends a rejected record again unchanged (after the coordinator fixed the cause).
    pub fn requeue(&self, kind: String, record_id: String) -> Result<()> {
        Ok(self.store()?.requeue(
            &RecordKind::parse(&kind),
            parse_id("record_id", &record_id)?,
        )?)
    }

    /// Uploads the queue and downloads reference data, retrying transient failures with backoff
    /// (at most `max_attempts` tries). Blocking; cancel with `cancel`.
    pub fn sync(
        &self,
        listener: Box<dyn SyncListener>,
        cancel: Arc<CancelHandle>,
        max_attempts: u32,
    ) -> Result<SyncReportView> {
        let store = self.store()?;
        let transport = store.http_transport()?;
        let report = store.sync_with_retry(
            &transport,
            gocua_core::DEFAULT_BATCH_SIZE,
            max_attempts.max(1),
            &|p: gocua_core::SyncProgress| listener.on_progress(p.sent, p.total),
            &cancel.flag,
        )?;
        Ok(SyncReportView {
            sent: report.sent,
            accepted: report.accepted,
            rejected: report.rejected,
        })
    }
}

fn area_view(a: Area) -> AreaView {
    AreaView {
        code: a.code,
        name: a.name,
        level: a.level.as_str().into(),
        division_type: a.division_type,
        parent_code: a.parent_code,
    }
}
