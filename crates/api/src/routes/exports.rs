//! The books and the operational ledgers as files (XLSX or PDF).

use actix_web::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use actix_web::{HttpResponse, get, web};
use iam::perm;
use kernel::{Page, PageRequest};
use ledgers::service::exports::{self, Export, FormatQuery};
use ledgers::service::journal::{self, JournalQuery};
use ledgers::service::{statements, trial_balance};
use loans::service::disbursements::DisbursementFilter;
use loans::service::due_notices::{self, DueNoticeQuery};
use loans::service::extensions::{self, Extension, ExtensionFilter};
use loans::service::loan_accounts::LoanFilter;
use loans::service::operational_ledgers;
use loans::service::repayments::RepaymentFilter;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Auth;
use crate::{ApiResult, AppState, Problem};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(export_trial_balance)
        .service(export_balance_sheet)
        .service(export_income_statement)
        .service(export_cash_journal)
        .service(export_fund_summary)
        .service(export_loans)
        .service(export_disbursements)
        .service(export_repayments)
        .service(export_extensions)
        .service(list_extensions)
        .service(export_due_notices);
}

/// Due notices (还款通知书: 待收利息 / 待收咨询费) as one PDF, a page per loan with the
/// installments falling due in the range; 404 `nothing_due` when none does.
///
/// Permission: `loan:read`.
#[utoipa::path(tag = "finance", security(("bearer" = [])), params(DueNoticeQuery), responses(
    (status = 200, content_type = "application/pdf", body = String, description = "The notices"),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem, description = "`nothing_due`"),
    (status = 422, body = Problem, description = "`validation_failed` (`to`)"),
))]
#[get("/exports/due-notices")]
async fn export_due_notices(
    state: web::Data<AppState>,
    actor: Auth,
    query: web::Query<DueNoticeQuery>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::LOAN_READ)?;
    let bytes = due_notices::pdf(&state.loans, &actor, &query)
        .await?
        .ok_or_else(|| {
            kernel::AppError::new(
                kernel::ErrorKind::NotFound,
                "nothing_due",
                "no installment falls due in that range",
            )
        })?;
    Ok(file(Export {
        content_type: "application/pdf",
        file_name: format!("due-notices-{}.pdf", query.from),
        bytes,
    }))
}

fn file(export: Export) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, export.content_type))
        .insert_header((
            CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}\"", export.file_name),
        ))
        .body(export.bytes)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct PeriodQuery {
    /// `YYYY-MM`
    period: String,
}

/// The trial balance of a period as XLSX or PDF.
///
/// Permission: `ledger:read`.
#[utoipa::path(tag = "ledger", security(("bearer" = [])), params(PeriodQuery, FormatQuery), responses(
    (status = 200, content_type = "application/octet-stream", body = String, description = "The file"),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 422, body = Problem, description = "`validation_failed` (`period`)"),
))]
#[get("/exports/trial-balance")]
async fn export_trial_balance(
    state: web::Data<AppState>,
    actor: Auth,
    period: web::Query<PeriodQuery>,
    format: web::Query<FormatQuery>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::LEDGER_READ)?;
    let tb = trial_balance::for_period(&state.ledgers, &period.period).await?;
    let stem = format!("trial-balance-{}", period.period);
    Ok(file(exports::render(
        &exports::trial_balance(&tb),
        &period.period,
        format.format,
        &stem,
    )?))
}

/// The balance sheet at a period's end as XLSX or PDF.
///
/// Permission: `ledger:read`.
#[utoipa::path(tag = "ledger", security(("bearer" = [])), params(PeriodQuery, FormatQuery), responses(
    (status = 200, content_type = "application/octet-stream", body = String, description = "The file"),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 422, body = Problem, description = "`validation_failed` (`period`)"),
))]
#[get("/exports/balance-sheet")]
async fn export_balance_sheet(
    state: web::Data<AppState>,
    actor: Auth,
    period: web::Query<PeriodQuery>,
    format: web::Query<FormatQuery>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::LEDGER_READ)?;
    let bs = statements::balance_sheet(&state.ledgers, &period.period).await?;
    let stem = format!("balance-sheet-{}", period.period);
    Ok(file(exports::render(
        &exports::balance_sheet(&bs),
        &period.period,
        format.format,
        &stem,
    )?))
}

/// The income statement of a period as XLSX or PDF.
///
/// Permission: `ledger:read`.
#[utoipa::path(tag = "ledger", security(("bearer" = [])), params(PeriodQuery, FormatQuery), responses(
    (status = 200, content_type = "application/octet-stream", body = String, description = "The file"),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 422, body = Problem, description = "`validation_failed` (`period`)"),
))]
#[get("/exports/income-statement")]
async fn export_income_statement(
    state: web::Data<AppState>,
    actor: Auth,
    period: web::Query<PeriodQuery>,
    format: web::Query<FormatQuery>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::LEDGER_READ)?;
    let is = statements::income_statement(&state.ledgers, &period.period).await?;
    let stem = format!("income-statement-{}", period.period);
    Ok(file(exports::render(
        &exports::income_statement(&is),
        &period.period,
        format.format,
        &stem,
    )?))
}

