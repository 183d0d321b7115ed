//! Records that cross the FFI: drafts the app fills in and views it shows. Times are epoch
//! milliseconds (UTC), calendar days "YYYY-MM-DD", ids and enum values strings (the wire values;
//! labels come from `choices`).

use chrono::{NaiveDate, TimeZone, Utc};
use gocua_core::protocol::*;
use uuid::Uuid;

use crate::error::FieldKitError;

pub(crate) fn parse_id(field: &str, s: &str) -> Result<Uuid, FieldKitError> {
    Uuid::parse_str(s.trim()).map_err(|_| {
        FieldKitError::invalid_input(
            field,
            format!("Mã \"{s}\" không hợp lệ."),
            format!("Id \"{s}\" is not valid."),
        )
    })
}

pub(crate) fn parse_day(field: &str, s: &str) -> Result<NaiveDate, FieldKitError> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
        FieldKitError::invalid_input(
            field,
            format!("Ngày \"{s}\" không hợp lệ (dạng NĂM-THÁNG-NGÀY)."),
            format!("Date \"{s}\" is not valid (YYYY-MM-DD)."),
        )
    })
}

pub(crate) fn parse_time(field: &str, ms: i64) -> Result<chrono::DateTime<Utc>, FieldKitError> {
    Utc.timestamp_millis_opt(ms).single().ok_or_else(|| {
        FieldKitError::invalid_input(
            field,
            "Thời điểm không hợp lệ.".into(),
            "The time is not valid.".into(),
        )
    })
}

/// A labelled value of a vocabulary (outcome, assist result, …).
#[derive(Debug, Clone, uniffi::Record)]
pub struct Choice {
    pub code: String,
    pub label_vi: String,
    pub label_en: String,
}

#[derive(Debug, Clone, uniffi::Record)]
pub struct HouseholdDraft {
    pub commune_code: String,
    pub hamlet_code: Option<String>,
    pub address_line: String,
    pub head_name: String,
    pub phone: Option<String>,
    pub members: u16,
    /// Whether the person agreed to keep contact details; `None` when not asked.
    pub consent_given: Option<bool>,
    /// `verbal`, `signed` or `in_app`.
    pub consent_method: Option<String>,
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
            consent: self.consent_given.map(|given| gocua_core::ConsentDraft {
                given,
                method: ConsentMethod::parse(self.consent_method.as_deref().unwrap_or("verbal")),
            }),
        }
    }
}

#[derive(Debug, Clone, uniffi::Record)]
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
    pub created_at_ms: i64,
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
            created_at_ms: h.created.utc.timestamp_millis(),
        }
    }
}

#[derive(Debug, Clone, uniffi::Record)]
pub struct HouseholdSummaryView {
    pub id: String,
    pub commune_code: String,
    pub hamlet_code: Option<String>,
    pub head_name: String,
    pub address_line: String,
    pub phone: Option<String>,
    pub members: u16,
    pub erased: bool,
    pub last_visit_at_ms: Option<i64>,
    pub last_outcome: Option<String>,
    pub follow_up_on: Option<String>,
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
            last_visit_at_ms: s.last_visit_at.map(|t| t.timestamp_millis()),
            last_outcome: s.last_outcome.as_ref().map(|o| o.as_str().to_owned()),
            follow_up_on: s.follow_up_on.map(|d| d.to_string()),
        }
    }
}

#[derive(Debug, Clone, uniffi::Record)]
pub struct FollowUpView {
    pub household: HouseholdSummaryView,
    pub visit_id: String,
    pub follow_up_on: String,
}

#[derive(Debug, Clone, uniffi::Record)]
pub struct AssistDraft {
    pub service_key: String,
    pub level_43: Option<String>,
    pub level_42: Option<String>,
    /// `completed_online`, `submitted`, `guided_only` or `not_finished`.
    pub result: String,
    pub dossier_code: Option<String>,
    pub not_finished_reason: Option<String>,
}

#[derive(Debug, Clone, uniffi::Record)]
pub struct VisitDraft {
    pub household_id: String,
    pub campaign_id: Option<String>,
    /// Left empty: now.
    pub started_at_ms: Option<i64>,
    pub ended_at_ms: Option<i64>,
    pub outcome: String,
    pub people_reached: u16,
    pub gps_lat: Option<f64>,
    pub gps_lon: Option<f64>,
    pub gps_accuracy_m: Option<f32>,
    pub note: Option<String>,
    pub follow_up_on: Option<String>,
    pub assists: Vec<AssistDraft>,
}

