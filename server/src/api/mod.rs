//! The phone API under `/v1/` (see docs/protocol.md). Phone HTTP only: the dashboard is `web/`,
//! and `app.rs` puts the two together.

mod body;
pub mod error;
pub mod state;
mod sync;

use std::sync::Arc;

use axum::routing::{get, post};
use axum::Router;

pub use body::{
    decode_json, BodyLimit, BodyLimits, JsonBody, MAX_BODY_BYTES, MAX_JSON_BYTES, MAX_MESSAGE_BYTES,
};
pub use state::ApiState;
pub use sync::{decode_push, PushVerdicts, RemoteAddr, Verdict, MAX_CHANGES_PER_PUSH};

pub fn router(state: Arc<ApiState>) -> Router {
    Router::new()
        .route("/v1/health", get(sync::health))
        .route("/v1/devices/enrol", post(sync::enrol))
        .route("/v1/sync/push", post(sync::push))
        .route("/v1/sync/pull", post(sync::pull))
        .with_state(state)
}
