//! The daily close (日终, DESIGN.md §6): one run per business date in ordered steps, each
//! recorded. Partitioned steps split the loans into id ranges on a fixed grid; a worker claims
//! a range with `FOR UPDATE SKIP LOCKED`, does it and marks it done in one transaction, so any
//! number of workers (processes, machines) share a run and a crash — even SIGKILL — loses only
//! uncommitted work, which the next start redoes. A step's voucher posts in the transaction
//! that marks the step done; the date advances in the one that marks the run done.
//!
//! Steps: interest accrual (利息计提), credit applied to what falls due (溢缴款冲抵), the
//! overdue transfer (逾期转列), memo penalty and compound interest, five-tier classification,
//! non-accrual, provisions (month end, or on demand), warnings, reminders to the outbox,
//! balance snapshots, and the date. A loan a step fails on is set aside and recorded, and the
//! run goes on; a worker may do several partitions at once (`CloseOptions::parallel`).

mod demands;
mod quality;
pub mod reminders;
pub mod snapshots;
mod steps;

pub use demands::{ProvisionDemand, demand_provisions, provision_demands};
pub use reminders::{DAYS_BEFORE_DUE, DAYS_PAST_DUE};

use std::collections::HashMap;
use std::time::Duration;

use rust_decimal::Decimal;
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, FromQueryResult,
    Statement, TransactionTrait, Value,
};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;

use kernel::{AppError, AppResult, Money, Page, PageRequest, SharedClock};
use ledgers::domain::account::codes;
use ledgers::domain::voucher::{VoucherDraft, split_vat};
use ledgers::service::{business_date, vouchers};

use super::db_error;

/// What the close needs: the database and the clock (the calendar bounds the business date).
#[derive(Clone)]
pub struct CloseContext {
    pub db: DatabaseConnection,
    pub clock: SharedClock,
}

/// One step of the close, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CloseStep {
    /// 利息计提: interest accrued for the day, Dr 1132 / Cr 6011 and 2221.
    InterestAccrual,
    /// 溢缴款冲抵: a credit balance pays what falls due, before anything is called overdue;
    /// each application is a repayment of no cash with its own voucher (Dr 224101).
    CreditApplication,
    /// 逾期转列: due and unpaid principal to 本金-逾期.
    OverdueTransfer,
    /// 罚息/复利计提 (memo, off balance sheet).
    PenaltyAccrual,
    /// 五级分类: days past due and the class, with its history.
    Classification,
    /// 非应计: past 90 days, accrued unpaid interest leaves the books.
    NonAccrual,
    /// 计提贷款损失准备, at month end.
    Provisions,
    /// 贷后预警: the warning rules over every loan.
    Warnings,
    /// 还款提醒: due and overdue reminders written to the outbox.
    Reminders,
    /// 余额快照: balance history where it changed, and the day's quality aggregate.
    BalanceSnapshots,
    /// 日切: the business date moves to the next day.
    AdvanceDate,
}

pub const STEPS: [CloseStep; 11] = [
    CloseStep::InterestAccrual,
    CloseStep::CreditApplication,
    CloseStep::OverdueTransfer,
    CloseStep::PenaltyAccrual,
    CloseStep::Classification,
    CloseStep::NonAccrual,
    CloseStep::Provisions,
    CloseStep::Warnings,
    CloseStep::Reminders,
    CloseStep::BalanceSnapshots,
    CloseStep::AdvanceDate,
];

impl CloseStep {
    pub fn as_str(self) -> &'static str {
        match self {
            CloseStep::InterestAccrual => "interest_accrual",
            CloseStep::CreditApplication => "credit_application",
            CloseStep::OverdueTransfer => "overdue_transfer",
            CloseStep::PenaltyAccrual => "penalty_accrual",
            CloseStep::Classification => "classification",
            CloseStep::NonAccrual => "non_accrual",
            CloseStep::Provisions => "provisions",
            CloseStep::Warnings => "warnings",
            CloseStep::Reminders => "reminders",
            CloseStep::BalanceSnapshots => "balance_snapshots",
            CloseStep::AdvanceDate => "advance_date",
        }
    }

    fn parse(s: &str) -> AppResult<CloseStep> {
        STEPS
            .into_iter()
            .find(|x| x.as_str() == s)
            .ok_or_else(|| AppError::internal(format!("unknown close step {s}")))
    }

    fn partitioned(self) -> bool {
        !matches!(self, CloseStep::AdvanceDate)
    }

    /// Whether the step has work on `date`: provisions are made at month end, and on any day
    /// someone asked for them before its close (按需计提, `provision_demands`).
    async fn due_on(self, db: &impl ConnectionTrait, date: Date) -> AppResult<bool> {
        Ok(match self {
            CloseStep::Provisions => {
                is_month_end(date)
                    || scalar(
                        db,
                        "SELECT count(*) AS n FROM provision_demands WHERE business_date = $1",
                        [Value::from(date)],
                    )
                    .await?
                        > 0
            }
            _ => true,
        })
    }
}

fn is_month_end(date: Date) -> bool {
    date.next_day().is_some_and(|d| d.day() == 1)
}

/// Where the steps' per-loan detail (`close_postings`) stands in the ledger, for the per-loan
/// reconciliation (their vouchers carry only per-product totals): step, account, and +1 for a
/// debit or −1 for a credit.
pub const DETAIL_POSTINGS: &[(&str, &str, i32)] = &[
    ("interest_accrual", codes::INTEREST_RECEIVABLE, 1),
    ("overdue_transfer", codes::PRINCIPAL_OVERDUE, 1),
    ("overdue_transfer", codes::PRINCIPAL_NORMAL, -1),
    ("non_accrual", codes::INTEREST_RECEIVABLE, -1),
    ("provisions", codes::ALLOWANCE_SPECIFIC, -1),
];

