//! `gocua admin edit-service`: the service catalogue, through the same `update_service` as the
//! dashboard's catalogue page; written to the audit log as done at the terminal.

use super::{tx, Failure};
use crate::cli::args::EditServiceArgs;
use crate::db::Db;
use crate::domain::audit::{self, AuditEvent};
use crate::domain::coordination::{self, ServiceEdit};

pub fn edit_service(db: &Db, args: EditServiceArgs) -> Result<(), Failure> {
    let key = args.key;
    let edit = ServiceEdit {
        name_vi: args.name_vi,
        name_en: args.name_en,
        code: args.code,
        code_verified: args.verified,
        level_42: args
            .level_42
            .as_deref()
            .map(coordination::parse_level42)
            .transpose()?,
        level_43: args
            .level_43
            .as_deref()
            .map(coordination::parse_level43)
            .transpose()?,
        authority: args.authority,
        active: args.active,
    };
    let (after, fields) = tx(db, |sql| {
        let (before, after) = coordination::update_service(sql, &key, &edit)?;
        let fields = coordination::changed_field_names(&before, &after);
        if !fields.is_empty() {
            audit::record(
                sql,
                None,
                "cli",
                &after.name_vi,
                &AuditEvent::ServiceEdited {
                    key: after.key.clone(),
                    fields: fields.clone(),
                },
            )?;
        }
        Ok((after, fields))
    })?;
    if fields.is_empty() {
        println!(
            "Không có gì thay đổi ở \"{}\". / Nothing changed in {}.",
            after.name_vi, after.key
        );
    } else {
        println!(
            "Đã cập nhật \"{}\": {}. / Updated {}: {}.",
            after.name_vi,
            fields.join(", "),
            after.key,
            fields.join(", ")
        );
    }
    Ok(())
}
