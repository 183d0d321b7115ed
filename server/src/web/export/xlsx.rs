//! Excel workbook of one dashboard table: title row, bold header with filter buttons, frozen
//! panes, real numbers and dates with Vietnamese-friendly formats. Printed on A4 landscape with
//! the title and header rows repeated at the top of every page and "Trang x/y" in the footer: a
//! table that fits the page's width at a readable scale is scaled to one page wide; a wider one
//! (the province overview's 27 columns) is cut into bands of whole column groups, each band
//! printed beside the last with the first column (the unit's name) repeated.

use chrono::Datelike;
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
};

use super::error::ExportError;
use super::table::{Cell, ColumnKind, Table};

/// Above this many rows the sheet is written in rust_xlsxwriter's constant-memory mode: each row
/// goes to a temporary file as soon as the next one starts, instead of the whole sheet being
/// held as cell objects (several times the size of the table itself) until saving.
pub const CONSTANT_MEMORY_ROWS: usize = 10_000;

const TITLE_ROW: u32 = 0;
const HEADER_ROW: u32 = 1;
const FIRST_DATA_ROW: u32 = 2;
/// A4 in Excel's paper-size codes.
const PAPER_A4: u8 = 9;
/// Column widths are estimated from the header and at most this many rows.
const WIDTH_SAMPLE_ROWS: usize = 1_000;
/// A header wraps over at most this many lines (its row is made tall enough).
const HEADER_LINES: usize = 3;
/// The print scale of a table cut into bands: small enough for a few indicators a page, large
/// enough to read (11 pt prints as about 8 pt).
const BAND_SCALE: u16 = 72;
/// How much wider than Excel's estimate a column may print: LibreOffice without Calibri (or its
/// metric twin Carlito) lays the sheet out in a wider font. Bands are cut for the wider one.
const FONT_ALLOWANCE: f64 = 1.35;
/// The printable width of landscape A4 at 100 %, in pixels at 96 dpi: 297 mm less the default
/// margins of 0.7 in each side.
const PAGE_WIDTH_PX: f64 = (11.69 - 1.4) * 96.0;

/// The workbook as bytes (one sheet named after the title).
pub fn table_to_xlsx(table: &Table) -> Result<Vec<u8>, ExportError> {
    tables_to_xlsx(&[table])
}

/// A workbook of several tables, one sheet each (named after its title, made unique), each laid
/// out and printed as [`table_to_xlsx`] does; the document is titled after the first.
pub fn tables_to_xlsx(tables: &[&Table]) -> Result<Vec<u8>, ExportError> {
    let mut workbook = Workbook::new();
    if let Some(first) = tables.first() {
        workbook.set_properties(&DocProperties::new().set_title(&first.title));
    }
    let mut names: Vec<String> = Vec::new();
    for table in tables {
        let sheet = if table.rows.len() > CONSTANT_MEMORY_ROWS {
            workbook.add_worksheet_with_constant_memory()
        } else {
            workbook.add_worksheet()
        };
        write_sheet(sheet, table)?;
        let base = sheet_name(&table.title);
        let mut name = base.clone();
        let mut n = 2;
        while names
            .iter()
            .any(|taken| taken.to_lowercase() == name.to_lowercase())
        {
            let suffix = format!(" ({n})");
            let keep = 31 - suffix.chars().count();
            name = format!(
                "{}{suffix}",
                base.chars().take(keep).collect::<String>().trim_end()
            );
            n += 1;
        }
        if name != base {
            sheet.set_name(&name)?;
        }
        names.push(name);
    }
    Ok(workbook.save_to_buffer()?)
}

struct Formats {
    title: Format,
    header: Format,
    text: Format,
    integer: Format,
    percent: Format,
    date: Format,
    empty: Format,
}

impl Formats {
    fn new() -> Self {
        let cell = Format::new()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter);
        Formats {
            title: Format::new()
                .set_bold()
                .set_font_size(14)
                .set_align(FormatAlign::Left)
                .set_align(FormatAlign::VerticalCenter),
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_background_color(Color::RGB(0xD9E1F2))
                .set_border(FormatBorder::Thin)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            text: cell.clone(),
            integer: cell.clone().set_num_format("#,##0"),
            percent: cell.clone().set_num_format("0.0%"),
            date: cell
                .clone()
                .set_num_format("dd/mm/yyyy")
                .set_align(FormatAlign::Center),
            empty: cell,
        }
    }
}

