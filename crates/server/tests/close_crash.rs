//! The daily close (`chedai close-day`) killed with SIGKILL at chosen points, and shared by two
//! workers, books exactly what one uninterrupted worker books.
//!
//! One throw-away PostgreSQL holds a generated book: `gen customers`, then the business date
//! set [`DAYS_BACK`] days back and `gen loans` (100 000 at 12 % over 24 months, the first
//! installment due on that date, the second a month later), then the date moved on by hand
//! (`chedai advance-date`) past the second due date, as after a month without a close, plus one
//! opening voucher for the disbursements the generator does not write, so that the books
//! reconcile before the close. Every closed day runs the close's steps in their order
//! (`STEPS` in `close/mod.rs`): interest accrual (every loan, every day: the current
//! installment's interest, one voucher a day), the credit application (nothing here: the
//! generated loans hold no credit balance), the overdue transfer, penalty accrual,
//! classification, non-accrual, provisions (at month end only), warnings, reminders, balance
//! snapshots, and the date. The
//! first closed day thus moves two installments of every loan to overdue in one voucher,
//! catches up a month of penalty on the first, classes every loan 关注 (special mention) and
//! raises its 30-day warning; every day accrues interest and penalty on both, and moves the
//! days past due on. No loan gets to 90 days, so non-accrual does nothing; provisions book
//! only when a month ends among the closed days (the calendar decides). No reminder falls due:
//! the loans are 32 to 41 days late (past the 1, 7, 15 and 30-day reminders) and their third
//! installment is a month away, so the outbox stays empty here (the API tests cover its
//! rows); the balance snapshots open one history row per loan on the first day, then none,
//! and write the day's quality aggregate every day.
//!
//! That database is the template of identical copies: `a` is closed by one worker without
//! interruption and is the reference; `b` by workers killed one after another at eight chosen
//! points and three arbitrary ones; `c` by two workers at once; `e` by two workers one of
//! which is killed while it holds a partition (the other asking for another partition size);
//! `d` shows a bug (see the last test); `f` holds two loans a step fails on; `g` is closed by
//! one worker doing two partitions at once.
//!
//! Every chosen point is reached deterministically, never by timing: the test holds a row lock
//! (or an uncommitted row) in a transaction of its own that the worker needs right after the
//! point, waits until PostgreSQL reports the worker's backend blocked by the test's
//! (`pg_blocking_pids`), kills the worker, releases, and checks what had been committed. The
//! same holds make certain that each of two workers does partitions. No test measures time;
//! the polls' bound only turns a hang into a failure.
//!
//! The copies are compared on what the close is for: the business date, every voucher (its
//! number, date, kind, the run it belongs to, summary, and lines summed by account and loan),
//! every loan's balances (allowance included), installments (interest and penalty accrued),
//! class, days past due and non-accrual date, the class history, the provisions, the
//! warnings, the outbox, the balance history and the daily quality aggregate, the accounting
//! periods' numbering, and the close's own records (runs, steps,
//! partitions, per-loan postings), all identified by business date rather than by id: a run's
//! id comes from a sequence that every worker's `INSERT … ON CONFLICT` for the same date
//! advances (PostgreSQL evaluates the default before it finds the conflict), so two workers
//! or a restart give later runs other ids; voucher ids come from a sequence too, which a
//! transaction killed after inserting a voucher advances without committing it. Voucher
//! *numbers* are gapless by design and are compared.

use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use localpg::LocalPostgres;
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    Statement, TransactionTrait,
};
use time::Date;

/// Generated loans, and loan ids per partition: 41 partitions a partitioned step, 369 a day
/// (nine steps; 410 on a month's last day, with provisions).
const LOANS: i64 = 1_000;
const PARTITION: i64 = 25;
/// The loans are generated on a business date this many days before the calendar date (at
/// most three more, to land on a day every month has) …
const DAYS_BACK: i64 = 45;
/// … which then moves this many days on, past the second installment's due date …
const SKIPPED: i64 = 31;
/// … and this many days are closed from there.
const DAYS: i64 = 10;
/// The test's own connections, told apart from the workers' in `pg_stat_activity`.
const APP: &str = "close-crash-test";
/// Polls of the database while waiting for a worker (a bound against a hang, not a timing).
const POLLS: usize = 30_000;
const POLL: Duration = Duration::from_millis(20);

// ---------------------------------------------------------------------------------------------
// The shared fixture: one cluster, the template, its copies, and the reference close.

struct Fixture {
    pg: LocalPostgres,
    var: PathBuf,
    /// The first business date closed, and the business date the close stops at.
    start: Date,
    to: Date,
    /// The reference: database `a` closed by one uninterrupted worker.
    reference: Snapshot,
}

impl Drop for Fixture {
    fn drop(&mut self) {
        self.pg.stop();
        let _ = std::fs::remove_dir_all(&self.var);
    }
}

