//! The loan account (贷款分户账): a disbursed loan, its installments and its sub-ledger of
//! balances, as the people servicing it read them; and the row-level access the money
//! services share.

use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Statement, Value};
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::{IntoParams, ToSchema};

use calc::terms::Method;
use iam::Actor;
use iam::service::scope;
use iam::service::sql::{self, Where};
use kernel::{AppError, AppResult, Money, Page, PageRequest, Rate};
use ledgers::service::business_date;

use super::{LoansContext, db_error};
use crate::domain::money_events::LoanStatus;
use crate::domain::servicing::{InstallmentState, ServicingTerms};

/// The `loans` row.
#[derive(Debug, Clone, FromQueryResult)]
pub struct LoanRow {
    pub id: i64,
    pub loan_no: String,
    pub contract_id: i64,
    pub application_id: i64,
    pub customer_id: i64,
    pub department_id: Option<i64>,
    pub manager_id: i64,
    pub status: String,
    pub principal: Decimal,
    pub annual_rate: Decimal,
    pub method: String,
    pub term_months: i32,
    pub value_date: Date,
    pub maturity_date: Date,
    pub terms: serde_json::Value,
    pub settled_on: Option<Date>,
    pub version: i32,
}

impl LoanRow {
    pub fn servicing_terms(&self) -> AppResult<ServicingTerms> {
        serde_json::from_value(self.terms.clone()).map_err(AppError::internal)
    }

    pub fn method(&self) -> AppResult<Method> {
        method(&self.method)
    }
}

fn method(text: &str) -> AppResult<Method> {
    serde_json::from_value(serde_json::Value::from(text)).map_err(AppError::internal)
}

const ROW_COLUMNS: &str = "l.id, l.loan_no, l.contract_id, l.application_id, l.customer_id, l.department_id, \
    l.manager_id, l.status, l.principal, l.annual_rate, l.method, l.term_months, l.value_date, \
    l.maturity_date, l.terms, l.settled_on, l.version";
/// One's own: a loan one manages.
const OWN: &str = "l.manager_id = $?";

/// The loan as `actor` may see it.
pub async fn load_row(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<LoanRow> {
    let mut w = Where::new();
    w.and("l.id = $?", [Value::from(id)]);
    scope::restrict(&mut w, actor, "l.department_id", OWN);
    LoanRow::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!("SELECT {ROW_COLUMNS} FROM loans l WHERE {}", w.sql()),
        w.values(),
    ))
    .one(db)
    .await
    .map_err(db_error)?
    .ok_or_else(|| AppError::not_found("loan"))
}

/// Locks the loan's row for a money change: every change on one loan queues here.
pub async fn lock_row(db: &impl ConnectionTrait, id: i64) -> AppResult<LoanRow> {
    LoanRow::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!("SELECT {ROW_COLUMNS} FROM loans l WHERE l.id = $1 FOR UPDATE"),
        [Value::from(id)],
    ))
    .one(db)
    .await
    .map_err(db_error)?
    .ok_or_else(|| AppError::not_found("loan"))
}

#[derive(FromQueryResult)]
struct InstallmentRow {
    period: i32,
    start_date: Date,
    due_date: Date,
    principal: Decimal,
    interest: Decimal,
    fees: Decimal,
    paid_principal: Decimal,
    paid_interest: Decimal,
    paid_fees: Decimal,
    paid_penalty: Decimal,
    paid_compound: Decimal,
    penalty_accrued: Decimal,
    compound_accrued: Decimal,
    accrued_through: Option<Date>,
    settled_on: Option<Date>,
    overdue_since: Option<Date>,
    interest_accrued: Decimal,
}

fn money(d: Decimal) -> AppResult<Money> {
    Money::from_decimal(d).map_err(AppError::internal)
}

