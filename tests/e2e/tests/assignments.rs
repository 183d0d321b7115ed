//! Walk lists (`/assignments`, the phone's "Danh sách của tôi") against a real server on both
//! backends: a coordinator assigns a hamlet and a household on the dashboard and the member's
//! phone shows them after a sync, with "left" dropping as visits are recorded (on the phone at
//! once, on the dashboard after the upload); a leader's phone assigns offline, syncs, and the
//! dashboard and the other member's phone show it, then its revocation; a non-leader's
//! assignment is refused (`assigner_not_leader`) on the phone and by the server; the scope
//! matrix, the viewer, CSRF, bad inputs with their codes and nothing stored, the audit log; and
//! `gocua admin assign | assignments | revoke-assignment`.

use gocua_core::{Error, WalkItem};
use gocua_e2e::admin::gocua_admin;
use gocua_e2e::coverage::met_visit;
use gocua_e2e::dashboard::{account, redirected, refused_with, Web};
use gocua_e2e::places::*;
use gocua_e2e::seed::*;
use gocua_e2e::*;
use gocua_protocol::format::Lang;
use gocua_protocol::*;
use gocua_server::db::{Db, Sql};
use gocua_server::domain::accounts::Role;
use gocua_server::domain::coordination::{self, NewAssignment};
use uuid::Uuid;

on_both_backends!(
    a_coordinators_assignments_reach_the_members_phone_and_left_drops,
    a_leaders_phone_assigns_offline_and_the_team_sees_it,
    scope_viewer_csrf_and_bad_inputs_are_refused,
    the_command_line_does_what_the_page_does
);

fn assignments_stored(db: &Db) -> i64 {
    inspect::count(db, "assignments")
}

fn audit_actions(db: &Db, action: &str) -> i64 {
    inspect::scalar(
        db,
        "SELECT count(*) FROM audit_log WHERE action = ?",
        gocua_server::params![action],
    )
}

fn lines(items: &[WalkItem]) -> Vec<String> {
    items.iter().map(|i| i.line(Lang::Vi)).collect()
}

fn visit(device: &Device, household: Uuid) {
    device
        .store
        .record_visit(&met_visit(household, None))
        .expect("record visit");
}

fn hamlet(commune: &str, hamlet: &str) -> AssignmentTarget {
    AssignmentTarget::Hamlet {
        commune_code: commune.into(),
        hamlet_code: hamlet.into(),
    }
}

