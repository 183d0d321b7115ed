//! The server's numbered migrations (`src/db/migrations/`), on SQLite and on PostgreSQL: every
//! shipped schema is frozen — its migration files never change (`fixtures/migrations.sha256`) and
//! the catalogue they make is kept per backend (`fixtures/schema_vN.{sqlite,postgres}.txt`) — a
//! fresh database is exactly the newest frozen schema, every earlier one upgrades to exactly that, an upgrade with records in it rebuilds the rollups in the
//! same transaction, a failed upgrade leaves the database as it was, and a newer schema is
//! refused. "Exactly" compares the catalogues: tables, columns with their types, nullability,
//! defaults and keys, indexes with their columns, and the recorded version.
//!
//! PostgreSQL comes from `GOCUA_TEST_PG_URL`, as for the end-to-end tests (tests/e2e/src/lib.rs):
//! `bash scripts/test.sh` starts a throwaway cluster with `scripts/start-postgres.sh` and sets
//! it; each test creates its own database there. Without it the PostgreSQL tests fail, with a
//! message saying how to run them — they are never skipped.

use chrono::{DateTime, TimeZone, Utc};
use gocua_pg_scratch::PgScratch;
use gocua_protocol::*;
use gocua_server::db::{Db, DbError, Sql, MIGRATIONS, SCHEMA_VERSION};
use gocua_server::domain::open::open_database;
use uuid::Uuid;

mod common;

/// Set to write the frozen files of a new migration (never overwrites one that exists).
const FREEZE_VAR: &str = "GOCUA_FREEZE_SCHEMA";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Backend {
    Sqlite,
    Postgres,
}

/// `on_both_backends!(check);` gives the tests `check::sqlite` and `check::postgres`.
macro_rules! on_both_backends {
    ($($check:ident),+ $(,)?) => {
        $(
            mod $check {
                #[test]
                fn sqlite() {
                    super::$check(super::Backend::Sqlite)
                }
                #[test]
                fn postgres() {
                    super::$check(super::Backend::Postgres)
                }
            }
        )+
    };
}

on_both_backends!(
    every_shipped_schema_is_its_frozen_catalogue,
    a_fresh_database_is_the_newest_fixture,
    every_earlier_fixture_upgrades_to_the_fresh_schema,
    upgrading_v1_with_records_rebuilds_the_rollups,
    a_failed_upgrade_leaves_the_database_as_it_was,
    a_newer_schema_is_refused,
);

/// An empty database for one test: a SQLite file in a temporary directory, or a new PostgreSQL
/// database (dropped at the end unless the test failed, so it can be inspected).
struct Scratch {
    backend: Backend,
    target: String,
    _dir: tempfile::TempDir,
    _pg: Option<PgScratch>,
}

impl Scratch {
    fn new(backend: Backend) -> Scratch {
        let dir = tempfile::tempdir().unwrap();
        match backend {
            Backend::Sqlite => Scratch {
                backend,
                target: dir.path().join("server.db").to_string_lossy().into_owned(),
                _dir: dir,
                _pg: None,
            },
            Backend::Postgres => {
                let pg = PgScratch::on_test_cluster("gocua_mig");
                Scratch {
                    backend,
                    target: pg.url.clone(),
                    _dir: dir,
                    _pg: Some(pg),
                }
            }
        }
    }

    /// A scratch database of a shipped `version`, as gocua of that version wrote it: its
    /// migrations and its version row, run past today's gocua.
    fn at_version(backend: Backend, version: i64) -> Scratch {
        let scratch = Scratch::new(backend);
        scratch.batch(&schema_sql(version));
        scratch
    }

    fn open(&self) -> Db {
        open_database(&self.target).unwrap_or_else(|e| panic!("cannot open {}: {e}", self.target))
    }

    /// Runs statements on a connection of its own, past gocua's migrations.
    fn batch(&self, sql: &str) {
        match self.backend {
            Backend::Sqlite => rusqlite::Connection::open(&self.target)
                .unwrap()
                .execute_batch(sql)
                .unwrap(),
            Backend::Postgres => postgres::Client::connect(&self.target, postgres::NoTls)
                .unwrap()
                .batch_execute(sql)
                .unwrap(),
        }
    }

