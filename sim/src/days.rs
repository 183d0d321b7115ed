//! A few days of door-to-door work recorded offline on one phone: households met in the team's
//! hamlets (some tried again after nobody was home), visits with the services helped with,
//! outreach sessions, and the difficulties met. Everything waits in the phone's encrypted queue;
//! nothing is sent here.
//!
//! Every random choice comes from the plan's seed, in a fixed order, so the same seed records the
//! same field work (only the times follow the clock).

use chrono::{DateTime, Duration, Utc};
use gocua_core::protocol::calendar::Calendar;
use gocua_core::protocol::*;
use gocua_core::{
    AssistDraft, ConsentDraft, FeedbackDraft, HouseholdDraft, SessionDraft, Store, VisitDraft,
};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use uuid::Uuid;

use crate::draw::{pick, weighted, weighted_index};
use crate::fieldwork::*;
use crate::names::{address, person_name, phone_number};
use crate::plan::PhonePlan;
use crate::schedule::visit_times;

/// How many records of each kind were made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub households: u32,
    pub visits: u32,
    pub sessions: u32,
    pub feedback: u32,
}

/// Records `plan.visits` visits (and the households, sessions and feedback around them) in
/// `store`, as of `now`. The store must have its reference data (team, areas, catalogue).
pub fn record_field_days(
    store: &Store,
    plan: &PhonePlan,
    campaign: &Campaign,
    calendar: Calendar,
    now: DateTime<Utc>,
) -> gocua_core::Result<Counts> {
    let services = store.services()?;
    let mut rng = StdRng::seed_from_u64(plan.seed);
    let times = visit_times(&mut rng, plan.visits, now, calendar);
    let weights: Vec<u32> = SERVICES.iter().map(|s| s.1).collect();
    let mut tally = Counts::default();
    // Households nobody answered at, waiting for another try.
    let mut revisit: Vec<(Uuid, usize)> = Vec::new();
    let mut not_finished: Vec<(Uuid, NotFinishedReason, String)> = Vec::new();
    for at in times {
        let local_day = calendar.day_of(at);
        let (household_id, hamlet) = if !revisit.is_empty() && rng.random_bool(0.35) {
            let i = rng.random_range(0..revisit.len());
            revisit.swap_remove(i)
        } else {
            let h = rng.random_range(0..plan.hamlets.len());
            let hamlet = &plan.hamlets[h];
            let consent = rng.random_bool(0.4);
            let created = store.create_household(&HouseholdDraft {
                draft_key: None,
                commune_code: hamlet.commune_code.clone(),
                hamlet_code: Some(hamlet.code.clone()),
                address_line: address(&mut rng, &hamlet.name, hamlet.ward),
                head_name: person_name(&mut rng),
                phone: consent.then(|| phone_number(&mut rng)),
                members: weighted(
                    &mut rng,
                    &[(1u16, 2), (2, 4), (3, 6), (4, 8), (5, 5), (6, 3), (7, 1)],
                ),
                consent: consent.then_some(ConsentDraft {
                    given: true,
                    method: ConsentMethod::Verbal,
                }),
            })?;
            tally.households += 1;
            (created.id, h)
        };
        let members = store.household(household_id)?.members;
        let outcome = weighted(
            &mut rng,
            &[
                (VisitOutcome::Met, 76),
                (VisitOutcome::NotHome, 15),
                (VisitOutcome::Refused, 5),
                (VisitOutcome::MovedAway, 2),
                (VisitOutcome::Other, 2),
            ],
        );
        let met = outcome == VisitOutcome::Met;
        let mut assists = Vec::new();
        if met {
            let n = weighted(&mut rng, &[(0usize, 30), (1, 50), (2, 20)]);
            let mut used = Vec::new();
            while assists.len() < n {
                let i = weighted_index(&mut rng, &weights);
                if used.contains(&i) {
                    continue;
                }
                used.push(i);
                let (key, _, l42, l43) = SERVICES[i];
                if let Some(service) = services.iter().find(|s| s.key == key && s.active) {
                    assists.push(assist(&mut rng, service, (l42, l43), at, calendar));
                } else {
                    break;
                }
            }
        }
        let unfinished = assists
            .iter()
            .find_map(|a: &AssistDraft| a.not_finished_reason.clone());
        let follow_up_on = match (&outcome, &unfinished) {
            (VisitOutcome::NotHome, _) => Some(local_day + Duration::days(rng.random_range(1..4))),
            (_, Some(_)) => Some(local_day + Duration::days(rng.random_range(3..8))),
            _ => None,
        };
        let note = match outcome {
            VisitOutcome::Met if rng.random_bool(0.3) => {
                Some(pick(&mut rng, MET_NOTES).to_string())
            }
            VisitOutcome::NotHome => Some(pick(&mut rng, NOT_HOME_NOTES).to_string()),
            VisitOutcome::Refused => Some(pick(&mut rng, REFUSED_NOTES).to_string()),
            VisitOutcome::MovedAway => Some(MOVED_AWAY_NOTE.to_owned()),
            VisitOutcome::Other => Some(OTHER_NOTE.to_owned()),
            _ => None,
        };
        let minutes = if met {
            rng.random_range(8..35)
        } else {
            rng.random_range(1..4)
        };
        let ended_at = (at + Duration::minutes(minutes)).min(now);
        let gps = rng.random_bool(0.8).then(|| GeoPoint {
            lat: 10.24 - rng.random_range(0.0..0.12),
            lon: 106.37 + rng.random_range(0.0..0.25),
            accuracy_m: rng.random_range(4.0..40.0),
        });
        let visit = store.record_visit(&VisitDraft {
            draft_key: None,
            household_id,
            campaign_id: Some(campaign.id),
            started_at: Some(at),
            ended_at: Some(ended_at),
            outcome: outcome.clone(),
            people_reached: if met {
                rng.random_range(1..=members.clamp(1, 4))
            } else {
                0
            },
            gps,
            note,
            follow_up_on,
            assists,
            consent: None,
        })?;
        tally.visits += 1;
        if outcome == VisitOutcome::NotHome {
            revisit.push((household_id, hamlet));
        }
        if let Some(reason) = unfinished {
            not_finished.push((visit.id, reason, plan.hamlets[hamlet].name.clone()));
        }
    }

    // Outreach sessions of these days.
    let today = calendar.day_of(now);
    let n_sessions = rng.random_range(2..=4);
    let mut session_ids = Vec::new();
    for _ in 0..n_sessions {
        let spec = &SESSION_KINDS[weighted_index(&mut rng, SESSION_WEIGHTS)];
        let (area, where_) = if spec.in_hamlet {
            let h = pick(&mut rng, &plan.hamlets);
            (h.code.clone(), h.name.clone())
        } else {
            let c = pick(&mut rng, &plan.communes);
            (c.code.clone(), c.name.clone())
        };
        let materials: Vec<String> = MATERIALS
            .iter()
            .filter(|_| rng.random_bool(0.4))
            .map(|m| (*m).to_owned())
            .collect();
        let s = store.record_session(&SessionDraft {
            draft_key: None,
            campaign_id: Some(campaign.id),
            kind: spec.kind.clone(),
            area_code: area,
            place: format!("{} – {where_}", spec.place),
            held_on: today - Duration::days(rng.random_range(0..4)),
            attendees: rng.random_range(spec.attendees.0..=spec.attendees.1),
            materials,
            note: None,
        })?;
        session_ids.push(s.id);
        tally.sessions += 1;
    }

    // Difficulties met, truthfully: from visits that could not finish, and general ones.
    for (visit_id, reason, place) in not_finished.iter().take(2) {
        let (category, text) = feedback_for(reason, place);
        store.record_feedback(&FeedbackDraft {
            draft_key: None,
            source: FeedbackSource::Visit(*visit_id),
            category,
            text,
            area_code: None,
        })?;
        tally.feedback += 1;
    }
    let (category, text) = pick(&mut rng, GENERAL_FEEDBACK).clone();
    store.record_feedback(&FeedbackDraft {
        draft_key: None,
        source: session_ids
            .first()
            .map_or(FeedbackSource::General, |s| FeedbackSource::Session(*s)),
        category,
        text: text.to_owned(),
        area_code: Some(pick(&mut rng, &plan.communes).code.clone()),
    })?;
    tally.feedback += 1;
    Ok(tally)
}