/// Everything is written strictly row after row (title, header, data), and column widths,
/// freeze panes and the autofilter are set before any data, so the same code works in
/// constant-memory mode, which cannot go back to a flushed row.
fn write_sheet(sheet: &mut Worksheet, table: &Table) -> Result<(), ExportError> {
    sheet.set_name(sheet_name(&table.title))?;
    let f = Formats::new();
    let ncols = table.columns.len();

    let widths = column_widths(table);
    for (col, width) in widths.iter().enumerate() {
        sheet.set_column_width(col_num(col), *width)?;
    }
    let breaks = band_breaks(table, &widths);
    print_setup(sheet, &breaks, &table.title)?;

    if ncols > 1 && breaks.is_empty() {
        sheet.merge_range(
            TITLE_ROW,
            0,
            TITLE_ROW,
            col_num(ncols - 1),
            &table.title,
            &f.title,
        )?;
    } else {
        sheet.write_string_with_format(TITLE_ROW, 0, &table.title, &f.title)?;
    }
    sheet.set_row_height(TITLE_ROW, 24)?;
    if ncols == 0 {
        return Ok(());
    }

    let last_row = HEADER_ROW + u32::try_from(table.rows.len()).unwrap_or(u32::MAX);
    if !breaks.is_empty() {
        // Cut into bands, the title prints in the page heading instead of its row.
        sheet.set_print_area(HEADER_ROW, 0, last_row, col_num(ncols - 1))?;
    }
    sheet.set_freeze_panes(FIRST_DATA_ROW, 0)?;
    sheet.autofilter(HEADER_ROW, 0, last_row, col_num(ncols - 1))?;

    for (col, column) in table.columns.iter().enumerate() {
        sheet.write_string_with_format(HEADER_ROW, col_num(col), &column.header, &f.header)?;
    }
    sheet.set_row_height(HEADER_ROW, header_height(table, &widths))?;

    for (i, row) in table.rows.iter().enumerate() {
        let r = FIRST_DATA_ROW + u32::try_from(i).unwrap_or(u32::MAX);
        for (col, cell) in row.iter().enumerate() {
            let c = col_num(col);
            match cell {
                Cell::Text(s) => sheet.write_string_with_format(r, c, s, &f.text)?,
                // Excel numbers are doubles; counts never come near 2^53.
                Cell::Int(n) => sheet.write_number_with_format(r, c, *n as f64, &f.integer)?,
                Cell::Percent(p) if p.is_finite() => {
                    sheet.write_number_with_format(r, c, *p, &f.percent)?
                }
                Cell::Percent(_) | Cell::Empty => sheet.write_blank(r, c, &f.empty)?,
                Cell::Date(d) => {
                    let date = excel_date(*d)?;
                    sheet.write_datetime_with_format(r, c, &date, &f.date)?
                }
            };
        }
    }
    Ok(())
}

/// How the sheet prints: landscape A4, the header row on every page, and either scaled to one
/// page wide (`breaks` empty) with the title row repeated too, or cut before the columns in
/// `breaks` at [`BAND_SCALE`], the first column repeated, the bands of a block of rows printed
/// one after the other, and the title in the page heading (a title cell would print only where
/// its first column does).
fn print_setup(sheet: &mut Worksheet, breaks: &[u32], title: &str) -> Result<(), ExportError> {
    sheet
        .set_paper_size(PAPER_A4)
        .set_landscape()
        .set_print_center_horizontally(true)
        .set_footer("&CTrang &P/&N");
    if breaks.is_empty() {
        sheet.set_repeat_rows(TITLE_ROW, HEADER_ROW)?;
        sheet.set_print_fit_to_pages(1, 0);
    } else {
        sheet.set_repeat_rows(HEADER_ROW, HEADER_ROW)?;
        sheet.set_header(format!("&L&B{}", title.replace('&', "&&")));
        sheet
            .set_print_scale(BAND_SCALE)
            .set_page_order(false)
            .set_vertical_page_breaks(breaks)?;
        sheet.set_repeat_columns(0, 0)?;
    }
    Ok(())
}

