//! The first-run set-up page, `/setup/{secret}`: reached through the one-time link `gocua serve`
//! prints on a database without accounts (`domain::setup`), without signing in. It names the
//! first administrator, the top unit and its province, and the area list to import; on success
//! the new administrator is signed in and sent to `/admin`.
//!
//! Forged forms. The secret in the path is the first guard: 256 random bits, known only to
//! whoever read the console, so a page elsewhere cannot name a link it does not know. The
//! second guard covers a link that did leak (a shared screenshot of the console, a terminal
//! log): while the server listens only on 127.0.0.1, someone far away who knows the secret
//! still cannot reach it, but could try to make the operator's own browser send a set-up form
//! naming the attacker's username and password (a blind cross-site POST). So the page sets a
//! random token in a `SameSite=Strict` cookie and repeats it in the form; a POST counts only
//! when both match. A cross-site form carries no `SameSite=Strict` cookie, and another site can
//! neither read nor set ours. There is no session yet to bind a token to, which is why the
//! signed-in pages' CSRF token cannot serve here.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::Utc;
use gocua_protocol::OrgUnitKind;
use maud::{html, Markup};
use serde::Deserialize;

use super::html;
use crate::domain::accounts::{MAX_USERNAME_CHARS, MIN_PASSWORD_CHARS};
use crate::domain::audit::{self, AuditEvent};
use crate::domain::builtin_data::AreaList;
use crate::domain::coordination::{self as admin, AdminError, MAX_NAME_CHARS};
use crate::domain::setup::{self, FirstRun, SETUP_LINK_HOURS};
use crate::web::cookies::{cookie, set_cookie};
use crate::web::error::WebError;
use crate::web::i18n::{self, Lang};
use crate::web::layout::{bare_page, unit_kind_field};
use crate::web::session::{create_session, SESSION_COOKIE, SESSION_HOURS};
use crate::web::state::{db_run, WebState};

/// The cookie holding the set-up form's token (see the module's note on forged forms).
const SETUP_COOKIE: &str = "gocua_setup";

/// What the form sends; every field optional so that a missing one is our refusal, not axum's.
#[derive(Deserialize, Default, Clone)]
pub struct SetupForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_again: String,
    #[serde(default)]
    unit_name: String,
    #[serde(default)]
    unit_kind: String,
    #[serde(default)]
    province: String,
    #[serde(default)]
    areas: String,
}

/// The value of the area-list choice that imports none.
const NO_LIST: &str = "none";

