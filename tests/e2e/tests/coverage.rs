//! Coverage on the dashboard against a real server on both backends: per commune and hamlet, the
//! hamlets and households a campaign reached and those not reached since a day, counted from
//! what phones sent (visits inside and outside the campaign, a corrected visit, an erased
//! household, two teams in two units); the CSV and Excel files hold the page's numbers; the
//! households list filtered from a hamlet lists exactly the households counted; a commune
//! coordinator reaches only its own communes (another's answers as an unknown code does) and a
//! viewer may read.

use std::io::Cursor;
use std::time::Instant;

use calamine::{Data, Reader, Xlsx};
use chrono::Duration;
use gocua_e2e::admin::csv_rows;
use gocua_e2e::coverage::{morning, move_visit, row_cells, visit_at};
use gocua_e2e::dashboard::{admin_coordinator_and_viewer, assert_none_in_scope, Page, Web};
use gocua_e2e::places::*;
use gocua_e2e::seed::*;
use gocua_e2e::*;
use uuid::Uuid;

on_both_backends!(coverage_counts_scope_and_files);

/// The numbers of a row: hamlets, visited, not visited, households, reached, share, not since.
fn figures(cells: &[String]) -> Vec<String> {
    cells[cells.len() - 7..].to_vec()
}

fn coverage_counts_scope_and_files(backend: Backend) {
    let env = Env::start(backend);
    let (unit_a, unit_b) = split_units(&env.db, &env.seed);
    let (team_a, team_b) = (&env.seed.team_a, &env.seed.team_b);
    let campaign = &env.seed.campaign;
    let day = |n: i64| campaign.starts_on + Duration::days(n);
    let hoa = env.enrol(team_a, 0);
    let nam = env.enrol(team_b, 0);

    // Phường Bến Tre (A1), Khu phố 1: reached early, reached late, never; and one erased.
    let early = hoa.home(A1_KP1, "Ngô Văn Sớm", "1 Đường 1", 3);
    let late = hoa.home(A1_KP1, "Trịnh Thị Muộn", "2 Đường 1", 2);
    let never = hoa.home(A1_KP1, "Lý Văn Chưa", "3 Đường 1", 4);
    let erased = hoa.home(A1_KP1, "Đặng Thị Xoá", "4 Đường 1", 1);
    visit_at(&hoa, early.id, morning(day(5)));
    visit_at(&hoa, late.id, morning(day(3)));
    visit_at(&hoa, late.id, morning(day(25)));
    visit_at(&hoa, erased.id, morning(day(8)));
    // Khu phố 2: a visit before the campaign only, and a visit corrected to before it (its
    // superseded revision lay inside the campaign).
    let before = hoa.home(A1_KP2, "Hồ Văn Trước", "5 Đường 2", 2);
    let moved = hoa.home(A1_KP2, "Mai Thị Sửa", "6 Đường 2", 2);
    visit_at(&hoa, before.id, morning(day(-5)));
    let first = visit_at(&hoa, moved.id, morning(day(10)));
    move_visit(&hoa, first.id, moved.id, morning(day(-3)));
    // No hamlet recorded: reached on day 20.
    let plain = hoa.household(COMMUNE_A1, None, "Cao Văn Phố", "7 Đường 3", 5);
    visit_at(&hoa, plain.id, morning(day(20)));
    hoa.sync_clean(&hoa.transport);
    hoa.store.erase_household_personal_data(erased.id).unwrap();
    hoa.sync_clean(&hoa.transport);
    // Xã Long Hồ (B1), Ấp Long Hoà: team B's one household, reached on day 12.
    let b_home = nam.home(B1_AP1, "Bùi Văn Bê", "1 Ấp Một", 3);
    visit_at(&nam, b_home.id, morning(day(12)));
    nam.sync_clean(&nam.transport);

    admin_coordinator_and_viewer(&env.db, env.seed.org_unit.id, unit_a.id);
    let url = &env.server.url;
    let tinh = Web::login(url, "tinh");
    let (d1, d2) = (day(15), day(22));
    let q = |since: chrono::NaiveDate| format!("campaign={}&since={since}", campaign.id);

    // The communes page, for two days.
    let started = Instant::now();
    let page = tinh.get(&format!("/coverage?{}", q(d1)));
    let elapsed = started.elapsed();
    assert_eq!(page.status, 200, "{}", page.body);
    eprintln!("coverage page ({backend:?}, seed data): {elapsed:?}");
    let row = |p: &Page, name: &str| {
        figures(&row_cells(&p.body, name).unwrap_or_else(|| panic!("no row {name}: {}", p.body)))
    };
    let name = |code: &str| {
        areas()
            .iter()
            .find(|a| a.code == code)
            .unwrap()
            .name
            .clone()
    };
    let (a1, a2, b1, b2) = (
        name(COMMUNE_A1),
        name(COMMUNE_A2),
        name(COMMUNE_B1),
        name(COMMUNE_B2),
    );
    // A1: hamlets KP1 (reached) and KP2 (not); households early, late, never, before, moved,
    // plain (the erased one left out); reached early, late, plain; not reached since day 15:
    // early, never, before, moved.
    assert_eq!(row(&page, &a1), ["2", "1", "1", "6", "3", "50%", "4"]);
    assert_eq!(row(&page, &a2), ["1", "0", "1", "0", "0", "", "0"]);
    assert_eq!(row(&page, &b1), ["1", "1", "0", "1", "1", "100%", "1"]);
    assert_eq!(row(&page, &b2), ["0", "0", "0", "0", "0", "", "0"]);
    assert_eq!(
        row(&page, "Tổng cộng"),
        ["4", "2", "2", "7", "4", "57,1%", "5"]
    );
    // Since day 22, "plain" (day 20) joins them; team B's household (day 12) was already one.
    let page2 = tinh.get(&format!("/coverage?{}", q(d2)));
    assert_eq!(row(&page2, &a1)[6], "5");
    assert_eq!(row(&page2, &b1)[6], "1");
    assert_eq!(row(&page2, "Tổng cộng")[6], "6");
    // A day before the campaign: only the households never reached in it.
    let page0 = tinh.get(&format!("/coverage?{}", q(day(-10))));
    assert_eq!(row(&page0, &a1)[6], "3");

    // The commune's hamlets: Khu phố 2 (no visit) first and marked, then Khu phố 1, then the
    // households without a hamlet.
    let commune = tinh.get(&format!("/coverage/commune/{COMMUNE_A1}?{}", q(d1)));
    assert_eq!(commune.status, 200, "{}", commune.body);
    let body = &commune.body;
    let (kp2, kp1, none) = (
        body.find("Khu phố 2").unwrap(),
        body.find("Khu phố 1").unwrap(),
        body.find("(chưa ghi thôn, ấp)").unwrap(),
    );
    assert!(kp2 < kp1 && kp1 < none, "order of hamlets");
    assert_eq!(body.matches("class=\"unvisited\"").count(), 1, "{body}");
    let hamlet = |name: &str| row_cells(body, name).unwrap_or_else(|| panic!("{name}: {body}"));
    assert_eq!(hamlet("Khu phố 2")[1..], ["2", "0", "0%", "2"]);
    assert_eq!(hamlet("Khu phố 1")[1..], ["3", "2", "66,7%", "2"]);
    assert_eq!(hamlet("(chưa ghi thôn, ấp)")[1..], ["1", "1", "100%", "0"]);
    let a2_page = tinh.get(&format!("/coverage/commune/{COMMUNE_A2}?{}", q(d1)));
    assert_eq!(a2_page.status, 200);
    a2_page.assert_shows("Chưa có lượt đến");

    // The households list from a hamlet's "not reached since" link: exactly those households.
    let link = format!(
        "/households?hamlet={HAMLET_A1_KP1}&unit={}&campaign={}&not_since={d1}",
        env.seed.org_unit.id, campaign.id
    );
    assert!(body.contains(&link.replace('&', "&amp;")), "{body}");
    let list = tinh.get(&link);
    assert_eq!(list.status, 200, "{}", list.body);
    for (h, shown) in [
        (&early, true),
        (&never, true),
        (&late, false),
        (&erased, false),
    ] {
        assert_eq!(
            list.body.contains(&format!("/households/{}", h.id)),
            shown,
            "{} in the list: {}",
            h.head_name,
            list.body
        );
    }
    let all_kp1 = tinh.get(&format!("/households?hamlet={HAMLET_A1_KP1}"));
    assert_eq!(all_kp1.body.matches("href=\"/households/").count(), 3);
    let no_hamlet = tinh.get(&format!("/households?commune={COMMUNE_A1}&no_hamlet=1"));
    assert!(no_hamlet
        .body
        .contains(&format!("/households/{}", plain.id)));
    assert_eq!(no_hamlet.body.matches("href=\"/households/").count(), 1);

    // The CSV: both levels, the page's numbers.
    let csv = tinh.get(&format!("/coverage?{}&format=csv", q(d1)));
    assert_eq!(csv.status, 200);
    let rows = csv_rows(csv.body.trim_start_matches('\u{feff}'));
    assert_eq!(rows[0][0], "Cấp");
    assert!(
        rows[0][9].contains(&gocua_server::domain::format::date(d1)),
        "{:?}",
        rows[0]
    );
    for (level, commune, hamlet, want) in [
        ("xã, phường", &a1, "", ["2", "1", "1", "6", "3", "50", "4"]),
        (
            "thôn, ấp",
            &a1,
            "Khu phố 2",
            ["1", "0", "1", "2", "0", "0", "2"],
        ),
        (
            "thôn, ấp",
            &a1,
            "Khu phố 1",
            ["1", "1", "0", "3", "2", "66.67", "2"],
        ),
        ("xã, phường", &b1, "", ["1", "1", "0", "1", "1", "100", "1"]),
    ] {
        let r = rows
            .iter()
            .find(|r| r[0] == level && r[1] == *commune && r[2] == hamlet)
            .unwrap_or_else(|| panic!("{level} {commune} {hamlet}: {rows:?}"));
        assert_eq!(r[3..], want, "{level} {commune} {hamlet}");
    }

    // The Excel file: a communes sheet and a hamlets sheet, the same numbers.
    let (status, bytes) = tinh.get_bytes(&format!("/coverage?{}&format=xlsx", q(d1)));
    assert_eq!(status, 200);
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let names = book.sheet_names();
    assert_eq!(names.len(), 2, "{names:?}");
    let sheet_row = |book: &mut Xlsx<Cursor<Vec<u8>>>, sheet: &str, key: &[&str]| {
        let range = book.worksheet_range(sheet).unwrap();
        let text = |d: &Data| match d {
            Data::String(s) => s.clone(),
            Data::Float(f) => format!("{f}"),
            Data::Int(i) => format!("{i}"),
            _ => String::new(),
        };
        range
            .rows()
            .map(|r| r.iter().map(text).collect::<Vec<_>>())
            .find(|r| r.iter().zip(key).all(|(a, b)| a == b))
            .unwrap_or_else(|| panic!("{sheet}: no row {key:?}"))
    };
    let communes = sheet_row(&mut book, &names[0], &[&a1]);
    assert_eq!(communes[1..8], ["2", "1", "1", "6", "3", "0.5", "4"]);
    let hamlets = sheet_row(&mut book, &names[1], &[&a1, "Khu phố 2"]);
    assert_eq!(hamlets[2..9], ["1", "0", "1", "2", "0", "0", "2"]);

    // Scope: the commune coordinator sees its team's communes only; another's commune answers
    // as a code that does not exist; another team's filter too.
    let xa = Web::login(url, "xa_a");
    let own = xa.get(&format!("/coverage?{}", q(d1)));
    assert_eq!(own.status, 200);
    assert!(row_cells(&own.body, &a1).is_some() && row_cells(&own.body, &a2).is_some());
    assert!(row_cells(&own.body, &b1).is_none(), "{}", own.body);
    assert!(!own.body.contains(&b1));
    assert_eq!(row(&own, &a1), ["2", "1", "1", "6", "3", "50%", "4"]);
    assert_none_in_scope(
        &xa,
        &[
            (
                format!("/coverage/commune/{COMMUNE_B1}?{}", q(d1)),
                "a sibling's commune",
            ),
            (
                format!("/coverage/commune/99999?{}", q(d1)),
                "an unknown commune",
            ),
            (
                format!("/coverage?team={}", team_b.id),
                "another unit's team",
            ),
            (format!("/coverage?unit={}", unit_b.id), "a sibling unit"),
            (
                format!("/coverage?unit={}", Uuid::now_v7()),
                "an unknown unit",
            ),
        ],
    );
    let csv = xa.get(&format!("/coverage?{}&format=csv", q(d1)));
    assert!(!csv.body.contains(&b1), "{}", csv.body);
    // One team of the province: team B's commune only.
    let team_only = tinh.get(&format!("/coverage?{}&team={}", q(d1), team_b.id));
    assert!(row_cells(&team_only.body, &b1).is_some());
    assert!(row_cells(&team_only.body, &a1).is_none());

    // A viewer reads coverage (counts only).
    let xem = Web::login(url, "xem");
    let seen = xem.get(&format!("/coverage/commune/{COMMUNE_A1}?{}", q(d1)));
    assert_eq!(seen.status, 200);
    assert_eq!(
        row_cells(&seen.body, "Khu phố 1").unwrap()[1..],
        ["3", "2", "66,7%", "2"]
    );

    // A date that is no date: its own code, nothing else shown.
    let bad = tinh.get("/coverage?since=31-02-2026");
    assert_eq!(bad.status, 422, "{}", bad.body);
    bad.assert_shows("data-code=\"bad_date\"");
}
