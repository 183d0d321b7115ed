//! One module per dashboard page.

pub mod admin;
pub mod assignments;
pub mod audit_page;
pub mod coverage;
pub mod coverage_table;
pub mod erasure;
pub mod exports;
pub mod feedback;
pub mod flags;
pub mod followups;
pub mod guides;
pub mod households;
pub mod login;
pub mod overview;
pub mod overview_pace;
pub mod report;
pub mod setup;
pub mod targets;
pub mod teams;
pub mod visits;

use axum::http::{header, HeaderValue};
use axum::response::{Html, IntoResponse, Response};
use maud::Markup;

use super::export::{table_to_xlsx, write_csv, Table};
use crate::web::error::WebError;

/// A form that carries nothing but its CSRF token.
#[derive(serde::Deserialize)]
pub struct CsrfOnly {
    pub csrf: String,
}

/// An optional id from a filter or form: empty means "not chosen"; one that does not parse gets
/// the same answer as an id out of the account's scope.
pub fn opt_uuid(raw: Option<&str>) -> Result<Option<uuid::Uuid>, WebError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => uuid::Uuid::parse_str(s)
            .map(Some)
            .map_err(|_| WebError::NotInScope),
    }
}

pub fn html(m: Markup) -> Response {
    Html(m.into_string()).into_response()
}

/// `?format=` of a table page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Csv,
    Xlsx,
}

impl Format {
    pub fn parse(raw: Option<&str>) -> Result<Format, WebError> {
        match raw.unwrap_or("html") {
            "html" | "" => Ok(Format::Html),
            "csv" => Ok(Format::Csv),
            "xlsx" => Ok(Format::Xlsx),
            other => Err(WebError::bad_input(
                format!("Định dạng \"{other}\" không có; chọn csv hoặc xlsx."),
                format!("There is no format \"{other}\"; choose csv or xlsx."),
            )),
        }
    }
}

/// A file name from a table title: ASCII letters, digits and dashes, plus today's date.
pub fn file_name(title: &str, ext: &str) -> String {
    let folded = gocua_protocol::text::fold(title);
    let mut slug = String::new();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_matches('-');
    format!(
        "gocua-{}-{}.{ext}",
        if slug.is_empty() { "bang" } else { slug },
        crate::domain::calendar::today()
    )
}

/// A table as a download.
pub fn download(table: &Table, format: Format) -> Result<Response, WebError> {
    let (bytes, mime, ext) = match format {
        Format::Csv => {
            let mut out = Vec::new();
            write_csv(&table.columns, table.rows.iter().cloned(), &mut out)
                .map_err(|e| WebError::Export(e.to_string()))?;
            (out, "text/csv; charset=utf-8", "csv")
        }
        Format::Xlsx | Format::Html => (
            table_to_xlsx(table).map_err(|e| WebError::Export(e.to_string()))?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
    };
    Ok(attachment(bytes, mime, &file_name(&table.title, ext)))
}

pub fn attachment(bytes: Vec<u8>, mime: &str, name: &str) -> Response {
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(mime).expect("mime is ASCII"),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")).expect("name is ASCII"),
    );
    r
}
