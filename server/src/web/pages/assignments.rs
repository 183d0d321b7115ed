//! Walk lists in the browser (`/assignments`, "Phân công"): for one team of the account's subtree
//! at a time, each member's hamlets and households in the campaign running today with what is
//! left, a form to give a member a hamlet or a household, and revocation. Reading is open to
//! every account (its subtree only); changing needs the right to manage teams ([`Task::Teams`]).
//! Every rule is the domain's (`domain/coordination/assignments.rs`, also behind
//! `gocua admin assign`); this page checks access, scope and CSRF, parses forms and renders.

use std::sync::Arc;

use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::Utc;
use gocua_protocol::{Area, AssignmentTarget, Remaining, Team};
use maud::{html, Markup};
use serde::Deserialize;
use uuid::Uuid;

use crate::db::Sql;
use crate::domain::audit::{self, AuditEvent};
use crate::domain::coordination::permission::Task;
use crate::domain::coordination::{self as admin, AdminError, AssignmentRow, NewAssignment};
use crate::web::error::PageResult;
use crate::web::error::WebError;
use crate::web::extract::Addressed;
use crate::web::extract::Ctx;
use crate::web::i18n::Lang;
use crate::web::layout::{self, Nav};
use crate::web::pages::admin::form::{error_box, form_error};
use crate::web::pages::admin::Access;
use crate::web::session::User;
use crate::web::state::{db_run, WebState};

/// Households offered in the form's list (a team rarely has more on one page's worth).
const HOUSEHOLD_CHOICES: u32 = 500;

struct View {
    /// The teams of the subtree that are active: (id, name).
    teams: Vec<(Uuid, String)>,
    team: Option<Team>,
    campaign: Option<String>,
    rows: Vec<AssignmentRow>,
    hamlets: Vec<(Area, String)>,
    households: Vec<(Uuid, String)>,
    may_change: bool,
    /// What a refused form had chosen (member, hamlet, household), shown again.
    posted: (String, String, String),
}

fn load(sql: &mut dyn Sql, access: &Access, team: Option<Uuid>) -> Result<View, WebError> {
    let mut teams: Vec<(Uuid, String)> = access
        .tree
        .subtree_teams(access.unit)
        .into_iter()
        .filter_map(|t| {
            let n = &access.tree.teams[&t];
            n.deactivated_at.is_none().then(|| (t, n.name.clone()))
        })
        .collect();
    teams.sort_by(|a, b| (&a.1, a.0).cmp(&(&b.1, b.0)));
    let chosen = match team {
        Some(id) => {
            access.tree.team_in_scope(id, access.unit)?;
            Some(id)
        }
        None => teams.first().map(|t| t.0),
    };
    let now = Utc::now();
    let campaign = admin::campaign_running_on(sql, crate::domain::calendar::day_of(now))?;
    let (team, rows, hamlets, households) = match chosen {
        Some(id) => (
            Some(admin::load_team(sql, id)?),
            admin::list_assignments(sql, id, now)?,
            admin::team_hamlets(sql, id)?,
            admin::team_households(sql, id, HOUSEHOLD_CHOICES)?,
        ),
        None => (None, Vec::new(), Vec::new(), Vec::new()),
    };
    Ok(View {
        teams,
        team,
        campaign: campaign.map(|c| c.name),
        rows,
        hamlets,
        households,
        may_change: access.may(Task::Teams),
        posted: Default::default(),
    })
}

#[derive(Deserialize)]
pub struct PageQuery {
    team: Option<String>,
    done: Option<String>,
}

fn done_notice(lang: Lang, done: &str) -> Option<&'static str> {
    Some(match done {
        "assigned" => lang.pick(
            "Đã phân công. Điện thoại của đội nhận danh sách ở lần đồng bộ tới.",
            "Assigned. The team's phones get the list at their next sync.",
        ),
        "revoked" => lang.pick("Đã thu hồi phân công.", "Assignment revoked."),
        _ => return None,
    })
}

