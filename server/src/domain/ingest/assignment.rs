//! A leader's assignment (walk lists) arriving from the phone: only a leader's device of the
//! assignment's team may send one (`assigner_not_leader` otherwise), checked with the protocol's
//! rules against the team's members, areas and households (`coordination::check_assignment`),
//! then stored merged by hybrid clock (`coordination::store_assignment`).

use gocua_protocol::assignment::check_assigner;
use gocua_protocol::*;

use super::{conflict, from_validation, not_your_team, result, Ingest};
use crate::db::{DbResult, Sql};
use crate::domain::coordination::{check_assignment, store_assignment, Stored};
use crate::domain::{calendar, refdata};

impl Ingest<'_> {
    pub(super) fn assignment(&self, sql: &mut dyn Sql, a: Assignment) -> DbResult<RecordResult> {
        let kind = RecordKind::Assignment;
        if a.team_id != self.device.team_id {
            return Ok(not_your_team(a.id, kind, "team_id"));
        }
        let Some(team) = refdata::load_team(sql, self.device.team_id)? else {
            return Ok(not_your_team(a.id, kind, "team_id"));
        };
        if let Err(e) = check_assigner(&team, self.device.member_id) {
            return Ok(from_validation(a.id, kind, &e));
        }
        // A new assignment names its maker; a revocation keeps whoever made it.
        let stored = sql
            .query_one(
                "SELECT 1 FROM assignments WHERE id = ?",
                crate::params![a.id],
            )?
            .is_some();
        if !stored && a.assigned_by != Assigner::Member(self.device.member_id) {
            return Ok(from_validation(
                a.id,
                kind,
                &ValidationErrors(vec![ValidationError {
                    field: "assigned_by".into(),
                    code: ValidationCode::Inconsistent,
                    message_vi: "Người phân công phải là người dùng của điện thoại này.".into(),
                    message_en: "The assigner must be this phone's user.".into(),
                }]),
            ));
        }
        // A stamp far ahead of the server's clock (a phone clock years off) would beat every later
        // change: it is ordered at its receipt instead, as households' are. Sent again unchanged,
        // it is a duplicate.
        let mut a = a;
        if a.hlc.too_far_ahead(self.now.timestamp_millis()) {
            let held = crate::domain::coordination::load_assignment(sql, a.id).ok();
            if held.is_some_and(|h| h.same_assignment(&a) && h.revoked == a.revoked) {
                return Ok(result(a.id, kind, RecordStatus::Duplicate));
            }
            a.hlc = a.hlc.at_receipt(self.now.timestamp_millis());
        }
        // Checked on the day it was made (the phone checked it then), never after the server's.
        let day = calendar::day_of(gocua_protocol::validation::validation_now(
            a.created_at,
            self.now,
        ));
        if let Err(e) = check_assignment(sql, &team, &a, day)? {
            return Ok(from_validation(a.id, kind, &e));
        }
        Ok(match store_assignment(sql, &a, self.now)? {
            Stored::Inserted | Stored::Updated => result(a.id, kind, RecordStatus::Accepted),
            Stored::Duplicate => result(a.id, kind, RecordStatus::Duplicate),
            Stored::Conflict => conflict(a.id, kind),
        })
    }
}
