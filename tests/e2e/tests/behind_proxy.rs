//! `gocua serve` instances behind Debian's nginx with the deployment's configuration
//! (`deploy/nginx/gocua-proxy.conf`), on 127.0.0.1.

use gocua_e2e::nginx::{Listen, Nginx};
use gocua_e2e::{Backend, Server, TestDb};

/// The proxy answers over HTTPS with the throwaway certificate, sends requests round-robin to
/// both instances and adds HSTS.
#[test]
fn nginx_serves_two_instances_over_tls() {
    let db = TestDb::new(Backend::Postgres);
    let dir = tempfile::tempdir().unwrap();
    let logs = [dir.path().join("a"), dir.path().join("b")];
    logs.iter()
        .for_each(|d| std::fs::create_dir_all(d).unwrap());
    let a = Server::binary(&db.target, None, &logs[0]);
    let b = Server::binary(&db.target, None, &logs[1]);
    let nginx = Nginx::start(&[a.addr, b.addr], Listen::Tls);
    let client = reqwest::blocking::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&nginx.certificate_pem()).unwrap())
        .build()
        .unwrap();
    for _ in 0..4 {
        let answer = client
            .get(format!("{}/v1/health", nginx.url))
            .send()
            .unwrap();
        assert_eq!(answer.status(), 200, "{}", nginx.error_log());
        assert_eq!(
            answer.headers()["strict-transport-security"],
            "max-age=31536000"
        );
    }
    let log = nginx.access_log();
    for instance in [a.addr, b.addr] {
        assert!(
            log.contains(&instance.to_string()),
            "no request reached {instance}:\n{log}"
        );
    }
}
