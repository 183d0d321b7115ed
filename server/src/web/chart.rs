//! Progress over time drawn on the server as SVG (no JavaScript): per indicator, the cumulative
//! count by day (solid), the straight line to the target on the campaign's last day (dashed), the
//! target (a horizontal line), today (a dotted upright) and, while the campaign runs, where the
//! current pace leads (dotted, red when it falls short). The figures are the domain's
//! ([`crate::domain::pace`]); this file only draws them.
//!
//! The same drawing goes into the page (inline, text in the page's font, scaled by its
//! `viewBox` from phone to desktop width) and, rendered to PNG with resvg, into the quick
//! report. Colours are the stylesheet's own (`:root` variables of app.css, read once), so the
//! page, the picture and the rest of the dashboard agree.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use maud::{html, Markup};

use crate::domain::pace::{IndicatorPace, Pace, Timeline, Verdict};
use crate::web::data::indicator_label;
use crate::web::i18n::{self, Lang};

/// The drawing's own units (its `viewBox`): one chart is `WIDTH × HEIGHT`.
pub const WIDTH: f64 = 400.0;
pub const HEIGHT: f64 = 252.0;
// The plot area (its left edge leaves room for the longest number on the value axis).
const RIGHT: f64 = 392.0;
const TOP: f64 = 48.0;
const BOTTOM: f64 = 196.0;
/// Font sizes, in the drawing's units (a chart shown 350 px wide, on a phone, scales them by
/// 0.875).
const TITLE: f64 = 14.0;
const SMALL: f64 = 11.5;

const CSS: &str = include_str!("app.css");

/// The stylesheet's `:root` custom properties (`--accent:#0b5cad` → `accent` → `#0b5cad`).
fn palette() -> &'static HashMap<&'static str, &'static str> {
    static PALETTE: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    PALETTE.get_or_init(|| {
        let root = CSS
            .split_once(":root")
            .and_then(|(_, rest)| rest.split_once('{'))
            .and_then(|(_, rest)| rest.split_once('}'))
            .map_or("", |(decls, _)| decls);
        root.split(';')
            .filter_map(|d| {
                let (k, v) = d.split_once(':')?;
                Some((k.trim().strip_prefix("--")?, v.trim()))
            })
            .collect()
    })
}

/// A colour of the stylesheet; black if it went missing (a test guards the names used).
fn colour(name: &str) -> &'static str {
    palette().get(name).copied().unwrap_or("#000")
}

/// Coordinates with one decimal, enough at any width up to print.
fn n(v: f64) -> String {
    format!("{v:.1}")
}

/// The value axis up to at least `max`: a step of 1, 2 or 5 × 10ⁿ and the top, the lowest top
/// with at most five steps (the smaller step when two give the same top).
fn axis(max: u64) -> (u64, u64) {
    let max = max.max(1);
    let mut best = (1, u64::MAX);
    let mut magnitude = 1u64;
    while magnitude <= max.saturating_mul(10) {
        for m in [1, 2, 5] {
            let step = m * magnitude;
            let steps = max.div_ceil(step);
            if steps <= 5 && steps * step < best.1 {
                best = (step, steps * step);
            }
        }
        magnitude = magnitude.saturating_mul(10);
    }
    best
}

/// The days labelled on the time axis: the first, the last and three evenly between.
fn labelled_days(days: u32) -> Vec<u32> {
    let mut out: Vec<u32> = (0..=4).map(|k| 1 + ((days - 1) * k + 2) / 4).collect();
    out.dedup();
    out
}

/// "14/03": a day as the axis writes it (day and month, the house's order).
fn day_month(t: &Timeline, day: u32) -> String {
    i18n::date(t.day(day)).chars().take(5).collect()
}

