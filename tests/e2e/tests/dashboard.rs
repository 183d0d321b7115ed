//! The coordinators' dashboard against a real server on both backends: what it counts equals
//! what the phones sent; a coordinator reaches only their unit's subtree whatever ids are put in
//! URLs or forms; forms need the session's CSRF token; repeated failed sign-ins lock the account;
//! personal data is shown only to roles that need it, and never after erasure.

use std::collections::HashMap;

use gocua_core::protocol::*;
use gocua_e2e::admin::csv_rows;
use gocua_e2e::dashboard::{
    account, admin_coordinator_and_viewer, assert_none_in_scope, assert_not_in_scope, client,
    login_attempt, Web, PASSWORD,
};
use gocua_e2e::places::*;
use gocua_e2e::seed::*;
use gocua_e2e::*;
use gocua_server::db::{Db, Sql};
use gocua_server::domain::accounts::Role;
use reqwest::header::{COOKIE, LOCATION};
use uuid::Uuid;

on_both_backends!(
    progress_matches_the_phones_and_scope_holds,
    failed_sign_ins_lock_the_account
);

/// The overview's CSV export as rows of (first cell → cells).
fn overview_csv(web: &Web, query: &str) -> HashMap<String, Vec<String>> {
    let p = web.get(&format!("/?{query}&format=csv"));
    assert_eq!(p.status, 200, "{}", p.body);
    let text = p.body.trim_start_matches('\u{feff}');
    let mut rows = HashMap::new();
    let mut reader = csv_rows(text);
    let header = reader.remove(0);
    assert!(header[0].contains("Đơn vị"), "{header:?}");
    for r in reader {
        rows.insert(r[0].clone(), r);
    }
    rows
}

fn households_visited_by(db: &Db, seed: &Seed, team: &Team) -> u64 {
    let services = gocua_e2e::seed::services().to_vec();
    let tree = AreaTree::new(gocua_e2e::seed::areas());
    db.tx(|sql: &mut dyn Sql| {
        gocua_server::domain::progress::team_tally(
            sql,
            team.id,
            seed.campaign.starts_on,
            seed.campaign.ends_on,
            &services,
            &tree,
        )
    })
    .expect("tally")
    .households_visited
}

