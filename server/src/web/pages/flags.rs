//! Data-quality flags raised when uploads arrive — probable duplicate households, device clocks
//! far off, many visits in implausibly little time, visits to households outside the team's
//! areas, doubtful dossier codes — each with a way to resolve it.

use axum::extract::Query;
use axum::response::{IntoResponse, Redirect};
use axum::Form;
use chrono::Utc;
use maud::html;
use serde::Deserialize;
use uuid::Uuid;

use super::{download, html, Format};
use crate::domain::audit::{self, AuditEvent};
use crate::domain::flags::FlagNote;
use crate::domain::tagged::Tagged;
use crate::params;
use crate::web::data::{self, in_list, scoped_teams};
use crate::web::error::PageResult;
use crate::web::error::WebError;
use crate::web::export::{Cell, Column, ColumnKind, Table};
use crate::web::extract::Addressed;
use crate::web::extract::Ctx;
use crate::web::i18n::{self, Lang};
use crate::web::layout::{self, Nav};
use crate::web::notes::{flag_detail, flag_kind_label, resolution_label};
use crate::web::scope::OrgTree;
use crate::web::state::db_run;

/// The data checks table's columns.
const COLUMNS: [(&str, &str); 5] = [
    ("Loại", "Kind"),
    ("Đội", "Team"),
    ("Chi tiết", "Detail"),
    ("Phát hiện lúc", "Found"),
    ("Xử lý", "Resolution"),
];

pub const KINDS: [&str; 6] = [
    "probable_duplicate",
    "clock_unset",
    "clock_ahead",
    "rapid_visits",
    "outside_team_area",
    "dossier_code_suspect",
];

/// Flags raised before notes were data keep their detail as "Vietnamese. / English."; a page
/// shows its language.
fn detail_in(lang: Lang, detail: &str) -> String {
    match detail.split_once(" / ") {
        Some((vi, en)) => lang.pick_owned(vi.trim(), en.trim()),
        None => detail.to_owned(),
    }
}

/// What a viewer sees instead of a dossier code.
const MASKED_CODE: &str = "•••";

/// How a flag may be resolved.
pub const RESOLUTIONS: [&str; 3] = ["not_a_problem", "fixed_with_team", "delete_visit"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bilingual_detail_shows_in_the_page_language() {
        let d = "Mã hồ sơ \"X\": thiếu phần. / Dossier code \"X\": parts missing.";
        assert_eq!(detail_in(Lang::Vi, d), "Mã hồ sơ \"X\": thiếu phần.");
        assert_eq!(detail_in(Lang::En, d), "Dossier code \"X\": parts missing.");
        assert_eq!(
            detail_in(Lang::En, "recorded 2026-01-01"),
            "recorded 2026-01-01"
        );
    }
}

#[derive(Deserialize, Default)]
pub struct FlagQuery {
    kind: Option<String>,
    status: Option<String>,
    unit: Option<Uuid>,
    team: Option<Uuid>,
    format: Option<String>,
}

struct FlagRow {
    id: Uuid,
    kind: String,
    record_kind: String,
    record_id: String,
    other_id: String,
    team: String,
    detail: String,
    created: chrono::DateTime<Utc>,
    resolution: Option<String>,
}

