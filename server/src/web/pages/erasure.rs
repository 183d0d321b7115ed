//! Erasing a household's personal data when the person asks a coordinator (at the commune office,
//! by phone) rather than the volunteer: a confirmation page, then the same erasure a phone's
//! request makes (`domain::erasure`). Coordinators and administrators of the household's unit or
//! above may do it; it is written to the audit log, and export files made before are deleted.

use std::sync::Arc;

use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::Utc;
use gocua_protocol::Household;
use maud::html;
use serde::Deserialize;
use uuid::Uuid;

use super::html;
use crate::domain::audit::{self, AuditEvent};
use crate::domain::erasure::{self, erasure_count, Erasure};
use crate::params;
use crate::web::error::PageResult;
use crate::web::error::WebError;
use crate::web::extract::Addressed;
use crate::web::extract::Ctx;
use crate::web::layout::{self, Nav};
use crate::web::scope::OrgTree;
use crate::web::session::User;
use crate::web::state::db_run;

#[derive(Deserialize)]
pub struct EraseForm {
    csrf: String,
    /// The confirmation box: "yes" when ticked.
    #[serde(default)]
    confirm: String,
}

/// The household, if it is in the user's scope (404 `not_in_scope` otherwise, as every page).
fn household_in_scope(
    sql: &mut dyn crate::db::Sql,
    user: &User,
    id: Uuid,
) -> Result<(Household, String), WebError> {
    let Some(row) = sql.query_one(
        "SELECT body, team_id FROM households WHERE id = ?",
        params![id],
    )?
    else {
        return Err(WebError::NotInScope);
    };
    let tree = OrgTree::load(sql)?;
    let team = tree
        .team_in_scope(row.uuid(1)?, user.account.org_unit_id)?
        .name
        .clone();
    Ok((row.json(0)?, team))
}

#[allow(clippy::result_large_err)] // handlers return the error page itself
fn may_erase(user: &User) -> Result<(), Response> {
    if user.account.role.can_edit() && user.account.role.sees_personal_data() {
        Ok(())
    } else {
        Err(WebError::Forbidden.into_page(user.lang))
    }
}

/// The confirmation page.
pub async fn confirm(Ctx { state, user }: Ctx, Path(id): Path<Uuid>) -> PageResult {
    let lang = user.lang;
    may_erase(&user)?;
    let u = user.clone();
    let (h, team) = db_run(&state, lang, move |sql| household_in_scope(sql, &u, id)).await?;
    let body = html! {
        div.card {
            p { strong { (super::households::head_name(&user, &h)) } }
            @if !h.erased {
                p { (h.address_line) }
                @if let Some(p) = &h.phone { p { (lang.pick("Điện thoại: ", "Phone: ")) (p) } }
            }
            p.muted { (team) }
        }
        @if h.erased {
            p.notice role="status" data-state="erased" { (lang.pick(
                "Thông tin cá nhân của hộ này đã được xoá.",
                "This household's personal data has already been erased.")) }
        } @else {
            p { (lang.pick(
                "Khi người dân yêu cầu, xoá vĩnh viễn họ tên, địa chỉ, số điện thoại và sự đồng ý của hộ; ghi chú, vị trí GPS và mã hồ sơ của các lượt đến hộ; nội dung các ý kiến ghi trong các lượt đó. Số liệu không tên (địa bàn, số nhân khẩu, số lượt đến) được giữ để tiến độ không sai. Không hoàn tác được.",
                "At the person's request, permanently erases the household's name, address, phone number and consent; the notes, GPS positions and dossier codes of its visits; and the text of feedback given during them. Anonymous figures (area, members, number of visits) stay so progress stays right. This cannot be undone.")) }
            p.muted { (lang.pick(
                "Điện thoại của đội không tải hộ về từ máy chủ: hãy báo đội viên xoá hộ này trên điện thoại của mình nữa.",
                "The team's phones do not download households from the server: ask the volunteer to erase this household on their phone too.")) }
            form method="post" action={ "/households/" (id) "/erase" } {
                (layout::csrf_field(&user))
                label { input type="checkbox" name="confirm" value="yes" required; " "
                    (lang.pick("Người dân đã yêu cầu xoá thông tin cá nhân của hộ này", "The person asked for this household's personal data to be erased")) }
                p { button.danger type="submit" { (lang.pick("Xoá thông tin cá nhân", "Erase personal data")) } }
            }
        }
        p { a href={ "/households/" (id) } { (lang.pick("Quay lại", "Back")) } }
    };
    Ok(html(layout::page(
        &user,
        Nav::Households,
        lang.pick(
            "Xoá thông tin cá nhân của hộ",
            "Erase a household's personal data",
        ),
        body,
    )))
}

/// Erases, audits, deletes export files made before, and shows the household.
pub async fn erase(p: Addressed<Form<EraseForm>>) -> PageResult {
    let (state, user, id, f) = p.checked(|f| &f.csrf)?;
    let lang = user.lang;
    may_erase(&user)?;
    if f.confirm != "yes" {
        return Err(WebError::bad_input(
            "Hãy đánh dấu ô xác nhận rằng người dân đã yêu cầu xoá, rồi bấm lại.",
            "Tick the box confirming the person asked for the erasure, then press again.",
        )
        .into_page(lang));
    }
    let u = user.clone();
    let erasures = db_run(&state, lang, move |sql| {
        household_in_scope(sql, &u, id)?;
        let outcome = erasure::erase_household(sql, id, Utc::now())?.ok_or(WebError::NotInScope)?;
        if let Erasure::Done { erased, .. } = outcome {
            audit::record_by(
                sql,
                &u.account,
                &id.to_string(),
                &AuditEvent::HouseholdErased {
                    via: "dashboard".into(),
                    visits: erased.visits,
                    feedback: erased.feedback,
                },
            )?;
        }
        Ok(erasure_count(sql)?)
    })
    .await?;
    // Files exported before hold the name: they go now, not at the janitor's next round.
    let exports = Arc::clone(&state);
    let _ = tokio::task::spawn_blocking(move || exports.exports.sweep(Some(erasures))).await;
    Ok(Redirect::to(&format!("/households/{id}")).into_response())
}
