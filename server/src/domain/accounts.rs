//! Coordinator accounts: argon2id password hashes, roles, unit scope and lock-out after repeated
//! failed logins.

use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use crate::db::{DbResult, Row, Sql};
use crate::domain::coordination::{AdminError, AdminResult};
use crate::params;

/// Failed logins in a row before an account is locked.
pub const MAX_FAILED_LOGINS: i64 = 5;
/// How long a locked account stays locked.
pub const LOCK_MINUTES: i64 = 15;
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

/// Creates a coordinator account, or resets the password, role and unit of an existing one.
pub fn create_account(
    sql: &mut dyn Sql,
    a: &NewAccount,
    now: DateTime<Utc>,
) -> AdminResult<Account> {
    let username = a.username.trim().to_lowercase();
    if username.is_empty()
        || username.len() > 64
        || !username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
    {
        return Err(AdminError::invalid(
            "Tên đăng nhập chỉ gồm chữ không dấu, số và . _ - (tối đa 64 ký tự).",
            "A username has only unaccented letters, digits and . _ - (at most 64 characters).",
        ));
    }
    if a.password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(AdminError::invalid(
            format!("Mật khẩu cần ít nhất {MIN_PASSWORD_CHARS} ký tự."),
            format!("A password needs at least {MIN_PASSWORD_CHARS} characters."),
        ));
    }
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

/// Checks a login. Failed attempts count towards a lock-out; a success resets the count.
pub fn check_login(
    sql: &mut dyn Sql,
    username: &str,
    password: &str,
    now: DateTime<Utc>,
) -> DbResult<Result<Account, LoginRefusal>> {
    let username = username.trim().to_lowercase();
    let Some(row) = sql.query_one(
        &format!("SELECT {ACCOUNT_COLUMNS}, password_hash, failed_logins, locked_until FROM coordinators WHERE username = ? AND disabled_at IS NULL"),
        params![username.as_str()],
    )?
    else {
        // Spend the time a real check would, so timing does not reveal which usernames exist.
        let _ = verify_password(password, dummy_hash());
        return Ok(Err(LoginRefusal::WrongCredentials));
    };
    let account = account_from_row(&row)?;
    if let Some(until) = row.opt_time(7) {
        if until > now {
            return Ok(Err(LoginRefusal::Locked { until }));
        }
    }
    if verify_password(password, &row.text(5)) {
        sql.exec(
            "UPDATE coordinators SET failed_logins = 0, locked_until = NULL WHERE id = ?",
            params![account.id],
        )?;
        return Ok(Ok(account));
    }
    let failed = row.int(6) + 1;
    if failed >= MAX_FAILED_LOGINS {
        let until = now + Duration::minutes(LOCK_MINUTES);
        sql.exec(
            "UPDATE coordinators SET failed_logins = 0, locked_until = ? WHERE id = ?",
            params![until, account.id],
        )?;
        return Ok(Err(LoginRefusal::Locked { until }));
    }
    sql.exec(
        "UPDATE coordinators SET failed_logins = ? WHERE id = ?",
        params![failed, account.id],
    )?;
    Ok(Err(LoginRefusal::WrongCredentials))
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
