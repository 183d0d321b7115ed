//! Finding households (Vietnamese, diacritic-insensitive), follow-ups, and progress counts.

mod common;

use chrono::{Duration, NaiveDate};
use common::*;
use gocua_core::protocol::*;
use gocua_core::*;
use proptest::prelude::*;

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

#[test]
fn search_ignores_diacritics_case_and_matches_word_prefixes() {
    let f = fixture();
    let a = f.household("Nguyễn Văn Ả");
    let mut d = household_draft("Đặng Thị Đào");
    d.address_line = "Ấp Phú Hưng, tổ 3".into();
    d.hamlet_code = Some(HAMLET_B.into());
    d.phone = Some("0912 345 678".into());
    d.consent = Some(ConsentDraft {
        given: true,
        method: ConsentMethod::Verbal,
    });
    let b = f.store.create_household(&d).unwrap();
    f.household("Trần Văn Bình");

    let ids = |q: &str| {
        f.store
            .search_households(q, None, None, 50)
            .unwrap()
            .into_iter()
            .map(|s| s.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(ids("nguyen van a"), vec![a.id]);
    assert_eq!(ids("NGUYEN"), vec![a.id]);
    assert_eq!(
        ids("van ng"),
        vec![a.id],
        "word order does not matter, prefixes do"
    );
    assert_eq!(ids("dang dao"), vec![b.id], "d matches đ");
    assert_eq!(ids("đặng"), vec![b.id]);
    assert_eq!(ids("phu hung"), vec![b.id], "address words match");
    assert_eq!(ids("0912"), vec![b.id], "phone prefix");
    assert_eq!(ids("912345"), vec![b.id], "phone without the leading 0");
    assert_eq!(ids("van").len(), 2);
    assert!(
        ids("an").is_empty(),
        "only prefixes of words, not inner substrings"
    );
    assert!(ids("nguyen b").is_empty());
    // Within an area.
    assert_eq!(
        f.store
            .search_households("thi", Some(COMMUNE), Some(HAMLET_B), 50)
            .unwrap()
            .len(),
        1
    );
    assert!(f
        .store
        .search_households("thi", Some(COMMUNE), Some(HAMLET_A), 50)
        .unwrap()
        .is_empty());
    // Punctuation-only queries fall back to the area list, or nothing.
    assert_eq!(
        f.store
            .search_households("  \"*) ", Some(COMMUNE), None, 50)
            .unwrap()
            .len(),
        3
    );
    assert!(f
        .store
        .search_households("  \"*) ", None, None, 50)
        .unwrap()
        .is_empty());
}

/// A volunteer typing "hoa" means the head of household called Hòa first, then names starting
/// with "hoa" (Hoàng), and only then households that match by address or phone; paging keeps
/// that order.
#[test]
fn search_ranks_whole_name_words_then_name_prefixes_then_address_and_phone() {
    let f = fixture();
    let create = |name: &str, address: &str, phone: Option<&str>| {
        let mut d = household_draft(name);
        d.address_line = address.into();
        d.phone = phone.map(str::to_owned);
        d.consent = phone.map(|_| ConsentDraft {
            given: true,
            method: ConsentMethod::Verbal,
        });
        f.store.create_household(&d).unwrap().id
    };
    // Created in an order that sorts badly by name alone: the address match ("an …") and the
    // prefix match ("le …") sort before "nguyen …".
    let by_address = create("An Văn Tư", "Ấp Phú Hòa, tổ 2", None);
    let prefix = create("Lê Hoàng Nam", "Số 4, đường Lê Lợi", None);
    let whole = create("Nguyễn Thị Hòa", "Số 9, đường Hùng Vương", None);
    let whole_2 = create("Trần Văn Hoa", "Số 18, đường Đồng Khởi", None);
    let by_phone = create(
        "Bùi Văn Bảy",
        "Số 91, đường Đồng Khởi",
        Some("0912 345 678"),
    );
    let by_number = create("Đỗ Thị Chín", "Số 912, đường Lê Lợi", None);
    let pham = create("Phạm Văn Tâm", "Số 5, đường Lê Lợi", None);

    let ids = |q: &str| {
        f.store
            .search_households(q, None, None, 50)
            .unwrap()
            .into_iter()
            .map(|s| s.id)
            .collect::<Vec<_>>()
    };
    let expected = vec![whole, whole_2, prefix, by_address];
    assert_eq!(ids("hoa"), expected);
    assert_eq!(ids("HÒA"), expected, "diacritics and case still ignored");
    assert_eq!(ids("Hoà"), expected);
    // Several words: all whole on the name, then all prefixes of name words, then the rest.
    assert_eq!(ids("thi hoa"), vec![whole]);
    assert_eq!(
        ids("le ho"),
        vec![prefix],
        "no whole-word name match: prefixes"
    );
    assert_eq!(
        ids("le"),
        vec![prefix, by_number, pham],
        "Lê by name first, then the households on đường Lê Lợi"
    );
    // Digits match the phone and the house number; neither is a name, so by name among them.
    assert_eq!(ids("912"), vec![by_phone, by_number]);

    // Paging walks the same ranked order, one household at a time, across the tiers.
    let paged = search_all_pages(&f.store, "hoa", 1, expected.len());
    assert_eq!(paged, expected);
    let first_two = f
        .store
        .search_households_page("hoa", None, None, 2, None)
        .unwrap();
    assert_eq!(
        first_two.items.iter().map(|h| h.id).collect::<Vec<_>>(),
        expected[..2]
    );
    // A household added between two pages shows up in its own tier when it sorts after the
    // position, and nothing repeats.
    let late = create("Võ Thị Hòa", "Số 1, đường Lê Lợi", None);
    let rest = f
        .store
        .search_households_page("hoa", None, None, 10, first_two.next.as_deref())
        .unwrap();
    assert_eq!(
        rest.items.iter().map(|h| h.id).collect::<Vec<_>>(),
        vec![late, prefix, by_address]
    );
    assert_eq!(rest.next, None);
}

#[test]
fn search_index_follows_edits() {
    let f = fixture();
    let h = f.household("Lê Văn Tám");
    f.store
        .update_household(h.id, &household_draft("Lê Văn Chín"))
        .unwrap();
    assert!(f
        .store
        .search_households("tam", None, None, 10)
        .unwrap()
        .is_empty());
    assert_eq!(
        f.store.search_households("chin", None, None, 10).unwrap()[0].id,
        h.id
    );
}

#[test]
fn list_by_commune_and_hamlet_sorted_by_name_with_last_visit() {
    let f = fixture();
    for (name, hamlet) in [
        ("Võ Thị Xuân", HAMLET_A),
        ("Âu Văn An", HAMLET_B),
        ("Bùi Văn Bảy", HAMLET_A),
    ] {
        let mut d = household_draft(name);
        d.hamlet_code = Some(hamlet.into());
        let h = f.store.create_household(&d).unwrap();
        if name.starts_with("Bùi") {
            let mut v = visit_draft(h.id);
            v.outcome = VisitOutcome::NotHome;
            v.people_reached = 0;
            v.assists.clear();
            f.store.record_visit(&v).unwrap();
        }
    }
    let all = f.store.list_households(COMMUNE, None, 10, 0).unwrap();
    assert_eq!(
        all.iter().map(|s| s.head_name.as_str()).collect::<Vec<_>>(),
        vec!["Âu Văn An", "Bùi Văn Bảy", "Võ Thị Xuân"]
    );
    assert_eq!(all[1].last_outcome, Some(VisitOutcome::NotHome));
    assert_eq!(all[1].last_visit_at, Some(start_time()));
    assert_eq!(all[0].last_visit_at, None);
    let a = f
        .store
        .list_households(COMMUNE, Some(HAMLET_A), 10, 0)
        .unwrap();
    assert_eq!(a.len(), 2);
    assert_eq!(
        f.store.list_households(COMMUNE, None, 1, 1).unwrap()[0].head_name,
        "Bùi Văn Bảy"
    );
    assert!(f
        .store
        .list_households(OTHER_COMMUNE, None, 10, 0)
        .unwrap()
        .is_empty());
}

#[test]
fn follow_ups_due_use_the_latest_visit_only() {
    let f = fixture();
    let h1 = f.household("Ngô Thị Hạnh");
    let h2 = f.household("Lý Văn Phúc");
    let mut v = visit_draft(h1.id);
    v.follow_up_on = Some(day(3, 12));
    f.store.record_visit(&v).unwrap();
    let mut v = visit_draft(h2.id);
    v.follow_up_on = Some(day(3, 11));
    f.store.record_visit(&v).unwrap();

    assert!(f.store.follow_ups_due(day(3, 10)).unwrap().is_empty());
    let due = f.store.follow_ups_due(day(3, 12)).unwrap();
    assert_eq!(
        due.iter().map(|d| d.household.id).collect::<Vec<_>>(),
        vec![h2.id, h1.id],
        "overdue first"
    );
    // Going back to h2 without a new follow-up clears it.
    f.clock.advance(Duration::days(1));
    let mut back = visit_draft(h2.id);
    back.assists.clear();
    f.store.record_visit(&back).unwrap();
    let due = f.store.follow_ups_due(day(3, 12)).unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].household.id, h1.id);
    assert_eq!(due[0].follow_up_on, day(3, 12));
}

