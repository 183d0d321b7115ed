//! Administration in the browser: what `gocua admin` does for units, teams, members, accounts,
//! campaigns, hamlets, the service catalogue and targets, each page limited to the signed-in
//! account's subtree (`web::scope`) and to what its role may do (`domain::coordination::permission`),
//! through the same domain services as the CLI. One file per section; this one holds the index
//! page, the access check every section starts with, and the router merging the sections.

pub mod accounts;
pub mod campaigns;
pub mod form;
pub mod guide;
pub mod hamlets;
pub mod services;
pub mod target_sheet;
pub mod teams;
pub mod units;
pub mod upload;

use std::sync::Arc;

use axum::extract::Query;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use maud::{html, Markup};
use uuid::Uuid;

use super::html;
use crate::db::Sql;
use crate::domain::accounts::Role;
use crate::domain::coordination::permission::{self, Task};
use crate::web::error::PageResult;
use crate::web::error::WebError;
use crate::web::extract::Ctx;
use crate::web::layout::{self, Nav};
use crate::web::scope::OrgTree;
use crate::web::session::User;
use crate::web::state::{db_run, WebState};

/// The administration routes, merged into the dashboard's router.
pub fn router() -> Router<Arc<WebState>> {
    Router::new()
        .route("/admin", get(index))
        .merge(hamlets::router())
        .merge(services::router())
        .merge(guide::router())
        .merge(target_sheet::router())
        .merge(units::router())
        .merge(accounts::router())
        .merge(campaigns::router())
        .merge(teams::router())
}

/// Who is acting, where, and the organisation tree their ids are checked against.
pub struct Access {
    pub role: Role,
    pub unit: Uuid,
    /// The account's unit has no parent: shared things (campaigns, catalogue) are its to change.
    pub at_top: bool,
    pub tree: OrgTree,
}

impl Access {
    pub fn load(sql: &mut dyn Sql, user: &User) -> Result<Access, WebError> {
        let tree = OrgTree::load(sql)?;
        let unit = user.account.org_unit_id;
        let at_top = tree.units.get(&unit).is_some_and(|u| u.parent_id.is_none());
        Ok(Access {
            role: user.account.role,
            unit,
            at_top,
            tree,
        })
    }

    /// The access of an account that may do `task` (else `forbidden`).
    pub fn for_task(sql: &mut dyn Sql, user: &User, task: Task) -> Result<Access, WebError> {
        let access = Access::load(sql, user)?;
        access.require(task)?;
        Ok(access)
    }

    pub fn may(&self, task: Task) -> bool {
        permission::may(self.role, self.at_top, task)
    }

    /// Refuses a task the role may not do (the same answer on every page: `forbidden`).
    pub fn require(&self, task: Task) -> Result<(), WebError> {
        if self.may(task) {
            Ok(())
        } else {
            Err(WebError::Forbidden)
        }
    }
}

/// Runs `f` in one transaction for the signed-in user; a refusal becomes its error page.
pub async fn run_as<T: Send + 'static>(
    state: &Arc<WebState>,
    user: &User,
    f: impl FnOnce(&mut dyn Sql, &User) -> Result<T, WebError> + Send + 'static,
) -> Result<T, Response> {
    let u = user.clone();
    db_run(state, user.lang, move |sql| f(sql, &u)).await
}

/// An administration page: `body` in the layout, under the Administration tab.
pub fn admin_page(user: &User, title: &str, body: Markup) -> Response {
    html(layout::page(user, Nav::Admin, title, body))
}

/// One section of the index: its task, address, title and what it is for.
struct Section {
    task: Task,
    href: &'static str,
    title: (&'static str, &'static str),
    about: (&'static str, &'static str),
}

const SECTIONS: &[Section] = &[
    Section {
        task: Task::Units,
        href: "/admin/units",
        title: ("Đơn vị Đoàn", "Youth Union units"),
        about: (
            "Tạo, đổi tên, chuyển, ngừng hoạt động các đơn vị cấp dưới.",
            "Create, rename, move and deactivate the units below yours.",
        ),
    },
    Section {
        task: Task::Teams,
        href: "/admin/teams",
        title: ("Đội và đội viên", "Teams and members"),
        about: (
            "Đội, địa bàn hoạt động, đội trưởng, đội viên và mã đăng ký điện thoại.",
            "Teams, the areas they work in, leaders, members and phone enrolment codes.",
        ),
    },
    Section {
        task: Task::Accounts,
        href: "/admin/accounts",
        title: ("Tài khoản cán bộ", "Coordinator accounts"),
        about: (
            "Tạo tài khoản cho cán bộ đơn vị cấp dưới, đặt lại mật khẩu, khoá, ngừng.",
            "Accounts for the units below yours: create, reset passwords, lock, deactivate.",
        ),
    },
    Section {
        task: Task::Campaigns,
        href: "/admin/campaigns",
        title: ("Kế hoạch", "Campaigns"),
        about: (
            "Tên, số kế hoạch, thời gian, đợt cao điểm, hạn báo cáo.",
            "Name, legal reference, dates, peak windows, report deadline.",
        ),
    },
    Section {
        task: Task::Targets,
        href: "/admin/targets",
        title: ("Chỉ tiêu theo bảng", "Targets by sheet"),
        about: (
            "Tải bảng chỉ tiêu Excel, điền và tải lên lại, xem trước thay đổi.",
            "Download the targets as Excel, fill them in, upload them back with a preview.",
        ),
    },
    Section {
        task: Task::Hamlets,
        href: "/admin/hamlets",
        title: ("Thôn, ấp, khu phố", "Hamlets"),
        about: (
            "Tải danh sách thôn, ấp của xã (CSV), sửa từng thôn.",
            "Upload a commune's hamlets (CSV), edit one by hand.",
        ),
    },
    Section {
        task: Task::Catalogue,
        href: "/admin/services",
        title: ("Danh mục dịch vụ", "Service catalogue"),
        about: (
            "Tên, mã thủ tục (đã kiểm tra), mức độ, đang dùng.",
            "Names, procedure codes (checked), levels, in use.",
        ),
    },
];

/// `?done=` after a redirect: which notice an administration page shows (a code, never text
/// from the URL).
#[derive(serde::Deserialize, Default)]
pub struct DoneQuery {
    pub done: Option<String>,
}

async fn index(Ctx { state, user }: Ctx, Query(q): Query<DoneQuery>) -> PageResult {
    let lang = user.lang;
    let access = run_as(&state, &user, move |sql, u| Access::load(sql, u)).await?;
    let open: Vec<&Section> = SECTIONS.iter().filter(|s| access.may(s.task)).collect();
    if open.is_empty() {
        return Err(WebError::Forbidden.into_page(lang));
    }
    let notice = (q.done.as_deref() == Some("setup")).then(|| {
        lang.pick(
            "Đã thiết lập xong: tài khoản của bạn, đơn vị cấp cao nhất, danh mục địa bàn và danh mục dịch vụ. Bước tiếp theo: tạo các đơn vị cấp dưới, đội và kế hoạch.",
            "Set-up done: your account, the top unit, the area list and the service catalogue. Next: create the units below, teams and a campaign.",
        )
    });
    let body = html! {
        @if let Some(n) = notice { (layout::notice(n)) }
        ul.cards {
            @for s in &open {
                li.card {
                    h2 { a href=(s.href) { (lang.pick(s.title.0, s.title.1)) } }
                    p.muted { (lang.pick(s.about.0, s.about.1)) }
                }
            }
        }
    };
    Ok(admin_page(
        &user,
        lang.pick("Quản trị", "Administration"),
        body,
    ))
}
