//! "Records need your attention": records waiting more than a day, records refused — counted on
//! the store's (injected) clock.

mod common;

use std::sync::atomic::AtomicBool;

use chrono::Duration;
use common::*;
use gocua_core::protocol::*;
use gocua_core::*;

/// Refuses every push.
struct Refusing;

impl Transport for Refusing {
    fn push(&self, request: &PushRequest) -> Result<PushResponse, TransportError> {
        let reason = ("Ngoài địa bàn của đội.", "Outside the team's areas.");
        let results = request
            .changes
            .iter()
            .map(|c| refused(c, "outside_team_area", reason, "commune_code"))
            .collect();
        Ok(push_answer(results, start_time()))
    }

    fn pull(&self, _request: &PullRequest) -> Result<PullResponse, TransportError> {
        Ok(pull_answer(reference_data(), start_time()))
    }
}

#[test]
fn a_record_queued_23_hours_ago_needs_no_attention_25_hours_does() {
    let f = fixture();
    f.household("Nguyễn Thị Hòa");
    assert_eq!(f.store.attention().unwrap(), None, "just queued");
    f.clock.advance(Duration::hours(23));
    assert_eq!(f.store.attention().unwrap(), None, "23 h: not yet a day");
    f.clock.advance(Duration::hours(2));
    let a = f
        .store
        .attention()
        .unwrap()
        .expect("25 h: waiting too long");
    assert_eq!((a.waiting_over_day, a.refused), (1, 0));
    assert_eq!(a.title_vi, "Bản ghi chờ gửi quá một ngày");
    assert!(
        a.body_vi.starts_with("1 bản ghi đã chờ gửi hơn một ngày"),
        "{}",
        a.body_vi
    );
    assert!(
        a.body_en.starts_with("1 record has waited more than a day"),
        "{}",
        a.body_en
    );
    // The same answer for an explicit instant, whatever the phone's own zone.
    assert_eq!(
        f.store
            .attention_at(start_time() + Duration::hours(25))
            .unwrap(),
        Some(a)
    );
    // A second record recorded now does not wait long yet.
    f.household("Lê Văn Tám");
    assert_eq!(f.store.attention().unwrap().unwrap().waiting_over_day, 1);
}

#[test]
fn a_refused_record_needs_attention_at_once_and_an_accepted_one_never() {
    let f = fixture();
    f.household("Trần Văn Refused");
    f.store
        .sync_once(&Refusing, 10, &|_| {}, &AtomicBool::new(false))
        .unwrap();
    let a = f.store.attention().unwrap().expect("refused");
    assert_eq!((a.waiting_over_day, a.refused), (0, 1));
    assert_eq!(a.title_en, "Records refused by the server");
    // A refused record is not "waiting", however old it gets.
    f.clock.advance(Duration::days(3));
    let later = f.store.attention().unwrap().unwrap();
    assert_eq!((later.waiting_over_day, later.refused), (0, 1));
}
