//! Prospects (意向客户).

use actix_web::{HttpResponse, get, post, put, web};
use customers::service::customers::Customer;
use customers::service::prospects::{self, ConvertInput, Prospect, ProspectFilter, ProspectInput};
use iam::perm;
use kernel::{Page, PageRequest};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Auth;
use crate::{ApiResult, AppState, Problem};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_prospects)
        .service(create_prospect)
        .service(update_prospect)
        .service(convert_prospect);
}

/// List prospects within your data scope, next follow-up first.
///
/// Permission: `customer:read`.
#[utoipa::path(tag = "customers", security(("bearer" = [])), params(PageRequest, ProspectFilter), responses(
    (status = 200, body = Page<Prospect>),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
))]
#[get("/prospects")]
async fn list_prospects(
    state: web::Data<AppState>,
    actor: Auth,
    page: web::Query<PageRequest>,
    filter: web::Query<ProspectFilter>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::CUSTOMER_READ)?;
    Ok(HttpResponse::Ok().json(prospects::list(&state.customers, &actor, &filter, &page).await?))
}

/// Record a prospect.
///
/// Permission: `customer:write`.
#[utoipa::path(tag = "customers", security(("bearer" = [])), request_body = ProspectInput, responses(
    (status = 201, body = Prospect),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 422, body = Problem),
))]
#[post("/prospects")]
async fn create_prospect(
    state: web::Data<AppState>,
    actor: Auth,
    body: web::Json<ProspectInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::CUSTOMER_WRITE)?;
    Ok(HttpResponse::Created().json(prospects::create(&state.customers, &actor, &body).await?))
}

/// Update a prospect (or drop it with `status: dropped`); send the `version` you edited.
///
/// Permission: `customer:write`.
#[utoipa::path(tag = "customers", security(("bearer" = [])), params(("id" = i64, Path)), request_body = ProspectInput, responses(
    (status = 200, body = Prospect),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem),
))]
#[put("/prospects/{id}")]
async fn update_prospect(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<ProspectInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::CUSTOMER_WRITE)?;
    Ok(HttpResponse::Ok().json(prospects::update(&state.customers, &actor, *id, &body).await?))
}

/// Convert an open prospect into an individual customer; field errors of the customer are
/// named `customer.…`.
///
/// Permission: `customer:write`.
#[utoipa::path(tag = "customers", security(("bearer" = [])), params(("id" = i64, Path)), request_body = ConvertInput, responses(
    (status = 201, body = Customer),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`invalid_state` unless open, `version_conflict`, `duplicate`"),
    (status = 422, body = Problem),
))]
#[post("/prospects/{id}/convert")]
async fn convert_prospect(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<ConvertInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::CUSTOMER_WRITE)?;
    Ok(HttpResponse::Created()
        .json(prospects::convert(&state.customers, &actor, *id, &body).await?))
}
