//! Teams and members in the browser (`/admin/teams…`, [`Task::Teams`]): the list of the teams in
//! the account's subtree, a new team's form, a team's page (name, areas, members and what can be
//! done to each) and the confirmations of deactivation. Every rule is the domain's
//! (`domain/coordination/teams.rs`, also behind `gocua admin`); these pages check access, scope
//! and CSRF, parse forms and render.

mod actions;
mod areas;
mod detail;
mod new;

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use axum::extract::Query;
use axum::routing::{get, post};
use axum::Router;
use maud::{html, Markup};
use serde::Deserialize;
use uuid::Uuid;

use super::Access;
use crate::db::Sql;
use crate::domain::coordination::permission::Task;
use crate::domain::coordination::{self as admin, TeamRow};
use crate::web::error::PageResult;
use crate::web::error::WebError;
use crate::web::extract::Ctx;
use crate::web::i18n::{self, Lang};
use crate::web::layout;
use crate::web::pages::admin::admin_page;
use crate::web::scope::OrgTree;
use crate::web::session::User;
use crate::web::state::WebState;

pub fn router() -> Router<Arc<WebState>> {
    Router::new()
        .route("/admin/teams", get(list))
        .route("/admin/teams/new", get(new::page).post(new::create))
        .route("/admin/teams/{id}", get(detail::page))
        .route("/admin/teams/{id}/rename", post(actions::rename_team))
        .route("/admin/teams/{id}/areas", post(actions::set_areas))
        .route("/admin/teams/{id}/members", post(actions::add_member))
        .route(
            "/admin/teams/{id}/deactivate",
            get(actions::confirm_team).post(actions::deactivate_team),
        )
        .route(
            "/admin/teams/{id}/reactivate",
            post(actions::reactivate_team),
        )
        .route("/admin/members/{id}/rename", post(actions::rename_member))
        .route("/admin/members/{id}/leader", post(actions::set_leader))
        .route("/admin/members/{id}/move", post(actions::move_member))
        .route(
            "/admin/members/{id}/deactivate",
            get(actions::confirm_member).post(actions::deactivate_member),
        )
}

/// A posted form's fields in order, repeated names kept (the area checkboxes).
#[derive(Deserialize)]
#[serde(transparent)]
pub struct Fields(Vec<(String, String)>);

impl Fields {
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// An id from the form: one that does not parse gets the answer of an id out of scope.
    pub fn id(&self, name: &str) -> Result<Uuid, WebError> {
        Uuid::parse_str(self.get(name).trim()).map_err(|_| WebError::NotInScope)
    }
}

/// Runs `f` in one transaction for an account that may administer teams.
pub async fn with_access<T: Send + 'static>(
    state: &Arc<WebState>,
    user: &User,
    f: impl FnOnce(&mut dyn Sql, &Access) -> Result<T, WebError> + Send + 'static,
) -> Result<T, WebError> {
    let u = user.clone();
    state
        .db
        .run(move |sql: &mut dyn Sql| {
            let access = Access::for_task(sql, &u, Task::Teams)?;
            f(sql, &access)
        })
        .await
}

/// The units of the account's subtree in tree order, each with its depth (for indented lists).
pub fn units_in_order(tree: &OrgTree, scope: Uuid) -> Vec<(Uuid, usize)> {
    let mut out = Vec::new();
    let mut stack = vec![(scope, 0)];
    while let Some((unit, depth)) = stack.pop() {
        if !tree.units.contains_key(&unit) {
            continue;
        }
        out.push((unit, depth));
        for child in tree.child_units(unit).iter().rev() {
            stack.push((*child, depth + 1));
        }
    }
    out
}

/// A unit's name indented by its depth, for a `<select>`.
pub fn indented(tree: &OrgTree, unit: Uuid, depth: usize) -> String {
    format!(
        "{}{}",
        "\u{2003}".repeat(depth),
        tree.units.get(&unit).map_or("", |u| u.name.as_str())
    )
}

/// `?unit=` as typed: empty means none; anything that is not an id is out of scope.
pub fn query_id(raw: Option<&str>) -> Result<Option<Uuid>, WebError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => Uuid::parse_str(s)
            .map(Some)
            .map_err(|_| WebError::NotInScope),
    }
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    unit: Option<String>,
    /// Deactivated teams too.
    all: Option<String>,
}

struct ListView {
    /// The unit the list is narrowed to.
    unit: Uuid,
    all: bool,
    units: Vec<(Uuid, String)>,
    groups: Vec<(String, Vec<TeamRow>)>,
    hidden: usize,
}

fn load_list(sql: &mut dyn Sql, access: &Access, q: &ListQuery) -> Result<ListView, WebError> {
    let tree = &access.tree;
    let unit = query_id(q.unit.as_deref())?.unwrap_or(access.unit);
    tree.unit_in_scope(unit, access.unit)?;
    let all = q.all.as_deref().is_some_and(|v| !v.is_empty());
    let order = units_in_order(tree, access.unit);
    let position: BTreeMap<Uuid, usize> = order
        .iter()
        .enumerate()
        .map(|(i, (u, _))| (*u, i))
        .collect();
    let mut by_unit: BTreeMap<usize, Vec<TeamRow>> = BTreeMap::new();
    let mut hidden = 0;
    for t in admin::list_teams(sql)? {
        if !tree.team_within(t.id, unit) {
            continue;
        }
        if t.deactivated_at.is_some() && !all {
            hidden += 1;
            continue;
        }
        if let Some(p) = position.get(&t.org_unit_id) {
            by_unit.entry(*p).or_default().push(t);
        }
    }
    let groups = by_unit
        .into_iter()
        .map(|(p, teams)| (path_label(tree, order[p].0, access.unit), teams))
        .collect();
    Ok(ListView {
        unit,
        all,
        units: order
            .iter()
            .map(|(u, d)| (*u, indented(tree, *u, *d)))
            .collect(),
        groups,
        hidden,
    })
}

