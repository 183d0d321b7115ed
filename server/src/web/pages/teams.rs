//! A team: its progress by hamlet, members, devices with their last sync, enrolment codes and
//! revocation.

use std::collections::{BTreeMap, HashMap};

use axum::extract::Query;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::Utc;
use gocua_protocol::*;
use maud::{html, Markup};
use serde::Deserialize;
use uuid::Uuid;

use super::overview::OverviewQuery;
use super::{html, CsrfOnly};
use crate::db::Sql;
use crate::domain::audit::{self, AuditEvent};
use crate::domain::coordination::{self as admin, DeviceRow, EnrolCode};
use crate::domain::progress::{self, CountedRecord};
use crate::domain::refdata;
use crate::params;
use crate::web::data::{self, NodeProgress, Period, OVERVIEW_INDICATORS};
use crate::web::error::PageResult;
use crate::web::error::WebError;
use crate::web::extract::Addressed;
use crate::web::i18n;
use crate::web::layout::{self, Nav};
use crate::web::scope::OrgTree;
use crate::web::session::User;
use crate::web::state::db_run;

struct TeamView {
    team: Team,
    campaign: Option<Campaign>,
    period: Option<Period>,
    keep: String,
    crumbs: Vec<(Uuid, String)>,
    progress: NodeProgress,
    hamlets: Vec<(String, Tally)>,
    devices: Vec<DeviceRow>,
}

/// Live per-hamlet counts for one team (a few hundred records, so no rollup is needed), read by
/// the progress's one loop. A visit counts in its household's hamlet (its commune when the
/// household has none); a session in its hamlet when held in one, else in its commune.
fn hamlet_tallies(
    sql: &mut dyn Sql,
    team_id: Uuid,
    period: &Period,
) -> Result<Vec<(String, Tally)>, WebError> {
    let services: Vec<Service> = sql
        .query("SELECT body FROM services", &[])?
        .iter()
        .map(|r| r.json(0))
        .collect::<Result<_, _>>()?;
    let areas = refdata::team_areas(sql, team_id)?;
    let tree = AreaTree::new(&areas);
    let mut by_hamlet: BTreeMap<String, TallyBuilder> = BTreeMap::new();
    progress::for_each_team_record(sql, team_id, period.from, period.to, |_, record| {
        let key = match record {
            CountedRecord::Visit {
                commune_code,
                hamlet_code,
                ..
            } => hamlet_code.as_deref().unwrap_or(commune_code),
            CountedRecord::Session(s) => match tree.level(&s.area_code) {
                Some(AreaLevel::Hamlet) => &s.area_code,
                _ => progress::commune_of(&tree, &s.area_code).unwrap_or(&s.area_code),
            },
        };
        let builder = by_hamlet
            .entry(key.to_owned())
            .or_insert_with(|| TallyBuilder::new(&services));
        record.add_to(builder, &tree);
    })?;
    let names: HashMap<&str, &str> = areas
        .iter()
        .map(|a| (a.code.as_str(), a.name.as_str()))
        .collect();
    let mut out = Vec::new();
    for (code, builder) in by_hamlet {
        let name = match names.get(code.as_str()) {
            Some(name) => (*name).to_owned(),
            None => sql
                .query_one(
                    "SELECT name FROM areas WHERE code = ?",
                    params![code.as_str()],
                )?
                .map_or(code.clone(), |r| r.text(0)),
        };
        out.push((name, builder.finish()));
    }
    out.sort_by_key(|(name, _)| crate::web::text::sort_key(name));
    Ok(out)
}

fn load(
    sql: &mut dyn Sql,
    user: &User,
    team_id: Uuid,
    q: &OverviewQuery,
) -> Result<TeamView, WebError> {
    let tree = OrgTree::load(sql)?;
    let scope = user.account.org_unit_id;
    let node = tree.team_in_scope(team_id, scope)?;
    let crumbs = tree
        .path(node.org_unit_id, scope)
        .into_iter()
        .map(|u| (u.id, u.name.clone()))
        .collect();
    let team = admin::load_team(sql, team_id)?;
    let campaigns = data::campaigns(sql)?;
    let campaign = data::pick_campaign(&campaigns, q.campaign, crate::domain::calendar::today());
    let (period, progress, hamlets, keep) = match &campaign {
        Some(c) => {
            let period = data::period(
                user.lang,
                c,
                q.period.as_deref(),
                q.from.as_deref(),
                q.to.as_deref(),
            )?;
            let sums = data::team_sums(sql, c.id, &period, Some(&[team_id]))?;
            let targets = data::team_targets(sql, c.id)?;
            let hamlets = hamlet_tallies(sql, team_id, &period)?;
            let keep = q.keep(c, &period);
            (
                Some(period),
                data::team_progress(&sums, &targets, team_id),
                hamlets,
                keep,
            )
        }
        None => (None, NodeProgress::default(), Vec::new(), String::new()),
    };
    let devices = admin::list_devices(sql, Some(team_id))?;
    Ok(TeamView {
        team,
        campaign,
        period,
        keep,
        crumbs,
        progress,
        hamlets,
        devices,
    })
}

