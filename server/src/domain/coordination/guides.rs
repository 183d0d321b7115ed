//! Service guides: a short Markdown text per catalogue service ("what to say and do at the
//! door"), written by the coordinators who edit the catalogue. The dashboard's guide page and
//! `gocua admin set-guide` / `guides` / `load-starter-guides` all go through these functions; every
//! change bumps the reference sequence, so phones pull the guides again. The text's rules
//! (`guide_empty`, `guide_too_long`) are the protocol's (`gocua_protocol::guide`).

use chrono::{DateTime, Utc};
use gocua_protocol::guide::{self, ServiceGuide};

use super::error::{AdminError, AdminResult};
use super::services::load_service;
use crate::db::{Row, Sql};
use crate::domain::{builtin_guides, refdata};
use crate::params;

/// A guide with who last changed it (`None`: the built-in starter content).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredGuide {
    pub guide: ServiceGuide,
    pub updated_by: Option<String>,
}

const COLUMNS: &str = "service_key, body, needs_check, updated_at, updated_by";

fn from_row(r: &Row) -> StoredGuide {
    StoredGuide {
        guide: ServiceGuide {
            service_key: r.text(0),
            body: r.text(1),
            needs_check: r.int(2) != 0,
            updated_at: r.opt_time(3).unwrap_or_default(),
        },
        updated_by: r.opt_text(4),
    }
}

fn unknown_service(key: &str) -> AdminError {
    AdminError::not_found(
        format!("Không có dịch vụ khoá \"{key}\" trong danh mục."),
        format!("No service with key \"{key}\" in the catalogue."),
    )
    .with_code("unknown_service")
}

/// The guide of service `key`, if it has one; an unknown service is refused (`unknown_service`).
pub fn get_guide(sql: &mut dyn Sql, key: &str) -> AdminResult<Option<StoredGuide>> {
    load_service(sql, key).map_err(|_| unknown_service(key))?;
    let row = sql.query_one(
        &format!("SELECT {COLUMNS} FROM service_guides WHERE service_key = ?"),
        params![key],
    )?;
    Ok(row.as_ref().map(from_row))
}

/// Every guide, by service key.
pub fn list_guides(sql: &mut dyn Sql) -> AdminResult<Vec<StoredGuide>> {
    Ok(sql
        .query(
            &format!("SELECT {COLUMNS} FROM service_guides ORDER BY service_key"),
            &[],
        )?
        .iter()
        .map(from_row)
        .collect())
}

/// A guide's text as checked: trailing spaces and Windows line ends tidied, then the protocol's
/// rules applied.
fn checked_body(body: &str) -> AdminResult<String> {
    let body = body.replace("\r\n", "\n").trim_end().to_owned();
    guide::check(&body)
        .map_err(|e| AdminError::invalid(e.message_vi(), e.message_en()).with_code(e.code()))?;
    Ok(body)
}

/// Writes the guide of service `key` (creating or replacing it). `checked`: the writer vouches
/// for the content (else it needs a coordinator's check). `by`: the account's username, `None`
/// for built-in content. Returns the guide before (if any) and after.
pub fn save_guide(
    sql: &mut dyn Sql,
    key: &str,
    body: &str,
    checked: bool,
    by: Option<&str>,
    now: DateTime<Utc>,
) -> AdminResult<(Option<StoredGuide>, StoredGuide)> {
    let before = get_guide(sql, key)?;
    let body = checked_body(body)?;
    let seq = refdata::bump(sql)?;
    sql.exec(
        "INSERT INTO service_guides(service_key, body, needs_check, updated_at, updated_by, seq) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(service_key) DO UPDATE SET body = excluded.body, needs_check = excluded.needs_check,
           updated_at = excluded.updated_at, updated_by = excluded.updated_by, seq = excluded.seq",
        params![key, body.as_str(), i64::from(!checked), now, by.map(str::to_owned), seq],
    )?;
    let after = get_guide(sql, key)?.expect("just written");
    Ok((before, after))
}

/// Marks the guide of `key` as checked by `by`; refused when the service has no guide
/// (`guide_missing`).
pub fn mark_checked(
    sql: &mut dyn Sql,
    key: &str,
    by: &str,
    now: DateTime<Utc>,
) -> AdminResult<StoredGuide> {
    if get_guide(sql, key)?.is_none() {
        return Err(no_guide(key));
    }
    let seq = refdata::bump(sql)?;
    sql.exec(
        "UPDATE service_guides SET needs_check = 0, updated_at = ?, updated_by = ?, seq = ? WHERE service_key = ?",
        params![now, by, seq, key],
    )?;
    Ok(get_guide(sql, key)?.expect("exists"))
}

fn no_guide(key: &str) -> AdminError {
    AdminError::not_found(
        format!("Dịch vụ \"{key}\" chưa có hướng dẫn."),
        format!("Service \"{key}\" has no guide yet."),
    )
    .with_code("guide_missing")
}

/// Removes the guide of `key`; phones lose it at their next pull. Refused when there is none.
pub fn delete_guide(sql: &mut dyn Sql, key: &str) -> AdminResult<StoredGuide> {
    let Some(before) = get_guide(sql, key)? else {
        return Err(no_guide(key));
    };
    refdata::bump(sql)?;
    sql.exec(
        "DELETE FROM service_guides WHERE service_key = ?",
        params![key],
    )?;
    Ok(before)
}

/// Loads the built-in starter guides (needing a coordinator's check) for the services of the
/// catalogue that have none; returns the keys loaded. Services not in the catalogue are skipped.
pub fn load_starter_guides(sql: &mut dyn Sql, now: DateTime<Utc>) -> AdminResult<Vec<String>> {
    let mut loaded = Vec::new();
    for (key, body) in builtin_guides::STARTER {
        let in_catalogue = load_service(sql, key).is_ok();
        if !in_catalogue || get_guide(sql, key)?.is_some() {
            continue;
        }
        save_guide(sql, key, body, false, None, now)?;
        loaded.push((*key).to_owned());
    }
    Ok(loaded)
}

#[cfg(test)]
#[path = "guides_tests.rs"]
mod tests;
