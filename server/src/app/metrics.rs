//! Prometheus metrics of one `gocua serve` process (docs/metrics.md): requests and their
//! latency by route template, pushes by answer, uploaded records by verdict and kind, the
//! database's connections and the dashboard's export jobs.
//!
//! They are served on a listener of their own, and only when one is configured
//! (`metrics.listen` in `gocua serve`'s configuration, `GOCUA_METRICS_LISTEN`): never on the public address, where `/metrics` is an unknown route (404)
//! like any other. Without that setting nothing here runs: no layer, no counters.
//!
//! The hooks stay outside the layers below: [`around`] wraps the whole application (the phone API
//! and the dashboard inside the edge), times every request by its route template, counts pushes
//! by status and reads the verdicts the push handler leaves on its answer
//! ([`api::PushVerdicts`]); the pool figures are read from [`Db::pool_stats`] at each scrape.

use std::future::IntoFuture;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use gocua_protocol::{RecordKind, RecordStatus};
use prometheus_client::encoding::text::{encode_eof, encode_registry};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

use crate::api::PushVerdicts;
use crate::db::Db;

/// Upper bounds (seconds) of the request latency buckets: from a health check (a millisecond)
/// to a large push on a busy database (tens of seconds).
const LATENCY_BUCKETS: [f64; 14] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// The label of a request that matched no route (a 404 of any path): raw paths are never labels.
const UNMATCHED: &str = "unmatched";

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    /// The route template (`/teams/{id}/targets`), never the raw path.
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PushLabels {
    outcome: &'static str,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RecordLabels {
    kind: &'static str,
    verdict: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RejectionLabels {
    kind: &'static str,
    code: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StateLabels {
    state: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct InfoLabels {
    version: &'static str,
    backend: &'static str,
}

/// How many export jobs this process holds, by state (what web/jobs.rs would report).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportJobCounts {
    /// Being written.
    pub running: u64,
    /// Finished, waiting for their download.
    pub ready: u64,
}

type ExportJobSource = Box<dyn Fn() -> ExportJobCounts + Send + Sync>;

fn latency_histogram() -> Histogram {
    Histogram::new(LATENCY_BUCKETS)
}

/// The process's metrics. One per process, shared by the application's layer and the scrape
/// handler.
pub struct Metrics {
    db: Db,
    registry: Registry,
    /// Registered only once a source of the counts is set (no false zeros before).
    export_registry: Registry,
    export_source: OnceLock<ExportJobSource>,
    requests: Family<RequestLabels, Histogram, fn() -> Histogram>,
    in_flight: Gauge,
    pushes: Family<PushLabels, Counter>,
    records: Family<RecordLabels, Counter>,
    rejections: Family<RejectionLabels, Counter>,
    db_connections: Family<StateLabels, Gauge>,
    db_max: Gauge,
    db_waits: Counter,
    db_timeouts: Counter,
    export_jobs: Family<StateLabels, Gauge>,
    /// Scrapes copy the pool's own counts into the counters one at a time.
    scrape: Mutex<()>,
}

impl Metrics {
    pub fn new(db: Db) -> Metrics {
        let mut registry = Registry::default();
        let info = Family::<InfoLabels, Gauge>::default();
        info.get_or_create(&InfoLabels {
            version: env!("CARGO_PKG_VERSION"),
            backend: db.backend_name(),
        })
        .set(1);
        registry.register(
            "gocua_build_info",
            "Always 1; the labels say which gocua serves and on which database backend",
            info,
        );
        let requests = Family::<RequestLabels, Histogram, fn() -> Histogram>::new_with_constructor(
            latency_histogram,
        );
        registry.register(
            "gocua_http_request_duration_seconds",
            "Time from a request's arrival to its answer's head, by method, route template and status",
            requests.clone(),
        );
        let in_flight = Gauge::default();
        registry.register(
            "gocua_http_requests_in_flight",
            "Requests being answered now",
            in_flight.clone(),
        );
        let pushes = Family::<PushLabels, Counter>::default();
        registry.register(
            "gocua_sync_pushes",
            "Pushes (POST /v1/sync/push) answered, by outcome and HTTP status",
            pushes.clone(),
        );
        let records = Family::<RecordLabels, Counter>::default();
        registry.register(
            "gocua_sync_records",
            "Uploaded records by the server's verdict and record kind",
            records.clone(),
        );
        let rejections = Family::<RejectionLabels, Counter>::default();
        registry.register(
            "gocua_sync_rejections",
            "Uploaded records rejected or in conflict, by record kind and machine code",
            rejections.clone(),
        );
        let db_connections = Family::<StateLabels, Gauge>::default();
        registry.register(
            "gocua_db_connections",
            "Database connections of this process by state (in_use, idle)",
            db_connections.clone(),
        );
        let db_max = Gauge::default();
        registry.register(
            "gocua_db_connections_max",
            "The most database connections this process opens (SQLite: 1)",
            db_max.clone(),
        );
        let db_waits = Counter::default();
        registry.register(
            "gocua_db_pool_waits",
            "Database transactions that found every connection busy and waited for one (PostgreSQL)",
            db_waits.clone(),
        );
        let db_timeouts = Counter::default();
        registry.register(
            "gocua_db_pool_timeouts",
            "Database transactions refused after waiting the whole pool wait (PostgreSQL; the phone API answers 503)",
            db_timeouts.clone(),
        );
        let mut export_registry = Registry::default();
        let export_jobs = Family::<StateLabels, Gauge>::default();
        export_registry.register(
            "gocua_export_jobs",
            "Dashboard export jobs this process holds, by state (running, ready)",
            export_jobs.clone(),
        );
        Metrics {
            db,
            registry,
            export_registry,
            export_source: OnceLock::new(),
            requests,
            in_flight,
            pushes,
            records,
            rejections,
            db_connections,
            db_max,
            db_waits,
            db_timeouts,
            export_jobs,
            scrape: Mutex::new(()),
        }
    }

    /// Where the export job gauges come from: called at each scrape. Until it is set the
    /// gauges are not served at all. Only the first call counts.
    pub fn set_export_jobs_source(
        &self,
        source: impl Fn() -> ExportJobCounts + Send + Sync + 'static,
    ) {
        let _ = self.export_source.set(Box::new(source));
    }

    /// One answered request: its latency, and for a push its outcome and records.
    fn observe(&self, method: &str, route: &str, response: &Response, seconds: f64) {
        let status = response.status().as_u16();
        self.requests
            .get_or_create(&RequestLabels {
                method: method.to_owned(),
                route: route.to_owned(),
                status,
            })
            .observe(seconds);
        if route == "/v1/sync/push" {
            self.pushes
                .get_or_create(&PushLabels {
                    outcome: push_outcome(response.status()),
                    status,
                })
                .inc();
        }
        if let Some(verdicts) = response.extensions().get::<PushVerdicts>() {
            self.count_records(verdicts);
        }
    }

    fn count_records(&self, verdicts: &PushVerdicts) {
        for v in &verdicts.0 {
            let kind = kind_label(&v.kind);
            self.records
                .get_or_create(&RecordLabels {
                    kind,
                    verdict: verdict_label(&v.status),
                })
                .inc();
            if let Some(code) = &v.code {
                self.rejections
                    .get_or_create(&RejectionLabels {
                        kind,
                        code: code_label(code),
                    })
                    .inc();
            }
        }
    }

    /// The whole exposition (OpenMetrics text), with the pool's figures read now.
    pub fn render(&self) -> String {
        let _one = self.scrape.lock().unwrap_or_else(|e| e.into_inner());
        let pool = self.db.pool_stats();
        let state = |s| self.db_connections.get_or_create(&StateLabels { state: s });
        state("in_use").set(pool.in_use as i64);
        state("idle").set(pool.idle as i64);
        self.db_max.set(pool.max as i64);
        // The pool counts since it opened; the counters catch up with them.
        self.db_waits
            .inc_by(pool.waits.saturating_sub(self.db_waits.get()));
        self.db_timeouts
            .inc_by(pool.timeouts.saturating_sub(self.db_timeouts.get()));
        let mut out = String::new();
        let written = encode_registry(&mut out, &self.registry).and_then(|()| {
            if let Some(source) = self.export_source.get() {
                let jobs = source();
                let state = |s| self.export_jobs.get_or_create(&StateLabels { state: s });
                state("running").set(jobs.running as i64);
                state("ready").set(jobs.ready as i64);
                encode_registry(&mut out, &self.export_registry)?;
            }
            encode_eof(&mut out)
        });
        if written.is_err() {
            // Writing to a String cannot fail; an empty answer would only hide the metrics.
            tracing::error!("the metrics could not be encoded");
        }
        out
    }
}

/// What became of a push, from its status: `ok`, `rate_limited` (429), `busy` (503: the
/// large-body queue or the database pool), `refused` (other 4xx: authentication, size, a bad
/// body), `error` (other 5xx).
fn push_outcome(status: StatusCode) -> &'static str {
    match status.as_u16() {
        200..=299 => "ok",
        429 => "rate_limited",
        503 => "busy",
        400..=499 => "refused",
        _ => "error",
    }
}

/// A record kind as a label: the known kinds by name, anything a client made up as `unknown`.
fn kind_label(kind: &RecordKind) -> &'static str {
    match kind {
        RecordKind::Household => "household",
        RecordKind::Visit => "visit",
        RecordKind::OutreachSession => "outreach_session",
        RecordKind::Feedback => "feedback",
        _ => "unknown",
    }
}