/// A team's areas as a short line: the first few names, then how many more.
pub fn areas_line(lang: Lang, areas: &[(String, String)]) -> String {
    const SHOWN: usize = 4;
    let names: Vec<&str> = areas.iter().take(SHOWN).map(|(_, n)| n.as_str()).collect();
    let mut line = names.join(", ");
    if areas.len() > SHOWN {
        let more = areas.len() - SHOWN;
        line.push_str(&lang.pick_owned(
            format!(" và {more} địa bàn khác"),
            format!(" and {more} more"),
        ));
    }
    line
}

fn render_list(user: &User, v: &ListView) -> Markup {
    let lang = user.lang;
    html! {
        div.toolbar {
            a.button href={ "/admin/teams/new?unit=" (v.unit) } { (lang.pick("Thêm đội", "Add a team")) }
        }
        form.filters method="get" action="/admin/teams" {
            label { (lang.pick("Đơn vị", "Unit"))
                select name="unit" {
                    @for (id, label) in &v.units { option value=(id) selected[*id == v.unit] { (label) } }
                }
            }
            label.check { input type="checkbox" name="all" value="1" checked[v.all]; (lang.pick("Cả đội đã ngừng hoạt động", "Deactivated teams too")) }
            button.secondary type="submit" { (lang.pick("Lọc", "Filter")) }
        }
        @if v.groups.is_empty() {
            p.notice data-state="empty" { (lang.pick(
                "Chưa có đội nào trong đơn vị này. Bấm \"Thêm đội\" để tạo đội đầu tiên, rồi thêm đội viên và cấp mã đăng ký điện thoại.",
                "No team in this unit yet. Use \"Add a team\" to create the first one, then add members and issue phone enrolment codes.")) }
        }
        @for (unit, teams) in &v.groups {
            h2 { (unit) }
            div.tablewrap { table.teams.stackable {
                (layout::table_head(lang, &[
                    ("Đội", "Team"),
                    ("Địa bàn", "Areas"),
                    ("Đội viên", "Members"),
                    ("Đội trưởng", "Leader"),
                    ("Điện thoại", "Phones"),
                    ("Trạng thái", "Status"),
                ]))
                tbody {
                    @for t in teams {
                        tr data-team=(t.id) {
                            td.name { a href={ "/admin/teams/" (t.id) } { (t.name) } }
                            td data-label=(lang.pick("Địa bàn", "Areas")) { (areas_line(lang, &t.areas)) }
                            td.num data-label=(lang.pick("Đội viên", "Members")) { (i18n::number(lang, t.members)) }
                            td data-label=(lang.pick("Đội trưởng", "Leader")) { @if let Some(l) = &t.leader { (l) } @else { span.muted { (lang.pick("chưa có", "none")) } } }
                            td.num data-label=(lang.pick("Điện thoại", "Phones")) { (i18n::number(lang, t.phones)) }
                            td { (status_tag(lang, t.deactivated_at)) }
                        }
                    }
                }
            } }
        }
        @if v.hidden > 0 && !v.all {
            p.muted { a href={ "/admin/teams?unit=" (v.unit) "&all=1" } {
                (lang.pick_owned(format!("Xem cả {} đội đã ngừng hoạt động", v.hidden), format!("Show the {} deactivated team(s) too", v.hidden)))
            } }
        }
    }
}

/// "Đang hoạt động" or "Đã ngừng <date>".
pub fn status_tag(lang: Lang, deactivated_at: Option<chrono::DateTime<chrono::Utc>>) -> Markup {
    html! {
        @if let Some(at) = deactivated_at {
            span.tag.off data-status="deactivated" { (lang.pick("Đã ngừng ", "Deactivated ")) (i18n::date(crate::domain::calendar::day_of(at))) }
        } @else {
            span.tag.on data-status="active" { (lang.pick("Đang hoạt động", "Active")) }
        }
    }
}

async fn list(Ctx { state, user }: Ctx, Query(q): Query<ListQuery>) -> PageResult {
    let lang = user.lang;
    let view = with_access(&state, &user, move |sql, access| load_list(sql, access, &q))
        .await
        .map_err(|e| e.into_page(lang))?;
    Ok(admin_page(
        &user,
        lang.pick("Đội và đội viên", "Teams and members"),
        render_list(&user, &view),
    ))
}

/// A unit's path from the account's unit down, as "Tỉnh › Huyện › Xã".
pub fn path_label(tree: &OrgTree, unit: Uuid, scope: Uuid) -> String {
    let path: Vec<String> = tree
        .path(unit, scope)
        .into_iter()
        .map(|x| x.name.clone())
        .collect();
    path.join(" › ")
}

/// The active units of the subtree, for choosing a new team's unit.
pub fn active_units(sql: &mut dyn Sql, access: &Access) -> Result<Vec<(Uuid, String)>, WebError> {
    let active: HashSet<Uuid> = admin::active_unit_ids(sql)?;
    Ok(units_in_order(&access.tree, access.unit)
        .into_iter()
        .filter(|(u, _)| active.contains(u))
        .map(|(u, d)| (u, indented(&access.tree, u, d)))
        .collect())
}
