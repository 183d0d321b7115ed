//! The first-run set-up against the real `gocua serve` on both backends: on an empty database it
//! prints a one-time link on standard output; the link's page sets up the first administrator,
//! the top unit, the area list and the catalogue in one go and signs the administrator in; a bad
//! form stores nothing; the link works once, within its time, and a wrong, used or expired link
//! gets one and the same answer; a database with an account prints no link.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use chrono::Utc;
use gocua_e2e::dashboard::{client, login_attempt, Page};
use gocua_e2e::server::{free_addr, gocua_admin, gocua_admin_output, gocua_binary, health};
use gocua_e2e::*;
use gocua_server::db::{Db, Sql};
use gocua_server::params;
use reqwest::header::COOKIE;

on_both_backends!(first_run_sets_up_once);

/// `gocua serve` as the operator starts it, with standard output kept apart from standard error.
struct Serve {
    child: Child,
    url: String,
    stdout: PathBuf,
}

impl Serve {
    fn start(target: &str, dir: &Path, run: u32) -> Serve {
        let addr = free_addr();
        let stdout = dir.join(format!("serve-{run}.out"));
        let stderr = dir.join(format!("serve-{run}.err"));
        let child = Command::new(gocua_binary())
            .args(["serve", "--db", target, "--listen", &addr.to_string()])
            .env("RUST_LOG", "warn")
            .env_remove("GOCUA_PUBLIC_URL")
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(&stdout).unwrap())
            .stderr(std::fs::File::create(&stderr).unwrap())
            .spawn()
            .expect("spawn gocua serve");
        let url = format!("http://{addr}");
        let up = wait_for(Duration::from_secs(60), || health(&url).then_some(()));
        assert!(
            up.is_some(),
            "gocua serve did not start: {}",
            std::fs::read_to_string(&stderr).unwrap_or_default()
        );
        Serve { child, url, stdout }
    }

    fn stdout(&self) -> String {
        std::fs::read_to_string(&self.stdout).unwrap_or_default()
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The set-up link of a line printed by `gocua serve` or `gocua admin setup-link`.
fn link_in(text: &str) -> Option<String> {
    let line = text.lines().find(|l| l.contains("/setup/"))?;
    assert!(
        line.starts_with("Thiết lập lần đầu (dùng một lần, hết hạn lúc ")
            && line.contains(") / first-run set-up: http://"),
        "{line}"
    );
    line.split_whitespace().last().map(str::to_owned)
}

fn count(db: &Db, query: &str) -> i64 {
    db.tx(|sql: &mut dyn Sql| sql.query_one(query, &[]))
        .expect("count")
        .map_or(0, |r| r.int(0))
}

/// Rows of the tables the set-up writes.
fn stored(db: &Db) -> [i64; 5] {
    [
        count(db, "SELECT count(*) FROM coordinators"),
        count(db, "SELECT count(*) FROM org_units"),
        count(db, "SELECT count(*) FROM areas"),
        count(db, "SELECT count(*) FROM services"),
        count(db, "SELECT count(*) FROM audit_log"),
    ]
}

/// A browser on the set-up page: its cookie (the form token) and the form's token.
struct SetupBrowser {
    cookie: String,
    token: String,
}

fn open_form(link: &str) -> (Page, Option<SetupBrowser>) {
    let page = Page::of(client().get(link).send().expect("GET set-up"));
    let browser = page.cookie("gocua_setup").map(|cookie| {
        let at = page
            .body
            .find("name=\"csrf\" value=\"")
            .expect("a form token")
            + "name=\"csrf\" value=\"".len();
        let token = page.body[at..at + 64].to_owned();
        SetupBrowser { cookie, token }
    });
    (page, browser)
}

fn post(link: &str, b: &SetupBrowser, fields: &[(&str, &str)]) -> Page {
    let mut form: Vec<(&str, &str)> = vec![("csrf", b.token.as_str())];
    form.extend_from_slice(fields);
    Page::of(
        client()
            .post(link)
            .header(COOKIE, &b.cookie)
            .form(&form)
            .send()
            .expect("POST set-up"),
    )
}

const GOOD: &[(&str, &str)] = &[
    ("username", "tinhdoan"),
    ("display_name", "Nguyễn Thị Thu Hà"),
    ("password", "mật-khẩu-thiết-lập-2026"),
    ("password_again", "mật-khẩu-thiết-lập-2026"),
    ("unit_name", "Tỉnh Đoàn Vĩnh Long"),
    ("unit_kind", "province_union"),
    ("province", "86"),
    ("areas", "2025-07"),
];

/// GOOD with `field` replaced.
fn with(field: &str, value: &'static str) -> Vec<(&'static str, &'static str)> {
    with_all(&[(field, value)])
}

/// GOOD with each of `changes` replaced.
fn with_all(changes: &[(&str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    GOOD.iter()
        .map(|(k, v)| match changes.iter().find(|(f, _)| f == k) {
            Some((_, new)) => (*k, *new),
            None => (*k, *v),
        })
        .collect()
}

fn assert_code(p: &Page, status: u16, code: &str) {
    assert_eq!(p.status, status, "{code}: {}", p.body);
    assert_eq!(p.refusal_code(), Some(code), "{}", p.body);
}

fn first_run_sets_up_once(backend: Backend) {
    let test_db = TestDb::new(backend);
    let target = test_db.target.clone();

    // An empty database: the link is printed on standard output, once.
    let serve = Serve::start(&target, test_db.dir(), 1);
    let db = test_db.open();
    let first = wait_for(Duration::from_secs(10), || link_in(&serve.stdout()))
        .unwrap_or_else(|| panic!("no set-up link on stdout: {}", serve.stdout()));
    assert!(
        first.starts_with(&format!("{}/setup/", serve.url)),
        "{first}"
    );
    assert_eq!(count(&db, "SELECT count(*) FROM setup_links"), 1);
    // Only the secret's hash is stored.
    let secret = first.rsplit('/').next().unwrap().to_owned();
    assert_eq!(
        count(
            &db,
            &format!("SELECT count(*) FROM setup_links WHERE token_hash = '{secret}'")
        ),
        0
    );
    let (page, browser) = open_form(&first);
    assert_eq!(page.status, 200, "{}", page.body);
    page.assert_shows("name=\"unit_name\"");
    assert!(browser.is_some(), "the page sets its form cookie");

    // A new link (for an operator whose console scrolled away) replaces the first.
    let out = gocua_admin(&target, &["setup-link", "--url", &serve.url]);
    let second = link_in(&out).expect("a link from gocua admin setup-link");
    let (gone, _) = open_form(&first);
    assert_code(&gone, 404, "setup_link_invalid");
    let wrong = format!("{}/setup/{}", serve.url, "0".repeat(64));
    let (wrong_page, none) = open_form(&wrong);
    assert_code(&wrong_page, 404, "setup_link_invalid");
    assert!(none.is_none(), "no form cookie for a wrong link");
    assert_eq!(
        gone.body, wrong_page.body,
        "a replaced link answers as a wrong one"
    );

    // An expired link: the same answer.
    db.tx(|sql: &mut dyn Sql| {
        sql.exec(
            "UPDATE setup_links SET expires_at = ?",
            params![Utc::now() - chrono::Duration::minutes(1)],
        )
    })
    .unwrap();
    let (expired, _) = open_form(&second);
    assert_code(&expired, 404, "setup_link_invalid");
    assert_eq!(expired.body, wrong_page.body);

    // A fresh link; bad forms are refused, each with its code, and store nothing.
    let link = link_in(&gocua_admin(&target, &["setup-link", "--url", &serve.url])).unwrap();
    let (form, browser) = open_form(&link);
    assert_eq!(form.status, 200, "{}", form.body);
    let browser = browser.unwrap();
    let empty = stored(&db);
    assert_eq!(empty, [0, 0, 0, 0, 0]);
    let bad: [(Vec<(&str, &str)>, &str); 9] = [
        (
            with_all(&[("password", "ngắn"), ("password_again", "ngắn")]),
            "password_too_short",
        ),
        (
            with("password_again", "mật-khẩu-khác-2026"),
            "password_mismatch",
        ),
        (with("username", "Tỉnh Đoàn"), "bad_username"),
        (with("unit_name", "   "), "unit_name_invalid"),
        (with("display_name", ""), "display_name_invalid"),
        (with("unit_kind", "club"), "unit_kind_invalid"),
        (with("areas", "2024-01"), "setup_area_list_invalid"),
        (with("province", "99"), "setup_province_not_in_list"),
        (with("province", ""), "setup_province_required"),
    ];
    for (fields, code) in &bad {
        let p = post(&link, &browser, fields);
        assert_code(&p, 422, code);
        assert!(
            p.body.contains("name=\"unit_name\""),
            "the form again: {}",
            p.body
        );
        assert_eq!(stored(&db), empty, "{code} stored something");
    }
    // Without the page's cookie (a form sent from another site): refused, nothing stored.
    let forged = Page::of(
        client()
            .post(&link)
            .form(&[("csrf", browser.token.as_str()), ("username", "ke-gian")])
            .send()
            .unwrap(),
    );
    assert_code(&forged, 403, "csrf_mismatch");
    assert_eq!(stored(&db), empty);

    // The set-up: signed in, sent to the administration with a notice.
    let done = post(&link, &browser, GOOD);
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(done.location.as_deref(), Some("/admin?done=setup"));
    let session = done.cookie("gocua_session").expect("signed in");
    let admin = Page::of(
        client()
            .get(format!("{}/admin?done=setup", serve.url))
            .header(COOKIE, &session)
            .send()
            .unwrap(),
    );
    assert_eq!(admin.status, 200, "{}", admin.body);
    admin.assert_shows("Đã thiết lập xong");
    admin.assert_shows("/admin/units");
    // The July 2025 list (34 provinces, 3,321 communes), the starter catalogue, the unit.
    assert_eq!(count(&db, "SELECT count(*) FROM areas"), 34 + 3321);
    assert_eq!(count(&db, "SELECT count(*) FROM services"), 27);
    assert_eq!(
        count(&db, "SELECT count(*) FROM org_units WHERE name = 'Tỉnh Đoàn Vĩnh Long' AND kind = 'province_union' AND area_code = '86' AND parent_id IS NULL"),
        1
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM coordinators WHERE username = 'tinhdoan' AND role = 'admin'"
        ),
        1
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM audit_log WHERE username = 'tinhdoan' AND action IN ('setup_completed', 'unit_created')"),
        2
    );
    let (login, cookie) = login_attempt(&serve.url, "tinhdoan", "mật-khẩu-thiết-lập-2026");
    assert_eq!(login.status, 303, "{}", login.body);
    assert!(cookie.is_some());
    let units = gocua_admin(&target, &["units"]);
    assert!(
        units.contains("Tỉnh Đoàn Vĩnh Long · Tỉnh Đoàn · 86"),
        "{units}"
    );

    // Used: the same answer as a wrong link, for the page and the form alike.
    let (used, _) = open_form(&link);
    assert_code(&used, 404, "setup_link_invalid");
    assert_eq!(used.body, wrong_page.body);
    let again = post(&link, &browser, &with("username", "nguoi-khac"));
    assert_code(&again, 404, "setup_link_invalid");
    assert_eq!(count(&db, "SELECT count(*) FROM coordinators"), 1);

    // No new link once an account exists, from the command line or a restart.
    let refused = gocua_admin_output(&target, &["setup-link"]);
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("đã được thiết lập"), "{stderr}");
    assert!(!String::from_utf8_lossy(&refused.stdout).contains("/setup/"));
    drop(serve);
    let restarted = Serve::start(&target, test_db.dir(), 2);
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        !restarted.stdout().contains("/setup/"),
        "{}",
        restarted.stdout()
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM setup_links WHERE used_at IS NULL"
        ),
        0
    );
}