fn progress_matches_the_phones_and_scope_holds(backend: Backend) {
    let env = Env::start(backend);
    let (unit_a, unit_b) = split_units(&env.db, &env.seed);
    let (team_a, team_b) = (&env.seed.team_a, &env.seed.team_b);
    let hoa = env.enrol(team_a, 0);
    let nam = env.enrol(team_b, 0);
    hoa.record_field_day(COMMUNE_A1, Some(HAMLET_A1_KP1), 7);
    nam.record_field_day(COMMUNE_B1, Some(HAMLET_B1_AP1), 5);
    let erased = hoa.home(A1_KP1, "Đặng Thị Xoá", "12 Đường Số 3", 4);
    let secret_b = nam.home(B1_AP1, "Bùi Văn Bí Mật", "7 Ấp Một", 3);
    hoa.sync_clean(&hoa.transport);
    nam.sync_clean(&nam.transport);

    admin_coordinator_and_viewer(&env.db, env.seed.org_unit.id, unit_a.id);
    let url = &env.server.url;

    // Not signed in: the login page, coming back afterwards.
    let anon = client().get(format!("{url}/households")).send().unwrap();
    assert_eq!(anon.status().as_u16(), 303);
    assert_eq!(anon.headers()[LOCATION], "/login?next=%2Fhouseholds");

    // The province sees both units, counted as the phones' own progress arithmetic counts them.
    let tinh = Web::login(url, "tinh");
    let q = format!("campaign={}&period=all", env.seed.campaign.id);
    let rows = overview_csv(&tinh, &q);
    let col = 3 + 3 * 2; // households_visited: result column (3 leading columns, 3 per indicator)
    let a_count: u64 = rows[&unit_a.name][col].parse().unwrap();
    let b_count: u64 = rows[&unit_b.name][col].parse().unwrap();
    assert_eq!(a_count, households_visited_by(&env.db, &env.seed, team_a));
    assert_eq!(b_count, households_visited_by(&env.db, &env.seed, team_b));
    assert!(a_count > 0 && b_count > 0, "{a_count} {b_count}");
    let total_key = rows
        .keys()
        .find(|k| k.starts_with(&env.seed.org_unit.name))
        .expect("total row")
        .clone();
    assert_eq!(
        rows[&total_key][col].parse::<u64>().unwrap(),
        a_count + b_count
    );
    // The target of team A for households (seeded 200) shows against unit A.
    assert_eq!(rows[&unit_a.name][col + 1], "200");

    // The commune coordinator: own unit and team, nothing else, whatever the URL says.
    let xa = Web::login(url, "xa_a");
    assert_eq!(xa.get(&format!("/teams/{}", team_a.id)).status, 200);
    assert_none_in_scope(
        &xa,
        &[
            (format!("/teams/{}", team_b.id), "other team's page"),
            (format!("/?unit={}", unit_b.id), "other unit's overview"),
            (
                format!("/?unit={}", env.seed.org_unit.id),
                "the province above",
            ),
            (
                format!("/households/{}", secret_b.id),
                "other team's household",
            ),
            (
                format!("/households?team={}", team_b.id),
                "other team's households",
            ),
            (format!("/visits?unit={}", unit_b.id), "other unit's visits"),
            (
                format!("/teams/{}", Uuid::now_v7()),
                "an id that does not exist",
            ),
        ],
    );
    let own = xa.get("/households");
    assert!(
        !own.body.contains("Bùi Văn Bí Mật"),
        "team B's household leaked into unit A's list"
    );
    let csrf = xa.csrf();
    let p = xa.post(
        &format!("/teams/{}/targets", team_b.id),
        &[
            ("csrf", &csrf),
            ("campaign", &env.seed.campaign.id.to_string()),
            ("households_visited", "1"),
        ],
    );
    assert_not_in_scope(&p, "a target for another team");
    let p = xa.post(
        &format!("/devices/{}/revoke", nam.device_id()),
        &[("csrf", &csrf)],
    );
    assert_not_in_scope(&p, "revoking another team's phone");
    let p = xa.post(
        &format!("/teams/{}/codes", team_b.id),
        &[
            ("csrf", &csrf),
            ("member_id", &team_b.members[0].id.to_string()),
        ],
    );
    assert_not_in_scope(&p, "an enrolment code for another team");
    let rows = overview_csv(&tinh, &q);
    assert_eq!(
        rows[&unit_b.name][col + 1],
        "150",
        "team B's target was changed from outside its scope"
    );
    assert!(
        gocua_e2e::inspect::device_row(&env.db, nam.device_id()).is_some_and(|d| !d.4),
        "team B's phone was revoked from outside"
    );

    // CSRF: the right session with a wrong token changes nothing.
    let p = xa.post(
        &format!("/teams/{}/targets", team_a.id),
        &[
            ("csrf", "forged"),
            ("campaign", &env.seed.campaign.id.to_string()),
            ("households_visited", "1"),
        ],
    );
    assert_eq!(p.status, 403, "{}", p.body);
    assert!(p.body.contains("csrf_mismatch"));
    assert_eq!(overview_csv(&tinh, &q)[&unit_a.name][col + 1], "200");
    // With the token, in scope, it changes, and the audit log says who did it.
    let p = xa.post(
        &format!("/teams/{}/targets", team_a.id),
        &[
            ("csrf", &csrf),
            ("campaign", &env.seed.campaign.id.to_string()),
            ("households_visited", "250"),
        ],
    );
    assert_eq!(p.status, 303, "{}", p.body);
    assert_eq!(overview_csv(&tinh, &q)[&unit_a.name][col + 1], "250");
    let audit = tinh.get("/audit").body;
    assert!(
        audit.contains("xa_a") && audit.contains("households_visited = 250"),
        "{audit}"
    );
    // A bad number is a clear refusal, not a half-written change.
    let p = xa.post(
        &format!("/teams/{}/targets", team_a.id),
        &[
            ("csrf", &csrf),
            ("campaign", &env.seed.campaign.id.to_string()),
            ("households_visited", "-5"),
            ("sessions", "9"),
        ],
    );
    assert_eq!(p.status, 422, "{}", p.body);
    p.assert_shows("không phải là số nguyên");
    let rows = overview_csv(&tinh, &q);
    assert_eq!(rows[&unit_a.name][col + 1], "250");
    assert_eq!(
        rows[&unit_a.name][3 + 1],
        "8",
        "sessions target must be untouched by the refused form"
    );

    // Personal data: the coordinator and the admin see names; the viewer never does.
    assert!(tinh.get("/households").body.contains("Bùi Văn Bí Mật"));
    assert!(xa.get("/households").body.contains("Đặng Thị Xoá"));
    let xem = Web::login(url, "xem");
    let listed = xem.get("/households");
    assert_eq!(listed.status, 200);
    assert!(
        !listed.body.contains("Bùi Văn Bí Mật") && !listed.body.contains("Đặng Thị Xoá"),
        "viewer saw names"
    );
    assert!(!xem
        .get(&format!("/households/{}", secret_b.id))
        .body
        .contains("Bùi Văn Bí Mật"));
    assert!(!xem
        .get("/households?format=csv")
        .body
        .contains("Bùi Văn Bí Mật"));
    assert!(!xem
        .get("/visits?format=csv")
        .body
        .contains("Bùi Văn Bí Mật"));
    // The viewer cannot change anything either.
    let p = xem.post(
        &format!("/teams/{}/targets", team_a.id),
        &[
            ("csrf", &xem.csrf()),
            ("campaign", &env.seed.campaign.id.to_string()),
            ("households_visited", "1"),
        ],
    );
    assert_eq!(p.status, 403);

    // Erasure on request, from the phone: gone from every view and export.
    hoa.store.erase_household_personal_data(erased.id).unwrap();
    hoa.sync_clean(&hoa.transport);
    for path in [
        "/households",
        "/households?format=csv",
        "/households?format=xlsx",
        "/visits",
        "/visits?format=csv",
        "/follow-ups?until=2100-01-01",
    ] {
        let body = tinh.get(path).body;
        assert!(
            !body.contains("Đặng Thị Xoá") && !body.contains("12 Đường Số 3"),
            "{path} still shows erased data"
        );
    }
    assert!(!tinh
        .get(&format!("/households/{}", erased.id))
        .body
        .contains("Đặng Thị Xoá"));

    // Deleting a visit: counts drop, and the phone is told "deleted" if it sends it again.
    let before = overview_csv(&tinh, &q)[&unit_b.name][3 + 3]
        .parse::<u64>()
        .unwrap(); // visits? people
    let visit = gocua_e2e::inspect::ids(&env.db, "visits")
        .into_iter()
        .find(|id| {
            gocua_e2e::inspect::visit(&env.db, *id)
                .is_some_and(|v| v.team_id == team_b.id && v.people_reached > 0)
        })
        .expect("a visit of team B");
    let people = gocua_e2e::inspect::visit(&env.db, visit)
        .unwrap()
        .people_reached as u64;
    let p = tinh.post(
        &format!("/visits/{visit}/delete"),
        &[("csrf", &tinh.csrf())],
    );
    assert_eq!(p.status, 303, "{}", p.body);
    assert!(gocua_e2e::inspect::visit(&env.db, visit).is_none());
    let after = overview_csv(&tinh, &q)[&unit_b.name][3 + 3]
        .parse::<u64>()
        .unwrap();
    assert_eq!(
        after,
        before - people,
        "people reached must drop by the deleted visit's people"
    );
}

