//! Every earlier schema, with data in it, upgrades inside `open` to exactly the fresh schema; a
//! database from a newer version is refused clearly.

mod common;

use std::sync::Arc;

use common::*;
use gocua_core::protocol::RecordKind;
use gocua_core::*;
use rusqlite::Connection;

/// The shipped steps, as the store runs them (db.rs).
const CREATE_V1: &str = include_str!("../src/sql/create_v1.sql");
const UPGRADE_V1_TO_V2: &str = include_str!("../src/sql/upgrade_v1_to_v2.sql");
const UPGRADE_V2_TO_V3: &str = include_str!("../src/sql/upgrade_v2_to_v3.sql");

/// The SQL that made a store of `version` (1 to 3) when that version was the newest.
fn schema_sql(version: i64) -> String {
    [CREATE_V1, UPGRADE_V1_TO_V2, UPGRADE_V2_TO_V3][..version as usize].join("\n")
}

fn raw(path: &std::path::Path, key: &StoreKey) -> Connection {
    gocua_core::open_raw(path, key).unwrap()
}

/// A normalised description of a schema: every table's columns and every index, trigger and
/// virtual table's SQL, sorted.
fn describe(conn: &Connection) -> Vec<String> {
    let mut out = Vec::new();
    let mut stmt = conn
        .prepare(
            "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master ORDER BY type, name",
        )
        .unwrap();
    let objects: Vec<(String, String, String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for (kind, name, table, sql) in objects {
        if kind == "table" && !sql.starts_with("CREATE VIRTUAL") {
            let mut cols = conn
                .prepare(&format!("PRAGMA table_xinfo(\"{name}\")"))
                .unwrap();
            let cols: Vec<String> = cols
                .query_map([], |r| {
                    Ok(format!(
                        "{}:{}:{}:{:?}:{}",
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, i64>(3)?,
                        r.get::<_, Option<String>>(4)?,
                        r.get::<_, i64>(5)?
                    ))
                })
                .unwrap()
                .map(Result::unwrap)
                .collect();
            let without_rowid = sql.contains("WITHOUT ROWID");
            out.push(format!(
                "table {name} without_rowid={without_rowid} [{}]",
                cols.join(", ")
            ));
            let mut fks = conn
                .prepare(&format!("PRAGMA foreign_key_list(\"{name}\")"))
                .unwrap();
            let fks: Vec<String> = fks
                .query_map([], |r| {
                    Ok(format!(
                        "{}->{}.{}",
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, Option<String>>(4)?.unwrap_or_default()
                    ))
                })
                .unwrap()
                .map(Result::unwrap)
                .collect();
            if !fks.is_empty() {
                out.push(format!("fk {name} {}", fks.join(", ")));
            }
        } else {
            let sql = sql.split_whitespace().collect::<Vec<_>>().join(" ");
            out.push(format!("{kind} {name} on {table}: {sql}"));
        }
    }
    out.push(format!(
        "user_version {}",
        conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))
            .unwrap()
    ));
    out
}

