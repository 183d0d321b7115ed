//! Teams and members administered in the browser (`/admin/teams…`) against a real server on both
//! backends: a commune coordinator creates a team with two members, chooses its leader, renames,
//! moves a member whose enrolled phone keeps syncing (its queued record lands with the old team,
//! its next pull brings the new team), deactivates a member (their phone's token is refused) and
//! a team; bad areas are refused with their codes and store nothing; the scope matrix, the
//! viewer, CSRF and the audit log; and the `gocua admin` twins of the pages.

use gocua_e2e::dashboard::{account, redirected, refused_with, Page, Web};
use gocua_e2e::places::*;
use gocua_e2e::seed::*;
use gocua_e2e::*;
use gocua_server::db::{Db, Sql};
use gocua_server::domain::accounts::Role;
use gocua_server::domain::refdata;
use gocua_server::params;
use uuid::Uuid;

on_both_backends!(
    a_team_is_run_from_the_browser_and_phones_follow_their_members,
    bad_areas_scope_viewer_and_csrf_are_refused,
    the_command_line_does_what_the_pages_do
);

fn not_in_scope(p: &Page, what: &str) {
    refused_with(p, 404, "not_in_scope", what);
}

fn scalar(db: &Db, query: &str, values: &[gocua_server::db::Value]) -> i64 {
    inspect::scalar(db, query, values)
}

fn member_id(db: &Db, team: Uuid, name: &str) -> Uuid {
    db.tx(|sql: &mut dyn Sql| {
        sql.query_one(
            "SELECT id FROM members WHERE team_id = ? AND name = ?",
            params![team, name],
        )?
        .expect("the member")
        .uuid(0)
    })
    .expect("member id")
}

fn role(db: &Db, member: Uuid) -> String {
    db.tx(|sql: &mut dyn Sql| {
        Ok::<_, gocua_server::db::DbError>(
            sql.query_one("SELECT role FROM members WHERE id = ?", params![member])?
                .map(|r| r.text(0))
                .unwrap_or_default(),
        )
    })
    .unwrap()
}

fn text(db: &Db, query: &str, id: Uuid) -> String {
    db.tx(|sql: &mut dyn Sql| {
        Ok::<_, gocua_server::db::DbError>(
            sql.query_one(query, params![id])?
                .map(|r| r.text(0))
                .unwrap_or_default(),
        )
    })
    .unwrap()
}

/// An enrolment code issued on the team page, as a coordinator hands it to a member.
fn enrol_code(web: &Web, csrf: &str, team: Uuid, member: Uuid) -> String {
    let p = web.post(
        &format!("/teams/{team}/codes"),
        &[("csrf", csrf), ("member_id", &member.to_string())],
    );
    assert_eq!(p.status, 200, "{}", p.body);
    let marker = "data-testid=\"enrol-code\">";
    let at = p.body.find(marker).expect("a code") + marker.len();
    p.body[at..at + 9].to_owned()
}

/// Rows that record changes (sign-ins excluded).
fn changes_logged(db: &Db) -> i64 {
    scalar(
        db,
        "SELECT count(*) FROM audit_log WHERE action NOT IN ('login', 'logout', 'login_failed', 'login_locked')",
        &[],
    )
}

