//! `gocua admin create-coordinator | coordinators | reset-password | lock-coordinator |
//! unlock-coordinator | deactivate-coordinator`: the dashboard's accounts, through the same
//! domain functions as the accounts pages (`domain::accounts`), audited under `--by`.

use chrono::Utc;

use super::{invalid, parse_id, tx, Failure};
use crate::db::Db;
use crate::domain::accounts::{
    self, create_account, find_account, list_account_entries, AccountStatus, NewAccount, Password,
    Role,
};
use crate::domain::audit::{self, AuditEvent};
use crate::domain::coordination::AdminError;
use crate::domain::format;

pub fn create_coordinator(
    db: &Db,
    username: String,
    name: String,
    role: String,
    unit: String,
) -> Result<(), Failure> {
    let unit_id = parse_id("đơn vị", "unit", &unit)?;
    let role = Role::parse(&role).ok_or_else(|| {
        Failure(AdminError::invalid(
            format!("Vai trò \"{role}\" không có; chọn admin, coordinator hoặc viewer."),
            format!("There is no role \"{role}\"; choose admin, coordinator or viewer."),
        ))
    })?;
    let password = match std::env::var("GOCUA_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            let mut line = String::new();
            std::io::stdin().read_line(&mut line).map_err(|e| {
                Failure(AdminError::invalid(
                    format!("Không đọc được mật khẩu: {e}"),
                    format!("Cannot read the password: {e}"),
                ))
            })?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    let account = tx(db, |sql| {
        create_account(
            sql,
            &NewAccount {
                username,
                display_name: name,
                role,
                org_unit_id: unit_id,
                password,
            },
            Utc::now(),
        )
    })?;
    println!(
        "Tài khoản \"{}\" ({}) đã sẵn sàng / account ready: {}",
        account.username,
        account.role.as_str(),
        account.id
    );
    Ok(())
}

pub fn coordinators(db: &Db) -> Result<(), Failure> {
    let entries = tx(db, |sql| Ok(list_account_entries(sql, Utc::now())?))?;
    for e in entries {
        let a = &e.account;
        let status = match e.status {
            AccountStatus::LockedOut { until } => {
                format!("{} {}", e.status.code(), format::date_time(until))
            }
            _ => e.status.code().to_owned(),
        };
        println!(
            "{}\t{}\t{}\t{}\t{status}",
            a.username,
            a.role.as_str(),
            a.display_name,
            a.org_unit_id
        );
    }
    Ok(())
}

/// Who ran the command, as the audit log names them.
fn check_by(by: &str) -> Result<String, Failure> {
    let by = by.trim();
    if by.is_empty() || by.chars().count() > 64 {
        return Err(invalid(
            "Hãy ghi người thực hiện (--by, tối đa 64 ký tự).",
            "Name who does this (--by, at most 64 characters).",
        ));
    }
    Ok(by.to_owned())
}

/// A new made-up password for the account, printed once (only its hash is stored).
pub fn reset_password(db: &Db, username: String, by: String) -> Result<(), Failure> {
    let by = check_by(&by)?;
    let password = Password::generated();
    let account = tx(db, |sql| {
        let now = Utc::now();
        let id = find_account(sql, &username, now)?.account.id;
        let account = accounts::reset_password(sql, id, &password, now)?;
        audit::record(
            sql,
            None,
            &by,
            &account.username,
            &AuditEvent::PasswordReset { via: "cli".into() },
        )?;
        Ok(account)
    })?;
    println!(
        "Mật khẩu mới của \"{}\" (chỉ hiện một lần; các phiên đăng nhập của tài khoản đã kết thúc) / new password of \"{}\" (shown once; the account's sessions ended):",
        account.username, account.username
    );
    println!("{}", password.shown_once().unwrap_or_default());
    Ok(())
}

/// What [`change`] does to an account.
#[derive(Debug, Clone, Copy)]
pub enum Change {
    Lock,
    Unlock,
    Deactivate,
}

pub fn change(db: &Db, what: Change, username: String, by: String) -> Result<(), Failure> {
    let by = check_by(&by)?;
    let account = tx(db, |sql| {
        let now = Utc::now();
        let id = find_account(sql, &username, now)?.account.id;
        let via = "cli".to_owned();
        let (account, event) = match what {
            Change::Lock => (
                accounts::lock_account(sql, id, now)?,
                AuditEvent::AccountLocked { via },
            ),
            Change::Unlock => (
                accounts::unlock_account(sql, id, now)?,
                AuditEvent::AccountUnlocked { via },
            ),
            Change::Deactivate => (
                accounts::deactivate_account(sql, id, now)?,
                AuditEvent::AccountDeactivated { via },
            ),
        };
        audit::record(sql, None, &by, &account.username, &event)?;
        Ok::<_, AdminError>(account)
    })?;
    let (vi, en) = match what {
        Change::Lock => (
            "đã khoá; các phiên đăng nhập đã kết thúc",
            "locked; its sessions ended",
        ),
        Change::Unlock => ("đã mở khoá", "unlocked"),
        Change::Deactivate => (
            "đã ngừng; các phiên đăng nhập đã kết thúc",
            "deactivated; its sessions ended",
        ),
    };
    println!(
        "Tài khoản \"{}\" {vi}. / Account \"{}\" {en}.",
        account.username, account.username
    );
    Ok(())
}
