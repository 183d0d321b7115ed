//! Hamlets in the browser, on both backends: a bad CSV lists every problem with its line and
//! column and stores nothing; a good one is previewed (new / changed), stored once on
//! confirmation (reference data moves, so phones pull it), never by another account nor twice;
//! one hamlet edited by hand; a commune coordinator reaches only its own commune.

use chrono::{Duration, Utc};
use gocua_e2e::dashboard::{account, admin_coordinator_and_viewer, refused_with, Page, Web};
use gocua_e2e::seed::*;
use gocua_e2e::uploads::{
    assert_only_owner_confirms, count_where, post_file, preview_path, problems,
};
use gocua_e2e::*;
use gocua_server::db::Sql;
use gocua_server::domain::accounts::Role;
use gocua_server::domain::coordination::staged::{self, UploadKind};
use gocua_server::domain::coordination::AdminError;
use uuid::Uuid;

on_both_backends!(
    hamlet_upload_preview_confirm_and_scope,
    hamlet_edit_and_scope
);

const HEADER: &str = "code,name,division_type,commune_code\n";

fn areas(env: &Env) -> i64 {
    count_where(&env.db, "SELECT count(*) FROM areas")
}

fn hamlet_name(env: &Env, code: &str) -> Option<String> {
    env.db
        .tx(|sql: &mut dyn Sql| {
            sql.query_one(
                "SELECT name FROM areas WHERE code = ?",
                &[code.to_owned().into()],
            )
        })
        .unwrap()
        .map(|r| r.text(0))
}

fn audit_count(env: &Env, action: &str) -> i64 {
    count_where(
        &env.db,
        &format!("SELECT count(*) FROM audit_log WHERE action = '{action}'"),
    )
}

fn upload(web: &Web, csrf: &str, commune: &str, csv: &str) -> Page {
    post_file(
        web,
        "/admin/hamlets/upload",
        &[("csrf", csrf), ("commune", commune)],
        "thon.csv",
        csv.as_bytes().to_vec(),
    )
}

