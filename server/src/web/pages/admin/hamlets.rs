//! Hamlets (thôn, ấp, khu phố) of the communes in the account's scope
//! (`coordination::communes_in_scope`): pick a commune, see its hamlets, upload a CSV in the
//! format `gocua admin import-hamlets` takes, see every bad row — or the rows marked new, changed
//! or unchanged — before anything is stored, confirm; edit one hamlet by hand.

use std::collections::HashSet;
use std::sync::Arc;

use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::Utc;
use gocua_protocol::text::fold;
use gocua_protocol::Area;
use maud::{html, Markup};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::upload::{self, segment, CsrfForm, Problem};
use super::Access;
use crate::db::Sql;
use crate::domain::audit::{self, AuditEvent};
use crate::domain::coordination::permission::Task;
use crate::domain::coordination::staged::{self, UploadKind};
use crate::domain::coordination::{self as admin, AdminError, Commune, HamletChange, HamletScope};
use crate::web::error::PageResult;
use crate::web::error::WebError;
use crate::web::extract::Addressed;
use crate::web::extract::Ctx;
use crate::web::i18n::Lang;
use crate::web::layout::{self, Nav};
use crate::web::pages::admin::{admin_page, run_as};
use crate::web::pages::{attachment, html};
use crate::web::session::User;
use crate::web::state::{db_run, WebState};

pub fn router() -> Router<Arc<WebState>> {
    Router::new()
        .route("/admin/hamlets", get(list))
        .route("/admin/hamlets/example.csv", get(example))
        .route("/admin/hamlets/upload", post(upload))
        .route("/admin/hamlets/uploads/{id}", get(preview))
        .route("/admin/hamlets/uploads/{id}/confirm", post(confirm))
        .route("/admin/hamlets/{code}", get(edit_form).post(edit_save))
}

/// The columns of the file, as `gocua admin import-hamlets` reads it.
const HEADER: &str = "code,name,division_type,commune_code";

/// A confirmed upload, as staged: the commune and exactly the hamlets to store.
#[derive(Serialize, Deserialize)]
struct StagedHamlets {
    commune: String,
    hamlets: Vec<Area>,
}

/// The account's access and the communes of its scope, or `forbidden`.
fn scope(sql: &mut dyn Sql, user: &User) -> Result<(Access, Vec<Commune>), WebError> {
    let access = Access::for_task(sql, user, Task::Hamlets)?;
    let communes = admin::communes_in_scope(sql, access.unit)?;
    Ok((access, communes))
}

fn codes(communes: &[Commune]) -> HashSet<String> {
    communes.iter().map(|c| c.code.clone()).collect()
}

/// The commune asked for, if it is in scope (`not_in_scope` otherwise, as a code that does not
/// exist).
fn chosen<'a>(communes: &'a [Commune], code: &str) -> Result<&'a Commune, WebError> {
    communes
        .iter()
        .find(|c| c.code == code)
        .ok_or(WebError::NotInScope)
}

fn commune_label(c: &Commune) -> String {
    match &c.parent_name {
        Some(p) => format!("{} – {} ({})", c.name, p, c.code),
        None => format!("{} ({})", c.name, c.code),
    }
}

fn kind_label(lang: Lang, change: HamletChange) -> (&'static str, &'static str) {
    match change {
        HamletChange::New => ("new", lang.pick("Mới", "New")),
        HamletChange::Changed => ("changed", lang.pick("Sửa", "Changed")),
        HamletChange::Unchanged => ("unchanged", lang.pick("Không đổi", "Unchanged")),
    }
}

/// Which notice a redirect back to the list carries.
fn notice_text(lang: Lang, key: &str) -> Option<&'static str> {
    match key {
        "imported" => Some(lang.pick(
            "Đã lưu danh sách thôn, ấp. Điện thoại của các đội sẽ nhận ở lần đồng bộ tới.",
            "The hamlet list was stored. The teams' phones get it at their next sync.",
        )),
        "edited" => Some(lang.pick(
            "Đã lưu thôn, ấp. Điện thoại của các đội sẽ nhận ở lần đồng bộ tới.",
            "The hamlet was saved. The teams' phones get it at their next sync.",
        )),
        _ => None,
    }
}

