//! The customer blacklist (客户黑名单).

use actix_web::{HttpResponse, get, post, web};
use customers::service::blacklist::{
    self, BlacklistEntry, BlacklistFilter, BlacklistInput, CheckInput, CheckResult, LiftInput,
};
use iam::perm;
use kernel::{Page, PageRequest};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Auth;
use crate::{ApiResult, AppState, Problem};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_blacklist)
        .service(check_blacklist)
        .service(get_blacklist_entry)
        .service(add_blacklist_entry)
        .service(lift_blacklist_entry);
}

/// List entries, newest first; `value` is an exact match. Values are masked.
///
/// Permission: `blacklist:read`.
#[utoipa::path(tag = "customers", security(("bearer" = [])), params(PageRequest, BlacklistFilter), responses(
    (status = 200, body = Page<BlacklistEntry>),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
))]
#[get("/blacklist")]
async fn list_blacklist(
    state: web::Data<AppState>,
    actor: Auth,
    page: web::Query<PageRequest>,
    filter: web::Query<BlacklistFilter>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::BLACKLIST_READ)?;
    Ok(HttpResponse::Ok().json(blacklist::list(&state.customers, &filter, &page).await?))
}

/// One entry.
///
/// Permission: `blacklist:read`.
#[utoipa::path(tag = "customers", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = BlacklistEntry),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
))]
#[get("/blacklist/{id}")]
async fn get_blacklist_entry(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::BLACKLIST_READ)?;
    Ok(HttpResponse::Ok().json(blacklist::get(&state.customers, *id).await?))
}

/// Check an ID number, mobile and/or credit code against the entries in force today, as an
/// application does before it goes on: `blocked` with every hit and its reason.
///
/// Permission: `customer:read`.
#[utoipa::path(tag = "customers", security(("bearer" = [])), request_body = CheckInput, responses(
    (status = 200, body = CheckResult),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 422, body = Problem),
))]
#[post("/blacklist/check")]
async fn check_blacklist(
    state: web::Data<AppState>,
    actor: Auth,
    body: web::Json<CheckInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::CUSTOMER_READ)?;
    Ok(HttpResponse::Ok().json(blacklist::check(&state.customers, &body).await?))
}

/// Add an entry (audited). One active entry per value: a second is a 409 `duplicate`.
///
/// Permission: `blacklist:write`.
#[utoipa::path(tag = "customers", security(("bearer" = [])), request_body = BlacklistInput, responses(
    (status = 201, body = BlacklistEntry),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 409, body = Problem), (status = 422, body = Problem),
))]
#[post("/blacklist")]
async fn add_blacklist_entry(
    state: web::Data<AppState>,
    actor: Auth,
    body: web::Json<BlacklistInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::BLACKLIST_WRITE)?;
    Ok(HttpResponse::Created().json(blacklist::add(&state.customers, &actor, &body).await?))
}

/// Lift an entry (解除, audited): it stays on record and no longer matches.
///
/// Permission: `blacklist:write`.
#[utoipa::path(tag = "customers", security(("bearer" = [])), params(("id" = i64, Path)), request_body = LiftInput, responses(
    (status = 200, body = BlacklistEntry),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`version_conflict`, `invalid_state` when already lifted"),
    (status = 422, body = Problem),
))]
#[post("/blacklist/{id}/lift")]
async fn lift_blacklist_entry(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<LiftInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::BLACKLIST_WRITE)?;
    Ok(HttpResponse::Ok().json(blacklist::lift(&state.customers, &actor, *id, &body).await?))
}
