//! Approval flows (审批流程图配置): one versioned graph per business type.

use actix_web::{HttpResponse, get, post, put, web};
use iam::perm;
use iam::repo::status::Status;
use iam::service::VersionBody;
use utoipa_actix_web::service_config::ServiceConfig;
use workflow::domain::BusinessType;
use workflow::service::definitions::{self, FlowDefinition, FlowInput, FlowVersion};

use crate::auth::Auth;
use crate::{ApiResult, AppState, Problem};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_flows)
        .service(get_flow)
        .service(save_flow)
        .service(list_flow_versions)
        .service(disable_flow)
        .service(enable_flow);
}

/// Every configured flow with its current graph.
///
/// Permission: `flow:read`.
#[utoipa::path(tag = "workflow", security(("bearer" = [])), responses(
    (status = 200, body = Vec<FlowDefinition>),
    (status = 401, body = Problem), (status = 403, body = Problem),
))]
#[get("/flows")]
async fn list_flows(state: web::Data<AppState>, actor: Auth) -> ApiResult<HttpResponse> {
    actor.require(perm::FLOW_READ)?;
    Ok(HttpResponse::Ok().json(definitions::list(&state.workflow).await?))
}

/// The flow of a business type, or 404 when none is configured.
///
/// Permission: `flow:read`.
#[utoipa::path(tag = "workflow", security(("bearer" = [])), params(("businessType" = BusinessType, Path)), responses(
    (status = 200, body = FlowDefinition),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem),
))]
#[get("/flows/{businessType}")]
async fn get_flow(
    state: web::Data<AppState>,
    actor: Auth,
    kind: web::Path<BusinessType>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::FLOW_READ)?;
    Ok(HttpResponse::Ok().json(definitions::get(&state.workflow, *kind).await?))
}

/// Save the flow of a business type: created when there is none, else its graph becomes a
/// new version (send the `version` you edited). Running instances keep the version they
/// started under. The graph must have no cycles, reach every step, and end every path; each
/// step's last exit has no conditions.
///
/// Permission: `flow:write`.
#[utoipa::path(tag = "workflow", security(("bearer" = [])), params(("businessType" = BusinessType, Path)), request_body = FlowInput, responses(
    (status = 200, body = FlowDefinition),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 409, body = Problem, description = "`version_conflict`"),
    (status = 422, body = Problem, description = "`validation_failed` with field errors such as `graph.steps[1].next[0].to` / `cycle`"),
))]
#[put("/flows/{businessType}")]
async fn save_flow(
    state: web::Data<AppState>,
    actor: Auth,
    kind: web::Path<BusinessType>,
    body: web::Json<FlowInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::FLOW_WRITE)?;
    Ok(HttpResponse::Ok().json(definitions::save(&state.workflow, &actor, *kind, &body).await?))
}

/// Every saved graph of a flow, newest first.
///
/// Permission: `flow:read`.
#[utoipa::path(tag = "workflow", security(("bearer" = [])), params(("businessType" = BusinessType, Path)), responses(
    (status = 200, body = Vec<FlowVersion>),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem),
))]
#[get("/flows/{businessType}/versions")]
async fn list_flow_versions(
    state: web::Data<AppState>,
    actor: Auth,
    kind: web::Path<BusinessType>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::FLOW_READ)?;
    Ok(HttpResponse::Ok().json(definitions::versions(&state.workflow, *kind).await?))
}

/// Disable a flow: nothing of its type can be submitted until it is enabled again; running
/// instances carry on.
///
/// Permission: `flow:write`.
#[utoipa::path(tag = "workflow", security(("bearer" = [])), params(("businessType" = BusinessType, Path)), request_body = VersionBody, responses(
    (status = 200, body = FlowDefinition),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem), (status = 409, body = Problem, description = "`version_conflict`"),
))]
#[post("/flows/{businessType}/disable")]
async fn disable_flow(
    state: web::Data<AppState>,
    actor: Auth,
    kind: web::Path<BusinessType>,
    body: web::Json<VersionBody>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::FLOW_WRITE)?;
    let saved =
        definitions::set_status(&state.workflow, &actor, *kind, Status::Disabled, &body).await?;
    Ok(HttpResponse::Ok().json(saved))
}

/// Enable a disabled flow.
///
/// Permission: `flow:write`.
#[utoipa::path(tag = "workflow", security(("bearer" = [])), params(("businessType" = BusinessType, Path)), request_body = VersionBody, responses(
    (status = 200, body = FlowDefinition),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem), (status = 409, body = Problem, description = "`version_conflict`"),
))]
#[post("/flows/{businessType}/enable")]
async fn enable_flow(
    state: web::Data<AppState>,
    actor: Auth,
    kind: web::Path<BusinessType>,
    body: web::Json<VersionBody>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::FLOW_WRITE)?;
    let saved =
        definitions::set_status(&state.workflow, &actor, *kind, Status::Active, &body).await?;
    Ok(HttpResponse::Ok().json(saved))
}
