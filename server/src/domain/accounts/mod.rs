//! Coordinator accounts: argon2id password hashes, roles, unit scope; signing in with its
//! lock-out after repeated failed logins (`login.rs`); what administrators do to accounts —
//! create, rename, reset a password, lock, unlock, deactivate (`manage.rs`) — with new passwords
//! typed or made up (`password.rs`).

mod login;
mod manage;
mod password;

use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::db::{DbResult, Row, Sql};
use crate::domain::coordination::AdminResult;
pub use crate::domain::lockout::{LOCK_MINUTES, MAX_FAILED_LOGINS};
use crate::params;
pub use login::*;
pub use manage::*;
pub use password::Password;

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

/// An account to make, with its password typed (the operator's `gocua admin create-coordinator`,
/// the demo, the tests).
pub struct NewAccount {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub org_unit_id: Uuid,
    pub password: String,
}

/// Creates an account, or — the operator's way back in — resets the name, role, unit and
/// password of an existing one, unlocks and reactivates it and ends its sessions. Dashboard
/// pages use [`add_account`], which refuses a username already taken.
pub fn create_account(
    sql: &mut dyn Sql,
    a: &NewAccount,
    now: DateTime<Utc>,
) -> AdminResult<Account> {
    let fields = AccountFields {
        username: a.username.clone(),
        display_name: a.display_name.clone(),
        role: a.role,
        org_unit_id: a.org_unit_id,
    };
    let (username, display_name) = fields.check()?;
    let password = Password::typed(&a.password)?;
    let existing = sql.query_one(
        "SELECT id FROM coordinators WHERE username = ?",
        params![username.as_str()],
    )?;
    let Some(existing) = existing else {
        return add_account(sql, &fields, &password, now);
    };
    crate::domain::coordination::load_unit(sql, a.org_unit_id)?;
    let id = existing.uuid(0)?;
    sql.exec(
        "UPDATE coordinators SET display_name = ?, role = ?, org_unit_id = ?, password_hash = ?, failed_logins = 0, locked_until = NULL, locked_at = NULL, disabled_at = NULL WHERE id = ?",
        params![display_name, a.role.as_str(), a.org_unit_id, password.hash(), id],
    )?;
    end_sessions(sql, id, None)?;
    Ok(load_account(sql, id)?.expect("account just written"))
}

/// An account that may act now: neither deactivated nor locked by an administrator (what a
/// browser session and an export job run as).
pub fn load_account(sql: &mut dyn Sql, id: Uuid) -> DbResult<Option<Account>> {
    sql.query_one(
        &format!("SELECT {ACCOUNT_COLUMNS} FROM coordinators WHERE id = ? AND disabled_at IS NULL AND locked_at IS NULL"),
        params![id],
    )?
    .map(|r| account_from_row(&r))
    .transpose()
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

/// The rules of a new account's username and password, as every way of making an account applies
/// them (the dashboard, the first-run set-up, the terminal): the username as it will be stored, or
/// the refusal with its code (`bad_username`, `password_too_short`, `password_too_long`).
pub fn check_credentials(username: &str, password: &str) -> AdminResult<String> {
    let username = manage::check_username(username)?;
    password::Password::check(password)?;
    Ok(username)
}
