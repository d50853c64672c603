//! The reports the close's balance snapshots feed: the average daily balance (日均余额) from
//! each loan's balance history, and the portfolio's quality (资产质量) on a closed day from the
//! day's aggregate.

use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Statement, Value};
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::{IntoParams, ToSchema};

use iam::Actor;
use iam::service::scope;
use iam::service::sql::Where;
use kernel::{AppError, AppResult, Money, PageRequest, round_half_up};
use ledgers::service::business_date;

use super::{LoansContext, db_error};
use crate::domain::average_balance::{average, check_period, days_in};
use crate::domain::classification::{RiskClass, parse_class};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AdbGroupBy {
    #[default]
    Product,
    Loan,
}

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct AdbQuery {
    /// First day of the period.
    pub from: Date,
    /// Last day of the period, included; a closed day (before the business date).
    pub to: Date,
    /// `product` (default) or `loan`.
    pub group_by: Option<AdbGroupBy>,
    /// One loan only.
    pub loan_id: Option<i64>,
}

/// One line of the average-daily-balance report: a product, or a loan with its product.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AdbLine {
    pub product_code: String,
    pub loan_id: Option<i64>,
    pub loan_no: Option<String>,
    /// Σ principal outstanding × days (积数) over the period.
    #[schema(value_type = String)]
    pub balance_days: Decimal,
    /// The balance-days ÷ the days of the period, half-up to the fen.
    pub average_daily_balance: Money,
}

/// 日均余额: principal outstanding averaged over the days of [from, to].
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AdbReport {
    pub from: Date,
    pub to: Date,
    pub days: i64,
    pub group_by: AdbGroupBy,
    /// Over every line (not only this page).
    pub average_daily_balance: Money,
    pub items: Vec<AdbLine>,
    pub total: u64,
    pub page: u64,
    pub page_size: u64,
}

/// One's own: loans one manages.
const OWN: &str = "l.manager_id = $?";

/// The average daily balance of [from, to] per product or per loan (one page of lines), and
/// over all of them, from the balance history within the actor's data scope. Days before a
/// loan's first snapshot count as zero, as days after it settled do.
pub async fn average_daily_balance(
    ctx: &LoansContext,
    actor: &Actor,
    q: &AdbQuery,
    page: &PageRequest,
) -> AppResult<AdbReport> {
    let today = business_date::today(&ctx.db, &ctx.clock).await?;
    check_period(q.from, q.to, today).map_err(|e| AppError::validation(vec![e]))?;
    let group_by = q.group_by.unwrap_or_default();
    let days = days_in(q.from, q.to);
    let mut w = Where::new();
    w.and(
        "h.valid_from <= $? AND (h.valid_to IS NULL OR h.valid_to > $?)",
        [Value::from(q.to), Value::from(q.from)],
    );
    scope::restrict(&mut w, actor, "l.department_id", OWN);
    if let Some(id) = q.loan_id {
        w.and("l.id = $?", [Value::from(id)]);
    }
    let key = match group_by {
        AdbGroupBy::Product => {
            "pr.code AS product_code, NULL::bigint AS loan_id, NULL::text AS loan_no"
        }
        AdbGroupBy::Loan => "pr.code AS product_code, l.id AS loan_id, l.loan_no",
    };
    let group = match group_by {
        AdbGroupBy::Product => "pr.code",
        AdbGroupBy::Loan => "l.id, pr.code, l.loan_no",
    };
    let (grouped, values) = grouped(&w, q, key, group);
    let totals = Totals::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!(
            "SELECT count(*) AS groups, coalesce(sum(balance_days), 0) AS overall FROM ({grouped}) g"
        ),
        values.clone(),
    ))
    .one(&ctx.db)
    .await
    .map_err(db_error)?
    .ok_or_else(|| AppError::internal("no totals"))?;
    let rows = Line::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!(
            "{grouped} ORDER BY {group} LIMIT {} OFFSET {}",
            page.page_size(),
            page.offset()
        ),
        values,
    ))
    .all(&ctx.db)
    .await
    .map_err(db_error)?;
    Ok(AdbReport {
        from: q.from,
        to: q.to,
        days,
        group_by,
        average_daily_balance: average(totals.overall, days),
        items: rows
            .into_iter()
            .map(|r| AdbLine {
                average_daily_balance: average(r.balance_days, days),
                product_code: r.product_code,
                loan_id: r.loan_id,
                loan_no: r.loan_no,
                balance_days: r.balance_days,
            })
            .collect(),
        total: totals.groups as u64,
        page: page.page(),
        page_size: page.page_size(),
    })
}

