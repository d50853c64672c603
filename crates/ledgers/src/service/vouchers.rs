//! Vouchers (财务凭证): posting inside a business transaction, and reading them back.

use std::collections::HashMap;

use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Statement, TransactionTrait, Value};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};

use iam::service::sql::Where;
use kernel::{AppError, AppResult, Money, Page, PageRequest};

use super::{LedgersContext, db_error};
use crate::domain::voucher::{VoucherDraft, period_of};

/// 凭证状态
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VoucherStatus {
    /// Written, awaiting review (manual vouchers).
    Pending,
    /// In the books; never changes again.
    Posted,
    Rejected,
}

impl VoucherStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            VoucherStatus::Pending => "pending",
            VoucherStatus::Posted => "posted",
            VoucherStatus::Rejected => "rejected",
        }
    }

    fn parse(s: &str) -> AppResult<VoucherStatus> {
        match s {
            "pending" => Ok(VoucherStatus::Pending),
            "posted" => Ok(VoucherStatus::Posted),
            "rejected" => Ok(VoucherStatus::Rejected),
            other => Err(AppError::internal(format!("voucher status {other}"))),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VoucherLine {
    pub line_no: i32,
    pub account_code: String,
    pub account_name: String,
    pub debit: Money,
    pub credit: Money,
    pub loan_id: Option<i64>,
    pub memo: String,
}

/// A voucher with its lines, as finance reads it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Voucher {
    pub id: i64,
    /// 凭证号, e.g. `记-2026-03-0007`: numbered per period without gaps.
    pub voucher_no: String,
    pub period: String,
    pub voucher_date: Date,
    pub status: VoucherStatus,
    pub source_kind: String,
    pub source_id: Option<i64>,
    /// 摘要
    pub summary: String,
    pub reverses_id: Option<i64>,
    /// 制单: the user who wrote it, none for the vouchers the system posts. Whoever wrote a
    /// voucher cannot review it (403 `maker_checker`).
    pub created_by: Option<i64>,
    /// 制单
    pub created_by_name: Option<String>,
    /// 审核
    pub reviewed_by_name: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub posted_at: Option<OffsetDateTime>,
    pub total: Money,
    pub lines: Vec<VoucherLine>,
}

fn voucher_no(period: &str, seq: i32) -> String {
    format!("记-{period}-{seq:04}")
}

/// Who posts a voucher: a person, and whether a second person checked the business event
/// behind it (the reviewer of a disbursement, the confirmer of a repayment).
#[derive(Debug, Clone, Copy)]
pub struct Posting {
    pub made_by: Option<i64>,
    pub checked_by: Option<i64>,
    pub at: OffsetDateTime,
}

/// Posts `draft` in the caller's transaction: numbered in its period, lines on enabled leaf
/// accounts, sealed as posted. The period's row is locked until the caller commits, which
/// keeps the numbering gapless; a closed period refuses with 409 `period_closed`.
pub async fn post(
    db: &impl ConnectionTrait,
    posting: Posting,
    draft: &VoucherDraft,
) -> AppResult<i64> {
    draft
        .check()
        .map_err(|e| AppError::internal(format!("a system voucher is wrong: {}", e.message)))?;
    check_accounts(db, draft).await?;
    let (id, _) = insert(db, posting, draft, "pending").await?;
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "UPDATE vouchers SET status = 'posted', posted_at = $2 WHERE id = $1",
        [Value::from(id), Value::from(posting.at)],
    ))
    .await
    .map_err(db_error)?;
    Ok(id)
}

/// Accounts a manual voucher may not touch: their balances belong to the loans' sub-ledgers
/// and change only with the money events that keep the two in step.
pub const CONTROL_ACCOUNTS: &[&str] = &["1303", "1132", "224101", "130401"];

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ManualLine {
    pub account_code: String,
    #[serde(default = "zero")]
    pub debit: Money,
    #[serde(default = "zero")]
    pub credit: Money,
    #[serde(default)]
    pub memo: String,
}

