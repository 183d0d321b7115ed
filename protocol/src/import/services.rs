//! The service catalogue (`services-starter.csv` and coordinators' edited copies of it).
//!
//! Columns: `key,code,name_vi,name_en,authority,code_confidence`, and optionally `kind`,
//! `level_42`, `level_43`, `active`. When the optional columns are absent or empty:
//! - `code_verified` is true when there is a code and `code_confidence` does not say "unverified";
//! - `kind` is inferred from the key and `code_confidence` (see [`infer_kind`]);
//! - the levels are unknown and the service is active.

use std::collections::HashMap;
use std::io::Read;

use super::{enum_value, finish, known_list, read_table, CsvRowError};
use crate::enums::{Level42, Level43, ServiceKind};
use crate::reference::Service;
use crate::text::fold;

const REQUIRED: &[&str] = &[
    "key",
    "code",
    "name_vi",
    "name_en",
    "authority",
    "code_confidence",
];
const OPTIONAL: &[&str] = &["kind", "level_42", "level_43", "active"];

/// Imports a service catalogue.
pub fn parse_services<R: Read>(reader: R) -> Result<Vec<Service>, Vec<CsvRowError>> {
    let (table, mut errors) = read_table(reader, REQUIRED, OPTIONAL)?;
    let mut first_line: HashMap<String, u64> = HashMap::new();
    let mut services = Vec::with_capacity(table.rows.len());

    for row in &table.rows {
        let line = row.line;
        let before = errors.len();
        let key = table.get(row, "key");
        let code = table.get(row, "code");
        let name_vi = table.get(row, "name_vi");
        let confidence = table.get(row, "code_confidence");

        if key.is_empty() {
            errors.push(CsvRowError::new(
                line,
                "key",
                "khoá dịch vụ đang để trống.",
                "the service key is empty.",
            ));
        } else if !key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            errors.push(CsvRowError::new(
                line,
                "key",
                format!("khoá \"{key}\" chỉ được gồm chữ thường không dấu (a–z), chữ số và dấu gạch dưới (_)."),
                format!("key \"{key}\" may contain only lower-case letters a–z, digits and underscores."),
            ));
        } else if let Some(first) = first_line.get(key) {
            errors.push(CsvRowError::new(
                line,
                "key",
                format!("khoá \"{key}\" bị trùng với dòng {first}."),
                format!("key \"{key}\" is already used on line {first}."),
            ));
        } else {
            first_line.insert(key.to_owned(), line);
        }
        if !code.is_empty() && !is_procedure_code(code) {
            errors.push(CsvRowError::new(
                line,
                "code",
                format!("mã thủ tục \"{code}\" không đúng dạng số.số của danh mục quốc gia (ví dụ 1.001193)."),
                format!("procedure code \"{code}\" does not have the national format digits.digits (e.g. 1.001193)."),
            ));
        }
        if name_vi.is_empty() {
            errors.push(CsvRowError::new(
                line,
                "name_vi",
                "tên dịch vụ (tiếng Việt) đang để trống.",
                "the Vietnamese name of the service is empty.",
            ));
        }

        let kind = match table.get(row, "kind") {
            "" => Some(infer_kind(key, confidence)),
            raw => {
                let kind = enum_value(raw, ServiceKind::KNOWN, ServiceKind::as_str, |k| {
                    [k.label_vi(), k.label_en()]
                });
                if kind.is_none() {
                    let list = known_list(ServiceKind::KNOWN, ServiceKind::as_str);
                    errors.push(CsvRowError::new(
                        line,
                        "kind",
                        format!("loại dịch vụ \"{raw}\" không hợp lệ (chỉ nhận: {list})."),
                        format!("service kind \"{raw}\" is not valid (expected one of: {list})."),
                    ));
                }
                kind
            }
        };
        let level_42 = match table.get(row, "level_42") {
            "" => None,
            raw => {
                let level = enum_value(raw, Level42::KNOWN, Level42::as_str, |l| {
                    [l.label_vi(), l.label_en()]
                });
                if level.is_none() {
                    let list = known_list(Level42::KNOWN, Level42::as_str);
                    errors.push(CsvRowError::new(
                        line,
                        "level_42",
                        format!("mức độ theo Nghị định 42/2022 \"{raw}\" không hợp lệ (chỉ nhận: {list})."),
                        format!("Decree 42/2022 level \"{raw}\" is not valid (expected one of: {list})."),
                    ));
                }
                level
            }
        };
        let level_43 = match table.get(row, "level_43") {
            "" => None,
            raw => {
                let level = parse_level43(raw);
                if level.is_none() {
                    let list = known_list(Level43::KNOWN, Level43::as_str);
                    errors.push(CsvRowError::new(
                        line,
                        "level_43",
                        format!("mức độ theo Nghị định 43/2011 \"{raw}\" không hợp lệ (chỉ nhận: {list})."),
                        format!("Decree 43/2011 level \"{raw}\" is not valid (expected one of: {list})."),
                    ));
                }
                level
            }
        };
        let active = match table.get(row, "active") {
            "" => Some(true),
            raw => {
                let active = parse_bool(raw);
                if active.is_none() {
                    errors.push(CsvRowError::new(
                        line,
                        "active",
                        format!(
                            "giá trị \"{raw}\" không hợp lệ (chỉ nhận: có/không, true/false, 1/0)."
                        ),
                        format!(
                            "value \"{raw}\" is not valid (expected yes/no, true/false or 1/0)."
                        ),
                    ));
                }
                active
            }
        };

        if let (true, Some(kind), Some(active)) = (errors.len() == before, kind, active) {
            services.push(Service {
                key: key.to_owned(),
                code: (!code.is_empty()).then(|| code.to_owned()),
                code_verified: !code.is_empty()
                    && !confidence.to_lowercase().contains("unverified"),
                name_vi: name_vi.to_owned(),
                name_en: table.get(row, "name_en").to_owned(),
                authority: table.get(row, "authority").to_owned(),
                kind,
                level_42,
                level_43,
                active,
            });
        }
    }
    finish(services, errors)
}