fn render(user: &User, v: &TeamView, issued: Option<&EnrolCode>, notice: Option<&str>) -> Markup {
    let lang = user.lang;
    let can_edit = user.account.role.can_edit();
    html! {
        p.crumbs {
            @for (id, name) in &v.crumbs { a href={ "/?" (v.keep) "&unit=" (id) } { (name) } " › " }
            strong { (v.team.name) }
        }
        @if let Some(n) = notice { (layout::notice(n)) }
        @if let Some(code) = issued {
            div.card role="status" {
                p { (lang.pick("Mã đăng ký thiết bị cho ", "Enrolment code for ")) strong { (code.member_name) } ":" }
                p.code data-testid="enrol-code" { (code.code) }
                p.muted { (lang.pick("Dùng một lần, hết hạn lúc ", "One use only, expires at ")) (i18n::date_time(code.expires_at))
                    (lang.pick(". Mã chỉ hiện một lần: hãy đọc hoặc gửi cho đội viên ngay.", ". Shown only once: give it to the member now.")) }
            }
        }
        @if let (Some(c), Some(p)) = (&v.campaign, &v.period) {
            p.muted { (c.name) " · " (p.label) }
            div.grid {
                @for i in &OVERVIEW_INDICATORS {
                    div.indicator data-indicator=(i.as_str()) {
                        div.name { (data::indicator_label(lang, i)) }
                        (layout::progress_bar(lang, v.progress.tally.get(i).unwrap_or(0), v.progress.target(i)))
                    }
                }
            }
            @if can_edit {
                p { a.button href={ "/teams/" (v.team.id) "/targets?campaign=" (c.id) } { (lang.pick("Sửa chỉ tiêu", "Edit targets")) } }
            }
            h2 { (lang.pick("Theo thôn, ấp", "By hamlet")) }
            div.tablewrap { table {
                thead { tr {
                    th { (lang.pick("Thôn, ấp", "Hamlet")) }
                    th { (lang.pick("Lượt đến hộ", "Visits")) }
                    th { (data::indicator_label(lang, &Indicator::HouseholdsVisited)) }
                    th { (data::indicator_label(lang, &Indicator::PeopleReached)) }
                    th { (data::indicator_label(lang, &Indicator::ServicesSupported)) }
                    th { (data::indicator_label(lang, &Indicator::VneidActivations)) }
                } }
                tbody {
                    @if v.hamlets.is_empty() { tr { td.empty colspan="6" { (lang.pick("Chưa có lượt đến hộ nào trong thời gian này.", "No visits in this period yet.")) } } }
                    @for (name, t) in &v.hamlets {
                        tr {
                            td { (name) }
                            td.num { (i18n::number(lang, t.visits)) }
                            td.num { (i18n::number(lang, t.households_visited)) }
                            td.num { (i18n::number(lang, t.people_reached)) }
                            td.num { (i18n::number(lang, t.services_supported)) }
                            td.num { (i18n::number(lang, t.vneid_activations)) }
                        }
                    }
                }
            } }
        }
        h2 { (lang.pick("Đội viên", "Members")) }
        div.tablewrap { table {
            thead { tr { th { (lang.pick("Họ và tên", "Name")) } th { (lang.pick("Vai trò", "Role")) } @if can_edit { th { (lang.pick("Mã đăng ký thiết bị", "Enrolment code")) } } } }
            tbody {
                @if v.team.members.is_empty() { tr { td.empty colspan="3" { (lang.pick("Đội chưa có đội viên.", "The team has no members yet.")) } } }
                @for m in &v.team.members {
                    tr {
                        td { (m.name) }
                        td { (lang.pick_owned(m.role.label_vi(), m.role.label_en())) }
                        @if can_edit {
                            td { form.inline method="post" action={ "/teams/" (v.team.id) "/codes" } {
                                (layout::csrf_field(user))
                                input type="hidden" name="member_id" value=(m.id);
                                button.secondary type="submit" { (lang.pick("Cấp mã", "Issue code")) }
                            } }
                        }
                    }
                }
            }
        } }
        h2 { (lang.pick("Thiết bị", "Devices")) }
        div.tablewrap { table {
            (layout::table_head(lang, &[
                ("Thiết bị", "Device"),
                ("Đội viên", "Member"),
                ("Đăng ký lúc", "Enrolled"),
                ("Gửi dữ liệu lần cuối", "Last upload"),
                ("Trạng thái", "Status"),
            ]))
            tbody {
                @if v.devices.is_empty() { tr { td.empty colspan="5" { (lang.pick("Chưa có thiết bị nào đăng ký.", "No device enrolled yet.")) } } }
                @for d in &v.devices {
                    // Only the id's first 8 characters are shown: a full device id is what an
                    // enrolment names, so it appears only in the revoke form of those who may edit.
                    tr data-device=(short_device_id(d.id)) {
                        td { (d.label) br; span.muted { (d.app_version) " · " (short_device_id(d.id)) } }
                        td { (d.member_name) }
                        td { (d.enrolled_at.map(i18n::date_time).unwrap_or_default()) }
                        td { (d.last_push_at.map(i18n::date_time).unwrap_or_else(|| lang.pick_owned("chưa gửi", "never"))) }
                        td {
                            @if let Some(at) = d.revoked_at {
                                span.tag { (lang.pick("Đã thu hồi ", "Revoked ")) (i18n::date_time(at)) }
                            } @else if can_edit {
                                form.inline method="post" action={ "/devices/" (d.id) "/revoke" } {
                                    (layout::csrf_field(user))
                                    button.danger type="submit" { (lang.pick("Thu hồi", "Revoke")) }
                                }
                            } @else { (lang.pick("Đang dùng", "Active")) }
                        }
                    }
                }
            }
        } }
    }
}

