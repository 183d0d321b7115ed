//! What the terminal commands print: numbers and times in the server's one formatter, aligned
//! columns, CSV problems, and the progress table.

use chrono::{DateTime, Utc};
use gocua_protocol::import::CsvRowError;
use gocua_protocol::Indicator;

use crate::domain::format::{self, Lang};
use crate::domain::progress::TeamProgress;

/// A count with Vietnamese thousands separators: 3.321.
pub fn number(v: usize) -> String {
    format::number(Lang::Vi, v as u64)
}

/// A server time in the deployment's calendar, "–" when there is none.
pub fn time(t: Option<DateTime<Utc>>) -> String {
    t.map_or_else(|| "–".to_owned(), format::date_time)
}

pub fn pad(text: &str, width: usize) -> String {
    let count = text.chars().count();
    if count >= width {
        text.to_owned()
    } else {
        format!("{text}{}", " ".repeat(width - count))
    }
}

pub fn csv_errors(errors: &[CsvRowError]) {
    for e in errors {
        eprintln!("  {}", e.message_vi);
        eprintln!("    {}", e.message_en);
    }
}

fn cell(text: &str, width: usize) -> String {
    let n = text.chars().count();
    if n > width {
        let mut t: String = text.chars().take(width.saturating_sub(1)).collect();
        t.push('…');
        t
    } else {
        format!("{text}{}", " ".repeat(width - n))
    }
}

fn rcell(text: &str, width: usize) -> String {
    let n = text.chars().count();
    format!("{}{text}", " ".repeat(width.saturating_sub(n)))
}

/// The share of the target as everywhere on the server: "87,5%", "—" without a target.
fn percent(done: u64, target: Option<u64>) -> String {
    format::share(Lang::Vi, gocua_protocol::share_of_target(done, target))
}

fn of_target(done: u64, target: Option<u64>) -> String {
    match target {
        Some(t) => format!("{done}/{t}"),
        None => done.to_string(),
    }
}

/// The progress table, one line per commune and a total line per team against its targets.
pub fn progress_table(teams: &[TeamProgress]) -> String {
    const TEAM: usize = 36;
    const COMMUNE: usize = 26;
    // "87,5%", "125,3%".
    const PCT: usize = 6;
    let mut out = String::new();
    let header = |vi: [&str; 8]| {
        format!(
            "{} {} {} {} {} {} {} {}\n",
            cell(vi[0], TEAM),
            cell(vi[1], COMMUNE),
            rcell(vi[2], 11),
            rcell(vi[3], PCT),
            rcell(vi[4], 11),
            rcell(vi[5], PCT),
            rcell(vi[6], 8),
            rcell(vi[7], 10)
        )
    };
    out.push_str(&header([
        "Đội",
        "Xã, phường",
        "Hộ đã đến",
        "%",
        "Hồ sơ DVC",
        "%",
        "Buổi TT",
        "Lượt người",
    ]));
    out.push_str(&header([
        "Team",
        "Commune",
        "Households",
        "",
        "Services",
        "",
        "Sessions",
        "People",
    ]));
    out.push_str(&format!(
        "{}\n",
        "─".repeat(TEAM + COMMUNE + 11 + PCT + 11 + PCT + 8 + 10 + 7)
    ));
    for t in teams {
        for (i, c) in t.communes.iter().enumerate() {
            let team = if i == 0 { t.team.name.as_str() } else { "" };
            out.push_str(&format!(
                "{} {} {} {} {} {} {} {}\n",
                cell(team, TEAM),
                cell(&c.name, COMMUNE),
                rcell(&c.tally.households_visited.to_string(), 11),
                rcell("", PCT),
                rcell(&c.tally.services_supported.to_string(), 11),
                rcell("", PCT),
                rcell(&c.tally.sessions.to_string(), 8),
                rcell(&c.tally.people_reached.to_string(), 10)
            ));
        }
        let households = t.target(&Indicator::HouseholdsVisited);
        let services = t.target(&Indicator::ServicesSupported);
        let sessions = t.target(&Indicator::Sessions);
        let people = t.target(&Indicator::PeopleReached);
        let team = if t.communes.is_empty() {
            t.team.name.as_str()
        } else {
            ""
        };
        out.push_str(&format!(
            "{} {} {} {} {} {} {} {}\n",
            cell(team, TEAM),
            cell("Cộng đội / team total", COMMUNE),
            rcell(&of_target(t.total.households_visited, households), 11),
            rcell(&percent(t.total.households_visited, households), PCT),
            rcell(&of_target(t.total.services_supported, services), 11),
            rcell(&percent(t.total.services_supported, services), PCT),
            rcell(&of_target(t.total.sessions, sessions), 8),
            rcell(&of_target(t.total.people_reached, people), 10)
        ));
    }
    out
}