/// A column's printed width in pixels at 100 % (Excel: 7 px a character of the default font,
/// plus 5), with the [`FONT_ALLOWANCE`].
fn width_px(width: f64) -> f64 {
    (width * 7.0 + 5.0) * FONT_ALLOWANCE
}

/// The columns before which a wide table is cut for printing; empty when it fits one page wide
/// at [`BAND_SCALE`] (then it is scaled to fit). Columns go in groups that stay together on a
/// page — the result, target and share of one indicator, whose headers share the words before
/// " – " — and every band after the first repeats the first column. A group too wide for a page
/// on its own leaves the table scaled to one page wide.
fn band_breaks(table: &Table, widths: &[f64]) -> Vec<u32> {
    let page = PAGE_WIDTH_PX * 100.0 / f64::from(BAND_SCALE);
    if widths.iter().copied().map(width_px).sum::<f64>() <= page {
        return Vec::new();
    }
    let group = |col: usize| {
        let header = &table.columns[col].header;
        header.rsplit_once(" – ").map(|(head, _)| head.to_owned())
    };
    let first = widths.first().copied().map_or(0.0, width_px);
    let (mut breaks, mut used, mut col) = (Vec::new(), 0.0, 0);
    while col < widths.len() {
        let key = group(col);
        let mut end = col + 1;
        while key.is_some() && end < widths.len() && group(end) == key {
            end += 1;
        }
        let size: f64 = widths[col..end].iter().copied().map(width_px).sum();
        if first + size > page {
            return Vec::new();
        }
        if used + size > page && used > first {
            breaks.push(u32::from(col_num(col)));
            used = first;
        }
        used += size;
        col = end;
    }
    breaks
}

/// The header row's height: enough lines for the longest wrapped header (15 pt a line).
fn header_height(table: &Table, widths: &[f64]) -> f64 {
    let lines = table
        .columns
        .iter()
        .zip(widths)
        .map(|(c, w)| {
            let per_line = (*w as usize).saturating_sub(3).max(1);
            c.header.chars().count().div_ceil(per_line)
        })
        .max()
        .unwrap_or(1)
        .clamp(2, HEADER_LINES + 1);
    15.0 * lines as f64
}

fn excel_date(d: chrono::NaiveDate) -> Result<ExcelDateTime, ExportError> {
    // Out-of-range years (before 1900, negative) are refused by rust_xlsxwriter with an error.
    let year = u16::try_from(d.year()).unwrap_or(0);
    Ok(ExcelDateTime::from_ymd(
        year,
        d.month() as u8,
        d.day() as u8,
    )?)
}

fn col_num(col: usize) -> u16 {
    u16::try_from(col).unwrap_or(u16::MAX)
}

/// Excel's sheet-name rules: at most 31 characters, none of `[]:*?/\`, not blank, not starting
/// or ending with an apostrophe.
pub fn sheet_name(title: &str) -> String {
    let cleaned: String = title
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let name: String = cleaned
        .trim()
        .trim_matches('\'')
        .trim()
        .chars()
        .take(31)
        .collect();
    let name = name.trim_end().trim_end_matches('\'').trim_end().to_owned();
    if name.is_empty() {
        "Sheet1".to_owned()
    } else {
        name
    }
}

/// Widths in Excel character units, from the longest header word or cell text in a sample.
/// Vietnamese stacked diacritics do not widen a glyph, so counting chars is close enough;
/// long free text is capped and left to overflow rather than making the sheet unreadable.
fn column_widths(table: &Table) -> Vec<f64> {
    table
        .columns
        .iter()
        .enumerate()
        .map(|(col, column)| {
            // The header wraps, so its longest word is what must fit (and the filter button).
            let header = column
                .header
                .split_whitespace()
                .map(|w| w.chars().count())
                .max()
                .unwrap_or(0)
                + 3;
            let header = header.max(column.header.chars().count().div_ceil(HEADER_LINES) + 3);
            let content = table
                .rows
                .iter()
                .take(WIDTH_SAMPLE_ROWS)
                .filter_map(|row| row.get(col))
                .map(display_len)
                .max()
                .unwrap_or(0);
            let floor = match column.kind {
                ColumnKind::Text => 10,
                ColumnKind::Integer | ColumnKind::Percent => 8,
                ColumnKind::Date => 12,
            };
            (header.max(content + 2).max(floor)).min(60) as f64
        })
        .collect()
}

