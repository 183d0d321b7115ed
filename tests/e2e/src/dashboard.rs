//! What the dashboard tests share: coordinator accounts with one known password, an HTTP client
//! that shows redirects instead of following them (so a test sees where it is sent), and a signed-in
//! browser session.

use std::time::Duration;

use chrono::Utc;
use gocua_server::db::{Db, Sql};
use gocua_server::domain::accounts::{create_account, NewAccount, Role};
use reqwest::blocking::Client;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use reqwest::redirect::Policy;
use uuid::Uuid;

/// The password of every account [`account`] makes.
pub const PASSWORD: &str = "mật-khẩu-đủ-dài-2026";

/// A dashboard account `username` with `role` over `unit`'s subtree.
pub fn account(db: &Db, username: &str, role: Role, unit: Uuid) {
    db.tx(|sql: &mut dyn Sql| {
        create_account(
            sql,
            &NewAccount {
                username: username.into(),
                display_name: username.into(),
                role,
                org_unit_id: unit,
                password: PASSWORD.into(),
            },
            Utc::now(),
        )
    })
    .expect("account");
}

/// The accounts of a scope test: `xa_a` coordinates commune unit `unit_a` (one of
/// [`crate::seed::split_units`]), `xem` views the whole `province`.
pub fn coordinator_and_viewer(db: &Db, province: Uuid, unit_a: Uuid) {
    account(db, "xa_a", Role::Coordinator, unit_a);
    account(db, "xem", Role::Viewer, province);
}

/// [`coordinator_and_viewer`], and `tinh` who administers the `province`.
pub fn admin_coordinator_and_viewer(db: &Db, province: Uuid, unit_a: Uuid) {
    account(db, "tinh", Role::Admin, province);
    coordinator_and_viewer(db, province, unit_a);
}

/// A browser that does not follow redirects; a minute at most per request.
pub fn client() -> Client {
    Client::builder()
        .redirect(Policy::none())
        .timeout(Duration::from_secs(60))
        .build()
        .expect("http client")
}

/// A dashboard answer as a test reads it.
pub struct Page {
    pub status: u16,
    pub body: String,
    pub location: Option<String>,
    /// `name=value` of every cookie set.
    pub cookies: Vec<String>,
}

impl Page {
    pub fn of(r: reqwest::blocking::Response) -> Page {
        let status = r.status().as_u16();
        let location = r
            .headers()
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let cookies = r
            .headers()
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(|v| v.split(';').next().unwrap_or("").to_owned())
            .collect();
        Page {
            status,
            location,
            cookies,
            body: r.text().unwrap_or_default(),
        }
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies
            .iter()
            .find(|c| c.starts_with(&format!("{name}=")))
            .cloned()
    }

    /// Asserts that the page's markup holds `text`.
    #[track_caller]
    pub fn assert_shows(&self, text: &str) {
        assert!(self.body.contains(text), "{}", self.body);
    }

    /// The machine code of the login page's refusal (`<p class="error" data-code="…">`).
    pub fn refusal_code(&self) -> Option<&str> {
        let at = self.body.find("data-code=\"")? + "data-code=\"".len();
        let rest = &self.body[at..];
        Some(&rest[..rest.find('"')?])
    }
}

/// One POST /login with `user` and `password`: the answer and the session cookie it set, if any.
pub fn login_attempt(url: &str, user: &str, password: &str) -> (Page, Option<String>) {
    let r = client()
        .post(format!("{url}/login"))
        .form(&[("username", user), ("password", password), ("next", "/")])
        .send()
        .expect("POST /login");
    let page = Page::of(r);
    let cookie = page.cookie("gocua_session");
    (page, cookie)
}

/// A browser session: the session cookie carried by hand, redirects not followed.
pub struct Web {
    client: Client,
    pub url: String,
    pub cookie: String,
}

impl Web {
    /// Signs `user` in with [`PASSWORD`]; panics unless the dashboard lets them in.
    pub fn login(url: &str, user: &str) -> Web {
        Web::login_with(url, user, PASSWORD)
    }

