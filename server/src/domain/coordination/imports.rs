//! Importing the official area lists and the service catalogue (hamlets: `hamlets.rs`), all or nothing, or
//! leaving out the bad rows when asked (`--skip-bad-rows`) and saying which.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use gocua_protocol::import::{areas, services, CsvRowError};
use gocua_protocol::*;

use super::error::{AdminError, AdminResult};
use crate::db::Sql;
use crate::domain::refdata;

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Rows written (new or updated).
    pub imported: usize,
    /// Imported areas per level (`province`, `commune`, …); empty for services.
    pub by_level: BTreeMap<String, usize>,
    /// Rows left out with `--skip-bad-rows`.
    pub skipped_rows: usize,
    /// The problems of the rows left out, by line.
    pub skipped: Vec<CsvRowError>,
}

/// Where each CSV record starts and ends in `text`, with its line, read the way the importers
/// read it (so the lines match those of their errors).
fn record_spans(text: &[u8]) -> Vec<(u64, usize, usize)> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text);
    let mut record = csv::ByteRecord::new();
    let lines = gocua_protocol::import::LineIndex::new(text);
    let mut starts = Vec::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {
                if let Some(p) = record.position() {
                    starts.push((lines.line_of(p.byte()), p.byte() as usize));
                }
            }
            Ok(false) => break,
            Err(e) => {
                if let Some(p) = e.position() {
                    starts.push((lines.line_of(p.byte()), p.byte() as usize));
                }
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    break;
                }
            }
        }
    }
    starts.sort_by_key(|s| s.1);
    starts.dedup_by_key(|s| s.1);
    let mut spans = Vec::with_capacity(starts.len());
    for (i, (line, start)) in starts.iter().enumerate() {
        let end = starts.get(i + 1).map_or(text.len(), |s| s.1);
        spans.push((*line, *start, end));
    }
    spans
}

/// Runs `parse` on `text`; with `skip_bad`, leaves out every row with a problem (and, in further
/// rounds, rows that only fail because of those, e.g. children of a skipped parent) and parses the
/// rest. Each line of a left-out row becomes a row of empty cells (which the importers skip), so
/// later rows keep their line numbers; blank lines would not do, since a row after a blank line is
/// reported at the blank line.
pub(super) fn parse_skipping<T>(
    text: &[u8],
    skip_bad: bool,
    parse: impl Fn(&[u8]) -> Result<Vec<T>, Vec<CsvRowError>>,
) -> AdminResult<(Vec<T>, Vec<CsvRowError>, usize)> {
    let mut text = text.to_vec();
    let mut skipped: Vec<CsvRowError> = Vec::new();
    let mut blanked: HashSet<u64> = HashSet::new();
    // Each round leaves out at least one more row, so rows + 1 rounds always suffice; the bound
    // turns a mistake in that reasoning into an error instead of a hang.
    let max_rounds = text.iter().filter(|b| **b == b'\n').count() + 2;
    for _ in 0..max_rounds {
        let errors = match parse(&text) {
            Ok(rows) => {
                skipped.sort_by_key(|e| e.line);
                return Ok((rows, skipped, blanked.len()));
            }
            Err(errors) => errors,
        };
        if !skip_bad {
            return Err(AdminError::Csv(errors));
        }
        let spans = record_spans(&text);
        let header_line = spans.first().map_or(1, |s| s.0);
        let bad: BTreeSet<u64> = errors.iter().map(|e| e.line).collect();
        let targets: Vec<(u64, usize, usize)> = spans
            .iter()
            .copied()
            .filter(|s| s.0 != header_line && bad.contains(&s.0))
            .collect();
        let fatal = bad.contains(&header_line)
            || bad.iter().any(|l| !targets.iter().any(|s| s.0 == *l))
            || targets.is_empty();
        if fatal {
            // A header problem, or one that no row can be left out for: nothing can be imported.
            skipped.extend(errors);
            skipped.sort_by_key(|e| e.line);
            return Err(AdminError::Csv(skipped));
        }
        for (line, start, end) in targets.iter().rev() {
            let span = &text[*start..*end];
            let newlines = span.iter().filter(|b| **b == b'\n').count();
            let mut empty_cells = b",\n".repeat(newlines);
            if span.last() != Some(&b'\n') {
                empty_cells.push(b',');
            }
            text.splice(*start..*end, empty_cells);
            blanked.insert(*line);
        }
        skipped.extend(errors);
    }
    skipped.sort_by_key(|e| e.line);
    Err(AdminError::Csv(skipped))
}

fn codes(sql: &mut dyn Sql, query: &str) -> AdminResult<HashSet<String>> {
    Ok(sql.query(query, &[])?.iter().map(|r| r.text(0)).collect())
}

fn count_levels(areas: &[Area]) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for a in areas {
        *out.entry(a.level.as_str().to_owned()).or_insert(0) += 1;
    }
    out
}

