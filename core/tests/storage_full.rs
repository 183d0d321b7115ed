//! A full phone: the store is capped with `max_page_count`, which makes SQLite fail exactly as it
//! does on a full disk (SQLITE_FULL). The write that does not fit must fail cleanly with
//! `Error::StorageFull`, leave nothing half-written, and everything saved before must stay
//! readable and queued; once there is room again, recording works again.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use gocua_core::protocol::RecordKind;
use gocua_core::*;
use rusqlite::Connection;
use uuid::Uuid;

/// Pages (4 KiB) left free above the enrolled, empty store: a few hundred visits' worth.
const HEADROOM_PAGES: u64 = 120;

/// Fails the test instead of hanging CI if the store deadlocks.
fn watchdog(name: &'static str) -> mpsc::Sender<()> {
    let (tx, rx) = mpsc::channel::<()>();
    std::thread::spawn(move || {
        if let Err(mpsc::RecvTimeoutError::Timeout) = rx.recv_timeout(Duration::from_secs(120)) {
            eprintln!("{name}: no progress in 120 s (deadlock?); aborting");
            std::process::abort();
        }
    });
    tx
}

/// A raw connection to the same file, to look at rows the public API cannot see (orphans).
fn raw(path: &Path, key: &StoreKey) -> Connection {
    gocua_core::open_raw(path, key).unwrap()
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// An enrolled store with reference data, closed; returns (dir, key, clock, pages in use).
fn enrolled_store() -> (
    tempfile::TempDir,
    StoreKey,
    std::sync::Arc<ManualClock>,
    u64,
) {
    let common::Fixture {
        dir,
        key,
        clock,
        store,
    } = common::fixture();
    drop(store);
    let pages = count(
        &raw(&dir.path().join("profile.db"), &key),
        "PRAGMA page_count",
    ) as u64;
    (dir, key, clock, pages)
}

/// Every visit and household as the public API sees them, checked to be whole and queued.
struct Snapshot {
    households: BTreeSet<Uuid>,
    visits: BTreeSet<Uuid>,
    assists: usize,
    pending: u32,
}

fn snapshot(store: &Store) -> Snapshot {
    let mut s = Snapshot {
        households: BTreeSet::new(),
        visits: BTreeSet::new(),
        assists: 0,
        pending: 0,
    };
    for h in store
        .list_households(common::COMMUNE, None, u32::MAX, 0)
        .unwrap()
    {
        s.households.insert(h.id);
        assert!(
            store
                .queue_entry(&RecordKind::Household, h.id)
                .unwrap()
                .is_some(),
            "household {} not queued",
            h.id
        );
        for v in store.household_visits(h.id).unwrap() {
            assert_eq!(v.assists.len(), 2, "visit {} is not whole", v.id);
            s.assists += v.assists.len();
            s.visits.insert(v.id);
        }
    }
    s.pending = store.queue_status().unwrap().pending;
    assert_eq!(
        s.pending as usize,
        s.households.len() + s.visits.len(),
        "records and queue entries differ"
    );
    s
}

fn assert_storage_full(err: &Error) {
    assert!(
        matches!(err, Error::StorageFull),
        "expected StorageFull, got {err:?}"
    );
    assert_eq!(err.code(), "storage_full");
    assert!(
        err.message_vi().contains("đầy"),
        "Vietnamese message: {}",
        err.message_vi()
    );
    assert_eq!(err.to_body().code, "storage_full");
}

#[test]
fn a_visit_that_does_not_fit_fails_cleanly_and_recording_resumes_with_room() {
    let _alive = watchdog("storage_full visits");
    let (dir, key, clock, base_pages) = enrolled_store();
    let path = dir.path().join("profile.db");
    let limited = OpenOptions {
        max_page_count: Some(base_pages + HEADROOM_PAGES),
        ..Default::default()
    };
    let store = Store::open_with(&path, &key, clock.clone(), &limited).unwrap();

    let households: Vec<Uuid> = (0..20)
        .map(|i| {
            store
                .create_household(&common::household_draft(&format!("Trần Thị Bé {i}")))
                .unwrap()
                .id
        })
        .collect();
    let mut saved = Vec::new();
    let err = loop {
        let h = households[saved.len() % households.len()];
        match store.record_visit(&common::visit_draft(h)) {
            Ok(v) => saved.push(v.id),
            Err(e) => break e,
        }
        clock.advance(chrono::Duration::seconds(30));
        assert!(saved.len() < 10_000, "the page limit never hit");
    };
    assert_storage_full(&err);
    assert!(
        saved.len() >= 200,
        "the store filled after only {} visits",
        saved.len()
    );

    // Everything saved before is there, whole, queued; the failed visit left nothing.
    let before = snapshot(&store);
    assert_eq!(
        before.visits,
        saved.iter().copied().collect::<BTreeSet<_>>()
    );
    assert_eq!(before.assists, 2 * saved.len());
    assert_eq!(before.pending as usize, households.len() + saved.len());
    for &id in &saved {
        assert_eq!(store.visit(id).unwrap().assists.len(), 2);
        let entry = store
            .queue_entry(&RecordKind::Visit, id)
            .unwrap()
            .expect("queued");
        assert_eq!(entry.state, EntryState::Pending);
    }
    {
        let conn = raw(&path, &key);
        assert_eq!(
            count(&conn, "SELECT count(*) FROM visits") as usize,
            saved.len()
        );
        assert_eq!(
            count(&conn, "SELECT count(*) FROM assists") as usize,
            2 * saved.len()
        );
        assert_eq!(
            count(
                &conn,
                "SELECT count(*) FROM assists WHERE visit_id NOT IN (SELECT id FROM visits)"
            ),
            0
        );
        assert_eq!(
            count(&conn, "SELECT count(*) FROM outbox") as usize,
            households.len() + saved.len()
        );
    }
    assert_eq!(store.integrity_check().unwrap(), "ok");

    // Still full: trying again fails the same way and still leaves nothing.
    let again = store
        .record_visit(&common::visit_draft(households[0]))
        .unwrap_err();
    assert_storage_full(&again);
    let after = snapshot(&store);
    assert_eq!(
        (after.visits.len(), after.assists, after.pending),
        (before.visits.len(), before.assists, before.pending)
    );
    // Reads keep working on a full store.
    assert_eq!(
        store
            .search_households("tran thi be", None, None, 50)
            .unwrap()
            .len(),
        households.len()
    );
    drop(store);

    // Room again (the volunteer freed space): reopen with a bigger cap and carry on.
    let roomy = OpenOptions {
        max_page_count: Some(base_pages + 4 * HEADROOM_PAGES),
        ..Default::default()
    };
    let store = Store::open_with(&path, &key, clock.clone(), &roomy).unwrap();
    let reopened = snapshot(&store);
    assert_eq!(reopened.visits, before.visits);
    assert_eq!(reopened.households, before.households);
    for _ in 0..20 {
        let v = store
            .record_visit(&common::visit_draft(households[1]))
            .unwrap();
        assert_eq!(store.visit(v.id).unwrap().assists.len(), 2);
        assert!(store
            .queue_entry(&RecordKind::Visit, v.id)
            .unwrap()
            .is_some());
    }
    let grown = snapshot(&store);
    assert_eq!(grown.visits.len(), saved.len() + 20);
    assert!(grown.visits.is_superset(&before.visits));
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

#[test]
fn a_household_that_does_not_fit_leaves_no_row_no_search_entry_and_no_queue_entry() {
    let _alive = watchdog("storage_full households");
    let (dir, key, clock, base_pages) = enrolled_store();
    let path = dir.path().join("profile.db");
    let limited = OpenOptions {
        max_page_count: Some(base_pages + 40),
        ..Default::default()
    };
    let store = Store::open_with(&path, &key, clock.clone(), &limited).unwrap();

    let mut saved = Vec::new();
    let err = loop {
        let mut draft = common::household_draft(&format!("Phạm Minh Khang {}", saved.len()));
        draft.phone = Some(format!("0912 {:06}", saved.len()));
        draft.consent = Some(ConsentDraft {
            given: true,
            method: gocua_core::protocol::ConsentMethod::Verbal,
        });
        match store.create_household(&draft) {
            Ok(h) => saved.push(h.id),
            Err(e) => break e,
        }
        assert!(saved.len() < 10_000, "the page limit never hit");
    };
    assert_storage_full(&err);
    assert!(
        saved.len() >= 20,
        "the store filled after only {} households",
        saved.len()
    );

    let before = snapshot(&store);
    assert_eq!(
        before.households,
        saved.iter().copied().collect::<BTreeSet<_>>()
    );
    assert_eq!(before.pending as usize, saved.len());
    // The search index holds exactly the saved households: the failed insert's trigger row
    // went with it.
    assert_eq!(
        store
            .search_households("pham minh khang", None, None, u32::MAX)
            .unwrap()
            .len(),
        saved.len()
    );
    {
        let conn = raw(&path, &key);
        assert_eq!(
            count(&conn, "SELECT count(*) FROM households") as usize,
            saved.len()
        );
        assert_eq!(
            count(&conn, "SELECT count(*) FROM household_fts") as usize,
            saved.len()
        );
        assert_eq!(
            count(&conn, "SELECT count(*) FROM outbox") as usize,
            saved.len()
        );
    }
    assert_eq!(store.integrity_check().unwrap(), "ok");
    drop(store);

    let roomy = OpenOptions {
        max_page_count: Some(base_pages + 400),
        ..Default::default()
    };
    let store = Store::open_with(&path, &key, clock, &roomy).unwrap();
    let h = store
        .create_household(&common::household_draft("Phạm Minh Khang mới"))
        .unwrap();
    assert!(store
        .queue_entry(&RecordKind::Household, h.id)
        .unwrap()
        .is_some());
    assert_eq!(
        store
            .search_households("pham minh khang", None, None, u32::MAX)
            .unwrap()
            .len(),
        saved.len() + 1
    );
    assert_eq!(store.integrity_check().unwrap(), "ok");
}
