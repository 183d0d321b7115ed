//! Browser sessions: an HttpOnly, SameSite=Strict cookie holding a random secret (only its hash
//! is stored), a CSRF token per session checked on every form, and the signed-in account.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Duration, Utc};
use uuid::Uuid;

use super::cookies::cookie;
use super::error::WebError;
use super::i18n::{self, Lang};
use super::state::WebState;
use crate::db::{DbResult, Sql};
use crate::domain::accounts::{load_account, Account};
use crate::domain::auth::sha256_hex;
use crate::params;

pub const SESSION_COOKIE: &str = "gocua_session";
/// A session lasts a working day and a half; after that, sign in again.
pub const SESSION_HOURS: i64 = 12;

/// Starts a session; returns the cookie secret.
pub fn create_session(sql: &mut dyn Sql, account_id: Uuid) -> DbResult<String> {
    let secret = crate::domain::auth::new_device_token();
    let now = Utc::now();
    sql.exec(
        "DELETE FROM web_sessions WHERE expires_at < ?",
        params![now],
    )?;
    sql.exec(
        "INSERT INTO web_sessions(token_hash, coordinator_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
        params![sha256_hex(secret.as_bytes()), account_id, crate::domain::auth::new_device_token(), now, now + Duration::hours(SESSION_HOURS)],
    )?;
    Ok(secret)
}

pub fn end_session(sql: &mut dyn Sql, secret: &str) -> DbResult<()> {
    sql.exec(
        "DELETE FROM web_sessions WHERE token_hash = ?",
        params![sha256_hex(secret.as_bytes())],
    )?;
    Ok(())
}

/// The signed-in coordinator of a request, with the session's CSRF token and the language.
#[derive(Debug, Clone)]
pub struct User {
    pub account: Account,
    pub csrf: String,
    pub lang: Lang,
    pub secret: String,
}

impl User {
    /// Refuses a form whose CSRF token is not this session's.
    pub fn check_csrf(&self, given: &str) -> Result<(), WebError> {
        if constant_time_eq(given.as_bytes(), self.csrf.as_bytes()) {
            Ok(())
        } else {
            Err(WebError::Csrf)
        }
    }
}

impl User {
    /// The preamble of every form that changes something: this session's CSRF token, and a role
    /// that may edit. Either refusal is an error page in the user's language.
    #[allow(clippy::result_large_err)] // handlers return the error page itself
    pub fn check_edit(&self, csrf: &str) -> Result<(), Response> {
        self.check_csrf(csrf).map_err(|e| e.into_page(self.lang))?;
        if !self.account.role.can_edit() {
            return Err(WebError::Forbidden.into_page(self.lang));
        }
        Ok(())
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Not signed in: browsers are sent to the login page, which comes back here afterwards.
pub struct LoginRedirect(String);

impl IntoResponse for LoginRedirect {
    fn into_response(self) -> Response {
        Redirect::to(&format!("/login?next={}", super::text::url_encode(&self.0))).into_response()
    }
}

impl FromRequestParts<Arc<WebState>> for User {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<WebState>,
    ) -> Result<Self, Self::Rejection> {
        let next = parts
            .uri
            .path_and_query()
            .map_or("/".to_owned(), |p| p.as_str().to_owned());
        let lang = i18n::lang_from_headers(&parts.headers);
        let Some(secret) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(LoginRedirect(next).into_response());
        };
        let hash = sha256_hex(secret.as_bytes());
        let found = state
            .db
            .run(move |sql: &mut dyn Sql| -> Result<_, WebError> {
                let Some(row) = sql.query_one(
                    "SELECT coordinator_id, csrf_token FROM web_sessions WHERE token_hash = ? AND expires_at > ?",
                    params![hash, Utc::now()],
                )?
                else {
                    return Ok(None);
                };
                let account = load_account(sql, row.uuid(0)?)?;
                Ok(account.map(|a| (a, row.text(1))))
            })
            .await
            .map_err(|e| e.into_page(lang))?;
        match found {
            Some((account, csrf)) => Ok(User {
                account,
                csrf,
                lang,
                secret,
            }),
            None => Err(LoginRedirect(next).into_response()),
        }
    }
}
