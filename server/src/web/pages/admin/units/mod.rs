//! `/admin/units…`: the Youth Union units of the signed-in account's subtree — the tree
//! (`list.rs`), a new unit (`new.rs`), and one unit's page with its changes (`edit.rs`): rename,
//! move within the subtree, change the area, deactivate and reactivate. Every rule is the
//! domain's (`domain::coordination` unit functions, `permission::check_own_unit_change`); these
//! pages check access (`Task::Units`, every id in the subtree, CSRF), call them, write the audit
//! log and render.

mod edit;
mod list;
mod new;

use std::collections::HashMap;
use std::sync::Arc;

use axum::routing::{get, post};
use axum::Router;
use maud::{html, Markup};
use uuid::Uuid;

use crate::domain::coordination::UnitRow;
use crate::web::i18n::Lang;
use crate::web::scope::OrgTree;
use crate::web::state::WebState;

pub fn router() -> Router<Arc<WebState>> {
    Router::new()
        .route("/admin/units", get(list::page))
        .route("/admin/units/new", get(new::form).post(new::create))
        .route("/admin/units/{id}", get(edit::page))
        .route("/admin/units/{id}/rename", post(edit::rename))
        .route("/admin/units/{id}/move", post(edit::move_to))
        .route("/admin/units/{id}/area", post(edit::set_area))
        .route("/admin/units/{id}/deactivate", post(edit::deactivate))
        .route("/admin/units/{id}/reactivate", post(edit::reactivate))
}

/// The units of `root`'s subtree in tree order (each parent before its children, siblings by
/// name), with their depth below `root`.
fn subtree_in_order(tree: &OrgTree, root: Uuid) -> Vec<(usize, Uuid)> {
    let mut out = Vec::new();
    let mut stack = vec![(0, root)];
    while let Some((depth, id)) = stack.pop() {
        if out.len() > tree.units.len() {
            break; // a cycle in bad data
        }
        out.push((depth, id));
        stack.extend(tree.child_units(id).iter().rev().map(|c| (depth + 1, *c)));
    }
    out
}

/// Units by id, as the domain lists them.
fn rows_by_id(rows: Vec<UnitRow>) -> HashMap<Uuid, UnitRow> {
    rows.into_iter().map(|r| (r.unit.id, r)).collect()
}

/// A unit's kind in the reader's language.
fn kind_label(lang: Lang, row: &UnitRow) -> &str {
    lang.pick(row.unit.kind.label_vi(), row.unit.kind.label_en())
}

/// A unit's area as "Phường Bến Tre (28789)", or a dash.
fn area_label(row: &UnitRow) -> String {
    match (&row.unit.area_code, &row.area_name) {
        (Some(code), Some(name)) => format!("{name} ({code})"),
        (Some(code), None) => code.clone(),
        _ => "—".into(),
    }
}

fn inactive_tag(lang: Lang) -> Markup {
    html! { span.tag.inactive { (lang.pick("Đã ngừng hoạt động", "Deactivated")) } }
}

/// The notice after a change (`?done=`): a code from our own redirect, never text from the URL.
fn done_notice(lang: Lang, done: Option<&str>) -> Option<&'static str> {
    Some(match done? {
        "created" => lang.pick("Đã tạo đơn vị.", "Unit created."),
        "renamed" => lang.pick("Đã đổi tên đơn vị.", "Unit renamed."),
        "moved" => lang.pick("Đã chuyển đơn vị.", "Unit moved."),
        "area" => lang.pick("Đã đổi địa bàn của đơn vị.", "The unit's area changed."),
        "deactivated" => lang.pick("Đơn vị đã ngừng hoạt động.", "Unit deactivated."),
        "reactivated" => lang.pick("Đơn vị đã hoạt động lại.", "Unit reactivated."),
        "unchanged" => lang.pick("Không có gì thay đổi.", "Nothing changed."),
        _ => return None,
    })
}

/// `<option>`s of the active units of the subtree that may take a unit below them, indented by
/// depth; `skip` leaves out a unit and everything below it (a unit cannot move under itself).
fn parent_options(
    tree: &OrgTree,
    rows: &HashMap<Uuid, UnitRow>,
    root: Uuid,
    selected: Option<Uuid>,
    skip: Option<Uuid>,
) -> Markup {
    html! {
        @for (depth, id) in subtree_in_order(tree, root) {
            @if !skip.is_some_and(|s| tree.unit_within(id, s)) {
                @if let Some(row) = rows.get(&id).filter(|r| r.active()) {
                    option value=(id) selected[selected == Some(id)] {
                        ("\u{a0}\u{a0}".repeat(depth)) (row.unit.name)
                    }
                }
            }
        }
    }
}

/// `<option>`s of the areas a unit may answer for, with "no area" first.
fn area_options(lang: Lang, areas: &[gocua_protocol::Area], selected: Option<&str>) -> Markup {
    html! {
        option value="" selected[selected.is_none()] { (lang.pick("— Không gắn địa bàn —", "— No area —")) }
        @for a in areas {
            option value=(a.code) selected[selected == Some(a.code.as_str())] { (a.name) " (" (a.code) ")" }
        }
    }
}