/// Writes a v1 database with a household, a visit with assists and queue entries, as v1 did.
fn make_v1(path: &std::path::Path, key: &StoreKey) {
    let conn = raw(path, key);
    conn.execute_batch(&schema_sql(1)).unwrap();
    conn.execute_batch(&format!(
        "PRAGMA user_version = 1;
         INSERT INTO meta VALUES ('device_id', '0190f000-0000-7000-8000-00000000d001');
         INSERT INTO meta VALUES ('profile', '{{\"volunteer_id\":\"{vol}\",\"volunteer_name\":\"Lê Thị Hoa\",\"team_id\":\"{team}\"}}');
         INSERT INTO meta VALUES ('hlc', '1773108000000-0-d001');
         INSERT INTO households VALUES ('0190f000-0000-7000-8000-0000000000b1', '{commune}', '{hamlet}', 'Số 3 Hùng Vương',
           'Nguyễn Văn Ả', NULL, 3, NULL, 0, '{vol}', '{team}', 1773108000000, 420,
           '{{\"location\":\"1773108000000-0-d001\",\"address_line\":\"1773108000000-0-d001\",\"head_name\":\"1773108000000-0-d001\",\"phone\":\"1773108000000-0-d001\",\"members\":\"1773108000000-0-d001\",\"consent\":\"1773108000000-0-d001\",\"erased\":\"1773108000000-0-d001\"}}',
           'nguyen van a so 3 hung vuong', 1773108000000);
         INSERT INTO visits VALUES ('0190f000-0000-7000-8000-0000000000e1', '0190f000-0000-7000-8000-0000000000b1', '{vol}', '{team}',
           NULL, 1, NULL, NULL, 1773108000000, NULL, 'met', 2, NULL, NULL, NULL, 'Đã hướng dẫn', '2026-03-12', 1773108000000, 420, '1773108000001-0-d001');
         INSERT INTO assists VALUES ('0190f000-0000-7000-8000-0000000000f1', '0190f000-0000-7000-8000-0000000000e1', 0,
           'birth_registration', '4', 'toan_trinh', 'completed_online', NULL, NULL);
         INSERT INTO outbox(kind, record_id, state, change_counter, attempts, queued_at) VALUES
           ('household', '0190f000-0000-7000-8000-0000000000b1', 'accepted', 1, 1, 1773108000000),
           ('visit', '0190f000-0000-7000-8000-0000000000e1', 'in_flight', 1, 1, 1773108000000);",
        vol = volunteer_id(),
        team = team_id(),
        commune = COMMUNE,
        hamlet = HAMLET_A,
    ))
    .unwrap();
}

#[test]
fn v1_database_with_data_upgrades_to_exactly_the_fresh_schema() {
    let dir = tempfile::tempdir().unwrap();
    let key = StoreKey::generate();
    let old = dir.path().join("v1.db");
    make_v1(&old, &key);

    let clock = Arc::new(ManualClock::new(start_time(), 420));
    let store = Store::open(&old, &key, clock.clone()).unwrap();
    store.apply_reference_data(&reference_data(), true).unwrap();

    // Data survived, and the new search index covers old rows.
    let hid = uuid::Uuid::parse_str("0190f000-0000-7000-8000-0000000000b1").unwrap();
    let vid = uuid::Uuid::parse_str("0190f000-0000-7000-8000-0000000000e1").unwrap();
    assert_eq!(store.household(hid).unwrap().head_name, "Nguyễn Văn Ả");
    let v = store.visit(vid).unwrap();
    assert_eq!(v.assists.len(), 1);
    assert_eq!(v.follow_up_on.unwrap().to_string(), "2026-03-12");
    assert_eq!(
        store
            .search_households("nguyen van a", None, None, 10)
            .unwrap()
            .len(),
        1
    );
    // The visit that was in flight when the old version stopped is pending again.
    assert_eq!(
        store
            .queue_entry(&RecordKind::Visit, vid)
            .unwrap()
            .unwrap()
            .state,
        EntryState::Pending
    );
    // And the device still works: record something new through the upgraded schema.
    let h2 = store
        .create_household(&household_draft("Trần Thị Bé"))
        .unwrap();
    store.record_visit(&visit_draft(h2.id)).unwrap();
    assert_eq!(store.integrity_check().unwrap(), "ok");
    drop(store);

    let fresh = dir.path().join("fresh.db");
    drop(Store::open(&fresh, &key, clock).unwrap());

    let upgraded = describe(&raw(&old, &key));
    let created = describe(&raw(&fresh, &key));
    assert_eq!(upgraded, created);
    assert!(created
        .iter()
        .any(|l| l == &format!("user_version {SCHEMA_VERSION}")));
}

