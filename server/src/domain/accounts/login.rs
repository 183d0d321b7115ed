//! Signing in: reading the account, the one argon2 verification outside any transaction, and the
//! outcome (the failed-login lock-out, an administrator's lock, a deactivated account).

use chrono::{DateTime, Duration, Utc};

use super::{account_from_row, hash_password, verify_password, Account, ACCOUNT_COLUMNS};
use crate::db::{DbResult, Sql};
use crate::domain::lockout::{fail_unknown_name, LOCK_MINUTES, MAX_FAILED_LOGINS};
use crate::params;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginRefusal {
    /// Unknown user or wrong password: the same answer for both.
    WrongCredentials,
    /// Locked after repeated failed sign-ins, until a time (see [`settle_login`]).
    Locked { until: DateTime<Utc> },
    /// The right password, but an administrator locked the account (`coordinators.locked_at`)
    /// until one unlocks it.
    LockedByAdmin,
    /// The right password, but the account was deactivated (`coordinators.disabled_at`).
    Deactivated,
}

/// Sign-in, in three steps so that no database transaction waits for argon2 (on SQLite the one
/// connection would stall every phone meanwhile): [`read_login`] in a short transaction,
/// [`verify_login`] outside any, then [`settle_login`] in another short one.
///
/// Every attempt with an acceptable size costs one argon2 verification, whether the username
/// is unknown, the account locked or the password wrong, so the answer's timing tells nothing.
///
/// Lock-out: after [`MAX_FAILED_LOGINS`] failures in a row the account is locked for
/// [`LOCK_MINUTES`] minutes — for browsers it never signed in from. A browser where the account
/// signed in successfully before keeps a *known-browser* cookie ([`known_browser_proof`]: an
/// HMAC-SHA256 of the account id keyed by the account's stored password hash, so no server
/// secret is needed and a new password voids it); there the right password still passes the
/// lock. Five guesses from an attacker lock the attacker (and new browsers) out for 15 minutes,
/// not the coordinator at the browser they use. A name with no account locks the same way
/// ([`fail_unknown_name`], in the database), so the answers do not tell which accounts exist. The lock is per
/// account, not per client
/// address: behind a reverse proxy every client has the proxy's address, and a forwarded
/// address header could be forged.
///
/// An account an administrator locked or deactivated is told so only once the right password was
/// given ([`LoginRefusal::LockedByAdmin`], [`LoginRefusal::Deactivated`]); a wrong password gets
/// the answer any wrong password gets, so these states tell a guesser nothing either.
pub struct StoredLogin {
    pub account: Account,
    pub(super) password_hash: String,
}

/// The account a sign-in names (deactivated ones too: they are refused after the password
/// check), with what verifying needs.
pub fn read_login(sql: &mut dyn Sql, username: &str) -> DbResult<Option<StoredLogin>> {
    let username = username.trim().to_lowercase();
    sql.query_one(
        &format!("SELECT {ACCOUNT_COLUMNS}, password_hash FROM coordinators WHERE username = ?"),
        params![username.as_str()],
    )?
    .map(|row| {
        Ok(StoredLogin {
            account: account_from_row(&row)?,
            password_hash: row.text(5),
        })
    })
    .transpose()
}

/// The one argon2 verification of a sign-in: against the account's hash, or against a hash of
/// a password nobody knows when there is no such account. Blocking (tens to hundreds of
/// milliseconds): run it outside any transaction.
pub fn verify_login(stored: Option<&StoredLogin>, password: &str) -> bool {
    match stored {
        Some(s) => verify_password(password, &s.password_hash),
        None => {
            let _ = verify_password(password, dummy_hash());
            false
        }
    }
}

/// Records the outcome of a verified sign-in and decides the answer, in a short transaction.
/// `known_browser`: the request carried this account's known-browser cookie.
/// `username` as typed; when it names no account, `unknown` counts the failure and locks the
/// name as an account would be locked.
pub fn settle_login(
    sql: &mut dyn Sql,
    (username, stored): (&str, Option<&StoredLogin>),
    verified: bool,
    known_browser: bool,
    now: DateTime<Utc>,
) -> DbResult<Result<Account, LoginRefusal>> {
    let Some(stored) = stored else {
        return Ok(Err(match fail_unknown_name(sql, username, now)? {
            Some(until) => LoginRefusal::Locked { until },
            None => LoginRefusal::WrongCredentials,
        }));
    };
    let id = stored.account.id;
    // The locks and the state as they are now (another attempt, or an administrator, may have
    // changed them since the read).
    let Some(state) = sql.query_one(
        "SELECT locked_until, locked_at, disabled_at FROM coordinators WHERE id = ?",
        params![id],
    )?
    else {
        return Ok(Err(LoginRefusal::WrongCredentials));
    };
    let locked = state.opt_time(0).filter(|until| *until > now);
    // Only for the right password: the account's own state, before anything else is admitted.
    let admitted = || {
        if state.opt_int(2).is_some() {
            Err(LoginRefusal::Deactivated)
        } else if state.opt_int(1).is_some() {
            Err(LoginRefusal::LockedByAdmin)
        } else {
            Ok(stored.account.clone())
        }
    };
    match (verified, locked) {
        (true, None) => {
            let outcome = admitted();
            if outcome.is_ok() {
                sql.exec(
                    "UPDATE coordinators SET failed_logins = 0, locked_until = NULL WHERE id = ?",
                    params![id],
                )?;
            }
            return Ok(outcome);
        }
        // A known browser passes the lock; the lock stays for everyone else.
        (true, Some(_)) if known_browser => return Ok(admitted()),
        // Locked: right or wrong, the same answer, and nothing more is counted.
        (_, Some(until)) if !known_browser => return Ok(Err(LoginRefusal::Locked { until })),
        _ => {}
    }
    let failed = sql
        .query_one(
            "UPDATE coordinators SET failed_logins = failed_logins + 1 WHERE id = ? RETURNING failed_logins",
            params![id],
        )?
        .map_or(0, |r| r.int(0));
    if failed < MAX_FAILED_LOGINS {
        return Ok(Err(LoginRefusal::WrongCredentials));
    }
    let until = now + Duration::minutes(LOCK_MINUTES);
    sql.exec(
        "UPDATE coordinators SET failed_logins = 0, locked_until = ? WHERE id = ?",
        params![until, id],
    )?;
    Ok(Err(if known_browser {
        LoginRefusal::WrongCredentials
    } else {
        LoginRefusal::Locked { until }
    }))
}

/// The known-browser cookie's value for an account: `<account id>.<HMAC-SHA256 hex>`.
pub fn known_browser_proof(stored: &StoredLogin) -> String {
    let mac = hmac_sha256(
        stored.password_hash.as_bytes(),
        format!("gocua known browser {}", stored.account.id).as_bytes(),
    );
    format!("{}.{}", stored.account.id.simple(), hex::encode(mac))
}

/// Whether `cookie` is the known-browser proof of this account.
pub fn is_known_browser(stored: &StoredLogin, cookie: Option<&str>) -> bool {
    cookie.is_some_and(|c| {
        let expected = known_browser_proof(stored);
        c.len() == expected.len()
            && c.bytes()
                .zip(expected.bytes())
                .fold(0u8, |acc, (x, y)| acc | (x ^ y))
                == 0
    })
}

fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let mut block = [0u8; 64];
    if key.len() > block.len() {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| block.map(|k| k ^ byte);
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(message)
        .finalize();
    Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize()
        .into()
}

/// An argon2id hash of a password nobody knows, made once.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password(&crate::domain::auth::new_device_token()))
}
