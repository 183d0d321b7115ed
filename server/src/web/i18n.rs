//! The dashboard's two languages: Vietnamese by default, English by cookie. The language and the
//! formatting of numbers, shares and dates are the server's one formatter ([`crate::domain::format`]),
//! re-exported here for the pages.

use axum::http::HeaderMap;

pub use crate::domain::format::{date, date_time, number, percent, share, Lang};

/// The cookie that holds the reader's language.
pub const LANG_COOKIE: &str = "gocua_lang";

/// The language cookie, Vietnamese when there is none.
pub fn lang_from_headers(headers: &HeaderMap) -> Lang {
    match super::cookies::cookie(headers, LANG_COOKIE).as_deref() {
        Some("en") => Lang::En,
        _ => Lang::Vi,
    }
}
