//! Coordinators' tools behind `gocua admin` (and used by `gocua demo` and the tests): importing
//! the area lists, hamlets and the service catalogue, creating units, teams, members, campaigns
//! and targets, issuing enrolment codes, listing and revoking devices, and counting progress.
//!
//! Everything here is a plain function over one transaction (`&mut dyn Sql`), so it runs the same
//! on SQLite and PostgreSQL; printing is the caller's business. Errors carry a Vietnamese and an
//! English sentence a coordinator can act on.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use gocua_protocol::import::{areas, services, CsvRowError};
use gocua_protocol::text::fold;
use gocua_protocol::*;
use uuid::Uuid;

use super::{auth, refdata};
use crate::db::{DbError, Row, Sql};
use crate::domain::calendar::day_range;
use crate::domain::progress::team_tally;
use crate::params;

/// Longest validity of an enrolment code.
pub const MAX_ENROL_HOURS: u32 = 30 * 24;
pub const MAX_NAME_CHARS: usize = 120;

#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error("database: {0}")]
    Db(#[from] DbError),
    /// Problems of an imported file; nothing was imported.
    #[error("the file has {} problem(s); nothing was imported", .0.len())]
    Csv(Vec<CsvRowError>),
    /// A value given by the coordinator is not acceptable.
    #[error("{en}")]
    Invalid { vi: String, en: String },
    /// Something named by id or code does not exist.
    #[error("{en}")]
    NotFound { vi: String, en: String },
}

impl AdminError {
    pub fn invalid(vi: impl Into<String>, en: impl Into<String>) -> Self {
        AdminError::Invalid {
            vi: vi.into(),
            en: en.into(),
        }
    }

    pub fn not_found(vi: impl Into<String>, en: impl Into<String>) -> Self {
        AdminError::NotFound {
            vi: vi.into(),
            en: en.into(),
        }
    }

    pub fn message_vi(&self) -> String {
        match self {
            AdminError::Db(e) => format!("Lỗi cơ sở dữ liệu: {e}"),
            AdminError::Csv(errors) => format!("Tệp có {} lỗi; chưa nhập dòng nào.", errors.len()),
            AdminError::Invalid { vi, .. } | AdminError::NotFound { vi, .. } => vi.clone(),
        }
    }

    pub fn message_en(&self) -> String {
        match self {
            AdminError::Db(e) => format!("Database error: {e}"),
            AdminError::Csv(errors) => {
                format!(
                    "The file has {} problem(s); nothing was imported.",
                    errors.len()
                )
            }
            AdminError::Invalid { en, .. } | AdminError::NotFound { en, .. } => en.clone(),
        }
    }
}

pub type AdminResult<T> = Result<T, AdminError>;

// ---------------------------------------------------------------------------------------------
// Imports

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
fn parse_skipping<T>(
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
    check_no_loops(sql, &list)?;
    refdata::upsert_areas(sql, &list)?;
    Ok(ImportReport {
        imported: list.len(),
        by_level: count_levels(&list),
        skipped_rows,
        skipped,
    })
}

/// Imports a hamlet list (`code,name,division_type,commune_code`); communes must exist.
pub fn import_hamlets(sql: &mut dyn Sql, text: &[u8], skip_bad: bool) -> AdminResult<ImportReport> {
    let communes = codes(sql, "SELECT code FROM areas WHERE level = 'commune'")?;
    let known_commune = |code: &str| communes.contains(code);
    let (list, skipped, skipped_rows) =
        parse_skipping(text, skip_bad, |t| areas::parse_hamlets(t, &known_commune))?;
    // A hamlet code must not take over an existing commune or province.
    let taken: Vec<&Area> = list.iter().filter(|h| communes.contains(&h.code)).collect();
    if let Some(h) = taken.first() {
        return Err(AdminError::invalid(
            format!(
                "Mã thôn, ấp \"{}\" trùng với mã một xã, phường đã có; hãy đặt mã khác.",
                h.code
            ),
            format!(
                "Hamlet code \"{}\" is already the code of a commune; use another code.",
                h.code
            ),
        ));
    }
    check_no_loops(sql, &list)?;
    refdata::upsert_areas(sql, &list)?;
    Ok(ImportReport {
        imported: list.len(),
        by_level: count_levels(&list),
        skipped_rows,
        skipped,
    })
}

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

