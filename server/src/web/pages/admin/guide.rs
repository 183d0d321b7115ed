//! One service's guide, written by whoever may edit the catalogue (`Task::Catalogue`):
//! `/admin/services/{key}/guide` shows the Markdown in a textarea beside the guide as phones
//! draw it; "Xem trước" redraws what was typed without saving (no JavaScript), "Lưu" saves,
//! "Đã kiểm tra" clears the needs-check mark, "Xoá" removes it — through `coordination::guides`, as
//! `gocua admin set-guide`. Phones get the change at their next pull.

use std::sync::Arc;

use axum::extract::Query;
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::Utc;
use gocua_protocol::guide::MAX_GUIDE_CHARS;
use gocua_protocol::Service;
use maud::{html, Markup};
use serde::Deserialize;

use super::form::{error_box, form_error};
use super::upload::segment;
use super::{run_as, Access};
use crate::db::Sql;
use crate::domain::audit::{self, AuditEvent};
use crate::domain::coordination::guides::{self, StoredGuide};
use crate::domain::coordination::permission::Task;
use crate::domain::coordination::{self as admin, AdminError};
use crate::web::error::PageResult;
use crate::web::error::WebError;
use crate::web::extract::Addressed;
use crate::web::guide_html::{self, updated_label};
use crate::web::layout::{self, Nav};
use crate::web::pages::{html, CsrfOnly};
use crate::web::session::User;
use crate::web::state::WebState;

pub fn router() -> Router<Arc<WebState>> {
    Router::new()
        .route(
            "/admin/services/{key}/guide",
            get(edit_form).post(edit_post),
        )
        .route("/admin/services/{key}/guide/check", post(mark_checked))
        .route("/admin/services/{key}/guide/delete", post(delete))
}

/// The service and its guide, for an account that may edit the catalogue; an unknown service is
/// the same 404 as anywhere else.
fn load(
    sql: &mut dyn Sql,
    user: &User,
    key: &str,
) -> Result<(Service, Option<StoredGuide>), WebError> {
    Access::load(sql, user)?.require(Task::Catalogue)?;
    let service = admin::load_service(sql, key).map_err(not_found)?;
    let stored = guides::get_guide(sql, key).map_err(not_found)?;
    Ok((service, stored))
}

fn not_found(e: AdminError) -> WebError {
    match e {
        AdminError::NotFound { .. } => WebError::NotInScope,
        e => e.into(),
    }
}

/// What the page shows: the stored guide, or what was typed (previewed or refused).
struct Shown<'a> {
    body: &'a str,
    checked: bool,
    preview: bool,
    notice: Option<&'a str>,
    error: Option<&'a AdminError>,
}

