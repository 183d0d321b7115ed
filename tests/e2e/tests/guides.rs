//! Service guides from the dashboard to the phone, on both backends, against the real `gocua
//! serve`: a top unit's administrator previews (nothing stored), saves (audited, the reference
//! sequence moves), marks a starter guide checked and deletes another; a simulated phone pulls
//! the guides, gets the edit and the deletion at its next syncs, and still reads them with the
//! server stopped. Bad text (`guide_empty`, `guide_too_long`), an unknown service and a forged
//! form store nothing; a viewer reads the guides but may not edit them, nor may an administrator
//! below the top unit; and the `gocua admin` commands do what the pages do.

use gocua_e2e::dashboard::{account, refused_with, Page, Web};
use gocua_e2e::seed::*;
use gocua_e2e::server::{gocua_admin, gocua_admin_output};
use gocua_e2e::uploads::count_where;
use gocua_e2e::*;
use gocua_protocol::guide::MAX_GUIDE_CHARS;
use gocua_server::db::Sql;
use gocua_server::domain::accounts::Role;
use gocua_server::domain::coordination::guides::{self, StoredGuide};

on_both_backends!(guides_from_the_dashboard_to_the_phone);

const KEY: &str = "certify_copy";
const PATH: &str = "/admin/services/certify_copy/guide";

fn stored(env: &Env, key: &str) -> Option<StoredGuide> {
    let key = key.to_owned();
    env.db
        .tx(move |sql: &mut dyn Sql| guides::get_guide(sql, &key))
        .unwrap()
}

fn audits(env: &Env, action: &str) -> i64 {
    count_where(
        &env.db,
        &format!("SELECT count(*) FROM audit_log WHERE action = '{action}'"),
    )
}

fn post_guide(web: &Web, csrf: &str, path: &str, body: &str, action: &str) -> Page {
    web.post(
        path,
        &[
            ("csrf", csrf),
            ("body", body),
            ("action", action),
            ("checked", "yes"),
        ],
    )
}