#[derive(Deserialize)]
struct ListQuery {
    commune: Option<String>,
    q: Option<String>,
    notice: Option<String>,
}

/// The largest list of communes offered as a select (a province has about a hundred); beyond,
/// the search box narrows it.
const SELECT_MAX: usize = 400;

async fn list(Ctx { state, user }: Ctx, Query(q): Query<ListQuery>) -> PageResult {
    let lang = user.lang;
    let u = user.clone();
    let asked = q.commune.clone().filter(|c| !c.is_empty());
    let (communes, current) = db_run(&state, lang, move |sql| {
        let (_, communes) = scope(sql, &u)?;
        // A commune union has one commune: no need to pick it.
        let pick = asked.or_else(|| (communes.len() == 1).then(|| communes[0].code.clone()));
        let current = match pick {
            Some(code) => {
                let c = chosen(&communes, &code)?.clone();
                let hamlets = admin::hamlets_of(sql, &c.code)?;
                Some((c, hamlets))
            }
            None => None,
        };
        Ok((communes, current))
    })
    .await?;
    let search = q.q.as_deref().unwrap_or("").trim().to_owned();
    let found: Vec<&Commune> = if search.is_empty() {
        communes.iter().collect()
    } else {
        let folded = fold(&search);
        communes
            .iter()
            .filter(|c| fold(&c.name).contains(&folded) || c.code.starts_with(&search))
            .collect()
    };
    let body = html! {
        @if let Some(text) = q.notice.as_deref().and_then(|k| notice_text(lang, k)) {
            (layout::notice(text))
        }
        @if communes.is_empty() {
            p.empty-state { (lang.pick(
                "Đơn vị của bạn chưa gắn với địa bàn nào (tỉnh hay xã, phường), nên chưa có xã, phường để nhập thôn, ấp. Hãy nhờ cấp trên đặt địa bàn cho đơn vị.",
                "Your unit is not linked to an area (a province or a commune) yet, so there is no commune to add hamlets to. Ask the level above to set your unit's area.")) }
        } @else if communes.len() > 1 {
            form.filters.card method="get" action="/admin/hamlets" {
                label { (lang.pick("Tìm xã, phường", "Find a commune"))
                    input type="search" name="q" value=(search) placeholder=(lang.pick("Tên hoặc mã", "Name or code")); }
                @if found.len() <= SELECT_MAX && !found.is_empty() {
                    label { (lang.pick("Xã, phường", "Commune"))
                        select name="commune" {
                            @for c in &found {
                                option value=(c.code) selected[current.as_ref().is_some_and(|(x, _)| x.code == c.code)] { (commune_label(c)) }
                            }
                        }
                    }
                }
                button type="submit" { (lang.pick("Chọn", "Choose")) }
            }
            @if found.is_empty() {
                p.empty-state { (lang.pick("Không có xã, phường nào khớp với từ tìm.", "No commune matches the search.")) }
            } @else if found.len() > SELECT_MAX {
                p.muted { (lang.pick_owned(
                    format!("Có {} xã, phường; hãy gõ tên để tìm.", found.len()),
                    format!("There are {} communes; type a name to search.", found.len()))) }
            }
        }
        @if let Some((c, hamlets)) = &current {
            h2 { (commune_label(c)) }
            (hamlet_table(lang, hamlets))
            h2 { (lang.pick("Tải lên danh sách thôn, ấp (CSV)", "Upload a hamlet list (CSV)")) }
            p { (lang.pick(
                "Tệp CSV (UTF-8), dòng đầu là tiêu đề, mỗi dòng một thôn, ấp. Thôn đã có (cùng mã) được sửa theo tệp, thôn mới được thêm; không thôn nào bị xoá. Bạn sẽ xem trước mọi thay đổi và mọi dòng lỗi trước khi lưu.",
                "A CSV file (UTF-8), a header line, then one hamlet per line. Hamlets already there (same code) are updated from the file, new ones added; none is deleted. You see every change and every bad row before anything is stored.")) }
            p { (lang.pick("Tiêu đề cần có: ", "Expected header: ")) code.header { (HEADER) } }
            p { a href={ "/admin/hamlets/example.csv?commune=" (segment(&c.code)) } download { (lang.pick("Tải tệp mẫu", "Download an example file")) } }
            (upload::file_form(&user, "/admin/hamlets/upload", ".csv,text/csv",
                &[("commune", c.code.clone())],
                lang.pick("Tệp CSV", "CSV file")))
        } @else if !communes.is_empty() {
            p.muted { (lang.pick("Chọn một xã, phường để xem và nhập thôn, ấp.", "Choose a commune to see and import its hamlets.")) }
        }
    };
    Ok(admin_page(
        &user,
        lang.pick("Thôn, ấp, khu phố", "Hamlets"),
        body,
    ))
}

