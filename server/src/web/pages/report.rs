//! The quick report (báo cáo nhanh) of a unit for a period: drafted from the rollup and the
//! field's feedback, edited in the browser, downloaded as a Word document laid out as a Youth
//! Union document (Hướng dẫn 29-HD/TWĐTN-VP). The indicator figures are always recounted on the
//! server when the document is made; only the wording is the coordinator's. The heading (issuing
//! body, superior, symbol, signing authority) is drafted from the unit tree by [`letterhead`].
//! Under the figures, the document carries progress over time of the main indicators as a
//! picture ([`report_chart`]): the overview's charts, rendered to PNG on the server.

use std::collections::BTreeMap;

use axum::extract::Query;
use axum::Form;
use chrono::NaiveDate;
use gocua_protocol::*;
use maud::html;
use serde::Deserialize;
use uuid::Uuid;

use super::feedback::{self as fb, category_label};
use super::overview::{self, OverviewQuery};
use super::{attachment, file_name, html};
use crate::db::Sql;
use crate::domain::audit::{self, AuditEvent};
use crate::domain::pace::{IndicatorPace, Pace};
use crate::params;
use crate::web::chart;
use crate::web::data::{self, NodeProgress, OVERVIEW_INDICATORS};
use crate::web::error::PageResult;
use crate::web::error::WebError;
use crate::web::export::{quick_report_docx, QuickReport, ReportIndicator, ReportPicture};
use crate::web::extract::Ctx;
use crate::web::i18n::{self, Lang};
use crate::web::layout::{self, Nav};
use crate::web::scope::{OrgTree, Unit};
use crate::web::session::User;
use crate::web::state::db_run;

/// What the form is prefilled with; every text is the coordinator's to change.
struct Draft {
    o: overview::Overview,
    letterhead: Letterhead,
    place: String,
    subject: String,
    intro: String,
    assessment: String,
    difficulties: String,
    recommendations: String,
    recipients: String,
}

/// How a unit heads its documents, per Hướng dẫn 29-HD/TWĐTN-VP.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Letterhead {
    /// The direct superior, written above the issuing body: only for a grassroots union (commune,
    /// school, agency…), e.g. "HUYỆN ĐOÀN LONG HỒ"; empty for a province or district union.
    superior: String,
    /// The issuing body, e.g. "BCH ĐOÀN TỈNH VĨNH LONG", "BCH ĐOÀN XÃ LONG HỒ".
    body: String,
    /// The issuer's part of the document symbol, e.g. "TĐTN" in "Số: 12-BC/TĐTN".
    symbol: &'static str,
    /// e.g. "TM. BAN THƯỜNG VỤ TỈNH ĐOÀN", "TM. BAN THƯỜNG VỤ ĐOÀN XÃ".
    signer_role: String,
}

/// The levels above the grassroots, as a union's name starts ("Tỉnh đoàn Vĩnh Long"): the
/// level's word, how the committee names its place ("BCH ĐOÀN TỈNH …") and the symbol. Such a
/// committee issues in its own name, without a superior line.
const LEVEL_UNIONS: [(&str, &str, &str); 5] = [
    ("tỉnh", "TỈNH", "TĐTN"),
    ("thành", "THÀNH PHỐ", "TĐTN"),
    ("thị", "THỊ XÃ", "TĐTN"),
    ("huyện", "HUYỆN", "HĐTN"),
    ("quận", "QUẬN", "QĐTN"),
];

