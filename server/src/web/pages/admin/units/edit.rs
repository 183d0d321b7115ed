//! `/admin/units/{id}`: one unit of the subtree — what it is, and its changes (rename, move,
//! area, deactivate, reactivate), each a small form posting to its own address. A refused change
//! shows this page again with the reason; a done one comes back here with a notice.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::Form;
use chrono::{DateTime, Utc};
use gocua_protocol::Area;
use maud::{html, Markup};
use serde::Deserialize;
use uuid::Uuid;

use super::{
    area_label, area_options, done_notice, inactive_tag, kind_label, parent_options, rows_by_id,
};
use crate::db::Sql;
use crate::domain::audit::{self, AuditEvent};
use crate::domain::coordination::permission::{
    check_own_unit_change, may_change_own_unit, Task, UnitChange,
};
use crate::domain::coordination::{
    self as admin, AdminError, UnitBlockers, UnitRow, MAX_NAME_CHARS,
};
use crate::web::error::PageResult;
use crate::web::error::WebError;
use crate::web::extract::Addressed;
use crate::web::i18n;
use crate::web::layout::{self, Nav};
use crate::web::pages::admin::form::error_box;
use crate::web::pages::admin::DoneQuery;
use crate::web::pages::admin::{run_as, Access};
use crate::web::pages::{html, CsrfOnly};
use crate::web::session::User;
use crate::web::state::WebState;

/// Everything the unit's page shows.
struct EditView {
    access: Access,
    rows: HashMap<Uuid, UnitRow>,
    id: Uuid,
    areas: Vec<Area>,
    blockers: UnitBlockers,
}

impl EditView {
    fn row(&self) -> &UnitRow {
        &self.rows[&self.id]
    }

    fn is_own(&self) -> bool {
        self.id == self.access.unit
    }

    fn may(&self, change: UnitChange) -> bool {
        !self.is_own() || may_change_own_unit(self.access.role, self.access.at_top, change)
    }
}

/// The access check every handler starts with: the task, and the unit within the subtree.
fn access_to(sql: &mut dyn Sql, user: &User, id: Uuid) -> Result<Access, WebError> {
    let access = Access::for_task(sql, user, Task::Units)?;
    access.tree.unit_in_scope(id, access.unit)?;
    Ok(access)
}

fn load_view(sql: &mut dyn Sql, user: &User, id: Uuid) -> Result<EditView, WebError> {
    let access = access_to(sql, user, id)?;
    let rows = rows_by_id(admin::list_units(sql)?);
    let row = rows.get(&id).ok_or(WebError::NotInScope)?;
    let parent = row
        .unit
        .parent_id
        .and_then(|p| rows.get(&p))
        .map(|p| &p.unit);
    let areas = admin::area_choices(sql, parent)?;
    let blockers = admin::unit_blockers(sql, id)?;
    Ok(EditView {
        access,
        rows,
        id,
        areas,
        blockers,
    })
}

fn since(at: Option<DateTime<Utc>>) -> String {
    at.map(i18n::date_time).unwrap_or_default()
}

/// One change's section of the unit's page: its heading and a form posting `fields` to
/// `/admin/units/{id}/{path}`.
fn change_section(
    user: &User,
    id: Uuid,
    title: &str,
    path: &str,
    fields: Markup,
    button: &str,
) -> Markup {
    html! {
        section.change {
            h2 { (title) }
            form.stack method="post" action={ "/admin/units/" (id) "/" (path) } {
                (layout::csrf_field(user))
                (fields)
                p { button.primary type="submit" { (button) } }
            }
        }
    }
}