/// What the chart says, in words: its `<title>` and `aria-label`.
pub fn summary(lang: Lang, t: &Timeline, i: &IndicatorPace) -> String {
    let name = indicator_label(lang, &i.indicator);
    let num = |v: u64| i18n::number(lang, v);
    let Some(target) = i.real_target() else {
        return match lang {
            Lang::Vi => format!("{name}: {} (chưa giao chỉ tiêu).", num(i.count())),
            Lang::En => format!("{name}: {} (no target).", num(i.count())),
        };
    };
    let share = i18n::percent(lang, i.count(), target);
    let (count, target_s) = (num(i.count()), num(target));
    let projected = i
        .projection
        .map(|p| (num(p), i18n::percent(lang, p, target)));
    let pace_today = num(i.pace_at(t, t.elapsed_days));
    let (days, elapsed) = (t.campaign_days, t.elapsed_days);
    match (lang, i.verdict, projected) {
        (Lang::Vi, Verdict::NotStarted, _) => format!(
            "{name}: kế hoạch chưa bắt đầu (từ {}); chỉ tiêu {target_s}.",
            i18n::date(t.starts_on)
        ),
        (Lang::En, Verdict::NotStarted, _) => format!(
            "{name}: the campaign has not started (from {}); target {target_s}.",
            i18n::date(t.starts_on)
        ),
        (Lang::Vi, Verdict::Reached, _) => format!(
            "{name}: {count} trên chỉ tiêu {target_s} ({share}) sau {elapsed} trên {days} ngày; đã đạt chỉ tiêu."
        ),
        (Lang::En, Verdict::Reached, _) => format!(
            "{name}: {count} of a target of {target_s} ({share}) after {elapsed} of {days} days; target reached."
        ),
        (Lang::Vi, _, _) if t.ended() => format!(
            "{name}: kế hoạch đã kết thúc với {count} trên chỉ tiêu {target_s} ({share}); không đạt chỉ tiêu."
        ),
        (Lang::En, _, _) if t.ended() => format!(
            "{name}: the campaign ended at {count} of a target of {target_s} ({share}); target missed."
        ),
        (Lang::Vi, verdict, Some((p, pp))) => format!(
            "{name}: {count} trên chỉ tiêu {target_s} ({share}) sau {elapsed} trên {days} ngày; theo tiến độ đều cần {pace_today}; với tốc độ hiện nay dự kiến {p} ({pp}), {}.",
            if verdict == Verdict::WillMiss { "sẽ không đạt chỉ tiêu" } else { "sẽ đạt chỉ tiêu" }
        ),
        (Lang::En, verdict, Some((p, pp))) => format!(
            "{name}: {count} of a target of {target_s} ({share}) after {elapsed} of {days} days; a steady pace needs {pace_today} by now; at the current pace {p} ({pp}) by the end, {}.",
            if verdict == Verdict::WillMiss { "short of the target" } else { "on target" }
        ),
        (_, _, None) => format!("{name}: {count} / {target_s}."),
    }
}

/// The short line under the chart's title: count / target (share) and what the pace says.
fn status_line(lang: Lang, t: &Timeline, i: &IndicatorPace) -> (String, &'static str) {
    let target = i.real_target().unwrap_or(0);
    let head = format!(
        "{}/{} ({})",
        i18n::number(lang, i.count()),
        i18n::number(lang, target),
        i18n::percent(lang, i.count(), target)
    );
    let projected = |p: u64| {
        format!(
            "{} {} ({})",
            lang.pick("dự kiến", "projected"),
            i18n::number(lang, p),
            i18n::percent(lang, p, target)
        )
    };
    match (i.verdict, i.projection) {
        (Verdict::Reached, _) => (format!("{head} · {}", lang.pick("đã đạt", "reached")), "ok"),
        (Verdict::NotStarted, _) => (
            format!("{head} · {}", lang.pick("chưa bắt đầu", "not started")),
            "muted",
        ),
        (Verdict::WillMiss, _) if t.ended() => (
            format!("{head} · {}", lang.pick("không đạt", "missed")),
            "low",
        ),
        (Verdict::WillMiss, Some(p)) => (
            format!(
                "{head} · {} · {}",
                projected(p),
                lang.pick("không đạt", "short")
            ),
            "low",
        ),
        (Verdict::OnPace, Some(p)) => (format!("{head} · {}", projected(p)), "ok"),
        _ => (head, "muted"),
    }
}

