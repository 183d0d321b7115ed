//! `GET/POST /admin/campaigns/new` and `GET/POST /admin/campaigns/{id}`: one form for creating and
//! editing a campaign. Dates come from `<input type=date>` (YYYY-MM-DD) or typed as DD/MM/YYYY
//! (both read by `parse_date`). Peak windows are rows of name + from + to without JavaScript:
//! the campaign's rows plus two empty ones; empty rows are ignored.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::NaiveDate;
use gocua_protocol::{Campaign, PeakWindow};
use maud::{html, Markup};
use uuid::Uuid;

use super::{access, status_label};
use crate::db::Sql;
use crate::domain::audit::{self, AuditEvent};
use crate::domain::calendar;
use crate::domain::coordination::{
    create_campaign, edit_campaign, load_campaign, parse_date, AdminError, AdminResult,
    CampaignEdit, CampaignStatus, NewCampaign, MAX_NAME_CHARS, MAX_REFERENCE_CHARS,
};
use crate::web::error::PageResult;
use crate::web::error::WebError;
use crate::web::extract::Addressed;
use crate::web::extract::Ctx;
use crate::web::i18n::Lang;
use crate::web::layout::{self, Nav};
use crate::web::pages::admin::run_as;
use crate::web::pages::admin::DoneQuery;
use crate::web::pages::html;
use crate::web::session::User;
use crate::web::state::WebState;

/// Empty peak-window rows offered besides the campaign's own.
const EMPTY_PEAK_ROWS: usize = 2;
/// The most peak-window rows a form is read for.
const MAX_PEAK_ROWS: usize = 24;

/// The form's values as typed (shown again with a refusal).
#[derive(Debug, Clone, Default)]
struct Values {
    name: String,
    reference: String,
    from: String,
    to: String,
    deadline: String,
    peaks: Vec<[String; 3]>,
}

/// The form's values, read.
struct Parsed {
    name: String,
    reference: String,
    from: NaiveDate,
    to: NaiveDate,
    deadline: NaiveDate,
    peaks: Vec<PeakWindow>,
}

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn date(what: (&str, &str), raw: &str) -> AdminResult<NaiveDate> {
    parse_date(what.0, what.1, raw).map_err(|e| e.with_code("bad_date"))
}

impl Values {
    fn of(c: &Campaign) -> Values {
        Values {
            name: c.name.clone(),
            reference: c.legal_reference.clone(),
            from: day(c.starts_on),
            to: day(c.ends_on),
            deadline: day(c.report_deadline),
            peaks: c
                .peak_windows
                .iter()
                .map(|w| [w.name.clone(), day(w.starts_on), day(w.ends_on)])
                .collect(),
        }
    }

    fn read(fields: &HashMap<String, String>) -> Values {
        let get = |k: &str| fields.get(k).map_or("", |v| v.trim()).to_owned();
        let peaks = (0..MAX_PEAK_ROWS)
            .map(|i| {
                [
                    get(&format!("peak_name_{i}")),
                    get(&format!("peak_from_{i}")),
                    get(&format!("peak_to_{i}")),
                ]
            })
            .filter(|row| row.iter().any(|v| !v.is_empty()))
            .collect();
        Values {
            name: get("name"),
            reference: get("reference"),
            from: get("from"),
            to: get("to"),
            deadline: get("deadline"),
            peaks,
        }
    }

    fn parse(&self) -> AdminResult<Parsed> {
        let mut peaks = Vec::new();
        for (i, [name, from, to]) in self.peaks.iter().enumerate() {
            if name.is_empty() || from.is_empty() || to.is_empty() {
                return Err(AdminError::refused(
                    "bad_peak_window",
                    format!("Đợt cao điểm thứ {} cần đủ tên, ngày bắt đầu và ngày kết thúc (hoặc để trống cả dòng).", i + 1),
                    format!("Peak window {} needs a name, a start and an end (or leave the whole row empty).", i + 1),
                ));
            }
            peaks.push(PeakWindow {
                name: name.clone(),
                starts_on: date(("bắt đầu đợt cao điểm", "peak start"), from)?,
                ends_on: date(("kết thúc đợt cao điểm", "peak end"), to)?,
            });
        }
        Ok(Parsed {
            name: self.name.clone(),
            reference: self.reference.clone(),
            from: date(("bắt đầu", "start"), &self.from)?,
            to: date(("kết thúc", "end"), &self.to)?,
            deadline: date(("hạn báo cáo", "report deadline"), &self.deadline)?,
            peaks,
        })
    }
}

