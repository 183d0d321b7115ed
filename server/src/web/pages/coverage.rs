//! Coverage ("Độ phủ"): per commune of the teams in the user's scope (a unit below it, or one
//! team), how many hamlets and households a campaign has reached and how many were not reached
//! since a chosen day; each commune opens its hamlets, not-visited ones first, each linking to
//! its households. The counting is `domain::coverage`; this page parses the filters, checks
//! scope and draws. CSV and Excel of the same rows.

use axum::extract::Query;
use axum::response::Response;
use chrono::{Duration, NaiveDate};
use gocua_protocol::Campaign;
use maud::{html, Markup};
use serde::Deserialize;
use uuid::Uuid;

use super::coverage_table as tables;
use super::{attachment, download, file_name, html, Format};
use crate::domain::coverage::{self, Counts, Coverage, HamletCoverage};
use crate::web::data;
use crate::web::error::PageResult;
use crate::web::error::WebError;
use crate::web::export::{tables_to_xlsx, Table};
use crate::web::extract::Addressed;
use crate::web::extract::Ctx;
use crate::web::i18n::{self, Lang};
use crate::web::layout::{self, Nav};
use crate::web::pages::opt_uuid;
use crate::web::scope::OrgTree;
use crate::web::session::User;
use crate::web::state::db_run;
use crate::web::text::url_encode;

/// The filters, as strings: an empty select or date means "not chosen".
#[derive(Deserialize, Default, Clone)]
pub struct CoverageQuery {
    campaign: Option<String>,
    unit: Option<String>,
    team: Option<String>,
    since: Option<String>,
    format: Option<String>,
}

/// "Not reached since": the date asked for, else a week before today (the deployment's).
pub fn since_or_default(raw: Option<&str>, today: NaiveDate) -> Result<NaiveDate, WebError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(today - Duration::days(7)),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
            WebError::refused(
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                "bad_date",
                format!("\"{s}\" không phải là ngày hợp lệ (năm-tháng-ngày)."),
                format!("\"{s}\" is not a valid date (year-month-day)."),
            )
        }),
    }
}

struct Loaded {
    campaigns: Vec<Campaign>,
    campaign: Campaign,
    unit_id: Uuid,
    unit_name: String,
    team: Option<Uuid>,
    /// The units of the user's subtree, with their depth below it, for the filter.
    units: Vec<(Uuid, String, usize)>,
    teams: Vec<(Uuid, String)>,
    coverage: Coverage,
}

impl Loaded {
    /// The query string that keeps every filter.
    fn keep(&self) -> String {
        let mut q = format!(
            "campaign={}&unit={}&since={}",
            self.campaign.id, self.unit_id, self.coverage.since
        );
        if let Some(t) = self.team {
            q.push_str(&format!("&team={t}"));
        }
        q
    }

    /// What the exports' titles and file names say: unit (or team) and campaign.
    fn title(&self) -> String {
        let who = self
            .team
            .and_then(|t| self.teams.iter().find(|(id, _)| *id == t))
            .map_or(self.unit_name.clone(), |(_, n)| n.clone());
        format!("{who} – {}", self.campaign.name)
    }
}

fn load(
    sql: &mut dyn crate::db::Sql,
    user: &User,
    q: &CoverageQuery,
    commune: Option<&str>,
) -> Result<Option<Loaded>, WebError> {
    let scope = user.account.org_unit_id;
    let (unit, team) = (opt_uuid(q.unit.as_deref())?, opt_uuid(q.team.as_deref())?);
    let today = crate::domain::calendar::today();
    let since = since_or_default(q.since.as_deref(), today)?;
    let campaigns = data::campaigns(sql)?;
    let asked = opt_uuid(q.campaign.as_deref()).unwrap_or(None);
    let Some(campaign) = data::pick_campaign(&campaigns, asked, today) else {
        return Ok(None);
    };
    let mut tree = OrgTree::load(sql)?;
    // As the overview: teams gone before the campaign started never worked in it.
    tree.leave_out_teams_deactivated_before(campaign.starts_on);
    let teams = data::scoped_teams(&tree, scope, unit, team)?;
    let unit_id = unit.unwrap_or(scope);
    let unit_name = tree.unit_in_scope(unit_id, scope)?.name.clone();
    let coverage = coverage::coverage(sql, &campaign, &teams, since, commune)?;
    let mut units = Vec::new();
    let mut stack = vec![(scope, 0usize)];
    while let Some((u, depth)) = stack.pop() {
        units.push((u, tree.units[&u].name.clone(), depth));
        for child in tree.child_units(u).iter().rev() {
            stack.push((*child, depth + 1));
        }
    }
    let mut team_list: Vec<(Uuid, String)> = tree
        .subtree_teams(unit_id)
        .into_iter()
        .map(|t| (t, tree.teams[&t].name.clone()))
        .collect();
    team_list.sort_by_cached_key(|(_, n)| crate::web::text::sort_key(n));
    Ok(Some(Loaded {
        campaigns,
        campaign,
        unit_id,
        unit_name,
        team,
        units,
        teams: team_list,
        coverage,
    }))
}

