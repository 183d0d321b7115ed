//! Campaigns administered in the browser (`/admin/campaigns…`) against a real server on both
//! backends: a province administrator creates a campaign, phones upload visits, and moving the
//! campaign's dates recounts its progress — the overview then shows exactly what a count of the
//! records in the new period gives, and the rollup equals a full rebuild; whole-campaign targets
//! follow the dates and the phones are sent the change. Bad dates are refused with their codes
//! and change nothing; only accounts of the top unit may touch campaigns; forms need the CSRF
//! token; every change is audited; `gocua admin edit-campaign` does the same.

use chrono::{Duration, NaiveDate};
use gocua_e2e::admin::{assert_refused, gocua_admin, overview_csv, unit_under};
use gocua_e2e::dashboard::{account, admin_coordinator_and_viewer, Page, Web};
use gocua_e2e::inspect::{count, scalar};
use gocua_e2e::seed::*;
use gocua_e2e::*;
use gocua_protocol::*;
use gocua_server::db::{Db, Sql};
use gocua_server::domain::accounts::Role;
use gocua_server::domain::coordination::{self, NewTarget};
use gocua_server::domain::{calendar, progress, rollup};
use uuid::Uuid;

on_both_backends!(
    new_dates_recount_the_campaign,
    bad_dates_and_outsiders_change_nothing
);

// The overview's indicators, in its column order (the server's own list: the test reads the
// overview's CSV by it and counts afresh by it, so both sides are in the same order).
use gocua_server::web::data::OVERVIEW_INDICATORS as INDICATORS;

fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn dmy(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// A campaign form: name, dates (as typed), deadline and peak rows.
fn campaign_form<'a>(
    csrf: &'a str,
    name: &'a str,
    (from, to, deadline): (&'a str, &'a str, &'a str),
    peaks: &'a [[String; 3]],
) -> Vec<(String, String)> {
    let mut f = vec![
        ("csrf".to_owned(), csrf.to_owned()),
        ("name".to_owned(), name.to_owned()),
        ("reference".to_owned(), "102-KH/TĐTN".to_owned()),
        ("from".to_owned(), from.to_owned()),
        ("to".to_owned(), to.to_owned()),
        ("deadline".to_owned(), deadline.to_owned()),
    ];
    for (i, [n, a, b]) in peaks.iter().enumerate() {
        f.push((format!("peak_name_{i}"), n.clone()));
        f.push((format!("peak_from_{i}"), a.clone()));
        f.push((format!("peak_to_{i}"), b.clone()));
    }
    // The two empty rows the page always offers.
    for i in peaks.len()..peaks.len() + 2 {
        for k in ["name", "from", "to"] {
            f.push((format!("peak_{k}_{i}"), String::new()));
        }
    }
    f
}

fn post(web: &Web, path: &str, form: &[(String, String)]) -> Page {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    web.post(path, &pairs)
}

fn load(db: &Db, id: Uuid) -> Campaign {
    db.tx(|sql: &mut dyn Sql| coordination::load_campaign(sql, id))
        .expect("campaign")
}

/// The overview's total row for a campaign's whole period, per indicator.
fn overview_total(web: &Web, seed: &Seed, campaign: Uuid) -> Vec<u64> {
    let rows = overview_csv(web, &format!("campaign={campaign}&period=all"));
    let total = rows
        .iter()
        .find(|r| r[0].starts_with(&seed.org_unit.name))
        .unwrap_or_else(|| panic!("no total row: {rows:?}"));
    (0..INDICATORS.len())
        .map(|k| {
            total[3 + 3 * k]
                .parse()
                .unwrap_or_else(|_| panic!("{total:?}"))
        })
        .collect()
}

/// What the records received in the campaign's current dates count, read afresh (the phones'
/// own arithmetic), per indicator.
fn fresh_count(db: &Db, seed: &Seed, campaign: Uuid) -> Vec<u64> {
    let c = load(db, campaign);
    let services = gocua_e2e::seed::services().to_vec();
    let tree = AreaTree::new(gocua_e2e::seed::areas());
    let total = [&seed.team_a, &seed.team_b]
        .iter()
        .map(|t| {
            db.tx(|sql: &mut dyn Sql| {
                progress::team_tally(sql, t.id, c.starts_on, c.ends_on, &services, &tree)
            })
            .expect("tally")
        })
        .fold(Tally::default(), |sum, t| sum.plus(&t));
    INDICATORS
        .iter()
        .map(|i| total.get(i).unwrap_or(0))
        .collect()
}

/// Every rollup row of the campaign, in order.
fn rollup_rows(db: &Db, campaign: Uuid) -> Vec<String> {
    let mut out = Vec::new();
    for (table, key) in [
        ("rollup_days", "team_id, day"),
        ("rollup_totals", "team_id"),
        ("rollup_households", "team_id, household_id"),
        ("rollup_hamlets", "team_id, hamlet_code"),
    ] {
        let rows = db
            .tx(|sql: &mut dyn Sql| {
                sql.query(
                    &format!("SELECT * FROM {table} WHERE campaign_id = ? ORDER BY {key}"),
                    &[campaign.into()],
                )
            })
            .expect("rollup rows");
        out.extend(rows.iter().map(|r| format!("{table} {r:?}")));
    }
    out
}

/// The overview equals a fresh count of the records, and the rollup equals a full rebuild.
#[track_caller]
fn assert_counts_exact(db: &Db, web: &Web, seed: &Seed, campaign: Uuid) -> Vec<u64> {
    let shown = overview_total(web, seed, campaign);
    assert_eq!(
        shown,
        fresh_count(db, seed, campaign),
        "overview vs records"
    );
    let kept = rollup_rows(db, campaign);
    db.tx(|sql: &mut dyn Sql| rollup::rebuild_all(sql))
        .expect("rebuild");
    assert_eq!(kept, rollup_rows(db, campaign), "rollup vs a full rebuild");
    shown
}

fn new_dates_recount_the_campaign(backend: Backend) {
    let env = Env::start(backend);
    split_units(&env.db, &env.seed);
    account(&env.db, "tinh", Role::Admin, env.seed.org_unit.id);
    let url = &env.server.url;
    let (web, csrf) = Web::login_with_csrf(url, "tinh");
    // The form of the campaign this test creates and moves: only its dates and peaks change.
    let summer = |dates: (&str, &str, &str), peaks: &[[String; 3]]| {
        campaign_form(&csrf, "Chiến dịch Mùa hè xanh", dates, peaks)
    };
    let today = calendar::today();
    let day = |n: i64| today + Duration::days(n);

    // The list shows the seeded campaign, running today.
    let list = web.get("/admin/campaigns");
    assert_eq!(list.status, 200, "{}", list.body);
    assert!(list.body.contains(&env.seed.campaign.name));
    list.assert_shows("data-status=\"running\"");
    assert_eq!(web.get("/admin/campaigns/new").status, 200);

    // Created in the browser, the start typed as Vietnamese write it.
    let peak = [["Tuần cao điểm".to_owned(), ymd(day(-1)), ymd(day(1))]];
    let created = post(
        &web,
        "/admin/campaigns/new",
        &summer((&dmy(day(-3)), &ymd(day(20)), &ymd(day(25))), &peak),
    );
    assert_eq!(created.status, 303, "{}", created.body);
    let location = created.location.expect("redirect");
    let id: Uuid = location
        .trim_start_matches("/admin/campaigns/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .expect("campaign id");
    let c = load(&env.db, id);
    assert_eq!(
        (c.starts_on, c.ends_on, c.report_deadline),
        (day(-3), day(20), day(25))
    );
    assert_eq!(c.peak_windows.len(), 1);
    assert!(web.get(&location).body.contains("data-done=\"created\""));
    assert_eq!(
        scalar(
            &env.db,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'campaign_created'",
            &[]
        ),
        1
    );
    // A target for the whole campaign, one for its last week only.
    env.db
        .tx(|sql: &mut dyn Sql| {
            coordination::set_target(
                sql,
                &NewTarget {
                    campaign_id: id,
                    team_id: env.seed.team_a.id,
                    indicator: Indicator::HouseholdsVisited,
                    value: 50,
                    starts_on: None,
                    ends_on: None,
                },
            )?;
            coordination::set_target(
                sql,
                &NewTarget {
                    campaign_id: id,
                    team_id: env.seed.team_b.id,
                    indicator: Indicator::Sessions,
                    value: 3,
                    starts_on: Some(day(14)),
                    ends_on: Some(day(20)),
                },
            )
        })
        .expect("targets");

    // Phones upload visits today.
    let hoa = env.enrol(&env.seed.team_a, 0);
    let nam = env.enrol(&env.seed.team_b, 0);
    hoa.record_field_day(COMMUNE_A1, Some(HAMLET_A1_KP1), 6);
    nam.record_field_day(COMMUNE_B1, Some(HAMLET_B1_AP1), 4);
    hoa.sync_clean(&hoa.transport);
    nam.sync_clean(&nam.transport);
    let reached = assert_counts_exact(&env.db, &web, &env.seed, id);
    assert!(
        reached[2] > 0,
        "households visited today count: {reached:?}"
    );

    // New dates that leave today out: nothing counts; the whole-campaign target follows.
    let seq = inspect::reference_seq(&env.db);
    let later_peak = [["Tuần cao điểm".to_owned(), ymd(day(3)), ymd(day(5))]];
    let moved = post(
        &web,
        &format!("/admin/campaigns/{id}"),
        &summer((&ymd(day(1)), &ymd(day(30)), &ymd(day(35))), &later_peak),
    );
    assert_eq!(moved.status, 303, "{}", moved.body);
    assert_eq!(
        moved.location.as_deref(),
        Some(format!("/admin/campaigns/{id}?done=recounted").as_str())
    );
    let shown = assert_counts_exact(&env.db, &web, &env.seed, id);
    assert!(shown.iter().all(|n| *n == 0), "{shown:?}");
    let targets = scalar(
        &env.db,
        "SELECT COUNT(*) FROM targets WHERE campaign_id = ? AND body LIKE ?",
        &[
            id.into(),
            format!("%\"ends_on\":\"{}\"%", ymd(day(30))).into(),
        ],
    );
    assert_eq!(
        targets, 1,
        "the whole-campaign target ends with the campaign"
    );
    // The phones are sent it: the reference counter moved and the campaign carries it.
    assert!(inspect::reference_seq(&env.db) > seq);
    assert_eq!(
        scalar(
            &env.db,
            "SELECT seq FROM campaigns WHERE id = ?",
            &[id.into()]
        ),
        scalar(&env.db, "SELECT MAX(seq) FROM campaigns", &[])
    );

    // Back over today: the same figures as before, again equal to the records.
    let back = post(
        &web,
        &format!("/admin/campaigns/{id}"),
        &summer((&ymd(day(-10)), &ymd(day(30)), &ymd(day(35))), &later_peak),
    );
    assert_eq!(back.status, 303, "{}", back.body);
    assert_eq!(assert_counts_exact(&env.db, &web, &env.seed, id), reached);

    // An end before team B's own-dated target: refused with the target listed, nothing changed.
    let before = load(&env.db, id);
    let seq = inspect::reference_seq(&env.db);
    let cut = post(
        &web,
        &format!("/admin/campaigns/{id}"),
        &summer((&ymd(day(-10)), &ymd(day(10)), &ymd(day(12))), &later_peak),
    );
    assert_refused(&cut, 422, "targets_outside_campaign");
    cut.assert_shows(&env.seed.team_b.name);
    assert_eq!(load(&env.db, id), before);
    assert_eq!(inspect::reference_seq(&env.db), seq);

    // A name change alone: saved, nothing recounted, teams' rollups stay current.
    let renamed_form = campaign_form(
        &csrf,
        "Chiến dịch Thanh niên tình nguyện hè",
        (&ymd(day(-10)), &ymd(day(30)), &ymd(day(35))),
        &later_peak,
    );
    let renamed = post(&web, &format!("/admin/campaigns/{id}"), &renamed_form);
    assert_eq!(
        renamed.location.as_deref(),
        Some(format!("/admin/campaigns/{id}?done=saved").as_str()),
        "{}",
        renamed.body
    );
    assert_eq!(
        scalar(
            &env.db,
            "SELECT COUNT(*) FROM rollup_teams WHERE reference_seq <> (SELECT value FROM counters WHERE name = 'reference')",
            &[]
        ),
        0
    );
    let same = post(&web, &format!("/admin/campaigns/{id}"), &renamed_form);
    assert!(same
        .location
        .unwrap_or_default()
        .ends_with("done=unchanged"));
    assert_eq!(
        scalar(
            &env.db,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'campaign_edited'",
            &[]
        ),
        3
    );
    assert!(web.get("/audit").body.contains("Sửa kế hoạch"));

    // The terminal edits through the same function, audited.
    let (ok, out, err) = gocua_admin(
        &env.test_db.target,
        &[
            "edit-campaign",
            "--campaign",
            &id.to_string(),
            "--to",
            &dmy(day(40)),
            "--no-peaks",
            "--by",
            "Văn phòng Tỉnh Đoàn",
        ],
    );
    assert!(ok, "{err}");
    assert!(out.contains("Đã sửa kế hoạch"), "{out}");
    let c = load(&env.db, id);
    assert_eq!((c.ends_on, c.peak_windows.len()), (day(40), 0));
    assert_counts_exact(&env.db, &web, &env.seed, id);
    let (ok, _, err) = gocua_admin(
        &env.test_db.target,
        &[
            "edit-campaign",
            "--campaign",
            &id.to_string(),
            "--to",
            &ymd(day(-20)),
        ],
    );
    assert!(
        !ok && err.contains("trước ngày bắt đầu") && err.contains("before the start"),
        "{err}"
    );
    assert_eq!(load(&env.db, id), c);
}

fn bad_dates_and_outsiders_change_nothing(backend: Backend) {
    let env = Env::start(backend);
    let (unit_a, _) = split_units(&env.db, &env.seed);
    let province = env.seed.org_unit.id;
    let below = unit_under(&env.db, "Đoàn Khối", OrgUnitKind::AgencyUnion, province);
    admin_coordinator_and_viewer(&env.db, province, unit_a.id);
    account(&env.db, "tinh_dp", Role::Coordinator, province);
    account(&env.db, "qt_khoi", Role::Admin, below.id);
    let url = &env.server.url;
    let (web, csrf) = Web::login_with_csrf(url, "tinh");
    let c = &env.seed.campaign;
    let edit_path = format!("/admin/campaigns/{}", c.id);
    let (s, e) = (c.starts_on, c.ends_on);
    let good_peak = || [["Đợt 1".to_owned(), ymd(s), ymd(s + Duration::days(3))]];
    let snapshot = |db: &Db| {
        (
            count(db, "campaigns"),
            load(db, c.id),
            inspect::reference_seq(db),
            count(db, "audit_log"),
        )
    };
    let before = snapshot(&env.db);

    let cases: Vec<(Vec<(String, String)>, &str)> = vec![
        (
            campaign_form(
                &csrf,
                "X",
                (&ymd(s), &ymd(s - Duration::days(1)), &ymd(e)),
                &good_peak(),
            ),
            "end_before_start",
        ),
        (
            campaign_form(
                &csrf,
                "X",
                (&ymd(s), &ymd(e), &ymd(s - Duration::days(1))),
                &good_peak(),
            ),
            "deadline_before_start",
        ),
        (
            campaign_form(
                &csrf,
                "X",
                (&ymd(s), &ymd(e), &ymd(e)),
                &[["Ngoài".to_owned(), ymd(e), ymd(e + Duration::days(1))]],
            ),
            "peak_outside_campaign",
        ),
        (
            campaign_form(
                &csrf,
                "X",
                (&ymd(s), &ymd(e), &ymd(e)),
                &[["Ngược".to_owned(), ymd(s + Duration::days(3)), ymd(s)]],
            ),
            "bad_peak_window",
        ),
        (
            campaign_form(
                &csrf,
                "X",
                (&ymd(s), &ymd(e), &ymd(e)),
                &[["".to_owned(), ymd(s), ymd(s)]],
            ),
            "bad_peak_window",
        ),
        (
            campaign_form(&csrf, "X", ("31/02/2026", &ymd(e), &ymd(e)), &good_peak()),
            "bad_date",
        ),
        (
            campaign_form(&csrf, "X", ("", &ymd(e), &ymd(e)), &good_peak()),
            "bad_date",
        ),
        (
            campaign_form(&csrf, "   ", (&ymd(s), &ymd(e), &ymd(e)), &good_peak()),
            "bad_name",
        ),
    ];
    for (form, code) in &cases {
        for path in ["/admin/campaigns/new", edit_path.as_str()] {
            let p = post(&web, path, form);
            assert_refused(&p, 422, code);
            assert!(
                p.body.contains("method=\"post\""),
                "{code}: the form comes back"
            );
        }
    }
    assert_eq!(snapshot(&env.db), before, "nothing changed");

    // Forged forms.
    for token in ["", "forged"] {
        let form = campaign_form(token, "Giả mạo", (&ymd(s), &ymd(e), &ymd(e)), &[]);
        assert_refused(
            &post(&web, "/admin/campaigns/new", &form),
            403,
            "csrf_mismatch",
        );
        assert_refused(&post(&web, &edit_path, &form), 403, "csrf_mismatch");
    }
    assert_eq!(snapshot(&env.db), before, "nothing changed");
    assert_refused(
        &web.get(&format!("/admin/campaigns/{}", Uuid::now_v7())),
        404,
        "not_found",
    );

    // Only accounts of the top unit: a commune coordinator, an administrator of a unit below the
    // province and a viewer are refused, whatever they send.
    for user in ["xa_a", "qt_khoi", "xem"] {
        let other = Web::login(url, user);
        let token = other.csrf();
        assert_refused(&other.get("/admin/campaigns"), 403, "forbidden");
        assert_refused(&other.get("/admin/campaigns/new"), 403, "forbidden");
        assert_refused(&other.get(&edit_path), 403, "forbidden");
        let form = campaign_form(&token, "Của xã", (&ymd(s), &ymd(e), &ymd(e)), &[]);
        assert_refused(
            &post(&other, "/admin/campaigns/new", &form),
            403,
            "forbidden",
        );
        assert_refused(&post(&other, &edit_path, &form), 403, "forbidden");
    }
    assert_eq!(
        (count(&env.db, "campaigns"), load(&env.db, c.id)),
        (before.0, before.1.clone())
    );
    // A coordinator of the province may.
    let (dp, dp_csrf) = Web::login_with_csrf(url, "tinh_dp");
    let renamed = post(
        &dp,
        &edit_path,
        &campaign_form(
            &dp_csrf,
            "Ra quân hỗ trợ dịch vụ công trực tuyến 2026",
            (&ymd(s), &ymd(e), &ymd(c.report_deadline)),
            &c.peak_windows
                .iter()
                .map(|w| [w.name.clone(), ymd(w.starts_on), ymd(w.ends_on)])
                .collect::<Vec<_>>(),
        ),
    );
    assert_eq!(renamed.status, 303, "{}", renamed.body);
    assert_eq!(
        load(&env.db, c.id).name,
        "Ra quân hỗ trợ dịch vụ công trực tuyến 2026"
    );
    assert_eq!(
        scalar(
            &env.db,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'campaign_edited' AND username = 'tinh_dp'",
            &[]
        ),
        1
    );
}
