//! The overview of a campaign: every indicator against target for the user's unit (or a unit
//! below it), and per child unit and team, for the whole campaign, a peak window or chosen dates;
//! and, always over the whole campaign, progress over time: a chart per indicator with a target
//! and, at the top, which indicators will miss their target at the current pace.

use axum::extract::Query;
use gocua_protocol::*;
use maud::{html, Markup};
use serde::Deserialize;
use uuid::Uuid;

use super::{download, html, overview_pace, Format};
use crate::domain::pace::{self, Pace};
use crate::web::data::{self, NodeProgress, Period, OVERVIEW_INDICATORS};
use crate::web::error::PageResult;
use crate::web::error::WebError;
use crate::web::export::{Cell, Column, Table};
use crate::web::extract::Ctx;
use crate::web::i18n::Lang;
use crate::web::layout::{self, Nav};
use crate::web::scope::OrgTree;
use crate::web::session::User;
use crate::web::state::db_run;
use crate::web::text::url_encode;

#[derive(Deserialize, Default, Clone)]
pub struct OverviewQuery {
    pub campaign: Option<Uuid>,
    pub unit: Option<Uuid>,
    pub period: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub format: Option<String>,
}

impl OverviewQuery {
    /// The query string that keeps campaign and period while moving to another unit or page.
    pub fn keep(&self, campaign: &Campaign, period: &Period) -> String {
        let mut q = format!(
            "campaign={}&period={}",
            campaign.id,
            url_encode(&period.key)
        );
        if period.key == "custom" {
            q.push_str(&format!("&from={}&to={}", period.from, period.to));
        }
        q
    }
}

/// One row of the overview: a child unit or a team directly under the unit.
pub struct ChildRow {
    pub name: String,
    pub kind: String,
    pub href: String,
    pub progress: NodeProgress,
}

pub struct Overview {
    pub campaigns: Vec<Campaign>,
    pub campaign: Campaign,
    pub period: Period,
    pub unit_id: Uuid,
    pub unit_name: String,
    pub crumbs: Vec<(Uuid, String)>,
    pub total: NodeProgress,
    pub children: Vec<ChildRow>,
    /// The teams of the unit's subtree, and whether they are every team of the tree (the tree
    /// holds every team: then the rollup is read without a list of teams).
    pub teams: Vec<Uuid>,
    pub all_teams: bool,
}

/// Everything the overview shows, computed from the rollup (no scan of records).
pub fn load(
    sql: &mut dyn crate::db::Sql,
    user: &User,
    q: &OverviewQuery,
) -> Result<Option<Overview>, WebError> {
    let lang = user.lang;
    let campaigns = data::campaigns(sql)?;
    let Some(campaign) =
        data::pick_campaign(&campaigns, q.campaign, crate::domain::calendar::today())
    else {
        return Ok(None);
    };
    let period = data::period(
        lang,
        &campaign,
        q.period.as_deref(),
        q.from.as_deref(),
        q.to.as_deref(),
    )?;
    let mut tree = OrgTree::load(sql)?;
    tree.leave_out_teams_deactivated_before(campaign.starts_on);
    let scope = user.account.org_unit_id;
    let unit_id = q.unit.unwrap_or(scope);
    let unit = tree.unit_in_scope(unit_id, scope)?.clone();
    let teams = tree.subtree_teams(unit_id);
    let sums = data::team_sums(sql, campaign.id, &period, Some(&teams))?;
    let targets = data::team_targets(sql, campaign.id)?;
    let keep = q.keep(&campaign, &period);
    let mut children = Vec::new();
    for child in tree.child_units(unit_id) {
        let u = &tree.units[child];
        children.push(ChildRow {
            name: u.name.clone(),
            kind: OrgUnitKind::parse(&u.kind).label(lang),
            href: format!("/?{keep}&unit={child}"),
            progress: data::unit_progress(&tree, &sums, &targets, *child),
        });
    }
    for team in tree.direct_teams(unit_id) {
        children.push(ChildRow {
            name: tree.teams[team].name.clone(),
            kind: lang.pick_owned("Đội tình nguyện", "Volunteer team"),
            href: format!("/teams/{team}?{keep}"),
            progress: data::team_progress(&sums, &targets, *team),
        });
    }
    let crumbs = tree
        .path(unit_id, scope)
        .into_iter()
        .map(|u| (u.id, u.name.clone()))
        .collect();
    Ok(Some(Overview {
        total: data::unit_progress(&tree, &sums, &targets, unit_id),
        all_teams: teams.len() == tree.teams.len(),
        teams,
        campaigns,
        campaign,
        period,
        unit_id,
        unit_name: unit.name,
        crumbs,
        children,
    }))
}