/// How this worker takes part.
#[derive(Debug, Clone)]
pub struct CloseOptions {
    /// Names the worker in the partitions it did (host and process, say).
    pub worker: String,
    /// Loan ids per partition, for a run this worker starts; one it joins or resumes keeps
    /// the size it was started with.
    pub partition_size: i64,
    /// Partitions this worker does at once, each on its own connection: the database's cores
    /// are what a close at scale is bound by.
    pub parallel: usize,
}

impl Default for CloseOptions {
    fn default() -> Self {
        CloseOptions {
            worker: format!("pid-{}", std::process::id()),
            partition_size: 10_000,
            parallel: 1,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CloseStepProgress {
    pub step: CloseStep,
    /// `running`, `done` or `failed`; absent steps have not started.
    pub status: String,
    #[serde(with = "time::serde::rfc3339")]
    pub started_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub finished_at: Option<OffsetDateTime>,
    /// Installments (or rows) the step changed.
    pub rows_done: i64,
    pub partitions: i64,
    pub partitions_done: i64,
    pub partitions_failed: i64,
    /// What went wrong in a failed partition, first one.
    pub error: Option<String>,
    /// Loans the step skipped because they failed alone (see the run's `loanFailures`).
    pub loans_failed: i64,
    pub voucher_id: Option<i64>,
    /// The amount the step's voucher moved.
    pub amount: Money,
}

/// A run of the close for one business date (日终批次).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CloseRun {
    pub id: i64,
    pub business_date: Date,
    /// `running`, `done` or `failed`.
    pub status: String,
    #[serde(with = "time::serde::rfc3339")]
    pub started_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub finished_at: Option<OffsetDateTime>,
    pub steps: Vec<CloseStepProgress>,
    /// Loans a step could not do on this date (the first 100): the run went on without them
    /// and the next close catches them up once whatever is wrong with them is put right.
    pub loan_failures: Vec<CloseLoanFailure>,
}

/// A loan one step of a run skipped (日终失败贷款).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CloseLoanFailure {
    pub step: CloseStep,
    pub loan_id: i64,
    pub loan_no: String,
    pub error: String,
    #[serde(with = "time::serde::rfc3339")]
    pub failed_at: OffsetDateTime,
}

/// Closes business dates one after another until the business date is `until` (at most the
/// calendar date): several missed days close in order.
pub async fn close_until(
    ctx: &CloseContext,
    started_by: Option<i64>,
    until: Date,
    opts: &CloseOptions,
) -> AppResult<Vec<CloseRun>> {
    let mut runs = vec![];
    loop {
        let today = business_date::today(&ctx.db, &ctx.clock).await?;
        if today >= until {
            return Ok(runs);
        }
        let run = close_day(ctx, started_by, today, opts).await?;
        let failed = run.status == "failed";
        runs.push(run);
        if failed {
            return Ok(runs);
        }
    }
}

/// Closes the business date `date`, or resumes its run where it stopped, or joins a run other
/// workers are doing. A day is closed once the calendar has passed it.
pub async fn close_day(
    ctx: &CloseContext,
    started_by: Option<i64>,
    date: Date,
    opts: &CloseOptions,
) -> AppResult<CloseRun> {
    // The date first: it moves in the transaction that ends its run, so a run read after it
    // is either still open (the date is this one) or done (the date has moved on) — a worker
    // joining a run that finishes meanwhile gets the done run, not a refusal.
    let today = business_date::today(&ctx.db, &ctx.clock).await?;
    if let Some(done) = find_run(&ctx.db, date).await?
        && done.status == "done"
    {
        return Ok(done);
    }
    if date != today {
        return Err(AppError::conflict(
            "not_the_business_date",
            format!("the business date is {today}; {date} cannot be closed now"),
        ));
    }
    let calendar = ctx.clock.now().date();
    if date >= calendar {
        return Err(AppError::invalid_field(
            "date",
            "day_not_over",
            format!("{date} is closed once the calendar has passed it (today is {calendar})"),
        ));
    }
    let now = ctx.clock.now();
    ctx.db
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "INSERT INTO close_runs (business_date, status, started_by, started_at, partition_size) \
             VALUES ($1, 'running', $2, $3, $4) \
             ON CONFLICT (business_date) DO UPDATE SET status = 'running' \
             WHERE close_runs.status = 'failed'",
            [
                Value::from(date),
                Value::from(started_by),
                Value::from(now),
                Value::from(opts.partition_size.max(1)),
            ],
        ))
        .await
        .map_err(db_error)?;
    // The grid is the run's, set by whoever created it: a worker planning on a size of its
    // own would lay ranges over those others hold.
    let row = ctx
        .db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT id, partition_size FROM close_runs WHERE business_date = $1",
            [Value::from(date)],
        ))
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::internal("no run"))?;
    let run_id: i64 = row.try_get("", "id").map_err(db_error)?;
    let grid: i64 = row.try_get("", "partition_size").map_err(db_error)?;
    if grid != opts.partition_size {
        tracing::info!(
            run_id,
            grid,
            asked = opts.partition_size,
            "joining a run planned on another partition size; using the run's"
        );
    }
    // A rerun retries what failed last time.
    ctx.db
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "UPDATE close_partitions SET status = 'pending', error = NULL \
             WHERE run_id = $1 AND status = 'failed'",
            [Value::from(run_id)],
        ))
        .await
        .map_err(db_error)?;
    for (seq, step) in STEPS.into_iter().enumerate() {
        if !run_step(ctx, run_id, seq as i32, step, date, grid, opts).await? {
            ctx.db
                .execute_raw(Statement::from_sql_and_values(
                    DbBackend::Postgres,
                    "UPDATE close_runs SET status = 'failed' WHERE id = $1 AND status = 'running'",
                    [Value::from(run_id)],
                ))
                .await
                .map_err(db_error)?;
            break;
        }
    }
    run(&ctx.db, run_id).await
}

