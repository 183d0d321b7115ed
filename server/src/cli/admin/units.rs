//! `gocua admin create-unit | create-team | add-member`: the Youth Union units, their teams and
//! members; `units | rename-unit | move-unit | set-unit-area | deactivate-unit |
//! reactivate-unit`: the units' administration, through the same domain functions as the
//! dashboard's pages (`/admin/units`), each change written to the audit log as done by
//! `gocua admin`; and `setup-link`, the first-run set-up link.

use std::collections::HashMap;

use chrono::Utc;
use uuid::Uuid;

use super::{parse_id, tx, Failure};
use crate::cli::args::AdminCommand;
use crate::cli::config::PUBLIC_URL;
use crate::db::{Db, Sql};
use crate::domain::audit::{self, AuditEvent};
use crate::domain::coordination::{self, AdminResult, UnitChanged, UnitRow};
use crate::domain::setup;

pub fn create_unit(
    db: &Db,
    name: String,
    kind: String,
    parent: Option<String>,
    area: Option<String>,
) -> Result<(), Failure> {
    let kind = coordination::parse_unit_kind(&kind)?;
    let parent_id = parent
        .as_deref()
        .map(|p| parse_id("đơn vị cấp trên", "parent unit", p))
        .transpose()?;
    let unit = tx(db, |sql| {
        coordination::create_unit(
            sql,
            &coordination::NewUnit {
                id: None,
                name,
                kind,
                parent_id,
                area_code: area,
            },
        )
    })?;
    println!(
        "Đã tạo đơn vị \"{}\" ({}). / Created unit \"{}\" ({}).",
        unit.name,
        unit.kind.label_vi(),
        unit.name,
        unit.kind.label_en()
    );
    println!("{}", unit.id);
    Ok(())
}

pub fn create_team(db: &Db, name: String, unit: String, areas: Vec<String>) -> Result<(), Failure> {
    let org_unit_id = parse_id("đơn vị", "unit", &unit)?;
    let team = tx(db, |sql| {
        coordination::create_team(
            sql,
            &coordination::NewTeam {
                id: None,
                name,
                org_unit_id,
                area_codes: areas,
            },
        )
    })?;
    println!(
        "Đã tạo đội \"{}\", phụ trách {}. / Created team \"{}\" working in {}.",
        team.name,
        team.area_codes.join(", "),
        team.name,
        team.area_codes.join(", ")
    );
    println!("{}", team.id);
    Ok(())
}

pub fn add_member(db: &Db, team: String, name: String, leader: bool) -> Result<(), Failure> {
    let team_id = parse_id("đội", "team", &team)?;
    let member = tx(db, |sql| {
        coordination::add_member(sql, team_id, None, &name, leader)
    })?;
    println!(
        "Đã thêm {} \"{}\". / Added {} \"{}\".",
        member.role.label_vi().to_lowercase(),
        member.name,
        member.role.label_en().to_lowercase(),
        member.name
    );
    println!("{}", member.id);
    Ok(())
}

/// The units' commands (and `setup-link`), dispatched from `cli/admin/mod.rs`.
pub fn dispatch(db: &Db, command: AdminCommand) -> Result<(), Failure> {
    match command {
        AdminCommand::Units => units(db),
        AdminCommand::RenameUnit { id, name } => {
            let id = parse_id("đơn vị", "unit", &id)?;
            let done = tx(db, |sql| {
                let c = coordination::rename_unit(sql, id, &name)?;
                if c.changed() {
                    let from = c.before.name.clone();
                    record(sql, &c, AuditEvent::UnitRenamed { from })?;
                }
                Ok(c)
            })?;
            said(&done, "Đã đổi tên thành", "Renamed to", &done.after.name);
            Ok(())
        }
        AdminCommand::MoveUnit { id, parent } => {
            let id = parse_id("đơn vị", "unit", &id)?;
            let parent = parse_id("đơn vị cấp trên", "parent unit", &parent)?;
            let (done, to) = tx(db, |sql| {
                let c = coordination::move_unit(sql, id, parent)?;
                let to = coordination::load_unit(sql, parent)?.name;
                if c.changed() {
                    let from = match c.before.parent_id {
                        Some(p) => Some(coordination::load_unit(sql, p)?.name),
                        None => None,
                    };
                    let event = AuditEvent::UnitMoved {
                        from,
                        to: to.clone(),
                    };
                    record(sql, &c, event)?;
                }
                Ok((c, to))
            })?;
            said(&done, "Đã chuyển về", "Moved under", &to);
            Ok(())
        }
        AdminCommand::SetUnitArea { id, area } => {
            let id = parse_id("đơn vị", "unit", &id)?;
            let area = (!area.trim().eq_ignore_ascii_case("none")).then_some(area);
            let done = tx(db, |sql| {
                let c = coordination::set_unit_area(sql, id, area.as_deref())?;
                if c.changed() {
                    let event = AuditEvent::UnitAreaChanged {
                        from: c.before.area_code.clone(),
                        to: c.after.area_code.clone(),
                    };
                    record(sql, &c, event)?;
                }
                Ok(c)
            })?;
            let area = done.after.area_code.as_deref().unwrap_or("–");
            said(&done, "Địa bàn mới", "New area", area);
            Ok(())
        }
        AdminCommand::DeactivateUnit { id } => set_unit_active(db, &id, false),
        AdminCommand::ReactivateUnit { id } => set_unit_active(db, &id, true),
        AdminCommand::SetupLink { url } => setup_link(db, url),
        _ => unreachable!("only the units' commands come here"),
    }
}

