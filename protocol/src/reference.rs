//! Reference data a phone downloads: the area tree, organisation units and teams, the service
//! catalogue, campaigns and targets. Coordinators own it; phones only read it.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::enums::*;

/// One node of the area tree: province, (district), commune, hamlet — any depth.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Area {
    pub code: String,
    pub name: String,
    pub level: AreaLevel,
    /// The official word for this unit ("xã", "phường", "đặc khu", "ấp", …).
    pub division_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_code: Option<String>,
}

impl Area {
    /// An area known by its code alone: named by its code, without a division type (the trees
    /// of tests and examples).
    pub fn bare(code: &str, level: AreaLevel, parent_code: Option<&str>) -> Area {
        Area {
            code: code.into(),
            name: code.into(),
            level,
            division_type: String::new(),
            parent_code: parent_code.map(Into::into),
        }
    }
}

/// A Youth Union organisation unit; a tree of any depth.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgUnit {
    pub id: Uuid,
    pub name: String,
    pub kind: OrgUnitKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<Uuid>,
    /// The area the unit answers for (a province or commune code), when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamMember {
    pub id: Uuid,
    pub name: String,
    pub role: MemberRole,
}

/// A volunteer team (Đội thanh niên tình nguyện / Tổ công nghệ số cộng đồng). Works in a set of
/// areas: a household or session belongs to the team when its area lies under one of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    pub id: Uuid,
    pub name: String,
    pub org_unit_id: Uuid,
    pub area_codes: Vec<String>,
    #[serde(default)]
    pub members: Vec<TeamMember>,
}

/// One entry of the service catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    /// Stable key (e.g. `birth_registration`); assists refer to it.
    pub key: String,
    /// National procedure code (mã thủ tục), when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// False when the code has not been checked against an official source: coordinators edit it.
    pub code_verified: bool,
    pub name_vi: String,
    pub name_en: String,
    pub authority: String,
    pub kind: ServiceKind,
    /// Level under Decree 42/2022 at which the procedure is offered, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level_42: Option<Level42>,
    /// Highest level under Decree 43/2011, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level_43: Option<Level43>,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

/// A named window inside a campaign, e.g. Youth Month (Tháng Thanh niên, March).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeakWindow {
    pub name: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

/// A campaign or plan (kế hoạch).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Campaign {
    pub id: Uuid,
    pub name: String,
    /// E.g. "241-KH/TĐTN-TCKT".
    pub legal_reference: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    #[serde(default)]
    pub peak_windows: Vec<PeakWindow>,
    pub report_deadline: NaiveDate,
}

/// A target (chỉ tiêu) for a team or unit in a campaign and period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    pub id: Uuid,
    pub campaign_id: Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_unit_id: Option<Uuid>,
    pub indicator: Indicator,
    pub value: u64,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

/// How far a target had got when the server last counted (accepted records only, by server
/// receipt time), so the phone can show the whole team's progress, not just its own records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetAchievement {
    pub target_id: Uuid,
    pub achieved: u64,
    pub as_of: DateTime<Utc>,
}

/// Parent links of the area tree, for "is this area inside that one" questions.
#[derive(Debug, Clone, Default)]
pub struct AreaTree {
    parent: HashMap<String, Option<String>>,
    level: HashMap<String, AreaLevel>,
}

impl AreaTree {
    pub fn new<'a>(areas: impl IntoIterator<Item = &'a Area>) -> Self {
        let mut tree = AreaTree::default();
        for a in areas {
            tree.parent.insert(a.code.clone(), a.parent_code.clone());
            tree.level.insert(a.code.clone(), a.level.clone());
        }
        tree
    }

    pub fn contains(&self, code: &str) -> bool {
        self.parent.contains_key(code)
    }

    pub fn level(&self, code: &str) -> Option<&AreaLevel> {
        self.level.get(code)
    }

    pub fn parent(&self, code: &str) -> Option<&str> {
        self.parent.get(code).and_then(|p| p.as_deref())
    }

    /// True when `code` is `ancestor` or lies anywhere below it. Stops on cycles.
    pub fn is_within(&self, code: &str, ancestor: &str) -> bool {
        let mut seen = HashSet::new();
        let mut current = Some(code);
        while let Some(c) = current {
            if c == ancestor {
                return true;
            }
            if !seen.insert(c) {
                return false;
            }
            current = self.parent(c);
        }
        false
    }

    /// True when `code` lies within any of `scope`.
    pub fn is_within_any(&self, code: &str, scope: &[String]) -> bool {
        scope.iter().any(|s| self.is_within(code, s))
    }
}

/// The catalogue by key.
pub fn catalogue_by_key(services: &[Service]) -> BTreeMap<&str, &Service> {
    services.iter().map(|s| (s.key.as_str(), s)).collect()
}