/// Derives the heading of `unit`'s documents from its name, kind and parent. Units are named as
/// people say them: "Tỉnh Đoàn Vĩnh Long" (→ "BCH ĐOÀN TỈNH VĨNH LONG", symbol TĐTN, no superior
/// line), "Huyện đoàn Long Hồ" (→ "BCH ĐOÀN HUYỆN LONG HỒ", HĐTN), "Đoàn xã Mỏ Cày" (→ its
/// parent's name above "BCH ĐOÀN XÃ MỎ CÀY", ĐTN). A name already starting with "BCH" or "Ban
/// Chấp hành" is kept. What the name cannot say (the number, a department suffix such as
/// "-TCKT") the coordinator types in the form.
fn letterhead(unit: &Unit, parent: Option<&Unit>) -> Letterhead {
    let name = unit.name.split_whitespace().collect::<Vec<_>>().join(" ");
    let words: Vec<String> = name.split(' ').map(str::to_lowercase).collect();
    let rest = |n: usize| upper(&name.split(' ').skip(n).collect::<Vec<_>>().join(" "));
    let kind = OrgUnitKind::parse(&unit.kind);
    let superior = || parent.map(|p| upper(p.name.trim())).unwrap_or_default();
    // "Tỉnh đoàn X", "Huyện đoàn X"…: a committee above the grassroots.
    if words.len() > 2 && words[1] == "đoàn" {
        if let Some((_, place, symbol)) = LEVEL_UNIONS.iter().find(|l| l.0 == words[0]) {
            return Letterhead {
                superior: String::new(),
                body: format!("BCH ĐOÀN {place} {}", rest(2)),
                symbol,
                signer_role: format!("TM. BAN THƯỜNG VỤ {}", upper(&format!("{} đoàn", words[0]))),
            };
        }
    }
    let above_grassroots = matches!(
        kind,
        OrgUnitKind::ProvinceUnion | OrgUnitKind::DistrictUnion
    );
    let symbol = match kind {
        OrgUnitKind::ProvinceUnion => "TĐTN",
        OrgUnitKind::DistrictUnion => "HĐTN",
        _ => "ĐTN",
    };
    let body = if words[0] == "bch" || name.to_lowercase().starts_with("ban chấp hành") {
        upper(&name)
    } else {
        format!("BCH {}", upper(&name))
    };
    // "Đoàn xã X" → "ĐOÀN XÃ", "Đoàn thị trấn X" → "ĐOÀN THỊ TRẤN": how the signature names
    // the committee's union.
    let short = if words[0] == "đoàn" && words.len() > 2 {
        let two_word_level = matches!(
            (words[1].as_str(), words[2].as_str()),
            ("thị", "trấn") | ("đặc", "khu")
        );
        upper(&format!(
            "đoàn {}",
            words[1..if two_word_level { 3 } else { 2 }].join(" ")
        ))
    } else {
        String::new()
    };
    Letterhead {
        superior: if above_grassroots {
            String::new()
        } else {
            superior()
        },
        body,
        symbol,
        signer_role: format!("TM. BAN THƯỜNG VỤ {short}").trim_end().to_owned(),
    }
}

/// The place in "Vĩnh Long, ngày …": the area's name without its kind ("Tỉnh Vĩnh Long" →
/// "Vĩnh Long", "Phường Bến Tre" → "Bến Tre"), except where the name is a number ("Phường 1"
/// stays whole), as official documents write it.
fn place_name(area: &str) -> String {
    let area = area.trim();
    const KINDS: [&str; 6] = [
        "Thành phố ",
        "Thị trấn ",
        "Đặc khu ",
        "Tỉnh ",
        "Phường ",
        "Xã ",
    ];
    for kind in KINDS {
        let rest = area
            .get(..kind.len())
            .filter(|head| head.to_lowercase() == kind.to_lowercase())
            .map(|_| area[kind.len()..].trim());
        if let Some(rest) = rest {
            if !rest.is_empty() && !rest.starts_with(|c: char| c.is_ascii_digit()) {
                return rest.to_owned();
            }
        }
    }
    area.to_owned()
}

/// "Hồ sơ DVC" → "hồ sơ DVC": only the first letter, so abbreviations stay as they are.
fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or(String::new(), |f| f.to_lowercase().chain(c).collect())
}

fn upper(s: &str) -> String {
    s.to_uppercase()
}

