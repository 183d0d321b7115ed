//! Importers for the reference CSV files (area lists, hamlets, service catalogue).
//!
//! Every importer reads the whole file and collects *all* problems before answering, so a
//! coordinator can fix a spreadsheet in one go instead of one error per upload. Each problem names
//! the line of the file (the header is line 1) and the column, in Vietnamese first and English.
//!
//! Common rules of all files:
//! - the header names the columns; their order does not matter, names are matched ignoring case
//!   and surrounding spaces, and extra columns are ignored;
//! - a UTF-8 byte-order mark (written by Excel's "CSV UTF-8") is accepted;
//! - values are trimmed and Vietnamese text is normalised to NFC (files saved on a Mac are often
//!   NFD); codes are kept exactly as written, leading zeros included ("01", "00070");
//! - rows whose cells are all empty (spreadsheet leftovers) are skipped.

use std::collections::HashMap;
use std::fmt;
use std::io::Read;

use serde::{Deserialize, Serialize};

use crate::open_enum::OpenEnum;
use unicode_normalization::UnicodeNormalization;

pub mod areas;
pub mod services;

/// One problem of an imported CSV file.
///
/// `message_vi` and `message_en` are complete sentences that already say where the problem is
/// ("Dòng 12, cột parent_code: …"), ready to be listed to a coordinator; show the Vietnamese one
/// first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CsvRowError {
    /// 1-based line of the file where the row starts; the header is line 1.
    pub line: u64,
    /// The column concerned, or "" when the problem is about the whole row.
    pub column: String,
    pub message_vi: String,
    pub message_en: String,
}

impl CsvRowError {
    /// Builds an error from the specific part of the message (starting in lower case, ending with
    /// a full stop); the location prefix is added here.
    pub fn new(
        line: u64,
        column: &str,
        detail_vi: impl AsRef<str>,
        detail_en: impl AsRef<str>,
    ) -> Self {
        let (where_vi, where_en) = if column.is_empty() {
            (format!("Dòng {line}"), format!("Line {line}"))
        } else {
            (
                format!("Dòng {line}, cột {column}"),
                format!("Line {line}, column {column}"),
            )
        };
        CsvRowError {
            line,
            column: column.to_owned(),
            message_vi: format!("{where_vi}: {}", detail_vi.as_ref()),
            message_en: format!("{where_en}: {}", detail_en.as_ref()),
        }
    }
}

impl fmt::Display for CsvRowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_en)
    }
}

impl std::error::Error for CsvRowError {}

/// One data row: its line and its values, aligned with the table's columns ("" when absent).
pub(crate) struct Row {
    pub line: u64,
    values: Vec<String>,
}

/// A CSV file read against a set of expected columns.
pub(crate) struct Table {
    columns: Vec<&'static str>,
    pub rows: Vec<Row>,
}

impl Table {
    fn index(&self, column: &str) -> Option<usize> {
        self.columns.iter().position(|c| *c == column)
    }

    /// The trimmed, NFC-normalised value of `column` in `row`; "" when empty or absent.
    pub fn get<'r>(&self, row: &'r Row, column: &str) -> &'r str {
        let i = self
            .index(column)
            .unwrap_or_else(|| panic!("column {column} was not declared to read_table"));
        row.values[i].as_str()
    }
}

/// Reads a whole CSV file. `Err` only when the header makes the rows unreadable (empty file,
/// missing or repeated columns); problems of single rows come back with the table so the caller
/// can add its own and report everything at once.
/// Line numbers by byte offset. csv reports a record that follows blank lines (and, with CRLF
/// endings, any record) at a position inside the previous line's terminator; importers and
/// `gocua admin` count lines here instead: 1 + the newlines before the record's first character.
pub struct LineIndex<'a> {
    data: &'a [u8],
    newlines: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        let newlines = data
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .map(|(i, _)| i)
            .collect();
        LineIndex { data, newlines }
    }

    /// The 1-based line of the record whose parsing starts at byte `offset`.
    pub fn line_of(&self, offset: u64) -> u64 {
        let mut i = offset as usize;
        while i < self.data.len() && (self.data[i] == b'\n' || self.data[i] == b'\r') {
            i += 1;
        }
        1 + self.newlines.partition_point(|&n| n < i) as u64
    }
}