fn a_team_is_run_from_the_browser_and_phones_follow_their_members(backend: Backend) {
    let env = Env::start(backend);
    let (unit_a, unit_b) = split_units(&env.db, &env.seed);
    let (team_a, team_b) = (&env.seed.team_a, &env.seed.team_b);
    account(&env.db, "tinh", Role::Admin, env.seed.org_unit.id);
    account(&env.db, "xa_a", Role::Coordinator, unit_a.id);
    let url = &env.server.url;
    let (xa, csrf) = Web::login_with_csrf(url, "xa_a");

    // The list shows the unit's own team only; the new-team form offers the unit's commune,
    // ticked, with its hamlets.
    let list = xa.get("/admin/teams");
    assert_eq!(list.status, 200, "{}", list.body);
    assert!(list.body.contains(&team_a.name) && !list.body.contains(&team_b.name));
    let form = xa.get("/admin/teams/new");
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(
        form.body
            .contains(&format!("name=\"areas\" value=\"{COMMUNE_A1}\" checked")),
        "the unit's commune is preselected"
    );
    assert!(form.body.contains(HAMLET_A1_KP2) && !form.body.contains(COMMUNE_B1));

    // A team working in two hamlets of the commune.
    let to = redirected(
        &xa.post(
            "/admin/teams/new",
            &[
                ("csrf", &csrf),
                ("unit", &unit_a.id.to_string()),
                ("name", "  Tổ công nghệ số   khu phố 1 "),
                ("areas", HAMLET_A1_KP1),
                ("areas", HAMLET_A1_KP2),
            ],
        ),
        "create",
    );
    assert!(to.ends_with("?done=created"), "{to}");
    let team: Uuid = to["/admin/teams/".len()..to.find('?').unwrap()]
        .parse()
        .unwrap();
    assert_eq!(
        text(&env.db, "SELECT name FROM teams WHERE id = ?", team),
        "Tổ công nghệ số khu phố 1"
    );
    assert_eq!(
        scalar(
            &env.db,
            "SELECT count(*) FROM team_areas WHERE team_id = ?",
            params![team]
        ),
        2
    );
    let page = xa.get(&to);
    page.assert_shows("Đã tạo đội");

    // Two members; one leader, then the other: a team has one leader.
    for name in ["Ngô Thị Mai", "Đặng Văn Hùng"] {
        redirected(
            &xa.post(
                &format!("/admin/teams/{team}/members"),
                &[("csrf", &csrf), ("name", name)],
            ),
            "add member",
        );
    }
    let (mai, hung) = (
        member_id(&env.db, team, "Ngô Thị Mai"),
        member_id(&env.db, team, "Đặng Văn Hùng"),
    );
    redirected(
        &xa.post(&format!("/admin/members/{mai}/leader"), &[("csrf", &csrf)]),
        "leader",
    );
    assert_eq!(role(&env.db, mai), "leader");
    redirected(
        &xa.post(&format!("/admin/members/{hung}/leader"), &[("csrf", &csrf)]),
        "leader",
    );
    assert_eq!(
        (role(&env.db, mai), role(&env.db, hung)),
        ("member".into(), "leader".into())
    );

    // Renaming the team and a member.
    redirected(
        &xa.post(
            &format!("/admin/teams/{team}/rename"),
            &[
                ("csrf", &csrf),
                ("name", "Tổ công nghệ số cộng đồng khu phố 1"),
            ],
        ),
        "rename team",
    );
    redirected(
        &xa.post(
            &format!("/admin/members/{hung}/rename"),
            &[("csrf", &csrf), ("name", "Đặng Văn Hưng")],
        ),
        "rename member",
    );
    let page = xa.get(&format!("/admin/teams/{team}"));
    assert!(
        page.body.contains("Tổ công nghệ số cộng đồng khu phố 1")
            && page.body.contains("Đặng Văn Hưng")
    );

    // Phones for both, through the team page's codes; the phones show the leader.
    let mai_phone = Device::enrol(url, &enrol_code(&xa, &csrf, team, mai));
    let hung_phone = Device::enrol(url, &enrol_code(&xa, &csrf, team, hung));
    let shown = mai_phone.store.my_team().unwrap();
    assert_eq!(shown.name, "Tổ công nghệ số cộng đồng khu phố 1");
    assert!(shown
        .members
        .iter()
        .any(|m| m.name == "Đặng Văn Hưng" && m.role == gocua_core::protocol::MemberRole::Leader));

    // Mai records a household for this team, offline; then moves to team A.
    let queued = mai_phone.home(A1_KP1, "Trương Văn Lộc", "Số 3, hẻm 5", 4);
    let to = redirected(
        &xa.post(
            &format!("/admin/members/{mai}/move"),
            &[("csrf", &csrf), ("team", &team_a.id.to_string())],
        ),
        "move",
    );
    assert_eq!(to, format!("/admin/teams/{team}?done=moved"));
    assert_eq!(
        text(&env.db, "SELECT team_id FROM members WHERE id = ?", mai),
        team_a.id.to_string()
    );
    // Team A's page shows her phone joining at its next sync.
    let a_page = xa.get(&format!("/admin/teams/{}", team_a.id));
    assert!(
        a_page.body.contains("Ngô Thị Mai") && a_page.body.contains("chuyển đội ở lần đồng bộ tới"),
        "{}",
        a_page.body
    );

    // Her phone keeps syncing: the queued household arrives as the old team's, and the pull
    // brings team A.
    let report = mai_phone.sync_clean(&mai_phone.transport);
    assert_eq!((report.sent, report.accepted, report.rejected), (1, 1, 0));
    assert_eq!(
        text(
            &env.db,
            "SELECT team_id FROM households WHERE id = ?",
            queued.id
        ),
        team.to_string()
    );
    assert_eq!(
        inspect::device_row(&env.db, mai_phone.device_id())
            .unwrap()
            .0,
        team_a.id
    );
    let now_in = mai_phone.store.my_team().unwrap();
    assert_eq!(
        (now_in.id, now_in.name.as_str()),
        (team_a.id, team_a.name.as_str())
    );
    assert!(now_in.members.iter().any(|m| m.id == mai));
    // Her next record is team A's, in team A's commune.
    let next = mai_phone.household(COMMUNE_A2, None, "Phan Thị Bé", "Số 9, đường 30/4", 2);
    let report = mai_phone.sync_clean(&mai_phone.transport);
    assert_eq!((report.accepted, report.rejected), (1, 0));
    assert_eq!(
        text(
            &env.db,
            "SELECT team_id FROM households WHERE id = ?",
            next.id
        ),
        team_a.id.to_string()
    );

    // Deactivating Hưng: asked first, then his phone is refused and he leaves the phones' data.
    let confirm = xa.get(&format!("/admin/members/{hung}/deactivate"));
    assert_eq!(confirm.status, 200);
    confirm.assert_shows("ngừng đồng bộ");
    redirected(
        &xa.post(
            &format!("/admin/members/{hung}/deactivate"),
            &[("csrf", &csrf)],
        ),
        "deactivate member",
    );
    assert_sync_refused(
        &hung_phone,
        10,
        "a deactivated member's phone cannot sync",
        401,
        "device_revoked",
    );
    let snapshot = inspect::team_snapshot(&env.db, team);
    assert!(snapshot.teams[0].members.is_empty(), "{:?}", snapshot.teams);

    // Deactivating the team: it leaves the list and the targets form; its records stay.
    let confirm = xa.get(&format!("/admin/teams/{team}/deactivate"));
    confirm.assert_shows("dữ liệu và kết quả đã có vẫn giữ");
    redirected(
        &xa.post(
            &format!("/admin/teams/{team}/deactivate"),
            &[("csrf", &csrf)],
        ),
        "deactivate team",
    );
    assert!(!xa.get("/admin/teams").body.contains("khu phố 1</a>"));
    assert!(xa
        .get("/admin/teams?all=1")
        .body
        .contains("Tổ công nghệ số cộng đồng khu phố 1"));
    refused_with(
        &xa.get(&format!("/teams/{team}/targets")),
        422,
        "team_deactivated",
        "targets of a deactivated team",
    );
    refused_with(
        &xa.post(
            &format!("/teams/{team}/codes"),
            &[("csrf", &csrf), ("member_id", &mai.to_string())],
        ),
        422,
        "team_deactivated",
        "a code for a deactivated team",
    );
    assert_eq!(
        scalar(
            &env.db,
            "SELECT count(*) FROM households WHERE team_id = ?",
            params![team]
        ),
        1
    );
    redirected(
        &xa.post(
            &format!("/admin/teams/{team}/reactivate"),
            &[("csrf", &csrf)],
        ),
        "reactivate",
    );

    // The province deactivates team B, whose phone had synced: refused from then on, its
    // figures still in the campaign's overview.
    let nam = env.enrol(team_b, 0);
    nam.record_field_day(COMMUNE_B1, Some(HAMLET_B1_AP1), 2);
    nam.sync_clean(&nam.transport);
    let (tinh, t_csrf) = Web::login_with_csrf(url, "tinh");
    redirected(
        &tinh.post(
            &format!("/admin/teams/{}/deactivate", team_b.id),
            &[("csrf", &t_csrf)],
        ),
        "deactivate team B",
    );
    assert!(
        inspect::device_row(&env.db, nam.device_id()).unwrap().4,
        "team B's phone revoked"
    );
    let overview = tinh.get(&format!(
        "/?unit={}&campaign={}",
        unit_b.id, env.seed.campaign.id
    ));
    assert!(
        overview.body.contains(&team_b.name),
        "a team deactivated during the campaign stays in its overview"
    );
    // Had it been deactivated before the campaign began, the campaign's overview would not list it.
    let (before_start, _) = gocua_server::domain::calendar::day_range(
        env.seed.campaign.starts_on - chrono::Duration::days(10),
        env.seed.campaign.starts_on,
    );
    env.db
        .tx(|sql: &mut dyn Sql| {
            sql.exec(
                "UPDATE teams SET deactivated_at = ? WHERE id = ?",
                params![before_start, team_b.id],
            )
        })
        .unwrap();
    let overview = tinh.get(&format!(
        "/?unit={}&campaign={}",
        unit_b.id, env.seed.campaign.id
    ));
    assert_eq!(overview.status, 200);
    assert!(!overview.body.contains(&team_b.name), "{}", overview.body);

    // Every change is in the audit log, with who made it.
    let actions: Vec<String> = env
        .db
        .tx(|sql: &mut dyn Sql| {
            sql.query(
                "SELECT action FROM audit_log WHERE username IN ('xa_a', 'tinh') ORDER BY at",
                &[],
            )
        })
        .unwrap()
        .iter()
        .map(|r| r.text(0))
        .collect();
    for expected in [
        "team_created",
        "member_added",
        "leader_set",
        "team_renamed",
        "member_renamed",
        "enrol_code",
        "member_moved",
        "member_deactivated",
        "team_deactivated",
        "team_reactivated",
    ] {
        assert!(
            actions.iter().any(|a| a == expected),
            "{expected} not in {actions:?}"
        );
    }
    let audit = tinh.get("/audit").body;
    assert!(
        audit.contains("Ngô Thị Mai → Đội TNTN Phường Bến Tre"),
        "{audit}"
    );
}

