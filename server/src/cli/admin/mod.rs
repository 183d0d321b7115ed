//! `gocua admin`: the coordinators' commands in a terminal, one file per group. Each command runs
//! in one transaction and says what it did in Vietnamese, then English.

mod accounts;
mod areas;
mod assignments;
mod backup;
mod campaigns;
mod devices;
mod guides;
mod households;
mod services;
mod teams;
mod units;

use std::path::Path;
use std::process::ExitCode;

use uuid::Uuid;

use super::args::{AdminArgs, AdminCommand};
use super::print;
use crate::db::{Db, Sql};
use crate::domain::coordination::AdminError;
use crate::domain::open::open_database;

/// A failure of an admin command, already worded for the coordinator.
#[derive(Debug)]
pub struct Failure(pub AdminError);

impl From<AdminError> for Failure {
    fn from(e: AdminError) -> Self {
        Failure(e)
    }
}

pub fn invalid(vi: impl Into<String>, en: impl Into<String>) -> Failure {
    Failure(AdminError::invalid(vi, en))
}

pub fn parse_id(what_vi: &str, what_en: &str, raw: &str) -> Result<Uuid, Failure> {
    Uuid::parse_str(raw.trim()).map_err(|_| {
        invalid(
            format!("Mã {what_vi} \"{raw}\" không hợp lệ (cần dạng 0190f000-0000-7000-8000-000000000001)."),
            format!("The {what_en} id \"{raw}\" is not valid (expected a UUID like 0190f000-0000-7000-8000-000000000001)."),
        )
    })
}

pub fn read_file(path: &Path) -> Result<Vec<u8>, Failure> {
    std::fs::read(path).map_err(|e| {
        invalid(
            format!("Không đọc được tệp {}: {e}.", path.display()),
            format!("Cannot read the file {}: {e}.", path.display()),
        )
    })
}

pub fn run(args: AdminArgs) -> ExitCode {
    // Backup and restore work on the file itself: restore must not open (and so create or
    // migrate) its target first, and backup must not migrate a live server's database.
    let file_command = match &args.command {
        AdminCommand::Backup { file } => Some(backup::backup(&args.db, file)),
        AdminCommand::Restore { file, replace } => Some(backup::restore(&args.db, file, *replace)),
        _ => None,
    };
    if let Some(result) = file_command {
        return report(result);
    }
    let db = match open_database(&args.db) {
        Ok(db) => db,
        Err(e) => {
            eprintln!("Lỗi: không mở được cơ sở dữ liệu {}: {e}", args.db);
            eprintln!("Error: cannot open the database {}: {e}", args.db);
            return ExitCode::from(2);
        }
    };
    report(dispatch(&db, args.command))
}

fn report(result: Result<(), Failure>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(AdminError::Csv(errors))) => {
            eprintln!(
                "Tệp có {} lỗi; chưa nhập dòng nào. / The file has {} problem(s); nothing was imported.",
                errors.len(),
                errors.len()
            );
            print::csv_errors(&errors);
            eprintln!("Hãy sửa tệp rồi nhập lại, hoặc chạy lại với --skip-bad-rows để chỉ nhập các dòng đúng.");
            eprintln!("Fix the file and import it again, or run again with --skip-bad-rows to import only the good rows.");
            ExitCode::FAILURE
        }
        Err(Failure(e)) => {
            eprintln!("Lỗi: {}", e.message_vi());
            eprintln!("Error: {}", e.message_en());
            ExitCode::FAILURE
        }
    }
}

pub fn tx<T>(db: &Db, f: impl FnOnce(&mut dyn Sql) -> Result<T, AdminError>) -> Result<T, Failure> {
    db.tx(f).map_err(Failure)
}