fn filters(lang: Lang, l: &Loaded, action: &str) -> Markup {
    html! {
        form.filters method="get" action=(action) {
            label { (lang.pick("Kế hoạch", "Campaign"))
                select name="campaign" {
                    @for c in &l.campaigns { option value=(c.id) selected[c.id == l.campaign.id] { (c.name) } }
                }
            }
            label { (lang.pick("Đơn vị", "Unit"))
                select name="unit" {
                    @for (id, name, depth) in &l.units {
                        option value=(id) selected[*id == l.unit_id] { (" ".repeat(depth * 2)) (name) }
                    }
                }
            }
            @if l.teams.len() <= 300 {
                label { (lang.pick("Đội", "Team"))
                    select name="team" {
                        option value="" { (lang.pick("Tất cả đội", "All teams")) }
                        @for (id, name) in &l.teams { option value=(id) selected[Some(*id) == l.team] { (name) } }
                    }
                }
            }
            label { (lang.pick("Chưa đến từ ngày", "Not reached since"))
                input type="date" name="since" value=(l.coverage.since); }
            button.primary type="submit" { (lang.pick("Xem", "Show")) }
        }
    }
}

/// What counts, said once under the filters.
fn explanation(lang: Lang, l: &Loaded) -> Markup {
    let (from, to) = (
        i18n::date(l.campaign.starts_on),
        i18n::date(l.campaign.ends_on),
    );
    let since = i18n::date(l.coverage.since);
    html! {
        p.muted.coverage-rule {
            @match lang {
                Lang::Vi => { "Hộ đã đến: có lượt đến hộ bắt đầu trong thời gian kế hoạch (" (from) " – " (to) "). Chưa đến từ " (since) ": không có lượt đến nào trong kế hoạch từ ngày đó trở đi. Thôn, ấp đã có lượt đến: có ít nhất một hộ đã đến. Hộ đã xoá thông tin cá nhân theo yêu cầu không được tính." }
                Lang::En => { "Reached: a visit that started within the campaign (" (from) " – " (to) "). Not reached since " (since) ": no visit in the campaign on or after that day. A hamlet is visited when at least one of its households was reached. Households whose personal data was erased on request are left out." }
            }
        }
    }
}

fn summary(lang: Lang, c: &Counts, since: NaiveDate) -> Markup {
    html! {
        div.grid.coverage-summary {
            div.indicator {
                div.name { (lang.pick("Thôn, ấp đã có lượt đến", "Hamlets visited")) }
                div.value { (i18n::number(lang, c.hamlets_reached())) " / " (i18n::number(lang, c.hamlets)) }
            }
            div.indicator {
                div.name { (lang.pick("Hộ đã đến", "Households reached")) }
                div.value { (i18n::number(lang, c.reached)) " / " (i18n::number(lang, c.households)) }
                @if c.households > 0 { span.muted { (i18n::percent(lang, c.reached, c.households)) } }
            }
            div.indicator {
                div.name { (lang.pick("Hộ chưa đến từ ", "Not reached since ")) (i18n::date(since)) }
                div.value { (i18n::number(lang, c.not_reached_since)) }
            }
        }
    }
}

fn no_campaign(user: &User) -> Response {
    let lang = user.lang;
    html(layout::page(
        user,
        Nav::Coverage,
        lang.pick("Độ phủ", "Coverage"),
        html! { p.empty-state { (lang.pick("Chưa có kế hoạch nào, nên chưa có gì để tính độ phủ.", "There is no campaign yet, so there is no coverage to show.")) } },
    ))
}

