//! The page shell (header, navigation, language switch), the stylesheet, and small shared pieces:
//! progress bars as SVG, tables, forms' CSRF field, the error page.

use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use gocua_protocol::{share_of_target, OrgUnitKind};
use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::export::{Cell, Table};
use super::i18n::{self, Lang};
use super::session::User;

const CSS: &str = include_str!("app.css");

pub async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        CSS,
    )
}

/// Which navigation entry is current.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    Overview,
    Households,
    Coverage,
    Visits,
    FollowUps,
    Flags,
    Feedback,
    Report,
    Audit,
    Guides,
    Admin,
    Assignments,
}

fn nav_items(lang: Lang) -> Vec<(Nav, &'static str, &'static str)> {
    vec![
        (Nav::Overview, "/", lang.pick("Tiến độ", "Progress")),
        (
            Nav::Households,
            "/households",
            lang.pick("Hộ gia đình", "Households"),
        ),
        (Nav::Coverage, "/coverage", lang.pick("Độ phủ", "Coverage")),
        (Nav::Visits, "/visits", lang.pick("Lượt đến hộ", "Visits")),
        (
            Nav::FollowUps,
            "/follow-ups",
            lang.pick("Cần quay lại", "Follow-ups"),
        ),
        (
            Nav::Flags,
            "/flags",
            lang.pick("Dữ liệu cần xem", "Data checks"),
        ),
        (
            Nav::Feedback,
            "/feedback",
            lang.pick("Khó khăn, kiến nghị", "Feedback"),
        ),
        (
            Nav::Report,
            "/report",
            lang.pick("Báo cáo nhanh", "Quick report"),
        ),
        (
            Nav::Assignments,
            "/assignments",
            lang.pick("Phân công", "Assignments"),
        ),
        (Nav::Audit, "/audit", lang.pick("Nhật ký", "Audit log")),
        (Nav::Guides, "/guides", lang.pick("Hướng dẫn", "Guides")),
        (
            Nav::Admin,
            "/admin",
            lang.pick("Quản trị", "Administration"),
        ),
    ]
}

/// A whole page for a signed-in user.
pub fn page(user: &User, nav: Nav, title: &str, body: Markup) -> Markup {
    let lang = user.lang;
    let other = match lang {
        Lang::Vi => ("en", "English"),
        Lang::En => ("vi", "Tiếng Việt"),
    };
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · Gõ Cửa" }
                link rel="stylesheet" href="/assets/app.css";
            }
            body {
                header.top {
                    a.brand href="/" { "Gõ Cửa" }
                    span.who {
                        a href="/account/password" title=(lang.pick("Đổi mật khẩu", "Change password")) { (user.account.display_name) }
                        " · " (user.account.role.label(lang))
                    }
                    a.lang href={ "/lang/" (other.0) } { (other.1) }
                    form.logout method="post" action="/logout" {
                        (csrf_field(user))
                        button type="submit" { (lang.pick("Đăng xuất", "Sign out")) }
                    }
                }
                nav.main {
                    @for (item, href, label) in nav_items(lang) {
                        @if item == Nav::Admin && !user.account.role.can_edit() { }
                        @else { a href=(href) class=[(item == nav).then_some("current")] { (label) } }
                    }
                }
                main {
                    h1 { (title) }
                    (body)
                }
            }
        }
    }
}

/// A page of the navigation entry `nav`, titled by its label, holding only a notice (e.g. that
/// there is no campaign yet).
pub fn notice_page(user: &User, nav: Nav, text: &str) -> Markup {
    let title = nav_items(user.lang)
        .into_iter()
        .find(|(item, _, _)| *item == nav)
        .map_or("", |(_, _, label)| label);
    page(user, nav, title, html! { p.notice { (text) } })
}

/// A page without the signed-in shell (login, errors).
pub fn bare_page(lang: Lang, title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · Gõ Cửa" }
                link rel="stylesheet" href="/assets/app.css";
            }
            body.bare {
                main { (body) }
            }
        }
    }
}

pub fn error_page(lang: Lang, status: StatusCode, code: &str, message: &str) -> Markup {
    bare_page(
        lang,
        lang.pick("Có lỗi", "Error"),
        html! {
            h1 { (lang.pick("Không làm được", "That did not work")) }
            p.error role="alert" data-code=(code) { (message) }
            p.muted { (status.as_u16()) " · " code { (code) } }
            p { a href="/" { (lang.pick("Về trang tiến độ", "Back to progress")) } }
        },
    )
}