#[test]
fn my_counts_split_today_week_and_campaign_by_local_date() {
    let f = fixture();
    // Monday 9 March 2026, 23:30 in Vietnam = 16:30 UTC: counts for Monday, not Tuesday.
    f.clock
        .set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 3, 9, 16, 30, 0).unwrap());
    let h = f.household("Hoàng Văn Sơn");
    f.store.record_visit(&visit_draft(h.id)).unwrap();
    // Tuesday 10 March 09:00 local.
    f.clock.set(start_time());
    let h2 = f.household("Hoàng Thị Thu");
    let v = f.store.record_visit(&visit_draft(h2.id)).unwrap();
    let mut second = visit_draft(h2.id);
    second.assists.truncate(1);
    second.assists[0].result = AssistResult::CompletedOnline;
    second.assists[0].dossier_code = None;
    f.store.correct_visit(v.id, &second).unwrap();
    f.store
        .record_session(&SessionDraft {
            draft_key: None,
            campaign_id: None,
            kind: SessionKind::DoorToDoorDay,
            area_code: HAMLET_A.into(),
            place: "Khu phố 1".into(),
            held_on: day(3, 10),
            attendees: 20,
            materials: vec![],
            note: None,
        })
        .unwrap();

    let counts = f.store.my_counts().unwrap();
    assert_eq!(counts.today.visits, 1, "the corrected visit counts once");
    assert_eq!(counts.today.households_visited, 1);
    assert_eq!(counts.today.services_supported, 1);
    assert_eq!(counts.today.vneid_activations, 0);
    assert_eq!(counts.today.sessions, 1);
    assert_eq!(counts.today.people_reached, 3 + 20);
    assert_eq!(counts.today.hamlets_covered, 1);
    assert_eq!(counts.this_week.visits, 2);
    assert_eq!(counts.this_week.households_visited, 2);
    let (campaign, tally) = counts.campaign.unwrap();
    assert_eq!(campaign.id, campaign_id());
    assert_eq!(tally.visits, 2);
    assert_eq!(tally.services_toan_trinh, 2);
}

