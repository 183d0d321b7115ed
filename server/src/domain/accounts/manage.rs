//! What an administrator does to accounts, from the dashboard (`/admin/accounts`) or the terminal
//! (`gocua admin reset-password | lock-coordinator | unlock-coordinator |
//! deactivate-coordinator`): create, rename, reset a password, lock, unlock, deactivate. Each is
//! one function over the caller's transaction. *Who* may do it to *whom* is
//! `coordination::permission` (the dashboard checks it; the terminal is the server's operator).
//!
//! Every change that takes an account's access away — a new password, a lock, deactivation —
//! ends that account's browser sessions in the same transaction; the session check
//! (`load_account`) refuses locked and deactivated accounts besides.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{account_from_row, Account, Password, Role, ACCOUNT_COLUMNS, MAX_USERNAME_CHARS};
use crate::db::{DbResult, Row, Sql};
use crate::domain::coordination::{check_name, load_unit, AdminError, AdminResult};
use crate::params;

/// What an account is made with besides its password.
#[derive(Debug, Clone)]
pub struct AccountFields {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub org_unit_id: Uuid,
}

impl AccountFields {
    /// The username as stored (trimmed, lower case) and the display name (spaces tidied), or
    /// the refusal of either.
    pub fn check(&self) -> AdminResult<(String, String)> {
        Ok((
            check_username(&self.username)?,
            check_display_name(&self.display_name)?,
        ))
    }
}

/// A username: unaccented letters, digits and `. _ -`, at most 64 characters; stored in lower
/// case, so `Xa.An-Binh` and `xa.an-binh` are one name.
pub fn check_username(raw: &str) -> AdminResult<String> {
    let username = raw.trim().to_lowercase();
    if username.is_empty()
        || username.chars().count() > MAX_USERNAME_CHARS
        || !username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
    {
        return Err(AdminError::refused(
            "bad_username",
            format!("Tên đăng nhập \"{}\" không dùng được: chỉ gồm chữ không dấu, số và . _ - (tối đa {MAX_USERNAME_CHARS} ký tự).", raw.trim()),
            format!("The username \"{}\" cannot be used: only unaccented letters, digits and . _ - (at most {MAX_USERNAME_CHARS} characters).", raw.trim()),
        ));
    }
    Ok(username)
}

fn check_display_name(raw: &str) -> AdminResult<String> {
    check_name("họ tên", "The name", raw).map_err(|e| e.with_code("bad_name"))
}

/// Where an account stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountStatus {
    Active,
    /// Locked after repeated failed sign-ins, until then (for browsers it never signed in from).
    LockedOut {
        until: DateTime<Utc>,
    },
    /// Locked by an administrator, since then, until one unlocks it.
    Locked {
        since: DateTime<Utc>,
    },
    /// Deactivated, since then: cannot sign in again.
    Deactivated {
        since: DateTime<Utc>,
    },
}

impl AccountStatus {
    /// The status's code, as pages show it in `data-status`.
    pub fn code(self) -> &'static str {
        match self {
            AccountStatus::Active => "active",
            AccountStatus::LockedOut { .. } => "locked_out",
            AccountStatus::Locked { .. } => "locked",
            AccountStatus::Deactivated { .. } => "deactivated",
        }
    }
}

/// An account as an administrator sees it.
#[derive(Debug, Clone)]
pub struct AccountEntry {
    pub account: Account,
    pub status: AccountStatus,
    pub created_at: Option<DateTime<Utc>>,
}

const ENTRY_COLUMNS: &str = "locked_until, locked_at, disabled_at, created_at";

fn entry_from_row(r: &Row, now: DateTime<Utc>) -> DbResult<AccountEntry> {
    let status = match (r.opt_time(5), r.opt_time(6), r.opt_time(7)) {
        (_, _, Some(since)) => AccountStatus::Deactivated { since },
        (_, Some(since), None) => AccountStatus::Locked { since },
        (Some(until), None, None) if until > now => AccountStatus::LockedOut { until },
        _ => AccountStatus::Active,
    };
    Ok(AccountEntry {
        account: account_from_row(r)?,
        status,
        created_at: r.opt_time(8),
    })
}

/// Every account, deactivated ones too, by username.
pub fn list_account_entries(sql: &mut dyn Sql, now: DateTime<Utc>) -> DbResult<Vec<AccountEntry>> {
    sql.query(
        &format!("SELECT {ACCOUNT_COLUMNS}, {ENTRY_COLUMNS} FROM coordinators ORDER BY username"),
        &[],
    )?
    .iter()
    .map(|r| entry_from_row(r, now))
    .collect()
}

