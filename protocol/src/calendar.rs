//! The one calendar of a deployment.
//!
//! A "day" in Gõ Cửa — today on the phone, this week, a follow-up due, a campaign's period and
//! peak windows, the clock-plausibility checks, the server's rollups and reports — is a day in the
//! deployment's time zone: Asia/Ho_Chi_Minh unless the server is configured otherwise. The server
//! sends its zone to the phones with the reference data, so a phone set to another zone (or a
//! test machine anywhere in the world) still counts Vietnamese days.
//!
//! Nothing in Gõ Cửa asks the machine for its local zone to decide a day. The phone's own UTC
//! offset is still recorded with each record, as evidence of how its clock was set, never used to
//! compute a day.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The zone of a deployment that says nothing else.
pub const DEFAULT_ZONE: &str = "Asia/Ho_Chi_Minh";

/// Days of one time zone. Cheap to copy.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Calendar {
    zone: Tz,
}

/// A zone name that is not in the IANA database this build carries.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown time zone \"{0}\" (expected an IANA name such as Asia/Ho_Chi_Minh)")]
pub struct UnknownZone(pub String);

impl Calendar {
    /// Vietnam: UTC+7 all year, no daylight saving.
    pub const VIETNAM: Calendar = Calendar {
        zone: chrono_tz::Asia::Ho_Chi_Minh,
    };

    /// The calendar of an IANA zone ("Asia/Ho_Chi_Minh", "Asia/Bangkok", …).
    pub fn from_zone_name(name: &str) -> Result<Calendar, UnknownZone> {
        Tz::from_str(name.trim())
            .map(|zone| Calendar { zone })
            .map_err(|_| UnknownZone(name.to_owned()))
    }

    /// The IANA name of the zone, as sent to phones.
    pub fn zone_name(&self) -> &'static str {
        self.zone.name()
    }

    /// The calendar day an instant falls on.
    pub fn day_of(&self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.zone).date_naive()
    }

    /// The wall-clock time of an instant, for showing it ("14:05, 25/11/2026").
    pub fn local_time(&self, at: DateTime<Utc>) -> NaiveDateTime {
        at.with_timezone(&self.zone).naive_local()
    }

    /// The first instant of a day. Where a zone skips midnight (a daylight-saving gap), the day
    /// starts at the first wall-clock time that exists.
    pub fn start_of(&self, day: NaiveDate) -> DateTime<Utc> {
        let midnight = day.and_hms_opt(0, 0, 0).expect("midnight exists");
        let mut probe = midnight;
        // A gap is at most a few hours; step forward until the wall clock exists.
        for _ in 0..48 {
            match self.zone.from_local_datetime(&probe) {
                LocalResult::Single(t) => return t.with_timezone(&Utc),
                LocalResult::Ambiguous(first, _) => return first.with_timezone(&Utc),
                LocalResult::None => probe += Duration::minutes(30),
            }
        }
        midnight.and_utc()
    }

    /// The instants bounding the days `from..=to`: `start <= t < end` for every `t` on those days.
    pub fn day_range(&self, from: NaiveDate, to: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
        let end = to
            .succ_opt()
            .map_or(DateTime::<Utc>::MAX_UTC, |next| self.start_of(next));
        (self.start_of(from), end)
    }

    /// Monday of the week `day` is in (weeks run Monday to Sunday, as in Vietnam).
    pub fn week_start(day: NaiveDate) -> NaiveDate {
        day - Duration::days(day.weekday().num_days_from_monday().into())
    }

    /// The zone's UTC offset at an instant, in minutes (Vietnam: +420).
    pub fn utc_offset_minutes(&self, at: DateTime<Utc>) -> i32 {
        use chrono::Offset;
        at.with_timezone(&self.zone)
            .offset()
            .fix()
            .local_minus_utc()
            / 60
    }
}

impl Default for Calendar {
    fn default() -> Self {
        Calendar::VIETNAM
    }
}

impl fmt::Debug for Calendar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Calendar({})", self.zone_name())
    }
}

impl fmt::Display for Calendar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.zone_name())
    }
}

impl FromStr for Calendar {
    type Err = UnknownZone;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Calendar::from_zone_name(s)
    }
}

impl Serialize for Calendar {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.zone_name())
    }
}

impl<'de> Deserialize<'de> for Calendar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Calendar::from_zone_name(&name).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn vietnamese_days_turn_at_17_utc() {
        let cal = Calendar::VIETNAM;
        // 23:59 and 00:01 in Vietnam.
        assert_eq!(cal.day_of(utc(2026, 11, 29, 16, 59)), day(2026, 11, 29));
        assert_eq!(cal.day_of(utc(2026, 11, 29, 17, 1)), day(2026, 11, 30));
        assert_eq!(cal.start_of(day(2026, 11, 30)), utc(2026, 11, 29, 17, 0));
        let (start, end) = cal.day_range(day(2026, 11, 30), day(2026, 11, 30));
        assert_eq!(
            (start, end),
            (utc(2026, 11, 29, 17, 0), utc(2026, 11, 30, 17, 0))
        );
        assert_eq!(cal.utc_offset_minutes(start), 420);
    }

    #[test]
    fn every_instant_of_a_day_lies_in_its_range() {
        let cal = Calendar::VIETNAM;
        let mut t = utc(2026, 3, 1, 0, 0);
        while t < utc(2026, 3, 4, 0, 0) {
            let d = cal.day_of(t);
            let (start, end) = cal.day_range(d, d);
            assert!(start <= t && t < end, "{t} outside {d}");
            t += Duration::minutes(7);
        }
    }

    #[test]
    fn other_zones_and_daylight_saving() {
        let cal = Calendar::from_zone_name("America/Sao_Paulo").unwrap();
        assert_eq!(cal.zone_name(), "America/Sao_Paulo");
        let berlin = Calendar::from_zone_name("Europe/Berlin").unwrap();
        // 2026-03-29 has 23 hours in Berlin.
        let (start, end) = berlin.day_range(day(2026, 3, 29), day(2026, 3, 29));
        assert_eq!(end - start, Duration::hours(23));
        assert!(Calendar::from_zone_name("Mars/Olympus_Mons").is_err());
    }

    #[test]
    fn weeks_start_on_monday() {
        assert_eq!(Calendar::week_start(day(2026, 11, 29)), day(2026, 11, 23));
        assert_eq!(Calendar::week_start(day(2026, 11, 30)), day(2026, 11, 30));
    }

    #[test]
    fn serialises_as_the_zone_name() {
        let json = serde_json::to_string(&Calendar::VIETNAM).unwrap();
        assert_eq!(json, "\"Asia/Ho_Chi_Minh\"");
        let back: Calendar = serde_json::from_str(&json).unwrap();
        assert_eq!(back, Calendar::VIETNAM);
        assert!(serde_json::from_str::<Calendar>("\"Nowhere/Else\"").is_err());
    }
}