#[test]
fn team_progress_adds_waiting_records_to_the_servers_count() {
    let f = fixture();
    let mut data = reference_data();
    let households_target = data.targets[0].id;
    data.achievements.push(TargetAchievement {
        target_id: households_target,
        achieved: 120,
        as_of: start_time(),
    });
    f.store.apply_reference_data(&data, true).unwrap();
    for i in 0..3 {
        let h = f.household(&format!("Hộ {i}"));
        f.store.record_visit(&visit_draft(h.id)).unwrap();
    }
    let progress = f.store.team_progress(None).unwrap();
    let hh = progress
        .iter()
        .find(|p| p.target.indicator == Indicator::HouseholdsVisited)
        .unwrap();
    assert_eq!(
        (hh.achieved_on_server, hh.achieved_waiting, hh.achieved),
        (120, 3, 123)
    );
    assert_eq!(hh.percent, 61);
    let sv = progress
        .iter()
        .find(|p| p.target.indicator == Indicator::ServicesSupported)
        .unwrap();
    assert_eq!((sv.achieved, sv.percent), (3, 3));
    assert!(matches!(
        f.store.team_progress(Some(uuid::Uuid::now_v7())),
        Err(Error::NotFound {
            kind: "campaign",
            ..
        })
    ));
}

const FAMILY: &[&str] = &["Nguyễn", "Trần", "Lê", "Phạm", "Đặng", "Đỗ", "Huỳnh", "Võ"];
const MIDDLE: &[&str] = &["Văn", "Thị", "Hữu", "Ngọc", "Đức"];
const GIVEN: &[&str] = &[
    "Ả", "An", "Anh", "Bình", "Đào", "Dũng", "Hà", "Hải", "Ánh", "Út",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// The store's FTS search returns exactly the households the protocol's reference matcher
    /// accepts, for queries made from random name prefixes with or without diacritics.
    #[test]
    fn store_search_agrees_with_reference_matcher(
        names in prop::collection::vec((0..FAMILY.len(), 0..MIDDLE.len(), 0..GIVEN.len()), 1..25),
        query_parts in prop::collection::vec((0..3usize, 1..4usize, any::<bool>()), 1..3),
        pick in any::<prop::sample::Index>(),
    ) {
        let f = fixture();
        let mut all = Vec::new();
        for (a, b, c) in &names {
            let name = format!("{} {} {}", FAMILY[*a], MIDDLE[*b], GIVEN[*c]);
            let h = f.household(&name);
            all.push((h.id, format!("{} {}", h.head_name, h.address_line)));
        }
        let target = &names[pick.index(names.len())];
        let words = [FAMILY[target.0], MIDDLE[target.1], GIVEN[target.2]];
        let query: Vec<String> = query_parts
            .iter()
            .map(|(w, len, strip)| {
                let word: String = words[*w].chars().take(*len).collect();
                if *strip { text::fold(&word) } else { word.to_uppercase() }
            })
            .collect();
        let query = query.join(" ");
        let mut expected: Vec<_> = all.iter().filter(|(_, t)| text::matches_query(t, &query)).map(|(id, _)| *id).collect();
        let mut got: Vec<_> = f.store.search_households(&query, None, None, 1000).unwrap().into_iter().map(|s| s.id).collect();
        expected.sort();
        got.sort();
        prop_assert!(!got.is_empty(), "the household the query was made from is found: {}", query);
        prop_assert_eq!(got, expected);
    }
}
