//! The sign-in lock-out rule: how many failures lock, for how long ([`MAX_FAILED_LOGINS`],
//! [`LOCK_MINUTES`]; an account's lock lives in its row, `accounts::settle_login`), and the locks
//! of names that have no account, so that guessing tells nothing about which accounts exist: after [`MAX_FAILED_LOGINS`] wrong guesses an unknown name is answered "locked until …"
//! for [`LOCK_MINUTES`] minutes exactly as a real account would be (whose lock lives in its row,
//! `accounts::settle_login`). Together with the equal argon2 cost of every attempt, the answers
//! and their timing are the same whether or not the account exists.
//!
//! Kept in the process's memory (there is no row to keep it in), bounded: when [`MAX_NAMES`]
//! names are tracked, those not locked any more are forgotten first, then all.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

/// Failed logins in a row before an account (or a name without one) is locked.
pub const MAX_FAILED_LOGINS: i64 = 5;
/// How long a lock lasts.
pub const LOCK_MINUTES: i64 = 15;

/// How many unknown names are tracked at once (a few hundred KiB at most).
pub const MAX_NAMES: usize = 10_000;

#[derive(Default)]
struct Tracked {
    failed: i64,
    locked_until: Option<DateTime<Utc>>,
}

#[derive(Default)]
pub struct UnknownNameLocks {
    names: Mutex<HashMap<String, Tracked>>,
}

impl UnknownNameLocks {
    pub fn new() -> Self {
        Self::default()
    }

    /// A failed sign-in with `username`, which names no account: the lock until when it is
    /// locked (now, or still), as for an account — while locked nothing more is counted.
    pub fn fail(&self, username: &str, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let key = username.trim().to_lowercase();
        let mut names = self.names.lock().unwrap_or_else(|e| e.into_inner());
        if names.len() >= MAX_NAMES && !names.contains_key(&key) {
            names.retain(|_, t| t.locked_until.is_some_and(|until| until > now));
            if names.len() >= MAX_NAMES {
                names.clear();
            }
        }
        let tracked = names.entry(key).or_default();
        if let Some(until) = tracked.locked_until.filter(|until| *until > now) {
            return Some(until);
        }
        tracked.locked_until = None;
        tracked.failed += 1;
        if tracked.failed < MAX_FAILED_LOGINS {
            return None;
        }
        let until = now + Duration::minutes(LOCK_MINUTES);
        *tracked = Tracked {
            failed: 0,
            locked_until: Some(until),
        };
        Some(until)
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn an_unknown_name_locks_after_the_same_count_and_for_the_same_time() {
        let locks = UnknownNameLocks::new();
        let t0 = Utc.with_ymd_and_hms(2026, 3, 10, 2, 0, 0).unwrap();
        for _ in 1..MAX_FAILED_LOGINS {
            assert_eq!(locks.fail("Khong-Co-Ai", t0), None);
        }
        let until = t0 + Duration::minutes(LOCK_MINUTES);
        assert_eq!(
            locks.fail(" khong-co-ai ", t0),
            Some(until),
            "the fifth locks"
        );
        let later = t0 + Duration::minutes(LOCK_MINUTES - 1);
        assert_eq!(
            locks.fail("khong-co-ai", later),
            Some(until),
            "still locked"
        );
        let after = until + Duration::seconds(1);
        assert_eq!(
            locks.fail("khong-co-ai", after),
            None,
            "counting starts again"
        );
    }

    #[test]
    fn the_memory_is_bounded() {
        let locks = UnknownNameLocks::new();
        let t0 = Utc.with_ymd_and_hms(2026, 3, 10, 2, 0, 0).unwrap();
        for i in 0..MAX_NAMES + 10 {
            locks.fail(&format!("ten-{i}"), t0);
        }
        assert!(locks.names.lock().unwrap().len() <= MAX_NAMES);
    }
}
