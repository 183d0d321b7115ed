//! Signing in and out, and the language switch.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::Utc;
use maud::html;
use serde::Deserialize;

use super::html;
use crate::domain::accounts::{check_login, LoginRefusal};
use crate::domain::audit::{self, AuditEvent};
use crate::web::cookies::set_cookie;
use crate::web::error::WebError;
use crate::web::i18n::{self, Lang};
use crate::web::layout::bare_page;
use crate::web::session::{create_session, end_session, User, SESSION_COOKIE, SESSION_HOURS};
use crate::web::state::db_run;
use crate::web::state::WebState;

#[derive(Deserialize, Default)]
pub struct NextQuery {
    next: Option<String>,
}

/// Only same-site paths are followed after signing in (no open redirects).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/".to_owned(),
    }
}

fn login_page(lang: Lang, next: &str, username: &str, error: Option<&str>) -> maud::Markup {
    bare_page(
        lang,
        lang.pick("Đăng nhập", "Sign in"),
        html! {
            h1 { "Gõ Cửa" }
            p.muted { (lang.pick("Dành cho cán bộ Đoàn theo dõi tiến độ, dữ liệu và báo cáo.", "For Youth Union coordinators: progress, data checks and reports.")) }
            @if let Some(e) = error { p.error role="alert" { (e) } }
            form.stack method="post" action="/login" {
                input type="hidden" name="next" value=(next);
                label { (lang.pick("Tên đăng nhập", "Username"))
                    input name="username" autocomplete="username" required value=(username) autofocus; }
                label { (lang.pick("Mật khẩu", "Password"))
                    input name="password" type="password" autocomplete="current-password" required; }
                button.primary type="submit" { (lang.pick("Đăng nhập", "Sign in")) }
            }
            p { a href={ "/lang/" (if lang == Lang::Vi { "en" } else { "vi" }) "?next=/login" } { (lang.pick("English", "Tiếng Việt")) } }
        },
    )
}

pub async fn form(headers: HeaderMap, Query(q): Query<NextQuery>) -> Response {
    let lang = i18n::lang_from_headers(&headers);
    html(login_page(lang, &safe_next(q.next.as_deref()), "", None))
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
}

pub async fn submit(
    State(state): State<Arc<WebState>>,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Response {
    let lang = i18n::lang_from_headers(&headers);
    let next = safe_next(f.next.as_deref());
    // Password guessing across accounts is slowed down too, not only per account.
    if let Err(wait) = state.login_limiter.check(uuid::Uuid::nil()) {
        let msg = lang.pick_owned(
            format!(
                "Có quá nhiều lần đăng nhập. Hãy thử lại sau {} giây.",
                wait.as_secs().max(1)
            ),
            format!(
                "Too many sign-in attempts. Try again in {} seconds.",
                wait.as_secs().max(1)
            ),
        );
        return (
            StatusCode::TOO_MANY_REQUESTS,
            html(login_page(lang, &next, &f.username, Some(&msg))),
        )
            .into_response();
    }
    let (username, password) = (f.username.clone(), f.password);
    let outcome = db_run(&state, lang, move |sql| {
        let result = check_login(sql, &username, &password, Utc::now())?;
        match &result {
            Ok(account) => {
                audit::record(
                    sql,
                    Some(account),
                    &account.username,
                    "",
                    &AuditEvent::Login {},
                )?;
                let secret = create_session(sql, account.id)?;
                Ok(Ok(secret))
            }
            Err(refusal) => {
                let event = match refusal {
                    LoginRefusal::Locked { .. } => AuditEvent::LoginLocked {},
                    LoginRefusal::WrongCredentials => AuditEvent::LoginFailed {},
                };
                audit::record(sql, None, username.trim(), "", &event)?;
                Ok::<_, WebError>(Err(refusal.clone()))
            }
        }
    })
    .await;
    match outcome {
        Err(page) => page,
        Ok(Ok(secret)) => {
            let mut r = Redirect::to(&next).into_response();
            r.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(&headers, SESSION_COOKIE, &secret, SESSION_HOURS * 3600),
            );
            r
        }
        Ok(Err(refusal)) => {
            let msg = match refusal {
                LoginRefusal::WrongCredentials => lang.pick_owned(
                    "Tên đăng nhập hoặc mật khẩu không đúng.",
                    "The username or password is wrong.",
                ),
                LoginRefusal::Locked { until } => lang.pick_owned(
                    format!(
                        "Tài khoản tạm khoá vì đăng nhập sai nhiều lần, đến {}.",
                        i18n::date_time(until)
                    ),
                    format!(
                        "The account is locked after repeated failed sign-ins, until {}.",
                        i18n::date_time(until)
                    ),
                ),
            };
            (
                StatusCode::UNAUTHORIZED,
                html(login_page(lang, &next, &f.username, Some(&msg))),
            )
                .into_response()
        }
    }
}

pub async fn logout(
    State(state): State<Arc<WebState>>,
    headers: HeaderMap,
    user: User,
    Form(f): Form<crate::web::pages::CsrfOnly>,
) -> Response {
    if let Err(e) = user.check_csrf(&f.csrf) {
        return e.into_page(user.lang);
    }
    let secret = user.secret.clone();
    let account = user.account.clone();
    if let Err(page) = db_run(&state, user.lang, move |sql| {
        audit::record(
            sql,
            Some(&account),
            &account.username,
            "",
            &AuditEvent::Logout {},
        )?;
        Ok(end_session(sql, &secret)?)
    })
    .await
    {
        return page;
    }
    let mut r = Redirect::to("/login").into_response();
    r.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&headers, SESSION_COOKIE, "", 0),
    );
    r
}

pub async fn switch_language(
    headers: HeaderMap,
    Path(code): Path<String>,
    Query(q): Query<NextQuery>,
) -> Response {
    let code = if code == "en" { "en" } else { "vi" };
    let next = q
        .next
        .as_deref()
        .map(|n| safe_next(Some(n)))
        .or_else(|| {
            headers
                .get(header::REFERER)
                .and_then(|v| v.to_str().ok())
                .and_then(|r| r.split_once("://").map(|(_, rest)| rest))
                .and_then(|rest| rest.find('/').map(|i| rest[i..].to_owned()))
                .map(|p| safe_next(Some(&p)))
        })
        .unwrap_or_else(|| "/".into());
    let mut r = Redirect::to(&next).into_response();
    r.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&headers, i18n::LANG_COOKIE, code, 365 * 24 * 3600),
    );
    r
}
