//! Campaigns in the browser (`Task::Campaigns`: accounts of the top unit only, since campaigns
//! are shared by the whole server): the list with each campaign's status today, creating one and
//! editing one — name, legal reference, dates, peak windows, report deadline. The rules are
//! `domain::coordination::campaigns` (`check_campaign`, `edit_campaign`), which
//! `gocua admin create-campaign | edit-campaign` run too.

mod form;

use std::sync::Arc;

use axum::routing::get;
use axum::Router;
use maud::html;

use super::Access;
use crate::db::Sql;
use crate::domain::calendar;
use crate::domain::coordination::permission::Task;
use crate::domain::coordination::{list_campaigns, CampaignStatus};
use crate::web::error::PageResult;
use crate::web::error::WebError;
use crate::web::extract::Ctx;
use crate::web::i18n::{self, Lang};
use crate::web::layout;
use crate::web::pages::admin::{admin_page, run_as};
use crate::web::session::User;
use crate::web::state::WebState;

pub fn router() -> Router<Arc<WebState>> {
    Router::new()
        .route("/admin/campaigns", get(list))
        .route(
            "/admin/campaigns/new",
            get(form::new_form).post(form::create),
        )
        .route(
            "/admin/campaigns/{id}",
            get(form::edit_form).post(form::save),
        )
}

/// The user's access for campaigns, or the `forbidden` refusal.
fn access(sql: &mut dyn Sql, user: &User) -> Result<Access, WebError> {
    Access::for_task(sql, user, Task::Campaigns)
}

fn status_label(lang: Lang, s: CampaignStatus) -> &'static str {
    match s {
        CampaignStatus::Upcoming => lang.pick("Sắp diễn ra", "Upcoming"),
        CampaignStatus::Running => lang.pick("Đang diễn ra", "Running"),
        CampaignStatus::Ended => lang.pick("Đã kết thúc", "Ended"),
    }
}

async fn list(Ctx { state, user }: Ctx) -> PageResult {
    let lang = user.lang;
    let mut campaigns = run_as(&state, &user, move |sql, u| {
        access(sql, u)?;
        Ok(list_campaigns(sql)?)
    })
    .await?;
    // Latest first: the one being run is at the top.
    campaigns.reverse();
    let today = calendar::today();
    let body = html! {
        p.actions { a.button href="/admin/campaigns/new" { (lang.pick("Tạo kế hoạch", "Create a campaign")) } }
        p.muted { (lang.pick(
            "Kế hoạch dùng chung cho toàn tỉnh: điện thoại của các đội nhận thay đổi ở lần đồng bộ sau. Đổi thời gian thì tiến độ của kế hoạch được tính lại theo thời gian mới.",
            "Campaigns are shared by the whole province: the teams' phones get changes at their next sync. Changing the dates recounts the campaign's progress for the new dates.")) }
        div.tablewrap {
            table.campaigns {
                (layout::table_head(lang, &[
                    ("Kế hoạch", "Campaign"),
                    ("Số kế hoạch", "Reference"),
                    ("Thời gian", "Dates"),
                    ("Hạn báo cáo", "Report due"),
                    ("Tình trạng", "Status"),
                ]))
                tbody {
                    @if campaigns.is_empty() {
                        tr { td.empty colspan="5" { (lang.pick(
                            "Chưa có kế hoạch nào. Bấm \"Tạo kế hoạch\" để nhập kế hoạch của Tỉnh Đoàn; sau đó giao chỉ tiêu cho các đội.",
                            "No campaigns yet. Press \"Create a campaign\" to enter the province's plan; then set the teams' targets.")) } }
                    }
                    @for c in &campaigns {
                        @let status = CampaignStatus::of(c, today);
                        tr data-campaign=(c.id) {
                            td { a href={ "/admin/campaigns/" (c.id) } { (c.name) } }
                            td.nowrap { (c.legal_reference) }
                            td.nowrap { (i18n::date(c.starts_on)) " – " (i18n::date(c.ends_on)) }
                            td.nowrap { (i18n::date(c.report_deadline)) }
                            td { span class={ "status " (status.code()) } data-status=(status.code()) { (status_label(lang, status)) } }
                        }
                    }
                }
            }
        }
    };
    Ok(admin_page(&user, lang.pick("Kế hoạch", "Campaigns"), body))
}