pub async fn list(Ctx { state, user }: Ctx, Query(q): Query<FlagQuery>) -> PageResult {
    let lang = user.lang;
    let format = Format::parse(q.format.as_deref()).map_err(|e| e.into_page(lang))?;
    let open = q.status.as_deref() != Some("resolved");
    let kind = q.kind.clone().filter(|k| KINDS.contains(&k.as_str()));
    let (u, unit, team, k2) = (user.clone(), q.unit, q.team, kind.clone());
    let personal = user.account.role.sees_personal_data();
    let (tree, rows, counts) = db_run(&state, lang, move |sql| {
        let tree = OrgTree::load(sql)?;
        let teams = scoped_teams(&tree, u.account.org_unit_id, unit, team)?;
        let (marks, mut values) = in_list(&teams);
        let mut clause = format!("team_id IN ({marks}) AND resolved_at IS {}NULL", if open { "" } else { "NOT " });
        let count_values = values.clone();
        let mut counts = Vec::new();
        for r in sql.query(&format!("SELECT kind, COUNT(*) FROM flags WHERE {clause} GROUP BY kind"), &count_values)? {
            counts.push((r.text(0), r.int(1)));
        }
        if let Some(k) = &k2 {
            clause.push_str(" AND kind = ?");
            values.push(k.as_str().into());
        }
        let mut rows = Vec::new();
        for r in sql.query(&format!("SELECT id, kind, record_kind, record_id, other_id, team_id, detail, created_at, resolution, params FROM flags WHERE {clause} ORDER BY created_at DESC LIMIT 500"), &values)? {
            let team = r.uuid(5)?;
            rows.push(FlagRow {
                id: r.uuid(0)?,
                kind: r.text(1),
                record_kind: r.text(2),
                record_id: r.text(3),
                other_id: r.opt_text(4).unwrap_or_default(),
                team: tree.teams.get(&team).map_or(String::new(), |t| t.name.clone()),
                // Viewers see no dossier codes (docs/domain.md): the code is masked.
                detail: match FlagNote::from_stored(&r.text(1), r.opt_text(9).as_deref()) {
                    Some(FlagNote::DossierCodeSuspect { problem, .. }) if !personal => flag_detail(
                        u.lang,
                        &FlagNote::DossierCodeSuspect { code: MASKED_CODE.into(), problem },
                    ),
                    Some(note) => flag_detail(u.lang, &note),
                    None if !personal && r.text(1) == "dossier_code_suspect" => String::new(),
                    None => detail_in(u.lang, &r.text(6)),
                },
                created: r.opt_time(7).unwrap_or_default(),
                resolution: r.opt_text(8),
            });
        }
        Ok((tree, rows, counts))
    })
    .await?;
    let mut t = Table::new(
        lang.pick("Dữ liệu cần xem", "Data checks"),
        Column::bilingual(ColumnKind::Text, lang, &COLUMNS),
    );
    for r in &rows {
        t.push_row(vec![
            Cell::text(flag_kind_label(lang, &r.kind)),
            Cell::text(r.team.clone()),
            Cell::text(r.detail.clone()),
            Cell::text(i18n::date_time(r.created)),
            Cell::text(
                r.resolution
                    .as_deref()
                    .map(|x| resolution_label(lang, x))
                    .unwrap_or_default(),
            ),
        ]);
    }
    if format != Format::Html {
        return download(&t, format).map_err(|e| e.into_page(lang));
    }
    let can_edit = user.account.role.can_edit();
    let body = html! {
        form.filters method="get" action="/flags" {
            label { (lang.pick("Loại", "Kind"))
                select name="kind" {
                    option value="" { (lang.pick("Tất cả", "All")) }
                    @for k in KINDS {
                        @let n = counts.iter().find(|(c, _)| c == k).map_or(0, |(_, n)| *n);
                        option value=(k) selected[kind.as_deref() == Some(k)] { (flag_kind_label(lang, k)) " (" (n) ")" }
                    }
                }
            }
            label { (lang.pick("Trạng thái", "Status"))
                select name="status" {
                    option value="open" selected[open] { (lang.pick("Chưa xử lý", "Open")) }
                    option value="resolved" selected[!open] { (lang.pick("Đã xử lý", "Resolved")) }
                }
            }
            (data::unit_filter(lang, &tree, user.account.org_unit_id, q.unit, q.team))
            button.primary type="submit" { (lang.pick("Xem", "Show")) }
        }
        (layout::export_links(lang, "/flags", &format!("status={}&kind={}", if open { "open" } else { "resolved" }, kind.clone().unwrap_or_default())))
        div.tablewrap { table.flags {
            thead { tr { @for c in &t.columns { th { (c.header) } } } }
            tbody {
                @if rows.is_empty() { tr { td.empty colspan="5" { (lang.pick("Không có cảnh báo nào.", "No flags.")) } } }
                @for r in &rows {
                    tr data-flag=(r.id) data-kind=(r.kind) {
                        td { (flag_kind_label(lang, &r.kind)) }
                        td { (r.team) }
                        td {
                            (r.detail)
                            @if r.record_kind == "household" {
                                br; a href={ "/households/" (r.record_id) } { (lang.pick("Xem hộ", "Open household")) }
                                @if !r.other_id.is_empty() { " · " a href={ "/households/" (r.other_id) } { (lang.pick("hộ có thể trùng", "possible duplicate")) } }
                            }
                        }
                        td { (i18n::date_time(r.created)) }
                        td {
                            @if let Some(res) = &r.resolution { (resolution_label(lang, res)) }
                            @else if can_edit {
                                form.inline method="post" action={ "/flags/" (r.id) "/resolve" } {
                                    (layout::csrf_field(&user))
                                    select name="resolution" aria-label=(lang.pick("Cách xử lý", "Resolution")) {
                                        @for res in RESOLUTIONS {
                                            @if res != "delete_visit" || r.record_kind == "visit" {
                                                option value=(res) { (resolution_label(lang, res)) }
                                            }
                                        }
                                    }
                                    " "
                                    button.secondary type="submit" { (lang.pick("Xử lý", "Resolve")) }
                                }
                            }
                        }
                    }
                }
            }
        } }
    };
    Ok(html(layout::page(&user, Nav::Flags, &t.title, body)))
}