#[test]
fn v2_database_with_data_upgrades_to_exactly_the_fresh_schema() {
    let dir = tempfile::tempdir().unwrap();
    let key = StoreKey::generate();
    let old = dir.path().join("v2.db");
    let clock = Arc::new(ManualClock::new(start_time(), 420));
    // A v2 database as v2 made it, with a household recorded through it.
    {
        let conn = raw(&old, &key);
        conn.execute_batch(&schema_sql(2)).unwrap();
        conn.execute_batch("PRAGMA user_version = 2;").unwrap();
    }
    let hid = uuid::Uuid::parse_str("0190f000-0000-7000-8000-0000000000b2").unwrap();
    raw(&old, &key)
        .execute_batch(&format!(
            "INSERT INTO meta VALUES ('profile', '{{\"volunteer_id\":\"{vol}\",\"volunteer_name\":\"Lê Thị Hoa\",\"team_id\":\"{team}\"}}');
             INSERT INTO households(id, commune_code, hamlet_code, address_line, head_name, phone, members, consent,
               erased, created_by, team_id, created_utc, created_offset, clocks, search_text, updated_utc, time_flag)
             VALUES ('{hid}', '{COMMUNE}', '{HAMLET_A}', 'Số 3 Hùng Vương', 'Nguyễn Văn Ả', NULL, 3, NULL, 0, '{vol}', '{team}',
               1773108000000, 420,
               '{{\"location\":\"1773108000000-0-d001\",\"address_line\":\"1773108000000-0-d001\",\"head_name\":\"1773108000000-0-d001\",\"phone\":\"1773108000000-0-d001\",\"members\":\"1773108000000-0-d001\",\"consent\":\"1773108000000-0-d001\",\"erased\":\"1773108000000-0-d001\"}}',
               'nguyen van a so 3 hung vuong', 1773108000000, NULL);",
            vol = volunteer_id(),
            team = team_id(),
        ))
        .unwrap();

    let store = Store::open(&old, &key, clock.clone()).unwrap();
    store.apply_reference_data(&reference_data(), true).unwrap();
    assert_eq!(store.household(hid).unwrap().head_name, "Nguyễn Văn Ả");
    // The new drafts table works, and a record clears its draft.
    store
        .save_draft(DraftForm::Visit, &hid.to_string(), "{}")
        .unwrap();
    let mut visit = visit_draft(hid);
    visit.draft_key = Some(hid.to_string());
    store.record_visit(&visit).unwrap();
    assert_eq!(
        store.draft(DraftForm::Visit, &hid.to_string()).unwrap(),
        None
    );
    assert_eq!(store.integrity_check().unwrap(), "ok");
    drop(store);

    let fresh = dir.path().join("fresh.db");
    drop(Store::open(&fresh, &key, clock).unwrap());
    assert_eq!(describe(&raw(&old, &key)), describe(&raw(&fresh, &key)));
}

