//! Indicator arithmetic, once, for phone and server: what counts towards which target.
//!
//! - sessions: outreach sessions held;
//! - people reached: people reached at visits plus attendees of sessions;
//! - households visited: distinct households met at least once (a closed door is not a visit that
//!   reached anyone, but it is still recorded);
//! - services supported: assists with an online dossier completed or submitted, for procedures;
//!   split by level (Decree 42 "toàn trình", Decree 43 level 4);
//! - VNeID activations: VNeID assists completed;
//! - hamlets covered: distinct hamlets with any visit or session.
//!
//! Callers pass only current revisions of visits (superseded ones are history, not counts).

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::enums::*;
use crate::records::{OutreachSession, Visit};
use crate::reference::Service;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Tally {
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

impl Tally {
    /// The count for an indicator; `None` for an indicator this version does not know.
    pub fn get(&self, indicator: &Indicator) -> Option<u64> {
        Some(match indicator {
            Indicator::Sessions => self.sessions,
            Indicator::PeopleReached => self.people_reached,
            Indicator::HouseholdsVisited => self.households_visited,
            Indicator::ServicesSupported => self.services_supported,
            Indicator::ServicesToanTrinh => self.services_toan_trinh,
            Indicator::ServicesLevel4 => self.services_level4,
            Indicator::VneidActivations => self.vneid_activations,
            Indicator::HamletsCovered => self.hamlets_covered,
            Indicator::Unknown(_) => return None,
        })
    }

    /// Adds counts that are plain sums. Distinct counts (households, hamlets) cannot be added
    /// exactly; this adds them too, which is right only when the two sets are disjoint (e.g. the
    /// server's accepted records plus the phone's not-yet-uploaded ones about new households).
    pub fn plus(&self, other: &Tally) -> Tally {
        Tally {
            visits: self.visits + other.visits,
            sessions: self.sessions + other.sessions,
            people_reached: self.people_reached + other.people_reached,
            households_visited: self.households_visited + other.households_visited,
            services_supported: self.services_supported + other.services_supported,
            services_toan_trinh: self.services_toan_trinh + other.services_toan_trinh,
            services_level4: self.services_level4 + other.services_level4,
            guided_only: self.guided_only + other.guided_only,
            vneid_activations: self.vneid_activations + other.vneid_activations,
            hamlets_covered: self.hamlets_covered + other.hamlets_covered,
        }
    }
}

impl Tally {
    /// The counts gained between an earlier snapshot of the same builder and this one.
    pub fn minus(&self, earlier: &Tally) -> Tally {
        let d = |a: u64, b: u64| a.saturating_sub(b);
        Tally {
            visits: d(self.visits, earlier.visits),
            sessions: d(self.sessions, earlier.sessions),
            people_reached: d(self.people_reached, earlier.people_reached),
            households_visited: d(self.households_visited, earlier.households_visited),
            services_supported: d(self.services_supported, earlier.services_supported),
            services_toan_trinh: d(self.services_toan_trinh, earlier.services_toan_trinh),
            services_level4: d(self.services_level4, earlier.services_level4),
            guided_only: d(self.guided_only, earlier.guided_only),
            vneid_activations: d(self.vneid_activations, earlier.vneid_activations),
            hamlets_covered: d(self.hamlets_covered, earlier.hamlets_covered),
        }
    }
}

/// Accumulates a [`Tally`] from visits and sessions.
pub struct TallyBuilder<'a> {
    catalogue: BTreeMap<&'a str, &'a Service>,
    households: HashSet<Uuid>,
    hamlets: HashSet<String>,
    tally: Tally,
}

impl<'a> TallyBuilder<'a> {
    pub fn new(services: &'a [Service]) -> Self {
        TallyBuilder {
            catalogue: crate::reference::catalogue_by_key(services),
            households: HashSet::new(),
            hamlets: HashSet::new(),
            tally: Tally::default(),
        }
    }

    /// Adds a current (not superseded) visit; `hamlet_code` is its household's hamlet.
    pub fn add_visit(&mut self, visit: &Visit, hamlet_code: Option<&str>) {
        self.tally.visits += 1;
        self.tally.people_reached += u64::from(visit.people_reached);
        if visit.outcome == VisitOutcome::Met && self.households.insert(visit.household_id) {
            self.tally.households_visited += 1;
        }
        if let Some(h) = hamlet_code {
            self.add_hamlet(h);
        }
        for assist in &visit.assists {
            let kind = self
                .catalogue
                .get(assist.service_key.as_str())
                .map(|s| s.kind.clone())
                .unwrap_or(ServiceKind::Procedure);
            let dossier = matches!(
                assist.result,
                AssistResult::CompletedOnline | AssistResult::Submitted
            );
            match kind {
                ServiceKind::VneidActivation if assist.result == AssistResult::CompletedOnline => {
                    self.tally.vneid_activations += 1
                }
                ServiceKind::Procedure if dossier => {
                    self.tally.services_supported += 1;
                    if assist.level_42 == Some(Level42::ToanTrinh) {
                        self.tally.services_toan_trinh += 1;
                    }
                    if assist.level_43 == Some(Level43::Level4) {
                        self.tally.services_level4 += 1;
                    }
                }
                _ => {}
            }
            if assist.result == AssistResult::GuidedOnly {
                self.tally.guided_only += 1;
            }
        }
    }

    /// Adds a session; `hamlet_code` is set when it was held in a hamlet.
    pub fn add_session(&mut self, session: &OutreachSession, hamlet_code: Option<&str>) {
        self.tally.sessions += 1;
        self.tally.people_reached += u64::from(session.attendees);
        if let Some(h) = hamlet_code {
            self.add_hamlet(h);
        }
    }

    fn add_hamlet(&mut self, code: &str) {
        if self.hamlets.insert(code.to_owned()) {
            self.tally.hamlets_covered += 1;
        }
    }

    /// The counts so far; taking it at day boundaries gives each day's increments (see
    /// [`Tally::minus`]).
    pub fn current(&self) -> &Tally {
        &self.tally
    }

    pub fn finish(self) -> Tally {
        self.tally
    }
}
