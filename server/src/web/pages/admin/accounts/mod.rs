//! Coordinator and viewer accounts in the browser (`Task::Accounts`): the list of the accounts at
//! the units of one's subtree, creating one, and on an account's page renaming it, resetting its
//! password (the new one shown once), locking, unlocking and deactivating it — each only where
//! `permission::may_manage_account_at` allows, never on one's own account (that is
//! `/account/password`, for everyone). The rules are `domain::accounts`; the terminal's
//! `gocua admin reset-password | lock-coordinator | …` run the same functions.

mod detail;
mod list;
mod new;
mod own_password;

use std::sync::Arc;

use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use chrono::Utc;
use maud::{html, Markup};
use uuid::Uuid;

use super::Access;
use crate::db::Sql;
use crate::domain::accounts::{load_account_entry, AccountEntry, AccountStatus, Role};
use crate::domain::coordination::permission::{may_manage_account_at, Task};
use crate::domain::coordination::AdminError;
use crate::web::error::WebError;
use crate::web::i18n::{self, Lang};
use crate::web::layout::{self, Nav};
use crate::web::scope::OrgTree;
use crate::web::session::User;

pub fn router() -> Router<Arc<crate::web::state::WebState>> {
    Router::new()
        .route("/admin/accounts", get(list::page))
        .route("/admin/accounts/new", get(new::form).post(new::create))
        .route("/admin/accounts/{id}", get(detail::page))
        .route("/admin/accounts/{id}/rename", post(detail::rename))
        .route(
            "/admin/accounts/{id}/password",
            post(detail::reset_password),
        )
        .route("/admin/accounts/{id}/lock", post(detail::lock))
        .route("/admin/accounts/{id}/unlock", post(detail::unlock))
        .route("/admin/accounts/{id}/deactivate", post(detail::deactivate))
        .route(
            "/account/password",
            get(own_password::form).post(own_password::change),
        )
}

/// The user's access for account administration, or the `forbidden` refusal.
fn access(sql: &mut dyn Sql, user: &User) -> Result<Access, WebError> {
    Access::for_task(sql, user, Task::Accounts)
}

/// What the user may do to an account they can see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    /// Rename, reset, lock, unlock, deactivate.
    Manage,
    /// Their own account: only `/account/password`.
    Own,
    /// A peer, an account above their role, or one at their own unit for a coordinator.
    SeeOnly,
}

impl Access {
    /// Whether this account may give `role` at `unit` (`permission::may_manage_account_at`).
    fn may_manage(&self, role: Role, unit: Uuid) -> bool {
        may_manage_account_at(self.role, self.unit, role, unit, |u, a| {
            self.tree.unit_within(u, a)
        })
    }

    fn reach(&self, user: &User, entry: &AccountEntry) -> Reach {
        if entry.account.id == user.account.id {
            Reach::Own
        } else if self.may_manage(entry.account.role, entry.account.org_unit_id) {
            Reach::Manage
        } else {
            Reach::SeeOnly
        }
    }
}

/// The account `id` when it is at a unit of the user's subtree; otherwise (or when there is no
/// such account) the `not_in_scope` answer every unknown id gets.
fn account_in_scope(
    sql: &mut dyn Sql,
    access: &Access,
    id: Uuid,
) -> Result<AccountEntry, WebError> {
    let entry = load_account_entry(sql, id, Utc::now())?.ok_or(WebError::NotInScope)?;
    access
        .tree
        .unit_in_scope(entry.account.org_unit_id, access.unit)?;
    Ok(entry)
}

/// The account `id` that the user may manage: in scope, not their own (`account_self`), and
/// within `may_manage_account_at` (`forbidden`).
fn manageable(
    sql: &mut dyn Sql,
    access: &Access,
    user: &User,
    id: Uuid,
) -> Result<AccountEntry, WebError> {
    let entry = account_in_scope(sql, access, id)?;
    match access.reach(user, &entry) {
        Reach::Manage => Ok(entry),
        Reach::Own => Err(AdminError::refused(
            "account_self",
            "Không tự khoá, ngừng hay đặt lại mật khẩu tài khoản của chính mình ở đây; hãy dùng trang \"Đổi mật khẩu\".",
            "You cannot lock, deactivate or reset your own account here; use the \"Change password\" page.",
        )
        .into()),
        Reach::SeeOnly => Err(WebError::Forbidden),
    }
}

