//! `GET /admin/accounts/{id}` and its forms: rename, reset the password (shown once), lock,
//! unlock, deactivate. Each POST checks the CSRF token, the scope and `may_manage_account_at`,
//! runs the domain function and writes the audit entry in one transaction.

use std::sync::Arc;

use axum::extract::Query;
use axum::response::{IntoResponse, Redirect};
use axum::Form;
use chrono::Utc;
use maud::{html, Markup};
use serde::Deserialize;
use uuid::Uuid;

use super::{
    access, account_in_scope, manageable, password_once, refusal_page, status_badge, unit_path,
    Reach,
};
use crate::db::{DbError, Sql};
use crate::domain::accounts::{self, Account, AccountEntry, AccountStatus, Password};
use crate::domain::audit::{self, AuditEvent};
use crate::domain::coordination::MAX_NAME_CHARS;
use crate::web::error::PageResult;
use crate::web::error::WebError;
use crate::web::extract::Addressed;
use crate::web::i18n::{self, Lang};
use crate::web::layout;
use crate::web::pages::admin::DoneQuery;
use crate::web::pages::admin::{admin_page, run_as};
use crate::web::pages::CsrfOnly;
use crate::web::session::User;
use crate::web::state::WebState;

/// The notice after a change, by its code (only these codes: nothing from the URL is shown).
fn done_notice(lang: Lang, done: &str) -> Option<&'static str> {
    Some(match done {
        "created" => lang.pick("Đã tạo tài khoản.", "The account was created."),
        "renamed" => lang.pick("Đã đổi họ tên.", "The name was changed."),
        "locked" => lang.pick(
            "Đã khoá tài khoản; các phiên đăng nhập của tài khoản đã kết thúc.",
            "The account is locked; its sessions have ended.",
        ),
        "unlocked" => lang.pick("Đã mở khoá tài khoản.", "The account is unlocked."),
        "deactivated" => lang.pick(
            "Đã ngừng tài khoản; các phiên đăng nhập của tài khoản đã kết thúc.",
            "The account is deactivated; its sessions have ended.",
        ),
        _ => return None,
    })
}

fn actions(user: &User, e: &AccountEntry) -> Markup {
    let lang = user.lang;
    let base = format!("/admin/accounts/{}", e.account.id);
    let locked = matches!(e.status, AccountStatus::Locked { .. });
    let unlockable = !matches!(e.status, AccountStatus::Active);
    html! {
        section.card.action {
            h2 { (lang.pick("Đổi họ tên", "Rename")) }
            form.row method="post" action={ (base) "/rename" } {
                (layout::csrf_field(user))
                label { span.sr { (lang.pick("Họ tên", "Full name")) }
                    input name="display_name" required maxlength=(MAX_NAME_CHARS) value=(e.account.display_name); }
                button.secondary type="submit" { (lang.pick("Lưu họ tên", "Save the name")) }
            }
        }
        section.card.action {
            h2 { (lang.pick("Đặt lại mật khẩu", "Reset the password")) }
            p.muted { (lang.pick(
                "Máy chủ tạo mật khẩu mới và hiện một lần; mật khẩu cũ hết dùng được và mọi phiên đăng nhập của tài khoản này kết thúc.",
                "The server makes up a new password and shows it once; the old one stops working and all of this account's sessions end.")) }
            form method="post" action={ (base) "/password" } {
                (layout::csrf_field(user))
                button.secondary type="submit" { (lang.pick("Tạo mật khẩu mới", "Make a new password")) }
            }
        }
        section.card.action {
            h2 { (lang.pick("Khoá hoặc mở khoá", "Lock or unlock")) }
            p.muted { (lang.pick(
                "Tài khoản bị khoá không đăng nhập được cho đến khi được mở khoá; các phiên đang mở kết thúc ngay. Mở khoá cũng gỡ khoá tạm do đăng nhập sai.",
                "A locked account cannot sign in until it is unlocked; its open sessions end at once. Unlocking also lifts a lock after failed sign-ins.")) }
            div.row {
                @if !locked {
                    form method="post" action={ (base) "/lock" } {
                        (layout::csrf_field(user))
                        button.secondary type="submit" { (lang.pick("Khoá tài khoản", "Lock the account")) }
                    }
                }
                @if unlockable {
                    form method="post" action={ (base) "/unlock" } {
                        (layout::csrf_field(user))
                        button.secondary type="submit" { (lang.pick("Mở khoá", "Unlock")) }
                    }
                }
            }
        }
        section.card.action.danger-zone {
            h2 { (lang.pick("Ngừng tài khoản", "Deactivate the account")) }
            p.muted { (lang.pick(
                "Tài khoản ngừng hoạt động không đăng nhập được nữa; tên đăng nhập và nhật ký thao tác được giữ lại. Không hoàn tác được trên trang này.",
                "A deactivated account can no longer sign in; its username and audit entries stay. This cannot be undone on this page.")) }
            form method="post" action={ (base) "/deactivate" } {
                (layout::csrf_field(user))
                label.check { input type="checkbox" name="confirm" value="yes" required; " "
                    (lang.pick("Tôi chắc chắn muốn ngừng tài khoản này", "I am sure I want to deactivate this account")) }
                p { button.danger type="submit" { (lang.pick("Ngừng tài khoản", "Deactivate")) } }
            }
        }
    }
}

