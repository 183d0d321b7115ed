//! The first-run set-up. `gocua serve` on a database without any dashboard account issues a
//! one-time link (a random 256-bit secret; only its SHA-256 is stored in `setup_links`, valid
//! for [`SETUP_LINK_HOURS`] hours, any earlier unused link dropped) and prints it on the console.
//! Whoever opens it names the first administrator, the top unit and the area list to import;
//! [`complete_setup`] does all of it in one transaction and uses the link up. Once an account
//! exists no link is issued and none is accepted.

use chrono::{DateTime, Duration, Utc};
use gocua_protocol::OrgUnitKind;
use uuid::Uuid;

use crate::db::{DbResult, Sql};
use crate::domain::accounts::{self, Account, NewAccount, Role};
use crate::domain::auth::{new_device_token, sha256_hex};
use crate::domain::builtin_data::{self, AreaList};
use crate::domain::coordination::{self as admin, AdminError, AdminResult, NewUnit};
use crate::params;

/// How long a set-up link works.
pub const SETUP_LINK_HOURS: i64 = 2;

/// Whether any dashboard account exists (deactivated ones too: the set-up was done).
pub fn accounts_exist(sql: &mut dyn Sql) -> DbResult<bool> {
    Ok(sql
        .query_one("SELECT 1 FROM coordinators LIMIT 1", &[])?
        .is_some())
}

/// A set-up link just issued: the secret (shown once, never stored) and when it stops working.
#[derive(Debug, Clone)]
pub struct SetupLink {
    pub secret: String,
    pub expires_at: DateTime<Utc>,
}

impl SetupLink {
    /// The link's path: `/setup/<secret>`.
    pub fn path(&self) -> String {
        format!("/setup/{}", self.secret)
    }
}

fn already_done() -> AdminError {
    AdminError::invalid(
        "Máy chủ đã được thiết lập (đã có tài khoản quản trị). Hãy đăng nhập; tài khoản mới do quản trị viên tạo.",
        "This server is already set up (an account exists). Sign in; new accounts are made by an administrator.",
    )
    .with_code("setup_already_done")
}

/// The one answer for a link that is unknown, used or expired: which of the three is not told.
fn link_invalid() -> AdminError {
    AdminError::not_found(
        "Đường dẫn thiết lập không đúng, đã dùng hoặc đã hết hạn. Khởi động lại gocua serve (hoặc chạy gocua admin setup-link) để có đường dẫn mới.",
        "This set-up link is wrong, used or expired. Restart gocua serve (or run gocua admin setup-link) for a new one.",
    )
    .with_code("setup_link_invalid")
}

/// Issues a new set-up link, dropping any earlier unused one; refused once an account exists.
pub fn issue_setup_link(sql: &mut dyn Sql, now: DateTime<Utc>) -> AdminResult<SetupLink> {
    if accounts_exist(sql)? {
        return Err(already_done());
    }
    let link = SetupLink {
        secret: new_device_token(),
        expires_at: now + Duration::hours(SETUP_LINK_HOURS),
    };
    sql.exec("DELETE FROM setup_links WHERE used_at IS NULL", &[])?;
    sql.exec(
        "INSERT INTO setup_links(token_hash, created_at, expires_at) VALUES (?, ?, ?)",
        params![sha256_hex(link.secret.as_bytes()), now, link.expires_at],
    )?;
    Ok(link)
}

/// Whether `secret` names an unused link within its time (`setup_link_invalid` otherwise, the
/// same for all three), on a server not yet set up (`setup_already_done`).
pub fn check_setup_link(sql: &mut dyn Sql, secret: &str, now: DateTime<Utc>) -> AdminResult<()> {
    let valid = sql
        .query_one(
            "SELECT 1 FROM setup_links WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?",
            params![sha256_hex(secret.as_bytes()), now],
        )?
        .is_some();
    if !valid {
        return Err(link_invalid());
    }
    if accounts_exist(sql)? {
        return Err(already_done());
    }
    Ok(())
}

/// What the set-up form asks for.
#[derive(Debug, Clone)]
pub struct FirstRun {
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub password_again: String,
    pub unit_name: String,
    pub unit_kind: OrgUnitKind,
    /// The top unit's province (a code of `area_list`); none without an area list.
    pub province: Option<String>,
    /// The official area list to import; `None`: none now (`gocua admin import-areas` later).
    pub area_list: Option<AreaList>,
}

/// What the set-up made.
#[derive(Debug, Clone)]
pub struct SetupDone {
    pub account: Account,
    pub unit: gocua_protocol::OrgUnit,
    pub areas: usize,
    pub services: usize,
}

