//! `gocua serve` with JSON logs (`log_format = "json"`, RUST_LOG=info): after a sign-in, a
//! household search and a push carrying known personal values, every log line is a JSON
//! object, every request was logged with its request id, method, route template, status and
//! duration, and no name, phone number, address or query string appears anywhere in the log.

#[path = "common/configured.rs"]
mod configured;

use std::collections::HashSet;
use std::time::Duration;

use configured::{seeded, Seeded};
use gocua_core::{ConsentDraft, HouseholdDraft};
use gocua_e2e::dashboard::PASSWORD;
use gocua_e2e::seed::{self, COMMUNE_A1};
use gocua_e2e::Device;
use gocua_protocol::ConsentMethod;
use reqwest::blocking::Client;
use reqwest::header::{COOKIE, SET_COOKIE};
use reqwest::redirect::Policy;
use serde_json::Value;

const NAME: &str = "Nguyễn Thị Hòa";
const PHONE: &str = "0912 345 678";
const PHONE_DIGITS: &str = "0912345678";
const ADDRESS: &str = "Số 12, Ấp Phú Hòa";
/// A username someone mistyped as their own name: sign-in failures must not log it either.
const TYPED_USERNAME: &str = "hoà.nguyễn.0912345678";

#[test]
fn json_logs_carry_request_ids_and_no_personal_data() {
    // Bound, not `_`: the database and the directory live until the test ends.
    let Seeded {
        test_db: _test_db,
        db,
        seed,
        dir: _dir,
        mut server,
    } = seeded("log_format = \"json\"\n", &[("RUST_LOG", "info")]);
    let url = server.url.clone();
    let browser = Client::builder()
        .redirect(Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();

    // A failed sign-in with a personal-looking name, then the coordinator's.
    let failed = browser
        .post(format!("{url}/login"))
        .form(&[
            ("username", TYPED_USERNAME),
            ("password", "sai-mật-khẩu"),
            ("next", "/"),
        ])
        .send()
        .unwrap();
    assert_eq!(failed.status(), 401);
    let signed_in = browser
        .post(format!("{url}/login"))
        .form(&[("username", "tinh"), ("password", PASSWORD), ("next", "/")])
        .send()
        .unwrap();
    assert_eq!(signed_in.status(), 303);
    let session = signed_in
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap())
        .find(|c| c.starts_with("gocua_session="))
        .expect("session cookie")
        .split(';')
        .next()
        .unwrap()
        .to_owned();

    // A push with the personal values.
    let code = seed::issue_code(&db, &seed.team_a, 0, chrono::Duration::days(1));
    let phone = Device::enrol(&url, &code);
    phone
        .store
        .create_household(&HouseholdDraft {
            draft_key: None,
            commune_code: COMMUNE_A1.into(),
            hamlet_code: None,
            address_line: ADDRESS.into(),
            head_name: NAME.into(),
            phone: Some(PHONE.into()),
            members: 4,
            consent: Some(ConsentDraft {
                given: true,
                method: ConsentMethod::Verbal,
            }),
        })
        .expect("household");
    let report = phone.sync_clean(&phone.transport);
    assert_eq!(report.accepted, 1);

    // Searches by name and by phone number, as a coordinator types them.
    let mut search_ids = vec![];
    for q in [NAME, PHONE_DIGITS] {
        let page = browser
            .get(format!("{url}/households"))
            .query(&[("q", q)])
            .header(COOKIE, &session)
            .send()
            .unwrap();
        assert_eq!(page.status(), 200);
        search_ids.push(page.headers()["x-request-id"].to_str().unwrap().to_owned());
        assert!(
            page.text().unwrap().contains(NAME),
            "the search finds the household"
        );
    }

    server.stop();
    let log = server.log_text();
    let mut answered = vec![];
    for line in log.lines().filter(|l| !l.trim().is_empty()) {
        let v: Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("not a JSON log line ({e}): {line}"));
        if v["fields"]["message"] == "answered" {
            answered.push(v);
        }
    }
    assert!(
        log.contains("gocua: stopped"),
        "the stop is logged too:\n{log}"
    );

    // Every request logged once with its id and route template.
    let routes: HashSet<&str> = answered
        .iter()
        .map(|v| v["span"]["route"].as_str().unwrap_or(""))
        .collect();
    for route in [
        "/login",
        "/households",
        "/v1/devices/enrol",
        "/v1/sync/push",
        "/v1/sync/pull",
    ] {
        assert!(routes.contains(route), "{route} not logged: {routes:?}");
    }
    for v in &answered {
        let span = &v["span"];
        let id = span["request_id"].as_str().unwrap_or("");
        assert_eq!(id.len(), 32, "a request id: {v}");
        assert!(
            span["method"].is_string() && v["fields"]["status"].is_u64(),
            "{v}"
        );
    }
    let logged_ids: HashSet<&str> = answered
        .iter()
        .filter_map(|v| v["span"]["request_id"].as_str())
        .collect();
    for id in &search_ids {
        assert!(
            logged_ids.contains(id.as_str()),
            "the answer's X-Request-Id {id} is logged"
        );
    }

    // Nothing personal, in any spelling: names with and without diacritics, the phone number
    // with or without spaces, the address, the typed username, the raw query.
    let folded = log.to_lowercase();
    for personal in [
        NAME,
        "Nguyễn",
        "nguyen",
        "Hòa",
        "hoa",
        PHONE,
        PHONE_DIGITS,
        "345 678",
        ADDRESS,
        "Phú",
        TYPED_USERNAME,
        "q=",
        "%20",
    ] {
        assert!(
            !folded.contains(&personal.to_lowercase()),
            "{personal:?} appears in the log:\n{log}"
        );
    }
    drop(db);
}