    /// A query's rows as text, on a connection of its own (PostgreSQL columns must be text).
    fn rows(&self, sql: &str) -> Vec<Vec<String>> {
        match self.backend {
            Backend::Sqlite => {
                let conn = rusqlite::Connection::open(&self.target).unwrap();
                let mut stmt = conn.prepare(sql).unwrap();
                let columns = stmt.column_count();
                stmt.query_map([], |r| {
                    (0..columns)
                        .map(|i| {
                            Ok(match r.get_ref(i)? {
                                rusqlite::types::ValueRef::Null => "NULL".to_owned(),
                                rusqlite::types::ValueRef::Integer(v) => v.to_string(),
                                rusqlite::types::ValueRef::Real(v) => v.to_string(),
                                rusqlite::types::ValueRef::Text(t)
                                | rusqlite::types::ValueRef::Blob(t) => {
                                    String::from_utf8_lossy(t).into_owned()
                                }
                            })
                        })
                        .collect()
                })
                .unwrap()
                .map(Result::unwrap)
                .collect()
            }
            Backend::Postgres => postgres::Client::connect(&self.target, postgres::NoTls)
                .unwrap()
                .query(sql, &[])
                .unwrap()
                .iter()
                .map(|r| {
                    (0..r.len())
                        .map(|i| {
                            r.get::<_, Option<String>>(i)
                                .unwrap_or_else(|| "NULL".into())
                        })
                        .collect()
                })
                .collect(),
        }
    }

    /// The catalogue, one line per table, column and index column, and the version; sorted.
    fn catalogue(&self) -> Vec<String> {
        let queries: &[&str] = match self.backend {
            Backend::Sqlite => &[
                "SELECT 'table', name FROM sqlite_master
                 WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
                "SELECT 'column', m.name, c.cid, c.name, c.type, c.\"notnull\",
                        coalesce(c.dflt_value, 'NULL'), c.pk
                 FROM sqlite_master m JOIN pragma_table_info(m.name) c
                 WHERE m.type = 'table'",
                "SELECT 'index', m.name, l.name, l.\"unique\", l.origin, l.partial, i.seqno, i.name
                 FROM sqlite_master m JOIN pragma_index_list(m.name) l
                      JOIN pragma_index_info(l.name) i
                 WHERE m.type = 'table'",
                "SELECT 'version', value FROM schema_meta WHERE key = 'version'",
            ],
            Backend::Postgres => &[
                "SELECT 'table', table_name::text FROM information_schema.tables
                 WHERE table_schema = current_schema()",
                "SELECT 'column', table_name::text, ordinal_position::text, column_name::text,
                        data_type::text, is_nullable::text, coalesce(column_default::text, 'NULL')
                 FROM information_schema.columns WHERE table_schema = current_schema()",
                "SELECT 'index', tablename::text, indexname::text, indexdef::text
                 FROM pg_indexes WHERE schemaname = current_schema()",
                "SELECT 'version', value FROM schema_meta WHERE key = 'version'",
            ],
        };
        let mut lines: Vec<String> = queries
            .iter()
            .flat_map(|q| self.rows(q))
            .map(|r| r.join(" "))
            .collect();
        lines.sort();
        lines
    }
}

/// What a database of `version` holds: the migrations up to it and its version row.
fn schema_sql(version: i64) -> String {
    let mut sql: String = MIGRATIONS
        .iter()
        .filter(|m| m.version <= version)
        .map(|m| format!("{};\n", m.sql))
        .collect();
    sql.push_str(&format!(
        "INSERT INTO schema_meta(key, value) VALUES ('version', '{version}');"
    ));
    sql
}

fn fixtures_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The frozen catalogue of `version` on `backend`. A missing one is written from `made` when
/// `GOCUA_FREEZE_SCHEMA` is set (for a new migration), and fails the test otherwise.
fn frozen(backend: Backend, version: i64, made: &[String]) -> Vec<String> {
    let name = match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    let path = fixtures_dir().join(format!("schema_v{version}.{name}.txt"));
    match std::fs::read_to_string(&path) {
        Ok(text) => text.lines().map(str::to_owned).collect(),
        Err(_) if std::env::var_os(FREEZE_VAR).is_some() => {
            std::fs::write(&path, made.join("\n") + "\n").unwrap();
            made.to_vec()
        }
        Err(e) => panic!(
            "{}: {e}. A new migration needs its frozen catalogue: run the server's tests once \
             with {FREEZE_VAR}=1 (PostgreSQL too) and commit the files it writes.",
            path.display()
        ),
    }
}

