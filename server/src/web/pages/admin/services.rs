//! The service catalogue (shared by the whole server: a top unit's administrators edit it): the
//! list, and one service's names, procedure code with its "checked" mark, levels of both decrees,
//! authority and whether it is in use — through `coordination::update_service`, as
//! `gocua admin edit-service`. Phones get the change at their next pull.

use std::sync::Arc;

use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use axum::{Form, Router};
use gocua_protocol::{Level42, Level43, Service};
use maud::{html, Markup};
use serde::Deserialize;

use super::upload::segment;
use super::Access;
use crate::domain::audit::{self, AuditEvent};
use crate::domain::coordination::permission::Task;
use crate::domain::coordination::{self as admin, AdminError, ServiceEdit};
use crate::web::error::PageResult;
use crate::web::error::WebError;
use crate::web::extract::Addressed;
use crate::web::extract::Ctx;
use crate::web::i18n::Lang;
use crate::web::layout::{self, Nav};
use crate::web::pages::admin::{admin_page, run_as};
use crate::web::pages::html;
use crate::web::session::User;
use crate::web::state::WebState;

pub fn router() -> Router<Arc<WebState>> {
    Router::new()
        .route("/admin/services", get(list))
        .route("/admin/services/{key}", get(edit_form).post(edit_save))
}

fn access(sql: &mut dyn crate::db::Sql, user: &User) -> Result<(), WebError> {
    Access::load(sql, user)?.require(Task::Catalogue)
}

#[derive(Deserialize)]
struct ListQuery {
    notice: Option<String>,
}

async fn list(Ctx { state, user }: Ctx, Query(q): Query<ListQuery>) -> PageResult {
    let lang = user.lang;
    let (services, guides) = run_as(&state, &user, move |sql, u| {
        access(sql, u)?;
        Ok((admin::list_services(sql)?, guide_marks(sql)?))
    })
    .await?;
    let unchecked = services.iter().filter(|s| !s.code_verified).count();
    let body = html! {
        @if q.notice.as_deref() == Some("saved") {
            (layout::notice(lang.pick("Đã lưu dịch vụ. Điện thoại của các đội sẽ nhận ở lần đồng bộ tới.", "The service was saved. The teams' phones get it at their next sync.")))
        }
        p.muted { (lang.pick_owned(
            format!("{} dịch vụ; {unchecked} dịch vụ chưa có mã thủ tục hoặc mã chưa kiểm tra với Cổng Dịch vụ công quốc gia.", services.len()),
            format!("{} services; {unchecked} without a procedure code or with a code not yet checked against the National Public Service Portal.", services.len()))) }
        div.tablewrap {
            table.services {
                (layout::table_head(lang, &[
                    ("Tên", "Name"),
                    ("Khoá", "Key"),
                    ("Mã thủ tục", "Procedure code"),
                    ("Mức độ (NĐ 42)", "Level (Decree 42)"),
                    ("Mức độ (NĐ 43)", "Level (Decree 43)"),
                    ("Đang dùng", "In use"),
                    ("Hướng dẫn", "Guide"),
                ]))
                tbody {
                    @if services.is_empty() {
                        tr { td.empty colspan="7" { (lang.pick("Danh mục còn trống: hãy nhập danh mục dịch vụ ban đầu.", "The catalogue is empty: import the starter catalogue first.")) } }
                    }
                    @for s in &services {
                        tr data-key=(s.key) {
                            td { a href={ "/admin/services/" (segment(&s.key)) } { (s.name_vi) } }
                            td.key { code { (s.key) } }
                            td.pcode { (code_cell(lang, s)) }
                            td { (s.level_42.as_ref().map_or(String::new(), |l| lang.pick_owned(l.label_vi(), l.label_en()))) }
                            td { (s.level_43.as_ref().map_or(String::new(), |l| l.as_str().to_owned())) }
                            td { (if s.active { lang.pick("Có", "Yes") } else { lang.pick("Không", "No") }) }
                            td.guide { (guide_cell(lang, &s.key, guides.get(&s.key).copied())) }
                        }
                    }
                }
            }
        }
    };
    Ok(admin_page(
        &user,
        lang.pick("Danh mục dịch vụ", "Service catalogue"),
        body,
    ))
}

