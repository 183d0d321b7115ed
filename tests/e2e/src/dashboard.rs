//! What the dashboard tests share: coordinator accounts with one known password, and an HTTP
//! client that shows redirects instead of following them (so a test sees where it is sent).

use std::time::Duration;

use chrono::Utc;
use gocua_server::db::{Db, Sql};
use gocua_server::domain::accounts::{create_account, NewAccount, Role};
use reqwest::blocking::Client;
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