pub fn load_service(sql: &mut dyn Sql, key: &str) -> AdminResult<Service> {
    let row = sql.query_one("SELECT body FROM services WHERE key = ?", params![key])?;
    match row {
        Some(r) => Ok(r.json(0)?),
        None => Err(AdminError::not_found(
            format!("Không có dịch vụ khoá \"{key}\" trong danh mục."),
            format!("No service with key \"{key}\" in the catalogue."),
        )),
    }
}

/// Sets a service's national procedure code and marks it verified; returns the service before
/// and after.
pub fn set_service_code(
    sql: &mut dyn Sql,
    key: &str,
    code: &str,
) -> AdminResult<(Service, Service)> {
    let code = code.trim();
    if !services::is_procedure_code(code) {
        return Err(AdminError::invalid(
            format!("Mã thủ tục \"{code}\" không đúng dạng số.số của danh mục quốc gia (ví dụ 1.001193)."),
            format!("Procedure code \"{code}\" does not have the national format digits.digits (e.g. 1.001193)."),
        ));
    }
    let before = load_service(sql, key)?;
    let mut after = before.clone();
    after.code = Some(code.to_owned());
    after.code_verified = true;
    refdata::upsert_services(sql, std::slice::from_ref(&after))?;
    Ok((before, after))
}

// ---------------------------------------------------------------------------------------------
// Organisation

fn check_name(what_vi: &str, what_en: &str, name: &str) -> AdminResult<String> {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(AdminError::invalid(
            format!("Cần nhập {what_vi}."),
            format!("{what_en} is required."),
        ));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(AdminError::invalid(
            format!("{what_vi} quá dài (tối đa {MAX_NAME_CHARS} ký tự)."),
            format!("{what_en} is too long (at most {MAX_NAME_CHARS} characters)."),
        ));
    }
    Ok(name)
}

/// Reads a value of an open enum as typed by a coordinator: the wire value, or its Vietnamese or
/// English label, ignoring case and diacritics.
fn enum_arg<T: Clone>(
    raw: &str,
    known: &[T],
    wire: impl Fn(&T) -> &str,
    labels: impl Fn(&T) -> [&str; 2],
) -> Option<T> {
    let folded = fold(raw);
    let as_wire = folded.replace(' ', "_");
    known
        .iter()
        .find(|k| {
            wire(k) == raw.trim()
                || wire(k) == as_wire
                || labels(k).iter().any(|l| fold(l) == folded)
        })
        .cloned()
}

pub fn parse_unit_kind(raw: &str) -> AdminResult<OrgUnitKind> {
    enum_arg(raw, OrgUnitKind::KNOWN, OrgUnitKind::as_str, |k| {
        [k.label_vi(), k.label_en()]
    })
    .ok_or_else(|| {
        let list = OrgUnitKind::KNOWN
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        AdminError::invalid(
            format!("Loại đơn vị \"{raw}\" không hợp lệ (chỉ nhận: {list})."),
            format!("Unit kind \"{raw}\" is not valid (expected one of: {list})."),
        )
    })
}

pub fn parse_indicator(raw: &str) -> AdminResult<Indicator> {
    enum_arg(raw, Indicator::KNOWN, Indicator::as_str, |k| {
        [k.label_vi(), k.label_en()]
    })
    .ok_or_else(|| {
        let list = Indicator::KNOWN
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        AdminError::invalid(
            format!("Chỉ tiêu \"{raw}\" không hợp lệ (chỉ nhận: {list})."),
            format!("Indicator \"{raw}\" is not valid (expected one of: {list})."),
        )
    })
}

fn require_area(sql: &mut dyn Sql, code: &str) -> AdminResult<()> {
    if refdata::area_exists(sql, code)? {
        Ok(())
    } else {
        Err(AdminError::not_found(
            format!("Không có địa bàn mã \"{code}\" trong danh mục; hãy nhập danh mục địa bàn trước (gocua admin import-areas)."),
            format!("No area with code \"{code}\"; import the area list first (gocua admin import-areas)."),
        ))
    }
}

