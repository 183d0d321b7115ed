//! `GET /admin/teams/{id}`: a team's name and areas (editable), its members with their phones and
//! what can be done to each (rename, make leader, move, issue an enrolment code, deactivate), a
//! form to add a member, and deactivation or reactivation of the team.

use std::collections::BTreeMap;

use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use gocua_protocol::{MemberRole, Team};
use maud::{html, Markup};
use uuid::Uuid;

use super::areas::Picker;
use super::{areas_line, path_label, status_tag, with_access, Access};
use crate::db::Sql;
use crate::domain::coordination::{self as admin, AdminError, MemberPhone, MemberRow};
use crate::web::error::PageResult;
use crate::web::error::WebError;
use crate::web::extract::Addressed;
use crate::web::i18n::{self, Lang};
use crate::web::layout;
use crate::web::pages::admin::admin_page;
use crate::web::pages::admin::form::error_box;
use crate::web::pages::admin::DoneQuery;
use crate::web::session::User;

pub struct TeamView {
    pub team: Team,
    pub unit_name: String,
    pub crumbs: Vec<(Uuid, String)>,
    pub areas: Vec<(String, String)>,
    pub deactivated_at: Option<DateTime<Utc>>,
    pub members: Vec<MemberRow>,
    pub phones: Vec<MemberPhone>,
    pub picker: Picker,
    /// Teams a member may move to: (unit path, [(team id, name)]).
    pub destinations: Vec<(String, Vec<(Uuid, String)>)>,
}

/// The team page's data; `team_id` must lie in the account's subtree.
pub fn load(sql: &mut dyn Sql, access: &Access, team_id: Uuid) -> Result<TeamView, WebError> {
    let tree = &access.tree;
    let node = tree.team_in_scope(team_id, access.unit)?;
    let unit_id = node.org_unit_id;
    let team = admin::load_team(sql, team_id)?;
    let row = admin::list_teams(sql)?
        .into_iter()
        .find(|t| t.id == team_id)
        .ok_or(WebError::NotInScope)?;
    let mut destinations: BTreeMap<(usize, Uuid), Vec<(Uuid, String)>> = BTreeMap::new();
    let order = super::units_in_order(tree, access.unit);
    let position: std::collections::HashMap<Uuid, usize> = order
        .iter()
        .enumerate()
        .map(|(i, (u, _))| (*u, i))
        .collect();
    for t in tree.subtree_teams(access.unit) {
        let n = &tree.teams[&t];
        if t == team_id || n.deactivated_at.is_some() {
            continue;
        }
        let p = position.get(&n.org_unit_id).copied().unwrap_or(usize::MAX);
        destinations
            .entry((p, n.org_unit_id))
            .or_default()
            .push((t, n.name.clone()));
    }
    let destinations = destinations
        .into_iter()
        .map(|((_, u), teams)| (path_label(tree, u, access.unit), teams))
        .collect();
    Ok(TeamView {
        crumbs: tree
            .path(unit_id, access.unit)
            .into_iter()
            .map(|u| (u.id, u.name.clone()))
            .collect(),
        unit_name: row.unit_name.clone(),
        areas: row.areas.clone(),
        deactivated_at: row.deactivated_at,
        members: admin::team_members(sql, team_id)?,
        phones: admin::member_phones(sql, team_id)?,
        picker: Picker::load(sql, unit_id, &team.area_codes)?,
        destinations,
        team,
    })
}

/// The message of a `?done=` after a change.
fn done_notice(lang: Lang, done: &str) -> Option<&'static str> {
    Some(match done {
        "created" => lang.pick(
            "Đã tạo đội. Thêm đội viên, rồi cấp mã đăng ký cho điện thoại của từng người.",
            "Team created. Add its members, then issue an enrolment code for each one's phone.",
        ),
        "renamed" => lang.pick("Đã đổi tên đội.", "Team renamed."),
        "areas" => lang.pick("Đã lưu địa bàn phụ trách.", "Areas saved."),
        "member_added" => lang.pick("Đã thêm đội viên.", "Member added."),
        "member_renamed" => lang.pick("Đã đổi tên đội viên.", "Member renamed."),
        "leader" => lang.pick("Đã chọn đội trưởng.", "Leader chosen."),
        "moved" => lang.pick(
            "Đã chuyển đội viên. Điện thoại của đội viên chuyển sang đội mới ở lần đồng bộ tới; dữ liệu chưa gửi vẫn được gửi cho đội cũ.",
            "Member moved. Their phones join the new team at their next sync; records not yet sent still go to the old team.",
        ),
        "member_deactivated" => lang.pick(
            "Đã ngừng hoạt động đội viên; điện thoại của đội viên đã bị thu hồi.",
            "Member deactivated; their phones were revoked.",
        ),
        "deactivated" => lang.pick(
            "Đã ngừng hoạt động đội; điện thoại của đội đã bị thu hồi.",
            "Team deactivated; its phones were revoked.",
        ),
        "reactivated" => lang.pick(
            "Đội hoạt động lại. Cấp mã đăng ký mới cho điện thoại của đội viên.",
            "Team reactivated. Issue new enrolment codes for the members' phones.",
        ),
        _ => return None,
    })
}

