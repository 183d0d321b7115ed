//! Coordinator accounts administered in the browser (`/admin/accounts…`, `/account/password`)
//! against a real server on both backends: a province administrator makes a commune coordinator
//! and a viewer who then sign in; a reset password replaces the old one and ends its sessions;
//! a lock and a deactivation refuse sign-in with their own codes and end sessions; nobody grants a
//! role or reaches a unit above their own, or acts on a peer; viewers are refused; forms need the
//! session's CSRF token; bad input is refused with its code and stores nothing; every change is
//! in the audit log; the terminal's `gocua admin` commands do the same.

use gocua_e2e::admin::{account_id, assert_refused, gocua_admin, shown_password, unit_under};
use gocua_e2e::dashboard::{account, client, login_attempt, Page, Web, PASSWORD};
use gocua_e2e::inspect::{count, scalar};
use gocua_e2e::seed::*;
use gocua_e2e::*;
use gocua_protocol::OrgUnitKind;
use gocua_server::db::Db;
use gocua_server::domain::accounts::Role;
use reqwest::header::{CACHE_CONTROL, COOKIE};
use uuid::Uuid;

on_both_backends!(
    accounts_are_made_reset_locked_and_deactivated,
    nobody_reaches_above_themselves,
    bad_input_and_forged_forms_store_nothing
);

fn audited(db: &Db, action: &str, subject: &str) -> i64 {
    scalar(
        db,
        "SELECT COUNT(*) FROM audit_log WHERE action = ? AND subject = ?",
        &[action.into(), subject.into()],
    )
}

/// `/admin/accounts/new` posted by `web` (its CSRF token unless `csrf` is given).
/// Creates an account with [`PASSWORD`] through the form, which must take it (a redirect).
#[track_caller]
fn assert_created(web: &Web, csrf: &str, account: (&str, &str, &str, &str)) {
    let p = create(web, csrf, account, PASSWORD);
    assert_eq!(p.status, 303, "{}", p.body);
}

fn create(
    web: &Web,
    csrf: &str,
    (username, name, role, unit): (&str, &str, &str, &str),
    password: &str,
) -> Page {
    web.post(
        "/admin/accounts/new",
        &[
            ("csrf", csrf),
            ("username", username),
            ("display_name", name),
            ("role", role),
            ("unit", unit),
            ("password", password),
        ],
    )
}

/// The session still works (a page, not the sign-in page).
fn signed_in(web: &Web) -> bool {
    let p = web.get("/");
    p.status == 200
}

