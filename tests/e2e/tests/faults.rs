//! Bad networks and dying servers: connections cut at random points in either direction, and the
//! `gocua serve` process killed (SIGKILL) in the middle of a sync and started again. Afterwards a
//! clean sync must leave the server with exactly the phone's records: none lost, none twice.

use std::time::Duration;

use gocua_core::{Error, SyncReport};
use gocua_e2e::inspect::assert_server_holds_each_once;
use gocua_e2e::proxy::{Cut, FaultProxy};
use gocua_e2e::seed::*;
use gocua_e2e::*;
use rand::{Rng, SeedableRng};

on_both_backends!(
    sync_survives_cut_connections,
    sync_survives_server_killed_mid_sync
);

/// The phone's last sync, the faults over: everything it recorded is accepted, and the server holds
/// each record once (`why` a record sent twice was a duplicate).
fn last_sync_lands_each_once(env: &Env, phone: &Device, expected: &Recorded, why: &str) {
    phone.sync_clean(&phone.transport);
    phone.assert_all_accepted(expected.records());
    assert_server_holds_each_once(&env.db, expected, why);
}

/// Outcome of one sync attempt that is allowed to fail: a failure must be retryable and leave
/// every record either accepted or pending (nothing in flight, nothing quarantined).
fn attempt(phone: &Device, result: gocua_core::Result<SyncReport>, expected_records: u32) -> bool {
    let failed = match result {
        Ok(report) => {
            assert_eq!(
                report.rejected, 0,
                "no record is refused because of a network fault"
            );
            false
        }
        Err(Error::Transport(e)) => {
            assert!(
                e.is_transient(),
                "a cut connection or a dead server is retryable, got {e:?}"
            );
            true
        }
        Err(e) => panic!("unexpected sync error {e:?}"),
    };
    let q = phone.store.queue_status().unwrap();
    assert_eq!(
        (q.in_flight, q.rejected, q.deleted),
        (0, 0, 0),
        "after an attempt: {q:?}"
    );
    assert_eq!(
        q.pending + q.accepted,
        expected_records,
        "every record is pending or accepted: {q:?}"
    );
    failed
}

/// 30 sync attempts through a proxy that cuts each of its first 24 connections after a random
/// number of bytes, alternately of the request and of the answer; new records keep being made
/// between attempts. Then one clean sync.
fn sync_survives_cut_connections(backend: Backend) {
    let env = Env::start(backend);
    let phone = env.enrol(&env.seed.team_a, 1);
    let mut rng = rand::rngs::StdRng::seed_from_u64(rng_seed("cut connections"));
    let mut plan_rng = rand::rngs::StdRng::seed_from_u64(rng.random());
    let proxy = FaultProxy::start(env.server.addr, move |n| match n {
        n if n >= 24 => Cut::None,
        n if n % 2 == 0 => Cut::Upstream(plan_rng.random_range(0..2_500)),
        _ => Cut::Downstream(plan_rng.random_range(0..4_000)),
    });
    let flaky = phone.transport_to(&proxy.url());

    let mut expected = phone.record_field_day(COMMUNE_A1, Some(HAMLET_A1_KP1), 6);
    let mut failures = 0;
    for round in 0..30 {
        if round % 5 == 4 {
            expected.extend(phone.record_field_day(COMMUNE_A2, None, 2));
        }
        let batch = rng.random_range(1..=5);
        if attempt(&phone, phone.sync_via(&flaky, batch), expected.records()) {
            failures += 1;
        }
    }
    let stats = &proxy.stats;
    assert!(
        stats.cut_upstream() >= 3 && stats.cut_downstream() >= 3,
        "requests and answers were cut: {stats:?}"
    );
    assert!(
        failures >= 6,
        "the cuts made sync attempts fail ({failures} of 30)"
    );

    last_sync_lands_each_once(
        &env,
        &phone,
        &expected,
        "a resend after a lost answer was a duplicate, not a new version",
    );
}

/// The real binary is killed (SIGKILL) as soon as the phone's sync has got some answers, three
/// times, and started again on the same database and address; the phone keeps syncing.
fn sync_survives_server_killed_mid_sync(backend: Backend) {
    let mut env = Env::start_binary(backend);
    let phone = env.enrol(&env.seed.team_a, 2);
    let mut rng = rand::rngs::StdRng::seed_from_u64(rng_seed("killed server"));
    let mut expected = Recorded::default();
    let mut interrupted = 0;
    for cycle in 0..3 {
        expected.extend(phone.record_field_day(COMMUNE_A1, Some(HAMLET_A1_KP2), 8));
        let accepted_before = phone.store.queue_status().unwrap().accepted;
        let extra_delay = Duration::from_millis(rng.random_range(0..15));
        let result = std::thread::scope(|s| {
            // One record per push: a long sync to kill in the middle of.
            let sync = s.spawn(|| phone.sync_via(&phone.transport, 1));
            let progressed = wait_for(Duration::from_secs(20), || {
                (phone.store.queue_status().unwrap().accepted > accepted_before
                    || sync.is_finished())
                .then_some(())
            });
            assert!(
                progressed.is_some(),
                "cycle {cycle}: the sync made no progress"
            );
            std::thread::sleep(extra_delay);
            env.server.kill();
            sync.join().expect("sync thread")
        });
        if attempt(&phone, result, expected.records()) {
            interrupted += 1;
        }
        env.server.restart();
    }
    assert!(
        interrupted >= 2,
        "the kills interrupted syncs ({interrupted} of 3)"
    );
    assert!(env.server.starts() >= 4);

    last_sync_lands_each_once(
        &env,
        &phone,
        &expected,
        "a resend after a killed server was a duplicate",
    );
}
