//! `GET/POST /account/password`: every signed-in account (viewers too) changes its own password,
//! giving the current one and the new one twice. The current password is checked with argon2
//! outside any transaction, as a sign-in is; the account's other sessions end, this one stays.

use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use maud::{html, Markup};
use serde::Deserialize;

use crate::db::DbError;
use crate::domain::accounts::{
    change_own_password, own_password_hash, password_matches, Password, MIN_PASSWORD_CHARS,
};
use crate::domain::audit::{self, AuditEvent};
use crate::domain::auth::sha256_hex;
use crate::domain::coordination::AdminError;
use crate::web::error::PageResult;
use crate::web::error::WebError;
use crate::web::extract::Ctx;
use crate::web::layout::{self, Nav};
use crate::web::pages::admin::DoneQuery;
use crate::web::pages::html;
use crate::web::session::User;
use crate::web::state::db_run;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ChangeForm {
    csrf: String,
    current: String,
    new: String,
    again: String,
}

fn form_page(user: &User, error: Option<&WebError>, done: bool) -> Markup {
    let lang = user.lang;
    let body = html! {
        @if done {
            p.notice role="status" data-done="password_changed" { (lang.pick(
                "Đã đổi mật khẩu. Các phiên đăng nhập khác của tài khoản đã kết thúc.",
                "Your password was changed. Your other sessions have ended.")) }
        }
        @if let Some(e) = error { p.error role="alert" data-code=(e.code()) { (e.message(lang)) } }
        form.stack.card.narrow method="post" action="/account/password" {
            (layout::csrf_field(user))
            input type="hidden" name="username" autocomplete="username" value=(user.account.username);
            label { (lang.pick("Mật khẩu hiện tại", "Current password"))
                input name="current" type="password" autocomplete="current-password" required; }
            label { (lang.pick("Mật khẩu mới", "New password"))
                input name="new" type="password" autocomplete="new-password" required minlength=(MIN_PASSWORD_CHARS); }
            label { (lang.pick("Nhập lại mật khẩu mới", "New password again"))
                input name="again" type="password" autocomplete="new-password" required minlength=(MIN_PASSWORD_CHARS); }
            p.muted { (lang.pick_owned(
                format!("Ít nhất {MIN_PASSWORD_CHARS} ký tự; nên dùng vài từ dễ nhớ nối nhau. Các phiên đăng nhập khác của bạn sẽ kết thúc."),
                format!("At least {MIN_PASSWORD_CHARS} characters; a few words you remember, joined, work well. Your other sessions will end."))) }
            button.primary type="submit" { (lang.pick("Đổi mật khẩu", "Change the password")) }
        }
    };
    layout::page(
        user,
        Nav::Admin,
        lang.pick("Đổi mật khẩu", "Change password"),
        body,
    )
}

pub async fn form(user: User, Query(q): Query<DoneQuery>) -> Response {
    html(form_page(&user, None, q.done.as_deref() == Some("1")))
}

pub async fn change(Ctx { state, user }: Ctx, Form(f): Form<ChangeForm>) -> PageResult {
    let lang = user.lang;
    user.check_csrf(&f.csrf).map_err(|e| e.into_page(lang))?;
    let refuse = |e: WebError| {
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            html(form_page(&user, Some(&e), false)),
        )
            .into_response()
    };
    // Guessing the current password from a session left open is slowed down like sign-ins.
    if let Err(wait) = state.login_limiter.check(user.account.id) {
        return Ok(refuse(WebError::from(AdminError::refused(
            "rate_limited",
            format!(
                "Có quá nhiều lần thử. Hãy thử lại sau {} giây.",
                wait.as_secs().max(1)
            ),
            format!(
                "Too many attempts. Try again in {} seconds.",
                wait.as_secs().max(1)
            ),
        ))));
    }
    if f.new != f.again {
        return Ok(refuse(
            AdminError::refused(
                "passwords_differ",
                "Hai lần nhập mật khẩu mới không giống nhau.",
                "The two new passwords are not the same.",
            )
            .into(),
        ));
    }
    if let Err(e) = Password::check(&f.new) {
        return Ok(refuse(e.into()));
    }
    let id = user.account.id;
    let stored = db_run(&state, lang, move |sql| Ok(own_password_hash(sql, id)?))
        .await?
        .ok_or_else(|| WebError::Forbidden.into_page(lang))?;
    let Ok(permit) = state.password_checks.clone().acquire_owned().await else {
        return Err(WebError::Forbidden.into_page(lang));
    };
    let (current, new, hash) = (f.current, f.new, stored.clone());
    let checked = tokio::task::spawn_blocking(move || {
        let ok = password_matches(&hash, &current);
        drop(permit);
        ok.then(|| Password::typed(&new))
    })
    .await
    .map_err(|e| WebError::Db(DbError::Task(e.to_string())).into_page(lang))?;
    let new = match checked {
        None => {
            return Ok(refuse(
                AdminError::refused(
                    "wrong_password",
                    "Mật khẩu hiện tại không đúng.",
                    "The current password is wrong.",
                )
                .into(),
            ))
        }
        Some(Err(e)) => return Ok(refuse(e.into())),
        Some(Ok(p)) => p,
    };
    let u = user.clone();
    let keep = sha256_hex(user.secret.as_bytes());
    db_run(&state, lang, move |sql| {
        change_own_password(sql, u.account.id, &stored, &new, &keep)?;
        audit::record_by(
            sql,
            &u.account,
            &u.account.username,
            &AuditEvent::PasswordChanged {},
        )?;
        Ok(())
    })
    .await?;
    Ok(Redirect::to("/account/password?done=1").into_response())
}
