//! `gocua admin create-coordinator | coordinators`: the dashboard's accounts.

use chrono::Utc;

use super::{parse_id, tx, Failure};
use crate::db::Db;
use crate::domain::accounts::{create_account, list_accounts, NewAccount, Role};
use crate::domain::coordination::AdminError;

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
    let accounts = tx(db, |sql| Ok(list_accounts(sql)?))?;
    for a in accounts {
        println!(
            "{}\t{}\t{}\t{}",
            a.username,
            a.role.as_str(),
            a.display_name,
            a.org_unit_id
        );
    }
    Ok(())
}
