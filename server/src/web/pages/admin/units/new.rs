//! `GET/POST /admin/units/new?parent=<id>`: a new unit under one of the subtree's active units,
//! through the domain's `create_unit` (as `gocua admin create-unit`).

use std::collections::HashMap;

use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::Form;
use gocua_protocol::{Area, OrgUnitKind};
use maud::{html, Markup};
use serde::Deserialize;
use uuid::Uuid;

use super::{area_options, parent_options, rows_by_id};
use crate::db::Sql;
use crate::domain::audit::{self, AuditEvent};
use crate::domain::coordination::{
    self as admin, permission::Task, AdminError, NewUnit, UnitRow, MAX_NAME_CHARS,
};
use crate::web::error::PageResult;
use crate::web::error::WebError;
use crate::web::extract::Ctx;
use crate::web::layout::{self, Nav};
use crate::web::pages::admin::form::error_box;
use crate::web::pages::admin::{run_as, Access};
use crate::web::pages::html;
use crate::web::session::User;

#[derive(Deserialize, Default)]
pub struct NewQuery {
    parent: Option<Uuid>,
}

/// What the form sends (all text, read here so a bad value gets our refusal).
#[derive(Deserialize, Default, Clone)]
pub struct NewForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    parent: String,
    #[serde(default)]
    area: String,
}

/// What the form shows besides what was typed.
struct FormView {
    access: Access,
    rows: HashMap<Uuid, UnitRow>,
    parent: Uuid,
    areas: Vec<Area>,
}

/// The form's choices for a parent in the account's subtree (its own unit when none is given).
fn load_view(sql: &mut dyn Sql, user: &User, parent: Option<Uuid>) -> Result<FormView, WebError> {
    let access = Access::for_task(sql, user, Task::Units)?;
    let parent = parent.unwrap_or(access.unit);
    access.tree.unit_in_scope(parent, access.unit)?;
    let rows = rows_by_id(admin::list_units(sql)?);
    let areas = admin::area_choices(sql, rows.get(&parent).map(|r| &r.unit))?;
    Ok(FormView {
        access,
        rows,
        parent,
        areas,
    })
}

fn render(user: &User, v: &FormView, f: &NewForm, error: Option<&AdminError>) -> Markup {
    let lang = user.lang;
    let kind = if f.kind.is_empty() {
        OrgUnitKind::CommuneUnion.as_str()
    } else {
        f.kind.as_str()
    };
    let parent_row = v.rows.get(&v.parent);
    let body = html! {
        @if let Some(e) = error { (error_box(lang, e)) }
        @if parent_row.is_some_and(|r| !r.active()) {
            p.notice { (lang.pick(
                "Đơn vị cấp trên đã chọn đã ngừng hoạt động; hãy chọn đơn vị khác.",
                "The chosen parent is deactivated; choose another.")) }
        }
        form.stack.card method="post" action="/admin/units/new" {
            (layout::csrf_field(user))
            label { (lang.pick("Tên đơn vị", "Unit name"))
                input name="name" required maxlength=(MAX_NAME_CHARS) value=(f.name) autofocus
                    placeholder=(lang.pick("Ví dụ: Đoàn xã Long Hồ", "e.g. Đoàn xã Long Hồ")); }
            (layout::unit_kind_field(lang, "kind", kind))
            label { (lang.pick("Thuộc đơn vị cấp trên", "Under the unit"))
                select name="parent" {
                    (parent_options(&v.access.tree, &v.rows, v.access.unit, Some(v.parent), None))
                }
            }
            label { (lang.pick("Địa bàn phụ trách", "Area it answers for"))
                select name="area" {
                    (area_options(lang, &v.areas, Some(f.area.as_str()).filter(|a| !a.is_empty())))
                }
                span.hint { (lang.pick(
                    "Các địa bàn thuộc địa bàn của đơn vị cấp trên đang chọn. Đoàn xã, phường thường gắn với xã, phường của mình.",
                    "Areas within the chosen parent's area. A commune union normally has its own commune.")) }
            }
            p.buttons {
                button.primary type="submit" { (lang.pick("Tạo đơn vị", "Create the unit")) }
                " "
                a href="/admin/units" { (lang.pick("Huỷ", "Cancel")) }
            }
        }
    };
    layout::page(
        user,
        Nav::Admin,
        lang.pick("Thêm đơn vị", "Add a unit"),
        body,
    )
}

pub async fn form(Ctx { state, user }: Ctx, Query(q): Query<NewQuery>) -> PageResult {
    let view = run_as(&state, &user, move |sql, u| load_view(sql, u, q.parent)).await?;
    let f = NewForm {
        parent: view.parent.to_string(),
        ..NewForm::default()
    };
    Ok(html(render(&user, &view, &f, None)))
}

pub async fn create(Ctx { state, user }: Ctx, Form(f): Form<NewForm>) -> PageResult {
    let lang = user.lang;
    user.check_edit(&f.csrf)?;
    let parent = Uuid::parse_str(f.parent.trim()).ok();
    let (u, form) = (user.clone(), f.clone());
    let created = state
        .db
        .run(move |sql| -> Result<Uuid, WebError> {
            let access = Access::for_task(sql, &u, Task::Units)?;
            // A parent that is no id, or not in the subtree, gets the same answer as a stranger's.
            let parent = parent.ok_or(WebError::NotInScope)?;
            let parent_name = access.tree.unit_in_scope(parent, access.unit)?.name.clone();
            let kind =
                admin::parse_unit_kind(&form.kind).map_err(|e| e.with_code("unit_kind_invalid"))?;
            let area = Some(form.area.trim().to_owned()).filter(|a| !a.is_empty());
            let unit = admin::create_unit(
                sql,
                &NewUnit {
                    id: None,
                    name: form.name.clone(),
                    kind,
                    parent_id: Some(parent),
                    area_code: area,
                },
            )?;
            audit::record_by(
                sql,
                &u.account,
                &unit.name,
                &AuditEvent::UnitCreated {
                    kind: unit.kind.clone(),
                    parent: Some(parent_name),
                    area: unit.area_code.clone(),
                },
            )?;
            Ok(unit.id)
        })
        .await;
    match created {
        Ok(id) => Ok(Redirect::to(&format!("/admin/units/{id}?done=created")).into_response()),
        // A refused value: the form again, with what was typed and the reason.
        Err(WebError::Admin(e)) if !matches!(e, AdminError::Db(_)) => {
            let view = run_as(&state, &user, move |sql, u| load_view(sql, u, parent)).await?;
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                html(render(&user, &view, &f, Some(&e))),
            )
                .into_response())
        }
        Err(e) => Err(e.into_page(lang)),
    }
}