/// One chart's drawing in its own `0 0 WIDTH HEIGHT` box (no `<svg>` around it).
fn drawing(lang: Lang, t: &Timeline, i: &IndicatorPace) -> Markup {
    let target = i.real_target().unwrap_or(0);
    let days = t.campaign_days;
    let top_value = target.max(i.count()).max(1);
    let (step, y_max) = axis(top_value);
    // Digits are about 0.64 em wide in DejaVu Sans, a little less in the page's fonts.
    let widest = i18n::number(lang, y_max).chars().count() as f64;
    let left = (widest * SMALL * 0.64 + 8.0).max(40.0);
    let x = |day: f64| left + (RIGHT - left) * day / f64::from(days);
    let y = |v: f64| BOTTOM - (BOTTOM - TOP) * v / y_max as f64;
    let ticks: Vec<u64> = (0..=y_max / step).map(|k| k * step).collect();
    let mut points = format!("{},{}", n(x(0.0)), n(y(0.0)));
    for (d, v) in i.cumulative.iter().enumerate() {
        points.push_str(&format!(" {},{}", n(x(d as f64 + 1.0)), n(y(*v as f64))));
    }
    let running = t.started() && !t.ended();
    let last = (f64::from(t.elapsed_days), i.count() as f64);
    // The projection's line, stopped where it leaves the plot at the top.
    let projection_end = i
        .projection
        .filter(|_| running && i.verdict != Verdict::Reached)
        .map(|p| {
            let (x0, y0) = last;
            let (x1, y1) = (f64::from(days), p as f64);
            if y1 <= y_max as f64 || (y1 - y0).abs() < f64::EPSILON {
                (x1, y1)
            } else {
                (
                    x0 + (x1 - x0) * (y_max as f64 - y0) / (y1 - y0),
                    y_max as f64,
                )
            }
        });
    let (status, status_colour) = status_line(lang, t, i);
    let projection_colour = if i.verdict == Verdict::WillMiss {
        "low"
    } else {
        "ok"
    };
    let mut legend = vec![
        ("accent", "", 2.2, lang.pick("Thực tế", "Actual")),
        ("muted", "5 4", 1.5, lang.pick("Tiến độ đều", "Steady pace")),
        ("ok", "", 1.5, lang.pick("Chỉ tiêu", "Target")),
    ];
    if projection_end.is_some() {
        legend.push((
            projection_colour,
            "1.5 3",
            1.5,
            lang.pick("Dự kiến", "Projected"),
        ));
    }
    html! {
        rect x="0" y="0" width=(WIDTH) height=(HEIGHT) fill="#fff" {}
        text x="2" y="16" font-size=(TITLE) font-weight="bold" fill=(colour("fg")) { (indicator_label(lang, &i.indicator)) }
        text x="2" y="34" font-size=(SMALL) fill=(colour(status_colour)) { (status) }
        @for v in &ticks {
            line x1=(n(left)) x2=(n(RIGHT)) y1=(n(y(*v as f64))) y2=(n(y(*v as f64))) stroke=(colour("line")) stroke-width="1" {}
            text x=(n(left - 4.0)) y=(n(y(*v as f64) + 3.5)) font-size=(SMALL) text-anchor="end" fill=(colour("muted")) { (i18n::number(lang, *v)) }
        }
        line x1=(n(left)) x2=(n(left)) y1=(n(TOP)) y2=(n(BOTTOM)) stroke=(colour("muted")) stroke-width="1" {}
        @for (k, d) in labelled_days(days).iter().enumerate() {
            // Centred under its tick unless that would run past the plot's ends.
            @let anchor = if *d == days && k > 0 { "end" } else if k == 0 && x(f64::from(*d)) < left + 16.0 { "start" } else { "middle" };
            line x1=(n(x(f64::from(*d)))) x2=(n(x(f64::from(*d)))) y1=(n(BOTTOM)) y2=(n(BOTTOM + 4.0)) stroke=(colour("muted")) stroke-width="1" {}
            text x=(n(x(f64::from(*d)))) y=(n(BOTTOM + 17.0)) font-size=(SMALL) text-anchor=(anchor) fill=(colour("muted")) { (day_month(t, *d)) }
        }
        line.target x1=(n(left)) x2=(n(RIGHT)) y1=(n(y(target as f64))) y2=(n(y(target as f64))) stroke=(colour("ok")) stroke-width="1.5" {}
        // Under the line at its left end: above it is the status line, at the right end today
        // and the lines' ends crowd.
        text x=(n(left + 4.0)) y=(n(y(target as f64) + 14.0)) font-size=(SMALL) fill=(colour("ok")) {
            (lang.pick("Chỉ tiêu ", "Target ")) (i18n::number(lang, target))
        }
        line.pace x1=(n(x(0.0))) y1=(n(y(0.0))) x2=(n(x(f64::from(days)))) y2=(n(y(target as f64))) stroke=(colour("muted")) stroke-width="1.5" stroke-dasharray="5 4" {}
        @if running {
            @let tx = x(f64::from(t.elapsed_days));
            line.today x1=(n(tx)) x2=(n(tx)) y1=(n(TOP)) y2=(n(BOTTOM)) stroke=(colour("mid")) stroke-width="1" stroke-dasharray="2 2" {}
            // Left of the marker where there is room: the projection runs off to its right.
            @let room = tx - left > 100.0;
            text x=(n(if room { tx - 3.0 } else { tx + 3.0 })) y=(n(TOP + 30.0)) font-size=(SMALL)
                text-anchor=(if room { "end" } else { "start" }) fill=(colour("mid")) {
                (lang.pick("Hôm nay ", "Today ")) (day_month(t, t.elapsed_days))
            }
        }
        @if let Some((px, py)) = projection_end {
            line.projection x1=(n(x(last.0))) y1=(n(y(last.1))) x2=(n(x(px))) y2=(n(y(py))) stroke=(colour(projection_colour)) stroke-width="1.5" stroke-dasharray="1.5 3" {}
        }
        @if t.started() {
            polyline.actual points=(points) fill="none" stroke=(colour("accent")) stroke-width="2.2" stroke-linejoin="round" {}
            circle cx=(n(x(last.0))) cy=(n(y(last.1))) r="3" fill=(colour("accent")) {}
        }
        @for (k, (c, dash, width, label)) in legend.iter().enumerate() {
            @let lx = 2.0 + 99.0 * k as f64;
            line x1=(n(lx)) x2=(n(lx + 16.0)) y1="242" y2="242" stroke=(colour(c)) stroke-width=(width) stroke-dasharray=[(!dash.is_empty()).then_some(*dash)] {}
            text x=(n(lx + 20.0)) y="246" font-size=(SMALL) fill=(colour("fg")) { (label) }
        }
    }
}