pub(crate) fn read_table<R: Read>(
    reader: R,
    required: &[&'static str],
    optional: &[&'static str],
) -> Result<(Table, Vec<CsvRowError>), Vec<CsvRowError>> {
    let mut data = Vec::new();
    let mut reader = reader;
    if let Err(e) = reader.read_to_end(&mut data) {
        return Err(vec![CsvRowError::new(
            1,
            "",
            format!("không đọc được tệp: {e}."),
            format!("the file could not be read: {e}."),
        )]);
    }
    let lines = LineIndex::new(&data);
    let true_line = |p: &csv::Position| lines.line_of(p.byte());
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(&data[..]);
    let mut errors = Vec::new();
    let mut record = csv::ByteRecord::new();

    // Header.
    let header = match csv.read_byte_record(&mut record) {
        Ok(true) => record
            .iter()
            .enumerate()
            .map(|(i, raw)| {
                let raw = if i == 0 {
                    raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw)
                } else {
                    raw
                };
                String::from_utf8_lossy(raw).trim().to_lowercase()
            })
            .collect::<Vec<_>>(),
        Ok(false) => {
            return Err(vec![CsvRowError::new(
                1,
                "",
                "tệp trống, không có dòng tiêu đề.",
                "the file is empty; it has no header line.",
            )])
        }
        Err(e) => return Err(vec![read_error(&e, 1)]),
    };
    // Normally 1; later when the file starts with blank lines (they are skipped).
    let header_line = record.position().map_or(1, true_line);
    let expected = required.iter().chain(optional).copied().collect::<Vec<_>>();
    let mut source = Vec::with_capacity(expected.len());
    for name in &expected {
        let found = header
            .iter()
            .enumerate()
            .filter(|(_, h)| h == name)
            .map(|(i, _)| i)
            .collect::<Vec<_>>();
        if found.len() > 1 {
            errors.push(CsvRowError::new(
                header_line,
                name,
                format!(
                    "cột \"{name}\" xuất hiện {} lần trong dòng tiêu đề; hãy giữ lại một cột.",
                    found.len()
                ),
                format!(
                    "the header has the \"{name}\" column {} times; keep only one.",
                    found.len()
                ),
            ));
        }
        if found.is_empty() && required.contains(name) {
            let list = required.join(", ");
            errors.push(CsvRowError::new(
                header_line,
                name,
                format!("dòng tiêu đề không có cột \"{name}\" (cần có các cột: {list})."),
                format!("the header has no \"{name}\" column (required columns: {list})."),
            ));
        }
        source.push(found.first().copied());
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    // Rows.
    let mut rows = Vec::new();
    loop {
        match csv.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map_or_else(
                    || lines.line_of(csv.position().byte()),
                    |p| lines.line_of(p.byte()),
                );
                errors.push(read_error(&e, line));
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    break;
                }
                continue;
            }
        }
        let line = record.position().map_or(0, true_line);
        let mut cells = Vec::with_capacity(record.len());
        for (i, raw) in record.iter().enumerate() {
            let text = String::from_utf8_lossy(raw);
            if let std::borrow::Cow::Owned(_) = text {
                // Reported once per cell; the row is still read (codes are plain ASCII), so one
                // badly encoded name does not also make every child row lose its parent.
                let column = header.get(i).map_or("", String::as_str);
                errors.push(CsvRowError::new(
                    line,
                    column,
                    "có ký tự không đọc được; hãy lưu tệp dưới dạng \"CSV UTF-8\".",
                    "contains characters that cannot be read; save the file as \"CSV UTF-8\".",
                ));
            }
            cells.push(text.trim().nfc().collect::<String>());
        }
        if cells.iter().all(String::is_empty) {
            continue;
        }
        if cells.len() < header.len() || cells[header.len()..].iter().any(|c| !c.is_empty()) {
            errors.push(CsvRowError::new(
                line,
                "",
                format!(
                    "dòng có {} cột, trong khi dòng tiêu đề có {} cột.",
                    cells.len(),
                    header.len()
                ),
                format!(
                    "the row has {} columns but the header has {}.",
                    cells.len(),
                    header.len()
                ),
            ));
            continue;
        }
        let values = source
            .iter()
            .map(|s| s.map(|i| std::mem::take(&mut cells[i])).unwrap_or_default())
            .collect();
        rows.push(Row { line, values });
    }
    Ok((
        Table {
            columns: expected,
            rows,
        },
        errors,
    ))
}

