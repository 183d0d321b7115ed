//! A server restored from a backup: its answers carry a new generation, and the phone sends again
//! every record it had acknowledged under the old one. Against a transport that keeps records
//! by id (as the server does), so what the backup had comes back `duplicate` and nothing is
//! stored twice.

mod common;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;

use common::*;
use gocua_core::protocol::*;
use gocua_core::*;
use uuid::Uuid;

#[derive(Default)]
struct FakeServer {
    records: Mutex<HashMap<Uuid, Change>>,
    generation: Mutex<Option<String>>,
    pushed: AtomicUsize,
    cursors: Mutex<Vec<Option<String>>>,
}

impl FakeServer {
    fn with_generation(generation: Option<&str>) -> FakeServer {
        let s = FakeServer::default();
        *s.generation.lock().unwrap() = generation.map(str::to_owned);
        s
    }

    /// Replaces the records with `backup` and, like `gocua admin restore`, writes a new
    /// generation.
    fn restore(&self, backup: HashMap<Uuid, Change>, generation: &str) {
        *self.records.lock().unwrap() = backup;
        *self.generation.lock().unwrap() = Some(generation.to_owned());
    }
}

impl Transport for FakeServer {
    fn push(&self, request: &PushRequest) -> Result<PushResponse, TransportError> {
        let mut records = self.records.lock().unwrap();
        self.pushed
            .fetch_add(request.changes.len(), Ordering::SeqCst);
        let results = request
            .changes
            .iter()
            .map(|c| {
                let status = match records.get(&c.id()) {
                    Some(old) if old == c => RecordStatus::Duplicate,
                    _ => {
                        records.insert(c.id(), c.clone());
                        RecordStatus::Accepted
                    }
                };
                RecordResult::plain(c.id(), c.kind(), status)
            })
            .collect();
        Ok(PushResponse {
            generation: self.generation.lock().unwrap().clone(),
            ..push_answer(results, start_time())
        })
    }

    fn pull(&self, request: &PullRequest) -> Result<PullResponse, TransportError> {
        self.cursors.lock().unwrap().push(request.cursor.clone());
        Ok(PullResponse {
            cursor: "r7".into(),
            generation: self.generation.lock().unwrap().clone(),
            ..pull_answer(reference_data(), start_time())
        })
    }
}

fn record(store: &Store, n: usize, from: usize) {
    for i in from..from + n {
        let h = store
            .create_household(&household_draft(&format!("Trần Thị Số {i}")))
            .unwrap();
        store.record_visit(&visit_draft(h.id)).unwrap();
    }
}

fn sync(store: &Store, server: &FakeServer) -> SyncReport {
    store
        .sync_once(server, 3, &|_| {}, &AtomicBool::new(false))
        .unwrap()
}

fn queue(store: &Store) -> (u32, u32) {
    let q = store.queue_status().unwrap();
    (q.pending + q.in_flight, q.accepted)
}

/// Backup after 3 households with their visits; 2 more acknowledged after it; restore. The
/// phone has nothing pending, so only the pull sees the new generation: the same pass sends all
/// 10 records again, 6 come back duplicate, and the server ends with each of the 10 once.
#[test]
fn records_acknowledged_after_the_backup_are_sent_again() {
    let f = fixture();
    let server = FakeServer::with_generation(Some("g-1"));
    record(&f.store, 3, 0);
    sync(&f.store, &server);
    let backup = server.records.lock().unwrap().clone();
    assert_eq!(backup.len(), 6);
    record(&f.store, 2, 3);
    sync(&f.store, &server);
    assert_eq!(server.records.lock().unwrap().len(), 10);
    assert_eq!(queue(&f.store), (0, 10));

    server.restore(backup, "g-2");
    assert_eq!(
        server.records.lock().unwrap().len(),
        6,
        "the backup lacks 4"
    );
    let before = server.pushed.load(Ordering::SeqCst);
    let pulls_before = server.cursors.lock().unwrap().len();
    let report = sync(&f.store, &server);
    assert_eq!(server.pushed.load(Ordering::SeqCst) - before, 10);
    assert_eq!(report.sent, 10);
    assert_eq!(report.accepted, 10, "accepted or duplicate: {report:?}");
    assert_eq!(server.records.lock().unwrap().len(), 10);
    assert_eq!(queue(&f.store), (0, 10));
    // The pull with the old database's cursor saw the new generation; the cursor was dropped
    // and the pass pulled everything, then pushed again and pulled with the new cursor.
    let cursors = server.cursors.lock().unwrap()[pulls_before..].to_vec();
    assert_eq!(
        cursors,
        vec![Some("r7".to_owned()), None, Some("r7".to_owned())]
    );

    // The next pass sends nothing: the entries are settled under the new generation.
    let before = server.pushed.load(Ordering::SeqCst);
    assert_eq!(sync(&f.store, &server).sent, 0);
    assert_eq!(server.pushed.load(Ordering::SeqCst), before);
}

/// The new generation arrives with a push answer (a record was waiting): the entries
/// acknowledged before go back to pending before that answer settles its own, and the same pass
/// sends them.
#[test]
fn a_push_answer_with_a_new_generation_requeues_the_older_acknowledgements() {
    let f = fixture();
    let server = FakeServer::with_generation(Some("g-1"));
    record(&f.store, 2, 0);
    sync(&f.store, &server);
    let backup = HashMap::new();
    server.restore(backup, "g-2");
    record(&f.store, 1, 2);
    let report = sync(&f.store, &server);
    assert_eq!(report.sent, 6, "2 new, then the 4 older again: {report:?}");
    assert_eq!(server.records.lock().unwrap().len(), 6);
    assert_eq!(queue(&f.store), (0, 6));
}

/// A server without generations (older than them), and the first generation a phone sees, send
/// nothing again.
#[test]
fn no_generation_or_a_first_one_changes_nothing() {
    let f = fixture();
    let old = FakeServer::with_generation(None);
    record(&f.store, 2, 0);
    assert_eq!(sync(&f.store, &old).sent, 4);
    assert_eq!(sync(&f.store, &old).sent, 0);
    let upgraded = FakeServer::with_generation(Some("g-1"));
    *upgraded.records.lock().unwrap() = old.records.lock().unwrap().clone();
    assert_eq!(sync(&f.store, &upgraded).sent, 0, "first generation seen");
    assert_eq!(queue(&f.store), (0, 4));
    // The generation is kept across a reopen of the store.
    let reopened = f.reopen();
    let report = reopened
        .sync_once(&upgraded, 3, &|_| {}, &AtomicBool::new(false))
        .unwrap();
    assert_eq!(report.sent, 0);
}