pub fn load_unit(sql: &mut dyn Sql, id: Uuid) -> AdminResult<OrgUnit> {
    let row = sql.query_one(
        "SELECT id, name, kind, parent_id, area_code FROM org_units WHERE id = ?",
        params![id],
    )?;
    match row {
        Some(r) => Ok(OrgUnit {
            id: r.uuid(0)?,
            name: r.text(1),
            kind: OrgUnitKind::parse(&r.text(2)),
            parent_id: r.opt_uuid(3)?,
            area_code: r.opt_text(4),
        }),
        None => Err(AdminError::not_found(
            format!("Không có đơn vị Đoàn mã {id}."),
            format!("No Youth Union unit with id {id}."),
        )),
    }
}

/// A unit to create; `id` is made up when absent.
#[derive(Debug, Clone)]
pub struct NewUnit {
    pub id: Option<Uuid>,
    pub name: String,
    pub kind: OrgUnitKind,
    pub parent_id: Option<Uuid>,
    pub area_code: Option<String>,
}

pub fn create_unit(sql: &mut dyn Sql, u: &NewUnit) -> AdminResult<OrgUnit> {
    let name = check_name("tên đơn vị", "The unit name", &u.name)?;
    if let Some(parent) = u.parent_id {
        load_unit(sql, parent)?;
    }
    if let Some(area) = &u.area_code {
        require_area(sql, area)?;
    }
    let unit = OrgUnit {
        id: u.id.unwrap_or_else(Uuid::now_v7),
        name,
        kind: u.kind.clone(),
        parent_id: u.parent_id,
        area_code: u.area_code.clone(),
    };
    if Some(unit.id) == unit.parent_id {
        return Err(AdminError::invalid(
            "Một đơn vị không thể là đơn vị cấp trên của chính nó.",
            "A unit cannot be its own parent.",
        ));
    }
    refdata::upsert_org_unit(sql, &unit)?;
    Ok(unit)
}

pub fn load_team(sql: &mut dyn Sql, id: Uuid) -> AdminResult<Team> {
    refdata::load_team(sql, id)?.ok_or_else(|| {
        AdminError::not_found(
            format!("Không có đội mã {id}."),
            format!("No team with id {id}."),
        )
    })
}

/// A team to create; `id` is made up when absent.
#[derive(Debug, Clone)]
pub struct NewTeam {
    pub id: Option<Uuid>,
    pub name: String,
    pub org_unit_id: Uuid,
    pub area_codes: Vec<String>,
}

pub fn create_team(sql: &mut dyn Sql, t: &NewTeam) -> AdminResult<Team> {
    let name = check_name("tên đội", "The team name", &t.name)?;
    load_unit(sql, t.org_unit_id)?;
    let mut area_codes: Vec<String> = t
        .area_codes
        .iter()
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty())
        .collect();
    area_codes.sort();
    area_codes.dedup();
    if area_codes.is_empty() {
        return Err(AdminError::invalid(
            "Cần chọn ít nhất một địa bàn phụ trách cho đội (--areas MÃ,MÃ).",
            "A team needs at least one area (--areas CODE,CODE).",
        ));
    }
    let mut missing = Vec::new();
    for code in &area_codes {
        if !refdata::area_exists(sql, code)? {
            missing.push(code.clone());
        }
    }
    if !missing.is_empty() {
        let list = missing.join(", ");
        return Err(AdminError::not_found(
            format!("Không có địa bàn mã {list} trong danh mục; hãy kiểm tra mã hoặc nhập danh mục địa bàn trước."),
            format!("No area with code {list}; check the codes or import the area list first."),
        ));
    }
    let members = match t.id {
        Some(id) => refdata::load_team(sql, id)?
            .map(|old| old.members)
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let team = Team {
        id: t.id.unwrap_or_else(Uuid::now_v7),
        name,
        org_unit_id: t.org_unit_id,
        area_codes,
        members,
    };
    refdata::upsert_team(sql, &team)?;
    Ok(team)
}