fn display_len(cell: &Cell) -> usize {
    match cell {
        Cell::Text(s) => s.lines().map(|l| l.chars().count()).max().unwrap_or(0),
        Cell::Int(n) => {
            let digits = n.unsigned_abs().to_string().len();
            digits + (digits - 1) / 3 + usize::from(*n < 0)
        }
        Cell::Percent(_) => 7,
        Cell::Date(_) => 10,
        Cell::Empty => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::super::table::Column;
    use super::*;
    use calamine::{Data, Reader, Xlsx};
    use chrono::NaiveDate;
    use std::io::Cursor;

    fn open(bytes: Vec<u8>) -> (Vec<String>, calamine::Range<Data>) {
        let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        let names = book.sheet_names();
        let range = book.worksheet_range(&names[0]).unwrap();
        (names, range)
    }

    /// The raw XML of the (only) worksheet, for what calamine does not report.
    fn sheet_xml(bytes: &[u8]) -> String {
        use std::io::Read;
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        zip.by_name("xl/worksheets/sheet1.xml")
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        xml
    }

    fn text(range: &calamine::Range<Data>, row: u32, col: u32) -> String {
        match range.get_value((row, col)) {
            Some(Data::String(s)) => s.clone(),
            other => panic!("({row},{col}) is not text: {other:?}"),
        }
    }

    fn number(range: &calamine::Range<Data>, row: u32, col: u32) -> f64 {
        match range.get_value((row, col)) {
            Some(Data::Float(x)) => *x,
            Some(Data::Int(n)) => *n as f64,
            other => panic!("({row},{col}) is not a number: {other:?}"),
        }
    }

    fn date(range: &calamine::Range<Data>, row: u32, col: u32) -> NaiveDate {
        match range.get_value((row, col)) {
            Some(Data::DateTime(d)) => {
                // Excel serial date: days since 1899-12-30 (for dates after February 1900).
                NaiveDate::from_ymd_opt(1899, 12, 30).unwrap()
                    + chrono::Duration::days(d.as_f64() as i64)
            }
            other => panic!("({row},{col}) is not a date: {other:?}"),
        }
    }

    fn sample() -> Table {
        let mut t = Table::new(
            "Tiến độ theo xã: tháng 11/2026",
            vec![
                Column::text("Đơn vị"),
                Column::integer("Hộ đã đến"),
                Column::percent("Tỷ lệ đạt"),
                Column::date("Cập nhật"),
            ],
        );
        t.push_row(vec![
            "Xã Thạch Hà".into(),
            Cell::Int(1234),
            Cell::Percent(0.875),
            NaiveDate::from_ymd_opt(2026, 11, 25).unwrap().into(),
        ]);
        t.push_row(vec![
            "Phường Đồng Hới – tổ dân phố 5".into(),
            Cell::Int(0),
            Cell::Empty,
            Cell::Empty,
        ]);
        t
    }

    /// The province overview's shape: a name, a kind, a count, then result, target and share of
    /// eight indicators.
    fn wide() -> Table {
        let mut columns = vec![
            Column::text("Đơn vị, đội"),
            Column::text("Loại"),
            Column::integer("Số đội"),
        ];
        for name in [
            "Buổi tuyên truyền, tư vấn",
            "Hộ được đến",
            "Hồ sơ DVC toàn trình",
        ]
        .iter()
        .cycle()
        .take(8)
        {
            columns.push(Column::integer(format!("{name} – kết quả")));
            columns.push(Column::integer(format!("{name} – chỉ tiêu")));
            columns.push(Column::percent(format!("{name} – tỷ lệ")));
        }
        let mut t = Table::new("Tiến độ – Tỉnh Đoàn & Hội", columns);
        t.push_row(vec![
            "Đoàn xã Phước Hậu".into(),
            "Đoàn xã, phường".into(),
            Cell::Int(3),
        ]);
        t
    }

    #[test]
    fn a_wide_table_prints_in_bands_of_whole_indicators() {
        let t = wide();
        let widths = column_widths(&t);
        let breaks = band_breaks(&t, &widths);
        assert!(breaks.len() >= 2, "{breaks:?}");
        for b in &breaks {
            // Each band starts at an indicator's result: (column - 3) is a multiple of 3.
            assert!(
                *b >= 3 && (b - 3) % 3 == 0,
                "break before column {b}: {breaks:?}"
            );
        }
        let xml = sheet_xml(&table_to_xlsx(&t).unwrap());
        assert!(xml.contains("<colBreaks"), "vertical page breaks");
        assert!(xml.contains("scale=\"72\""), "printed at 72 %");
        assert!(xml.contains("pageOrder=\"overThenDown\""));
        assert!(!xml.contains("fitToPage"), "not squeezed to one page wide");
        // The title prints in the heading ('&' doubled), its cell is not merged or printed.
        assert!(
            xml.contains("<oddHeader>&amp;L&amp;BTiến độ – Tỉnh Đoàn &amp;&amp; Hội</oddHeader>"),
            "{xml}"
        );
        assert!(!xml.contains("<mergeCell "));
        // The narrow sample still fits one page wide.
        assert!(band_breaks(&sample(), &column_widths(&sample())).is_empty());
    }

    #[test]
    fn prints_landscape_one_page_wide_with_the_header_on_every_page() {
        let bytes = table_to_xlsx(&sample()).unwrap();
        let xml = sheet_xml(&bytes);
        let setup = &xml[xml.find("<pageSetup").expect("page setup")..];
        let setup = &setup[..setup.find("/>").unwrap()];
        for attr in [
            "paperSize=\"9\"",
            "orientation=\"landscape\"",
            "fitToHeight=\"0\"",
        ] {
            assert!(setup.contains(attr), "{attr} not in {setup}");
        }
        // fitToWidth defaults to 1 when absent.
        assert!(!setup.contains("fitToWidth") || setup.contains("fitToWidth=\"1\""));
        assert!(xml.contains("<pageSetUpPr fitToPage=\"1\"/>"));
        assert!(xml.contains("Trang &amp;P/&amp;N"));
        let mut zip = zip::ZipArchive::new(Cursor::new(&bytes)).unwrap();
        let mut book = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("xl/workbook.xml").unwrap(), &mut book)
            .unwrap();
        assert!(
            book.contains("_xlnm.Print_Titles") && book.contains("!$1:$2</definedName>"),
            "{book}"
        );
    }

    #[test]
    fn reads_back_with_calamine() {
        let bytes = table_to_xlsx(&sample()).unwrap();
        let xml = sheet_xml(&bytes);
        assert!(xml.contains("<mergeCell ref=\"A1:D1\"/>"));
        assert!(xml.contains("<autoFilter ref=\"A2:D4\"/>"));
        assert!(xml.contains("topLeftCell=\"A3\""));
        assert!(
            !xml.contains("inlineStr"),
            "small tables use shared strings"
        );
        let (names, range) = open(bytes);
        assert_eq!(names, ["Tiến độ theo xã tháng 112026"]);
        assert_eq!(range.start(), Some((0, 0)));
        assert_eq!(text(&range, 0, 0), "Tiến độ theo xã: tháng 11/2026");
        let headers: Vec<_> = (0..4).map(|c| text(&range, 1, c)).collect();
        assert_eq!(headers, ["Đơn vị", "Hộ đã đến", "Tỷ lệ đạt", "Cập nhật"]);
        assert_eq!(text(&range, 2, 0), "Xã Thạch Hà");
        assert_eq!(number(&range, 2, 1), 1234.0);
        assert_eq!(number(&range, 2, 2), 0.875);
        assert_eq!(
            date(&range, 2, 3),
            NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
        );
        assert_eq!(text(&range, 3, 0), "Phường Đồng Hới – tổ dân phố 5");
        assert_eq!(number(&range, 3, 1), 0.0);
        assert!(matches!(range.get_value((3, 2)), Some(Data::Empty) | None));
        // Title + header + 2 data rows.
        assert_eq!(range.height(), 4);
    }

    #[test]
    fn large_table_uses_constant_memory_and_reads_back() {
        let n = 50_000;
        let mut t = Table::new(
            "Lượt đến hộ",
            vec![
                Column::integer("STT"),
                Column::text("Chủ hộ"),
                Column::date("Ngày"),
            ],
        );
        let day0 = NaiveDate::from_ymd_opt(2026, 7, 1).unwrap();
        for i in 0..n {
            t.push_row(vec![
                Cell::Int(i),
                format!("Nguyễn Văn Ấn {i}").into(),
                (day0 + chrono::Duration::days(i % 60)).into(),
            ]);
        }
        assert!(t.rows.len() > CONSTANT_MEMORY_ROWS);
        let bytes = table_to_xlsx(&t).unwrap();
        let xml = sheet_xml(&bytes);
        // Constant-memory mode writes strings inline; the layout survives it.
        assert!(xml.contains("t=\"inlineStr\""));
        assert!(xml.contains("<mergeCell ref=\"A1:C1\"/>"));
        assert!(xml.contains("<autoFilter ref=\"A2:C50002\"/>"));
        assert!(xml.contains("topLeftCell=\"A3\""));
        let (names, range) = open(bytes);
        assert_eq!(names, ["Lượt đến hộ"]);
        assert_eq!(range.height(), n as usize + 2);
        assert_eq!(text(&range, 0, 0), "Lượt đến hộ");
        assert_eq!(text(&range, 1, 1), "Chủ hộ");
        for i in [0u32, 1, 9_999, 10_000, 10_001, 49_999] {
            let r = i + 2;
            assert_eq!(number(&range, r, 0), f64::from(i));
            assert_eq!(text(&range, r, 1), format!("Nguyễn Văn Ấn {i}"));
            assert_eq!(
                date(&range, r, 2),
                day0 + chrono::Duration::days(i64::from(i % 60))
            );
        }
    }

    #[test]
    fn single_column_and_empty_tables() {
        let mut t = Table::new("Một cột", vec![Column::text("Ấp")]);
        t.push_row(vec!["Ấp 1".into()]);
        let (_, range) = open(table_to_xlsx(&t).unwrap());
        assert_eq!(text(&range, 0, 0), "Một cột");
        assert_eq!(text(&range, 2, 0), "Ấp 1");

        let t = Table::new("Trống", vec![]);
        let (names, range) = open(table_to_xlsx(&t).unwrap());
        assert_eq!(names, ["Trống"]);
        assert_eq!(text(&range, 0, 0), "Trống");
    }

    #[test]
    fn several_tables_make_a_sheet_each_with_unique_names() {
        let mut other = sample();
        other.rows.truncate(1);
        let bytes = tables_to_xlsx(&[&sample(), &other, &wide()]).unwrap();
        let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        let names = book.sheet_names();
        // At most 31 characters with the suffix.
        assert_eq!(
            names,
            [
                "Tiến độ theo xã tháng 112026",
                "Tiến độ theo xã tháng 11202 (2)",
                "Tiến độ – Tỉnh Đoàn & Hội"
            ]
        );
        let second = book.worksheet_range(&names[1]).unwrap();
        assert_eq!(second.height(), 3, "title, header, one row");
        assert_eq!(number(&second, 2, 1), 1234.0);
        let third = book.worksheet_range(&names[2]).unwrap();
        assert_eq!(text(&third, 2, 0), "Đoàn xã Phước Hậu");
    }

    #[test]
    fn sheet_names_follow_excel_rules() {
        assert_eq!(sheet_name("a[b]c:d*e?f/g\\h"), "abcdefgh");
        assert_eq!(sheet_name("'Báo cáo'"), "Báo cáo");
        assert_eq!(sheet_name("???"), "Sheet1");
        let long = sheet_name("Tổng hợp kết quả hỗ trợ dịch vụ công trực tuyến toàn tỉnh");
        assert_eq!(long.chars().count(), 31);
        assert!(long.starts_with("Tổng hợp kết quả hỗ trợ"));
    }
}
