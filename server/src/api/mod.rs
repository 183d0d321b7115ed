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
        })
    }
}

pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/v1/health", get(sync::health))
        .route("/v1/devices/enrol", post(sync::enrol))
        .route("/v1/sync/push", post(sync::push))
        .route("/v1/sync/pull", post(sync::pull))
        .with_state(state)
}
