//! Crash test: a child process writes households and visits as fast as it can and is killed with
//! SIGKILL at a random moment; the parent reopens the store and checks that everything the child
//! was told had been saved is there, whole, with its upload-queue entry, and that nothing was
//! saved without one. Rounds accumulate in the same file.
//!
//! Runs without the test harness (`harness = false`): the same binary is the parent and, with
//! `GOCUA_CRASH_CHILD=<dir>` set, the child. `GOCUA_CRASH_ROUNDS` overrides the number of rounds.
//! The last line is `crash: N passed, M failed`.

mod common;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::{mpsc, Arc};
use std::thread;
use std::time::{Duration, Instant};

use gocua_core::protocol::RecordKind;
use gocua_core::*;
use rand::Rng;
use uuid::Uuid;

const CHILD_ENV: &str = "GOCUA_CRASH_CHILD";
const KEY_ENV: &str = "GOCUA_CRASH_KEY";
const ROUNDS_ENV: &str = "GOCUA_CRASH_ROUNDS";
const DEFAULT_ROUNDS: u32 = 25;
/// How long a child may take to open the store and say it is ready.
const READY_TIMEOUT: Duration = Duration::from_secs(30);
const ASSISTS_PER_VISIT: usize = 2;

fn main() -> ExitCode {
    // `cargo nextest` and `cargo test -- --list` ask for the list of tests.
    if std::env::args().any(|a| a == "--list") {
        println!("crash: test");
        return ExitCode::SUCCESS;
    }
    if let Some(dir) = std::env::var_os(CHILD_ENV) {
        child(Path::new(&dir)); // never returns: it writes until it is killed
    }
    parent()
}

// ---------------------------------------------------------------------------------------------
// Child

fn open_store(path: &Path, key: &StoreKey) -> Result<Store> {
    let store = Store::open(path, key, Arc::new(SystemClock))?;
    store.apply_reference_data(&common::reference_data(), true)?;
    if store.profile()?.is_none() {
        store.set_profile(&DeviceProfile {
            volunteer_id: common::volunteer_id(),
            volunteer_name: "Lê Thị Hoa".into(),
            team_id: common::team_id(),
        })?;
    }
    Ok(store)
}

/// One line per event, written with a single `write` so a kill cannot cut a line in half
/// (pipe writes under PIPE_BUF bytes are atomic).
fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(format!("{line}\n").as_bytes());
    let _ = out.flush();
}

fn child(dir: &Path) -> ! {
    let key_hex = std::env::var(KEY_ENV).expect("key in the environment");
    let key = StoreKey::from_bytes(&from_hex(&key_hex)).expect("valid key");
    let store = match open_store(&dir.join("profile.db"), &key) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("crash child: open failed: {e} ({})", e.code());
            std::process::exit(3);
        }
    };
    say("ready");
    for n in 0u64.. {
        let result = (|| -> Result<()> {
            let h =
                store.create_household(&common::household_draft(&format!("Nguyễn Văn Thử {n}")))?;
            say(&format!("household {}", h.id));
            for _ in 0..2 {
                say("begin");
                let v = store.record_visit(&common::visit_draft(h.id))?;
                say(&format!("visit {}", v.id));
            }
            Ok(())
        })();
        if let Err(e) = result {
            eprintln!("crash child: write failed: {e} ({})", e.code());
            std::process::exit(4);
        }
    }
    unreachable!()
}

// ---------------------------------------------------------------------------------------------
// Parent

#[derive(Default)]
struct Reported {
    households: BTreeSet<Uuid>,
    visits: BTreeSet<Uuid>,
}

struct RoundOutcome {
    new_visits: Vec<Uuid>,
    new_households: Vec<Uuid>,
    /// The last thing the child said was "begin": the kill landed inside `record_visit`.
    killed_inside_record_visit: bool,
    killed_before_ready: bool,
}