/// The first 8 characters of a device id, enough to tell a team's phones apart.
fn short_device_id(id: Uuid) -> String {
    id.simple().to_string()[..8].to_owned()
}

fn respond(
    user: &User,
    v: &TeamView,
    issued: Option<&EnrolCode>,
    notice: Option<&str>,
) -> Response {
    let title = v.team.name.clone();
    html(layout::page(
        user,
        Nav::Overview,
        &title,
        render(user, v, issued, notice),
    ))
}

pub async fn page(p: Addressed<Query<OverviewQuery>>) -> PageResult {
    let (state, user, team_id, Query(q)) = p.into_parts();
    let u = user.clone();
    let view = db_run(&state, user.lang, move |sql| load(sql, &u, team_id, &q)).await?;
    Ok(respond(&user, &view, None, None))
}

#[derive(Deserialize)]
pub struct CodeForm {
    csrf: String,
    member_id: Uuid,
}

pub async fn issue_code(p: Addressed<Form<CodeForm>>) -> PageResult {
    let (state, user, team_id, f) = p.checked(|f| &f.csrf)?;
    let lang = user.lang;
    let u = user.clone();
    let (view, code) = db_run(&state, lang, move |sql| {
        let tree = OrgTree::load(sql)?;
        tree.team_in_scope(team_id, u.account.org_unit_id)?;
        let code = admin::issue_enrol_code(sql, team_id, f.member_id, 72, Utc::now())?;
        audit::record_by(
            sql,
            &u.account,
            &code.team_name,
            &AuditEvent::EnrolCode {
                member: code.member_name.clone(),
            },
        )?;
        Ok((load(sql, &u, team_id, &OverviewQuery::default())?, code))
    })
    .await?;
    Ok(respond(&user, &view, Some(&code), None))
}

pub async fn revoke(p: Addressed<Form<CsrfOnly>>) -> PageResult {
    let (state, user, device_id, _) = p.checked(|f| &f.csrf)?;
    let lang = user.lang;
    let u = user.clone();
    let team_id = db_run(&state, lang, move |sql| {
        let Some(row) = sql.query_one(
            "SELECT team_id FROM devices WHERE id = ?",
            params![device_id],
        )?
        else {
            return Err(WebError::NotInScope);
        };
        let team_id = row.uuid(0)?;
        OrgTree::load(sql)?.team_in_scope(team_id, u.account.org_unit_id)?;
        let d = admin::revoke_device(sql, device_id, Utc::now())?;
        audit::record_by(
            sql,
            &u.account,
            &d.team_name,
            &AuditEvent::DeviceRevoked {
                label: d.label.clone(),
                member: d.member_name.clone(),
            },
        )?;
        Ok(team_id)
    })
    .await?;
    Ok(Redirect::to(&format!("/teams/{team_id}")).into_response())
}