/// The exports of both levels: CSV with a level column, Excel with a sheet per level.
fn export(lang: Lang, l: &Loaded, format: Format) -> Result<Response, WebError> {
    let title = l.title();
    if format == Format::Csv {
        return download(&tables::both_levels(lang, &title, &l.coverage), format);
    }
    let (communes, hamlets) = (
        tables::communes(lang, &title, &l.coverage),
        tables::hamlets(lang, &title, &l.coverage),
    );
    let bytes =
        tables_to_xlsx(&[&communes, &hamlets]).map_err(|e| WebError::Export(e.to_string()))?;
    Ok(attachment(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &file_name(
            &format!("{} {title}", lang.pick("Độ phủ", "Coverage")),
            "xlsx",
        ),
    ))
}

pub async fn page(Ctx { state, user }: Ctx, Query(q): Query<CoverageQuery>) -> PageResult {
    let lang = user.lang;
    let format = Format::parse(q.format.as_deref()).map_err(|e| e.into_page(lang))?;
    let u = user.clone();
    let Some(l) = db_run(&state, lang, move |sql| load(sql, &u, &q, None)).await? else {
        return Ok(no_campaign(&user));
    };
    if format != Format::Html {
        return export(lang, &l, format).map_err(|e| e.into_page(lang));
    }
    let keep = l.keep();
    let t = tables::communes(lang, &l.title(), &l.coverage);
    let links: Vec<String> = l
        .coverage
        .communes
        .iter()
        .map(|c| format!("/coverage/commune/{}?{keep}", url_encode(&c.code)))
        .collect();
    let total = l.coverage.total();
    let body = html! {
        (filters(lang, &l, "/coverage"))
        (explanation(lang, &l))
        @if l.coverage.communes.is_empty() {
            p.empty-state { (lang.pick(
                "Chưa có xã, phường nào: các đội trong phạm vi này chưa được giao địa bàn và chưa ghi hộ nào. Giao địa bàn cho đội ở trang Quản trị.",
                "No communes yet: the teams in this scope have no areas and no households recorded. Give teams their areas under Administration.")) }
        } @else {
            (summary(lang, &total, l.coverage.since))
            @if total.households == 0 {
                p.empty-state { (lang.pick(
                    "Chưa có hộ nào được ghi ở các xã, phường này. Các hộ sẽ hiện ra khi đội viên đồng bộ điện thoại.",
                    "No household has been recorded in these communes yet. They appear once volunteers sync their phones.")) }
            }
            h2 { (lang.pick("Theo xã, phường", "By commune")) }
            (layout::export_links(lang, "/coverage", &keep))
            (communes_table(lang, &t, &links))
        }
    };
    Ok(html(layout::page(
        &user,
        Nav::Coverage,
        &format!("{} – {}", lang.pick("Độ phủ", "Coverage"), l.unit_name),
        body,
    )))
}

/// The communes table as the page shows it (each commune opening its hamlets; at phone width
/// each row a card whose figures carry their column's name).
fn communes_table(lang: Lang, t: &Table, links: &[String]) -> Markup {
    html! {
        div.tablewrap.coverage { table.coverage-communes.stackable {
            thead { tr { @for c in &t.columns { th { (c.header) } } } }
            tbody {
                @for (i, row) in t.rows.iter().enumerate() {
                    tr class=[(i >= links.len()).then_some("total")] {
                        @for (j, cell) in row.iter().enumerate() {
                            @if j == 0 {
                                td.name { @if let Some(href) = links.get(i) { a href=(href) { (layout::cell(lang, cell)) } } @else { (layout::cell(lang, cell)) } }
                            } @else {
                                td.num data-label=(t.columns[j].header) { (layout::cell(lang, cell)) }
                            }
                        }
                    }
                }
            }
        } }
    }
}