/// A truthful first draft: what was done, and which indicators lag their targets.
fn assessment(lang: Lang, unit: &str, period: &str, p: &NodeProgress) -> String {
    let n = |i: &Indicator| p.tally.get(i).unwrap_or(0);
    let mut out = format!(
        "Trong thời gian {period}, {unit} đã tổ chức {} buổi tuyên truyền, tư vấn; đến {} hộ gia đình với {} lượt người được tiếp cận; hỗ trợ {} hồ sơ dịch vụ công trực tuyến (trong đó {} hồ sơ toàn trình) và kích hoạt {} tài khoản VNeID.",
        i18n::number(Lang::Vi, n(&Indicator::Sessions)),
        i18n::number(Lang::Vi, n(&Indicator::HouseholdsVisited)),
        i18n::number(Lang::Vi, n(&Indicator::PeopleReached)),
        i18n::number(Lang::Vi, n(&Indicator::ServicesSupported)),
        i18n::number(Lang::Vi, n(&Indicator::ServicesToanTrinh)),
        i18n::number(Lang::Vi, n(&Indicator::VneidActivations)),
    );
    let lagging: Vec<String> = OVERVIEW_INDICATORS
        .iter()
        .filter_map(|i| {
            let share = share_of_target(n(i), p.target(i))?;
            (!share.is_reached()).then(|| {
                format!(
                    "{} ({})",
                    lower_first(i.label_vi()),
                    i18n::share(Lang::Vi, Some(share))
                )
            })
        })
        .collect();
    let met: Vec<String> = OVERVIEW_INDICATORS
        .iter()
        .filter(|i| share_of_target(n(i), p.target(i)).is_some_and(Share::is_reached))
        .map(|i| lower_first(i.label_vi()))
        .collect();
    if !met.is_empty() {
        out.push_str(&format!(
            "\n\nCác chỉ tiêu đã hoàn thành: {}.",
            met.join(", ")
        ));
    }
    if !lagging.is_empty() {
        out.push_str(&format!(
            "\n\nCác chỉ tiêu chưa đạt: {}; cần tập trung trong thời gian tới.",
            lagging.join(", ")
        ));
    }
    let _ = lang;
    out
}

fn load(sql: &mut dyn Sql, user: &User, q: &OverviewQuery) -> Result<Option<Draft>, WebError> {
    let Some(o) = overview::load(sql, user, q)? else {
        return Ok(None);
    };
    let tree = OrgTree::load(sql)?;
    let unit = &tree.units[&o.unit_id];
    let parent = unit.parent_id.and_then(|p| tree.units.get(&p));
    let letterhead = letterhead(unit, parent);
    let place = sql
        .query_one(
            "SELECT a.name FROM org_units u JOIN areas a ON a.code = u.area_code WHERE u.id = ?",
            params![o.unit_id],
        )?
        .map(|r| place_name(&r.text(0)))
        .unwrap_or_default();
    let teams = tree.subtree_teams(o.unit_id);
    let items = fb::load(sql, &tree, &teams, o.period.from, o.period.to)?;
    let mut groups: BTreeMap<String, Vec<&fb::FeedbackItem>> = BTreeMap::new();
    let mut recommendations = Vec::new();
    for i in &items {
        if i.category == FeedbackCategory::Recommendation {
            // Text erased at a household's request is left out of the draft.
            if !i.text.is_empty() {
                recommendations.push(i.text.clone());
            }
        } else {
            groups
                .entry(category_label(Lang::Vi, &i.category))
                .or_default()
                .push(i);
        }
    }
    let mut groups: Vec<_> = groups.into_iter().collect();
    groups.sort_by_key(|g| std::cmp::Reverse(g.1.len()));
    let difficulties: Vec<String> = groups
        .iter()
        .map(|(name, list)| {
            let mut texts: Vec<&str> = Vec::new();
            for i in list {
                let t = i.text.trim().trim_end_matches('.');
                if !t.is_empty() && !texts.contains(&t) {
                    texts.push(t);
                }
            }
            format!(
                "{name} ({} ý kiến): {}",
                list.len(),
                texts.into_iter().take(3).collect::<Vec<_>>().join("; ")
            )
        })
        .collect();
    recommendations.dedup();
    let period = format!(
        "từ ngày {} đến ngày {}",
        i18n::date(o.period.from),
        i18n::date(reported_until(&o.period))
    );
    Ok(Some(Draft {
        letterhead,
        place,
        subject: format!("Nhanh kết quả thực hiện “{}”", o.campaign.name),
        intro: format!(
            "Thực hiện {} ({}), {} báo cáo nhanh kết quả triển khai {} như sau:",
            o.campaign.name, o.campaign.legal_reference, unit.name, period
        ),
        assessment: assessment(user.lang, &unit.name, &period, &o.total),
        difficulties: difficulties.join("\n"),
        recommendations: recommendations
            .into_iter()
            .take(10)
            .collect::<Vec<_>>()
            .join("\n"),
        recipients: parent
            .map(|p| format!("Ban Thường vụ {}", p.name))
            .unwrap_or_default(),
        o,
    }))
}

/// A report speaks of what has happened: a period still running is reported up to today.
fn reported_until(p: &data::Period) -> NaiveDate {
    p.to.min(crate::domain::calendar::today()).max(p.from)
}