fn parent() -> ExitCode {
    let rounds: u32 = match std::env::var(ROUNDS_ENV) {
        Ok(s) => match s.trim().parse() {
            Ok(n) if n > 0 => n,
            _ => {
                eprintln!("crash: {ROUNDS_ENV}={s:?} is not a positive number");
                return ExitCode::FAILURE;
            }
        },
        Err(_) => DEFAULT_ROUNDS,
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let key = StoreKey::generate();
    let key_hex = to_hex(key.as_bytes());
    let mut rng = rand::rng();
    let mut reported = Reported::default();
    let mut inside_record = 0u32;
    let mut before_ready = 0u32;
    let started = Instant::now();

    for round in 0..rounds {
        // Every fifth round (after the first) the kill may land while the child is still
        // opening the store and loading reference data, not only while it records visits.
        let early = round % 5 == 4;
        let delay = if early {
            rng.random_range(0..=20)
        } else {
            rng.random_range(20..=250)
        };
        let result = run_round(dir.path(), &key_hex, Duration::from_millis(delay), early).and_then(
            |outcome| {
                reported.households.extend(&outcome.new_households);
                reported.visits.extend(&outcome.new_visits);
                verify(dir.path(), &key, &reported, &outcome).map(|()| outcome)
            },
        );
        match result {
            Ok(outcome) => {
                inside_record += u32::from(outcome.killed_inside_record_visit);
                before_ready += u32::from(outcome.killed_before_ready);
                println!(
                    "round {:>2}: killed after {delay:>3} ms, {:>3} visits and {:>3} households reported{} (total {} visits)",
                    round + 1,
                    outcome.new_visits.len(),
                    outcome.new_households.len(),
                    if outcome.killed_inside_record_visit {
                        ", killed inside record_visit"
                    } else if outcome.killed_before_ready {
                        ", killed while opening"
                    } else {
                        ""
                    },
                    reported.visits.len(),
                );
            }
            Err(msg) => {
                let kept = dir.keep();
                eprintln!("crash: round {} FAILED: {msg}", round + 1);
                eprintln!(
                    "crash: the store is kept for inspection in {}",
                    kept.display()
                );
                println!("crash: {round} passed, 1 failed");
                return ExitCode::FAILURE;
            }
        }
    }
    println!(
        "{} visits and {} households survived {rounds} SIGKILLs in {:.1} s; {inside_record} kills landed inside record_visit, {before_ready} before the child was ready",
        reported.visits.len(),
        reported.households.len(),
        started.elapsed().as_secs_f64()
    );
    if reported.visits.is_empty() {
        eprintln!(
            "crash: the child never reported a saved visit; is record_visit stuck or failing?"
        );
        println!("crash: {rounds} passed, 1 failed");
        return ExitCode::FAILURE;
    }
    if inside_record == 0 && rounds >= 10 {
        eprintln!("crash: no kill landed inside record_visit; the test did not exercise a write being cut");
        println!("crash: {rounds} passed, 1 failed");
        return ExitCode::FAILURE;
    }
    println!("crash: {rounds} passed, 0 failed");
    ExitCode::SUCCESS
}

/// Kills the child (SIGKILL) if it is still around when dropped, e.g. on an early return.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn run_round(
    dir: &Path,
    key_hex: &str,
    delay: Duration,
    early: bool,
) -> Result<RoundOutcome, String> {
    let exe = std::env::current_exe().map_err(|e| format!("current_exe: {e}"))?;
    let mut child = Command::new(exe)
        .env(CHILD_ENV, dir)
        .env(KEY_ENV, key_hex)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("spawn child: {e}"))?;
    let stdout = child.stdout.take().ok_or("child has no stdout")?;
    let mut child = KillOnDrop(child);
    let (tx, rx) = mpsc::channel::<String>();
    let reader = thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            match line {
                Ok(l) => {
                    if tx.send(l).is_err() {
                        break;
                    }
                }
                Err(_) => break,
            }
        }
    });

    let mut lines = Vec::new();
    if !early {
        // Start the clock once the store is open, so the kill lands among the writes.
        let deadline = Instant::now() + READY_TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(l) => {
                    let ready = l == "ready";
                    lines.push(l);
                    if ready {
                        break;
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    return Err(format!(
                        "the child did not open the store within {READY_TIMEOUT:?}"
                    ))
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    let status = child.0.wait().map_err(|e| e.to_string())?;
                    return Err(format!("the child exited before it was ready: {status}"));
                }
            }
        }
    }
    thread::sleep(delay);
    if let Some(status) = child.0.try_wait().map_err(|e| e.to_string())? {
        return Err(format!(
            "the child stopped on its own before the kill: {status}"
        ));
    }
    child.0.kill().map_err(|e| format!("kill child: {e}"))?; // SIGKILL on Unix
    let status = child.0.wait().map_err(|e| format!("wait child: {e}"))?;
    {
        use std::os::unix::process::ExitStatusExt;
        if status.signal() != Some(libc::SIGKILL) {
            return Err(format!("the child ended with {status}, not by SIGKILL"));
        }
    }
    reader.join().map_err(|_| "stdout reader panicked")?;
    lines.extend(rx.try_iter());

    let mut outcome = RoundOutcome {
        new_visits: Vec::new(),
        new_households: Vec::new(),
        killed_inside_record_visit: lines.last().map(String::as_str) == Some("begin"),
        killed_before_ready: !lines.iter().any(|l| l == "ready"),
    };
    for line in &lines {
        if line == "ready" || line == "begin" {
            continue;
        }
        let parsed = line
            .split_once(' ')
            .and_then(|(kind, id)| Uuid::parse_str(id).ok().map(|id| (kind, id)));
        match parsed {
            Some(("visit", id)) => outcome.new_visits.push(id),
            Some(("household", id)) => outcome.new_households.push(id),
            _ => return Err(format!("unexpected line from the child: {line:?}")),
        }
    }
    Ok(outcome)
}