    /// Signs `user` in with `password`; panics unless the dashboard lets them in.
    pub fn login_with(url: &str, user: &str, password: &str) -> Web {
        let (page, cookie) = login_attempt(url, user, password);
        assert_eq!(page.status, 303, "sign-in of {user}: {}", page.body);
        Web {
            client: client(),
            url: url.to_owned(),
            cookie: cookie.expect("a session cookie"),
        }
    }

    /// Signs `user` in with [`PASSWORD`] and reads the session's CSRF token, for a test that
    /// posts forms.
    pub fn login_with_csrf(url: &str, user: &str) -> (Web, String) {
        let web = Web::login(url, user);
        let csrf = web.csrf();
        (web, csrf)
    }

    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::blocking::RequestBuilder {
        self.client
            .request(method, format!("{}{path}", self.url))
            .header(COOKIE, &self.cookie)
    }

    pub fn get(&self, path: &str) -> Page {
        Page::of(
            self.request(reqwest::Method::GET, path)
                .send()
                .expect("GET"),
        )
    }

    /// Polls an export job's page (`/exports/<id>`) until its file is made; fails at once when the
    /// job failed, or after `within`.
    pub fn wait_for_export(&self, job: &str, within: Duration) {
        let done = crate::wait_for(within, || {
            let page = self.get(job);
            assert_eq!(page.status, 200, "{}", page.body);
            assert!(
                !page.body.contains("data-state=\"failed\""),
                "{}",
                page.body
            );
            page.body.contains("data-state=\"done\"").then_some(())
        });
        assert!(
            done.is_some(),
            "export {job} did not finish within {within:?}"
        );
    }

    /// A download: its status and raw bytes.
    pub fn get_bytes(&self, path: &str) -> (u16, Vec<u8>) {
        let r = self
            .request(reqwest::Method::GET, path)
            .send()
            .expect("GET");
        (r.status().as_u16(), r.bytes().expect("body").to_vec())
    }

    pub fn post(&self, path: &str, form: &[(&str, &str)]) -> Page {
        Page::of(
            self.request(reqwest::Method::POST, path)
                .form(form)
                .send()
                .expect("POST"),
        )
    }

    /// The session's CSRF token, as every page's forms carry it (the layout's own forms too).
    pub fn csrf(&self) -> String {
        let body = self.get("/visits").body;
        let at = body
            .find("name=\"csrf\" value=\"")
            .expect("a form with a CSRF token");
        let rest = &body[at + "name=\"csrf\" value=\"".len()..];
        rest[..rest.find('"').unwrap()].to_owned()
    }
}

/// Asserts a redirect after a change (post-redirect-get); returns where it goes.
#[track_caller]
pub fn redirected(p: &Page, what: &str) -> String {
    assert_eq!(p.status, 303, "{what}: {}", p.body);
    p.location.clone().expect("a Location")
}

/// Asserts a refusal: its status and the machine code it shows (`data-code`).
#[track_caller]
pub fn refused_with(p: &Page, status: u16, code: &str, what: &str) {
    assert_eq!(p.status, status, "{what}: {}", p.body);
    assert_eq!(p.refusal_code(), Some(code), "{what}: {}", p.body);
}

/// Asserts the answer to a page outside the session's scope: 404 saying `not_in_scope`.
#[track_caller]
pub fn assert_not_in_scope(p: &Page, what: &str) {
    assert_eq!(p.status, 404, "{what}: {}", p.body);
    assert!(
        p.body.contains("data-code=\"not_in_scope\""),
        "{what}: {}",
        p.body
    );
}

/// Asserts that every `(path, what)` of `pages` is outside `web`'s scope.
#[track_caller]
pub fn assert_none_in_scope(web: &Web, pages: &[(String, &str)]) {
    for (path, what) in pages {
        assert_not_in_scope(&web.get(path), what);
    }
}
