//! `chedai gen loans --count N`: active loans with one repayment each registered and waiting
//! for finance's confirmation, for the repayment benchmark (scripts/bench/repayments.sh).
//!
//! Every loan is 100 000 at 12 % over 24 months, equal installments, disbursed one month
//! before the business date, so its first installment falls due today and a confirmation
//! does the real work: allocation, the installments, the sub-ledger and the voucher. The
//! schedule comes from the loan arithmetic (`calc`); the rows are written set-based, a batch
//! per statement. The registrations are made by a generated manager so the administrator may
//! confirm them. Disbursement vouchers are not written: the benchmark database does not
//! reconcile, and is not meant to.

use std::sync::Arc;

use anyhow::Context;
use clap::Args;
use kernel::{Money, Rate, SystemClock};
use loans::domain::servicing::{DEFAULT_VAT_RATE, ServicingTerms};
use loans::domain::terms::AllocationOrder;
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};

use crate::config::Config;
use crate::{database, secrets};

#[derive(Args)]
pub struct LoansArgs {
    /// How many loans (and registered repayments) to write.
    #[arg(long, default_value_t = 10_000)]
    count: i64,
    /// Loans per statement.
    #[arg(long, default_value_t = 2_000)]
    batch: i64,
}

pub async fn run(args: LoansArgs) -> anyhow::Result<()> {
    anyhow::ensure!(
        args.count > 0 && args.batch > 0,
        "--count and --batch must be positive"
    );
    let config = Config::from_env()?;
    crate::init_tracing(&config);
    let db = database::open(&config).await?;
    let db = &db.connection;
    let clock: kernel::SharedClock = Arc::new(SystemClock);
    let id = |sql: &'static str| async move {
        db.query_one_raw(Statement::from_string(DbBackend::Postgres, sql))
            .await?
            .map(|r| r.try_get::<i64>("", "id"))
            .transpose()
            .map_err(anyhow::Error::from)
    };
    let admin = id("SELECT id FROM users WHERE username = 'admin'")
        .await?
        .context("no admin: run `chedai gen customers` first")?;
    let registrar = id("SELECT id FROM users WHERE username <> 'admin' ORDER BY id LIMIT 1")
        .await?
        .context("no second user: run `chedai gen customers` first")?;
    let customer_ids: Vec<i64> = db
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT id FROM customers ORDER BY id LIMIT 1000",
        ))
        .await?
        .iter()
        .map(|r| r.try_get::<i64>("", "id"))
        .collect::<Result<_, _>>()?;
    anyhow::ensure!(
        !customer_ids.is_empty(),
        "no customers: run `chedai gen customers` first"
    );
    let product = ensure_product(db, admin).await?;

    let today = ledgers::service::business_date::today(db, &clock)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let value_date = today
        .replace_month(today.month().previous())
        .ok()
        .filter(|_| today.month() != time::Month::January);
    let value_date = match value_date {
        Some(d) => d,
        None => today
            .replace_year(today.year() - 1)
            .and_then(|d| d.replace_month(time::Month::December))?,
    };
    let principal = Money::yuan(100_000);
    let terms = calc::LoanTerms::new(
        calc::Method::EqualInstallment,
        principal,
        Rate::annual(Decimal::new(12, 2))?,
        24,
        value_date,
    );
    let schedule = calc::generate(&terms).map_err(|e| anyhow::anyhow!("{}", e.message))?;
    let first = &schedule.installments[0];
    anyhow::ensure!(
        first.due_date == today,
        "the first installment should fall due today"
    );
    let servicing = ServicingTerms {
        day_basis: 360,
        penalty_multiplier: Decimal::new(15, 1),
        grace_days: 0,
        allocation: AllocationOrder::default(),
        vat_rate: DEFAULT_VAT_RATE,
        period_fee: Money::ZERO,
    };
    let mut start = value_date;
    let (mut periods, mut starts, mut dues, mut principals, mut interests) =
        (vec![], vec![], vec![], vec![], vec![]);
    for i in &schedule.installments {
        periods.push(i.period as i32);
        starts.push(start);
        dues.push(i.due_date);
        principals.push(i.principal.amount());
        interests.push(i.interest.amount());
        start = i.due_date;
    }
    let maturity = schedule.maturity_date().context("empty schedule")?;
    let began = std::time::Instant::now();
    let mut written = 0;
    while written < args.count {
        let n = args.batch.min(args.count - written);
        db.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "WITH k AS (SELECT g, nextval('loan_applications_id_seq') AS app_id FROM generate_series(1, $1) g), \
             app AS (INSERT INTO loan_applications (id, application_no, customer_id, product_id, product_version, amount, \
                 term_months, repayment_method, annual_rate, purpose, status, created_by, created_at, updated_at) \
               SELECT app_id, 'BENCH-A' || app_id, ($2::bigint[])[1 + (app_id % array_length($2::bigint[], 1))], $3, 1, \
                 100000, 24, 'equal_installment', 0.12, '基准测试', 'approved', $4, now(), now() FROM k \
               RETURNING id, customer_id), \
             con AS (INSERT INTO loan_contracts (contract_no, application_id, status, planned_disbursement_date, terms, \
                 signed_on, created_by, created_at, updated_at) \
               SELECT 'BENCH-K' || id, id, 'signed', $5, '{}'::jsonb, $5, $4, now(), now() FROM app \
               RETURNING id, application_id), \
             ln AS (INSERT INTO loans (loan_no, contract_id, application_id, product_id, customer_id, manager_id, status, \
                 principal, annual_rate, method, term_months, value_date, maturity_date, terms, created_at, updated_at) \
               SELECT 'BENCH-L' || con.id, con.id, con.application_id, $3, app.customer_id, $4, 'active', 100000, 0.12, \
                 'equal_installment', 24, $5, $6, $7, now(), now() FROM con JOIN app ON app.id = con.application_id \
               RETURNING id), \
             inst AS (INSERT INTO loan_installments (loan_id, period, start_date, due_date, principal, interest, fees) \
               SELECT ln.id, s.period, s.start_date, s.due_date, s.principal, s.interest, 0 FROM ln \
               CROSS JOIN unnest($8::int[], $9::date[], $10::date[], $11::numeric[], $12::numeric[]) \
                 AS s(period, start_date, due_date, principal, interest)), \
             bal AS (INSERT INTO loan_balances (loan_id, principal_normal, updated_at) SELECT id, 100000, now() FROM ln) \
             INSERT INTO repayments (loan_id, kind, status, amount, channel, fund_account_code, reference, value_date, \
               registered_by, registered_at) \
             SELECT id, 'regular', 'registered', $13, 'bank_transfer', '100201', 'BENCH-' || id, $14, $15, now() FROM ln",
            [
                Value::from(n),
                Value::from(customer_ids.clone()),
                Value::from(product),
                Value::from(admin),
                Value::from(value_date),
                Value::from(maturity),
                Value::from(serde_json::to_value(&servicing)?),
                Value::from(periods.clone()),
                Value::from(starts.clone()),
                Value::from(dues.clone()),
                Value::from(principals.clone()),
                Value::from(interests.clone()),
                Value::from(first.total.amount()),
                Value::from(today),
                Value::from(registrar),
            ],
        ))
        .await?;
        written += n;
    }
    println!(
        "Inserted {written} loans with {} installments each and one registered repayment of {} due {today} ({:.1} s)",
        schedule.installments.len(),
        first.total,
        began.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The benchmark's product, created through the service the first time.
async fn ensure_product(db: &sea_orm::DatabaseConnection, admin: i64) -> anyhow::Result<i64> {
    if let Some(row) = db
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT id FROM loan_products WHERE code = 'BENCH-EI'",
        ))
        .await?
    {
        return Ok(row.try_get("", "id")?);
    }
    let config = Config::from_env()?;
    let state = api::AppState::new(
        db.clone(),
        Arc::new(SystemClock),
        secrets::token_keys(&config)?,
        api::CustomerServices {
            pii: secrets::pii_keys(&config)?,
            files: Arc::new(customers::LocalFileStore::new(config.var_dir.join("files"))),
        },
    );
    let actor = iam::service::auth::load_actor(db, admin, None)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let ctx = &state.loans;
    let input: loans::service::products::ProductInput = serde_json::from_value(
        serde_json::json!({
            "code": "BENCH-EI", "name": "基准测试车抵贷", "methods": ["equal_installment"],
            "termMonthsMin": 12, "termMonthsMax": 36, "amountMin": "30000", "amountMax": "500000",
            "rateMin": "0.10", "rateMax": "0.18", "maxLtv": "0.8", "collateralKind": "mortgage", "gpsRequired": false
        }),
    )?;
    let p = loans::service::products::create(ctx, &actor, &input)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(p.id)
}