#[test]
fn v3_database_with_data_upgrades_to_exactly_the_fresh_schema() {
    let dir = tempfile::tempdir().unwrap();
    let key = StoreKey::generate();
    let old = dir.path().join("v3.db");
    let clock = Arc::new(ManualClock::new(start_time(), 420));
    // A v3 database as v3 made it: the address one sorts first by name.
    let address_id = "0190f000-0000-7000-8000-0000000000b3";
    let prefix_id = "0190f000-0000-7000-8000-0000000000b4";
    let whole_id = "0190f000-0000-7000-8000-0000000000b5";
    {
        let conn = raw(&old, &key);
        conn.execute_batch(&schema_sql(3)).unwrap();
        conn.execute_batch("PRAGMA user_version = 3;").unwrap();
        conn.execute_batch(&format!(
            "INSERT INTO meta VALUES ('profile', '{{\"volunteer_id\":\"{vol}\",\"volunteer_name\":\"Lê Thị Hoa\",\"team_id\":\"{team}\"}}');",
            vol = volunteer_id(),
            team = team_id(),
        ))
        .unwrap();
        for (id, name, address, search_text) in [
            (
                address_id,
                "An Văn Tư",
                "Ấp Phú Hòa",
                "an van tu ap phu hoa",
            ),
            (
                prefix_id,
                "Lê Hoàng Nam",
                "Số 4 Lê Lợi",
                "le hoang nam so 4 le loi",
            ),
            (
                whole_id,
                "Nguyễn Thị Hòa",
                "Số 9 Hùng Vương",
                "nguyen thi hoa so 9 hung vuong",
            ),
        ] {
            conn.execute(
                &format!(
                    "INSERT INTO households(id, commune_code, hamlet_code, address_line, head_name, phone, members, consent,
                       erased, created_by, team_id, created_utc, created_offset, clocks, search_text, updated_utc, time_flag)
                     VALUES (?1, '{COMMUNE}', '{HAMLET_A}', ?2, ?3, NULL, 3, NULL, 0, '{vol}', '{team}', 1773108000000, 420,
                       '{{\"location\":\"1773108000000-0-d001\",\"address_line\":\"1773108000000-0-d001\",\"head_name\":\"1773108000000-0-d001\",\"phone\":\"1773108000000-0-d001\",\"members\":\"1773108000000-0-d001\",\"consent\":\"1773108000000-0-d001\",\"erased\":\"1773108000000-0-d001\"}}',
                       ?4, 1773108000000, NULL)",
                    vol = volunteer_id(),
                    team = team_id(),
                ),
                [id, address, name, search_text],
            )
            .unwrap();
        }
    }

    let store = Store::open(&old, &key, clock.clone()).unwrap();
    store.apply_reference_data(&reference_data(), true).unwrap();
    // Old rows are ranked like new ones: the folded names were filled in by the upgrade.
    let ids: Vec<String> = store
        .search_households("hoa", None, None, 10)
        .unwrap()
        .into_iter()
        .map(|h| h.id.to_string())
        .collect();
    assert_eq!(ids, vec![whole_id, prefix_id, address_id]);
    // And edits and new households keep the index in step.
    let h = store
        .create_household(&household_draft("Trần Văn Hoa"))
        .unwrap();
    assert_eq!(
        store.search_households("hoa", None, None, 10).unwrap()[1].id,
        h.id
    );
    assert_eq!(store.integrity_check().unwrap(), "ok");
    drop(store);

    let fresh = dir.path().join("fresh.db");
    drop(Store::open(&fresh, &key, clock).unwrap());
    assert_eq!(describe(&raw(&old, &key)), describe(&raw(&fresh, &key)));
}

#[test]
fn database_from_a_newer_version_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let key = StoreKey::generate();
    let path = dir.path().join("future.db");
    drop(Store::open(&path, &key, Arc::new(SystemClock)).unwrap());
    raw(&path, &key)
        .execute_batch("PRAGMA user_version = 99")
        .unwrap();
    let err = Store::open(&path, &key, Arc::new(SystemClock)).unwrap_err();
    match &err {
        Error::NewerSchema { found, supported } => {
            assert_eq!((*found, *supported), (99, SCHEMA_VERSION))
        }
        other => panic!("expected NewerSchema, got {other:?}"),
    }
    assert!(err.message_vi().contains("phiên bản Gõ Cửa mới hơn"));
    // Nothing was changed by the refusal.
    assert_eq!(
        raw(&path, &key)
            .query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))
            .unwrap(),
        99
    );
}

/// The schema of each shipped version, as `describe` reads it, kept in
/// `fixtures/schema_vN.txt`: a shipped migration file that changed would change them.
/// `GOCUA_FREEZE_SCHEMA=1` writes them (only when a new version is added).
#[test]
fn every_shipped_schema_is_kept_as_it_shipped() {
    let dir = tempfile::tempdir().unwrap();
    let key = StoreKey::generate();
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for version in 1..=SCHEMA_VERSION {
        let path = dir.path().join(format!("v{version}.db"));
        if version == SCHEMA_VERSION {
            drop(Store::open(&path, &key, Arc::new(SystemClock)).unwrap());
        } else {
            let conn = raw(&path, &key);
            conn.execute_batch(&schema_sql(version)).unwrap();
            conn.execute_batch(&format!("PRAGMA user_version = {version};"))
                .unwrap();
        }
        let found = describe(&raw(&path, &key)).join("\n") + "\n";
        let file = fixtures.join(format!("schema_v{version}.txt"));
        if std::env::var_os("GOCUA_FREEZE_SCHEMA").is_some() {
            std::fs::write(&file, &found).unwrap();
        }
        let kept = std::fs::read_to_string(&file).unwrap();
        assert_eq!(
            found,
            kept,
            "schema v{version} differs from {}",
            file.display()
        );
    }
}
