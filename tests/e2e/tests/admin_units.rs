//! The units' administration pages (`/admin/units…`) against a real server on both backends:
//! create, rename, move, change the area, deactivate (refused while the unit still has work)
//! and reactivate, each with its audit entry and a reference change the phones pull; every bad
//! input refused with its code and nothing stored; the subtree rule (a commune coordinator
//! reaches neither a sibling commune's union nor anything above its own unit, and cannot move
//! its own unit); viewers refused; forms without the session's CSRF token refused; and the same
//! rules at the terminal (`gocua admin rename-unit | move-unit | deactivate-unit | units`).

use chrono::Utc;
use gocua_e2e::dashboard::{account, Page, Web};
use gocua_e2e::seed::*;
use gocua_e2e::server::{gocua_admin, gocua_admin_output};
use gocua_e2e::*;
use gocua_server::db::{Db, Sql};
use gocua_server::domain::accounts::Role;
use gocua_server::domain::refdata;
use gocua_server::params;
use uuid::Uuid;

on_both_backends!(units_are_administered_within_the_subtree);

fn count(db: &Db, query: &str, p: &[gocua_server::db::Value]) -> i64 {
    db.tx(|sql: &mut dyn Sql| sql.query_one(query, p))
        .expect("count")
        .map_or(0, |r| r.int(0))
}

fn units(db: &Db) -> i64 {
    count(db, "SELECT count(*) FROM org_units", &[])
}

fn unit_field(db: &Db, id: Uuid, column: &str) -> Option<String> {
    db.tx(|sql: &mut dyn Sql| {
        sql.query_one(
            &format!("SELECT {column} FROM org_units WHERE id = ?"),
            params![id],
        )
    })
    .expect("unit")
    .and_then(|r| match &r.0[0] {
        gocua_server::db::Value::Null => None,
        gocua_server::db::Value::Int(i) => Some(i.to_string()),
        _ => r.opt_text(0),
    })
}

fn audited(db: &Db, username: &str, action: &str, subject: &str) -> i64 {
    count(
        db,
        "SELECT count(*) FROM audit_log WHERE username = ? AND action = ? AND subject = ?",
        params![username, action, subject],
    )
}

fn assert_code(p: &Page, status: u16, code: &str) {
    assert_eq!(p.status, status, "{code}: {}", p.body);
    assert!(
        p.body.contains(&format!("data-code=\"{code}\"")),
        "{code}: {}",
        p.body
    );
}

/// A signed-in browser with its CSRF token.
struct Admin {
    web: Web,
    csrf: String,
}

impl Admin {
    fn login(url: &str, user: &str) -> Admin {
        let web = Web::login(url, user);
        let csrf = web.csrf();
        Admin { web, csrf }
    }

    fn post(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let mut form = vec![("csrf", self.csrf.as_str())];
        form.extend_from_slice(fields);
        self.web.post(path, &form)
    }

    /// Creates a unit through the form; its id.
    fn create(&self, name: &str, kind: &str, parent: Uuid, area: &str) -> Uuid {
        let parent = parent.to_string();
        let p = self.post(
            "/admin/units/new",
            &[
                ("name", name),
                ("kind", kind),
                ("parent", &parent),
                ("area", area),
            ],
        );
        assert_eq!(p.status, 303, "{}", p.body);
        let location = p.location.expect("a redirect");
        let id = location
            .strip_prefix("/admin/units/")
            .and_then(|rest| rest.strip_suffix("?done=created"))
            .unwrap_or_else(|| panic!("{location}"));
        Uuid::parse_str(id).unwrap()
    }
}