fn zero() -> Money {
    Money::ZERO
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ManualVoucher {
    /// In an open period, not after the business date.
    pub voucher_date: Date,
    /// 摘要
    pub summary: String,
    pub lines: Vec<ManualLine>,
}

/// Writes a manual voucher (手工凭证) awaiting review: numbered now, posted only when someone
/// else approves it.
pub async fn create_manual(
    ctx: &LedgersContext,
    actor: &iam::Actor,
    input: &ManualVoucher,
) -> AppResult<Voucher> {
    let mut errors = kernel::error::FieldErrors::new();
    if input.summary.trim().is_empty() {
        errors.add("summary", "required", "write the 摘要");
    }
    let today = super::business_date::today(&ctx.db, &ctx.clock).await?;
    if input.voucher_date > today {
        errors.add(
            "voucherDate",
            "after_business_date",
            format!("the business date is {today}"),
        );
    }
    let mut draft = VoucherDraft::new(input.voucher_date, "manual", 0, input.summary.trim());
    draft.source_id = None;
    for (k, l) in input.lines.iter().enumerate() {
        if CONTROL_ACCOUNTS
            .iter()
            .any(|c| l.account_code.starts_with(c))
        {
            errors.add(
                format!("lines[{k}].accountCode"),
                "control_account",
                format!(
                    "{} is kept by the loans' sub-ledgers; use the money events",
                    l.account_code
                ),
            );
        }
        draft.lines.push(crate::domain::voucher::DraftLine {
            account: l.account_code.clone(),
            debit: l.debit,
            credit: l.credit,
            loan_id: None,
            memo: l.memo.clone(),
        });
    }
    errors.finish()?;
    draft.check()?;
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    check_accounts(&txn, &draft).await?;
    let posting = Posting {
        made_by: Some(actor.user_id),
        checked_by: None,
        at: now,
    };
    let (id, _) = insert(&txn, posting, &draft, "pending").await?;
    let after = get(&txn, id).await?;
    iam::service::audit::record(
        &txn,
        Some(actor),
        now,
        iam::service::audit::Change::new("voucher", id, "create").after(&after),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(after)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VoucherDecision {
    Post,
    Reject,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VoucherReview {
    pub decision: VoucherDecision,
    pub comment: Option<String>,
}

/// Reviews a pending manual voucher (凭证审核): posts or rejects it; never one's own.
pub async fn review_manual(
    ctx: &LedgersContext,
    actor: &iam::Actor,
    id: i64,
    input: &VoucherReview,
) -> AppResult<Voucher> {
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    #[derive(FromQueryResult)]
    struct Head {
        status: String,
        created_by: Option<i64>,
    }
    let head = Head::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT status, created_by FROM vouchers WHERE id = $1 FOR UPDATE",
        [Value::from(id)],
    ))
    .one(&txn)
    .await
    .map_err(db_error)?
    .ok_or_else(|| AppError::not_found("voucher"))?;
    if head.status != "pending" {
        return Err(AppError::conflict(
            "invalid_transition",
            format!("the voucher is {}", head.status),
        ));
    }
    if head.created_by == Some(actor.user_id) {
        return Err(AppError::forbidden(
            "maker_checker",
            "the person who wrote a voucher cannot also review it",
        ));
    }
    if input.decision == VoucherDecision::Reject
        && input
            .comment
            .as_deref()
            .map(str::trim)
            .unwrap_or("")
            .is_empty()
    {
        return Err(AppError::invalid_field(
            "comment",
            "required",
            "say why the voucher is rejected",
        ));
    }
    let before = get(&txn, id).await?;
    let status = match input.decision {
        VoucherDecision::Post => "posted",
        VoucherDecision::Reject => "rejected",
    };
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "UPDATE vouchers SET status = $2, reviewed_by = $3, posted_at = CASE WHEN $2 = 'posted' THEN $4 END WHERE id = $1",
        [Value::from(id), Value::from(status), Value::from(actor.user_id), Value::from(now)],
    ))
    .await
    .map_err(db_error)?;
    let after = get(&txn, id).await?;
    let mut change = iam::service::audit::Change::new("voucher", id, status)
        .before(&before)
        .after(&after);
    if let Some(c) = input
        .comment
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        change.after = change.after.map(|mut a| {
            a["reviewComment"] = serde_json::Value::from(c);
            a
        });
    }
    iam::service::audit::record(&txn, Some(actor), now, change).await?;
    txn.commit().await.map_err(db_error)?;
    Ok(after)
}

