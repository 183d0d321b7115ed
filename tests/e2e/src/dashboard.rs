//! What the dashboard tests share: coordinator accounts with one known password, and an HTTP
//! client that shows redirects instead of following them (so a test sees where it is sent).

use std::time::Duration;

use chrono::Utc;
use gocua_server::db::{Db, Sql};
use gocua_server::domain::accounts::{create_account, NewAccount, Role};
use reqwest::blocking::Client;
use reqwest::header::{LOCATION, SET_COOKIE};
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

    /// The machine code of the login page's refusal (`<p class="error" data-code="…">`).
    pub fn refusal_code(&self) -> Option<&str> {
        let at = self.body.find("data-code=\"")? + "data-code=\"".len();
        let rest = &self.body[at..];
        Some(&rest[..rest.find('"')?])
    }
}
