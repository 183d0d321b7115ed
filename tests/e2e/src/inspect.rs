//! What the server stored, read straight from its database.

use std::collections::BTreeMap;

use chrono::Utc;
use gocua_protocol::{Household, Visit};
use gocua_server::db::{Db, DbError, Sql};
use gocua_server::params;
use uuid::Uuid;

use crate::device::Recorded;

/// The tables field records end up in.
pub const RECORD_TABLES: &[&str] = &[
    "households",
    "household_versions",
    "visits",
    "assists",
    "sessions",
    "feedback",
    "flags",
];

fn q<T>(db: &Db, f: impl FnOnce(&mut dyn Sql) -> Result<T, DbError>) -> T {
    db.tx(f).expect("query the server database")
}

/// The first column of the first row of `query` as a number (0 when there is no row).
pub fn scalar(db: &Db, query: &str, values: &[gocua_server::db::Value]) -> i64 {
    q(db, |sql| sql.query_one(query, values)).map_or(0, |r| r.int(0))
}

pub fn count(db: &Db, table: &str) -> i64 {
    q(db, |sql| {
        Ok(sql
            .query_one(&format!("SELECT count(*) FROM {table}"), &[])?
            .map_or(0, |r| r.int(0)))
    })
}

/// Row counts of every record table.
pub fn counts(db: &Db) -> BTreeMap<&'static str, i64> {
    RECORD_TABLES.iter().map(|t| (*t, count(db, t))).collect()
}

/// Every id in `table`, sorted.
pub fn ids(db: &Db, table: &str) -> Vec<Uuid> {
    q(db, |sql| {
        sql.query(&format!("SELECT id FROM {table} ORDER BY id"), &[])?
            .iter()
            .map(|r| r.uuid(0))
            .collect()
    })
}

fn sorted(v: &[Uuid]) -> Vec<Uuid> {
    let mut v = v.to_vec();
    v.sort();
    v
}

/// Asserts the server holds exactly the records in `expected`: every id once, nothing else.
pub fn assert_server_holds_exactly(db: &Db, expected: &Recorded) {
    for (table, want) in [
        ("households", &expected.households),
        ("visits", &expected.visits),
        ("assists", &expected.assists),
        ("sessions", &expected.sessions),
        ("feedback", &expected.feedback),
    ] {
        let want = sorted(want);
        let mut unique = want.clone();
        unique.dedup();
        assert_eq!(
            unique.len(),
            want.len(),
            "the test expects distinct {table} ids"
        );
        let got = ids(db, table);
        let missing: Vec<_> = want.iter().filter(|id| !got.contains(id)).collect();
        let extra: Vec<_> = got.iter().filter(|id| !want.contains(id)).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{table}: missing on the server {missing:?}, not expected {extra:?}"
        );
        assert_eq!(
            count(db, table) as usize,
            want.len(),
            "{table}: one row per record"
        );
    }
}

/// [`assert_server_holds_exactly`], and one stored version per household: what a phone sent again
/// (after a lost answer, a restore, a failover) was taken as a duplicate, not as a new version.
/// `why` says what made the records travel twice.
pub fn assert_server_holds_each_once(db: &Db, expected: &Recorded, why: &str) {
    assert_server_holds_exactly(db, expected);
    assert_eq!(
        count(db, "household_versions"),
        expected.households.len() as i64,
        "each household stored once: {why}"
    );
}

/// The sequence number of the reference data (it moves with every change phones must pull).
pub fn reference_seq(db: &Db) -> i64 {
    db.tx(gocua_server::domain::refdata::current_seq)
        .expect("reference seq")
}

/// The reference data a phone of team `team` pulls (the server's own snapshot of it).
pub fn team_snapshot(db: &Db, team: Uuid) -> gocua_protocol::ReferenceData {
    db.tx(|sql: &mut dyn Sql| gocua_server::domain::refdata::team_snapshot(sql, team))
        .expect("team snapshot")
}

pub fn household(db: &Db, id: Uuid) -> Option<Household> {
    q(db, |sql| {
        sql.query_one("SELECT body FROM households WHERE id = ?", params![id])?
            .map(|r| r.json(0))
            .transpose()
    })
}

pub fn visit(db: &Db, id: Uuid) -> Option<Visit> {
    q(db, |sql| {
        sql.query_one("SELECT body FROM visits WHERE id = ?", params![id])?
            .map(|r| r.json(0))
            .transpose()
    })
}

/// The devices that sent versions of a household, in order of receipt.
pub fn household_version_devices(db: &Db, id: Uuid) -> Vec<Uuid> {
    q(db, |sql| {
        sql.query("SELECT device_id FROM household_versions WHERE household_id = ? ORDER BY received_at, id", params![id])?
            .iter()
            .map(|r| r.uuid(0))
            .collect()
    })
}

/// A data-quality flag for coordinators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    pub kind: String,
    pub record_id: Uuid,
    pub other_id: Option<Uuid>,
    pub team_id: Uuid,
}

pub fn flags(db: &Db) -> Vec<Flag> {
    q(db, |sql| {
        sql.query(
            "SELECT kind, record_id, other_id, team_id FROM flags ORDER BY kind, record_id",
            &[],
        )?
        .iter()
        .map(|r| {
            Ok(Flag {
                kind: r.text(0),
                record_id: r.uuid(1)?,
                other_id: r
                    .opt_text(2)
                    .filter(|s| !s.is_empty())
                    .map(|s| Uuid::parse_str(&s))
                    .transpose()
                    .map_err(|e| DbError::Corrupt(e.to_string()))?,
                team_id: r.uuid(3)?,
            })
        })
        .collect()
    })
}

/// Revokes a device, as a coordinator does when a phone is lost (`gocua admin revoke-device`,
/// here called as a function on the same database).
pub fn revoke_device(db: &Db, device_id: Uuid) {
    let row = db
        .tx(|sql| gocua_server::domain::coordination::revoke_device(sql, device_id, Utc::now()))
        .expect("revoke device");
    assert!(row.revoked_at.is_some(), "device {device_id} revoked");
}

/// The device row: (team, member, label, app version, revoked?).
pub fn device_row(db: &Db, device_id: Uuid) -> Option<(Uuid, Uuid, String, String, bool)> {
    q(db, |sql| {
        sql.query_one(
            "SELECT team_id, member_id, label, app_version, revoked_at FROM devices WHERE id = ?",
            params![device_id],
        )?
        .map(|r| {
            Ok((
                r.uuid(0)?,
                r.uuid(1)?,
                r.text(2),
                r.text(3),
                r.opt_int(4).is_some(),
            ))
        })
        .transpose()
    })
}
