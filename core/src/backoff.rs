//! Retrying a sync: exponential backoff with full jitter (a delay drawn uniformly between zero and
//! `base · 2^attempt`, capped), stretched to honour a server's `Retry-After`, and a driver that
//! repeats [`Store::sync_once`] on transient transport errors.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use rand::Rng;

use crate::error::{Error, Result};
use crate::store::Store;
use crate::sync::{Recheck, SyncProgress, SyncReport};
use crate::transport::{Transport, TransportError};

/// How often a sleeping retry looks at the cancel flag.
const CANCEL_POLL: Duration = Duration::from_millis(50);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backoff {
    base: Duration,
    max: Duration,
    attempt: u32,
}

impl Default for Backoff {
    /// 2 s doubling up to 5 min.
    fn default() -> Self {
        Backoff::new(Self::DEFAULT_BASE, Self::DEFAULT_MAX)
    }
}

impl Backoff {
    pub const DEFAULT_BASE: Duration = Duration::from_secs(2);
    pub const DEFAULT_MAX: Duration = Duration::from_secs(300);

    /// `max` below `base` is raised to `base`.
    pub fn new(base: Duration, max: Duration) -> Self {
        Backoff {
            base,
            max: max.max(base),
            attempt: 0,
        }
    }

    /// How many delays were handed out since the last reset.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The ceiling of the next delay before jitter: `base · 2^attempt`, at most `max`.
    pub fn ceiling(&self) -> Duration {
        self.base
            .saturating_mul(2u32.saturating_pow(self.attempt))
            .min(self.max)
    }

    /// The delay before the next try: uniform in `[0, ceiling]`, but never shorter than the
    /// server's `retry_after`, and never longer than `max`.
    pub fn next_delay<R: Rng + ?Sized>(
        &mut self,
        rng: &mut R,
        retry_after: Option<Duration>,
    ) -> Duration {
        let ceiling = self.ceiling();
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        let jittered = Duration::from_nanos(rng.random_range(0..=nanos));
        self.attempt = self.attempt.saturating_add(1);
        match retry_after {
            Some(server) => jittered.max(server).min(self.max),
            None => jittered,
        }
    }

    /// Back to the first delay, after a success.
    pub fn reset(&mut self) {
        self.attempt = 0;
    }
}

/// The server's requested pause, if the error carries one.
fn retry_after(e: &TransportError) -> Option<Duration> {
    match e {
        TransportError::Unavailable { retry_after, .. } => *retry_after,
        _ => None,
    }
}

/// Sleeps `delay` in short slices; `Err(Cancelled)` as soon as `cancel` is set.
fn sleep_unless_cancelled(delay: Duration, cancel: &AtomicBool) -> Result<()> {
    let until = Instant::now() + delay;
    loop {
        if cancel.load(Ordering::SeqCst) {
            return Err(Error::Cancelled);
        }
        let now = Instant::now();
        if now >= until {
            return Ok(());
        }
        std::thread::sleep((until - now).min(CANCEL_POLL));
    }
}

impl Store {
    /// [`Store::sync_once`], tried up to `max_attempts` times (at least once) while it fails with
    /// a transient transport error (no network, a cut connection, 5xx, 429), pausing per
    /// [`Backoff::default`] between tries. A refusal (4xx), a local error or a cancellation
    /// returns at once; so does `cancel` set during a pause. Each try records its own
    /// [`crate::LastSync`]; nothing is lost between tries (unsent entries stay pending).
    pub fn sync_with_retry(
        &self,
        transport: &dyn Transport,
        batch_size: usize,
        max_attempts: u32,
        progress: &dyn Fn(SyncProgress),
        cancel: &AtomicBool,
    ) -> Result<SyncReport> {
        self.sync_with_backoff(
            transport,
            batch_size,
            max_attempts,
            Backoff::default(),
            progress,
            cancel,
        )
    }

    /// [`Store::sync_with_retry`] with a chosen backoff (e.g. short delays for a sync the
    /// volunteer is watching, or tests).
    pub fn sync_with_backoff(
        &self,
        transport: &dyn Transport,
        batch_size: usize,
        max_attempts: u32,
        backoff: Backoff,
        progress: &dyn Fn(SyncProgress),
        cancel: &AtomicBool,
    ) -> Result<SyncReport> {
        self.sync_with_backoff_checked(
            transport,
            batch_size,
            max_attempts,
            backoff,
            progress,
            cancel,
            None,
        )
    }