/// One indicator's chart for a page: inline SVG that scales to its container's width, with its
/// figures as data attributes (for tests and tools) and in words for screen readers.
pub fn indicator_chart(lang: Lang, pace: &Pace, i: &IndicatorPace) -> Markup {
    let t = &pace.timeline;
    let words = summary(lang, t, i);
    html! {
        svg.pace viewBox={ "0 0 " (WIDTH) " " (HEIGHT) } role="img" aria-label=(words)
            data-indicator=(i.indicator.as_str()) data-days=(t.elapsed_days) data-campaign-days=(t.campaign_days)
            data-count=(i.count()) data-target=[i.real_target()] data-projection=[i.projection]
            data-verdict=(verdict_code(i.verdict)) {
            title { (words) }
            (drawing(lang, t, i))
        }
    }
}

pub fn verdict_code(v: Verdict) -> &'static str {
    match v {
        Verdict::NoTarget => "no_target",
        Verdict::Reached => "reached",
        Verdict::NotStarted => "not_started",
        Verdict::OnPace => "on_pace",
        Verdict::WillMiss => "will_miss",
    }
}

/// Charts side by side in one standalone SVG document (two per row), for a picture.
pub fn sheet_svg(lang: Lang, pace: &Pace, indicators: &[&IndicatorPace]) -> (String, f64, f64) {
    const GAP: f64 = 16.0;
    let columns = indicators.len().clamp(1, 2);
    let rows = indicators.len().div_ceil(2).max(1);
    let width = WIDTH * columns as f64 + GAP * (columns as f64 - 1.0);
    let height = HEIGHT * rows as f64 + GAP * (rows as f64 - 1.0);
    let svg = html! {
        svg xmlns="http://www.w3.org/2000/svg" width=(width) height=(height)
            viewBox={ "0 0 " (width) " " (height) } font-family="DejaVu Sans" {
            rect x="0" y="0" width=(width) height=(height) fill="#fff" {}
            @for (k, i) in indicators.iter().enumerate() {
                g transform={ "translate(" (n((k % 2) as f64 * (WIDTH + GAP))) "," (n((k / 2) as f64 * (HEIGHT + GAP))) ")" } {
                    (drawing(lang, &pace.timeline, i))
                }
            }
        }
    };
    (svg.into_string(), width, height)
}

