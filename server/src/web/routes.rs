//! The dashboard's routes: every page and form under `/`.

use std::sync::Arc;

use axum::routing::{get, post};
use axum::Router;

use super::layout;
use super::pages::*;
use super::state::WebState;

pub fn router(state: Arc<WebState>) -> Router {
    Router::new()
        .route("/", get(overview::page))
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", post(login::logout))
        .route("/lang/{code}", get(login::switch_language))
        .route("/assets/app.css", get(layout::stylesheet))
        .route("/setup/{secret}", get(setup::form).post(setup::submit))
        .route("/teams/{id}", get(teams::page))
        .route("/teams/{id}/codes", post(teams::issue_code))
        .route(
            "/teams/{id}/targets",
            get(targets::form).post(targets::save),
        )
        .route("/devices/{id}/revoke", post(teams::revoke))
        .route("/coverage", get(coverage::page))
        .route("/coverage/commune/{code}", get(coverage::commune))
        .route("/households", get(households::list))
        .route("/households/{id}", get(households::detail))
        .route(
            "/households/{id}/erase",
            get(erasure::confirm).post(erasure::erase),
        )
        .route("/visits", get(visits::list))
        .route("/visits/{id}/delete", post(visits::delete))
        .route("/follow-ups", get(followups::list))
        .route("/flags", get(flags::list))
        .route("/flags/{id}/resolve", post(flags::resolve))
        .route("/feedback", get(feedback::list))
        .route("/audit", get(audit_page::list))
        .route("/assignments", get(assignments::page))
        .route("/assignments/teams/{id}/assign", post(assignments::assign))
        .route("/assignments/{id}/revoke", post(assignments::revoke))
        .route("/guides", get(guides::list))
        .route("/guides/{key}", get(guides::show))
        .route("/report", get(report::form).post(report::download))
        .route("/exports/visits", post(exports::start_visits))
        .route("/exports/{id}", get(exports::status))
        .route("/exports/{id}/file", get(exports::download))
        .merge(admin::router())
        .with_state(state)
}