fn render(user: &User, v: &EditView, notice: Option<&str>, error: Option<&AdminError>) -> Markup {
    let lang = user.lang;
    let row = v.row();
    let unit = &row.unit;
    let parent = unit.parent_id.and_then(|p| v.rows.get(&p));
    let crumbs = v.access.tree.path(v.id, v.access.unit);
    let body = html! {
        p.crumbs {
            a href="/admin/units" { (lang.pick("Đơn vị Đoàn", "Units")) }
            @for c in &crumbs[..crumbs.len().saturating_sub(1)] {
                " › " a href={ "/admin/units/" (c.id) } { (c.name) }
            }
        }
        @if let Some(n) = notice { (layout::notice(n)) }
        @if let Some(e) = error { (error_box(lang, e)) }
        dl.facts.card {
            dt { (lang.pick("Loại đơn vị", "Kind")) } dd { (kind_label(lang, row)) }
            dt { (lang.pick("Đơn vị cấp trên", "Parent unit")) }
            dd { @match parent { Some(p) => (p.unit.name), None => (lang.pick("(cấp cao nhất)", "(top level)")) } }
            dt { (lang.pick("Địa bàn", "Area")) } dd { (area_label(row)) }
            dt { (lang.pick("Đội đang hoạt động", "Active teams")) } dd { (i18n::number(lang, row.active_teams)) }
            dt { (lang.pick("Trạng thái", "Status")) }
            dd.status {
                @if row.active() { (lang.pick("Đang hoạt động", "Active")) }
                @else { (inactive_tag(lang)) " " (lang.pick("từ", "since")) " " (since(row.deactivated_at)) }
            }
        }
        @if v.is_own() {
            p.muted { (lang.pick(
                "Đây là đơn vị của tài khoản bạn: chỉ đơn vị cấp trên chuyển hay ngừng hoạt động được đơn vị này.",
                "This is your own account's unit: only the unit above may move or deactivate it.")) }
            @if !v.may(UnitChange::Rename) {
                p.muted { (lang.pick("Đổi tên đơn vị của mình cần tài khoản quản trị.", "Renaming your own unit needs an administrator account.")) }
            }
        }
        @if row.active() {
            p { a.button href={ "/admin/units/new?parent=" (v.id) } { (lang.pick("Thêm đơn vị cấp dưới", "Add a unit below")) } }
        }
        div.changes {
            @if v.may(UnitChange::Rename) {
                (change_section(user, v.id, lang.pick("Đổi tên", "Rename"), "rename", html! {
                    label { (lang.pick("Tên mới", "New name"))
                        input name="name" required maxlength=(MAX_NAME_CHARS) value=(unit.name); }
                }, lang.pick("Lưu tên", "Save the name")))
            }
            @if v.may(UnitChange::Area) {
                (change_section(user, v.id, lang.pick("Địa bàn phụ trách", "Area"), "area", html! {
                    label { (lang.pick("Địa bàn", "Area"))
                        select name="area" { (area_options(lang, &v.areas, unit.area_code.as_deref())) } }
                    p.hint { (lang.pick(
                        "Chỉ chọn được địa bàn thuộc địa bàn của đơn vị cấp trên; địa bàn quyết định thôn, ấp nào cán bộ của đơn vị được sửa.",
                        "Only areas within the parent's area; a unit's area decides whose hamlets its coordinators may edit.")) }
                }, lang.pick("Lưu địa bàn", "Save the area")))
            }
            @if v.may(UnitChange::Move) {
                (change_section(user, v.id, lang.pick("Chuyển sang đơn vị cấp trên khác", "Move under another unit"), "move", html! {
                    label { (lang.pick("Đơn vị cấp trên mới", "New parent unit"))
                        select name="parent" {
                            (parent_options(&v.access.tree, &v.rows, v.access.unit, unit.parent_id, Some(v.id)))
                        }
                    }
                }, lang.pick("Chuyển", "Move")))
            }
            @if row.active() && v.may(UnitChange::Deactivate) {
                section.change.wide {
                    h2 { (lang.pick("Ngừng hoạt động", "Deactivate")) }
                    p { (lang.pick(
                        "Đơn vị ngừng hoạt động không còn trong danh sách chọn đơn vị cấp trên và không nhận đội mới; số liệu và báo cáo cũ vẫn giữ. Có thể cho hoạt động lại.",
                        "A deactivated unit is no longer offered as a parent and takes no new teams; its records and reports stay. It can be reactivated.")) }
                    @if !v.blockers.is_empty() {
                        div.blockers data-code="unit_not_empty" {
                            p { (lang.pick("Cần ngừng hoạt động hoặc chuyển đi trước:", "Deactivate or move these first:")) }
                            ul {
                                @if !v.blockers.teams.is_empty() {
                                    li { (lang.pick("Đội: ", "Teams: "))
                                        @for (i, (id, name)) in v.blockers.teams.iter().enumerate() {
                                            @if i > 0 { ", " } a href={ "/teams/" (id) } { (name) }
                                        }
                                    }
                                }
                                @if !v.blockers.units.is_empty() {
                                    li { (lang.pick("Đơn vị cấp dưới: ", "Units below: "))
                                        @for (i, (id, name)) in v.blockers.units.iter().enumerate() {
                                            @if i > 0 { ", " } a href={ "/admin/units/" (id) } { (name) }
                                        }
                                    }
                                }
                                @if !v.blockers.accounts.is_empty() {
                                    li { (lang.pick("Tài khoản cán bộ: ", "Coordinator accounts: "))
                                        @for (i, (id, name)) in v.blockers.accounts.iter().enumerate() {
                                            @if i > 0 { ", " } a href={ "/admin/accounts/" (id) } { (name) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    form method="post" action={ "/admin/units/" (v.id) "/deactivate" } {
                        (layout::csrf_field(user))
                        button.danger type="submit" { (lang.pick("Ngừng hoạt động đơn vị này", "Deactivate this unit")) }
                    }
                }
            }
            @if !row.active() && v.may(UnitChange::Reactivate) {
                section.change.wide {
                    h2 { (lang.pick("Hoạt động lại", "Reactivate")) }
                    form method="post" action={ "/admin/units/" (v.id) "/reactivate" } {
                        (layout::csrf_field(user))
                        button.primary type="submit" { (lang.pick("Cho đơn vị hoạt động lại", "Reactivate this unit")) }
                    }
                }
            }
        }
    };
    layout::page(user, Nav::Admin, &unit.name, body)
}

pub async fn page(p: Addressed<Query<DoneQuery>>) -> PageResult {
    let (state, user, id, Query(q)) = p.into_parts();
    let view = run_as(&state, &user, move |sql, u| load_view(sql, u, id)).await?;
    let notice = done_notice(user.lang, q.done.as_deref());
    Ok(html(render(&user, &view, notice, None)))
}

/// What a change did, when it changed something: its audit entry (the unit's name and the
/// event) and the notice's code.
type Changed = Option<(String, AuditEvent, &'static str)>;

/// Runs one change in a transaction after the access checks (`Task::Units`, the unit in the
/// subtree, the own-unit rule), then writes its audit entry when it changed something. A refused
/// change shows the page again with its reason (422) and leaves nothing written.
async fn change(
    state: Arc<WebState>,
    user: User,
    id: Uuid,
    what: UnitChange,
    f: impl FnOnce(&mut dyn Sql, &Access) -> Result<Changed, WebError> + Send + 'static,
) -> PageResult {
    let lang = user.lang;
    let u = user.clone();
    let done = state
        .db
        .run(move |sql| {
            let access = access_to(sql, &u, id)?;
            if id == access.unit {
                check_own_unit_change(access.role, access.at_top, what)?;
            }
            let Some((subject, event, done)) = f(sql, &access)? else {
                return Ok(None);
            };
            audit::record_by(sql, &u.account, &subject, &event)?;
            Ok(Some(done))
        })
        .await;
    match done {
        Ok(done) => Ok(Redirect::to(&format!(
            "/admin/units/{id}?done={}",
            done.unwrap_or("unchanged")
        ))
        .into_response()),
        Err(WebError::Admin(e)) if !matches!(e, AdminError::Db(_)) => {
            let view = run_as(&state, &user, move |sql, u| load_view(sql, u, id)).await?;
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                html(render(&user, &view, None, Some(&e))),
            )
                .into_response())
        }
        Err(e) => Err(e.into_page(lang)),
    }
}

#[derive(Deserialize)]
pub struct RenameForm {
    csrf: String,
    #[serde(default)]
    name: String,
}

pub async fn rename(p: Addressed<Form<RenameForm>>) -> PageResult {
    let (state, user, id, f) = p.checked(|f| &f.csrf)?;
    change(state, user, id, UnitChange::Rename, move |sql, _| {
        let c = admin::rename_unit(sql, id, &f.name)?;
        let from = c.before.name.clone();
        Ok(c.changed()
            .then_some((c.after.name, AuditEvent::UnitRenamed { from }, "renamed")))
    })
    .await
}

#[derive(Deserialize)]
pub struct MoveForm {
    csrf: String,
    #[serde(default)]
    parent: String,
}

pub async fn move_to(p: Addressed<Form<MoveForm>>) -> PageResult {
    let (state, user, id, f) = p.checked(|f| &f.csrf)?;
    change(state, user, id, UnitChange::Move, move |sql, access| {
        // The new parent is checked like any id: outside the subtree it does not exist.
        let parent = Uuid::parse_str(f.parent.trim()).map_err(|_| WebError::NotInScope)?;
        let to = access.tree.unit_in_scope(parent, access.unit)?.name.clone();
        let c = admin::move_unit(sql, id, parent)?;
        let from = c
            .before
            .parent_id
            .and_then(|p| access.tree.units.get(&p))
            .map(|p| p.name.clone());
        Ok(c.changed()
            .then_some((c.after.name, AuditEvent::UnitMoved { from, to }, "moved")))
    })
    .await
}

#[derive(Deserialize)]
pub struct AreaForm {
    csrf: String,
    #[serde(default)]
    area: String,
}

pub async fn set_area(p: Addressed<Form<AreaForm>>) -> PageResult {
    let (state, user, id, f) = p.checked(|f| &f.csrf)?;
    change(state, user, id, UnitChange::Area, move |sql, _| {
        let c = admin::set_unit_area(sql, id, Some(f.area.as_str()))?;
        let event = AuditEvent::UnitAreaChanged {
            from: c.before.area_code.clone(),
            to: c.after.area_code.clone(),
        };
        Ok(c.changed().then_some((c.after.name, event, "area")))
    })
    .await
}

pub async fn deactivate(p: Addressed<Form<CsrfOnly>>) -> PageResult {
    let (state, user, id, _) = p.checked(|f| &f.csrf)?;
    change(state, user, id, UnitChange::Deactivate, move |sql, _| {
        let (unit, changed) = admin::deactivate_unit(sql, id, Utc::now())?;
        Ok(changed.then_some((unit.name, AuditEvent::UnitDeactivated {}, "deactivated")))
    })
    .await
}

pub async fn reactivate(p: Addressed<Form<CsrfOnly>>) -> PageResult {
    let (state, user, id, _) = p.checked(|f| &f.csrf)?;
    change(state, user, id, UnitChange::Reactivate, move |sql, _| {
        let (unit, changed) = admin::reactivate_unit(sql, id)?;
        Ok(changed.then_some((unit.name, AuditEvent::UnitReactivated {}, "reactivated")))
    })
    .await
}
