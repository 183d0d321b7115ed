//! The Gõ Cửa server: takes phones' uploads, serves their reference data, and (later) the
//! coordinators' dashboard. SQLite embedded by default, PostgreSQL at scale.

pub mod admin;
pub mod api;
pub mod auth;
pub mod calendar;
pub mod db;
#[cfg(feature = "demo")]
pub mod demo;
pub mod ingest;
pub mod progress;
pub mod quality;
pub mod ratelimit;
pub mod refdata;
pub mod rollup;
pub mod web;

use std::net::SocketAddr;

/// Serves the API on `listen` until `shutdown` resolves.
pub async fn serve(
    db: db::Db,
    listen: SocketAddr,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(listen).await?;
    serve_on(db, listener, shutdown).await
}

pub async fn serve_on(
    db: db::Db,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = api::router(api::AppState::new(db));
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}
