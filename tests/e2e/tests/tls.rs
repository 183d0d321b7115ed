//! `gocua serve` behind Debian's nginx with TLS (deploy/nginx/gocua-proxy.conf), configured with
//! 127.0.0.1 as its trusted proxy: phones sync over HTTPS with the core's real transport, the
//! dashboard's cookies are Secure, HSTS comes once, nginx's plain-HTTP server sends everything
//! to HTTPS; and a client that is not a trusted proxy cannot forge its scheme, address or
//! request id.

#[path = "common/configured.rs"]
mod configured;

use std::time::Duration;

use configured::{seeded, Seeded};
use gocua_e2e::dashboard::PASSWORD;
use gocua_e2e::nginx::Nginx;
use gocua_e2e::seed::{self, COMMUNE_A1};
use gocua_e2e::Device;
use reqwest::blocking::Client;
use reqwest::header::{HeaderMap, SET_COOKIE};
use reqwest::redirect::Policy;

/// A seeded SQLite database with a dashboard account `tinh`, and `gocua serve` on it trusting
/// `trusted` as proxies.
fn world(trusted: &str) -> Seeded {
    seeded(
        &format!("trusted_proxies = [{trusted:?}]\n"),
        &[("RUST_LOG", "warn")],
    )
}

fn browser(root: Option<&[u8]>) -> Client {
    let mut b = Client::builder()
        .redirect(Policy::none())
        .timeout(Duration::from_secs(30));
    if let Some(pem) = root {
        b = b.add_root_certificate(reqwest::Certificate::from_pem(pem).unwrap());
    }
    b.build().unwrap()
}

fn sign_in(client: &Client, url: &str, extra: &[(&str, &str)]) -> reqwest::blocking::Response {
    let mut r = client.post(format!("{url}/login")).form(&[
        ("username", "tinh"),
        ("password", PASSWORD),
        ("next", "/"),
    ]);
    for (k, v) in extra {
        r = r.header(*k, *v);
    }
    let answer = r.send().expect("POST /login");
    assert_eq!(answer.status(), 303, "signed in");
    answer
}

fn set_cookies(headers: &HeaderMap) -> Vec<String> {
    headers
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect()
}

fn session_cookie(headers: &HeaderMap) -> String {
    set_cookies(headers)
        .into_iter()
        .find(|c| c.starts_with("gocua_session="))
        .expect("a session cookie")
}

/// Bad-token pulls sent with a different forged `X-Forwarded-For` each: how many were told to
/// wait (429). The limit is per client address (20 in a burst).
fn limited_with_rotating_addresses(url: &str) -> usize {
    let client = browser(None);
    (1..=40)
        .filter(|i| {
            let status = client
                .post(format!("{url}/v1/sync/pull"))
                .header("authorization", format!("Bearer {:064x}", i))
                .header("x-forwarded-for", format!("203.0.113.{i}"))
                .header("content-type", "application/json")
                .body("{}")
                .send()
                .expect("pull")
                .status()
                .as_u16();
            assert!(matches!(status, 401 | 429), "{status}");
            status == 429
        })
        .count()
}

#[test]
fn phones_and_the_dashboard_over_https_through_nginx() {
    let w = world("127.0.0.1");
    let nginx = Nginx::start_with_redirect(&[w.server.addr]);
    let pem = nginx.certificate_pem();

    // Without the deployment's root, the certificate is refused: checking is on.
    let untrusting = browser(None).get(format!("{}/v1/health", nginx.url)).send();
    assert!(
        untrusting.is_err(),
        "a self-signed certificate was accepted"
    );

    // A phone with the root added enrols and syncs through the real HTTPS transport.
    assert_eq!(gocua_core::http::add_root_certificates(&pem).unwrap(), 1);
    let code = seed::issue_code(&w.db, &w.seed.team_a, 0, chrono::Duration::days(1));
    let phone = Device::enrol(&nginx.url, &code);
    assert!(phone.transport.base_url().starts_with("https://"));
    phone.household(COMMUNE_A1, None, "Trần Văn Bình", "Số 5, Ấp Phú Hòa", 3);
    let report = phone.sync_clean(&phone.transport);
    assert_eq!((report.sent, report.accepted, report.rejected), (1, 1, 0));

    // The dashboard's sign-in: a Secure, HttpOnly, SameSite=Strict cookie; HSTS once; the
    // request id nginx made (32 hex digits) echoed.
    let https = browser(Some(&pem));
    let answer = sign_in(&https, &nginx.url, &[]);
    let cookie = session_cookie(answer.headers());
    for attribute in ["; Secure", "; HttpOnly", "; SameSite=Strict"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
    assert!(
        set_cookies(answer.headers())
            .iter()
            .all(|c| c.contains("; Secure")),
        "{:?}",
        set_cookies(answer.headers())
    );
    let hsts: Vec<_> = answer
        .headers()
        .get_all("strict-transport-security")
        .iter()
        .collect();
    assert_eq!(hsts, ["max-age=31536000"], "HSTS exactly once");
    let id = answer.headers()["x-request-id"].to_str().unwrap();
    assert!(
        id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()),
        "nginx's request id: {id}"
    );
    // A page the proxy answered with the server's own HSTS hidden: still once.
    let health = https
        .get(format!("{}/v1/health", nginx.url))
        .send()
        .unwrap();
    assert_eq!(
        health
            .headers()
            .get_all("strict-transport-security")
            .iter()
            .count(),
        1
    );

    // nginx's plain-HTTP server (deploy/nginx/gocua.conf) sends everything to HTTPS, path and
    // query kept, and serves nothing.
    let plain = format!("http://{}", nginx.redirect_addr.unwrap());
    let redirect = browser(None)
        .get(format!("{plain}/households?q=x"))
        .send()
        .unwrap();
    assert_eq!(redirect.status(), 301);
    assert_eq!(
        redirect.headers()["location"],
        "https://127.0.0.1/households?q=x"
    );

    // The server trusts 127.0.0.1: behind it, each forwarded address is a client of its own,
    // so rotating addresses never add up to the per-address limit.
    assert_eq!(limited_with_rotating_addresses(&w.server.url), 0);
    assert!(nginx.error_log().is_empty() || !nginx.error_log().contains("[emerg]"));
}

/// A client that is not a trusted proxy (this server trusts only 10.0.0.0/8; the test connects
/// from 127.0.0.1) forges `X-Forwarded-Proto: https`, `X-Forwarded-For` and `X-Request-Id`: its
/// cookie is not Secure, no HSTS, its request id is replaced, and its forged addresses do not
/// escape the per-address limit.
#[test]
fn a_direct_client_cannot_forge_forwarded_headers() {
    let w = world("10.0.0.0/8");
    let answer = sign_in(
        &browser(None),
        &w.server.url,
        &[
            ("x-forwarded-proto", "https"),
            ("x-forwarded-for", "203.0.113.50"),
            ("x-forwarded-host", "gocua.example.vn"),
            ("x-request-id", "forged-request-id"),
        ],
    );
    let cookies = set_cookies(answer.headers());
    assert!(!cookies.is_empty());
    for c in &cookies {
        assert!(!c.contains("Secure"), "{c}");
        assert!(c.contains("; HttpOnly; SameSite=Strict"), "{c}");
    }
    assert!(answer.headers().get("strict-transport-security").is_none());
    let id = answer.headers()["x-request-id"].to_str().unwrap();
    assert_ne!(id, "forged-request-id");
    assert_eq!(id.len(), 32, "a generated id: {id}");
    assert!(
        limited_with_rotating_addresses(&w.server.url) >= 15,
        "forged addresses were used as the client's"
    );
}