/// One account, whatever its status.
pub fn load_account_entry(
    sql: &mut dyn Sql,
    id: Uuid,
    now: DateTime<Utc>,
) -> DbResult<Option<AccountEntry>> {
    sql.query_one(
        &format!("SELECT {ACCOUNT_COLUMNS}, {ENTRY_COLUMNS} FROM coordinators WHERE id = ?"),
        params![id],
    )?
    .map(|r| entry_from_row(&r, now))
    .transpose()
}

/// The account with this username (as typed: case and spaces do not matter), whatever its status.
pub fn find_account(
    sql: &mut dyn Sql,
    username: &str,
    now: DateTime<Utc>,
) -> AdminResult<AccountEntry> {
    let name = username.trim().to_lowercase();
    let row = sql.query_one(
        &format!("SELECT {ACCOUNT_COLUMNS}, {ENTRY_COLUMNS} FROM coordinators WHERE username = ?"),
        params![name.as_str()],
    )?;
    match row {
        Some(r) => Ok(entry_from_row(&r, now)?),
        None => Err(AdminError::not_found(
            format!("Không có tài khoản \"{}\".", username.trim()),
            format!("There is no account \"{}\".", username.trim()),
        )),
    }
}

/// Ends an account's browser sessions, all of them or all but `keep` (a session's token hash).
pub fn end_sessions(sql: &mut dyn Sql, id: Uuid, keep: Option<&str>) -> DbResult<u64> {
    match keep {
        Some(hash) => sql.exec(
            "DELETE FROM web_sessions WHERE coordinator_id = ? AND token_hash <> ?",
            params![id, hash],
        ),
        None => sql.exec(
            "DELETE FROM web_sessions WHERE coordinator_id = ?",
            params![id],
        ),
    }
}

/// Creates an account; a username taken (by any account, deactivated ones too) is refused.
pub fn add_account(
    sql: &mut dyn Sql,
    a: &AccountFields,
    password: &Password,
    now: DateTime<Utc>,
) -> AdminResult<Account> {
    let (username, display_name) = a.check()?;
    load_unit(sql, a.org_unit_id)?;
    let unit_open = sql
        .query_one(
            "SELECT 1 FROM org_units WHERE id = ? AND deactivated_at IS NULL",
            params![a.org_unit_id],
        )?
        .is_some();
    if !unit_open {
        return Err(AdminError::refused(
            "unit_deactivated",
            "Đơn vị này đã ngừng hoạt động; không tạo tài khoản ở đó được.",
            "This unit was deactivated; no account can be made there.",
        ));
    }
    username_free(sql, &username)?;
    let id = Uuid::now_v7();
    sql.exec(
        "INSERT INTO coordinators(id, username, display_name, role, org_unit_id, password_hash, failed_logins, created_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?)",
        params![id, username.as_str(), display_name.as_str(), a.role.as_str(), a.org_unit_id, password.hash(), now],
    )?;
    Ok(Account {
        id,
        username,
        display_name,
        role: a.role,
        org_unit_id: a.org_unit_id,
    })
}

/// Refuses a username (as stored: [`check_username`]) that an account has, deactivated ones too.
pub fn username_free(sql: &mut dyn Sql, username: &str) -> AdminResult<()> {
    let taken = sql
        .query_one(
            "SELECT 1 FROM coordinators WHERE username = ?",
            params![username],
        )?
        .is_some();
    if taken {
        return Err(AdminError::refused(
            "username_taken",
            format!("Tên đăng nhập \"{username}\" đã có người dùng (kể cả tài khoản đã ngừng); hãy chọn tên khác."),
            format!("The username \"{username}\" is taken (deactivated accounts keep theirs); choose another."),
        ));
    }
    Ok(())
}

/// The account to change, refused when it is deactivated (nothing more happens to it).
fn open_account(sql: &mut dyn Sql, id: Uuid, now: DateTime<Utc>) -> AdminResult<AccountEntry> {
    let Some(entry) = load_account_entry(sql, id, now)? else {
        return Err(AdminError::not_found(
            format!("Không có tài khoản mã {id}."),
            format!("There is no account {id}."),
        ));
    };
    if let AccountStatus::Deactivated { .. } = entry.status {
        return Err(AdminError::refused(
            "account_deactivated",
            format!(
                "Tài khoản \"{}\" đã ngừng hoạt động.",
                entry.account.username
            ),
            format!(
                "The account \"{}\" was deactivated.",
                entry.account.username
            ),
        ));
    }
    Ok(entry)
}

/// Gives an account a new display name; returns the old one.
pub fn rename_account(
    sql: &mut dyn Sql,
    id: Uuid,
    display_name: &str,
    now: DateTime<Utc>,
) -> AdminResult<String> {
    let entry = open_account(sql, id, now)?;
    let name = check_display_name(display_name)?;
    sql.exec(
        "UPDATE coordinators SET display_name = ? WHERE id = ?",
        params![name, id],
    )?;
    Ok(entry.account.display_name)
}

