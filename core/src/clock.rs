//! Injectable clock: the real one reads the phone's clock; tests set time by hand.
//!
//! Days are never taken from here: they are days of the deployment's calendar
//! ([`gocua_protocol::Calendar`], sent by the server), see `Store::today`. The phone's own UTC
//! offset is read only to be recorded with each record, as evidence of how the phone was set.

use std::sync::Mutex;

use chrono::{DateTime, Duration, Local, Offset, Utc};

pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
    /// The phone's own UTC offset in minutes (Vietnam: +420). Recorded as evidence only; never
    /// used to decide which day something happened on.
    fn utc_offset_minutes(&self) -> i16;
}

#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
    fn utc_offset_minutes(&self) -> i16 {
        (Local::now().offset().fix().local_minus_utc() / 60) as i16
    }
}

/// A clock that only moves when told to.
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<DateTime<Utc>>,
    offset_minutes: i16,
}

impl ManualClock {
    pub fn new(now: DateTime<Utc>, offset_minutes: i16) -> Self {
        ManualClock {
            now: Mutex::new(now),
            offset_minutes,
        }
    }
    pub fn set(&self, now: DateTime<Utc>) {
        *self.now.lock().unwrap_or_else(|e| e.into_inner()) = now;
    }
    pub fn advance(&self, by: Duration) {
        let mut now = self.now.lock().unwrap_or_else(|e| e.into_inner());
        *now += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.now.lock().unwrap_or_else(|e| e.into_inner())
    }
    fn utc_offset_minutes(&self) -> i16 {
        self.offset_minutes
    }
}
