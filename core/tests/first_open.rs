//! The first stores a process opens, opened at the same moment from several threads, all open.
//!
//! SQLite marks itself initialised before SQLCipher's own start-up has run, so a thread keying a
//! database in that gap got "An error occurred with PRAGMA key" (seen in CI about once in 300
//! test processes). A phone meets this when the app and a background sync open the store together
//! right after launch. `db::finish_sqlcipher_start_up` closes the gap by construction; this test
//! replays the situation in fresh child processes, since the race can only happen once per
//! process. Scheduling decides whether a round hits the gap, so it catches a regression only
//! sometimes, never by mistake.

use std::process::Command;
use std::sync::Arc;

use gocua_core::*;

/// Set in the child processes, which do the concurrent first opens and report through their exit
/// status.
const CHILD_ENV: &str = "GOCUA_FIRST_OPEN_CHILD";
const ROUNDS: usize = 100;
const THREADS: usize = 8;

#[test]
fn stores_opened_together_first_thing_in_a_process_all_open() {
    if std::env::var_os(CHILD_ENV).is_some() {
        open_together();
        return;
    }
    let exe = std::env::current_exe().unwrap();
    for round in 0..ROUNDS {
        let out = Command::new(&exe)
            .args([
                "--exact",
                "stores_opened_together_first_thing_in_a_process_all_open",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, "1")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "round {round}: a first open failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// Several threads, started one after another as a test harness or an app would, each open a
/// new store; every open must succeed.
fn open_together() {
    let dir = tempfile::tempdir().unwrap();
    let threads: Vec<_> = (0..THREADS)
        .map(|i| {
            let path = dir.path().join(format!("profile-{i}.db"));
            std::thread::spawn(move || {
                let key = StoreKey::generate();
                Store::open(&path, &key, Arc::new(SystemClock)).map(|_| ())
            })
        })
        .collect();
    for (i, t) in threads.into_iter().enumerate() {
        if let Err(e) = t.join().unwrap() {
            panic!("thread {i}: {e} ({})", e.code());
        }
    }
}
