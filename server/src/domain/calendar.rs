//! The deployment's calendar on the server: every day the server speaks of (rollups, periods,
//! reports, "today" on a page) is a day of this one zone, the one the phones are sent with their
//! reference data. Asia/Ho_Chi_Minh unless `GOCUA_TIME_ZONE` names another IANA zone. The rules
//! of days live in `gocua_protocol::calendar`; this file only holds which zone is in force.

use std::sync::OnceLock;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
pub use gocua_protocol::calendar::{Calendar, UnknownZone};

/// The environment variable naming the deployment's zone.
pub const ZONE_VAR: &str = "GOCUA_TIME_ZONE";

static DEPLOYMENT: OnceLock<Calendar> = OnceLock::new();

/// Reads the zone from `GOCUA_TIME_ZONE` (unset or empty: Vietnam) and fixes it for the life of
/// the process. Called once at start-up, before anything counts a day.
pub fn configure_from_env() -> Result<Calendar, UnknownZone> {
    let calendar = match std::env::var(ZONE_VAR) {
        Ok(name) if !name.trim().is_empty() => Calendar::from_zone_name(&name)?,
        _ => Calendar::default(),
    };
    Ok(*DEPLOYMENT.get_or_init(|| calendar))
}

/// Fixes `calendar` for the life of the process (`gocua serve` reads its zone from its
/// configuration, which includes `GOCUA_TIME_ZONE`). Returns the calendar in force: the first
/// one fixed wins.
pub fn configure(calendar: Calendar) -> Calendar {
    *DEPLOYMENT.get_or_init(|| calendar)
}

/// The calendar in force.
pub fn get() -> Calendar {
    DEPLOYMENT.get().copied().unwrap_or_default()
}

/// The calendar day of an instant.
pub fn day_of(at: DateTime<Utc>) -> NaiveDate {
    get().day_of(at)
}

/// Today, in the deployment's calendar.
pub fn today() -> NaiveDate {
    day_of(Utc::now())
}

/// The instants bounding the days `from..=to` (`start <= t < end`).
pub fn day_range(from: NaiveDate, to: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    get().day_range(from, to)
}

/// The wall-clock time of an instant in the deployment's zone, for showing it.
pub fn local_time(at: DateTime<Utc>) -> NaiveDateTime {
    get().local_time(at)
}