fn role_label(lang: Lang, role: &MemberRole) -> String {
    lang.pick_owned(role.label_vi(), role.label_en())
}

fn member_actions(user: &User, v: &TeamView, m: &MemberRow) -> Markup {
    let lang = user.lang;
    html! {
        details.actions {
            summary { (lang.pick("Thao tác", "Actions")) }
            div.action-forms {
                form.row method="post" action={ "/admin/members/" (m.id) "/rename" } {
                    (layout::csrf_field(user))
                    label.grow { span.sr { (lang.pick("Họ tên mới", "New name")) }
                        input type="text" name="name" value=(m.name) required maxlength="120"; }
                    button.secondary type="submit" { (lang.pick("Đổi tên", "Rename")) }
                }
                @if m.role != MemberRole::Leader {
                    form method="post" action={ "/admin/members/" (m.id) "/leader" } {
                        (layout::csrf_field(user))
                        button.secondary type="submit" { (lang.pick("Làm đội trưởng", "Make leader")) }
                    }
                }
                @if !v.destinations.is_empty() {
                    form.row method="post" action={ "/admin/members/" (m.id) "/move" } {
                        (layout::csrf_field(user))
                        label.grow { span.sr { (lang.pick("Chuyển sang đội", "Move to team")) }
                            select name="team" {
                                option value="" { (lang.pick("— Chuyển sang đội —", "— Move to team —")) }
                                @for (unit, teams) in &v.destinations {
                                    optgroup label=(unit) {
                                        @for (id, name) in teams { option value=(id) { (name) } }
                                    }
                                }
                            }
                        }
                        button.secondary type="submit" { (lang.pick("Chuyển", "Move")) }
                    }
                }
                form method="post" action={ "/teams/" (v.team.id) "/codes" } {
                    (layout::csrf_field(user))
                    input type="hidden" name="member_id" value=(m.id);
                    button.secondary type="submit" { (lang.pick("Cấp mã đăng ký", "Issue enrolment code")) }
                }
                a.danger-link href={ "/admin/members/" (m.id) "/deactivate" } { (lang.pick("Ngừng hoạt động…", "Deactivate…")) }
            }
        }
    }
}

fn phones_cell(lang: Lang, phones: &[&MemberPhone]) -> Markup {
    let active: Vec<&&MemberPhone> = phones.iter().filter(|p| p.revoked_at.is_none()).collect();
    let revoked = phones.len() - active.len();
    html! {
        @if active.is_empty() { span.muted { (lang.pick("chưa có", "none")) } }
        @for p in &active {
            div.phone {
                (p.label)
                @if p.moving { " " span.tag { (lang.pick("chuyển đội ở lần đồng bộ tới", "joins at next sync")) } }
            }
        }
        @if revoked > 0 {
            div.muted { (lang.pick_owned(format!("{revoked} máy đã thu hồi"), format!("{revoked} revoked"))) }
        }
    }
}

