//! `GET /admin/units`: the account's subtree as an indented tree.

use axum::extract::Query;
use maud::html;

use super::{area_label, done_notice, inactive_tag, kind_label, rows_by_id, subtree_in_order};
use crate::domain::coordination::{self as admin, permission::Task};
use crate::web::error::PageResult;
use crate::web::extract::Ctx;
use crate::web::i18n;
use crate::web::layout;
use crate::web::pages::admin::DoneQuery;
use crate::web::pages::admin::{admin_page, run_as, Access};

pub async fn page(Ctx { state, user }: Ctx, Query(q): Query<DoneQuery>) -> PageResult {
    let lang = user.lang;
    let (access, rows) = run_as(&state, &user, move |sql, u| {
        let access = Access::for_task(sql, u, Task::Units)?;
        Ok((access, rows_by_id(admin::list_units(sql)?)))
    })
    .await?;
    let order = subtree_in_order(&access.tree, access.unit);
    let body = html! {
        @if let Some(n) = done_notice(lang, q.done.as_deref()) { (layout::notice(n)) }
        p.actions {
            a.button href="/admin/units/new" { (lang.pick("Thêm đơn vị", "Add a unit")) }
        }
        p.muted { (lang.pick(
            "Đơn vị của bạn và các đơn vị cấp dưới. Bấm vào tên để đổi tên, chuyển, đổi địa bàn hoặc ngừng hoạt động.",
            "Your unit and the units below it. Click a name to rename, move, change the area or deactivate.")) }
        @if order.len() <= 1 {
            p.notice { (lang.pick(
                "Chưa có đơn vị cấp dưới nào. Bấm \"Thêm đơn vị\" để tạo đơn vị đầu tiên, ví dụ Đoàn xã, phường.",
                "No units below yours yet. Press \"Add a unit\" to create the first, e.g. a commune union.")) }
        }
        ul.unittree {
            @for (depth, id) in &order {
                @if let Some(row) = rows.get(id) {
                    li class=(format!("depth-{}{}", (*depth).min(8), if row.active() { "" } else { " inactive" })) data-unit=(id) {
                        div.unitrow {
                            a.name href={ "/admin/units/" (id) } { (row.unit.name) }
                            span.kind { (kind_label(lang, row)) }
                            span.area { (area_label(row)) }
                            span.teams { (i18n::number(lang, row.active_teams)) " " (lang.pick("đội", "teams")) }
                            @if row.active() {
                                a.add href={ "/admin/units/new?parent=" (id) } { (lang.pick("+ Đơn vị cấp dưới", "+ Unit below")) }
                            } @else {
                                (inactive_tag(lang))
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(admin_page(
        &user,
        lang.pick("Đơn vị Đoàn", "Youth Union units"),
        body,
    ))
}
