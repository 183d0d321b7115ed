//! What a phone downloads to work offline: the reference lists of `reference.rs` limited to its
//! team, with the team's walk lists and the service guides. Its own file because it gathers
//! types from modules that themselves use `reference.rs`.

use serde::{Deserialize, Serialize};

use crate::assignment::Assignment;
use crate::guide::ServiceGuide;
use crate::reference::{Area, Campaign, OrgUnit, Service, Target, TargetAchievement, Team};

/// Everything a device needs to work offline, limited to its team's scope.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ReferenceData {
    #[serde(default)]
    pub areas: Vec<Area>,
    #[serde(default)]
    pub org_units: Vec<OrgUnit>,
    #[serde(default)]
    pub teams: Vec<Team>,
    #[serde(default)]
    pub services: Vec<Service>,
    #[serde(default)]
    pub campaigns: Vec<Campaign>,
    #[serde(default)]
    pub targets: Vec<Target>,
    #[serde(default)]
    pub achievements: Vec<TargetAchievement>,
    /// The deployment's time zone (IANA name), whose days every count uses. Absent from servers
    /// older than this field: [`DEFAULT_ZONE`](crate::calendar::DEFAULT_ZONE).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// Walk lists: the team's current (not revoked) assignments. Absent from older servers.
    #[serde(default)]
    pub assignments: Vec<Assignment>,
    /// Service guides, one per catalogue service that has one (`crate::guide`). Absent from
    /// servers older than this field: no guides.
    #[serde(default)]
    pub guides: Vec<ServiceGuide>,
}

impl ReferenceData {
    /// The calendar these data were sent with. A zone this build does not know falls back to
    /// Vietnam's, the only zone deployed so far, rather than refusing the whole download.
    pub fn calendar(&self) -> crate::Calendar {
        self.time_zone
            .as_deref()
            .and_then(|z| crate::Calendar::from_zone_name(z).ok())
            .unwrap_or_default()
    }
}