fn verdict_label(status: &RecordStatus) -> &'static str {
    match status {
        RecordStatus::Accepted => "accepted",
        RecordStatus::Duplicate => "duplicate",
        RecordStatus::Rejected => "rejected",
        RecordStatus::Conflict => "conflict",
        RecordStatus::Deleted => "deleted",
        _ => "unknown",
    }
}

/// A verdict's machine code as a label. The server writes them (`outside_team_area`,
/// `unknown_value`); anything else is `other`, so no client can grow the label set.
fn code_label(code: &str) -> String {
    let plain = !code.is_empty()
        && code.len() <= 48
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'.');
    if plain {
        code.to_owned()
    } else {
        "other".to_owned()
    }
}

/// The application with every request timed and counted.
pub fn around(app: Router, metrics: Arc<Metrics>) -> Router {
    app.layer(middleware::from_fn_with_state(metrics, track))
}

async fn track(State(metrics): State<Arc<Metrics>>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().as_str().to_owned();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or(UNMATCHED, MatchedPath::as_str)
        .to_owned();
    metrics.in_flight.inc();
    let response = next.run(request).await;
    metrics.in_flight.dec();
    metrics.observe(&method, &route, &response, started.elapsed().as_secs_f64());
    response
}

/// The metrics listener's application: `GET /metrics` and nothing else.
pub fn router(metrics: Arc<Metrics>) -> Router {
    Router::new()
        .route("/metrics", get(scrape))
        .with_state(metrics)
}