/// The campaign form; `id` is the campaign being edited (none: a new one).
fn form_page(
    user: &User,
    id: Option<Uuid>,
    current: Option<&Campaign>,
    v: &Values,
    notice: Option<Markup>,
    error: Option<&WebError>,
) -> Markup {
    let lang = user.lang;
    let action = id.map_or("/admin/campaigns/new".to_owned(), |id| {
        format!("/admin/campaigns/{id}")
    });
    let rows = v.peaks.len() + EMPTY_PEAK_ROWS;
    let body = html! {
        @if let Some(n) = notice { (n) }
        @if let Some(e) = error { p.error role="alert" data-code=(e.code()) { (e.message(lang)) } }
        @if let Some(c) = current {
            @let status = CampaignStatus::of(c, calendar::today());
            p.muted { (lang.pick("Tình trạng hôm nay: ", "Status today: "))
                span class={ "status " (status.code()) } data-status=(status.code()) { (status_label(lang, status)) } }
        }
        form.stack.card.campaign method="post" action=(action) {
            (layout::csrf_field(user))
            label { (lang.pick("Tên kế hoạch", "Campaign name"))
                input name="name" required maxlength=(MAX_NAME_CHARS) value=(v.name); }
            label { (lang.pick("Số kế hoạch (văn bản)", "Legal reference"))
                input name="reference" maxlength=(MAX_REFERENCE_CHARS) placeholder="241-KH/TĐTN-TCKT" value=(v.reference); }
            div.dates {
                label { (lang.pick("Từ ngày", "From"))
                    input name="from" type="date" required value=(v.from); }
                label { (lang.pick("Đến ngày", "To"))
                    input name="to" type="date" required value=(v.to); }
                label { (lang.pick("Hạn báo cáo", "Report deadline"))
                    input name="deadline" type="date" required value=(v.deadline); }
            }
            fieldset.peaks {
                legend { (lang.pick("Đợt cao điểm", "Peak windows")) }
                p.muted { (lang.pick(
                    "Mỗi dòng một đợt, nằm trong thời gian của kế hoạch. Dòng để trống được bỏ qua; xoá hết chữ trong một dòng để bỏ đợt đó.",
                    "One window per row, within the campaign's dates. Empty rows are ignored; clear a row to remove that window.")) }
                @for i in 0..rows {
                    @let row = v.peaks.get(i);
                    div.peak {
                        label { (lang.pick("Tên đợt", "Name"))
                            input name={ "peak_name_" (i) } maxlength=(MAX_NAME_CHARS) value=[row.map(|r| &r[0])]; }
                        label { (lang.pick("Từ ngày", "From"))
                            input name={ "peak_from_" (i) } type="date" value=[row.map(|r| &r[1])]; }
                        label { (lang.pick("Đến ngày", "To"))
                            input name={ "peak_to_" (i) } type="date" value=[row.map(|r| &r[2])]; }
                    }
                }
            }
            @if id.is_some() {
                p.muted { (lang.pick(
                    "Đổi thời gian: tiến độ của kế hoạch được tính lại theo thời gian mới; chỉ tiêu giao cho cả kế hoạch đổi theo. Chỉ tiêu có thời gian riêng mà nằm ngoài thời gian mới thì phải sửa trước.",
                    "New dates: the campaign's progress is recounted for them; targets set for the whole campaign follow. Targets with dates of their own that would fall outside must be changed first.")) }
            }
            button.primary type="submit" { (match id {
                Some(_) => lang.pick("Lưu thay đổi", "Save the changes"),
                None => lang.pick("Tạo kế hoạch", "Create the campaign"),
            }) }
        }
        p { a href="/admin/campaigns" { (lang.pick("Về danh sách kế hoạch", "Back to the campaigns")) } }
    };
    let title = match current {
        Some(c) => format!("{} – {}", lang.pick("Kế hoạch", "Campaign"), c.name),
        None => lang.pick("Tạo kế hoạch", "Create a campaign").to_owned(),
    };
    layout::page(user, Nav::Admin, &title, body)
}

pub async fn new_form(Ctx { state, user }: Ctx) -> PageResult {
    run_as(&state, &user, move |sql, u| access(sql, u).map(|_| ())).await?;
    Ok(html(form_page(
        &user,
        None,
        None,
        &Values::default(),
        None,
        None,
    )))
}

fn done_notice(lang: Lang, done: &str) -> Option<Markup> {
    let text = match done {
        "created" => lang.pick(
            "Đã tạo kế hoạch. Điện thoại của các đội nhận kế hoạch ở lần đồng bộ sau.",
            "The campaign was created. The teams' phones get it at their next sync.",
        ),
        "saved" => lang.pick(
            "Đã lưu. Điện thoại của các đội nhận thay đổi ở lần đồng bộ sau.",
            "Saved. The teams' phones get the change at their next sync.",
        ),
        "recounted" => lang.pick(
            "Đã lưu thời gian mới và tính lại tiến độ của kế hoạch theo thời gian đó.",
            "The new dates are saved and the campaign's progress was recounted for them.",
        ),
        "unchanged" => lang.pick("Không có gì thay đổi.", "Nothing changed."),
        _ => return None,
    };
    Some(html! { p.notice role="status" data-done=(done) { (text) } })
}