/// The loan's installments in period order.
pub async fn installments(
    db: &impl ConnectionTrait,
    loan_id: i64,
) -> AppResult<Vec<InstallmentState>> {
    InstallmentRow::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT period, start_date, due_date, principal, interest, fees, paid_principal, paid_interest, \
         paid_fees, paid_penalty, paid_compound, penalty_accrued, compound_accrued, accrued_through, \
         settled_on, overdue_since, interest_accrued FROM loan_installments WHERE loan_id = $1 ORDER BY period",
        [Value::from(loan_id)],
    ))
    .all(db)
    .await
    .map_err(db_error)?
    .into_iter()
    .map(|r| {
        Ok(InstallmentState {
            period: r.period as u32,
            start_date: r.start_date,
            due_date: r.due_date,
            principal: money(r.principal)?,
            interest: money(r.interest)?,
            fees: money(r.fees)?,
            paid_principal: money(r.paid_principal)?,
            paid_interest: money(r.paid_interest)?,
            paid_fees: money(r.paid_fees)?,
            paid_penalty: money(r.paid_penalty)?,
            paid_compound: money(r.paid_compound)?,
            penalty_accrued: r.penalty_accrued,
            compound_accrued: r.compound_accrued,
            accrued_through: r.accrued_through,
            settled_on: r.settled_on,
            overdue_since: r.overdue_since,
            interest_accrued: money(r.interest_accrued)?,
        })
    })
    .collect()
}

/// Stands for "no date" in a date array (sea-orm binds no arrays of nullable dates).
const NO_DATE: Date = time::macros::date!(1900 - 01 - 01);

/// Writes back what a money event changed on the installments, in one statement.
pub async fn save_installments(
    db: &impl ConnectionTrait,
    loan_id: i64,
    all: &[InstallmentState],
) -> AppResult<()> {
    let col =
        |f: fn(&InstallmentState) -> Decimal| Value::from(all.iter().map(f).collect::<Vec<_>>());
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "UPDATE loan_installments i SET interest = u.it, fees = u.fe, \
            paid_principal = u.pp, paid_interest = u.pi, paid_fees = u.pf, \
            paid_penalty = u.ppe, paid_compound = u.pc, penalty_accrued = u.pa, compound_accrued = u.ca, \
            accrued_through = NULLIF(u.at, $12::date), settled_on = NULLIF(u.so, $12::date), \
            interest_accrued = u.ia \
         FROM unnest($2::int[], $3::numeric[], $4::numeric[], $5::numeric[], $6::numeric[], $7::numeric[], \
                     $8::numeric[], $9::numeric[], $10::date[], $11::date[], $13::numeric[], $14::numeric[], \
                     $15::numeric[]) \
              AS u(period, pp, pi, pf, ppe, pc, pa, ca, at, so, it, fe, ia) \
         WHERE i.loan_id = $1 AND i.period = u.period",
        [
            Value::from(loan_id),
            Value::from(all.iter().map(|i| i.period as i32).collect::<Vec<_>>()),
            col(|i| i.paid_principal.amount()),
            col(|i| i.paid_interest.amount()),
            col(|i| i.paid_fees.amount()),
            col(|i| i.paid_penalty.amount()),
            col(|i| i.paid_compound.amount()),
            col(|i| i.penalty_accrued),
            col(|i| i.compound_accrued),
            Value::from(all.iter().map(|i| i.accrued_through.unwrap_or(NO_DATE)).collect::<Vec<_>>()),
            Value::from(all.iter().map(|i| i.settled_on.unwrap_or(NO_DATE)).collect::<Vec<_>>()),
            Value::from(NO_DATE),
            col(|i| i.interest.amount()),
            col(|i| i.fees.amount()),
            col(|i| i.interest_accrued.amount()),
        ],
    ))
    .await
    .map_err(db_error)?;
    Ok(())
}