fn dispatch(db: &Db, command: AdminCommand) -> Result<(), Failure> {
    match command {
        AdminCommand::ImportAreas {
            file,
            skip_bad_rows,
        } => areas::import(db, areas::List::Areas, file, skip_bad_rows),
        AdminCommand::ImportHamlets {
            file,
            skip_bad_rows,
        } => areas::import(db, areas::List::Hamlets, file, skip_bad_rows),
        AdminCommand::ImportServices {
            file,
            skip_bad_rows,
        } => areas::import(db, areas::List::Services, file, skip_bad_rows),
        AdminCommand::SetServiceCode { key, code } => areas::set_service_code(db, key, code),
        AdminCommand::CreateUnit {
            name,
            kind,
            parent,
            area,
        } => units::create_unit(db, name, kind, parent, area),
        AdminCommand::CreateTeam { name, unit, areas } => units::create_team(db, name, unit, areas),
        AdminCommand::AddMember { team, name, leader } => units::add_member(db, team, name, leader),
        AdminCommand::CreateCampaign {
            name,
            reference,
            from,
            to,
            deadline,
            peak,
        } => campaigns::create_campaign(db, name, reference, from, to, deadline, peak),
        AdminCommand::Campaigns => campaigns::campaigns(db),
        AdminCommand::SetTarget {
            campaign,
            team,
            indicator,
            value,
            from,
            to,
        } => campaigns::set_target(db, campaign, team, indicator, value, from, to),
        AdminCommand::Progress { campaign } => campaigns::progress(db, campaign),
        AdminCommand::EnrolCode(args) => devices::enrol_code(db, args),
        AdminCommand::Devices { team } => devices::devices(db, team),
        AdminCommand::RevokeDevice { id } => devices::revoke_device(db, id),
        AdminCommand::CreateCoordinator {
            username,
            name,
            role,
            unit,
        } => accounts::create_coordinator(db, username, name, role, unit),
        AdminCommand::Coordinators => accounts::coordinators(db),
        AdminCommand::EraseHousehold { id, by } => households::erase(db, id, by),
        AdminCommand::MarkRestored => backup::mark_restored(db),
        AdminCommand::EditService(args) => services::edit_service(db, args),
        command @ (AdminCommand::Units
        | AdminCommand::RenameUnit { .. }
        | AdminCommand::MoveUnit { .. }
        | AdminCommand::SetUnitArea { .. }
        | AdminCommand::DeactivateUnit { .. }
        | AdminCommand::ReactivateUnit { .. }
        | AdminCommand::SetupLink { .. }) => units::dispatch(db, command),
        AdminCommand::ResetPassword { username, by } => accounts::reset_password(db, username, by),
        AdminCommand::LockCoordinator { username, by } => {
            accounts::change(db, accounts::Change::Lock, username, by)
        }
        AdminCommand::UnlockCoordinator { username, by } => {
            accounts::change(db, accounts::Change::Unlock, username, by)
        }
        AdminCommand::DeactivateCoordinator { username, by } => {
            accounts::change(db, accounts::Change::Deactivate, username, by)
        }
        AdminCommand::EditCampaign(args) => campaigns::edit_campaign(db, args),
        AdminCommand::Teams { unit, all } => teams::teams(db, unit, all),
        AdminCommand::RenameTeam { team, name } => teams::rename_team(db, team, name),
        AdminCommand::SetTeamAreas { team, areas } => teams::set_team_areas(db, team, areas),
        AdminCommand::DeactivateTeam { team } => teams::deactivate_team(db, team),
        AdminCommand::ReactivateTeam { team } => teams::reactivate_team(db, team),
        AdminCommand::RenameMember { member, name } => teams::rename_member(db, member, name),
        AdminCommand::MoveMember { member, team } => teams::move_member(db, member, team),
        AdminCommand::SetLeader { member } => teams::set_leader(db, member),
        AdminCommand::DeactivateMember { member } => teams::deactivate_member(db, member),
        AdminCommand::Assign(args) => assignments::assign(db, args),
        AdminCommand::Assignments { team } => assignments::assignments(db, team),
        AdminCommand::RevokeAssignment { id, by } => assignments::revoke_assignment(db, id, by),
        command @ (AdminCommand::SetGuide { .. }
        | AdminCommand::Guides
        | AdminCommand::LoadStarterGuides) => guides::dispatch(db, command),
        AdminCommand::Backup { .. } | AdminCommand::Restore { .. } => {
            unreachable!("handled before the database is opened")
        }
    }
}
