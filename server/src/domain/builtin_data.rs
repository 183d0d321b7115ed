//! The reference lists built into `gocua` from the repository's `data/` (sources and licences in
//! data/README.md): the official area lists of July 2025 (two tiers) and January 2025 (three
//! tiers), and the starter service catalogue. The first-run set-up imports them, and so does
//! `gocua demo`; a server therefore starts from any directory with nothing beside the executable.

use std::sync::OnceLock;

use gocua_protocol::import::areas::parse_areas;
use gocua_protocol::AreaLevel;

pub const AREAS_2025_07_FILE: &str = "vn-admin-units-2025-07.csv";
pub const AREAS_2025_01_FILE: &str = "vn-admin-units-2025-01.csv";
pub const SERVICES_FILE: &str = "services-starter.csv";

const AREAS_2025_07: &[u8] = include_bytes!("../../../data/vn-admin-units-2025-07.csv");
const AREAS_2025_01: &[u8] = include_bytes!("../../../data/vn-admin-units-2025-01.csv");
const SERVICES: &[u8] = include_bytes!("../../../data/services-starter.csv");

/// One of the official area lists built in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AreaList {
    /// After the reorganisation of 1 July 2025: 34 provinces and their communes.
    July2025,
    /// As in January 2025: 63 provinces, their districts and communes.
    January2025,
}

impl AreaList {
    pub const ALL: [AreaList; 2] = [AreaList::July2025, AreaList::January2025];

    /// How forms and commands name it: `2025-07`, `2025-01`.
    pub fn as_str(self) -> &'static str {
        match self {
            AreaList::July2025 => "2025-07",
            AreaList::January2025 => "2025-01",
        }
    }

    pub fn parse(raw: &str) -> Option<AreaList> {
        AreaList::ALL.into_iter().find(|l| l.as_str() == raw.trim())
    }

    pub fn file_name(self) -> &'static str {
        match self {
            AreaList::July2025 => AREAS_2025_07_FILE,
            AreaList::January2025 => AREAS_2025_01_FILE,
        }
    }

    /// The CSV as `gocua admin import-areas` takes it.
    pub fn csv(self) -> &'static [u8] {
        match self {
            AreaList::July2025 => AREAS_2025_07,
            AreaList::January2025 => AREAS_2025_01,
        }
    }

    /// The list's provinces and centrally-run cities as (code, name), by name.
    pub fn provinces(self) -> &'static [(String, String)] {
        static JULY: OnceLock<Vec<(String, String)>> = OnceLock::new();
        static JANUARY: OnceLock<Vec<(String, String)>> = OnceLock::new();
        let cell = match self {
            AreaList::July2025 => &JULY,
            AreaList::January2025 => &JANUARY,
        };
        cell.get_or_init(|| {
            let areas = parse_areas(self.csv()).expect("the built-in area lists are valid");
            let mut out: Vec<(String, String)> = areas
                .into_iter()
                .filter(|a| a.level == AreaLevel::Province)
                .map(|a| (a.code, a.name))
                .collect();
            // By the name people look for: "Thành phố Hà Nội" under H, "Tỉnh Bến Tre" under B.
            out.sort_by_cached_key(|(_, name)| {
                let bare = ["Thành phố ", "Tỉnh "]
                    .iter()
                    .find_map(|p| name.strip_prefix(p))
                    .unwrap_or(name);
                gocua_protocol::text::fold(bare)
            });
            out
        })
    }
}

/// The starter service catalogue, as `gocua admin import-services` takes it.
pub fn services_csv() -> &'static [u8] {
    SERVICES
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lists_hold_their_provinces() {
        assert_eq!(AreaList::July2025.provinces().len(), 34);
        assert_eq!(AreaList::January2025.provinces().len(), 63);
        assert!(AreaList::July2025
            .provinces()
            .iter()
            .any(|(code, name)| code == "86" && name.contains("Vĩnh Long")));
        assert_eq!(AreaList::parse("2025-01"), Some(AreaList::January2025));
        assert_eq!(AreaList::parse("2024"), None);
        assert!(!services_csv().is_empty());
    }
}