pub async fn page(p: Addressed<Query<DoneQuery>>) -> PageResult {
    let (state, user, id, Query(q)) = p.into_parts();
    let lang = user.lang;
    let (entry, unit, reach) = run_as(&state, &user, move |sql, u| {
        let access = access(sql, u)?;
        let entry = account_in_scope(sql, &access, id)?;
        let unit = unit_path(&access.tree, entry.account.org_unit_id, access.unit);
        let reach = access.reach(u, &entry);
        Ok((entry, unit, reach))
    })
    .await?;
    let a = &entry.account;
    let deactivated = matches!(entry.status, AccountStatus::Deactivated { .. });
    let body = html! {
        @if let Some(text) = q.done.as_deref().and_then(|d| done_notice(lang, d)) {
            p.notice role="status" data-done=(q.done.as_deref().unwrap_or_default()) { (text) }
        }
        dl.card.facts {
            dt { (lang.pick("Tên đăng nhập", "Username")) } dd { strong { (a.username) } }
            dt { (lang.pick("Họ tên", "Full name")) } dd { (a.display_name) }
            dt { (lang.pick("Vai trò", "Role")) } dd { (a.role.label(lang)) }
            dt { (lang.pick("Đơn vị", "Unit")) } dd { (unit) }
            dt { (lang.pick("Trạng thái", "Status")) } dd { (status_badge(lang, entry.status)) }
            @if let Some(at) = entry.created_at {
                dt { (lang.pick("Tạo lúc", "Created")) } dd { (i18n::date_time(at)) }
            }
        }
        @match reach {
            Reach::Own => p.notice data-reach="own" { (lang.pick("Đây là tài khoản của bạn. ", "This is your own account. "))
                a href="/account/password" { (lang.pick("Đổi mật khẩu", "Change your password")) } },
            Reach::SeeOnly => p.muted data-reach="see" { (lang.pick(
                "Bạn chỉ xem được tài khoản này: vai trò của nó cao hơn vai trò của bạn, hoặc nó ở cùng đơn vị với bạn.",
                "You can only view this account: its role is above yours, or it is at your own unit.")) },
            Reach::Manage if deactivated => p.muted data-reach="manage" { (lang.pick(
                "Tài khoản đã ngừng hoạt động; không thay đổi được nữa.",
                "The account is deactivated; it can no longer be changed.")) },
            Reach::Manage => (actions(&user, &entry)),
        }
        p { a href="/admin/accounts" { (lang.pick("Về danh sách tài khoản", "Back to the accounts")) } }
    };
    let title = format!("{} – {}", lang.pick("Tài khoản", "Account"), a.username);
    Ok(admin_page(&user, &title, body))
}

/// One change to a manageable account, with its audit entry, in one transaction; then back to
/// the account's page with the notice `done`.
async fn act(
    state: Arc<WebState>,
    user: User,
    id: Uuid,
    csrf: &str,
    done: &'static str,
    change: impl FnOnce(&mut dyn Sql, &AccountEntry) -> Result<AuditEvent, WebError> + Send + 'static,
) -> PageResult {
    let lang = user.lang;
    user.check_csrf(csrf).map_err(|e| e.into_page(lang))?;
    let u = user.clone();
    state
        .db
        .run(move |sql| -> Result<(), WebError> {
            let access = access(sql, &u)?;
            let entry = manageable(sql, &access, &u, id)?;
            let event = change(sql, &entry)?;
            audit::record_by(sql, &u.account, &entry.account.username, &event)?;
            Ok(())
        })
        .await
        .map_err(|e| refusal_page(lang, e))?;
    Ok(Redirect::to(&format!("/admin/accounts/{id}?done={done}")).into_response())
}