/// The SHA-256 of each shipped migration file, as `NNN_name.sql <hex>` lines.
fn migration_hashes() -> Vec<String> {
    MIGRATIONS
        .iter()
        .map(|m| {
            format!(
                "{:03}_{}.sql {}",
                m.version,
                m.name,
                gocua_server::domain::auth::sha256_hex(m.sql.as_bytes())
            )
        })
        .collect()
}

/// A shipped migration is never edited (a database made by it would differ from one made by
/// the edited file); a new one is added to the list, once.
#[test]
fn shipped_migrations_are_never_edited() {
    let path = fixtures_dir().join("migrations.sha256");
    let now = migration_hashes();
    let shipped: Vec<String> = match std::fs::read_to_string(&path) {
        Ok(text) => text.lines().map(str::to_owned).collect(),
        Err(e) => panic!("{}: {e}", path.display()),
    };
    for (i, line) in shipped.iter().enumerate() {
        assert_eq!(
            now.get(i),
            Some(line),
            "migration {} was edited or removed after it shipped; add a new migration instead",
            line.split(' ').next().unwrap_or("?")
        );
    }
    if now.len() > shipped.len() {
        assert!(
            std::env::var_os(FREEZE_VAR).is_some(),
            "new migration(s) {:?}: run the server's tests once with {FREEZE_VAR}=1 and commit \
             tests/fixtures/migrations.sha256",
            &now[shipped.len()..]
        );
        std::fs::write(&path, now.join("\n") + "\n").unwrap();
    }
}

/// Fails with the lines that only one side has, rather than two whole catalogues.
#[track_caller]
fn assert_same(found: &[String], expected: &[String], what: &str) {
    let only = |a: &[String], b: &[String]| -> Vec<String> {
        a.iter().filter(|l| !b.contains(l)).cloned().collect()
    };
    assert!(
        found == expected,
        "{what}: catalogues differ\n  only found:    {:?}\n  only expected: {:?}",
        only(found, expected),
        only(expected, found)
    );
}

fn every_shipped_schema_is_its_frozen_catalogue(backend: Backend) {
    for version in 1..=SCHEMA_VERSION {
        let made = Scratch::at_version(backend, version).catalogue();
        assert!(made.contains(&format!("version {version}")));
        assert_same(
            &made,
            &frozen(backend, version, &made),
            &format!("version {version} vs its frozen catalogue"),
        );
    }
}

fn a_fresh_database_is_the_newest_fixture(backend: Backend) {
    let fresh = Scratch::new(backend);
    drop(fresh.open());
    let created = fresh.catalogue();
    assert_same(
        &created,
        &frozen(backend, SCHEMA_VERSION, &created),
        "fresh vs the newest frozen schema",
    );
    assert!(created.contains(&format!("version {SCHEMA_VERSION}")));
    // Opening it again changes nothing.
    drop(fresh.open());
    assert_same(&fresh.catalogue(), &created, "the fresh database reopened");
}

fn every_earlier_fixture_upgrades_to_the_fresh_schema(backend: Backend) {
    let fresh = Scratch::new(backend);
    drop(fresh.open());
    let created = fresh.catalogue();
    for version in 1..SCHEMA_VERSION {
        let old = Scratch::at_version(backend, version);
        assert!(old.catalogue().contains(&format!("version {version}")));
        drop(old.open());
        let what = format!("upgraded from version {version}");
        assert_same(&old.catalogue(), &created, &what);
        // Opening the upgraded database again changes nothing.
        drop(old.open());
        assert_same(&old.catalogue(), &created, &format!("{what}, reopened"));
    }
}

fn a_newer_schema_is_refused(backend: Backend) {
    let db = Scratch::at_version(backend, SCHEMA_VERSION);
    db.batch("UPDATE schema_meta SET value = '99' WHERE key = 'version'");
    common::assert_newer_schema_refused(&db.target);
}

/// The upgrade and the rebuild are one transaction: when the rebuild fails, the database is
/// still the version-1 one it was, and a later open upgrades it.
fn a_failed_upgrade_leaves_the_database_as_it_was(backend: Backend) {
    let old = Scratch::at_version(backend, 1);
    let before = old.catalogue();
    fn failing_rebuild(_: &mut dyn Sql) -> Result<(), DbError> {
        Err(DbError::Corrupt("the rebuild failed".into()))
    }
    match Db::open_with(&old.target, failing_rebuild) {
        Err(DbError::Corrupt(m)) => assert_eq!(m, "the rebuild failed"),
        other => panic!("expected the rebuild's error, got {:?}", other.map(|_| ())),
    }
    assert_same(&old.catalogue(), &before, "after the failed upgrade");
    drop(old.open());
    assert!(old
        .catalogue()
        .contains(&format!("version {SCHEMA_VERSION}")));
}