/// Checks what costs nothing to check, before anything is imported.
fn check_form(f: &FirstRun) -> AdminResult<()> {
    accounts::check_credentials(&f.username, &f.password)?;
    if f.password != f.password_again {
        return Err(AdminError::invalid(
            "Hai lần nhập mật khẩu không giống nhau.",
            "The two passwords differ.",
        )
        .with_code("password_mismatch"));
    }
    admin::check_name("họ tên", "The display name", &f.display_name)
        .map_err(|e| e.with_code("display_name_invalid"))?;
    admin::check_unit_name(&f.unit_name)?;
    match (&f.area_list, f.province.as_deref()) {
        (None, None) => Ok(()),
        (None, Some(_)) => Err(AdminError::invalid(
            "Không nhập danh mục địa bàn thì không chọn tỉnh được; hãy chọn danh mục hoặc bỏ chọn tỉnh.",
            "Without an area list there is no province to choose; choose a list or no province.",
        )
        .with_code("setup_province_without_list")),
        (Some(_), None) => Err(AdminError::invalid(
            "Hãy chọn tỉnh, thành phố của đơn vị.",
            "Choose the unit's province or city.",
        )
        .with_code("setup_province_required")),
        (Some(list), Some(code)) => {
            if list.provinces().iter().any(|(c, _)| c == code) {
                Ok(())
            } else {
                Err(AdminError::invalid(
                    format!("Mã tỉnh \"{code}\" không có trong danh mục {}.", list.as_str()),
                    format!("Province code \"{code}\" is not in the {} list.", list.as_str()),
                )
                .with_code("setup_province_not_in_list"))
            }
        }
    }
}

