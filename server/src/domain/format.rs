//! The server's one formatter for what people read: numbers, shares of a target, days and times,
//! the same in the dashboard, the exports, the quick report and the terminal. Built on the
//! protocol's formatting (the phones' own), in the deployment's calendar.

use chrono::{DateTime, NaiveDate, Utc};
pub use gocua_protocol::format::Lang;
use gocua_protocol::{share_of_target, Share};

use super::calendar;

/// Thousands separated the way each language writes them: 1.234.567 and 1,234,567.
pub fn number(lang: Lang, n: u64) -> String {
    gocua_protocol::format::count(n, lang)
}

/// A share of a target as a percentage with one decimal, dropped when it is zero: "87,5%" or
/// "87.5%", "100%", "1.250%"; "—" when there is no target. The share is the protocol's
/// (`share_of_target`), rounded to the nearest tenth, halves up (`Share::tenths_of_percent`).
pub fn share(lang: Lang, share: Option<Share>) -> String {
    let Some(share) = share else {
        return "—".into();
    };
    let tenths = share.tenths_of_percent();
    let whole = gocua_protocol::format::count(tenths / 10, lang);
    match (tenths % 10, lang) {
        (0, _) => format!("{whole}%"),
        (d, Lang::Vi) => format!("{whole},{d}%"),
        (d, Lang::En) => format!("{whole}.{d}%"),
    }
}

/// `achieved` of `target` as [`share`] writes it; "—" for a target of 0.
pub fn percent(lang: Lang, achieved: u64, target: u64) -> String {
    share(lang, share_of_target(achieved, Some(target)))
}

/// A date as people write it: 25/11/2026 in both languages.
pub fn date(d: NaiveDate) -> String {
    gocua_protocol::format::day(d, Lang::Vi)
}

/// A server time in the deployment's time zone: 25/11/2026 14:05.
pub fn date_time(at: DateTime<Utc>) -> String {
    let calendar = calendar::get();
    format!(
        "{} {}",
        date(calendar.day_of(at)),
        gocua_protocol::format::time_of_day(at, &calendar)
    )
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

    #[test]
    fn shares_have_one_decimal_dropped_when_zero() {
        let s = |a, t| share_of_target(a, Some(t));
        assert_eq!(share(Lang::Vi, s(1_312, 1_500)), "87,5%");
        assert_eq!(share(Lang::Vi, s(2, 3)), "66,7%");
        assert_eq!(share(Lang::En, s(1, 16)), "6.3%");
        assert_eq!(share(Lang::Vi, s(8, 8)), "100%");
        assert_eq!(share(Lang::Vi, s(0, 8)), "0%");
        assert_eq!(share(Lang::Vi, s(9_996, 10_000)), "100%");
        assert_eq!(share(Lang::Vi, s(250_003, 20)), "1.250.015%");
        assert_eq!(share(Lang::En, s(250_003, 20)), "1,250,015%");
        assert_eq!(share(Lang::En, s(1_001, 8)), "12,512.5%");
        assert_eq!(share(Lang::Vi, None), "—");
    }

    #[test]
    fn dates_and_times_are_day_first() {
        use chrono::TimeZone;
        let d = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap();
        assert_eq!(date(d), "05/03/2026");
        // 20:30 UTC is already 03:30 the next day in Vietnam (the default calendar).
        let at = Utc.with_ymd_and_hms(2026, 11, 24, 20, 30, 0).unwrap();
        if calendar::get() == calendar::Calendar::default() {
            assert_eq!(date_time(at), "25/11/2026 03:30");
        }
    }
}
