//! Hamlets (thôn, ấp, khu phố) of the communes a coordinator answers for: which communes those
//! are, checking a hamlet file against them (every bad row, with line and column), storing the
//! checked rows, and editing one hamlet. `gocua admin import-hamlets` and the dashboard's upload
//! both run [`check_hamlet_file`] and [`store_hamlets`]; the CLI is not limited to a scope.

use std::collections::{HashMap, HashSet};

use gocua_protocol::import::areas::{hamlet_fields, parse_hamlet_rows, FieldProblem};
use gocua_protocol::import::CsvRowError;
use gocua_protocol::text::fold;
use gocua_protocol::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::error::{AdminError, AdminResult};
use super::imports::{parse_skipping, store_areas, ImportReport};
use crate::db::Sql;
use crate::domain::refdata;
use crate::params;

/// A commune as the hamlet pages list it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commune {
    pub code: String,
    pub name: String,
    /// The name of the area above it (the province), when there is one.
    pub parent_name: Option<String>,
}

/// The communes whose hamlets an account at `unit` may change: the communes under the area of
/// any unit of its subtree (a commune union's own commune; a province union's whole province).
/// Deactivated units below do not count. Sorted by name.
pub fn communes_in_scope(sql: &mut dyn Sql, unit: Uuid) -> AdminResult<Vec<Commune>> {
    let rows = sql.query(
        "WITH RECURSIVE units(id) AS (
             SELECT id FROM org_units WHERE id = ?
             UNION SELECT o.id FROM org_units o JOIN units u ON o.parent_id = u.id
                   WHERE o.deactivated_at IS NULL),
         below(code, level) AS (
             SELECT a.code, a.level FROM areas a JOIN org_units o ON o.area_code = a.code
                    JOIN units u ON u.id = o.id
             UNION SELECT a.code, a.level FROM areas a JOIN below b ON a.parent_code = b.code
                   WHERE b.level <> 'commune')
         SELECT a.code, a.name, p.name FROM below b JOIN areas a ON a.code = b.code
                LEFT JOIN areas p ON p.code = a.parent_code
         WHERE b.level = 'commune'",
        params![unit],
    )?;
    let mut out: Vec<Commune> = rows
        .iter()
        .map(|r| Commune {
            code: r.text(0),
            name: r.text(1),
            parent_name: r.opt_text(2),
        })
        .collect();
    out.sort_by_cached_key(|c| (fold(&c.name), c.code.clone()));
    out.dedup_by(|a, b| a.code == b.code);
    Ok(out)
}

/// Which communes a hamlet file or edit may touch.
#[derive(Debug, Clone, Copy)]
pub enum HamletScope<'a> {
    /// Any commune (the server's operator at the terminal).
    Any,
    /// Only `allowed` (from [`communes_in_scope`]); with `chosen`, every row must be that one.
    Communes {
        allowed: &'a HashSet<String>,
        chosen: Option<&'a str>,
    },
}

impl HamletScope<'_> {
    fn allows(&self, commune: &str) -> bool {
        match self {
            HamletScope::Any => true,
            HamletScope::Communes { allowed, .. } => allowed.contains(commune),
        }
    }
}

/// The hamlets of a commune, by name.
pub fn hamlets_of(sql: &mut dyn Sql, commune: &str) -> AdminResult<Vec<Area>> {
    let mut out: Vec<Area> = sql
        .query(
            "SELECT code, name, division_type FROM areas WHERE parent_code = ? AND level = 'hamlet'",
            params![commune],
        )?
        .iter()
        .map(|r| Area {
            code: r.text(0),
            name: r.text(1),
            level: AreaLevel::Hamlet,
            division_type: r.text(2),
            parent_code: Some(commune.to_owned()),
        })
        .collect();
    out.sort_by_cached_key(|a| (fold(&a.name), a.code.clone()));
    Ok(out)
}

/// A checked row of a hamlet file, with the hamlet as it is stored now (if it is).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannedHamlet {
    pub line: u64,
    pub hamlet: Area,
    pub before: Option<Area>,
}

/// What storing a row would do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HamletChange {
    New,
    Changed,
    Unchanged,
}

impl PlannedHamlet {
    pub fn change(&self) -> HamletChange {
        match &self.before {
            None => HamletChange::New,
            Some(b) if b == &self.hamlet => HamletChange::Unchanged,
            Some(_) => HamletChange::Changed,
        }
    }
}

/// The areas already stored, by code (what a hamlet file is checked against).
pub fn areas_by_code(sql: &mut dyn Sql) -> AdminResult<HashMap<String, Area>> {
    Ok(refdata::all_areas(sql)?
        .into_iter()
        .map(|a| (a.code.clone(), a))
        .collect())
}