/// Writes the whole schedule when its shape changed (a prepayment re-amortised it, or a
/// reversal puts the old one back): every installment as given, none after the last, and the
/// loan's maturity with it.
pub async fn replace_installments(
    db: &impl ConnectionTrait,
    loan_id: i64,
    all: &[InstallmentState],
    now: time::OffsetDateTime,
) -> AppResult<()> {
    let last = all
        .last()
        .ok_or_else(|| AppError::internal("a schedule without installments"))?;
    let col =
        |f: fn(&InstallmentState) -> Decimal| Value::from(all.iter().map(f).collect::<Vec<_>>());
    let date =
        |f: fn(&InstallmentState) -> Date| Value::from(all.iter().map(f).collect::<Vec<_>>());
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "INSERT INTO loan_installments AS i (loan_id, period, start_date, due_date, principal, interest, fees, \
            paid_principal, paid_interest, paid_fees, paid_penalty, paid_compound, penalty_accrued, \
            compound_accrued, accrued_through, settled_on, overdue_since, interest_accrued) \
         SELECT $1, u.period, u.sd, u.dd, u.pr, u.it, u.fe, u.pp, u.pi, u.pf, u.ppe, u.pc, u.pa, u.ca, \
            NULLIF(u.at, $17::date), NULLIF(u.so, $17::date), NULLIF(u.os, $17::date), u.ia \
         FROM unnest($2::int[], $3::date[], $4::date[], $5::numeric[], $6::numeric[], $7::numeric[], \
                     $8::numeric[], $9::numeric[], $10::numeric[], $11::numeric[], $12::numeric[], \
                     $13::numeric[], $14::numeric[], $15::date[], $16::date[], $18::date[], $19::numeric[]) \
              AS u(period, sd, dd, pr, it, fe, pp, pi, pf, ppe, pc, pa, ca, at, so, os, ia) \
         ON CONFLICT (loan_id, period) DO UPDATE SET start_date = EXCLUDED.start_date, \
            due_date = EXCLUDED.due_date, principal = EXCLUDED.principal, interest = EXCLUDED.interest, \
            fees = EXCLUDED.fees, paid_principal = EXCLUDED.paid_principal, \
            paid_interest = EXCLUDED.paid_interest, paid_fees = EXCLUDED.paid_fees, \
            paid_penalty = EXCLUDED.paid_penalty, paid_compound = EXCLUDED.paid_compound, \
            penalty_accrued = EXCLUDED.penalty_accrued, compound_accrued = EXCLUDED.compound_accrued, \
            accrued_through = EXCLUDED.accrued_through, settled_on = EXCLUDED.settled_on, \
            overdue_since = EXCLUDED.overdue_since, interest_accrued = EXCLUDED.interest_accrued",
        [
            Value::from(loan_id),
            Value::from(all.iter().map(|i| i.period as i32).collect::<Vec<_>>()),
            date(|i| i.start_date),
            date(|i| i.due_date),
            col(|i| i.principal.amount()),
            col(|i| i.interest.amount()),
            col(|i| i.fees.amount()),
            col(|i| i.paid_principal.amount()),
            col(|i| i.paid_interest.amount()),
            col(|i| i.paid_fees.amount()),
            col(|i| i.paid_penalty.amount()),
            col(|i| i.paid_compound.amount()),
            col(|i| i.penalty_accrued),
            col(|i| i.compound_accrued),
            date(|i| i.accrued_through.unwrap_or(NO_DATE)),
            date(|i| i.settled_on.unwrap_or(NO_DATE)),
            Value::from(NO_DATE),
            date(|i| i.overdue_since.unwrap_or(NO_DATE)),
            col(|i| i.interest_accrued.amount()),
        ],
    ))
    .await
    .map_err(db_error)?;
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "DELETE FROM loan_installments WHERE loan_id = $1 AND period > $2",
        [Value::from(loan_id), Value::from(last.period as i32)],
    ))
    .await
    .map_err(db_error)?;
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "UPDATE loans SET maturity_date = $2, updated_at = $3 WHERE id = $1",
        [
            Value::from(loan_id),
            Value::from(last.due_date),
            Value::from(now),
        ],
    ))
    .await
    .map_err(db_error)?;
    Ok(())
}

/// The loan's sub-ledger (分户账).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Balances {
    /// 本金-正常
    pub principal_normal: Money,
    /// 本金-逾期
    pub principal_overdue: Money,
    /// 本金-展期
    pub principal_extended: Money,
    /// 已减值
    pub principal_impaired: Money,
    /// 应收利息 (gross of VAT), booked by the daily close's accruals.
    pub interest_receivable: Money,
    /// 溢缴款: money received and not yet applied.
    pub credit_balance: Money,
}

