//! The extensions ledger (展期台账): loans whose maturity was extended (RULES.md §7), in the
//! actor's scope, filtered and paged. Granting extensions is a later capability; until it
//! exists the ledger is empty.

use rust_decimal::Decimal;
use sea_orm::{FromQueryResult, Value};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};

use iam::Actor;
use iam::service::scope;
use iam::service::sql::{self, Where};
use kernel::{AppError, AppResult, Money, Page, PageRequest, Rate};

use super::LoansContext;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Extension {
    pub id: i64,
    pub loan_id: i64,
    pub loan_no: String,
    pub customer_name: String,
    /// `requested`, `approved` or `rejected`.
    pub status: String,
    pub applied_on: Date,
    pub extension_months: i32,
    pub old_maturity: Date,
    pub new_maturity: Date,
    pub principal: Money,
    pub new_annual_rate: Rate,
    /// Granted for financial difficulty (a restructuring).
    pub restructuring: bool,
    pub requested_by_name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub requested_at: OffsetDateTime,
    pub approved_by_name: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct ExtensionFilter {
    pub status: Option<String>,
    /// Loan number or customer name, in part.
    pub q: Option<String>,
    /// Applied on or after / before.
    pub from: Option<Date>,
    pub to: Option<Date>,
}

#[derive(FromQueryResult)]
struct Row {
    id: i64,
    loan_id: i64,
    loan_no: String,
    customer_name: String,
    status: String,
    applied_on: Date,
    extension_months: i32,
    old_maturity: Date,
    new_maturity: Date,
    principal: Decimal,
    new_annual_rate: Decimal,
    restructuring: bool,
    requested_by_name: String,
    requested_at: OffsetDateTime,
    approved_by_name: Option<String>,
}

const COLUMNS: &str = "e.id, e.loan_id, l.loan_no, c.name AS customer_name, e.status, e.applied_on, \
    e.extension_months, e.old_maturity, e.new_maturity, e.principal, e.new_annual_rate, e.restructuring, \
    ru.display_name AS requested_by_name, e.requested_at, au.display_name AS approved_by_name";
const FROM: &str = "loan_extensions e JOIN loans l ON l.id = e.loan_id JOIN customers c ON c.id = l.customer_id \
    JOIN users ru ON ru.id = e.requested_by LEFT JOIN users au ON au.id = e.approved_by";
/// One's own: asked by one, or on a loan one manages.
const OWN: &str = "e.requested_by = $? OR l.manager_id = $?";

/// Extensions in the actor's scope, newest first.
pub async fn list(
    ctx: &LoansContext,
    actor: &Actor,
    filter: &ExtensionFilter,
    page: &PageRequest,
) -> AppResult<Page<Extension>> {
    let mut w = Where::new();
    scope::restrict(&mut w, actor, "e.department_id", OWN);
    if let Some(s) = filter.status.as_deref().filter(|s| !s.is_empty()) {
        w.and("e.status = $?", [Value::from(s)]);
    }
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        w.and(
            "(l.loan_no ILIKE $? OR c.name ILIKE $?)",
            [Value::from(sql::contains(q)), Value::from(sql::contains(q))],
        );
    }
    if let Some(d) = filter.from {
        w.and("e.applied_on >= $?", [Value::from(d)]);
    }
    if let Some(d) = filter.to {
        w.and("e.applied_on <= $?", [Value::from(d)]);
    }
    let rows: Page<Row> = w
        .page_counting_over(&ctx.db, COLUMNS, FROM, FROM, "e.id DESC", page)
        .await?;
    let total = rows.total;
    let items = rows
        .items
        .into_iter()
        .map(|r| {
            Ok(Extension {
                principal: Money::from_decimal(r.principal).map_err(AppError::internal)?,
                new_annual_rate: Rate::annual(r.new_annual_rate).map_err(AppError::internal)?,
                id: r.id,
                loan_id: r.loan_id,
                loan_no: r.loan_no,
                customer_name: r.customer_name,
                status: r.status,
                applied_on: r.applied_on,
                extension_months: r.extension_months,
                old_maturity: r.old_maturity,
                new_maturity: r.new_maturity,
                restructuring: r.restructuring,
                requested_by_name: r.requested_by_name,
                requested_at: r.requested_at,
                approved_by_name: r.approved_by_name,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    Ok(Page::new(items, total, page))
}