/// Sets a new password (an administrator's reset), lifts a failed-login lock and ends every
/// session of the account. An administrator's lock stays.
pub fn reset_password(
    sql: &mut dyn Sql,
    id: Uuid,
    password: &Password,
    now: DateTime<Utc>,
) -> AdminResult<Account> {
    let entry = open_account(sql, id, now)?;
    sql.exec(
        "UPDATE coordinators SET password_hash = ?, failed_logins = 0, locked_until = NULL WHERE id = ?",
        params![password.hash(), id],
    )?;
    end_sessions(sql, id, None)?;
    Ok(entry.account)
}

/// Locks an account until an administrator unlocks it; its sessions end.
pub fn lock_account(sql: &mut dyn Sql, id: Uuid, now: DateTime<Utc>) -> AdminResult<Account> {
    let entry = open_account(sql, id, now)?;
    if let AccountStatus::Locked { .. } = entry.status {
        return Err(AdminError::refused(
            "already_locked",
            format!("Tài khoản \"{}\" đang bị khoá.", entry.account.username),
            format!(
                "The account \"{}\" is already locked.",
                entry.account.username
            ),
        ));
    }
    sql.exec(
        "UPDATE coordinators SET locked_at = ? WHERE id = ?",
        params![now, id],
    )?;
    end_sessions(sql, id, None)?;
    Ok(entry.account)
}

/// Unlocks an account: an administrator's lock and a failed-login lock alike.
pub fn unlock_account(sql: &mut dyn Sql, id: Uuid, now: DateTime<Utc>) -> AdminResult<Account> {
    let entry = open_account(sql, id, now)?;
    if entry.status == AccountStatus::Active {
        return Err(AdminError::refused(
            "not_locked",
            format!("Tài khoản \"{}\" không bị khoá.", entry.account.username),
            format!("The account \"{}\" is not locked.", entry.account.username),
        ));
    }
    sql.exec(
        "UPDATE coordinators SET locked_at = NULL, locked_until = NULL, failed_logins = 0 WHERE id = ?",
        params![id],
    )?;
    Ok(entry.account)
}

/// Deactivates an account for good (it keeps its username and its entries in the audit log);
/// its sessions end. Only the operator's `gocua admin create-coordinator` brings it back.
pub fn deactivate_account(sql: &mut dyn Sql, id: Uuid, now: DateTime<Utc>) -> AdminResult<Account> {
    let entry = open_account(sql, id, now)?;
    sql.exec(
        "UPDATE coordinators SET disabled_at = ? WHERE id = ?",
        params![now, id],
    )?;
    end_sessions(sql, id, None)?;
    Ok(entry.account)
}

/// The stored password hash of an account that may act, for checking its owner's current
/// password before a change ([`change_own_password`]).
pub fn own_password_hash(sql: &mut dyn Sql, id: Uuid) -> DbResult<Option<String>> {
    Ok(sql
        .query_one(
            "SELECT password_hash FROM coordinators WHERE id = ? AND disabled_at IS NULL AND locked_at IS NULL",
            params![id],
        )?
        .map(|r| r.text(0)))
}

/// Whether `password` is the one `hash` was made from (argon2: call it outside any transaction).
pub fn password_matches(hash: &str, password: &str) -> bool {
    super::verify_password(password, hash)
}

/// An account holder changes their own password, having given the current one (checked against
/// `checked_hash`, read before). Refused when the password changed meanwhile. Every other
/// session of the account ends; `keep` (this session's token hash) stays signed in.
pub fn change_own_password(
    sql: &mut dyn Sql,
    id: Uuid,
    checked_hash: &str,
    new: &Password,
    keep: &str,
) -> AdminResult<()> {
    let changed = sql.exec(
        "UPDATE coordinators SET password_hash = ? WHERE id = ? AND password_hash = ? AND disabled_at IS NULL AND locked_at IS NULL",
        params![new.hash(), id, checked_hash],
    )?;
    if changed == 0 {
        return Err(AdminError::refused(
            "password_changed_meanwhile",
            "Mật khẩu vừa được đổi ở nơi khác; hãy tải lại trang và làm lại.",
            "The password was just changed elsewhere; reload the page and try again.",
        ));
    }
    end_sessions(sql, id, Some(keep))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        assert_eq!(check_username("  Xa.An-Binh_2 ").unwrap(), "xa.an-binh_2");
        for bad in ["", "   ", "xã", "a b", "a/b", &"x".repeat(65)] {
            assert_eq!(
                check_username(bad).unwrap_err().code(),
                "bad_username",
                "{bad:?}"
            );
        }
    }
}