pub fn csrf_field(user: &User) -> Markup {
    html! { input type="hidden" name="csrf" value=(user.csrf); }
}

/// A horizontal progress bar with the share written beside it; no target shows the count only.
pub fn progress_bar(lang: Lang, achieved: u64, target: Option<u64>) -> Markup {
    let Some(share) = share_of_target(achieved, target) else {
        return html! { span.count { (i18n::number(lang, achieved)) } span.muted { " · " (lang.pick("chưa giao chỉ tiêu", "no target")) } };
    };
    let width = (share.ratio().min(1.0) * 100.0).round();
    let class = if share.is_reached() {
        "bar done"
    } else if share.ratio() >= 0.5 {
        "bar mid"
    } else {
        "bar low"
    };
    html! {
        span.progress {
            svg width="120" height="12" viewBox="0 0 100 10" preserveAspectRatio="none" role="img"
                aria-label=(i18n::share(lang, Some(share))) {
                rect x="0" y="0" width="100" height="10" rx="2" class="track" {}
                rect x="0" y="0" width=(width) height="10" rx="2" class=(class) {}
            }
            span.count { (i18n::number(lang, achieved)) " / " (i18n::number(lang, share.target())) }
            span.pct { (i18n::share(lang, Some(share))) }
        }
    }
}

pub fn cell(lang: Lang, c: &Cell) -> Markup {
    match c {
        Cell::Text(t) => html! { (t) },
        Cell::Int(n) if *n >= 0 => html! { (i18n::number(lang, *n as u64)) },
        Cell::Int(n) => html! { (n) },
        Cell::Percent(p) => html! { (i18n::percent(lang, (p * 1000.0).round() as u64, 1000)) },
        Cell::Date(d) => html! { (i18n::date(*d)) },
        Cell::Empty => html! { "" },
    }
}

/// A table as HTML; `links` gives an optional link per row for its first cell.
pub fn table(lang: Lang, t: &Table, links: &[Option<String>]) -> Markup {
    html! {
        div.tablewrap {
            table {
                thead { tr { @for c in &t.columns { th { (c.header) } } } }
                tbody {
                    @if t.rows.is_empty() {
                        tr { td.empty colspan=(t.columns.len()) { (lang.pick("Chưa có dữ liệu.", "Nothing yet.")) } }
                    }
                    @for (i, row) in t.rows.iter().enumerate() {
                        tr {
                            @for (j, c) in row.iter().enumerate() {
                                @let numeric = matches!(c, Cell::Int(_) | Cell::Percent(_));
                                td class=[numeric.then_some("num")] {
                                    @if j == 0 {
                                        @if let Some(Some(href)) = links.get(i) {
                                            a href=(href) { (cell(lang, c)) }
                                        } @else { (cell(lang, c)) }
                                    } @else { (cell(lang, c)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Links to the same table as CSV and Excel (the page's query plus `format=`).
pub fn export_links(lang: Lang, path: &str, query: &str) -> Markup {
    let sep = if query.is_empty() { "" } else { "&" };
    html! {
        p.exports {
            (lang.pick("Tải về: ", "Download: "))
            a href={ (path) "?" (query) (sep) "format=xlsx" } download { "Excel (.xlsx)" }
            " · "
            a href={ (path) "?" (query) (sep) "format=csv" } download { "CSV" }
        }
    }
}

pub fn notice(text: &str) -> Markup {
    html! { p.notice role="status" { (text) } }
}

/// Text for `<script>`-free inline use where maud would escape it twice.
pub fn raw(s: &str) -> PreEscaped<String> {
    PreEscaped(s.to_owned())
}

/// A table's header row: one cell per `(Vietnamese, English)` label, in `lang`.
pub fn table_head(lang: Lang, labels: &[(&'static str, &'static str)]) -> Markup {
    html! { thead { tr { @for (vi, en) in labels { th { (lang.pick(vi, en)) } } } } }
}

/// The "kind of unit" field of a form: a choice among the known kinds, `selected` chosen.
pub fn unit_kind_field(lang: Lang, name: &str, selected: &str) -> Markup {
    html! {
        label { (lang.pick("Loại đơn vị", "Kind of unit"))
            select name=(name) {
                @for k in OrgUnitKind::KNOWN {
                    option value=(k.as_str()) selected[k.as_str() == selected] { (lang.pick(k.label_vi(), k.label_en())) }
                }
            }
        }
    }
}
