//! Visits within the user's scope, newest first, and deleting a visit (with all its revisions):
//! the phone that sends it again is told "deleted", and progress is recounted.

use std::collections::HashMap;

use axum::extract::Query;
use axum::response::{IntoResponse, Redirect};
use axum::Form;
use chrono::{NaiveDate, Utc};
use gocua_protocol::*;
use maud::html;
use serde::Deserialize;
use uuid::Uuid;

use super::{download, html, CsrfOnly, Format};
use crate::db::{DbResult, Sql, Value};
use crate::domain::audit::{self, AuditEvent};
use crate::domain::calendar::day_range;
use crate::params;
use crate::web::data::{self, in_list, scoped_teams};
use crate::web::error::PageResult;
use crate::web::error::WebError;
use crate::web::export::{Cell, Column, Table};
use crate::web::extract::Addressed;
use crate::web::extract::Ctx;
use crate::web::i18n::{self, Lang};
use crate::web::layout::{self, Nav};
use crate::web::scope::OrgTree;
use crate::web::session::User;
use crate::web::state::db_run;

/// Visits shown on one page; exports take them all.
pub const PAGE_ROWS: usize = 100;

#[derive(Deserialize, Default, Clone)]
pub struct VisitQuery {
    pub unit: Option<Uuid>,
    pub team: Option<Uuid>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub page: Option<usize>,
    pub format: Option<String>,
}

fn parse_day(raw: Option<&str>, vi: &str, en: &str) -> Result<Option<NaiveDate>, WebError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| {
                WebError::bad_input(
                    format!("{vi} \"{s}\" không phải là ngày hợp lệ (năm-tháng-ngày)."),
                    format!("{en} \"{s}\" is not a valid date (year-month-day)."),
                )
            }),
    }
}

/// The WHERE clause and values selecting the query's visits (current revisions, in scope).
pub struct VisitFilter {
    pub clause: String,
    pub values: Vec<Value>,
}

impl VisitFilter {
    /// How many visits the filter keeps.
    pub fn count(&self, sql: &mut dyn Sql) -> DbResult<i64> {
        Ok(sql
            .query_one(
                &format!("SELECT COUNT(*) FROM visits v WHERE {}", self.clause),
                &self.values,
            )?
            .map_or(0, |r| r.int(0)))
    }
}

pub fn filter(tree: &OrgTree, user: &User, q: &VisitQuery) -> Result<VisitFilter, WebError> {
    let teams = scoped_teams(tree, user.account.org_unit_id, q.unit, q.team)?;
    let (marks, mut values) = in_list(&teams);
    let mut clause = format!("v.superseded_by IS NULL AND v.team_id IN ({marks})");
    let from = parse_day(q.from.as_deref(), "Ngày bắt đầu", "The start date")?;
    let to = parse_day(q.to.as_deref(), "Ngày kết thúc", "The end date")?;
    if from.is_some() || to.is_some() {
        let (start, end) = day_range(
            from.unwrap_or(NaiveDate::MIN),
            to.unwrap_or(NaiveDate::from_ymd_opt(9999, 12, 30).expect("valid date")),
        );
        clause.push_str(" AND v.received_at >= ? AND v.received_at < ?");
        values.push(start.into());
        values.push(end.into());
    }
    Ok(VisitFilter { clause, values })
}

/// Column layout of visit tables (page and exports), by role: viewers get no dossier codes
/// (a code finds the person's application on the public-service portal).
pub fn columns(user: &User) -> Vec<Column> {
    let lang = user.lang;
    let mut columns = vec![
        Column::text(lang.pick("Thời gian", "When")),
        Column::text(lang.pick("Đội", "Team")),
        Column::text(lang.pick("Hộ", "Household")),
        Column::text(lang.pick("Thôn, ấp", "Hamlet")),
        Column::text(lang.pick("Kết quả gặp", "Outcome")),
        Column::integer(lang.pick("Số người", "People")),
        Column::text(lang.pick("Dịch vụ đã hỗ trợ", "Services helped with")),
        Column::text(lang.pick("Mã hồ sơ", "Dossier codes")),
        Column::date(lang.pick("Hẹn quay lại", "Follow-up")),
    ];
    if !user.account.role.sees_personal_data() {
        columns.remove(DOSSIER_COLUMN);
    }
    columns
}

/// Where the dossier codes sit in a visit row (for roles that see them).
const DOSSIER_COLUMN: usize = 7;

/// Everything needed to turn visit rows into table rows.
pub struct RowContext {
    pub services: HashMap<String, String>,
    pub hamlets: HashMap<String, String>,
    pub teams: HashMap<Uuid, String>,
}

