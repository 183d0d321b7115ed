//! The exports as a reader sees them: the quick report (DOCX) and a province overview (XLSX) are
//! rendered with LibreOffice to PDF (`soffice --headless --convert-to pdf`), and the positions
//! of the words that matter are read back with poppler's `pdftotext -bbox-layout`. Page 1 of
//! each is also rendered to PNG (`pdftoppm -png -r 60`) under build/export-render/ (gitignored)
//! for a person to look at.
//!
//! Needs LibreOffice Writer and Calc and poppler-utils (scripts/install-deps.sh installs them);
//! without them the test fails rather than skips, as the end-to-end tests do without PostgreSQL.
//! The report carries progress over time as a picture (PNG drawn by resvg from the overview's
//! SVG): `pdfimages -list` must show it at its pixel size, printed as wide as the text, and the
//! page holding it is rendered to `report-chart-page.png` (90 dpi) to be looked at.
//! Both files go through one LibreOffice start (about 10 s the first time) with a private
//! profile, so parallel runs do not share one.

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::NaiveDate;
use gocua_protocol::{Indicator, Tally};
use gocua_server::domain::coverage::{CommuneCoverage, Counts, Coverage, HamletCoverage};
use gocua_server::domain::format::Lang;
use gocua_server::domain::pace::{self, IndicatorPace, Timeline};
use gocua_server::web::chart;
use gocua_server::web::export::{
    quick_report_docx, table_to_xlsx, tables_to_xlsx, Cell, Column, QuickReport, ReportIndicator,
    ReportPicture, Table,
};
use gocua_server::web::pages::coverage_table;

/// Twips (as in the DOCX writer) to PDF points.
fn pt(twips: f64) -> f64 {
    twips / 20.0
}
/// The report's margins (server/src/web/export/docx.rs): left 3 cm, right 1.5 cm.
const MARGIN_LEFT: f64 = 1_701.0;
const MARGIN_RIGHT: f64 = 851.0;

#[derive(Debug, Clone)]
struct Word {
    text: String,
    x_min: f64,
    y_min: f64,
    x_max: f64,
    y_max: f64,
}

#[derive(Debug)]
struct Page {
    width: f64,
    height: f64,
    /// Lines as pdftotext groups them, each its words left to right.
    lines: Vec<Vec<Word>>,
}

impl Page {
    fn words(&self) -> impl Iterator<Item = &Word> {
        self.lines.iter().flatten()
    }

    fn line_texts(&self) -> Vec<String> {
        self.lines.iter().map(|l| line_text(l)).collect()
    }

    /// The words of `phrase` (consecutive, on one line); `None` when it is not on this page on
    /// one line.
    fn find(&self, phrase: &str) -> Option<Vec<Word>> {
        let wanted: Vec<&str> = phrase.split_whitespace().collect();
        for line in &self.lines {
            for start in 0..line.len() {
                let end = start + wanted.len();
                if end <= line.len()
                    && line[start..end]
                        .iter()
                        .zip(&wanted)
                        .all(|(w, t)| w.text == *t)
                {
                    return Some(line[start..end].to_vec());
                }
            }
        }
        None
    }
}