fn hamlet_table(lang: Lang, hamlets: &[Area]) -> Markup {
    html! {
        div.tablewrap {
            table.hamlets {
                thead { tr {
                    th { (lang.pick("Mã", "Code")) } th { (lang.pick("Tên", "Name")) }
                    th { (lang.pick("Loại", "Kind")) } th {}
                } }
                tbody {
                    @if hamlets.is_empty() {
                        tr { td.empty colspan="4" { (lang.pick(
                            "Xã, phường này chưa có thôn, ấp nào. Hãy tải lên danh sách bên dưới.",
                            "This commune has no hamlets yet. Upload a list below.")) } }
                    }
                    @for h in hamlets {
                        tr {
                            td { code { (h.code) } } td { (h.name) } td { (h.division_type) }
                            td { a href={ "/admin/hamlets/" (segment(&h.code)) } { (lang.pick("Sửa", "Edit")) } }
                        }
                    }
                }
            }
        }
    }
}

#[derive(Deserialize)]
struct ExampleQuery {
    commune: Option<String>,
}

/// A small example file for the chosen commune (its code filled in), with a byte-order mark so
/// Excel opens it as UTF-8.
async fn example(Ctx { state, user }: Ctx, Query(q): Query<ExampleQuery>) -> PageResult {
    let code = run_as(&state, &user, move |sql, u| {
        let (_, communes) = scope(sql, u)?;
        match q.commune.filter(|c| !c.is_empty()) {
            Some(code) => Ok(chosen(&communes, &code)?.code.clone()),
            None => Ok(communes
                .first()
                .map_or("00000".to_owned(), |c| c.code.clone())),
        }
    })
    .await?;
    let text = format!(
        "\u{feff}{HEADER}\n{code}-01,Ấp Phú Hưng,ấp,{code}\n{code}-02,Ấp Phú Lợi,ấp,{code}\n{code}-KP1,Khu phố 1,khu phố,{code}\n"
    );
    let name = format!("thon-ap-{}.csv", segment(&code));
    Ok(attachment(
        text.into_bytes(),
        "text/csv; charset=utf-8",
        &name,
    ))
}

