//! Large exports run as jobs: the visits matching a filter are read in batches on a worker
//! thread while the browser shows progress (a page that refreshes itself, no JavaScript), then the
//! file is downloaded. Nothing waits on one long request, so nothing times out.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::Utc;
use gocua_protocol::*;
use maud::html;
use serde::Deserialize;
use uuid::Uuid;

use super::visits::{self, RowContext, VisitQuery};
use super::{attachment, file_name, html};
use crate::db::Value;
use crate::domain::audit::{self, AuditEvent};
use crate::web::error::WebError;
use crate::web::export::{csv_header_bytes, csv_row_bytes, table_to_xlsx, Table};
use crate::web::i18n;
use crate::web::jobs::{Job, JobState};
use crate::web::layout::{self, Nav};
use crate::web::scope::OrgTree;
use crate::web::session::User;
use crate::web::state::db_run;
use crate::web::state::WebState;

/// Rows read per database round trip.
const BATCH: usize = 5_000;
/// Excel is offered up to this many rows; beyond, CSV (Excel's own limit is 1,048,576).
pub const MAX_XLSX_ROWS: i64 = 300_000;

#[derive(Deserialize)]
pub struct ExportForm {
    csrf: String,
    format: String,
    unit: Option<String>,
    team: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

fn opt_uuid(raw: Option<&str>) -> Result<Option<Uuid>, WebError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => Uuid::parse_str(s)
            .map(Some)
            .map_err(|_| WebError::NotInScope),
    }
}

pub async fn start_visits(
    State(state): State<Arc<WebState>>,
    user: User,
    Form(f): Form<ExportForm>,
) -> Result<Response, Response> {
    let lang = user.lang;
    user.check_csrf(&f.csrf).map_err(|e| e.into_page(lang))?;
    let xlsx = match f.format.as_str() {
        "xlsx" => true,
        "csv" => false,
        other => {
            return Err(WebError::bad_input(
                format!("Định dạng \"{other}\" không có; chọn csv hoặc xlsx."),
                format!("There is no format \"{other}\"; choose csv or xlsx."),
            )
            .into_page(lang))
        }
    };
    let q = VisitQuery {
        unit: opt_uuid(f.unit.as_deref()).map_err(|e| e.into_page(lang))?,
        team: opt_uuid(f.team.as_deref()).map_err(|e| e.into_page(lang))?,
        from: f.from.clone(),
        to: f.to.clone(),
        page: None,
        format: None,
    };
    // Check scope and count before starting, so a bad filter is an error page, not a failed job.
    let (u, query) = (user.clone(), q.clone());
    let (filter, total, ctx) = db_run(&state, lang, move |sql| {
        let tree = OrgTree::load(sql)?;
        let f = visits::filter(&tree, &u, &query)?;
        let total = sql.query_one(&format!("SELECT COUNT(*) FROM visits v WHERE {}", f.clause), &f.values)?.map_or(0, |r| r.int(0));
        if xlsx && total > MAX_XLSX_ROWS {
            return Err(WebError::bad_input(
                format!("{} lượt đến hộ là quá nhiều cho một tệp Excel (tối đa {}). Hãy chọn CSV hoặc lọc hẹp lại.", i18n::number(u.lang, total as u64), i18n::number(u.lang, MAX_XLSX_ROWS as u64)),
                format!("{} visits are too many for one Excel file (at most {}). Choose CSV or narrow the filter.", i18n::number(u.lang, total as u64), i18n::number(u.lang, MAX_XLSX_ROWS as u64)),
            ));
        }
        let ctx = RowContext::load(sql, u.lang, &tree)?;
        audit::record_by(sql, &u.account, "", &AuditEvent::Export { table: "visits".into(), rows: total as u64 })?;
        Ok((f, total, ctx))
    })
    .await?;
    let id = Uuid::now_v7();
    state.exports.start(
        id,
        Job {
            owner: user.account.id,
            started: Utc::now(),
            state: JobState::Running {
                done: 0,
                total: total as u64,
            },
        },
    );
    let st = state.clone();
    let u = user.clone();
    std::thread::spawn(move || {
        let result = run_job(
            &st,
            id,
            &u,
            &filter.clause,
            &filter.values,
            &ctx,
            total as u64,
            xlsx,
        );
        if let Err(e) = result {
            st.exports.set(id, JobState::Failed(e.message(u.lang)));
        }
    });
    Ok(Redirect::to(&format!("/exports/{id}")).into_response())
}