/// A database with records is taken back to version 1 (what migrations 002 to 005 added is
/// dropped and the version set back: the catalogue is then exactly version 1's), and opening it
/// again rebuilds the rollups to what ingest had kept up to date.
fn upgrading_v1_with_records_rebuilds_the_rollups(backend: Backend) {
    let scratch = Scratch::new(backend);
    let db = scratch.open();
    seed_and_receive(&db);
    drop(db);
    let rollups = |s: &Scratch| {
        let cast = match backend {
            Backend::Sqlite => "",
            Backend::Postgres => "::text",
        };
        let days = s.rows(&format!(
            "SELECT campaign_id, team_id, day, visits{cast}, sessions{cast}, people_reached{cast},
                    households_visited{cast}, services_supported{cast}, services_toan_trinh{cast},
                    services_level4{cast}, guided_only{cast}, vneid_activations{cast},
                    hamlets_covered{cast}
             FROM rollup_days ORDER BY campaign_id, team_id, day"
        ));
        let totals = s.rows(&format!(
            "SELECT campaign_id, team_id, visits{cast}, sessions{cast}, people_reached{cast},
                    households_visited{cast}, services_supported{cast}, services_toan_trinh{cast},
                    services_level4{cast}, guided_only{cast}, vneid_activations{cast},
                    hamlets_covered{cast}
             FROM rollup_totals ORDER BY campaign_id, team_id"
        ));
        (days, totals)
    };
    let kept = rollups(&scratch);
    assert_eq!(kept.0.len(), 2, "two days of visits: {kept:?}");
    assert_eq!(kept.1.len(), 1, "one team in one campaign: {kept:?}");
    assert_eq!(kept.1[0][2], "3", "three visits: {kept:?}");

    scratch.batch(
        "DROP TABLE coordinators; DROP TABLE web_sessions; DROP TABLE audit_log;
         DROP TABLE rollup_days; DROP TABLE rollup_totals;
         DROP TABLE rollup_households; DROP TABLE rollup_hamlets; DROP TABLE rollup_teams;
         DROP INDEX flags_kind; DROP INDEX visits_volunteer_started;
         ALTER TABLE flags DROP COLUMN params;
         DROP TABLE login_name_locks; DROP TABLE export_jobs;
         DROP TABLE setup_links; DROP TABLE staged_uploads;
         ALTER TABLE org_units DROP COLUMN deactivated_at;
         ALTER TABLE teams DROP COLUMN deactivated_at;
         ALTER TABLE members DROP COLUMN deactivated_at;
         DROP TABLE assignments;
         DROP TABLE service_guides;
         DROP INDEX visits_coverage;
         UPDATE schema_meta SET value = '1' WHERE key = 'version';",
    );
    assert_same(
        &scratch.catalogue(),
        &Scratch::at_version(backend, 1).catalogue(),
        "taken back to version 1",
    );

    drop(scratch.open());
    assert!(scratch
        .catalogue()
        .contains(&format!("version {SCHEMA_VERSION}")));
    assert_eq!(rollups(&scratch), kept);
}

fn utc(d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, d, h, 0, 0).unwrap()
}

/// Reference data, then three visits to two households over two days, received and rolled up
/// as a push does.
fn seed_and_receive(db: &Db) {
    let t = common::seed(db, false);
    let a = t.household(utc(10, 2), "Nguyễn Văn An", None);
    let b = t.household(utc(11, 2), "Lê Thị Bình", None);
    let assist = Assist {
        id: Uuid::now_v7(),
        service_key: "birth_registration".into(),
        level_43: Some(Level43::Level4),
        level_42: Some(Level42::ToanTrinh),
        result: AssistResult::CompletedOnline,
        dossier_code: None,
        not_finished_reason: None,
    };
    t.receive(
        db,
        utc(10, 3),
        vec![
            Change::Household(a.clone()),
            Change::Visit(t.visit(&a, utc(10, 2), vec![assist])),
        ],
    );
    t.receive(
        db,
        utc(11, 3),
        vec![
            Change::Household(b.clone()),
            Change::Visit(t.visit(&b, utc(11, 2), Vec::new())),
            Change::Visit(t.visit(&a, utc(11, 2), Vec::new())),
        ],
    );
}
