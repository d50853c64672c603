//! The close's credit-quality steps over loans [lo, hi): days past due and the five-tier
//! class (RULES.md §8, as `domain::classification::effective_class`), non-accrual past 90
//! days, and the allowance per loan at month end. Each runs in its partition's transaction.

use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};
use time::{Date, OffsetDateTime};

use kernel::{AppError, AppResult};

use super::super::db_error;

/// Ranks a class column (normal 1 … loss 5).
const RANK: &str =
    "array_position(ARRAY['normal','special_mention','substandard','doubtful','loss']::text[], {})";

fn rank(column: &str) -> String {
    RANK.replace("{}", column)
}

/// DPD as of the next day (the oldest unpaid due date on or before the closing day) and the
/// class: the floor (2023 table: 1 关注, 91 次级, 271 可疑, 361 损失) with a person's class on
/// top. Every change of class is written to the loan's history.
///
/// Each loan of the range is read once (`cur`), with the columns the class depends on and the
/// figures it carries, and only the loans whose figures move reach the update (11–20 % of the
/// loans a night in the 1M-loan benchmark), where joining every loan back to `loans` twice
/// (once for its columns, once for the update) read the range three times. The update checks
/// the figures again against the row it writes, so a loan a person reclassified meanwhile is
/// compared with what it holds now. The DPD is materialized: inlined, PostgreSQL evaluated its
/// sub-select once for every mention in the floor's CASE (the 1M-loan benchmark saw nine index
/// probes per loan where one serves).
pub async fn classification(
    txn: &impl ConnectionTrait,
    date: Date,
    (lo, hi): (i64, i64),
    now: OffsetDateTime,
) -> AppResult<u64> {
    let sql = format!(
        "WITH cur AS MATERIALIZED ( \
           SELECT l.id, l.days_past_due AS dpd_before, l.classification_floor AS floor_before, \
             l.classification AS before, l.classification_assigned AS assigned, \
             l.classification_approved_floor AS approved, \
             coalesce(($1::date + 1) - (SELECT min(i.due_date) FROM loan_installments i \
               WHERE i.loan_id = l.id AND i.settled_on IS NULL AND i.due_date <= $1::date), 0) AS dpd \
           FROM loans l WHERE l.status = 'active' AND l.id >= $2 AND l.id < $3 \
         ), floors AS ( \
           SELECT c.*, CASE WHEN c.dpd >= 361 THEN 'loss' WHEN c.dpd >= 271 THEN 'doubtful' \
             WHEN c.dpd >= 91 THEN 'substandard' WHEN c.dpd >= 1 THEN 'special_mention' ELSE 'normal' END AS floor \
           FROM cur c \
         ), next AS ( \
           SELECT n.* FROM ( \
             SELECT f.id, f.dpd, f.floor, f.before, f.dpd_before, f.floor_before, \
               CASE WHEN f.assigned IS NULL THEN f.floor \
                    WHEN f.approved IS NOT NULL AND {floor} <= {approved} THEN f.assigned \
                    WHEN {assigned} > {floor} THEN f.assigned \
                    ELSE f.floor END AS after \
             FROM floors f \
           ) n WHERE (n.dpd_before, n.floor_before, n.before) IS DISTINCT FROM (n.dpd, n.floor, n.after) \
         ), changed AS ( \
           UPDATE loans l SET days_past_due = n.dpd, classification_floor = n.floor, classification = n.after \
           FROM next n WHERE l.id = n.id \
             AND (l.days_past_due, l.classification_floor, l.classification) IS DISTINCT FROM (n.dpd, n.floor, n.after) \
           RETURNING l.id \
         ), history AS ( \
           INSERT INTO loan_classifications (loan_id, business_date, from_class, to_class, floor, days_past_due, source, made_at) \
           SELECT n.id, $1::date, n.before, n.after, n.floor, n.dpd, 'close', $4 FROM next n \
           WHERE n.before <> n.after AND n.id IN (SELECT id FROM changed) \
         ) \
         SELECT count(*) AS changed FROM changed",
        floor = rank("f.floor"),
        approved = rank("f.approved"),
        assigned = rank("f.assigned"),
    );
    count(
        txn,
        &sql,
        [
            Value::from(date),
            Value::from(lo),
            Value::from(hi),
            Value::from(now),
        ],
        "changed",
    )
    .await
}