fn accounts_are_made_reset_locked_and_deactivated(backend: Backend) {
    let env = Env::start(backend);
    let (unit_a, _unit_b) = split_units(&env.db, &env.seed);
    let province = env.seed.org_unit.id;
    account(&env.db, "tinh", Role::Admin, province);
    let url = &env.server.url;
    let (admin, csrf) = Web::login_with_csrf(url, "tinh");

    // The list and the form.
    let list = admin.get("/admin/accounts");
    assert_eq!(list.status, 200, "{}", list.body);
    assert!(
        list.body
            .contains("data-username=\"tinh\" data-reach=\"own\""),
        "{}",
        list.body
    );
    let form = admin.get("/admin/accounts/new");
    assert_eq!(form.status, 200);
    form.assert_shows(&unit_a.name);
    assert!(
        form.body.contains("value=\"admin\""),
        "an administrator may make administrators"
    );

    // A commune coordinator with a typed password, and a viewer with a made-up one.
    let typed = "mật-khẩu-xã-bến-tre-2026";
    let made = create(
        &admin,
        &csrf,
        (
            "Xa.BenTre",
            "Trần Văn Bến",
            "coordinator",
            &unit_a.id.to_string(),
        ),
        typed,
    );
    assert_eq!(made.status, 303, "{}", made.body);
    let xa_id = account_id(&env.db, "xa.bentre");
    assert_eq!(
        made.location.as_deref(),
        Some(format!("/admin/accounts/{xa_id}?done=created").as_str())
    );
    let viewer = create(
        &admin,
        &csrf,
        ("xem.tinh", "Lê Thị Xem", "viewer", &province.to_string()),
        "",
    );
    assert_eq!(viewer.status, 200, "{}", viewer.body);
    let viewer_password = shown_password(&viewer);
    assert_eq!(viewer_password.len(), 14, "{viewer_password}");
    assert!(!viewer_password.contains(['i', 'l', 'o', '0', '1']));
    let xa = Web::login_with(url, "xa.bentre", typed);
    let xem = Web::login_with(url, "xem.tinh", &viewer_password);
    assert!(signed_in(&xa) && signed_in(&xem));
    assert_eq!(audited(&env.db, "account_created", "xa.bentre"), 1);
    assert_eq!(audited(&env.db, "account_created", "xem.tinh"), 1);
    let page = admin.get(&format!("/admin/accounts/{xa_id}"));
    page.assert_shows("data-status=\"active\"");

    // Rename.
    let renamed = admin.post(
        &format!("/admin/accounts/{xa_id}/rename"),
        &[("csrf", &csrf), ("display_name", "  Trần  Văn Bến Tre ")],
    );
    assert_eq!(renamed.status, 303, "{}", renamed.body);
    assert!(admin
        .get(&format!("/admin/accounts/{xa_id}?done=renamed"))
        .body
        .contains("Trần Văn Bến Tre"));
    assert_eq!(audited(&env.db, "account_renamed", "xa.bentre"), 1);

    // Reset: a new password shown once and never cached; the old one fails, the new works, the
    // old session is gone.
    let reset = client()
        .post(format!("{url}/admin/accounts/{xa_id}/password"))
        .header(COOKIE, &admin.cookie)
        .form(&[("csrf", csrf.as_str())])
        .send()
        .expect("POST reset");
    assert_eq!(
        reset
            .headers()
            .get(CACHE_CONTROL)
            .and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
    let reset = Page::of(reset);
    assert_eq!(reset.status, 200, "{}", reset.body);
    let new_password = shown_password(&reset);
    assert!(!signed_in(&xa), "the old session ended");
    let (old, _) = login_attempt(url, "xa.bentre", typed);
    assert_refused(&old, 401, "wrong_credentials");
    let xa = Web::login_with(url, "xa.bentre", &new_password);
    assert_eq!(audited(&env.db, "password_reset", "xa.bentre"), 1);
    // Never written anywhere in the clear: not in the audit log, not in the accounts' rows.
    for table_text in [
        "SELECT COUNT(*) FROM audit_log WHERE params LIKE ? OR detail LIKE ? OR subject LIKE ?",
        "SELECT COUNT(*) FROM coordinators WHERE password_hash LIKE ? OR display_name LIKE ? OR username LIKE ?",
    ] {
        let like = format!("%{new_password}%");
        assert_eq!(
            scalar(&env.db, table_text, &[like.clone().into(), like.clone().into(), like.into()]),
            0
        );
    }

    // Lock: refused with its own code (only for the right password), sessions end; unlock.
    let locked = admin.post(&format!("/admin/accounts/{xa_id}/lock"), &[("csrf", &csrf)]);
    assert_eq!(locked.status, 303, "{}", locked.body);
    assert!(!signed_in(&xa), "the locked account's session ended");
    let (refused, cookie) = login_attempt(url, "xa.bentre", &new_password);
    assert_refused(&refused, 403, "account_locked_by_admin");
    assert!(cookie.is_none());
    let (wrong, _) = login_attempt(url, "xa.bentre", "không-phải-mật-khẩu");
    assert_refused(&wrong, 401, "wrong_credentials");
    assert!(admin
        .get(&format!("/admin/accounts/{xa_id}"))
        .body
        .contains("data-status=\"locked\""));
    let again = admin.post(&format!("/admin/accounts/{xa_id}/lock"), &[("csrf", &csrf)]);
    assert_refused(&again, 422, "already_locked");
    let unlocked = admin.post(
        &format!("/admin/accounts/{xa_id}/unlock"),
        &[("csrf", &csrf)],
    );
    assert_eq!(unlocked.status, 303, "{}", unlocked.body);
    let xa = Web::login_with(url, "xa.bentre", &new_password);
    assert_eq!(audited(&env.db, "account_locked", "xa.bentre"), 1);
    assert_eq!(audited(&env.db, "account_unlocked", "xa.bentre"), 1);
    assert!(audited(&env.db, "login_refused", "") >= 1);

    // One's own password: current + new twice; the other sessions end, this one stays.
    let xa_elsewhere = Web::login_with(url, "xa.bentre", &new_password);
    let xa_csrf = xa.csrf();
    let change = |current: &str, new: &str, again: &str| {
        xa.post(
            "/account/password",
            &[
                ("csrf", &xa_csrf),
                ("current", current),
                ("new", new),
                ("again", again),
            ],
        )
    };
    let own = "mật-khẩu-tự-đặt-của-xã";
    assert_refused(&change("sai-mật-khẩu-rồi", own, own), 422, "wrong_password");
    assert_refused(
        &change(&new_password, own, "khác-hẳn-đi-nhé"),
        422,
        "passwords_differ",
    );
    assert_refused(
        &change(&new_password, "ngắn", "ngắn"),
        422,
        "password_too_short",
    );
    let changed = change(&new_password, own, own);
    assert_eq!(changed.status, 303, "{}", changed.body);
    assert!(signed_in(&xa), "this session stays");
    assert!(!signed_in(&xa_elsewhere), "the other session ended");
    Web::login_with(url, "xa.bentre", own);
    assert_eq!(audited(&env.db, "password_changed", "xa.bentre"), 1);

    // Nobody locks, resets or deactivates their own account from these pages.
    let tinh = account_id(&env.db, "tinh");
    for action in ["lock", "password", "deactivate"] {
        let p = admin.post(
            &format!("/admin/accounts/{tinh}/{action}"),
            &[("csrf", &csrf), ("confirm", "yes")],
        );
        assert_refused(&p, 422, "account_self");
    }

    // Deactivate: needs the box ticked; then sign-in is refused with its code, sessions end, and
    // nothing more can be done to the account.
    let unticked = admin.post(
        &format!("/admin/accounts/{xa_id}/deactivate"),
        &[("csrf", &csrf)],
    );
    assert_refused(&unticked, 422, "confirm_missing");
    assert!(signed_in(&xa));
    let gone = admin.post(
        &format!("/admin/accounts/{xa_id}/deactivate"),
        &[("csrf", &csrf), ("confirm", "yes")],
    );
    assert_eq!(gone.status, 303, "{}", gone.body);
    assert!(!signed_in(&xa));
    let (refused, _) = login_attempt(url, "xa.bentre", own);
    assert_refused(&refused, 403, "account_deactivated");
    let after = admin.post(
        &format!("/admin/accounts/{xa_id}/unlock"),
        &[("csrf", &csrf)],
    );
    assert_refused(&after, 422, "account_deactivated");
    assert!(admin
        .get("/admin/accounts")
        .body
        .contains("data-status=\"deactivated\""));
    assert_eq!(audited(&env.db, "account_deactivated", "xa.bentre"), 1);

    // The terminal runs the same functions: lock, unlock, reset (printed once), deactivate.
    let target = &env.test_db.target;
    let (ok, _, err) = gocua_admin(
        target,
        &["lock-coordinator", "xem.tinh", "--by", "Trực ban"],
    );
    assert!(ok, "{err}");
    assert!(!signed_in(&xem));
    let (refused, _) = login_attempt(url, "xem.tinh", &viewer_password);
    assert_refused(&refused, 403, "account_locked_by_admin");
    let (ok, _, err) = gocua_admin(target, &["unlock-coordinator", "xem.tinh"]);
    assert!(ok, "{err}");
    let (ok, out, err) = gocua_admin(target, &["reset-password", "XEM.tinh"]);
    assert!(ok, "{err}");
    let cli_password = out
        .lines()
        .nth(1)
        .expect("the password line")
        .trim()
        .to_owned();
    let (old, _) = login_attempt(url, "xem.tinh", &viewer_password);
    assert_refused(&old, 401, "wrong_credentials");
    Web::login_with(url, "xem.tinh", &cli_password);
    let (ok, _, err) = gocua_admin(target, &["deactivate-coordinator", "xem.tinh"]);
    assert!(ok, "{err}");
    let (refused, _) = login_attempt(url, "xem.tinh", &cli_password);
    assert_refused(&refused, 403, "account_deactivated");
    let (ok, _, err) = gocua_admin(target, &["lock-coordinator", "khong-co-ai"]);
    assert!(
        !ok && err.contains("Không có tài khoản") && err.contains("There is no account"),
        "{err}"
    );
    assert_eq!(
        scalar(
            &env.db,
            "SELECT COUNT(*) FROM audit_log WHERE subject = 'xem.tinh' AND params LIKE '%cli%'",
            &[]
        ),
        4
    );
    assert_eq!(
        scalar(
            &env.db,
            "SELECT COUNT(*) FROM audit_log WHERE username = 'Trực ban' AND action = 'account_locked'",
            &[]
        ),
        1
    );
}

fn nobody_reaches_above_themselves(backend: Backend) {
    let env = Env::start(backend);
    let (unit_a, unit_b) = split_units(&env.db, &env.seed);
    let province = env.seed.org_unit.id;
    let branch = unit_under(&env.db, "Chi đoàn Khu phố 1", OrgUnitKind::Other, unit_a.id);
    account(&env.db, "tinh", Role::Admin, province);
    account(&env.db, "xa_a", Role::Coordinator, unit_a.id);
    account(&env.db, "xa_a_2", Role::Coordinator, unit_a.id);
    account(&env.db, "xa_b", Role::Coordinator, unit_b.id);
    account(&env.db, "qt_chidoan", Role::Admin, branch.id);
    account(&env.db, "xem", Role::Viewer, province);
    let url = &env.server.url;
    let (xa, csrf) = Web::login_with_csrf(url, "xa_a");
    let before = count(&env.db, "coordinators");

    // What a commune coordinator sees: its subtree's accounts, only those below it manageable.
    let list = xa.get("/admin/accounts");
    assert_eq!(list.status, 200, "{}", list.body);
    assert!(list
        .body
        .contains("data-username=\"xa_a\" data-reach=\"own\""));
    assert!(list
        .body
        .contains("data-username=\"xa_a_2\" data-reach=\"see\""));
    assert!(list
        .body
        .contains("data-username=\"qt_chidoan\" data-reach=\"see\""));
    for hidden in ["tinh", "xa_b", "xem"] {
        assert!(
            !list.body.contains(&format!("data-username=\"{hidden}\"")),
            "{hidden}"
        );
    }
    let form = xa.get("/admin/accounts/new");
    assert!(
        !form.body.contains("value=\"admin\""),
        "no role above its own on offer"
    );
    assert!(form.body.contains(&branch.id.to_string()));
    assert!(
        !form.body.contains(&format!("value=\"{}\"", unit_a.id)),
        "not its own unit"
    );

    // It may make a viewer or a coordinator below itself…
    assert_created(
        &xa,
        &csrf,
        ("kp1.xem", "Người Xem", "viewer", &branch.id.to_string()),
    );
    // …but no administrator, nothing at its own unit, above it, in the sibling commune, or at a
    // unit that does not exist.
    let cases: [(&str, Uuid, u16, &str); 5] = [
        ("admin", branch.id, 403, "forbidden"),
        ("coordinator", unit_a.id, 403, "forbidden"),
        ("viewer", province, 404, "not_in_scope"),
        ("viewer", unit_b.id, 404, "not_in_scope"),
        ("viewer", Uuid::now_v7(), 404, "not_in_scope"),
    ];
    for (role, unit, status, code) in cases {
        let p = create(
            &xa,
            &csrf,
            ("thu.vuot", "Thử Vượt", role, &unit.to_string()),
            PASSWORD,
        );
        assert_refused(&p, status, code);
    }
    assert_eq!(count(&env.db, "coordinators"), before + 1);

    // Accounts above, beside or unknown: the same not_in_scope; a peer or an administrator below:
    // seen, but forbidden to change.
    for other in [
        account_id(&env.db, "tinh"),
        account_id(&env.db, "xa_b"),
        Uuid::now_v7(),
    ] {
        assert_refused(
            &xa.get(&format!("/admin/accounts/{other}")),
            404,
            "not_in_scope",
        );
        let p = xa.post(&format!("/admin/accounts/{other}/lock"), &[("csrf", &csrf)]);
        assert_refused(&p, 404, "not_in_scope");
    }
    for above in [
        account_id(&env.db, "xa_a_2"),
        account_id(&env.db, "qt_chidoan"),
    ] {
        let page = xa.get(&format!("/admin/accounts/{above}"));
        assert_eq!(page.status, 200);
        assert!(page.body.contains("data-reach=\"see\""));
        assert!(
            !page.body.contains("/lock\""),
            "no forms for an account it may not change"
        );
        for action in ["lock", "password", "deactivate", "unlock", "rename"] {
            let p = xa.post(
                &format!("/admin/accounts/{above}/{action}"),
                &[("csrf", &csrf), ("confirm", "yes"), ("display_name", "X")],
            );
            assert_refused(&p, 403, "forbidden");
        }
    }
    let below = account_id(&env.db, "kp1.xem");
    let p = xa.post(&format!("/admin/accounts/{below}/lock"), &[("csrf", &csrf)]);
    assert_eq!(p.status, 303, "{}", p.body);
    let (refused, _) = login_attempt(url, "kp1.xem", PASSWORD);
    assert_refused(&refused, 403, "account_locked_by_admin");

    // A viewer administers nothing (but changes its own password).
    let (xem, xem_csrf) = Web::login_with_csrf(url, "xem");
    assert_refused(&xem.get("/admin/accounts"), 403, "forbidden");
    assert_refused(&xem.get("/admin/accounts/new"), 403, "forbidden");
    assert_refused(
        &create(
            &xem,
            &xem_csrf,
            ("x.y", "X Y", "viewer", &province.to_string()),
            PASSWORD,
        ),
        403,
        "forbidden",
    );
    assert_refused(
        &xem.post(
            &format!("/admin/accounts/{below}/unlock"),
            &[("csrf", &xem_csrf)],
        ),
        403,
        "forbidden",
    );
    assert_eq!(xem.get("/account/password").status, 200);
    // A province coordinator makes accounts below the province, never at it.
    account(&env.db, "tinh_dp", Role::Coordinator, province);
    let (dp, dp_csrf) = Web::login_with_csrf(url, "tinh_dp");
    let at_top = create(
        &dp,
        &dp_csrf,
        ("o.tinh", "Ở Tỉnh", "viewer", &province.to_string()),
        PASSWORD,
    );
    assert_refused(&at_top, 403, "forbidden");
    assert_created(
        &dp,
        &dp_csrf,
        ("o.xa.b", "Ở Xã B", "coordinator", &unit_b.id.to_string()),
    );
    assert_eq!(count(&env.db, "coordinators"), before + 3);
}

fn bad_input_and_forged_forms_store_nothing(backend: Backend) {
    let env = Env::start(backend);
    let (unit_a, _) = split_units(&env.db, &env.seed);
    account(&env.db, "tinh", Role::Admin, env.seed.org_unit.id);
    account(&env.db, "xa_a", Role::Coordinator, unit_a.id);
    let url = &env.server.url;
    let (admin, csrf) = Web::login_with_csrf(url, "tinh");
    let unit = unit_a.id.to_string();
    let before = (count(&env.db, "coordinators"), count(&env.db, "audit_log"));
    let long = "x".repeat(65);
    let cases: [(&str, &str, &str, &str, &str); 7] = [
        (
            "Xã A",
            "Tên",
            "coordinator",
            "mật-khẩu-đủ-dài",
            "bad_username",
        ),
        (
            &long,
            "Tên",
            "coordinator",
            "mật-khẩu-đủ-dài",
            "bad_username",
        ),
        ("", "Tên", "coordinator", "mật-khẩu-đủ-dài", "bad_username"),
        (
            "XA_A",
            "Tên",
            "coordinator",
            "mật-khẩu-đủ-dài",
            "username_taken",
        ),
        (
            "moi.ban",
            "Tên",
            "coordinator",
            "ngắn-quá",
            "password_too_short",
        ),
        (
            "moi.ban",
            "   ",
            "coordinator",
            "mật-khẩu-đủ-dài",
            "bad_name",
        ),
        ("moi.ban", "Tên", "superuser", "mật-khẩu-đủ-dài", "bad_role"),
    ];
    for (username, name, role, password, code) in cases {
        let p = create(&admin, &csrf, (username, name, role, &unit), password);
        assert_refused(&p, 422, code);
        // The form comes back with what was typed, never the password.
        assert!(p.body.contains("action=\"/admin/accounts/new\""), "{code}");
        assert!(
            !p.body.contains(password),
            "{code}: the password is not sent back"
        );
    }
    // Forged forms: no token, another session's token.
    let xa_csrf = Web::login(url, "xa_a").csrf();
    for token in ["", "forged", xa_csrf.as_str()] {
        let p = create(
            &admin,
            token,
            ("hop.le", "Hợp Lệ", "viewer", &unit),
            PASSWORD,
        );
        assert_refused(&p, 403, "csrf_mismatch");
        let xa_id = account_id(&env.db, "xa_a");
        for action in ["lock", "password", "deactivate"] {
            let p = admin.post(
                &format!("/admin/accounts/{xa_id}/{action}"),
                &[("csrf", token), ("confirm", "yes")],
            );
            assert_refused(&p, 403, "csrf_mismatch");
        }
    }
    assert_eq!(
        (count(&env.db, "coordinators"), count(&env.db, "audit_log")),
        (before.0, before.1 + 1),
        "nothing stored but the second session's sign-in"
    );
    Web::login(url, "xa_a");
}
