//! `gocua admin set-guide`, `guides` and `load-starter-guides`: the service guides through the
//! same `coordination::guides` functions as the dashboard's guide page; written to the audit log
//! as done at the terminal.

use chrono::Utc;

use super::{invalid, read_file, tx, Failure};
use crate::cli::args::AdminCommand;
use crate::db::Db;
use crate::domain::audit::{self, AuditEvent};
use crate::domain::coordination::{guides, load_service};
use crate::domain::format;

pub fn dispatch(db: &Db, command: AdminCommand) -> Result<(), Failure> {
    match command {
        AdminCommand::SetGuide {
            service,
            file,
            checked,
        } => {
            let bytes = read_file(&file)?;
            let body = String::from_utf8(bytes).map_err(|_| {
                invalid(
                    format!("Tệp {} không phải văn bản UTF-8.", file.display()),
                    format!("The file {} is not UTF-8 text.", file.display()),
                )
            })?;
            set_guide(db, &service, &body, checked)
        }
        AdminCommand::Guides => list(db),
        AdminCommand::LoadStarterGuides => load_starter(db),
        _ => unreachable!("only guide commands are dispatched here"),
    }
}

fn set_guide(db: &Db, key: &str, body: &str, checked: bool) -> Result<(), Failure> {
    let (name, after) = tx(db, |sql| {
        let (_, after) = guides::save_guide(sql, key, body, checked, Some("cli"), Utc::now())?;
        let name = load_service(sql, key)?.name_vi;
        audit::record(
            sql,
            None,
            "cli",
            &name,
            &AuditEvent::GuideSaved {
                key: key.to_owned(),
                chars: after.guide.body.chars().count() as u64,
                checked,
                via: "cli".into(),
            },
        )?;
        Ok((name, after))
    })?;
    let (vi, en) = if after.guide.needs_check {
        ("cần kiểm tra", "needs a check")
    } else {
        ("đã kiểm tra", "checked")
    };
    println!("Đã lưu hướng dẫn \"{name}\" ({vi}). / Saved the guide of {key} ({en}).");
    Ok(())
}

fn list(db: &Db) -> Result<(), Failure> {
    let rows = tx(db, |sql| {
        let mut out = Vec::new();
        for g in guides::list_guides(sql)? {
            let name = load_service(sql, &g.guide.service_key)
                .map_or_else(|_| String::new(), |s| s.name_vi);
            out.push((g, name));
        }
        Ok(out)
    })?;
    if rows.is_empty() {
        println!("Chưa có hướng dẫn nào. / No guides yet.");
        return Ok(());
    }
    for (g, name) in rows {
        let day = format::date(crate::domain::calendar::get().day_of(g.guide.updated_at));
        let mark = if g.guide.needs_check {
            "cần kiểm tra / needs a check"
        } else {
            "đã kiểm tra / checked"
        };
        println!(
            "{}\t{name}\t{mark}\t{day}\t{}\t{} ký tự / characters",
            g.guide.service_key,
            g.updated_by.as_deref().unwrap_or("—"),
            g.guide.body.chars().count()
        );
    }
    Ok(())
}

fn load_starter(db: &Db) -> Result<(), Failure> {
    let keys = tx(db, |sql| {
        let keys = guides::load_starter_guides(sql, Utc::now())?;
        if !keys.is_empty() {
            audit::record(
                sql,
                None,
                "cli",
                &keys.len().to_string(),
                &AuditEvent::GuidesLoaded {
                    keys: keys.clone(),
                    via: "cli".into(),
                },
            )?;
        }
        Ok(keys)
    })?;
    if keys.is_empty() {
        println!("Không có hướng dẫn mẫu nào cần nạp. / No starter guide to load.");
    } else {
        println!(
            "Đã nạp {} hướng dẫn mẫu (cần kiểm tra): {}. / Loaded {} starter guides (to be checked).",
            keys.len(),
            keys.join(", "),
            keys.len()
        );
    }
    Ok(())
}