pub fn add_member(
    sql: &mut dyn Sql,
    team_id: Uuid,
    id: Option<Uuid>,
    name: &str,
    leader: bool,
) -> AdminResult<TeamMember> {
    let name = check_name("họ tên đội viên", "The member's name", name)?;
    load_team(sql, team_id)?;
    let member = TeamMember {
        id: id.unwrap_or_else(Uuid::now_v7),
        name,
        role: if leader {
            MemberRole::Leader
        } else {
            MemberRole::Member
        },
    };
    refdata::add_member(sql, team_id, &member)?;
    Ok(member)
}

// ---------------------------------------------------------------------------------------------
// Campaigns and targets

/// Reads a date as `YYYY-MM-DD` or, as Vietnamese write it, `DD/MM/YYYY`.
pub fn parse_date(what_vi: &str, what_en: &str, raw: &str) -> AdminResult<NaiveDate> {
    let s = raw.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d").or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y")).map_err(|_| {
        AdminError::invalid(
            format!("Ngày {what_vi} \"{raw}\" không hợp lệ (cần dạng NĂM-THÁNG-NGÀY, ví dụ 2026-03-31, hoặc 31/03/2026)."),
            format!("The {what_en} date \"{raw}\" is not a valid date (expected YYYY-MM-DD, e.g. 2026-03-31, or DD/MM/YYYY)."),
        )
    })
}

/// Reads a peak window written `Name:FROM:TO`, e.g. `Tháng Thanh niên:2026-03-01:2026-03-31`.
pub fn parse_peak(raw: &str) -> AdminResult<PeakWindow> {
    let mut parts = raw.rsplitn(3, ':');
    let (to, from, name) = (parts.next(), parts.next(), parts.next());
    match (name, from, to) {
        (Some(name), Some(from), Some(to)) if !name.trim().is_empty() => {
            let w = PeakWindow {
                name: name.trim().to_owned(),
                starts_on: parse_date("bắt đầu đợt cao điểm", "peak start", from)?,
                ends_on: parse_date("kết thúc đợt cao điểm", "peak end", to)?,
            };
            if w.ends_on < w.starts_on {
                return Err(AdminError::invalid(
                    format!("Đợt cao điểm \"{}\" kết thúc trước khi bắt đầu.", w.name),
                    format!("Peak window \"{}\" ends before it starts.", w.name),
                ));
            }
            Ok(w)
        }
        _ => Err(AdminError::invalid(
            format!("Đợt cao điểm \"{raw}\" cần dạng TÊN:TỪ-NGÀY:ĐẾN-NGÀY, ví dụ \"Tháng Thanh niên:2026-03-01:2026-03-31\"."),
            format!("Peak window \"{raw}\" must be NAME:FROM:TO, e.g. \"Tháng Thanh niên:2026-03-01:2026-03-31\"."),
        )),
    }
}

/// A campaign to create; `id` is made up when absent.
#[derive(Debug, Clone)]
pub struct NewCampaign {
    pub id: Option<Uuid>,
    pub name: String,
    pub legal_reference: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub report_deadline: NaiveDate,
    pub peak_windows: Vec<PeakWindow>,
}