fn a_coordinators_assignments_reach_the_members_phone_and_left_drops(backend: Backend) {
    let env = Env::start(backend);
    let team = &env.seed.team_a;
    let khoa = team.members[1].id;
    account(&env.db, "tinh", Role::Admin, env.seed.org_unit.id);
    let web = Web::login(&env.server.url, "tinh");
    let csrf = web.csrf();
    let phone = env.enrol(team, 1);
    assert!(!phone.store.is_leader().unwrap(), "Khoa is a member");
    // Three households of Khu phố 1 on Khoa's phone, sent.
    let households: Vec<Household> = (0..3)
        .map(|i| {
            phone.household(
                COMMUNE_A1,
                Some(HAMLET_A1_KP1),
                &format!("Nguyễn Văn {}", ["An", "Bình", "Cường"][i]),
                &format!("{} Nguyễn Huệ", 10 + i),
                3,
            )
        })
        .collect();
    phone.sync_clean(&phone.transport);
    assert!(
        phone.store.my_list().unwrap().is_empty(),
        "nothing assigned yet"
    );

    // The page offers the team's members and hamlets; nothing assigned yet.
    let page = web.get(&format!("/assignments?team={}", team.id));
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Phân công") && page.body.contains(HAMLET_A1_KP1));
    assert!(page.body.contains("Đội chưa có phân công nào"));

    let to = redirected(
        &web.post(
            &format!("/assignments/teams/{}/assign", team.id),
            &[
                ("csrf", &csrf),
                ("member", &khoa.to_string()),
                ("hamlet", HAMLET_A1_KP1),
                ("household", ""),
            ],
        ),
        "assign a hamlet",
    );
    assert!(to.ends_with("done=assigned"), "{to}");
    let page = web.get(&to);
    page.assert_shows("còn 3/3 hộ");
    assert_eq!(assignments_stored(&env.db), 1);
    assert_eq!(audit_actions(&env.db, "assignment_made"), 1);

    // The phone gets it with its next sync and shows it offline.
    phone.sync_clean(&phone.transport);
    assert_eq!(
        lines(&phone.store.my_list().unwrap()),
        ["Khu phố 1 — còn 3/3 hộ"]
    );

    // A visit recorded offline: one fewer left on the phone at once…
    visit(&phone, households[0].id);
    assert_eq!(
        lines(&phone.store.my_list().unwrap()),
        ["Khu phố 1 — còn 2/3 hộ"]
    );
    // …and on the dashboard once it is sent.
    assert!(web
        .get(&format!("/assignments?team={}", team.id))
        .body
        .contains("còn 3/3 hộ"));
    phone.sync_clean(&phone.transport);
    let page = web.get(&format!("/assignments?team={}", team.id));
    page.assert_shows("còn 2/3 hộ");

    // A household too; the list shows what is left first.
    redirected(
        &web.post(
            &format!("/assignments/teams/{}/assign", team.id),
            &[
                ("csrf", &csrf),
                ("member", &khoa.to_string()),
                ("hamlet", ""),
                ("household", &households[0].id.to_string()),
            ],
        ),
        "assign a household",
    );
    phone.sync_clean(&phone.transport);
    assert_eq!(
        lines(&phone.store.my_list().unwrap()),
        [
            "Khu phố 1 — còn 2/3 hộ",
            "Nguyễn Văn An — 10 Nguyễn Huệ — đã đến"
        ]
    );

    // Revoked on the dashboard: gone from the phone at its next sync.
    let hamlet_id: Uuid = env
        .db
        .tx(|sql: &mut dyn Sql| {
            sql.query_one(
                "SELECT id FROM assignments WHERE hamlet_code = ?",
                gocua_server::params![HAMLET_A1_KP1],
            )?
            .expect("row")
            .uuid(0)
        })
        .unwrap();
    let to = redirected(
        &web.post(
            &format!("/assignments/{hamlet_id}/revoke"),
            &[("csrf", &csrf)],
        ),
        "revoke",
    );
    assert!(to.ends_with("done=revoked"), "{to}");
    assert!(!web.get(&to).body.contains("còn 2/3 hộ"));
    phone.sync_clean(&phone.transport);
    assert_eq!(
        lines(&phone.store.my_list().unwrap()),
        ["Nguyễn Văn An — 10 Nguyễn Huệ — đã đến"]
    );
    assert_eq!(assignments_stored(&env.db), 2, "revoked, never deleted");
    assert_eq!(audit_actions(&env.db, "assignment_made"), 2);
    assert_eq!(audit_actions(&env.db, "assignment_revoked"), 1);
    let audit = web.get("/audit");
    audit.assert_shows("Thu hồi phân công");
}