/// Refuses an import that would make a parent loop through areas already in the database
/// (the importer finds loops inside the file).
fn check_no_loops(sql: &mut dyn Sql, new: &[Area]) -> AdminResult<()> {
    let mut parent: HashMap<String, Option<String>> = sql
        .query("SELECT code, parent_code FROM areas", &[])?
        .iter()
        .map(|r| (r.text(0), r.opt_text(1)))
        .collect();
    for a in new {
        parent.insert(a.code.clone(), a.parent_code.clone());
    }
    for a in new {
        let mut seen = HashSet::new();
        let mut current = Some(a.code.as_str());
        while let Some(c) = current {
            if !seen.insert(c) {
                return Err(AdminError::invalid(
                    format!("Đơn vị mã \"{}\" sẽ tạo vòng lặp cha – con với các đơn vị đã có (qua mã \"{c}\"); chưa nhập dòng nào.", a.code),
                    format!("Unit \"{}\" would make a parent loop with existing units (through \"{c}\"); nothing was imported.", a.code),
                ));
            }
            current = parent.get(c).and_then(|p| p.as_deref());
        }
    }
    Ok(())
}

/// Imports an official area list (`code,name,level,division_type,parent_code`); parents may be
/// in the file or already in the database.
pub fn import_areas(sql: &mut dyn Sql, text: &[u8], skip_bad: bool) -> AdminResult<ImportReport> {
    let known = codes(sql, "SELECT code FROM areas")?;
    let known_parent = |code: &str| known.contains(code);
    let (list, skipped, skipped_rows) = parse_skipping(text, skip_bad, |t| {
        areas::parse_areas_with_known_parents(t, &known_parent)
    })?;
    store_areas(sql, &list, skipped, skipped_rows)
}

/// Writes imported areas (refusing loops in the tree) and says what was imported.
pub(super) fn store_areas(
    sql: &mut dyn Sql,
    list: &[Area],
    skipped: Vec<CsvRowError>,
    skipped_rows: usize,
) -> AdminResult<ImportReport> {
    check_no_loops(sql, list)?;
    refdata::upsert_areas(sql, list)?;
    Ok(ImportReport {
        imported: list.len(),
        by_level: count_levels(list),
        skipped_rows,
        skipped,
    })
}

// Hamlets: `hamlets.rs` (checked against the coordinator's communes, then stored here).

/// Imports a service catalogue (`key,code,name_vi,name_en,authority,code_confidence`, …).
pub fn import_services(
    sql: &mut dyn Sql,
    text: &[u8],
    skip_bad: bool,
) -> AdminResult<ImportReport> {
    let (list, skipped, skipped_rows) =
        parse_skipping(text, skip_bad, |t: &[u8]| services::parse_services(t))?;
    refdata::upsert_services(sql, &list)?;
    Ok(ImportReport {
        imported: list.len(),
        by_level: BTreeMap::new(),
        skipped_rows,
        skipped,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const AREAS: &str = "code,name,level,division_type,parent_code\n01,Hà Nội,province,thành phố,\n00070,Phường Hoàn Kiếm,commune,phường,99\n00070,Phường Hoàn Kiếm,commune,phường,01\n00073,\"Phường\nCửa Nam\",commune,phường,01\n";

    #[test]
    fn bad_rows_are_left_out_keeping_line_numbers() {
        let parse = |t: &[u8]| areas::parse_areas(t);
        let Err(AdminError::Csv(errors)) = parse_skipping(AREAS.as_bytes(), false, parse) else {
            panic!("expected errors")
        };
        assert_eq!(
            errors.iter().map(|e| e.line).collect::<Vec<_>>(),
            vec![3, 4]
        );
        let (rows, skipped, n) = parse_skipping(AREAS.as_bytes(), true, parse).unwrap();
        assert_eq!(
            rows.iter().map(|a| a.code.as_str()).collect::<Vec<_>>(),
            vec!["01", "00073"]
        );
        assert_eq!(n, 2);
        assert_eq!(skipped.len(), 2);
    }

    #[test]
    fn children_of_a_skipped_parent_are_skipped_too() {
        let text = "code,name,level,division_type,parent_code\n01,,province,tỉnh,\n0101,Xã A,commune,xã,01\n02,Tỉnh B,province,tỉnh,\n";
        // The importer counts a parent row with other problems as present, so the child only
        // fails once the parent is left out.
        let parse = |t: &[u8]| areas::parse_areas(t);
        let (rows, skipped, n) = parse_skipping(text.as_bytes(), true, parse).unwrap();
        assert_eq!(
            rows.iter().map(|a| a.code.as_str()).collect::<Vec<_>>(),
            vec!["02"]
        );
        assert_eq!(n, 2);
        assert!(skipped
            .iter()
            .any(|e| e.line == 3 && e.column == "parent_code"));
    }

    #[test]
    fn windows_line_endings_and_no_final_newline() {
        let text = AREAS.replace('\n', "\r\n");
        let text = text.trim_end();
        let parse = |t: &[u8]| areas::parse_areas(t);
        let (rows, skipped, n) = parse_skipping(text.as_bytes(), true, parse).unwrap();
        assert_eq!(
            rows.iter().map(|a| a.code.as_str()).collect::<Vec<_>>(),
            vec!["01", "00073"]
        );
        assert_eq!((n, skipped.len()), (2, 2));
        let last_bad = "code,name,level,division_type,parent_code\n01,A,province,t,\n02,B,province,t,01\n0201,C,commune,x,99";
        let (rows, _, n) = parse_skipping(last_bad.as_bytes(), true, parse).unwrap();
        assert_eq!((rows.len(), n), (2, 1));
    }

    #[test]
    fn header_problems_cannot_be_skipped() {
        let parse = |t: &[u8]| areas::parse_areas(t);
        assert!(matches!(
            parse_skipping(b"code,name\n01,A\n", true, parse),
            Err(AdminError::Csv(_))
        ));
    }
}