/// The unit's progress over time, read from the rollup: always the whole campaign (the period
/// shown does not apply), up to `today` (the deployment's calendar's, for the pages).
pub fn load_pace(
    sql: &mut dyn crate::db::Sql,
    o: &Overview,
    today: chrono::NaiveDate,
) -> Result<Pace, WebError> {
    let teams = (!o.all_teams).then_some(o.teams.as_slice());
    Ok(pace::load(
        sql,
        &o.campaign,
        teams,
        |i| o.total.target(i),
        today,
    )?)
}

trait KindLabel {
    fn label(&self, lang: Lang) -> String;
}
impl KindLabel for OrgUnitKind {
    fn label(&self, lang: Lang) -> String {
        lang.pick_owned(self.label_vi(), self.label_en())
    }
}

/// The overview as a table (for CSV and Excel): per child, each indicator's result, target, share.
pub fn table(lang: Lang, o: &Overview) -> Table {
    let mut columns = vec![
        Column::text(lang.pick("Đơn vị, đội", "Unit or team")),
        Column::text(lang.pick("Loại", "Kind")),
        Column::integer(lang.pick("Số đội", "Teams")),
    ];
    for i in &OVERVIEW_INDICATORS {
        let name = data::indicator_label(lang, i);
        columns.push(Column::integer(format!(
            "{name} – {}",
            lang.pick("kết quả", "result")
        )));
        columns.push(Column::integer(format!(
            "{name} – {}",
            lang.pick("chỉ tiêu", "target")
        )));
        columns.push(Column::percent(format!(
            "{name} – {}",
            lang.pick("tỷ lệ", "share")
        )));
    }
    let title = format!(
        "{} – {} – {}",
        lang.pick("Tiến độ", "Progress"),
        o.unit_name,
        o.period.label
    );
    let mut t = Table::new(title, columns);
    let mut push = |name: &str, kind: &str, p: &NodeProgress| {
        let mut row = vec![
            Cell::text(name),
            Cell::text(kind),
            Cell::Int(p.teams as i64),
        ];
        for i in &OVERVIEW_INDICATORS {
            let achieved = p.tally.get(i).unwrap_or(0);
            let target = p.target(i);
            row.push(Cell::Int(achieved as i64));
            row.push(target.map_or(Cell::Empty, |t| Cell::Int(t as i64)));
            row.push(Cell::ratio(achieved, target));
        }
        t.push_row(row);
    };
    for c in &o.children {
        push(&c.name, &c.kind, &c.progress);
    }
    push(
        &format!("{} ({})", o.unit_name, lang.pick("tổng", "total")),
        "",
        &o.total,
    );
    t
}

fn filters(lang: Lang, o: &Overview) -> Markup {
    html! {
        form.filters method="get" action="/" {
            input type="hidden" name="unit" value=(o.unit_id);
            label { (lang.pick("Kế hoạch", "Campaign"))
                select name="campaign" {
                    @for c in &o.campaigns {
                        option value=(c.id) selected[c.id == o.campaign.id] { (c.name) }
                    }
                }
            }
            label { (lang.pick("Thời gian", "Period"))
                select name="period" {
                    option value="all" selected[o.period.key == "all"] { (lang.pick("Cả kế hoạch", "Whole campaign")) }
                    @for (i, w) in o.campaign.peak_windows.iter().enumerate() {
                        @let key = format!("peak{i}");
                        option value=(key) selected[o.period.key == key] { (lang.pick("Cao điểm: ", "Peak: ")) (w.name) }
                    }
                    option value="custom" selected[o.period.key == "custom"] { (lang.pick("Chọn ngày", "Choose dates")) }
                }
            }
            label { (lang.pick("Từ ngày", "From")) input type="date" name="from" value=(o.period.from); }
            label { (lang.pick("Đến ngày", "To")) input type="date" name="to" value=(o.period.to); }
            button.primary type="submit" { (lang.pick("Xem", "Show")) }
        }
    }
}

