//! Households a volunteer promised to come back to, due by a date.

use axum::extract::Query;
use chrono::NaiveDate;
use gocua_protocol::*;
use maud::html;
use serde::Deserialize;
use uuid::Uuid;

use super::{download, html, Format};
use crate::web::data::{self, in_list, scoped_teams};
use crate::web::error::PageResult;
use crate::web::error::WebError;
use crate::web::export::{Cell, Column, Table};
use crate::web::extract::Ctx;
use crate::web::i18n;
use crate::web::layout::{self, Nav};
use crate::web::scope::OrgTree;
use crate::web::state::db_run;

#[derive(Deserialize, Default)]
pub struct FollowUpQuery {
    until: Option<String>,
    unit: Option<Uuid>,
    team: Option<Uuid>,
    format: Option<String>,
}

pub async fn list(Ctx { state, user }: Ctx, Query(q): Query<FollowUpQuery>) -> PageResult {
    let lang = user.lang;
    let format = Format::parse(q.format.as_deref()).map_err(|e| e.into_page(lang))?;
    let until = match q.until.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => crate::domain::calendar::today() + chrono::Duration::days(7),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
            WebError::bad_input(
                format!("\"{s}\" không phải là ngày hợp lệ (năm-tháng-ngày)."),
                format!("\"{s}\" is not a valid date (year-month-day)."),
            )
            .into_page(lang)
        })?,
    };
    let (u, unit, team) = (user.clone(), q.unit, q.team);
    let (tree, rows) = db_run(&state, lang, move |sql| {
        let tree = OrgTree::load(sql)?;
        let teams = scoped_teams(&tree, u.account.org_unit_id, unit, team)?;
        let (marks, values) = in_list(&teams);
        let ctx = super::visits::RowContext::load(sql, u.lang, &tree)?;
        let mut rows = Vec::new();
        // The latest visit of each household decides whether a follow-up is still open.
        for r in sql.query(&format!("{} WHERE v.superseded_by IS NULL AND v.team_id IN ({marks}) ORDER BY v.started_at DESC", super::visits::SELECT), &values)? {
            let v: Visit = r.json(1)?;
            let h: Household = r.json(2)?;
            rows.push((v, h));
        }
        let mut seen = std::collections::HashSet::new();
        let mut due = Vec::new();
        for (v, h) in rows {
            if !seen.insert(v.household_id) {
                continue;
            }
            if let Some(on) = v.follow_up_on.filter(|d| *d <= until) {
                due.push((on, super::visits::row(&u, &ctx, &v, &h), v.household_id));
            }
        }
        due.sort_by_key(|(on, _, _)| *on);
        Ok((tree, due))
    })
    .await?;
    let mut columns = vec![Column::date(lang.pick("Hẹn ngày", "Due"))];
    columns.extend(super::visits::columns(&user));
    let mut t = Table::new(lang.pick("Hộ cần quay lại", "Follow-ups due"), columns);
    let mut links = Vec::new();
    for (on, cells, household) in &rows {
        let mut row = vec![Cell::Date(*on)];
        row.extend(cells.iter().cloned());
        t.push_row(row);
        links.push(Some(format!("/households/{household}")));
    }
    if format != Format::Html {
        return download(&t, format).map_err(|e| e.into_page(lang));
    }
    let body = html! {
        form.filters method="get" action="/follow-ups" {
            label { (lang.pick("Đến hạn trước ngày", "Due by")) input type="date" name="until" value=(until); }
            (data::unit_filter(lang, &tree, user.account.org_unit_id, q.unit, q.team))
            button.primary type="submit" { (lang.pick("Xem", "Show")) }
        }
        p.muted { (rows.len()) (lang.pick(" hộ cần quay lại đến ngày ", " households due by ")) (i18n::date(until)) }
        (layout::export_links(lang, "/follow-ups", &format!("until={until}")))
        (layout::table(lang, &t, &links))
    };
    Ok(html(layout::page(&user, Nav::FollowUps, &t.title, body)))
}
