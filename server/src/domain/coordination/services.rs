//! The service catalogue as coordinators edit it: names, the national procedure code and whether
//! it was checked, the levels of both decrees, the authority, in use or not. The dashboard's
//! catalogue page, `gocua admin edit-service` and `set-service-code` all go through
//! [`update_service`]; a change reaches the phones at their next pull.

use gocua_protocol::import::services::is_procedure_code;
use gocua_protocol::*;

use super::error::{AdminError, AdminResult};
use super::input::check_name;
use crate::db::Sql;
use crate::domain::refdata;
use crate::params;

/// The longest authority ("UBND cấp xã", "Công an cấp huyện", …) a coordinator may type.
pub const MAX_AUTHORITY_CHARS: usize = 200;

pub fn load_service(sql: &mut dyn Sql, key: &str) -> AdminResult<Service> {
    let row = sql.query_one("SELECT body FROM services WHERE key = ?", params![key])?;
    match row {
        Some(r) => Ok(r.json(0)?),
        None => Err(AdminError::not_found(
            format!("Không có dịch vụ khoá \"{key}\" trong danh mục."),
            format!("No service with key \"{key}\" in the catalogue."),
        )),
    }
}

/// The whole catalogue, by key.
pub fn list_services(sql: &mut dyn Sql) -> AdminResult<Vec<Service>> {
    Ok(sql
        .query("SELECT body FROM services ORDER BY key", &[])?
        .iter()
        .map(|r| r.json(0))
        .collect::<Result<_, _>>()?)
}

/// What to change in a service; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServiceEdit {
    pub name_vi: Option<String>,
    pub name_en: Option<String>,
    /// `Some("")` removes the code.
    pub code: Option<String>,
    pub code_verified: Option<bool>,
    /// `Some(None)`: the level is not known.
    pub level_42: Option<Option<Level42>>,
    pub level_43: Option<Option<Level43>>,
    pub authority: Option<String>,
    pub active: Option<bool>,
}

/// The names of the fields an edit changed, for the audit log and the terminal.
pub fn changed_fields(before: &Service, after: &Service) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut check = |changed: bool, name: &'static str| {
        if changed {
            out.push(name);
        }
    };
    check(before.name_vi != after.name_vi, "name_vi");
    check(before.name_en != after.name_en, "name_en");
    check(before.code != after.code, "code");
    check(before.code_verified != after.code_verified, "code_verified");
    check(before.level_42 != after.level_42, "level_42");
    check(before.level_43 != after.level_43, "level_43");
    check(before.authority != after.authority, "authority");
    check(before.active != after.active, "active");
    out
}

/// [`changed_fields`] as the audit log keeps them (`AuditEvent::ServiceEdited`).
pub fn changed_field_names(before: &Service, after: &Service) -> Vec<String> {
    changed_fields(before, after)
        .into_iter()
        .map(str::to_owned)
        .collect()
}

fn tidy(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Applies `edit` to the service `key`: checks every field (a verified mark needs a code in the
/// national format), stores it when something changed; returns the service before and after.
pub fn update_service(
    sql: &mut dyn Sql,
    key: &str,
    edit: &ServiceEdit,
) -> AdminResult<(Service, Service)> {
    let before = load_service(sql, key)?;
    let mut after = before.clone();
    if let Some(name) = &edit.name_vi {
        after.name_vi = check_name("tên dịch vụ (tiếng Việt)", "The Vietnamese name", name)?;
    }
    if let Some(name) = &edit.name_en {
        // The English name may stay empty (the starter catalogue has a few without one).
        let name = tidy(name);
        after.name_en = if name.is_empty() {
            name
        } else {
            check_name("tên dịch vụ (tiếng Anh)", "The English name", &name)?
        };
    }
    if let Some(code) = &edit.code {
        let code = code.trim();
        if code.is_empty() {
            after.code = None;
        } else if is_procedure_code(code) {
            after.code = Some(code.to_owned());
        } else {
            return Err(AdminError::invalid(
                format!("Mã thủ tục \"{code}\" không đúng dạng số.số của danh mục quốc gia (ví dụ 1.001193)."),
                format!("Procedure code \"{code}\" does not have the national format digits.digits (e.g. 1.001193)."),
            ));
        }
        if after.code != before.code && edit.code_verified.is_none() {
            // A new code has not been checked unless the coordinator says so.
            after.code_verified = false;
        }
    }
    if let Some(verified) = edit.code_verified {
        after.code_verified = verified;
    }
    if after.code_verified && after.code.is_none() {
        return Err(AdminError::invalid(
            "Chỉ đánh dấu \"đã kiểm tra\" khi dịch vụ có mã thủ tục.",
            "Only a service with a procedure code can be marked as checked.",
        ));
    }
    if let Some(level) = &edit.level_42 {
        after.level_42 = level.clone();
    }
    if let Some(level) = &edit.level_43 {
        after.level_43 = level.clone();
    }
    if let Some(authority) = &edit.authority {
        let authority = tidy(authority);
        if authority.chars().count() > MAX_AUTHORITY_CHARS {
            return Err(AdminError::invalid(
                format!("Cơ quan giải quyết quá dài (tối đa {MAX_AUTHORITY_CHARS} ký tự)."),
                format!("The authority is too long (at most {MAX_AUTHORITY_CHARS} characters)."),
            ));
        }
        after.authority = authority;
    }
    if let Some(active) = edit.active {
        after.active = active;
    }
    if after != before {
        refdata::upsert_services(sql, std::slice::from_ref(&after))?;
    }
    Ok((before, after))
}

/// Sets a service's national procedure code and marks it verified; returns the service before
/// and after.
pub fn set_service_code(
    sql: &mut dyn Sql,
    key: &str,
    code: &str,
) -> AdminResult<(Service, Service)> {
    if code.trim().is_empty() {
        // An empty code would remove it; this command sets one.
        return Err(AdminError::invalid(
            "Cần nhập mã thủ tục (ví dụ 1.001193).",
            "A procedure code is required (e.g. 1.001193).",
        ));
    }
    update_service(
        sql,
        key,
        &ServiceEdit {
            code: Some(code.to_owned()),
            code_verified: Some(true),
            ..ServiceEdit::default()
        },
    )
}