/// What is wrong with storing `hamlet` given the areas stored now and the scope: its commune not
/// the chosen one or outside the scope, its code taken by an area that is not a hamlet, or by a
/// hamlet of a commune outside the scope. Each problem: (column, Vietnamese, English).
fn hamlet_problems(
    areas: &HashMap<String, Area>,
    hamlet: &Area,
    scope: HamletScope,
) -> Vec<(&'static str, String, String)> {
    let mut out = Vec::new();
    let commune = hamlet.parent_code.as_deref().unwrap_or("");
    match areas.get(commune) {
        Some(c) if c.level == AreaLevel::Commune => {}
        _ => out.push((
            "commune_code",
            format!("không có xã, phường mã \"{commune}\" trong danh mục địa bàn."),
            format!("no commune with code \"{commune}\" in the area list."),
        )),
    }
    if let HamletScope::Communes {
        chosen: Some(chosen),
        ..
    } = scope
    {
        if commune != chosen {
            out.push((
                "commune_code",
                format!("dòng này thuộc xã, phường mã \"{commune}\", không phải xã, phường đang chọn (mã \"{chosen}\")."),
                format!("this row belongs to commune \"{commune}\", not the chosen commune (\"{chosen}\")."),
            ));
        }
    }
    if out.is_empty() && !scope.allows(commune) {
        out.push((
            "commune_code",
            format!("xã, phường mã \"{commune}\" không thuộc phạm vi đơn vị của bạn."),
            format!("commune \"{commune}\" is not within your unit's area."),
        ));
    }
    if let Some(existing) = areas.get(&hamlet.code) {
        if existing.level != AreaLevel::Hamlet {
            out.push((
                "code",
                format!(
                    "mã \"{}\" đã là mã của {} \"{}\"; hãy đặt mã khác cho thôn, ấp.",
                    hamlet.code,
                    existing.level.label_vi().to_lowercase(),
                    existing.name
                ),
                format!(
                    "code \"{}\" is already the code of {} \"{}\"; give the hamlet another code.",
                    hamlet.code,
                    existing.level.label_en().to_lowercase(),
                    existing.name
                ),
            ));
        } else if !scope.allows(existing.parent_code.as_deref().unwrap_or("")) {
            out.push((
                "code",
                format!(
                    "mã \"{}\" đã dùng cho một thôn, ấp của xã, phường khác; hãy đặt mã khác.",
                    hamlet.code
                ),
                format!(
                    "code \"{}\" is already used by a hamlet of another commune; use another code.",
                    hamlet.code
                ),
            ));
        }
    }
    out
}

/// Checks a hamlet file (`code,name,division_type,commune_code`) with the protocol's importer and
/// the rules above: the good rows, or every problem of every row.
fn check_text(
    areas: &HashMap<String, Area>,
    text: &[u8],
    scope: HamletScope,
) -> Result<Vec<PlannedHamlet>, Vec<CsvRowError>> {
    let known_commune = |code: &str| {
        areas
            .get(code)
            .is_some_and(|a| a.level == AreaLevel::Commune)
    };
    let (rows, mut errors) = parse_hamlet_rows(text, &known_commune)?;
    let mut planned = Vec::with_capacity(rows.len());
    for (line, hamlet) in rows {
        let problems = hamlet_problems(areas, &hamlet, scope);
        if problems.is_empty() {
            planned.push(PlannedHamlet {
                line,
                before: areas.get(&hamlet.code).cloned(),
                hamlet,
            });
        }
        for (column, vi, en) in problems {
            errors.push(CsvRowError::new(line, column, vi, en));
        }
    }
    if errors.is_empty() {
        Ok(planned)
    } else {
        errors.sort_by_key(|e| e.line);
        Err(errors)
    }
}

/// Checks a hamlet file; nothing is stored. `AdminError::Csv` lists every problem.
pub fn check_hamlet_file(
    sql: &mut dyn Sql,
    text: &[u8],
    scope: HamletScope,
) -> AdminResult<Vec<PlannedHamlet>> {
    let areas = areas_by_code(sql)?;
    check_text(&areas, text, scope).map_err(AdminError::Csv)
}

/// Stores checked hamlets (one reference change, so phones pull them), checking them again
/// against the areas stored now: a commune or hamlet may have changed since the file was checked.
pub fn store_hamlets(
    sql: &mut dyn Sql,
    hamlets: &[Area],
    scope: HamletScope,
) -> AdminResult<ImportReport> {
    let areas = areas_by_code(sql)?;
    for h in hamlets {
        if h.level != AreaLevel::Hamlet {
            return Err(AdminError::invalid(
                format!("\"{}\" không phải là thôn, ấp.", h.code),
                format!("\"{}\" is not a hamlet.", h.code),
            ));
        }
        if let Some((_, vi, en)) = hamlet_problems(&areas, h, scope).into_iter().next() {
            return Err(AdminError::invalid(
                format!("Thôn, ấp mã \"{}\": {vi} Dữ liệu đã thay đổi từ khi kiểm tra tệp; hãy tải tệp lên lại.", h.code),
                format!("Hamlet \"{}\": {en} The data changed since the file was checked; upload it again.", h.code),
            ));
        }
    }
    store_areas(sql, hamlets, Vec::new(), 0)
}

