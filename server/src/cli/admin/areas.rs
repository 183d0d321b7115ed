//! `gocua admin import-areas | import-hamlets | import-services | set-service-code`: the reference data.

use std::path::PathBuf;

use super::{read_file, tx, Failure};
use crate::cli::print;
use crate::db::Db;
use crate::domain::coordination::{self, ImportReport};

/// One of the three reference lists a coordinator imports from CSV.
#[derive(Debug, Clone, Copy)]
pub enum List {
    Areas,
    Hamlets,
    Services,
}

/// Imports `file` as `list`, all or nothing unless `skip_bad_rows`, and says what was imported.
pub fn import(db: &Db, list: List, file: PathBuf, skip_bad_rows: bool) -> Result<(), Failure> {
    let text = read_file(&file)?;
    let report = tx(db, |sql| match list {
        List::Areas => coordination::import_areas(sql, &text, skip_bad_rows),
        List::Hamlets => coordination::import_hamlets(sql, &text, skip_bad_rows),
        List::Services => coordination::import_services(sql, &text, skip_bad_rows),
    })?;
    let (vi, en) = match list {
        List::Areas => ("địa bàn", "areas"),
        List::Hamlets => ("thôn, ấp, khu phố", "hamlets"),
        List::Services => ("dịch vụ", "services"),
    };
    print_import(vi, en, &report);
    Ok(())
}

pub fn set_service_code(db: &Db, key: String, code: String) -> Result<(), Failure> {
    let (before, after) = tx(db, |sql| coordination::set_service_code(sql, &key, &code))?;
    let old = before.code.as_deref().unwrap_or("–");
    let new = after.code.as_deref().unwrap_or("–");
    println!(
        "Đã cập nhật \"{}\": mã thủ tục {old} → {new} (đã kiểm tra). / Updated {}: procedure code {old} → {new} (verified).",
        after.name_vi, after.key
    );
    Ok(())
}

fn level_name(level: &str) -> (&'static str, &'static str) {
    match level {
        "province" => ("tỉnh, thành phố", "provinces"),
        "district" => ("quận, huyện", "districts"),
        "commune" => ("xã, phường, đặc khu", "communes"),
        "hamlet" => ("thôn, ấp, khu phố", "hamlets"),
        _ => ("khác", "other"),
    }
}

fn print_import(what_vi: &str, what_en: &str, report: &ImportReport) {
    let rank = |level: &str| {
        ["province", "district", "commune", "hamlet"]
            .iter()
            .position(|l| *l == level)
            .unwrap_or(9)
    };
    let mut by_level: Vec<(&String, &usize)> = report.by_level.iter().collect();
    by_level.sort_by_key(|(level, _)| rank(level));
    let levels: Vec<(String, String)> = by_level
        .into_iter()
        .map(|(level, count)| {
            let (vi, en) = level_name(level);
            (
                format!("{} {vi}", print::number(*count)),
                format!("{} {en}", print::number(*count)),
            )
        })
        .collect();
    let detail = |pick: fn(&(String, String)) -> &String| {
        if levels.is_empty() {
            String::new()
        } else {
            format!(
                " ({})",
                levels
                    .iter()
                    .map(pick)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    };
    println!(
        "Đã nhập {} {what_vi}{}. / Imported {} {what_en}{}.",
        print::number(report.imported),
        detail(|l| &l.0),
        print::number(report.imported),
        detail(|l| &l.1)
    );
    if report.skipped_rows > 0 {
        eprintln!(
            "Đã bỏ qua {} dòng có lỗi / skipped {} bad row(s):",
            report.skipped_rows, report.skipped_rows
        );
        print::csv_errors(&report.skipped);
    }
}
