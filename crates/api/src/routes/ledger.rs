//! The general ledger (总账): accounts, vouchers, trial balance, the business date.

use actix_web::{HttpResponse, get, post, put, web};
use iam::perm;
use kernel::{Page, PageRequest};
use ledgers::service::accounts::{self, Account, AccountUpdate, NewSubAccount};
use ledgers::service::business_date::{self, AdvanceInput, BusinessDate};
use ledgers::service::trial_balance::{self, TrialBalance};
use ledgers::service::vouchers::{self, Voucher, VoucherFilter};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Auth;
use crate::{ApiResult, AppState, Problem};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_accounts)
        .service(create_account)
        .service(update_account)
        .service(list_vouchers)
        .service(get_voucher)
        .service(get_trial_balance)
        .service(get_business_date)
        .service(advance_business_date);
}

/// The chart of accounts (会计科目) in code order.
///
/// Permission: `ledger:read`.
#[utoipa::path(tag = "ledger", security(("bearer" = [])), responses(
    (status = 200, body = Vec<Account>),
    (status = 401, body = Problem), (status = 403, body = Problem),
))]
#[get("/accounts")]
async fn list_accounts(state: web::Data<AppState>, actor: Auth) -> ApiResult<HttpResponse> {
    actor.require(perm::LEDGER_READ)?;
    Ok(HttpResponse::Ok().json(accounts::list(&state.ledgers).await?))
}

/// Add a sub-account (a bank account under 1002, say). It takes its parent's type.
///
/// Permission: `ledger:write`.
#[utoipa::path(tag = "ledger", security(("bearer" = [])), request_body = NewSubAccount, responses(
    (status = 201, body = Account),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 409, body = Problem, description = "`account_in_use`: the parent has postings of its own"),
    (status = 422, body = Problem, description = "`validation_failed` (`code`, `name`, `parentCode`)"),
))]
#[post("/accounts")]
async fn create_account(
    state: web::Data<AppState>,
    actor: Auth,
    body: web::Json<NewSubAccount>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::LEDGER_WRITE)?;
    Ok(HttpResponse::Created().json(accounts::create(&state.ledgers, &actor, &body).await?))
}

/// Rename, disable or enable an account. Its code and type never change.
///
/// Permission: `ledger:write`.
#[utoipa::path(tag = "ledger", security(("bearer" = [])), params(("code" = String, Path)), request_body = AccountUpdate, responses(
    (status = 200, body = Account),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`version_conflict`"),
    (status = 422, body = Problem, description = "`validation_failed` (`name`)"),
))]
#[put("/accounts/{code}")]
async fn update_account(
    state: web::Data<AppState>,
    actor: Auth,
    code: web::Path<String>,
    body: web::Json<AccountUpdate>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::LEDGER_WRITE)?;
    Ok(HttpResponse::Ok().json(accounts::update(&state.ledgers, &actor, &code, &body).await?))
}

/// Vouchers with their lines, newest first (财务凭证).
///
/// Permission: `ledger:read`.
#[utoipa::path(tag = "ledger", security(("bearer" = [])), params(PageRequest, VoucherFilter), responses(
    (status = 200, body = Page<Voucher>),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
))]
#[get("/vouchers")]
async fn list_vouchers(
    state: web::Data<AppState>,
    actor: Auth,
    page: web::Query<PageRequest>,
    filter: web::Query<VoucherFilter>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::LEDGER_READ)?;
    Ok(HttpResponse::Ok().json(vouchers::list(&state.ledgers, &filter, &page).await?))
}

/// One voucher with its lines.
///
/// Permission: `ledger:read`.
#[utoipa::path(tag = "ledger", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = Voucher),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
))]
#[get("/vouchers/{id}")]
async fn get_voucher(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::LEDGER_READ)?;
    Ok(HttpResponse::Ok().json(vouchers::get(&state.db, *id).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct PeriodQuery {
    /// `YYYY-MM`
    period: String,
}

/// The trial balance (科目余额表) of a period: opening, debits, credits and closing per
/// account, parents rolled up.
///
/// Permission: `ledger:read`.
#[utoipa::path(tag = "ledger", security(("bearer" = [])), params(PeriodQuery), responses(
    (status = 200, body = TrialBalance),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 422, body = Problem, description = "`validation_failed` (`period`)"),
))]
#[get("/trial-balance")]
async fn get_trial_balance(
    state: web::Data<AppState>,
    actor: Auth,
    query: web::Query<PeriodQuery>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::LEDGER_READ)?;
    Ok(HttpResponse::Ok().json(trial_balance::for_period(&state.ledgers, &query.period).await?))
}

/// The business date (营业日期) loans live on.
///
/// Needs a signed-in user; no permission.
#[utoipa::path(tag = "ledger", security(("bearer" = [])), responses(
    (status = 200, body = BusinessDate),
    (status = 401, body = Problem),
))]
#[get("/business-date")]
async fn get_business_date(state: web::Data<AppState>, _actor: Auth) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(business_date::get(&state.ledgers).await?))
}

/// Move the business date forward by hand, with a reason (audited). The daily close moves it
/// otherwise.
///
/// Permission: `business_date:advance`.
#[utoipa::path(tag = "ledger", security(("bearer" = [])), request_body = AdvanceInput, responses(
    (status = 200, body = BusinessDate),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 422, body = Problem, description = "`validation_failed` (`to`: `not_after_current`, `in_future`; `reason`)"),
))]
#[post("/business-date/advance")]
async fn advance_business_date(
    state: web::Data<AppState>,
    actor: Auth,
    body: web::Json<AdvanceInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::BUSINESS_DATE_ADVANCE)?;
    Ok(HttpResponse::Ok().json(business_date::advance(&state.ledgers, &actor, &body).await?))
}