fn form_page(
    lang: Lang,
    secret: &str,
    token: &str,
    f: &SetupForm,
    error: Option<&AdminError>,
) -> Markup {
    let kind = if f.unit_kind.is_empty() {
        OrgUnitKind::ProvinceUnion.as_str()
    } else {
        f.unit_kind.as_str()
    };
    let list = if f.areas.is_empty() {
        AreaList::July2025.as_str()
    } else {
        f.areas.as_str()
    };
    let other = if lang == Lang::Vi {
        ("en", "English")
    } else {
        ("vi", "Tiếng Việt")
    };
    bare_page(
        lang,
        lang.pick("Thiết lập lần đầu", "First-run set-up"),
        html! {
            div.setup {
                h1 { (lang.pick("Thiết lập Gõ Cửa", "Set up Gõ Cửa")) }
                p.muted { (lang.pick(
                    "Máy chủ chưa có tài khoản nào. Tạo tài khoản quản trị đầu tiên và đơn vị Đoàn cấp cao nhất; sau đó bạn tạo các đơn vị, đội và tài khoản khác trên trang Quản trị.",
                    "This server has no accounts yet. Create the first administrator and the top Youth Union unit; then make the other units, teams and accounts on the Administration pages.")) }
                @if let Some(e) = error {
                    p.error role="alert" data-code=(e.code()) { (lang.pick_owned(e.message_vi(), e.message_en())) }
                }
                form.stack method="post" action={ "/setup/" (secret) } {
                    input type="hidden" name="csrf" value=(token);
                    fieldset {
                        legend { (lang.pick("Tài khoản quản trị", "Administrator account")) }
                        label { (lang.pick("Tên đăng nhập", "Username"))
                            input name="username" autocomplete="username" required maxlength=(MAX_USERNAME_CHARS) value=(f.username) autofocus;
                            span.hint { (lang.pick("Chữ không dấu, số và . _ -", "Unaccented letters, digits and . _ -")) } }
                        label { (lang.pick("Họ tên", "Display name"))
                            input name="display_name" autocomplete="name" required maxlength=(MAX_NAME_CHARS) value=(f.display_name); }
                        label { (lang.pick("Mật khẩu", "Password"))
                            input name="password" type="password" autocomplete="new-password" required minlength=(MIN_PASSWORD_CHARS);
                            span.hint { (lang.pick_owned(format!("Ít nhất {MIN_PASSWORD_CHARS} ký tự.", ), format!("At least {MIN_PASSWORD_CHARS} characters."))) } }
                        label { (lang.pick("Nhập lại mật khẩu", "Password again"))
                            input name="password_again" type="password" autocomplete="new-password" required minlength=(MIN_PASSWORD_CHARS); }
                    }
                    fieldset {
                        legend { (lang.pick("Đơn vị cấp cao nhất", "Top unit")) }
                        label { (lang.pick("Tên đơn vị", "Unit name"))
                            input name="unit_name" required maxlength=(MAX_NAME_CHARS) value=(f.unit_name) placeholder=(lang.pick("Ví dụ: Tỉnh Đoàn Vĩnh Long", "e.g. Tỉnh Đoàn Vĩnh Long")); }
                        (unit_kind_field(lang, "unit_kind", kind))
                        label { (lang.pick("Danh mục địa bàn hành chính để nhập", "Official area list to import"))
                            select name="areas" {
                                option value=(AreaList::July2025.as_str()) selected[list == AreaList::July2025.as_str()] {
                                    (lang.pick("Danh mục 2025-07 (nên dùng)", "The 2025-07 list (recommended)")) }
                                option value=(AreaList::January2025.as_str()) selected[list == AreaList::January2025.as_str()] {
                                    (lang.pick("Danh mục 2025-01", "The 2025-01 list")) }
                                option value=(NO_LIST) selected[list == NO_LIST] {
                                    (lang.pick("Không nhập bây giờ", "None for now")) }
                            }
                            span.hint { (lang.pick(
                                "2025-07: 34 tỉnh, thành phố và các xã, phường sau sắp xếp ngày 01/7/2025. 2025-01: 63 tỉnh, thành phố với cấp huyện, trước sắp xếp.",
                                "2025-07: 34 provinces and their communes after the reorganisation of 1 July 2025. 2025-01: 63 provinces with districts, before it.")) }
                        }
                        label { (lang.pick("Tỉnh, thành phố của đơn vị", "The unit's province or city"))
                            select name="province" {
                                option value="" selected[f.province.is_empty()] { (lang.pick("— Chọn tỉnh, thành phố —", "— Choose —")) }
                                @for l in AreaList::ALL {
                                    optgroup label=(lang.pick_owned(format!("Danh mục {}", l.as_str()), format!("{} list", l.as_str()))) {
                                        @for (code, name) in l.provinces() {
                                            option value=(code) selected[*code == f.province && l.as_str() == list] { (name) " (" (code) ")" }
                                        }
                                    }
                                }
                            }
                            span.hint { (lang.pick("Chọn trong nhóm của danh mục đã chọn ở trên.", "Choose from the group of the list chosen above.")) }
                        }
                    }
                    p.muted { (lang.pick(
                        "Danh mục dịch vụ công ban đầu (27 dịch vụ) cũng được nhập. Đường dẫn này chỉ dùng được một lần.",
                        "The starter service catalogue (27 services) is imported too. This link works once.")) }
                    button.primary type="submit" { (lang.pick("Thiết lập", "Set up")) }
                }
                p { a href={ "/lang/" (other.0) "?next=/setup/" (secret) } { (other.1) } }
            }
        },
    )
}

/// A refusal of the link itself (unknown, used, expired; or an account exists): the error page.
fn refused(lang: Lang, e: AdminError) -> Response {
    WebError::Admin(e).into_page(lang)
}

pub async fn form(
    State(state): State<Arc<WebState>>,
    headers: HeaderMap,
    Path(secret): Path<String>,
) -> Response {
    let lang = i18n::lang_from_headers(&headers);
    let s = secret.clone();
    let checked = db_run(&state, lang, move |sql| {
        Ok(setup::check_setup_link(sql, &s, Utc::now()))
    })
    .await;
    match checked {
        Err(page) => page,
        Ok(Err(e)) => refused(lang, e),
        Ok(Ok(())) => {
            // A token already set by this page (a reload) is kept, so two tabs agree.
            let token = cookie(&headers, SETUP_COOKIE)
                .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
                .unwrap_or_else(crate::domain::auth::new_device_token);
            let mut r = html(form_page(
                lang,
                &secret,
                &token,
                &SetupForm::default(),
                None,
            ));
            r.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(&headers, SETUP_COOKIE, &token, SETUP_LINK_HOURS * 3600),
            );
            r
        }
    }
}

