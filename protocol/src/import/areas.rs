//! Area lists: the official lists of administrative units and coordinators' hamlet lists.
//!
//! Official file (`vn-admin-units-2025-07.csv`, `vn-admin-units-2025-01.csv`):
//! `code,name,level,division_type,parent_code`, levels `province`, `district`, `commune` (and
//! `hamlet`, so an export of the tree imports again). The tree may have any depth: the 2025-07
//! list has two levels, the 2025-01 list three.
//!
//! Hamlet file (made by a coordinator): `code,name,division_type,commune_code`, where
//! `division_type` is the local word (thôn, ấp, bản, tổ dân phố, khu phố, …).

use std::collections::HashMap;
use std::io::Read;

use super::{finish, known_list, read_table, CsvRowError, RowProblems};
use crate::enums::AreaLevel;
use crate::reference::Area;

const AREA_COLUMNS: &[&str] = &["code", "name", "level", "division_type", "parent_code"];
const HAMLET_COLUMNS: &[&str] = &["code", "name", "division_type", "commune_code"];

/// Imports an area list whose parents must all be in the same file.
pub fn parse_areas<R: Read>(reader: R) -> Result<Vec<Area>, Vec<CsvRowError>> {
    parse(reader, None)
}

/// Imports an area list whose rows may also name a parent that is already in the database:
/// `known_parent(code)` says whether it is. Parents in the file are preferred; `known_parent` is
/// asked at most once per code.
///
/// Loops are found among the rows of the file; a loop that passes through areas of the database
/// (a row re-parenting an existing area under one of its own descendants) has to be checked by the
/// caller, which holds the whole tree.
pub fn parse_areas_with_known_parents<R: Read>(
    reader: R,
    known_parent: &dyn Fn(&str) -> bool,
) -> Result<Vec<Area>, Vec<CsvRowError>> {
    parse(reader, Some(known_parent))
}

fn parse<R: Read>(
    reader: R,
    known_parent: Option<&dyn Fn(&str) -> bool>,
) -> Result<Vec<Area>, Vec<CsvRowError>> {
    let (table, mut errors) = read_table(reader, AREA_COLUMNS, &[])?;
    // Line of the first row with each code: for duplicates, and so that a row with other problems
    // still counts as a parent (one mistake gives one error, not one per child).
    let mut first_line: HashMap<String, u64> = HashMap::new();
    let mut areas: Vec<Area> = Vec::with_capacity(table.rows.len());
    let levels = known_list::<AreaLevel>();

    for row in &table.rows {
        let code = table.get(row, "code");
        let name = table.get(row, "name");
        let level_raw = table.get(row, "level");
        let parent = table.get(row, "parent_code");
        let mut problems = RowProblems::new(row.line, &mut errors);

        problems.unique(
            "code",
            code,
            ("mã", "code"),
            ("mã đơn vị đang để trống.", "the unit code is empty."),
            &mut first_line,
        );
        if name.is_empty() {
            problems.add(
                "name",
                "tên đơn vị đang để trống.",
                "the unit name is empty.",
            );
        }
        let level = if level_raw.is_empty() {
            problems.add(
                "level",
                format!("cấp đơn vị đang để trống (chỉ nhận: {levels})."),
                format!("the level is empty (expected one of: {levels})."),
            );
            None
        } else {
            let level = AreaLevel::from_human(level_raw);
            problems.one_of("level", ("cấp", "level"), level_raw, level)
        };
        if !code.is_empty() && parent == code {
            problems.add(
                "parent_code",
                format!("đơn vị mã \"{code}\" không thể là đơn vị cha của chính nó."),
                format!("unit \"{code}\" cannot be its own parent."),
            );
        }
        if let (false, Some(level)) = (problems.any(), level) {
            areas.push(Area {
                code: code.to_owned(),
                name: name.to_owned(),
                level,
                division_type: table.get(row, "division_type").to_owned(),
                parent_code: (!parent.is_empty()).then(|| parent.to_owned()),
            });
        }
    }

    // Parents: in the file, or (when allowed) already in the database.
    let mut asked: HashMap<&str, bool> = HashMap::new();
    for row in &table.rows {
        let code = table.get(row, "code");
        let parent = table.get(row, "parent_code");
        if parent.is_empty() || parent == code || first_line.contains_key(parent) {
            continue;
        }
        let known = *asked
            .entry(parent)
            .or_insert_with(|| known_parent.is_some_and(|k| k(parent)));
        if !known {
            let (vi, en) = if known_parent.is_some() {
                (
                    "trong tệp và trong dữ liệu đã có",
                    "in the file or in the existing data",
                )
            } else {
                ("trong tệp", "in the file")
            };
            errors.push(CsvRowError::new(
                row.line,
                "parent_code",
                format!("không có đơn vị cha mã \"{parent}\" {vi}."),
                format!("no parent unit with code \"{parent}\" {en}."),
            ));
        }
    }

    // Loops among the rows of the file.
    let parent_of: HashMap<&str, &str> = table
        .rows
        .iter()
        .filter(|r| first_line.get(table.get(r, "code")) == Some(&r.line))
        .map(|r| (table.get(r, "code"), table.get(r, "parent_code")))
        .filter(|(c, p)| !p.is_empty() && c != p && first_line.contains_key(*p))
        .collect();
    errors.extend(find_loops(&parent_of, &first_line));

    finish(areas, errors)
}