impl RowContext {
    pub fn load(sql: &mut dyn Sql, lang: Lang, tree: &OrgTree) -> Result<RowContext, WebError> {
        let mut services = HashMap::new();
        for r in sql.query("SELECT body FROM services", &[])? {
            let s: Service = r.json(0)?;
            services.insert(s.key.clone(), lang.pick_owned(s.name_vi, s.name_en));
        }
        let mut hamlets = HashMap::new();
        for r in sql.query("SELECT code, name FROM areas WHERE level = 'hamlet'", &[])? {
            hamlets.insert(r.text(0), r.text(1));
        }
        let teams = tree
            .teams
            .values()
            .map(|t| (t.id, t.name.clone()))
            .collect();
        Ok(RowContext {
            services,
            hamlets,
            teams,
        })
    }
}

pub const SELECT: &str =
    "SELECT v.id, v.body, h.body FROM visits v JOIN households h ON h.id = v.household_id";

pub fn row(user: &User, ctx: &RowContext, v: &Visit, h: &Household) -> Vec<Cell> {
    let lang = user.lang;
    let services: Vec<String> = v
        .assists
        .iter()
        .map(|a| {
            format!(
                "{} ({})",
                ctx.services
                    .get(&a.service_key)
                    .cloned()
                    .unwrap_or_else(|| a.service_key.clone()),
                lang.pick_owned(a.result.label_vi(), a.result.label_en())
            )
        })
        .collect();
    let codes: Vec<&str> = v
        .assists
        .iter()
        .filter_map(|a| a.dossier_code.as_deref())
        .collect();
    let mut cells = vec![
        Cell::text(i18n::date_time(v.started_at)),
        Cell::text(ctx.teams.get(&v.team_id).cloned().unwrap_or_default()),
        Cell::text(super::households::head_name(user, h)),
        Cell::text(
            h.hamlet_code
                .as_ref()
                .map(|c| ctx.hamlets.get(c).cloned().unwrap_or_else(|| c.clone()))
                .unwrap_or_default(),
        ),
        Cell::text(lang.pick_owned(v.outcome.label_vi(), v.outcome.label_en())),
        Cell::Int(v.people_reached.into()),
        Cell::text(services.join("; ")),
        Cell::text(codes.join("; ")),
        v.follow_up_on.map_or(Cell::Empty, Cell::Date),
    ];
    if !user.account.role.sees_personal_data() {
        cells.remove(DOSSIER_COLUMN);
    }
    cells
}

pub async fn list(Ctx { state, user }: Ctx, Query(q): Query<VisitQuery>) -> PageResult {
    let lang = user.lang;
    let format = Format::parse(q.format.as_deref()).map_err(|e| e.into_page(lang))?;
    let page = q.page.unwrap_or(0);
    let (u, query) = (user.clone(), q.clone());
    let (tree, total, rows, ids) = db_run(&state, lang, move |sql| {
        let tree = OrgTree::load(sql)?;
        let f = filter(&tree, &u, &query)?;
        let total = f.count(sql)?;
        let ctx = RowContext::load(sql, u.lang, &tree)?;
        let limit = if format == Format::Html {
            format!(" LIMIT {PAGE_ROWS} OFFSET {}", page * PAGE_ROWS)
        } else {
            " LIMIT 10000".to_owned()
        };
        let mut rows = Vec::new();
        let mut ids = Vec::new();
        for r in sql.query(
            &format!(
                "{SELECT} WHERE {} ORDER BY v.received_at DESC, v.id{limit}",
                f.clause
            ),
            &f.values,
        )? {
            let v: Visit = r.json(1)?;
            let h: Household = r.json(2)?;
            ids.push(v.id);
            rows.push(row(&u, &ctx, &v, &h));
        }
        Ok((tree, total, rows, ids))
    })
    .await?;
    let mut t = Table::new(lang.pick("Lượt đến hộ", "Visits"), columns(&user));
    t.rows = rows;
    if format != Format::Html {
        // Small extracts straight away; the export page streams large ones with progress.
        return download(&t, format).map_err(|e| e.into_page(lang));
    }
    let can_delete = user.account.role.sees_personal_data();
    let pages = (total as usize).div_ceil(PAGE_ROWS).max(1);
    let keep = format!(
        "unit={}&team={}&from={}&to={}",
        q.unit.map(|u| u.to_string()).unwrap_or_default(),
        q.team.map(|u| u.to_string()).unwrap_or_default(),
        q.from.clone().unwrap_or_default(),
        q.to.clone().unwrap_or_default()
    );
    let body = html! {
        form.filters method="get" action="/visits" {
            (data::unit_filter(lang, &tree, user.account.org_unit_id, q.unit, q.team))
            label { (lang.pick("Nhận từ ngày", "Received from")) input type="date" name="from" value=[q.from.as_deref()]; }
            label { (lang.pick("Đến ngày", "To")) input type="date" name="to" value=[q.to.as_deref()]; }
            button.primary type="submit" { (lang.pick("Lọc", "Filter")) }
        }
        p.muted { (i18n::number(lang, total as u64)) (lang.pick(" lượt đến hộ", " visits")) " · " (lang.pick("trang ", "page ")) (page + 1) "/" (pages) }
        form.filters method="post" action="/exports/visits" {
            (layout::csrf_field(&user))
            input type="hidden" name="unit" value=[q.unit];
            input type="hidden" name="team" value=[q.team];
            input type="hidden" name="from" value=[q.from.as_deref()];
            input type="hidden" name="to" value=[q.to.as_deref()];
            label { (lang.pick("Xuất toàn bộ", "Export all"))
                select name="format" { option value="xlsx" { "Excel (.xlsx)" } option value="csv" { "CSV" } } }
            button.secondary type="submit" { (lang.pick("Tạo tệp", "Make file")) }
        }
        div.tablewrap { table {
            thead { tr { @for c in &t.columns { th { (c.header) } } @if can_delete { th {} } } }
            tbody {
                @if t.rows.is_empty() { tr { td.empty colspan="10" { (lang.pick("Chưa có lượt đến hộ nào.", "No visits yet.")) } } }
                @for (row, id) in t.rows.iter().zip(&ids) {
                    tr {
                        @for c in row { td class=[matches!(c, Cell::Int(_)).then_some("num")] { (layout::cell(lang, c)) } }
                        @if can_delete {
                            td { form.inline method="post" action={ "/visits/" (id) "/delete" } {
                                (layout::csrf_field(&user))
                                button.danger type="submit" title=(lang.pick("Xoá lượt đến này (nhập sai, trùng)", "Delete this visit (wrong or duplicate)")) { (lang.pick("Xoá", "Delete")) }
                            } }
                        }
                    }
                }
            }
        } }
        p {
            @if page > 0 { a href={ "/visits?" (keep) "&page=" (page - 1) } { "‹ " (lang.pick("Trang trước", "Previous")) } " " }
            @if page + 1 < pages { a href={ "/visits?" (keep) "&page=" (page + 1) } { (lang.pick("Trang sau", "Next")) " ›" } }
        }
    };
    Ok(html(layout::page(&user, Nav::Visits, &t.title, body)))
}