/// The page listing every problem of a file; nothing was stored.
fn problems_page(
    user: &User,
    commune: &Commune,
    errors: &[gocua_protocol::import::CsvRowError],
) -> Response {
    let lang = user.lang;
    let problems: Vec<Problem> = errors
        .iter()
        .map(|e| Problem {
            place: e.line.to_string(),
            column: &e.column,
            message: lang.pick_owned(e.message_vi.clone(), e.message_en.clone()),
        })
        .collect();
    let body = html! {
        p.muted { (commune_label(commune)) }
        (upload::problems_table(lang, (lang.pick("Dòng", "Line"), lang.pick("Cột", "Column")), &problems))
        p { (lang.pick("Tiêu đề cần có: ", "Expected header: ")) code.header { (HEADER) } }
        (upload::file_form(user, "/admin/hamlets/upload", ".csv,text/csv",
            &[("commune", commune.code.clone())],
            lang.pick("Tệp CSV đã sửa", "The corrected CSV file")))
        p { a href={ "/admin/hamlets?commune=" (segment(&commune.code)) } { (lang.pick("Quay lại danh sách thôn, ấp", "Back to the hamlets")) } }
    };
    upload::problems_page(
        user,
        ("Tệp thôn, ấp có lỗi", "The hamlet file has problems"),
        body,
    )
}

/// Checks the file; every problem is listed, or the checked rows are staged for the preview.
async fn upload(r: upload::Received) -> PageResult {
    let (state, user, form, text) = r.into_parts();
    let commune = form.field("commune").to_owned();
    let outcome = run_as(&state, &user, move |sql, u| {
        let (_, communes) = scope(sql, u)?;
        let c = chosen(&communes, &commune)?.clone();
        let allowed = codes(&communes);
        let scope = HamletScope::Communes {
            allowed: &allowed,
            chosen: Some(&c.code),
        };
        match admin::check_hamlet_file(sql, &text, scope) {
            Err(AdminError::Csv(errors)) => Ok(Err((c, errors))),
            Err(e) => Err(e.into()),
            Ok(rows) if rows.is_empty() => Err(WebError::refused(
                StatusCode::UNPROCESSABLE_ENTITY,
                "empty_file",
                "Tệp chỉ có dòng tiêu đề, không có thôn, ấp nào.",
                "The file has only its header line and no hamlets.",
            )),
            Ok(rows) => {
                let body = StagedHamlets {
                    commune: c.code.clone(),
                    hamlets: rows.into_iter().map(|r| r.hamlet).collect(),
                };
                let id = staged::stage(
                    sql,
                    u.account.id,
                    UploadKind::Hamlets,
                    &c.code,
                    &body,
                    Utc::now(),
                )?;
                Ok(Ok(id))
            }
        }
    })
    .await?;
    match outcome {
        Ok(id) => Ok(Redirect::to(&format!("/admin/hamlets/uploads/{id}")).into_response()),
        Err((c, errors)) => Ok(problems_page(&user, &c, &errors)),
    }
}

