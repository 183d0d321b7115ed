//! Difficulties and recommendations from the field, grouped by category.

use std::collections::BTreeMap;

use axum::extract::Query;
use chrono::{DateTime, NaiveDate, Utc};
use gocua_protocol::*;
use maud::html;
use serde::Deserialize;
use uuid::Uuid;

use super::{download, html, Format};
use crate::db::Sql;
use crate::domain::calendar::day_range;
use crate::web::data::{self, in_list, scoped_teams};
use crate::web::error::PageResult;
use crate::web::error::WebError;
use crate::web::export::{Cell, Column, ColumnKind, Table};
use crate::web::extract::Ctx;
use crate::web::i18n::{self, Lang};
use crate::web::layout::{self, Nav};
use crate::web::scope::OrgTree;
use crate::web::state::db_run;

/// The feedback table's columns (its download; the page shows the items by category).
const COLUMNS: [(&str, &str); 5] = [
    ("Nhóm", "Category"),
    ("Nội dung", "Text"),
    ("Đội", "Team"),
    ("Địa bàn", "Area"),
    ("Nhận lúc", "Received"),
];

#[derive(Deserialize, Default)]
pub struct FeedbackQuery {
    from: Option<String>,
    to: Option<String>,
    unit: Option<Uuid>,
    team: Option<Uuid>,
    format: Option<String>,
}

pub struct FeedbackItem {
    pub category: FeedbackCategory,
    pub text: String,
    pub team: String,
    pub area: String,
    pub received: DateTime<Utc>,
}

/// Feedback of the teams under `unit` received between two days, newest first.
pub fn load(
    sql: &mut dyn Sql,
    tree: &OrgTree,
    teams: &[Uuid],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<FeedbackItem>, WebError> {
    let (start, end) = day_range(from, to);
    let (marks, mut values) = in_list(teams);
    values.push(start.into());
    values.push(end.into());
    let rows = sql.query(
        &format!("SELECT body, team_id, area_code, received_at FROM feedback WHERE team_id IN ({marks}) AND received_at >= ? AND received_at < ? ORDER BY received_at DESC"),
        &values,
    )?;
    let areas = data::area_names(sql, rows.iter().filter_map(|r| r.opt_text(2)))?;
    let mut out = Vec::new();
    for r in rows {
        let f: Feedback = r.json(0)?;
        out.push(FeedbackItem {
            category: f.category,
            text: f.text,
            team: tree
                .teams
                .get(&r.uuid(1)?)
                .map_or(String::new(), |t| t.name.clone()),
            area: r
                .opt_text(2)
                .map(|c| areas.get(&c).cloned().unwrap_or(c))
                .unwrap_or_default(),
            received: r.opt_time(3).unwrap_or_default(),
        });
    }
    Ok(out)
}

pub fn category_label(lang: Lang, c: &FeedbackCategory) -> String {
    lang.pick_owned(c.label_vi(), c.label_en())
}

fn day(raw: Option<&str>, default: NaiveDate) -> Result<NaiveDate, WebError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
            WebError::bad_input(
                format!("\"{s}\" không phải là ngày hợp lệ (năm-tháng-ngày)."),
                format!("\"{s}\" is not a valid date (year-month-day)."),
            )
        }),
    }
}

pub async fn list(Ctx { state, user }: Ctx, Query(q): Query<FeedbackQuery>) -> PageResult {
    let lang = user.lang;
    let format = Format::parse(q.format.as_deref()).map_err(|e| e.into_page(lang))?;
    let today = crate::domain::calendar::today();
    let from = day(q.from.as_deref(), today - chrono::Duration::days(90))
        .map_err(|e| e.into_page(lang))?;
    let to = day(q.to.as_deref(), today).map_err(|e| e.into_page(lang))?;
    let (u, unit, team) = (user.clone(), q.unit, q.team);
    let (tree, items) = db_run(&state, lang, move |sql| {
        let tree = OrgTree::load(sql)?;
        let teams = scoped_teams(&tree, u.account.org_unit_id, unit, team)?;
        let items = load(sql, &tree, &teams, from, to)?;
        Ok((tree, items))
    })
    .await?;
    let mut t = Table::new(
        lang.pick("Khó khăn, kiến nghị", "Feedback"),
        Column::bilingual(ColumnKind::Text, lang, &COLUMNS),
    );
    let mut groups: BTreeMap<String, Vec<&FeedbackItem>> = BTreeMap::new();
    // Feedback given during a visit to a household that asked for erasure has no text left.
    let shown = |i: &FeedbackItem| {
        if i.text.is_empty() {
            lang.pick_owned(
                "(nội dung đã xoá theo yêu cầu của người dân)",
                "(text erased at the household's request)",
            )
        } else {
            i.text.clone()
        }
    };
    for i in &items {
        t.push_row(vec![
            Cell::text(category_label(lang, &i.category)),
            Cell::text(shown(i)),
            Cell::text(i.team.clone()),
            Cell::text(i.area.clone()),
            Cell::text(i18n::date_time(i.received)),
        ]);
        groups
            .entry(category_label(lang, &i.category))
            .or_default()
            .push(i);
    }
    if format != Format::Html {
        return download(&t, format).map_err(|e| e.into_page(lang));
    }
    let mut groups: Vec<_> = groups.into_iter().collect();
    groups.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
    let body = html! {
        form.filters method="get" action="/feedback" {
            label { (lang.pick("Từ ngày", "From")) input type="date" name="from" value=(from); }
            label { (lang.pick("Đến ngày", "To")) input type="date" name="to" value=(to); }
            (data::unit_filter(lang, &tree, user.account.org_unit_id, q.unit, q.team))
            button.primary type="submit" { (lang.pick("Xem", "Show")) }
        }
        (layout::export_links(lang, "/feedback", &format!("from={from}&to={to}")))
        @if groups.is_empty() { p.notice { (lang.pick("Chưa có ý kiến nào trong thời gian này.", "No feedback in this period.")) } }
        @for (name, list) in &groups {
            section.card data-category=(name) {
                h2 { (name) " " span.tag { (list.len()) } }
                ul { @for i in list { li { (shown(i)) " " span.muted { "— " (i.team) @if !i.area.is_empty() { ", " (i.area) } ", " (i18n::date(crate::domain::calendar::day_of(i.received))) } } } }
            }
        }
    };
    Ok(html(layout::page(&user, Nav::Feedback, &t.title, body)))
}
