//! Records that cross the FFI: drafts the app fills in and views it shows.
//!
//! * Vocabularies are typed enums (`VisitOutcome`, `AssistResult`, …), never strings.
//! * Instants are `SystemTime` (Kotlin `Instant`, Swift `Date`, Python `datetime`); calendar days
//!   are [`CalendarDay`] (Kotlin `LocalDate`, Swift/Python the ISO string) — see `types.rs`.
//! * Ids are the records' UUIDs as strings.
//! * In drafts, optional fields default to null and lists to empty, so an app names only what
//!   the volunteer filled in.

use std::collections::HashMap;
use std::time::SystemTime;

use gocua_core::policy::SyncWaitReason;
use gocua_core::protocol::*;
use gocua_core::{DraftForm, QueueFilter};
use uuid::Uuid;

use crate::error::FieldKitError;
use crate::types::{from_instant, instant, CalendarDay};
use crate::vocab::{ClockWarningKind, LastSyncOutcome, ProblemCode, QueueEntryState};

pub(crate) fn parse_id(field: &str, s: &str) -> Result<Uuid, FieldKitError> {
    Uuid::parse_str(s.trim()).map_err(|_| {
        FieldKitError::invalid_input(
            field,
            format!("Mã \"{s}\" không hợp lệ."),
            format!("Id \"{s}\" is not valid."),
        )
    })
}

fn parse_opt_id(field: &str, s: &Option<String>) -> Result<Option<Uuid>, FieldKitError> {
    s.as_deref().map(|s| parse_id(field, s)).transpose()
}

/// The person's consent as the volunteer records it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ConsentDraft {
    /// Whether the person agreed to keep their contact details.
    pub given: bool,
    pub method: ConsentMethod,
}

