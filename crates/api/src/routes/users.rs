//! Users (职务).

use actix_web::{HttpResponse, get, post, put, web};
use iam::perm;
use iam::repo::status::Status;
use iam::service::VersionBody;
use iam::service::users::{self, NewUser, PasswordReset, User, UserFilter, UserUpdate};
use kernel::{Page, PageRequest};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Auth;
use crate::{ApiResult, AppState, Problem};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_users)
        .service(find_people)
        .service(get_user)
        .service(create_user)
        .service(update_user)
        .service(disable_user)
        .service(enable_user)
        .service(reset_user_password);
}

/// List, a page at a time, within your data scope.
///
/// Permission: `org:user:read`.
#[utoipa::path(tag = "organisation", security(("bearer" = [])), params(PageRequest, UserFilter), responses(
    (status = 200, body = Page<User>),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
))]
#[get("/users")]
async fn list_users(
    state: web::Data<AppState>,
    actor: Auth,
    page: web::Query<PageRequest>,
    filter: web::Query<UserFilter>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::ORG_USER_READ)?;
    Ok(HttpResponse::Ok().json(users::list(&state.iam, &actor, &filter, &page).await?))
}

/// One record, if your data scope covers it (else 404).
///
/// Permission: `org:user:read`.
#[utoipa::path(tag = "organisation", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = User),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
))]
#[get("/users/{id}")]
async fn get_user(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::ORG_USER_READ)?;
    Ok(HttpResponse::Ok().json(users::get(&state.iam, &actor, *id).await?))
}

/// Create.
///
/// Permission: `org:user:write`.
#[utoipa::path(tag = "organisation", security(("bearer" = [])), request_body = NewUser, responses(
    (status = 201, body = User),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 409, body = Problem, description = "`duplicate` code"),
    (status = 422, body = Problem),
))]
#[post("/users")]
async fn create_user(
    state: web::Data<AppState>,
    actor: Auth,
    body: web::Json<NewUser>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::ORG_USER_WRITE)?;
    Ok(HttpResponse::Created().json(users::create(&state.iam, &actor, &body).await?))
}

/// Update; send the `version` you edited.
///
/// Permission: `org:user:write`.
#[utoipa::path(tag = "organisation", security(("bearer" = [])), params(("id" = i64, Path)), request_body = UserUpdate, responses(
    (status = 200, body = User),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`version_conflict`, `duplicate`"),
    (status = 422, body = Problem),
))]
#[put("/users/{id}")]
async fn update_user(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<UserUpdate>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::ORG_USER_WRITE)?;
    Ok(HttpResponse::Ok().json(users::update(&state.iam, &actor, *id, &body).await?))
}

/// Disable.
///
/// Permission: `org:user:write`.
#[utoipa::path(tag = "organisation", security(("bearer" = [])), params(("id" = i64, Path)), request_body = VersionBody, responses(
    (status = 200, body = User),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
    (status = 409, body = Problem),
))]
#[post("/users/{id}/disable")]
async fn disable_user(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<VersionBody>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::ORG_USER_WRITE)?;
    Ok(HttpResponse::Ok()
        .json(users::set_status(&state.iam, &actor, *id, &body, Status::Disabled).await?))
}

/// Enable again.
///
/// Permission: `org:user:write`.
#[utoipa::path(tag = "organisation", security(("bearer" = [])), params(("id" = i64, Path)), request_body = VersionBody, responses(
    (status = 200, body = User),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
    (status = 409, body = Problem),
))]
#[post("/users/{id}/enable")]
async fn enable_user(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<VersionBody>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::ORG_USER_WRITE)?;
    Ok(HttpResponse::Ok()
        .json(users::set_status(&state.iam, &actor, *id, &body, Status::Active).await?))
}

/// Set a new password the user must change at next sign-in; unlocks the account and ends its
/// sessions.
///
/// Permission: `org:user:write`.
#[utoipa::path(tag = "organisation", security(("bearer" = [])), params(("id" = i64, Path)), request_body = PasswordReset, responses(
    (status = 200, body = User),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
    (status = 409, body = Problem), (status = 422, body = Problem, description = "`password_too_weak`"),
))]
#[post("/users/{id}/reset-password")]
async fn reset_user_password(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<PasswordReset>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::ORG_USER_WRITE)?;
    Ok(HttpResponse::Ok().json(users::reset_password(&state.iam, &actor, *id, &body).await?))
}

/// Pick people: up to 50 active users, with their department, optionally only those holding
/// a permission (e.g. investigators for assignment, reviewers for a transfer). Shows names,
/// never accounts.
///
/// Needs a signed-in user.
#[utoipa::path(tag = "organisation", security(("bearer" = [])), params(iam::service::people::PeopleFilter), responses(
    (status = 200, body = Vec<iam::service::people::Person>),
    (status = 400, body = Problem), (status = 401, body = Problem),
    (status = 422, body = Problem, description = "`unknown_permission`"),
))]
#[get("/people")]
async fn find_people(
    state: web::Data<AppState>,
    _actor: Auth,
    filter: web::Query<iam::service::people::PeopleFilter>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(iam::service::people::find(&state.db, &filter).await?))
}