/// 非应计: a loan past 90 days stops accruing; the interest accrued and not received is taken
/// back out of 1132 (and out of income and VAT by the step's voucher) and kept off balance
/// sheet; a loan cured to no days past due accrues again from the next day.
pub async fn non_accrual(
    txn: &impl ConnectionTrait,
    run_id: i64,
    date: Date,
    (lo, hi): (i64, i64),
    now: OffsetDateTime,
) -> AppResult<u64> {
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "UPDATE loans SET non_accrual_since = NULL \
         WHERE status = 'active' AND id >= $1 AND id < $2 AND non_accrual_since IS NOT NULL AND days_past_due = 0",
        [Value::from(lo), Value::from(hi)],
    ))
    .await
    .map_err(db_error)?;
    count(
        txn,
        "WITH entering AS ( \
           UPDATE loans l SET non_accrual_since = $2::date + 1 \
           WHERE l.status = 'active' AND l.id >= $3 AND l.id < $4 AND l.non_accrual_since IS NULL \
             AND l.days_past_due > 90 RETURNING l.id \
         ), taken AS ( \
           SELECT i.loan_id, i.period, i.interest_accrued - i.paid_interest AS amount \
           FROM loan_installments i WHERE i.loan_id IN (SELECT id FROM entering) \
             AND i.interest_accrued > i.paid_interest \
         ), cleared AS ( \
           UPDATE loan_installments i SET interest_accrued = i.paid_interest FROM taken t \
           WHERE i.loan_id = t.loan_id AND i.period = t.period \
         ), per_loan AS ( \
           SELECT loan_id, sum(amount) AS amount FROM taken GROUP BY loan_id \
         ), balances AS ( \
           UPDATE loan_balances b SET interest_receivable = b.interest_receivable - p.amount, updated_at = $5 \
           FROM per_loan p WHERE b.loan_id = p.loan_id \
         ), posted AS ( \
           INSERT INTO close_postings (run_id, step, loan_id, product, vat_rate, amount) \
           SELECT $1, 'non_accrual', p.loan_id, pr.code, (l.terms->>'vatRate')::numeric, p.amount FROM per_loan p \
           JOIN loans l ON l.id = p.loan_id JOIN loan_products pr ON pr.id = l.product_id \
         ) \
         SELECT count(*) AS entering FROM entering",
        [
            Value::from(run_id),
            Value::from(date),
            Value::from(lo),
            Value::from(hi),
            Value::from(now),
        ],
        "entering",
    )
    .await
}

/// 贷款损失准备 at month end: per loan, round(outstanding principal × the class's rate)
/// (RULES.md §8: 0 / 2 / 25 / 50 / 100 %), the movement from what the loan carries booked to
/// its sub-ledger now and to 130401 by the step's voucher. The figures are kept per date: per
/// class for the partition (`provision_summaries`, what the report and the general allowance
/// read), and per loan for the loans at a rate above 0 or releasing an allowance — a normal
/// loan that carried none has nothing to show but its balance, which the summary holds.
/// Returns the loans provisioned.
pub async fn provisions(
    txn: &impl ConnectionTrait,
    run_id: i64,
    date: Date,
    (lo, hi): (i64, i64),
    now: OffsetDateTime,
) -> AppResult<u64> {
    count(
        txn,
        "WITH rated AS ( \
           SELECT l.id, l.classification, \
             b.principal_normal + b.principal_overdue + b.principal_extended + b.principal_impaired AS balance, \
             CASE l.classification WHEN 'normal' THEN 0 WHEN 'special_mention' THEN 0.02 \
               WHEN 'substandard' THEN 0.25 WHEN 'doubtful' THEN 0.5 ELSE 1 END AS rate, \
             b.allowance AS before \
           FROM loans l JOIN loan_balances b ON b.loan_id = l.id \
           WHERE l.status = 'active' AND l.id >= $3 AND l.id < $4 \
         ), targets AS ( \
           SELECT r.*, round(r.balance * r.rate, 2) AS after FROM rated r \
         ), kept AS ( \
           INSERT INTO loan_provisions (as_of, loan_id, classification, balance, rate, allowance) \
           SELECT $2::date, id, classification, balance, rate, after FROM targets \
           WHERE rate > 0 OR before <> 0 \
           ON CONFLICT (as_of, loan_id) DO NOTHING \
         ), summary AS ( \
           INSERT INTO provision_summaries (as_of, partition_lo, classification, loan_count, balance, rate, allowance) \
           SELECT $2::date, $3, classification, count(*), sum(balance), max(rate), sum(after) \
           FROM targets GROUP BY classification \
           ON CONFLICT DO NOTHING RETURNING loan_count \
         ), moved AS ( \
           UPDATE loan_balances b SET allowance = t.after, updated_at = $5 FROM targets t \
           WHERE b.loan_id = t.id AND t.after <> t.before \
           RETURNING b.loan_id, t.after - t.before AS amount \
         ), posted AS ( \
           INSERT INTO close_postings (run_id, step, loan_id, product, vat_rate, amount) \
           SELECT $1, 'provisions', m.loan_id, pr.code, (l.terms->>'vatRate')::numeric, m.amount FROM moved m \
           JOIN loans l ON l.id = m.loan_id JOIN loan_products pr ON pr.id = l.product_id \
         ) \
         SELECT coalesce(sum(loan_count), 0)::bigint AS provisioned FROM summary",
        [
            Value::from(run_id),
            Value::from(date),
            Value::from(lo),
            Value::from(hi),
            Value::from(now),
        ],
        "provisioned",
    )
    .await
}

async fn count<const N: usize>(
    txn: &impl ConnectionTrait,
    sql: &str,
    values: [Value; N],
    column: &str,
) -> AppResult<u64> {
    let n: i64 = txn
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            sql,
            values,
        ))
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::internal("the step returned nothing"))?
        .try_get("", column)
        .map_err(db_error)?;
    Ok(n as u64)
}
