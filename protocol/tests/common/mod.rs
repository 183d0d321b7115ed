//! What the protocol's rule tests share: one fixed "now" (a morning in Vietnam, so no test
//! depends on the wall clock or the machine's zone) and a record made at that moment.

use chrono::{TimeZone, Utc};
use gocua_protocol::DeviceTime;

/// 2026-03-10 09:00 in Vietnam.
pub fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 10, 2, 0, 0).unwrap()
}

/// Recorded [`now`] on a phone set to Vietnam's time (UTC+7).
pub fn recorded() -> DeviceTime {
    DeviceTime {
        utc: now(),
        offset_minutes: 420,
    }
}