fn line_text(words: &[Word]) -> String {
    words
        .iter()
        .map(|w| w.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The box around some words: (x_min, y_min, x_max, y_max), y growing downwards.
fn bbox(words: &[Word]) -> (f64, f64, f64, f64) {
    words.iter().fold(
        (f64::MAX, f64::MAX, f64::MIN, f64::MIN),
        |(a, b, c, d), w| {
            (
                a.min(w.x_min),
                b.min(w.y_min),
                c.max(w.x_max),
                d.max(w.y_max),
            )
        },
    )
}

fn attr(tag: &str, name: &str) -> f64 {
    let key = format!("{name}=\"");
    let at = tag
        .find(&key)
        .unwrap_or_else(|| panic!("no {name} in {tag}"))
        + key.len();
    let end = at + tag[at..].find('"').unwrap();
    tag[at..end].parse().unwrap()
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Parses `pdftotext -bbox-layout` output (XHTML: page > flow > block > line > word).
fn parse_bbox(html: &str) -> Vec<Page> {
    let mut pages = Vec::new();
    for chunk in html.split("<page ").skip(1) {
        let tag = &chunk[..chunk.find('>').unwrap()];
        let mut page = Page {
            width: attr(tag, "width"),
            height: attr(tag, "height"),
            lines: Vec::new(),
        };
        for line in chunk.split("<line ").skip(1) {
            let line = &line[..line.find("</line>").unwrap_or(line.len())];
            let words = line
                .split("<word ")
                .skip(1)
                .map(|w| {
                    let (tag, rest) = w.split_once('>').unwrap();
                    Word {
                        text: unescape(&rest[..rest.find("</word>").unwrap()]),
                        x_min: attr(tag, "xMin"),
                        y_min: attr(tag, "yMin"),
                        x_max: attr(tag, "xMax"),
                        y_max: attr(tag, "yMax"),
                    }
                })
                .collect::<Vec<_>>();
            if !words.is_empty() {
                page.lines.push(words);
            }
        }
        pages.push(page);
    }
    pages
}

fn run(cmd: &mut Command) {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?} ({e}): install LibreOffice and poppler-utils with scripts/install-deps.sh"));
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Converts the files to PDF in one LibreOffice run, then returns each PDF's pages; page 1 of
/// each is rendered to `<stem>-1.png` beside it.
fn render(dir: &Path, files: &[&str]) -> Vec<Vec<Page>> {
    let profile = dir.join("lo-profile");
    let mut soffice = Command::new("soffice");
    soffice
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(dir)
        .args(files.iter().map(|f| dir.join(f)))
        // LibreOffice's own view of "today" or the zone plays no part: the dates are in the files.
        .env("HOME", dir);
    run(&mut soffice);
    files
        .iter()
        .map(|f| {
            let stem = Path::new(f).file_stem().unwrap().to_str().unwrap();
            let pdf = dir.join(format!("{stem}.pdf"));
            let html = dir.join(format!("{stem}.html"));
            run(Command::new("pdftotext")
                .arg("-bbox-layout")
                .arg(&pdf)
                .arg(&html));
            run(Command::new("pdftoppm")
                .args(["-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile"])
                .arg(&pdf)
                .arg(dir.join(format!("{stem}-1"))));
            parse_bbox(&std::fs::read_to_string(&html).unwrap())
        })
        .collect()
}

/// `build/export-render/`, cleared first; under a `TZ` a folder of its own inside it
/// (`tz-Pacific-Kiritimati`), because CI runs its two far-zone passes at the same time and each
/// would otherwise clear the other's files (and LibreOffice profile) mid-render.
fn out_dir() -> PathBuf {
    let mut dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../build/export-render");
    if let Some(zone) = std::env::var_os("TZ") {
        dir = dir.join(format!("tz-{}", zone.to_string_lossy().replace('/', "-")));
    }
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.canonicalize().unwrap()
}

fn report() -> QuickReport {
    let indicators = [
        ("Buổi tuyên truyền, tư vấn", Some(120), 98),
        ("Lượt người được tiếp cận", Some(15_000), 16_204),
        ("Hộ được đến", Some(8_000), 6_512),
        (
            "Hồ sơ dịch vụ công trực tuyến được hỗ trợ tại nhà văn hóa các ấp, khu phố và bộ phận một cửa",
            Some(4_000),
            3_250,
        ),
        ("Hồ sơ DVC toàn trình", None, 1_118),
        ("Tài khoản VNeID được kích hoạt", Some(10_000), 12_345),
        ("Thôn, ấp được phủ", Some(420), 401),
    ]
    .into_iter()
    .map(|(name, target, achieved)| ReportIndicator {
        name: name.into(),
        target,
        achieved,
    })
    .collect();
    let paragraph = "Các đội hình thanh niên tình nguyện đã bám sát địa bàn, phối hợp với Công an xã và bộ phận một cửa hướng dẫn người dân cài đặt, kích hoạt tài khoản định danh điện tử mức độ 2 và nộp hồ sơ dịch vụ công trực tuyến toàn trình; nhiều ấp tổ chức hỗ trợ vào buổi tối để người lao động tham gia.";
    QuickReport {
        superior_unit: String::new(),
        unit_name: "BCH ĐOÀN TỈNH VĨNH LONG".into(),
        number: "Số: 215-BC/TĐTN-TCKT".into(),
        place: "Vĩnh Long".into(),
        date: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
        title: "BÁO CÁO".into(),
        subject: "Nhanh kết quả thực hiện Chiến dịch hỗ trợ dịch vụ công trực tuyến năm 2026".into(),
        period_label: "Từ ngày 01/07/2026 đến ngày 25/11/2026".into(),
        intro: "Thực hiện Kế hoạch số 241-KH/TĐTN-TCKT của Ban Thường vụ Tỉnh đoàn, Ban Thường vụ Tỉnh đoàn báo cáo nhanh kết quả triển khai như sau:".into(),
        indicators,
        chart: Some(chart_picture()),
        assessment: [paragraph; 4].join("\n\n"),
        difficulties: vec![
            "Nhiều hộ người cao tuổi chưa có điện thoại thông minh".into(),
            "Cổng dịch vụ công quốc gia có lúc quá tải vào cuối tháng".into(),
        ],
        recommendations: vec!["Đề nghị UBND các xã bố trí wifi miễn phí tại nhà văn hóa ấp".into()],
        recipients: vec![
            "Ban Bí thư Trung ương Đoàn".into(),
            "Thường trực Tỉnh ủy".into(),
            "Các đồng chí UV BTV Tỉnh đoàn".into(),
        ],
        signer_role: "TM. BAN THƯỜNG VỤ TỈNH ĐOÀN".into(),
        signer_title: "PHÓ BÍ THƯ".into(),
        signer_name: "Nguyễn Thị Thu Hà".into(),
    }
}

/// The chart's pixel size: two charts of 400 × 252 units a row, 16 apart, two rows, × 2.375.
const CHART_PX: (u32, u32) = (1_938, 1_235);

/// Progress over time of four indicators of a 122-day campaign seen on its 60th day, drawn
/// as the quick report draws it.
fn chart_picture() -> ReportPicture {
    let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
    let timeline = Timeline::new(d(7, 1), d(10, 30), d(8, 29));
    let days: Vec<(NaiveDate, Tally)> = (0..60)
        .filter(|k| k % 7 != 6) // Sundays off
        .map(|k| {
            let n = 60 + (k * 37 % 50) as u64;
            (
                d(7, 1) + chrono::Duration::days(k),
                Tally {
                    households_visited: n,
                    services_supported: n / 2,
                    vneid_activations: n * 3 / 2,
                    hamlets_covered: u64::from(k % 3 == 0) * 4,
                    ..Tally::default()
                },
            )
        })
        .collect();
    let p = pace::compute(timeline, &days, |i| match i {
        Indicator::HouseholdsVisited => Some(8_000),
        Indicator::ServicesSupported => Some(4_000),
        Indicator::VneidActivations => Some(10_000),
        Indicator::HamletsCovered => Some(420),
        _ => None,
    });
    let list: Vec<&IndicatorPace> = p.targeted().collect();
    assert_eq!(list.len(), 4);
    let picture = chart::picture(&p, &list).unwrap();
    assert_eq!((picture.width_px, picture.height_px), CHART_PX);
    ReportPicture {
        png: picture.png,
        width_px: picture.width_px,
        height_px: picture.height_px,
        caption: "Tiến độ theo thời gian (cả kế hoạch):".into(),
        description: picture.description,
    }
}

const OVERVIEW_ROWS: usize = 240;

/// The shape of the province overview (server/src/web/pages/overview.rs): a name, a kind, the
/// team count, then result, target and share for each of eight indicators: 27 columns.
fn overview() -> Table {
    let indicators = [
        "Buổi tuyên truyền, tư vấn",
        "Lượt người được tiếp cận",
        "Hộ được đến",
        "Hồ sơ DVC trực tuyến được hỗ trợ",
        "Hồ sơ DVC toàn trình",
        "Hồ sơ DVC mức độ 4",
        "Tài khoản VNeID được kích hoạt",
        "Thôn, ấp được phủ",
    ];
    let mut columns = vec![
        Column::text("Đơn vị, đội"),
        Column::text("Loại"),
        Column::integer("Số đội"),
    ];
    for name in indicators {
        columns.push(Column::integer(format!("{name} – kết quả")));
        columns.push(Column::integer(format!("{name} – chỉ tiêu")));
        columns.push(Column::percent(format!("{name} – tỷ lệ")));
    }
    assert_eq!(columns.len(), 27);
    let mut t = Table::new("Tiến độ – Tỉnh Đoàn Vĩnh Long – Cả kế hoạch", columns);
    for i in 0..OVERVIEW_ROWS {
        let mut row = vec![
            Cell::text(format!("Đoàn xã Phước Hậu {}", i + 1)),
            Cell::text("Đoàn xã, phường"),
            Cell::Int(3),
        ];
        for k in 0..indicators.len() {
            let achieved = (i * 37 + k * 101) as i64 % 5_000;
            row.push(Cell::Int(achieved));
            row.push(Cell::Int(4_000));
            row.push(Cell::Percent(achieved as f64 / 4_000.0));
        }
        t.push_row(row);
    }
    t
}

#[test]
fn report_and_overview_render_as_laid_out() {
    let dir = out_dir();
    std::fs::write(
        dir.join("report.docx"),
        quick_report_docx(&report()).unwrap(),
    )
    .unwrap();
    std::fs::write(
        dir.join("report-commune.docx"),
        quick_report_docx(&commune_report()).unwrap(),
    )
    .unwrap();
    std::fs::write(
        dir.join("overview.xlsx"),
        table_to_xlsx(&overview()).unwrap(),
    )
    .unwrap();
    let cov = coverage();
    let title = "Tỉnh Đoàn Vĩnh Long – Ra quân hỗ trợ dịch vụ công trực tuyến";
    std::fs::write(
        dir.join("coverage.xlsx"),
        tables_to_xlsx(&[
            &coverage_table::communes(Lang::Vi, title, &cov),
            &coverage_table::hamlets(Lang::Vi, title, &cov),
        ])
        .unwrap(),
    )
    .unwrap();
    let mut rendered = render(
        &dir,
        &[
            "report.docx",
            "report-commune.docx",
            "overview.xlsx",
            "coverage.xlsx",
        ],
    );
    check_coverage(&rendered.pop().unwrap());
    let sheet = rendered.pop().unwrap();
    let commune = rendered.pop().unwrap();
    let doc = rendered.pop().unwrap();
    check_report(&doc);
    check_chart(&dir, &doc);
    check_commune_report(&commune);
    check_overview(&sheet);
}

/// The report's picture: one image in the PDF, at the PNG's pixel size, printed as wide as the
/// text (298 pixels an inch over 16.5 cm), between its caption and section II, which
/// leaves the picture's height free on the page.
fn check_chart(dir: &Path, pages: &[Page]) {
    let out = Command::new("pdfimages")
        .arg("-list")
        .arg(dir.join("report.pdf"))
        .output()
        .expect("pdfimages (poppler-utils)");
    let list = String::from_utf8_lossy(&out.stdout);
    // The picture itself; LibreOffice adds its alpha channel as a soft mask ("smask").
    let images: Vec<Vec<&str>> = list
        .lines()
        .skip(2)
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .filter(|cols| cols.get(2) == Some(&"image"))
        .collect();
    assert_eq!(images.len(), 1, "one picture: {list}");
    let image = &images[0];
    let (w, h): (u32, u32) = (image[3].parse().unwrap(), image[4].parse().unwrap());
    assert_eq!((w, h), CHART_PX, "{list}");
    let ppi: f64 = image[12].parse().unwrap();
    let text_inches = (595.3 - pt(MARGIN_LEFT) - pt(MARGIN_RIGHT)) / 72.0;
    assert!(
        (ppi - f64::from(w) / text_inches).abs() < 3.0,
        "printed as wide as the text: {ppi} ppi"
    );
    let page: usize = image[0].parse().unwrap();
    let p = &pages[page - 1];
    let caption = p
        .find("Tiến độ theo thời gian (cả kế hoạch):")
        .expect("the caption on the picture's page");
    let (_, _, _, caption_y1) = bbox(&caption);
    let picture_h = (595.3 - pt(MARGIN_LEFT) - pt(MARGIN_RIGHT)) * f64::from(h) / f64::from(w);
    if let Some(next) = p.find("II. ĐÁNH GIÁ CHUNG") {
        assert!(
            bbox(&next).1 - caption_y1 > picture_h,
            "room for the picture ({picture_h} pt) between the caption and section II"
        );
    }
    run(Command::new("pdftoppm")
        .args([
            "-png",
            "-r",
            "90",
            "-f",
            &page.to_string(),
            "-l",
            &page.to_string(),
            "-singlefile",
        ])
        .arg(dir.join("report.pdf"))
        .arg(dir.join("report-chart-page")));
}

/// A commune union's short report: its superior above it, one page.
fn commune_report() -> QuickReport {
    let mut r = report();
    r.superior_unit = "HUYỆN ĐOÀN MANG THÍT".into();
    r.unit_name = "BCH ĐOÀN XÃ TÂN LONG HỘI".into();
    r.number = "Số: 07-BC/ĐTN".into();
    r.place = "Tân Long Hội".into();
    r.assessment = "Đoàn viên nhiệt tình, bám sát địa bàn.".into();
    r.indicators.truncate(3);
    r.chart = None;
    r.signer_role = "TM. BAN THƯỜNG VỤ ĐOÀN XÃ".into();
    r.signer_title = "BÍ THƯ".into();
    r
}

fn check_commune_report(pages: &[Page]) {
    assert_eq!(pages.len(), 1, "a short report fits on one page");
    let p1 = &pages[0];
    let w = p1.width;
    let centre = (pt(MARGIN_LEFT) + w - pt(MARGIN_RIGHT)) / 2.0;
    let found = |phrase: &str| {
        bbox(
            &p1.find(phrase)
                .unwrap_or_else(|| panic!("{phrase:?} not on one line: {:#?}", p1.line_texts())),
        )
    };
    // The superior on the first line, level with the Union's heading; the issuing body under
    // it; "***", then the number level with the place and date.
    let (_, sy0, sx1, _) = found("HUYỆN ĐOÀN MANG THÍT");
    let (hx0, hy0, _, _) = found("ĐOÀN TNCS HỒ CHÍ MINH");
    assert!(sx1 < centre && hx0 > centre && (sy0 - hy0).abs() < 3.0);
    let (_, by0, bx1, _) = found("BCH ĐOÀN XÃ TÂN LONG HỘI");
    assert!(
        bx1 < centre && by0 > sy0,
        "the issuing body under its superior"
    );
    let (_, ny0, nx1, _) = found("Số: 07-BC/ĐTN");
    let (dx0, dy0, dx1, _) = found("Tân Long Hội, ngày 25 tháng 11 năm 2026");
    assert!(nx1 < centre && (ny0 - dy0).abs() < 3.0 && ny0 > by0);
    assert!(dx0 > bx1.max(nx1) && (dx0 + dx1) / 2.0 > centre && dx1 <= w - pt(MARGIN_RIGHT));
    let (rx0, ..) = found("TM. BAN THƯỜNG VỤ ĐOÀN XÃ");
    assert!(rx0 > w / 2.0, "signature block in the right half");
    assert!(p1
        .words()
        .any(|w| w.text == "1" && w.y_min > p1.height - pt(1_134.0)));
}

fn check_report(pages: &[Page]) {
    assert!(
        pages.len() >= 2,
        "the sample report runs onto a second page"
    );
    let p1 = &pages[0];
    let (w, h) = (p1.width, p1.height);
    assert!(
        (w - 595.3).abs() < 1.0 && (h - 841.9).abs() < 1.0,
        "A4: {w} × {h}"
    );
    let lines = p1.line_texts();
    let found = |page: &Page, phrase: &str| {
        page.find(phrase).unwrap_or_else(|| {
            panic!(
                "{phrase:?} not on one line of the page: {:#?}",
                page.line_texts()
            )
        })
    };

    // The Union's heading: top right quarter.
    // Left and right of the text area (the left margin is wider than the right one).
    let centre = (pt(MARGIN_LEFT) + w - pt(MARGIN_RIGHT)) / 2.0;
    let (x0, y0, _, y1) = bbox(&found(p1, "ĐOÀN TNCS HỒ CHÍ MINH"));
    assert!(
        x0 > w / 2.0 && x0 > centre && y1 < h / 4.0,
        "ĐOÀN TNCS HỒ CHÍ MINH at {x0}, {y1}"
    );
    // The issuing body: top left, on one line, level with the Union's heading.
    let (_, body_y0, x1, y1) = bbox(&found(p1, "BCH ĐOÀN TỈNH VĨNH LONG"));
    assert!(x1 < centre && y1 < h / 4.0, "issuing body at {x1}, {y1}");
    assert!(
        (body_y0 - y0).abs() < 3.0,
        "the issuing body level with the heading"
    );
    let (_, stars_y0, stars_x1, _) = bbox(&found(p1, "***"));
    assert!(
        stars_x1 < centre && stars_y0 > body_y0,
        "*** under the issuing body"
    );
    let (_, ny0, nx1, _) = bbox(&found(p1, "Số: 215-BC/TĐTN-TCKT"));
    assert!(nx1 < centre && ny0 > stars_y0, "the number under ***");
    // Place and date: on one line in the right column, level with the number.
    let (dx0, dy0, dx1, _) = bbox(&found(p1, "Vĩnh Long, ngày 25 tháng 11 năm 2026"));
    assert!(
        dx0 > x1.max(nx1) && (dx0 + dx1) / 2.0 > centre && (dy0 - ny0).abs() < 3.0,
        "place and date at {dx0}, {dy0}"
    );

    // "BÁO CÁO" alone on its line, centred on the text area.
    let title = p1
        .lines
        .iter()
        .find(|l| line_text(l) == "BÁO CÁO")
        .unwrap_or_else(|| panic!("no line \"BÁO CÁO\" in {lines:#?}"));
    let (tx0, ty0, tx1, _) = bbox(title);
    assert!(
        ((tx0 + tx1) / 2.0 - centre).abs() < 4.0,
        "BÁO CÁO centred at {} (text centre {centre})",
        (tx0 + tx1) / 2.0
    );
    assert!(ty0 > dy0, "the title under the heading");

    // The indicator table's header: every header on one line ("STT" never "ST/T").
    let stt = p1
        .words()
        .find(|w| w.text == "STT")
        .unwrap_or_else(|| panic!("no word STT in {lines:#?}"));
    assert!(!p1.words().any(|w| w.text == "ST"), "STT wrapped");
    let header_line: Vec<&str> = p1
        .words()
        .filter(|w| (w.y_min - stt.y_min).abs() < 2.0)
        .map(|w| w.text.as_str())
        .collect();
    assert_eq!(
        header_line.join(" "),
        "STT Chỉ tiêu Kế hoạch Kết quả Tỷ lệ",
        "the table's header on one line"
    );
    // A long indicator name wraps inside its column instead of widening the table.
    let (nx0, ny0, _, _) = bbox(&found(p1, "Hồ sơ dịch vụ công"));
    let (_, ny1, nx1, _) = bbox(&found(p1, "bộ phận một cửa"));
    assert!(ny1 > ny0 + 5.0, "the long name wraps onto more lines");
    let kx0 = p1
        .words()
        .find(|w| w.text == "Kế" && (w.y_min - stt.y_min).abs() < 2.0)
        .unwrap()
        .x_min;
    assert!(
        nx0 > stt.x_max && nx1 < kx0,
        "the long name stays in its column"
    );

    // The signature block: right half, below the body's last section.
    let last = pages.len() - 1;
    let iv = pages
        .iter()
        .enumerate()
        .find_map(|(i, p)| p.find("IV. ĐỀ XUẤT, KIẾN NGHỊ").map(|w| (i, bbox(&w).1)))
        .expect("section IV");
    let sign = pages
        .iter()
        .enumerate()
        .find_map(|(i, p)| p.find("TM. BAN THƯỜNG VỤ TỈNH ĐOÀN").map(|w| (i, bbox(&w))))
        .expect("TM. BAN THƯỜNG VỤ TỈNH ĐOÀN on one line");
    let (sp, (sx0, role_y, _, _)) = sign;
    assert!(sx0 > w / 2.0, "signature block in the right half (x {sx0})");
    assert!((sp, role_y) > iv, "signature below the body");
    let (_, ty, _, _) = bbox(&found(&pages[sp], "PHÓ BÍ THƯ"));
    let (nx, ny, _, _) = bbox(&found(&pages[sp], "Nguyễn Thị Thu Hà"));
    assert!(
        ty > role_y && ny > ty + 40.0 && nx > centre,
        "room to sign above the name"
    );
    let (rx1, ry) = {
        let (_, y0, x1, _) = bbox(&found(&pages[sp], "Nơi nhận:"));
        (x1, y0)
    };
    assert!(
        rx1 < w / 3.0 && (ry - role_y).abs() < 3.0,
        "Nơi nhận on the left, level with it"
    );
    assert!(sp == last || sp + 1 == last);

    // A page number at the foot of every page.
    for (i, page) in pages.iter().enumerate() {
        let n = (i + 1).to_string();
        assert!(
            page.words().any(|w| w.text == n
                && w.y_min > page.height - pt(1_134.0)
                && w.x_min > page.width / 2.0),
            "no page number {n} at the foot of page {n}"
        );
    }
}

fn check_overview(pages: &[Page]) {
    // Landscape A4, cut into bands of whole indicators (result, target, share), each band on
    // its own pages beside the last with the unit's name repeated, at a size one can read.
    for p in pages {
        assert!(p.width > p.height, "landscape: {} × {}", p.width, p.height);
    }
    let total = pages.len();
    let mut seen = vec![0; OVERVIEW_ROWS];
    let mut bands_of_first_rows = 0;
    for (i, p) in pages.iter().enumerate() {
        let texts = p.line_texts();
        let has = |s: &str| texts.iter().any(|l| l.contains(s));
        let page = i + 1;
        assert!(
            has("Tiến độ – Tỉnh Đoàn Vĩnh Long – Cả kế hoạch"),
            "no whole title on page {page}: {texts:#?}"
        );
        assert!(
            p.words().any(|w| w.text == "Đơn"),
            "no header \"Đơn vị, đội\" (the repeated first column) on page {page}"
        );
        let footer = format!("Trang {page}/{total}");
        assert!(has(&footer), "no {footer:?} on page {page}");
        for line in &p.lines {
            let Some(at) = line.iter().position(|w| w.text == "Hậu") else {
                continue;
            };
            let Some(n) = line.get(at + 1).and_then(|w| w.text.parse::<usize>().ok()) else {
                continue;
            };
            seen[n - 1] += 1;
            if n == 1 {
                bands_of_first_rows += 1;
            }
            // A band ends with a share: no indicator is split between two pages.
            let y = line[at].y_min;
            let last = p
                .words()
                .filter(|w| (w.y_min - y).abs() < 2.0)
                .max_by(|a, b| a.x_max.total_cmp(&b.x_max))
                .unwrap();
            assert!(
                last.text.ends_with('%'),
                "row {n} on page {page} ends with {:?}, not a share",
                last.text
            );
            // Readable: a body line at least 7 pt high (fitting 27 columns to one page wide
            // printed them at about 3 pt).
            let height = line[at].y_max - line[at].y_min;
            assert!(
                height >= 7.0,
                "row {n} on page {page} is {height:.1} pt high"
            );
        }
    }
    let bands = bands_of_first_rows;
    assert!(
        (2..=6).contains(&bands),
        "the 27 columns print in a few bands, not {bands}"
    );
    assert!(
        seen.iter().all(|&n| n == bands),
        "each row printed once a band ({bands}): {seen:?}"
    );
    // Every indicator's header is printed, each in one band.
    for word in ["Buổi", "Lượt", "toàn", "VNeID", "phủ"] {
        assert!(
            pages.iter().any(|p| p.words().any(|w| w.text == word)),
            "no header word {word:?} on any page"
        );
    }
    assert_eq!(total % bands, 0, "{total} pages in {bands} bands");
}

const COVERAGE_COMMUNES: usize = 40;
const COVERAGE_HAMLETS: usize = 6;

/// A province's coverage: 40 communes of 6 hamlets each.
fn coverage() -> Coverage {
    let communes = (0..COVERAGE_COMMUNES)
        .map(|c| {
            let hamlets: Vec<HamletCoverage> = (0..COVERAGE_HAMLETS)
                .map(|h| {
                    let households = 120 + ((c * 7 + h * 13) % 90) as u64;
                    let reached = if h == 0 {
                        0
                    } else {
                        households * (h as u64) / 7
                    };
                    HamletCoverage {
                        code: Some(format!("{c}-{h}")),
                        name: format!("Ấp Phước Thạnh {}", h + 1),
                        known: true,
                        counts: Counts {
                            hamlets: 1,
                            hamlets_not_visited: u64::from(reached == 0),
                            households,
                            reached,
                            not_reached_since: households - reached / 2,
                        },
                    }
                })
                .collect();
            let mut counts = Counts::default();
            for h in &hamlets {
                counts.hamlets += h.counts.hamlets;
                counts.hamlets_not_visited += h.counts.hamlets_not_visited;
                counts.households += h.counts.households;
                counts.reached += h.counts.reached;
                counts.not_reached_since += h.counts.not_reached_since;
            }
            CommuneCoverage {
                code: format!("{}", 28_000 + c),
                name: format!("Xã Phước Hậu {}", c + 1),
                counts,
                hamlets,
            }
        })
        .collect();
    Coverage {
        since: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        communes,
    }
}

/// The coverage workbook: both sheets print landscape, one page wide (every column on every
/// page, the last one the "not reached since" count), the header on every page, numbered.
fn check_coverage(pages: &[Page]) {
    let total = pages.len();
    assert!(total >= 3, "communes and hamlets on several pages: {total}");
    let (mut communes, mut hamlets) = (vec![0; COVERAGE_COMMUNES], 0);
    for (i, p) in pages.iter().enumerate() {
        let page = i + 1;
        assert!(p.width > p.height, "landscape: {} × {}", p.width, p.height);
        let texts = p.line_texts();
        let has = |s: &str| texts.iter().any(|l| l.contains(s));
        assert!(has("Trang "), "no page number on page {page}: {texts:#?}");
        assert!(has("Độ phủ theo"), "no title on page {page}: {texts:#?}");
        assert!(
            p.words().any(|w| w.text == "23/11/2026"),
            "the last column's header (with its date) is not on page {page}"
        );
        // pdftotext may cut a row into a line per column: rows are counted by their name.
        let communes_sheet = has("Độ phủ theo xã");
        for line in &p.lines {
            for pair in line.windows(2) {
                let n = pair[1].text.parse::<usize>().ok();
                match (pair[0].text.as_str(), n) {
                    ("Thạnh", Some(_)) if !communes_sheet => hamlets += 1,
                    ("Hậu", Some(n)) if communes_sheet => communes[n - 1] += 1,
                    _ => {}
                }
            }
            // Readable: at least 6.5 pt high.
            let height = line[0].y_max - line[0].y_min;
            assert!(
                height >= 6.5,
                "{:?} on page {page} is {height:.1} pt high",
                line_text(line)
            );
        }
    }
    assert!(
        communes.iter().all(|&n| n == 1),
        "each commune once on the communes sheet: {communes:?}"
    );
    assert_eq!(
        hamlets,
        COVERAGE_COMMUNES * COVERAGE_HAMLETS,
        "every hamlet row printed once"
    );
}