fn same_token(a: &str, b: &str) -> bool {
    !a.is_empty()
        && a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Reads the choices of the form that are not free text.
fn read_choices(f: &SetupForm) -> Result<(OrgUnitKind, Option<AreaList>), AdminError> {
    let kind =
        admin::parse_unit_kind(&f.unit_kind).map_err(|e| e.with_code("unit_kind_invalid"))?;
    let list = match f.areas.trim() {
        NO_LIST => None,
        raw => Some(AreaList::parse(raw).ok_or_else(|| {
            AdminError::invalid(
                format!(
                    "Danh mục địa bàn \"{raw}\" không có; chọn 2025-07, 2025-01 hoặc không nhập."
                ),
                format!("There is no area list \"{raw}\"; choose 2025-07, 2025-01 or none."),
            )
            .with_code("setup_area_list_invalid")
        })?),
    };
    Ok((kind, list))
}

pub async fn submit(
    State(state): State<Arc<WebState>>,
    headers: HeaderMap,
    Path(secret): Path<String>,
    Form(f): Form<SetupForm>,
) -> Response {
    let lang = i18n::lang_from_headers(&headers);
    // The link first: unknown, used and expired links get one answer whatever else was sent.
    let s = secret.clone();
    match db_run(&state, lang, move |sql| {
        Ok(setup::check_setup_link(sql, &s, Utc::now()))
    })
    .await
    {
        Err(page) => return page,
        Ok(Err(e)) => return refused(lang, e),
        Ok(Ok(())) => {}
    }
    let token = cookie(&headers, SETUP_COOKIE).unwrap_or_default();
    if !same_token(&token, &f.csrf) {
        return WebError::Csrf.into_page(lang);
    }
    let again = |e: &AdminError| {
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            html(form_page(lang, &secret, &token, &f, Some(e))),
        )
            .into_response()
    };
    let (unit_kind, area_list) = match read_choices(&f) {
        Ok(c) => c,
        Err(e) => return again(&e),
    };
    let first_run = FirstRun {
        username: f.username.clone(),
        display_name: f.display_name.clone(),
        password: f.password.clone(),
        password_again: f.password_again.clone(),
        unit_name: f.unit_name.clone(),
        unit_kind,
        province: Some(f.province.trim().to_owned()).filter(|p| !p.is_empty()),
        area_list,
    };
    let s = secret.clone();
    let done = state
        .db
        .run(move |sql| -> Result<_, AdminError> {
            let done = setup::complete_setup(sql, &s, &first_run, Utc::now())?;
            let unit = &done.unit;
            audit::record_by(
                sql,
                &done.account,
                &unit.name,
                &AuditEvent::UnitCreated {
                    kind: unit.kind.clone(),
                    parent: None,
                    area: unit.area_code.clone(),
                },
            )?;
            audit::record_by(
                sql,
                &done.account,
                &done.account.username,
                &AuditEvent::SetupCompleted {
                    area_list: first_run.area_list.map(|l| l.as_str().to_owned()),
                    areas: done.areas as u64,
                    services: done.services as u64,
                },
            )?;
            let session = create_session(sql, done.account.id)?;
            Ok(session)
        })
        .await;
    match done {
        Ok(session) => {
            let mut r = Redirect::to("/admin?done=setup").into_response();
            let h = r.headers_mut();
            h.append(
                header::SET_COOKIE,
                set_cookie(&headers, SESSION_COOKIE, &session, SESSION_HOURS * 3600),
            );
            h.append(
                header::SET_COOKIE,
                set_cookie(&headers, SETUP_COOKIE, "", 0),
            );
            r
        }
        // The link went (used meanwhile, expired) or an account appeared: the link's answer.
        Err(e) if matches!(e.code(), "setup_link_invalid" | "setup_already_done") => {
            refused(lang, e)
        }
        Err(e @ AdminError::Db(_)) => refused(lang, e),
        Err(e) => again(&e),
    }
}
