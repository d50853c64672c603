//! Loans as finance services them (贷款台账 / 分户账) and the reconciliation.

use actix_web::{HttpResponse, get, web};
use iam::perm;
use kernel::{Page, PageRequest};
use loans::service::loan_accounts::{self, Loan, LoanDetail, LoanFilter};
use loans::service::reconciliation::{self, Reconciliation};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Auth;
use crate::{ApiResult, AppState, Problem};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_loans).service(get_loan).service(reconcile);
}

/// Loans in my data scope, newest first, with outstanding principal and days past due on the
/// business date; `overdue=true` gives the overdue ledger (逾期台账).
///
/// Permission: `loan:read`.
#[utoipa::path(tag = "finance", security(("bearer" = [])), params(PageRequest, LoanFilter), responses(
    (status = 200, body = Page<Loan>),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
))]
#[get("/loans")]
async fn list_loans(
    state: web::Data<AppState>,
    actor: Auth,
    page: web::Query<PageRequest>,
    filter: web::Query<LoanFilter>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::LOAN_READ)?;
    Ok(HttpResponse::Ok().json(loan_accounts::list(&state.loans, &actor, &filter, &page).await?))
}

/// One loan: its servicing terms, sub-ledger, and installments as of the business date, with
/// penalty and compound interest owed on overdue ones.
///
/// Permission: `loan:read`.
#[utoipa::path(tag = "finance", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = LoanDetail),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
))]
#[get("/loans/{id}")]
async fn get_loan(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::LOAN_READ)?;
    Ok(HttpResponse::Ok().json(loan_accounts::get(&state.loans, &actor, *id).await?))
}

/// The reconciliation (总分核对): Σ loan sub-ledgers against the control accounts, loan by
/// loan, and total debits against total credits.
///
/// Permission: `ledger:read`.
#[utoipa::path(tag = "finance", security(("bearer" = [])), responses(
    (status = 200, body = Reconciliation),
    (status = 401, body = Problem), (status = 403, body = Problem),
))]
#[get("/reconciliation")]
async fn reconcile(state: web::Data<AppState>, actor: Auth) -> ApiResult<HttpResponse> {
    actor.require(perm::LEDGER_READ)?;
    Ok(HttpResponse::Ok().json(reconciliation::run(&state.db).await?))
}
