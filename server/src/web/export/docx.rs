//! The quick report (báo cáo nhanh) as a Word document, laid out as a Youth Union document per
//! Hướng dẫn 29-HD/TWĐTN-VP (29/10/2013), not the State's Decree 30/2020 format: A4, Times New
//! Roman, margins 2 cm top and bottom, 3 cm left, 1.5 cm right; a borderless two-column heading
//! with the issuing body, "***" and the number on the left and "ĐOÀN TNCS HỒ CHÍ MINH"
//! (bold, underlined) above the place and date (italic) on the right; the title "BÁO CÁO" with
//! its subject; the signature block on the right and "Nơi nhận" on the left at the bottom; the
//! page number in the footer of every page. Progress over time, when given, is a picture (PNG)
//! under the indicator table, as wide as the text, with its description as alt text.
//!
//! The OOXML is written by hand (a handful of small parts zipped together) rather than with a
//! DOCX crate: the layout is fixed and small, and the dependencies stay light. Element order
//! inside `pPr`, `rPr`, `tblPr` and `tcPr` follows the schema, which Word enforces.

use std::io::{Cursor, Write};

use chrono::{Datelike, NaiveDate};
use zip::write::SimpleFileOptions;
use zip::CompressionMethod;
use zip::ZipWriter;

use super::error::ExportError;
use crate::domain::format::{self, Lang};

#[derive(Debug, Clone, PartialEq)]
pub struct QuickReport {
    /// The direct superior of a grassroots union, e.g. "HUYỆN ĐOÀN THẠCH HÀ" (upper left, not
    /// bold); empty for a province or district union, whose committee issues in its own name.
    pub superior_unit: String,
    /// The issuing body, e.g. "BCH ĐOÀN TỈNH VĨNH LONG" (upper left, bold, "***" under it).
    pub unit_name: String,
    /// e.g. "Số: 12-BC/TĐTN".
    pub number: String,
    /// Địa danh, e.g. "Thạch Hà".
    pub place: String,
    pub date: NaiveDate,
    /// Tên loại, e.g. "BÁO CÁO".
    pub title: String,
    /// Trích yếu.
    pub subject: String,
    /// e.g. "Từ ngày 01/07/2026 đến ngày 31/08/2026"; empty for none.
    pub period_label: String,
    /// Opening text; blank lines separate paragraphs.
    pub intro: String,
    pub indicators: Vec<ReportIndicator>,
    /// Progress over time as a picture, under the indicator table; `None` for none.
    pub chart: Option<ReportPicture>,
    /// Đánh giá chung; blank lines separate paragraphs.
    pub assessment: String,
    pub difficulties: Vec<String>,
    pub recommendations: Vec<String>,
    /// Nơi nhận, without the final "Lưu: VT." (added unless the list already ends with it).
    pub recipients: Vec<String>,
    /// e.g. "TM. BAN THƯỜNG VỤ TỈNH ĐOÀN".
    pub signer_role: String,
    /// e.g. "PHÓ BÍ THƯ".
    pub signer_title: String,
    pub signer_name: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReportIndicator {
    pub name: String,
    /// The plan (kế hoạch); `None` when no target was set, and then there is no ratio.
    pub target: Option<u64>,
    pub achieved: u64,
}

/// A picture in the report: PNG bytes, its size in pixels (for the aspect ratio; it is printed
/// as wide as the text), a caption above it and the alt text (what it shows, in words).
#[derive(Debug, Clone, PartialEq)]
pub struct ReportPicture {
    pub png: Vec<u8>,
    pub width_px: u32,
    pub height_px: u32,
    pub caption: String,
    pub description: String,
}

/// The .docx file as bytes.
pub fn quick_report_docx(r: &QuickReport) -> Result<Vec<u8>, ExportError> {
    let mut rels = DOCUMENT_RELS.to_owned();
    if r.chart.is_some() {
        rels = rels.replace(
            "</Relationships>",
            &format!("<Relationship Id=\"{CHART_REL}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"{CHART_PART}\"/></Relationships>"),
        );
    }
    let parts: [(&str, String); 8] = [
        ("[Content_Types].xml", CONTENT_TYPES.to_owned()),
        ("_rels/.rels", ROOT_RELS.to_owned()),
        ("word/_rels/document.xml.rels", rels),
        ("word/document.xml", document_xml(r)),
        ("word/styles.xml", STYLES.to_owned()),
        ("word/footer1.xml", FOOTER.to_owned()),
        ("word/settings.xml", SETTINGS.to_owned()),
        ("docProps/core.xml", core_xml(r)),
    ];
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, xml) in parts {
        zip.start_file(name, options)?;
        zip.write_all(xml.as_bytes())?;
    }
    if let Some(chart) = &r.chart {
        // PNG is compressed already.
        let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
        zip.start_file(format!("word/{CHART_PART}"), stored)?;
        zip.write_all(&chart.png)?;
    }
    Ok(zip.finish()?.into_inner())
}

/// The chart's part and its relationship from the document.
const CHART_PART: &str = "media/chart1.png";
const CHART_REL: &str = "rId4";
/// English Metric Units per twip (914,400 an inch, 1,440 twips an inch).
const EMU_PER_TWIP: u64 = 635;