/// A picture ready for a document: PNG bytes, its size in pixels and what it shows in words.
#[derive(Debug, Clone, PartialEq)]
pub struct Picture {
    pub png: Vec<u8>,
    pub width_px: u32,
    pub height_px: u32,
    pub description: String,
}

/// Pixels per unit of the drawing: two charts a row, 816 units, make 1,938 px across the
/// report's 16.5 cm of text, 298 dpi — under the 300 dpi to which LibreOffice's PDF export
/// resamples larger pictures.
const PICTURE_SCALE: f32 = 2.375;

/// The fonts the pictures are drawn with, loaded once: DejaVu Sans, regular and bold, from the
/// `dejavu` crate (it covers Vietnamese, and no system font is needed).
fn fonts() -> Arc<resvg::usvg::fontdb::Database> {
    static FONTS: OnceLock<Arc<resvg::usvg::fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = resvg::usvg::fontdb::Database::new();
            db.load_font_data(dejavu::sans::regular().to_vec());
            db.load_font_data(dejavu::sans::bold().to_vec());
            db.set_sans_serif_family("DejaVu Sans");
            Arc::new(db)
        })
        .clone()
}

/// Renders a standalone SVG document to PNG.
pub fn svg_to_png(svg: &str, scale: f32) -> Result<(Vec<u8>, u32, u32), String> {
    let options = resvg::usvg::Options {
        font_family: "DejaVu Sans".into(),
        fontdb: fonts(),
        ..Default::default()
    };
    let tree = resvg::usvg::Tree::from_str(svg, &options).map_err(|e| e.to_string())?;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(scale)
        .ok_or("empty picture")?;
    let mut pixmap =
        resvg::tiny_skia::Pixmap::new(size.width(), size.height()).ok_or("picture too large")?;
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    let png = pixmap.encode_png().map_err(|e| e.to_string())?;
    Ok((png, size.width(), size.height()))
}