fn guides_from_the_dashboard_to_the_phone(backend: Backend) {
    let mut env = Env::start_binary(backend);
    let (unit_a, _) = split_units(&env.db, &env.seed);
    let top = env.seed.org_unit.id;
    account(&env.db, "tinh", Role::Admin, top);
    account(&env.db, "xa_admin", Role::Admin, unit_a.id);
    account(&env.db, "xem", Role::Viewer, top);
    let url = env.server.url.clone();
    let target = env.test_db.target.clone();

    // The starter guides from the command line, only where there is none; marked to be checked.
    let out = gocua_admin(&target, &["load-starter-guides"]);
    assert!(out.contains("vneid_level2_activation"), "{out}");
    let vneid = stored(&env, "vneid_level2_activation").expect("starter guide");
    assert!(vneid.guide.needs_check && vneid.updated_by.is_none());
    assert!(vneid.guide.body.contains("Nguồn / Source"));
    let again = gocua_admin(&target, &["load-starter-guides"]);
    assert!(again.contains("No starter guide to load"), "{again}");

    let tinh = Web::login(&url, "tinh");
    let csrf = tinh.csrf();
    let list = tinh.get("/admin/services");
    assert!(
        list.body.contains(PATH),
        "the catalogue links each service's guide"
    );
    let empty = tinh.get(PATH);
    assert_eq!(empty.status, 200, "{}", empty.body);
    assert!(empty.body.contains("Chưa có hướng dẫn cho dịch vụ này"));

    // Preview: drawn by the server, escaped, nothing stored.
    let md = "## Chứng thực bản sao\n\n1. Mang **bản chính** và bản chụp\n2. Đến UBND xã\n   - lệ phí 2.000 đồng/trang\n\n<script>alert(1)</script>\n\nXem [x](javascript:alert(1))";
    let seq0 = inspect::reference_seq(&env.db);
    let p = post_guide(&tinh, &csrf, PATH, md, "preview");
    assert_eq!(p.status, 200, "{}", p.body);
    let preview = &p.body[p.body.find("guide-preview").expect("a preview")..];
    assert!(preview.contains("<strong>bản chính</strong>"), "{preview}");
    assert!(preview.contains("<ol start=\"1\">"));
    assert!(preview.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!p.body.contains("<script>alert") && !preview.contains("javascript:alert"));
    assert!(
        preview.contains("Xem x"),
        "the link's words stay: {preview}"
    );
    assert!(stored(&env, KEY).is_none());
    assert_eq!(inspect::reference_seq(&env.db), seq0);

    // Refusals: each with its code, the typed text kept, nothing stored.
    refused_with(
        &post_guide(&tinh, &csrf, PATH, "  \n ", "save"),
        422,
        "guide_empty",
        "empty",
    );
    let long = "Ôn".repeat(MAX_GUIDE_CHARS / 2 + 1);
    let p = post_guide(&tinh, &csrf, PATH, &long, "save");
    refused_with(&p, 422, "guide_too_long", "too long");
    p.assert_shows("8002 ký tự (tối đa 8000)");
    assert!(p.body.contains("ÔnÔnÔn"), "the form keeps what was typed");
    refused_with(
        &post_guide(&tinh, &csrf, "/admin/services/no_such/guide", md, "save"),
        404,
        "not_in_scope",
        "unknown service",
    );
    refused_with(
        &tinh.get("/admin/services/no_such/guide"),
        404,
        "not_in_scope",
        "unknown",
    );
    refused_with(
        &post_guide(&tinh, "forged", PATH, md, "save"),
        403,
        "csrf_mismatch",
        "csrf",
    );
    assert!(stored(&env, KEY).is_none());
    assert_eq!(inspect::reference_seq(&env.db), seq0);
    assert_eq!(audits(&env, "guide_saved"), 0);

    // Saved: stored as checked, the sequence moves, audited.
    let p = post_guide(&tinh, &csrf, PATH, md, "save");
    assert_eq!(p.status, 303, "{}", p.body);
    assert_eq!(
        p.location.as_deref(),
        Some("/admin/services/certify_copy/guide?notice=saved")
    );
    let saved = stored(&env, KEY).unwrap();
    assert!(!saved.guide.needs_check);
    assert_eq!(saved.updated_by.as_deref(), Some("tinh"));
    assert!(saved.guide.body.starts_with("## Chứng thực bản sao"));
    assert!(inspect::reference_seq(&env.db) > seq0);
    assert_eq!(audits(&env, "guide_saved"), 1);

    // The starter guide shows its banner until marked checked.
    let vneid_path = "/admin/services/vneid_level2_activation/guide";
    let page = tinh.get(vneid_path);
    assert!(page
        .body
        .contains("Nội dung mẫu — cần cán bộ kiểm tra trước khi dùng"));
    refused_with(
        &tinh.post(&format!("{vneid_path}/check"), &[("csrf", "forged")]),
        403,
        "csrf_mismatch",
        "check csrf",
    );
    let p = tinh.post(&format!("{vneid_path}/check"), &[("csrf", &csrf)]);
    assert_eq!(p.status, 303, "{}", p.body);
    assert!(
        !stored(&env, "vneid_level2_activation")
            .unwrap()
            .guide
            .needs_check
    );
    assert!(!tinh
        .get(vneid_path)
        .body
        .contains("cần cán bộ kiểm tra trước khi dùng"));
    assert_eq!(audits(&env, "guide_checked"), 1);
    let log = tinh.get("/audit");
    assert!(
        log.body.contains("Sửa hướng dẫn dịch vụ")
            && log.body.contains("Kiểm tra hướng dẫn dịch vụ")
    );

    // A viewer reads the guides but may not edit; nor may an administrator below the top unit.
    let xem = Web::login(&url, "xem");
    let list = xem.get("/guides");
    assert_eq!(list.status, 200, "{}", list.body);
    assert!(
        list.body.contains("/guides/certify_copy")
            && list.body.contains("/guides/vneid_level2_activation")
    );
    assert!(
        !list.body.contains("/admin/services"),
        "no edit link for a viewer"
    );
    let one = xem.get("/guides/certify_copy");
    assert_eq!(one.status, 200);
    assert!(one.body.contains("<strong>bản chính</strong>"));
    refused_with(
        &xem.get("/guides/no_such"),
        404,
        "not_in_scope",
        "viewer unknown",
    );
    refused_with(
        &xem.get("/guides/marriage_registration"),
        404,
        "not_in_scope",
        "no guide",
    );
    for user in ["xem", "xa_admin"] {
        let web = Web::login(&url, user);
        let their = web.csrf();
        refused_with(&web.get(PATH), 403, "forbidden", user);
        refused_with(
            &post_guide(&web, &their, PATH, "Khác", "save"),
            403,
            "forbidden",
            user,
        );
        refused_with(
            &web.post(&format!("{PATH}/check"), &[("csrf", &their)]),
            403,
            "forbidden",
            user,
        );
    }
    assert_eq!(stored(&env, KEY).unwrap(), saved);

    // A phone of team A pulls the guides with the reference data.
    let phone = env.enrol(&env.seed.team_a, 0);
    let keys = phone.store.guide_keys().unwrap();
    assert!(
        keys.contains(&KEY.to_owned()) && keys.contains(&"vneid_level2_activation".to_owned()),
        "{keys:?}"
    );
    let on_phone = phone.store.service_guide(KEY).unwrap().expect("pulled");
    assert_eq!(on_phone.body, saved.guide.body);
    assert!(!on_phone.needs_check);
    assert!(phone
        .store
        .service_guide("marriage_registration")
        .unwrap()
        .is_none());

    // Edited from the command line: the phone gets it at its next sync.
    let file = env.test_db.dir().join("guide.md");
    std::fs::write(
        &file,
        "## Chứng thực\n\nMang **bản chính**; lệ phí 2.000 đồng/trang.\n",
    )
    .unwrap();
    let file = file.to_str().unwrap().to_owned();
    let out = gocua_admin(&target, &["set-guide", "--service", KEY, "--file", &file]);
    assert!(out.contains("cần kiểm tra"), "{out}");
    let bad = gocua_admin_output(
        &target,
        &["set-guide", "--service", "no_such", "--file", &file],
    );
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("No service with key \"no_such\""));
    let listed = gocua_admin(&target, &["guides"]);
    assert!(
        listed.contains("certify_copy") && listed.contains("cần kiểm tra"),
        "{listed}"
    );
    assert_eq!(audits(&env, "guide_saved"), 2);
    phone.sync_clean(&phone.transport);
    let on_phone = phone.store.service_guide(KEY).unwrap().unwrap();
    assert!(on_phone.body.contains("lệ phí 2.000 đồng/trang"));
    assert!(on_phone.needs_check);

    // The starter guide of another service deleted: refused to a viewer and without the form's
    // token, then gone from the server and, at the next sync, from the phone.
    let delete_path = "/admin/services/dvcqg_account/guide/delete";
    let xem_csrf = xem.csrf();
    refused_with(
        &xem.post(delete_path, &[("csrf", &xem_csrf)]),
        403,
        "forbidden",
        "viewer deletes",
    );
    refused_with(
        &tinh.post(delete_path, &[("csrf", "forged")]),
        403,
        "csrf_mismatch",
        "delete csrf",
    );
    assert!(stored(&env, "dvcqg_account").is_some());
    let p = tinh.post(delete_path, &[("csrf", &csrf)]);
    assert_eq!(p.status, 303, "{}", p.body);
    assert!(stored(&env, "dvcqg_account").is_none());
    assert_eq!(audits(&env, "guide_deleted"), 1);
    refused_with(
        &tinh.post(delete_path, &[("csrf", &csrf)]),
        404,
        "not_in_scope",
        "deleted twice",
    );
    phone.sync_clean(&phone.transport);
    assert!(phone
        .store
        .service_guide("dvcqg_account")
        .unwrap()
        .is_none());
    let keys = phone.store.guide_keys().unwrap();
    assert!(!keys.contains(&"dvcqg_account".to_owned()) && keys.contains(&KEY.to_owned()));

    // The server stops: the guides are still on the phone.
    env.server.kill();
    assert!(phone.sync_via(&phone.transport, 10).is_err());
    let offline = phone.store.service_guide(KEY).unwrap().expect("offline");
    assert!(offline.body.contains("lệ phí 2.000 đồng/trang"));
    assert_eq!(phone.store.guide_keys().unwrap(), keys);
}
