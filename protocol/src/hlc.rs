//! Hybrid logical clock.
//!
//! Orders edits of the same household made on two phones sensibly even when one phone's clock is
//! wrong: a stamp is never lower than any stamp the phone has seen (its own or the server's), and
//! ties are broken by counter, then by node. Written on the wire as `wall_ms-counter-node` (hex
//! node) to keep uploads small.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// How far ahead of the server's clock a stamp may be and still be believed: one hour, the
/// margin after which the server also flags a device clock as ahead. A stamp further ahead
/// comes from a phone whose clock is wrong; taken as it is, its value would beat every later
/// edit until that date (31 years, in the case that prompted this). The server orders such a
/// stamp at the time it first received it instead ([`Hlc::at_receipt`]).
pub const MAX_STAMP_AHEAD_MS: i64 = 60 * 60 * 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Hlc {
    /// Milliseconds since the Unix epoch: the largest physical time seen.
    pub wall_ms: i64,
    /// Logical counter for events within the same millisecond.
    pub counter: u32,
    /// Identifies the device that made the stamp; breaks exact ties deterministically.
    pub node: u32,
}

impl Hlc {
    pub const ZERO: Hlc = Hlc::of_clock(0);

    /// The stamp of a clock reading alone (counter and node 0), as the server sends its time.
    pub const fn of_clock(wall_ms: i64) -> Hlc {
        Hlc {
            wall_ms,
            counter: 0,
            node: 0,
        }
    }

    /// The next stamp for a local event at physical time `now_ms`, after `last`.
    pub fn tick(last: Hlc, now_ms: i64, node: u32) -> Hlc {
        if now_ms > last.wall_ms {
            Hlc {
                wall_ms: now_ms,
                counter: 0,
                node,
            }
        } else {
            Hlc {
                wall_ms: last.wall_ms,
                counter: last.counter.saturating_add(1),
                node,
            }
        }
    }

    /// Merges a stamp received from elsewhere (e.g. the server's clock) into `last`, so later local
    /// stamps order after it.
    pub fn observe(last: Hlc, remote: Hlc) -> Hlc {
        if remote > last {
            Hlc {
                node: last.node,
                ..remote
            }
        } else {
            last
        }
    }
}

impl Hlc {
    /// True when this stamp is more than [`MAX_STAMP_AHEAD_MS`] after `now_ms` (the judging
    /// side's clock).
    pub fn too_far_ahead(&self, now_ms: i64) -> bool {
        self.wall_ms > now_ms.saturating_add(MAX_STAMP_AHEAD_MS)
    }

    /// The stamp the server keeps instead of one [too far ahead](Hlc::too_far_ahead): the same
    /// counter and node at `received_ms`, the server's time when it first received the stamp.
    /// Deterministic for a given first receipt, so sending the same upload again changes
    /// nothing, and any edit stamped after that receipt wins over it.
    pub fn at_receipt(self, received_ms: i64) -> Hlc {
        Hlc {
            wall_ms: received_ms,
            ..self
        }
    }
}

impl fmt::Display for Hlc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}-{:x}", self.wall_ms, self.counter, self.node)
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("not a hybrid clock stamp (expected wall_ms-counter-node): {0}")]
pub struct HlcParseError(pub String);

impl FromStr for Hlc {
    type Err = HlcParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || HlcParseError(s.chars().take(40).collect());
        // Split from the right: `wall_ms` may be negative (a phone clock set before 1970).
        let mut parts = s.rsplitn(3, '-');
        let node = parts
            .next()
            .and_then(|p| u32::from_str_radix(p, 16).ok())
            .ok_or_else(err)?;
        let counter = parts.next().and_then(|p| p.parse().ok()).ok_or_else(err)?;
        let wall_ms = parts.next().and_then(|p| p.parse().ok()).ok_or_else(err)?;
        Ok(Hlc {
            wall_ms,
            counter,
            node,
        })
    }
}

impl Serialize for Hlc {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Hlc {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        raw.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tick_is_monotonic_even_when_clock_goes_back() {
        let a = Hlc::tick(Hlc::ZERO, 1_000, 7);
        let b = Hlc::tick(a, 500, 7); // clock jumped back
        assert!(b > a);
        assert_eq!(b.wall_ms, 1_000);
        assert_eq!(b.counter, 1);
    }

    #[test]
    fn observe_pulls_a_slow_clock_forward() {
        let local = Hlc::tick(Hlc::ZERO, 10, 1); // phone thinks it is 1970
        let server = Hlc {
            wall_ms: 1_700_000_000_000,
            counter: 0,
            node: 0,
        };
        let next = Hlc::tick(Hlc::observe(local, server), 20, 1);
        assert!(next > server);
    }

    #[test]
    fn a_stamp_far_ahead_is_ordered_at_its_receipt() {
        let now = 1_773_108_000_000;
        let near = Hlc {
            wall_ms: now + MAX_STAMP_AHEAD_MS,
            counter: 0,
            node: 1,
        };
        assert!(!near.too_far_ahead(now), "within the margin");
        let far = Hlc {
            wall_ms: now + 31 * 365 * 24 * 3_600_000,
            counter: 3,
            node: 9,
        };
        assert!(far.too_far_ahead(now));
        assert!(!far.too_far_ahead(i64::MAX), "no overflow");
        let kept = far.at_receipt(now);
        assert_eq!((kept.wall_ms, kept.counter, kept.node), (now, 3, 9));
        let later_edit = Hlc {
            wall_ms: now + 1,
            counter: 0,
            node: 2,
        };
        assert!(later_edit > kept, "an edit after the receipt wins");
    }

    #[test]
    fn round_trips_as_text() {
        let h = Hlc {
            wall_ms: 1_732_500_000_123,
            counter: 4,
            node: 0xdead_beef,
        };
        assert_eq!(h.to_string().parse::<Hlc>().unwrap(), h);
        assert!("garbage".parse::<Hlc>().is_err());
    }
}
