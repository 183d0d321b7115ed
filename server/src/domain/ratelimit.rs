//! Request limiting (token buckets) per key — a device, a token, a client address — in process
//! memory. Behind a load balancer each process limits on its own, which still bounds a runaway
//! phone.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use uuid::Uuid;

pub struct RateLimiter<K = Uuid> {
    per_second: f64,
    burst: f64,
    buckets: Mutex<HashMap<K, (f64, Instant)>>,
}

impl<K: Hash + Eq> RateLimiter<K> {
    pub fn new(per_second: f64, burst: u32) -> Self {
        RateLimiter {
            per_second,
            burst: burst.into(),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one request's token; `Err(wait)` says how long until one is free.
    pub fn check(&self, key: K) -> Result<(), Duration> {
        self.with_bucket(key, true)
    }

    /// Whether `key` has a token now, without taking it; `Err(wait)` as for [`Self::check`].
    pub fn peek(&self, key: K) -> Result<(), Duration> {
        self.with_bucket(key, false)
    }

    fn with_bucket(&self, key: K, take: bool) -> Result<(), Duration> {
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if buckets.len() > 100_000 {
            buckets.retain(|_, (_, at)| now.duration_since(*at) < Duration::from_secs(600));
        }
        let (tokens, at) = buckets.entry(key).or_insert((self.burst, now));
        *tokens =
            (*tokens + now.duration_since(*at).as_secs_f64() * self.per_second).min(self.burst);
        *at = now;
        if *tokens >= 1.0 {
            if take {
                *tokens -= 1.0;
            }
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - *tokens) / self.per_second))
        }
    }
}

/// The key of a client address: IPv4 as it is, IPv6 by its /64 (one subscriber's network; a
/// client can take any address in it).
pub fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & !((1u128 << 64) - 1))),
        },
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

    #[test]
    fn peeking_takes_nothing() {
        let rl = RateLimiter::<IpAddr>::new(0.001, 2);
        let ip: IpAddr = "192.0.2.7".parse().unwrap();
        for _ in 0..10 {
            assert!(rl.peek(ip).is_ok());
        }
        assert!(rl.check(ip).is_ok() && rl.check(ip).is_ok());
        assert!(rl.peek(ip).is_err() && rl.check(ip).is_err());
    }

    #[test]
    fn an_ipv6_network_is_one_client() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(client_key(a), client_key(b));
        assert_ne!(client_key(a), client_key(other));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(client_key(mapped), "192.0.2.7".parse::<IpAddr>().unwrap());
    }
}
