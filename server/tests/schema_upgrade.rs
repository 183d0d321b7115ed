//! A version-1 server database (before the dashboard) is upgraded in place when opened: the
//! dashboard's tables appear (the rollup is rebuilt from whatever records are there), and the
//! version moves to 2. A database from a newer gocua is refused.

use gocua_server::db::{DbError, MIGRATIONS, SCHEMA_VERSION};
use gocua_server::domain::open::open_database;

mod common;

/// A version-1 database as gocua wrote it: the first migration and its version row (frozen:
/// tests/migrations.rs).
fn v1_database(path: &std::path::Path) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(MIGRATIONS[0].sql).unwrap();
    conn.execute_batch("INSERT INTO schema_meta(key, value) VALUES ('version', '1');")
        .unwrap();
}

#[test]
fn version_1_gains_the_dashboard_tables() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v1.db");
    v1_database(&path);
    let db = open_database(path.to_str().unwrap()).unwrap();
    let (version, tables) = db
        .tx(|sql| {
            let v = sql
                .query_one("SELECT value FROM schema_meta WHERE key = 'version'", &[])?
                .unwrap()
                .text(0);
            let t = sql.query(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('coordinators', 'web_sessions', 'audit_log', 'rollup_days') ORDER BY name",
                &[],
            )?;
            Ok::<_, DbError>((v, t.iter().map(|r| r.text(0)).collect::<Vec<_>>()))
        })
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION.to_string());
    assert_eq!(
        tables,
        ["audit_log", "coordinators", "rollup_days", "web_sessions"]
    );
    drop(db);
    // Opening again changes nothing and does not fail on the tables it already has.
    open_database(path.to_str().unwrap()).unwrap();
}

#[test]
fn a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    v1_database(&path);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute(
        "UPDATE schema_meta SET value = '99' WHERE key = 'version'",
        [],
    )
    .unwrap();
    drop(conn);
    common::assert_newer_schema_refused(path.to_str().unwrap());
}