pub async fn edit_form(p: Addressed<Query<DoneQuery>>) -> PageResult {
    let (state, user, id, Query(q)) = p.into_parts();
    let lang = user.lang;
    let campaign = run_as(&state, &user, move |sql, u| {
        access(sql, u)?;
        Ok(load_campaign(sql, id)?)
    })
    .await?;
    let notice = q.done.as_deref().and_then(|d| done_notice(lang, d));
    Ok(html(form_page(
        &user,
        Some(id),
        Some(&campaign),
        &Values::of(&campaign),
        notice,
        None,
    )))
}

/// A refusal shown on the form itself (422), or an error page for the rest.
fn refused(
    user: &User,
    id: Option<Uuid>,
    current: Option<&Campaign>,
    v: &Values,
    e: WebError,
) -> Response {
    match e {
        WebError::Admin(AdminError::Refused { .. } | AdminError::Invalid { .. }) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            html(form_page(user, id, current, v, None, Some(&e))),
        )
            .into_response(),
        other => other.into_page(user.lang),
    }
}

/// The values of a posted campaign form, once its CSRF token is checked.
fn posted(user: &User, fields: &HashMap<String, String>) -> Result<Values, WebError> {
    user.check_csrf(fields.get("csrf").map_or("", String::as_str))?;
    Ok(Values::read(fields))
}

/// Runs `f` in one transaction on a copy of the form's values `v`, for an account that may
/// manage campaigns.
async fn with_values<T: Send + 'static>(
    state: &Arc<WebState>,
    user: &User,
    v: &Values,
    f: impl FnOnce(&mut dyn Sql, &User, Values) -> Result<T, WebError> + Send + 'static,
) -> Result<T, WebError> {
    let (u, values) = (user.clone(), v.clone());
    state
        .db
        .run(move |sql: &mut dyn Sql| {
            access(sql, &u)?;
            f(sql, &u, values)
        })
        .await
}

pub async fn create(
    Ctx { state, user }: Ctx,
    Form(fields): Form<HashMap<String, String>>,
) -> PageResult {
    let v = posted(&user, &fields).map_err(|e| e.into_page(user.lang))?;
    let made = with_values(&state, &user, &v, |sql, u, values| {
        let p = values.parse()?;
        let campaign = create_campaign(
            sql,
            &NewCampaign {
                id: None,
                name: p.name,
                legal_reference: p.reference,
                starts_on: p.from,
                ends_on: p.to,
                report_deadline: p.deadline,
                peak_windows: p.peaks,
            },
        )?;
        audit::record_by(
            sql,
            &u.account,
            &campaign.name,
            &AuditEvent::CampaignCreated {
                from: campaign.starts_on,
                to: campaign.ends_on,
                via: "dashboard".into(),
            },
        )?;
        Ok(campaign)
    })
    .await;
    match made {
        Ok(c) => {
            Ok(Redirect::to(&format!("/admin/campaigns/{}?done=created", c.id)).into_response())
        }
        Err(e) => Err(refused(&user, None, None, &v, e)),
    }
}

pub async fn save(p: Addressed<Form<HashMap<String, String>>>) -> PageResult {
    let (state, user, id, Form(fields)) = p.into_parts();
    let v = posted(&user, &fields).map_err(|e| e.into_page(user.lang))?;
    let outcome = with_values(&state, &user, &v, move |sql, u, values| {
        let current = load_campaign(sql, id)?;
        let edited = values.parse().and_then(|p| {
            edit_campaign(
                sql,
                id,
                &CampaignEdit {
                    name: Some(p.name),
                    legal_reference: Some(p.reference),
                    starts_on: Some(p.from),
                    ends_on: Some(p.to),
                    report_deadline: Some(p.deadline),
                    peak_windows: Some(p.peaks),
                },
            )
        });
        let edited = match edited {
            Ok(e) => e,
            // The refusal goes back to the form with the campaign as it still is.
            Err(AdminError::Db(e)) => return Err(e.into()),
            Err(e) => return Ok(Err((current, WebError::from(e)))),
        };
        if !edited.changed.is_empty() {
            audit::record_by(
                sql,
                &u.account,
                &edited.campaign.name,
                &AuditEvent::CampaignEdited {
                    changed: edited.changed.iter().map(|c| (*c).to_owned()).collect(),
                    targets_moved: edited.targets_moved,
                    via: "dashboard".into(),
                },
            )?;
        }
        Ok(Ok(edited))
    })
    .await
    .map_err(|e| e.into_page(user.lang))?;
    match outcome {
        Err((current, e)) => Err(refused(&user, Some(id), Some(&current), &v, e)),
        Ok(edited) => {
            let done = if edited.changed.is_empty() {
                "unchanged"
            } else if edited.changed.contains(&"dates") {
                "recounted"
            } else {
                "saved"
            };
            Ok(Redirect::to(&format!("/admin/campaigns/{id}?done={done}")).into_response())
        }
    }
}