fn cards(lang: Lang, p: &NodeProgress) -> Markup {
    html! {
        div.grid {
            @for i in &OVERVIEW_INDICATORS {
                div.indicator data-indicator=(i.as_str()) {
                    div.name { (data::indicator_label(lang, i)) }
                    div.value { (crate::web::i18n::number(lang, p.tally.get(i).unwrap_or(0))) }
                    (layout::progress_bar(lang, p.tally.get(i).unwrap_or(0), p.target(i)))
                }
            }
        }
    }
}

fn children_table(lang: Lang, o: &Overview) -> Markup {
    html! {
        div.tablewrap {
            table.overview {
                thead { tr {
                    th { (lang.pick("Đơn vị, đội", "Unit or team")) }
                    @for i in &OVERVIEW_INDICATORS { th { (data::indicator_label(lang, i)) } }
                } }
                tbody {
                    @if o.children.is_empty() {
                        tr { td.empty colspan="9" { (lang.pick("Đơn vị này chưa có đơn vị trực thuộc hay đội nào.", "This unit has no units or teams below it yet.")) } }
                    }
                    @for c in &o.children {
                        tr {
                            td { a href=(c.href) { (c.name) } br; span.muted { (c.kind) } }
                            @for i in &OVERVIEW_INDICATORS {
                                td { (layout::progress_bar(lang, c.progress.tally.get(i).unwrap_or(0), c.progress.target(i))) }
                            }
                        }
                    }
                }
            }
        }
    }
}

pub async fn page(Ctx { state, user }: Ctx, Query(q): Query<OverviewQuery>) -> PageResult {
    let lang = user.lang;
    let format = Format::parse(q.format.as_deref()).map_err(|e| e.into_page(lang))?;
    let (u, query) = (user.clone(), q.clone());
    let loaded = db_run(&state, lang, move |sql| {
        let Some(o) = load(sql, &u, &query)? else {
            return Ok(None);
        };
        // The charts are for the page only, not the CSV and Excel tables.
        let pace = match format {
            Format::Html => Some(load_pace(sql, &o, crate::domain::calendar::today())?),
            _ => None,
        };
        Ok(Some((o, pace)))
    })
    .await?;
    let Some((o, pace)) = loaded else {
        let text = lang.pick(
            "Chưa có kế hoạch nào. Tạo kế hoạch bằng lệnh: gocua admin create-campaign",
            "There is no campaign yet. Create one with: gocua admin create-campaign",
        );
        return Ok(html(layout::notice_page(&user, Nav::Overview, text)));
    };
    let Some(pace) = pace else {
        return download(&table(lang, &o), format).map_err(|e| e.into_page(lang));
    };
    let keep = q.keep(&o.campaign, &o.period);
    let export_query = format!("{keep}&unit={}", o.unit_id);
    let body = html! {
        p.crumbs {
            @for (i, (id, name)) in o.crumbs.iter().enumerate() {
                @if i > 0 { " › " }
                @if *id == o.unit_id { strong { (name) } } @else { a href={ "/?" (keep) "&unit=" (id) } { (name) } }
            }
        }
        (overview_pace::notice(lang, &pace))
        (filters(lang, &o))
        p.muted {
            (o.campaign.name) " · " (o.period.label)
            @if !o.period.whole() {
                " · " (lang.pick("hộ và thôn được tính vào ngày lần đầu được đến trong kế hoạch", "households and hamlets count on the day they were first reached in the campaign"))
            }
        }
        (cards(lang, &o.total))
        (overview_pace::charts(lang, &pace))
        h2 { (lang.pick("Theo đơn vị, đội", "By unit and team")) }
        (layout::export_links(lang, "/", &export_query))
        (children_table(lang, &o))
    };
    let title = format!("{} – {}", lang.pick("Tiến độ", "Progress"), o.unit_name);
    Ok(html(layout::page(&user, Nav::Overview, &title, body)))
}
