//! The bulk target sheet's file: written with rust_xlsxwriter for download and read back with
//! calamine, one layout for both. Row 1 names the campaign, row 2 carries its id, row 3 is the
//! header, then one row per team: unit, team, one column per overview indicator (the whole-
//! campaign target, empty for none), and the team's id, marked "đừng sửa" (do not edit). The
//! sheet is protected without a password: only the target cells are open for typing. It prints
//! on A4 landscape, one page wide, rows 1–3 on every page.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use gocua_protocol::Indicator;
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationRule, DocProperties, Format, FormatAlign, FormatBorder,
    ProtectionOptions, Workbook,
};

use super::error::ExportError;
use crate::domain::coordination::{SheetCell, SheetRow, SheetValue, UploadedSheet, MAX_TARGET};
use crate::domain::format::Lang;

const TITLE_ROW: u32 = 0;
const CAMPAIGN_ROW: u32 = 1;
const HEADER_ROW: u32 = 2;
const FIRST_TEAM_ROW: u32 = 3;
const UNIT_COL: u16 = 0;
const TEAM_COL: u16 = 1;
const FIRST_INDICATOR_COL: u16 = 2;
/// The cell holding the campaign's id.
const CAMPAIGN_ID_COL: u16 = 2;
const PAPER_A4: u8 = 9;

fn id_col(indicators: &[Indicator]) -> u16 {
    FIRST_INDICATOR_COL + indicators.len() as u16
}

/// `E7` for row 6, column 4 (both from 0).
pub fn cell_ref(row: u32, col: u16) -> String {
    let mut letters = Vec::new();
    let mut n = u32::from(col) + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), row + 1)
}

/// The header of the id column, in both languages (the reader accepts either).
fn id_header(lang: Lang) -> &'static str {
    lang.pick("Mã đội (đừng sửa)", "Team id (do not edit)")
}

fn indicator_header(lang: Lang, i: &Indicator) -> String {
    lang.pick_owned(i.label_vi(), i.label_en())
}

/// One team's line of the sheet.
pub struct SheetTeam {
    pub unit: String,
    pub team: String,
    pub id: uuid::Uuid,
    /// The current whole-campaign target per indicator (in the order of the sheet's columns).
    pub targets: Vec<Option<u64>>,
}

/// The sheet to download.
pub struct TargetSheet<'a> {
    pub lang: Lang,
    pub campaign_id: uuid::Uuid,
    pub title: String,
    pub indicators: &'a [Indicator],
    pub teams: Vec<SheetTeam>,
}