/// Which services have a guide: key → needs a coordinator's check.
fn guide_marks(
    sql: &mut dyn crate::db::Sql,
) -> Result<std::collections::HashMap<String, bool>, WebError> {
    Ok(crate::domain::coordination::guides::list_guides(sql)?
        .into_iter()
        .map(|g| (g.guide.service_key, g.guide.needs_check))
        .collect())
}

/// The "Hướng dẫn" link of a service, with its state: none, needs a check, checked.
fn guide_cell(lang: Lang, key: &str, needs_check: Option<bool>) -> Markup {
    html! {
        a href={ "/admin/services/" (segment(key)) "/guide" } { (lang.pick("Hướng dẫn", "Guide")) }
        " "
        @match needs_check {
            None => span.muted { (lang.pick("(chưa có)", "(none)")) },
            Some(true) => span.tag.unverified { (lang.pick("cần kiểm tra", "needs a check")) },
            Some(false) => span.tag.verified { "✓" },
        }
    }
}

fn code_cell(lang: Lang, s: &Service) -> Markup {
    html! {
        @match &s.code {
            None => span.muted { "—" },
            Some(code) => {
                (code) " "
                @if s.code_verified {
                    span.tag.verified title=(lang.pick("Đã kiểm tra", "Checked")) { "✓ " (lang.pick("đã kiểm tra", "checked")) }
                } @else {
                    span.tag.unverified { (lang.pick("chưa kiểm tra", "not checked")) }
                }
            }
        }
    }
}

/// The values the form shows: the stored service, or what was typed when it was refused.
struct Values {
    name_vi: String,
    name_en: String,
    code: String,
    verified: bool,
    level_42: String,
    level_43: String,
    authority: String,
    active: bool,
}

impl Values {
    fn of(s: &Service) -> Values {
        Values {
            name_vi: s.name_vi.clone(),
            name_en: s.name_en.clone(),
            code: s.code.clone().unwrap_or_default(),
            verified: s.code_verified,
            level_42: s.level_42.as_ref().map_or("", |l| l.as_str()).to_owned(),
            level_43: s.level_43.as_ref().map_or("", |l| l.as_str()).to_owned(),
            authority: s.authority.clone(),
            active: s.active,
        }
    }
}

/// A select of an open enum's known values by label, plus "not known" and, when the stored value
/// is one this version does not know, that value too (so saving keeps it).
fn level_select<'a>(
    lang: Lang,
    name: &str,
    current: &str,
    known: impl Iterator<Item = (&'a str, String)>,
) -> Markup {
    let known: Vec<(&str, String)> = known.collect();
    let unknown = !current.is_empty() && !known.iter().any(|(v, _)| *v == current);
    html! {
        select name=(name) {
            option value="" selected[current.is_empty()] { (lang.pick("Chưa rõ", "Not known")) }
            @for (value, label) in &known {
                option value=(value) selected[*value == current] { (label) }
            }
            @if unknown { option value=(current) selected { (current) } }
        }
    }
}

fn edit_page(user: &User, s: &Service, v: &Values, error: Option<&WebError>) -> Markup {
    let lang = user.lang;
    let body = html! {
        p.muted { code { (s.key) } " · " (lang.pick_owned(s.kind.label_vi(), s.kind.label_en())) }
        @if let Some(e) = error {
            p.error role="alert" data-code=(e.code()) { (e.message(lang)) }
        }
        form.stack.card method="post" action={ "/admin/services/" (segment(&s.key)) } {
            (layout::csrf_field(user))
            label { (lang.pick("Tên tiếng Việt", "Vietnamese name"))
                input type="text" name="name_vi" value=(v.name_vi) required maxlength="120"; }
            label { (lang.pick("Tên tiếng Anh", "English name"))
                input type="text" name="name_en" value=(v.name_en) maxlength="120"; }
            label { (lang.pick("Mã thủ tục (danh mục quốc gia, ví dụ 1.001193)", "Procedure code (national list, e.g. 1.001193)"))
                input type="text" name="code" value=(v.code) inputmode="decimal" pattern="[0-9]+\\.[0-9]+" maxlength="20"; }
            label.check { input type="checkbox" name="verified" value="yes" checked[v.verified];
                " " (lang.pick("Đã kiểm tra mã với Cổng Dịch vụ công quốc gia", "Code checked against the National Public Service Portal")) }
            label { (lang.pick("Mức độ theo Nghị định 42/2022", "Level under Decree 42/2022"))
                (level_select(lang, "level_42", &v.level_42,
                    Level42::KNOWN.iter().map(|l| (l.as_str(), lang.pick_owned(l.label_vi(), l.label_en()))))) }
            label { (lang.pick("Mức độ theo Nghị định 43/2011", "Level under Decree 43/2011"))
                (level_select(lang, "level_43", &v.level_43,
                    Level43::KNOWN.iter().map(|l| (l.as_str(), lang.pick_owned(l.label_vi(), l.label_en()))))) }
            label { (lang.pick("Cơ quan giải quyết", "Authority"))
                input type="text" name="authority" value=(v.authority) maxlength="200"; }
            label.check { input type="checkbox" name="active" value="yes" checked[v.active];
                " " (lang.pick("Đang dùng (hiện trên điện thoại)", "In use (shown on the phones)")) }
            button.primary type="submit" { (lang.pick("Lưu", "Save")) }
        }
        p { a href="/admin/services" { (lang.pick("Quay lại danh mục", "Back to the catalogue")) } }
    };
    layout::page(
        user,
        Nav::Admin,
        &format!(
            "{} – {}",
            lang.pick("Sửa dịch vụ", "Edit service"),
            s.name_vi
        ),
        body,
    )
}