/// Runs (or joins, or skips when done) one step. False when some partition failed.
async fn run_step(
    ctx: &CloseContext,
    run_id: i64,
    seq: i32,
    step: CloseStep,
    date: Date,
    grid: i64,
    opts: &CloseOptions,
) -> AppResult<bool> {
    let now = ctx.clock.now();
    ctx.db
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "INSERT INTO close_steps (run_id, step, seq, status, started_at) VALUES ($1, $2, $3, 'running', $4) \
             ON CONFLICT (run_id, step) DO UPDATE SET status = 'running' WHERE close_steps.status = 'failed'",
            [
                Value::from(run_id),
                Value::from(step.as_str()),
                Value::from(seq),
                Value::from(now),
            ],
        ))
        .await
        .map_err(db_error)?;
    let status = step_status(&ctx.db, run_id, step).await?;
    if status == "done" {
        return Ok(true);
    }
    if step.partitioned() && has_work(&ctx.db, step, date).await? {
        plan_partitions(&ctx.db, run_id, step, grid).await?;
        if opts.parallel > 1 {
            let mut lanes = tokio::task::JoinSet::new();
            for _ in 0..opts.parallel {
                let (ctx, opts) = (ctx.clone(), opts.clone());
                lanes.spawn(async move { work_partitions(&ctx, run_id, step, date, &opts).await });
            }
            while let Some(lane) = lanes.join_next().await {
                lane.map_err(|e| AppError::internal(format!("a close lane stopped: {e}")))??;
            }
        } else {
            work_partitions(ctx, run_id, step, date, opts).await?;
        }
        let failed: i64 = scalar(
            &ctx.db,
            "SELECT count(*) AS n FROM close_partitions WHERE run_id = $1 AND step = $2 AND status = 'failed'",
            [Value::from(run_id), Value::from(step.as_str())],
        )
        .await?;
        if failed > 0 {
            ctx.db
                .execute_raw(Statement::from_sql_and_values(
                    DbBackend::Postgres,
                    "UPDATE close_steps SET status = 'failed' WHERE run_id = $1 AND step = $2 AND status = 'running'",
                    [Value::from(run_id), Value::from(step.as_str())],
                ))
                .await
                .map_err(db_error)?;
            return Ok(false);
        }
        retry_failed_loans(ctx, run_id, step, date).await?;
    }
    finish_step(ctx, run_id, step, date).await?;
    Ok(true)
}

async fn step_status(db: &impl ConnectionTrait, run_id: i64, step: CloseStep) -> AppResult<String> {
    db.query_one_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT status FROM close_steps WHERE run_id = $1 AND step = $2",
        [Value::from(run_id), Value::from(step.as_str())],
    ))
    .await
    .map_err(db_error)?
    .ok_or_else(|| AppError::internal("no step"))?
    .try_get("", "status")
    .map_err(db_error)
}

/// Serializes a provision demand with the provisions step's decision whether it has work (a
/// transaction-level advisory lock): a demand either commits before the step looks, or finds
/// the step begun and is refused — never made while the step decides without it.
pub const DEMANDS_LOCK: &str = "SELECT pg_advisory_xact_lock(hashtext('provision_demands'))";

/// [`CloseStep::due_on`], for provisions under [`DEMANDS_LOCK`]; the step's row is committed
/// before, so a demand that waited for the lock sees the step begun.
async fn has_work(db: &DatabaseConnection, step: CloseStep, date: Date) -> AppResult<bool> {
    if step != CloseStep::Provisions {
        return step.due_on(db, date).await;
    }
    let txn = db.begin().await.map_err(db_error)?;
    txn.execute_unprepared(DEMANDS_LOCK)
        .await
        .map_err(db_error)?;
    let due = step.due_on(&txn, date).await?;
    txn.commit().await.map_err(db_error)?;
    Ok(due)
}

/// The partitions of a step, on the run's grid (`size`) anchored at id 0 so that every worker
/// plans the same ranges whatever it sees; planning twice adds nothing. The grid spans the
/// active loans and the loans whose balance history is still open, so the snapshot step closes
/// the row of a loan settled beyond the last active one.
async fn plan_partitions(
    db: &impl ConnectionTrait,
    run_id: i64,
    step: CloseStep,
    size: i64,
) -> AppResult<()> {
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "INSERT INTO close_partitions (run_id, step, lo, hi, status) \
         SELECT $1, $2, g * $3, (g + 1) * $3, 'pending' \
         FROM (SELECT least((SELECT min(id) FROM loans WHERE status = 'active'), \
                         (SELECT min(loan_id) FROM loan_balance_history WHERE valid_to IS NULL)) / $3 AS first, \
                   greatest((SELECT max(id) FROM loans WHERE status = 'active'), \
                            (SELECT max(loan_id) FROM loan_balance_history WHERE valid_to IS NULL)) / $3 AS last) b, \
              generate_series(b.first, b.last) g \
         ON CONFLICT (run_id, step, lo) DO NOTHING",
        [
            Value::from(run_id),
            Value::from(step.as_str()),
            Value::from(size.max(1)),
        ],
    ))
    .await
    .map_err(db_error)?;
    Ok(())
}

