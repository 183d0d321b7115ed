//! Coordinator accounts: argon2id password hashes, roles, unit scope and lock-out after repeated
//! failed logins.

use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use crate::db::{DbResult, Row, Sql};
use crate::domain::coordination::{AdminError, AdminResult};
use crate::domain::lockout::fail_unknown_name;
pub use crate::domain::lockout::{LOCK_MINUTES, MAX_FAILED_LOGINS};
use crate::params;

/// Longest username a sign-in accepts (accounts are made with at most 64 characters).
pub const MAX_USERNAME_CHARS: usize = 64;
/// Longest password, in bytes, that an account may have and a sign-in accepts.
pub const MAX_PASSWORD_BYTES: usize = 1024;
pub const MIN_PASSWORD_CHARS: usize = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Everything in scope, and coordinator accounts.
    Admin,
    /// Works with households' personal data in scope: follow-ups, duplicates, deletions.
    Coordinator,
    /// Progress, flags and reports; never households' names, addresses or phone numbers.
    Viewer,
}

impl Role {
    pub fn parse(raw: &str) -> Option<Role> {
        match raw {
            "admin" => Some(Role::Admin),
            "coordinator" => Some(Role::Coordinator),
            "viewer" => Some(Role::Viewer),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Coordinator => "coordinator",
            Role::Viewer => "viewer",
        }
    }

    pub fn label(self, lang: super::format::Lang) -> &'static str {
        match self {
            Role::Admin => lang.pick("Quản trị", "Administrator"),
            Role::Coordinator => lang.pick("Cán bộ điều phối", "Coordinator"),
            Role::Viewer => lang.pick("Chỉ xem", "Viewer"),
        }
    }

    /// Whether the role may read households' personal data (names, addresses, phones).
    pub fn sees_personal_data(self) -> bool {
        matches!(self, Role::Admin | Role::Coordinator)
    }

    /// Whether the role may change anything (targets, devices, flags).
    pub fn can_edit(self) -> bool {
        matches!(self, Role::Admin | Role::Coordinator)
    }
}

#[derive(Debug, Clone)]
pub struct Account {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub org_unit_id: Uuid,
}

fn account_from_row(r: &Row) -> DbResult<Account> {
    Ok(Account {
        id: r.uuid(0)?,
        username: r.text(1),
        display_name: r.text(2),
        role: Role::parse(&r.text(3)).unwrap_or(Role::Viewer),
        org_unit_id: r.uuid(4)?,
    })
}

const ACCOUNT_COLUMNS: &str = "id, username, display_name, role, org_unit_id";

pub fn hash_password(password: &str) -> String {
    Argon2::default()
        .hash_password(password.as_bytes())
        .expect("argon2 hashing with default parameters")
        .to_string()
}

fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

pub struct NewAccount {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub org_unit_id: Uuid,
    pub password: String,
}

/// The rules of a new account's username and password: the username as it will be stored
/// (trimmed, lower case), or the refusal with its code (`username_invalid`,
/// `password_too_short`, `password_too_long`).
pub fn check_credentials(username: &str, password: &str) -> AdminResult<String> {
    let username = username.trim().to_lowercase();
    if username.is_empty()
        || username.len() > MAX_USERNAME_CHARS
        || !username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
    {
        return Err(AdminError::invalid(
            "Tên đăng nhập chỉ gồm chữ không dấu, số và . _ - (tối đa 64 ký tự).",
            "A username has only unaccented letters, digits and . _ - (at most 64 characters).",
        )
        .with_code("username_invalid"));
    }
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(AdminError::invalid(
            format!("Mật khẩu cần ít nhất {MIN_PASSWORD_CHARS} ký tự."),
            format!("A password needs at least {MIN_PASSWORD_CHARS} characters."),
        )
        .with_code("password_too_short"));
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(AdminError::invalid(
            format!("Mật khẩu dài tối đa {MAX_PASSWORD_BYTES} byte."),
            format!("A password has at most {MAX_PASSWORD_BYTES} bytes."),
        )
        .with_code("password_too_long"));
    }
    Ok(username)
}

/// Creates a coordinator account, or resets the password, role and unit of an existing one.
pub fn create_account(
    sql: &mut dyn Sql,
    a: &NewAccount,
    now: DateTime<Utc>,
) -> AdminResult<Account> {
    let username = check_credentials(&a.username, &a.password)?;
    crate::domain::coordination::load_unit(sql, a.org_unit_id)?;
    let hash = hash_password(&a.password);
    let existing = sql.query_one(
        "SELECT id FROM coordinators WHERE username = ?",
        params![username.as_str()],
    )?;
    let id = match existing {
        Some(r) => {
            let id = r.uuid(0)?;
            sql.exec(
                "UPDATE coordinators SET display_name = ?, role = ?, org_unit_id = ?, password_hash = ?, failed_logins = 0, locked_until = NULL, disabled_at = NULL WHERE id = ?",
                params![a.display_name.trim(), a.role.as_str(), a.org_unit_id, hash, id],
            )?;
            sql.exec(
                "DELETE FROM web_sessions WHERE coordinator_id = ?",
                params![id],
            )?;
            id
        }
        None => {
            let id = Uuid::now_v7();
            sql.exec(
                "INSERT INTO coordinators(id, username, display_name, role, org_unit_id, password_hash, failed_logins, created_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?)",
                params![id, username.as_str(), a.display_name.trim(), a.role.as_str(), a.org_unit_id, hash, now],
            )?;
            id
        }
    };
    Ok(load_account(sql, id)?.expect("account just written"))
}

pub fn load_account(sql: &mut dyn Sql, id: Uuid) -> DbResult<Option<Account>> {
    sql.query_one(
        &format!("SELECT {ACCOUNT_COLUMNS} FROM coordinators WHERE id = ? AND disabled_at IS NULL"),
        params![id],
    )?
    .map(|r| account_from_row(&r))
    .transpose()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginRefusal {
    /// Unknown user or wrong password: the same answer for both.
    WrongCredentials,
    Locked {
        until: DateTime<Utc>,
    },
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
pub struct StoredLogin {
    pub account: Account,
    password_hash: String,
}

/// The account a sign-in names (enabled accounts only), with what verifying needs.
pub fn read_login(sql: &mut dyn Sql, username: &str) -> DbResult<Option<StoredLogin>> {
    let username = username.trim().to_lowercase();
    sql.query_one(
        &format!("SELECT {ACCOUNT_COLUMNS}, password_hash FROM coordinators WHERE username = ? AND disabled_at IS NULL"),
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
    // The lock as it is now (another attempt may have set it since the read).
    let locked = sql
        .query_one(
            "SELECT locked_until FROM coordinators WHERE id = ?",
            params![id],
        )?
        .and_then(|r| r.opt_time(0))
        .filter(|until| *until > now);
    match (verified, locked) {
        (true, None) => {
            sql.exec(
                "UPDATE coordinators SET failed_logins = 0, locked_until = NULL WHERE id = ?",
                params![id],
            )?;
            return Ok(Ok(stored.account.clone()));
        }
        // A known browser passes the lock; the lock stays for everyone else.
        (true, Some(_)) if known_browser => return Ok(Ok(stored.account.clone())),
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

pub fn list_accounts(sql: &mut dyn Sql) -> DbResult<Vec<Account>> {
    sql.query(
        &format!("SELECT {ACCOUNT_COLUMNS} FROM coordinators WHERE disabled_at IS NULL ORDER BY username"),
        &[],
    )?
    .iter()
    .map(account_from_row)
    .collect()
}
