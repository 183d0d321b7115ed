//! Large exports run as jobs: the visits matching a filter are read in batches on a worker
//! thread while the browser shows progress (a page that refreshes itself, no JavaScript), then the
//! file is downloaded. Nothing waits on one long request, so nothing times out.

use std::sync::Arc;

use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use gocua_protocol::*;
use maud::html;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::visits::{self, RowContext, VisitQuery};
use super::{attachment, file_name, html};
use crate::db::Value;
use crate::domain::accounts::load_account;
use crate::domain::audit::{self, AuditEvent};
use crate::domain::erasure::erasure_count;
use crate::web::error::PageResult;
use crate::web::error::WebError;
use crate::web::export::{csv_header_bytes, csv_row_bytes, table_to_xlsx, Table};
use crate::web::extract::Ctx;
use crate::web::i18n::{self, Lang};
use crate::web::jobs::{self, Busy, Claim, Gone, Job, JobState};
use crate::web::layout::{self, Nav};
use crate::web::pages::opt_uuid;
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

pub async fn start_visits(Ctx { state, user }: Ctx, Form(f): Form<ExportForm>) -> PageResult {
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
    // The job's worker loads the filter and the row context again (as a process taking the job
    // over would).
    let (total, erasures) = db_run(&state, lang, move |sql| {
        let tree = OrgTree::load(sql)?;
        let f = visits::filter(&tree, &u, &query)?;
        let total = sql.query_one(&format!("SELECT COUNT(*) FROM visits v WHERE {}", f.clause), &f.values)?.map_or(0, |r| r.int(0));
        if xlsx && total > MAX_XLSX_ROWS {
            return Err(WebError::bad_input(
                format!("{} lượt đến hộ là quá nhiều cho một tệp Excel (tối đa {}). Hãy chọn CSV hoặc lọc hẹp lại.", i18n::number(u.lang, total as u64), i18n::number(u.lang, MAX_XLSX_ROWS as u64)),
                format!("{} visits are too many for one Excel file (at most {}). Choose CSV or narrow the filter.", i18n::number(u.lang, total as u64), i18n::number(u.lang, MAX_XLSX_ROWS as u64)),
            ));
        }
        let erasures = erasure_count(sql)?;
        Ok((total, erasures))
    })
    .await?;
    let id = Uuid::now_v7();
    let request = JobRequest {
        lang: match lang {
            Lang::En => "en".into(),
            _ => "vi".into(),
        },
        unit: q.unit,
        team: q.team,
        from: q.from.clone(),
        to: q.to.clone(),
        xlsx,
    };
    let request_json = serde_json::to_string(&request).expect("a job request as JSON");
    let (st, owner) = (state.clone(), user.account.id);
    let started = tokio::task::spawn_blocking(move || {
        st.exports
            .try_start(id, owner, total as u64, erasures, &request_json)
    })
    .await
    .map_err(|e| WebError::Export(e.to_string()).into_page(lang))?
    .map_err(|e| WebError::from(e).into_page(lang))?;
    if let Err(busy) = started {
        return Err(busy_page(&user, &busy));
    }
    // Audited once the job really starts (a refused start exported nothing).
    let u = user.clone();
    if let Err(e) = db_run(&state, lang, move |sql| {
        audit::record_by(
            sql,
            &u.account,
            "",
            &AuditEvent::Export {
                table: "visits".into(),
                rows: total as u64,
            },
        )?;
        Ok(())
    })
    .await
    {
        let st = state.clone();
        let _ = tokio::task::spawn_blocking(move || {
            st.exports.set(id, JobState::Failed(String::new()))
        })
        .await;
        return Err(e);
    }
    if let Err(e) = spawn_job(&state, id, user.clone(), q, xlsx) {
        return Err(WebError::Export(e.to_string()).into_page(lang));
    }
    Ok(Redirect::to(&format!("/exports/{id}")).into_response())
}

/// What another process needs to make a job again: who asked (the account is loaded again, so
/// its scope and role are today's) in which language, the filter and the format.
#[derive(Serialize, Deserialize)]
struct JobRequest {
    lang: String,
    unit: Option<Uuid>,
    team: Option<Uuid>,
    from: Option<String>,
    to: Option<String>,
    xlsx: bool,
}

