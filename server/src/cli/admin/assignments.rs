//! `gocua admin assign | assignments | revoke-assignment`: walk lists from the terminal, through
//! the same domain functions as the dashboard's `/assignments` page.

use chrono::Utc;
use gocua_protocol::format::Lang;
use gocua_protocol::AssignmentTarget;
use uuid::Uuid;

use super::{parse_id, tx, Failure};
use crate::cli::args::AssignArgs;
use crate::db::Db;
use crate::domain::audit::{self, AuditEvent};
use crate::domain::coordination::{self, NewAssignment};

pub fn assign(db: &Db, args: AssignArgs) -> Result<(), Failure> {
    let team_id = parse_id("đội", "team", &args.team)?;
    let member_id = parse_id("đội viên", "member", &args.member)?;
    let household = args
        .household
        .as_deref()
        .map(|h| parse_id("hộ", "household", h))
        .transpose()?;
    let (row, team_name) = tx(db, |sql| {
        let target = match (&args.hamlet, household) {
            (Some(code), None) => coordination::hamlet_target(sql, code.trim())?,
            (None, Some(household_id)) => AssignmentTarget::Household { household_id },
            _ => {
                return Err(coordination::AdminError::invalid(
                    "Cần đúng một trong --hamlet hoặc --household.",
                    "Give exactly one of --hamlet or --household.",
                ))
            }
        };
        let now = Utc::now();
        let a = coordination::create_assignment(
            sql,
            &NewAssignment {
                team_id,
                member_id,
                target,
                by: Uuid::nil(),
                now,
            },
        )?;
        let team = coordination::load_team(sql, team_id)?;
        let row = coordination::list_assignments(sql, team_id, now)?
            .into_iter()
            .find(|r| r.assignment.id == a.id)
            .ok_or_else(|| coordination::AdminError::not_found("?", "?"))?;
        audit::record(
            sql,
            None,
            &args.by,
            &team.name,
            &AuditEvent::AssignmentMade {
                member: row.member_name.clone(),
                target: coordination::target_code(&a.target),
                via: "cli".into(),
            },
        )?;
        Ok((row, team.name))
    })?;
    println!(
        "Đã giao cho {} ({}): {} / Assigned: {}",
        row.member_name,
        team_name,
        row.remaining_line(Lang::Vi),
        row.remaining_line(Lang::En)
    );
    println!("{}", row.assignment.id);
    Ok(())
}

pub fn assignments(db: &Db, team: String) -> Result<(), Failure> {
    let team_id = parse_id("đội", "team", &team)?;
    let rows = tx(db, |sql| {
        coordination::load_team(sql, team_id)?;
        coordination::list_assignments(sql, team_id, Utc::now())
    })?;
    if rows.is_empty() {
        println!("Đội chưa có phân công nào trong đợt đang diễn ra. / No assignments in the running campaign.");
        return Ok(());
    }
    for r in &rows {
        println!(
            "{}  {}  {}",
            r.assignment.id,
            r.member_name,
            r.remaining_line(Lang::Vi)
        );
    }
    println!("{} phân công. / {} assignment(s).", rows.len(), rows.len());
    Ok(())
}

pub fn revoke_assignment(db: &Db, id: String, by: String) -> Result<(), Failure> {
    let id = parse_id("phân công", "assignment", &id)?;
    let a = tx(db, |sql| {
        let a = coordination::revoke_assignment(sql, id, Utc::now())?;
        let team = coordination::load_team(sql, a.team_id)?;
        let member = coordination::member_name_or_id(&team, a.member_id);
        audit::record(
            sql,
            None,
            &by,
            &team.name,
            &AuditEvent::AssignmentRevoked {
                member,
                target: coordination::target_code(&a.target),
                via: "cli".into(),
            },
        )?;
        Ok(a)
    })?;
    println!("Đã thu hồi phân công {}. / Assignment revoked.", a.id);
    Ok(())
}
