//! Per-device request limiting (token bucket), in process memory. Behind a load balancer each
//! process limits on its own, which still bounds a runaway phone.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use uuid::Uuid;

pub struct RateLimiter {
    per_second: f64,
    burst: f64,
    buckets: Mutex<HashMap<Uuid, (f64, Instant)>>,
}

impl RateLimiter {
    pub fn new(per_second: f64, burst: u32) -> Self {
        RateLimiter {
            per_second,
            burst: burst.into(),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one request's token; `Err(wait)` says how long until one is free.
    pub fn check(&self, device: Uuid) -> Result<(), Duration> {
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if buckets.len() > 100_000 {
            buckets.retain(|_, (_, at)| now.duration_since(*at) < Duration::from_secs(600));
        }
        let (tokens, at) = buckets.entry(device).or_insert((self.burst, now));
        *tokens =
            (*tokens + now.duration_since(*at).as_secs_f64() * self.per_second).min(self.burst);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - *tokens) / self.per_second))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn burst_then_limited_per_device() {
        let rl = RateLimiter::new(1.0, 3);
        let a = Uuid::now_v7();
        assert!(rl.check(a).is_ok() && rl.check(a).is_ok() && rl.check(a).is_ok());
        let wait = rl.check(a).unwrap_err();
        assert!(wait > Duration::from_millis(500) && wait <= Duration::from_secs(1));
        assert!(
            rl.check(Uuid::now_v7()).is_ok(),
            "other devices are not affected"
        );
    }
}