pub fn create_campaign(sql: &mut dyn Sql, c: &NewCampaign) -> AdminResult<Campaign> {
    let name = check_name("tên kế hoạch", "The campaign name", &c.name)?;
    let legal_reference = c.legal_reference.trim().to_owned();
    if c.ends_on < c.starts_on {
        return Err(AdminError::invalid(
            format!(
                "Ngày kết thúc ({}) trước ngày bắt đầu ({}).",
                c.ends_on.format("%d/%m/%Y"),
                c.starts_on.format("%d/%m/%Y")
            ),
            format!(
                "The end date ({}) is before the start date ({}).",
                c.ends_on, c.starts_on
            ),
        ));
    }
    if c.report_deadline < c.starts_on {
        return Err(AdminError::invalid(
            format!(
                "Hạn báo cáo ({}) trước ngày bắt đầu ({}).",
                c.report_deadline.format("%d/%m/%Y"),
                c.starts_on.format("%d/%m/%Y")
            ),
            format!(
                "The report deadline ({}) is before the start date ({}).",
                c.report_deadline, c.starts_on
            ),
        ));
    }
    for w in &c.peak_windows {
        if w.starts_on < c.starts_on || w.ends_on > c.ends_on || w.ends_on < w.starts_on {
            return Err(AdminError::invalid(
                format!("Đợt cao điểm \"{}\" ({} – {}) phải nằm trong thời gian của kế hoạch ({} – {}).", w.name, w.starts_on.format("%d/%m/%Y"), w.ends_on.format("%d/%m/%Y"), c.starts_on.format("%d/%m/%Y"), c.ends_on.format("%d/%m/%Y")),
                format!("Peak window \"{}\" ({} to {}) must lie within the campaign ({} to {}).", w.name, w.starts_on, w.ends_on, c.starts_on, c.ends_on),
            ));
        }
    }
    let campaign = Campaign {
        id: c.id.unwrap_or_else(Uuid::now_v7),
        name,
        legal_reference,
        starts_on: c.starts_on,
        ends_on: c.ends_on,
        peak_windows: c.peak_windows.clone(),
        report_deadline: c.report_deadline,
    };
    refdata::upsert_campaign(sql, &campaign)?;
    // Records already received may fall in the new campaign's dates: recount the rollup.
    crate::domain::rollup::rebuild_all(sql)?;
    Ok(campaign)
}

pub fn load_campaign(sql: &mut dyn Sql, id: Uuid) -> AdminResult<Campaign> {
    match sql.query_one("SELECT body FROM campaigns WHERE id = ?", params![id])? {
        Some(r) => Ok(r.json(0)?),
        None => Err(AdminError::not_found(
            format!("Không có kế hoạch mã {id}."),
            format!("No campaign with id {id}."),
        )),
    }
}

pub fn list_campaigns(sql: &mut dyn Sql) -> AdminResult<Vec<Campaign>> {
    let mut out: Vec<Campaign> = sql
        .query("SELECT body FROM campaigns", &[])?
        .iter()
        .map(|r| r.json(0))
        .collect::<Result<_, _>>()?;
    out.sort_by_key(|c| (c.starts_on, c.id));
    Ok(out)
}

/// A target to set; the period defaults to the campaign's.
#[derive(Debug, Clone)]
pub struct NewTarget {
    pub campaign_id: Uuid,
    pub team_id: Uuid,
    pub indicator: Indicator,
    pub value: u64,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
}

/// Sets a team's target for an indicator and period, replacing the one set before for the same
/// campaign, team, indicator and period.
pub fn set_target(sql: &mut dyn Sql, t: &NewTarget) -> AdminResult<Target> {
    let campaign = load_campaign(sql, t.campaign_id)?;
    load_team(sql, t.team_id)?;
    if !t.indicator.is_known() {
        return Err(parse_indicator(t.indicator.as_str())
            .err()
            .unwrap_or_else(|| {
                AdminError::invalid("Chỉ tiêu không hợp lệ.", "Unknown indicator.")
            }));
    }
    let starts_on = t.starts_on.unwrap_or(campaign.starts_on);
    let ends_on = t.ends_on.unwrap_or(campaign.ends_on);
    if ends_on < starts_on {
        return Err(AdminError::invalid(
            format!(
                "Ngày kết thúc ({}) trước ngày bắt đầu ({}).",
                ends_on.format("%d/%m/%Y"),
                starts_on.format("%d/%m/%Y")
            ),
            format!("The end date ({ends_on}) is before the start date ({starts_on})."),
        ));
    }
    if starts_on < campaign.starts_on || ends_on > campaign.ends_on {
        return Err(AdminError::invalid(
            format!("Thời gian chỉ tiêu ({} – {}) phải nằm trong thời gian của kế hoạch ({} – {}).", starts_on.format("%d/%m/%Y"), ends_on.format("%d/%m/%Y"), campaign.starts_on.format("%d/%m/%Y"), campaign.ends_on.format("%d/%m/%Y")),
            format!("The target period ({starts_on} to {ends_on}) must lie within the campaign ({} to {}).", campaign.starts_on, campaign.ends_on),
        ));
    }
    let existing: Vec<Target> = sql
        .query(
            "SELECT body FROM targets WHERE campaign_id = ? AND team_id = ? AND indicator = ?",
            params![t.campaign_id, t.team_id, t.indicator.as_str()],
        )?
        .iter()
        .map(|r| r.json(0))
        .collect::<Result<_, _>>()?;
    let id = existing
        .iter()
        .find(|e| e.starts_on == starts_on && e.ends_on == ends_on)
        .map_or_else(Uuid::now_v7, |e| e.id);
    let target = Target {
        id,
        campaign_id: t.campaign_id,
        team_id: Some(t.team_id),
        org_unit_id: None,
        indicator: t.indicator.clone(),
        value: t.value,
        starts_on,
        ends_on,
    };
    refdata::upsert_target(sql, &target)?;
    Ok(target)
}