pub async fn balances(db: &impl ConnectionTrait, loan_id: i64) -> AppResult<Balances> {
    #[derive(FromQueryResult)]
    struct B {
        principal_normal: Decimal,
        principal_overdue: Decimal,
        principal_extended: Decimal,
        principal_impaired: Decimal,
        interest_receivable: Decimal,
        credit_balance: Decimal,
    }
    let b = B::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT principal_normal, principal_overdue, principal_extended, principal_impaired, \
         interest_receivable, credit_balance FROM loan_balances WHERE loan_id = $1",
        [Value::from(loan_id)],
    ))
    .one(db)
    .await
    .map_err(db_error)?
    .ok_or_else(|| AppError::internal("a loan without a sub-ledger"))?;
    Ok(Balances {
        principal_normal: money(b.principal_normal)?,
        principal_overdue: money(b.principal_overdue)?,
        principal_extended: money(b.principal_extended)?,
        principal_impaired: money(b.principal_impaired)?,
        interest_receivable: money(b.interest_receivable)?,
        credit_balance: money(b.credit_balance)?,
    })
}

/// Writes a whole sub-ledger back (a reversal restoring what a repayment found).
pub async fn save_balances(
    db: &impl ConnectionTrait,
    loan_id: i64,
    b: &Balances,
    now: time::OffsetDateTime,
) -> AppResult<()> {
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "UPDATE loan_balances SET principal_normal = $2, principal_overdue = $3, principal_extended = $4, \
         principal_impaired = $5, interest_receivable = $6, credit_balance = $7, updated_at = $8 WHERE loan_id = $1",
        [
            Value::from(loan_id),
            Value::from(b.principal_normal.amount()),
            Value::from(b.principal_overdue.amount()),
            Value::from(b.principal_extended.amount()),
            Value::from(b.principal_impaired.amount()),
            Value::from(b.interest_receivable.amount()),
            Value::from(b.credit_balance.amount()),
            Value::from(now),
        ],
    ))
    .await
    .map_err(db_error)?;
    Ok(())
}

/// What a money event found on a loan, kept with it so an approved reversal can restore it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoanSnapshot {
    pub installments: Vec<InstallmentState>,
    pub balances: Balances,
    pub status: String,
    pub settled_on: Option<Date>,
}