fn units_are_administered_within_the_subtree(backend: Backend) {
    let env = Env::start(backend);
    let db = &env.db;
    let url = &env.server.url;
    let province = env.seed.org_unit.id;
    account(db, "tinh", Role::Admin, province);
    account(db, "xem", Role::Viewer, province);
    let tinh = Admin::login(url, "tinh");

    // The tree, and the form for a new unit (areas under the province, the province as parent).
    let list = tinh.web.get("/admin/units");
    assert_eq!(list.status, 200, "{}", list.body);
    list.assert_shows("Tỉnh Đoàn Vĩnh Long");
    let form = tinh.web.get("/admin/units/new");
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(form.body.contains(&format!("value=\"{COMMUNE_A1}\"")));
    assert!(
        !form.body.contains(&format!("value=\"{HAMLET_A1_KP1}\"")),
        "no hamlets offered"
    );

    // Create two commune unions; each audited, each a reference change.
    let seq = inspect::reference_seq(db);
    let ben_tre = tinh.create("Đoàn phường Bến Tre", "commune_union", province, COMMUNE_A1);
    let long_ho = tinh.create("Đoàn xã Long Hồ", "Đoàn xã, phường", province, COMMUNE_B1);
    assert!(inspect::reference_seq(db) > seq);
    assert_eq!(
        unit_field(db, ben_tre, "parent_id"),
        Some(province.to_string())
    );
    assert_eq!(
        unit_field(db, ben_tre, "kind").as_deref(),
        Some("commune_union")
    );
    assert_eq!(
        unit_field(db, long_ho, "area_code").as_deref(),
        Some(COMMUNE_B1)
    );
    assert_eq!(
        audited(db, "tinh", "unit_created", "Đoàn phường Bến Tre"),
        1
    );
    let page = tinh
        .web
        .get(&format!("/admin/units/{ben_tre}?done=created"));
    assert_eq!(page.status, 200);
    page.assert_shows("Đã tạo đơn vị.");

    // Bad inputs: each its code, nothing stored.
    let before = units(db);
    let p = province.to_string();
    let b = ben_tre.to_string();
    let bad: [(&[(&str, &str)], &str); 6] = [
        (
            &[
                ("name", " "),
                ("kind", "commune_union"),
                ("parent", &p),
                ("area", ""),
            ],
            "unit_name_invalid",
        ),
        (
            &[
                ("name", "X"),
                ("kind", "club"),
                ("parent", &p),
                ("area", ""),
            ],
            "unit_kind_invalid",
        ),
        (
            &[
                ("name", "X"),
                ("kind", "other"),
                ("parent", &b),
                ("area", COMMUNE_B1),
            ],
            "unit_area_outside_parent",
        ),
        (
            &[
                ("name", "X"),
                ("kind", "other"),
                ("parent", &b),
                ("area", HAMLET_A1_KP1),
            ],
            "unit_area_level",
        ),
        (
            &[
                ("name", "X"),
                ("kind", "other"),
                ("parent", &p),
                ("area", "00000"),
            ],
            "area_unknown",
        ),
        (
            &[
                ("name", &"X".repeat(121)),
                ("kind", "other"),
                ("parent", &p),
                ("area", ""),
            ],
            "unit_name_invalid",
        ),
    ];
    for (fields, code) in bad {
        let page = tinh.post("/admin/units/new", fields);
        assert_code(&page, 422, code);
        assert!(page.body.contains("name=\"name\""), "the form again");
        assert_eq!(units(db), before, "{code}");
    }

    // Rename: audited under the new name, and the phones of the unit's teams pull the name.
    let mut team_a = env.seed.team_a.clone();
    team_a.org_unit_id = ben_tre;
    db.tx(|sql: &mut dyn Sql| refdata::upsert_team(sql, &team_a))
        .unwrap();
    let seq = inspect::reference_seq(db);
    let page = tinh.post(
        &format!("/admin/units/{ben_tre}/rename"),
        &[("name", "Đoàn phường Bến Tre (mới)")],
    );
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(
        page.location.as_deref(),
        Some(format!("/admin/units/{ben_tre}?done=renamed").as_str())
    );
    assert_eq!(
        unit_field(db, ben_tre, "name").as_deref(),
        Some("Đoàn phường Bến Tre (mới)")
    );
    assert_eq!(
        audited(db, "tinh", "unit_renamed", "Đoàn phường Bến Tre (mới)"),
        1
    );
    assert!(inspect::reference_seq(db) > seq);
    let snapshot = inspect::team_snapshot(db, team_a.id);
    assert_eq!(snapshot.org_units[0].name, "Đoàn phường Bến Tre (mới)");

    // Move: a branch under Bến Tre moves to Long Hồ; never under itself or below itself.
    let move_unit = |unit: Uuid, parent: Uuid| {
        tinh.post(
            &format!("/admin/units/{unit}/move"),
            &[("parent", &parent.to_string())],
        )
    };
    let chi_doan = tinh.create("Chi đoàn Khu phố 1", "other", ben_tre, "");
    assert_code(&move_unit(ben_tre, chi_doan), 422, "unit_move_cycle");
    assert_code(&move_unit(ben_tre, ben_tre), 422, "unit_move_cycle");
    assert_eq!(
        unit_field(db, ben_tre, "parent_id"),
        Some(province.to_string())
    );
    let page = move_unit(chi_doan, long_ho);
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(
        unit_field(db, chi_doan, "parent_id"),
        Some(long_ho.to_string())
    );
    assert_eq!(audited(db, "tinh", "unit_moved", "Chi đoàn Khu phố 1"), 1);
    // A unit with a commune's area cannot move under another commune's union.
    let ward_branch = tinh.create("Đoàn khu phố Bến Tre", "other", ben_tre, COMMUNE_A1);
    assert_code(
        &move_unit(ward_branch, long_ho),
        422,
        "unit_area_outside_parent",
    );

    // Area: Long Hồ's changes, within the province only; a unit's area must still cover its
    // children's (Bến Tre's branch answers for its commune).
    let page = tinh.post(
        &format!("/admin/units/{long_ho}/area"),
        &[("area", COMMUNE_B2)],
    );
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(
        unit_field(db, long_ho, "area_code").as_deref(),
        Some(COMMUNE_B2)
    );
    assert_eq!(
        audited(db, "tinh", "unit_area_changed", "Đoàn xã Long Hồ"),
        1
    );
    let page = tinh.post(
        &format!("/admin/units/{ben_tre}/area"),
        &[("area", COMMUNE_A2)],
    );
    assert_code(&page, 422, "unit_area_children_outside");
    assert_eq!(
        unit_field(db, ben_tre, "area_code").as_deref(),
        Some(COMMUNE_A1)
    );

    // Deactivate: refused while Bến Tre has an active team and units below, naming them.
    let page = tinh.post(&format!("/admin/units/{ben_tre}/deactivate"), &[]);
    assert_code(&page, 422, "unit_not_empty");
    page.assert_shows(&team_a.name);
    page.assert_shows("Đoàn khu phố Bến Tre");
    assert_eq!(unit_field(db, ben_tre, "deactivated_at"), None);
    // The team stops (as its own page would stop it) and the branch is deactivated first.
    db.tx(|sql: &mut dyn Sql| {
        sql.exec(
            "UPDATE teams SET deactivated_at = ? WHERE id = ?",
            params![Utc::now(), team_a.id],
        )
    })
    .unwrap();
    let page = tinh.post(&format!("/admin/units/{ward_branch}/deactivate"), &[]);
    assert_eq!(page.status, 303, "{}", page.body);
    // An account still active at the unit blocks it too (it would go on working in a subtree
    // nobody looks after); deactivated, it no longer does.
    account(db, "phuong.bentre", Role::Viewer, ben_tre);
    let page = tinh.post(&format!("/admin/units/{ben_tre}/deactivate"), &[]);
    assert_code(&page, 422, "unit_not_empty");
    page.assert_shows("phuong.bentre");
    assert_eq!(unit_field(db, ben_tre, "deactivated_at"), None);
    db.tx(|sql: &mut dyn Sql| {
        sql.exec(
            "UPDATE coordinators SET disabled_at = ? WHERE username = 'phuong.bentre'",
            params![Utc::now()],
        )
    })
    .unwrap();
    let seq = inspect::reference_seq(db);
    let page = tinh.post(&format!("/admin/units/{ben_tre}/deactivate"), &[]);
    assert_eq!(page.status, 303, "{}", page.body);
    assert!(unit_field(db, ben_tre, "deactivated_at").is_some());
    assert!(inspect::reference_seq(db) > seq);
    assert_eq!(
        audited(db, "tinh", "unit_deactivated", "Đoàn phường Bến Tre (mới)"),
        1
    );
    // A deactivated unit is shown greyed, is no parent on offer and takes no new unit.
    let list = tinh.web.get("/admin/units");
    list.assert_shows("Đã ngừng hoạt động");
    let form = tinh.web.get("/admin/units/new");
    assert!(!form.body.contains(&format!("option value=\"{ben_tre}\"")));
    let before = units(db);
    let page = tinh.post(
        "/admin/units/new",
        &[
            ("name", "X"),
            ("kind", "other"),
            ("parent", &b),
            ("area", ""),
        ],
    );
    assert_code(&page, 422, "unit_parent_inactive");
    assert_eq!(units(db), before);
    let page = tinh.post(&format!("/admin/units/{ben_tre}/reactivate"), &[]);
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(unit_field(db, ben_tre, "deactivated_at"), None);
    assert_eq!(
        audited(db, "tinh", "unit_reactivated", "Đoàn phường Bến Tre (mới)"),
        1
    );

    // The scope matrix: Bến Tre's coordinator.
    account(db, "xa_a", Role::Coordinator, ben_tre);
    let xa = Admin::login(url, "xa_a");
    let own = xa.web.get("/admin/units");
    assert_eq!(own.status, 200, "{}", own.body);
    assert!(own.body.contains("Đoàn phường Bến Tre (mới)"));
    assert!(!own.body.contains("Đoàn xã Long Hồ"), "{}", own.body);
    assert!(!own.body.contains(&province.to_string()), "{}", own.body);
    let stranger = xa.web.get(&format!("/admin/units/{}", Uuid::now_v7()));
    assert_code(&stranger, 404, "not_in_scope");
    for path in [
        format!("/admin/units/{long_ho}"),
        format!("/admin/units/{province}"),
        format!("/admin/units/new?parent={province}"),
        format!("/admin/units/new?parent={long_ho}"),
    ] {
        let page = xa.web.get(&path);
        assert_code(&page, 404, "not_in_scope");
        assert_eq!(page.body, stranger.body, "{path} answers as a random id");
    }
    let l = long_ho.to_string();
    let own_id = ben_tre.to_string();
    let writes: [(String, Vec<(&str, &str)>); 6] = [
        (
            format!("/admin/units/{long_ho}/rename"),
            vec![("name", "Bị đổi")],
        ),
        (
            format!("/admin/units/{long_ho}/move"),
            vec![("parent", own_id.as_str())],
        ),
        (format!("/admin/units/{long_ho}/deactivate"), vec![]),
        (
            format!("/admin/units/{long_ho}/area"),
            vec![("area", COMMUNE_B1)],
        ),
        (
            "/admin/units/new".into(),
            vec![
                ("name", "X"),
                ("kind", "other"),
                ("parent", &p),
                ("area", ""),
            ],
        ),
        (
            "/admin/units/new".into(),
            vec![
                ("name", "X"),
                ("kind", "other"),
                ("parent", &l),
                ("area", ""),
            ],
        ),
    ];
    let before = (units(db), unit_field(db, long_ho, "name"));
    for (path, fields) in &writes {
        assert_code(&xa.post(path, fields), 404, "not_in_scope");
    }
    assert_eq!((units(db), unit_field(db, long_ho, "name")), before);
    // Its own unit: not moved, not deactivated, not renamed by a coordinator.
    for (path, fields) in [
        (
            format!("/admin/units/{ben_tre}/move"),
            vec![("parent", own_id.as_str())],
        ),
        (format!("/admin/units/{ben_tre}/deactivate"), vec![]),
        (
            format!("/admin/units/{ben_tre}/rename"),
            vec![("name", "Tự đổi")],
        ),
    ] {
        assert_code(&xa.post(&path, &fields), 422, "own_unit_fixed");
    }
    assert_eq!(
        unit_field(db, ben_tre, "name").as_deref(),
        Some("Đoàn phường Bến Tre (mới)")
    );
    // Below itself it may do everything; a child of its own can go nowhere above it.
    let child = xa.create("Chi đoàn Khu phố 2", "other", ben_tre, COMMUNE_A1);
    assert_code(
        &xa.post(&format!("/admin/units/{child}/move"), &[("parent", &p)]),
        404,
        "not_in_scope",
    );
    assert_code(
        &xa.post(
            &format!("/admin/units/{child}/area"),
            &[("area", COMMUNE_B1)],
        ),
        422,
        "unit_area_outside_parent",
    );
    let page = xa.post(
        &format!("/admin/units/{child}/rename"),
        &[("name", "Chi đoàn KP2")],
    );
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(audited(db, "xa_a", "unit_renamed", "Chi đoàn KP2"), 1);

    // Viewers see no administration; nothing changes.
    let xem = Admin::login(url, "xem");
    assert_code(&xem.web.get("/admin/units"), 403, "forbidden");
    assert_code(
        &xem.web.get(&format!("/admin/units/{long_ho}")),
        403,
        "forbidden",
    );
    assert_code(
        &xem.post(
            &format!("/admin/units/{long_ho}/rename"),
            &[("name", "Xem đổi")],
        ),
        403,
        "forbidden",
    );
    // A form without the session's token: refused, nothing changes.
    let forged = tinh.web.post(
        &format!("/admin/units/{long_ho}/rename"),
        &[("csrf", "forged"), ("name", "Giả mạo")],
    );
    assert_code(&forged, 403, "csrf_mismatch");
    assert_eq!(
        unit_field(db, long_ho, "name").as_deref(),
        Some("Đoàn xã Long Hồ")
    );

    // The terminal: the same rules, audited as `gocua admin`.
    let target = &env.test_db.target;
    let out = gocua_admin(
        target,
        &["rename-unit", &l, "--name", "Đoàn xã Long Hồ (CLI)"],
    );
    assert!(out.contains("Đoàn xã Long Hồ (CLI)"), "{out}");
    assert_eq!(
        audited(db, "gocua admin", "unit_renamed", "Đoàn xã Long Hồ (CLI)"),
        1
    );
    let cycle = gocua_admin_output(
        target,
        &["move-unit", &l, "--parent", &chi_doan.to_string()],
    );
    assert!(!cycle.status.success());
    assert!(
        String::from_utf8_lossy(&cycle.stderr).contains("cannot move under"),
        "{cycle:?}"
    );
    let busy = gocua_admin_output(target, &["deactivate-unit", &own_id]);
    assert!(!busy.status.success());
    assert!(
        String::from_utf8_lossy(&busy.stderr).contains("Chi đoàn KP2"),
        "{busy:?}"
    );
    let tree = gocua_admin(target, &["units"]);
    assert!(
        tree.contains("\n  Đoàn xã Long Hồ (CLI) · Đoàn xã, phường"),
        "{tree}"
    );
    assert!(
        tree.contains("\n    Chi đoàn Khu phố 1 · Đơn vị khác"),
        "{tree}"
    );
    assert!(
        tree.contains("Đoàn khu phố Bến Tre · Đơn vị khác · 28789"),
        "{tree}"
    );
    assert!(tree.contains("đã ngừng hoạt động / deactivated"), "{tree}");
}
