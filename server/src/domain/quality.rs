//! Data-quality checks run when uploads arrive. They never refuse a record (the volunteer did the
//! work; the phone cannot fix the past) — they raise flags a coordinator resolves.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

/// Two visits by one volunteer to different households starting closer than this are doubtful:
/// nobody walks to the next house, knocks, talks and records in under a minute.
pub const MIN_SECONDS_BETWEEN_VISITS: i64 = 60;

/// What is wrong with a dossier code (worded for the reader by the web layer).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DossierProblem {
    /// Not the three parts agency - filing date (YYMMDD) - sequence number.
    MissingParts,
    /// The agency code is empty or the sequence number is not all digits.
    BadAgencyOrSequence,
    /// The middle part is not a real day written YYMMDD.
    BadFilingDate,
    /// The filing day is after the visit, or long before it.
    FilingDateFarFromVisit,
}

/// Why a dossier code looks wrong, or `None`. Codes from the national and provincial portals look
/// like `000.00.23.H62-251120-0042`: an agency code, a dash, the filing date as YYMMDD, a dash
/// and a sequence number. A code the volunteer copied off the receipt has all three parts, and
/// its date is close to the visit.
pub fn dossier_code_problem(code: &str, visit_day: NaiveDate) -> Option<DossierProblem> {
    let parts: Vec<&str> = code.trim().split('-').collect();
    let [agency, date, seq] = parts.as_slice() else {
        return Some(DossierProblem::MissingParts);
    };
    if agency.is_empty() || !seq.chars().all(|c| c.is_ascii_digit()) || seq.is_empty() {
        return Some(DossierProblem::BadAgencyOrSequence);
    }
    let Some(filed) = (date.len() == 6)
        .then(|| NaiveDate::parse_from_str(&format!("20{date}"), "%Y%m%d").ok())
        .flatten()
    else {
        return Some(DossierProblem::BadFilingDate);
    };
    if filed > visit_day + Duration::days(1) || filed < visit_day - Duration::days(60) {
        return Some(DossierProblem::FilingDateFarFromVisit);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn well_formed_codes_near_the_visit_pass() {
        assert_eq!(
            dossier_code_problem("000.00.23.H62-251120-0042", day("2025-11-20")),
            None
        );
        assert_eq!(
            dossier_code_problem("G22.99-251119-000123", day("2025-11-20")),
            None
        );
    }

    #[test]
    fn truncated_garbled_or_far_off_codes_are_flagged() {
        let visit = day("2025-11-20");
        assert!(dossier_code_problem("000.00.23.H62-251120", visit).is_some());
        assert!(dossier_code_problem("000.00.23.H62-251120-00A2", visit).is_some());
        assert!(dossier_code_problem("000.00.23.H62-251340-0042", visit).is_some());
        assert!(dossier_code_problem("000.00.23.H62-240101-0042", visit).is_some());
        assert!(dossier_code_problem("000.00.23.H62-251230-0042", visit).is_some());
        assert!(dossier_code_problem("-251120-0042", visit).is_some());
    }
}
