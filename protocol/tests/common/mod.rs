//! What the protocol's rule tests share: one fixed "now" (a morning in Vietnam, so no test
//! depends on the wall clock or the machine's zone) and a record made at that moment.

use chrono::{Duration, TimeZone, Utc};
use gocua_protocol::{DeviceTime, Hlc, Visit, VisitOutcome};
use uuid::Uuid;

/// 2026-03-10 09:00 in Vietnam.
pub fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 10, 2, 0, 0).unwrap()
}

/// A visit started an hour before [`now`] in which one person was met, with fresh ids and
/// nothing else set (no campaign, note, assists, GPS or follow-up).
pub fn visit() -> Visit {
    Visit {
        id: Uuid::now_v7(),
        household_id: Uuid::now_v7(),
        volunteer_id: Uuid::now_v7(),
        team_id: Uuid::now_v7(),
        campaign_id: None,
        revision: 1,
        supersedes: None,
        started_at: now() - Duration::hours(1),
        ended_at: None,
        outcome: VisitOutcome::Met,
        people_reached: 1,
        gps: None,
        note: None,
        follow_up_on: None,
        assists: vec![],
        recorded: recorded(),
        hlc: Hlc::ZERO,
    }
}

/// Recorded [`now`] on a phone set to Vietnam's time (UTC+7).
pub fn recorded() -> DeviceTime {
    DeviceTime {
        utc: now(),
        offset_minutes: 420,
    }
}
