//! The bulk target sheet: download a campaign's whole-campaign targets of every active team in
//! the account's subtree as XLSX, fill it in, upload it back; every bad cell is listed with its
//! reference, or the changes are previewed (team, indicator, old → new) and stored on
//! confirmation through the same `set_target` as the targets form and `gocua admin set-target`.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::{DateTime, Utc};
use gocua_protocol::Campaign;
use maud::html;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::upload::{self, CsrfForm, Problem};
use super::Access;
use crate::db::Sql;
use crate::domain::audit::{self, AuditEvent};
use crate::domain::coordination::permission::Task;
use crate::domain::coordination::staged::{self, UploadKind};
use crate::domain::coordination::{self as admin, AdminResult, CellProblem, TargetChange};
use crate::web::data::{self, indicator_label, OVERVIEW_INDICATORS};
use crate::web::error::PageResult;
use crate::web::error::WebError;
use crate::web::export::target_sheet::{self, SheetTeam, TargetSheet};
use crate::web::extract::Addressed;
use crate::web::extract::Ctx;
use crate::web::i18n::{self, Lang};
use crate::web::layout;
use crate::web::pages::admin::{admin_page, run_as};
use crate::web::pages::{attachment, file_name};
use crate::web::session::User;
use crate::web::state::{db_run, WebState};

pub fn router() -> Router<Arc<WebState>> {
    Router::new()
        .route("/admin/targets", get(page))
        .route("/admin/targets/sheet.xlsx", get(download))
        .route("/admin/targets/upload", post(upload))
        .route("/admin/targets/uploads/{id}", get(preview))
        .route("/admin/targets/uploads/{id}/confirm", post(confirm))
}

/// A checked sheet, as staged: exactly the changes to store.
#[derive(Serialize, Deserialize)]
struct StagedTargets {
    campaign: Uuid,
    changes: Vec<TargetChange>,
}

#[derive(Deserialize)]
struct CampaignQuery {
    campaign: Option<Uuid>,
    notice: Option<String>,
}

fn access(sql: &mut dyn Sql, user: &User) -> Result<Access, WebError> {
    Access::for_task(sql, user, Task::Targets)
}

/// The campaign asked for (or the one running today), or `not_found` when there is none.
fn campaign(sql: &mut dyn Sql, asked: Option<Uuid>) -> Result<(Vec<Campaign>, Campaign), WebError> {
    let list = data::campaigns(sql)?;
    if let Some(id) = asked {
        if !list.iter().any(|c| c.id == id) {
            return Err(admin::load_campaign(sql, id)
                .err()
                .map_or(WebError::NotInScope, Into::into));
        }
    }
    match data::pick_campaign(&list, asked, crate::domain::calendar::today()) {
        Some(c) => Ok((list, c)),
        None => Err(WebError::refused(
            StatusCode::NOT_FOUND,
            "no_campaign",
            "Chưa có kế hoạch nào để giao chỉ tiêu.",
            "There is no campaign to set targets for.",
        )),
    }
}

/// The active teams of the account's subtree, with their unit's name, ordered by unit then team.
fn sheet_teams(
    sql: &mut dyn Sql,
    access: &Access,
) -> Result<Vec<(String, String, Uuid)>, WebError> {
    let inactive: HashSet<Uuid> = sql
        .query(
            "SELECT id FROM teams WHERE deactivated_at IS NOT NULL
             UNION SELECT t.id FROM teams t JOIN org_units o ON o.id = t.org_unit_id WHERE o.deactivated_at IS NOT NULL",
            &[],
        )?
        .iter()
        .map(|r| r.uuid(0))
        .collect::<Result<_, _>>()?;
    let tree = &access.tree;
    let mut out: Vec<(String, String, Uuid)> = tree
        .subtree_teams(access.unit)
        .into_iter()
        .filter(|t| !inactive.contains(t))
        .map(|t| {
            let node = &tree.teams[&t];
            let unit = tree
                .units
                .get(&node.org_unit_id)
                .map_or(String::new(), |u| u.name.clone());
            (unit, node.name.clone(), t)
        })
        .collect();
    out.sort_by_cached_key(|(u, t, _)| {
        (crate::web::text::sort_key(u), crate::web::text::sort_key(t))
    });
    Ok(out)
}