fn read_error(e: &csv::Error, line: u64) -> CsvRowError {
    CsvRowError::new(
        line,
        "",
        format!("không đọc được tệp ({e})."),
        format!("the file could not be read ({e})."),
    )
}

/// Sorts problems by line (stable, so problems of one row keep their column order) and turns them
/// into the importer's answer.
pub(crate) fn finish<T>(value: T, mut errors: Vec<CsvRowError>) -> Result<T, Vec<CsvRowError>> {
    if errors.is_empty() {
        Ok(value)
    } else {
        errors.sort_by_key(|e| e.line);
        Err(errors)
    }
}

/// The problems of one row, added as they are found.
pub(crate) struct RowProblems<'e> {
    line: u64,
    errors: &'e mut Vec<CsvRowError>,
    found: bool,
}

impl<'e> RowProblems<'e> {
    pub(crate) fn new(line: u64, errors: &'e mut Vec<CsvRowError>) -> Self {
        RowProblems {
            line,
            errors,
            found: false,
        }
    }

    /// Whether the row has a problem (and so is left out).
    pub(crate) fn any(&self) -> bool {
        self.found
    }

    /// A problem with the value of `column` (the details as [`CsvRowError::new`] takes them).
    pub(crate) fn add(
        &mut self,
        column: &str,
        detail_vi: impl AsRef<str>,
        detail_en: impl AsRef<str>,
    ) {
        self.errors
            .push(CsvRowError::new(self.line, column, detail_vi, detail_en));
        self.found = true;
    }

    /// `value`, what `raw` in `column` was read as; when it was not understood, the problem that
    /// `raw` is not valid, listing the known values. `what` names the column's value in
    /// Vietnamese and English ("cấp", "level").
    pub(crate) fn one_of<T: OpenEnum>(
        &mut self,
        column: &str,
        (what_vi, what_en): (&str, &str),
        raw: &str,
        value: Option<T>,
    ) -> Option<T> {
        if value.is_none() {
            let list = known_list::<T>();
            self.add(
                column,
                format!("{what_vi} \"{raw}\" không hợp lệ (chỉ nhận: {list})."),
                format!("{what_en} \"{raw}\" is not valid (expected one of: {list})."),
            );
        }
        value
    }

    /// Checks the value that identifies the row (`what` it is: "mã", "code"): present (else the
    /// problem `empty`) and not on an earlier row (`first_line` keeps the first line of each).
    pub(crate) fn unique(
        &mut self,
        column: &str,
        value: &str,
        (what_vi, what_en): (&str, &str),
        (empty_vi, empty_en): (&str, &str),
        first_line: &mut HashMap<String, u64>,
    ) {
        if value.is_empty() {
            self.add(column, empty_vi, empty_en);
        } else if let Some(first) = first_line.get(value) {
            self.add(
                column,
                format!("{what_vi} \"{value}\" bị trùng với dòng {first}."),
                format!("{what_en} \"{value}\" is already used on line {first}."),
            );
        } else {
            first_line.insert(value.to_owned(), self.line);
        }
    }
}

/// The known wire values of an open enum, for error messages: "a, b, c".
pub(crate) fn known_list<T: OpenEnum>() -> String {
    T::known()
        .iter()
        .map(T::wire)
        .collect::<Vec<_>>()
        .join(", ")
}