fn render(user: &User, v: &TeamView, notice: Option<&str>, error: Option<&AdminError>) -> Markup {
    let lang = user.lang;
    let active = v.deactivated_at.is_none();
    let (current, former): (Vec<&MemberRow>, Vec<&MemberRow>) =
        v.members.iter().partition(|m| m.deactivated_at.is_none());
    html! {
        p.crumbs {
            a href="/admin/teams" { (lang.pick("Đội và đội viên", "Teams and members")) } " › "
            @for (id, name) in &v.crumbs { a href={ "/admin/teams?unit=" (id) } { (name) } " › " }
            strong { (v.team.name) }
        }
        @if let Some(n) = notice { (layout::notice(n)) }
        @if let Some(e) = error { (error_box(lang, e)) }
        div.card.team-summary {
            p { (status_tag(lang, v.deactivated_at)) " " span.muted { (v.unit_name) } }
            p { strong { (lang.pick("Địa bàn: ", "Areas: ")) } (areas_line(lang, &v.areas)) }
            p { a href={ "/teams/" (v.team.id) } { (lang.pick("Tiến độ, thiết bị và mã đăng ký của đội", "The team's progress, devices and enrolment codes")) } }
        }
        @if active {
            h2 { (lang.pick("Đội viên", "Members")) }
            div.tablewrap { table.members.stackable {
                (layout::table_head(lang, &[
                    ("Họ và tên", "Name"),
                    ("Vai trò", "Role"),
                    ("Điện thoại", "Phones"),
                    ("Thao tác", "Actions"),
                ]))
                tbody {
                    @if current.is_empty() { tr { td.empty colspan="4" { (lang.pick("Đội chưa có đội viên. Thêm đội viên ở mẫu dưới.", "The team has no members yet. Add them with the form below.")) } } }
                    @for m in &current {
                        @let phones: Vec<&MemberPhone> = v.phones.iter().filter(|p| p.member_id == m.id).collect();
                        tr data-member=(m.id) {
                            td.name { (m.name) }
                            td data-label=(lang.pick("Vai trò", "Role")) { @if m.role == MemberRole::Leader { strong { (role_label(lang, &m.role)) } } @else { (role_label(lang, &m.role)) } }
                            td data-label=(lang.pick("Điện thoại", "Phones")) { (phones_cell(lang, &phones)) }
                            td { (member_actions(user, v, m)) }
                        }
                    }
                }
            } }
            form.stack.card.add-member method="post" action={ "/admin/teams/" (v.team.id) "/members" } {
                (layout::csrf_field(user))
                label { (lang.pick("Thêm đội viên: họ và tên", "Add a member: full name"))
                    input type="text" name="name" required maxlength="120"; }
                label.check { input type="checkbox" name="leader" value="1"; (lang.pick("Là đội trưởng (thay đội trưởng hiện tại)", "Is the leader (replaces the current one)")) }
                div { button.primary type="submit" { (lang.pick("Thêm đội viên", "Add member")) } }
            }
            h2 { (lang.pick("Tên và địa bàn", "Name and areas")) }
            form.stack.card method="post" action={ "/admin/teams/" (v.team.id) "/rename" } {
                (layout::csrf_field(user))
                label { (lang.pick("Tên đội", "Team name"))
                    input type="text" name="name" value=(v.team.name) required maxlength="120"; }
                div { button.secondary type="submit" { (lang.pick("Lưu tên", "Save name")) } }
            }
            form.stack.card method="post" action={ "/admin/teams/" (v.team.id) "/areas" } {
                (layout::csrf_field(user))
                (v.picker.render(lang))
                div { button.secondary type="submit" { (lang.pick("Lưu địa bàn", "Save areas")) } }
            }
            h2 { (lang.pick("Ngừng hoạt động", "Deactivation")) }
            p.muted { (lang.pick(
                "Đội ngừng hoạt động: điện thoại của đội bị thu hồi, đội không còn trong danh sách và không được giao chỉ tiêu mới; dữ liệu và kết quả đã có vẫn giữ trong báo cáo.",
                "A deactivated team's phones are revoked, it leaves the lists and gets no new targets; its records and past figures stay in the reports.")) }
            p { a.button.danger-button href={ "/admin/teams/" (v.team.id) "/deactivate" } { (lang.pick("Ngừng hoạt động đội…", "Deactivate the team…")) } }
        } @else {
            p.notice.warn data-state="deactivated" { (lang.pick(
                "Đội đã ngừng hoạt động: không sửa được tên, địa bàn hay đội viên. Cho đội hoạt động lại để sửa; đội viên sẽ cần mã đăng ký mới.",
                "This team is deactivated: its name, areas and members cannot be changed. Reactivate it to change them; members will need new enrolment codes.")) }
            form method="post" action={ "/admin/teams/" (v.team.id) "/reactivate" } {
                (layout::csrf_field(user))
                button.primary type="submit" { (lang.pick("Cho đội hoạt động lại", "Reactivate the team")) }
            }
            h2 { (lang.pick("Đội viên", "Members")) }
            @if current.is_empty() { p.muted { (lang.pick("Đội không còn đội viên đang hoạt động.", "The team has no active member.")) } }
            ul { @for m in &current { li { (m.name) " · " (role_label(lang, &m.role)) } } }
        }
        @if !former.is_empty() {
            h2 { (lang.pick("Đội viên đã ngừng hoạt động", "Deactivated members")) }
            ul.former {
                @for m in &former {
                    li data-member=(m.id) { (m.name) " " span.muted { "(" (lang.pick("từ ", "since ")) (m.deactivated_at.map(|at| i18n::date(crate::domain::calendar::day_of(at))).unwrap_or_default()) ")" } }
                }
            }
        }
    }
}

/// The page, with a notice after a change or the refusal of a form (status 422).
pub fn respond(
    user: &User,
    v: &TeamView,
    notice: Option<&str>,
    error: Option<&AdminError>,
) -> Response {
    let page = admin_page(user, &v.team.name, render(user, v, notice, error));
    match error {
        Some(_) => (StatusCode::UNPROCESSABLE_ENTITY, page).into_response(),
        None => page,
    }
}

pub async fn page(p: Addressed<Query<DoneQuery>>) -> PageResult {
    let (state, user, team_id, Query(q)) = p.into_parts();
    let lang = user.lang;
    let view = with_access(&state, &user, move |sql, access| load(sql, access, team_id))
        .await
        .map_err(|e| e.into_page(lang))?;
    let notice = q.done.as_deref().and_then(|d| done_notice(lang, d));
    Ok(respond(&user, &view, notice, None))
}