/// The caption, then the picture centred at the width of the text: an inline `w:drawing`
/// (`wp:inline` → `pic:pic`) whose `descr` is the alt text Word and LibreOffice show.
fn picture(p: &ReportPicture) -> String {
    let cx = u64::from(TEXT_W) * EMU_PER_TWIP;
    let cy = cx * u64::from(p.height_px.max(1)) / u64::from(p.width_px.max(1));
    let descr = escape(&p.description);
    let name = escape(&p.caption);
    let drawing = format!(
        "<w:r><w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\">\
         <wp:extent cx=\"{cx}\" cy=\"{cy}\"/><wp:effectExtent l=\"0\" t=\"0\" r=\"0\" b=\"0\"/>\
         <wp:docPr id=\"1\" name=\"{name}\" descr=\"{descr}\"/>\
         <wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect=\"1\"/></wp:cNvGraphicFramePr>\
         <a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">\
         <pic:pic><pic:nvPicPr><pic:cNvPr id=\"1\" name=\"chart1.png\" descr=\"{descr}\"/><pic:cNvPicPr/></pic:nvPicPr>\
         <pic:blipFill><a:blip r:embed=\"{CHART_REL}\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>\
         <pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"{cx}\" cy=\"{cy}\"/></a:xfrm>\
         <a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>\
         </a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
    );
    let mut out = para(
        Para::justified()
            .indent(INDENT)
            .before(120)
            .after(60)
            .keep_next(),
        &run(&p.caption, Font::size(PT14).italic()),
    );
    out.push_str(&para(Para::center().after(120), &drawing));
    out
}

// ---- Page geometry (twentieths of a point; 1 mm ≈ 56.7) ----

const PAGE_W: u32 = 11_906; // A4 210 mm
const PAGE_H: u32 = 16_838; // A4 297 mm
const MARGIN_TOP: u32 = 1_134; // 20 mm
const MARGIN_BOTTOM: u32 = 1_134; // 20 mm
const MARGIN_LEFT: u32 = 1_701; // 30 mm
const MARGIN_RIGHT: u32 = 851; // 15 mm
const TEXT_W: u32 = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT;
/// First-line indent of body paragraphs (1 cm; the decree asks 1–1.27 cm).
const INDENT: u32 = 567;

// Font sizes in half-points.
const PT11: u32 = 22;
const PT12: u32 = 24;
const PT13: u32 = 26;
const PT14: u32 = 28;

fn document_xml(r: &QuickReport) -> String {
    let mut body = String::new();
    body.push_str(&header_table(r));

    body.push_str(&para(
        Para::center().before(360),
        &run(&r.title, Font::size(PT14).bold()),
    ));
    if !r.subject.trim().is_empty() {
        body.push_str(&para(
            Para::center(),
            &run(&r.subject, Font::size(PT14).bold()),
        ));
    }
    // The Union's short dashes under the subject.
    body.push_str(&para(Para::center(), &run("-----", Font::size(PT14))));
    if !r.period_label.trim().is_empty() {
        body.push_str(&para(
            Para::center().before(60).after(120),
            &run(&r.period_label, Font::size(PT14).italic()),
        ));
    }

    for text in paragraphs(&r.intro) {
        body.push_str(&body_para(&text));
    }

    body.push_str(&heading("I. KẾT QUẢ THỰC HIỆN"));
    if r.indicators.is_empty() {
        body.push_str(&body_para("Chưa có chỉ tiêu nào."));
    } else {
        body.push_str(&indicator_table(&r.indicators));
    }
    if let Some(chart) = &r.chart {
        body.push_str(&picture(chart));
    }

    body.push_str(&heading("II. ĐÁNH GIÁ CHUNG"));
    for text in paragraphs(&r.assessment) {
        body.push_str(&body_para(&text));
    }

    body.push_str(&heading("III. KHÓ KHĂN, VƯỚNG MẮC"));
    body.push_str(&dash_list(&r.difficulties));

    body.push_str(&heading("IV. ĐỀ XUẤT, KIẾN NGHỊ"));
    body.push_str(&dash_list(&r.recommendations));

    body.push_str(&para(Para::left().after(120), ""));
    body.push_str(&signature_table(r));

    format!(
        "{XML_DECL}<w:document xmlns:w=\"{W_NS}\" \
         xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" \
         xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" \
         xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" \
         xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">\
         <w:body>{body}<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rId3\"/>\
         <w:pgSz w:w=\"{PAGE_W}\" w:h=\"{PAGE_H}\"/>\
         <w:pgMar w:top=\"{MARGIN_TOP}\" w:right=\"{MARGIN_RIGHT}\" w:bottom=\"{MARGIN_BOTTOM}\" \
         w:left=\"{MARGIN_LEFT}\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/>\
         <w:cols w:space=\"720\"/></w:sectPr></w:body></w:document>"
    )
}

/// Borderless two columns (29-HD/TWĐTN-VP): on the left the superior (if any), the issuing body
/// in bold and "***"; on the right "ĐOÀN TNCS HỒ CHÍ MINH", bold and underlined, level with the
/// first line on the left. A second row puts the number on the left level with the place and
/// date on the right.
fn header_table(r: &QuickReport) -> String {
    const LEFT: u32 = HEADER_LEFT;
    const RIGHT: u32 = TEXT_W - LEFT;
    let mut unit = String::new();
    if !r.superior_unit.trim().is_empty() {
        unit.push_str(&para(
            Para::center(),
            &run(&r.superior_unit.to_uppercase(), Font::size(PT14)),
        ));
    }
    unit.push_str(&para(
        Para::center(),
        &run(&r.unit_name.to_uppercase(), Font::size(PT14).bold()),
    ));
    unit.push_str(&para(Para::center(), &run("***", Font::size(PT14))));

    let union = para(
        Para::center(),
        &run(UNION_HEADING, Font::size(PT14).bold().underline()),
    );

    let number = para(Para::center().before(60), &run(&r.number, Font::size(PT14)));
    let place_date = para(
        Para::center().before(60),
        &run(&place_and_date(&r.place, r.date), Font::size(PT14).italic()),
    );

    table(
        &[LEFT, RIGHT],
        false,
        &[
            row(&[cell_top(LEFT, &unit), cell_top(RIGHT, &union)], false),
            row(
                &[cell_top(LEFT, &number), cell_top(RIGHT, &place_date)],
                false,
            ),
        ],
    )
}

/// The heading every Youth Union document carries, top right.
const UNION_HEADING: &str = "ĐOÀN TNCS HỒ CHÍ MINH";
/// Width of the heading's left column (borderless tables have no cell margins): issuing bodies
/// up to "BCH ĐOÀN XÃ TÂN LONG HỘI" (about 207 pt at 14 pt bold) fit on one line, and so do
/// place-and-date lines up to "Tân Long Hội, ngày 25 tháng 11 năm 2026" (about 241 pt at 14 pt
/// italic) in the right column; longer ones wrap inside their column.
const HEADER_LEFT: u32 = 4_300;