/// Deletes a visit and every revision in its chain; returns the team to recount.
pub fn delete_visit(sql: &mut dyn Sql, user: &User, id: Uuid) -> Result<Uuid, WebError> {
    let Some(row) = sql.query_one("SELECT team_id FROM visits WHERE id = ?", params![id])? else {
        return Err(WebError::NotInScope);
    };
    let team_id = row.uuid(0)?;
    OrgTree::load(sql)?.team_in_scope(team_id, user.account.org_unit_id)?;
    // The team's lock before any visit row: an upload of the team takes them in that order, so
    // the two queue instead of deadlocking.
    crate::domain::rollup::lock_team(sql, team_id)?;
    // Walk the revision chain both ways.
    let mut chain = vec![id];
    let mut i = 0;
    while i < chain.len() {
        let current = chain[i];
        for r in sql.query("SELECT id FROM visits WHERE supersedes = ? OR id = (SELECT supersedes FROM visits WHERE id = ?)", params![current, current])? {
            let other = r.uuid(0)?;
            if !chain.contains(&other) {
                chain.push(other);
            }
        }
        i += 1;
    }
    let now = Utc::now();
    for v in &chain {
        sql.exec("INSERT INTO deleted_records(kind, id, deleted_at) VALUES ('visit', ?, ?) ON CONFLICT(kind, id) DO NOTHING", params![*v, now])?;
        sql.exec("DELETE FROM assists WHERE visit_id = ?", params![*v])?;
        sql.exec("DELETE FROM visits WHERE id = ?", params![*v])?;
        sql.exec("UPDATE flags SET resolved_at = ?, resolution = 'deleted' WHERE record_id = ? AND resolved_at IS NULL", params![now, *v])?;
    }
    let inputs = crate::domain::rollup::RollupInputs::load(sql)?;
    crate::domain::rollup::refresh_team(
        sql,
        team_id,
        &inputs.campaigns,
        &inputs.services,
        &inputs.tree,
    )?;
    audit::record_by(
        sql,
        &user.account,
        &id.to_string(),
        &AuditEvent::VisitDeleted {
            revisions: chain.len() as u64,
        },
    )?;
    Ok(team_id)
}

pub async fn delete(p: Addressed<Form<CsrfOnly>>) -> PageResult {
    let (state, user, id, _) = p.checked(|f| &f.csrf)?;
    let lang = user.lang;
    let u = user.clone();
    db_run(&state, lang, move |sql| delete_visit(sql, &u, id)).await?;
    Ok(Redirect::to("/visits").into_response())
}
