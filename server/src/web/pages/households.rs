//! Households within the user's scope: search (diacritic-insensitive), and one household with its
//! visits. Names, addresses and phone numbers only for roles that work with them; households that
//! asked for erasure show none to anyone.

use axum::extract::{Path, Query};
use chrono::NaiveDate;
use gocua_protocol::*;
use maud::html;
use serde::Deserialize;
use uuid::Uuid;

use super::{download, html, Format};
use crate::db::Sql;
use crate::domain::audit::{self, AuditEvent};
use crate::domain::coverage::{self, HamletChoice};
use crate::params;
use crate::web::data::{self, in_list, scoped_teams};
use crate::web::error::PageResult;
use crate::web::error::WebError;
use crate::web::export::{Cell, Column, Table};
use crate::web::extract::Ctx;
use crate::web::i18n;
use crate::web::layout::{self, Nav};
use crate::web::scope::OrgTree;
use crate::web::session::User;
use crate::web::state::db_run;

/// At most this many households are listed; the search narrows further.
const LIST_LIMIT: usize = 200;

#[derive(Deserialize, Default)]
pub struct HouseholdQuery {
    q: Option<String>,
    unit: Option<Uuid>,
    team: Option<Uuid>,
    format: Option<String>,
    /// From the coverage page: households of one hamlet, or (`commune` with `no_hamlet`) of a
    /// commune recorded without one, and/or not reached in `campaign` since `not_since`.
    hamlet: Option<String>,
    commune: Option<String>,
    no_hamlet: Option<String>,
    campaign: Option<String>,
    not_since: Option<String>,
}

/// The coverage filter of the list, as the domain words it, and what the page says about it.
struct CoverageFilter {
    hamlet: Option<HamletChoice>,
    since: Option<(Campaign, NaiveDate)>,
}

impl CoverageFilter {
    fn parse(sql: &mut dyn Sql, q: &HouseholdQuery) -> Result<CoverageFilter, WebError> {
        let some = |s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let hamlet = match (some(&q.hamlet), some(&q.commune), some(&q.no_hamlet)) {
            (Some(h), _, _) => Some(HamletChoice::Hamlet(h)),
            (None, Some(commune), Some(_)) => Some(HamletChoice::NoHamlet { commune }),
            _ => None,
        };
        let since = match some(&q.not_since) {
            None => None,
            Some(raw) => {
                let today = crate::domain::calendar::today();
                let day = super::coverage::since_or_default(Some(&raw), today)?;
                let asked = some(&q.campaign).and_then(|c| Uuid::parse_str(&c).ok());
                let campaigns = data::campaigns(sql)?;
                data::pick_campaign(&campaigns, asked, today).map(|c| (c, day))
            }
        };
        Ok(CoverageFilter { hamlet, since })
    }

    fn active(&self) -> bool {
        self.hamlet.is_some() || self.since.is_some()
    }

    /// `AND …` on `households h`: erased households are left out, as the coverage counts do.
    fn conditions(&self) -> (String, Vec<crate::db::Value>) {
        if !self.active() {
            return (String::new(), Vec::new());
        }
        let windows = self
            .since
            .as_ref()
            .map(|(c, day)| coverage::Windows::new(c, *day));
        let (clause, values) =
            coverage::household_conditions(self.hamlet.as_ref(), windows.as_ref());
        (format!(" AND h.erased = 0{clause}"), values)
    }
}

pub struct HouseholdRow {
    pub household: Household,
    pub team_name: String,
    pub visits: i64,
}

/// What a role may see of a household's name.
pub fn head_name(user: &User, h: &Household) -> String {
    let lang = user.lang;
    if h.erased {
        lang.pick_owned(
            "(đã xoá thông tin cá nhân theo yêu cầu)",
            "(personal data erased on request)",
        )
    } else if user.account.role.sees_personal_data() {
        h.head_name.clone()
    } else {
        lang.pick_owned(
            format!("Hộ {}", &h.id.to_string()[..8]),
            format!("Household {}", &h.id.to_string()[..8]),
        )
    }
}

