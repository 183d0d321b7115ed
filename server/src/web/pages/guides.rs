//! The service guides for every signed-in account, read only: the list (`/guides`) and one
//! guide (`/guides/{key}`). Writing them is the catalogue editors' (`admin/guide.rs`).

use axum::extract::Path;
use gocua_protocol::Service;
use maud::html;

use super::admin::upload::segment;
use super::admin::Access;
use super::html;
use crate::domain::coordination::guides;
use crate::domain::coordination::permission::Task;
use crate::domain::coordination::{self as admin, AdminError};
use crate::web::error::PageResult;
use crate::web::error::WebError;
use crate::web::extract::Ctx;
use crate::web::guide_html::{self, updated_label};
use crate::web::layout::{self, Nav};
use crate::web::state::db_run;

pub async fn list(Ctx { state, user }: Ctx) -> PageResult {
    let lang = user.lang;
    let (services, stored, may_edit) = db_run(&state, lang, {
        let user = user.clone();
        move |sql| {
            let may_edit = Access::load(sql, &user)?.may(Task::Catalogue);
            Ok((
                admin::list_services(sql)?,
                guides::list_guides(sql)?,
                may_edit,
            ))
        }
    })
    .await?;
    let by_key: std::collections::HashMap<&str, &Service> =
        services.iter().map(|s| (s.key.as_str(), s)).collect();
    let name_of = |key: &str| {
        by_key
            .get(key)
            .map_or(key.to_owned(), |s| s.name_vi.clone())
    };
    let mut stored = stored;
    stored.sort_by_cached_key(|g| gocua_protocol::text::fold(&name_of(&g.guide.service_key)));
    let body = html! {
        p.muted { (lang.pick(
            "Hướng dẫn ngắn cho từng dịch vụ: giấy tờ cần có, các bước trên Cổng Dịch vụ công hoặc VNeID, vướng mắc thường gặp. Điện thoại của tình nguyện viên có sẵn các hướng dẫn này, đọc được cả khi không có mạng.",
            "A short guide per service: documents needed, steps on the public service portal or VNeID, common problems. Volunteers' phones carry them and open them offline.")) }
        @if may_edit {
            p { a href="/admin/services" { (lang.pick("Viết hoặc sửa hướng dẫn trong danh mục dịch vụ", "Write or edit guides in the service catalogue")) } }
        }
        @if stored.is_empty() {
            p.empty { (lang.pick("Chưa có hướng dẫn nào.", "No guides yet.")) }
        } @else {
            ul.guide-list {
                @for g in &stored {
                    @let name = name_of(&g.guide.service_key);
                    li data-key=(g.guide.service_key) {
                        a href={ "/guides/" (segment(&g.guide.service_key)) } { (name) }
                        " "
                        @if g.guide.needs_check {
                            span.tag.unverified { (lang.pick("cần kiểm tra", "needs a check")) }
                        } @else {
                            span.tag.verified { "✓ " (lang.pick("đã kiểm tra", "checked")) }
                        }
                        " " span.muted { (updated_label(lang, g)) }
                    }
                }
            }
        }
    };
    Ok(html(layout::page(
        &user,
        Nav::Guides,
        lang.pick("Hướng dẫn dịch vụ", "Service guides"),
        body,
    )))
}

pub async fn show(Ctx { state, user }: Ctx, Path(key): Path<String>) -> PageResult {
    let lang = user.lang;
    let (service, stored, may_edit) = db_run(&state, lang, {
        let user = user.clone();
        move |sql| {
            let may_edit = Access::load(sql, &user)?.may(Task::Catalogue);
            let service = admin::load_service(sql, &key).map_err(not_found)?;
            let stored = guides::get_guide(sql, &key)
                .map_err(not_found)?
                .ok_or(WebError::NotInScope)?;
            Ok((service, stored, may_edit))
        }
    })
    .await?;
    let body = html! {
        p.muted { code { (service.key) } " · " (updated_label(lang, &stored)) }
        @if stored.guide.needs_check { (guide_html::needs_check_banner(lang)) }
        (guide_html::render(&stored.guide.body))
        p {
            a href="/guides" { (lang.pick("Tất cả hướng dẫn", "All guides")) }
            @if may_edit {
                " · " a href={ "/admin/services/" (segment(&service.key)) "/guide" } { (lang.pick("Sửa hướng dẫn", "Edit the guide")) }
            }
        }
    };
    Ok(html(layout::page(
        &user,
        Nav::Guides,
        &service.name_vi,
        body,
    )))
}

fn not_found(e: AdminError) -> WebError {
    match e {
        AdminError::NotFound { .. } => WebError::NotInScope,
        e => e.into(),
    }
}
