//! Reports fed by the daily close's balance snapshots: the average daily balance (日均余额)
//! and the portfolio's quality (资产质量).

use actix_web::{HttpResponse, get, web};
use iam::perm;
use kernel::PageRequest;
use loans::service::balance_reports::{self, AdbQuery, AdbReport, QualityQuery, QualityReport};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Auth;
use crate::{ApiResult, AppState, Problem};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(average_daily_balance)
        .service(portfolio_quality);
}

/// The average daily balance of principal outstanding over [from, to] (both included), per
/// product or per loan: Σ balance × days ÷ days in the period, half-up to the fen. Days a
/// loan had no balance (before its first close, after settlement) count as zero. Within the
/// caller's data scope; per-loan lines are paged.
///
/// Permission: `report:portfolio:read`.
#[utoipa::path(tag = "reports", security(("bearer" = [])), params(AdbQuery, PageRequest), responses(
    (status = 200, body = AdbReport),
    (status = 400, body = Problem, description = "`bad_request` (`from`, `to` missing or not dates; `groupBy` not `product` or `loan`)"),
    (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 422, body = Problem, description = "`validation_failed` (`to`: `before_from`, `not_closed`, `too_long`)"),
))]
#[get("/reports/average-daily-balance")]
async fn average_daily_balance(
    state: web::Data<AppState>,
    actor: Auth,
    query: web::Query<AdbQuery>,
    page: web::Query<PageRequest>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::REPORT_PORTFOLIO_READ)?;
    Ok(HttpResponse::Ok()
        .json(balance_reports::average_daily_balance(&state.loans, &actor, &query, &page).await?))
}

/// The portfolio's quality at the end of a closed day (资产质量): loans, principal outstanding,
/// principal overdue and interest receivable per five-tier class and per product, with each
/// group's share of the principal. The whole book, whatever the caller's data scope.
///
/// Permission: `report:portfolio:read`.
#[utoipa::path(tag = "reports", security(("bearer" = [])), params(QualityQuery), responses(
    (status = 200, body = QualityReport),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
))]
#[get("/reports/portfolio-quality")]
async fn portfolio_quality(
    state: web::Data<AppState>,
    actor: Auth,
    query: web::Query<QualityQuery>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::REPORT_PORTFOLIO_READ)?;
    Ok(HttpResponse::Ok().json(balance_reports::portfolio_quality(&state.loans, &query).await?))
}
