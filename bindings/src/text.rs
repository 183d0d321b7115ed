//! Text, numbers and days as the apps show them, and the form rules the apps need to show or hide
//! fields — top-level functions over `gocua-protocol`, so Kotlin and Swift never re-implement
//! them. `lang` is the reader's language (`Lang.VI` is the default of Gõ Cửa).

use std::time::SystemTime;

use gocua_core::protocol::format::{self, Lang};
use gocua_core::protocol::{enrol_link, fields, text, AssistResult, Calendar, VisitOutcome};

use crate::error::FieldKitError;
use crate::records::EnrolLinkView;
use crate::types::{from_instant, CalendarDay};

/// A whole number with thousands grouped: 1234567 → "1.234.567" (vi), "1,234,567" (en).
#[uniffi::export]
pub fn format_count(n: i64, lang: Lang) -> String {
    format::count(n, lang)
}

/// "30/11/2026": day first in both languages, as on Vietnamese documents.
#[uniffi::export]
pub fn format_day(day: CalendarDay, lang: Lang) -> String {
    format::day(day, lang)
}

/// "14:05, 25/11/2026": an instant in Vietnam's calendar (Asia/Ho_Chi_Minh). For a deployment
/// configured with another zone, use `FieldProfile.format_day_time`.
#[uniffi::export]
pub fn format_day_time(at: SystemTime, lang: Lang) -> String {
    format::day_time(from_instant(at), &Calendar::default(), lang)
}

/// How long ago, coarsely: "vừa xong" / "just now", "5 phút trước" / "5 min ago", "3 giờ trước",
/// "2 ngày trước" / "2 days ago".
#[uniffi::export]
pub fn format_ago(then: SystemTime, lang: Lang) -> String {
    format::ago(from_instant(then), chrono::Utc::now(), lang)
}

/// "12/40 (30%)", numbers grouped for the language; the per cent as the team's progress counts
/// it (rounded down, may exceed 100; a target of 0 is 100 %).
#[uniffi::export]
pub fn format_progress(achieved: u64, target: u64, lang: Lang) -> String {
    format::progress(achieved, target, format::percent(achieved, target), lang)
}

/// A day typed as on paper — "30/11/2026", "30-11-2026", "30.11.26" — or ISO "2026-11-30";
/// `None` when blank or not a real day (31/02/2026).
#[uniffi::export]
pub fn parse_typed_day(input: String) -> Option<CalendarDay> {
    format::parse_typed_day(&input)
}

/// Typed text tidied as the core stores it: composed diacritics (NFC), runs of spaces made one,
/// trimmed.
#[uniffi::export]
pub fn tidy_text(text: String) -> String {
    text::tidy(&text)
}

/// "NẢ" for "Nguyễn Văn Ả": initials for an avatar.
#[uniffi::export]
pub fn name_initials(name: String) -> String {
    text::initials(&name)
}

/// The server address and code of a scanned enrolment QR code
/// (`gocua://enrol?server=…&code=…`). A payload that is not one gives `Validation` naming the
/// field (`server_url`, `code`, or `enrol_link` for a foreign QR code).
#[uniffi::export]
pub fn parse_enrol_link(payload: String) -> Result<EnrolLinkView, FieldKitError> {
    let link = enrol_link::parse(&payload)?;
    Ok(EnrolLinkView {
        server_url: link.server_url,
        code: link.code,
    })
}

/// A server address and code typed by hand, checked and tidied like a scanned one (address
/// without trailing `/`, code in upper case).
#[uniffi::export]
pub fn check_enrol_input(server_url: String, code: String) -> Result<EnrolLinkView, FieldKitError> {
    let link = enrol_link::EnrolLink::new(&server_url, &code)?;
    Ok(EnrolLinkView {
        server_url: link.server_url,
        code: link.code,
    })
}

/// The label of a field named by a problem or a refusal: `assists[0].dossier_code` is
/// "Mã hồ sơ (dịch vụ 1)" / "Dossier code (service 1)". An unknown name is returned as it is.
#[uniffi::export]
pub fn field_label(field: String, lang: Lang) -> String {
    let (vi, en) = fields::label(&field);
    match lang {
        Lang::Vi => vi,
        Lang::En => en,
    }
}

/// Whether people are reached with this outcome (only when the household was met); when not,
/// people reached must be 0 and no service is recorded.
#[uniffi::export]
pub fn visit_reaches_people(outcome: VisitOutcome) -> bool {
    outcome.reaches_people()
}

/// What a new visit form starts with for people reached: 1 when met, else 0.
#[uniffi::export]
pub fn default_people_reached(outcome: VisitOutcome) -> u16 {
    outcome.default_people_reached()
}

/// Whether services helped with can be recorded for this outcome (only when met).
#[uniffi::export]
pub fn visit_allows_assists(outcome: VisitOutcome) -> bool {
    outcome.allows_assists()
}

/// Whether this result needs the dossier code (a submitted dossier).
#[uniffi::export]
pub fn assist_needs_dossier_code(result: AssistResult) -> bool {
    result.needs_dossier_code()
}

/// Whether this result needs the reason it could not be finished.
#[uniffi::export]
pub fn assist_needs_reason(result: AssistResult) -> bool {
    result.needs_reason()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn helpers_follow_the_protocol() {
        assert_eq!(format_count(1_234_567, Lang::Vi), "1.234.567");
        assert_eq!(format_count(1_234_567, Lang::En), "1,234,567");
        let day = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        assert_eq!(format_day(day, Lang::En), "30/11/2026");
        assert_eq!(parse_typed_day("30.11.26".into()), Some(day));
        assert_eq!(parse_typed_day("31/02/2026".into()), None);
        assert_eq!(format_progress(12, 40, Lang::Vi), "12/40 (30%)");
        assert_eq!(
            tidy_text("  Nguye\u{302}\u{303}n   Văn ".into()),
            "Nguyễn Văn"
        );
        assert_eq!(
            field_label("assists[0].dossier_code".into(), Lang::Vi),
            "Mã hồ sơ (dịch vụ 1)"
        );
        assert!(assist_needs_dossier_code(AssistResult::Submitted));
        assert!(assist_needs_reason(AssistResult::NotFinished));
        assert_eq!(default_people_reached(VisitOutcome::NotHome), 0);
        let at = chrono::DateTime::parse_from_rfc3339("2026-11-25T07:05:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        assert_eq!(format_day_time(at.into(), Lang::Vi), "14:05, 25/11/2026");
    }

    #[test]
    fn enrol_links_are_parsed_or_refused_with_the_field() {
        let link = parse_enrol_link(
            "gocua://enrol?server=https%3A%2F%2Fgocua.example.vn%2F&code=abcd-1234".into(),
        )
        .unwrap();
        assert_eq!(link.server_url, "https://gocua.example.vn");
        assert_eq!(link.code, "ABCD-1234");
        match parse_enrol_link("https://example.com".into()).unwrap_err() {
            FieldKitError::Validation { problems, .. } => {
                assert_eq!(problems[0].field, "enrol_link")
            }
            other => panic!("{other:?}"),
        }
        match check_enrol_input("ftp://x".into(), "A".into()).unwrap_err() {
            FieldKitError::Validation { problems, .. } => {
                assert_eq!(problems[0].field, "server_url");
                assert_eq!(problems[0].field_label_en, "Server address");
            }
            other => panic!("{other:?}"),
        }
    }
}
