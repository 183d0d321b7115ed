//! "Chưa đến": the households of an area the current campaign has not reached, and the count of
//! those it has.

mod common;

use std::collections::HashSet;

use chrono::{Duration, TimeZone, Utc};
use common::*;
use gocua_core::*;
use uuid::Uuid;

fn not_visited_ids(store: &Store, hamlet: Option<&str>) -> Vec<Uuid> {
    let page = store
        .households_not_visited(COMMUNE, hamlet, 500, None)
        .unwrap();
    assert_eq!(page.next, None);
    page.items.into_iter().map(|h| h.id).collect()
}

fn visit_at(f: &Fixture, household: Uuid, at: chrono::DateTime<Utc>) {
    let mut d = visit_draft(household);
    d.started_at = Some(at);
    f.store.record_visit(&d).unwrap();
}

#[test]
fn a_visit_before_the_campaign_does_not_count_one_during_it_does() {
    let f = fixture(); // 10 March 2026; the campaign runs 1 March – 30 June
    let before = f.household("An");
    let during = f.household("Bình");
    let never = f.household("Cúc");
    let erased = f.household("Dũng");
    let mut other = household_draft("Em");
    other.commune_code = OTHER_COMMUNE.into();
    other.hamlet_code = None;
    let other = f.store.create_household(&other).unwrap();

    visit_at(&f, before.id, start_time() - Duration::days(12)); // 26 February
    visit_at(&f, during.id, start_time() - Duration::hours(1));
    f.store.erase_household_personal_data(erased.id).unwrap();

    let ids = not_visited_ids(&f.store, None);
    assert_eq!(
        ids,
        vec![before.id, never.id],
        "by name, erased and other communes left out"
    );
    let page = f
        .store
        .households_not_visited(COMMUNE, None, 10, None)
        .unwrap();
    assert!(
        page.items[0].last_visit_at.is_some(),
        "the summary still shows the visit before the campaign"
    );
    assert_eq!(
        f.store.coverage(Some(COMMUNE), None).unwrap(),
        Coverage {
            households: 3,
            visited: 1,
            not_visited: 2,
        }
    );
    // Without a commune: every household of the team on the phone (the other commune's too).
    let all = f.store.coverage(None, None).unwrap();
    let other_commune = f.store.coverage(Some(OTHER_COMMUNE), None).unwrap();
    assert_eq!(all.households, 3 + other_commune.households);
    assert_eq!(all.not_visited, all.households - all.visited);

    // A visit corrected to a day before the campaign no longer counts: only current revisions do.
    let mut d = visit_draft(other.id);
    d.started_at = Some(start_time());
    let v = f.store.record_visit(&d).unwrap();
    assert_eq!(
        f.store.coverage(Some(OTHER_COMMUNE), None).unwrap().visited,
        1
    );
    d.started_at = Some(start_time() - Duration::days(12));
    f.store.correct_visit(v.id, &d).unwrap();
    assert_eq!(
        f.store.coverage(Some(OTHER_COMMUNE), None).unwrap(),
        Coverage {
            households: 1,
            visited: 0,
            not_visited: 1,
        }
    );

    // Outside any campaign (July), any visit counts.
    f.clock
        .set(Utc.with_ymd_and_hms(2026, 7, 5, 2, 0, 0).unwrap());
    assert_eq!(not_visited_ids(&f.store, None), vec![never.id]);
    assert_eq!(
        f.store.coverage(Some(COMMUNE), None).unwrap(),
        Coverage {
            households: 3,
            visited: 2,
            not_visited: 1,
        }
    );
}

