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
//!
//! How far a count has got towards its target is [`share_of_target`], also once: every screen,
//! report and terminal table rounds the same exact fraction the same way (see [`Share`]).

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::enums::*;
use crate::records::{OutreachSession, Visit};
use crate::reference::{AreaTree, Service};

/// The counts of the indicators. With the `uniffi` feature it is also the phone apps' record
/// (`Tally` in Kotlin and Swift), so the apps read the same counts the server reports.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
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

    /// Adds a session. It counts towards the hamlets covered only when its area is a hamlet in
    /// `areas` (a session held for a whole commune covers no particular hamlet; an area `areas`
    /// does not know covers none either).
    pub fn add_session(&mut self, session: &OutreachSession, areas: &AreaTree) {
        self.tally.sessions += 1;
        self.tally.people_reached += u64::from(session.attendees);
        if areas.level(&session.area_code) == Some(&AreaLevel::Hamlet) {
            self.add_hamlet(&session.area_code);
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

/// How far a count has got towards its target: the exact fraction `achieved / target`, with a
/// target above zero. Made by [`share_of_target`]; each language's formatter turns it into text.
///
/// The rounding, in one place: a share is kept exact (two whole numbers, never a float that was
/// already rounded) and rounded once, at the precision it is shown:
/// - [`Share::whole_percent`]: whole per cent, **rounded down**, so that "100" means the target
///   is met (the phones' progress, `format::percent`);
/// - [`Share::tenths_of_percent`]: per cent with one decimal, **rounded to the nearest tenth,
///   halves up** (the dashboard, the quick report, the terminal: "87,5%" for 1.312/1.500);
/// - [`Share::ratio`]: the fraction as a number, for spreadsheets that format it themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Share {
    achieved: u64,
    /// Never 0.
    target: u64,
}

/// The share of `target` that `achieved` reaches (may exceed the whole). `None` when there is no
/// target to measure against: none set, or a target of 0 — a missing target is neither 0 % done
/// nor infinitely achieved; each screen shows that its own way ("—", or 100 on the phones).
pub fn share_of_target(achieved: u64, target: Option<u64>) -> Option<Share> {
    target
        .filter(|t| *t > 0)
        .map(|target| Share { achieved, target })
}

impl Share {
    pub fn achieved(self) -> u64 {
        self.achieved
    }

    pub fn target(self) -> u64 {
        self.target
    }

    /// Whether the target is met (the share is 100 % or more).
    pub fn is_reached(self) -> bool {
        self.achieved >= self.target
    }

    /// `achieved / target` as a number: 0.875 for 7 of 8 (may exceed 1.0).
    pub fn ratio(self) -> f64 {
        self.achieved as f64 / self.target as f64
    }

    /// Whole per cent, rounded down: 7 of 8 is 87, 123 of 200 is 61; may exceed 100.
    pub fn whole_percent(self) -> u64 {
        let p = u128::from(self.achieved) * 100 / u128::from(self.target);
        u64::try_from(p).unwrap_or(u64::MAX)
    }

    /// Per cent in tenths, rounded to the nearest tenth, halves up: 7 of 8 is 875 (87,5 %), 2 of
    /// 3 is 667 (66,7 %), 1 of 16 is 63 (6,25 % → 6,3 %); may exceed 1000.
    pub fn tenths_of_percent(self) -> u64 {
        let (a, t) = (u128::from(self.achieved), u128::from(self.target));
        let p = (a * 2_000 + t) / (2 * t);
        u64::try_from(p).unwrap_or(u64::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::Area;
    use proptest::prelude::*;

    fn session(area_code: &str, attendees: u32) -> OutreachSession {
        OutreachSession {
            id: Uuid::nil(),
            team_id: Uuid::nil(),
            volunteer_id: Uuid::nil(),
            campaign_id: None,
            kind: SessionKind::CommunityMeeting,
            area_code: area_code.into(),
            place: "Nhà văn hoá".into(),
            held_on: chrono::NaiveDate::from_ymd_opt(2026, 3, 10).unwrap(),
            attendees,
            materials: Vec::new(),
            note: None,
            recorded: crate::records::DeviceTime {
                utc: chrono::DateTime::UNIX_EPOCH,
                offset_minutes: 420,
            },
            hlc: crate::Hlc::ZERO,
        }
    }

    fn tree() -> AreaTree {
        let area = Area::bare;
        AreaTree::new(&[
            area("86", AreaLevel::Province, None),
            area("28789", AreaLevel::Commune, Some("86")),
            area("28789-KP1", AreaLevel::Hamlet, Some("28789")),
        ])
    }

    #[test]
    fn a_session_counts_for_a_hamlet_only_when_its_area_is_a_hamlet() {
        let areas = tree();
        let mut b = TallyBuilder::new(&[]);
        b.add_session(&session("28789", 30), &areas);
        b.add_session(&session("99999", 5), &areas);
        assert_eq!(
            b.current().hamlets_covered,
            0,
            "a commune or an unknown area"
        );
        b.add_session(&session("28789-KP1", 12), &areas);
        b.add_session(&session("28789-KP1", 8), &areas);
        let t = b.finish();
        assert_eq!(
            (t.sessions, t.people_reached, t.hamlets_covered),
            (4, 55, 1)
        );
    }

    #[test]
    fn shares_of_targets() {
        assert_eq!(share_of_target(7, None), None);
        assert_eq!(share_of_target(7, Some(0)), None);
        let s = share_of_target(7, Some(8)).unwrap();
        assert_eq!((s.achieved(), s.target()), (7, 8));
        assert_eq!((s.whole_percent(), s.tenths_of_percent()), (87, 875));
        assert_eq!(s.ratio(), 0.875);
        assert!(!s.is_reached());
        let s = share_of_target(1_312, Some(1_500)).unwrap();
        assert_eq!((s.whole_percent(), s.tenths_of_percent()), (87, 875));
        let s = share_of_target(123, Some(200)).unwrap();
        assert_eq!((s.whole_percent(), s.tenths_of_percent()), (61, 615));
        let s = share_of_target(2, Some(3)).unwrap();
        assert_eq!((s.whole_percent(), s.tenths_of_percent()), (66, 667));
        let s = share_of_target(1, Some(16)).unwrap();
        assert_eq!((s.whole_percent(), s.tenths_of_percent()), (6, 63));
        let s = share_of_target(9_996, Some(10_000)).unwrap();
        assert_eq!((s.whole_percent(), s.tenths_of_percent()), (99, 1_000));
        assert!(!s.is_reached());
        let s = share_of_target(50, Some(40)).unwrap();
        assert_eq!((s.whole_percent(), s.tenths_of_percent()), (125, 1_250));
        assert!(s.is_reached() && share_of_target(8, Some(8)).unwrap().is_reached());
        let s = share_of_target(0, Some(8)).unwrap();
        assert_eq!((s.whole_percent(), s.tenths_of_percent()), (0, 0));
        let s = share_of_target(u64::MAX, Some(1)).unwrap();
        assert_eq!(
            (s.whole_percent(), s.tenths_of_percent()),
            (u64::MAX, u64::MAX)
        );
    }

    proptest! {
        #[test]
        fn shares_round_once_from_the_exact_fraction(a in 0u64..10_000_000, t in 1u64..10_000_000) {
            let s = share_of_target(a, Some(t)).unwrap();
            let (a, t) = (u128::from(a), u128::from(t));
            // Whole per cent: the largest p with p/100 <= a/t.
            let p = u128::from(s.whole_percent());
            prop_assert!(p * t <= a * 100 && (p + 1) * t > a * 100);
            // Tenths: within half a tenth of the exact value, halves going up.
            let d = u128::from(s.tenths_of_percent());
            prop_assert!(2 * d * t <= 2_000 * a + t && 2_000 * a + t < 2 * (d + 1) * t);
            prop_assert_eq!(s.is_reached(), a >= t);
        }
    }
}
