//! The extractors the dashboard's handlers start from, so that a handler names what it needs in
//! one argument: [`Ctx`] (state and signed-in user) and [`Addressed`] (the same, plus the thing
//! named in the path and the page's query or the posted form).

use std::sync::Arc;

use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::Form;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use super::session::User;
use super::state::WebState;

/// What nearly every dashboard handler starts from: the shared state and the signed-in user.
/// Extracting it signs the request in exactly as [`User`] does.
pub struct Ctx {
    pub state: Arc<WebState>,
    pub user: User,
}

impl FromRequestParts<Arc<WebState>> for Ctx {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<WebState>,
    ) -> Result<Self, Response> {
        let user = User::from_request_parts(parts, state).await?;
        Ok(Ctx {
            state: state.clone(),
            user,
        })
    }
}

/// A request to an address naming one thing (`…/{id}/…`: a unit, a team, a household, a
/// hamlet's code): who asks, the path's value, and what else the handler reads (`E`: the
/// `Query` of a page, the `Form` of a change) — read in the order (and with the answers) of the
/// separate extractors `State`, `User`, `Path`, `E`.
pub struct Addressed<E, P = Uuid> {
    pub state: Arc<WebState>,
    pub user: User,
    pub id: P,
    pub input: E,
}

impl<E, P> Addressed<E, P> {
    pub fn into_parts(self) -> (Arc<WebState>, User, P, E) {
        (self.state, self.user, self.id, self.input)
    }
}

impl<F, P> Addressed<Form<F>, P> {
    /// The parts of a form that changes something, after the checks every such form gets first:
    /// the session's CSRF token (`csrf` picks it from the form) and a role that may edit
    /// ([`User::check_edit`]).
    #[allow(clippy::result_large_err)] // handlers return the error page itself
    pub fn checked(
        self,
        csrf: impl FnOnce(&F) -> &str,
    ) -> Result<(Arc<WebState>, User, P, F), Response> {
        let Form(form) = self.input;
        self.user.check_edit(csrf(&form))?;
        Ok((self.state, self.user, self.id, form))
    }
}

impl<E, P, M> FromRequest<Arc<WebState>, M> for Addressed<E, P>
where
    E: FromRequest<Arc<WebState>, M>,
    E::Rejection: IntoResponse,
    P: DeserializeOwned + Send,
{
    type Rejection = Response;

    async fn from_request(req: Request, state: &Arc<WebState>) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let Ctx { state, user } = Ctx::from_request_parts(&mut parts, state).await?;
        let Path(id) = Path::<P>::from_request_parts(&mut parts, &state)
            .await
            .map_err(IntoResponse::into_response)?;
        let input = E::from_request(Request::from_parts(parts, body), &state)
            .await
            .map_err(IntoResponse::into_response)?;
        Ok(Addressed {
            state,
            user,
            id,
            input,
        })
    }
}