// ---------------------------------------------------------------------------------------------
// Devices

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnrolCode {
    /// Shown once, as `ABCD-EFGH`.
    pub code: String,
    pub expires_at: DateTime<Utc>,
    pub team_name: String,
    pub member_name: String,
}

/// Issues a one-time enrolment code for a member of a team.
pub fn issue_enrol_code(
    sql: &mut dyn Sql,
    team_id: Uuid,
    member_id: Uuid,
    valid_hours: u32,
    now: DateTime<Utc>,
) -> AdminResult<EnrolCode> {
    if valid_hours == 0 || valid_hours > MAX_ENROL_HOURS {
        return Err(AdminError::invalid(
            format!("Thời hạn mã đăng ký phải từ 1 đến {MAX_ENROL_HOURS} giờ."),
            format!("An enrolment code must be valid for 1 to {MAX_ENROL_HOURS} hours."),
        ));
    }
    let team = load_team(sql, team_id)?;
    let Some(member) = team.members.iter().find(|m| m.id == member_id) else {
        return Err(AdminError::not_found(
            format!("Đội \"{}\" không có đội viên mã {member_id}; hãy thêm đội viên trước (gocua admin add-member).", team.name),
            format!("Team \"{}\" has no member with id {member_id}; add the member first (gocua admin add-member).", team.name),
        ));
    };
    let valid_for = Duration::hours(valid_hours.into());
    let code = refdata::issue_enrol_code(sql, team_id, member_id, now, valid_for)?;
    Ok(EnrolCode {
        code,
        expires_at: now + valid_for,
        team_name: team.name,
        member_name: member.name.clone(),
    })
}

/// One enrolled device, for the coordinator's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceRow {
    pub id: Uuid,
    pub team_id: Uuid,
    pub team_name: String,
    pub member_id: Uuid,
    pub member_name: String,
    pub label: String,
    pub app_version: String,
    pub enrolled_at: Option<DateTime<Utc>>,
    pub last_seen_at: Option<DateTime<Utc>>,
    pub last_push_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

const DEVICE_QUERY: &str = "SELECT d.id, d.team_id, t.name, d.member_id, m.name, d.label, d.app_version, d.enrolled_at,
       d.last_seen_at, d.last_push_at, d.revoked_at
     FROM devices d LEFT JOIN teams t ON t.id = d.team_id LEFT JOIN members m ON m.id = d.member_id";

fn device_from_row(r: &Row) -> AdminResult<DeviceRow> {
    Ok(DeviceRow {
        id: r.uuid(0)?,
        team_id: r.uuid(1)?,
        team_name: r.text(2),
        member_id: r.uuid(3)?,
        member_name: r.text(4),
        label: r.text(5),
        app_version: r.text(6),
        enrolled_at: r.opt_time(7),
        last_seen_at: r.opt_time(8),
        last_push_at: r.opt_time(9),
        revoked_at: r.opt_time(10),
    })
}

pub fn list_devices(sql: &mut dyn Sql, team_id: Option<Uuid>) -> AdminResult<Vec<DeviceRow>> {
    let rows = match team_id {
        Some(team) => {
            load_team(sql, team)?;
            sql.query(
                &format!(
                    "{DEVICE_QUERY} WHERE d.team_id = ? ORDER BY t.name, m.name, d.enrolled_at"
                ),
                params![team],
            )?
        }
        None => sql.query(
            &format!("{DEVICE_QUERY} ORDER BY t.name, m.name, d.enrolled_at"),
            &[],
        )?,
    };
    rows.iter().map(device_from_row).collect()
}

