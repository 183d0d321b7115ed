//! The server's one formatter for what people read: numbers, shares of a target, days and times,
//! the same in the dashboard, the exports, the quick report and the terminal. Built on the
//! protocol's formatting (the phones' own), in the deployment's calendar.

use chrono::{DateTime, NaiveDate, Utc};
pub use gocua_protocol::format::Lang;

use super::calendar;

/// Thousands separated the way each language writes them: 1.234.567 and 1,234,567.
pub fn number(lang: Lang, n: u64) -> String {
    gocua_protocol::format::count(n, lang)
}

/// A share as a percentage with one decimal: "87,5%" or "87.5%"; "—" when there is no target.
pub fn percent(lang: Lang, achieved: u64, target: u64) -> String {
    if target == 0 {
        return "—".into();
    }
    let p = format!("{:.1}", achieved as f64 * 100.0 / target as f64);
    match lang {
        Lang::Vi => format!("{}%", p.replace('.', ",")),
        Lang::En => format!("{p}%"),
    }
}

/// A date as people write it: 25/11/2026 in both languages.
pub fn date(d: NaiveDate) -> String {
    gocua_protocol::format::day(d, Lang::Vi)
}

/// A server time in the deployment's time zone: 25/11/2026 14:05.
pub fn date_time(at: DateTime<Utc>) -> String {
    calendar::local_time(at)
        .format("%d/%m/%Y %H:%M")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_percentages_follow_the_language() {
        assert_eq!(number(Lang::Vi, 1_234_567), "1.234.567");
        assert_eq!(number(Lang::En, 1_234_567), "1,234,567");
        assert_eq!(number(Lang::Vi, 999), "999");
        assert_eq!(percent(Lang::Vi, 7, 8), "87,5%");
        assert_eq!(percent(Lang::En, 7, 8), "87.5%");
        assert_eq!(percent(Lang::En, 7, 0), "—");
    }
}
