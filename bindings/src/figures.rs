//! Figures as Today shows them: a label in the reader's language and the number, grouped — so
//! Kotlin and Swift draw a week's tally without a label or a number format of their own.

use gocua_core::protocol::format::{self, Lang};
use gocua_core::protocol::{Indicator, Tally};

/// One figure: what it counts, in the reader's language, and how many.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct FigureView {
    /// "Hộ được đến" / "Households visited".
    pub label: String,
    /// The number, grouped for the language ("1.234" / "1,234").
    pub value: String,
    /// The same number, for logic (a zero week, a chart).
    pub count: u64,
}

/// This week's figures for Today (`my_counts().this_week`), in the order shown: households
/// reached, household visits, online services supported. The labels are the indicators' own
/// (the targets' words), and the visits' that of the counts on Today.
#[uniffi::export]
pub fn week_figures(week: Tally, lang: Lang) -> Vec<FigureView> {
    let figure = |label: String, count: u64| FigureView {
        label,
        value: format::count(count, lang),
        count,
    };
    vec![
        figure(
            label(&Indicator::HouseholdsVisited, lang),
            week.households_visited,
        ),
        figure(
            lang.pick("Lượt đến hộ", "Household visits").to_owned(),
            week.visits,
        ),
        figure(
            label(&Indicator::ServicesSupported, lang),
            week.services_supported,
        ),
    ]
}

fn label(indicator: &Indicator, lang: Lang) -> String {
    lang.pick(indicator.label_vi(), indicator.label_en())
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn week() -> Tally {
        Tally {
            visits: 1234,
            sessions: 2,
            people_reached: 3000,
            households_visited: 987,
            services_supported: 56,
            services_toan_trinh: 20,
            services_level4: 10,
            guided_only: 5,
            vneid_activations: 7,
            hamlets_covered: 3,
        }
    }

    #[test]
    fn households_visits_services_in_order_labelled_and_grouped() {
        let vi = week_figures(week(), Lang::Vi);
        let shown: Vec<(&str, &str, u64)> = vi
            .iter()
            .map(|f| (f.label.as_str(), f.value.as_str(), f.count))
            .collect();
        assert_eq!(
            shown,
            vec![
                ("Hộ được đến", "987", 987),
                ("Lượt đến hộ", "1.234", 1234),
                ("Hồ sơ DVC trực tuyến được hỗ trợ", "56", 56),
            ]
        );
        let en = week_figures(week(), Lang::En);
        assert_eq!(en[0].label, "Households visited");
        assert_eq!(en[1].value, "1,234");
    }
}