fn bad_areas_scope_viewer_and_csrf_are_refused(backend: Backend) {
    let env = Env::start(backend);
    let (unit_a, unit_b, xa, csrf) = env.split_for_scope();
    let (team_a, team_b) = (&env.seed.team_a, &env.seed.team_b);
    let url = &env.server.url;
    let unit = unit_a.id.to_string();
    let counts = |db: &Db| {
        (
            inspect::count(db, "teams"),
            inspect::count(db, "team_areas"),
            inspect::count(db, "members"),
            changes_logged(db),
            refdata_seq(db),
        )
    };
    let before = counts(&env.db);

    // Bad areas, each with its code; the form comes back with the message, nothing stored.
    let create = |areas: &[(&str, &str)], name: &str| {
        let mut form = vec![
            ("csrf", csrf.as_str()),
            ("unit", unit.as_str()),
            ("name", name),
        ];
        form.extend_from_slice(areas);
        xa.post("/admin/teams/new", &form)
    };
    let p = create(&[("area_codes", "99999")], "Đội mới");
    refused_with(&p, 422, "area_unknown", "unknown area");
    assert!(p.body.contains("99999") && p.body.contains("name=\"name\" value=\"Đội mới\""));
    refused_with(
        &create(&[("areas", COMMUNE_A1), ("areas", COMMUNE_B1)], "Đội mới"),
        422,
        "area_outside_unit",
        "another commune's area",
    );
    refused_with(&create(&[], "Đội mới"), 422, "areas_required", "no area");
    refused_with(
        &create(&[("areas", COMMUNE_A1)], "   "),
        422,
        "team_name_invalid",
        "no name",
    );
    refused_with(
        &xa.post(
            &format!("/admin/teams/{}/areas", team_a.id),
            &[
                ("csrf", &csrf),
                ("areas", HAMLET_A1_KP1),
                ("area_codes", COMMUNE_B2),
            ],
        ),
        422,
        "area_outside_unit",
        "changing team A's areas to another commune",
    );
    let m = team_a.members[1].id;
    refused_with(
        &xa.post(
            &format!("/admin/members/{m}/move"),
            &[("csrf", &csrf), ("team", "")],
        ),
        422,
        "team_required",
        "a move without a team",
    );
    refused_with(
        &xa.post(
            &format!("/admin/members/{m}/rename"),
            &[("csrf", &csrf), ("name", "")],
        ),
        422,
        "member_name_invalid",
        "an empty name",
    );
    assert_eq!(counts(&env.db), before, "a refused form stored something");

    // The scope matrix: team B, its members, unit B and the province above are all as unknown
    // to the commune coordinator as a random id.
    let b_member = team_b.members[1].id;
    let random = Uuid::now_v7();
    for path in [
        format!("/admin/teams/{}", team_b.id),
        format!("/admin/teams/{random}"),
        format!("/admin/teams?unit={}", unit_b.id),
        format!("/admin/teams?unit={}", env.seed.org_unit.id),
        format!("/admin/teams/new?unit={}", unit_b.id),
        format!("/admin/teams/new?unit={}", env.seed.org_unit.id),
        format!("/admin/teams/{}/deactivate", team_b.id),
        format!("/admin/members/{b_member}/deactivate"),
        format!("/admin/members/{random}/deactivate"),
    ] {
        not_in_scope(&xa.get(&path), &path);
    }
    let posts: Vec<(String, Vec<(&str, String)>)> = vec![
        (
            format!("/admin/teams/{}/rename", team_b.id),
            vec![("name", "X".into())],
        ),
        (
            format!("/admin/teams/{}/areas", team_b.id),
            vec![("areas", COMMUNE_B1.into())],
        ),
        (
            format!("/admin/teams/{}/members", team_b.id),
            vec![("name", "Người Lạ".into())],
        ),
        (format!("/admin/teams/{}/deactivate", team_b.id), vec![]),
        (format!("/admin/teams/{random}/deactivate"), vec![]),
        (
            format!("/admin/members/{b_member}/rename"),
            vec![("name", "X".into())],
        ),
        (format!("/admin/members/{b_member}/leader"), vec![]),
        (format!("/admin/members/{b_member}/deactivate"), vec![]),
        (format!("/admin/members/{random}/leader"), vec![]),
        // Into a sibling's team, or out of it.
        (
            format!("/admin/members/{m}/move"),
            vec![("team", team_b.id.to_string())],
        ),
        (
            format!("/admin/members/{m}/move"),
            vec![("team", random.to_string())],
        ),
        (
            format!("/admin/members/{b_member}/move"),
            vec![("team", team_a.id.to_string())],
        ),
        // A team under the province or under the sibling unit.
        (
            "/admin/teams/new".into(),
            vec![
                ("unit", env.seed.org_unit.id.to_string()),
                ("name", "X".into()),
                ("areas", COMMUNE_A1.into()),
            ],
        ),
        (
            "/admin/teams/new".into(),
            vec![
                ("unit", unit_b.id.to_string()),
                ("name", "X".into()),
                ("areas", COMMUNE_B1.into()),
            ],
        ),
    ];
    for (path, fields) in &posts {
        let mut form: Vec<(&str, &str)> = vec![("csrf", csrf.as_str())];
        form.extend(fields.iter().map(|(k, v)| (*k, v.as_str())));
        not_in_scope(&xa.post(path, &form), path);
    }
    assert_eq!(
        counts(&env.db),
        before,
        "an out-of-scope request changed something"
    );

    // The viewer may look at the dashboard but administers nothing.
    let (xem, xem_csrf) = Web::login_with_csrf(url, "xem");
    refused_with(&xem.get("/admin/teams"), 403, "forbidden", "viewer list");
    refused_with(
        &xem.get(&format!("/admin/teams/{}", team_a.id)),
        403,
        "forbidden",
        "viewer team",
    );
    refused_with(
        &xem.post(
            &format!("/admin/teams/{}/rename", team_a.id),
            &[("csrf", &xem_csrf), ("name", "X")],
        ),
        403,
        "forbidden",
        "viewer rename",
    );

    // CSRF: the right session with a forged token changes nothing.
    refused_with(
        &xa.post(
            &format!("/admin/teams/{}/rename", team_a.id),
            &[("csrf", "forged"), ("name", "Đội Đổi Tên")],
        ),
        403,
        "csrf_mismatch",
        "forged token",
    );
    refused_with(
        &xa.post(&format!("/admin/members/{m}/deactivate"), &[]),
        403,
        "csrf_mismatch",
        "no token",
    );
    assert_eq!(counts(&env.db), before, "a forged form changed something");
    assert_eq!(
        text(&env.db, "SELECT name FROM teams WHERE id = ?", team_a.id),
        team_a.name
    );
}