/// Claims pending partitions one at a time until none is left; waits for ranges other workers
/// hold, and takes them over if those workers die (their locks go with their connections).
async fn work_partitions(
    ctx: &CloseContext,
    run_id: i64,
    step: CloseStep,
    date: Date,
    opts: &CloseOptions,
) -> AppResult<()> {
    loop {
        let txn = begin_partition(&ctx.db).await?;
        let claimed = txn
            .query_one_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT lo, hi FROM close_partitions WHERE run_id = $1 AND step = $2 AND status = 'pending' \
                 ORDER BY lo LIMIT 1 FOR UPDATE SKIP LOCKED",
                [Value::from(run_id), Value::from(step.as_str())],
            ))
            .await
            .map_err(db_error)?;
        let Some(row) = claimed else {
            txn.commit().await.map_err(db_error)?;
            let pending: i64 = scalar(
                &ctx.db,
                "SELECT count(*) AS n FROM close_partitions WHERE run_id = $1 AND step = $2 AND status = 'pending'",
                [Value::from(run_id), Value::from(step.as_str())],
            )
            .await?;
            if pending == 0 {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        };
        let lo: i64 = row.try_get("", "lo").map_err(db_error)?;
        let hi: i64 = row.try_get("", "hi").map_err(db_error)?;
        let now = ctx.clock.now();
        // The partition in one statement per step; when that fails, loan by loan under
        // savepoints, so one bad loan is recorded and the others go on.
        let savepoint = txn.begin().await.map_err(db_error)?;
        let worked = match do_range(&savepoint, run_id, step, date, (lo, hi), now).await {
            Ok(rows) => {
                savepoint.commit().await.map_err(db_error)?;
                Ok(rows)
            }
            Err(e) => {
                savepoint.rollback().await.map_err(db_error)?;
                isolate_failures(&txn, run_id, step, date, (lo, hi), now, e).await
            }
        };
        match worked {
            Ok(rows) => {
                mark_partition(&txn, run_id, step, lo, "done", rows as i64, None, opts, now)
                    .await?;
                txn.commit().await.map_err(db_error)?;
            }
            Err(e) => {
                txn.rollback().await.map_err(db_error)?;
                tracing::warn!(run_id, step = step.as_str(), lo, hi, error = %e.message, "close partition failed");
                let txn = ctx.db.begin().await.map_err(db_error)?;
                mark_partition(
                    &txn,
                    run_id,
                    step,
                    lo,
                    "failed",
                    0,
                    Some(&e.message),
                    opts,
                    now,
                )
                .await?;
                txn.commit().await.map_err(db_error)?;
            }
        }
    }
}

/// A partition's transaction, set for many short transactions:
///
/// - without JIT compilation: a partition's statements run for tens of milliseconds, and at a
///   million loans their estimated costs pass `jit_above_cost`, so PostgreSQL spent as long
///   compiling each as running it (the warnings statement: 72 of 153 ms per partition in the
///   benchmark, docs/BENCHMARKS.md);
/// - committing without waiting for the WAL flush (`synchronous_commit = off`): a partition's
///   work and its done mark are one transaction, so a crash of the database that loses the last
///   commits loses both, and the partition is simply done again. Nothing outside counts on a
///   partition's commit: the step's end (`finish_step`) commits synchronously, and its flush
///   takes every earlier commit record with it (the WAL is one stream), so a step is only ever
///   marked done over partitions on disk;
/// - planning for pages in memory or on SSD (`random_page_cost = 1.1`, not the default 4 of
///   spinning disks): a partition touches ten thousand loans of a million, by index; at the
///   default, a row estimate off by a little made the planner read the whole balances and
///   applications tables for a hash join instead (the snapshot: 382 ms against 71 ms).
async fn begin_partition(db: &DatabaseConnection) -> AppResult<DatabaseTransaction> {
    let txn = db.begin().await.map_err(db_error)?;
    // A worker on another machine that goes silent mid-partition (its host lost, not its
    // process killed) leaves no closed connection behind: the timeout ends its transaction so
    // that the partition's lock passes to a live worker. Its statements come back to back;
    // only a worker that stopped talking is idle this long.
    txn.execute_unprepared(
        "SET LOCAL jit = off; SET LOCAL synchronous_commit = off; SET LOCAL random_page_cost = 1.1; \
         SET LOCAL idle_in_transaction_session_timeout = '5min'",
    )
    .await
    .map_err(db_error)?;
    Ok(txn)
}

/// One step's work over the loans in [lo, hi), in the caller's transaction.
async fn do_range(
    txn: &impl ConnectionTrait,
    run_id: i64,
    step: CloseStep,
    date: Date,
    (lo, hi): (i64, i64),
    now: OffsetDateTime,
) -> AppResult<u64> {
    match step {
        CloseStep::InterestAccrual => {
            steps::interest_accrual(txn, run_id, date, (lo, hi), now).await
        }
        CloseStep::OverdueTransfer => {
            steps::overdue_transfer(txn, run_id, date, (lo, hi), now).await
        }
        CloseStep::CreditApplication => steps::credit_application(txn, date, (lo, hi), now).await,
        CloseStep::PenaltyAccrual => steps::penalty_accrual(txn, date, (lo, hi)).await,
        CloseStep::Classification => quality::classification(txn, date, (lo, hi), now).await,
        CloseStep::NonAccrual => quality::non_accrual(txn, run_id, date, (lo, hi), now).await,
        CloseStep::Provisions => quality::provisions(txn, run_id, date, (lo, hi), now).await,
        CloseStep::Warnings => {
            super::warnings::close_step::raise_warnings(txn, date, (lo, hi), now).await
        }
        CloseStep::Reminders => reminders::reminders(txn, date, (lo, hi), now).await,
        CloseStep::BalanceSnapshots => snapshots::balance_snapshots(txn, date, (lo, hi)).await,
        CloseStep::AdvanceDate => Ok(0),
    }
}