pub async fn page(Ctx { state, user }: Ctx, Query(q): Query<PageQuery>) -> PageResult {
    let lang = user.lang;
    // An id that does not parse gets the answer of one out of scope.
    let team = match q.team.as_deref().filter(|t| !t.is_empty()) {
        Some(t) => Some(Uuid::parse_str(t).map_err(|_| WebError::NotInScope.into_page(lang))?),
        None => None,
    };
    let u = user.clone();
    let view = db_run(&state, lang, move |sql| {
        let access = Access::load(sql, &u)?;
        load(sql, &access, team)
    })
    .await?;
    let notice = q.done.as_deref().and_then(|d| done_notice(lang, d));
    Ok(respond(&user, &view, notice, None))
}

fn respond(user: &User, v: &View, notice: Option<&str>, error: Option<&AdminError>) -> Response {
    let lang = user.lang;
    let page = super::html(layout::page(
        user,
        Nav::Assignments,
        lang.pick("Phân công địa bàn, hộ", "Assignments"),
        render(user, v, notice, error),
    ));
    match error {
        Some(_) => (StatusCode::UNPROCESSABLE_ENTITY, page).into_response(),
        None => page,
    }
}

fn left_cell(lang: Lang, r: &Remaining) -> Markup {
    let class = if r.finished() {
        "walk-done"
    } else {
        "walk-left"
    };
    html! { span class=(class) data-finished=(r.finished()) { (r.label(lang)) } }
}

fn render(user: &User, v: &View, notice: Option<&str>, error: Option<&AdminError>) -> Markup {
    let lang = user.lang;
    html! {
        p.muted {
            (lang.pick(
                "Đội trưởng (trên điện thoại) hoặc cán bộ (tại đây) giao cho đội viên thôn, ấp hoặc hộ cần đến trong đợt đang diễn ra. Điện thoại của đội viên hiện \"Danh sách của tôi\" kể cả khi không có mạng.",
                "A team leader (on the phone) or a coordinator (here) gives members hamlets or households to cover in the running campaign. Each member's phone shows \"My list\", offline too.",
            ))
        }
        @if let Some(n) = notice { (layout::notice(n)) }
        @if let Some(e) = error { (error_box(lang, e)) }
        @if v.teams.is_empty() {
            p.empty { (lang.pick("Chưa có đội nào trong đơn vị của bạn.", "No teams in your unit yet.")) }
        } @else {
            form.row.walk-team method="get" action="/assignments" {
                label { span { (lang.pick("Đội", "Team")) }
                    select name="team" {
                        @for (id, name) in &v.teams {
                            option value=(id) selected[v.team.as_ref().is_some_and(|t| t.id == *id)] { (name) }
                        }
                    }
                }
                button.secondary type="submit" { (lang.pick("Xem", "Show")) }
            }
        }
        @if let Some(team) = &v.team {
            @match &v.campaign {
                Some(c) => p { (lang.pick("Đợt đang diễn ra: ", "Running campaign: ")) strong { (c) } },
                None => p.empty { (lang.pick(
                    "Hôm nay không có đợt (kế hoạch) nào đang diễn ra, nên chưa phân công được.",
                    "No campaign is running today, so nothing can be assigned.",
                )) },
            }
            (members_table(lang, user, v, team))
            @if v.may_change && v.campaign.is_some() { (assign_form(lang, user, v, team)) }
        }
    }
}

