//! `GET/POST /admin/accounts/new`: a new account at a unit below one's own (or at one's own unit,
//! for an administrator), with a role no higher than one's own. The password is typed, or left
//! empty to have the server make one up and show it once.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::Form;
use chrono::Utc;
use maud::{html, Markup};
use serde::Deserialize;
use uuid::Uuid;

use super::{access, password_once, unit_path};
use crate::db::DbError;
use crate::domain::accounts::{
    add_account, username_free, AccountFields, Password, Role, MAX_USERNAME_CHARS,
};
use crate::domain::audit::{self, AuditEvent};
use crate::domain::coordination::permission::grantable_roles;
use crate::domain::coordination::{AdminError, MAX_NAME_CHARS};
use crate::web::error::PageResult;
use crate::web::error::WebError;
use crate::web::extract::Ctx;
use crate::web::layout::{self, Nav};
use crate::web::pages::admin::form::form_error;
use crate::web::pages::admin::{run_as, Access};
use crate::web::pages::html;
use crate::web::session::User;
use crate::web::state::db_run;

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct NewForm {
    csrf: String,
    username: String,
    display_name: String,
    role: String,
    unit: String,
    password: String,
}

/// What the form offers: the roles the user may give, and the units (id, path) where they may
/// make an account.
struct Choices {
    roles: Vec<Role>,
    units: Vec<(Uuid, String)>,
}

fn choices(access: &Access) -> Choices {
    let mut units = Vec::new();
    // The subtree in the tree's order (children by name), so the list reads like the tree.
    let mut stack = vec![access.unit];
    while let Some(u) = stack.pop() {
        // The lowest role: a unit where not even a viewer may be made offers nothing; nor does a
        // deactivated unit (the domain refuses it: `unit_deactivated`).
        if access.tree.units.get(&u).is_some_and(|x| x.active) && access.may_manage(Role::Viewer, u)
        {
            units.push((u, unit_path(&access.tree, u, access.unit)));
        }
        stack.extend(access.tree.child_units(u).iter().rev());
    }
    Choices {
        roles: grantable_roles(access.role).to_vec(),
        units,
    }
}

fn form_page(user: &User, c: &Choices, f: &NewForm, error: Option<&WebError>) -> Markup {
    let lang = user.lang;
    let body = html! {
        @if let Some(e) = error { p.error role="alert" data-code=(e.code()) { (e.message(lang)) } }
        @if c.units.is_empty() {
            p.notice data-state="no_units" { (lang.pick(
                "Đơn vị của bạn chưa có đơn vị cấp dưới nào để tạo tài khoản. Hãy tạo đơn vị cấp dưới trước (trang \"Đơn vị Đoàn\").",
                "Your unit has no units below it to make accounts for yet. Create a unit below yours first (the \"Youth Union units\" page).")) }
        } @else {
            form.stack.card.narrow method="post" action="/admin/accounts/new" {
                (layout::csrf_field(user))
                label { (lang.pick("Tên đăng nhập", "Username"))
                    input name="username" required maxlength=(MAX_USERNAME_CHARS) autocomplete="off" autocapitalize="none" spellcheck="false" value=(f.username);
                    span.muted.hint { (lang.pick("Chữ không dấu, số và . _ - ; ví dụ: xa.anbinh", "Unaccented letters, digits and . _ - ; e.g. xa.anbinh")) }
                }
                label { (lang.pick("Họ tên", "Full name"))
                    input name="display_name" required maxlength=(MAX_NAME_CHARS) value=(f.display_name); }
                label { (lang.pick("Vai trò", "Role"))
                    select name="role" {
                        @for r in &c.roles {
                            option value=(r.as_str()) selected[f.role == r.as_str() || (f.role.is_empty() && *r == Role::Coordinator)] { (r.label(lang)) }
                        }
                    }
                    span.muted.hint { (lang.pick(
                        "Quản trị: mọi việc, kể cả tài khoản. Cán bộ điều phối: theo dõi, sửa dữ liệu, quản lý cấp dưới. Chỉ xem: tiến độ và báo cáo, không thấy thông tin cá nhân.",
                        "Administrator: everything, accounts too. Coordinator: follows up, fixes data, manages the units below. Viewer: progress and reports, no personal data.")) }
                }
                label { (lang.pick("Đơn vị", "Unit"))
                    select name="unit" {
                        @for (id, path) in &c.units {
                            option value=(id) selected[f.unit == id.to_string()] { (path) }
                        }
                    }
                }
                label { (lang.pick("Mật khẩu (không bắt buộc)", "Password (optional)"))
                    input name="password" type="password" autocomplete="new-password" value="";
                    span.muted.hint { (lang.pick(
                        "Để trống: máy chủ tạo một mật khẩu dễ đọc và hiện một lần sau khi tạo. Hoặc nhập mật khẩu ít nhất 10 ký tự.",
                        "Leave it empty: the server makes up a readable password and shows it once after creating. Or type one of at least 10 characters.")) }
                }
                button.primary type="submit" { (lang.pick("Tạo tài khoản", "Create the account")) }
            }
        }
        p { a href="/admin/accounts" { (lang.pick("Về danh sách tài khoản", "Back to the accounts")) } }
    };
    layout::page(
        user,
        Nav::Admin,
        user.lang.pick("Tạo tài khoản", "Create an account"),
        body,
    )
}