#[cfg(test)]
mod tests {
    use std::fs::File;
    use std::path::Path;
    use std::sync::Arc;

    use gocua_core::protocol::import::{areas, services};
    use gocua_core::{DeviceProfile, StoreKey, SystemClock};

    use super::*;
    use crate::plan::Place;

    /// A file of the repository's `data/`.
    fn data_file(name: &str) -> File {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../data")
            .join(name);
        File::open(&path).unwrap_or_else(|e| panic!("cannot open {}: {e}", path.display()))
    }

    /// A store with what a first sync brings (two real communes of Vĩnh Long with two hamlets
    /// each, the starter catalogue, a campaign around today) and the plan of a phone there.
    fn enrolled_store(path: &Path, seed: u64) -> (Store, PhonePlan, Campaign) {
        let store = Store::open(path, &StoreKey::generate(), Arc::new(SystemClock)).unwrap();
        let mut areas: Vec<Area> = areas::parse_areas(data_file("vn-admin-units-2025-07.csv"))
            .unwrap_or_else(|e| panic!("{} area errors", e.len()))
            .into_iter()
            .filter(|a| a.code == "86" || a.parent_code.as_deref() == Some("86"))
            .collect();
        let communes: Vec<Place> = areas
            .iter()
            .filter(|a| a.name == "Phường Bến Tre" || a.name == "Xã Mỏ Cày")
            .map(|a| Place {
                code: a.code.clone(),
                name: a.name.clone(),
                commune_code: a.code.clone(),
                ward: a.division_type == "phường",
            })
            .collect();
        assert_eq!(communes.len(), 2);
        let mut hamlets = Vec::new();
        for c in &communes {
            for i in 1..=2 {
                let (name, kind) = if c.ward {
                    (format!("Khu phố {i}"), "khu phố")
                } else {
                    (format!("Ấp {i}"), "ấp")
                };
                let code = format!("{}-{i:02}", c.code);
                areas.push(Area {
                    code: code.clone(),
                    name: name.clone(),
                    level: AreaLevel::Hamlet,
                    division_type: kind.into(),
                    parent_code: Some(c.code.clone()),
                });
                hamlets.push(Place {
                    code,
                    name,
                    commune_code: c.code.clone(),
                    ward: c.ward,
                });
            }
        }
        let team = Team {
            id: Uuid::now_v7(),
            name: "Đội TNTN thử".into(),
            org_unit_id: Uuid::now_v7(),
            area_codes: communes.iter().map(|c| c.code.clone()).collect(),
            members: vec![],
        };
        let today = Calendar::VIETNAM.day_of(Utc::now());
        let campaign = Campaign {
            id: Uuid::now_v7(),
            name: "Đi từng ngõ, gõ từng nhà".into(),
            legal_reference: "241-KH/TĐTN-TCKT".into(),
            starts_on: today - Duration::days(30),
            ends_on: today + Duration::days(30),
            peak_windows: vec![],
            report_deadline: today + Duration::days(30),
        };
        store
            .apply_reference_data(
                &ReferenceData {
                    areas,
                    teams: vec![team.clone()],
                    services: services::parse_services(data_file("services-starter.csv"))
                        .unwrap_or_else(|e| panic!("{} service errors", e.len())),
                    campaigns: vec![campaign.clone()],
                    ..Default::default()
                },
                true,
            )
            .unwrap();
        store
            .set_profile(&DeviceProfile {
                volunteer_id: Uuid::now_v7(),
                volunteer_name: "Lê Thị Hoa".into(),
                team_id: team.id,
            })
            .unwrap();
        let plan = PhonePlan {
            index: 1,
            label: "Nokia C32 – Lê Thị Hoa".into(),
            code: String::new(),
            team: team.name,
            communes,
            hamlets,
            visits: 40,
            seed,
        };
        (store, plan, campaign)
    }

