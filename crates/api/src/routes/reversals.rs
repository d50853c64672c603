//! Reversals of confirmed repayments (还款冲正) and the early-repayment quotes: payoff
//! (提前结清试算) and partial prepayment (提前还款试算).

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use iam::perm;
use kernel::Money;
use kernel::{Page, PageRequest};
use loans::domain::money_events::Reamortisation;
use loans::domain::prepayment::PrepaymentPlan;
use loans::domain::servicing::PayoffFigures;
use loans::service::disbursements::CheckInput;
use loans::service::repayments;
use loans::service::reversals::{self, Reversal, ReversalFilter, ReversalRequest};
use serde::Deserialize;
use time::Date;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use super::idempotency_key;
use crate::auth::Auth;
use crate::{ApiResult, AppState, Problem};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_reversals)
        .service(request_reversal)
        .service(review_reversal)
        .service(payoff_quote)
        .service(prepayment_quote);
}

/// Reversal requests, newest first; `status=requested` is the approvers' queue.
///
/// Permission: `loan:read`.
#[utoipa::path(tag = "finance", security(("bearer" = [])), params(PageRequest, ReversalFilter), responses(
    (status = 200, body = Page<Reversal>),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
))]
#[get("/repayment-reversals")]
async fn list_reversals(
    state: web::Data<AppState>,
    actor: Auth,
    page: web::Query<PageRequest>,
    filter: web::Query<ReversalFilter>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::LOAN_READ)?;
    Ok(HttpResponse::Ok().json(reversals::list(&state.loans, &actor, &filter, &page).await?))
}

/// Ask for a confirmed repayment to be reversed, with the reason. Needs an `Idempotency-Key`.
///
/// Permission: `repayment:reverse`.
#[utoipa::path(tag = "finance", security(("bearer" = [])),
    params(("id" = i64, Path), ("Idempotency-Key" = String, Header, description = "A new UUID per request")),
    request_body = ReversalRequest, responses(
    (status = 201, body = Reversal),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`invalid_transition` (not confirmed), `reversal_exists`"),
    (status = 422, body = Problem, description = "`validation_failed` (`reason`)"),
))]
#[post("/repayments/{id}/reversals")]
async fn request_reversal(
    state: web::Data<AppState>,
    actor: Auth,
    req: HttpRequest,
    id: web::Path<i64>,
    body: web::Json<ReversalRequest>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::REPAYMENT_REVERSE)?;
    let key = idempotency_key(&req, &format!("POST /repayments/{id}/reversals"), &*body)?;
    Ok(HttpResponse::Created()
        .json(reversals::request(&state.loans, &actor, *id, &body, &key).await?))
}

/// Approve or reject a reversal; never one's own request. Approval restores the loan as the
/// repayment found it and posts the reversing voucher on the business date.
///
/// Permission: `repayment:reverse:approve`.
#[utoipa::path(tag = "finance", security(("bearer" = [])),
    params(("id" = i64, Path), ("Idempotency-Key" = String, Header, description = "A new UUID per request")),
    request_body = CheckInput, responses(
    (status = 200, body = Reversal),
    (status = 400, body = Problem), (status = 401, body = Problem),
    (status = 403, body = Problem, description = "`maker_checker`"),
    (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`version_conflict`, `invalid_transition`, `later_repayments`, `period_closed`"),
    (status = 422, body = Problem, description = "`validation_failed` (`comment`)"),
))]
#[post("/repayment-reversals/{id}/review")]
async fn review_reversal(
    state: web::Data<AppState>,
    actor: Auth,
    req: HttpRequest,
    id: web::Path<i64>,
    body: web::Json<CheckInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::REPAYMENT_REVERSE_APPROVE)?;
    let key = idempotency_key(
        &req,
        &format!("POST /repayment-reversals/{id}/review"),
        &*body,
    )?;
    Ok(HttpResponse::Ok().json(reversals::review(&state.loans, &actor, *id, &body, &key).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct QuoteQuery {
    /// The payoff date.
    date: Date,
}

/// The payoff quote (提前结清试算) of an active loan on a date: what is due, the principal not
/// yet due, its interest to the date, the prepayment fee (RULES.md §6).
///
/// Permission: `loan:read`.
#[utoipa::path(tag = "finance", security(("bearer" = [])), params(("id" = i64, Path), QuoteQuery), responses(
    (status = 200, body = PayoffFigures),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`loan_not_active`"),
    (status = 422, body = Problem, description = "`validation_failed` (`date`)"),
))]
#[get("/loans/{id}/payoff-quote")]
async fn payoff_quote(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    query: web::Query<QuoteQuery>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::LOAN_READ)?;
    Ok(HttpResponse::Ok()
        .json(repayments::payoff_quote(&state.loans, &actor, *id, query.date).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
struct PrepaymentQuery {
    /// A due date: the prepayment follows that day's installment.
    date: Date,
    /// The principal to repay ahead of the schedule.
    #[param(value_type = String)]
    principal: Money,
    /// `keep_term` (lower installments) or `keep_installment` (shorter term).
    #[param(inline)]
    reamortisation: Reamortisation,
}

/// The partial prepayment quote (提前还款试算) of an active loan: prepaying some principal on
/// a due date — what is due that day, the fee, the total to pay, and the re-amortised
/// schedule (RULES.md §6).
///
/// Permission: `loan:read`.
#[utoipa::path(tag = "finance", security(("bearer" = [])), params(("id" = i64, Path), PrepaymentQuery), responses(
    (status = 200, body = PrepaymentPlan),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`loan_not_active`, `paid_ahead`"),
    (status = 422, body = Problem, description = "`validation_failed` (`valueDate`: `not_a_due_date`, `last_installment`; `prepaidPrincipal`: `out_of_range`; `kind`: `partial_prepayment_not_allowed`)"),
))]
#[get("/loans/{id}/prepayment-quote")]
async fn prepayment_quote(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    query: web::Query<PrepaymentQuery>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::LOAN_READ)?;
    Ok(HttpResponse::Ok().json(
        repayments::prepayment_quote(
            &state.loans,
            &actor,
            *id,
            query.date,
            query.principal,
            query.reamortisation,
        )
        .await?,
    ))
}