/// The charts of `indicators` as one picture, two per row, in Vietnamese (the report's language).
pub fn picture(pace: &Pace, indicators: &[&IndicatorPace]) -> Result<Picture, String> {
    let lang = Lang::Vi;
    let (svg, _, _) = sheet_svg(lang, pace, indicators);
    let (png, width_px, height_px) = svg_to_png(&svg, PICTURE_SCALE)?;
    let description = indicators
        .iter()
        .map(|i| summary(lang, &pace.timeline, i))
        .collect::<Vec<_>>()
        .join(" ");
    Ok(Picture {
        png,
        width_px,
        height_px,
        description,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::pace::compute;
    use chrono::NaiveDate;
    use gocua_protocol::{Indicator, Tally};

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    /// 30 days from 01/03, today 10/03; 1,234 households of 2,000 (projection 3,702), 10
    /// sessions of 100 (projection 30: will miss).
    fn pace(today: NaiveDate) -> Pace {
        let timeline = Timeline::new(d(3, 1), d(3, 30), today);
        let days = [
            (
                d(3, 2),
                Tally {
                    households_visited: 1_000,
                    sessions: 4,
                    ..Tally::default()
                },
            ),
            (
                d(3, 9),
                Tally {
                    households_visited: 234,
                    sessions: 6,
                    ..Tally::default()
                },
            ),
        ];
        compute(timeline, &days, |i| match i {
            Indicator::HouseholdsVisited => Some(2_000),
            Indicator::Sessions => Some(100),
            _ => None,
        })
    }

    fn of<'a>(p: &'a Pace, i: &Indicator) -> &'a IndicatorPace {
        p.indicators.iter().find(|x| &x.indicator == i).unwrap()
    }

    #[test]
    fn the_stylesheet_has_every_colour_used() {
        for name in ["fg", "muted", "line", "accent", "ok", "mid", "low"] {
            let c = palette()
                .get(name)
                .unwrap_or_else(|| panic!("--{name} in app.css"));
            assert!(c.starts_with('#'), "{name}: {c}");
        }
        assert_eq!(colour("accent"), "#0b5cad");
    }

    #[test]
    fn steps_and_labels() {
        assert_eq!(axis(2_000), (500, 2_000));
        assert_eq!(axis(420), (100, 500));
        assert_eq!(axis(1), (1, 1));
        assert_eq!(axis(9), (2, 10));
        assert_eq!(axis(32), (10, 40));
        assert_eq!(axis(3_702), (1_000, 4_000));
        assert_eq!(axis(1_860), (500, 2_000));
        assert_eq!(labelled_days(30), [1, 8, 16, 23, 30]);
        assert_eq!(labelled_days(1), [1]);
        assert_eq!(labelled_days(3), [1, 2, 3]);
    }

    #[test]
    fn chart_has_a_point_per_day_and_says_its_figures() {
        let p = pace(d(3, 10));
        let h = of(&p, &Indicator::HouseholdsVisited);
        let svg = indicator_chart(Lang::Vi, &p, h).into_string();
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("data-days=\"10\""));
        assert!(svg.contains("data-projection=\"3702\""));
        let points = svg
            .split("points=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        assert_eq!(points.split(' ').count(), 11, "the origin and ten days");
        let words = "Hộ được đến: 1.234 trên chỉ tiêu 2.000 (61,7%) sau 10 trên 30 ngày; theo tiến độ đều cần 666; với tốc độ hiện nay dự kiến 3.702 (185,1%), sẽ đạt chỉ tiêu.";
        assert!(svg.contains(&format!("<title>{words}</title>")), "{svg}");
        assert!(svg.contains(&format!("aria-label=\"{words}\"")));
        assert!(svg.contains("1.234/2.000 (61,7%) · dự kiến 3.702 (185,1%)"));
        assert!(svg.contains(">Hôm nay 10/03<"));
        assert!(svg.contains(">01/03<") && svg.contains(">30/03<"));
        let s = of(&p, &Indicator::Sessions);
        assert_eq!(s.verdict, Verdict::WillMiss);
        let en = summary(Lang::En, &p.timeline, s);
        assert_eq!(en, "Outreach sessions: 10 of a target of 100 (10%) after 10 of 30 days; a steady pace needs 33 by now; at the current pace 30 (30%) by the end, short of the target.");
    }

    #[test]
    fn words_before_the_start_and_after_the_end() {
        let before = pace(d(2, 1));
        let h = of(&before, &Indicator::HouseholdsVisited);
        assert_eq!(
            summary(Lang::Vi, &before.timeline, h),
            "Hộ được đến: kế hoạch chưa bắt đầu (từ 01/03/2026); chỉ tiêu 2.000."
        );
        let svg = indicator_chart(Lang::Vi, &before, h).into_string();
        assert!(!svg.contains("polyline") && !svg.contains("Hôm nay"));
        let after = pace(d(4, 20));
        let s = of(&after, &Indicator::Sessions);
        assert_eq!(
            summary(Lang::Vi, &after.timeline, s),
            "Buổi tuyên truyền, tư vấn: kế hoạch đã kết thúc với 10 trên chỉ tiêu 100 (10%); không đạt chỉ tiêu."
        );
        assert!(!indicator_chart(Lang::Vi, &after, s)
            .into_string()
            .contains("class=\"projection\""));
    }

    #[test]
    fn picture_renders_the_charts_with_text() {
        let p = pace(d(3, 10));
        let list: Vec<&IndicatorPace> = p.targeted().collect();
        let pic = picture(&p, &list).unwrap();
        if let Ok(path) = std::env::var("GOCUA_CHART_PNG") {
            std::fs::write(path, &pic.png).unwrap();
        }
        assert_eq!((pic.width_px, pic.height_px), (1_938, 599));
        assert!(pic.png.starts_with(b"\x89PNG"));
        assert!(pic
            .description
            .starts_with("Buổi tuyên truyền, tư vấn: 10 trên chỉ tiêu 100"));
        // The title's text is drawn: the top-left corner of the first chart has dark pixels where
        // the words are, and a blank one would not.
        let (svg, _, _) = sheet_svg(Lang::Vi, &p, &list);
        let blank = svg.replace(">Buổi tuyên truyền, tư vấn<", "><");
        let ink = |svg: &str| {
            let (png, w, _) = svg_to_png(svg, 1.0).unwrap();
            let pixmap = resvg::tiny_skia::Pixmap::decode_png(&png).unwrap();
            (0..18u32)
                .flat_map(|y| (0..200u32).map(move |x| (x, y)))
                .filter(|(x, y)| pixmap.pixel(*x, *y).is_some_and(|c| c.red() < 128))
                .count()
                .min(w as usize * 100)
        };
        assert!(ink(&svg) > 100, "the title is drawn");
        assert_eq!(ink(&blank), 0);
    }
}