fn hamlet_upload_preview_confirm_and_scope(backend: Backend) {
    let env = Env::start(backend);
    let (unit_a, _unit_b) = split_units(&env.db, &env.seed);
    admin_coordinator_and_viewer(&env.db, env.seed.org_unit.id, unit_a.id);
    let url = &env.server.url;
    let (xa, csrf) = Web::login_with_csrf(url, "xa_a");

    // The commune coordinator's page shows its one commune and its hamlets.
    let page = xa.get("/admin/hamlets");
    assert_eq!(page.status, 200, "{}", page.body);
    page.assert_shows(HAMLET_A1_KP1);
    assert!(page.body.contains("code,name,division_type,commune_code"));
    let example = xa.get(&format!("/admin/hamlets/example.csv?commune={COMMUNE_A1}"));
    assert_eq!(example.status, 200);
    example.assert_shows(&format!("{COMMUNE_A1}-01,"));

    let (areas0, seq0) = (areas(&env), inspect::reference_seq(&env.db));
    let staged0 = count_where(&env.db, "SELECT count(*) FROM staged_uploads");

    // A wrong header: the header's problem, nothing stored.
    let p = upload(
        &xa,
        &csrf,
        COMMUNE_A1,
        "code,ten,division_type,commune_code\nX-1,Ấp,ấp,28789\n",
    );
    refused_with(&p, 422, "invalid_file", "wrong header");
    assert_eq!(problems(&p), vec![("1".to_owned(), "name".to_owned())]);

    // Every bad row at once: an empty name, another commune's row, a hamlet code that is a
    // commune's, a duplicate code; the good row is not stored either.
    let csv = format!(
        "{HEADER}{COMMUNE_A1}-AP9,Ấp Chín,ấp,{COMMUNE_A1}\n{COMMUNE_A1}-AP10,,ấp,{COMMUNE_A1}\n{COMMUNE_B1}-AP2,Ấp Hai,ấp,{COMMUNE_B1}\n{COMMUNE_A2},Ấp Lạ,ấp,{COMMUNE_A1}\n{COMMUNE_A1}-AP9,Ấp Chín Lặp,ấp,{COMMUNE_A1}\n"
    );
    let p = upload(&xa, &csrf, COMMUNE_A1, &csv);
    refused_with(&p, 422, "invalid_file", "bad rows");
    let got = problems(&p);
    for want in [
        ("3", "name"),
        ("4", "commune_code"),
        ("5", "code"),
        ("6", "code"),
    ] {
        assert!(
            got.contains(&(want.0.to_owned(), want.1.to_owned())),
            "missing {want:?} in {got:?}"
        );
    }
    p.assert_shows("Dòng 4, cột commune_code");
    assert!(
        !p.body.contains("Xác nhận"),
        "no confirm button while there are errors"
    );

    // A sibling commune chosen by the commune coordinator: the same answer as a code that does
    // not exist.
    let good = format!("{HEADER}{COMMUNE_B1}-AP2,Ấp Hai,ấp,{COMMUNE_B1}\n");
    refused_with(
        &upload(&xa, &csrf, COMMUNE_B1, &good),
        404,
        "not_in_scope",
        "sibling",
    );
    refused_with(
        &upload(&xa, &csrf, "99999", &good),
        404,
        "not_in_scope",
        "no such commune",
    );
    refused_with(
        &xa.get(&format!("/admin/hamlets?commune={COMMUNE_B1}")),
        404,
        "not_in_scope",
        "sibling's hamlets",
    );
    // CSRF, a viewer, a file too large, no file.
    let csv = format!("{HEADER}{COMMUNE_A1}-AP9,Ấp Chín,ấp,{COMMUNE_A1}\n");
    refused_with(
        &upload(&xa, "forged", COMMUNE_A1, &csv),
        403,
        "csrf_mismatch",
        "csrf",
    );
    let xem = Web::login(url, "xem");
    refused_with(&xem.get("/admin/hamlets"), 403, "forbidden", "viewer");
    refused_with(
        &upload(&xem, &xem.csrf(), COMMUNE_A1, &csv),
        403,
        "forbidden",
        "viewer upload",
    );
    let big = format!("{HEADER}{}", "X,Y,ấp,28789\n".repeat(200_000));
    refused_with(
        &upload(&xa, &csrf, COMMUNE_A1, &big),
        413,
        "file_too_large",
        "big file",
    );
    refused_with(
        &upload(&xa, &csrf, COMMUNE_A1, ""),
        422,
        "no_file",
        "empty file",
    );
    assert_eq!(
        (areas(&env), inspect::reference_seq(&env.db)),
        (areas0, seq0),
        "nothing stored"
    );
    assert_eq!(
        count_where(&env.db, "SELECT count(*) FROM staged_uploads"),
        staged0
    );

    // A good file: previewed, nothing stored yet.
    let csv = format!(
        "{HEADER}{HAMLET_A1_KP1},Khu phố Một,khu phố,{COMMUNE_A1}\n{COMMUNE_A1}-AP9,Ấp Chín,ấp,{COMMUNE_A1}\n{HAMLET_A1_KP2},Khu phố 2,khu phố,{COMMUNE_A1}\n"
    );
    let preview = preview_path(&upload(&xa, &csrf, COMMUNE_A1, &csv));
    let p = xa.get(&preview);
    assert_eq!(p.status, 200, "{}", p.body);
    for change in ["new", "changed", "unchanged"] {
        assert_eq!(
            p.body.matches(&format!("data-change=\"{change}\"")).count(),
            1,
            "{change}: {}",
            p.body
        );
    }
    assert!(
        p.body
            .contains("<del>Khu phố 1</del> → <ins>Khu phố Một</ins>"),
        "{}",
        p.body
    );
    assert_eq!(
        (areas(&env), inspect::reference_seq(&env.db)),
        (areas0, seq0),
        "a preview stores nothing"
    );

    // Another account may neither see nor confirm it; a forged form is refused.
    let tinh = Web::login(url, "tinh");
    refused_with(
        &tinh.get(&preview),
        404,
        "not_found",
        "other account's preview",
    );
    let confirm = assert_only_owner_confirms(&preview, &xa, &tinh);
    assert_eq!(
        (areas(&env), inspect::reference_seq(&env.db)),
        (areas0, seq0)
    );

    // Confirmed: stored, the reference data moved, a phone of team A would pull the new hamlet.
    let p = xa.post(&confirm, &[("csrf", &csrf)]);
    assert_eq!(p.status, 303, "{}", p.body);
    assert!(p.location.as_deref().unwrap().contains("notice=imported"));
    assert_eq!(areas(&env), areas0 + 1);
    assert!(inspect::reference_seq(&env.db) > seq0);
    assert_eq!(
        hamlet_name(&env, HAMLET_A1_KP1).as_deref(),
        Some("Khu phố Một")
    );
    let snapshot = inspect::team_snapshot(&env.db, env.seed.team_a.id);
    assert!(snapshot
        .areas
        .iter()
        .any(|a| a.code == format!("{COMMUNE_A1}-AP9") && a.name == "Ấp Chín"));
    assert_eq!(audit_count(&env, "hamlets_imported"), 1);
    let list = xa.get(&format!(
        "/admin/hamlets?commune={COMMUNE_A1}&notice=imported"
    ));
    assert!(list.body.contains("Ấp Chín") && list.body.contains("role=\"status\""));

    // Once only.
    let seq1 = inspect::reference_seq(&env.db);
    refused_with(
        &xa.post(&confirm, &[("csrf", &csrf)]),
        409,
        "upload_already_confirmed",
        "second confirm",
    );
    assert_eq!(inspect::reference_seq(&env.db), seq1);
    assert_eq!(audit_count(&env, "hamlets_imported"), 1);

    // A preview older than a day is refused (the domain's clock is given, not read).
    let owner = env
        .db
        .tx(|sql: &mut dyn Sql| {
            sql.query_one("SELECT id FROM coordinators WHERE username = 'xa_a'", &[])
        })
        .unwrap()
        .unwrap()
        .uuid(0)
        .unwrap();
    let old = Utc::now() - Duration::days(2);
    let id = env
        .db
        .tx(|sql: &mut dyn Sql| {
            staged::stage(
                sql,
                owner,
                UploadKind::Hamlets,
                COMMUNE_A1,
                &serde_json::json!({"commune": COMMUNE_A1, "hamlets": []}),
                old,
            )
        })
        .unwrap();
    let refused = env.db.tx(|sql: &mut dyn Sql| {
        staged::take::<serde_json::Value>(sql, id, owner, UploadKind::Hamlets, Utc::now())
    });
    assert!(
        matches!(
            refused,
            Err(AdminError::Conflict {
                code: "upload_expired",
                ..
            })
        ),
        "{refused:?}"
    );
    refused_with(
        &xa.get(&format!("/admin/hamlets/uploads/{id}")),
        409,
        "upload_expired",
        "old preview",
    );
    refused_with(
        &xa.get(&format!("/admin/hamlets/uploads/{}", Uuid::now_v7())),
        404,
        "not_found",
        "random preview id",
    );

    // The province's administrator sees every commune of the province.
    let p = tinh.get(&format!("/admin/hamlets?commune={COMMUNE_B1}"));
    assert_eq!(p.status, 200, "{}", p.body);
    assert!(p.body.contains(HAMLET_B1_AP1));
}

