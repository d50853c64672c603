//! The OpenAPI document, derived from the handlers themselves. `chedai openapi` prints it and
//! `openapi/openapi.json` is the committed copy that a test keeps in step.

use actix_web::App;
use utoipa::OpenApi;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa_actix_web::AppExt;

use crate::routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Chedai API",
        description = "车贷 — the back office of vehicle-secured lending. Amounts and rates are decimal \
strings, dates `YYYY-MM-DD`, timestamps RFC 3339 UTC. Errors are `application/problem+json` with a \
stable `code`. Each operation names the permission it needs.",
        version = "0.1.0"
    ),
    tags(
        (name = "auth", description = "Sign-in, tokens and passwords"),
        (name = "organisation", description = "组织架构: departments, users, roles, positions, employees"),
        (name = "audit", description = "The audit log"),
        (name = "calculator", description = "还款试算: the loan calculator"),
        (name = "risk", description = "风控: rule set versions, scorecard, external providers, screenings"),
        (name = "customers", description = "客户管理: individuals, enterprises, blacklist, grades, prospects, bank accounts, documents"),
        (name = "collateral", description = "评估管理 / 车辆管理: vehicles, photos, appraisals"),
        (name = "products", description = "贷款产品: loan products, their loan-method settings and terms versions"),
        (name = "origination", description = "贷款申请: applications, assignment (分单), pre-loan investigation (贷前调查)"),
        (name = "credit", description = "授信: credit line applications, their review, approved amount and validity, freezing, use by loans"),
        (name = "committee", description = "贷审会: review committees, meetings, attendance, named votes, recusal, decisions"),
        (name = "finance", description = "资金与账务: disbursements, repayments, loans and their sub-ledgers, reconciliation"),
        (name = "ledger", description = "总账: chart of accounts, vouchers, trial balance, the business date"),
        (name = "close", description = "日终: the daily close, its runs and their progress"),
        (name = "post_loan", description = "贷后管理: warnings (贷后预警) and their handling, the warning rules, the GPS status feed, the outbox of reminders (消息发件箱)"),
        (name = "reports", description = "报表: the average daily balance (日均余额) and the portfolio's quality (资产质量) from the daily close's snapshots"),
        (name = "workflow", description = "审批流程: flow definitions as graphs, my tasks, approve / reject / return / transfer"),
    )
)]
struct ApiDoc;

/// The parts of the document that do not come from a handler.
pub fn base() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    let components = doc.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "bearer",
        SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
    );
    doc
}

/// The whole document.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, document) = App::new()
        .into_utoipa_app()
        .openapi(base())
        .service(utoipa_actix_web::scope("/api/v1").configure(routes::configure))
        .split_for_parts();
    document
}

/// The document as the committed file holds it: pretty JSON with a final newline.
pub fn openapi_json() -> String {
    let mut text = openapi().to_pretty_json().expect("the document serialises");
    text.push('\n');
    text
}