/// The preview: each row new, changed (old → new) or unchanged against what is stored now.
async fn preview(Ctx { state, user }: Ctx, Path(id): Path<Uuid>) -> PageResult {
    let lang = user.lang;
    let (commune, rows, used) = run_as(&state, &user, move |sql, u| {
        let (_, communes) = scope(sql, u)?;
        let s: staged::Staged<StagedHamlets> =
            staged::load(sql, id, u.account.id, UploadKind::Hamlets, Utc::now())?;
        let c = chosen(&communes, &s.body.commune)?.clone();
        let areas = admin::areas_by_code(sql)?;
        let rows: Vec<(Area, Option<Area>)> = s
            .body
            .hamlets
            .into_iter()
            .map(|h| {
                let before = areas.get(&h.code).cloned();
                (h, before)
            })
            .collect();
        Ok((c, rows, s.used))
    })
    .await?;
    let change = |h: &Area, before: &Option<Area>| match before {
        None => HamletChange::New,
        Some(b) if b == h => HamletChange::Unchanged,
        Some(_) => HamletChange::Changed,
    };
    let count = |k: HamletChange| rows.iter().filter(|(h, b)| change(h, b) == k).count();
    let (new, changed, same) = (
        count(HamletChange::New),
        count(HamletChange::Changed),
        count(HamletChange::Unchanged),
    );
    let body = html! {
        p.muted { (commune_label(&commune)) }
        p.summary { (lang.pick_owned(
            format!("{new} thôn, ấp mới · {changed} thôn, ấp sửa · {same} không đổi. Chưa lưu gì cho đến khi bạn bấm \"Xác nhận\"."),
            format!("{new} new · {changed} changed · {same} unchanged. Nothing is stored until you press \"Confirm\"."))) }
        div.tablewrap {
            table.preview {
                (layout::table_head(lang, &[
                    ("Thay đổi", "Change"),
                    ("Mã", "Code"),
                    ("Tên", "Name"),
                    ("Loại", "Kind"),
                ]))
                tbody {
                    @for (h, before) in &rows {
                        @let (key, label) = kind_label(lang, change(h, before));
                        tr data-change=(key) {
                            td { span class={ "tag " (key) } { (label) } }
                            td { code { (h.code) } }
                            td { (old_new(before.as_ref().map(|b| b.name.as_str()), &h.name)) }
                            td { (old_new(before.as_ref().map(|b| b.division_type.as_str()), &h.division_type)) }
                        }
                    }
                }
            }
        }
        (upload::confirm_form(&user, used,
            ("Tệp này đã được xác nhận và lưu.", "This upload was confirmed and stored."),
            &format!("/admin/hamlets/uploads/{id}/confirm"),
            &format!("/admin/hamlets?commune={}", segment(&commune.code))))
    };
    Ok(admin_page(
        &user,
        lang.pick("Xem trước danh sách thôn, ấp", "Hamlet list preview"),
        body,
    ))
}

/// "old → new" when a value changes, else the value.
pub fn old_new(before: Option<&str>, after: &str) -> Markup {
    html! {
        @match before {
            Some(b) if b != after => { del { (b) } " → " ins { (after) } }
            _ => { (after) }
        }
    }
}

/// Stores exactly the staged hamlets, once, in one transaction with the audit entry.
async fn confirm(p: Addressed<Form<CsrfForm>>) -> PageResult {
    let (state, user, id, _) = p.checked(|f| &f.csrf)?;
    let commune = run_as(&state, &user, move |sql, u| {
        let (_, communes) = scope(sql, u)?;
        let s: staged::Staged<StagedHamlets> =
            staged::take(sql, id, u.account.id, UploadKind::Hamlets, Utc::now())?;
        let c = chosen(&communes, &s.body.commune)?.clone();
        let areas = admin::areas_by_code(sql)?;
        let (mut new, mut changed) = (0u64, 0u64);
        for h in &s.body.hamlets {
            match areas.get(&h.code) {
                None => new += 1,
                Some(b) if b != h => changed += 1,
                Some(_) => {}
            }
        }
        let allowed = codes(&communes);
        admin::store_hamlets(
            sql,
            &s.body.hamlets,
            HamletScope::Communes {
                allowed: &allowed,
                chosen: Some(&c.code),
            },
        )?;
        audit::record_by(
            sql,
            &u.account,
            &c.name,
            &AuditEvent::HamletsImported {
                commune: c.code.clone(),
                new,
                changed,
            },
        )?;
        Ok(c.code)
    })
    .await?;
    Ok(Redirect::to(&format!(
        "/admin/hamlets?commune={}&notice=imported",
        segment(&commune)
    ))
    .into_response())
}

/// The hamlet `code` within the scope, and its commune.
fn hamlet_in_scope(
    sql: &mut dyn Sql,
    user: &User,
    code: &str,
) -> Result<(Area, Commune, HashSet<String>), WebError> {
    let (_, communes) = scope(sql, user)?;
    let allowed = codes(&communes);
    let hamlet = admin::load_hamlet(
        sql,
        code,
        HamletScope::Communes {
            allowed: &allowed,
            chosen: None,
        },
    )
    .map_err(|e| match e {
        AdminError::NotFound { .. } => WebError::NotInScope,
        e => e.into(),
    })?;
    let commune = chosen(&communes, hamlet.parent_code.as_deref().unwrap_or(""))?.clone();
    Ok((hamlet, commune, allowed))
}