/// Column widths of the indicator table, set explicitly (fixed layout): each header word fits
/// its column at 13 pt bold with the cell margins ("STT" never wraps), the numbers fit their
/// columns, and the indicator's name takes the rest and wraps when long.
const INDICATOR_WIDTHS: [u32; 5] = [
    STT_W,
    TEXT_W - STT_W - 2 * NUMBER_W - RATIO_W,
    NUMBER_W,
    NUMBER_W,
    RATIO_W,
];
const STT_W: u32 = 850;
const NUMBER_W: u32 = 1_560;
const RATIO_W: u32 = 1_300;

fn indicator_table(indicators: &[ReportIndicator]) -> String {
    const WIDTHS: [u32; 5] = INDICATOR_WIDTHS;
    let tight = || Para::center().before(40).after(40);
    let header: Vec<String> = ["STT", "Chỉ tiêu", "Kế hoạch", "Kết quả", "Tỷ lệ"]
        .iter()
        .zip(WIDTHS)
        .map(|(h, w)| cell(w, &para(tight(), &run(h, Font::size(PT13).bold()))))
        .collect();
    let mut rows = vec![row(&header, true)];
    for (i, ind) in indicators.iter().enumerate() {
        let texts = [
            (i + 1).to_string(),
            ind.name.clone(),
            ind.target.map_or_else(|| "—".to_owned(), vn_number),
            vn_number(ind.achieved),
            vn_ratio(ind.achieved, ind.target),
        ];
        let cells: Vec<String> = texts
            .iter()
            .enumerate()
            .map(|(c, t)| {
                let p = if c == 1 {
                    Para::left().before(40).after(40)
                } else {
                    tight()
                };
                cell(WIDTHS[c], &para(p, &run(t, Font::size(PT13))))
            })
            .collect();
        rows.push(row(&cells, false));
    }
    table(&WIDTHS, true, &rows)
}

/// "Nơi nhận" on the left, the signature block on the right, no borders.
fn signature_table(r: &QuickReport) -> String {
    // The right column holds "TM. BAN THƯỜNG VỤ TỈNH ĐOÀN" on one line at 14 pt bold.
    const LEFT: u32 = 4_100;
    const RIGHT: u32 = TEXT_W - LEFT;
    let mut recipients = para(
        Para::left(),
        &run("Nơi nhận:", Font::size(PT12).bold().italic()),
    );
    for line in recipient_lines(&r.recipients) {
        recipients.push_str(&para(Para::left(), &run(&line, Font::size(PT11))));
    }

    let mut signature = String::new();
    for line in [&r.signer_role, &r.signer_title] {
        if !line.trim().is_empty() {
            signature.push_str(&para(
                Para::center(),
                &run(&line.to_uppercase(), Font::size(PT14).bold()),
            ));
        }
    }
    // Room for the signature and the seal.
    signature.push_str(&para(
        Para::center().before(1_700),
        &run(&r.signer_name, Font::size(PT14).bold()),
    ));

    table(
        &[LEFT, RIGHT],
        false,
        &[row(
            &[cell_top(LEFT, &recipients), cell_top(RIGHT, &signature)],
            false,
        )],
    )
}

/// "- X;" for each recipient, the last line "- Lưu: VT.".
fn recipient_lines(recipients: &[String]) -> Vec<String> {
    let cleaned: Vec<&str> = recipients
        .iter()
        .map(|s| {
            s.trim()
                .trim_start_matches(['-', '–'])
                .trim()
                .trim_end_matches([';', '.', ','])
                .trim_end()
        })
        .filter(|s| !s.is_empty())
        .collect();
    let has_archive = cleaned
        .last()
        .is_some_and(|s| s.to_lowercase().starts_with("lưu"));
    let mut lines: Vec<String> = cleaned.iter().map(|s| format!("- {s};")).collect();
    if has_archive {
        if let Some(last) = lines.last_mut() {
            last.pop();
            last.push('.');
        }
    } else {
        lines.push("- Lưu: VT.".to_owned());
    }
    lines
}

fn dash_list(items: &[String]) -> String {
    let items: Vec<&str> = items
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect();
    if items.is_empty() {
        return body_para("Không có.");
    }
    items
        .iter()
        .map(|s| {
            let s = s.trim_start_matches(['-', '–']).trim_start();
            body_para(&format!("- {s}"))
        })
        .collect()
}

/// Blank lines separate paragraphs; a single newline stays a line break inside one.
fn paragraphs(text: &str) -> Vec<String> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                out.push(current.join("\n"));
                current.clear();
            }
        } else {
            current.push(line.trim());
        }
    }
    if !current.is_empty() {
        out.push(current.join("\n"));
    }
    out
}

fn heading(text: &str) -> String {
    para(
        Para::justified()
            .indent(INDENT)
            .before(120)
            .after(60)
            .keep_next(),
        &run(text, Font::size(PT14).bold()),
    )
}

fn body_para(text: &str) -> String {
    para(
        Para::justified().indent(INDENT).after(120).line(288),
        &run(text, Font::size(PT14)),
    )
}

// ---- Small OOXML builders ----

#[derive(Clone, Copy)]
struct Font {
    size: u32,
    bold: bool,
    italic: bool,
    underline: bool,
}

impl Font {
    fn size(size: u32) -> Self {
        Font {
            size,
            bold: false,
            italic: false,
            underline: false,
        }
    }
    fn bold(self) -> Self {
        Font { bold: true, ..self }
    }
    fn italic(self) -> Self {
        Font {
            italic: true,
            ..self
        }
    }
    fn underline(self) -> Self {
        Font {
            underline: true,
            ..self
        }
    }
}

