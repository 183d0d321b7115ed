//! Field records a phone uploads: households, visits with assists, outreach sessions, feedback.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::enums::*;
use crate::hlc::Hlc;

/// When and where (in time) a record was made on the phone: the phone's UTC clock reading and its
/// UTC offset. Evidence only; progress counts use the server's receipt time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceTime {
    pub utc: DateTime<Utc>,
    pub offset_minutes: i16,
}

/// Consent of the person to keep their contact details, per purpose, in verifiable form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    pub given: bool,
    pub method: ConsentMethod,
    pub recorded_at: DateTime<Utc>,
    /// The volunteer who recorded it.
    pub recorded_by: Uuid,
}

/// Per-field hybrid clocks of a household: two phones' edits merge field by field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct HouseholdClocks {
    /// Commune and hamlet move together.
    pub location: Hlc,
    pub address_line: Hlc,
    pub head_name: Hlc,
    pub phone: Hlc,
    pub members: Hlc,
    pub consent: Hlc,
    pub erased: Hlc,
}

impl HouseholdClocks {
    pub fn all(stamp: Hlc) -> Self {
        HouseholdClocks {
            location: stamp,
            address_line: stamp,
            head_name: stamp,
            phone: stamp,
            members: stamp,
            consent: stamp,
            erased: stamp,
        }
    }

    /// Every field group's stamp with the group's wire name, to read or replace.
    pub fn groups_mut(&mut self) -> [(&'static str, &mut Hlc); 7] {
        [
            ("location", &mut self.location),
            ("address_line", &mut self.address_line),
            ("head_name", &mut self.head_name),
            ("phone", &mut self.phone),
            ("members", &mut self.members),
            ("consent", &mut self.consent),
            ("erased", &mut self.erased),
        ]
    }

    /// The stamp of the field group named `group` (its wire name), if there is one.
    pub fn group(&self, group: &str) -> Option<Hlc> {
        let mut copy = *self;
        let found = copy
            .groups_mut()
            .into_iter()
            .find(|(name, _)| *name == group)
            .map(|(_, stamp)| *stamp);
        found
    }

    pub fn max(&self) -> Hlc {
        [
            self.location,
            self.address_line,
            self.head_name,
            self.phone,
            self.members,
            self.consent,
            self.erased,
        ]
        .into_iter()
        .max()
        .unwrap_or_default()
    }
}

/// A household (hộ). Mutable; merged per field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Household {
    pub id: Uuid,
    pub commune_code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hamlet_code: Option<String>,
    pub address_line: String,
    pub head_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    pub members: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<Consent>,
    /// The person asked for their personal data to be deleted: names, address and phone are
    /// blanked for good; anonymous counts stay.
    #[serde(default)]
    pub erased: bool,
    pub created_by: Uuid,
    pub team_id: Uuid,
    pub created: DeviceTime,
    pub clocks: HouseholdClocks,
}

impl Household {
    /// Deterministic per-field merge: each field takes the value with the larger clock. Commutative,
    /// associative and idempotent, so the order uploads arrive in does not matter. Erasure wins
    /// over everything: once erased, personal fields stay blank whatever arrives later.
    pub fn merge(&self, other: &Household) -> Household {
        let mut out = self.clone();
        let (a, b) = (&self.clocks, &other.clocks);
        macro_rules! take {
            ($clock:ident, $($field:ident),+) => {
                if b.$clock > a.$clock {
                    $( out.$field = other.$field.clone(); )+
                    out.clocks.$clock = b.$clock;
                }
            };
        }
        take!(location, commune_code, hamlet_code);
        take!(address_line, address_line);
        take!(head_name, head_name);
        take!(phone, phone);
        take!(members, members);
        take!(consent, consent);
        // Erasure is one-way: once either side is erased, the result is.
        out.erased = self.erased || other.erased;
        out.clocks.erased = a.erased.max(b.erased);
        // created_by/team/created are fixed at creation; pick deterministically if they differ.
        let created = |h: &Household| {
            (
                h.created.utc,
                h.created.offset_minutes,
                h.created_by,
                h.team_id,
            )
        };
        if created(other) < created(self) {
            out.created = other.created;
            out.created_by = other.created_by;
            out.team_id = other.team_id;
        }
        if out.erased {
            out.blank_personal_data();
        }
        out
    }

    /// Blanks every personal field; what remains is anonymous (area, member count).
    pub fn blank_personal_data(&mut self) {
        self.address_line.clear();
        self.head_name.clear();
        self.phone = None;
        self.consent = None;
    }

    /// True when the person agreed to keep contact details.
    pub fn has_contact_consent(&self) -> bool {
        self.consent.as_ref().is_some_and(|c| c.given)
    }
}

/// GPS fix, only when the volunteer's phone had one and the user allowed location.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GeoPoint {
    pub lat: f64,
    pub lon: f64,
    pub accuracy_m: f32,
}

/// Help with one service during a visit (hỗ trợ một dịch vụ).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assist {
    pub id: Uuid,
    pub service_key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level_43: Option<Level43>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level_42: Option<Level42>,
    pub result: AssistResult,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dossier_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_finished_reason: Option<NotFinishedReason>,
}

/// A visit to a household (lượt đến hộ). Immutable; a correction is a new revision whose
/// `supersedes` names the visit it replaces.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Visit {
    pub id: Uuid,
    pub household_id: Uuid,
    pub volunteer_id: Uuid,
    pub team_id: Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign_id: Option<Uuid>,
    /// 1 for an original visit, n+1 for a correction of revision n.
    pub revision: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supersedes: Option<Uuid>,
    pub started_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<DateTime<Utc>>,
    pub outcome: VisitOutcome,
    pub people_reached: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gps: Option<GeoPoint>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up_on: Option<NaiveDate>,
    #[serde(default)]
    pub assists: Vec<Assist>,
    pub recorded: DeviceTime,
    pub hlc: Hlc,
}

/// An outreach or consulting session (buổi tuyên truyền, tư vấn).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutreachSession {
    pub id: Uuid,
    pub team_id: Uuid,
    pub volunteer_id: Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign_id: Option<Uuid>,
    pub kind: SessionKind,
    /// The commune or hamlet where it was held.
    pub area_code: String,
    pub place: String,
    pub held_on: NaiveDate,
    pub attendees: u32,
    #[serde(default)]
    pub materials: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub recorded: DeviceTime,
    pub hlc: Hlc,
}

/// Where a piece of feedback came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "id", rename_all = "snake_case")]
pub enum FeedbackSource {
    Visit(Uuid),
    Session(Uuid),
    General,
}

/// Difficulties, obstacles and recommendations (khó khăn, vướng mắc, kiến nghị).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Feedback {
    pub id: Uuid,
    pub team_id: Uuid,
    pub volunteer_id: Uuid,
    pub source: FeedbackSource,
    pub category: FeedbackCategory,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area_code: Option<String>,
    pub recorded: DeviceTime,
    pub hlc: Hlc,
}