pub async fn form(Ctx { state, user }: Ctx) -> PageResult {
    let c = run_as(&state, &user, move |sql, u| Ok(choices(&access(sql, u)?))).await?;
    Ok(html(form_page(&user, &c, &NewForm::default(), None)))
}

/// The form's role and unit, checked against what the user may give: an unknown role is bad
/// input; a role above the user's is `forbidden`; a unit outside their subtree `not_in_scope`;
/// a unit where they may not make that role (their own, for a coordinator) `forbidden`.
fn checked(access: &Access, f: &NewForm) -> Result<AccountFields, WebError> {
    let role = Role::parse(f.role.trim()).ok_or_else(|| {
        AdminError::refused(
            "bad_role",
            format!("Vai trò \"{}\" không có.", f.role),
            format!("There is no role \"{}\".", f.role),
        )
    })?;
    if !grantable_roles(access.role).contains(&role) {
        return Err(WebError::Forbidden);
    }
    let unit = Uuid::parse_str(f.unit.trim()).map_err(|_| WebError::NotInScope)?;
    access.tree.unit_in_scope(unit, access.unit)?;
    if !access.may_manage(role, unit) {
        return Err(WebError::Forbidden);
    }
    Ok(AccountFields {
        username: f.username.clone(),
        display_name: f.display_name.clone(),
        role,
        org_unit_id: unit,
    })
}

pub async fn create(Ctx { state, user }: Ctx, Form(f): Form<NewForm>) -> PageResult {
    let lang = user.lang;
    user.check_csrf(&f.csrf).map_err(|e| e.into_page(lang))?;
    let (u, form) = (user.clone(), f.clone());
    // Everything cheap first, so nothing is hashed for a form that cannot be stored.
    let (c, first) = db_run(&state, lang, move |sql| {
        let access = access(sql, &u)?;
        let c = choices(&access);
        let first = checked(&access, &form).and_then(|fields| {
            let (username, _) = fields.check()?;
            Ok(username_free(sql, &username)?)
        });
        match first {
            Err(e) if form_error(&e).is_none() => Err(e),
            other => Ok((c, other.err())),
        }
    })
    .await?;
    let refuse = |e: WebError, f: &NewForm| {
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            html(form_page(&user, &c, f, Some(&e))),
        )
            .into_response()
    };
    if let Some(e) = first {
        return Ok(refuse(e, &f));
    }
    let typed = f.password.clone();
    let hashed = tokio::task::spawn_blocking(move || {
        if typed.is_empty() {
            Ok(Password::generated())
        } else {
            Password::typed(&typed)
        }
    })
    .await
    .map_err(|e| WebError::Db(DbError::Task(e.to_string())).into_page(lang))?;
    let password = match hashed {
        Ok(p) => p,
        Err(e) => return Ok(refuse(e.into(), &f)),
    };
    let (u, form) = (user.clone(), f.clone());
    let made = db_run(&state, lang, move |sql| {
        let access = access(sql, &u)?;
        let fields = checked(&access, &form)?;
        let unit = access.tree.units[&fields.org_unit_id].name.clone();
        match add_account(sql, &fields, &password, Utc::now()) {
            Ok(account) => {
                audit::record_by(
                    sql,
                    &u.account,
                    &account.username,
                    &AuditEvent::AccountCreated {
                        role: account.role.as_str().into(),
                        unit,
                    },
                )?;
                Ok(Ok((account, password)))
            }
            Err(AdminError::Db(e)) => Err(e.into()),
            Err(e) => Ok(Err(WebError::from(e))),
        }
    })
    .await?;
    match made {
        Err(e) => Ok(refuse(e, &f)),
        Ok((account, password)) => Ok(match password.shown_once() {
            Some(plain) => password_once(&user, &account.username, plain, true),
            None => Redirect::to(&format!("/admin/accounts/{}?done=created", account.id))
                .into_response(),
        }),
    }
}