/// Makes job `id` on a thread of its own: the filter and the row context are loaded there (a
/// job taken over from a dead process starts from its request alone), then the rows are read
/// in batches. A failure is the job's state.
fn spawn_job(
    state: &Arc<WebState>,
    id: Uuid,
    user: User,
    query: VisitQuery,
    xlsx: bool,
) -> std::io::Result<()> {
    let st = state.clone();
    let spawned = std::thread::Builder::new()
        .name("gocua-export".into())
        .spawn(move || {
            let prepared = st.db.tx(|sql| -> Result<_, WebError> {
                let tree = OrgTree::load(sql)?;
                let f = visits::filter(&tree, &user, &query)?;
                let total = f.count(sql)?;
                let ctx = RowContext::load(sql, user.lang, &tree)?;
                Ok((f, total, ctx))
            });
            let result = prepared.and_then(|(filter, total, ctx)| {
                run_job(
                    &st,
                    id,
                    &user,
                    &filter.clause,
                    &filter.values,
                    &ctx,
                    total as u64,
                    xlsx,
                )
            });
            if let Err(e) = result {
                st.exports.set(id, JobState::Failed(e.message(user.lang)));
            }
        });
    match spawned {
        Ok(_) => Ok(()),
        Err(e) => {
            state.exports.set(id, JobState::Failed(e.to_string()));
            Err(e)
        }
    }
}

