//! What the administration forms share: a form posted to an address naming one thing by its id
//! (a unit, a team, a member), read as one extractor so each change's handler is a few lines;
//! which refusals are shown on the form, and how.

use std::sync::Arc;

use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::response::{IntoResponse, Response};
use axum::Form;
use maud::{html, Markup};
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::domain::coordination::AdminError;
use crate::web::error::WebError;
use crate::web::i18n::Lang;
use crate::web::session::User;
use crate::web::state::WebState;

/// A form posted to `…/{id}/…`: who posts it, the id in its path and its fields — read in the
/// order (and with the answers) of the separate extractors `State`, `User`, `Path`, `Form`.
pub struct Posted<F> {
    pub state: Arc<WebState>,
    pub user: User,
    pub id: Uuid,
    pub form: F,
}

impl<F: DeserializeOwned + Send> FromRequest<Arc<WebState>> for Posted<F> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &Arc<WebState>) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let user = User::from_request_parts(&mut parts, state).await?;
        let Path(id) = Path::<Uuid>::from_request_parts(&mut parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let Form(form) = Form::<F>::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(IntoResponse::into_response)?;
        Ok(Posted {
            state: state.clone(),
            user,
            id,
            form,
        })
    }
}

/// A refusal that belongs on the form (a value the coordinator can correct), not on an error page.
pub fn form_error(e: &WebError) -> Option<&AdminError> {
    match e {
        WebError::Admin(a @ (AdminError::Refused { .. } | AdminError::Invalid { .. })) => Some(a),
        _ => None,
    }
}

/// A refusal shown above a form, with its machine code.
pub fn error_box(lang: Lang, e: &AdminError) -> Markup {
    html! { p.error role="alert" data-code=(e.code()) { (lang.pick_owned(e.message_vi(), e.message_en())) } }
}