#[test]
fn hamlet_filter() {
    let f = fixture();
    let a1 = f.household("An");
    let a2 = f.household("Bảo");
    let mut d = household_draft("Châu");
    d.hamlet_code = Some(HAMLET_B.into());
    let b1 = f.store.create_household(&d).unwrap();
    let mut d = household_draft("Duyên");
    d.hamlet_code = Some(HAMLET_B.into());
    let b2 = f.store.create_household(&d).unwrap();
    visit_at(&f, a2.id, start_time());
    visit_at(&f, b2.id, start_time());

    assert_eq!(not_visited_ids(&f.store, Some(HAMLET_A)), vec![a1.id]);
    assert_eq!(not_visited_ids(&f.store, Some(HAMLET_B)), vec![b1.id]);
    assert_eq!(not_visited_ids(&f.store, None), vec![a1.id, b1.id]);
    assert_eq!(
        f.store.coverage(Some(COMMUNE), Some(HAMLET_B)).unwrap(),
        Coverage {
            households: 2,
            visited: 1,
            not_visited: 1,
        }
    );
    assert_eq!(
        f.store.coverage(Some(COMMUNE), Some("28789-KP9")).unwrap(),
        Coverage {
            households: 0,
            visited: 0,
            not_visited: 0,
        }
    );
}

#[test]
fn pages_over_120_households_without_repeats_in_list_order() {
    let f = fixture();
    let mut visited = HashSet::new();
    for i in 0..120 {
        // Names that share prefixes and diacritics, so the order is not the insertion order.
        let name = format!("{} Văn {}", ["Nguyễn", "Ngô", "Lê", "Đặng"][i % 4], 119 - i);
        let h = f.household(&name);
        if i % 3 == 0 {
            visit_at(&f, h.id, start_time() - Duration::minutes(i as i64));
            visited.insert(h.id);
        }
    }
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = f
            .store
            .households_not_visited(COMMUNE, Some(HAMLET_A), 7, after.as_deref())
            .unwrap();
        assert!(page.items.len() <= 7);
        seen.extend(page.items.iter().map(|h| h.id));
        match page.next {
            Some(n) => after = Some(n),
            None => break,
        }
    }
    assert_eq!(seen.len(), 80, "no silent cap");
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 80, "no repeats");
    assert!(seen.iter().all(|id| !visited.contains(id)));
    let listed: Vec<Uuid> = f
        .store
        .list_households_page(Some(COMMUNE), Some(HAMLET_A), 500, None)
        .unwrap()
        .items
        .into_iter()
        .map(|h| h.id)
        .filter(|id| !visited.contains(id))
        .collect();
    assert_eq!(seen, listed, "the same order as the household list");
    assert_eq!(
        f.store.coverage(Some(COMMUNE), Some(HAMLET_A)).unwrap(),
        Coverage {
            households: 120,
            visited: 40,
            not_visited: 80,
        }
    );
    // A cursor of another list is refused rather than misread.
    assert!(matches!(
        f.store
            .households_not_visited(COMMUNE, None, 7, Some("garbage")),
        Err(Error::Validation(_))
    ));
    // A page size of 0 is taken as 1.
    let one = f
        .store
        .households_not_visited(COMMUNE, None, 0, None)
        .unwrap();
    assert_eq!(one.items.len(), 1);
    assert!(one.next.is_some());
}

#[test]
fn the_campaign_starts_at_midnight_vietnam_time() {
    // 1 March 2026, 00:01 in Vietnam is 28 February, 17:01 UTC.
    let first_minute = Utc.with_ymd_and_hms(2026, 2, 28, 17, 1, 0).unwrap();
    // The phone is set to UTC: the deployment's calendar decides, not the phone's zone.
    let f = fixture_with_clock(first_minute, 0);
    let late = f.household("An");
    let early = f.household("Bình");
    // 23:59 on 28 February in Vietnam: the day before the campaign.
    visit_at(&f, late.id, first_minute - Duration::minutes(2));
    // 00:00:30 on 1 March in Vietnam: the campaign's first minute.
    visit_at(&f, early.id, first_minute - Duration::seconds(30));

    assert_eq!(f.store.today().unwrap().to_string(), "2026-03-01");
    assert_eq!(not_visited_ids(&f.store, None), vec![late.id]);
    assert_eq!(
        f.store.coverage(Some(COMMUNE), None).unwrap(),
        Coverage {
            households: 2,
            visited: 1,
            not_visited: 1,
        }
    );

    // At 23:59:50 on 28 February in Vietnam no campaign runs yet, so any visit counts.
    f.clock.set(first_minute - Duration::seconds(70));
    assert_eq!(f.store.today().unwrap().to_string(), "2026-02-28");
    assert!(not_visited_ids(&f.store, None).is_empty());
}
