//! Sign-in, token refresh, logout, password change, and who am I.

use actix_web::{HttpResponse, get, post, web};
use iam::domain::permission::{CATALOGUE, PermissionInfo};
use iam::service::auth::{
    self, ChangePasswordRequest, LoginRequest, LoginResponse, Me, RefreshRequest,
};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Auth;
use crate::{ApiResult, AppState, Problem};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(login)
        .service(refresh)
        .service(logout)
        .service(change_password)
        .service(me)
        .service(permissions);
}

/// Sign in with username and password.
///
/// Five wrong passwords in a row lock the account for 15 minutes. No permission needed.
#[utoipa::path(tag = "auth", request_body = LoginRequest, responses(
    (status = 200, body = LoginResponse),
    (status = 400, body = Problem, description = "Unreadable body"),
    (status = 401, body = Problem, description = "`invalid_credentials`, `account_locked`, `account_disabled`"),
))]
#[post("/auth/login")]
async fn login(
    state: web::Data<AppState>,
    body: web::Json<LoginRequest>,
) -> ApiResult<HttpResponse> {
    let response = auth::login(&state.iam, &body).await?;
    Ok(HttpResponse::Ok().json(response))
}

/// Exchange a refresh token for a new pair.
///
/// Each refresh token works once. Presenting one that was already used ends every session of
/// that sign-in (`refresh_token_reused`). No permission needed.
#[utoipa::path(tag = "auth", request_body = RefreshRequest, responses(
    (status = 200, body = LoginResponse),
    (status = 401, body = Problem, description = "`refresh_token_invalid`, `refresh_token_reused`"),
))]
#[post("/auth/refresh")]
async fn refresh(
    state: web::Data<AppState>,
    body: web::Json<RefreshRequest>,
) -> ApiResult<HttpResponse> {
    let response = auth::refresh(&state.iam, &body).await?;
    Ok(HttpResponse::Ok().json(response))
}

/// Sign out: the refresh token and its family stop working.
///
/// No permission needed.
#[utoipa::path(tag = "auth", request_body = RefreshRequest, responses((status = 204)))]
#[post("/auth/logout")]
async fn logout(
    state: web::Data<AppState>,
    body: web::Json<RefreshRequest>,
) -> ApiResult<HttpResponse> {
    auth::logout(&state.iam, &body).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Change your own password.
///
/// Needs a signed-in user (allowed even when a password change is required). Ends the user's
/// other sessions and answers with fresh tokens.
#[utoipa::path(tag = "auth", request_body = ChangePasswordRequest, security(("bearer" = [])), responses(
    (status = 200, body = LoginResponse),
    (status = 401, body = Problem),
    (status = 422, body = Problem, description = "`wrong_current_password`, `password_too_weak`, `password_reused` on the field"),
))]
#[post("/auth/change-password")]
async fn change_password(
    state: web::Data<AppState>,
    actor: Auth,
    body: web::Json<ChangePasswordRequest>,
) -> ApiResult<HttpResponse> {
    let response = auth::change_password(&state.iam, &actor, &body).await?;
    Ok(HttpResponse::Ok().json(response))
}

/// The signed-in user with their roles, permissions and data scope.
///
/// Needs a signed-in user.
#[utoipa::path(tag = "auth", security(("bearer" = [])), responses(
    (status = 200, body = Me),
    (status = 401, body = Problem),
))]
#[get("/me")]
async fn me(state: web::Data<AppState>, actor: Auth) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(auth::me(&state.db, &actor).await?))
}

/// The permission catalogue that roles choose from.
///
/// Needs a signed-in user.
#[utoipa::path(tag = "organisation", security(("bearer" = [])), responses(
    (status = 200, body = Vec<PermissionInfo>),
    (status = 401, body = Problem),
))]
#[get("/permissions")]
async fn permissions(_actor: Auth) -> HttpResponse {
    HttpResponse::Ok().json(CATALOGUE)
}
