//! CSV for spreadsheets and scripts. UTF-8 with a byte-order mark, because Excel on Windows
//! otherwise opens the file in the ANSI code page and garbles Vietnamese; plain machine values
//! (dates `YYYY-MM-DD`, percent `87.5`, integers without separators) so it re-imports cleanly.

use std::io::{self, Write};

use super::table::{Cell, Column};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Writes the BOM, the header and every row, one row at a time (`rows` is never collected).
/// A row with a different number of cells than `columns` is an `InvalidData` error.
pub fn write_csv<W: Write>(
    columns: &[Column],
    rows: impl Iterator<Item = Vec<Cell>>,
    mut out: W,
) -> io::Result<()> {
    out.write_all(BOM)?;
    let mut w = ::csv::WriterBuilder::new().flexible(false).from_writer(out);
    w.write_record(columns.iter().map(|c| c.header.as_str()))
        .map_err(to_io)?;
    for row in rows {
        w.write_record(row.iter().map(cell_field)).map_err(to_io)?;
    }
    w.flush()?;
    Ok(())
}

/// The sink's own errors come back as they were; csv's (a ragged row) as `InvalidData`.
fn to_io(e: ::csv::Error) -> io::Error {
    let message = e.to_string();
    match e.into_kind() {
        ::csv::ErrorKind::Io(e) => e,
        _ => io::Error::new(io::ErrorKind::InvalidData, message),
    }
}

/// The first chunk of a streamed CSV response: BOM and header line.
pub fn csv_header_bytes(columns: &[Column]) -> Vec<u8> {
    let mut bytes = BOM.to_vec();
    bytes.extend(record_bytes(columns.iter().map(|c| c.header.clone())));
    bytes
}

/// One row as a complete CSV line (quoted as needed, ending in `\n`), for streaming row by row.
/// Unlike [`write_csv`] it cannot check the row's length against the header; the caller builds
/// rows from the same columns.
pub fn csv_row_bytes(row: &[Cell]) -> Vec<u8> {
    record_bytes(row.iter().map(cell_field))
}

fn record_bytes(fields: impl Iterator<Item = String>) -> Vec<u8> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    // Writing into a Vec cannot fail: the only errors csv reports are the sink's and, with
    // `flexible(false)` across records, length mismatches, and this writer sees one record.
    w.write_record(fields)
        .expect("writing one CSV record to memory cannot fail");
    w.into_inner()
        .expect("flushing a CSV writer into a Vec cannot fail")
}

fn cell_field(cell: &Cell) -> String {
    match cell {
        Cell::Text(s) => defuse_formula(s),
        Cell::Int(n) => n.to_string(),
        Cell::Percent(p) => percent_number(*p),
        Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
        Cell::Empty => String::new(),
    }
}

/// `0.875` → `"87.5"`: percent points, at most two decimals, no trailing zeros.
fn percent_number(ratio: f64) -> String {
    if !ratio.is_finite() {
        return String::new();
    }
    let points = (ratio * 10_000.0).round() / 100.0;
    // `-0` would look odd; Display of f64 already drops a trailing `.0`.
    if points == 0.0 {
        "0".to_owned()
    } else {
        points.to_string()
    }
}

/// Text typed by volunteers (names, notes) ends up here. A field starting with `=`, `+`, `-`, `@`,
/// tab or carriage return is run as a formula by Excel (CSV injection), so such text is prefixed
/// with an apostrophe, as OWASP recommends. Values of the numeric variants are never touched.
fn defuse_formula(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}"),
        _ => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn columns() -> Vec<Column> {
        vec![
            Column::text("Đơn vị"),
            Column::integer("Số hộ đã đến"),
            Column::percent("Tỷ lệ"),
            Column::date("Ngày báo cáo"),
            Column::text("Ghi chú"),
        ]
    }

    fn rows() -> Vec<Vec<Cell>> {
        let d = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        vec![
            vec![
                "Xã Thạch Hà".into(),
                Cell::Int(1234),
                Cell::Percent(0.875),
                d.into(),
                "có dấu phẩy, và \"ngoặc kép\"\nxuống dòng".into(),
            ],
            vec![
                "Phường Đông Hà".into(),
                Cell::Int(-3),
                Cell::Percent(1.25),
                Cell::Empty,
                "=HYPERLINK(\"x\")".into(),
            ],
            vec![
                "Đặc khu Phú Quốc".into(),
                Cell::Int(0),
                Cell::Percent(0.07),
                Cell::Empty,
                Cell::Empty,
            ],
        ]
    }

    fn parse(bytes: &[u8]) -> Vec<Vec<String>> {
        assert!(bytes.starts_with(BOM), "BOM missing");
        let mut r = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(&bytes[BOM.len()..]);
        r.records()
            .map(|rec| rec.unwrap().iter().map(str::to_owned).collect())
            .collect()
    }

    #[test]
    fn round_trips_through_the_csv_reader() {
        let mut out = Vec::new();
        write_csv(&columns(), rows().into_iter(), &mut out).unwrap();
        let got = parse(&out);
        assert_eq!(got.len(), 4);
        assert_eq!(
            got[0],
            ["Đơn vị", "Số hộ đã đến", "Tỷ lệ", "Ngày báo cáo", "Ghi chú"]
        );
        assert_eq!(
            got[1],
            [
                "Xã Thạch Hà",
                "1234",
                "87.5",
                "2026-11-25",
                "có dấu phẩy, và \"ngoặc kép\"\nxuống dòng"
            ]
        );
        assert_eq!(
            got[2],
            ["Phường Đông Hà", "-3", "125", "", "'=HYPERLINK(\"x\")"]
        );
        assert_eq!(got[3], ["Đặc khu Phú Quốc", "0", "7", "", ""]);
        // The quoting is the standard one: the embedded quote is doubled.
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("\"có dấu phẩy, và \"\"ngoặc kép\"\"\nxuống dòng\""));
    }

    #[test]
    fn streamed_chunks_equal_the_whole_file() {
        let mut whole = Vec::new();
        write_csv(&columns(), rows().into_iter(), &mut whole).unwrap();
        let mut chunks = csv_header_bytes(&columns());
        for row in rows() {
            chunks.extend(csv_row_bytes(&row));
        }
        assert_eq!(chunks, whole);
    }

    #[test]
    fn ragged_rows_are_rejected() {
        let err =
            write_csv(&columns(), vec![vec![Cell::Int(1)]].into_iter(), Vec::new()).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
    }

    #[test]
    fn percent_formatting() {
        assert_eq!(percent_number(0.875), "87.5");
        assert_eq!(percent_number(1.0), "100");
        assert_eq!(percent_number(2.0 / 3.0), "66.67");
        assert_eq!(percent_number(0.0), "0");
        assert_eq!(percent_number(f64::NAN), "");
    }
}