/// More loans than this failing in one partition is not a bad loan but a fault of the step (or
/// the database): the partition fails as a whole and the run stops, rather than a date moving
/// on with a step skipped for everyone.
pub const MAX_LOAN_FAILURES_PER_PARTITION: usize = 20;

/// Does [lo, hi) again, halving each failing range under a savepoint until the loans that fail
/// stand alone: each is recorded in `close_loan_failures` and left as it was, the rest done.
/// Every step brings a loan up to its date (accrual to date, what is due and unmoved, penalty
/// from where it stopped, the class from today's figures), so a skipped loan is caught up by the
/// retry at the step's end or by the next run. Errors of the database itself, and too many
/// failing loans, fail the partition.
async fn isolate_failures(
    txn: &DatabaseTransaction,
    run_id: i64,
    step: CloseStep,
    date: Date,
    (lo, hi): (i64, i64),
    now: OffsetDateTime,
    first: AppError,
) -> AppResult<u64> {
    let mut rows = 0;
    let mut failed: Vec<(i64, String)> = vec![];
    // The whole range has just failed: start from its halves.
    let mut ranges = if hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        vec![(mid, hi), (lo, mid)]
    } else {
        vec![(lo, hi)]
    };
    while let Some((a, b)) = ranges.pop() {
        let savepoint = txn.begin().await.map_err(db_error)?;
        match do_range(&savepoint, run_id, step, date, (a, b), now).await {
            Ok(n) => {
                savepoint.commit().await.map_err(db_error)?;
                rows += n;
            }
            Err(e) => {
                savepoint.rollback().await.map_err(db_error)?;
                if b - a == 1 {
                    failed.push((a, e.message));
                    if failed.len() > MAX_LOAN_FAILURES_PER_PARTITION {
                        return Err(AppError::internal(format!(
                            "more than {MAX_LOAN_FAILURES_PER_PARTITION} loans failed in [{lo}, {hi}); the first: {}",
                            first.message
                        )));
                    }
                } else {
                    let mid = a + (b - a) / 2;
                    ranges.push((mid, b));
                    ranges.push((a, mid));
                }
            }
        }
    }
    if failed.is_empty() {
        // The whole failed and every part succeeded: nothing about a loan (a lost race, say).
        return Ok(rows);
    }
    for (loan_id, error) in &failed {
        tracing::warn!(run_id, step = step.as_str(), loan_id, error = %error, "close skipped a loan");
        txn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "INSERT INTO close_loan_failures (run_id, step, loan_id, error, failed_at) \
             VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (run_id, step, loan_id) DO UPDATE SET error = EXCLUDED.error, failed_at = EXCLUDED.failed_at",
            [
                Value::from(run_id),
                Value::from(step.as_str()),
                Value::from(*loan_id),
                Value::from(error.clone()),
                Value::from(now),
            ],
        ))
        .await
        .map_err(db_error)?;
    }
    Ok(rows)
}

/// Once every partition of a step is done, its failed loans get one more try each (a lock
/// timeout or a serialization failure passes): a loan that succeeds leaves the failure list in
/// the transaction that does it, before the step's voucher sums the postings. Any worker may
/// get here; the row lock makes each retry happen once.
async fn retry_failed_loans(
    ctx: &CloseContext,
    run_id: i64,
    step: CloseStep,
    date: Date,
) -> AppResult<()> {
    let ids = ctx
        .db
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT loan_id FROM close_loan_failures WHERE run_id = $1 AND step = $2 ORDER BY loan_id",
            [Value::from(run_id), Value::from(step.as_str())],
        ))
        .await
        .map_err(db_error)?;
    for row in ids {
        let loan_id: i64 = row.try_get("", "loan_id").map_err(db_error)?;
        let now = ctx.clock.now();
        let txn = begin_partition(&ctx.db).await?;
        let claimed = txn
            .query_one_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT loan_id FROM close_loan_failures WHERE run_id = $1 AND step = $2 AND loan_id = $3 \
                 FOR UPDATE SKIP LOCKED",
                [
                    Value::from(run_id),
                    Value::from(step.as_str()),
                    Value::from(loan_id),
                ],
            ))
            .await
            .map_err(db_error)?;
        if claimed.is_none() {
            txn.rollback().await.map_err(db_error)?;
            continue;
        }
        let savepoint = txn.begin().await.map_err(db_error)?;
        match do_range(&savepoint, run_id, step, date, (loan_id, loan_id + 1), now).await {
            Ok(_) => {
                savepoint.commit().await.map_err(db_error)?;
                txn.execute_raw(Statement::from_sql_and_values(
                    DbBackend::Postgres,
                    "DELETE FROM close_loan_failures WHERE run_id = $1 AND step = $2 AND loan_id = $3",
                    [
                        Value::from(run_id),
                        Value::from(step.as_str()),
                        Value::from(loan_id),
                    ],
                ))
                .await
                .map_err(db_error)?;
            }
            Err(e) => {
                savepoint.rollback().await.map_err(db_error)?;
                txn.execute_raw(Statement::from_sql_and_values(
                    DbBackend::Postgres,
                    "UPDATE close_loan_failures SET error = $4, failed_at = $5 \
                     WHERE run_id = $1 AND step = $2 AND loan_id = $3",
                    [
                        Value::from(run_id),
                        Value::from(step.as_str()),
                        Value::from(loan_id),
                        Value::from(e.message),
                        Value::from(now),
                    ],
                ))
                .await
                .map_err(db_error)?;
            }
        }
        txn.commit().await.map_err(db_error)?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn mark_partition(
    txn: &impl ConnectionTrait,
    run_id: i64,
    step: CloseStep,
    lo: i64,
    status: &str,
    rows: i64,
    error: Option<&str>,
    opts: &CloseOptions,
    now: OffsetDateTime,
) -> AppResult<()> {
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "UPDATE close_partitions SET status = $4, rows_done = $5, error = $6, worker = $7, done_at = $8 \
         WHERE run_id = $1 AND step = $2 AND lo = $3",
        [
            Value::from(run_id),
            Value::from(step.as_str()),
            Value::from(lo),
            Value::from(status),
            Value::from(rows),
            Value::from(error.map(str::to_string)),
            Value::from(opts.worker.clone()),
            Value::from(now),
        ],
    ))
    .await
    .map_err(db_error)?;
    Ok(())
}