/// Posts the mirror image of posted voucher `id` (each debit a credit and the reverse) on
/// `date`, marked as its reversal; a voucher is reversed once at most.
pub async fn reverse(
    db: &impl ConnectionTrait,
    posting: Posting,
    id: i64,
    date: Date,
    source_kind: &str,
    source_id: i64,
    summary: &str,
) -> AppResult<i64> {
    let original = get(db, id).await?;
    if original.status != VoucherStatus::Posted {
        return Err(AppError::conflict(
            "invalid_transition",
            "only a posted voucher is reversed",
        ));
    }
    let mut draft = VoucherDraft::new(date, source_kind, source_id, summary);
    draft.reverses_id = Some(id);
    for l in &original.lines {
        draft.debit(&l.account_code, l.credit, l.loan_id, &l.memo);
        draft.credit(&l.account_code, l.debit, l.loan_id, &l.memo);
    }
    post(db, posting, &draft).await
}

/// Every account named must exist, be enabled and have no sub-accounts (postings go to leaves).
async fn check_accounts(db: &impl ConnectionTrait, draft: &VoucherDraft) -> AppResult<()> {
    let mut codes: Vec<String> = draft.lines.iter().map(|l| l.account.clone()).collect();
    codes.sort();
    codes.dedup();
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT a.code FROM accounts a WHERE a.code = ANY($1) AND a.enabled \
             AND NOT EXISTS (SELECT 1 FROM accounts c WHERE c.parent_code = a.code)",
            [Value::from(codes.clone())],
        ))
        .await
        .map_err(db_error)?;
    if rows.len() != codes.len() {
        let ok: Vec<String> = rows
            .iter()
            .filter_map(|r| r.try_get::<String>("", "code").ok())
            .collect();
        let bad: Vec<&String> = codes.iter().filter(|c| !ok.contains(c)).collect();
        return Err(AppError::rule(
            "account_not_postable",
            format!("these accounts are unknown, disabled or have sub-accounts: {bad:?}"),
        ));
    }
    Ok(())
}