fn page(user: &User, s: &Service, stored: Option<&StoredGuide>, shown: &Shown) -> Markup {
    let lang = user.lang;
    let action = format!("/admin/services/{}/guide", segment(&s.key));
    let body = html! {
        p.muted {
            code { (s.key) }
            @if let Some(g) = stored { " · " (updated_label(lang, g)) }
            @if let Some(by) = stored.and_then(|g| g.updated_by.as_deref()) { " · " (by) }
        }
        @if let Some(n) = shown.notice { (layout::notice(n)) }
        @if let Some(e) = shown.error { (error_box(lang, e)) }
        @if stored.is_some_and(|g| g.guide.needs_check) {
            div.guide-check {
                (guide_html::needs_check_banner(lang))
                form method="post" action={ (action) "/check" } {
                    (layout::csrf_field(user))
                    button.primary type="submit" name="check" { (lang.pick("Đã kiểm tra", "Mark checked")) }
                }
            }
        }
        div.guide-edit {
            form.stack.card method="post" action=(action) {
                (layout::csrf_field(user))
                label for="guide-body" { (lang.pick("Nội dung (Markdown, tiếng Việt trước)", "Text (Markdown, Vietnamese first)")) }
                textarea #guide-body name="body" rows="22" maxlength=(MAX_GUIDE_CHARS * 2) { (shown.body) }
                ul.cheatsheet.muted {
                    li { code { "## Tiêu đề" } " — " (lang.pick("tiêu đề mục", "a heading")) }
                    li { code { "- ý" } " / " code { "1. bước" } " — " (lang.pick("danh sách, danh sách đánh số", "bullet list, numbered list")) }
                    li { code { "**đậm**" } " · " code { "*nghiêng*" } " · " code { "[tên](https://…)" } }
                }
                p.muted { (lang.pick_owned(
                    format!("Tối đa {MAX_GUIDE_CHARS} ký tự. Điện thoại nhận hướng dẫn ở lần đồng bộ tới."),
                    format!("At most {MAX_GUIDE_CHARS} characters. Phones get the guide at their next sync."))) }
                label.check { input type="checkbox" name="checked" value="yes" checked[shown.checked];
                    " " (lang.pick("Nội dung đã được cán bộ kiểm tra", "A coordinator has checked the content")) }
                div.actions {
                    button type="submit" name="action" value="preview" { (lang.pick("Xem trước", "Preview")) }
                    button.primary type="submit" name="action" value="save" { (lang.pick("Lưu", "Save")) }
                }
            }
            section.guide-preview {
                h2 { @if shown.preview { (lang.pick("Xem trước (chưa lưu)", "Preview (not saved)")) } @else { (lang.pick("Như trên điện thoại", "As the phones show it")) } }
                @if shown.body.trim().is_empty() {
                    p.empty { (lang.pick("Chưa có hướng dẫn cho dịch vụ này: hãy viết ở ô bên cạnh.", "This service has no guide yet: write it in the box.")) }
                } @else {
                    (guide_html::render(shown.body))
                }
            }
        }
        @if stored.is_some() {
            form.guide-delete method="post" action={ (action) "/delete" } {
                (layout::csrf_field(user))
                button.danger type="submit" { (lang.pick("Xoá hướng dẫn", "Delete the guide")) }
                " " span.muted { (lang.pick("Điện thoại sẽ không còn hướng dẫn này sau lần đồng bộ tới.", "Phones lose this guide at their next sync.")) }
            }
        }
        p {
            a href="/admin/services" { (lang.pick("Quay lại danh mục", "Back to the catalogue")) }
            " · " a href={ "/guides/" (segment(&s.key)) } { (lang.pick("Trang đọc hướng dẫn", "The guide's reading page")) }
        }
    };
    layout::page(
        user,
        Nav::Admin,
        &format!("{} – {}", lang.pick("Hướng dẫn", "Guide"), s.name_vi),
        body,
    )
}

#[derive(Deserialize)]
struct NoticeQuery {
    notice: Option<String>,
}

async fn edit_form(p: Addressed<Query<NoticeQuery>, String>) -> PageResult {
    let (state, user, key, Query(q)) = p.into_parts();
    let lang = user.lang;
    let (service, stored) = run_as(&state, &user, move |sql, u| load(sql, u, &key)).await?;
    let notice = match q.notice.as_deref() {
        Some("saved") => Some(lang.pick(
            "Đã lưu hướng dẫn. Điện thoại của các đội sẽ nhận ở lần đồng bộ tới.",
            "The guide was saved. The teams' phones get it at their next sync.",
        )),
        Some("checked") => Some(lang.pick(
            "Đã đánh dấu hướng dẫn là đã kiểm tra.",
            "The guide was marked as checked.",
        )),
        Some("deleted") => Some(lang.pick(
            "Đã xoá hướng dẫn. Điện thoại của các đội sẽ không còn hướng dẫn này sau lần đồng bộ tới.",
            "The guide was deleted. The teams' phones lose it at their next sync.",
        )),
        _ => None,
    };
    let shown = Shown {
        body: stored.as_ref().map_or("", |g| g.guide.body.as_str()),
        // A new guide written here is the coordinator's own; a starter one waits for a check.
        checked: stored.as_ref().is_none_or(|g| !g.guide.needs_check),
        preview: false,
        notice,
        error: None,
    };
    Ok(html(page(&user, &service, stored.as_ref(), &shown)))
}