/// Marks a step done, in one transaction with what it books once for the whole run: the
/// overdue transfer's voucher; the new business date and the run's end.
async fn finish_step(
    ctx: &CloseContext,
    run_id: i64,
    step: CloseStep,
    date: Date,
) -> AppResult<()> {
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let status: String = txn
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT status FROM close_steps WHERE run_id = $1 AND step = $2 FOR UPDATE",
            [Value::from(run_id), Value::from(step.as_str())],
        ))
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::internal("no step"))?
        .try_get("", "status")
        .map_err(db_error)?;
    if status == "done" {
        return txn.commit().await.map_err(db_error);
    }
    let voucher_id = match step {
        CloseStep::InterestAccrual => post_accrual(&txn, run_id, date, now).await?,
        CloseStep::OverdueTransfer => post_transfer(&txn, run_id, date, now).await?,
        // Each application from credit posts its own voucher, in its partition.
        CloseStep::CreditApplication
        | CloseStep::PenaltyAccrual
        | CloseStep::Classification
        | CloseStep::Warnings
        | CloseStep::Reminders
        | CloseStep::BalanceSnapshots => None,
        CloseStep::NonAccrual => post_non_accrual(&txn, run_id, date, now).await?,
        CloseStep::Provisions if step.due_on(&txn, date).await? => {
            post_provisions(&txn, run_id, date, now).await?
        }
        CloseStep::Provisions => None,
        CloseStep::AdvanceDate => {
            let today: Date = txn
                .query_one_raw(Statement::from_string(
                    DbBackend::Postgres,
                    "SELECT today FROM business_date FOR UPDATE",
                ))
                .await
                .map_err(db_error)?
                .ok_or_else(|| AppError::internal("no business date"))?
                .try_get("", "today")
                .map_err(db_error)?;
            if today != date {
                return Err(AppError::conflict(
                    "not_the_business_date",
                    format!("the business date moved to {today} during the close of {date}"),
                ));
            }
            let next = date
                .next_day()
                .ok_or_else(|| AppError::internal("no next day"))?;
            txn.execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "UPDATE business_date SET today = $1, updated_at = $2",
                [Value::from(next), Value::from(now)],
            ))
            .await
            .map_err(db_error)?;
            txn.execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "UPDATE close_runs SET status = 'done', finished_at = $2 WHERE id = $1",
                [Value::from(run_id), Value::from(now)],
            ))
            .await
            .map_err(db_error)?;
            None
        }
    };
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "UPDATE close_steps SET status = 'done', finished_at = $3, voucher_id = $4, \
           rows_done = (SELECT coalesce(sum(rows_done), 0) FROM close_partitions WHERE run_id = $1 AND step = $2) \
         WHERE run_id = $1 AND step = $2",
        [
            Value::from(run_id),
            Value::from(step.as_str()),
            Value::from(now),
            Value::from(voucher_id),
        ],
    ))
    .await
    .map_err(db_error)?;
    txn.commit().await.map_err(db_error)
}

/// The overdue transfer's one voucher of the day: Dr 本金-逾期 / Cr 本金-正常, a line pair per
/// product (the per-loan detail stays in the sub-ledger).
async fn post_transfer(
    txn: &impl ConnectionTrait,
    run_id: i64,
    date: Date,
    now: OffsetDateTime,
) -> AppResult<Option<i64>> {
    let mut v = VoucherDraft::new(
        date,
        "close_overdue_transfer",
        run_id,
        format!("{date} 逾期本金转列"),
    );
    for r in detail(txn, run_id, CloseStep::OverdueTransfer).await? {
        let amount = Money::from_decimal(r.amount).map_err(AppError::internal)?;
        let memo = format!("逾期转列 {}", r.product);
        v.debit(codes::PRINCIPAL_OVERDUE, amount, None, &memo)
            .credit(codes::PRINCIPAL_NORMAL, amount, None, &memo);
    }
    post(txn, &v, now).await
}

/// The day's interest accrual voucher: Dr 1132 the gross interest, Cr 6011 net and 2221 the
/// VAT in it, a group of lines per product and VAT rate.
async fn post_accrual(
    txn: &impl ConnectionTrait,
    run_id: i64,
    date: Date,
    now: OffsetDateTime,
) -> AppResult<Option<i64>> {
    let mut v = VoucherDraft::new(
        date,
        "close_interest_accrual",
        run_id,
        format!("{date} 利息计提"),
    );
    for r in detail(txn, run_id, CloseStep::InterestAccrual).await? {
        let gross = Money::from_decimal(r.amount).map_err(AppError::internal)?;
        let (net, vat) = split_vat(gross, r.vat_rate);
        let memo = format!("利息计提 {}", r.product);
        v.debit(codes::INTEREST_RECEIVABLE, gross, None, &memo)
            .credit(codes::INTEREST_INCOME, net, None, &memo)
            .credit(codes::OUTPUT_VAT, vat, None, &memo);
    }
    post(txn, &v, now).await
}

#[derive(FromQueryResult)]
struct Detail {
    product: String,
    vat_rate: Decimal,
    amount: Decimal,
}

