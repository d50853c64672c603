//! Loan products (贷款产品) and their loan-method settings (贷款方式设置), versioned.

use actix_web::{HttpResponse, get, post, put, web};
use iam::perm;
use iam::repo::status::Status;
use iam::service::VersionBody;
use kernel::{Page, PageRequest};
use loans::service::products::{self, Product, ProductFilter, ProductInput, ProductVersion};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Auth;
use crate::{ApiResult, AppState, Problem};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_products)
        .service(get_product)
        .service(create_product)
        .service(update_product)
        .service(list_product_versions)
        .service(get_product_version)
        .service(disable_product)
        .service(enable_product);
}

/// List products with their current terms.
///
/// Permission: `product:read`.
#[utoipa::path(tag = "products", security(("bearer" = [])), params(PageRequest, ProductFilter), responses(
    (status = 200, body = Page<Product>),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
))]
#[get("/products")]
async fn list_products(
    state: web::Data<AppState>,
    actor: Auth,
    page: web::Query<PageRequest>,
    filter: web::Query<ProductFilter>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::PRODUCT_READ)?;
    Ok(HttpResponse::Ok().json(products::list(&state.loans, &filter, &page).await?))
}

/// A product with its current terms and their worst-case APR against the caps today.
///
/// Permission: `product:read`.
#[utoipa::path(tag = "products", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = Product),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
))]
#[get("/products/{id}")]
async fn get_product(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::PRODUCT_READ)?;
    Ok(HttpResponse::Ok().json(products::get(&state.loans, *id).await?))
}

/// Create a product. Its worst case (every method, highest rate, every term, both ends of the
/// amount range, all fees) must keep the simple APR within 24 %, else 422 `apr_above_cap`;
/// above 4 × LPR it is created and `capCheck.check.status` is `warning`.
///
/// Permission: `product:write`.
#[utoipa::path(tag = "products", security(("bearer" = [])), request_body = ProductInput, responses(
    (status = 201, body = Product),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 409, body = Problem, description = "`duplicate` code"),
    (status = 422, body = Problem, description = "`validation_failed` with field errors, or `apr_above_cap`"),
))]
#[post("/products")]
async fn create_product(
    state: web::Data<AppState>,
    actor: Auth,
    body: web::Json<ProductInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::PRODUCT_WRITE)?;
    Ok(HttpResponse::Created().json(products::create(&state.loans, &actor, &body).await?))
}

/// Edit a product: the terms become a new version; older versions never change. Send the
/// `version` you edited.
///
/// Permission: `product:write`.
#[utoipa::path(tag = "products", security(("bearer" = [])), params(("id" = i64, Path)), request_body = ProductInput, responses(
    (status = 200, body = Product),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem), (status = 409, body = Problem, description = "`version_conflict` or `duplicate`"),
    (status = 422, body = Problem, description = "`validation_failed` with field errors, or `apr_above_cap`"),
))]
#[put("/products/{id}")]
async fn update_product(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<ProductInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::PRODUCT_WRITE)?;
    Ok(HttpResponse::Ok().json(products::update(&state.loans, &actor, *id, &body).await?))
}

/// Every terms version of a product, newest first.
///
/// Permission: `product:read`.
#[utoipa::path(tag = "products", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = Vec<ProductVersion>),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
))]
#[get("/products/{id}/versions")]
async fn list_product_versions(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::PRODUCT_READ)?;
    Ok(HttpResponse::Ok().json(products::versions(&state.loans, *id).await?))
}

/// One terms version of a product: what a loan signed under it keeps.
///
/// Permission: `product:read`.
#[utoipa::path(tag = "products", security(("bearer" = [])), params(("id" = i64, Path), ("n" = i32, Path)), responses(
    (status = 200, body = ProductVersion),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem),
))]
#[get("/products/{id}/versions/{n}")]
async fn get_product_version(
    state: web::Data<AppState>,
    actor: Auth,
    path: web::Path<(i64, i32)>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::PRODUCT_READ)?;
    let (id, n) = *path;
    Ok(HttpResponse::Ok().json(products::version(&state.loans, id, n).await?))
}

/// Disable a product: no new loans under it; loans already signed keep their version.
///
/// Permission: `product:write`.
#[utoipa::path(tag = "products", security(("bearer" = [])), params(("id" = i64, Path)), request_body = VersionBody, responses(
    (status = 200, body = Product),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem), (status = 409, body = Problem),
))]
#[post("/products/{id}/disable")]
async fn disable_product(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<VersionBody>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::PRODUCT_WRITE)?;
    Ok(HttpResponse::Ok()
        .json(products::set_status(&state.loans, &actor, *id, &body, Status::Disabled).await?))
}

/// Enable a product again.
///
/// Permission: `product:write`.
#[utoipa::path(tag = "products", security(("bearer" = [])), params(("id" = i64, Path)), request_body = VersionBody, responses(
    (status = 200, body = Product),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem), (status = 409, body = Problem),
))]
#[post("/products/{id}/enable")]
async fn enable_product(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<VersionBody>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::PRODUCT_WRITE)?;
    Ok(HttpResponse::Ok()
        .json(products::set_status(&state.loans, &actor, *id, &body, Status::Active).await?))
}
