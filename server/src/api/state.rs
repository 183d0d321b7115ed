//! What the phone API's handlers share.

use std::sync::Arc;

use crate::db::Db;
use crate::domain::ratelimit::RateLimiter;
use crate::domain::refdata::ValidationCache;

pub struct ApiState {
    pub db: Db,
    pub validation: ValidationCache,
    pub device_limiter: RateLimiter,
    pub enrol_limiter: RateLimiter,
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
        })
    }
}
