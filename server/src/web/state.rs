//! What the dashboard's handlers share.

use std::sync::Arc;

use axum::response::Response;

use super::error::WebError;
use super::i18n::Lang;
use super::jobs::ExportJobs;
use crate::db::Db;
use crate::domain::ratelimit::RateLimiter;

pub struct WebState {
    pub db: Db,
    /// Dashboard sign-ins, all accounts together (each account also locks on its own).
    pub login_limiter: RateLimiter,
    /// The dashboard's running and finished export jobs.
    pub exports: ExportJobs,
    /// Turns at argon2 for sign-ins: one per two CPUs (at least one), so a flood of sign-ins
    /// cannot take every core from the phones' requests.
    pub password_checks: Arc<tokio::sync::Semaphore>,
}

impl WebState {
    pub fn new(db: Db) -> Arc<Self> {
        let exports = ExportJobs::new(db.clone());
        Arc::new(WebState {
            db,
            login_limiter: RateLimiter::new(5.0, 30),
            exports,
            password_checks: Arc::new(tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(1, |n| (n.get() / 2).max(1)),
            )),
        })
    }
}

/// Runs blocking database work for a page; errors become error pages in `lang`.
pub async fn db_run<T: Send + 'static>(
    state: &Arc<WebState>,
    lang: Lang,
    f: impl FnOnce(&mut dyn crate::db::Sql) -> Result<T, WebError> + Send + 'static,
) -> Result<T, Response> {
    state.db.run(f).await.map_err(|e| e.into_page(lang))
}
