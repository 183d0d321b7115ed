//! Helpers for the coverage tests: visits recorded on a phone at a chosen time, and the cells of
//! a dashboard table row as the page shows them.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use gocua_core::protocol::*;
use gocua_core::VisitDraft;
use uuid::Uuid;

use crate::Device;

/// Ten in the morning of `day` in Vietnam.
pub fn morning(day: NaiveDate) -> DateTime<Utc> {
    Calendar::VIETNAM.day_range(day, day).0 + Duration::hours(10)
}

/// A visit to `household` where the family was met and one person reached, nothing else filled
/// in; it started at `started_at` (`None`: when the phone records it).
pub fn met_visit(household: Uuid, started_at: Option<DateTime<Utc>>) -> VisitDraft {
    VisitDraft {
        household_id: household,
        campaign_id: None,
        started_at,
        ended_at: None,
        outcome: VisitOutcome::Met,
        people_reached: 1,
        gps: None,
        note: None,
        follow_up_on: None,
        assists: Vec::new(),
        consent: None,
        draft_key: None,
    }
}

/// A visit to `household` that started at `at`, recorded offline on `device`.
pub fn visit_at(device: &Device, household: Uuid, at: DateTime<Utc>) -> Visit {
    device
        .store
        .record_visit(&met_visit(household, Some(at)))
        .expect("record visit")
}

/// Corrects `visit` so that it started at `at` (a new revision supersedes it).
pub fn move_visit(device: &Device, visit: Uuid, household: Uuid, at: DateTime<Utc>) -> Visit {
    device
        .store
        .correct_visit(visit, &met_visit(household, Some(at)))
        .expect("correct visit")
}

/// The text of each cell of the first table row whose first cell's text is `first`, markup
/// removed ("1.234" stays as written), or `None` when no row starts so.
pub fn row_cells(html: &str, first: &str) -> Option<Vec<String>> {
    for row in html.split("<tr").skip(1) {
        let row = &row[..row.find("</tr>").unwrap_or(row.len())];
        let cells: Vec<String> = row
            .split("<td")
            .skip(1)
            .map(|c| {
                let c = &c[c.find('>').map_or(0, |i| i + 1)..];
                let c = &c[..c.find("</td>").unwrap_or(c.len())];
                strip_tags(c)
            })
            .collect();
        if cells
            .first()
            .is_some_and(|c| c == first || c.starts_with(&format!("{first} ")))
        {
            return Some(cells);
        }
    }
    None
}

fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for ch in s.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&").trim().to_owned()
}