#[derive(Deserialize)]
pub struct ResolveForm {
    csrf: String,
    resolution: String,
}

pub async fn resolve(p: Addressed<Form<ResolveForm>>) -> PageResult {
    let (state, user, id, f) = p.checked(|f| &f.csrf)?;
    let lang = user.lang;
    if !RESOLUTIONS.contains(&f.resolution.as_str()) {
        return Err(WebError::bad_input(
            format!("Cách xử lý \"{}\" không có.", f.resolution),
            format!("There is no resolution \"{}\".", f.resolution),
        )
        .into_page(lang));
    }
    let u = user.clone();
    db_run(&state, lang, move |sql| {
        let Some(row) = sql.query_one(
            "SELECT team_id, kind, record_kind, record_id, resolved_at FROM flags WHERE id = ?",
            params![id],
        )?
        else {
            return Err(WebError::NotInScope);
        };
        OrgTree::load(sql)?.team_in_scope(row.uuid(0)?, u.account.org_unit_id)?;
        if row.opt_int(4).is_some() {
            return Err(WebError::bad_input(
                "Cảnh báo này đã được xử lý.",
                "This flag was already resolved.",
            ));
        }
        if f.resolution == "delete_visit" {
            if row.text(2) != "visit" {
                return Err(WebError::bad_input(
                    "Chỉ xoá được khi cảnh báo là về một lượt đến hộ.",
                    "Only a flag about a visit can delete it.",
                ));
            }
            let visit = uuid::Uuid::parse_str(&row.text(3)).map_err(|_| WebError::NotInScope)?;
            if sql
                .query_one("SELECT 1 FROM visits WHERE id = ?", params![visit])?
                .is_some()
            {
                super::visits::delete_visit(sql, &u, visit)?;
            }
        }
        sql.exec(
            "UPDATE flags SET resolved_at = ?, resolution = ? WHERE id = ?",
            params![Utc::now(), f.resolution.as_str(), id],
        )?;
        audit::record_by(
            sql,
            &u.account,
            &row.text(1),
            &AuditEvent::FlagResolved {
                resolution: f.resolution.clone(),
            },
        )?;
        Ok(())
    })
    .await?;
    Ok(Redirect::to("/flags").into_response())
}