impl VisitDraft {
    pub(crate) fn to_core(&self) -> Result<gocua_core::VisitDraft, FieldKitError> {
        Ok(gocua_core::VisitDraft {
            household_id: parse_id("household_id", &self.household_id)?,
            campaign_id: self
                .campaign_id
                .as_deref()
                .map(|c| parse_id("campaign_id", c))
                .transpose()?,
            started_at: self
                .started_at_ms
                .map(|ms| parse_time("started_at", ms))
                .transpose()?,
            ended_at: self
                .ended_at_ms
                .map(|ms| parse_time("ended_at", ms))
                .transpose()?,
            outcome: VisitOutcome::parse(&self.outcome),
            people_reached: self.people_reached,
            gps: match (self.gps_lat, self.gps_lon) {
                (Some(lat), Some(lon)) => Some(GeoPoint {
                    lat,
                    lon,
                    accuracy_m: self.gps_accuracy_m.unwrap_or(0.0),
                }),
                _ => None,
            },
            note: self.note.clone(),
            follow_up_on: self
                .follow_up_on
                .as_deref()
                .map(|d| parse_day("follow_up_on", d))
                .transpose()?,
            assists: self
                .assists
                .iter()
                .map(|a| gocua_core::AssistDraft {
                    service_key: a.service_key.clone(),
                    level_43: a.level_43.as_deref().map(Level43::parse),
                    level_42: a.level_42.as_deref().map(Level42::parse),
                    result: AssistResult::parse(&a.result),
                    dossier_code: a.dossier_code.clone(),
                    not_finished_reason: a
                        .not_finished_reason
                        .as_deref()
                        .map(NotFinishedReason::parse),
                })
                .collect(),
        })
    }
}

#[derive(Debug, Clone, uniffi::Record)]
pub struct AssistView {
    pub id: String,
    pub service_key: String,
    pub level_43: Option<String>,
    pub level_42: Option<String>,
    pub result: String,
    pub dossier_code: Option<String>,
    pub not_finished_reason: Option<String>,
}

#[derive(Debug, Clone, uniffi::Record)]
pub struct VisitView {
    pub id: String,
    pub household_id: String,
    pub revision: u32,
    pub supersedes: Option<String>,
    pub started_at_ms: i64,
    pub ended_at_ms: Option<i64>,
    pub outcome: String,
    pub people_reached: u16,
    pub note: Option<String>,
    pub follow_up_on: Option<String>,
    pub assists: Vec<AssistView>,
}

