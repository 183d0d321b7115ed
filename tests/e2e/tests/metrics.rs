//! The metrics listener of `gocua serve` (docs/metrics.md): a real process with
//! `GOCUA_METRICS_LISTEN` set, a real phone pushing to it, the exposition scraped and parsed, and
//! each counter checked to have moved by exactly what the phone did. `/metrics` is not on the
//! public address.

use std::collections::BTreeMap;

use gocua_core::protocol::{Change, PushRequest, PROTOCOL_VERSION};
use gocua_core::Transport;
use gocua_e2e::seed::{self, COMMUNE_A1, HAMLET_A1_KP1};
use gocua_e2e::server::free_addr;
use gocua_e2e::{on_both_backends, Backend, Device, RecordingTransport, Server, TestDb};

/// One scrape: each series (`name{label="value",…}`, labels sorted) and its value.
#[derive(Debug, Default)]
struct Scrape(BTreeMap<String, f64>);

impl Scrape {
    fn take(metrics_url: &str) -> Scrape {
        let answer = reqwest::blocking::get(metrics_url).expect("scrape the metrics listener");
        assert_eq!(answer.status(), 200);
        let content_type = answer.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            content_type.starts_with("application/openmetrics-text"),
            "{content_type}"
        );
        let text = answer.text().unwrap();
        assert!(text.ends_with("# EOF\n"), "an exposition ends with # EOF");
        Scrape::parse(&text)
    }

    fn parse(text: &str) -> Scrape {
        let mut series = BTreeMap::new();
        for line in text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            let (id, value) = line.rsplit_once(' ').expect("series and value");
            let value: f64 = match value {
                "+Inf" => f64::INFINITY,
                v => v.parse().unwrap_or_else(|e| panic!("{line}: {e}")),
            };
            let (name, labels) = match id.split_once('{') {
                None => (id, Vec::new()),
                Some((name, rest)) => (name, parse_labels(rest.strip_suffix('}').expect("}"))),
            };
            series.insert(series_id(name, &labels), value);
        }
        Scrape(series)
    }

    /// The series' value, 0 when it is not there (a counter that never moved).
    fn get(&self, name: &str, labels: &[(&str, &str)]) -> f64 {
        let labels: Vec<(String, String)> = labels
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        self.0
            .get(&series_id(name, &labels))
            .copied()
            .unwrap_or(0.0)
    }

    fn has(&self, name: &str, labels: &[(&str, &str)]) -> bool {
        let labels: Vec<(String, String)> = labels
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        self.0.contains_key(&series_id(name, &labels))
    }
}

fn parse_labels(text: &str) -> Vec<(String, String)> {
    let mut labels = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let (key, after) = rest.split_once("=\"").expect("label=\"value\"");
        let mut value = String::new();
        let mut chars = after.char_indices();
        let end = loop {
            match chars.next().expect("closing quote") {
                (i, '"') => break i,
                (_, '\\') => match chars.next().expect("escaped character").1 {
                    'n' => value.push('\n'),
                    c => value.push(c),
                },
                (_, c) => value.push(c),
            }
        };
        labels.push((key.to_owned(), value));
        rest = after[end + 1..].trim_start_matches(',');
    }
    labels
}

fn series_id(name: &str, labels: &[(String, String)]) -> String {
    let mut sorted = labels.to_vec();
    sorted.sort();
    let inner: Vec<String> = sorted.iter().map(|(k, v)| format!("{k}={v:?}")).collect();
    format!("{name}{{{}}}", inner.join(","))
}

const PUSH_LATENCY: &str = "gocua_http_request_duration_seconds";
const PUSH_ROUTE: [(&str, &str); 3] = [
    ("method", "POST"),
    ("route", "/v1/sync/push"),
    ("status", "200"),
];