fn indicators(o: &overview::Overview) -> Vec<ReportIndicator> {
    OVERVIEW_INDICATORS
        .iter()
        .map(|i| ReportIndicator {
            name: i.label_vi().to_owned(),
            target: o.total.target(i),
            achieved: o.total.tally.get(i).unwrap_or(0),
        })
        .collect()
}

/// The indicators the report's chart shows when they have a target: the campaign's main results
/// (households reached, online services supported, VNeID accounts, hamlets covered). Two rows of
/// two keep the picture to about a third of a page.
const CHART_INDICATORS: [Indicator; 4] = [
    Indicator::HouseholdsVisited,
    Indicator::ServicesSupported,
    Indicator::VneidActivations,
    Indicator::HamletsCovered,
];

/// The main indicators with a target (or, when none of them has one, the first four that do).
fn chart_indicators(pace: &Pace) -> Vec<&IndicatorPace> {
    let main: Vec<&IndicatorPace> = pace
        .targeted()
        .filter(|i| CHART_INDICATORS.contains(&i.indicator))
        .collect();
    if main.is_empty() {
        pace.targeted().take(4).collect()
    } else {
        main
    }
}

/// Progress over time as the report's picture; `None` when no indicator has a target.
fn report_chart(pace: &Pace) -> Result<Option<ReportPicture>, WebError> {
    let list = chart_indicators(pace);
    if list.is_empty() {
        return Ok(None);
    }
    let picture = chart::picture(pace, &list).map_err(WebError::Export)?;
    let t = &pace.timeline;
    Ok(Some(ReportPicture {
        png: picture.png,
        width_px: picture.width_px,
        height_px: picture.height_px,
        caption: format!(
            "Tiến độ theo thời gian (cả kế hoạch, từ ngày {} đến ngày {}; số liệu đến ngày {}):",
            i18n::date(t.starts_on),
            i18n::date(t.ends_on),
            i18n::date(t.counted_until().max(t.starts_on)),
        ),
        description: picture.description,
    }))
}