fn notice_text(lang: Lang, key: &str) -> Option<&'static str> {
    (key == "saved").then(|| {
        lang.pick(
            "Đã lưu chỉ tiêu theo bảng. Điện thoại của các đội sẽ nhận ở lần đồng bộ tới.",
            "The targets from the sheet were stored. The teams' phones get them at their next sync.",
        )
    })
}

async fn page(Ctx { state, user }: Ctx, Query(q): Query<CampaignQuery>) -> PageResult {
    let lang = user.lang;
    let u = user.clone();
    let asked = q.campaign;
    let (list, current, teams) = db_run(&state, lang, move |sql| {
        let access = access(sql, &u)?;
        let list = data::campaigns(sql)?;
        if list.is_empty() {
            return Ok((list, None, 0));
        }
        let (list, c) = campaign(sql, asked)?;
        let teams = sheet_teams(sql, &access)?.len();
        Ok((list, Some(c), teams))
    })
    .await?;
    let body = html! {
        @if let Some(text) = q.notice.as_deref().and_then(|k| notice_text(lang, k)) {
            (layout::notice(text))
        }
        @match &current {
            None => p.empty-state { (lang.pick(
                "Chưa có kế hoạch nào. Khi cấp trên tạo kế hoạch, bạn sẽ giao chỉ tiêu theo bảng ở đây.",
                "There is no campaign yet. Once one is created, you set its targets by sheet here.")) },
            Some(c) => {
                form.filters.card method="get" action="/admin/targets" {
                    label { (lang.pick("Kế hoạch", "Campaign"))
                        select name="campaign" {
                            @for x in &list { option value=(x.id) selected[x.id == c.id] { (x.name) } }
                        }
                    }
                    button type="submit" { (lang.pick("Chọn", "Choose")) }
                }
                p.muted { (c.legal_reference) " · " (i18n::date(c.starts_on)) " – " (i18n::date(c.ends_on)) }
                ol.steps {
                    li {
                        (lang.pick_owned(
                            format!("Tải bảng chỉ tiêu ({teams} đội đang hoạt động của đơn vị bạn, chỉ tiêu cho cả thời gian kế hoạch): "),
                            format!("Download the target sheet ({teams} active teams of your unit, targets for the whole campaign): ")))
                        a.button href={ "/admin/targets/sheet.xlsx?campaign=" (c.id) } download { (lang.pick("Tải bảng Excel", "Download the Excel sheet")) }
                    }
                    li { (lang.pick(
                        "Điền chỉ tiêu vào các ô trắng: số nguyên từ 0; để trống là không giao chỉ tiêu (chỉ tiêu đã có sẽ bị bỏ). Đừng sửa cột \"Mã đội\" và ô mã kế hoạch.",
                        "Fill in the white cells: whole numbers from 0; an empty cell means no target (an existing one is removed). Do not edit the \"Team id\" column or the campaign id cell.")) }
                    li { (lang.pick(
                        "Tải bảng lên: bạn sẽ thấy mọi ô sai, hoặc danh sách thay đổi để xác nhận trước khi lưu.",
                        "Upload it: you see every bad cell, or the list of changes to confirm before anything is stored.")) }
                }
                (upload::file_form(&user, "/admin/targets/upload", ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    &[("campaign", c.id.to_string())],
                    lang.pick("Bảng chỉ tiêu đã điền (.xlsx)", "The filled-in target sheet (.xlsx)")))
            }
        }
    };
    Ok(admin_page(
        &user,
        lang.pick("Chỉ tiêu theo bảng", "Targets by sheet"),
        body,
    ))
}

async fn download(Ctx { state, user }: Ctx, Query(q): Query<CampaignQuery>) -> PageResult {
    let lang = user.lang;
    let (c, teams) = run_as(&state, &user, move |sql, u| {
        let access = access(sql, u)?;
        let (_, c) = campaign(sql, q.campaign)?;
        let current = admin::whole_campaign_targets(sql, &c)?;
        let teams = sheet_teams(sql, &access)?
            .into_iter()
            .map(|(unit, team, id)| SheetTeam {
                unit,
                team,
                id,
                targets: OVERVIEW_INDICATORS
                    .iter()
                    .map(|i| current.get(&(id, i.as_str().to_owned())).copied())
                    .collect(),
            })
            .collect::<Vec<_>>();
        Ok((c, teams))
    })
    .await?;
    let title = format!("{} – {}", lang.pick("Chỉ tiêu", "Targets"), c.name);
    let bytes = target_sheet::write_target_sheet(&TargetSheet {
        lang,
        campaign_id: c.id,
        title: title.clone(),
        indicators: &OVERVIEW_INDICATORS,
        teams,
    })
    .map_err(|e| WebError::Export(e.to_string()).into_page(lang))?;
    Ok(attachment(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &file_name(&title, "xlsx"),
    ))
}

