//! Values typed by a coordinator (in a terminal or a dashboard form), checked and read: names,
//! unit kinds, indicators, days and peak windows.

use chrono::NaiveDate;
use gocua_protocol::*;

use super::error::{AdminError, AdminResult};

/// The longest name a coordinator may give a unit, team, member or campaign.
pub const MAX_NAME_CHARS: usize = 120;

pub(crate) fn check_name(what_vi: &str, what_en: &str, name: &str) -> AdminResult<String> {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(AdminError::invalid(
            format!("Cần nhập {what_vi}."),
            format!("{what_en} is required."),
        ));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(AdminError::invalid(
            format!("{what_vi} quá dài (tối đa {MAX_NAME_CHARS} ký tự)."),
            format!("{what_en} is too long (at most {MAX_NAME_CHARS} characters)."),
        ));
    }
    Ok(name)
}

/// A unit kind as typed: its wire value or either label (the open enums' `from_human`).
pub fn parse_unit_kind(raw: &str) -> AdminResult<OrgUnitKind> {
    let known = OrgUnitKind::KNOWN.iter().map(|k| k.as_str());
    OrgUnitKind::from_human(raw).ok_or_else(|| not_one_of(("Loại đơn vị", "Unit kind"), raw, known))
}

/// An indicator as typed: its wire value or either label (the open enums' `from_human`).
pub fn parse_indicator(raw: &str) -> AdminResult<Indicator> {
    let known = Indicator::KNOWN.iter().map(|k| k.as_str());
    Indicator::from_human(raw).ok_or_else(|| not_one_of(("Chỉ tiêu", "Indicator"), raw, known))
}

/// A Decree 42/2022 level as typed (wire value or label); "" means not known.
pub fn parse_level42(raw: &str) -> AdminResult<Option<Level42>> {
    let what = ("Mức độ theo Nghị định 42/2022", "Decree 42/2022 level");
    parse_optional(
        raw,
        what,
        Level42::KNOWN,
        Level42::as_str,
        Level42::from_human,
    )
}

/// A Decree 43/2011 level as typed ("4" or its label); "" means not known.
pub fn parse_level43(raw: &str) -> AdminResult<Option<Level43>> {
    let what = ("Mức độ theo Nghị định 43/2011", "Decree 43/2011 level");
    parse_optional(
        raw,
        what,
        Level43::KNOWN,
        Level43::as_str,
        Level43::from_human,
    )
}

/// An optional value of an open enum as typed: "" (or blanks) is none; else `from_human`'s
/// answer, or the refusal listing the `known` wire values.
fn parse_optional<T>(
    raw: &str,
    what: (&str, &str),
    known: &[T],
    as_str: fn(&T) -> &str,
    from_human: fn(&str) -> Option<T>,
) -> AdminResult<Option<T>> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    from_human(raw)
        .map(Some)
        .ok_or_else(|| not_one_of(what, raw, known.iter().map(as_str)))
}

fn not_one_of<'a>(
    (what_vi, what_en): (&str, &str),
    raw: &str,
    known: impl Iterator<Item = &'a str>,
) -> AdminError {
    let list = known.collect::<Vec<_>>().join(", ");
    AdminError::invalid(
        format!("{what_vi} \"{raw}\" không hợp lệ (chỉ nhận: {list})."),
        format!("{what_en} \"{raw}\" is not valid (expected one of: {list})."),
    )
}

/// Reads a date as `YYYY-MM-DD` or, as Vietnamese write it, `DD/MM/YYYY`.
pub fn parse_date(what_vi: &str, what_en: &str, raw: &str) -> AdminResult<NaiveDate> {
    let s = raw.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d").or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y")).map_err(|_| {
        AdminError::invalid(
            format!("Ngày {what_vi} \"{raw}\" không hợp lệ (cần dạng NĂM-THÁNG-NGÀY, ví dụ 2026-03-31, hoặc 31/03/2026)."),
            format!("The {what_en} date \"{raw}\" is not a valid date (expected YYYY-MM-DD, e.g. 2026-03-31, or DD/MM/YYYY)."),
        )
    })
}

/// Reads a peak window written `Name:FROM:TO`, e.g. `Tháng Thanh niên:2026-03-01:2026-03-31`.
pub fn parse_peak(raw: &str) -> AdminResult<PeakWindow> {
    let mut parts = raw.rsplitn(3, ':');
    let (to, from, name) = (parts.next(), parts.next(), parts.next());
    match (name, from, to) {
        (Some(name), Some(from), Some(to)) if !name.trim().is_empty() => {
            let w = PeakWindow {
                name: name.trim().to_owned(),
                starts_on: parse_date("bắt đầu đợt cao điểm", "peak start", from)?,
                ends_on: parse_date("kết thúc đợt cao điểm", "peak end", to)?,
            };
            if w.ends_on < w.starts_on {
                return Err(AdminError::invalid(
                    format!("Đợt cao điểm \"{}\" kết thúc trước khi bắt đầu.", w.name),
                    format!("Peak window \"{}\" ends before it starts.", w.name),
                ));
            }
            Ok(w)
        }
        _ => Err(AdminError::invalid(
            format!("Đợt cao điểm \"{raw}\" cần dạng TÊN:TỪ-NGÀY:ĐẾN-NGÀY, ví dụ \"Tháng Thanh niên:2026-03-01:2026-03-31\"."),
            format!("Peak window \"{raw}\" must be NAME:FROM:TO, e.g. \"Tháng Thanh niên:2026-03-01:2026-03-31\"."),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_peaks() {
        assert_eq!(
            parse_date("x", "x", "2026-03-31").unwrap(),
            NaiveDate::from_ymd_opt(2026, 3, 31).unwrap()
        );
        assert_eq!(
            parse_date("x", "x", "31/3/2026").unwrap(),
            NaiveDate::from_ymd_opt(2026, 3, 31).unwrap()
        );
        assert!(parse_date("x", "x", "2026-02-30").is_err());
        let w = parse_peak("Tháng Thanh niên:2026-03-01:2026-03-31").unwrap();
        assert_eq!(w.name, "Tháng Thanh niên");
        assert!(parse_peak("2026-03-01:2026-03-31").is_err());
        assert!(parse_peak("X:2026-03-31:2026-03-01").is_err());
    }

    #[test]
    fn enum_arguments() {
        assert_eq!(
            parse_unit_kind("commune_union").unwrap(),
            OrgUnitKind::CommuneUnion
        );
        assert_eq!(
            parse_unit_kind("Tỉnh Đoàn").unwrap(),
            OrgUnitKind::ProvinceUnion
        );
        assert!(parse_unit_kind("club").is_err());
        assert_eq!(
            parse_indicator("households visited").unwrap(),
            Indicator::HouseholdsVisited
        );
    }
}