#[derive(FromQueryResult)]
struct Totals {
    groups: i64,
    overall: Decimal,
}

#[derive(FromQueryResult)]
struct Line {
    product_code: String,
    loan_id: Option<i64>,
    loan_no: Option<String>,
    balance_days: Decimal,
}

/// Σ principal outstanding × the days of [from, to] each history row covers, per group. A
/// row covers from its valid_from (or `from`) up to its valid_to (or the day after `to`).
fn grouped(w: &Where, q: &AdbQuery, key: &str, group: &str) -> (String, Vec<Value>) {
    let mut values = w.values();
    let n = values.len();
    values.extend([Value::from(q.to), Value::from(q.from)]);
    let sql = format!(
        "SELECT {key}, sum(h.principal_outstanding * greatest(0, \
           least(coalesce(h.valid_to, ${to}::date + 1), ${to}::date + 1) \
           - greatest(h.valid_from, ${from}::date))) AS balance_days \
         FROM loan_balance_history h JOIN loans l ON l.id = h.loan_id \
           JOIN loan_applications a ON a.id = l.application_id JOIN loan_products pr ON pr.id = a.product_id \
         WHERE {} GROUP BY {group}",
        w.sql(),
        to = n + 1,
        from = n + 2
    );
    (sql, values)
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct QualityQuery {
    /// A closed business date; the latest one snapshotted when absent.
    pub date: Option<Date>,
}

/// Loans of one group at the end of the day.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct QualityFigures {
    pub loan_count: i64,
    pub principal_outstanding: Money,
    pub principal_overdue: Money,
    pub interest_receivable: Money,
    /// This group's share of the principal outstanding, in percent, half-up to 2 places.
    #[schema(value_type = String)]
    pub share_pct: Decimal,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct QualityLine {
    /// Null on the per-class lines.
    pub product_code: Option<String>,
    pub classification: RiskClass,
    #[serde(flatten)]
    pub figures: QualityFigures,
}

/// 资产质量: the book at the end of a closed day by five-tier class and product.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct QualityReport {
    /// None when no close has snapshotted a day yet.
    pub date: Option<Date>,
    /// Per class, best first, over every product.
    pub by_class: Vec<QualityLine>,
    /// Per product and class.
    pub by_product: Vec<QualityLine>,
    pub total: QualityFigures,
}

#[derive(FromQueryResult)]
struct QualityRow {
    product_code: String,
    classification: String,
    loan_count: i64,
    principal_outstanding: Decimal,
    principal_overdue: Decimal,
    interest_receivable: Decimal,
}

