//! The CSV importers (`gocua_protocol::import`: area lists, hamlet lists, service catalogue) on
//! any bytes a coordinator could upload.
//!
//! Input: the first byte picks the importer (areas, areas with known parents, hamlets,
//! services), the rest is the file.
//!
//! Checked: no importer panics; every problem carries a line number that exists in the file (the
//! header is line 1; a file of n newlines has at most n + 1 lines), its messages say where it is
//! ("Dòng N…" / "Line N…", with the column when there is one), and problems come sorted by line;
//! an accepted file gives well-formed rows (non-empty codes, no area its own parent, unique codes
//! and keys).
#![no_main]

use std::collections::HashSet;

use gocua_protocol::import::areas::{parse_areas, parse_areas_with_known_parents, parse_hamlets};
use gocua_protocol::import::services::parse_services;
use gocua_protocol::import::CsvRowError;
use libfuzzer_sys::fuzz_target;

fn check_errors(file: &[u8], errors: &[CsvRowError]) {
    assert!(!errors.is_empty(), "a refused file says why");
    let last_line = 1 + file.iter().filter(|b| **b == b'\n').count() as u64;
    let mut previous = 0;
    for e in errors {
        assert!(
            (1..=last_line).contains(&e.line),
            "line {} is not a line of the file (1..={last_line}): {e:?}",
            e.line
        );
        assert!(
            e.line >= previous,
            "problems are sorted by line: {errors:?}"
        );
        previous = e.line;
        let (vi, en) = if e.column.is_empty() {
            (format!("Dòng {}: ", e.line), format!("Line {}: ", e.line))
        } else {
            (
                format!("Dòng {}, cột {}: ", e.line, e.column),
                format!("Line {}, column {}: ", e.line, e.column),
            )
        };
        assert!(e.message_vi.starts_with(&vi), "{e:?}");
        assert!(e.message_en.starts_with(&en), "{e:?}");
        assert_eq!(e.to_string(), e.message_en);
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, file)) = data.split_first() else {
        return;
    };
    match which % 4 {
        0 | 1 => {
            // Parents outside the file: every code with an even length "exists in the database".
            let known = |code: &str| code.len().is_multiple_of(2);
            let result = if which % 4 == 0 {
                parse_areas(file)
            } else {
                parse_areas_with_known_parents(file, &known)
            };
            match result {
                Ok(areas) => {
                    let mut codes = HashSet::new();
                    for a in &areas {
                        assert!(!a.code.is_empty() && !a.name.is_empty(), "{a:?}");
                        assert!(codes.insert(a.code.as_str()), "code {} twice", a.code);
                        assert_ne!(a.parent_code.as_deref(), Some(a.code.as_str()));
                    }
                }
                Err(errors) => check_errors(file, &errors),
            }
        }
        2 => {
            let known = |code: &str| code.len().is_multiple_of(2);
            match parse_hamlets(file, &known) {
                Ok(hamlets) => {
                    let mut codes = HashSet::new();
                    for h in &hamlets {
                        assert!(!h.code.is_empty() && !h.name.is_empty(), "{h:?}");
                        assert!(codes.insert(h.code.as_str()), "code {} twice", h.code);
                        let parent = h.parent_code.as_deref().expect("a hamlet has its commune");
                        assert!(known(parent) && parent != h.code, "{h:?}");
                    }
                }
                Err(errors) => check_errors(file, &errors),
            }
        }
        _ => match parse_services(file) {
            Ok(services) => {
                let mut keys = HashSet::new();
                for s in &services {
                    assert!(!s.key.is_empty(), "{s:?}");
                    assert!(keys.insert(s.key.as_str()), "key {} twice", s.key);
                }
            }
            Err(errors) => check_errors(file, &errors),
        },
    }
});