/// The fixture, built once for the tests that run at the same time and dropped (the cluster
/// stopped, its folders removed) after the last of them.
fn fixture() -> Arc<Fixture> {
    static SHARED: Mutex<Weak<Fixture>> = Mutex::new(Weak::new());
    let mut shared = SHARED.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(f) = shared.upgrade() {
        return f;
    }
    let f = Arc::new(prepare());
    *shared = Arc::downgrade(&f);
    f
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn prepare() -> Fixture {
    let pg = LocalPostgres::start_temporary().expect("a throw-away PostgreSQL starts");
    let var = std::env::temp_dir().join(format!(
        "chedai-close-crash-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    pg.ensure_database("base").unwrap();
    let mut fx = Fixture {
        pg,
        var,
        start: Date::MIN,
        to: Date::MIN,
        reference: Snapshot(vec![]),
    };
    run_ok(
        chedai(&fx, "base", &["gen", "customers", "--count", "50"]),
        "gen customers",
    );
    let rt = runtime();
    // The business date goes back so that there are past days to close; the generator writes
    // the loans from it (disbursed a month before, first installment due on it).
    let mut generated = time::OffsetDateTime::now_utc().date() - time::Duration::days(DAYS_BACK);
    while generated.day() > 28 {
        generated = generated.previous_day().unwrap();
    }
    let start = generated + time::Duration::days(SKIPPED);
    fx.start = start;
    fx.to = start + time::Duration::days(DAYS);
    rt.block_on(async {
        let db = connect(&fx.pg, "base").await;
        exec(
            &db,
            &format!(
                "INSERT INTO business_date (id, today, updated_at) VALUES (TRUE, '{generated}', now()) \
                 ON CONFLICT (id) DO UPDATE SET today = EXCLUDED.today"
            ),
        )
        .await;
        db.close().await.unwrap();
    });
    run_ok(
        chedai(
            &fx,
            "base",
            &[
                "gen",
                "loans",
                "--count",
                &LOANS.to_string(),
                "--batch",
                "1000",
            ],
        ),
        "gen loans",
    );
    run_ok(
        chedai(
            &fx,
            "base",
            &[
                "advance-date",
                "--to",
                &start.to_string(),
                "--reason",
                "测试：一个月未日终",
            ],
        ),
        "advance-date",
    );
    rt.block_on(async {
        let db = connect(&fx.pg, "base").await;
        assert_eq!(int(&db, "SELECT count(*) AS n FROM loans").await, LOANS);
        post_opening_voucher(&db).await;
        // The period of the first closed day exists before the close posts to it (as the first
        // voucher of the month would make it), so that a test can lock its numbering row.
        exec(
            &db,
            &format!(
                "INSERT INTO accounting_periods (period, status) \
                 VALUES (to_char('{start}'::date, 'YYYY-MM'), 'open') ON CONFLICT DO NOTHING"
            ),
        )
        .await;
        db.close().await.unwrap();
    });
    assert_reconciles(&fx, "base");

    rt.block_on(async {
        let admin = connect(&fx.pg, "postgres").await;
        for copy in ["a", "b", "c", "d", "e", "f", "g"] {
            exec(&admin, &format!("CREATE DATABASE {copy} TEMPLATE base")).await;
        }
        admin.close().await.unwrap();
    });

    // The reference: one worker, never interrupted.
    let out = run_ok(close_day(&fx, "a", "solo"), "the reference close of a");
    assert_eq!(
        out.lines().filter(|l| l.ends_with(" done")).count() as i64,
        DAYS,
        "one run a day: {out}"
    );
    fx.reference = rt.block_on(async {
        let db = connect(&fx.pg, "a").await;
        let s = Snapshot::take(&db).await;
        // The reference books something worth comparing, every step of it: each day accrues
        // interest on every loan (one voucher a day, one posting a loan a day); both
        // installments of every loan went overdue (one transfer voucher, one posting a loan)
        // and bear penalty and compound interest; every loan is 关注 at the days past due of
        // the last closed day, classed so on the first, and warned of once (30 days late);
        // provisions come with a month's end only, and no loan reaches non-accrual.
        let generated = start - time::Duration::days(SKIPPED);
        let month_ends = (0..DAYS)
            .map(|k| start + time::Duration::days(k))
            .filter(|d| d.next_day().unwrap().day() == 1)
            .count() as i64;
        let ids = loan_ids(&db).await;
        let per_step = (partition_of(*ids.last().unwrap()) - partition_of(ids[0])) / PARTITION + 1;
        assert_eq!(s.section("business date"), [fx.to.to_string()]);
        assert_eq!(s.section("close runs").len() as i64, DAYS);
        assert_eq!(
            lines(
                &db,
                "SELECT step || ' ' || count(*) AS line FROM close_steps WHERE status = 'done' \
                 GROUP BY step, seq ORDER BY seq"
            )
            .await,
            [
                "interest_accrual", "credit_application", "overdue_transfer", "penalty_accrual",
                "classification", "non_accrual", "provisions", "warnings", "reminders",
                "balance_snapshots", "advance_date",
            ]
            .map(|step| format!("{step} {DAYS}"))
        );
        let mut partitioned = vec![
            format!("interest_accrual {}", per_step * DAYS),
            format!("credit_application {}", per_step * DAYS),
            format!("overdue_transfer {}", per_step * DAYS),
            format!("penalty_accrual {}", per_step * DAYS),
            format!("classification {}", per_step * DAYS),
            format!("non_accrual {}", per_step * DAYS),
        ];
        if month_ends > 0 {
            partitioned.push(format!("provisions {}", per_step * month_ends));
        }
        partitioned.push(format!("warnings {}", per_step * DAYS));
        partitioned.push(format!("reminders {}", per_step * DAYS));
        partitioned.push(format!("balance_snapshots {}", per_step * DAYS));
        assert_eq!(
            lines(
                &db,
                "SELECT step || ' ' || count(*) AS line FROM close_partitions WHERE status = 'done' \
                 GROUP BY step ORDER BY array_position(ARRAY['interest_accrual', 'credit_application', 'overdue_transfer', \
                   'penalty_accrual', 'classification', 'non_accrual', 'provisions', 'warnings', \
                   'reminders', 'balance_snapshots'], step)"
            )
            .await,
            partitioned
        );
        let mut vouchers = vec![
            format!("close_interest_accrual {DAYS}"),
            "close_overdue_transfer 1".to_string(),
        ];
        if month_ends > 0 {
            vouchers.push(format!("close_provisions {month_ends}"));
        }
        assert_eq!(
            lines(
                &db,
                "SELECT source_kind || ' ' || count(*) AS line FROM vouchers \
                 WHERE source_kind LIKE 'close\\_%' GROUP BY source_kind ORDER BY min(id)"
            )
            .await,
            vouchers
        );
        let mut postings = vec![
            format!("interest_accrual {}", DAYS * LOANS),
            format!("overdue_transfer {LOANS}"),
        ];
        if month_ends > 0 {
            postings.push(format!("provisions {}", month_ends * LOANS));
        }
        assert_eq!(
            lines(
                &db,
                "SELECT step || ' ' || count(*) AS line FROM close_postings GROUP BY step \
                 ORDER BY array_position(ARRAY['interest_accrual','overdue_transfer','non_accrual','provisions'], step)"
            )
            .await,
            postings
        );
        assert_eq!(
            int(
                &db,
                "SELECT count(*) AS n FROM loan_installments \
                 WHERE penalty_accrued > 0 AND compound_accrued > 0 AND overdue_since IS NOT NULL"
            )
            .await,
            2 * LOANS
        );
        assert_eq!(
            int(
                &db,
                &format!(
                    "SELECT count(DISTINCT loan_id) AS n FROM loan_installments \
                     WHERE interest_accrued > 0 AND start_date <= '{start}' AND due_date > '{}'",
                    fx.to.previous_day().unwrap()
                )
            )
            .await,
            LOANS
        );
        assert_eq!(
            int(
                &db,
                &format!(
                    "SELECT count(*) AS n FROM loans WHERE classification = 'special_mention' \
                     AND days_past_due = {} AND non_accrual_since IS NULL",
                    SKIPPED + DAYS
                )
            )
            .await,
            LOANS
        );
        assert_eq!(
            int(
                &db,
                &format!(
                    "SELECT count(*) AS n FROM loan_classifications WHERE business_date = '{start}' \
                     AND from_class = 'normal' AND to_class = 'special_mention'"
                )
            )
            .await,
            LOANS
        );
        assert_eq!(
            int(
                &db,
                &format!(
                    "SELECT count(*) AS n FROM warnings WHERE rule_code = 'dpd_30' \
                     AND subject = 'due:{generated}' AND raised_on = '{start}'"
                )
            )
            .await,
            LOANS
        );
        // Each loan's figures settle on the first day (both installments overdue, 关注) and
        // stay: one history row per loan, current; the aggregate holds every loan every day.
        assert_eq!(
            int(
                &db,
                &format!(
                    "SELECT count(*) AS n FROM loan_balance_history WHERE valid_from = '{start}' \
                     AND valid_to IS NULL AND classification = 'special_mention' AND principal_overdue > 0"
                )
            )
            .await,
            LOANS
        );
        assert_eq!(int(&db, "SELECT count(*) AS n FROM loan_balance_history").await, LOANS);
        assert_eq!(
            int(
                &db,
                &format!(
                    "SELECT count(*) AS n FROM (SELECT business_date FROM portfolio_quality_daily \
                     GROUP BY business_date HAVING sum(loan_count) = {LOANS}) d"
                )
            )
            .await,
            DAYS
        );
        assert_eq!(int(&db, "SELECT count(*) AS n FROM outbox_messages").await, 0);
        db.close().await.unwrap();
        s
    });
    assert_reconciles(&fx, "a");
    fx
}

/// The disbursements as one posted voucher: Dr 本金-正常 per loan (the per-loan line the
/// reconciliation matches with the loan's balance), Cr the bank account in total.
async fn post_opening_voucher(db: &DatabaseConnection) {
    let txn = db.begin().await.unwrap();
    for sql in [
        "INSERT INTO accounting_periods (period, status) \
         SELECT DISTINCT to_char(value_date, 'YYYY-MM'), 'open' FROM loans ON CONFLICT DO NOTHING",
        "WITH d AS (SELECT min(value_date) AS day FROM loans), \
         n AS (UPDATE accounting_periods SET last_seq = last_seq + 1 \
               WHERE period = (SELECT to_char(day, 'YYYY-MM') FROM d) RETURNING period, last_seq) \
         INSERT INTO vouchers (period, seq, voucher_date, status, source_kind, summary, created_at) \
         SELECT n.period, n.last_seq, d.day, 'pending', 'opening', '期初放款（生成数据）', now() FROM n, d",
        "INSERT INTO voucher_lines (voucher_id, line_no, account_code, debit, credit, loan_id, memo) \
         SELECT v.id, row_number() OVER (ORDER BY l.id), '130301', l.principal, 0, l.id, '贷款本金' \
         FROM loans l, vouchers v WHERE v.source_kind = 'opening'",
        "INSERT INTO voucher_lines (voucher_id, line_no, account_code, debit, credit, loan_id, memo) \
         SELECT v.id, count(*) + 1, '100201', 0, sum(l.principal), NULL, '放款付出' \
         FROM loans l, vouchers v WHERE v.source_kind = 'opening' GROUP BY v.id",
        "UPDATE vouchers SET status = 'posted', posted_at = now() WHERE source_kind = 'opening'",
    ] {
        exec(&txn, sql).await;
    }
    txn.commit().await.unwrap();
}

// ---------------------------------------------------------------------------------------------
// The binary.

fn chedai(fx: &Fixture, database: &str, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_chedai"));
    c.args(args)
        .env("DATABASE_URL", fx.pg.url(database))
        .env("CHEDAI_VAR_DIR", &fx.var)
        .env("CHEDAI_DEMO_DATA", "0")
        .env("CHEDAI_ADMIN_PASSWORD", "Initial-Pass-1")
        .env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

fn close_day(fx: &Fixture, database: &str, worker: &str) -> Command {
    close_day_sized(fx, database, worker, PARTITION, fx.to)
}

/// A worker closing until `to`, asking for partitions of `size` loans (a run it joins keeps
/// the grid it was started with).
fn close_day_sized(fx: &Fixture, database: &str, worker: &str, size: i64, to: Date) -> Command {
    chedai(
        fx,
        database,
        &[
            "close-day",
            "--to",
            &to.to_string(),
            "--partition-size",
            &size.to_string(),
            "--worker",
            worker,
        ],
    )
}

fn printed(out: &Output) -> String {
    format!(
        "{}\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn run_ok(mut command: Command, what: &str) -> String {
    let out = command.output().expect("chedai runs");
    assert!(out.status.success(), "{what} failed: {}", printed(&out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn spawn(mut command: Command) -> Child {
    command.spawn().expect("chedai starts")
}

/// SIGKILL: `Child::kill` sends exactly that on Unix; the exit status proves it.
fn sigkill(mut worker: Child) -> Output {
    worker.kill().unwrap();
    let out = worker.wait_with_output().unwrap();
    assert_eq!(
        out.status.signal(),
        Some(9),
        "the worker died of SIGKILL: {}",
        printed(&out)
    );
    out
}

fn assert_reconciles(fx: &Fixture, database: &str) {
    let out = run_ok(chedai(fx, database, &["reconcile"]), "reconcile");
    assert!(out.contains("\"ok\": true"), "{database}: {out}");
}

// ---------------------------------------------------------------------------------------------
// The database.

async fn connect(pg: &LocalPostgres, database: &str) -> DatabaseConnection {
    let mut options = ConnectOptions::new(format!("{}?application_name={APP}", pg.url(database)));
    options.max_connections(4).sqlx_logging(false);
    Database::connect(options).await.unwrap()
}

async fn exec(db: &impl ConnectionTrait, sql: &str) {
    db.execute_unprepared(sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

async fn int(db: &impl ConnectionTrait, sql: &str) -> i64 {
    db.query_one_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .unwrap()
        .try_get("", "n")
        .unwrap()
}

async fn lines(db: &impl ConnectionTrait, sql: &str) -> Vec<String> {
    db.query_all_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .iter()
        .map(|r| r.try_get::<String>("", "line").unwrap())
        .collect()
}

/// Waits until the workers' connections to this database are gone: a killed worker's backend
/// ends (and its transaction rolls back) when it next talks to its client.
async fn settle(db: &DatabaseConnection) {
    for _ in 0..POLLS {
        let others = int(
            db,
            &format!(
                "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() \
                 AND backend_type = 'client backend' AND application_name <> '{APP}'"
            ),
        )
        .await;
        if others == 0 {
            return;
        }
        tokio::time::sleep(POLL).await;
    }
    panic!("a killed worker's connection never went away");
}

/// A transaction of the test's own holding a lock a worker will need.
struct Hold {
    txn: DatabaseTransaction,
    pid: i32,
}

impl Hold {
    async fn new(db: &DatabaseConnection, sql: &str) -> Hold {
        let txn = db.begin().await.unwrap();
        exec(&txn, sql).await;
        let pid = txn
            .query_one_raw(Statement::from_string(
                DbBackend::Postgres,
                "SELECT pg_backend_pid() AS pid",
            ))
            .await
            .unwrap()
            .unwrap()
            .try_get("", "pid")
            .unwrap();
        Hold { txn, pid }
    }

    /// The statements of the backends waiting for this hold; empty when none is.
    async fn blocked(&self, db: &DatabaseConnection) -> Vec<String> {
        lines(
            db,
            &format!(
                "SELECT query AS line FROM pg_stat_activity WHERE {} = ANY(pg_blocking_pids(pid))",
                self.pid
            ),
        )
        .await
    }

    /// Waits until `n` backends wait for this hold, failing if a worker ends first.
    async fn wait_blocked(
        &self,
        db: &DatabaseConnection,
        workers: &mut [&mut Child],
        n: usize,
    ) -> Vec<String> {
        for _ in 0..POLLS {
            for w in workers.iter_mut() {
                if let Some(status) = w.try_wait().unwrap() {
                    panic!("a worker ended ({status}) before it reached the held lock");
                }
            }
            let blocked = self.blocked(db).await;
            if blocked.len() >= n {
                return blocked;
            }
            tokio::time::sleep(POLL).await;
        }
        panic!("no worker ever waited for the held lock");
    }

    async fn release(self) {
        self.txn.rollback().await.unwrap();
    }
}

/// What the close is for, per database, as comparable lines.
struct Snapshot(Vec<(&'static str, Vec<String>)>);

const SECTIONS: &[(&str, &str)] = &[
    (
        "business date",
        "SELECT today::text AS line FROM business_date",
    ),
    (
        "accounting periods",
        "SELECT concat_ws(' ', period, status, last_seq) AS line FROM accounting_periods ORDER BY period",
    ),
    (
        "vouchers",
        "SELECT concat_ws(' | ', v.period || '-' || lpad(v.seq::text, 4, '0'), v.voucher_date, v.status, \
           v.source_kind, CASE WHEN r.id IS NULL THEN coalesce(v.source_id::text, '-') \
                               ELSE 'run of ' || r.business_date END, \
           v.summary, \
           (SELECT string_agg(concat_ws(' ', account_code, coalesce(loan_id::text, '-'), 'Dr', d, 'Cr', c), '; ' \
                              ORDER BY account_code, loan_id) \
            FROM (SELECT account_code, loan_id, sum(debit) AS d, sum(credit) AS c FROM voucher_lines \
                  WHERE voucher_id = v.id GROUP BY account_code, loan_id) x)) AS line \
         FROM vouchers v LEFT JOIN close_runs r ON r.id = v.source_id AND v.source_kind LIKE 'close\\_%' \
         ORDER BY v.period, v.seq",
    ),
    (
        "loan balances",
        "SELECT concat_ws(' ', loan_id, principal_normal, principal_overdue, principal_extended, \
           principal_impaired, interest_receivable, credit_balance, allowance) AS line \
         FROM loan_balances ORDER BY loan_id",
    ),
    (
        "loan installments",
        "SELECT concat_ws(' ', loan_id, period, start_date, due_date, principal, interest, fees, \
           paid_principal, paid_interest, paid_fees, paid_penalty, paid_compound, \
           interest_accrued, penalty_accrued, compound_accrued, coalesce(accrued_through::text, '-'), \
           coalesce(overdue_since::text, '-'), coalesce(settled_on::text, '-')) AS line \
         FROM loan_installments ORDER BY loan_id, period",
    ),
    (
        "loans",
        "SELECT concat_ws(' ', id, status, principal, value_date, maturity_date, classification, \
           classification_floor, days_past_due, coalesce(non_accrual_since::text, '-')) AS line \
         FROM loans ORDER BY id",
    ),
    (
        "loan classifications",
        "SELECT concat_ws(' ', loan_id, business_date, from_class, to_class, floor, days_past_due, source) AS line \
         FROM loan_classifications ORDER BY loan_id, business_date, id",
    ),
    (
        "loan provisions",
        "SELECT concat_ws(' ', as_of, loan_id, classification, balance, rate, allowance) AS line \
         FROM loan_provisions ORDER BY as_of, loan_id",
    ),
    (
        "provision summaries",
        "SELECT concat_ws(' ', as_of, partition_lo, classification, loan_count, balance, rate, allowance) AS line \
         FROM provision_summaries ORDER BY as_of, partition_lo, classification",
    ),
    (
        "warnings",
        "SELECT concat_ws(' ', loan_id, rule_code, kind, level, subject, facts::text, raised_on, status) AS line \
         FROM warnings ORDER BY loan_id, rule_code, subject, raised_on",
    ),
    (
        "outbox messages",
        "SELECT concat_ws(' ', dedupe_key, channel, customer_id, loan_id, template, params::text, status, \
           business_date) AS line FROM outbox_messages ORDER BY dedupe_key",
    ),
    (
        "loan balance history",
        "SELECT concat_ws(' ', loan_id, valid_from, coalesce(valid_to::text, '-'), principal_outstanding, \
           principal_overdue, classification) AS line FROM loan_balance_history ORDER BY loan_id, valid_from",
    ),
    (
        "portfolio quality",
        "SELECT concat_ws(' ', business_date, partition_lo, product_code, classification, loan_count, \
           principal_outstanding, principal_overdue, interest_receivable) AS line \
         FROM portfolio_quality_daily ORDER BY business_date, partition_lo, product_code, classification",
    ),
    (
        "close runs",
        "SELECT concat_ws(' ', business_date, status) AS line FROM close_runs ORDER BY business_date",
    ),
    (
        "close steps",
        "SELECT concat_ws(' ', r.business_date, s.seq, s.step, s.status, s.rows_done, \
           coalesce(v.period || '-' || lpad(v.seq::text, 4, '0'), 'no voucher')) AS line \
         FROM close_steps s JOIN close_runs r ON r.id = s.run_id LEFT JOIN vouchers v ON v.id = s.voucher_id \
         ORDER BY r.business_date, s.seq",
    ),
    (
        "close partitions",
        "SELECT concat_ws(' ', r.business_date, p.step, p.lo, p.hi, p.status, p.rows_done) AS line \
         FROM close_partitions p JOIN close_runs r ON r.id = p.run_id \
         ORDER BY r.business_date, p.step, p.lo",
    ),
    (
        "close postings",
        "SELECT concat_ws(' ', r.business_date, p.step, p.loan_id, p.product, p.amount) AS line \
         FROM close_postings p JOIN close_runs r ON r.id = p.run_id \
         ORDER BY r.business_date, p.step, p.loan_id",
    ),
];

impl Snapshot {
    async fn take(db: &DatabaseConnection) -> Snapshot {
        let mut sections = vec![];
        for (name, sql) in SECTIONS {
            sections.push((*name, lines(db, sql).await));
        }
        Snapshot(sections)
    }

    fn section(&self, name: &str) -> &[String] {
        &self.0.iter().find(|(n, _)| *n == name).unwrap().1
    }

    /// Fails on the first section that differs, naming its first differing row.
    fn assert_same_as(&self, reference: &Snapshot, what: &str) {
        for ((name, ours), (_, theirs)) in self.0.iter().zip(&reference.0) {
            if ours == theirs {
                continue;
            }
            let at = ours
                .iter()
                .zip(theirs)
                .position(|(a, b)| a != b)
                .unwrap_or(ours.len().min(theirs.len()));
            panic!(
                "{what}: the {name} differ from the reference ({} rows here, {} there); \
                 first difference at row {at}:\n  here:      {:?}\n  reference: {:?}",
                ours.len(),
                theirs.len(),
                ours.get(at),
                theirs.get(at)
            );
        }
    }

    fn summary(&self) -> String {
        self.0
            .iter()
            .map(|(name, rows)| format!("{name} {}", rows.len()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The loan ids' partition (its `lo`).
fn partition_of(loan_id: i64) -> i64 {
    loan_id / PARTITION * PARTITION
}

async fn loan_ids(db: &DatabaseConnection) -> Vec<i64> {
    lines(db, "SELECT id::text AS line FROM loans ORDER BY id")
        .await
        .iter()
        .map(|s| s.parse().unwrap())
        .collect()
}

/// `done pending` counts of a step's partitions in the run of `day`.
async fn partitions(db: &DatabaseConnection, day: Date, step: &str) -> (i64, i64) {
    let n = |status: &'static str| {
        format!(
            "SELECT count(*) AS n FROM close_partitions p JOIN close_runs r ON r.id = p.run_id \
             WHERE r.business_date = '{day}' AND p.step = '{step}' AND p.status = '{status}'"
        )
    };
    (int(db, &n("done")).await, int(db, &n("pending")).await)
}

async fn step_status(db: &DatabaseConnection, day: Date, step: &str) -> Vec<String> {
    lines(
        db,
        &format!(
            "SELECT s.status || ' ' || coalesce(s.voucher_id::text, 'no-voucher') AS line \
             FROM close_steps s JOIN close_runs r ON r.id = s.run_id \
             WHERE r.business_date = '{day}' AND s.step = '{step}'"
        ),
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// The tests.

/// One database closed by twelve workers in turn, the first eleven SIGKILLed: inside a
/// partition's transaction of interest accrual, the overdue transfer, penalty accrual,
/// classification and warnings; inside the transaction that posts a step's voucher (interest
/// accrual's, the first voucher of the day); inside the one that moves the date (right after
/// the step before it was marked done); after a run's date moved; and three times wherever the
/// worker got to. The twelfth finishes; the books equal the reference's.
#[test]
fn sigkill_inside_and_between_steps_loses_nothing_and_books_nothing_twice() {
    let fx = fixture();
    runtime().block_on(async {
        let db = connect(&fx.pg, "b").await;
        let day = fx.start;
        let ids = loan_ids(&db).await;
        // Two loans in partitions well inside the range: the worker has done the partitions
        // before theirs (a single worker claims them in order) and not the ones after.
        let (x, y) = (ids[ids.len() * 2 / 3], ids[ids.len() / 3]);
        let (px, py) = (partition_of(x), partition_of(y));
        let before = |p: i64| (p - partition_of(ids[0])) / PARTITION;
        let total = before(partition_of(*ids.last().unwrap())) + 1;
        assert!(before(py) > 0 && py < px && px < partition_of(*ids.last().unwrap()));
        let in_partition = |p: i64| format!("loan_id >= {p} AND loan_id < {}", p + PARTITION);
        // What the close changes in x's partition, as it was before any worker.
        let accrued_in_px = format!(
            "SELECT string_agg(concat_ws(' ', loan_id, period, interest_accrued), ', ' ORDER BY loan_id, period) \
             AS line FROM loan_installments WHERE {}",
            in_partition(px)
        );
        let classes_in_px = format!(
            "SELECT string_agg(concat_ws(' ', id, classification, classification_floor, days_past_due), ', ' \
             ORDER BY id) AS line FROM loans WHERE id >= {px} AND id < {}",
            px + PARTITION
        );
        let (accrued_px, classes_px) = (
            lines(&db, &accrued_in_px).await,
            lines(&db, &classes_in_px).await,
        );
        let postings_in = |step: &str, p: i64| {
            format!(
                "SELECT count(*) AS n FROM close_postings WHERE step = '{step}' AND {}",
                in_partition(p)
            )
        };

        // 1. Inside the interest accrual, in the transaction of x's partition: its
        //    installments' interest is accrued (uncommitted) when the balance update waits for
        //    x's row.
        let hold = Hold::new(
            &db,
            &format!("SELECT 1 FROM loan_balances WHERE loan_id = {x} FOR UPDATE"),
        )
        .await;
        let mut w = spawn(close_day(&fx, "b", "b1"));
        let waiting = hold.wait_blocked(&db, &mut [&mut w], 1).await;
        assert!(waiting[0].contains("SET interest_accrued"), "{waiting:?}");
        sigkill(w);
        hold.release().await;
        settle(&db).await;
        assert_eq!(
            partitions(&db, day, "interest_accrual").await.0,
            before(px),
            "the partitions before x's are done, x's is not"
        );
        assert_eq!(
            lines(&db, &accrued_in_px).await,
            accrued_px,
            "the killed partition's accrual was rolled back"
        );
        assert_eq!(int(&db, &postings_in("interest_accrual", px)).await, 0);
        assert!(int(&db, &postings_in("interest_accrual", py)).await > 0);
        assert_eq!(
            step_status(&db, day, "interest_accrual").await,
            ["running no-voucher"]
        );
        assert!(step_status(&db, day, "overdue_transfer").await.is_empty());

        // 2. Inside the transaction that marks the interest accrual done and posts its
        //    voucher (the day's first): the voucher is being numbered when the worker waits
        //    for the period's row.
        let hold = Hold::new(
            &db,
            &format!(
                "SELECT 1 FROM accounting_periods WHERE period = to_char('{day}'::date, 'YYYY-MM') \
                 FOR UPDATE"
            ),
        )
        .await;
        let mut w = spawn(close_day(&fx, "b", "b2"));
        let waiting = hold.wait_blocked(&db, &mut [&mut w], 1).await;
        assert!(waiting[0].contains("accounting_periods"), "{waiting:?}");
        sigkill(w);
        hold.release().await;
        settle(&db).await;
        assert_eq!(
            partitions(&db, day, "interest_accrual").await,
            (total, 0),
            "every accrual partition is done"
        );
        assert_eq!(
            step_status(&db, day, "interest_accrual").await,
            ["running no-voucher"]
        );
        assert_eq!(
            int(&db, "SELECT count(*) AS n FROM vouchers WHERE source_kind LIKE 'close%'").await,
            0,
            "the killed transaction's voucher is gone"
        );
        assert!(step_status(&db, day, "overdue_transfer").await.is_empty());

        // 3. Inside the overdue transfer, in the transaction of x's partition: its installments
        //    are moved (uncommitted) when the balance update waits for x's row. The worker
        //    posted the accrual's voucher first (no balance row in that).
        let hold = Hold::new(
            &db,
            &format!("SELECT 1 FROM loan_balances WHERE loan_id = {x} FOR UPDATE"),
        )
        .await;
        let mut w = spawn(close_day(&fx, "b", "b3"));
        let waiting = hold.wait_blocked(&db, &mut [&mut w], 1).await;
        assert!(waiting[0].contains("SET overdue_since"), "{waiting:?}");
        sigkill(w);
        hold.release().await;
        settle(&db).await;
        let accrual = step_status(&db, day, "interest_accrual").await;
        assert!(accrual[0].starts_with("done ") && !accrual[0].ends_with("no-voucher"));
        assert_eq!(
            partitions(&db, day, "overdue_transfer").await.0,
            before(px),
            "the partitions before x's are done, x's is not"
        );
        assert_eq!(
            int(
                &db,
                &format!(
                    "SELECT count(*) AS n FROM loan_installments WHERE overdue_since IS NOT NULL AND {}",
                    in_partition(px)
                )
            )
            .await,
            0,
            "the killed partition's moves were rolled back"
        );
        assert_eq!(int(&db, &postings_in("overdue_transfer", px)).await, 0);
        assert_eq!(
            step_status(&db, day, "overdue_transfer").await,
            ["running no-voucher"]
        );

        // 4. Inside the penalty accrual, in the transaction of y's partition (its installments
        //    were moved by step 3's worker, so the transfer does not touch y's row again, and
        //    the interest accrual touches only the current installment).
        let hold = Hold::new(
            &db,
            &format!(
                "SELECT 1 FROM loan_installments WHERE loan_id = {y} AND period = 1 FOR UPDATE"
            ),
        )
        .await;
        let mut w = spawn(close_day(&fx, "b", "b4"));
        let waiting = hold.wait_blocked(&db, &mut [&mut w], 1).await;
        assert!(waiting[0].contains("penalty_accrued"), "{waiting:?}");
        sigkill(w);
        hold.release().await;
        settle(&db).await;
        let transfer = step_status(&db, day, "overdue_transfer").await;
        assert!(transfer[0].starts_with("done ") && !transfer[0].ends_with("no-voucher"));
        assert_eq!(
            partitions(&db, day, "penalty_accrual").await.0,
            before(py),
            "the partitions before y's are done, y's is not"
        );
        assert_eq!(
            int(
                &db,
                &format!(
                    "SELECT count(*) AS n FROM loan_installments WHERE accrued_through IS NOT NULL AND {}",
                    in_partition(py)
                )
            )
            .await,
            0,
            "the killed partition's accrual was rolled back"
        );

        // 5. Inside the classification, in the transaction of x's partition: the update of the
        //    loans waits for x's row, which the test holds FOR NO KEY UPDATE — in the way of an
        //    UPDATE of the loan, not of the key-share locks that inserts referring to the loan
        //    take (postings, warnings), and the steps before only read loans.
        let hold = Hold::new(
            &db,
            &format!("SELECT 1 FROM loans WHERE id = {x} FOR NO KEY UPDATE"),
        )
        .await;
        let mut w = spawn(close_day(&fx, "b", "b5"));
        let waiting = hold.wait_blocked(&db, &mut [&mut w], 1).await;
        // (`pg_stat_activity` keeps a statement's first 1024 bytes: its start tells it.)
        assert!(
            waiting[0].starts_with("WITH cur AS MATERIALIZED")
                && waiting[0].contains("classification_floor AS floor_before"),
            "{waiting:?}"
        );
        sigkill(w);
        hold.release().await;
        settle(&db).await;
        assert!(step_status(&db, day, "penalty_accrual").await[0].starts_with("done "));
        assert_eq!(
            partitions(&db, day, "classification").await.0,
            before(px),
            "the partitions before x's are done, x's is not"
        );
        assert_eq!(
            lines(&db, &classes_in_px).await,
            classes_px,
            "the killed partition's classes were rolled back"
        );
        assert_eq!(
            int(
                &db,
                &format!(
                    "SELECT count(*) AS n FROM loan_classifications WHERE {}",
                    in_partition(px)
                )
            )
            .await,
            0
        );

        // 6. Inside the warnings, in the transaction of x's partition: the test has inserted,
        //    uncommitted, the warning the close raises for x (30 days late since its first due
        //    date), so the worker's insert waits to see whether it conflicts.
        let hold = Hold::new(
            &db,
            &format!(
                "INSERT INTO warnings (loan_id, rule_code, kind, level, subject, raised_on, raised_at, \
                   status, updated_at) \
                 SELECT {x}, 'dpd_30', 'dpd', 'medium', 'due:' || to_char(min(due_date), 'YYYY-MM-DD'), \
                   '{day}', now(), 'open', now() FROM loan_installments WHERE loan_id = {x}"
            ),
        )
        .await;
        let mut w = spawn(close_day(&fx, "b", "b6"));
        let waiting = hold.wait_blocked(&db, &mut [&mut w], 1).await;
        assert!(
            waiting[0].contains("FROM warning_rules WHERE enabled"),
            "{waiting:?}"
        );
        sigkill(w);
        hold.release().await;
        settle(&db).await;
        for step in ["classification", "non_accrual", "provisions"] {
            assert!(
                step_status(&db, day, step).await[0].starts_with("done "),
                "{step} is done"
            );
        }
        assert_eq!(
            partitions(&db, day, "warnings").await.0,
            before(px),
            "the partitions before x's are done, x's is not"
        );
        assert_eq!(
            int(
                &db,
                &format!("SELECT count(*) AS n FROM warnings WHERE {}", in_partition(px))
            )
            .await,
            0,
            "the killed partition's warnings were rolled back"
        );
        assert!(
            int(
                &db,
                &format!("SELECT count(*) AS n FROM warnings WHERE {}", in_partition(py))
            )
            .await
                > 0
        );

        // 7. Right after the last step before the date (the balance snapshots) is marked done,
        //    inside the transaction that moves the date: the worker waits for the business
        //    date's row.
        let hold = Hold::new(&db, "SELECT 1 FROM business_date FOR UPDATE").await;
        let mut w = spawn(close_day(&fx, "b", "b7"));
        let waiting = hold.wait_blocked(&db, &mut [&mut w], 1).await;
        assert!(waiting[0].contains("FROM business_date FOR UPDATE"), "{waiting:?}");
        sigkill(w);
        hold.release().await;
        settle(&db).await;
        for step in ["warnings", "reminders", "balance_snapshots"] {
            assert!(
                step_status(&db, day, step).await[0].starts_with("done "),
                "{step} is done"
            );
        }
        assert_eq!(
            step_status(&db, day, "advance_date").await,
            ["running no-voucher"]
        );
        assert_eq!(
            lines(&db, "SELECT today::text AS line FROM business_date").await,
            [day.to_string()]
        );

        // 8. After the date moved, three times: the worker closes the first day and the next
        //    two, then waits to start the fourth day's run (the test's uncommitted run row is in
        //    the way of its INSERT). That INSERT is a statement of its own, already sent: once
        //    the test's row is gone it completes and commits although its worker is dead, so
        //    the fourth run exists, running, without a step.
        let fourth = day + time::Duration::days(3);
        let hold = Hold::new(
            &db,
            &format!(
                "INSERT INTO close_runs (business_date, status, started_at, partition_size) VALUES ('{fourth}', 'running', now(), {PARTITION})"
            ),
        )
        .await;
        let mut w = spawn(close_day(&fx, "b", "b8"));
        let waiting = hold.wait_blocked(&db, &mut [&mut w], 1).await;
        assert!(waiting[0].contains("INSERT INTO close_runs"), "{waiting:?}");
        sigkill(w);
        hold.release().await;
        settle(&db).await;
        let mut runs = lines(
            &db,
            "SELECT business_date || ' ' || status AS line FROM close_runs ORDER BY business_date",
        )
        .await;
        // (Where the server checks for dead clients while statements wait, the statement dies
        // with its worker instead: no fourth run. Either is a state the close must resume from.)
        if runs.last() == Some(&format!("{fourth} running")) {
            runs.pop();
        }
        assert_eq!(
            runs,
            (0..3)
                .map(|k| format!("{} done", day + time::Duration::days(k)))
                .collect::<Vec<_>>()
        );
        assert!(step_status(&db, fourth, "interest_accrual").await.is_empty());
        assert_eq!(
            lines(&db, "SELECT today::text AS line FROM business_date").await,
            [fourth.to_string()]
        );

        // 9. Three kills wherever the worker happens to be once it has done some more
        //    partitions (between statements, between a commit and the next claim, …), a day
        //    being 369 partitions: where they land varies from run to run, what the close must
        //    end with does not.
        let done = "SELECT count(*) AS n FROM close_partitions WHERE status = 'done'";
        for (k, more) in [100, 200, 300].into_iter().enumerate() {
            let target = int(&db, done).await + more;
            let mut w = spawn(close_day(&fx, "b", &format!("b{}", 9 + k)));
            let mut polls = 0;
            while int(&db, done).await < target {
                if let Some(status) = w.try_wait().unwrap() {
                    panic!("the worker ended ({status}) before it did {more} more partitions");
                }
                polls += 1;
                assert!(polls < POLLS, "the worker never did {more} more partitions");
                tokio::time::sleep(POLL).await;
            }
            sigkill(w);
            settle(&db).await;
        }

        // 10. The last worker finishes.
        let out = run_ok(close_day(&fx, "b", "b12"), "the last worker on b");
        assert!(
            out.contains(&format!("{} done", fx.to.previous_day().unwrap())),
            "{out}"
        );
        let b = Snapshot::take(&db).await;
        b.assert_same_as(&fx.reference, "b, killed eleven times");
        println!("b equals the reference: {}", b.summary());
        db.close().await.unwrap();
    });
    assert_reconciles(&fx, "b");
}

/// Two workers started at once share the close and book what one does. That both took part is
/// made certain, not likely: the test holds x's balance row through the first day's interest
/// accrual (the close's first step, which updates every loan's balance), so whichever worker
/// claims x's partition waits there while the other must do every later partition of that
/// step; the rest of the close they share as it comes.
#[test]
fn two_workers_at_once_book_what_one_books() {
    let fx = fixture();
    runtime().block_on(async {
        let db = connect(&fx.pg, "c").await;
        let day = fx.start;
        let ids = loan_ids(&db).await;
        let x = ids[ids.len() * 2 / 3];
        let px = partition_of(x);
        let hold = Hold::new(
            &db,
            &format!("SELECT 1 FROM loan_balances WHERE loan_id = {x} FOR UPDATE"),
        )
        .await;
        let mut w1 = spawn(close_day(&fx, "c", "w1"));
        let mut w2 = spawn(close_day(&fx, "c", "w2"));
        hold.wait_blocked(&db, &mut [&mut w1, &mut w2], 1).await;
        // Every other partition of the step gets done meanwhile, by the worker not waiting.
        let mut polls = 0;
        loop {
            let (done, pending) = partitions(&db, day, "interest_accrual").await;
            if pending == 1 && done > 0 {
                break;
            }
            polls += 1;
            assert!(polls < POLLS, "the other worker never did the rest");
            tokio::time::sleep(POLL).await;
        }
        hold.release().await;
        let (o1, o2) = (
            w1.wait_with_output().unwrap(),
            w2.wait_with_output().unwrap(),
        );
        assert!(o1.status.success(), "w1: {}", printed(&o1));
        assert!(o2.status.success(), "w2: {}", printed(&o2));

        let c = Snapshot::take(&db).await;
        c.assert_same_as(&fx.reference, "c, closed by two workers");

        let by_worker = lines(
            &db,
            "SELECT coalesce(worker, '-') || ' ' || count(*) AS line FROM close_partitions \
             GROUP BY worker ORDER BY worker",
        )
        .await;
        println!("c equals the reference: {}; partitions by worker: {by_worker:?}", c.summary());
        assert_eq!(by_worker.len(), 2, "{by_worker:?}");
        assert!(by_worker[0].starts_with("w1 ") && by_worker[1].starts_with("w2 "));
        // x's partition by one, every later one of that step by the other.
        let workers = lines(
            &db,
            &format!(
                "SELECT DISTINCT p.worker AS line FROM close_partitions p JOIN close_runs r ON r.id = p.run_id \
                 WHERE r.business_date = '{day}' AND p.step = 'interest_accrual' AND p.lo > {px}"
            ),
        )
        .await;
        let waited = lines(
            &db,
            &format!(
                "SELECT p.worker AS line FROM close_partitions p JOIN close_runs r ON r.id = p.run_id \
                 WHERE r.business_date = '{day}' AND p.step = 'interest_accrual' AND p.lo = {px}"
            ),
        )
        .await;
        assert_eq!(workers.len(), 1, "{workers:?}");
        assert_ne!(workers, waited);
        db.close().await.unwrap();
    });
    assert_reconciles(&fx, "c");
}

/// A worker killed while it holds a partition, beside a live one: the live worker, waiting for
/// that partition, takes it over once the dead one's transaction is gone, and finishes the
/// close alone. w1 is started first and held inside x's partition of the first day's interest
/// accrual (the test holds x's balance row); w2 then does every other partition of the step
/// and waits; w1 is killed; the test lets go of the row. w2 asks for partitions of another
/// size than w1 started the run with, and keeps to the run's: ranges of its own would overlap
/// those w1 holds, and the partitions compared with the reference would differ. w2 closes
/// that day only; w3 closes the rest as w1 would have.
#[test]
fn a_live_worker_takes_over_the_partition_of_a_killed_one() {
    let fx = fixture();
    runtime().block_on(async {
        let db = connect(&fx.pg, "e").await;
        let day = fx.start;
        let ids = loan_ids(&db).await;
        let x = ids[ids.len() * 2 / 3];
        let hold = Hold::new(
            &db,
            &format!("SELECT 1 FROM loan_balances WHERE loan_id = {x} FOR UPDATE"),
        )
        .await;
        let mut w1 = spawn(close_day(&fx, "e", "w1"));
        hold.wait_blocked(&db, &mut [&mut w1], 1).await;
        let mut w2 = spawn(close_day_sized(
            &fx,
            "e",
            "w2",
            PARTITION + 15,
            day.next_day().unwrap(),
        ));
        let mut polls = 0;
        loop {
            if let Some(status) = w2.try_wait().unwrap() {
                panic!("w2 ended ({status}) while x's partition was held");
            }
            let (done, pending) = partitions(&db, day, "interest_accrual").await;
            if pending == 1 && done > 0 {
                break;
            }
            polls += 1;
            assert!(polls < POLLS, "w2 never did the rest");
            tokio::time::sleep(POLL).await;
        }
        sigkill(w1);
        hold.release().await;
        let o2 = w2.wait_with_output().unwrap();
        assert!(o2.status.success(), "w2: {}", printed(&o2));
        run_ok(close_day(&fx, "e", "w3"), "w3, the days after");
        let e = Snapshot::take(&db).await;
        e.assert_same_as(&fx.reference, "e, one of two workers killed");
        let by_worker = lines(
            &db,
            "SELECT coalesce(worker, '-') || ' ' || count(*) AS line FROM close_partitions \
             GROUP BY worker ORDER BY worker",
        )
        .await;
        println!("e equals the reference: {}; partitions by worker: {by_worker:?}", e.summary());
        let px = partition_of(x);
        assert_eq!(
            lines(
                &db,
                &format!(
                    "SELECT p.worker AS line FROM close_partitions p JOIN close_runs r ON r.id = p.run_id \
                     WHERE r.business_date = '{day}' AND p.step = 'interest_accrual' AND p.lo = {px}"
                ),
            )
            .await,
            ["w2"],
            "w2 did the partition w1 died in"
        );
        db.close().await.unwrap();
    });
    assert_reconciles(&fx, "e");
}

/// BUG: a worker that joins a run which another worker finishes under it fails (exit 1,
/// `not_the_business_date`) although the run closed fine, and leaves the close (a later
/// `--to` would not be worked towards). `close_day` reads the run (`find_run`: running), then
/// the business date: when the other worker's last transaction (date moved, run done) commits
/// in between, the date is the next day and the run's own date "cannot be closed now".
///
/// Made deterministic with locks: worker y is held inside the transaction that moves the date
/// (the test holds the business date's row); the test then holds `voucher_lines` exclusively,
/// which worker x's read of the run's progress needs (and y's transaction does not): x waits
/// after it read the run as running and before it reads the date. The test lets y commit,
/// then lets x go on.
///
/// The fix (in `close/mod.rs`): the business date is read before the run;
/// the date and the run's end commit together, so a date read as `date` and then a run read as
/// running means the run is still to be finished (its steps are skipped when done), and a date
/// already past `date` finds the run done.
#[test]
fn a_worker_joining_a_run_another_finishes_under_it_does_not_fail() {
    let fx = fixture();
    runtime().block_on(async {
        let db = connect(&fx.pg, "d").await;
        let day = fx.start;
        let next = day.next_day().unwrap().to_string();
        let until = |worker: &str| {
            chedai(
                &fx,
                "d",
                &[
                    "close-day",
                    "--to",
                    &next,
                    "--partition-size",
                    &PARTITION.to_string(),
                    "--worker",
                    worker,
                ],
            )
        };
        let date_row = Hold::new(&db, "SELECT 1 FROM business_date FOR UPDATE").await;
        let mut y = spawn(until("y"));
        date_row.wait_blocked(&db, &mut [&mut y], 1).await;
        let lines_table = Hold::new(&db, "LOCK TABLE voucher_lines IN ACCESS EXCLUSIVE MODE").await;
        let mut x = spawn(until("x"));
        let waiting = lines_table.wait_blocked(&db, &mut [&mut x], 1).await;
        assert!(waiting[0].contains("FROM close_steps s"), "{waiting:?}");
        date_row.release().await;
        // y moves the date and ends the run, then waits on voucher_lines too.
        lines_table.wait_blocked(&db, &mut [&mut y], 2).await;
        assert_eq!(
            lines(&db, "SELECT today::text AS line FROM business_date").await,
            [next.as_str()]
        );
        lines_table.release().await;
        let (oy, ox) = (y.wait_with_output().unwrap(), x.wait_with_output().unwrap());
        assert!(oy.status.success(), "y: {}", printed(&oy));
        assert!(
            ox.status.success(),
            "x joined the run of {day}, which y finished under it: {}",
            printed(&ox)
        );
        db.close().await.unwrap();
    });
}

/// Two loans of one partition whose terms are broken (a day basis of 0, as a bad data migration
/// might leave them) fail the penalty accrual every day: the close sets them aside and records
/// them, does the other 23 loans of their partition and everything else, and moves the date.
/// Put right before the last day, they are caught up by that day's close: the books then equal
/// the uninterrupted reference in everything but the penalty step's row counts of the days
/// they were skipped.
#[test]
fn loans_a_step_fails_on_are_set_aside_and_caught_up_once_put_right() {
    let fx = fixture();
    let last = fx.to.previous_day().unwrap();
    runtime().block_on(async {
        let db = connect(&fx.pg, "f").await;
        let ids = loan_ids(&db).await;
        let x = *ids
            .iter()
            .find(|id| **id % PARTITION == 5 && ids.contains(&(**id + 10)))
            .unwrap();
        let y = x + 10;
        assert_eq!(partition_of(x), partition_of(y));
        let basis = int(
            &db,
            &format!("SELECT (terms->>'dayBasis')::bigint AS n FROM loans WHERE id = {x}"),
        )
        .await;
        let set_basis = |b: i64| {
            format!(
                "UPDATE loans SET terms = jsonb_set(terms, '{{dayBasis}}', '{b}') WHERE id IN ({x}, {y})"
            )
        };
        exec(&db, &set_basis(0)).await;
        let until_last = [
            "close-day",
            "--to",
            &last.to_string(),
            "--partition-size",
            &PARTITION.to_string(),
            "--worker",
            "f",
        ];
        run_ok(chedai(&fx, "f", &until_last), "the close with two broken loans");
        // Every run went to its end and set aside exactly those two, in the penalty step.
        assert_eq!(
            lines(
                &db,
                "SELECT concat_ws(' ', r.status, coalesce(string_agg(f.step || ' ' || f.loan_id, ', ' \
                   ORDER BY f.loan_id), '-')) AS line \
                 FROM close_runs r LEFT JOIN close_loan_failures f ON f.run_id = r.id \
                 GROUP BY r.business_date, r.status ORDER BY r.business_date"
            )
            .await,
            vec![format!("done penalty_accrual {x}, penalty_accrual {y}"); (DAYS - 1) as usize]
        );
        // Their penalty waits where it stopped; their partition's other loans have theirs.
        assert_eq!(
            int(
                &db,
                &format!(
                    "SELECT count(*) AS n FROM loan_installments WHERE loan_id IN ({x}, {y}) \
                     AND accrued_through IS NOT NULL"
                )
            )
            .await,
            0
        );
        assert_eq!(
            int(
                &db,
                &format!(
                    "SELECT count(DISTINCT loan_id) AS n FROM loan_installments \
                     WHERE loan_id >= {lo} AND loan_id < {hi} AND loan_id NOT IN ({x}, {y}) \
                     AND accrued_through = '{last}'",
                    lo = partition_of(x),
                    hi = partition_of(x) + PARTITION
                )
            )
            .await,
            ids.iter()
                .filter(|id| partition_of(**id) == partition_of(x))
                .count() as i64
                - 2
        );

        exec(&db, &set_basis(basis)).await;
        run_ok(close_day(&fx, "f", "f"), "the last day's close");
        let f = Snapshot::take(&db).await;
        let without_penalty_counts = |s: &Snapshot| {
            Snapshot(
                s.0.iter()
                    .map(|(name, rows)| {
                        let rows = if matches!(*name, "close steps" | "close partitions") {
                            rows.iter()
                                .filter(|r| !r.contains(" penalty_accrual "))
                                .cloned()
                                .collect()
                        } else {
                            rows.clone()
                        };
                        (*name, rows)
                    })
                    .collect(),
            )
        };
        without_penalty_counts(&f).assert_same_as(
            &without_penalty_counts(&fx.reference),
            "f, two loans set aside and caught up",
        );
        assert_eq!(
            int(
                &db,
                &format!(
                    "SELECT count(*) AS n FROM close_loan_failures f JOIN close_runs r ON r.id = f.run_id \
                     WHERE r.business_date = '{last}'"
                )
            )
            .await,
            0
        );
        db.close().await.unwrap();
    });
    assert_reconciles(&fx, "f");
}

/// One worker with two lanes (`--parallel 2`, each claiming partitions on its own connection
/// as separate workers do) books what one lane books.
#[test]
fn a_worker_doing_two_partitions_at_once_books_what_one_lane_books() {
    let fx = fixture();
    let to = fx.to.to_string();
    let partition = PARTITION.to_string();
    run_ok(
        chedai(
            &fx,
            "g",
            &[
                "close-day",
                "--to",
                &to,
                "--partition-size",
                &partition,
                "--parallel",
                "2",
                "--worker",
                "g",
            ],
        ),
        "the close of g with two lanes",
    );
    runtime().block_on(async {
        let db = connect(&fx.pg, "g").await;
        Snapshot::take(&db)
            .await
            .assert_same_as(&fx.reference, "g, closed with two lanes");
        db.close().await.unwrap();
    });
    assert_reconciles(&fx, "g");
}
