//! The whole HTTP application: the phone API and the dashboard on one listener, each with the
//! state it needs over the same database.

use std::net::SocketAddr;

use axum::Router;

use crate::api::{self, ApiState};
use crate::db::Db;
use crate::web::routes;
use crate::web::state::WebState;

/// The phone API under `/v1/` and the dashboard at `/`.
pub fn router(db: Db) -> Router {
    api::router(ApiState::new(db.clone())).merge(routes::router(WebState::new(db)))
}

/// Serves the API on `listen` until `shutdown` resolves.
pub async fn serve(
    db: Db,
    listen: SocketAddr,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(listen).await?;
    serve_on(db, listener, shutdown).await
}

pub async fn serve_on(
    db: Db,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(db))
        .with_graceful_shutdown(shutdown)
        .await
}