fn not_in_scope(e: AdminError) -> WebError {
    match e {
        AdminError::NotFound { .. } => WebError::NotInScope,
        e => e.into(),
    }
}

async fn edit_form(Ctx { state, user }: Ctx, Path(key): Path<String>) -> PageResult {
    let s = run_as(&state, &user, move |sql, u| {
        access(sql, u)?;
        admin::load_service(sql, &key).map_err(not_in_scope)
    })
    .await?;
    Ok(html(edit_page(&user, &s, &Values::of(&s), None)))
}

#[derive(Deserialize)]
struct EditForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name_vi: String,
    #[serde(default)]
    name_en: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    verified: Option<String>,
    #[serde(default)]
    level_42: String,
    #[serde(default)]
    level_43: String,
    #[serde(default)]
    authority: String,
    #[serde(default)]
    active: Option<String>,
}

async fn edit_save(p: Addressed<Form<EditForm>, String>) -> PageResult {
    let (state, user, key, f) = p.checked(|f| &f.csrf)?;
    let typed = Values {
        name_vi: f.name_vi.clone(),
        name_en: f.name_en.clone(),
        code: f.code.clone(),
        verified: f.verified.is_some(),
        level_42: f.level_42.clone(),
        level_43: f.level_43.clone(),
        authority: f.authority.clone(),
        active: f.active.is_some(),
    };
    let outcome = run_as(&state, &user, move |sql, u| {
        access(sql, u)?;
        let current = admin::load_service(sql, &key).map_err(not_in_scope)?;
        let edit = (|| {
            Ok::<_, AdminError>(ServiceEdit {
                name_vi: Some(f.name_vi),
                name_en: Some(f.name_en),
                code: Some(f.code),
                code_verified: Some(f.verified.is_some()),
                level_42: Some(admin::parse_level42(&f.level_42)?),
                level_43: Some(admin::parse_level43(&f.level_43)?),
                authority: Some(f.authority),
                active: Some(f.active.is_some()),
            })
        })();
        let result = edit.and_then(|edit| admin::update_service(sql, &key, &edit));
        match result {
            Ok((before, after)) => {
                let fields: Vec<String> = admin::changed_fields(&before, &after)
                    .into_iter()
                    .map(str::to_owned)
                    .collect();
                if !fields.is_empty() {
                    audit::record_by(
                        sql,
                        &u.account,
                        &after.name_vi,
                        &AuditEvent::ServiceEdited {
                            key: after.key.clone(),
                            fields,
                        },
                    )?;
                }
                Ok(Ok(()))
            }
            Err(e @ AdminError::Invalid { .. }) => Ok(Err((current, WebError::from(e)))),
            Err(e) => Err(e.into()),
        }
    })
    .await?;
    match outcome {
        Ok(()) => Ok(Redirect::to("/admin/services?notice=saved").into_response()),
        Err((service, e)) => {
            let page = edit_page(&user, &service, &typed, Some(&e));
            Ok((e.status(), html(page)).into_response())
        }
    }
}