/// The set-up, in the caller's one transaction: the link is claimed (one statement, so two
/// forms sent at once set up once), the area list and the starter catalogue imported with the
/// importers `gocua admin import-areas` / `import-services` use, the top unit and the first
/// administrator made. Any refusal leaves nothing (the caller rolls back; the link stays usable).
pub fn complete_setup(
    sql: &mut dyn Sql,
    secret: &str,
    f: &FirstRun,
    now: DateTime<Utc>,
) -> AdminResult<SetupDone> {
    let claimed = sql.query_one(
        "UPDATE setup_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING token_hash",
        params![now, sha256_hex(secret.as_bytes()), now],
    )?;
    if claimed.is_none() {
        return Err(link_invalid());
    }
    if accounts_exist(sql)? {
        return Err(already_done());
    }
    check_form(f)?;
    let areas = match f.area_list {
        Some(list) => admin::import_areas(sql, list.csv(), false)?.imported,
        None => 0,
    };
    let services = admin::import_services(sql, builtin_data::services_csv(), false)?.imported;
    // The starter guides come with the starter catalogue, marked as needing a check.
    admin::guides::load_starter_guides(sql, now)?;
    let unit = admin::create_unit(
        sql,
        &NewUnit {
            id: Some(Uuid::now_v7()),
            name: f.unit_name.clone(),
            kind: f.unit_kind.clone(),
            parent_id: None,
            area_code: f.province.clone(),
        },
    )?;
    let account = accounts::create_account(
        sql,
        &NewAccount {
            username: f.username.clone(),
            display_name: admin::check_name("họ tên", "The display name", &f.display_name)?,
            role: Role::Admin,
            org_unit_id: unit.id,
            password: f.password.clone(),
        },
        now,
    )?;
    Ok(SetupDone {
        account,
        unit,
        areas,
        services,
    })
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::db::Db;

    /// Where every test starts: a new database (SQLite, in `_dir`), the moment `t0` and the
    /// set-up link issued then.
    struct Start {
        _dir: tempfile::TempDir,
        db: Db,
        t0: DateTime<Utc>,
        link: SetupLink,
    }

    fn start() -> Start {
        let dir = tempfile::tempdir().unwrap();
        let db =
            crate::domain::open::open_database(dir.path().join("t.db").to_str().unwrap()).unwrap();
        let t0 = Utc.with_ymd_and_hms(2026, 11, 30, 2, 0, 0).unwrap();
        let link = db.tx(|sql| issue_setup_link(sql, t0)).unwrap();
        Start {
            _dir: dir,
            db,
            t0,
            link,
        }
    }

    fn form(list: Option<AreaList>, province: Option<&str>) -> FirstRun {
        FirstRun {
            username: "TinhDoan".into(),
            display_name: " Nguyễn  Thị Hà ".into(),
            password: "mật-khẩu-đủ-dài".into(),
            password_again: "mật-khẩu-đủ-dài".into(),
            unit_name: "Tỉnh Đoàn Bến Tre".into(),
            unit_kind: OrgUnitKind::ProvinceUnion,
            province: province.map(Into::into),
            area_list: list,
        }
    }

    #[test]
    fn a_link_works_once_within_its_time_and_only_the_newest() {
        let Start {
            _dir,
            db,
            t0,
            link: first,
        } = start();
        let check = |secret: &str, at| db.tx(|sql| check_setup_link(sql, secret, at));
        assert!(check(&first.secret, t0 + Duration::minutes(119)).is_ok());
        let late = check(&first.secret, t0 + Duration::hours(SETUP_LINK_HOURS)).unwrap_err();
        assert_eq!(late.code(), "setup_link_invalid");
        let second = db.tx(|sql| issue_setup_link(sql, t0)).unwrap();
        assert_eq!(
            check(&first.secret, t0).unwrap_err().code(),
            "setup_link_invalid"
        );
        // A refused form leaves the link usable (the caller's transaction rolls back).
        let bad = FirstRun {
            password_again: "khác".into(),
            ..form(None, None)
        };
        let refused = db
            .tx(|sql| complete_setup(sql, &second.secret, &bad, t0))
            .unwrap_err();
        assert_eq!(refused.code(), "password_mismatch");
        let done = db
            .tx(|sql| complete_setup(sql, &second.secret, &form(None, None), t0))
            .unwrap();
        assert_eq!(done.account.username, "tinhdoan");
        assert_eq!(done.account.display_name, "Nguyễn Thị Hà");
        assert_eq!((done.areas, done.services), (0, 27));
        assert_eq!(done.unit.area_code, None);
        // The starter guides came with the starter catalogue, to be checked.
        let guides = db.tx(|sql| admin::guides::list_guides(sql)).unwrap();
        assert_eq!(guides.len(), crate::domain::builtin_guides::STARTER.len());
        assert!(guides.iter().all(|g| g.guide.needs_check));
        let again = db
            .tx(|sql| complete_setup(sql, &second.secret, &form(None, None), t0))
            .unwrap_err();
        assert_eq!(again.code(), "setup_link_invalid");
        let issued = db.tx(|sql| issue_setup_link(sql, t0)).unwrap_err();
        assert_eq!(issued.code(), "setup_already_done");
    }

    #[test]
    fn an_account_made_another_way_ends_the_set_up() {
        let Start { _dir, db, t0, link } = start();
        // An operator makes an account at the terminal while the link is still unused.
        db.tx(|sql| {
            let unit = admin::create_unit(
                sql,
                &NewUnit {
                    id: None,
                    name: "Tỉnh Đoàn".into(),
                    kind: OrgUnitKind::ProvinceUnion,
                    parent_id: None,
                    area_code: None,
                },
            )?;
            accounts::create_account(
                sql,
                &NewAccount {
                    username: "vanhanh".into(),
                    display_name: "Vận hành".into(),
                    role: Role::Admin,
                    org_unit_id: unit.id,
                    password: "mật-khẩu-đủ-dài".into(),
                },
                t0,
            )
        })
        .unwrap();
        let e = db
            .tx(|sql| check_setup_link(sql, &link.secret, t0))
            .unwrap_err();
        assert_eq!(e.code(), "setup_already_done");
        let e = db
            .tx(|sql| complete_setup(sql, &link.secret, &form(None, None), t0))
            .unwrap_err();
        assert_eq!(e.code(), "setup_already_done");
    }

    #[test]
    fn the_january_list_brings_its_districts_and_provinces() {
        let Start { _dir, db, t0, link } = start();
        // Bến Tre is a province of the January list, not of the July one.
        let wrong = form(Some(AreaList::July2025), Some("83"));
        let e = db
            .tx(|sql| complete_setup(sql, &link.secret, &wrong, t0))
            .unwrap_err();
        assert_eq!(e.code(), "setup_province_not_in_list");
        let e = db
            .tx(|sql| complete_setup(sql, &link.secret, &form(None, Some("83")), t0))
            .unwrap_err();
        assert_eq!(e.code(), "setup_province_without_list");
        let done = db
            .tx(|sql| {
                complete_setup(
                    sql,
                    &link.secret,
                    &form(Some(AreaList::January2025), Some("83")),
                    t0,
                )
            })
            .unwrap();
        assert_eq!(done.areas, 63 + 696 + 10_051);
        assert_eq!(done.unit.area_code.as_deref(), Some("83"));
    }
}