impl From<&Visit> for VisitView {
    fn from(v: &Visit) -> Self {
        VisitView {
            id: v.id.to_string(),
            household_id: v.household_id.to_string(),
            revision: v.revision,
            supersedes: v.supersedes.map(|s| s.to_string()),
            started_at_ms: v.started_at.timestamp_millis(),
            ended_at_ms: v.ended_at.map(|t| t.timestamp_millis()),
            outcome: v.outcome.as_str().to_owned(),
            people_reached: v.people_reached,
            note: v.note.clone(),
            follow_up_on: v.follow_up_on.map(|d| d.to_string()),
            assists: v
                .assists
                .iter()
                .map(|a| AssistView {
                    id: a.id.to_string(),
                    service_key: a.service_key.clone(),
                    level_43: a.level_43.as_ref().map(|l| l.as_str().to_owned()),
                    level_42: a.level_42.as_ref().map(|l| l.as_str().to_owned()),
                    result: a.result.as_str().to_owned(),
                    dossier_code: a.dossier_code.clone(),
                    not_finished_reason: a
                        .not_finished_reason
                        .as_ref()
                        .map(|r| r.as_str().to_owned()),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Clone, uniffi::Record)]
pub struct SessionDraft {
    pub campaign_id: Option<String>,
    pub kind: String,
    pub area_code: String,
    pub place: String,
    pub held_on: String,
    pub attendees: u32,
    pub materials: Vec<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, uniffi::Record)]
pub struct FeedbackDraft {
    /// `visit`, `session` or `general`.
    pub source_type: String,
    pub source_id: Option<String>,
    pub category: String,
    pub text: String,
    pub area_code: Option<String>,
}

#[derive(Debug, Clone, uniffi::Record)]
pub struct ServiceView {
    pub key: String,
    pub code: Option<String>,
    pub code_verified: bool,
    pub name_vi: String,
    pub name_en: String,
    pub kind: String,
    pub level_42: Option<String>,
    pub level_43: Option<String>,
}

#[derive(Debug, Clone, uniffi::Record)]
pub struct AreaView {
    pub code: String,
    pub name: String,
    pub level: String,
    pub division_type: String,
    pub parent_code: Option<String>,
}

#[derive(Debug, Clone, uniffi::Record)]
pub struct ProfileView {
    pub device_id: String,
    pub volunteer_id: String,
    pub volunteer_name: String,
    pub team_id: String,
    pub team_name: Option<String>,
    pub server_url: Option<String>,
}

/// Counts of the indicators; the same arithmetic as the server's reports.
#[derive(Debug, Clone, uniffi::Record)]
pub struct TallyView {
    pub visits: u64,
    pub sessions: u64,
    pub people_reached: u64,
    pub households_visited: u64,
    pub services_supported: u64,
    pub services_toan_trinh: u64,
    pub services_level4: u64,
    pub guided_only: u64,
    pub vneid_activations: u64,
    pub hamlets_covered: u64,
}

impl From<&Tally> for TallyView {
    fn from(t: &Tally) -> Self {
        TallyView {
            visits: t.visits,
            sessions: t.sessions,
            people_reached: t.people_reached,
            households_visited: t.households_visited,
            services_supported: t.services_supported,
            services_toan_trinh: t.services_toan_trinh,
            services_level4: t.services_level4,
            guided_only: t.guided_only,
            vneid_activations: t.vneid_activations,
            hamlets_covered: t.hamlets_covered,
        }
    }
}

#[derive(Debug, Clone, uniffi::Record)]
pub struct CountsView {
    pub today: TallyView,
    pub this_week: TallyView,
    pub campaign_name: Option<String>,
    pub campaign: Option<TallyView>,
}

#[derive(Debug, Clone, uniffi::Record)]
pub struct TargetProgressView {
    pub indicator: String,
    pub label_vi: String,
    pub label_en: String,
    pub target: u64,
    pub achieved: u64,
    pub achieved_on_server: u64,
    pub achieved_waiting: u64,
    pub percent: u32,
}

#[derive(Debug, Clone, uniffi::Record)]
pub struct QueueItemView {
    pub kind: String,
    pub record_id: String,
    pub state: String,
    pub attempts: u32,
    pub queued_at_ms: i64,
    pub reason_code: Option<String>,
    pub reason_vi: Option<String>,
    pub reason_en: Option<String>,
    pub reason_field: Option<String>,
}

impl From<&gocua_core::QueueEntry> for QueueItemView {
    fn from(e: &gocua_core::QueueEntry) -> Self {
        QueueItemView {
            kind: e.kind.as_str().to_owned(),
            record_id: e.record_id.to_string(),
            state: e.state.as_str().to_owned(),
            attempts: e.attempts,
            queued_at_ms: e.queued_at.timestamp_millis(),
            reason_code: e.reason.as_ref().map(|r| r.code.clone()),
            reason_vi: e.reason.as_ref().map(|r| r.message_vi.clone()),
            reason_en: e.reason.as_ref().map(|r| r.message_en.clone()),
            reason_field: e.reason.as_ref().and_then(|r| r.field.clone()),
        }
    }
}

#[derive(Debug, Clone, uniffi::Record)]
pub struct QueueStatusView {
    pub pending: u32,
    pub in_flight: u32,
    pub accepted: u32,
    pub rejected: u32,
    pub oldest_pending_age_secs: Option<i64>,
    pub last_sync_at_ms: Option<i64>,
    /// `ok`, `partial`, `failed` or `cancelled`.
    pub last_sync_outcome: Option<String>,
    pub last_sync_message_vi: Option<String>,
    pub last_sync_message_en: Option<String>,
}

#[derive(Debug, Clone, uniffi::Record)]
pub struct SyncReportView {
    pub sent: u32,
    pub accepted: u32,
    pub rejected: u32,
}

#[derive(Debug, Clone, uniffi::Record)]
pub struct ClockWarningView {
    pub code: String,
    pub message_vi: String,
    pub message_en: String,
}

#[derive(Debug, Clone, uniffi::Record)]
pub struct NetworkFacts {
    pub connected: bool,
    pub unmetered: bool,
    pub battery_percent: Option<u8>,
    pub charging: bool,
    pub power_saver: bool,
}

#[derive(Debug, Clone, uniffi::Record)]
pub struct SyncDecisionView {
    pub sync_now: bool,
    pub reason_code: Option<String>,
    pub message_vi: Option<String>,
    pub message_en: Option<String>,
}