/// Where an installment stands on the business date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InstallmentStatus {
    /// 已结清
    Settled,
    /// 逾期: its due date has passed with something unpaid.
    Overdue,
    /// 今日到期
    DueToday,
    /// 未到期
    NotDue,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InstallmentView {
    pub period: u32,
    pub start_date: Date,
    pub due_date: Date,
    pub principal: Money,
    pub interest: Money,
    pub fees: Money,
    pub paid_principal: Money,
    pub paid_interest: Money,
    pub paid_fees: Money,
    pub paid_penalty: Money,
    pub paid_compound: Money,
    /// Penalty and compound interest owed on the business date (memo amounts).
    pub penalty_due: Money,
    pub compound_due: Money,
    /// Everything still owed on it on the business date.
    pub outstanding: Money,
    pub status: InstallmentStatus,
    pub settled_on: Option<Date>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Loan {
    pub id: i64,
    pub loan_no: String,
    pub contract_id: i64,
    pub contract_no: String,
    pub application_id: i64,
    pub customer_id: i64,
    pub customer_name: String,
    pub status: LoanStatus,
    pub principal: Money,
    pub annual_rate: Rate,
    pub method: Method,
    pub term_months: i32,
    pub value_date: Date,
    pub maturity_date: Date,
    pub settled_on: Option<Date>,
    /// Principal not yet repaid.
    pub outstanding_principal: Money,
    /// Installments past due and unpaid on the business date, and how long the oldest has been.
    pub overdue_installments: i64,
    pub days_past_due: i64,
    pub credit_balance: Money,
    pub version: i32,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LoanDetail {
    pub loan: Loan,
    pub terms: ServicingTerms,
    pub balances: Balances,
    /// The business date the figures are as of.
    pub as_of: Date,
    pub installments: Vec<InstallmentView>,
    /// Everything owed on the business date: what is past due plus what falls due today.
    pub amount_due: Money,
}

#[derive(FromQueryResult)]
struct ListRow {
    id: i64,
    loan_no: String,
    contract_id: i64,
    contract_no: String,
    application_id: i64,
    customer_id: i64,
    customer_name: String,
    status: String,
    principal: Decimal,
    annual_rate: Decimal,
    method: String,
    term_months: i32,
    value_date: Date,
    maturity_date: Date,
    settled_on: Option<Date>,
    outstanding_principal: Decimal,
    overdue_installments: i64,
    oldest_overdue: Option<Date>,
    credit_balance: Decimal,
    version: i32,
}

impl ListRow {
    fn into_view(self, as_of: Date) -> AppResult<Loan> {
        Ok(Loan {
            status: LoanStatus::parse(&self.status)?,
            principal: money(self.principal)?,
            annual_rate: Rate::annual(self.annual_rate).map_err(AppError::internal)?,
            method: method(&self.method)?,
            outstanding_principal: money(self.outstanding_principal)?,
            days_past_due: self
                .oldest_overdue
                .map_or(0, |d| kernel::date::days_between(d, as_of)),
            credit_balance: money(self.credit_balance)?,
            id: self.id,
            loan_no: self.loan_no,
            contract_id: self.contract_id,
            contract_no: self.contract_no,
            application_id: self.application_id,
            customer_id: self.customer_id,
            customer_name: self.customer_name,
            term_months: self.term_months,
            value_date: self.value_date,
            maturity_date: self.maturity_date,
            settled_on: self.settled_on,
            overdue_installments: self.overdue_installments,
            version: self.version,
        })
    }
}

/// `$1` is the business date.
const LIST_COLUMNS: &str = "l.id, l.loan_no, l.contract_id, k.contract_no, l.application_id, l.customer_id, \
    c.name AS customer_name, l.status, l.principal, l.annual_rate, l.method, l.term_months, l.value_date, \
    l.maturity_date, l.settled_on, \
    (b.principal_normal + b.principal_overdue + b.principal_extended + b.principal_impaired) AS outstanding_principal, \
    o.overdue_installments, o.oldest_overdue, b.credit_balance, l.version";
const LIST_FROM: &str = "loans l JOIN loan_contracts k ON k.id = l.contract_id \
    JOIN customers c ON c.id = l.customer_id JOIN loan_balances b ON b.loan_id = l.id \
    CROSS JOIN LATERAL (SELECT count(*) AS overdue_installments, min(i.due_date) AS oldest_overdue \
        FROM loan_installments i WHERE i.loan_id = l.id AND i.settled_on IS NULL AND i.due_date < $1::date) o";

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct LoanFilter {
    pub status: Option<LoanStatus>,
    /// Loan or contract number, or customer name, in part.
    pub q: Option<String>,
    pub customer_id: Option<i64>,
    /// Only loans with an installment past due on the business date (逾期台账).
    pub overdue: Option<bool>,
}

/// Loans in the actor's scope, newest first (贷款台账).
pub async fn list(
    ctx: &LoansContext,
    actor: &Actor,
    filter: &LoanFilter,
    page: &PageRequest,
) -> AppResult<Page<Loan>> {
    let as_of = business_date::today(&ctx.db, &ctx.clock).await?;
    let mut w = Where::new();
    // The lateral join's `$1` is the business date: bind it first.
    w.and("$?::date IS NOT NULL", [Value::from(as_of)]);
    scope::restrict(&mut w, actor, "l.department_id", OWN);
    if let Some(s) = filter.status {
        w.and("l.status = $?", [Value::from(s.as_str())]);
    }
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        w.and(
            "(l.loan_no ILIKE $? OR k.contract_no ILIKE $? OR c.name ILIKE $?)",
            [
                Value::from(sql::contains(q)),
                Value::from(sql::contains(q)),
                Value::from(sql::contains(q)),
            ],
        );
    }
    if let Some(c) = filter.customer_id {
        w.and("l.customer_id = $?", [Value::from(c)]);
    }
    if filter.overdue == Some(true) {
        w.and("o.overdue_installments > 0", []);
    }
    let rows: Page<ListRow> = w
        .page_counting_over(
            &ctx.db,
            LIST_COLUMNS,
            LIST_FROM,
            LIST_FROM,
            "l.id DESC",
            page,
        )
        .await?;
    let total = rows.total;
    let items = rows
        .items
        .into_iter()
        .map(|r| r.into_view(as_of))
        .collect::<AppResult<Vec<_>>>()?;
    Ok(Page::new(items, total, page))
}

/// One loan with its terms, sub-ledger and installments as of the business date.
pub async fn get(ctx: &LoansContext, actor: &Actor, id: i64) -> AppResult<LoanDetail> {
    let as_of = business_date::today(&ctx.db, &ctx.clock).await?;
    let row = load_row(&ctx.db, actor, id).await?;
    let mut w = Where::new();
    w.and("$?::date IS NOT NULL", [Value::from(as_of)]);
    w.and("l.id = $?", [Value::from(id)]);
    let loan = ListRow::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!("SELECT {LIST_COLUMNS} FROM {LIST_FROM} WHERE {}", w.sql()),
        w.values(),
    ))
    .one(&ctx.db)
    .await
    .map_err(db_error)?
    .ok_or_else(|| AppError::not_found("loan"))?
    .into_view(as_of)?;
    let terms = row.servicing_terms()?;
    let params = terms.overdue_params(loan.annual_rate)?;
    let mut amount_due = Money::ZERO;
    let installments = installments(&ctx.db, id)
        .await?
        .into_iter()
        .map(|mut i| {
            i.accrue_to(as_of, &params);
            let status = match (i.settled_on, i.due_date.cmp(&as_of)) {
                (Some(_), _) => InstallmentStatus::Settled,
                (None, std::cmp::Ordering::Less) => InstallmentStatus::Overdue,
                (None, std::cmp::Ordering::Equal) => InstallmentStatus::DueToday,
                (None, std::cmp::Ordering::Greater) => InstallmentStatus::NotDue,
            };
            if matches!(
                status,
                InstallmentStatus::Overdue | InstallmentStatus::DueToday
            ) {
                amount_due += i.total_due();
            }
            InstallmentView {
                period: i.period,
                start_date: i.start_date,
                due_date: i.due_date,
                principal: i.principal,
                interest: i.interest,
                fees: i.fees,
                paid_principal: i.paid_principal,
                paid_interest: i.paid_interest,
                paid_fees: i.paid_fees,
                paid_penalty: i.paid_penalty,
                paid_compound: i.paid_compound,
                penalty_due: i.penalty_due(),
                compound_due: i.compound_due(),
                outstanding: i.total_due(),
                status,
                settled_on: i.settled_on,
            }
        })
        .collect();
    Ok(LoanDetail {
        balances: balances(&ctx.db, id).await?,
        loan,
        terms,
        as_of,
        installments,
        amount_due,
    })
}

/// Answers risk screening's question about a customer's loans (本机构逾期).
pub struct OverdueRecords {
    pub db: sea_orm::DatabaseConnection,
    pub clock: kernel::SharedClock,
}

#[async_trait::async_trait]
impl credit::service::LoanRecords for OverdueRecords {
    async fn has_overdue(&self, customer_id: i64) -> AppResult<bool> {
        let today = business_date::today(&self.db, &self.clock).await?;
        let found = self
            .db
            .query_one_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT 1 AS overdue FROM loans l JOIN loan_installments i ON i.loan_id = l.id \
                 WHERE l.customer_id = $1 AND l.status = 'active' AND i.settled_on IS NULL \
                 AND i.due_date < $2 LIMIT 1",
                [Value::from(customer_id), Value::from(today)],
            ))
            .await
            .map_err(db_error)?;
        Ok(found.is_some())
    }
}