pub fn write_target_sheet(sheet: &TargetSheet) -> Result<Vec<u8>, ExportError> {
    let lang = sheet.lang;
    let mut workbook = Workbook::new();
    workbook.set_properties(&DocProperties::new().set_title(&sheet.title));
    let ws = workbook.add_worksheet();
    ws.set_name(lang.pick("Chỉ tiêu", "Targets"))?;
    let last_col = id_col(sheet.indicators);
    let cell = Format::new()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter);
    let title = Format::new().set_bold().set_font_size(14);
    let muted = Format::new().set_font_color(Color::RGB(0x595959));
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_background_color(Color::RGB(0xD9E1F2))
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let id_header_format = header.clone().set_background_color(Color::RGB(0xE7E6E6));
    let target = cell.clone().set_num_format("#,##0").set_unlocked();
    let id_format = cell
        .clone()
        .set_font_color(Color::RGB(0x7F7F7F))
        .set_background_color(Color::RGB(0xF2F2F2));

    ws.set_column_width(UNIT_COL, 28)?;
    ws.set_column_width(TEAM_COL, 34)?;
    for (k, _) in sheet.indicators.iter().enumerate() {
        ws.set_column_width(FIRST_INDICATOR_COL + k as u16, 14)?;
    }
    ws.set_column_width(last_col, 38)?;

    ws.merge_range(TITLE_ROW, 0, TITLE_ROW, last_col, &sheet.title, &title)?;
    ws.set_row_height(TITLE_ROW, 24)?;
    ws.write_string_with_format(
        CAMPAIGN_ROW,
        0,
        lang.pick("Mã kế hoạch (đừng sửa):", "Campaign id (do not edit):"),
        &muted,
    )?;
    ws.write_string_with_format(
        CAMPAIGN_ROW,
        CAMPAIGN_ID_COL,
        sheet.campaign_id.to_string(),
        &muted,
    )?;
    ws.write_string_with_format(
        CAMPAIGN_ROW,
        FIRST_INDICATOR_COL + 3,
        lang.pick(
            "Điền số nguyên từ 0; để trống = không giao chỉ tiêu.",
            "Type whole numbers from 0; empty = no target.",
        ),
        &muted,
    )?;
    ws.write_string_with_format(HEADER_ROW, UNIT_COL, lang.pick("Đơn vị", "Unit"), &header)?;
    ws.write_string_with_format(HEADER_ROW, TEAM_COL, lang.pick("Đội", "Team"), &header)?;
    for (k, i) in sheet.indicators.iter().enumerate() {
        ws.write_string_with_format(
            HEADER_ROW,
            FIRST_INDICATOR_COL + k as u16,
            indicator_header(lang, i),
            &header,
        )?;
    }
    ws.write_string_with_format(HEADER_ROW, last_col, id_header(lang), &id_header_format)?;
    ws.set_row_height(HEADER_ROW, 45)?;

    for (n, t) in sheet.teams.iter().enumerate() {
        let r = FIRST_TEAM_ROW + n as u32;
        ws.write_string_with_format(r, UNIT_COL, &t.unit, &cell)?;
        ws.write_string_with_format(r, TEAM_COL, &t.team, &cell)?;
        for (k, v) in t.targets.iter().enumerate() {
            let c = FIRST_INDICATOR_COL + k as u16;
            match v {
                Some(v) => ws.write_number_with_format(r, c, *v as f64, &target)?,
                None => ws.write_blank(r, c, &target)?,
            };
        }
        ws.write_string_with_format(r, last_col, t.id.to_string(), &id_format)?;
    }
    if !sheet.teams.is_empty() {
        let last_row = FIRST_TEAM_ROW + sheet.teams.len() as u32 - 1;
        let max = i32::try_from(MAX_TARGET).unwrap_or(i32::MAX);
        let rule = DataValidation::new()
            .allow_whole_number(DataValidationRule::Between(0, max))
            .set_error_title(lang.pick("Chỉ tiêu không hợp lệ", "Not a valid target"))?
            .set_error_message(lang.pick_owned(
                format!(
                    "Điền số nguyên từ 0 đến {}, hoặc để trống.",
                    crate::domain::format::number(Lang::Vi, MAX_TARGET)
                ),
                format!(
                    "Type a whole number from 0 to {}, or leave it empty.",
                    crate::domain::format::number(Lang::En, MAX_TARGET)
                ),
            ))?;
        ws.add_data_validation(
            FIRST_TEAM_ROW,
            FIRST_INDICATOR_COL,
            last_row,
            last_col - 1,
            &rule,
        )?;
    }
    ws.set_freeze_panes(FIRST_TEAM_ROW, FIRST_INDICATOR_COL)?;
    // Only the targets are open for typing; columns may still be widened, rows made taller.
    ws.protect_with_options(&ProtectionOptions {
        format_columns: true,
        format_rows: true,
        ..ProtectionOptions::default()
    });
    ws.set_paper_size(PAPER_A4)
        .set_landscape()
        .set_print_fit_to_pages(1, 0)
        .set_print_center_horizontally(true)
        .set_footer("&CTrang &P/&N");
    ws.set_repeat_rows(TITLE_ROW, HEADER_ROW)?;
    Ok(workbook.save_to_buffer()?)
}

/// What is wrong with an uploaded file's layout (before any cell is checked).
pub struct LayoutProblem {
    pub cell: String,
    pub vi: String,
    pub en: String,
}

fn value(data: Option<&Data>) -> SheetValue {
    match data {
        None | Some(Data::Empty) => SheetValue::Empty,
        Some(Data::Int(n)) => SheetValue::Number(*n as f64),
        Some(Data::Float(f)) => SheetValue::Number(*f),
        Some(Data::String(s)) if s.trim().is_empty() => SheetValue::Empty,
        Some(Data::String(s)) => SheetValue::Text(s.clone()),
        Some(other) => SheetValue::Text(other.to_string()),
    }
}

fn text(data: Option<&Data>) -> String {
    match value(data) {
        SheetValue::Text(s) => s.trim().to_owned(),
        SheetValue::Number(n) => n.to_string(),
        SheetValue::Empty => String::new(),
    }
}