fn refdata_seq(db: &Db) -> i64 {
    db.tx(|sql: &mut dyn Sql| refdata::current_seq(sql))
        .unwrap()
}

fn the_command_line_does_what_the_pages_do(backend: Backend) {
    let env = Env::start(backend);
    let target = &env.test_db.target;
    let (team_a, team_b) = (&env.seed.team_a, &env.seed.team_b);
    let admin = |args: &[&str]| server::gocua_admin(target, args);
    let khoa = team_a.members[1].id.to_string();
    let a = team_a.id.to_string();

    let out = admin(&["teams"]);
    assert!(
        out.contains(&team_a.name) && out.contains("Lê Thị Hoa"),
        "{out}"
    );
    admin(&[
        "rename-team",
        "--team",
        &a,
        "--name",
        "Đội TNTN phường Bến Tre – Phú Khương",
    ]);
    admin(&[
        "set-team-areas",
        "--team",
        &a,
        "--areas",
        &format!("{COMMUNE_A1},{HAMLET_A2_KP3}"),
    ]);
    assert_eq!(
        scalar(
            &env.db,
            "SELECT count(*) FROM team_areas WHERE team_id = ?",
            params![team_a.id]
        ),
        2
    );
    admin(&["set-leader", "--member", &khoa]);
    assert_eq!(
        scalar(
            &env.db,
            "SELECT count(*) FROM members WHERE team_id = ? AND role = 'leader'",
            params![team_a.id]
        ),
        1
    );
    admin(&[
        "rename-member",
        "--member",
        &khoa,
        "--name",
        "Trần Minh Khoa Nam",
    ]);
    let phone = env.enrol(team_a, 1);
    let out = admin(&[
        "move-member",
        "--member",
        &khoa,
        "--team",
        &team_b.id.to_string(),
    ]);
    assert!(out.contains("lần đồng bộ tới"), "{out}");
    phone.sync_clean(&phone.transport);
    assert_eq!(phone.store.my_team().unwrap().id, team_b.id);
    assert_eq!(
        phone.store.profile().unwrap().unwrap().volunteer_name,
        "Trần Minh Khoa Nam"
    );
    let out = admin(&["deactivate-member", "--member", &khoa]);
    assert!(out.contains("1 điện thoại"), "{out}");
    assert!(inspect::device_row(&env.db, phone.device_id()).unwrap().4);
    admin(&["deactivate-team", "--team", &a]);
    assert!(!admin(&["teams"]).contains(&a));
    assert!(admin(&["teams", "--all"]).contains("ĐÃ NGỪNG"));
    // The same refusals as the pages, with the same words.
    let out = server::gocua_admin_output(target, &["rename-team", "--team", &a, "--name", "X"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("đã ngừng hoạt động"));
    admin(&["reactivate-team", "--team", &a]);
    let out = server::gocua_admin_output(
        target,
        &["set-team-areas", "--team", &a, "--areas", "99999"],
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("99999"));
}