/// Revokes a device: its token stops working at its next request. Revoking twice is harmless;
/// the time of the first revocation is kept.
pub fn revoke_device(sql: &mut dyn Sql, id: Uuid, now: DateTime<Utc>) -> AdminResult<DeviceRow> {
    sql.exec(
        "UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
        params![now, id],
    )?;
    match sql.query_one(&format!("{DEVICE_QUERY} WHERE d.id = ?"), params![id])? {
        Some(r) => device_from_row(&r),
        None => Err(AdminError::not_found(
            format!("Không có thiết bị mã {id}; xem danh sách bằng \"gocua admin devices\"."),
            format!("No device with id {id}; list them with \"gocua admin devices\"."),
        )),
    }
}

/// The QR payload of an enrolment code (see [`auth::qr_payload`]).
pub fn qr_payload(server_url: &str, code: &str) -> String {
    auth::qr_payload(server_url, code)
}

// ---------------------------------------------------------------------------------------------
// Progress per team and commune

/// One commune's share of a team's work.
#[derive(Debug, Clone, PartialEq)]
pub struct CommuneProgress {
    pub code: String,
    pub name: String,
    pub tally: Tally,
}

/// A team's progress in a campaign, counted on the server from accepted records by receipt time
/// (the same counts the phones are sent).
#[derive(Debug, Clone, PartialEq)]
pub struct TeamProgress {
    pub team: Team,
    pub total: Tally,
    pub targets: Vec<Target>,
    pub communes: Vec<CommuneProgress>,
}

impl TeamProgress {
    /// The team's target for an indicator over the whole campaign period, if set.
    pub fn target(&self, indicator: &Indicator) -> Option<u64> {
        self.targets
            .iter()
            .filter(|t| &t.indicator == indicator)
            .map(|t| t.value)
            .max()
    }
}

fn commune_of<'a>(tree: &'a AreaTree, code: &'a str) -> Option<&'a str> {
    let mut current = Some(code);
    let mut steps = 0;
    while let Some(c) = current {
        if tree.level(c) == Some(&AreaLevel::Commune) {
            return Some(c);
        }
        steps += 1;
        if steps > 64 {
            return None;
        }
        current = tree.parent(c);
    }
    None
}

