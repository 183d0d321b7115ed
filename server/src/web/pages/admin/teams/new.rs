//! `GET/POST /admin/teams/new`: a new team of a unit of the subtree, its name and areas. The unit
//! is chosen first (a plain GET form), so the areas offered are those under that unit's area.

use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use maud::{html, Markup};
use serde::Deserialize;
use uuid::Uuid;

use super::areas::{self, Picker};
use super::{active_units, query_id, with_access, Fields};
use crate::domain::audit::{self, AuditEvent};
use crate::domain::coordination::{self as admin, AdminError, NewTeam};
use crate::web::error::PageResult;
use crate::web::extract::Ctx;
use crate::web::layout;
use crate::web::pages::admin::admin_page;
use crate::web::pages::admin::form::{error_box, form_error};
use crate::web::session::User;

#[derive(Deserialize)]
pub struct NewQuery {
    unit: Option<String>,
}

struct NewView {
    unit: Uuid,
    units: Vec<(Uuid, String)>,
    name: String,
    picker: Picker,
}

fn render(user: &User, v: &NewView, error: Option<&AdminError>) -> Markup {
    let lang = user.lang;
    html! {
        p.crumbs { a href="/admin" { (lang.pick("Quản trị", "Administration")) } " › " a href="/admin/teams" { (lang.pick("Đội và đội viên", "Teams and members")) } }
        @if let Some(e) = error { (error_box(lang, e)) }
        form.filters method="get" action="/admin/teams/new" {
            label { (lang.pick("Đơn vị của đội", "The team's unit"))
                select name="unit" {
                    @for (id, label) in &v.units { option value=(id) selected[*id == v.unit] { (label) } }
                }
            }
            button.secondary type="submit" { (lang.pick("Chọn đơn vị", "Choose unit")) }
        }
        form.stack.card method="post" action="/admin/teams/new" {
            (layout::csrf_field(user))
            input type="hidden" name="unit" value=(v.unit);
            label { (lang.pick("Tên đội", "Team name"))
                input type="text" name="name" value=(v.name) required maxlength="120"
                    placeholder=(lang.pick("Ví dụ: Đội TNTN phường Bến Tre", "e.g. Đội TNTN phường Bến Tre"));
            }
            (v.picker.render(lang))
            div { button.primary type="submit" { (lang.pick("Tạo đội", "Create the team")) } }
        }
    }
}

fn respond(user: &User, v: &NewView, error: Option<&AdminError>) -> Response {
    let page = admin_page(
        user,
        user.lang.pick("Thêm đội", "Add a team"),
        render(user, v, error),
    );
    match error {
        Some(_) => (StatusCode::UNPROCESSABLE_ENTITY, page).into_response(),
        None => page,
    }
}

pub async fn page(Ctx { state, user }: Ctx, Query(q): Query<NewQuery>) -> PageResult {
    let lang = user.lang;
    let view = with_access(&state, &user, move |sql, access| {
        let unit = query_id(q.unit.as_deref())?.unwrap_or(access.unit);
        access.tree.unit_in_scope(unit, access.unit)?;
        let mut picker = Picker::load(sql, unit, &[])?;
        if let Some(own) = picker.own_commune() {
            picker.checked.insert(own);
        }
        Ok(NewView {
            unit,
            units: active_units(sql, access)?,
            name: String::new(),
            picker,
        })
    })
    .await
    .map_err(|e| e.into_page(lang))?;
    Ok(respond(&user, &view, None))
}

pub async fn create(Ctx { state, user }: Ctx, Form(f): Form<Fields>) -> PageResult {
    let lang = user.lang;
    user.check_csrf(f.get("csrf"))
        .map_err(|e| e.into_page(lang))?;
    let unit = f.id("unit").map_err(|e| e.into_page(lang))?;
    let name = f.get("name").to_owned();
    let codes = areas::posted(&f);
    let (n, c) = (name.clone(), codes.clone());
    let u = user.clone();
    let done = with_access(&state, &user, move |sql, access| {
        let unit_name = access.tree.unit_in_scope(unit, access.unit)?.name.clone();
        let team = admin::create_team(
            sql,
            &NewTeam {
                id: None,
                name: n,
                org_unit_id: unit,
                area_codes: c,
            },
        )?;
        audit::record_by(
            sql,
            &u.account,
            &team.name,
            &AuditEvent::TeamCreated {
                unit: unit_name,
                areas: team.area_codes.clone(),
            },
        )?;
        Ok(team.id)
    })
    .await;
    match done {
        Ok(id) => Ok(Redirect::to(&format!("/admin/teams/{id}?done=created")).into_response()),
        Err(e) => {
            let Some(refusal) = form_error(&e) else {
                return Err(e.into_page(lang));
            };
            let view = with_access(&state, &user, move |sql, access| {
                Ok(NewView {
                    unit,
                    units: active_units(sql, access)?,
                    name,
                    picker: Picker::load(sql, unit, &codes)?,
                })
            })
            .await
            .map_err(|e| e.into_page(lang))?;
            Ok(respond(&user, &view, Some(refusal)))
        }
    }
}