/// The quality report of `date`, summed over the close's partitions. It covers the whole book
/// (the aggregate is not kept per department), which is why it has a permission of its own.
pub async fn portfolio_quality(ctx: &LoansContext, q: &QualityQuery) -> AppResult<QualityReport> {
    let date: Option<Date> = match q.date {
        Some(d) => Some(d),
        None => ctx
            .db
            .query_one_raw(Statement::from_string(
                DbBackend::Postgres,
                "SELECT max(business_date) AS d FROM portfolio_quality_daily",
            ))
            .await
            .map_err(db_error)?
            .map(|r| r.try_get::<Option<Date>>("", "d"))
            .transpose()
            .map_err(db_error)?
            .flatten(),
    };
    let rows = match date {
        Some(d) => QualityRow::find_by_statement(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT product_code, classification, sum(loan_count)::bigint AS loan_count, \
               sum(principal_outstanding) AS principal_outstanding, sum(principal_overdue) AS principal_overdue, \
               sum(interest_receivable) AS interest_receivable \
             FROM portfolio_quality_daily WHERE business_date = $1 \
             GROUP BY product_code, classification ORDER BY product_code, classification",
            [Value::from(d)],
        ))
        .all(&ctx.db)
        .await
        .map_err(db_error)?,
        None => vec![],
    };
    let mut by_product = vec![];
    for r in rows {
        by_product.push((
            r.product_code,
            parse_class(&r.classification)?,
            [
                r.principal_outstanding,
                r.principal_overdue,
                r.interest_receivable,
            ],
            r.loan_count,
        ));
    }
    by_product.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    let (total_figures, total_count) = add_up(by_product.iter().map(|l| (l.2, l.3)));
    let whole = total_figures[0];
    let figures = |f: [Decimal; 3], n: i64| -> AppResult<QualityFigures> {
        let money = |d: Decimal| Money::from_decimal(d).map_err(AppError::internal);
        Ok(QualityFigures {
            loan_count: n,
            principal_outstanding: money(f[0])?,
            principal_overdue: money(f[1])?,
            interest_receivable: money(f[2])?,
            share_pct: share_pct(f[0], whole),
        })
    };
    let mut by_class = vec![];
    for class in [
        RiskClass::Normal,
        RiskClass::SpecialMention,
        RiskClass::Substandard,
        RiskClass::Doubtful,
        RiskClass::Loss,
    ] {
        if !by_product.iter().any(|l| l.1 == class) {
            continue;
        }
        let (f, n) = add_up(
            by_product
                .iter()
                .filter(|l| l.1 == class)
                .map(|l| (l.2, l.3)),
        );
        by_class.push(QualityLine {
            product_code: None,
            classification: class,
            figures: figures(f, n)?,
        });
    }
    Ok(QualityReport {
        date,
        by_class,
        by_product: by_product
            .into_iter()
            .map(|(product, class, f, n)| {
                Ok(QualityLine {
                    product_code: Some(product),
                    classification: class,
                    figures: figures(f, n)?,
                })
            })
            .collect::<AppResult<Vec<_>>>()?,
        total: figures(total_figures, total_count)?,
    })
}

/// Sums (principal outstanding, principal overdue, interest receivable) and the loan counts.
fn add_up(lines: impl Iterator<Item = ([Decimal; 3], i64)>) -> ([Decimal; 3], i64) {
    lines.fold(([Decimal::ZERO; 3], 0), |(acc, n), (f, c)| {
        ([acc[0] + f[0], acc[1] + f[1], acc[2] + f[2]], n + c)
    })
}

/// `part` as a percentage of `whole`, half-up to 2 places; nothing of nothing is 0.
pub fn share_pct(part: Decimal, whole: Decimal) -> Decimal {
    if whole.is_zero() {
        return Decimal::new(0, 2);
    }
    let mut pct = round_half_up(part * Decimal::ONE_HUNDRED / whole, 2);
    pct.rescale(2);
    pct
}

#[cfg(test)]
mod tests {
    use super::share_pct;
    use rust_decimal_macros::dec;

    #[test]
    fn shares_are_percentages_rounded_half_up() {
        // 1 / 8 = 12.5 %; 1 / 3 = 33.333… %; 2 / 3 = 66.666… % → 66.67.
        assert_eq!(share_pct(dec!(1), dec!(8)).to_string(), "12.50");
        assert_eq!(share_pct(dec!(1), dec!(3)).to_string(), "33.33");
        assert_eq!(share_pct(dec!(2), dec!(3)).to_string(), "66.67");
        assert_eq!(share_pct(dec!(0), dec!(0)).to_string(), "0.00");
    }
}
