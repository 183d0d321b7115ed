//! The sign-in lock-out rule: how many failures lock, for how long ([`MAX_FAILED_LOGINS`],
//! [`LOCK_MINUTES`]; an account's lock lives in its row, `accounts::settle_login`), and the locks
//! of names that have no account, so that guessing tells nothing about which accounts exist: after [`MAX_FAILED_LOGINS`] wrong guesses an unknown name is answered "locked until …"
//! for [`LOCK_MINUTES`] minutes exactly as a real account would be (whose lock lives in its row,
//! `accounts::settle_login`). Together with the equal argon2 cost of every attempt, the answers
//! and their timing are the same whether or not the account exists.
//!
//! The locks of unknown names live in the database (`login_name_locks`, [`fail_unknown_name`]),
//! so a lock set through one `gocua serve` holds on every other process on the same database.
//! Rows untouched for a day are pruned as others are written; a name is kept to its first 64
//! characters.

use chrono::{DateTime, Duration, Utc};

use crate::db::{DbResult, Sql};
use crate::params;

/// Failed logins in a row before an account (or a name without one) is locked.
pub const MAX_FAILED_LOGINS: i64 = 5;
/// How long a lock lasts.
pub const LOCK_MINUTES: i64 = 15;

/// A failed sign-in with `username`, which names no account, counted in the database: the lock
/// until when it is locked (now, or still), as for an account — while locked nothing more is
/// counted. The count is one atomic upsert, so simultaneous failures on several processes all
/// count.
pub fn fail_unknown_name(
    sql: &mut dyn Sql,
    username: &str,
    now: DateTime<Utc>,
) -> DbResult<Option<DateTime<Utc>>> {
    let key: String = username.trim().to_lowercase().chars().take(64).collect();
    if let Some(until) = sql
        .query_one(
            "SELECT locked_until FROM login_name_locks WHERE name = ?",
            params![key.clone()],
        )?
        .and_then(|r| r.opt_time(0))
        .filter(|until| *until > now)
    {
        return Ok(Some(until));
    }
    sql.exec(
        "DELETE FROM login_name_locks WHERE updated_at < ?",
        params![now - Duration::days(1)],
    )?;
    // A lock that has passed starts the count again.
    let failed = sql
        .query_one(
            "INSERT INTO login_name_locks(name, failed, locked_until, updated_at) VALUES (?, 1, NULL, ?)
             ON CONFLICT(name) DO UPDATE SET
               failed = CASE WHEN login_name_locks.locked_until IS NULL THEN login_name_locks.failed + 1 ELSE 1 END,
               locked_until = NULL,
               updated_at = excluded.updated_at
             RETURNING failed",
            params![key.clone(), now],
        )?
        .map_or(1, |r| r.int(0));
    if failed < MAX_FAILED_LOGINS {
        return Ok(None);
    }
    let until = now + Duration::minutes(LOCK_MINUTES);
    sql.exec(
        "UPDATE login_name_locks SET failed = 0, locked_until = ?, updated_at = ? WHERE name = ?",
        params![until, now, key],
    )?;
    Ok(Some(until))
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    /// Kept in the database, as several processes share it.
    #[test]
    fn an_unknown_name_locks_after_the_same_count_and_for_the_same_time() {
        let dir = tempfile::tempdir().unwrap();
        let db =
            crate::domain::open::open_database(dir.path().join("t.db").to_str().unwrap()).unwrap();
        let fail =
            |name: &str, at: DateTime<Utc>| db.tx(|sql| fail_unknown_name(sql, name, at)).unwrap();
        let t0 = Utc.with_ymd_and_hms(2026, 3, 10, 2, 0, 0).unwrap();
        for _ in 1..MAX_FAILED_LOGINS {
            assert_eq!(fail("Khong-Co-Ai", t0), None);
        }
        let until = t0 + Duration::minutes(LOCK_MINUTES);
        assert_eq!(fail(" khong-co-ai ", t0), Some(until), "the fifth locks");
        let later = t0 + Duration::minutes(LOCK_MINUTES - 1);
        assert_eq!(fail("khong-co-ai", later), Some(until), "still locked");
        let after = until + Duration::seconds(1);
        assert_eq!(fail("khong-co-ai", after), None, "counting starts again");
        for _ in 2..MAX_FAILED_LOGINS {
            assert_eq!(fail("khong-co-ai", after), None);
        }
        assert!(
            fail("khong-co-ai", after).is_some(),
            "locks again after five"
        );
        // Rows untouched for a day are pruned when others are written.
        fail("ten-khac", after + Duration::days(2));
        let rows = db
            .tx(|sql| sql.query("SELECT name FROM login_name_locks", &[]))
            .unwrap();
        assert_eq!(rows.len(), 1);
    }
}