/// Takes over job `id` when the process making it stopped beating (it died), and makes it again
/// here. Several processes may try; one wins.
fn resume_abandoned(state: &Arc<WebState>, id: Uuid) -> Result<(), WebError> {
    let Some(raw) = state.exports.take_over(id)? else {
        return Ok(());
    };
    let request: JobRequest =
        serde_json::from_str(&raw).map_err(|e| WebError::Export(e.to_string()))?;
    let lang = if request.lang == "en" {
        Lang::En
    } else {
        Lang::Vi
    };
    let owner = state.db.tx(|sql| -> Result<_, WebError> {
        Ok(sql
            .query_one(
                "SELECT owner_id FROM export_jobs WHERE id = ?",
                crate::params![id],
            )?
            .map(|r| r.uuid(0))
            .transpose()?)
    })?;
    let account = match owner {
        Some(owner) => state
            .db
            .tx(|sql| Ok::<_, WebError>(load_account(sql, owner)?))?,
        None => None,
    };
    let Some(account) = account else {
        // The account was disabled meanwhile: nobody may have the file.
        state.exports.set(id, JobState::Failed(String::new()));
        return Ok(());
    };
    let user = User {
        account,
        csrf: String::new(),
        lang,
        secret: String::new(),
    };
    let query = VisitQuery {
        unit: request.unit,
        team: request.team,
        from: request.from,
        to: request.to,
        page: None,
        format: None,
    };
    spawn_job(state, id, user, query, request.xlsx).map_err(|e| WebError::Export(e.to_string()))
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
    let (path, file) = state
        .exports
        .create_file(id, ext)
        .map_err(|e| WebError::Export(e.to_string()))?;
    let mut xlsx_file = None;
    let mut csv = if xlsx {
        xlsx_file = Some(file);
        None
    } else {
        let mut f = std::io::BufWriter::new(file);
        f.write_all(&csv_header_bytes(&columns))
            .map_err(|e| WebError::Export(e.to_string()))?;
        Some(f)
    };
    let mut table = Table::new(title, columns);
    // Keyset pagination: each batch is its own short transaction, so uploads are never held up.
    let mut after: Option<(i64, String)> = None;
    let mut done = 0u64;
    loop {
        if state.exports.stopped(id) {
            // Stopped by an erasure: what was written goes.
            drop(csv);
            let _ = std::fs::remove_file(&path);
            return Ok(());
        }
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
        let mut f = xlsx_file.take().expect("the xlsx file was made above");
        f.write_all(&bytes)
            .map_err(|e| WebError::Export(e.to_string()))?;
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

pub async fn status(Ctx { state, user }: Ctx, Path(id): Path<Uuid>) -> PageResult {
    let lang = user.lang;
    let (st, owner) = (state.clone(), user.account.id);
    let job = tokio::task::spawn_blocking(move || -> Result<Option<Job>, WebError> {
        let job = st.exports.get(id, owner)?;
        match job {
            // The process making it died: made again here, and shown as it is now.
            Some(j) if st.exports.abandoned(&j) => {
                resume_abandoned(&st, id)?;
                Ok(st.exports.get(id, owner)?)
            }
            other => Ok(other),
        }
    })
    .await
    .map_err(|e| WebError::Export(e.to_string()).into_page(lang))?
    .map_err(|e| e.into_page(lang))?;
    let Some(job) = job else {
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
        JobState::Gone(why) => {
            html! { p.notice role="status" data-state="gone" data-code=(gone_code(*why)) { (gone_message(lang, *why)) } }
        }
    };
    let body = html! { (body) p.muted { (lang.pick("Bắt đầu lúc ", "Started at ")) (i18n::date_time(job.started)) } };
    Ok(html(layout::page(&user, Nav::Visits, title, body)))
}

pub async fn download(Ctx { state, user }: Ctx, Path(id): Path<Uuid>) -> PageResult {
    let lang = user.lang;
    let erasures = db_run(&state, lang, |sql| Ok(erasure_count(sql)?)).await?;
    let (st, owner) = (state.clone(), user.account.id);
    let claim = tokio::task::spawn_blocking(move || st.exports.claim(id, owner, erasures))
        .await
        .map_err(|e| WebError::Export(e.to_string()).into_page(lang))?
        .map_err(|e| WebError::from(e).into_page(lang))?;
    let (path, name, mime) = match claim {
        None => return Err(WebError::NotInScope.into_page(lang)),
        Some(Claim::File { path, name, mime }) => (path, name, mime),
        Some(Claim::Running) => return Ok(Redirect::to(&format!("/exports/{id}")).into_response()),
        Some(Claim::Failed(msg)) => return Err(WebError::Export(msg).into_page(lang)),
        Some(Claim::Gone(why)) => {
            let page = layout::error_page(
                lang,
                StatusCode::GONE,
                gone_code(why),
                &gone_message(lang, why),
            );
            return Err((StatusCode::GONE, Html(page.into_string())).into_response());
        }
    };
    let read = tokio::fs::read(&path).await;
    // Downloaded once, then deleted: the file never waits on the server for a second copy.
    let _ = tokio::fs::remove_file(&path).await;
    let bytes = read.map_err(|e| WebError::Export(e.to_string()).into_page(lang))?;
    Ok(attachment(bytes, mime, &name))
}

fn gone_code(why: Gone) -> &'static str {
    match why {
        Gone::Downloaded => "export_downloaded",
        Gone::Expired => "export_expired",
        Gone::Erasure => "export_erased",
    }
}

fn gone_message(lang: Lang, why: Gone) -> String {
    let hours = jobs::DEFAULT_MAX_AGE.as_secs() / 3600;
    match why {
        Gone::Downloaded => lang.pick_owned(
            "Tệp này đã được tải về và đã xoá khỏi máy chủ. Cần thêm bản nữa thì hãy tạo tệp mới.".to_owned(),
            "This file was downloaded and deleted from the server. For another copy, make a new file.".to_owned(),
        ),
        Gone::Expired => lang.pick_owned(
            format!("Tệp này đã quá {hours} giờ chưa tải về nên đã bị xoá. Hãy tạo tệp mới."),
            format!("This file waited over {hours} hour(s) without being downloaded and was deleted. Make a new file."),
        ),
        Gone::Erasure => lang.pick_owned(
            "Sau khi tệp này được tạo, một hộ đã yêu cầu xoá thông tin cá nhân, nên tệp đã bị huỷ. Hãy tạo tệp mới.".to_owned(),
            "A household asked for its personal data to be erased after this file was made, so the file was deleted. Make a new file.".to_owned(),
        ),
    }
}

/// The refusal when too many exports are held: 429, in both languages, with the user's own
/// jobs to finish first.
fn busy_page(user: &User, busy: &Busy) -> Response {
    let lang = user.lang;
    let (vi, en, mine) = match busy {
        Busy::Account(mine) => (
            format!("Bạn đang có {} tệp xuất đang tạo hoặc chưa tải về (tối đa {}). Hãy tải các tệp đó về, hoặc chờ chúng hết hạn, rồi tạo tệp mới.", mine.len(), jobs::PER_ACCOUNT),
            format!("You already have {} export(s) being made or waiting to be downloaded (at most {}). Download them, or wait until they expire, then make a new one.", mine.len(), jobs::PER_ACCOUNT),
            mine.as_slice(),
        ),
        Busy::Server => (
            "Máy chủ đang tạo nhiều tệp xuất cùng lúc. Hãy thử lại sau vài phút.".to_owned(),
            "The server is making many exports at once. Try again in a few minutes.".to_owned(),
            &[][..],
        ),
    };
    let code = "too_many_exports";
    let body = html! {
        p.error role="alert" data-code=(code) { (lang.pick_owned(vi, en)) }
        p.muted { "429 · " code { (code) } }
        @if !mine.is_empty() {
            ul { @for id in mine { li { a href={ "/exports/" (id) } { (lang.pick("Tệp xuất ", "Export ")) (&id.to_string()[..8]) } } } }
        }
    };
    let page = layout::page(user, Nav::Visits, lang.pick("Xuất dữ liệu", "Export"), body);
    let mut r = Html(page.into_string()).into_response();
    *r.status_mut() = StatusCode::TOO_MANY_REQUESTS;
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
    r
}
