//! "Records need your attention": what a notification tells a volunteer after a background sync —
//! records that have waited more than a day to be sent, and records the server refused. The app
//! decides when to show it (at most once a day per condition); what it says, and the counts, are
//! decided here.
//!
//! "More than a day" is a duration on the store's clock (24 hours since the record was queued),
//! never a calendar day of the phone's own time zone.

use chrono::{DateTime, Duration, Utc};
use rusqlite::params;

use crate::error::Result;
use crate::millis::millis;
use crate::store::Store;

/// How long a record may wait in the queue before the volunteer is told.
pub const WAITING_TOO_LONG: Duration = Duration::hours(24);

/// What needs the volunteer's attention, with the notification's words in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attention {
    /// Records waiting to be sent (or being sent) for more than [`WAITING_TOO_LONG`].
    pub waiting_over_day: u32,
    /// Records the server refused (they wait for the volunteer to fix or re-send them).
    pub refused: u32,
    pub title_vi: String,
    pub title_en: String,
    pub body_vi: String,
    pub body_en: String,
}

impl Attention {
    /// `None` when nothing needs attention.
    pub fn of(waiting_over_day: u32, refused: u32) -> Option<Attention> {
        let (title_vi, title_en) = match (waiting_over_day > 0, refused > 0) {
            (false, false) => return None,
            (true, false) => ("Bản ghi chờ gửi quá một ngày", "Records waiting over a day"),
            (false, true) => (
                "Bản ghi bị máy chủ từ chối",
                "Records refused by the server",
            ),
            (true, true) => ("Bản ghi cần bạn xem", "Records need your attention"),
        };
        let mut vi = Vec::new();
        let mut en = Vec::new();
        if waiting_over_day > 0 {
            vi.push(format!(
                "{waiting_over_day} bản ghi đã chờ gửi hơn một ngày: hãy mở ứng dụng khi có mạng để gửi."
            ));
            en.push(match waiting_over_day {
                1 => "1 record has waited more than a day: open the app when you have a connection to send it.".to_owned(),
                n => format!("{n} records have waited more than a day: open the app when you have a connection to send them."),
            });
        }
        if refused > 0 {
            vi.push(format!(
                "{refused} bản ghi bị máy chủ từ chối: mở Hàng chờ để xem lý do và sửa."
            ));
            en.push(match refused {
                1 => {
                    "The server refused 1 record: open the Queue to see why and fix it.".to_owned()
                }
                n => format!(
                    "The server refused {n} records: open the Queue to see why and fix them."
                ),
            });
        }
        Some(Attention {
            waiting_over_day,
            refused,
            title_vi: title_vi.to_owned(),
            title_en: title_en.to_owned(),
            body_vi: vi.join(" "),
            body_en: en.join(" "),
        })
    }
}

impl Store {
    /// What needs the volunteer's attention now (by the store's clock), if anything.
    pub fn attention(&self) -> Result<Option<Attention>> {
        self.attention_at(self.clock.now())
    }

    /// [`Store::attention`] as of `now`.
    pub fn attention_at(&self, now: DateTime<Utc>) -> Result<Option<Attention>> {
        let before = millis(now - WAITING_TOO_LONG);
        self.read(|c| {
            let (waiting, refused): (u32, u32) = c.query_row(
                "SELECT
                   coalesce(sum(state IN ('pending', 'in_flight') AND queued_at < ?1), 0),
                   coalesce(sum(state = 'rejected'), 0)
                 FROM outbox",
                params![before],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            Ok(Attention::of(waiting, refused))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_to_say_when_nothing_waits_too_long_and_nothing_is_refused() {
        assert_eq!(Attention::of(0, 0), None);
    }

    #[test]
    fn the_words_follow_the_conditions_and_the_counts() {
        let w = Attention::of(3, 0).unwrap();
        assert_eq!(w.title_vi, "Bản ghi chờ gửi quá một ngày");
        assert!(w.body_vi.starts_with("3 bản ghi đã chờ gửi hơn một ngày"));
        assert!(w.body_en.starts_with("3 records have waited"));
        let r = Attention::of(0, 1).unwrap();
        assert_eq!(r.title_en, "Records refused by the server");
        assert_eq!(
            r.body_en,
            "The server refused 1 record: open the Queue to see why and fix it."
        );
        let both = Attention::of(2, 5).unwrap();
        assert_eq!(both.title_vi, "Bản ghi cần bạn xem");
        assert!(both.body_vi.contains("2 bản ghi") && both.body_vi.contains("5 bản ghi"));
        assert!(both.body_en.contains("2 records") && both.body_en.contains("5 records"));
    }
}
