//! Times as the store keeps them: milliseconds since the Unix epoch, UTC.

use chrono::{DateTime, TimeZone, Utc};

pub(crate) fn millis(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

pub(crate) fn from_millis(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}