fn a_leaders_phone_assigns_offline_and_the_team_sees_it(backend: Backend) {
    let env = Env::start(backend);
    let team = &env.seed.team_a;
    let (hoa, khoa) = (team.members[0].id, team.members[1].id);
    account(&env.db, "tinh", Role::Admin, env.seed.org_unit.id);
    let web = Web::login(&env.server.url, "tinh");
    let leader = env.enrol(team, 0);
    let member = env.enrol(team, 1);
    assert!(leader.store.is_leader().unwrap());

    // Offline: the leader sees the new assignment at once; it waits in the queue.
    let a = leader
        .store
        .assign(khoa, hamlet(COMMUNE_A1, HAMLET_A1_KP2))
        .expect("a leader assigns");
    let team_view = leader.store.team_assignments().unwrap();
    assert_eq!(team_view.len(), 1);
    assert_eq!(team_view[0].member_name, "Trần Minh Khoa");
    assert_eq!(team_view[0].line(Lang::Vi), "Khu phố 2 — chưa ghi hộ nào");
    assert_eq!(leader.store.queue_status().unwrap().pending, 1);
    assert_eq!(assignments_stored(&env.db), 0, "not sent yet");

    // Bad ones are refused on the phone with their codes, nothing queued.
    let code = |r: Result<Assignment, Error>| match r {
        Err(Error::Validation(v)) => v.first().code.as_str(),
        other => panic!("expected a refusal, got {other:?}"),
    };
    assert_eq!(
        code(leader.store.assign(khoa, hamlet(COMMUNE_B1, HAMLET_B1_AP1))),
        "unknown_area",
        "team B's hamlet is not even on team A's phones"
    );
    assert_eq!(
        code(leader.store.assign(
            env.seed.team_b.members[1].id,
            hamlet(COMMUNE_A1, HAMLET_A1_KP1)
        )),
        "assignee_not_in_team"
    );
    assert_eq!(
        code(member.store.assign(khoa, hamlet(COMMUNE_A1, HAMLET_A1_KP1))),
        "assigner_not_leader"
    );
    assert_eq!(leader.store.queue_status().unwrap().pending, 1);

    // Sent: the server has it as the leader's, the dashboard shows it, Khoa's phone gets it.
    let report = leader.sync_clean(&leader.transport);
    assert_eq!((report.sent, report.accepted), (1, 1));
    let stored = env
        .db
        .tx(|sql: &mut dyn Sql| coordination::load_assignment(sql, a.id))
        .unwrap();
    assert_eq!(stored.assigned_by, Assigner::Member(hoa));
    let row = format!("data-assignment=\"{}\"", a.id);
    let page = web.get(&format!("/assignments?team={}", team.id));
    page.assert_shows(&row);
    assert!(page.body.contains("Trần Minh Khoa"));
    member.sync_clean(&member.transport);
    let mine = member.store.my_list().unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].assignment.id, a.id);
    // Still on the leader's phone after its own pull.
    assert_eq!(leader.store.team_assignments().unwrap().len(), 1);

    // A non-leader's phone sending one anyway (bypassing its own check) is refused.
    let mut forged = a.clone();
    forged.id = Uuid::now_v7();
    forged.assigned_by = Assigner::Member(khoa);
    let answer = member
        .push(vec![Change::Assignment(forged.clone())])
        .expect("push");
    assert_eq!(answer.results[0].status, RecordStatus::Rejected);
    assert_eq!(
        answer.results[0].code.as_deref(),
        Some("assigner_not_leader")
    );
    assert_eq!(assignments_stored(&env.db), 1, "nothing stored");

    // Revoked offline by the leader, then synced: gone everywhere.
    leader.store.revoke_assignment(a.id).unwrap();
    assert!(leader.store.team_assignments().unwrap().is_empty());
    leader.sync_clean(&leader.transport);
    member.sync_clean(&member.transport);
    assert!(member.store.my_list().unwrap().is_empty());
    assert!(!web
        .get(&format!("/assignments?team={}", team.id))
        .body
        .contains(&row));

    // The older state arriving late changes nothing (last writer wins by hybrid clock).
    let answer = leader.push(vec![Change::Assignment(a.clone())]).unwrap();
    assert_eq!(answer.results[0].status, RecordStatus::Duplicate);
    let stored = env
        .db
        .tx(|sql: &mut dyn Sql| coordination::load_assignment(sql, a.id))
        .unwrap();
    assert!(stored.revoked);

    // A phone clock 31 years ahead: its stamp is ordered at receipt, so a coordinator's later
    // revocation still wins; the same upload again is a duplicate.
    let mut ahead = a.clone();
    ahead.id = Uuid::now_v7();
    ahead.hlc.wall_ms += 31 * 365 * 24 * 3_600_000;
    let answer = leader
        .push(vec![Change::Assignment(ahead.clone())])
        .unwrap();
    assert_eq!(answer.results[0].status, RecordStatus::Accepted);
    let answer = leader
        .push(vec![Change::Assignment(ahead.clone())])
        .unwrap();
    assert_eq!(answer.results[0].status, RecordStatus::Duplicate);
    let stored = env
        .db
        .tx(|sql: &mut dyn Sql| coordination::load_assignment(sql, ahead.id))
        .unwrap();
    assert!(stored.hlc < ahead.hlc && stored.hlc.wall_ms <= chrono::Utc::now().timestamp_millis());
    let revoked = env
        .db
        .tx(|sql: &mut dyn Sql| coordination::revoke_assignment(sql, ahead.id, chrono::Utc::now()))
        .unwrap();
    assert!(revoked.revoked);
    member.sync_clean(&member.transport);
    assert!(member.store.my_list().unwrap().is_empty());
}