/// The kind of a starter-catalogue entry without a `kind` column: VNeID activation and portal
/// account by key, payments by key (`…_payment`, `health_insurance_renewal`), other help when the
/// source says it is "not a coded procedure", otherwise an administrative procedure.
pub fn infer_kind(key: &str, code_confidence: &str) -> ServiceKind {
    match key {
        "vneid_level2_activation" => ServiceKind::VneidActivation,
        "dvcqg_account" => ServiceKind::PortalAccount,
        k if k.ends_with("_payment") || k == "health_insurance_renewal" => {
            ServiceKind::OnlinePayment
        }
        _ if code_confidence
            .to_lowercase()
            .contains("not a coded procedure") =>
        {
            ServiceKind::Other
        }
        _ => ServiceKind::Procedure,
    }
}

/// A national procedure code: digits, a dot, digits (e.g. `1.001193`).
pub fn is_procedure_code(code: &str) -> bool {
    match code.split_once('.') {
        Some((a, b)) => {
            !a.is_empty()
                && !b.is_empty()
                && a.bytes().all(|c| c.is_ascii_digit())
                && b.bytes().all(|c| c.is_ascii_digit())
        }
        None => false,
    }
}

/// "4", "mức 4", "Mức độ 4", "level 4" → level 4.
fn parse_level43(raw: &str) -> Option<Level43> {
    let folded = fold(raw);
    let digit = ["muc do ", "muc ", "level "]
        .iter()
        .find_map(|p| folded.strip_prefix(p))
        .unwrap_or(&folded);
    Level43::KNOWN.iter().find(|l| l.as_str() == digit).cloned()
}

fn parse_bool(raw: &str) -> Option<bool> {
    match fold(raw).as_str() {
        "true" | "1" | "yes" | "y" | "x" | "co" => Some(true),
        "false" | "0" | "no" | "n" | "khong" => Some(false),
        _ => None,
    }
}
