//! The phone counts days of the deployment's calendar (Vietnam's unless the server says
//! otherwise), never of the zone the phone — or the machine running these tests — is set to.

mod common;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use common::*;
use gocua_core::protocol::*;

fn utc(m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, m, d, h, min, 0).unwrap()
}

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

#[test]
fn visits_at_2359_and_0001_vietnam_time_count_on_their_own_days() {
    let f = fixture();
    // 23:59 on Monday 9 March in Vietnam.
    f.clock.set(utc(3, 9, 16, 59));
    assert_eq!(f.store.today().unwrap(), day(3, 9));
    let a = f.household("Phạm Văn Đức");
    let mut before = visit_draft(a.id);
    before.follow_up_on = Some(day(3, 10));
    f.store.record_visit(&before).unwrap();
    let counts = f.store.my_counts().unwrap();
    assert_eq!(counts.today.visits, 1);
    assert!(
        f.store
            .follow_ups_due(f.store.today().unwrap())
            .unwrap()
            .is_empty(),
        "tomorrow's follow-up is not due at 23:59"
    );

    // 00:01 on Tuesday 10 March in Vietnam: a new day, the same week.
    f.clock.set(utc(3, 9, 17, 1));
    assert_eq!(f.store.today().unwrap(), day(3, 10));
    let counts = f.store.my_counts().unwrap();
    assert_eq!(counts.today.visits, 0, "Monday's visit is not today's");
    assert_eq!(counts.this_week.visits, 1);
    let b = f.household("Võ Thị Én");
    f.store.record_visit(&visit_draft(b.id)).unwrap();
    let counts = f.store.my_counts().unwrap();
    assert_eq!(counts.today.visits, 1);
    assert_eq!(counts.this_week.visits, 2);
    let due = f.store.follow_ups_due(f.store.today().unwrap()).unwrap();
    assert_eq!(
        due.len(),
        1,
        "the follow-up for 10 March is due at 00:01 on 10 March"
    );
    assert_eq!(due[0].household.id, a.id);
}

#[test]
fn the_phones_own_offset_is_evidence_only() {
    // A phone set to UTC-12 (its offset is still recorded with each record).
    let f = fixture_with_clock(utc(3, 9, 17, 1), -12 * 60);
    assert_eq!(f.store.today().unwrap(), day(3, 10));
    let h = f.household("Đặng Văn Giang");
    let v = f.store.record_visit(&visit_draft(h.id)).unwrap();
    assert_eq!(v.recorded.offset_minutes, -720);
    assert_eq!(f.store.my_counts().unwrap().today.visits, 1);
}

#[test]
fn the_servers_zone_comes_with_the_reference_data() {
    let f = fixture();
    let mut data = reference_data();
    data.time_zone = Some("Asia/Tokyo".into());
    f.store.apply_reference_data(&data, true).unwrap();
    assert_eq!(f.store.calendar().unwrap().zone_name(), "Asia/Tokyo");
    // 15:30 UTC is already the next day in Tokyo (UTC+9), still the same day in Vietnam.
    f.clock.set(utc(3, 9, 15, 30));
    assert_eq!(f.store.today().unwrap(), day(3, 10));

    // A later change-only download without a zone keeps the one in force.
    f.store
        .apply_reference_data(&ReferenceData::default(), false)
        .unwrap();
    assert_eq!(f.store.calendar().unwrap().zone_name(), "Asia/Tokyo");
    // A zone this build does not know falls back to Vietnam's rather than failing the sync.
    data.time_zone = Some("Mars/Olympus_Mons".into());
    f.store.apply_reference_data(&data, true).unwrap();
    assert_eq!(f.store.calendar().unwrap(), Calendar::VIETNAM);
}