#[allow(clippy::too_many_arguments)]
fn run_job(
    state: &WebState,
    id: Uuid,
    user: &User,
    clause: &str,
    values: &[Value],
    ctx: &RowContext,
    total: u64,
    xlsx: bool,
) -> Result<(), WebError> {
    use std::io::Write;
    let lang = user.lang;
    let columns = visits::columns(user);
    let title = lang.pick("Lượt đến hộ", "Visits");
    let ext = if xlsx { "xlsx" } else { "csv" };
    let path = state.exports.file_path(format!("{id}.{ext}"));
    let mut csv = if xlsx {
        None
    } else {
        let mut f = std::io::BufWriter::new(
            std::fs::File::create(&path).map_err(|e| WebError::Export(e.to_string()))?,
        );
        f.write_all(&csv_header_bytes(&columns))
            .map_err(|e| WebError::Export(e.to_string()))?;
        Some(f)
    };
    let mut table = Table::new(title, columns);
    // Keyset pagination: each batch is its own short transaction, so uploads are never held up.
    let mut after: Option<(i64, String)> = None;
    let mut done = 0u64;
    loop {
        let mut params = values.to_vec();
        let mut sql_text = format!("SELECT v.id, v.body, h.body, v.received_at FROM visits v JOIN households h ON h.id = v.household_id WHERE {clause}");
        if let Some((at, vid)) = &after {
            sql_text.push_str(" AND (v.received_at > ? OR (v.received_at = ? AND v.id > ?))");
            params.extend([Value::Int(*at), Value::Int(*at), Value::Text(vid.clone())]);
        }
        sql_text.push_str(&format!(" ORDER BY v.received_at, v.id LIMIT {BATCH}"));
        let rows = state.db.tx(|sql| sql.query(&sql_text, &params))?;
        if rows.is_empty() {
            break;
        }
        for r in &rows {
            let v: Visit = r.json(1)?;
            let h: Household = r.json(2)?;
            let cells = visits::row(user, ctx, &v, &h);
            match csv.as_mut() {
                Some(f) => f
                    .write_all(&csv_row_bytes(&cells))
                    .map_err(|e| WebError::Export(e.to_string()))?,
                None => table.push_row(cells),
            }
        }
        done += rows.len() as u64;
        let last = rows.last().expect("non-empty batch");
        after = Some((last.int(3), last.text(0)));
        state.exports.set(
            id,
            JobState::Running {
                done,
                total: total.max(done),
            },
        );
    }
    let mime = if let Some(mut f) = csv {
        f.flush().map_err(|e| WebError::Export(e.to_string()))?;
        "text/csv; charset=utf-8"
    } else {
        let bytes = table_to_xlsx(&table).map_err(|e| WebError::Export(e.to_string()))?;
        std::fs::write(&path, bytes).map_err(|e| WebError::Export(e.to_string()))?;
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    };
    state.exports.set(
        id,
        JobState::Done {
            path,
            name: file_name(title, ext),
            mime,
            rows: done,
        },
    );
    Ok(())
}

pub async fn status(
    State(state): State<Arc<WebState>>,
    user: User,
    Path(id): Path<Uuid>,
) -> Result<Response, Response> {
    let lang = user.lang;
    let Some(job) = state.exports.get(id, user.account.id) else {
        return Err(WebError::NotInScope.into_page(lang));
    };
    let title = lang.pick("Xuất dữ liệu", "Export");
    let body = match &job.state {
        JobState::Running { done, total } => {
            // Rounded down, and 100 when there is nothing to do: as the phones show progress.
            let pct = gocua_protocol::format::percent(*done, *total);
            html! {
                meta http-equiv="refresh" content="1";
                p role="status" data-state="running" { (lang.pick("Đang tạo tệp… ", "Making the file… ")) (i18n::number(lang, *done)) " / " (i18n::number(lang, *total)) (lang.pick(" dòng", " rows")) }
                progress max="100" value=(pct) { (pct) "%" }
            }
        }
        JobState::Done { rows, name, .. } => html! {
            p.notice role="status" data-state="done" { (lang.pick("Đã xong: ", "Done: ")) (i18n::number(lang, *rows)) (lang.pick(" dòng.", " rows.")) }
            p { a.button href={ "/exports/" (id) "/file" } download=(name) { (lang.pick("Tải tệp về", "Download the file")) } }
        },
        JobState::Failed(msg) => html! { p.error role="alert" data-state="failed" { (msg) } },
    };
    let body = html! { (body) p.muted { (lang.pick("Bắt đầu lúc ", "Started at ")) (i18n::date_time(job.started)) } };
    Ok(html(layout::page(&user, Nav::Visits, title, body)))
}

pub async fn download(
    State(state): State<Arc<WebState>>,
    user: User,
    Path(id): Path<Uuid>,
) -> Result<Response, Response> {
    let lang = user.lang;
    let Some(Job {
        state: JobState::Done {
            path, name, mime, ..
        },
        ..
    }) = state.exports.get(id, user.account.id)
    else {
        return Err(WebError::NotInScope.into_page(lang));
    };
    let bytes = tokio::fs::read(&path)
        .await
        .map_err(|e| WebError::Export(e.to_string()).into_page(lang))?;
    Ok(attachment(bytes, mime, &name))
}
