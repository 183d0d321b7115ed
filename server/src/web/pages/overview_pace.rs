//! The overview's progress over time (`/` and the unit pages `/?unit=…`): the notice at the top
//! naming the indicators that will miss their target at the current pace, and the section of
//! charts, one per indicator with a target. The figures are the domain's
//! ([`crate::domain::pace`]), the drawing `web/chart.rs`'s.

use maud::{html, Markup};

use crate::domain::pace::{self, Pace};
use crate::web::chart;
use crate::web::data;
use crate::web::i18n::Lang;

/// "1.234/2.000 (61,7%)": a figure against the target, as the notice writes it.
fn against_target(lang: Lang, value: u64, target: u64) -> String {
    format!(
        "{}/{} ({})",
        crate::web::i18n::number(lang, value),
        crate::web::i18n::number(lang, target),
        crate::web::i18n::percent(lang, value, target)
    )
}

/// At the top: which indicators will miss their target at the current pace (or missed it, once
/// the campaign is over), or that all are on pace. Nothing when no target is set.
pub fn notice(lang: Lang, pace: &Pace) -> Markup {
    let t = &pace.timeline;
    if pace.targeted().next().is_none() {
        return html! {};
    }
    if !t.started() {
        return html! {
            p.notice.pace-notice role="status" data-missing="0" {
                (lang.pick("Kế hoạch bắt đầu ngày ", "The campaign starts on ")) (crate::web::i18n::date(t.starts_on))
                (lang.pick("; chưa có tiến độ để dự kiến.", "; there is no progress to project yet."))
            }
        };
    }
    let missing: Vec<_> = pace.missing().collect();
    let line = |i: &pace::IndicatorPace| {
        let target = i.real_target().unwrap_or(0);
        let value = if t.ended() {
            i.count()
        } else {
            i.projection.unwrap_or(0)
        };
        let figures = against_target(lang, value, target);
        (
            data::indicator_label(lang, &i.indicator),
            if t.ended() {
                figures
            } else {
                format!("{} {figures}", lang.pick("dự kiến", "projected"))
            },
        )
    };
    let lead = match (t.ended(), missing.len()) {
        (false, 1) => lang.pick(
            "Với tốc độ hiện nay, chỉ tiêu ",
            "At the current pace, the target for ",
        ),
        (false, _) => lang.pick(
            "Với tốc độ hiện nay, các chỉ tiêu sau sẽ không đạt:",
            "At the current pace, these targets will be missed:",
        ),
        (true, 1) => lang.pick(
            "Kế hoạch đã kết thúc; chỉ tiêu ",
            "The campaign is over; the target for ",
        ),
        (true, _) => lang.pick(
            "Kế hoạch đã kết thúc; các chỉ tiêu sau không đạt:",
            "The campaign is over; these targets were missed:",
        ),
    };
    html! {
        @if missing.is_empty() {
            p.notice.pace-notice role="status" data-missing="0" {
                @if t.ended() {
                    (lang.pick("Kế hoạch đã kết thúc; mọi chỉ tiêu đã giao đều đạt.", "The campaign is over; every target set was reached."))
                } @else {
                    (lang.pick("Với tốc độ hiện nay, mọi chỉ tiêu đã giao đều đạt.", "At the current pace, every target set will be reached."))
                }
            }
        } @else if missing.len() == 1 {
            @let (name, figures) = line(missing[0]);
            p.pace-notice.warning role="status" data-missing="1" {
                span data-indicator=(missing[0].indicator.as_str()) {
                    (lead) strong { (name) }
                    (if t.ended() { lang.pick(" không đạt: ", " was missed: ") } else { lang.pick(" sẽ không đạt: ", " will be missed: ") })
                    span.figures { (figures) }
                }
            }
        } @else {
            div.pace-notice.warning role="status" data-missing=(missing.len()) {
                (lead)
                ul {
                    @for i in &missing {
                        @let (name, figures) = line(i);
                        li data-indicator=(i.indicator.as_str()) { strong { (name) } ": " span.figures { (figures) } }
                    }
                }
            }
        }
    }
}

/// "Tiến độ theo thời gian": a chart per indicator with a target, a note on those without, and
/// what the charts cover.
pub fn charts(lang: Lang, pace: &Pace) -> Markup {
    let t = &pace.timeline;
    let untargeted: Vec<String> = pace
        .indicators
        .iter()
        .filter(|i| i.real_target().is_none())
        .map(|i| data::indicator_label(lang, &i.indicator))
        .collect();
    html! {
        section.pace-charts {
            h2 { (lang.pick("Tiến độ theo thời gian", "Progress over time")) }
            @if pace.targeted().next().is_none() {
                p.muted { (lang.pick("Chưa giao chỉ tiêu nào nên chưa có biểu đồ tiến độ.", "No target is set, so there is no progress chart.")) }
            } @else {
                div.charts {
                    @for i in pace.targeted() {
                        figure.chart { (chart::indicator_chart(lang, pace, i)) }
                    }
                }
                @if !untargeted.is_empty() {
                    p.muted.untargeted { (lang.pick("Chưa giao chỉ tiêu (không có biểu đồ): ", "No target (no chart): ")) (untargeted.join(", ")) "." }
                }
            }
            p.muted.chart-note {
                (lang.pick("Biểu đồ luôn tính cả kế hoạch", "The charts always cover the whole campaign"))
                " (" (crate::web::i18n::date(t.starts_on)) " – " (crate::web::i18n::date(t.ends_on)) "), "
                (lang.pick(
                    "không theo bộ lọc thời gian ở trên. Đường liền: số đạt được cộng dồn theo ngày nhận; đường nét đứt: tiến độ đều để đạt chỉ tiêu vào ngày kết thúc; đường chấm: dự kiến với tốc độ hiện nay.",
                    "whatever the period chosen above. Solid line: the count so far by day of receipt; dashed: the steady pace that reaches the target on the last day; dotted: where the current pace leads.",
                ))
            }
        }
    }
}
