//! What the phone API's handlers share.

use std::net::IpAddr;
use std::sync::Arc;

use crate::db::Db;
use crate::domain::ratelimit::RateLimiter;
use crate::domain::refdata::ValidationCache;

pub struct ApiState {
    pub db: Db,
    pub validation: ValidationCache,
    pub device_limiter: RateLimiter,
    pub enrol_limiter: RateLimiter,
    /// Requests without a known device token, per client address (`ratelimit::client_key`).
    pub failed_auth_limiter: RateLimiter<IpAddr>,
}

impl ApiState {
    pub fn new(db: Db) -> Arc<Self> {
        Arc::new(ApiState {
            db,
            validation: ValidationCache::default(),
            // A catch-up sync after days offline sends many batches back to back.
            device_limiter: RateLimiter::new(20.0, 200),
            // Shared by all callers: a whole training class enrols at once, guessing codes stays slow.
            enrol_limiter: RateLimiter::new(20.0, 100),
            // A phone with a wrong token is told so once and stops (401 is not retried); a
            // client trying one token after another is slowed to one guess every two seconds.
            failed_auth_limiter: RateLimiter::new(0.5, 20),
        })
    }
}