/// A step's per-loan detail summed per product and VAT rate: one range of the postings' key,
/// no join (the VAT rate is kept on each posting; a posting from before it was, has it looked
/// up from its loan).
async fn detail(
    txn: &impl ConnectionTrait,
    run_id: i64,
    step: CloseStep,
) -> AppResult<Vec<Detail>> {
    Detail::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT p.product, coalesce(p.vat_rate, \
           (SELECT (l.terms->>'vatRate')::numeric FROM loans l WHERE l.id = p.loan_id)) AS vat_rate, \
           sum(p.amount) AS amount \
         FROM close_postings p WHERE p.run_id = $1 AND p.step = $2 GROUP BY 1, 2 ORDER BY 1, 2",
        [Value::from(run_id), Value::from(step.as_str())],
    ))
    .all(txn)
    .await
    .map_err(db_error)
}

async fn post(
    txn: &impl ConnectionTrait,
    v: &VoucherDraft,
    now: OffsetDateTime,
) -> AppResult<Option<i64>> {
    if v.lines.is_empty() {
        return Ok(None);
    }
    let id = vouchers::post(
        txn,
        vouchers::Posting {
            made_by: None,
            checked_by: None,
            at: now,
        },
        v,
    )
    .await?;
    Ok(Some(id))
}

/// Non-accrual's voucher: the accrued interest taken back, Dr 6011 net and 2221 its VAT,
/// Cr 1132 gross, per product and VAT rate.
async fn post_non_accrual(
    txn: &impl ConnectionTrait,
    run_id: i64,
    date: Date,
    now: OffsetDateTime,
) -> AppResult<Option<i64>> {
    let mut v = VoucherDraft::new(
        date,
        "close_non_accrual",
        run_id,
        format!("{date} 非应计利息冲回"),
    );
    for r in detail(txn, run_id, CloseStep::NonAccrual).await? {
        let gross = Money::from_decimal(r.amount).map_err(AppError::internal)?;
        let (net, vat) = split_vat(gross, r.vat_rate);
        let memo = format!("转非应计 {}", r.product);
        v.debit(codes::INTEREST_INCOME, net, None, &memo)
            .debit(codes::OUTPUT_VAT, vat, None, &memo)
            .credit(codes::INTEREST_RECEIVABLE, gross, None, &memo);
    }
    post(txn, &v, now).await
}

/// The month-end provision voucher: the specific allowance's movement per product
/// (Dr 6701 / Cr 130401, or back when released) and the general allowance brought to 1 % of
/// the loans outstanding (130402) — the loans the step provisioned, as its summaries hold them,
/// so the report's gross loans and general allowance agree.
async fn post_provisions(
    txn: &impl ConnectionTrait,
    run_id: i64,
    date: Date,
    now: OffsetDateTime,
) -> AppResult<Option<i64>> {
    let mut v = VoucherDraft::new(
        date,
        "close_provisions",
        run_id,
        format!("{date} 计提贷款损失准备"),
    );
    let book = |v: &mut VoucherDraft, account: &str, movement: Money, memo: &str| {
        if movement.is_positive() {
            v.debit(codes::CREDIT_IMPAIRMENT, movement, None, memo)
                .credit(account, movement, None, memo);
        } else if movement.is_negative() {
            v.debit(account, -movement, None, memo).credit(
                codes::CREDIT_IMPAIRMENT,
                -movement,
                None,
                memo,
            );
        }
    };
    for r in detail(txn, run_id, CloseStep::Provisions).await? {
        let movement = Money::from_decimal(r.amount).map_err(AppError::internal)?;
        book(
            &mut v,
            codes::ALLOWANCE_SPECIFIC,
            movement,
            &format!("单项准备 {}", r.product),
        );
    }
    #[derive(FromQueryResult)]
    struct General {
        target: Decimal,
        booked: Decimal,
    }
    let g = General::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!(
            "SELECT round(coalesce((SELECT sum(balance) FROM provision_summaries WHERE as_of = $1), 0) * 0.01, 2) \
               AS target, \
             coalesce((SELECT sum(vl.credit - vl.debit) FROM voucher_lines vl JOIN vouchers vv ON vv.id = vl.voucher_id \
               WHERE vv.status = 'posted' AND vl.account_code = '{}'), 0) AS booked",
            codes::ALLOWANCE_GENERAL
        ),
        [Value::from(date)],
    ))
    .one(txn)
    .await
    .map_err(db_error)?
    .ok_or_else(|| AppError::internal("no general provision"))?;
    let movement = Money::from_decimal(g.target - g.booked).map_err(AppError::internal)?;
    book(&mut v, codes::ALLOWANCE_GENERAL, movement, "一般准备");
    post(txn, &v, now).await
}

async fn scalar<const N: usize>(
    db: &impl ConnectionTrait,
    sql: &str,
    values: [Value; N],
) -> AppResult<i64> {
    db.query_one_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        sql,
        values,
    ))
    .await
    .map_err(db_error)?
    .ok_or_else(|| AppError::internal("no row"))?
    .try_get("", "n")
    .map_err(db_error)
}

#[derive(FromQueryResult)]
struct RunRow {
    id: i64,
    business_date: Date,
    status: String,
    started_at: OffsetDateTime,
    finished_at: Option<OffsetDateTime>,
}

async fn find_run(db: &impl ConnectionTrait, date: Date) -> AppResult<Option<CloseRun>> {
    let id: Option<i64> = db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT id FROM close_runs WHERE business_date = $1",
            [Value::from(date)],
        ))
        .await
        .map_err(db_error)?
        .map(|r| r.try_get("", "id"))
        .transpose()
        .map_err(db_error)?;
    match id {
        Some(id) => Ok(Some(run(db, id).await?)),
        None => Ok(None),
    }
}