fn scope_viewer_csrf_and_bad_inputs_are_refused(backend: Backend) {
    let env = Env::start(backend);
    let (_, _, xa, csrf) = env.split_for_scope();
    let (team_a, team_b) = (&env.seed.team_a, &env.seed.team_b);
    let url = &env.server.url;
    let khoa = team_a.members[1].id.to_string();
    // One of team B's assignments and one of its households, made directly.
    let phone_b = env.enrol(team_b, 1);
    let household_b = phone_b.home(B1_AP1, "Lý Văn Bé", "1 Ấp Long Hoà", 2);
    phone_b.sync_clean(&phone_b.transport);
    let b_assignment = env
        .db
        .tx(|sql: &mut dyn Sql| {
            coordination::create_assignment(
                sql,
                &NewAssignment {
                    team_id: team_b.id,
                    member_id: team_b.members[1].id,
                    target: hamlet(COMMUNE_B1, HAMLET_B1_AP1),
                    by: Uuid::nil(),
                    now: chrono::Utc::now(),
                },
            )
        })
        .unwrap();
    let before = assignments_stored(&env.db);

    // A sibling's team: the same 404 as a random id, reading or changing.
    let random = Uuid::now_v7();
    for (path, what) in [
        (format!("/assignments?team={}", team_b.id), "sibling's team"),
        (format!("/assignments?team={random}"), "random team"),
        ("/assignments?team=nonsense".to_owned(), "unparsable team"),
    ] {
        refused_with(&xa.get(&path), 404, "not_in_scope", what);
    }
    let page = xa.get("/assignments");
    assert_eq!(page.status, 200);
    assert!(page.body.contains(&team_a.name) && !page.body.contains(&team_b.name));
    for (path, what) in [
        (
            format!("/assignments/teams/{}/assign", team_b.id),
            "assign in a sibling's team",
        ),
        (
            format!("/assignments/teams/{random}/assign"),
            "assign in a random team",
        ),
        (
            format!("/assignments/{}/revoke", b_assignment.id),
            "revoke a sibling's",
        ),
        (
            format!("/assignments/{random}/revoke"),
            "revoke a random id",
        ),
    ] {
        refused_with(
            &xa.post(
                &path,
                &[
                    ("csrf", &csrf),
                    ("member", &team_b.members[1].id.to_string()),
                    ("hamlet", HAMLET_B1_AP1),
                ],
            ),
            404,
            "not_in_scope",
            what,
        );
    }

    // Bad inputs: each with its code, the form shown again, nothing stored.
    let assign = |member: &str, hamlet: &str, household: &str| {
        xa.post(
            &format!("/assignments/teams/{}/assign", team_a.id),
            &[
                ("csrf", &csrf),
                ("member", member),
                ("hamlet", hamlet),
                ("household", household),
            ],
        )
    };
    let b_member = team_b.members[1].id.to_string();
    let household_b = household_b.id.to_string();
    for (p, code, what) in [
        (
            assign(&b_member, HAMLET_A1_KP1, ""),
            "assignee_not_in_team",
            "another team's member",
        ),
        (
            assign(&khoa, HAMLET_B1_AP1, ""),
            "area_outside_team",
            "another team's hamlet",
        ),
        (
            assign(&khoa, "", &household_b),
            "household_not_in_team",
            "another team's household",
        ),
        (
            assign(&khoa, "", &Uuid::now_v7().to_string()),
            "household_not_in_team",
            "unknown household",
        ),
        (
            assign(&khoa, "28789-KP9", ""),
            "unknown_area",
            "unknown hamlet",
        ),
        (
            assign(&khoa, COMMUNE_A1, ""),
            "unknown_area",
            "a commune is not a hamlet",
        ),
        (assign(&khoa, "", ""), "invalid_input", "nothing chosen"),
        (
            assign(&khoa, HAMLET_A1_KP1, &household_b),
            "invalid_input",
            "both chosen",
        ),
        (assign("", HAMLET_A1_KP1, ""), "invalid_input", "no member"),
    ] {
        refused_with(&p, 422, code, what);
        assert!(p.body.contains("walk-assign"), "{what}: the form again");
    }
    assert_eq!(assignments_stored(&env.db), before, "nothing stored");
    assert_eq!(audit_actions(&env.db, "assignment_made"), 0);

    // CSRF refused.
    let p = xa.post(
        &format!("/assignments/teams/{}/assign", team_a.id),
        &[
            ("csrf", "forged"),
            ("member", &khoa),
            ("hamlet", HAMLET_A1_KP1),
        ],
    );
    refused_with(&p, 403, "csrf_mismatch", "forged CSRF");
    assert_eq!(assignments_stored(&env.db), before);

    // A viewer reads (both teams, no forms) and may not change.
    let viewer = Web::login(url, "xem");
    let page = viewer.get(&format!("/assignments?team={}", team_b.id));
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Khu phố") || page.body.contains("Ấp Long Hoà"));
    assert!(!page.body.contains("walk-assign") && !page.body.contains("/revoke"));
    let vcsrf = viewer.csrf();
    refused_with(
        &viewer.post(
            &format!("/assignments/teams/{}/assign", team_a.id),
            &[
                ("csrf", &vcsrf),
                ("member", &khoa),
                ("hamlet", HAMLET_A1_KP1),
            ],
        ),
        403,
        "forbidden",
        "viewer assigns",
    );
    refused_with(
        &viewer.post(
            &format!("/assignments/{}/revoke", b_assignment.id),
            &[("csrf", &vcsrf)],
        ),
        403,
        "forbidden",
        "viewer revokes",
    );

    // A valid one, then revoking it twice.
    let to = redirected(&assign(&khoa, HAMLET_A1_KP1, ""), "valid");
    let id: Uuid = env
        .db
        .tx(|sql: &mut dyn Sql| {
            sql.query_one(
                "SELECT id FROM assignments WHERE team_id = ?",
                gocua_server::params![team_a.id],
            )?
            .expect("row")
            .uuid(0)
        })
        .unwrap();
    assert!(to.contains(&team_a.id.to_string()));
    redirected(
        &xa.post(&format!("/assignments/{id}/revoke"), &[("csrf", &csrf)]),
        "revoke",
    );
    refused_with(
        &xa.post(&format!("/assignments/{id}/revoke"), &[("csrf", &csrf)]),
        422,
        "already_revoked",
        "revoked twice",
    );
    assert_eq!(audit_actions(&env.db, "assignment_revoked"), 1);
}