pub async fn form(Ctx { state, user }: Ctx, Query(q): Query<OverviewQuery>) -> PageResult {
    let lang = user.lang;
    let (u, query) = (user.clone(), q.clone());
    let Some(d) = db_run(&state, lang, move |sql| load(sql, &u, &query)).await? else {
        let text = lang.pick(
            "Chưa có kế hoạch nào để báo cáo.",
            "There is no campaign to report on.",
        );
        return Ok(html(layout::notice_page(&user, Nav::Report, text)));
    };
    let o = &d.o;
    let today = crate::domain::calendar::today();
    let body = html! {
        form.filters method="get" action="/report" {
            input type="hidden" name="unit" value=(o.unit_id);
            label { (lang.pick("Kế hoạch", "Campaign"))
                select name="campaign" { @for c in &o.campaigns { option value=(c.id) selected[c.id == o.campaign.id] { (c.name) } } } }
            label { (lang.pick("Thời gian", "Period"))
                select name="period" {
                    option value="all" selected[o.period.key == "all"] { (lang.pick("Cả kế hoạch", "Whole campaign")) }
                    @for (i, w) in o.campaign.peak_windows.iter().enumerate() { @let key = format!("peak{i}"); option value=(key) selected[o.period.key == key] { (w.name) } }
                    option value="custom" selected[o.period.key == "custom"] { (lang.pick("Chọn ngày", "Choose dates")) }
                } }
            label { (lang.pick("Từ ngày", "From")) input type="date" name="from" value=(o.period.from); }
            label { (lang.pick("Đến ngày", "To")) input type="date" name="to" value=(o.period.to); }
            button.primary type="submit" { (lang.pick("Lập lại bản nháp", "Redraft")) }
        }
        p.muted { (o.unit_name) " · " (o.campaign.name) " · " (o.period.label) " · "
            (lang.pick("Hạn báo cáo: ", "Report due: ")) (i18n::date(o.campaign.report_deadline)) }
        h2 { (lang.pick("Kết quả (tính từ dữ liệu đã nhận, không sửa được)", "Results (counted from received data; not editable)")) }
        div.tablewrap { table {
            thead { tr { th { (lang.pick("Chỉ tiêu", "Indicator")) } th { (lang.pick("Kế hoạch", "Target")) } th { (lang.pick("Kết quả", "Result")) } th { (lang.pick("Tỷ lệ", "Share")) } } }
            tbody { @for i in indicators(o) { tr {
                td { (i.name) }
                td.num { (i.target.map(|t| i18n::number(lang, t)).unwrap_or_else(|| "—".into())) }
                td.num { (i18n::number(lang, i.achieved)) }
                td.num { (i18n::share(lang, share_of_target(i.achieved, i.target))) }
            } } }
        } }
        h2 { (lang.pick("Nội dung văn bản", "Document text")) }
        form.stack.card method="post" action="/report" {
            (layout::csrf_field(&user))
            input type="hidden" name="campaign" value=(o.campaign.id);
            input type="hidden" name="unit" value=(o.unit_id);
            input type="hidden" name="period" value=(o.period.key);
            input type="hidden" name="from" value=(o.period.from);
            input type="hidden" name="to" value=(o.period.to);
            label { (lang.pick("Cấp trên trực tiếp (đoàn cơ sở)", "Direct superior (grassroots unions)")) input name="superior_unit" value=(d.letterhead.superior); }
            label { (lang.pick("Cơ quan ban hành", "Issuing body")) input name="unit_name" value=(d.letterhead.body) required; }
            label { (lang.pick("Số và ký hiệu văn bản", "Number and symbol")) input name="number" value=(format!("Số:      -BC/{}", d.letterhead.symbol)); }
            label { (lang.pick("Địa danh", "Place")) input name="place" value=(d.place) required; }
            label { (lang.pick("Ngày ban hành", "Date")) input type="date" name="date" value=(today) required; }
            label { (lang.pick("Trích yếu", "Subject")) input name="subject" value=(d.subject) required; }
            label { (lang.pick("Mở đầu", "Introduction")) textarea name="intro" rows="3" { (d.intro) } }
            label { (lang.pick("Đánh giá chung", "Assessment")) textarea name="assessment" rows="9" { (d.assessment) } }
            label { (lang.pick("Khó khăn, vướng mắc (mỗi dòng một ý)", "Difficulties (one per line)")) textarea name="difficulties" rows="8" { (d.difficulties) } }
            label { (lang.pick("Đề xuất, kiến nghị (mỗi dòng một ý)", "Recommendations (one per line)")) textarea name="recommendations" rows="4" { (d.recommendations) } }
            label { (lang.pick("Nơi nhận (mỗi dòng một nơi)", "Recipients (one per line)")) textarea name="recipients" rows="3" { (d.recipients) } }
            label { (lang.pick("Thẩm quyền ký", "Signing authority")) input name="signer_role" value=(d.letterhead.signer_role); }
            label { (lang.pick("Chức vụ người ký", "Signer's title")) input name="signer_title" value="BÍ THƯ"; }
            label { (lang.pick("Họ tên người ký", "Signer's name")) input name="signer_name" value=(user.account.display_name); }
            button.primary type="submit" { (lang.pick("Tải báo cáo (.docx)", "Download report (.docx)")) }
        }
    };
    Ok(html(layout::page(
        &user,
        Nav::Report,
        lang.pick("Báo cáo nhanh", "Quick report"),
        body,
    )))
}

#[derive(Deserialize)]
pub struct ReportForm {
    csrf: String,
    campaign: Option<Uuid>,
    unit: Option<Uuid>,
    period: Option<String>,
    from: Option<String>,
    to: Option<String>,
    superior_unit: String,
    unit_name: String,
    number: String,
    place: String,
    date: String,
    subject: String,
    intro: String,
    assessment: String,
    difficulties: String,
    recommendations: String,
    recipients: String,
    signer_role: String,
    signer_title: String,
    signer_name: String,
}

fn lines(s: &str) -> Vec<String> {
    s.lines()
        .map(|l| l.trim().trim_start_matches(['-', '•']).trim().to_owned())
        .filter(|l| !l.is_empty())
        .collect()
}