/// Reads an uploaded sheet of this layout: the campaign cell and every non-empty team row.
/// A file that is not an XLSX workbook, or whose header row is not this sheet's (columns added,
/// removed or moved), is refused with the cells concerned.
pub fn read_target_sheet(
    bytes: &[u8],
    indicators: &[Indicator],
) -> Result<UploadedSheet, Vec<LayoutProblem>> {
    let not_a_sheet = || {
        vec![LayoutProblem {
            cell: String::new(),
            vi: "tệp không phải là bảng tính Excel (.xlsx). Hãy tải bảng chỉ tiêu về, điền rồi lưu dưới dạng .xlsx.".into(),
            en: "the file is not an Excel workbook (.xlsx). Download the target sheet, fill it in and save it as .xlsx.".into(),
        }]
    };
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|_| not_a_sheet())?;
    let range = match book.worksheet_range_at(0) {
        Some(Ok(r)) => r,
        _ => return Err(not_a_sheet()),
    };
    let at = |row: u32, col: u16| range.get_value((row, u32::from(col)));
    let last_col = id_col(indicators);
    let mut problems = Vec::new();
    let mut expect = |col: u16, labels: [String; 2]| {
        let found = text(at(HEADER_ROW, col));
        if !labels.contains(&found) {
            problems.push(LayoutProblem {
                cell: cell_ref(HEADER_ROW, col),
                vi: format!("ô tiêu đề này phải là \"{}\" (đang là \"{found}\"); đừng thêm, xoá hay đổi chỗ các cột của bảng.", labels[0]),
                en: format!("this header cell must be \"{}\" (it is \"{found}\"); do not add, delete or move the sheet's columns.", labels[1]),
            });
        }
    };
    for (k, i) in indicators.iter().enumerate() {
        expect(
            FIRST_INDICATOR_COL + k as u16,
            [indicator_header(Lang::Vi, i), indicator_header(Lang::En, i)],
        );
    }
    expect(
        last_col,
        [
            id_header(Lang::Vi).to_owned(),
            id_header(Lang::En).to_owned(),
        ],
    );
    if !problems.is_empty() {
        return Err(problems);
    }
    let campaign = SheetCell {
        reference: cell_ref(CAMPAIGN_ROW, CAMPAIGN_ID_COL),
        value: value(at(CAMPAIGN_ROW, CAMPAIGN_ID_COL)),
    };
    let end = range.end().map_or(0, |(r, _)| r);
    let mut rows = Vec::new();
    for r in FIRST_TEAM_ROW..=end {
        let cells: Vec<(Indicator, SheetCell)> = indicators
            .iter()
            .enumerate()
            .map(|(k, i)| {
                let c = FIRST_INDICATOR_COL + k as u16;
                (
                    i.clone(),
                    SheetCell {
                        reference: cell_ref(r, c),
                        value: value(at(r, c)),
                    },
                )
            })
            .collect();
        let team = SheetCell {
            reference: cell_ref(r, last_col),
            value: value(at(r, last_col)),
        };
        let blank = |v: &SheetValue| *v == SheetValue::Empty;
        if blank(&team.value) && cells.iter().all(|(_, c)| blank(&c.value)) {
            continue; // an empty line (or only names typed): nothing to read
        }
        rows.push(SheetRow {
            team,
            values: cells,
        });
    }
    Ok(UploadedSheet { campaign, rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references() {
        assert_eq!(cell_ref(0, 0), "A1");
        assert_eq!(cell_ref(6, 4), "E7");
        assert_eq!(cell_ref(9, 25), "Z10");
        assert_eq!(cell_ref(0, 26), "AA1");
    }

    #[test]
    fn a_written_sheet_reads_back() {
        let indicators = [Indicator::Sessions, Indicator::HouseholdsVisited];
        let id = uuid::Uuid::now_v7();
        let campaign = uuid::Uuid::now_v7();
        let bytes = write_target_sheet(&TargetSheet {
            lang: Lang::Vi,
            campaign_id: campaign,
            title: "Chỉ tiêu – Kế hoạch".into(),
            indicators: &indicators,
            teams: vec![SheetTeam {
                unit: "Đoàn xã A".into(),
                team: "Đội 1".into(),
                id,
                targets: vec![Some(12), None],
            }],
        })
        .unwrap();
        let sheet = read_target_sheet(&bytes, &indicators).ok().unwrap();
        assert_eq!(sheet.campaign.reference, "C2");
        assert_eq!(sheet.campaign.value, SheetValue::Text(campaign.to_string()));
        assert_eq!(sheet.rows.len(), 1);
        let row = &sheet.rows[0];
        assert_eq!(row.team.reference, "E4");
        assert_eq!(row.team.value, SheetValue::Text(id.to_string()));
        assert_eq!(row.values[0].1.value, SheetValue::Number(12.0));
        assert_eq!(row.values[0].1.reference, "C4");
        assert_eq!(row.values[1].1.value, SheetValue::Empty);
        assert!(read_target_sheet(b"not a workbook", &indicators).is_err());
    }
}