/// A run with the progress of its steps.
pub async fn run(db: &impl ConnectionTrait, id: i64) -> AppResult<CloseRun> {
    load_runs(db, "WHERE id = $1", [Value::from(id)])
        .await?
        .pop()
        .ok_or_else(|| AppError::not_found("close run"))
}

/// The runs, newest first (日终记录).
pub async fn runs(db: &impl ConnectionTrait, page: &PageRequest) -> AppResult<Page<CloseRun>> {
    let total: i64 = scalar(db, "SELECT count(*) AS n FROM close_runs", []).await?;
    let items = load_runs(
        db,
        "ORDER BY business_date DESC LIMIT $1 OFFSET $2",
        [Value::from(page.page_size()), Value::from(page.offset())],
    )
    .await?;
    Ok(Page::new(items, total as u64, page))
}

/// Failed loans listed per run, the earliest first.
const LOAN_FAILURES_LISTED: i64 = 100;

/// The runs a clause over `close_runs` picks, in its order, each with its steps' progress and
/// its failed loans: three queries, however many runs.
async fn load_runs<const N: usize>(
    db: &impl ConnectionTrait,
    clause: &str,
    values: [Value; N],
) -> AppResult<Vec<CloseRun>> {
    let heads = RunRow::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!(
            "SELECT id, business_date, status, started_at, finished_at FROM close_runs {clause}"
        ),
        values,
    ))
    .all(db)
    .await
    .map_err(db_error)?;
    if heads.is_empty() {
        return Ok(vec![]);
    }
    let ids: Vec<i64> = heads.iter().map(|r| r.id).collect();
    #[derive(FromQueryResult)]
    struct StepRow {
        run_id: i64,
        step: String,
        status: String,
        started_at: OffsetDateTime,
        finished_at: Option<OffsetDateTime>,
        rows_done: i64,
        partitions: i64,
        partitions_done: i64,
        partitions_failed: i64,
        partition_rows: i64,
        error: Option<String>,
        loans_failed: i64,
        voucher_id: Option<i64>,
        amount: Option<Decimal>,
    }
    let steps = StepRow::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT s.run_id, s.step, s.status, s.started_at, s.finished_at, s.rows_done, s.voucher_id, \
           count(p.lo) AS partitions, count(p.lo) FILTER (WHERE p.status = 'done') AS partitions_done, \
           count(p.lo) FILTER (WHERE p.status = 'failed') AS partitions_failed, \
           coalesce(sum(p.rows_done), 0)::bigint AS partition_rows, \
           min(p.error) AS error, \
           (SELECT count(*) FROM close_loan_failures f WHERE f.run_id = s.run_id AND f.step = s.step) AS loans_failed, \
           (SELECT sum(debit) FROM voucher_lines vl WHERE vl.voucher_id = s.voucher_id) AS amount \
         FROM close_steps s LEFT JOIN close_partitions p ON p.run_id = s.run_id AND p.step = s.step \
         WHERE s.run_id = ANY($1) GROUP BY s.run_id, s.step ORDER BY s.run_id, s.seq",
        [Value::from(ids.clone())],
    ))
    .all(db)
    .await
    .map_err(db_error)?;
    #[derive(FromQueryResult)]
    struct FailureRow {
        run_id: i64,
        step: String,
        loan_id: i64,
        loan_no: String,
        error: String,
        failed_at: OffsetDateTime,
    }
    let failures = FailureRow::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT run_id, step, loan_id, loan_no, error, failed_at FROM ( \
           SELECT f.run_id, f.step, f.loan_id, l.loan_no, f.error, f.failed_at, \
             row_number() OVER (PARTITION BY f.run_id ORDER BY f.failed_at, f.loan_id) AS n \
           FROM close_loan_failures f JOIN loans l ON l.id = f.loan_id WHERE f.run_id = ANY($1) \
         ) x WHERE n <= $2 ORDER BY run_id, failed_at, loan_id",
        [Value::from(ids), Value::from(LOAN_FAILURES_LISTED)],
    ))
    .all(db)
    .await
    .map_err(db_error)?;
    let mut steps_of: HashMap<i64, Vec<CloseStepProgress>> = HashMap::new();
    for s in steps {
        steps_of
            .entry(s.run_id)
            .or_default()
            .push(CloseStepProgress {
                step: CloseStep::parse(&s.step)?,
                rows_done: if s.status == "done" {
                    s.rows_done
                } else {
                    s.partition_rows
                },
                status: s.status,
                started_at: s.started_at,
                finished_at: s.finished_at,
                partitions: s.partitions,
                partitions_done: s.partitions_done,
                partitions_failed: s.partitions_failed,
                error: s.error,
                loans_failed: s.loans_failed,
                voucher_id: s.voucher_id,
                amount: s
                    .amount
                    .map(Money::from_decimal)
                    .transpose()
                    .map_err(AppError::internal)?
                    .unwrap_or(Money::ZERO),
            });
    }
    let mut failures_of: HashMap<i64, Vec<CloseLoanFailure>> = HashMap::new();
    for f in failures {
        failures_of
            .entry(f.run_id)
            .or_default()
            .push(CloseLoanFailure {
                step: CloseStep::parse(&f.step)?,
                loan_id: f.loan_id,
                loan_no: f.loan_no,
                error: f.error,
                failed_at: f.failed_at,
            });
    }
    Ok(heads
        .into_iter()
        .map(|r| CloseRun {
            id: r.id,
            loan_failures: failures_of.remove(&r.id).unwrap_or_default(),
            steps: steps_of.remove(&r.id).unwrap_or_default(),
            business_date: r.business_date,
            status: r.status,
            started_at: r.started_at,
            finished_at: r.finished_at,
        })
        .collect())
}