async fn insert(
    db: &impl ConnectionTrait,
    posting: Posting,
    draft: &VoucherDraft,
    status: &str,
) -> AppResult<(i64, i32)> {
    let period = period_of(draft.date);
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "INSERT INTO accounting_periods (period, status) VALUES ($1, 'open') ON CONFLICT DO NOTHING",
        [Value::from(period.clone())],
    ))
    .await
    .map_err(db_error)?;
    let seq: i32 = db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "UPDATE accounting_periods SET last_seq = last_seq + 1 \
             WHERE period = $1 AND status = 'open' RETURNING last_seq",
            [Value::from(period.clone())],
        ))
        .await
        .map_err(db_error)?
        .ok_or_else(|| {
            AppError::conflict(
                "period_closed",
                format!("the accounting period {period} is closed; nothing can be posted to it"),
            )
        })?
        .try_get("", "last_seq")
        .map_err(db_error)?;
    let id: i64 = db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "INSERT INTO vouchers (period, seq, voucher_date, status, source_kind, source_id, summary, \
             created_by, reviewed_by, created_at, reverses_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            [
                Value::from(period),
                Value::from(seq),
                Value::from(draft.date),
                Value::from(status),
                Value::from(draft.source_kind.clone()),
                Value::from(draft.source_id),
                Value::from(draft.summary.clone()),
                Value::from(posting.made_by),
                Value::from(posting.checked_by),
                Value::from(posting.at),
                Value::from(draft.reverses_id),
            ],
        ))
        .await
        .map_err(|e| {
            if e.to_string().contains("vouchers_reverses_key") {
                AppError::conflict("already_reversed", "this voucher has already been reversed")
            } else {
                db_error(e)
            }
        })?
        .ok_or_else(|| AppError::internal("voucher insert returned nothing"))?
        .try_get("", "id")
        .map_err(db_error)?;
    // One statement for all lines: a repayment's voucher has a handful, a close's many.
    let mut sql = String::from(
        "INSERT INTO voucher_lines (voucher_id, line_no, account_code, debit, credit, loan_id, memo) VALUES ",
    );
    let mut values = Vec::with_capacity(draft.lines.len() * 7);
    for (k, l) in draft.lines.iter().enumerate() {
        let b = k * 7;
        if k > 0 {
            sql.push(',');
        }
        sql.push_str(&format!(
            "(${}, ${}, ${}, ${}, ${}, ${}, ${})",
            b + 1,
            b + 2,
            b + 3,
            b + 4,
            b + 5,
            b + 6,
            b + 7
        ));
        values.extend([
            Value::from(id),
            Value::from(k as i32 + 1),
            Value::from(l.account.clone()),
            Value::from(l.debit.amount()),
            Value::from(l.credit.amount()),
            Value::from(l.loan_id),
            Value::from(l.memo.clone()),
        ]);
    }
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        &sql,
        values,
    ))
    .await
    .map_err(db_error)?;
    Ok((id, seq))
}

#[derive(FromQueryResult)]
struct HeadRow {
    id: i64,
    period: String,
    seq: i32,
    voucher_date: Date,
    status: String,
    source_kind: String,
    source_id: Option<i64>,
    summary: String,
    reverses_id: Option<i64>,
    created_by: Option<i64>,
    created_by_name: Option<String>,
    reviewed_by_name: Option<String>,
    created_at: OffsetDateTime,
    posted_at: Option<OffsetDateTime>,
    total: rust_decimal::Decimal,
}

#[derive(FromQueryResult)]
struct LineRow {
    voucher_id: i64,
    line_no: i32,
    account_code: String,
    account_name: String,
    debit: rust_decimal::Decimal,
    credit: rust_decimal::Decimal,
    loan_id: Option<i64>,
    memo: String,
}

const HEAD_COLUMNS: &str = "v.id, v.period, v.seq, v.voucher_date, v.status, v.source_kind, v.source_id, \
    v.summary, v.reverses_id, v.created_by, cu.display_name AS created_by_name, ru.display_name AS reviewed_by_name, \
    v.created_at, v.posted_at, \
    (SELECT coalesce(sum(l.debit), 0) FROM voucher_lines l WHERE l.voucher_id = v.id) AS total";
const HEAD_FROM: &str = "vouchers v LEFT JOIN users cu ON cu.id = v.created_by \
    LEFT JOIN users ru ON ru.id = v.reviewed_by";

fn money(d: rust_decimal::Decimal) -> AppResult<Money> {
    Money::from_decimal(d).map_err(AppError::internal)
}

