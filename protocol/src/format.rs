//! Numbers, days, times and progress as a Vietnamese (or English) reader expects them.
//!
//! Pure formatting and the parsing of a typed day: no rule about what is valid lives here (that
//! is [`crate::validation`]). Vietnamese is the default language. Days are written day first
//! ("30/11/2026") in both languages, as on Vietnamese documents.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;
use crate::tally::share_of_target;

/// The reader's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    /// "vi" or "en".
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// "en" (any case, also "en-US", "en_GB") is English; anything else is Vietnamese.
    pub fn parse(code: &str) -> Lang {
        let code = code.trim().to_ascii_lowercase();
        if code == "en" || code.starts_with("en-") || code.starts_with("en_") {
            Lang::En
        } else {
            Lang::Vi
        }
    }

    /// Picks the text for this language.
    pub fn pick<'a>(self, vi: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }

    /// Picks the owned text for this language (for texts built with `format!`).
    pub fn pick_owned(self, vi: impl Into<String>, en: impl Into<String>) -> String {
        match self {
            Lang::Vi => vi.into(),
            Lang::En => en.into(),
        }
    }
}

/// A whole number with thousands grouped: 1234567 → "1.234.567" (vi), "1,234,567" (en).
/// Takes any integer type (`i64`, `u64`, `u32`, …).
pub fn count(n: impl Into<i128>, lang: Lang) -> String {
    let n: i128 = n.into();
    let digits = n.unsigned_abs().to_string();
    let sep = match lang {
        Lang::Vi => '.',
        Lang::En => ',',
    };
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// "30/11/2026" — day first in both languages (the form of Vietnamese documents). `lang` is
/// taken so callers need not know that.
pub fn day(d: NaiveDate, lang: Lang) -> String {
    let _ = lang;
    d.format("%d/%m/%Y").to_string()
}

/// An ISO day as the core stores it ("2026-11-30") shown as "30/11/2026"; text that is not an
/// ISO day is returned unchanged.
pub fn iso_day(iso: &str, lang: Lang) -> String {
    match NaiveDate::parse_from_str(iso.trim(), "%Y-%m-%d") {
        Ok(d) => day(d, lang),
        Err(_) => iso.to_owned(),
    }
}

/// "14:05": the time of day of an instant in the deployment's calendar (Vietnam: UTC+7, no
/// daylight saving), 24-hour clock in both languages.
pub fn time_of_day(t: DateTime<Utc>, calendar: &Calendar) -> String {
    calendar.local_time(t).format("%H:%M").to_string()
}

/// "14:05, 25/11/2026": time then day, in the deployment's calendar.
pub fn day_time(t: DateTime<Utc>, calendar: &Calendar, lang: Lang) -> String {
    let local = calendar.local_time(t);
    format!("{}, {}", local.format("%H:%M"), day(local.date(), lang))
}

/// How long ago, coarsely, for "last sync" and queue ages: "vừa xong" / "just now" (under a
/// minute, or in the future), "5 phút trước" / "5 min ago", "3 giờ trước" / "3 h ago",
/// "2 ngày trước" / "2 days ago" ("1 day ago").
pub fn ago(then: DateTime<Utc>, now: DateTime<Utc>, lang: Lang) -> String {
    let s = (now - then).num_seconds().max(0);
    match (s, lang) {
        (0..=59, Lang::Vi) => "vừa xong".to_owned(),
        (0..=59, Lang::En) => "just now".to_owned(),
        (60..=3_599, Lang::Vi) => format!("{} phút trước", s / 60),
        (60..=3_599, Lang::En) => format!("{} min ago", s / 60),
        (3_600..=86_399, Lang::Vi) => format!("{} giờ trước", s / 3_600),
        (3_600..=86_399, Lang::En) => format!("{} h ago", s / 3_600),
        (_, Lang::Vi) => format!("{} ngày trước", count(s / 86_400, Lang::Vi)),
        (_, Lang::En) if s / 86_400 == 1 => "1 day ago".to_owned(),
        (_, Lang::En) => format!("{} days ago", count(s / 86_400, Lang::En)),
    }
}

/// Whole per cent of `target` reached, rounded down ([`crate::tally::Share::whole_percent`]); may
/// exceed 100.
/// A target of 0 (no share, see [`share_of_target`]) shows as reached (100). The same arithmetic
/// as the team's progress.
pub fn percent(achieved: u64, target: u64) -> u32 {
    share_of_target(achieved, Some(target)).map_or(100, |s| {
        u32::try_from(s.whole_percent()).unwrap_or(u32::MAX)
    })
}

/// "12/40 (30%)", with each number grouped for the language ("1.200/4.000 (30%)").
pub fn progress(achieved: u64, target: u64, percent: u32, lang: Lang) -> String {
    format!(
        "{}/{} ({}%)",
        count(achieved, lang),
        count(target, lang),
        count(percent, lang)
    )
}

/// A day typed as on paper — "30/11/2026", "30-11-2026", "30.11.2026", two-digit years
/// ("30.11.26" is 2026) — or ISO ("2026-11-30"). Blank, or anything that is not a real day
/// (31/02/2026), gives `None`; whether the day is required is the caller's decision.
pub fn parse_typed_day(input: &str) -> Option<NaiveDate> {
    let s = input.trim();
    if s.is_empty() {
        return None;
    }
    // ISO only with a four-digit year first: chrono's `%Y` would read "30-11-26" as year 30.
    if s.split('-').next().is_some_and(|y| y.len() == 4) {
        return NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    }
    let parts: Vec<&str> = s.split(['/', '-', '.']).map(str::trim).collect();
    let [d, m, y] = parts.as_slice() else {
        return None;
    };
    let number = |p: &str, max_len: usize| -> Option<u32> {
        if p.is_empty() || p.len() > max_len || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        p.parse().ok()
    };
    let (d, m) = (number(d, 2)?, number(m, 2)?);
    let year = match y.len() {
        1 | 2 => 2000 + number(y, 2)? as i32,
        4 => number(y, 4)? as i32,
        _ => return None,
    };
    NaiveDate::from_ymd_opt(year, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};
    use proptest::prelude::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn counts_are_grouped_by_language() {
        assert_eq!(count(1_234_567_i64, Lang::Vi), "1.234.567");
        assert_eq!(count(1_234_567_u64, Lang::En), "1,234,567");
        assert_eq!(count(999_u32, Lang::Vi), "999");
        assert_eq!(count(1_000_u32, Lang::Vi), "1.000");
        assert_eq!(count(0_i64, Lang::En), "0");
        assert_eq!(count(-1_234_i64, Lang::Vi), "-1.234");
        assert_eq!(count(i64::MIN, Lang::En), "-9,223,372,036,854,775,808");
        assert_eq!(count(u64::MAX, Lang::Vi), "18.446.744.073.709.551.615");
    }

    #[test]
    fn days_are_day_first_in_both_languages() {
        assert_eq!(day(ymd(2026, 11, 30), Lang::Vi), "30/11/2026");
        assert_eq!(day(ymd(2026, 3, 5), Lang::En), "05/03/2026");
        assert_eq!(iso_day("2026-11-30", Lang::Vi), "30/11/2026");
        assert_eq!(iso_day("not a day", Lang::Vi), "not a day");
    }

    #[test]
    fn times_are_shown_at_the_offset() {
        // 07:05 UTC is 14:05 in Vietnam; 20:30 UTC on the 24th is already the 25th there.
        let t = Utc.with_ymd_and_hms(2026, 11, 25, 7, 5, 0).unwrap();
        let vn = Calendar::VIETNAM;
        assert_eq!(time_of_day(t, &vn), "14:05");
        assert_eq!(day_time(t, &vn, Lang::Vi), "14:05, 25/11/2026");
        let late = Utc.with_ymd_and_hms(2026, 11, 24, 20, 30, 0).unwrap();
        assert_eq!(day_time(late, &vn, Lang::En), "03:30, 25/11/2026");
        let bangkok = Calendar::from_zone_name("Asia/Bangkok").unwrap();
        assert_eq!(time_of_day(t, &bangkok), "14:05");
    }

    #[test]
    fn ago_is_coarse() {
        let now = Utc.with_ymd_and_hms(2026, 11, 25, 7, 0, 0).unwrap();
        let cases = [
            (Duration::seconds(0), "vừa xong", "just now"),
            (Duration::seconds(59), "vừa xong", "just now"),
            (Duration::seconds(-30), "vừa xong", "just now"),
            (Duration::minutes(5), "5 phút trước", "5 min ago"),
            (Duration::minutes(59), "59 phút trước", "59 min ago"),
            (Duration::hours(3), "3 giờ trước", "3 h ago"),
            (Duration::hours(23), "23 giờ trước", "23 h ago"),
            (Duration::hours(24), "1 ngày trước", "1 day ago"),
            (Duration::days(2), "2 ngày trước", "2 days ago"),
            (Duration::days(1_500), "1.500 ngày trước", "1,500 days ago"),
        ];
        for (back, vi, en) in cases {
            assert_eq!(ago(now - back, now, Lang::Vi), vi, "{back:?}");
            assert_eq!(ago(now - back, now, Lang::En), en, "{back:?}");
        }
    }

    #[test]
    fn percent_and_progress() {
        assert_eq!(percent(12, 40), 30);
        assert_eq!(percent(7, 8), 87);
        assert_eq!(percent(50, 40), 125);
        assert_eq!(percent(0, 0), 100);
        assert_eq!(percent(u64::MAX, 1), u32::MAX);
        assert_eq!(progress(12, 40, 30, Lang::Vi), "12/40 (30%)");
        assert_eq!(progress(1_200, 4_000, 30, Lang::Vi), "1.200/4.000 (30%)");
        assert_eq!(progress(1_200, 4_000, 30, Lang::En), "1,200/4,000 (30%)");
    }

    #[test]
    fn typed_days() {
        let d = Some(ymd(2026, 11, 30));
        for typed in [
            "30/11/2026",
            "30-11-2026",
            "30.11.2026",
            "30.11.26",
            "30-11-26",
            "30/11/26",
            " 30 / 11 / 2026 ",
            "2026-11-30",
        ] {
            assert_eq!(parse_typed_day(typed), d, "{typed}");
        }
        assert_eq!(parse_typed_day("5/3/2026"), Some(ymd(2026, 3, 5)));
        for bad in [
            "",
            "  ",
            "31/02/2026",
            "30/13/2026",
            "30/11",
            "30/11/2026/1",
            "a/b/c",
            "30/11/20266",
            "30/11/202",
            "+3/11/2026",
            "2026/11/30",
        ] {
            assert_eq!(parse_typed_day(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn lang_codes() {
        assert_eq!(Lang::default(), Lang::Vi);
        assert_eq!(Lang::parse("EN-us"), Lang::En);
        assert_eq!(Lang::parse("vi"), Lang::Vi);
        assert_eq!(Lang::parse("fr"), Lang::Vi);
        assert_eq!(Lang::En.code(), "en");
        assert_eq!(Lang::En.pick("một", "one"), "one");
    }

    proptest! {
        #[test]
        fn count_round_trips(n in any::<i64>(), en in any::<bool>()) {
            let lang = if en { Lang::En } else { Lang::Vi };
            let sep = if en { "," } else { "." };
            let shown = count(n, lang);
            prop_assert_eq!(shown.replace(sep, "").parse::<i64>().unwrap(), n);
            for group in shown.trim_start_matches('-').split(sep).skip(1) {
                prop_assert_eq!(group.len(), 3);
            }
        }

        #[test]
        fn shown_days_parse_back(days in 0i64..60_000) {
            let d = ymd(2000, 1, 1) + Duration::days(days);
            prop_assert_eq!(parse_typed_day(&day(d, Lang::Vi)), Some(d));
            prop_assert_eq!(parse_typed_day(&d.to_string()), Some(d));
        }

        #[test]
        fn percent_is_floor(achieved in 0u64..1_000_000, target in 1u64..1_000_000) {
            let p = u64::from(percent(achieved, target));
            prop_assert!(p * target <= achieved * 100);
            prop_assert!((p + 1) * target > achieved * 100);
        }

        #[test]
        fn ago_never_panics(secs in any::<i32>()) {
            let now = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
            let _ = ago(now - Duration::seconds(secs.into()), now, Lang::Vi);
        }
    }
}
