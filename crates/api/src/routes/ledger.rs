//! The general ledger (总账): accounts, vouchers, trial balance, the business date.

use actix_web::{HttpResponse, get, post, put, web};
use iam::perm;
use kernel::{Page, PageRequest};
use ledgers::service::accounts::{self, Account, AccountUpdate, NewSubAccount};
use ledgers::service::business_date::{self, AdvanceInput, BusinessDate};
use ledgers::service::journal::{self, CashJournal, FundSummaryRow, JournalQuery};
use ledgers::service::trial_balance::{self, TrialBalance};
use ledgers::service::vouchers::{self, ManualVoucher, Voucher, VoucherFilter, VoucherReview};
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
        .service(advance_business_date)
        .service(create_manual_voucher)
        .service(review_manual_voucher)
        .service(get_cash_journal)
        .service(get_fund_summary);
}

/// Write a manual voucher (手工凭证), pending until someone else reviews it. The loans'
/// control accounts (1303, 1132, 224101) are refused: they move only with money events.
///
/// Permission: `ledger:voucher:write`.
#[utoipa::path(tag = "ledger", security(("bearer" = [])), request_body = ManualVoucher, responses(
    (status = 201, body = Voucher),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 409, body = Problem, description = "`period_closed`"),
    (status = 422, body = Problem, description = "`validation_failed` (`summary`, `voucherDate`, `lines[k].accountCode`: `control_account`), `voucher_unbalanced`, `voucher_too_short`, `account_not_postable`"),
))]
#[post("/vouchers")]
async fn create_manual_voucher(
    state: web::Data<AppState>,
    actor: Auth,
    body: web::Json<ManualVoucher>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::LEDGER_VOUCHER_WRITE)?;
    Ok(HttpResponse::Created().json(vouchers::create_manual(&state.ledgers, &actor, &body).await?))
}

/// Review a pending manual voucher (凭证审核): post or reject it; never one's own.
///
/// Permission: `ledger:voucher:review`.
#[utoipa::path(tag = "ledger", security(("bearer" = [])), params(("id" = i64, Path)), request_body = VoucherReview, responses(
    (status = 200, body = Voucher),
    (status = 400, body = Problem), (status = 401, body = Problem),
    (status = 403, body = Problem, description = "`maker_checker`"),
    (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`invalid_transition`, `period_closed`"),
    (status = 422, body = Problem, description = "`validation_failed` (`comment`)"),
))]
#[post("/vouchers/{id}/review")]
async fn review_manual_voucher(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<VoucherReview>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::LEDGER_VOUCHER_REVIEW)?;
    Ok(HttpResponse::Ok().json(vouchers::review_manual(&state.ledgers, &actor, *id, &body).await?))
}

/// The cash journal (资金日记账) of a cash or bank account: each posting with the running
/// balance.
///
/// Permission: `ledger:read`.
#[utoipa::path(tag = "ledger", security(("bearer" = [])), params(("code" = String, Path), JournalQuery), responses(
    (status = 200, body = CashJournal),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem),
    (status = 422, body = Problem, description = "`validation_failed` (`code`: `not_a_fund_account`, `to`)"),
))]
#[get("/cash-journal/{code}")]
async fn get_cash_journal(
    state: web::Data<AppState>,
    actor: Auth,
    code: web::Path<String>,
    range: web::Query<JournalQuery>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::LEDGER_READ)?;
    Ok(HttpResponse::Ok().json(journal::cash_journal(&state.ledgers, &code, &range).await?))
}

/// The fund summary (资金汇总): every cash and bank account's opening, receipts, payments and
/// closing over a range.
///
/// Permission: `ledger:read`.
#[utoipa::path(tag = "ledger", security(("bearer" = [])), params(JournalQuery), responses(
    (status = 200, body = Vec<FundSummaryRow>),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 422, body = Problem, description = "`validation_failed` (`to`)"),
))]
#[get("/fund-summary")]
async fn get_fund_summary(
    state: web::Data<AppState>,
    actor: Auth,
    range: web::Query<JournalQuery>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::LEDGER_READ)?;
    Ok(HttpResponse::Ok().json(journal::fund_summary(&state.ledgers, &range).await?))
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