impl ConsentDraft {
    pub(crate) fn to_core(&self) -> gocua_core::ConsentDraft {
        gocua_core::ConsentDraft {
            given: self.given,
            method: self.method.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HouseholdDraft {
    pub commune_code: String,
    pub address_line: String,
    pub head_name: String,
    /// People living in the household.
    pub members: u16,
    #[uniffi(default)]
    pub hamlet_code: Option<String>,
    /// Kept only with consent.
    #[uniffi(default)]
    pub phone: Option<String>,
    /// `None` when not asked.
    #[uniffi(default)]
    pub consent: Option<ConsentDraft>,
    /// The key of this form's draft (`saveDraft`), deleted when the record is stored; a refused
    /// save keeps it.
    #[uniffi(default)]
    pub draft_key: Option<String>,
}

impl HouseholdDraft {
    pub(crate) fn to_core(&self) -> gocua_core::HouseholdDraft {
        gocua_core::HouseholdDraft {
            commune_code: self.commune_code.clone(),
            hamlet_code: self.hamlet_code.clone(),
            address_line: self.address_line.clone(),
            head_name: self.head_name.clone(),
            phone: self.phone.clone(),
            members: self.members,
            consent: self.consent.as_ref().map(ConsentDraft::to_core),
            draft_key: self.draft_key.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HouseholdView {
    pub id: String,
    pub commune_code: String,
    pub hamlet_code: Option<String>,
    pub address_line: String,
    pub head_name: String,
    pub phone: Option<String>,
    pub members: u16,
    pub consent_given: bool,
    pub erased: bool,
    pub created_at: SystemTime,
}

impl From<&Household> for HouseholdView {
    fn from(h: &Household) -> Self {
        HouseholdView {
            id: h.id.to_string(),
            commune_code: h.commune_code.clone(),
            hamlet_code: h.hamlet_code.clone(),
            address_line: h.address_line.clone(),
            head_name: h.head_name.clone(),
            phone: h.phone.clone(),
            members: h.members,
            consent_given: h.has_contact_consent(),
            erased: h.erased,
            created_at: instant(h.created.utc),
        }
    }
}

/// One line of a household list.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HouseholdSummaryView {
    pub id: String,
    pub commune_code: String,
    pub hamlet_code: Option<String>,
    pub head_name: String,
    pub address_line: String,
    pub phone: Option<String>,
    pub members: u16,
    pub erased: bool,
    pub last_visit_at: Option<SystemTime>,
    pub last_outcome: Option<VisitOutcome>,
    pub follow_up_on: Option<CalendarDay>,
}

impl From<&gocua_core::HouseholdSummary> for HouseholdSummaryView {
    fn from(s: &gocua_core::HouseholdSummary) -> Self {
        HouseholdSummaryView {
            id: s.id.to_string(),
            commune_code: s.commune_code.clone(),
            hamlet_code: s.hamlet_code.clone(),
            head_name: s.head_name.clone(),
            address_line: s.address_line.clone(),
            phone: s.phone.clone(),
            members: s.members,
            erased: s.erased,
            last_visit_at: s.last_visit_at.map(instant),
            last_outcome: s.last_outcome.clone(),
            follow_up_on: s.follow_up_on,
        }
    }
}

/// One page of a household list or search.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HouseholdPage {
    pub items: Vec<HouseholdSummaryView>,
    /// Pass it as `after` to get the following page; `None` on the last page. Opaque: keep it as
    /// given.
    pub next: Option<String>,
}

impl From<&gocua_core::HouseholdPage> for HouseholdPage {
    fn from(p: &gocua_core::HouseholdPage) -> Self {
        HouseholdPage {
            items: p.items.iter().map(Into::into).collect(),
            next: p.next.clone(),
        }
    }
}

/// How far the campaign running today has got in an area ("Đã đến 12/40 hộ").
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct CoverageView {
    /// Households of the area, erased ones left out.
    pub households: u32,
    /// Those with a visit inside the campaign running today (any visit when none is running).
    pub visited: u32,
    /// The rest: how many the "not yet visited" list holds.
    pub not_visited: u32,
}

impl From<gocua_core::Coverage> for CoverageView {
    fn from(c: gocua_core::Coverage) -> Self {
        CoverageView {
            households: c.households,
            visited: c.visited,
            not_visited: c.not_visited,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct FollowUpView {
    pub household: HouseholdSummaryView,
    pub visit_id: String,
    pub follow_up_on: CalendarDay,
}

/// A GPS fix, only when the phone had one and the volunteer allowed location.
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Record)]
pub struct GpsFix {
    pub lat: f64,
    pub lon: f64,
    #[uniffi(default = 0.0)]
    pub accuracy_m: f32,
}

/// Help with one service during a visit.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AssistDraft {
    /// `ServiceView.key`.
    pub service_key: String,
    pub result: AssistResult,
    /// Required when `result.needs_dossier_code` (`assist_needs_dossier_code`).
    #[uniffi(default)]
    pub dossier_code: Option<String>,
    /// Required when the result `needs_reason` (`assist_needs_reason`).
    #[uniffi(default)]
    pub not_finished_reason: Option<NotFinishedReason>,
    /// Left empty, the catalogue's level of the service is used.
    #[uniffi(default)]
    pub level_43: Option<Level43>,
    #[uniffi(default)]
    pub level_42: Option<Level42>,
}

#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct VisitDraft {
    pub household_id: String,
    pub outcome: VisitOutcome,
    /// People reached; 0 unless the household was met (`default_people_reached(outcome)`).
    pub people_reached: u16,
    /// Left empty: the campaign running today.
    #[uniffi(default)]
    pub campaign_id: Option<String>,
    /// Left empty: now.
    #[uniffi(default)]
    pub started_at: Option<SystemTime>,
    #[uniffi(default)]
    pub ended_at: Option<SystemTime>,
    #[uniffi(default)]
    pub gps: Option<GpsFix>,
    #[uniffi(default)]
    pub note: Option<String>,
    /// A day of the deployment's calendar to come back.
    #[uniffi(default)]
    pub follow_up_on: Option<CalendarDay>,
    #[uniffi(default)]
    pub assists: Vec<AssistDraft>,
    /// The household's consent to keep contact details, asked at this visit; `None` when not
    /// asked. Recorded with the visit, in the same transaction.
    #[uniffi(default)]
    pub consent: Option<ConsentDraft>,
    /// The key of this form's draft (`saveDraft`), deleted when the record is stored; a refused
    /// save keeps it.
    #[uniffi(default)]
    pub draft_key: Option<String>,
}

impl VisitDraft {
    pub(crate) fn to_core(&self) -> Result<gocua_core::VisitDraft, FieldKitError> {
        Ok(gocua_core::VisitDraft {
            household_id: parse_id("household_id", &self.household_id)?,
            campaign_id: parse_opt_id("campaign_id", &self.campaign_id)?,
            started_at: self.started_at.map(from_instant),
            ended_at: self.ended_at.map(from_instant),
            outcome: self.outcome.clone(),
            people_reached: self.people_reached,
            gps: self.gps.map(|g| GeoPoint {
                lat: g.lat,
                lon: g.lon,
                accuracy_m: g.accuracy_m,
            }),
            note: self.note.clone(),
            follow_up_on: self.follow_up_on,
            assists: self
                .assists
                .iter()
                .map(|a| gocua_core::AssistDraft {
                    service_key: a.service_key.clone(),
                    level_43: a.level_43.clone(),
                    level_42: a.level_42.clone(),
                    result: a.result.clone(),
                    dossier_code: a.dossier_code.clone(),
                    not_finished_reason: a.not_finished_reason.clone(),
                })
                .collect(),
            consent: self.consent.as_ref().map(ConsentDraft::to_core),
            draft_key: self.draft_key.clone(),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AssistView {
    pub id: String,
    pub service_key: String,
    /// The service's name from the catalogue (the key when it left the catalogue).
    pub service_name_vi: String,
    pub service_name_en: String,
    pub result: AssistResult,
    pub dossier_code: Option<String>,
    pub not_finished_reason: Option<NotFinishedReason>,
    pub level_43: Option<Level43>,
    pub level_42: Option<Level42>,
}

#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct VisitView {
    pub id: String,
    pub household_id: String,
    /// 1 for the original, n+1 for a correction of revision n.
    pub revision: u32,
    pub supersedes: Option<String>,
    pub started_at: SystemTime,
    pub ended_at: Option<SystemTime>,
    pub outcome: VisitOutcome,
    pub people_reached: u16,
    pub gps: Option<GpsFix>,
    pub note: Option<String>,
    pub follow_up_on: Option<CalendarDay>,
    pub assists: Vec<AssistView>,
}

/// Service names by key, to name assisted services in views.
pub(crate) type ServiceNames = HashMap<String, (String, String)>;

pub(crate) fn visit_view(v: &Visit, names: &ServiceNames) -> VisitView {
    VisitView {
        id: v.id.to_string(),
        household_id: v.household_id.to_string(),
        revision: v.revision,
        supersedes: v.supersedes.map(|s| s.to_string()),
        started_at: instant(v.started_at),
        ended_at: v.ended_at.map(instant),
        outcome: v.outcome.clone(),
        people_reached: v.people_reached,
        gps: v.gps.map(|g| GpsFix {
            lat: g.lat,
            lon: g.lon,
            accuracy_m: g.accuracy_m,
        }),
        note: v.note.clone(),
        follow_up_on: v.follow_up_on,
        assists: v
            .assists
            .iter()
            .map(|a| {
                let (name_vi, name_en) = names
                    .get(&a.service_key)
                    .cloned()
                    .unwrap_or_else(|| (a.service_key.clone(), a.service_key.clone()));
                AssistView {
                    id: a.id.to_string(),
                    service_key: a.service_key.clone(),
                    service_name_vi: name_vi,
                    service_name_en: name_en,
                    result: a.result.clone(),
                    dossier_code: a.dossier_code.clone(),
                    not_finished_reason: a.not_finished_reason.clone(),
                    level_43: a.level_43.clone(),
                    level_42: a.level_42.clone(),
                }
            })
            .collect(),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SessionDraft {
    pub kind: SessionKind,
    /// The commune or hamlet where it was held.
    pub area_code: String,
    pub place: String,
    pub held_on: CalendarDay,
    pub attendees: u32,
    #[uniffi(default)]
    pub materials: Vec<String>,
    #[uniffi(default)]
    pub note: Option<String>,
    /// Left empty: the campaign running that day.
    #[uniffi(default)]
    pub campaign_id: Option<String>,
    /// The key of this form's draft (`saveDraft`), deleted when the record is stored; a refused
    /// save keeps it.
    #[uniffi(default)]
    pub draft_key: Option<String>,
}

impl SessionDraft {
    pub(crate) fn to_core(&self) -> Result<gocua_core::SessionDraft, FieldKitError> {
        Ok(gocua_core::SessionDraft {
            campaign_id: parse_opt_id("campaign_id", &self.campaign_id)?,
            kind: self.kind.clone(),
            area_code: self.area_code.clone(),
            place: self.place.clone(),
            held_on: self.held_on,
            attendees: self.attendees,
            materials: self.materials.clone(),
            note: self.note.clone(),
            draft_key: self.draft_key.clone(),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct FeedbackDraft {
    pub source: crate::vocab::FeedbackSource,
    pub category: FeedbackCategory,
    pub text: String,
    #[uniffi(default)]
    pub area_code: Option<String>,
    /// The key of this form's draft (`saveDraft`), deleted when the record is stored; a refused
    /// save keeps it.
    #[uniffi(default)]
    pub draft_key: Option<String>,
}

impl FeedbackDraft {
    pub(crate) fn to_core(&self) -> Result<gocua_core::FeedbackDraft, FieldKitError> {
        use crate::vocab::FeedbackSource as S;
        Ok(gocua_core::FeedbackDraft {
            source: match &self.source {
                S::Visit { visit_id } => FeedbackSource::Visit(parse_id("source", visit_id)?),
                S::Session { session_id } => {
                    FeedbackSource::Session(parse_id("source", session_id)?)
                }
                S::General => FeedbackSource::General,
            },
            category: self.category.clone(),
            text: self.text.clone(),
            area_code: self.area_code.clone(),
            draft_key: self.draft_key.clone(),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ServiceView {
    pub key: String,
    /// The national procedure code, when the service has one.
    pub code: Option<String>,
    pub code_verified: bool,
    pub name_vi: String,
    pub name_en: String,
    pub kind: ServiceKind,
    pub level_42: Option<Level42>,
    pub level_43: Option<Level43>,
}

impl From<&Service> for ServiceView {
    fn from(s: &Service) -> Self {
        ServiceView {
            key: s.key.clone(),
            code: s.code.clone(),
            code_verified: s.code_verified,
            name_vi: s.name_vi.clone(),
            name_en: s.name_en.clone(),
            kind: s.kind.clone(),
            level_42: s.level_42.clone(),
            level_43: s.level_43.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AreaView {
    pub code: String,
    pub name: String,
    pub level: AreaLevel,
    /// "xã", "phường", "ấp", "khu phố", … as the official list writes it.
    pub division_type: String,
    pub parent_code: Option<String>,
}

impl From<Area> for AreaView {
    fn from(a: Area) -> Self {
        AreaView {
            code: a.code,
            name: a.name,
            level: a.level,
            division_type: a.division_type,
            parent_code: a.parent_code,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ProfileView {
    pub device_id: String,
    pub volunteer_id: String,
    pub volunteer_name: String,
    pub team_id: String,
    pub team_name: Option<String>,
    pub server_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CountsView {
    /// Today in the deployment's calendar.
    pub today: Tally,
    /// Monday to today.
    pub this_week: Tally,
    pub campaign_name: Option<String>,
    pub campaign: Option<Tally>,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TargetProgressView {
    /// What the target counts; `indicator.label(lang)` names it.
    pub indicator: Indicator,
    pub target: u64,
    pub achieved: u64,
    /// Counted by the server at its last answer (the whole team).
    pub achieved_on_server: u64,
    /// This phone's records still waiting to be sent.
    pub achieved_waiting: u64,
    /// Whole per cent reached (may exceed 100).
    pub percent: u32,
    pub starts_on: CalendarDay,
    pub ends_on: CalendarDay,
}

/// Why the server refused a record, with the label of the field it names.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RejectionView {
    pub code: ProblemCode,
    pub message_vi: String,
    pub message_en: String,
    /// The field the server named (`assists[0].service_key`), if any; for logic, not display.
    pub field: Option<String>,
    /// The field's label ("Dịch vụ 1" / "Service 1"), to show.
    pub field_label_vi: Option<String>,
    pub field_label_en: Option<String>,
}

/// A service of a visit, by its catalogue name.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ServiceNameView {
    /// The catalogue key, for the app's logic only (never shown).
    pub key: String,
    pub name_vi: String,
    pub name_en: String,
}

/// Which form a draft (a half-filled form kept on the phone) belongs to.
#[uniffi::remote(Enum)]
pub enum DraftForm {
    Household,
    Visit,
    Session,
    Feedback,
}

/// The kind of record a form makes: a draft is named with that kind's label
/// (`draft_record_kind(form).label(lang)`: "Lượt đến hộ — Nguyễn Thị Hòa").
#[uniffi::export]
pub fn draft_record_kind(form: DraftForm) -> RecordKind {
    form.record_kind()
}

/// A kept draft: the body exactly as the app saved it, and when.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DraftView {
    pub body: String,
    pub updated_at: SystemTime,
}

/// One kept draft of a form, to offer "continue where you left off".
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DraftEntry {
    /// The key the app saved it under.
    pub key: String,
    pub updated_at: SystemTime,
}

/// Which records of the queue to list.
#[uniffi::remote(Enum)]
pub enum QueueFilter {
    /// Waiting to be sent, or being sent.
    Waiting,
    /// Refused by the server.
    Rejected,
    /// Not on the server: waiting, being sent or refused.
    Unsent,
    /// Everything, also what the server accepted or deleted.
    All,
}

/// One record in the upload queue, as the Queue screen shows it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct QueueItemView {
    /// Its kind; `kind.label(lang)` names it ("Lượt đến hộ" / "Visit").
    pub kind: RecordKind,
    pub record_id: String,
    /// What a volunteer recognises it by: the household's head (household, visit), the session's
    /// place, the feedback's category. Empty when the record is gone.
    pub title_vi: String,
    pub title_en: String,
    /// The services of a visit, in order, by name (empty for other kinds).
    pub services: Vec<ServiceNameView>,
    pub state: QueueEntryState,
    pub attempts: u32,
    pub queued_at: SystemTime,
    pub last_attempt_at: Option<SystemTime>,
    /// Why the server refused it (rejected records only).
    pub reason: Option<RejectionView>,
}

impl From<gocua_core::QueueItem> for QueueItemView {
    fn from(i: gocua_core::QueueItem) -> Self {
        QueueItemView {
            kind: i.kind,
            record_id: i.record_id.to_string(),
            title_vi: i.title_vi,
            title_en: i.title_en,
            services: i
                .services
                .into_iter()
                .map(|s| ServiceNameView {
                    key: s.key,
                    name_vi: s.name_vi,
                    name_en: s.name_en,
                })
                .collect(),
            state: QueueEntryState::parse(i.state.as_str()),
            attempts: i.attempts,
            queued_at: instant(i.queued_at),
            last_attempt_at: i.last_attempt_at.map(instant),
            reason: i.reason.map(|r| RejectionView {
                code: ProblemCode::parse(&r.code),
                message_vi: r.message_vi,
                message_en: r.message_en,
                field: r.field,
                field_label_vi: i.reason_field_label_vi,
                field_label_en: i.reason_field_label_en,
            }),
        }
    }
}

/// How the last sync ended.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LastSyncView {
    pub finished_at: SystemTime,
    pub outcome: LastSyncOutcome,
    pub sent: u32,
    pub accepted: u32,
    pub rejected: u32,
    /// For a failed sync: the error's code and what to tell the volunteer.
    pub error_code: Option<String>,
    pub message_vi: Option<String>,
    pub message_en: Option<String>,
}

impl From<&gocua_core::LastSync> for LastSyncView {
    fn from(l: &gocua_core::LastSync) -> Self {
        LastSyncView {
            finished_at: instant(l.finished_at),
            outcome: LastSyncOutcome::parse(&l.outcome),
            sent: l.sent,
            accepted: l.accepted,
            rejected: l.rejected,
            error_code: l.error_code.clone(),
            message_vi: l.message_vi.clone(),
            message_en: l.message_en.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct QueueStatusView {
    pub pending: u32,
    pub in_flight: u32,
    pub accepted: u32,
    pub rejected: u32,
    pub deleted: u32,
    /// Age of the oldest record still waiting to be sent.
    pub oldest_pending_age_secs: Option<i64>,
    pub last_sync: Option<LastSyncView>,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SyncReportView {
    pub sent: u32,
    pub accepted: u32,
    pub rejected: u32,
    /// Set when `sync_watched` stopped early because the sync policy, asked again between
    /// batches, said to wait (the phone left wifi, went offline, ran low on battery): the
    /// records not yet sent are still in the queue.
    #[uniffi(default)]
    pub stopped: Option<SyncWaitReason>,
    /// The policy's message for a stopped sync, for the volunteer.
    #[uniffi(default)]
    pub stopped_message_vi: Option<String>,
    #[uniffi(default)]
    pub stopped_message_en: Option<String>,
}

impl From<&gocua_core::SyncReport> for SyncReportView {
    fn from(r: &gocua_core::SyncReport) -> Self {
        SyncReportView {
            sent: r.sent,
            accepted: r.accepted,
            rejected: r.rejected,
            stopped: r.stopped.as_ref().map(|s| s.reason),
            stopped_message_vi: r.stopped.as_ref().map(|s| s.message_vi.clone()),
            stopped_message_en: r.stopped.as_ref().map(|s| s.message_en.clone()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ClockWarningView {
    pub kind: ClockWarningKind,
    pub message_vi: String,
    pub message_en: String,
}

/// What the platform says about the phone right now.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NetworkFacts {
    pub connected: bool,
    /// Not metered: wifi or ethernet (not mobile data or a hotspot).
    pub unmetered: bool,
    /// 0–100; `None` when the platform does not say.
    #[uniffi(default)]
    pub battery_percent: Option<u8>,
    #[uniffi(default = false)]
    pub charging: bool,
    /// Android battery saver / iOS Low Power Mode.
    #[uniffi(default = false)]
    pub power_saver: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SyncDecisionView {
    pub sync_now: bool,
    /// Why not now (`None` when `sync_now`).
    pub reason: Option<SyncWaitReason>,
    pub message_vi: Option<String>,
    pub message_en: Option<String>,
}

/// A server address and enrolment code, from a QR code or typed by hand.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct EnrolLinkView {
    pub server_url: String,
    pub code: String,
}