fn hamlet_row(lang: Lang, l: &Loaded, commune: &str, h: &HamletCoverage) -> Markup {
    let since_label = format!(
        "{}{}",
        lang.pick("Chưa đến từ ", "Not reached since "),
        i18n::date(l.coverage.since)
    );
    let mut list = match &h.code {
        Some(code) => format!("/households?hamlet={}", url_encode(code)),
        None => format!("/households?commune={}&no_hamlet=1", url_encode(commune)),
    };
    if let Some(t) = l.team {
        list.push_str(&format!("&team={t}"));
    } else {
        list.push_str(&format!("&unit={}", l.unit_id));
    }
    let not_reached = format!(
        "{list}&campaign={}&not_since={}",
        l.campaign.id, l.coverage.since
    );
    let c = &h.counts;
    html! {
        tr class=[h.not_visited().then_some("unvisited")] {
            td.name {
                @if c.households > 0 { a href=(list) { (tables::hamlet_label(lang, h)) } }
                @else { (tables::hamlet_label(lang, h)) }
                @if h.not_visited() { " " span.tag.unvisited { (lang.pick("Chưa có lượt đến", "No visit yet")) } }
            }
            td.num data-label=(lang.pick("Số hộ", "Households")) { (i18n::number(lang, c.households)) }
            td.num data-label=(lang.pick("Hộ đã đến", "Reached")) { (i18n::number(lang, c.reached)) }
            td.num data-label=(lang.pick("Tỷ lệ", "Share")) { @if c.households > 0 { (i18n::percent(lang, c.reached, c.households)) } @else { "—" } }
            td.num data-label=(since_label) {
                @if c.not_reached_since > 0 { a href=(not_reached) { (i18n::number(lang, c.not_reached_since)) } }
                @else { "0" }
            }
        }
    }
}

pub async fn commune(p: Addressed<Query<CoverageQuery>, String>) -> PageResult {
    let (state, user, code, Query(q)) = p.into_parts();
    let lang = user.lang;
    let format = Format::parse(q.format.as_deref()).map_err(|e| e.into_page(lang))?;
    let u = user.clone();
    let c = code.clone();
    let Some(l) = db_run(&state, lang, move |sql| {
        let l = load(sql, &u, &q, Some(&c))?;
        // Another unit's commune answers as an unknown code does.
        if l.as_ref().is_some_and(|l| l.coverage.communes.is_empty()) {
            return Err(WebError::NotInScope);
        }
        Ok(l)
    })
    .await?
    else {
        return Ok(no_campaign(&user));
    };
    let commune = &l.coverage.communes[0];
    if format != Format::Html {
        let title = format!("{} – {}", commune.name, l.title());
        let t = tables::hamlets(lang, &title, &l.coverage);
        return download(&t, format).map_err(|e| e.into_page(lang));
    }
    let keep = l.keep();
    let not_visited = commune.hamlets.iter().filter(|h| h.not_visited()).count();
    let since = i18n::date(l.coverage.since);
    let body = html! {
        p.crumbs { a href={ "/coverage?" (keep) } { (lang.pick("Độ phủ", "Coverage")) " – " (l.unit_name) } " › " strong { (commune.name) } }
        (filters(lang, &l, &format!("/coverage/commune/{}", url_encode(&commune.code))))
        (explanation(lang, &l))
        (summary(lang, &commune.counts, l.coverage.since))
        @if commune.hamlets.is_empty() {
            p.empty-state { (lang.pick(
                "Xã, phường này chưa có thôn, ấp nào trong danh sách và chưa có hộ nào được ghi. Thêm thôn, ấp ở trang Quản trị › Thôn, ấp.",
                "This commune has no hamlets in the list and no households recorded yet. Add hamlets under Administration › Hamlets.")) }
        } @else {
            @if not_visited > 0 {
                p.warning { (i18n::number(lang, not_visited as u64)) (lang.pick(" thôn, ấp chưa có lượt đến nào trong kế hoạch (ở đầu bảng).", " hamlets have had no visit in the campaign (at the top of the table).")) }
            }
            h2 { (lang.pick("Theo thôn, ấp", "By hamlet")) }
            (layout::export_links(lang, &format!("/coverage/commune/{}", url_encode(&commune.code)), &keep))
            div.tablewrap { table.coverage-hamlets.stackable {
                thead { tr {
                    th { (lang.pick("Thôn, ấp", "Hamlet")) }
                    th { (lang.pick("Số hộ", "Households")) }
                    th { (lang.pick("Hộ đã đến", "Reached")) }
                    th { (lang.pick("Tỷ lệ", "Share")) }
                    th { (lang.pick("Chưa đến từ ", "Not reached since ")) (since) }
                } }
                tbody { @for h in &commune.hamlets { (hamlet_row(lang, &l, &commune.code, h)) } }
            } }
        }
    };
    Ok(html(layout::page(
        &user,
        Nav::Coverage,
        &format!("{} – {}", lang.pick("Độ phủ", "Coverage"), commune.name),
        body,
    )))
}