/// `gocua admin import-hamlets`: checks the file and stores it, all or nothing unless `skip_bad`
/// (then the bad rows are left out and listed).
pub fn import_hamlets(sql: &mut dyn Sql, text: &[u8], skip_bad: bool) -> AdminResult<ImportReport> {
    let areas = areas_by_code(sql)?;
    let (rows, skipped, skipped_rows) =
        parse_skipping(text, skip_bad, |t| check_text(&areas, t, HamletScope::Any))?;
    let hamlets: Vec<Area> = rows.into_iter().map(|p| p.hamlet).collect();
    let mut report = store_hamlets(sql, &hamlets, HamletScope::Any)?;
    report.skipped = skipped;
    report.skipped_rows = skipped_rows;
    Ok(report)
}

/// Every problem of a field as one sentence per problem ("Tên: …").
fn field_error(problems: &[FieldProblem]) -> AdminError {
    let column = |c: &str| match c {
        "name" => ("Tên", "Name"),
        _ => ("Loại", "Kind"),
    };
    let vi = problems
        .iter()
        .map(|p| format!("{}: {}", column(p.column).0, p.detail_vi))
        .collect::<Vec<_>>()
        .join(" ");
    let en = problems
        .iter()
        .map(|p| format!("{}: {}", column(p.column).1, p.detail_en))
        .collect::<Vec<_>>()
        .join(" ");
    AdminError::invalid(vi, en)
}

/// One hamlet, if it lies in the scope (otherwise not found, as a code that does not exist).
pub fn load_hamlet(sql: &mut dyn Sql, code: &str, scope: HamletScope) -> AdminResult<Area> {
    let row = sql.query_one(
        "SELECT code, name, division_type, parent_code FROM areas WHERE code = ? AND level = 'hamlet'",
        params![code],
    )?;
    match row {
        Some(r) if scope.allows(r.opt_text(3).as_deref().unwrap_or("")) => Ok(Area {
            code: r.text(0),
            name: r.text(1),
            level: AreaLevel::Hamlet,
            division_type: r.text(2),
            parent_code: r.opt_text(3),
        }),
        _ => Err(AdminError::not_found(
            format!("Không có thôn, ấp mã \"{code}\" trong phạm vi của bạn."),
            format!("No hamlet with code \"{code}\" within your scope."),
        )),
    }
}

/// Renames a hamlet and sets its kind (the hamlet file's rules for both); the hamlet before and
/// after. Phones pull the change.
pub fn edit_hamlet(
    sql: &mut dyn Sql,
    code: &str,
    name: &str,
    division_type: &str,
    scope: HamletScope,
) -> AdminResult<(Area, Area)> {
    let before = load_hamlet(sql, code, scope)?;
    let (name, division_type) = hamlet_fields(name, division_type).map_err(|p| field_error(&p))?;
    let after = Area {
        name,
        division_type,
        ..before.clone()
    };
    if after != before {
        refdata::upsert_areas(sql, std::slice::from_ref(&after))?;
    }
    Ok((before, after))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area(code: &str, level: AreaLevel, parent: Option<&str>) -> Area {
        Area {
            name: format!("Nơi {code}"),
            division_type: "x".into(),
            ..Area::bare(code, level, parent)
        }
    }

    fn tree() -> HashMap<String, Area> {
        [
            area("86", AreaLevel::Province, None),
            area("100", AreaLevel::Commune, Some("86")),
            area("200", AreaLevel::Commune, Some("86")),
            area("200-1", AreaLevel::Hamlet, Some("200")),
        ]
        .into_iter()
        .map(|a| (a.code.clone(), a))
        .collect()
    }

    #[test]
    fn every_bad_row_is_reported_with_line_and_column() {
        let allowed: HashSet<String> = ["100".to_owned()].into();
        let scope = HamletScope::Communes {
            allowed: &allowed,
            chosen: Some("100"),
        };
        let text = "code,name,division_type,commune_code\n100-1,Ấp Một,ấp,100\n100-2,,ấp,100\n200-9,Ấp Chín,ấp,200\n86,Ấp Tỉnh,ấp,100\n200-1,Ấp Cũ,ấp,100\n";
        let errors = check_text(&tree(), text.as_bytes(), scope).unwrap_err();
        let got: Vec<(u64, &str)> = errors.iter().map(|e| (e.line, e.column.as_str())).collect();
        assert_eq!(
            got,
            vec![(3, "name"), (4, "commune_code"), (5, "code"), (6, "code")],
            "{errors:#?}"
        );
        // At the terminal a hamlet may move to another commune.
        let ok = check_text(
            &tree(),
            b"code,name,division_type,commune_code\n200-1,Ap Cu,ap,100\n",
            HamletScope::Any,
        )
        .unwrap();
        assert_eq!(ok[0].change(), HamletChange::Changed);
    }
}
