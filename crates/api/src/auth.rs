//! The `Auth` extractor: a valid bearer token, resolved into the acting user.

use std::ops::Deref;

use actix_web::http::header::AUTHORIZATION;
use actix_web::{FromRequest, HttpMessage, HttpRequest, dev::Payload, web};
use futures_util::future::LocalBoxFuture;
use iam::Actor;
use kernel::AppError;
use tracing_actix_web::RequestId;

use crate::{ApiError, AppState};

/// Paths a user who must change their password may still call.
const ALLOWED_BEFORE_PASSWORD_CHANGE: &[&str] = &[
    "/api/v1/me",
    "/api/v1/auth/change-password",
    "/api/v1/auth/logout",
];

/// The signed-in user of this request. Handlers then check the permission they need with
/// [`Actor::require`].
pub struct Auth(pub Actor);

impl Deref for Auth {
    type Target = Actor;
    fn deref(&self) -> &Actor {
        &self.0
    }
}

impl FromRequest for Auth {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = req
            .headers()
            .get(AUTHORIZATION)
            .and_then(|h| h.to_str().ok())
            .and_then(|h| h.strip_prefix("Bearer "))
            .map(|t| t.trim().to_string());
        let path = req.path().to_string();
        let request_id = req.extensions().get::<RequestId>().map(|r| r.to_string());
        Box::pin(async move {
            let state = state.ok_or_else(|| AppError::internal("application state missing"))?;
            let token = token.ok_or_else(|| {
                AppError::unauthenticated("unauthenticated", "sign in first: send a Bearer token")
            })?;
            let actor = iam::service::auth::authenticate(&state.iam, &token, request_id).await?;
            if actor.must_change_password
                && !ALLOWED_BEFORE_PASSWORD_CHANGE.contains(&path.as_str())
            {
                return Err(AppError::forbidden(
                    "password_change_required",
                    "change your password before doing anything else",
                )
                .into());
            }
            Ok(Auth(actor))
        })
    }
}