#[derive(Deserialize)]
struct EditForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    checked: Option<String>,
    #[serde(default)]
    action: String,
}

async fn edit_post(p: Addressed<Form<EditForm>, String>) -> PageResult {
    let (state, user, key, f) = p.checked(|f| &f.csrf)?;
    let preview = f.action == "preview";
    let body = f.body.clone();
    let checked = f.checked.is_some();
    let outcome = run_as(&state, &user, move |sql, u| {
        let (service, stored) = load(sql, u, &key)?;
        if preview {
            return Ok((service, stored, None));
        }
        match guides::save_guide(
            sql,
            &key,
            &body,
            checked,
            Some(&u.account.username),
            Utc::now(),
        ) {
            Ok((_, after)) => {
                audit::record_by(
                    sql,
                    &u.account,
                    &service.name_vi,
                    &AuditEvent::GuideSaved {
                        key: key.clone(),
                        chars: after.guide.body.chars().count() as u64,
                        checked,
                        via: "dashboard".into(),
                    },
                )?;
                Ok((service, Some(after), Some(Ok(()))))
            }
            Err(e) => {
                let e = WebError::from(e);
                match form_error(&e) {
                    Some(_) => Ok((service, stored, Some(Err(e)))),
                    None => Err(e),
                }
            }
        }
    })
    .await?;
    let (service, stored, result) = outcome;
    let error = match result {
        Some(Ok(())) => {
            let to = format!(
                "/admin/services/{}/guide?notice=saved",
                segment(&service.key)
            );
            return Ok(Redirect::to(&to).into_response());
        }
        Some(Err(e)) => Some(e),
        None => None,
    };
    let admin_error = error.as_ref().and_then(form_error);
    let shown = Shown {
        body: &f.body,
        checked,
        preview,
        notice: None,
        error: admin_error,
    };
    let status = error
        .as_ref()
        .map_or(axum::http::StatusCode::OK, WebError::status);
    Ok((status, html(page(&user, &service, stored.as_ref(), &shown))).into_response())
}

async fn mark_checked(p: Addressed<Form<CsrfOnly>, String>) -> PageResult {
    let (state, user, key, Form(f)) = p.into_parts();
    let change = |sql: &mut dyn Sql, key: &str, by: &str| {
        guides::mark_checked(sql, key, by, Utc::now()).map(|_| ())
    };
    let event = |key| AuditEvent::GuideChecked {
        key,
        via: "dashboard".into(),
    };
    one_button(&state, &user, key, &f, change, event, "checked").await
}

async fn delete(p: Addressed<Form<CsrfOnly>, String>) -> PageResult {
    let (state, user, key, Form(f)) = p.into_parts();
    let change = |sql: &mut dyn Sql, key: &str, _: &str| guides::delete_guide(sql, key).map(|_| ());
    let event = |key| AuditEvent::GuideDeleted {
        key,
        via: "dashboard".into(),
    };
    one_button(&state, &user, key, &f, change, event, "deleted").await
}

/// A change made with one button (mark checked, delete): CSRF, access, the change and its audit
/// entry in one transaction, then back to the guide's page with `notice`.
async fn one_button(
    state: &Arc<WebState>,
    user: &User,
    key: String,
    form: &CsrfOnly,
    change: impl FnOnce(&mut dyn Sql, &str, &str) -> Result<(), AdminError> + Send + 'static,
    event: impl FnOnce(String) -> AuditEvent + Send + 'static,
    notice: &str,
) -> PageResult {
    user.check_edit(&form.csrf)?;
    let to = format!("/admin/services/{}/guide?notice={notice}", segment(&key));
    run_as(state, user, move |sql, u| {
        let (service, _) = load(sql, u, &key)?;
        change(sql, &key, &u.account.username).map_err(not_found)?;
        audit::record_by(sql, &u.account, &service.name_vi, &event(key))?;
        Ok(())
    })
    .await?;
    Ok(Redirect::to(&to).into_response())
}