/// Who the audit log names for a change made at the terminal (no dashboard account).
const CLI_ACTOR: &str = "gocua admin";

/// Deactivates (`active` false) or reactivates a unit; the audit log records it only when that
/// changed something.
fn set_unit_active(db: &Db, raw_id: &str, active: bool) -> Result<(), Failure> {
    let id = parse_id("đơn vị", "unit", raw_id)?;
    let (unit, changed) = tx(db, |sql| {
        let (unit, changed) = if active {
            coordination::reactivate_unit(sql, id)?
        } else {
            coordination::deactivate_unit(sql, id, Utc::now())?
        };
        if changed {
            let event = if active {
                AuditEvent::UnitReactivated {}
            } else {
                AuditEvent::UnitDeactivated {}
            };
            record_about(sql, &unit.name, event)?;
        }
        Ok((unit, changed))
    })?;
    let name = &unit.name;
    match (active, changed) {
        (false, true) => println!("Đã ngừng hoạt động \"{name}\". / \"{name}\" deactivated."),
        (false, false) => println!(
            "\"{name}\" đã ngừng hoạt động từ trước. / \"{name}\" was already deactivated."
        ),
        (true, true) => println!("\"{name}\" đã hoạt động lại. / \"{name}\" reactivated."),
        (true, false) => println!("\"{name}\" đang hoạt động. / \"{name}\" is already active."),
    }
    Ok(())
}

fn record_about(sql: &mut dyn Sql, subject: &str, event: AuditEvent) -> AdminResult<()> {
    Ok(audit::record(sql, None, CLI_ACTOR, subject, &event)?)
}

fn record(sql: &mut dyn Sql, c: &UnitChanged, event: AuditEvent) -> AdminResult<()> {
    record_about(sql, &c.after.name, event)
}

fn said(c: &UnitChanged, vi: &str, en: &str, what: &str) {
    if c.changed() {
        println!("\"{}\": {vi} {what}. / {en} {what}.", c.before.name);
    } else {
        println!(
            "\"{}\": không có gì thay đổi. / nothing to change.",
            c.before.name
        );
    }
}

/// The units as a tree, each line: name · kind · area · active teams · status · id.
fn units(db: &Db) -> Result<(), Failure> {
    let rows = tx(db, coordination::list_units)?;
    let ids: std::collections::HashSet<Uuid> = rows.iter().map(|r| r.unit.id).collect();
    let mut children: HashMap<Option<Uuid>, Vec<&UnitRow>> = HashMap::new();
    for r in &rows {
        // A unit whose parent is missing is shown at the top rather than lost.
        let parent = r.unit.parent_id.filter(|p| ids.contains(p));
        children.entry(parent).or_default().push(r);
    }
    if rows.is_empty() {
        println!("Chưa có đơn vị nào. / No units yet (gocua admin create-unit, or the first-run set-up).");
    }
    let mut stack: Vec<(&UnitRow, usize)> = children
        .get(&None)
        .map(|v| v.iter().rev().map(|r| (*r, 0)).collect())
        .unwrap_or_default();
    let mut shown = 0;
    while let Some((r, depth)) = stack.pop() {
        shown += 1;
        if shown > rows.len() {
            break; // a cycle in bad data: stop rather than loop
        }
        let area = match (&r.unit.area_code, &r.area_name) {
            (Some(code), Some(name)) => format!("{code} {name}"),
            (Some(code), None) => code.clone(),
            _ => "–".into(),
        };
        let status = if r.active() {
            String::new()
        } else {
            " · đã ngừng hoạt động / deactivated".into()
        };
        println!(
            "{}{} · {} · {area} · {} đội / teams{status} · {}",
            "  ".repeat(depth),
            r.unit.name,
            r.unit.kind.label_vi(),
            r.active_teams,
            r.unit.id
        );
        if let Some(kids) = children.get(&Some(r.unit.id)) {
            stack.extend(kids.iter().rev().map(|k| (*k, depth + 1)));
        }
    }
    Ok(())
}

/// Where `gocua serve` listens when nothing says otherwise.
const DEFAULT_URL: &str = "http://127.0.0.1:8080";

fn setup_link(db: &Db, url: Option<String>) -> Result<(), Failure> {
    let base = url
        .or_else(|| std::env::var(PUBLIC_URL.env).ok())
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_URL.to_owned());
    let link = tx(db, |sql| setup::issue_setup_link(sql, Utc::now()))?;
    println!("{}", crate::cli::first_run::line(&base, &link));
    Ok(())
}