fn failed_sign_ins_lock_the_account(backend: Backend) {
    let env = Env::start(backend);
    account(&env.db, "khoa", Role::Coordinator, env.seed.org_unit.id);
    let url = &env.server.url;
    for i in 0..4 {
        let (p, cookie) = login_attempt(url, "khoa", "sai mật khẩu");
        assert_eq!(p.status, 401, "attempt {i}");
        assert!(cookie.is_none());
        p.assert_shows("không đúng");
    }
    // The fifth failure locks; then even the right password is refused until the lock ends.
    let (p, _) = login_attempt(url, "khoa", "sai mật khẩu");
    p.assert_shows("tạm khoá");
    let (p, cookie) = login_attempt(url, "khoa", PASSWORD);
    assert_eq!(p.status, 401);
    assert!(
        cookie.is_none() && p.body.contains("tạm khoá"),
        "{}",
        p.body
    );
    // An unknown user gets the same answer as a wrong password.
    let (p, _) = login_attempt(url, "khong-co", PASSWORD);
    assert_eq!(p.status, 401);
    assert!(p.body.contains("Tên đăng nhập hoặc mật khẩu không đúng"));
    // Failed and locked sign-ins are in the audit log.
    let n = env
        .db
        .tx(|sql: &mut dyn Sql| {
            sql.query("SELECT action FROM audit_log WHERE username = 'khoa'", &[])
        })
        .unwrap();
    let actions: Vec<String> = n.iter().map(|r| r.text(0)).collect();
    assert_eq!(
        actions.iter().filter(|a| *a == "login_failed").count(),
        4,
        "{actions:?}"
    );
    assert!(actions.iter().any(|a| a == "login_locked"));
    // A session cookie that was never issued gets the login page, not data.
    let r = client()
        .get(format!("{url}/"))
        .header(COOKIE, "gocua_session=00ff")
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let _ = p.location;
}
