//! Periods, the period-end close and the statements (期末结账 / 资产负债表 / 利润表).

use actix_web::{HttpResponse, get, post, web};
use iam::perm;
use ledgers::service::periods::{self, CloseCheck, CloseReport, Period, ReopenInput};
use ledgers::service::statements::{self, BalanceSheet, IncomeStatement};
use loans::service::books;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Auth;
use crate::{ApiResult, AppState, Problem};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_periods)
        .service(period_close_checks)
        .service(close_period)
        .service(reopen_period)
        .service(get_balance_sheet)
        .service(get_income_statement);
}

/// Accounting periods that have had vouchers, newest first, open or closed.
///
/// Permission: `ledger:read`.
#[utoipa::path(tag = "ledger", security(("bearer" = [])), responses(
    (status = 200, body = Vec<Period>),
    (status = 401, body = Problem), (status = 403, body = Problem),
))]
#[get("/periods")]
async fn list_periods(state: web::Data<AppState>, actor: Auth) -> ApiResult<HttpResponse> {
    actor.require(perm::LEDGER_READ)?;
    Ok(HttpResponse::Ok().json(periods::list(&state.ledgers).await?))
}

/// What closing the period needs, as it stands now: registrations checked, earlier periods
/// closed, no voucher awaiting review, the trial balance balanced.
///
/// Permission: `ledger:read`.
#[utoipa::path(tag = "ledger", security(("bearer" = [])), params(("period" = String, Path, description = "YYYY-MM")), responses(
    (status = 200, body = Vec<CloseCheck>),
    (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 422, body = Problem, description = "`validation_failed` (`period`)"),
))]
#[get("/periods/{period}/close-checks")]
async fn period_close_checks(
    state: web::Data<AppState>,
    actor: Auth,
    period: web::Path<String>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::LEDGER_READ)?;
    Ok(HttpResponse::Ok().json(books::close_checks(&state.loans, &period).await?))
}

/// Close the period (期末结账): when every check passes, carry income and expenses to 本年利润
/// (and 本年利润 to 利润分配 in December) and lock it against postings.
///
/// Permission: `ledger:period:close`.
#[utoipa::path(tag = "ledger", security(("bearer" = [])), params(("period" = String, Path, description = "YYYY-MM")), responses(
    (status = 200, body = CloseReport),
    (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 409, body = Problem, description = "`period_not_ready` (names the failed checks), `period_closed`"),
    (status = 422, body = Problem, description = "`validation_failed` (`period`)"),
))]
#[post("/periods/{period}/close")]
async fn close_period(
    state: web::Data<AppState>,
    actor: Auth,
    period: web::Path<String>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::LEDGER_PERIOD_CLOSE)?;
    Ok(HttpResponse::Ok().json(books::close_period(&state.loans, &actor, &period).await?))
}

/// Reopen the latest closed period (反结账), with a reason kept in the audit log.
///
/// Permission: `ledger:period:reopen`.
#[utoipa::path(tag = "ledger", security(("bearer" = [])), params(("period" = String, Path, description = "YYYY-MM")), request_body = ReopenInput, responses(
    (status = 200, body = Period),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`invalid_transition` (not closed), `later_period_closed`"),
    (status = 422, body = Problem, description = "`validation_failed` (`reason`)"),
))]
#[post("/periods/{period}/reopen")]
async fn reopen_period(
    state: web::Data<AppState>,
    actor: Auth,
    period: web::Path<String>,
    body: web::Json<ReopenInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::LEDGER_PERIOD_REOPEN)?;
    Ok(HttpResponse::Ok().json(periods::reopen(&state.ledgers, &actor, &period, &body).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct StatementQuery {
    /// `YYYY-MM`
    period: String,
}

/// The balance sheet (资产负债表) at the end of a period.
///
/// Permission: `ledger:read`.
#[utoipa::path(tag = "ledger", security(("bearer" = [])), params(StatementQuery), responses(
    (status = 200, body = BalanceSheet),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 422, body = Problem, description = "`validation_failed` (`period`)"),
))]
#[get("/balance-sheet")]
async fn get_balance_sheet(
    state: web::Data<AppState>,
    actor: Auth,
    query: web::Query<StatementQuery>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::LEDGER_READ)?;
    Ok(HttpResponse::Ok().json(statements::balance_sheet(&state.ledgers, &query.period).await?))
}

/// The income statement (利润表) of a period, with the year to date.
///
/// Permission: `ledger:read`.
#[utoipa::path(tag = "ledger", security(("bearer" = [])), params(StatementQuery), responses(
    (status = 200, body = IncomeStatement),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 422, body = Problem, description = "`validation_failed` (`period`)"),
))]
#[get("/income-statement")]
async fn get_income_statement(
    state: web::Data<AppState>,
    actor: Auth,
    query: web::Query<StatementQuery>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::LEDGER_READ)?;
    Ok(HttpResponse::Ok().json(statements::income_statement(&state.ledgers, &query.period).await?))
}
