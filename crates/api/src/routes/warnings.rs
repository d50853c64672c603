//! Post-loan warnings (贷后预警): the rules, the GPS status feed, and the warnings with their
//! handling (assign → handle → close).

use actix_web::{HttpResponse, get, post, put, web};
use iam::perm;
use kernel::{Page, PageRequest};
use loans::service::warnings::gps_feed::{self, GpsFeedReceipt, GpsFeedReport};
use loans::service::warnings::rules::{self, WarningRule, WarningRulesInput};
use loans::service::warnings::{
    self, Warning, WarningAssignInput, WarningDetail, WarningFilter, WarningNoteInput,
};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Auth;
use crate::{ApiResult, AppState, Problem};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_rules)
        .service(save_rules)
        .service(gps_feed_report)
        .service(list_warnings)
        .service(get_warning)
        .service(assign_warning)
        .service(handle_warning)
        .service(close_warning);
}

/// The warning rules (预警规则) in their order: thresholds, levels, switches.
///
/// Permission: `warning:read`.
#[utoipa::path(tag = "post_loan", security(("bearer" = [])), responses(
    (status = 200, body = Vec<WarningRule>),
    (status = 401, body = Problem), (status = 403, body = Problem),
))]
#[get("/warning-rules")]
async fn list_rules(state: web::Data<AppState>, actor: Auth) -> ApiResult<HttpResponse> {
    actor.require(perm::WARNING_READ)?;
    Ok(HttpResponse::Ok().json(rules::list(&state.loans).await?))
}

/// Save the warning rules: every rule named once, each with the version it was read at. The
/// next daily close raises by the new settings; warnings already raised stay as they are.
///
/// Permission: `warning:rule:write`.
#[utoipa::path(tag = "post_loan", security(("bearer" = [])), request_body = WarningRulesInput, responses(
    (status = 200, body = Vec<WarningRule>),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 409, body = Problem, description = "`version_conflict`"),
    (status = 422, body = Problem, description = "`validation_failed` (`rules[i].code`: `unknown_rule`, `duplicate`; `rules`: `missing_rule`; `rules[i].days`: `required`, `out_of_range`, `not_allowed`, `duplicate`)"),
))]
#[put("/warning-rules")]
async fn save_rules(
    state: web::Data<AppState>,
    actor: Auth,
    body: web::Json<WarningRulesInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::WARNING_RULE_WRITE)?;
    Ok(HttpResponse::Ok().json(rules::save(&state.loans, &actor, &body).await?))
}

/// A GPS platform reports a fitted device's status (GPS状态上报): online or not, and any
/// alarm. An alarm on the device of an active loan raises a `gps_alarm` warning at once (one
/// per device and alarm kind until it is closed); the daily close raises `gps_offline` from
/// the devices' latest state. Sending the same report again (same device, time and alarm)
/// changes nothing and says `repeated`.
///
/// Permission: `gps:feed`.
#[utoipa::path(tag = "post_loan", security(("bearer" = [])), request_body = GpsFeedReport, responses(
    (status = 201, body = GpsFeedReceipt),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 422, body = Problem, description = "`unknown_device` (no fitted device has the IMEI); `validation_failed` (`imei`: `required`; `reportedAt`: `in_future`; `message`: `too_long`)"),
))]
#[post("/gps-feed")]
async fn gps_feed_report(
    state: web::Data<AppState>,
    actor: Auth,
    body: web::Json<GpsFeedReport>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::GPS_FEED)?;
    Ok(HttpResponse::Created().json(gps_feed::report(&state.loans, &actor, &body).await?))
}

/// Warnings (预警列表), newest first, within the caller's data scope (one's own: on a loan one
/// manages or assigned to oneself).
///
/// Permission: `warning:read`.
#[utoipa::path(tag = "post_loan", security(("bearer" = [])), params(PageRequest, WarningFilter), responses(
    (status = 200, body = Page<Warning>),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
))]
#[get("/warnings")]
async fn list_warnings(
    state: web::Data<AppState>,
    actor: Auth,
    page: web::Query<PageRequest>,
    filter: web::Query<WarningFilter>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::WARNING_READ)?;
    Ok(HttpResponse::Ok().json(warnings::list(&state.loans, &actor, &filter, &page).await?))
}

/// A warning with its handling history (处理记录).
///
/// Permission: `warning:read`.
#[utoipa::path(tag = "post_loan", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = WarningDetail),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem),
))]
#[get("/warnings/{id}")]
async fn get_warning(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::WARNING_READ)?;
    Ok(HttpResponse::Ok().json(warnings::get(&state.loans, &actor, *id).await?))
}

/// Assign (分派) an open warning, or reassign (改派) an assigned one, to someone holding
/// `warning:handle`, with an optional note.
///
/// Permission: `warning:handle`.
#[utoipa::path(tag = "post_loan", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = WarningAssignInput, responses(
    (status = 200, body = WarningDetail),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`invalid_transition` (handled or closed), `version_conflict`"),
    (status = 422, body = Problem, description = "`validation_failed` (`assigneeId`: `not_a_handler`; `note`: `too_long`)"),
))]
#[post("/warnings/{id}/assign")]
async fn assign_warning(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<WarningAssignInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::WARNING_HANDLE)?;
    Ok(HttpResponse::Ok().json(warnings::assign(&state.loans, &actor, *id, &body).await?))
}

/// Record the handling (处理) of an assigned warning: what was done. Only the assignee.
///
/// Permission: `warning:handle`.
#[utoipa::path(tag = "post_loan", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = WarningNoteInput, responses(
    (status = 200, body = WarningDetail),
    (status = 400, body = Problem), (status = 401, body = Problem),
    (status = 403, body = Problem, description = "`forbidden`, `not_assignee`"),
    (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`invalid_transition` (not assigned), `version_conflict`"),
    (status = 422, body = Problem, description = "`validation_failed` (`note`: `required`, `too_long`)"),
))]
#[post("/warnings/{id}/handle")]
async fn handle_warning(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<WarningNoteInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::WARNING_HANDLE)?;
    Ok(HttpResponse::Ok().json(warnings::handle(&state.loans, &actor, *id, &body).await?))
}

/// Close (关闭) a handled warning, with a note. The same condition raises a new warning only
/// when it comes back as a new occurrence (a new overdue episode, a new expiry date, ...).
///
/// Permission: `warning:handle`.
#[utoipa::path(tag = "post_loan", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = WarningNoteInput, responses(
    (status = 200, body = WarningDetail),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`invalid_transition` (not handled), `version_conflict`"),
    (status = 422, body = Problem, description = "`validation_failed` (`note`: `required`, `too_long`)"),
))]
#[post("/warnings/{id}/close")]
async fn close_warning(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<WarningNoteInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::WARNING_HANDLE)?;
    Ok(HttpResponse::Ok().json(warnings::close(&state.loans, &actor, *id, &body).await?))
}