/// One error per loop of parent links, on the loop's first line, listing the loop.
fn find_loops(parent_of: &HashMap<&str, &str>, line_of: &HashMap<String, u64>) -> Vec<CsvRowError> {
    // Each walk goes up from one row; a node met again in the same walk closes a loop, a node of an
    // earlier walk leads nowhere new.
    let mut walk_of: HashMap<&str, usize> = HashMap::new();
    let mut errors = Vec::new();
    let mut starts: Vec<&str> = parent_of.keys().copied().collect();
    starts.sort_by_key(|c| line_of[*c]);
    for (n, start) in starts.into_iter().enumerate() {
        let mut path = Vec::new();
        let mut current = Some(start);
        while let Some(c) = current {
            match walk_of.get(c) {
                Some(w) if *w == n => {
                    // Closed a loop within this walk: it starts where `c` first appeared.
                    let from = path
                        .iter()
                        .position(|p| *p == c)
                        .expect("visited in this walk");
                    let mut cycle: Vec<&str> = path[from..].to_vec();
                    let first = (0..cycle.len())
                        .min_by_key(|i| line_of[cycle[*i]])
                        .expect("non-empty");
                    cycle.rotate_left(first);
                    let listed = cycle
                        .iter()
                        .chain(cycle.first())
                        .copied()
                        .collect::<Vec<_>>()
                        .join(" → ");
                    errors.push(CsvRowError::new(
                        line_of[cycle[0]],
                        "parent_code",
                        format!("các đơn vị tạo thành vòng lặp cha – con: {listed}."),
                        format!("the units form a parent loop: {listed}."),
                    ));
                    break;
                }
                Some(_) => break, // reached a node finished by an earlier walk
                None => {
                    walk_of.insert(c, n);
                    path.push(c);
                    current = parent_of.get(c).copied();
                }
            }
        }
    }
    errors
}

/// The longest hamlet name and kind a coordinator may give (the names of units, teams and
/// campaigns have the same bound on the server).
pub const MAX_HAMLET_NAME_CHARS: usize = 120;
pub const MAX_HAMLET_KIND_CHARS: usize = 40;

/// A problem with one field of a hamlet: the column it is about and what is wrong, in
/// Vietnamese and English (starting in lower case, ending with a full stop, like the detail of a
/// [`CsvRowError`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    pub column: &'static str,
    pub detail_vi: String,
    pub detail_en: String,
}