fn dashboard() -> String {
    "dashboard".to_owned()
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RenameForm {
    csrf: String,
    display_name: String,
}

pub async fn rename(p: Addressed<Form<RenameForm>>) -> PageResult {
    let (state, user, id, Form(f)) = p.into_parts();
    let name = f.display_name;
    act(state, user, id, &f.csrf, "renamed", move |sql, e| {
        let from = accounts::rename_account(sql, e.account.id, &name, Utc::now())?;
        let to = accounts::load_account_entry(sql, e.account.id, Utc::now())?
            .map(|x| x.account.display_name)
            .unwrap_or_default();
        Ok(AuditEvent::AccountRenamed { from, to })
    })
    .await
}

pub async fn lock(p: Addressed<Form<CsrfOnly>>) -> PageResult {
    let (state, user, id, Form(f)) = p.into_parts();
    act(state, user, id, &f.csrf, "locked", |sql, e| {
        accounts::lock_account(sql, e.account.id, Utc::now())?;
        Ok(AuditEvent::AccountLocked { via: dashboard() })
    })
    .await
}

pub async fn unlock(p: Addressed<Form<CsrfOnly>>) -> PageResult {
    let (state, user, id, Form(f)) = p.into_parts();
    act(state, user, id, &f.csrf, "unlocked", |sql, e| {
        accounts::unlock_account(sql, e.account.id, Utc::now())?;
        Ok(AuditEvent::AccountUnlocked { via: dashboard() })
    })
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DeactivateForm {
    csrf: String,
    confirm: String,
}

pub async fn deactivate(p: Addressed<Form<DeactivateForm>>) -> PageResult {
    let (state, user, id, Form(f)) = p.into_parts();
    let confirmed = f.confirm == "yes";
    act(state, user, id, &f.csrf, "deactivated", move |sql, e| {
        if !confirmed {
            return Err(crate::domain::coordination::AdminError::refused(
                "confirm_missing",
                "Hãy đánh dấu ô xác nhận rồi bấm lại.",
                "Tick the confirmation box, then press again.",
            )
            .into());
        }
        accounts::deactivate_account(sql, e.account.id, Utc::now())?;
        Ok(AuditEvent::AccountDeactivated { via: dashboard() })
    })
    .await
}

/// A new made-up password, shown once on the answer to this POST (never stored in the clear,
/// never logged, not cached); the account's sessions end.
pub async fn reset_password(p: Addressed<Form<CsrfOnly>>) -> PageResult {
    let (state, user, id, Form(f)) = p.into_parts();
    let lang = user.lang;
    user.check_csrf(&f.csrf).map_err(|e| e.into_page(lang))?;
    // May this user reset this account at all? Checked before the password is hashed.
    let u = user.clone();
    state
        .db
        .run(move |sql| -> Result<(), WebError> {
            let access = access(sql, &u)?;
            manageable(sql, &access, &u, id)?;
            Ok(())
        })
        .await
        .map_err(|e| refusal_page(lang, e))?;
    let password = tokio::task::spawn_blocking(Password::generated)
        .await
        .map_err(|e| WebError::Db(DbError::Task(e.to_string())).into_page(lang))?;
    let u = user.clone();
    let (account, password): (Account, Password) = state
        .db
        .run(move |sql| -> Result<_, WebError> {
            let access = access(sql, &u)?;
            let entry = manageable(sql, &access, &u, id)?;
            let account = accounts::reset_password(sql, entry.account.id, &password, Utc::now())?;
            audit::record_by(
                sql,
                &u.account,
                &account.username,
                &AuditEvent::PasswordReset { via: dashboard() },
            )?;
            Ok((account, password))
        })
        .await
        .map_err(|e| refusal_page(lang, e))?;
    Ok(password_once(
        &user,
        &account.username,
        password.shown_once().unwrap_or_default(),
        false,
    ))
}
