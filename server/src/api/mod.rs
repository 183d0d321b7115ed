//! The HTTP API under `/v1/` (see docs/protocol.md).

mod body;
pub mod error;
mod sync;

use std::sync::Arc;

use axum::routing::{get, post};
use axum::Router;

use crate::db::Db;
use crate::ratelimit::RateLimiter;
use crate::refdata::ValidationCache;

pub use body::{MAX_BODY_BYTES, MAX_JSON_BYTES};
pub use sync::MAX_CHANGES_PER_PUSH;

/// What every request handler shares.
pub struct AppState {
    pub db: Db,
    pub validation: ValidationCache,
    pub device_limiter: RateLimiter,
    pub enrol_limiter: RateLimiter,
    /// Dashboard sign-ins, all accounts together (each account also locks on its own).
    pub login_limiter: RateLimiter,
    /// The dashboard's running and finished export jobs.
    pub exports: crate::web::pages::exports::ExportJobs,
}

impl AppState {
    pub fn new(db: Db) -> Arc<Self> {
        Arc::new(AppState {
            db,
            validation: ValidationCache::default(),
            // A catch-up sync after days offline sends many batches back to back.
            device_limiter: RateLimiter::new(20.0, 200),
            // Shared by all callers: a whole training class enrols at once, guessing codes stays slow.
            enrol_limiter: RateLimiter::new(20.0, 100),
            login_limiter: RateLimiter::new(5.0, 30),
            exports: Default::default(),
        })
    }
}

pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/v1/health", get(sync::health))
        .route("/v1/devices/enrol", post(sync::enrol))
        .route("/v1/sync/push", post(sync::push))
        .route("/v1/sync/pull", post(sync::pull))
        .merge(crate::web::router())
        .with_state(state)
}