fn problems_page(user: &User, c: &Campaign, problems: &[CellProblem]) -> Response {
    let lang = user.lang;
    let rows: Vec<Problem> = problems
        .iter()
        .map(|p| Problem {
            place: p.cell.clone(),
            column: "",
            message: lang.pick_owned(p.vi.clone(), p.en.clone()),
        })
        .collect();
    let body = html! {
        p.muted { (c.name) }
        (upload::problems_table(lang, (lang.pick("Ô", "Cell"), ""), &rows))
        (upload::file_form(user, "/admin/targets/upload", ".xlsx",
            &[("campaign", c.id.to_string())],
            lang.pick("Bảng chỉ tiêu đã sửa (.xlsx)", "The corrected target sheet (.xlsx)")))
        p { a href={ "/admin/targets?campaign=" (c.id) } { (lang.pick("Quay lại", "Back")) } }
    };
    upload::problems_page(
        user,
        ("Bảng chỉ tiêu có lỗi", "The target sheet has problems"),
        body,
    )
}

async fn upload(r: upload::Received) -> PageResult {
    let (state, user, form, bytes) = r.into_parts();
    let lang = user.lang;
    let asked = Uuid::parse_str(form.field("campaign").trim()).ok();
    let outcome = run_as(&state, &user, move |sql, u| {
        let access = access(sql, u)?;
        let (_, c) = campaign(sql, Some(asked.ok_or(WebError::NotInScope)?))?;
        let sheet = match target_sheet::read_target_sheet(&bytes, &OVERVIEW_INDICATORS) {
            Ok(sheet) => sheet,
            Err(layout) => {
                let problems = layout
                    .into_iter()
                    .map(|p| CellProblem {
                        cell: p.cell,
                        vi: p.vi,
                        en: p.en,
                    })
                    .collect();
                return Ok(Err((c, problems)));
            }
        };
        let in_scope = |team: Uuid| access.tree.team_within(team, access.unit);
        match admin::check_target_sheet(sql, &c, &sheet, &in_scope)? {
            Err(problems) => Ok(Err((c, problems))),
            Ok(changes) if changes.is_empty() => Ok(Ok((c, None))),
            Ok(changes) => {
                let body = StagedTargets {
                    campaign: c.id,
                    changes,
                };
                let id = staged::stage(
                    sql,
                    u.account.id,
                    UploadKind::Targets,
                    &c.id.to_string(),
                    &body,
                    Utc::now(),
                )?;
                Ok(Ok((c, Some(id))))
            }
        }
    })
    .await?;
    match outcome {
        Ok((_, Some(id))) => {
            Ok(Redirect::to(&format!("/admin/targets/uploads/{id}")).into_response())
        }
        Ok((c, None)) => {
            let body = html! {
                p.notice role="status" data-state="no_changes" { (lang.pick(
                    "Bảng không thay đổi chỉ tiêu nào so với hiện nay; không có gì để lưu.",
                    "The sheet changes no target; there is nothing to store.")) }
                p { a href={ "/admin/targets?campaign=" (c.id) } { (lang.pick("Quay lại", "Back")) } }
            };
            Ok(admin_page(
                &user,
                lang.pick("Xem trước chỉ tiêu", "Target preview"),
                body,
            ))
        }
        Err((c, problems)) => Ok(problems_page(&user, &c, &problems)),
    }
}

fn value(lang: Lang, v: Option<u64>) -> String {
    v.map_or_else(
        || lang.pick_owned("không giao", "no target"),
        |v| i18n::number(lang, v),
    )
}