    /// Records a phone's days; what it holds, without ids and times.
    fn record(dir: &Path, name: &str, seed: u64) -> (Counts, Vec<String>) {
        let (store, plan, campaign) = enrolled_store(&dir.join(name), seed);
        let counts =
            record_field_days(&store, &plan, &campaign, Calendar::VIETNAM, Utc::now()).unwrap();
        let queued = store.queue_status().unwrap();
        assert_eq!(
            (queued.pending, queued.rejected),
            (
                counts.households + counts.visits + counts.sessions + counts.feedback,
                0
            ),
            "everything recorded waits in the queue: {queued:?}"
        );
        let households = store
            .list_households_page(None, None, 1000, None)
            .unwrap()
            .items
            .into_iter()
            .map(|h| format!("{} | {} | {}", h.head_name, h.address_line, h.members))
            .collect();
        (counts, households)
    }

    #[test]
    fn a_seed_records_the_same_field_work() {
        let dir = tempfile::tempdir().unwrap();
        let (counts, households) = record(dir.path(), "a.db", 2021);
        assert_eq!(counts.visits, 40);
        assert!((2..=4).contains(&counts.sessions), "{counts:?}");
        assert!(counts.feedback >= 1, "{counts:?}");
        assert_eq!(households.len(), counts.households as usize);
        assert_eq!(
            record(dir.path(), "b.db", 2021),
            (counts, households.clone()),
            "seed 2021 twice"
        );
        assert_ne!(
            record(dir.path(), "c.db", 2022).1,
            households,
            "seeds 2021 and 2022"
        );
    }
}
