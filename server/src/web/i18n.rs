//! The dashboard's two languages. Vietnamese is the default; English is a cookie away.

use axum::http::HeaderMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Vi,
    En,
}

impl Lang {
    pub const COOKIE: &'static str = "gocua_lang";

    /// The language cookie, Vietnamese when there is none.
    pub fn from_headers(headers: &HeaderMap) -> Lang {
        match super::session::cookie(headers, Self::COOKIE).as_deref() {
            Some("en") => Lang::En,
            _ => Lang::Vi,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// Picks the text for this language.
    pub fn t<'a>(self, vi: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }

    /// Picks the owned text for this language.
    pub fn s(self, vi: impl Into<String>, en: impl Into<String>) -> String {
        match self {
            Lang::Vi => vi.into(),
            Lang::En => en.into(),
        }
    }
}

/// Thousands separated the way each language writes them: 1.234.567 and 1,234,567.
pub fn number(lang: Lang, n: u64) -> String {
    let digits = n.to_string();
    let sep = match lang {
        Lang::Vi => '.',
        Lang::En => ',',
    };
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// A share as a percentage with one decimal: "87,5%" or "87.5%".
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
pub fn date(d: chrono::NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// A server time in the deployment's time zone.
pub fn date_time(at: chrono::DateTime<chrono::Utc>) -> String {
    crate::calendar::local_time(at)
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