/// How a staged sheet is opened: `staged::load` to look at it, `staged::take` to apply it (once).
type OpenStaged = fn(
    &mut dyn Sql,
    Uuid,
    Uuid,
    UploadKind,
    DateTime<Utc>,
) -> AdminResult<staged::Staged<StagedTargets>>;

/// The user's staged sheet `id`, opened with `open`, once every team it changes is checked to lie
/// in the user's scope; with its campaign.
fn staged_sheet(
    sql: &mut dyn Sql,
    u: &User,
    id: Uuid,
    open: OpenStaged,
) -> Result<(Campaign, staged::Staged<StagedTargets>), WebError> {
    let access = access(sql, u)?;
    let s = open(sql, id, u.account.id, UploadKind::Targets, Utc::now())?;
    for ch in &s.body.changes {
        access.tree.team_in_scope(ch.team_id, access.unit)?;
    }
    let c = admin::load_campaign(sql, s.body.campaign)?;
    Ok((c, s))
}

async fn preview(Ctx { state, user }: Ctx, Path(id): Path<Uuid>) -> PageResult {
    let lang = user.lang;
    let (c, s) = run_as(&state, &user, move |sql, u| {
        staged_sheet(sql, u, id, staged::load)
    })
    .await?;
    let changes = &s.body.changes;
    let removed = changes.iter().filter(|c| c.after.is_none()).count();
    let teams: HashMap<Uuid, ()> = changes.iter().map(|c| (c.team_id, ())).collect();
    let body = html! {
        p.muted { (c.name) }
        p.summary { (lang.pick_owned(
            format!("{} chỉ tiêu thay đổi ở {} đội. Chưa lưu gì cho đến khi bạn bấm \"Xác nhận\".", changes.len(), teams.len()),
            format!("{} target(s) change in {} team(s). Nothing is stored until you press \"Confirm\".", changes.len(), teams.len()))) }
        @if removed > 0 {
            p.warning { (lang.pick_owned(
                format!("{removed} ô để trống: các chỉ tiêu đó sẽ bị bỏ (không giao chỉ tiêu)."),
                format!("{removed} emptied cell(s): those targets will be removed (no target)."))) }
        }
        div.tablewrap {
            table.preview {
                (layout::table_head(lang, &[
                    ("Đội", "Team"),
                    ("Chỉ tiêu", "Indicator"),
                    ("Hiện nay", "Now"),
                    ("Mới", "New"),
                ]))
                tbody {
                    @for ch in changes {
                        tr data-team=(ch.team_id) data-indicator=(ch.indicator.as_str()) {
                            td { (ch.team_name) }
                            td { (indicator_label(lang, &ch.indicator)) }
                            td.num { (value(lang, ch.before)) }
                            td.num class=[ch.after.is_none().then_some("removed")] { (value(lang, ch.after)) }
                        }
                    }
                }
            }
        }
        (upload::confirm_form(&user, s.used,
            ("Bảng này đã được xác nhận và lưu.", "This sheet was confirmed and stored."),
            &format!("/admin/targets/uploads/{id}/confirm"),
            &format!("/admin/targets?campaign={}", c.id)))
    };
    Ok(admin_page(
        &user,
        lang.pick("Xem trước chỉ tiêu", "Target preview"),
        body,
    ))
}

async fn confirm(p: Addressed<Form<CsrfForm>>) -> PageResult {
    let (state, user, id, _) = p.checked(|f| &f.csrf)?;
    let campaign = run_as(&state, &user, move |sql, u| {
        let (c, s) = staged_sheet(sql, u, id, staged::take)?;
        admin::apply_target_changes(sql, &c, &s.body.changes)?;
        for ch in &s.body.changes {
            let event = match ch.after {
                Some(value) => AuditEvent::TargetSet {
                    indicator: ch.indicator.clone(),
                    value,
                },
                None => AuditEvent::TargetCleared {
                    indicator: ch.indicator.clone(),
                },
            };
            audit::record_by(sql, &u.account, &ch.team_name, &event)?;
        }
        audit::record_by(
            sql,
            &u.account,
            &c.name,
            &AuditEvent::TargetSheet {
                changes: s.body.changes.len() as u64,
            },
        )?;
        Ok(c.id)
    })
    .await?;
    Ok(Redirect::to(&format!("/admin/targets?campaign={campaign}&notice=saved")).into_response())
}
