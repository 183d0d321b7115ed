//! The audit log: who changed what, when. Written in the same transaction as the change.

use chrono::Utc;
use uuid::Uuid;

use crate::db::{DbResult, Sql};
use crate::domain::accounts::Account;
use crate::params;

pub fn record(
    sql: &mut dyn Sql,
    who: Option<&Account>,
    username: &str,
    action: &str,
    subject: &str,
    detail: &str,
) -> DbResult<()> {
    sql.exec(
        "INSERT INTO audit_log(id, at, coordinator_id, username, org_unit_id, action, subject, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        params![
            Uuid::now_v7(),
            Utc::now(),
            who.map(|a| a.id),
            username,
            who.map(|a| a.org_unit_id),
            action,
            subject,
            detail
        ],
    )?;
    Ok(())
}

/// What an action code means, for the log page.
pub fn action_label(lang: super::format::Lang, action: &str) -> String {
    let (vi, en) = match action {
        "login" => ("Đăng nhập", "Signed in"),
        "login_failed" => ("Đăng nhập sai", "Failed sign-in"),
        "login_locked" => ("Tài khoản bị khoá tạm", "Account locked"),
        "logout" => ("Đăng xuất", "Signed out"),
        "target_set" => ("Giao chỉ tiêu", "Target set"),
        "enrol_code" => ("Cấp mã đăng ký thiết bị", "Enrolment code issued"),
        "device_revoked" => ("Thu hồi thiết bị", "Device revoked"),
        "flag_resolved" => ("Xử lý cảnh báo dữ liệu", "Data check resolved"),
        "visit_deleted" => ("Xoá lượt đến hộ", "Visit deleted"),
        "export" => ("Xuất dữ liệu", "Data exported"),
        "report" => ("Tải báo cáo nhanh", "Quick report downloaded"),
        "household_viewed" => ("Xem thông tin hộ", "Household viewed"),
        other => return other.to_owned(),
    };
    lang.pick_owned(vi, en)
}