fn members_table(lang: Lang, user: &User, v: &View, team: &Team) -> Markup {
    html! {
        h2 { (team.name) }
        @if v.rows.is_empty() {
            p.empty { (lang.pick("Đội chưa có phân công nào trong đợt này.", "No assignments in this campaign yet.")) }
        } @else {
            div.table-wrap {
                table.walk-list {
                    thead { tr {
                        th { (lang.pick("Đội viên", "Member")) }
                        th { (lang.pick("Được giao", "Assigned")) }
                        th { (lang.pick("Còn lại", "Left")) }
                        @if v.may_change { th { span.sr { (lang.pick("Thao tác", "Actions")) } } }
                    } }
                    tbody {
                        @for r in &v.rows {
                            tr data-assignment=(r.assignment.id) {
                                td { (r.member_name) }
                                td {
                                    @match &r.assignment.target {
                                        AssignmentTarget::Hamlet { .. } => span.tag { (lang.pick("Thôn, ấp", "Hamlet")) },
                                        AssignmentTarget::Household { .. } => span.tag { (lang.pick("Hộ", "Household")) },
                                    }
                                    " " (r.target_name)
                                }
                                td { (left_cell(lang, &r.remaining)) }
                                @if v.may_change {
                                    td {
                                        form method="post" action={ "/assignments/" (r.assignment.id) "/revoke" } {
                                            (layout::csrf_field(user))
                                            button.secondary type="submit" { (lang.pick("Thu hồi", "Revoke")) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn assign_form(lang: Lang, user: &User, v: &View, team: &Team) -> Markup {
    html! {
        h2 { (lang.pick("Phân công mới", "New assignment")) }
        form.walk-assign method="post" action={ "/assignments/teams/" (team.id) "/assign" } {
            (layout::csrf_field(user))
            label { span { (lang.pick("Đội viên", "Member")) }
                select name="member" required {
                    option value="" { (lang.pick("— Chọn đội viên —", "— Choose a member —")) }
                    @for m in &team.members { option value=(m.id) selected[v.posted.0 == m.id.to_string()] { (m.name) } }
                }
            }
            label { span { (lang.pick("Thôn, ấp", "Hamlet")) }
                select name="hamlet" {
                    option value="" { (lang.pick("— Không chọn —", "— None —")) }
                    @for (h, commune) in &v.hamlets { option value=(h.code) selected[v.posted.1 == h.code] { (h.name) " (" (commune) ")" } }
                }
            }
            label { span { (lang.pick("hoặc một hộ", "or one household")) }
                select name="household" {
                    option value="" { (lang.pick("— Không chọn —", "— None —")) }
                    @for (id, name) in &v.households { option value=(id) selected[v.posted.2 == id.to_string()] { (name) } }
                }
            }
            @if v.hamlets.is_empty() {
                p.muted { (lang.pick(
                    "Các xã của đội chưa có danh sách thôn, ấp (Quản trị › Thôn, ấp).",
                    "The team's communes have no hamlets yet (Administration › Hamlets).",
                )) }
            }
            div { button.primary type="submit" { (lang.pick("Phân công", "Assign")) } }
        }
    }
}

/// A posted form's fields.
#[derive(Deserialize)]
pub struct Fields {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    member: String,
    #[serde(default)]
    hamlet: String,
    #[serde(default)]
    household: String,
}

fn parse_uuid(text: &str, vi: &str, en: &str) -> Result<Uuid, WebError> {
    Uuid::parse_str(text.trim()).map_err(|_| {
        WebError::Admin(AdminError::invalid(
            format!("Hãy chọn {vi}."),
            format!("Choose {en}."),
        ))
    })
}

/// Runs a change for an account that may manage teams, on a team of its subtree (`team_of`
/// names it); on a refusal the team's page is shown again with it (422) and nothing stored.
async fn change(
    state: Arc<WebState>,
    user: User,
    csrf: String,
    posted: (String, String, String),
    team_of: impl FnOnce(&mut dyn Sql) -> Result<Uuid, WebError> + Send + 'static,
    act: impl FnOnce(&mut dyn Sql, Uuid, &User) -> Result<&'static str, WebError> + Send + 'static,
) -> PageResult {
    let lang = user.lang;
    user.check_csrf(&csrf).map_err(|e| e.into_page(lang))?;
    let u = user.clone();
    let team = db_run(&state, lang, move |sql| {
        let access = Access::for_task(sql, &u, Task::Teams)?;
        let team = team_of(sql)?;
        access.tree.team_in_scope(team, access.unit)?;
        Ok(team)
    })
    .await?;
    let u = user.clone();
    let done = state
        .db
        .run(move |sql: &mut dyn Sql| {
            // Checked again in the change's own transaction.
            let access = Access::for_task(sql, &u, Task::Teams)?;
            access.tree.team_in_scope(team, access.unit)?;
            act(sql, team, &u)
        })
        .await;
    match done {
        Ok(notice) => {
            Ok(Redirect::to(&format!("/assignments?team={team}&done={notice}")).into_response())
        }
        Err(e) => {
            let Some(refusal) = form_error(&e) else {
                return Err(e.into_page(lang));
            };
            let u = user.clone();
            let mut view = db_run(&state, lang, move |sql| {
                let access = Access::load(sql, &u)?;
                load(sql, &access, Some(team))
            })
            .await?;
            view.posted = posted;
            Ok(respond(&user, &view, None, Some(refusal)))
        }
    }
}

pub async fn assign(p: Addressed<Form<Fields>>) -> PageResult {
    let (state, user, team, Form(f)) = p.into_parts();
    let Fields {
        csrf,
        member,
        hamlet,
        household,
    } = f;
    let posted = (member.clone(), hamlet.clone(), household.clone());
    change(
        state,
        user,
        csrf,
        posted,
        move |_| Ok(team),
        move |sql, team, u| {
            let member_id = parse_uuid(&member, "đội viên", "a member")?;
            let target = match (hamlet.trim(), household.trim()) {
                (h, "") if !h.is_empty() => admin::hamlet_target(sql, h)?,
                ("", h) if !h.is_empty() => AssignmentTarget::Household {
                    household_id: parse_uuid(h, "một hộ", "a household")?,
                },
                _ => {
                    return Err(WebError::Admin(AdminError::invalid(
                        "Hãy chọn một thôn, ấp hoặc một hộ (không chọn cả hai).",
                        "Choose a hamlet or a household (not both).",
                    )))
                }
            };
            let a = admin::create_assignment(
                sql,
                &NewAssignment {
                    team_id: team,
                    member_id,
                    target,
                    by: u.account.id,
                    now: Utc::now(),
                },
            )?;
            let t = admin::load_team(sql, team)?;
            let member = t
                .members
                .iter()
                .find(|m| m.id == member_id)
                .map_or_else(String::new, |m| m.name.clone());
            audit::record_by(
                sql,
                &u.account,
                &t.name,
                &AuditEvent::AssignmentMade {
                    member,
                    target: admin::target_code(&a.target),
                    via: "dashboard".into(),
                },
            )?;
            Ok("assigned")
        },
    )
    .await
}

pub async fn revoke(p: Addressed<Form<Fields>>) -> PageResult {
    let (state, user, id, Form(f)) = p.into_parts();
    change(
        state,
        user,
        f.csrf,
        Default::default(),
        // An assignment that does not exist gets the answer of one out of scope.
        move |sql| match admin::load_assignment(sql, id) {
            Ok(a) => Ok(a.team_id),
            Err(AdminError::NotFound { .. }) => Err(WebError::NotInScope),
            Err(e) => Err(e.into()),
        },
        move |sql, _, u| {
            let a = admin::revoke_assignment(sql, id, Utc::now())?;
            let t = admin::load_team(sql, a.team_id)?;
            let member = t
                .members
                .iter()
                .find(|m| m.id == a.member_id)
                .map_or_else(|| a.member_id.to_string(), |m| m.name.clone());
            audit::record_by(
                sql,
                &u.account,
                &t.name,
                &AuditEvent::AssignmentRevoked {
                    member,
                    target: admin::target_code(&a.target),
                    via: "dashboard".into(),
                },
            )?;
            Ok("revoked")
        },
    )
    .await
}