    /// [`Store::sync_with_backoff`] over [`Store::sync_once_checked`]: every try asks the sync
    /// policy again before each batch, and a stopped try is not retried (it ends `Ok`).
    #[allow(clippy::too_many_arguments)]
    pub fn sync_with_backoff_checked(
        &self,
        transport: &dyn Transport,
        batch_size: usize,
        max_attempts: u32,
        mut backoff: Backoff,
        progress: &dyn Fn(SyncProgress),
        cancel: &AtomicBool,
        recheck: Option<&Recheck<'_>>,
    ) -> Result<SyncReport> {
        let max_attempts = max_attempts.max(1);
        let mut rng = rand::rng();
        let mut attempt = 1;
        loop {
            match self.sync_once_checked(transport, batch_size, progress, cancel, recheck) {
                Err(Error::Transport(e)) if e.is_transient() && attempt < max_attempts => {
                    let delay = backoff.next_delay(&mut rng, retry_after(&e));
                    tracing::info!(
                        attempt,
                        max_attempts,
                        delay_ms = delay.as_millis() as u64,
                        code = e.code(),
                        "sync failed; retrying"
                    );
                    sleep_unless_cancelled(delay, cancel)?;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn ceiling_doubles_up_to_max() {
        let mut b = Backoff::new(100 * MS, 1000 * MS);
        let mut rng = StdRng::seed_from_u64(1);
        let mut ceilings = vec![];
        for _ in 0..6 {
            ceilings.push(b.ceiling());
            b.next_delay(&mut rng, None);
        }
        assert_eq!(
            ceilings,
            [100, 200, 400, 800, 1000, 1000].map(|m| m * MS).to_vec()
        );
        assert_eq!(b.attempt(), 6);
    }

    #[test]
    fn delays_are_jittered_within_the_ceiling_and_deterministic_per_seed() {
        let run = |seed| {
            let mut b = Backoff::new(100 * MS, 10_000 * MS);
            let mut rng = StdRng::seed_from_u64(seed);
            (0..8)
                .map(|_| {
                    let ceiling = b.ceiling();
                    let d = b.next_delay(&mut rng, None);
                    assert!(d <= ceiling, "{d:?} > {ceiling:?}");
                    d
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(run(42), run(42));
        assert_ne!(run(42), run(43));
        // Full jitter: the delays are spread out, not the ceilings themselves.
        let delays = run(42);
        let distinct: std::collections::HashSet<_> = delays.iter().collect();
        assert_eq!(distinct.len(), delays.len());
        assert!(delays
            .iter()
            .all(|d| d.subsec_nanos() % 1_000_000 != 0 || d.is_zero()));
    }

    #[test]
    fn jitter_spreads_over_the_whole_range() {
        let mut rng = StdRng::seed_from_u64(7);
        let (mut low, mut high) = (0, 0);
        for _ in 0..1000 {
            let mut b = Backoff::new(1000 * MS, 1000 * MS);
            let d = b.next_delay(&mut rng, None);
            if d < 250 * MS {
                low += 1;
            }
            if d > 750 * MS {
                high += 1;
            }
        }
        assert!(low > 150 && high > 150, "low {low}, high {high}");
    }

    #[test]
    fn retry_after_is_a_floor_capped_at_max() {
        let mut rng = StdRng::seed_from_u64(3);
        let mut b = Backoff::new(10 * MS, 60_000 * MS);
        assert_eq!(b.next_delay(&mut rng, Some(7000 * MS)), 7000 * MS);
        let mut b = Backoff::new(10 * MS, 5000 * MS);
        assert_eq!(b.next_delay(&mut rng, Some(3_600_000 * MS)), 5000 * MS);
        // A short Retry-After does not shorten a longer jittered delay.
        let mut b = Backoff::new(10_000 * MS, 10_000 * MS);
        let mut same = StdRng::seed_from_u64(3);
        let plain = b.clone().next_delay(&mut same.clone(), None);
        assert_eq!(b.next_delay(&mut same, Some(MS)), plain.max(MS));
    }

    #[test]
    fn reset_starts_over() {
        let mut rng = StdRng::seed_from_u64(9);
        let mut b = Backoff::new(100 * MS, 100_000 * MS);
        for _ in 0..5 {
            b.next_delay(&mut rng, None);
        }
        assert_eq!(b.ceiling(), 3200 * MS);
        b.reset();
        assert_eq!(b.attempt(), 0);
        assert_eq!(b.ceiling(), 100 * MS);
    }

    #[test]
    fn huge_attempt_counts_do_not_overflow() {
        let mut rng = StdRng::seed_from_u64(5);
        let mut b = Backoff::new(Duration::from_secs(1), Duration::from_secs(300));
        for _ in 0..200 {
            assert!(b.next_delay(&mut rng, None) <= Duration::from_secs(300));
        }
        assert_eq!(b.ceiling(), Duration::from_secs(300));
        let mut zero = Backoff::new(Duration::ZERO, Duration::ZERO);
        assert_eq!(zero.next_delay(&mut rng, None), Duration::ZERO);
    }

    #[test]
    fn max_below_base_is_raised() {
        let b = Backoff::new(Duration::from_secs(5), Duration::from_secs(1));
        assert_eq!(b.ceiling(), Duration::from_secs(5));
    }

    #[test]
    fn sleeping_honours_cancel_promptly() {
        let cancel = AtomicBool::new(false);
        let start = Instant::now();
        std::thread::scope(|s| {
            s.spawn(|| {
                std::thread::sleep(Duration::from_millis(60));
                cancel.store(true, Ordering::SeqCst);
            });
            let r = sleep_unless_cancelled(Duration::from_secs(30), &cancel);
            assert!(matches!(r, Err(Error::Cancelled)));
        });
        assert!(start.elapsed() < Duration::from_secs(2));
        let idle = AtomicBool::new(false);
        assert!(sleep_unless_cancelled(Duration::from_millis(5), &idle).is_ok());
    }
}