async fn scrape(State(metrics): State<Arc<Metrics>>) -> Response {
    // The export gauges read the database: on the blocking pool, as every query.
    let body = match tokio::task::spawn_blocking(move || metrics.render()).await {
        Ok(body) => body,
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/openmetrics-text; version=1.0.0; charset=utf-8"),
        )],
        body,
    )
        .into_response()
}

/// Serves [`router`] on `listener` until the task is dropped or aborted.
pub async fn serve(metrics: Arc<Metrics>, listener: tokio::net::TcpListener) {
    if let Err(e) = axum::serve(listener, router(metrics)).into_future().await {
        tracing::error!(error = %e, "the metrics listener stopped");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_follow_the_status() {
        assert_eq!(push_outcome(StatusCode::OK), "ok");
        assert_eq!(push_outcome(StatusCode::TOO_MANY_REQUESTS), "rate_limited");
        assert_eq!(push_outcome(StatusCode::SERVICE_UNAVAILABLE), "busy");
        assert_eq!(push_outcome(StatusCode::UNAUTHORIZED), "refused");
        assert_eq!(push_outcome(StatusCode::PAYLOAD_TOO_LARGE), "refused");
        assert_eq!(push_outcome(StatusCode::INTERNAL_SERVER_ERROR), "error");
    }

    #[test]
    fn a_scrape_shows_verdicts_pool_and_export_jobs_once_wired() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.db");
        let db = crate::domain::open::open_database(path.to_str().unwrap()).unwrap();
        let metrics = Metrics::new(db);
        let verdict = |kind: &str, status: &str, code: Option<&str>| crate::api::Verdict {
            kind: RecordKind::parse(kind),
            status: RecordStatus::parse(status),
            code: code.map(str::to_owned),
        };
        metrics.count_records(&PushVerdicts(vec![
            verdict("visit", "accepted", None),
            verdict("visit", "accepted", None),
            verdict("household", "rejected", Some("outside_team_area")),
            verdict("made_up", "rejected", Some("unknown record kind")),
        ]));
        let text = metrics.render();
        assert!(text.ends_with("# EOF\n"));
        for line in [
            "gocua_sync_records_total{kind=\"visit\",verdict=\"accepted\"} 2",
            "gocua_sync_records_total{kind=\"household\",verdict=\"rejected\"} 1",
            "gocua_sync_records_total{kind=\"unknown\",verdict=\"rejected\"} 1",
            "gocua_sync_rejections_total{kind=\"household\",code=\"outside_team_area\"} 1",
            "gocua_sync_rejections_total{kind=\"unknown\",code=\"other\"} 1",
            "gocua_db_connections{state=\"in_use\"} 0",
            "gocua_db_connections{state=\"idle\"} 1",
            "gocua_db_connections_max 1",
            "gocua_db_pool_waits_total 0",
        ] {
            assert!(text.lines().any(|l| l == line), "{line} in\n{text}");
        }
        assert!(
            !text.contains("gocua_export_jobs"),
            "not served before it is wired"
        );
        metrics.set_export_jobs_source(|| ExportJobCounts {
            running: 2,
            ready: 1,
        });
        let text = metrics.render();
        assert!(
            text.contains("gocua_export_jobs{state=\"running\"} 2\n"),
            "{text}"
        );
        assert!(
            text.contains("gocua_export_jobs{state=\"ready\"} 1\n"),
            "{text}"
        );
        assert_eq!(text.matches("# EOF").count(), 1);
    }

    #[test]
    fn labels_stay_bounded() {
        assert_eq!(kind_label(&RecordKind::parse("visit")), "visit");
        assert_eq!(kind_label(&RecordKind::parse("made_up_kind")), "unknown");
        assert_eq!(code_label("outside_team_area"), "outside_team_area");
        assert_eq!(code_label("Ünïcode <script>"), "other");
        assert_eq!(code_label(&"a".repeat(200)), "other");
        assert_eq!(code_label(""), "other");
    }
}
