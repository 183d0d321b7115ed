//! How days and instants cross the FFI.
//!
//! * **An instant** (when a visit started, when the queue last synced) is uniffi's builtin
//!   timestamp, `std::time::SystemTime`: `java.time.Instant` in Kotlin, `Date` in Swift,
//!   `datetime.datetime` (UTC) in Python.
//! * **A calendar day** (a follow-up date, the day a session was held, "today") is a
//!   [`CalendarDay`]: a day of the deployment's calendar (Asia/Ho_Chi_Minh), without a time or a
//!   zone. It crosses as the ISO string `"YYYY-MM-DD"`; the Kotlin bindings map it to
//!   `java.time.LocalDate` (see `bindings/uniffi.toml`); in Swift and Python it stays a `String`
//!   typealias holding that ISO form. A string that is not a real day ("2025-02-31") is refused
//!   with `FieldKitError.Validation` naming the field `day`.

use std::time::SystemTime;

use chrono::{DateTime, NaiveDate, Utc};

use crate::error::FieldKitError;

/// A day of the deployment's calendar, "YYYY-MM-DD" on the wire (Kotlin: `java.time.LocalDate`).
pub type CalendarDay = NaiveDate;

uniffi::custom_type!(CalendarDay, String, {
    remote,
    lower: |day| day.format("%Y-%m-%d").to_string(),
    try_lift: |s| parse_day(&s).map_err(uniffi::deps::anyhow::Error::new),
});

/// Parses the ISO form of a day, refusing anything else with a validation problem.
pub(crate) fn parse_day(s: &str) -> Result<NaiveDate, FieldKitError> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
        FieldKitError::invalid_input(
            "day",
            format!("Ngày \"{s}\" không hợp lệ (dạng NĂM-THÁNG-NGÀY)."),
            format!("Date \"{s}\" is not valid (YYYY-MM-DD)."),
        )
    })
}

pub(crate) fn instant(t: DateTime<Utc>) -> SystemTime {
    t.into()
}

pub(crate) fn from_instant(t: SystemTime) -> DateTime<Utc> {
    t.into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use uniffi::{FfiConverter, Lift, Lower};

    #[test]
    fn days_cross_as_iso_strings_and_bad_ones_are_refused() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let lowered = <CalendarDay as Lower<crate::UniFfiTag>>::lower(day);
        let back = <CalendarDay as Lift<crate::UniFfiTag>>::try_lift(lowered).unwrap();
        assert_eq!(back, day);
        let wire = <String as FfiConverter<crate::UniFfiTag>>::lower("2025-02-31".into());
        let err = <CalendarDay as Lift<crate::UniFfiTag>>::try_lift(wire).unwrap_err();
        match err.downcast::<FieldKitError>().unwrap() {
            FieldKitError::Validation { problems, .. } => assert_eq!(problems[0].field, "day"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn instants_round_trip_to_the_millisecond() {
        let t = DateTime::parse_from_rfc3339("2026-11-30T02:03:04.567Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(from_instant(instant(t)), t);
    }
}