/// The cash journal (资金日记账) of a fund account as XLSX or PDF.
///
/// Permission: `ledger:read`.
#[utoipa::path(tag = "ledger", security(("bearer" = [])), params(("code" = String, Path), JournalQuery, FormatQuery), responses(
    (status = 200, content_type = "application/octet-stream", body = String, description = "The file"),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem),
    (status = 422, body = Problem, description = "`validation_failed` (`code`, `to`)"),
))]
#[get("/exports/cash-journal/{code}")]
async fn export_cash_journal(
    state: web::Data<AppState>,
    actor: Auth,
    code: web::Path<String>,
    range: web::Query<JournalQuery>,
    format: web::Query<FormatQuery>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::LEDGER_READ)?;
    let j = journal::cash_journal(&state.ledgers, &code, &range).await?;
    let subtitle = format!("{} 至 {}", range.from, range.to);
    let stem = format!("cash-journal-{code}-{}", range.from);
    Ok(file(exports::render(
        &exports::cash_journal(&j),
        &subtitle,
        format.format,
        &stem,
    )?))
}

/// The fund summary (资金汇总) as XLSX or PDF.
///
/// Permission: `ledger:read`.
#[utoipa::path(tag = "ledger", security(("bearer" = [])), params(JournalQuery, FormatQuery), responses(
    (status = 200, content_type = "application/octet-stream", body = String, description = "The file"),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 422, body = Problem, description = "`validation_failed` (`to`)"),
))]
#[get("/exports/fund-summary")]
async fn export_fund_summary(
    state: web::Data<AppState>,
    actor: Auth,
    range: web::Query<JournalQuery>,
    format: web::Query<FormatQuery>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::LEDGER_READ)?;
    let rows = journal::fund_summary(&state.ledgers, &range).await?;
    let subtitle = format!("{} 至 {}", range.from, range.to);
    let stem = format!("fund-summary-{}", range.from);
    Ok(file(exports::render(
        &exports::fund_summary(&rows, range.from, range.to),
        &subtitle,
        format.format,
        &stem,
    )?))
}

/// The loan ledger (贷款台账; `overdue=true`: 逾期台账), every row of the filter.
///
/// Permission: `loan:read`.
#[utoipa::path(tag = "finance", security(("bearer" = [])), params(LoanFilter, FormatQuery), responses(
    (status = 200, content_type = "application/octet-stream", body = String, description = "The file"),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
))]
#[get("/exports/loans")]
async fn export_loans(
    state: web::Data<AppState>,
    actor: Auth,
    filter: web::Query<LoanFilter>,
    format: web::Query<FormatQuery>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::LOAN_READ)?;
    let table = operational_ledgers::loans(&state.loans, &actor, &filter).await?;
    Ok(file(exports::render(&table, "", format.format, "loans")?))
}

/// The disbursement ledger (放款台账), every row of the filter.
///
/// Permission: `loan:read`.
#[utoipa::path(tag = "finance", security(("bearer" = [])), params(DisbursementFilter, FormatQuery), responses(
    (status = 200, content_type = "application/octet-stream", body = String, description = "The file"),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
))]
#[get("/exports/disbursements")]
async fn export_disbursements(
    state: web::Data<AppState>,
    actor: Auth,
    filter: web::Query<DisbursementFilter>,
    format: web::Query<FormatQuery>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::LOAN_READ)?;
    let table = operational_ledgers::disbursements(&state.loans, &actor, &filter).await?;
    Ok(file(exports::render(
        &table,
        "",
        format.format,
        "disbursements",
    )?))
}

/// The extensions ledger (展期台账), every row of the filter.
///
/// Permission: `loan:read`.
#[utoipa::path(tag = "finance", security(("bearer" = [])), params(ExtensionFilter, FormatQuery), responses(
    (status = 200, content_type = "application/octet-stream", body = String, description = "The file"),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
))]
#[get("/exports/extensions")]
async fn export_extensions(
    state: web::Data<AppState>,
    actor: Auth,
    filter: web::Query<ExtensionFilter>,
    format: web::Query<FormatQuery>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::LOAN_READ)?;
    let table = operational_ledgers::extensions(&state.loans, &actor, &filter).await?;
    Ok(file(exports::render(
        &table,
        "",
        format.format,
        "extensions",
    )?))
}

/// The extensions ledger (展期台账) page by page: extended loans, with the old and new
/// maturity, the principal extended and the new rate. Empty until extensions are granted.
///
/// Permission: `loan:read`.
#[utoipa::path(tag = "finance", security(("bearer" = [])), params(ExtensionFilter, PageRequest), responses(
    (status = 200, body = Page<Extension>),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
))]
#[get("/extensions")]
async fn list_extensions(
    state: web::Data<AppState>,
    actor: Auth,
    filter: web::Query<ExtensionFilter>,
    page: web::Query<PageRequest>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::LOAN_READ)?;
    Ok(HttpResponse::Ok().json(extensions::list(&state.loans, &actor, &filter, &page).await?))
}

/// The repayment ledger (还款台账), every row of the filter.
///
/// Permission: `loan:read`.
#[utoipa::path(tag = "finance", security(("bearer" = [])), params(RepaymentFilter, FormatQuery), responses(
    (status = 200, content_type = "application/octet-stream", body = String, description = "The file"),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
))]
#[get("/exports/repayments")]
async fn export_repayments(
    state: web::Data<AppState>,
    actor: Auth,
    filter: web::Query<RepaymentFilter>,
    format: web::Query<FormatQuery>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::LOAN_READ)?;
    let table = operational_ledgers::repayments(&state.loans, &actor, &filter).await?;
    Ok(file(exports::render(
        &table,
        "",
        format.format,
        "repayments",
    )?))
}
