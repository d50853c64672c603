//! The daily close (日终): start it, follow its progress step by step, and look back at runs.

use actix_web::{HttpResponse, get, post, web};
use iam::perm;
use kernel::{AppError, Page, PageRequest};
use ledgers::service::business_date;
use loans::service::close::{self, CloseContext, CloseOptions, CloseRun, ProvisionDemand};
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Auth;
use crate::{ApiResult, AppState, Problem};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(start_close)
        .service(list_runs)
        .service(get_run)
        .service(demand_provisions)
        .service(list_provision_demands);
}

fn context(state: &AppState) -> CloseContext {
    CloseContext {
        db: state.db.clone(),
        clock: state.clock.clone(),
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StartClose {
    /// Close day after day until the business date is this one; at most the calendar date,
    /// which is also the default.
    #[serde(default)]
    pub to: Option<Date>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CloseStarted {
    /// The business date the close starts from, and where it will stop.
    pub from: Date,
    pub to: Date,
}

/// Start the daily close (执行日终): it runs in the background, closing each business date
/// before `to` in turn; follow it with `GET /close-runs`. Starting it again while it runs
/// joins the same run (workers share its partitions).
///
/// Permission: `close:run`.
#[utoipa::path(tag = "close", security(("bearer" = [])), request_body = StartClose, responses(
    (status = 202, body = CloseStarted),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 422, body = Problem, description = "`validation_failed` (`to`: `in_future`, `not_after_current`)"),
))]
#[post("/close-runs")]
async fn start_close(
    state: web::Data<AppState>,
    actor: Auth,
    body: web::Json<StartClose>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::CLOSE_RUN)?;
    let ctx = context(&state);
    let calendar = ctx.clock.now().date();
    let from = business_date::today(&ctx.db, &ctx.clock).await?;
    let to = body.to.unwrap_or(calendar);
    if to > calendar {
        return Err(AppError::invalid_field(
            "to",
            "in_future",
            format!("the close stops at the calendar date {calendar} at the latest"),
        )
        .into());
    }
    if to <= from {
        return Err(AppError::invalid_field(
            "to",
            "not_after_current",
            format!("the business date is already {from}"),
        )
        .into());
    }
    let started_by = actor.user_id;
    actix_web::rt::spawn(async move {
        if let Err(e) =
            close::close_until(&ctx, Some(started_by), to, &CloseOptions::default()).await
        {
            tracing::error!(code = %e.code, error = %e.message, "the daily close stopped");
        }
    });
    Ok(HttpResponse::Accepted().json(CloseStarted { from, to }))
}

/// Runs of the daily close, newest first, each with its steps' progress (日终记录).
///
/// Permission: `close:read`.
#[utoipa::path(tag = "close", security(("bearer" = [])), params(PageRequest), responses(
    (status = 200, body = Page<CloseRun>),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
))]
#[get("/close-runs")]
async fn list_runs(
    state: web::Data<AppState>,
    actor: Auth,
    page: web::Query<PageRequest>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::CLOSE_READ)?;
    Ok(HttpResponse::Ok().json(close::runs(&state.db, &page).await?))
}

/// One run of the daily close with live progress: per step its status, partitions done and
/// failed, rows changed, and the voucher it posted.
///
/// Permission: `close:read`.
#[utoipa::path(tag = "close", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = CloseRun),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
))]
#[get("/close-runs/{id}")]
async fn get_run(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::CLOSE_READ)?;
    Ok(HttpResponse::Ok().json(close::run(&state.db, *id).await?))
}

/// Ask for provisions (按需计提) at the close of the current business date, although it is not a
/// month end: the close's provisions step then computes the allowance per loan and books it, as
/// at a month end. Asking again returns the demand already made.
///
/// Permission: `close:run`.
#[utoipa::path(tag = "close", security(("bearer" = [])), responses(
    (status = 200, body = ProvisionDemand),
    (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 409, body = Problem, description = "`provisions_step_begun`: tonight's close has already passed its provisions"),
))]
#[post("/provision-demands")]
async fn demand_provisions(state: web::Data<AppState>, actor: Auth) -> ApiResult<HttpResponse> {
    actor.require(perm::CLOSE_RUN)?;
    Ok(HttpResponse::Ok().json(close::demand_provisions(&context(&state), &actor).await?))
}

/// Provisions asked for outside month ends, newest first.
///
/// Permission: `close:read`.
#[utoipa::path(tag = "close", security(("bearer" = [])), params(PageRequest), responses(
    (status = 200, body = Page<ProvisionDemand>),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
))]
#[get("/provision-demands")]
async fn list_provision_demands(
    state: web::Data<AppState>,
    actor: Auth,
    page: web::Query<PageRequest>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::CLOSE_READ)?;
    Ok(HttpResponse::Ok().json(close::provision_demands(&state.db, &page).await?))
}