#[derive(Clone, Copy)]
struct Para {
    align: &'static str,
    first_line: u32,
    before: u32,
    after: u32,
    line: u32,
    keep_next: bool,
}

impl Para {
    fn aligned(align: &'static str) -> Self {
        Para {
            align,
            first_line: 0,
            before: 0,
            after: 0,
            line: 240,
            keep_next: false,
        }
    }
    fn left() -> Self {
        Para::aligned("left")
    }
    fn center() -> Self {
        Para::aligned("center")
    }
    fn justified() -> Self {
        Para::aligned("both")
    }
    fn indent(self, first_line: u32) -> Self {
        Para { first_line, ..self }
    }
    fn before(self, before: u32) -> Self {
        Para { before, ..self }
    }
    fn after(self, after: u32) -> Self {
        Para { after, ..self }
    }
    fn line(self, line: u32) -> Self {
        Para { line, ..self }
    }
    fn keep_next(self) -> Self {
        Para {
            keep_next: true,
            ..self
        }
    }
}

fn para(p: Para, runs: &str) -> String {
    let keep = if p.keep_next { "<w:keepNext/>" } else { "" };
    let ind = if p.first_line > 0 {
        format!("<w:ind w:firstLine=\"{}\"/>", p.first_line)
    } else {
        String::new()
    };
    format!(
        "<w:p><w:pPr>{keep}<w:spacing w:before=\"{}\" w:after=\"{}\" w:line=\"{}\" \
         w:lineRule=\"auto\"/>{ind}<w:jc w:val=\"{}\"/></w:pPr>{runs}</w:p>",
        p.before, p.after, p.line, p.align
    )
}

/// One run; newlines in `text` become line breaks.
fn run(text: &str, f: Font) -> String {
    let mut props = String::new();
    if f.bold {
        props.push_str("<w:b/><w:bCs/>");
    }
    if f.italic {
        props.push_str("<w:i/><w:iCs/>");
    }
    props.push_str(&format!(
        "<w:sz w:val=\"{0}\"/><w:szCs w:val=\"{0}\"/>",
        f.size
    ));
    if f.underline {
        props.push_str("<w:u w:val=\"single\"/>");
    }
    let content: Vec<String> = text
        .split('\n')
        .map(|line| format!("<w:t xml:space=\"preserve\">{}</w:t>", escape(line)))
        .collect();
    format!(
        "<w:r><w:rPr>{props}</w:rPr>{}</w:r>",
        content.join("<w:br/>")
    )
}

fn table(widths: &[u32], borders: bool, rows: &[String]) -> String {
    let total: u32 = widths.iter().sum();
    let border = if borders {
        "w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\""
    } else {
        "w:val=\"nil\""
    };
    // A borderless layout table uses the whole width of its columns.
    let margins = if borders {
        ""
    } else {
        "<w:tblCellMar><w:left w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"0\" w:type=\"dxa\"/>\
         </w:tblCellMar>"
    };
    let grid: String = widths
        .iter()
        .map(|w| format!("<w:gridCol w:w=\"{w}\"/>"))
        .collect();
    format!(
        "<w:tbl><w:tblPr><w:tblW w:w=\"{total}\" w:type=\"dxa\"/><w:tblBorders>\
         <w:top {border}/><w:left {border}/><w:bottom {border}/><w:right {border}/>\
         <w:insideH {border}/><w:insideV {border}/></w:tblBorders>\
         <w:tblLayout w:type=\"fixed\"/>{margins}<w:tblLook w:val=\"0000\"/></w:tblPr>\
         <w:tblGrid>{grid}</w:tblGrid>{}</w:tbl>",
        rows.concat()
    )
}

/// `header`: repeated at the top of each page the table runs onto.
fn row(cells: &[String], header: bool) -> String {
    let tr_pr = if header {
        "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
    } else {
        "<w:trPr><w:cantSplit/></w:trPr>"
    };
    format!("<w:tr>{tr_pr}{}</w:tr>", cells.concat())
}

fn cell(width: u32, content: &str) -> String {
    cell_aligned(width, "center", content)
}

/// A cell whose content starts at its top (the heading's columns line up line by line).
fn cell_top(width: u32, content: &str) -> String {
    cell_aligned(width, "top", content)
}

fn cell_aligned(width: u32, v_align: &str, content: &str) -> String {
    // A cell must end with a paragraph.
    let content = if content.is_empty() {
        "<w:p/>"
    } else {
        content
    };
    format!(
        "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/><w:vAlign w:val=\"{v_align}\"/>\
         </w:tcPr>{content}</w:tc>"
    )
}

/// Escapes for element text and attribute values alike, and drops the characters XML 1.0
/// cannot carry at all (control characters pasted into free text would corrupt the file).
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push(' '),
            '\u{0}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

// ---- Vietnamese formatting ----

/// "Thạch Hà, ngày 05 tháng 02 năm 2026": the decree pads days below 10 and months below 3
/// (so that "tháng 1" cannot be altered into "tháng 10" or "tháng 12").
fn place_and_date(place: &str, d: NaiveDate) -> String {
    let month = if d.month() < 3 {
        format!("{:02}", d.month())
    } else {
        d.month().to_string()
    };
    let date = format!("ngày {:02} tháng {month} năm {}", d.day(), d.year());
    if place.trim().is_empty() {
        date
    } else {
        format!("{}, {date}", place.trim())
    }
}

/// 1234567 → "1.234.567": the server's formatter, in Vietnamese.
fn vn_number(n: u64) -> String {
    format::number(Lang::Vi, n)
}

/// "87,5%", "100%", "—" without a target: the server's formatter of a share, in Vietnamese (one
/// decimal, dropped when it is zero).
fn vn_ratio(achieved: u64, target: Option<u64>) -> String {
    format::share(Lang::Vi, gocua_protocol::share_of_target(achieved, target))
}

// ---- Package parts ----

const XML_DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Default Extension=\"png\" ContentType=\"image/png\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
<Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>\
<Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>\
<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
</Types>";