fn the_command_line_does_what_the_page_does(backend: Backend) {
    let env = Env::start(backend);
    let team = &env.seed.team_a;
    let target = env.test_db.target.clone();
    let team_id = team.id.to_string();
    let khoa = team.members[1].id.to_string();
    // `gocua admin assign`: a hamlet to Khoa.
    let assign_hamlet = |hamlet: &str| {
        gocua_admin(
            &target,
            &[
                "assign", "--team", &team_id, "--member", &khoa, "--hamlet", hamlet,
            ],
        )
    };
    let (ok, out, err) = assign_hamlet(HAMLET_A1_KP1);
    assert!(ok, "{out}\n{err}");
    assert!(
        out.contains("Trần Minh Khoa") && out.contains("Khu phố 1"),
        "{out}"
    );
    let id = out.lines().last().unwrap().trim().to_owned();
    let (ok, out, err) = gocua_admin(&target, &["assignments", "--team", &team_id]);
    assert!(ok, "{err}");
    assert!(
        out.contains(&id) && out.contains("Khu phố 1 — chưa ghi hộ nào"),
        "{out}"
    );
    // Refusals with their codes, nothing stored.
    let (ok, _, err) = assign_hamlet(HAMLET_B1_AP1);
    assert!(!ok && err.contains("outside the team"), "{err}");
    let (ok, _, err) = gocua_admin(&target, &["assign", "--team", &team_id, "--member", &khoa]);
    assert!(!ok && err.contains("--hamlet"), "{err}");
    assert_eq!(assignments_stored(&env.db), 1);
    let (ok, out, err) = gocua_admin(&target, &["revoke-assignment", &id]);
    assert!(ok, "{out}\n{err}");
    let (ok, out, _) = gocua_admin(&target, &["assignments", "--team", &team_id]);
    assert!(ok && !out.contains(&id), "{out}");
    assert_eq!(audit_actions(&env.db, "assignment_made"), 1);
    assert_eq!(audit_actions(&env.db, "assignment_revoked"), 1);
}
