//! The service catalogue (`services-starter.csv` and coordinators' edited copies of it).
//!
//! Columns: `key,code,name_vi,name_en,authority,code_confidence`, and optionally `kind`,
//! `level_42`, `level_43`, `active`. When the optional columns are absent or empty:
//! - `code_verified` is true when there is a code and `code_confidence` does not say "unverified";
//! - `kind` is inferred from the key and `code_confidence` (see [`infer_kind`]);
//! - the levels are unknown and the service is active.

use std::collections::HashMap;
use std::io::Read;

use super::{finish, read_table, CsvRowError, RowProblems};
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

/// How problems name the values of the optional columns (Vietnamese, English).
const SERVICE_KIND: (&str, &str) = ("loại dịch vụ", "service kind");
const LEVEL_42: (&str, &str) = ("mức độ theo Nghị định 42/2022", "Decree 42/2022 level");
const LEVEL_43: (&str, &str) = ("mức độ theo Nghị định 43/2011", "Decree 43/2011 level");

/// Imports a service catalogue.
pub fn parse_services<R: Read>(reader: R) -> Result<Vec<Service>, Vec<CsvRowError>> {
    let (table, mut errors) = read_table(reader, REQUIRED, OPTIONAL)?;
    let mut first_line: HashMap<String, u64> = HashMap::new();
    let mut services = Vec::with_capacity(table.rows.len());

    for row in &table.rows {
        let key = table.get(row, "key");
        let code = table.get(row, "code");
        let name_vi = table.get(row, "name_vi");
        let confidence = table.get(row, "code_confidence");
        let mut problems = RowProblems::new(row.line, &mut errors);

        let key_chars = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_';
        if !key.is_empty() && !key.bytes().all(key_chars) {
            problems.add(
                "key",
                format!("khoá \"{key}\" chỉ được gồm chữ thường không dấu (a–z), chữ số và dấu gạch dưới (_)."),
                format!("key \"{key}\" may contain only lower-case letters a–z, digits and underscores."),
            );
        } else {
            problems.unique(
                "key",
                key,
                ("khoá", "key"),
                ("khoá dịch vụ đang để trống.", "the service key is empty."),
                &mut first_line,
            );
        }
        if !code.is_empty() && !is_procedure_code(code) {
            problems.add(
                "code",
                format!("mã thủ tục \"{code}\" không đúng dạng số.số của danh mục quốc gia (ví dụ 1.001193)."),
                format!("procedure code \"{code}\" does not have the national format digits.digits (e.g. 1.001193)."),
            );
        }
        if name_vi.is_empty() {
            problems.add(
                "name_vi",
                "tên dịch vụ (tiếng Việt) đang để trống.",
                "the Vietnamese name of the service is empty.",
            );
        }

        let kind = match table.get(row, "kind") {
            "" => Some(infer_kind(key, confidence)),
            raw => problems.one_of("kind", SERVICE_KIND, raw, ServiceKind::from_human(raw)),
        };
        let level_42 = match table.get(row, "level_42") {
            "" => None,
            raw => problems.one_of("level_42", LEVEL_42, raw, Level42::from_human(raw)),
        };
        let level_43 = match table.get(row, "level_43") {
            "" => None,
            raw => problems.one_of("level_43", LEVEL_43, raw, parse_level43(raw)),
        };
        let active = match table.get(row, "active") {
            "" => Some(true),
            raw => {
                let active = parse_bool(raw);
                if active.is_none() {
                    problems.add(
                        "active",
                        format!(
                            "giá trị \"{raw}\" không hợp lệ (chỉ nhận: có/không, true/false, 1/0)."
                        ),
                        format!(
                            "value \"{raw}\" is not valid (expected yes/no, true/false or 1/0)."
                        ),
                    );
                }
                active
            }
        };

        if let (false, Some(kind), Some(active)) = (problems.any(), kind, active) {
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