const ROOT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
</Relationships>";

const DOCUMENT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/>\
<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>\
</Relationships>";

/// The page number, right-aligned at the foot of every page (a PAGE field, so Word and
/// LibreOffice number the pages themselves).
const FOOTER: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<w:ftr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:p><w:pPr><w:jc w:val=\"right\"/></w:pPr>\
<w:r><w:rPr><w:sz w:val=\"26\"/><w:szCs w:val=\"26\"/></w:rPr><w:fldChar w:fldCharType=\"begin\"/></w:r>\
<w:r><w:rPr><w:sz w:val=\"26\"/><w:szCs w:val=\"26\"/></w:rPr><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>\
<w:r><w:rPr><w:sz w:val=\"26\"/><w:szCs w:val=\"26\"/></w:rPr><w:fldChar w:fldCharType=\"separate\"/></w:r>\
<w:r><w:rPr><w:sz w:val=\"26\"/><w:szCs w:val=\"26\"/></w:rPr><w:t>1</w:t></w:r>\
<w:r><w:rPr><w:sz w:val=\"26\"/><w:szCs w:val=\"26\"/></w:rPr><w:fldChar w:fldCharType=\"end\"/></w:r>\
</w:p></w:ftr>";

/// Times New Roman 14 pt, Vietnamese proofing language, single spacing unless a paragraph says
/// otherwise.
const STYLES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:docDefaults><w:rPrDefault><w:rPr>\
<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"Times New Roman\" w:cs=\"Times New Roman\"/>\
<w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/><w:lang w:val=\"vi-VN\" w:eastAsia=\"vi-VN\" w:bidi=\"ar-SA\"/>\
</w:rPr></w:rPrDefault>\
<w:pPrDefault><w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault>\
</w:docDefaults>\
<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>\
<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/>\
<w:uiPriority w:val=\"99\"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/>\
<w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/>\
<w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>\
</w:styles>";

const SETTINGS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:zoom w:percent=\"100\"/><w:defaultTabStop w:val=\"720\"/>\
<w:characterSpacingControl w:val=\"doNotCompress\"/>\
<w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>\
</w:settings>";