/// Progress of every team with targets in the campaign (or, when none has, of every team).
pub fn campaign_progress(sql: &mut dyn Sql, campaign_id: Uuid) -> AdminResult<Vec<TeamProgress>> {
    let campaign = load_campaign(sql, campaign_id)?;
    let (from, to) = (campaign.starts_on, campaign.ends_on);
    let areas = refdata::all_areas(sql)?;
    let names: HashMap<&str, &str> = areas
        .iter()
        .map(|a| (a.code.as_str(), a.name.as_str()))
        .collect();
    let tree = AreaTree::new(&areas);
    let services: Vec<Service> = sql
        .query("SELECT body FROM services", &[])?
        .iter()
        .map(|r| r.json(0))
        .collect::<Result<_, _>>()?;
    let targets: Vec<Target> = sql
        .query(
            "SELECT body FROM targets WHERE campaign_id = ?",
            params![campaign_id],
        )?
        .iter()
        .map(|r| r.json(0))
        .collect::<Result<_, _>>()?;
    let mut team_ids: Vec<Uuid> = targets.iter().filter_map(|t| t.team_id).collect();
    if team_ids.is_empty() {
        team_ids = sql
            .query("SELECT id FROM teams", &[])?
            .iter()
            .map(|r| r.uuid(0))
            .collect::<Result<_, _>>()?;
    }
    team_ids.sort();
    team_ids.dedup();
    let (start, end) = day_range(from, to);
    let mut out = Vec::new();
    for team_id in team_ids {
        let Some(team) = refdata::load_team(sql, team_id)? else {
            continue;
        };
        let total = team_tally(sql, team_id, from, to, &services, &tree)?;
        // The same arithmetic, one builder per commune.
        let mut builders: BTreeMap<String, TallyBuilder> = BTreeMap::new();
        for code in &team.area_codes {
            if let Some(c) = commune_of(&tree, code) {
                builders
                    .entry(c.to_owned())
                    .or_insert_with(|| TallyBuilder::new(&services));
            }
        }
        let visits = sql.query(
            "SELECT v.body, h.commune_code, h.hamlet_code FROM visits v JOIN households h ON h.id = v.household_id
             WHERE v.team_id = ? AND v.superseded_by IS NULL AND v.received_at >= ? AND v.received_at < ?",
            params![team_id, start, end],
        )?;
        for row in visits {
            let visit: Visit = row.json(0)?;
            builders
                .entry(row.text(1))
                .or_insert_with(|| TallyBuilder::new(&services))
                .add_visit(&visit, row.opt_text(2).as_deref());
        }
        let sessions = sql.query(
            "SELECT body FROM sessions WHERE team_id = ? AND received_at >= ? AND received_at < ?",
            params![team_id, start, end],
        )?;
        for row in sessions {
            let s: OutreachSession = row.json(0)?;
            let Some(commune) = commune_of(&tree, &s.area_code) else {
                continue;
            };
            let hamlet = (tree.level(&s.area_code) == Some(&AreaLevel::Hamlet))
                .then_some(s.area_code.as_str());
            builders
                .entry(commune.to_owned())
                .or_insert_with(|| TallyBuilder::new(&services))
                .add_session(&s, hamlet);
        }
        let mut communes: Vec<CommuneProgress> = builders
            .into_iter()
            .map(|(code, b)| CommuneProgress {
                name: names
                    .get(code.as_str())
                    .map_or_else(|| code.clone(), |n| (*n).to_owned()),
                code,
                tally: b.finish(),
            })
            .collect();
        communes.sort_by_cached_key(|c| (fold(&c.name), c.code.clone()));
        let team_targets = targets
            .iter()
            .filter(|t| t.team_id == Some(team_id))
            .cloned()
            .collect();
        out.push(TeamProgress {
            team,
            total,
            targets: team_targets,
            communes,
        });
    }
    out.sort_by_cached_key(|t| (fold(&t.team.name), t.team.id));
    Ok(out)
}

/// Counts of what the server holds, for summaries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ServerCounts {
    pub households: u64,
    pub visits: u64,
    pub assists: u64,
    pub sessions: u64,
    pub feedback: u64,
    pub devices: u64,
    pub flags: u64,
}

pub fn server_counts(sql: &mut dyn Sql) -> AdminResult<ServerCounts> {
    let mut count = |table: &str| -> AdminResult<u64> {
        Ok(sql
            .query_one(&format!("SELECT count(*) FROM {table}"), &[])?
            .map_or(0, |r| r.int(0) as u64))
    };
    Ok(ServerCounts {
        households: count("households")?,
        visits: count("visits")?,
        assists: count("assists")?,
        sessions: count("sessions")?,
        feedback: count("feedback")?,
        devices: count("devices")?,
        flags: count("flags")?,
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

    #[test]
    fn dates_and_peaks() {
        assert_eq!(
            parse_date("x", "x", "2026-03-31").unwrap(),
            NaiveDate::from_ymd_opt(2026, 3, 31).unwrap()
        );
        assert_eq!(
            parse_date("x", "x", "31/3/2026").unwrap(),
            NaiveDate::from_ymd_opt(2026, 3, 31).unwrap()
        );
        assert!(parse_date("x", "x", "2026-02-30").is_err());
        let w = parse_peak("Tháng Thanh niên:2026-03-01:2026-03-31").unwrap();
        assert_eq!(w.name, "Tháng Thanh niên");
        assert!(parse_peak("2026-03-01:2026-03-31").is_err());
        assert!(parse_peak("X:2026-03-31:2026-03-01").is_err());
    }

    #[test]
    fn enum_arguments() {
        assert_eq!(
            parse_unit_kind("commune_union").unwrap(),
            OrgUnitKind::CommuneUnion
        );
        assert_eq!(
            parse_unit_kind("Tỉnh Đoàn").unwrap(),
            OrgUnitKind::ProvinceUnion
        );
        assert!(parse_unit_kind("club").is_err());
        assert_eq!(
            parse_indicator("households visited").unwrap(),
            Indicator::HouseholdsVisited
        );
    }
}
