//! The whole HTTP application: the phone API and the dashboard on one listener, each with the
//! state it needs over the same database, inside the edge (`app/edge.rs`): its limits on
//! connections and bodies, and the headers of every answer.

pub mod edge;
pub mod metrics;

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tower::ServiceExt;

use self::metrics::Metrics;
use crate::api::{self, ApiState};
use crate::db::Db;
use crate::web::routes;
use crate::web::state::WebState;
pub use edge::Settings;

/// The phone API under `/v1/` and the dashboard at `/`, inside the edge's layers, trusting no
/// proxy.
pub fn router(db: Db) -> Router {
    router_with(db, Settings::default())
}

/// As [`router`], with the deployment's edge settings (trusted proxies, public URL).
pub fn router_with(db: Db, settings: Settings) -> Router {
    build(db, settings, None)
}

/// The application, timed and counted by `metrics` when there are metrics.
fn build(db: Db, settings: Settings, metrics: Option<Arc<Metrics>>) -> Router {
    let web = WebState::new(db.clone());
    let app = edge::around(
        api::router(ApiState::new(db)).merge(routes::router(web.clone())),
        settings,
    );
    let Some(metrics) = metrics else {
        return app;
    };
    // Export jobs live in the database: the gauge counts the whole deployment's.
    metrics.set_export_jobs_source(move || {
        let (running, ready) = web.exports.counts().unwrap_or_default();
        metrics::ExportJobCounts { running, ready }
    });
    metrics::around(app, metrics)
}

/// Serves the API on `listen` until `shutdown` resolves, with the metrics (`app/metrics.rs`)
/// on `metrics_listen` when it is given: a listener of their own, never the public one.
pub async fn serve(
    db: Db,
    listen: SocketAddr,
    settings: Settings,
    metrics_listen: Option<SocketAddr>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let listener = tokio::net::TcpListener::bind(listen).await?;
    let Some(metrics_listen) = metrics_listen else {
        return serve_on_with(db, listener, settings, shutdown).await;
    };
    let metrics = Arc::new(Metrics::new(db.clone()));
    let metrics_listener = tokio::net::TcpListener::bind(metrics_listen).await?;
    tracing::info!(
        "gocua: metrics on http://{}/metrics",
        metrics_listener.local_addr()?
    );
    let scrapes = tokio::spawn(metrics::serve(metrics.clone(), metrics_listener));
    let served = serve_app(build(db, settings, Some(metrics)), listener, shutdown).await;
    scrapes.abort();
    served
}

/// [`serve_on_with`], trusting no proxy (tests, the demo).
pub async fn serve_on(
    db: Db,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    serve_on_with(db, listener, Settings::default(), shutdown).await
}

/// Serves [`router_with`] on `listener` until `shutdown` resolves.
pub async fn serve_on_with(
    db: Db,
    listener: tokio::net::TcpListener,
    settings: Settings,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    serve_app(router_with(db, settings), listener, shutdown).await
}

/// Serves HTTP/1.1 on `listener` until `shutdown` resolves, with the edge's bounds: at most
/// [`edge::max_connections`] connections open (beyond, new ones wait to be accepted), request
/// heads within [`edge::HEADER_READ_TIMEOUT`] (idle connections closed after it). Then it stops
/// accepting, lets the requests in flight finish (for at most [`edge::SHUTDOWN_GRACE`]), closes
/// every connection and returns: nothing of the application is left running.
async fn serve_app(
    app: Router,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let slots = Arc::new(Semaphore::new(edge::max_connections()));
    let graceful = GracefulShutdown::new();
    let mut connections = JoinSet::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot.expect("the semaphore is never closed"),
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    accept_failed(e).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        while connections.try_join_next().is_some() {}
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            app.clone().oneshot(request.map(Body::new))
        });
        let connection = http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(edge::HEADER_READ_TIMEOUT)
            .serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        connections.spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, %peer, "connection ended");
            }
            drop(slot);
        });
    }
    drop(listener);
    let open = graceful.count();
    if open > 0 {
        tracing::info!(open, "stopping: finishing the requests in flight");
    }
    if tokio::time::timeout(edge::SHUTDOWN_GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            "requests still in flight after {} s are cut off",
            edge::SHUTDOWN_GRACE.as_secs()
        );
    }
    connections.shutdown().await;
    Ok(())
}

/// An error accepting a connection: the client gave up (nothing to do), or the process is out
/// of descriptors or memory (wait a moment rather than spin).
async fn accept_failed(e: io::Error) {
    if matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    ) {
        return;
    }
    tracing::error!(error = %e, "cannot accept a connection; trying again in 1 s");
    tokio::time::sleep(Duration::from_secs(1)).await;
}