/// The created time is the report's date, so the same report always gives the same bytes.
fn core_xml(r: &QuickReport) -> String {
    let title = if r.subject.trim().is_empty() {
        r.title.clone()
    } else {
        format!("{} – {}", r.title, r.subject)
    };
    format!(
        "{XML_DECL}<cp:coreProperties \
         xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
         <dc:title>{}</dc:title><dc:creator>{}</dc:creator><dc:language>vi-VN</dc:language>\
         <dcterms:created xsi:type=\"dcterms:W3CDTF\">{}T00:00:00Z</dcterms:created>\
         </cp:coreProperties>",
        escape(&title),
        escape(&r.unit_name),
        r.date.format("%Y-%m-%d"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use std::io::Read;

    fn report() -> QuickReport {
        QuickReport {
            superior_unit: "HUYỆN ĐOÀN THẠCH HÀ".into(),
            unit_name: "BCH ĐOÀN XÃ THẠCH ĐÀI".into(),
            number: "Số: 12-BC/ĐTN".into(),
            place: "Thạch Hà".into(),
            date: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
            title: "BÁO CÁO".into(),
            subject: "Kết quả hỗ trợ dịch vụ công trực tuyến & VNeID <đợt 1>".into(),
            period_label: "Từ ngày 01/07/2026 đến ngày 31/08/2026".into(),
            intro: "Thực hiện Kế hoạch số 241-KH/TĐTN-TCKT, Ban Thường vụ báo cáo như sau:".into(),
            indicators: vec![
                ReportIndicator {
                    name: "Hộ gia đình được đến tận nhà".into(),
                    target: Some(1_500),
                    achieved: 1_312,
                },
                ReportIndicator {
                    name: "Tài khoản VNeID mức 2 được kích hoạt".into(),
                    target: None,
                    achieved: 12_345,
                },
                ReportIndicator {
                    name: "Hồ sơ \"toàn trình\" được hỗ trợ".into(),
                    target: Some(200),
                    achieved: 250,
                },
            ],
            chart: None,
            assessment:
                "Đoàn viên nhiệt tình, bám sát địa bàn.\n\nMột số ấp còn chậm;\nsẽ khắc phục."
                    .into(),
            difficulties: vec![
                "Nhiều hộ chưa có điện thoại thông minh".into(),
                "Cổng dịch vụ công lỗi < 3 ngày > liên tục & không báo trước".into(),
            ],
            recommendations: vec!["Đề nghị UBND xã bố trí wifi tại nhà văn hóa ấp".into()],
            recipients: vec!["Ban Thường vụ Tỉnh đoàn".into(), "Đảng ủy xã;".into()],
            signer_role: "TM. BAN THƯỜNG VỤ ĐOÀN XÃ".into(),
            signer_title: "Phó Bí thư".into(),
            signer_name: "Nguyễn Thị Hồng Nhung".into(),
        }
    }

    /// The parts of a DOCX, each as text (a picture's bytes read as Latin-1, never compared).
    fn unzip(bytes: &[u8]) -> Vec<(String, String)> {
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        (0..archive.len())
            .map(|i| {
                let mut f = archive.by_index(i).unwrap();
                let mut b = Vec::new();
                f.read_to_end(&mut b).unwrap();
                let s = if f.name().ends_with(".png") {
                    b.iter().map(|c| char::from(*c)).collect()
                } else {
                    String::from_utf8(b).unwrap()
                };
                (f.name().to_owned(), s)
            })
            .collect()
    }

    /// The body of a DOCX: `word/document.xml`.
    fn body_of(bytes: &[u8]) -> String {
        unzip(bytes)
            .into_iter()
            .find(|(n, _)| n == "word/document.xml")
            .expect("a DOCX has word/document.xml")
            .1
    }

    /// A minimal XML checker: declaration, one root, balanced and properly nested tags, quoted
    /// unique attributes, only the five predefined or numeric entities, no stray `<` or `&`.
    /// Returns the text of each `w:p` (joined `w:t` contents, `w:br` as newline).
    fn check_xml(xml: &str) -> Vec<String> {
        let mut rest = xml
            .strip_prefix("<?xml")
            .and_then(|r| r.split_once("?>"))
            .map(|(_, r)| r)
            .expect("XML declaration");
        let (mut stack, mut paras) = (Vec::<&str>::new(), Vec::new());
        let (mut text, mut in_t, mut roots) = (String::new(), false, 0);
        while !rest.is_empty() {
            if let Some(r) = rest.strip_prefix('<') {
                let (tag, after) = r.split_once('>').expect("unclosed tag");
                rest = after;
                if let Some(name) = tag.strip_prefix('/') {
                    assert_eq!(stack.pop(), Some(name), "mismatched </{name}>");
                    match name {
                        "w:t" => in_t = false,
                        "w:p" => paras.push(std::mem::take(&mut text)),
                        _ => {}
                    }
                    continue;
                }
                let empty = tag.ends_with('/');
                let tag = tag.trim_end_matches('/');
                let name = tag.split_whitespace().next().expect("tag name");
                assert!(
                    name.chars()
                        .all(|c| c.is_alphanumeric() || matches!(c, ':' | '_' | '-' | '.')),
                    "bad tag name {name:?}"
                );
                check_attributes(&tag[name.len()..]);
                if stack.is_empty() {
                    roots += 1;
                }
                if empty {
                    match name {
                        "w:br" => text.push('\n'),
                        "w:p" => paras.push(String::new()),
                        _ => {}
                    }
                } else {
                    in_t = name == "w:t";
                    stack.push(name);
                }
            } else {
                let end = rest.find('<').unwrap_or(rest.len());
                let chars = unescape(&rest[..end]);
                if stack.is_empty() {
                    assert!(chars.trim().is_empty(), "text outside the root");
                } else if in_t {
                    text.push_str(&chars);
                }
                rest = &rest[end..];
            }
        }
        assert!(stack.is_empty(), "unclosed elements {stack:?}");
        assert_eq!(roots, 1, "exactly one root element");
        paras
    }

    fn check_attributes(mut s: &str) {
        let mut seen = HashSet::new();
        loop {
            s = s.trim_start();
            if s.is_empty() {
                return;
            }
            let (name, r) = s.split_once('=').expect("attribute without value");
            assert!(
                !name.is_empty() && !name.contains(char::is_whitespace),
                "bad attribute name {name:?}"
            );
            assert!(seen.insert(name), "duplicate attribute {name}");
            let quote = r.chars().next().expect("attribute value");
            assert!(quote == '"' || quote == '\'', "unquoted attribute {name}");
            let (value, r) = r[1..].split_once(quote).expect("unterminated attribute");
            assert!(!value.contains('<'), "< in attribute {name}");
            unescape(value);
            s = r;
            assert!(
                s.is_empty() || s.starts_with(char::is_whitespace),
                "no space after attribute {name}"
            );
        }
    }

    fn unescape(s: &str) -> String {
        let mut out = String::new();
        let mut rest = s;
        while let Some(i) = rest.find('&') {
            out.push_str(&rest[..i]);
            let (entity, r) = rest[i + 1..].split_once(';').expect("unterminated entity");
            out.push(match entity {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                e if e.starts_with("#x") => {
                    char::from_u32(u32::from_str_radix(&e[2..], 16).unwrap()).unwrap()
                }
                e if e.starts_with('#') => char::from_u32(e[1..].parse().unwrap()).unwrap(),
                e => panic!("unknown entity &{e};"),
            });
            rest = r;
        }
        out.push_str(rest);
        out
    }

    /// The run properties of the run holding `text` (escaped as in the XML).
    fn run_props<'a>(xml: &'a str, text: &str) -> &'a str {
        let at = xml.find(&format!(">{text}<")).expect(text);
        let start = xml[..at].rfind("<w:rPr>").unwrap();
        &xml[start..at]
    }

    fn position(paras: &[String], wanted: &str) -> usize {
        paras
            .iter()
            .position(|p| p == wanted)
            .unwrap_or_else(|| panic!("no paragraph {wanted:?} in {paras:#?}"))
    }

    #[test]
    fn package_is_complete_and_well_formed() {
        let files = unzip(&quick_report_docx(&report()).unwrap());
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names[0], "[Content_Types].xml");
        for part in [
            "_rels/.rels",
            "word/_rels/document.xml.rels",
            "word/document.xml",
            "word/styles.xml",
            "word/footer1.xml",
            "word/settings.xml",
            "docProps/core.xml",
        ] {
            assert!(names.contains(&part), "missing {part}");
        }
        for (name, xml) in files.iter().filter(|(n, _)| !n.ends_with(".png")) {
            check_xml(xml);
            if let Some(part) = name
                .strip_suffix(".xml")
                .filter(|_| name.starts_with("word/"))
            {
                let types = &files[0].1;
                assert!(types.contains(&format!("PartName=\"/{part}.xml\"")));
            }
        }
        let get = |n: &str| &files.iter().find(|(name, _)| name == n).unwrap().1;
        let styles = get("word/styles.xml");
        assert!(styles.contains("w:ascii=\"Times New Roman\""));
        assert!(styles.contains("<w:lang w:val=\"vi-VN\""));
        assert!(styles.contains("<w:sz w:val=\"28\"/>"));
        let core = get("docProps/core.xml");
        assert!(core.contains("<dc:title>BÁO CÁO – Kết quả hỗ trợ dịch vụ công trực tuyến &amp; VNeID &lt;đợt 1&gt;</dc:title>"));
        let doc = get("word/document.xml");
        assert!(doc.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"));
        assert!(doc.contains("w:top=\"1134\" w:right=\"851\" w:bottom=\"1134\" w:left=\"1701\""));
        // The page number: a PAGE field in the footer every page uses.
        assert!(doc.contains("<w:footerReference w:type=\"default\" r:id=\"rId3\"/>"));
        assert!(get("word/_rels/document.xml.rels").contains("Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\""));
        assert!(get("word/footer1.xml")
            .contains("<w:instrText xml:space=\"preserve\"> PAGE </w:instrText>"));
    }

    #[test]
    fn document_carries_the_report() {
        let doc = &body_of(&quick_report_docx(&report()).unwrap());
        let paras = check_xml(doc);

        // Heading block (29-HD/TWĐTN-VP): the superior, the issuing body and "***" on the left,
        // the Union's heading on the right, then the number level with the place and date.
        assert_eq!(
            paras[..6],
            [
                "HUYỆN ĐOÀN THẠCH HÀ",
                "BCH ĐOÀN XÃ THẠCH ĐÀI",
                "***",
                "ĐOÀN TNCS HỒ CHÍ MINH",
                "Số: 12-BC/ĐTN",
                "Thạch Hà, ngày 25 tháng 11 năm 2026",
            ]
        );
        for line in [
            "BÁO CÁO",
            "Kết quả hỗ trợ dịch vụ công trực tuyến & VNeID <đợt 1>",
            "-----",
            "Từ ngày 01/07/2026 đến ngày 31/08/2026",
        ] {
            position(&paras, line);
        }
        // Not the State's heading (Decree 30/2020).
        assert!(!doc.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
        assert!(!doc.contains("Độc lập - Tự do - Hạnh phúc"));
        let union = run_props(doc, "ĐOÀN TNCS HỒ CHÍ MINH");
        assert!(union.contains("<w:b/>") && union.contains("<w:u w:val=\"single\"/>"));
        assert!(run_props(doc, "Thạch Hà, ngày 25 tháng 11 năm 2026").contains("<w:i/>"));
        assert!(!run_props(doc, "HUYỆN ĐOÀN THẠCH HÀ").contains("<w:b/>"));
        assert!(run_props(doc, "BCH ĐOÀN XÃ THẠCH ĐÀI").contains("<w:b/>"));
        assert!(run_props(doc, "BÁO CÁO").contains("<w:b/>"));
        // Special characters are escaped, never raw.
        assert!(doc.contains("VNeID &lt;đợt 1&gt;"));
        assert!(doc.contains("&amp; không báo trước"));
        assert!(doc.contains("Hồ sơ &quot;toàn trình&quot;"));
        assert!(!doc.contains("<đợt"));

        // Sections in order.
        let sections: Vec<usize> = [
            "I. KẾT QUẢ THỰC HIỆN",
            "II. ĐÁNH GIÁ CHUNG",
            "III. KHÓ KHĂN, VƯỚNG MẮC",
            "IV. ĐỀ XUẤT, KIẾN NGHỊ",
        ]
        .iter()
        .map(|h| position(&paras, h))
        .collect();
        assert!(sections.windows(2).all(|w| w[0] < w[1]));

        // Indicator table: each cell is one paragraph, row after row.
        let table = position(&paras, "STT");
        assert_eq!(
            paras[table..table + 20],
            [
                "STT",
                "Chỉ tiêu",
                "Kế hoạch",
                "Kết quả",
                "Tỷ lệ",
                "1",
                "Hộ gia đình được đến tận nhà",
                "1.500",
                "1.312",
                "87,5%",
                "2",
                "Tài khoản VNeID mức 2 được kích hoạt",
                "—",
                "12.345",
                "—",
                "3",
                "Hồ sơ \"toàn trình\" được hỗ trợ",
                "200",
                "250",
                "125%",
            ]
        );
        assert!(sections[0] < table && table < sections[1]);

        // Assessment: blank line = new paragraph, single newline = line break.
        position(&paras, "Đoàn viên nhiệt tình, bám sát địa bàn.");
        position(&paras, "Một số ấp còn chậm;\nsẽ khắc phục.");
        let difficulty = position(
            &paras,
            "- Cổng dịch vụ công lỗi < 3 ngày > liên tục & không báo trước",
        );
        position(&paras, "- Nhiều hộ chưa có điện thoại thông minh");
        let recommendation = position(&paras, "- Đề nghị UBND xã bố trí wifi tại nhà văn hóa ấp");
        assert!(sections[2] < difficulty && difficulty < sections[3]);
        assert!(sections[3] < recommendation);

        // Bottom block.
        let received = position(&paras, "Nơi nhận:");
        assert_eq!(
            paras[received + 1..received + 4],
            ["- Ban Thường vụ Tỉnh đoàn;", "- Đảng ủy xã;", "- Lưu: VT."]
        );
        assert!(run_props(doc, "Nơi nhận:").contains("<w:b/><w:bCs/><w:i/>"));
        assert_eq!(
            paras[received + 4..received + 7],
            [
                "TM. BAN THƯỜNG VỤ ĐOÀN XÃ",
                "PHÓ BÍ THƯ",
                "Nguyễn Thị Hồng Nhung"
            ]
        );
        assert!(run_props(doc, "Nguyễn Thị Hồng Nhung").contains("<w:b/>"));
    }

    #[test]
    fn empty_lists_and_control_characters() {
        let mut r = report();
        r.difficulties.clear();
        r.recommendations = vec!["  ".into()];
        r.recipients = vec!["UBND xã".into(), "Lưu: VT, BTC".into()];
        r.intro = "Có ký tự lạ\u{0}\u{1B} ở đây".into();
        let doc = &body_of(&quick_report_docx(&r).unwrap());
        let paras = check_xml(doc);
        let iii = position(&paras, "III. KHÓ KHĂN, VƯỚNG MẮC");
        assert_eq!(paras[iii + 1], "Không có.");
        let iv = position(&paras, "IV. ĐỀ XUẤT, KIẾN NGHỊ");
        assert_eq!(paras[iv + 1], "Không có.");
        position(&paras, "Có ký tự lạ ở đây");
        let received = position(&paras, "Nơi nhận:");
        assert_eq!(
            paras[received + 1..received + 3],
            ["- UBND xã;", "- Lưu: VT, BTC."]
        );
    }

    #[test]
    fn indicator_table_widths_are_explicit_and_fill_the_line() {
        assert_eq!(INDICATOR_WIDTHS.iter().sum::<u32>(), TEXT_W);
        // "STT" at 13 pt bold is about 28 pt (560 twips) wide, plus 2 × 108 twips of cell margin.
        assert!(INDICATOR_WIDTHS[0] >= 560 + 216 + 50);
        // The name column keeps the most room.
        assert!(INDICATOR_WIDTHS[1] > INDICATOR_WIDTHS[2..].iter().copied().max().unwrap() * 2);
        let doc = &body_of(&quick_report_docx(&report()).unwrap());
        let grid: String = INDICATOR_WIDTHS
            .iter()
            .map(|w| format!("<w:gridCol w:w=\"{w}\"/>"))
            .collect();
        assert!(doc.contains(&format!("<w:tblGrid>{grid}</w:tblGrid>")));
        assert!(doc.contains(&format!(
            "<w:tcW w:w=\"{}\" w:type=\"dxa\"/>",
            INDICATOR_WIDTHS[0]
        )));
    }

    #[test]
    fn chart_is_an_inline_picture_as_wide_as_the_text() {
        let mut r = report();
        let png = b"\x89PNG\r\n\x1a\n-not-a-real-one".to_vec();
        r.chart = Some(ReportPicture {
            png: png.clone(),
            width_px: 2_040,
            height_px: 1_276,
            caption: "Tiến độ theo thời gian (cả kế hoạch)".into(),
            description: "Hộ được đến: 1.234 trên chỉ tiêu 2.000 & \"dự kiến\"".into(),
        });
        let bytes = quick_report_docx(&r).unwrap();
        let files = unzip(&bytes);
        let get = |n: &str| &files.iter().find(|(name, _)| name == n).unwrap().1;
        for (name, xml) in files.iter().filter(|(n, _)| !n.ends_with(".png")) {
            let _ = name;
            check_xml(xml);
        }
        let mut archive = zip::ZipArchive::new(Cursor::new(&bytes[..])).unwrap();
        let mut stored = Vec::new();
        archive
            .by_name("word/media/chart1.png")
            .unwrap()
            .read_to_end(&mut stored)
            .unwrap();
        assert_eq!(stored, png);
        assert!(get("[Content_Types].xml")
            .contains("<Default Extension=\"png\" ContentType=\"image/png\"/>"));
        assert!(get("word/_rels/document.xml.rels").contains("Id=\"rId4\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"media/chart1.png\""));
        let doc = get("word/document.xml");
        let paras = check_xml(doc);
        // Under the indicator table, before the assessment: the caption, then the picture.
        let caption = position(&paras, "Tiến độ theo thời gian (cả kế hoạch)");
        assert!(position(&paras, "125%") < caption);
        assert!(caption < position(&paras, "II. ĐÁNH GIÁ CHUNG"));
        // As wide as the text (9,354 twips × 635 EMU), the height keeping the aspect ratio.
        let cx = u64::from(TEXT_W) * 635;
        assert_eq!(cx, 5_939_790);
        let cy = cx * 1_276 / 2_040;
        assert!(doc.contains(&format!("<wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\"><wp:extent cx=\"{cx}\" cy=\"{cy}\"/>")));
        assert!(doc.contains(&format!("<a:ext cx=\"{cx}\" cy=\"{cy}\"/>")));
        assert!(doc.contains("<a:blip r:embed=\"rId4\"/>"));
        // The alt text, escaped, on the drawing and the picture.
        let alt = "descr=\"Hộ được đến: 1.234 trên chỉ tiêu 2.000 &amp; &quot;dự kiến&quot;\"";
        assert_eq!(doc.matches(alt).count(), 2);
        assert!(doc.contains(
            "xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\""
        ));
        // Without a chart, no picture and no image relationship.
        let plain = unzip(&quick_report_docx(&report()).unwrap());
        assert!(!plain.iter().any(|(n, _)| n.ends_with(".png")));
        assert!(!body_of(&quick_report_docx(&report()).unwrap()).contains("w:drawing"));
    }

    #[test]
    #[should_panic(expected = "mismatched")]
    fn checker_rejects_crossed_tags() {
        check_xml("<?xml version=\"1.0\"?><a><b></a></b>");
    }

    #[test]
    #[should_panic(expected = "unknown entity")]
    fn checker_rejects_raw_ampersand() {
        check_xml("<?xml version=\"1.0\"?><a>A &amp B; </a>");
    }

    #[test]
    fn vietnamese_formats() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(
            place_and_date("Thạch Hà", d(2026, 11, 25)),
            "Thạch Hà, ngày 25 tháng 11 năm 2026"
        );
        assert_eq!(
            place_and_date("Huế", d(2026, 2, 5)),
            "Huế, ngày 05 tháng 02 năm 2026"
        );
        assert_eq!(
            place_and_date("Huế", d(2026, 3, 9)),
            "Huế, ngày 09 tháng 3 năm 2026"
        );
        assert_eq!(vn_number(0), "0");
        assert_eq!(vn_number(999), "999");
        assert_eq!(vn_number(1_234), "1.234");
        assert_eq!(vn_number(1_234_567), "1.234.567");
        assert_eq!(vn_ratio(7, Some(8)), "87,5%");
        assert_eq!(vn_ratio(2, Some(3)), "66,7%");
        assert_eq!(vn_ratio(8, Some(8)), "100%");
        assert_eq!(vn_ratio(0, Some(8)), "0%");
        assert_eq!(vn_ratio(5, Some(0)), "—");
        assert_eq!(vn_ratio(5, None), "—");
        assert_eq!(
            escape("a&b<c>\"d\"'e'"),
            "a&amp;b&lt;c&gt;&quot;d&quot;&apos;e&apos;"
        );
    }
}
