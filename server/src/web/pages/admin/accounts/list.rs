//! `GET /admin/accounts`: the accounts at the units of the user's subtree, with their status.

use chrono::Utc;
use maud::html;

use super::{access, status_badge, unit_path, Reach};
use crate::domain::accounts::{list_account_entries, AccountStatus};
use crate::web::error::PageResult;
use crate::web::extract::Ctx;
use crate::web::layout;
use crate::web::pages::admin::{admin_page, run_as};

pub async fn page(Ctx { state, user }: Ctx) -> PageResult {
    let lang = user.lang;
    let rows = run_as(&state, &user, move |sql, u| {
        let access = access(sql, u)?;
        let mut rows = Vec::new();
        for e in list_account_entries(sql, Utc::now())? {
            if !access.tree.unit_within(e.account.org_unit_id, access.unit) {
                continue;
            }
            let reach = access.reach(u, &e);
            let unit = unit_path(&access.tree, e.account.org_unit_id, access.unit);
            rows.push((e, unit, reach));
        }
        // Deactivated accounts last, the rest by username (as read).
        rows.sort_by_key(|(e, _, _)| matches!(e.status, AccountStatus::Deactivated { .. }));
        Ok(rows)
    })
    .await?;
    let body = html! {
        p.actions {
            a.button href="/admin/accounts/new" { (lang.pick("Tạo tài khoản", "Create an account")) }
            " "
            a href="/account/password" { (lang.pick("Đổi mật khẩu của tôi", "Change my password")) }
        }
        p.muted { (lang.pick(
            "Các tài khoản ở đơn vị của bạn và các đơn vị cấp dưới. Bạn chỉ quản lý được tài khoản có vai trò không cao hơn vai trò của mình; cán bộ điều phối chỉ quản lý tài khoản ở đơn vị cấp dưới.",
            "The accounts at your unit and the units below it. You manage only accounts whose role is not above yours; coordinators manage only accounts at the units below their own.")) }
        div.tablewrap {
            table.accounts {
                (layout::table_head(lang, &[
                    ("Tên đăng nhập", "Username"),
                    ("Họ tên", "Name"),
                    ("Vai trò", "Role"),
                    ("Đơn vị", "Unit"),
                    ("Trạng thái", "Status"),
                    ("Thao tác", "Actions"),
                ]))
                tbody {
                    @if rows.is_empty() {
                        tr { td.empty colspan="6" { (lang.pick(
                            "Chưa có tài khoản nào ở các đơn vị của bạn. Bấm \"Tạo tài khoản\" để thêm cán bộ đơn vị cấp dưới.",
                            "No accounts at your units yet. Press \"Create an account\" to add one for a unit below yours.")) } }
                    }
                    @for (e, unit, reach) in &rows {
                        tr data-username=(e.account.username) data-reach=(match reach { Reach::Manage => "manage", Reach::Own => "own", Reach::SeeOnly => "see" }) {
                            td { a href={ "/admin/accounts/" (e.account.id) } { (e.account.username) } }
                            td { (e.account.display_name) }
                            td { (e.account.role.label(lang)) }
                            td { (unit) }
                            td { (status_badge(lang, e.status)) }
                            td {
                                @match reach {
                                    Reach::Manage => a href={ "/admin/accounts/" (e.account.id) } { (lang.pick("Quản lý", "Manage")) },
                                    Reach::Own => a href="/account/password" { (lang.pick("Đổi mật khẩu", "Change password")) },
                                    Reach::SeeOnly => span.muted { "—" },
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(admin_page(
        &user,
        lang.pick("Tài khoản cán bộ", "Coordinator accounts"),
        body,
    ))
}