fn edit_page(
    user: &User,
    hamlet: &Area,
    commune: &Commune,
    values: (&str, &str),
    error: Option<&WebError>,
) -> Markup {
    let lang = user.lang;
    let body = html! {
        p.muted { (commune_label(commune)) " · " code { (hamlet.code) } }
        @if let Some(e) = error {
            p.error role="alert" data-code=(e.code()) { (e.message(lang)) }
        }
        form.stack.card method="post" action={ "/admin/hamlets/" (segment(&hamlet.code)) } {
            (layout::csrf_field(user))
            label { (lang.pick("Tên", "Name"))
                input type="text" name="name" value=(values.0) required maxlength="120"; }
            label { (lang.pick("Loại (thôn, ấp, bản, tổ dân phố, khu phố…)", "Kind (thôn, ấp, bản, tổ dân phố, khu phố…)"))
                input type="text" name="division_type" value=(values.1) required maxlength="40" list="hamlet-kinds"; }
            datalist id="hamlet-kinds" {
                @for k in ["thôn", "ấp", "bản", "buôn", "sóc", "tổ dân phố", "khu phố", "khóm"] { option value=(k) {} }
            }
            button.primary type="submit" { (lang.pick("Lưu", "Save")) }
        }
        p { a href={ "/admin/hamlets?commune=" (segment(&commune.code)) } { (lang.pick("Quay lại danh sách thôn, ấp", "Back to the hamlets")) } }
    };
    layout::page(
        user,
        Nav::Admin,
        &format!(
            "{} – {}",
            lang.pick("Sửa thôn, ấp", "Edit hamlet"),
            hamlet.name
        ),
        body,
    )
}

async fn edit_form(Ctx { state, user }: Ctx, Path(code): Path<String>) -> PageResult {
    let (hamlet, commune, _) =
        run_as(&state, &user, move |sql, u| hamlet_in_scope(sql, u, &code)).await?;
    let values = (hamlet.name.as_str(), hamlet.division_type.as_str());
    Ok(html(edit_page(&user, &hamlet, &commune, values, None)))
}

#[derive(Deserialize)]
struct EditForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    division_type: String,
}

async fn edit_save(p: Addressed<Form<EditForm>, String>) -> PageResult {
    let (state, user, code, f) = p.checked(|f| &f.csrf)?;
    let lang = user.lang;
    let u = user.clone();
    let (name, kind) = (f.name.clone(), f.division_type.clone());
    let outcome = db_run(&state, lang, move |sql| {
        let (hamlet, commune, allowed) = hamlet_in_scope(sql, &u, &code)?;
        let scope = HamletScope::Communes {
            allowed: &allowed,
            chosen: None,
        };
        match admin::edit_hamlet(sql, &code, &name, &kind, scope) {
            Ok((before, after)) => {
                if before != after {
                    audit::record_by(
                        sql,
                        &u.account,
                        &after.name,
                        &AuditEvent::HamletEdited {
                            code: after.code.clone(),
                            name: after.name.clone(),
                            division_type: after.division_type.clone(),
                        },
                    )?;
                }
                Ok(Ok(commune.code))
            }
            Err(e @ AdminError::Invalid { .. }) => Ok(Err((hamlet, commune, WebError::from(e)))),
            Err(e) => Err(e.into()),
        }
    })
    .await?;
    match outcome {
        Ok(commune) => Ok(Redirect::to(&format!(
            "/admin/hamlets?commune={}&notice=edited",
            segment(&commune)
        ))
        .into_response()),
        Err((hamlet, commune, e)) => {
            let page = edit_page(
                &user,
                &hamlet,
                &commune,
                (&f.name, &f.division_type),
                Some(&e),
            );
            Ok((e.status(), html(page)).into_response())
        }
    }
}