async fn with_lines(db: &impl ConnectionTrait, heads: Vec<HeadRow>) -> AppResult<Vec<Voucher>> {
    let ids: Vec<i64> = heads.iter().map(|h| h.id).collect();
    let lines = LineRow::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT l.voucher_id, l.line_no, l.account_code, a.name AS account_name, l.debit, l.credit, \
         l.loan_id, l.memo FROM voucher_lines l JOIN accounts a ON a.code = l.account_code \
         WHERE l.voucher_id = ANY($1) ORDER BY l.voucher_id, l.line_no",
        [Value::from(ids)],
    ))
    .all(db)
    .await
    .map_err(db_error)?;
    let mut by_voucher: HashMap<i64, Vec<VoucherLine>> = HashMap::new();
    for l in lines {
        by_voucher
            .entry(l.voucher_id)
            .or_default()
            .push(VoucherLine {
                line_no: l.line_no,
                account_code: l.account_code,
                account_name: l.account_name,
                debit: money(l.debit)?,
                credit: money(l.credit)?,
                loan_id: l.loan_id,
                memo: l.memo,
            });
    }
    heads
        .into_iter()
        .map(|h| {
            Ok(Voucher {
                voucher_no: voucher_no(&h.period, h.seq),
                lines: by_voucher.remove(&h.id).unwrap_or_default(),
                id: h.id,
                period: h.period,
                voucher_date: h.voucher_date,
                status: VoucherStatus::parse(&h.status)?,
                source_kind: h.source_kind,
                source_id: h.source_id,
                summary: h.summary,
                reverses_id: h.reverses_id,
                created_by: h.created_by,
                created_by_name: h.created_by_name,
                reviewed_by_name: h.reviewed_by_name,
                created_at: h.created_at,
                posted_at: h.posted_at,
                total: money(h.total)?,
            })
        })
        .collect()
}

/// One voucher with its lines.
pub async fn get(db: &impl ConnectionTrait, id: i64) -> AppResult<Voucher> {
    let head = HeadRow::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!("SELECT {HEAD_COLUMNS} FROM {HEAD_FROM} WHERE v.id = $1"),
        [Value::from(id)],
    ))
    .one(db)
    .await
    .map_err(db_error)?
    .ok_or_else(|| AppError::not_found("voucher"))?;
    Ok(with_lines(db, vec![head]).await?.remove(0))
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct VoucherFilter {
    /// `YYYY-MM`
    pub period: Option<String>,
    pub from: Option<Date>,
    pub to: Option<Date>,
    /// What made it: `disbursement`, `repayment`, `manual`, …
    pub source_kind: Option<String>,
    pub source_id: Option<i64>,
    /// Vouchers with a line on this account or below it.
    pub account: Option<String>,
    pub loan_id: Option<i64>,
    pub status: Option<VoucherStatus>,
}

/// Vouchers, newest first, with their lines.
pub async fn list(
    ctx: &LedgersContext,
    filter: &VoucherFilter,
    page: &PageRequest,
) -> AppResult<Page<Voucher>> {
    let mut w = Where::new();
    if let Some(p) = &filter.period {
        w.and("v.period = $?", [Value::from(p.clone())]);
    }
    if let Some(d) = filter.from {
        w.and("v.voucher_date >= $?", [Value::from(d)]);
    }
    if let Some(d) = filter.to {
        w.and("v.voucher_date <= $?", [Value::from(d)]);
    }
    if let Some(k) = &filter.source_kind {
        w.and("v.source_kind = $?", [Value::from(k.clone())]);
    }
    if let Some(s) = filter.source_id {
        w.and("v.source_id = $?", [Value::from(s)]);
    }
    if let Some(a) = &filter.account {
        w.and(
            "EXISTS (SELECT 1 FROM voucher_lines x WHERE x.voucher_id = v.id AND x.account_code LIKE $?)",
            [Value::from(format!("{}%", iam::service::sql::like_escape(a)))],
        );
    }
    if let Some(l) = filter.loan_id {
        w.and(
            "EXISTS (SELECT 1 FROM voucher_lines x WHERE x.voucher_id = v.id AND x.loan_id = $?)",
            [Value::from(l)],
        );
    }
    if let Some(s) = filter.status {
        w.and("v.status = $?", [Value::from(s.as_str())]);
    }
    let heads: Page<HeadRow> = w
        .page_counting_over(
            &ctx.db,
            HEAD_COLUMNS,
            HEAD_FROM,
            "vouchers v",
            "v.voucher_date DESC, v.id DESC",
            page,
        )
        .await?;
    let total = heads.total;
    let items = with_lines(&ctx.db, heads.items).await?;
    Ok(Page::new(items, total, page))
}