pub async fn download(Ctx { state, user }: Ctx, Form(f): Form<ReportForm>) -> PageResult {
    let lang = user.lang;
    user.check_csrf(&f.csrf).map_err(|e| e.into_page(lang))?;
    let date = NaiveDate::parse_from_str(f.date.trim(), "%Y-%m-%d").map_err(|_| {
        WebError::bad_input(
            format!("Ngày ban hành \"{}\" không hợp lệ.", f.date),
            format!("The date \"{}\" is not valid.", f.date),
        )
        .into_page(lang)
    })?;
    for (value, vi, en) in [
        (&f.unit_name, "Đơn vị ban hành", "The issuing unit"),
        (&f.place, "Địa danh", "The place"),
        (&f.subject, "Trích yếu", "The subject"),
    ] {
        if value.trim().is_empty() {
            return Err(WebError::bad_input(
                format!("{vi} không được để trống."),
                format!("{en} must not be empty."),
            )
            .into_page(lang));
        }
    }
    let q = OverviewQuery {
        campaign: f.campaign,
        unit: f.unit,
        period: f.period.clone(),
        from: f.from.clone(),
        to: f.to.clone(),
        format: None,
    };
    let u = user.clone();
    let (o, pace) = db_run(&state, lang, move |sql| {
        let o = overview::load(sql, &u, &q)?
            .ok_or_else(|| WebError::bad_input("Chưa có kế hoạch nào.", "There is no campaign."))?;
        let pace = overview::load_pace(sql, &o, crate::domain::calendar::today())?;
        audit::record_by(
            sql,
            &u.account,
            &o.unit_name,
            &AuditEvent::Report {
                from: o.period.from,
                to: o.period.to,
            },
        )?;
        Ok((o, pace))
    })
    .await?;
    // Drawing the picture takes some CPU: off the async threads, as the database work is.
    let chart = tokio::task::spawn_blocking(move || report_chart(&pace))
        .await
        .map_err(|e| WebError::Export(e.to_string()).into_page(lang))?
        .map_err(|e| e.into_page(lang))?;
    let report = QuickReport {
        superior_unit: f.superior_unit.trim().to_owned(),
        unit_name: f.unit_name.trim().to_owned(),
        number: f.number.trim().to_owned(),
        place: f.place.trim().to_owned(),
        date,
        title: "BÁO CÁO".into(),
        subject: f.subject.trim().to_owned(),
        period_label: format!(
            "Từ ngày {} đến ngày {}",
            i18n::date(o.period.from),
            i18n::date(reported_until(&o.period))
        ),
        intro: f.intro.trim().to_owned(),
        indicators: indicators(&o),
        chart,
        assessment: f.assessment.trim().to_owned(),
        difficulties: lines(&f.difficulties),
        recommendations: lines(&f.recommendations),
        recipients: lines(&f.recipients),
        signer_role: f.signer_role.trim().to_owned(),
        signer_title: f.signer_title.trim().to_owned(),
        signer_name: f.signer_name.trim().to_owned(),
    };
    let bytes =
        quick_report_docx(&report).map_err(|e| WebError::Export(e.to_string()).into_page(lang))?;
    Ok(attachment(
        bytes,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        &file_name("bao cao nhanh", "docx"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    use OrgUnitKind::{CommuneUnion, DistrictUnion, Other, ProvinceUnion, SchoolUnion};

    /// The letterhead of a unit named `name` of `kind` under `parent`.
    fn letterhead_of(name: &str, kind: OrgUnitKind, parent: Option<&Unit>) -> Letterhead {
        letterhead(&unit(name, kind), parent)
    }

    fn unit(name: &str, kind: OrgUnitKind) -> Unit {
        Unit {
            id: Uuid::nil(),
            name: name.into(),
            kind: kind.as_str().into(),
            parent_id: None,
            active: true,
        }
    }

    #[test]
    fn place_names_drop_the_area_kind() {
        for (written, place) in [
            ("Tỉnh Vĩnh Long", "Vĩnh Long"),
            ("Phường Bến Tre", "Bến Tre"),
            ("xã Tân Long Hội", "Tân Long Hội"),
            ("Thành phố Cần Thơ", "Cần Thơ"),
            ("Thị trấn Cái Nhum", "Cái Nhum"),
            ("Phường 1", "Phường 1"),
            ("Phường", "Phường"),
            (" Vĩnh Long ", "Vĩnh Long"),
            ("", ""),
        ] {
            assert_eq!(place_name(written), place, "{written:?}");
        }
    }

    #[test]
    fn letterhead_of_a_province_union() {
        let province = unit("Tỉnh Đoàn Vĩnh Long", ProvinceUnion);
        assert_eq!(
            letterhead(&province, None),
            Letterhead {
                superior: String::new(),
                body: "BCH ĐOÀN TỈNH VĨNH LONG".into(),
                symbol: "TĐTN",
                signer_role: "TM. BAN THƯỜNG VỤ TỈNH ĐOÀN".into(),
            }
        );
        // Any case, extra spaces.
        let l = letterhead_of("  tỉnh đoàn   Bến Tre ", ProvinceUnion, None);
        assert_eq!(l.body, "BCH ĐOÀN TỈNH BẾN TRE");
        let city = letterhead_of("Thành đoàn Cần Thơ", ProvinceUnion, None);
        assert_eq!(city.body, "BCH ĐOÀN THÀNH PHỐ CẦN THƠ");
        assert_eq!(city.symbol, "TĐTN");
        assert_eq!(city.signer_role, "TM. BAN THƯỜNG VỤ THÀNH ĐOÀN");
    }

    #[test]
    fn letterhead_of_a_district_union_has_no_superior_line() {
        let province = unit("Tỉnh Đoàn Vĩnh Long", ProvinceUnion);
        let l = letterhead_of("Huyện đoàn Long Hồ", DistrictUnion, Some(&province));
        assert_eq!(l.superior, "");
        assert_eq!(l.body, "BCH ĐOÀN HUYỆN LONG HỒ");
        assert_eq!(l.symbol, "HĐTN");
        assert_eq!(l.signer_role, "TM. BAN THƯỜNG VỤ HUYỆN ĐOÀN");
        let q = letterhead_of("Quận đoàn 1", DistrictUnion, None);
        assert_eq!((q.body.as_str(), q.symbol), ("BCH ĐOÀN QUẬN 1", "QĐTN"));
    }

    #[test]
    fn letterhead_of_a_commune_union_names_its_superior() {
        let province = unit("Tỉnh Đoàn Vĩnh Long", ProvinceUnion);
        let district = unit("Huyện đoàn Long Hồ", DistrictUnion);
        assert_eq!(
            letterhead_of("Đoàn xã Long Hồ", CommuneUnion, Some(&province)),
            Letterhead {
                superior: "TỈNH ĐOÀN VĨNH LONG".into(),
                body: "BCH ĐOÀN XÃ LONG HỒ".into(),
                symbol: "ĐTN",
                signer_role: "TM. BAN THƯỜNG VỤ ĐOÀN XÃ".into(),
            }
        );
        let l = letterhead_of("Đoàn phường Bến Tre", CommuneUnion, Some(&district));
        assert_eq!(l.superior, "HUYỆN ĐOÀN LONG HỒ");
        assert_eq!(l.body, "BCH ĐOÀN PHƯỜNG BẾN TRE");
        assert_eq!(l.signer_role, "TM. BAN THƯỜNG VỤ ĐOÀN PHƯỜNG");
        let t = letterhead_of("Đoàn thị trấn Cái Nhum", CommuneUnion, Some(&district));
        assert_eq!(t.body, "BCH ĐOÀN THỊ TRẤN CÁI NHUM");
        assert_eq!(t.signer_role, "TM. BAN THƯỜNG VỤ ĐOÀN THỊ TRẤN");
        // No parent: no superior line rather than an invented one.
        let alone = letterhead_of("Đoàn xã Mỏ Cày", CommuneUnion, None);
        assert_eq!(alone.superior, "");
    }

    #[test]
    fn letterhead_of_other_names_falls_back_on_the_kind() {
        let province = unit("Tỉnh Đoàn Vĩnh Long", ProvinceUnion);
        // Already written as a committee: kept.
        let l = letterhead_of(
            "BCH Đoàn trường THPT Lưu Văn Liệt",
            SchoolUnion,
            Some(&province),
        );
        assert_eq!(l.body, "BCH ĐOÀN TRƯỜNG THPT LƯU VĂN LIỆT");
        assert_eq!(l.superior, "TỈNH ĐOÀN VĨNH LONG");
        assert_eq!(l.symbol, "ĐTN");
        // A province union named otherwise still issues alone with the province symbol.
        let p = letterhead_of("Đoàn TNCS tỉnh Vĩnh Long", ProvinceUnion, None);
        assert_eq!(p.body, "BCH ĐOÀN TNCS TỈNH VĨNH LONG");
        assert_eq!((p.superior.as_str(), p.symbol), ("", "TĐTN"));
        assert_eq!(
            letterhead_of("", Other, None).signer_role,
            "TM. BAN THƯỜNG VỤ"
        );
    }
}