fn hamlet_edit_and_scope(backend: Backend) {
    let env = Env::start(backend);
    let (unit_a, _unit_b) = split_units(&env.db, &env.seed);
    account(&env.db, "xa_a", Role::Coordinator, unit_a.id);
    account(&env.db, "xem", Role::Viewer, unit_a.id);
    let url = &env.server.url;
    let (xa, csrf) = Web::login_with_csrf(url, "xa_a");
    let path = format!("/admin/hamlets/{HAMLET_A1_KP2}");

    let p = xa.get(&path);
    assert_eq!(p.status, 200, "{}", p.body);
    assert!(p.body.contains("value=\"Khu phố 2\""));

    // The importer's rules: an empty name is refused on the form, nothing changes.
    let seq0 = inspect::reference_seq(&env.db);
    let p = xa.post(
        &path,
        &[
            ("csrf", &csrf),
            ("name", "  "),
            ("division_type", "khu phố"),
        ],
    );
    refused_with(&p, 422, "invalid_input", "empty name");
    p.assert_shows("tên thôn, ấp đang để trống");
    assert_eq!(inspect::reference_seq(&env.db), seq0);
    refused_with(
        &xa.post(
            &path,
            &[("csrf", "forged"), ("name", "X"), ("division_type", "ấp")],
        ),
        403,
        "csrf_mismatch",
        "csrf",
    );

    let p = xa.post(
        &path,
        &[
            ("csrf", &csrf),
            ("name", "Khu phố  Hai"),
            ("division_type", "Khu Phố"),
        ],
    );
    assert_eq!(p.status, 303, "{}", p.body);
    assert_eq!(
        hamlet_name(&env, HAMLET_A1_KP2).as_deref(),
        Some("Khu phố Hai")
    );
    assert!(inspect::reference_seq(&env.db) > seq0);
    assert_eq!(audit_count(&env, "hamlet_edited"), 1);

    // Another commune's hamlet, a commune, a code that does not exist: the same answer.
    for other in [HAMLET_B1_AP1, COMMUNE_A1, "NO-SUCH"] {
        let target = format!("/admin/hamlets/{other}");
        refused_with(&xa.get(&target), 404, "not_in_scope", other);
        refused_with(
            &xa.post(
                &target,
                &[("csrf", &csrf), ("name", "X"), ("division_type", "ấp")],
            ),
            404,
            "not_in_scope",
            other,
        );
    }
    assert_eq!(
        hamlet_name(&env, HAMLET_B1_AP1).as_deref(),
        Some("Ấp Long Hoà")
    );
    let xem = Web::login(url, "xem");
    refused_with(&xem.get(&path), 403, "forbidden", "viewer");
}