/// The rules for a hamlet's name and kind, shared by the hamlet file and a coordinator's edit of
/// one hamlet: the name and kind tidied as they are stored (trimmed, NFC, single spaces; the kind
/// in lower case), or every problem.
pub fn hamlet_fields(
    name: &str,
    division_type: &str,
) -> Result<(String, String), Vec<FieldProblem>> {
    use unicode_normalization::UnicodeNormalization;
    let tidy = |s: &str| {
        s.nfc()
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let name = tidy(name);
    let kind = tidy(division_type).to_lowercase();
    // Each field: its column, its value, its longest length, and what is said when it is empty
    // or too long.
    let fields = [
        (
            "name",
            &name,
            MAX_HAMLET_NAME_CHARS,
            ["tên thôn, ấp đang để trống.", "the hamlet name is empty."],
            [
                format!("tên thôn, ấp quá dài (tối đa {MAX_HAMLET_NAME_CHARS} ký tự)."),
                format!("the hamlet name is too long (at most {MAX_HAMLET_NAME_CHARS} characters)."),
            ],
        ),
        (
            "division_type",
            &kind,
            MAX_HAMLET_KIND_CHARS,
            [
                "loại đơn vị đang để trống (ví dụ: thôn, ấp, bản, tổ dân phố, khu phố).",
                "the kind of hamlet is empty (e.g. thôn, ấp, bản, tổ dân phố, khu phố).",
            ],
            [
                format!("loại đơn vị quá dài (tối đa {MAX_HAMLET_KIND_CHARS} ký tự; ví dụ: thôn, ấp, khu phố)."),
                format!("the kind of hamlet is too long (at most {MAX_HAMLET_KIND_CHARS} characters; e.g. thôn, ấp, khu phố)."),
            ],
        ),
    ];
    let mut problems = Vec::new();
    for (column, value, max, [empty_vi, empty_en], [long_vi, long_en]) in fields {
        let (detail_vi, detail_en) = if value.is_empty() {
            (empty_vi.to_owned(), empty_en.to_owned())
        } else if value.chars().count() > max {
            (long_vi, long_en)
        } else {
            continue;
        };
        problems.push(FieldProblem {
            column,
            detail_vi,
            detail_en,
        });
    }
    if problems.is_empty() {
        Ok((name, kind))
    } else {
        Err(problems)
    }
}

/// Imports a coordinator's hamlet list (thôn, ấp, bản, tổ dân phố, khu phố). Each hamlet becomes an
/// [`Area`] of level [`AreaLevel::Hamlet`] under its commune; `known_commune(code)` says whether a
/// commune exists (asked at most once per code).
pub fn parse_hamlets<R: Read>(
    reader: R,
    known_commune: &dyn Fn(&str) -> bool,
) -> Result<Vec<Area>, Vec<CsvRowError>> {
    let (rows, errors) = parse_hamlet_rows(reader, known_commune)?;
    finish(rows.into_iter().map(|(_, area)| area).collect(), errors)
}

/// The good rows of a hamlet file, each with its line, and the problems of the others.
pub type HamletRows = (Vec<(u64, Area)>, Vec<CsvRowError>);

/// [`parse_hamlets`], answering with the good rows (each with its line) *and* the problems of the
/// others, so a caller can add problems of its own (e.g. a commune outside the coordinator's
/// scope) and list them all at once. `Err` only when the header makes the rows unreadable.
pub fn parse_hamlet_rows<R: Read>(
    reader: R,
    known_commune: &dyn Fn(&str) -> bool,
) -> Result<HamletRows, Vec<CsvRowError>> {
    let (table, mut errors) = read_table(reader, HAMLET_COLUMNS, &[])?;
    let mut first_line: HashMap<String, u64> = HashMap::new();
    let mut asked: HashMap<String, bool> = HashMap::new();
    let mut hamlets = Vec::with_capacity(table.rows.len());

    for row in &table.rows {
        let line = row.line;
        let code = table.get(row, "code");
        let commune = table.get(row, "commune_code");
        let mut problems = RowProblems::new(line, &mut errors);

        problems.unique(
            "code",
            code,
            ("mã", "code"),
            ("mã thôn, ấp đang để trống.", "the hamlet code is empty."),
            &mut first_line,
        );
        let fields = hamlet_fields(table.get(row, "name"), table.get(row, "division_type"));
        for p in fields.as_ref().err().into_iter().flatten() {
            problems.add(p.column, &p.detail_vi, &p.detail_en);
        }
        if commune.is_empty() {
            problems.add(
                "commune_code",
                "mã xã, phường đang để trống.",
                "the commune code is empty.",
            );
        } else if commune == code {
            problems.add(
                "commune_code",
                format!("mã thôn, ấp trùng với mã xã, phường \"{commune}\"; hãy đặt mã khác cho thôn, ấp."),
                format!("the hamlet has the same code as its commune \"{commune}\"; give the hamlet another code."),
            );
        } else {
            let known = *asked
                .entry(commune.to_owned())
                .or_insert_with(|| known_commune(commune));
            if !known {
                problems.add(
                    "commune_code",
                    format!("không có xã, phường mã \"{commune}\" trong danh mục địa bàn."),
                    format!("no commune with code \"{commune}\" in the area list."),
                );
            }
        }
        if let (false, Ok((name, division_type))) = (problems.any(), fields) {
            hamlets.push((
                line,
                Area {
                    code: code.to_owned(),
                    name,
                    level: AreaLevel::Hamlet,
                    division_type,
                    parent_code: Some(commune.to_owned()),
                },
            ));
        }
    }
    Ok((hamlets, errors))
}