fn verify(
    dir: &Path,
    key: &StoreKey,
    reported: &Reported,
    outcome: &RoundOutcome,
) -> Result<(), String> {
    let path: PathBuf = dir.join("profile.db");
    let store = Store::open(&path, key, Arc::new(SystemClock))
        .map_err(|e| format!("reopen after kill: {e} ({})", e.code()))?;
    let integrity = store
        .integrity_check()
        .map_err(|e| format!("integrity_check: {e}"))?;
    if integrity != "ok" {
        return Err(format!("integrity_check says {integrity:?}"));
    }

    // What the child reported this round: whole and queued.
    for &id in &outcome.new_visits {
        let visit = store
            .visit(id)
            .map_err(|e| format!("reported visit {id} is missing: {e}"))?;
        if visit.assists.len() != ASSISTS_PER_VISIT {
            return Err(format!(
                "visit {id} has {} assists instead of {ASSISTS_PER_VISIT}",
                visit.assists.len()
            ));
        }
        let entry = store
            .queue_entry(&RecordKind::Visit, id)
            .map_err(|e| format!("queue entry of visit {id}: {e}"))?
            .ok_or_else(|| format!("reported visit {id} has no queue entry"))?;
        if entry.state != EntryState::Pending {
            return Err(format!(
                "visit {id} is queued as {:?}, not pending",
                entry.state
            ));
        }
    }
    for &id in &outcome.new_households {
        store
            .household(id)
            .map_err(|e| format!("reported household {id} is missing: {e}"))?;
    }

    // The whole store: every record has exactly one pending entry and every entry a record.
    let households = store
        .list_households(common::COMMUNE, None, u32::MAX, 0)
        .map_err(|e| format!("list_households: {e}"))?;
    let mut records: BTreeSet<(String, Uuid)> = BTreeSet::new();
    let mut visit_ids = BTreeSet::new();
    for h in &households {
        records.insert(("household".into(), h.id));
        for v in store
            .household_visits(h.id)
            .map_err(|e| format!("household_visits: {e}"))?
        {
            if v.assists.len() != ASSISTS_PER_VISIT {
                return Err(format!(
                    "stored visit {} has {} assists instead of {ASSISTS_PER_VISIT}",
                    v.id,
                    v.assists.len()
                ));
            }
            records.insert(("visit".into(), v.id));
            visit_ids.insert(v.id);
        }
    }
    if let Some(id) = reported.visits.difference(&visit_ids).next() {
        return Err(format!(
            "visit {id}, reported saved in an earlier round, is gone"
        ));
    }
    let stored_households: BTreeSet<Uuid> = households.iter().map(|h| h.id).collect();
    if let Some(id) = reported.households.difference(&stored_households).next() {
        return Err(format!("household {id}, reported saved, is gone"));
    }
    let status = store
        .queue_status()
        .map_err(|e| format!("queue_status: {e}"))?;
    let expected = records.len();
    if status.pending as usize != expected
        || status.in_flight + status.accepted + status.rejected + status.deleted != 0
    {
        return Err(format!(
            "queue has {} pending (and {:?}) for {} households + {} visits",
            status.pending,
            status,
            households.len(),
            visit_ids.len()
        ));
    }
    let entries: BTreeSet<(String, Uuid)> = store
        .pending_entries()
        .map_err(|e| format!("pending_entries: {e}"))?
        .into_iter()
        .map(|e| (e.kind.as_str().to_owned(), e.record_id))
        .collect();
    if entries != records {
        let orphan = entries.difference(&records).next();
        let unqueued = records.difference(&entries).next();
        return Err(format!("queue and records differ: entry without record {orphan:?}, record without entry {unqueued:?}"));
    }
    Ok(())
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn from_hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex key"))
        .collect()
}
