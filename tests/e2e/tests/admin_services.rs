//! The service catalogue in the browser, on both backends: a top unit's administrator edits a
//! procedure code and marks it checked (phones pull the change, the audit log says so); a bad
//! code is refused on the form with nothing changed; commune coordinators, administrators below
//! the top unit, coordinators of the top unit and viewers may not see or change it.

use gocua_e2e::dashboard::{account, admin_coordinator_and_viewer, refused_with, Web};
use gocua_e2e::seed::*;
use gocua_e2e::uploads::count_where;
use gocua_e2e::*;
use gocua_protocol::{Level42, Level43, Service};
use gocua_server::db::Sql;
use gocua_server::domain::accounts::Role;
use gocua_server::domain::coordination;

on_both_backends!(catalogue_edit_and_access);

fn service(env: &Env, key: &str) -> Service {
    env.db
        .tx(|sql: &mut dyn Sql| coordination::load_service(sql, key))
        .unwrap()
}

fn catalogue_edit_and_access(backend: Backend) {
    let env = Env::start(backend);
    let (unit_a, _) = split_units(&env.db, &env.seed);
    let top = env.seed.org_unit.id;
    admin_coordinator_and_viewer(&env.db, top, unit_a.id);
    account(&env.db, "tinh_cb", Role::Coordinator, top);
    account(&env.db, "xa_admin", Role::Admin, unit_a.id);
    let url = &env.server.url;
    let key = "judicial_record"; // in the starter catalogue without a code
    let path = format!("/admin/services/{key}");
    assert!(service(&env, key).code.is_none());

    let (tinh, csrf) = Web::login_with_csrf(url, "tinh");
    let list = tinh.get("/admin/services");
    assert_eq!(list.status, 200, "{}", list.body);
    assert!(list.body.contains("data-key=\"birth_registration\""));
    assert!(list.body.contains("chưa kiểm tra") || list.body.contains("đã kiểm tra"));
    let form = tinh.get(&path);
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(form.body.contains("Cấp phiếu lý lịch tư pháp"));

    let fields = |code: &str| {
        vec![
            ("csrf", csrf.clone()),
            ("name_vi", "Cấp phiếu lý lịch tư pháp".to_owned()),
            ("name_en", "Judicial record certificate".to_owned()),
            ("code", code.to_owned()),
            ("verified", "yes".to_owned()),
            ("level_42", "toan_trinh".to_owned()),
            ("level_43", "4".to_owned()),
            ("authority", "Công an cấp tỉnh".to_owned()),
            ("active", "yes".to_owned()),
        ]
    };
    let as_refs = |f: &[(&'static str, String)]| -> Vec<(&'static str, String)> { f.to_vec() };
    let post = |web: &Web, f: Vec<(&'static str, String)>| {
        let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        web.post(&path, &pairs)
    };

    // A code in the wrong format: refused on the form, nothing changed.
    let seq0 = inspect::reference_seq(&env.db);
    let audits0 = count_where(
        &env.db,
        "SELECT count(*) FROM audit_log WHERE action = 'service_edited'",
    );
    let p = post(&tinh, as_refs(&fields("1-2345")));
    refused_with(&p, 422, "invalid_input", "bad code");
    assert!(
        p.body.contains("value=\"1-2345\""),
        "the form keeps what was typed"
    );
    let mut unverifiable = fields("");
    unverifiable.retain(|(k, _)| *k != "code");
    let p = post(&tinh, unverifiable);
    refused_with(&p, 422, "invalid_input", "verified without a code");
    let mut forged = fields("2.001263");
    forged[0].1 = "forged".into();
    refused_with(&post(&tinh, forged), 403, "csrf_mismatch", "csrf");
    assert!(service(&env, key).code.is_none());
    assert_eq!(inspect::reference_seq(&env.db), seq0);

    // The code set and checked, the levels known: stored, phones pull it, audited.
    let p = post(&tinh, fields("2.001263"));
    assert_eq!(p.status, 303, "{}", p.body);
    let s = service(&env, key);
    assert_eq!(s.code.as_deref(), Some("2.001263"));
    assert!(s.code_verified);
    assert_eq!(s.level_42, Some(Level42::ToanTrinh));
    assert_eq!(s.level_43, Some(Level43::Level4));
    assert!(inspect::reference_seq(&env.db) > seq0);
    let pulled = inspect::team_snapshot(&env.db, env.seed.team_a.id);
    assert!(pulled
        .services
        .iter()
        .any(|x| x.key == key && x.code.as_deref() == Some("2.001263") && x.code_verified));
    assert_eq!(
        count_where(
            &env.db,
            "SELECT count(*) FROM audit_log WHERE action = 'service_edited'"
        ),
        audits0 + 1
    );
    let list = tinh.get("/admin/services?notice=saved");
    assert!(list.body.contains("2.001263"));

    // Not in use any more: the box unticked.
    let mut off = fields("2.001263");
    off.retain(|(k, _)| *k != "active");
    assert_eq!(post(&tinh, off).status, 303);
    assert!(!service(&env, key).active);

    // A key that does not exist.
    refused_with(
        &tinh.get("/admin/services/no_such_service"),
        404,
        "not_in_scope",
        "unknown key",
    );

    // Nobody else may see or change the catalogue.
    let before = service(&env, key);
    for user in ["tinh_cb", "xa_admin", "xa_a", "xem"] {
        let web = Web::login(url, user);
        refused_with(&web.get("/admin/services"), 403, "forbidden", user);
        refused_with(&web.get(&path), 403, "forbidden", user);
        let mut f = fields("1.001193");
        f[0].1 = web.csrf();
        refused_with(&post(&web, f), 403, "forbidden", user);
    }
    assert_eq!(service(&env, key), before);
}
