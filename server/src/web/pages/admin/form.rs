//! What the administration forms share: a form posted to an address naming one thing by its id
//! (a unit, a team, a member), read as one extractor so each change's handler is a few lines.

use std::sync::Arc;

use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::response::{IntoResponse, Response};
use axum::Form;
use serde::de::DeserializeOwned;
use uuid::Uuid;

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