fn metrics_move_with_what_a_phone_pushes(backend: Backend) {
    let db = TestDb::new(backend);
    let seeded = seed::seed(&db.open());
    let metrics_addr = free_addr().to_string();
    let server = Server::binary_with_env(
        &db.target,
        db.dir(),
        &[("GOCUA_METRICS_LISTEN", metrics_addr.as_str())],
    );
    let metrics_url = format!("http://{metrics_addr}/metrics");

    // Not on the public address, whatever the method; and a 404 is labelled by no raw path.
    let public = reqwest::blocking::get(format!("{}/metrics", server.url)).unwrap();
    assert_eq!(public.status(), 404);
    let before = Scrape::take(&metrics_url);
    let unmatched = [("method", "GET"), ("route", "unmatched"), ("status", "404")];
    assert_eq!(
        before.get(&format!("{PUSH_LATENCY}_count"), &unmatched),
        1.0
    );
    assert!(
        !before.0.keys().any(|k| k.contains("route=\"/metrics\"")),
        "a raw path became a label: {:?}",
        before.0.keys().collect::<Vec<_>>()
    );
    let backend_name = match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    assert!(before.has(
        "gocua_build_info",
        &[
            ("backend", backend_name),
            ("version", env!("CARGO_PKG_VERSION"))
        ]
    ));
    match backend {
        Backend::Sqlite => assert_eq!(before.get("gocua_db_connections_max", &[]), 1.0),
        Backend::Postgres => {
            assert_eq!(before.get("gocua_db_connections_max", &[]), 16.0);
            assert!(before.get("gocua_db_connections", &[("state", "idle")]) >= 1.0);
        }
    }
    assert_eq!(
        before.get("gocua_db_connections", &[("state", "in_use")]),
        0.0,
        "nothing is running between requests"
    );
    // The export job gauges read the jobs of the whole deployment from the database.
    assert_eq!(
        before.get("gocua_export_jobs", &[("state", "running")]),
        0.0
    );
    assert_eq!(before.get("gocua_export_jobs", &[("state", "ready")]), 0.0);
    db.open()
        .tx(|sql| {
            for (id, state) in [(uuid::Uuid::from_u128(1), "running"), (uuid::Uuid::from_u128(2), "running"), (uuid::Uuid::from_u128(3), "done")] {
                sql.exec(
                    "INSERT INTO export_jobs(id, owner_id, state, done_rows, total_rows, erasures, request, worker, heartbeat_at, started_at)
                     VALUES (?, ?, ?, 0, 10, 0, '{}', 'another-instance', 0, 0)",
                    gocua_server::params![id, uuid::Uuid::nil(), state],
                )?;
            }
            Ok::<_, gocua_server::db::DbError>(())
        })
        .unwrap();
    let jobs = Scrape::take(&metrics_url);
    assert_eq!(jobs.get("gocua_export_jobs", &[("state", "running")]), 2.0);
    assert_eq!(jobs.get("gocua_export_jobs", &[("state", "ready")]), 1.0);
    db.open()
        .tx(|sql| sql.exec("DELETE FROM export_jobs", &[]).map(|_| ()))
        .unwrap();

    // A phone enrols, records a field day offline and syncs in batches of 4.
    let code = seed::issue_code(&db.open(), &seeded.team_a, 1, chrono::Duration::days(1));
    let device = Device::enrol(&server.url, &code);
    let recorded = device.record_field_day(COMMUNE_A1, Some(HAMLET_A1_KP1), 5);
    let recording = RecordingTransport::new(device.transport_to(&server.url));
    let report = device.sync_via(&recording, 4).expect("sync");
    let pushes = recording.pushes();
    assert!(
        pushes.len() >= 3,
        "{} records in batches of 4",
        recorded.records()
    );
    assert_eq!(report.accepted, recorded.records());
    let after_sync = Scrape::take(&metrics_url);
    let moved = |scrape: &Scrape, name: &str, labels: &[(&str, &str)]| {
        scrape.get(name, labels) - before.get(name, labels)
    };
    let n = pushes.len() as f64;
    assert_eq!(
        moved(
            &after_sync,
            "gocua_sync_pushes_total",
            &[("outcome", "ok"), ("status", "200")]
        ),
        n
    );
    let accepted = |scrape: &Scrape, kind: &str| {
        moved(
            scrape,
            "gocua_sync_records_total",
            &[("kind", kind), ("verdict", "accepted")],
        )
    };
    assert_eq!(
        accepted(&after_sync, "household"),
        recorded.households.len() as f64
    );
    assert_eq!(accepted(&after_sync, "visit"), recorded.visits.len() as f64);
    assert_eq!(
        accepted(&after_sync, "outreach_session"),
        recorded.sessions.len() as f64
    );
    assert_eq!(
        accepted(&after_sync, "feedback"),
        recorded.feedback.len() as f64
    );
    // The push latency histogram: one observation per push, each in the +Inf bucket, and the
    // buckets cumulative.
    let count = moved(&after_sync, &format!("{PUSH_LATENCY}_count"), &PUSH_ROUTE);
    assert_eq!(count, n);
    let mut inf = PUSH_ROUTE.to_vec();
    inf.push(("le", "+Inf"));
    assert_eq!(
        moved(&after_sync, &format!("{PUSH_LATENCY}_bucket"), &inf),
        n
    );
    let mut thirty = PUSH_ROUTE.to_vec();
    thirty.push(("le", "30.0"));
    assert_eq!(
        moved(&after_sync, &format!("{PUSH_LATENCY}_bucket"), &thirty),
        n,
        "every push of a few records answers within 30 s"
    );
    assert!(moved(&after_sync, &format!("{PUSH_LATENCY}_sum"), &PUSH_ROUTE) > 0.0);
    assert_eq!(
        moved(
            &after_sync,
            &format!("{PUSH_LATENCY}_count"),
            &[
                ("method", "POST"),
                ("route", "/v1/devices/enrol"),
                ("status", "200")
            ]
        ),
        1.0
    );

    // The first batch again: every record a duplicate, counted by kind.
    let first: Vec<Change> = pushes[0].changes.clone();
    let mut kinds: BTreeMap<&str, f64> = BTreeMap::new();
    for c in &first {
        let kind = match c {
            Change::Household(_) => "household",
            Change::Visit(_) => "visit",
            Change::OutreachSession(_) => "outreach_session",
            Change::Feedback(_) => "feedback",
            Change::Assignment(_) => "assignment",
        };
        *kinds.entry(kind).or_default() += 1.0;
    }
    let answer = device.push(first).expect("push again");
    assert!(answer
        .results
        .iter()
        .all(|r| r.status == gocua_core::protocol::RecordStatus::Duplicate));
    // A push with a token the server does not know.
    let stranger = gocua_e2e::device::transport(&server.url, "not-a-token");
    let refused = stranger.push(&PushRequest {
        protocol_version: PROTOCOL_VERSION,
        device_id: device.device_id(),
        changes: Vec::new(),
    });
    assert!(refused.is_err());
    let after = Scrape::take(&metrics_url);
    for (kind, k) in &kinds {
        assert_eq!(
            moved(
                &after,
                "gocua_sync_records_total",
                &[("kind", kind), ("verdict", "duplicate")]
            ),
            *k,
            "{kind}"
        );
        assert_eq!(accepted(&after, kind), accepted(&after_sync, kind));
    }
    assert_eq!(
        moved(
            &after,
            "gocua_sync_pushes_total",
            &[("outcome", "ok"), ("status", "200")]
        ),
        n + 1.0
    );
    assert_eq!(
        moved(
            &after,
            "gocua_sync_pushes_total",
            &[("outcome", "refused"), ("status", "401")]
        ),
        1.0
    );
    assert_eq!(
        moved(&after, &format!("{PUSH_LATENCY}_count"), &PUSH_ROUTE),
        n + 1.0
    );
    assert_eq!(after.get("gocua_http_requests_in_flight", &[]), 0.0);
    drop(server);
}

on_both_backends!(metrics_move_with_what_a_phone_pushes);

/// Without the setting there is no metrics listener, and `/metrics` is still unknown publicly.
#[test]
fn no_metrics_without_the_setting() {
    let db = TestDb::new(Backend::Sqlite);
    seed::seed(&db.open());
    let server = Server::binary(&db.target, None, db.dir());
    let public = reqwest::blocking::get(format!("{}/metrics", server.url)).unwrap();
    assert_eq!(public.status(), 404);
    assert!(!server.log().contains("metrics on"), "{}", server.log());
}