fn load_list(
    sql: &mut dyn Sql,
    user: &User,
    q: &HouseholdQuery,
) -> Result<(OrgTree, Vec<HouseholdRow>, usize, CoverageFilter), WebError> {
    let tree = OrgTree::load(sql)?;
    let teams = scoped_teams(&tree, user.account.org_unit_id, q.unit, q.team)?;
    let (marks, mut values) = in_list(&teams);
    let filter = CoverageFilter::parse(sql, q)?;
    let (coverage_clause, coverage_values) = filter.conditions();
    values.extend(coverage_values);
    let rows = sql.query(
        &format!("SELECT h.body, (SELECT COUNT(*) FROM visits v WHERE v.household_id = h.id AND v.superseded_by IS NULL)
                  FROM households h WHERE h.team_id IN ({marks}){coverage_clause} ORDER BY h.updated_at DESC"),
        &values,
    )?;
    let query = q.q.as_deref().unwrap_or("").trim();
    let personal = user.account.role.sees_personal_data();
    let mut out = Vec::new();
    let mut matched = 0;
    for r in rows {
        let h: Household = r.json(0)?;
        if !query.is_empty() {
            // Viewers search by hamlet only: matching names would reveal them.
            let hay = if personal && !h.erased {
                format!(
                    "{} {} {}",
                    h.head_name,
                    h.address_line,
                    h.phone.as_deref().unwrap_or("")
                )
            } else {
                String::new()
            };
            let area = h.hamlet_code.clone().unwrap_or_default();
            if !gocua_protocol::text::matches_query(&hay, query) && !area.contains(query) {
                continue;
            }
        }
        matched += 1;
        if out.len() < LIST_LIMIT {
            let team_name = tree
                .teams
                .get(&h.team_id)
                .map_or(String::new(), |t| t.name.clone());
            out.push(HouseholdRow {
                household: h,
                team_name,
                visits: r.int(1),
            });
        }
    }
    Ok((tree, out, matched, filter))
}

pub fn table(
    user: &User,
    rows: &[HouseholdRow],
    hamlets: &std::collections::HashMap<String, String>,
) -> Table {
    let lang = user.lang;
    let personal = user.account.role.sees_personal_data();
    let mut columns = vec![Column::text(lang.pick("Chủ hộ", "Head of household"))];
    if personal {
        columns.push(Column::text(lang.pick("Địa chỉ", "Address")));
        columns.push(Column::text(lang.pick("Điện thoại", "Phone")));
    }
    columns.extend([
        Column::text(lang.pick("Thôn, ấp", "Hamlet")),
        Column::integer(lang.pick("Số nhân khẩu", "Members")),
        Column::text(lang.pick("Đội", "Team")),
        Column::integer(lang.pick("Lượt đến", "Visits")),
    ]);
    let mut t = Table::new(lang.pick("Hộ gia đình", "Households"), columns);
    for r in rows {
        let h = &r.household;
        let mut row = vec![Cell::text(head_name(user, h))];
        if personal {
            let (addr, phone) = if h.erased {
                (String::new(), String::new())
            } else {
                (h.address_line.clone(), h.phone.clone().unwrap_or_default())
            };
            row.push(Cell::text(addr));
            row.push(Cell::text(phone));
        }
        let hamlet = h
            .hamlet_code
            .as_ref()
            .map(|c| hamlets.get(c).cloned().unwrap_or_else(|| c.clone()))
            .unwrap_or_default();
        row.extend([
            Cell::text(hamlet),
            Cell::Int(h.members.into()),
            Cell::text(r.team_name.clone()),
            Cell::Int(r.visits),
        ]);
        t.push_row(row);
    }
    t
}

pub async fn list(Ctx { state, user }: Ctx, Query(q): Query<HouseholdQuery>) -> PageResult {
    let lang = user.lang;
    let format = Format::parse(q.format.as_deref()).map_err(|e| e.into_page(lang))?;
    let u = user.clone();
    let query_text = q.q.clone().unwrap_or_default();
    let (unit, team) = (q.unit, q.team);
    let carried = coverage_params(&q);
    let (tree, rows, matched, hamlets, filter) = db_run(&state, lang, move |sql| {
        let (tree, rows, matched, filter) = load_list(sql, &u, &q)?;
        let hamlet_code = match &filter.hamlet {
            Some(HamletChoice::Hamlet(code)) => Some(code.clone()),
            Some(HamletChoice::NoHamlet { commune }) => Some(commune.clone()),
            None => None,
        };
        let hamlets = data::area_names(
            sql,
            rows.iter()
                .filter_map(|r| r.household.hamlet_code.clone())
                .chain(hamlet_code),
        )?;
        if format != Format::Html && u.account.role.sees_personal_data() {
            audit::record_by(
                sql,
                &u.account,
                "",
                &AuditEvent::Export {
                    table: "households".into(),
                    rows: rows.len() as u64,
                },
            )?;
        }
        Ok((tree, rows, matched, hamlets, filter))
    })
    .await?;
    let t = table(&user, &rows, &hamlets);
    if format != Format::Html {
        return download(&t, format).map_err(|e| e.into_page(lang));
    }
    let links: Vec<Option<String>> = rows
        .iter()
        .map(|r| Some(format!("/households/{}", r.household.id)))
        .collect();
    let mut export_query = format!("q={}", crate::web::text::url_encode(&query_text));
    for (name, value) in &carried {
        export_query.push_str(&format!("&{name}={}", crate::web::text::url_encode(value)));
    }
    if let Some(t) = team {
        export_query.push_str(&format!("&team={t}"));
    }
    if let Some(u) = unit {
        export_query.push_str(&format!("&unit={u}"));
    }
    let body = html! {
        form.filters method="get" action="/households" {
            label { (lang.pick("Tìm theo tên, địa chỉ, số điện thoại", "Search by name, address, phone"))
                input type="search" name="q" value=(query_text) placeholder=(lang.pick("vd: nguyen van an", "e.g. nguyen van an")); }
            (data::unit_filter(lang, &tree, user.account.org_unit_id, unit, team))
            @for (name, value) in &carried { input type="hidden" name=(name) value=(value); }
            button.primary type="submit" { (lang.pick("Tìm", "Search")) }
        }
        @if filter.active() { (coverage_notice(lang, &filter, &hamlets)) }
        @if !user.account.role.sees_personal_data() {
            p.muted { (lang.pick("Vai trò của bạn không xem được họ tên, địa chỉ, số điện thoại của hộ.", "Your role does not see households' names, addresses or phone numbers.")) }
        }
        p.muted { (i18n::number(lang, matched as u64)) (lang.pick(" hộ", " households"))
            @if matched > rows.len() { " · " (lang.pick("hiện ", "showing ")) (rows.len()) } }
        (layout::export_links(lang, "/households", &export_query))
        (layout::table(lang, &t, &links))
    };
    Ok(html(layout::page(&user, Nav::Households, &t.title, body)))
}

pub async fn detail(Ctx { state, user }: Ctx, Path(id): Path<Uuid>) -> PageResult {
    let lang = user.lang;
    let u = user.clone();
    let (h, team_name, visits, services, areas) = db_run(&state, lang, move |sql| {
        let Some(row) = sql.query_one("SELECT body, team_id FROM households WHERE id = ?", params![id])? else {
            return Err(WebError::NotInScope);
        };
        let tree = OrgTree::load(sql)?;
        let team = tree.team_in_scope(row.uuid(1)?, u.account.org_unit_id)?.name.clone();
        let h: Household = row.json(0)?;
        let visits: Vec<Visit> = sql
            .query("SELECT body FROM visits WHERE household_id = ? AND superseded_by IS NULL ORDER BY started_at DESC", params![id])?
            .iter().map(|r| r.json(0)).collect::<Result<_, _>>()?;
        let services: Vec<Service> = sql.query("SELECT body FROM services", &[])?.iter().map(|r| r.json(0)).collect::<Result<_, _>>()?;
        let areas = data::area_names(sql, [Some(h.commune_code.clone()), h.hamlet_code.clone()].into_iter().flatten())?;
        if u.account.role.sees_personal_data() && !h.erased {
            audit::record_by(sql, &u.account, &h.id.to_string(), &AuditEvent::HouseholdViewed {})?;
        }
        Ok((h, team, visits, services, areas))
    })
    .await?;
    let personal = user.account.role.sees_personal_data() && !h.erased;
    let area = |c: &String| areas.get(c).cloned().unwrap_or_else(|| c.clone());
    let service_name = |key: &str| {
        services
            .iter()
            .find(|s| s.key == key)
            .map_or(key.to_owned(), |s| {
                lang.pick_owned(s.name_vi.clone(), s.name_en.clone())
            })
    };
    let body = html! {
        div.card {
            p { strong { (head_name(&user, &h)) } }
            @if personal {
                p { (h.address_line) }
                @if let Some(p) = &h.phone { p { (lang.pick("Điện thoại: ", "Phone: ")) (p) } }
            }
            p.muted {
                (h.hamlet_code.as_ref().map(area).unwrap_or_default()) ", " (area(&h.commune_code))
                " · " (h.members) (lang.pick(" nhân khẩu", " members")) " · " (team_name)
            }
            @if personal && user.account.role.can_edit() {
                p { a.button.danger href={ "/households/" (h.id) "/erase" } { (lang.pick("Xoá thông tin cá nhân theo yêu cầu", "Erase personal data on request")) } }
            }
        }
        h2 { (lang.pick("Các lượt đến hộ", "Visits")) }
        div.tablewrap { table {
            thead { tr { th { (lang.pick("Thời gian", "When")) } th { (lang.pick("Kết quả gặp", "Outcome")) } th { (lang.pick("Số người", "People")) } th { (lang.pick("Dịch vụ đã hỗ trợ", "Services helped with")) } th { (lang.pick("Hẹn quay lại", "Follow-up")) } } }
            tbody {
                @if visits.is_empty() { tr { td.empty colspan="5" { (lang.pick("Chưa có lượt đến nào.", "No visits yet.")) } } }
                @for v in &visits {
                    tr {
                        td { (i18n::date_time(v.started_at)) }
                        td { (lang.pick_owned(v.outcome.label_vi(), v.outcome.label_en())) }
                        td.num { (v.people_reached) }
                        td { @for a in &v.assists {
                            div { (service_name(&a.service_key)) ": " (lang.pick_owned(a.result.label_vi(), a.result.label_en()))
                                @if let Some(code) = a.dossier_code.as_ref().filter(|_| user.account.role.sees_personal_data()) { " · " span.muted { (code) } }
                                @if let Some(r) = &a.not_finished_reason { " · " span.muted { (lang.pick_owned(r.label_vi(), r.label_en())) } } }
                        } }
                        td { (v.follow_up_on.map(i18n::date).unwrap_or_default()) }
                    }
                }
            }
        } }
    };
    Ok(html(layout::page(
        &user,
        Nav::Households,
        lang.pick("Hộ gia đình", "Household"),
        body,
    )))
}

/// The coverage filter's parameters as they came, kept by the search form and the export links.
fn coverage_params(q: &HouseholdQuery) -> Vec<(&'static str, String)> {
    [
        ("hamlet", &q.hamlet),
        ("commune", &q.commune),
        ("no_hamlet", &q.no_hamlet),
        ("campaign", &q.campaign),
        ("not_since", &q.not_since),
    ]
    .into_iter()
    .filter_map(|(name, v)| {
        v.as_deref()
            .filter(|v| !v.trim().is_empty())
            .map(|v| (name, v.to_owned()))
    })
    .collect()
}

/// What the coverage filter keeps, and the way back to the whole list.
fn coverage_notice(
    lang: crate::web::i18n::Lang,
    f: &CoverageFilter,
    names: &std::collections::HashMap<String, String>,
) -> maud::Markup {
    let name = |code: &String| names.get(code).cloned().unwrap_or_else(|| code.clone());
    html! {
        p.notice.coverage-filter role="status" {
            (lang.pick("Lọc từ trang Độ phủ (không gồm hộ đã xoá thông tin cá nhân): ", "Filtered from the Coverage page (households erased on request left out): "))
            @match &f.hamlet {
                Some(HamletChoice::Hamlet(code)) => { (lang.pick("thôn, ấp ", "hamlet ")) strong { (name(code)) } }
                Some(HamletChoice::NoHamlet { commune }) => { (lang.pick("hộ chưa ghi thôn, ấp ở ", "households without a hamlet in ")) strong { (name(commune)) } }
                None => {}
            }
            @if let Some((campaign, day)) = &f.since {
                @if f.hamlet.is_some() { " · " }
                (lang.pick("chưa đến từ ngày ", "not reached since ")) strong { (i18n::date(*day)) }
                (lang.pick(" trong kế hoạch ", " in the campaign ")) (campaign.name)
            }
            " · " a href="/households" { (lang.pick("Bỏ lọc", "Clear the filter")) }
        }
    }
}
