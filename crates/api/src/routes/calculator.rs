//! The loan calculator (还款试算): schedules, payoff quotes and overdue figures from the pure
//! loan arithmetic, for people and scripts. The same bodies work with `chedai calc`.

use actix_web::{HttpResponse, post, web};
use calc::calculator::{
    self, OverdueRequest, OverdueResponse, PayoffRequest, PayoffResponse, ScheduleRequest,
    ScheduleResponse,
};
use iam::perm;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Auth;
use crate::{ApiResult, Problem};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(calculate_schedule)
        .service(calculate_payoff)
        .service(calculate_overdue);
}

/// The repayment schedule of a loan, with totals, the annualised rate and the cap check.
///
/// Permission: `calculator:use` (every signed-in user).
#[utoipa::path(tag = "calculator", security(("bearer" = [])), request_body = ScheduleRequest, responses(
    (status = 200, body = ScheduleResponse),
    (status = 400, body = Problem, description = "Unreadable body, e.g. a rate of \"abc\""),
    (status = 401, body = Problem),
    (status = 422, body = Problem, description = "A rule broken, each field named: a term of 0, a repayment day of 29, an amount with 3 decimals"),
))]
#[post("/calculator/schedule")]
async fn calculate_schedule(
    actor: Auth,
    body: web::Json<ScheduleRequest>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::CALCULATOR_USE)?;
    Ok(HttpResponse::Ok().json(calculator::schedule(&body)?))
}

/// What it takes to pay a loan off on a date (RULES.md §6), with the prepayment fee.
///
/// Permission: `calculator:use` (every signed-in user).
#[utoipa::path(tag = "calculator", security(("bearer" = [])), request_body = PayoffRequest, responses(
    (status = 200, body = PayoffResponse),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 422, body = Problem),
))]
#[post("/calculator/payoff")]
async fn calculate_payoff(actor: Auth, body: web::Json<PayoffRequest>) -> ApiResult<HttpResponse> {
    actor.require(perm::CALCULATOR_USE)?;
    Ok(HttpResponse::Ok().json(calculator::payoff(&body)?))
}

/// Penalty and compound interest, days past due, risk class and the amount to cure on a date.
///
/// Permission: `calculator:use` (every signed-in user).
#[utoipa::path(tag = "calculator", security(("bearer" = [])), request_body = OverdueRequest, responses(
    (status = 200, body = OverdueResponse),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 422, body = Problem),
))]
#[post("/calculator/overdue")]
async fn calculate_overdue(
    actor: Auth,
    body: web::Json<OverdueRequest>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::CALCULATOR_USE)?;
    Ok(HttpResponse::Ok().json(calculator::overdue(&body)?))
}