/// A refusal as the error page: a refused or invalid value is 422 here whatever the shared
/// mapping of `WebError` says (a refusal of a change asked for, not a conflict of states); the
/// rest as every page shows them.
fn refusal_page(lang: Lang, e: WebError) -> Response {
    match &e {
        WebError::Admin(AdminError::Refused { .. } | AdminError::Invalid { .. }) => (
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            axum::response::Html(
                layout::error_page(
                    lang,
                    axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                    e.code(),
                    &e.message(lang),
                )
                .into_string(),
            ),
        )
            .into_response(),
        _ => e.into_page(lang),
    }
}

/// A unit's name with its parents from the user's own unit down ("Tỉnh Đoàn … › Đoàn xã …").
fn unit_path(tree: &OrgTree, unit: Uuid, top: Uuid) -> String {
    tree.path(unit, top)
        .iter()
        .map(|u| u.name.as_str())
        .collect::<Vec<_>>()
        .join(" › ")
}

/// An account's status in words, with its code in `data-status`.
fn status_badge(lang: Lang, status: AccountStatus) -> Markup {
    let text = match status {
        AccountStatus::Active => lang.pick_owned("Đang hoạt động", "Active"),
        AccountStatus::Locked { since } => lang.pick_owned(
            format!("Bị khoá từ {}", i18n::date_time(since)),
            format!("Locked since {}", i18n::date_time(since)),
        ),
        AccountStatus::LockedOut { until } => lang.pick_owned(
            format!("Tạm khoá vì đăng nhập sai, đến {}", i18n::date_time(until)),
            format!(
                "Locked after failed sign-ins until {}",
                i18n::date_time(until)
            ),
        ),
        AccountStatus::Deactivated { since } => lang.pick_owned(
            format!("Đã ngừng từ {}", i18n::date_time(since)),
            format!("Deactivated since {}", i18n::date_time(since)),
        ),
    };
    html! { span class={ "status " (status.code()) } data-status=(status.code()) { (text) } }
}

/// The page that shows a new password, once: not stored in the clear anywhere, not cached.
fn password_once(user: &User, username: &str, password: &str, created: bool) -> Response {
    let lang = user.lang;
    let body = html! {
        @if created {
            p.notice role="status" data-done="created" { (lang.pick_owned(format!("Đã tạo tài khoản \"{username}\"."), format!("Account \"{username}\" created."))) }
        } @else {
            p.notice role="status" data-done="password_reset" { (lang.pick_owned(
                format!("Đã đặt lại mật khẩu của \"{username}\". Các phiên đăng nhập của tài khoản này đã kết thúc."),
                format!("The password of \"{username}\" was reset. That account's sessions have ended."))) }
        }
        div.card.once {
            p { (lang.pick("Tên đăng nhập", "Username")) ": " strong { (username) } }
            p { (lang.pick("Mật khẩu mới", "New password")) ":" }
            p.code.password data-password { (password) }
            p.muted { (lang.pick(
                "Mật khẩu chỉ hiện một lần này: máy chủ chỉ giữ bản băm, không xem lại được. Hãy chép lại và trao tận tay (hoặc đọc qua điện thoại) cho người dùng; họ nên tự đổi mật khẩu sau khi đăng nhập (trang \"Đổi mật khẩu\").",
                "This password is shown this once: the server keeps only a hash and cannot show it again. Copy it and hand it over in person (or read it out by phone); they should change it after signing in (the \"Change password\" page).")) }
        }
        p { a href="/admin/accounts" { (lang.pick("Về danh sách tài khoản", "Back to the accounts")) } }
    };
    let title = lang.pick("Mật khẩu mới", "New password");
    let mut r = super::super::html(layout::page(user, Nav::Admin, title, body)).into_response();
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    r
}
