//! The chart of accounts (会计科目): seeded from RULES.md §9; finance adds sub-accounts (a bank
//! account under 1002, say) and renames or disables them. An account with postings keeps its
//! code and type for good.

use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Statement, TransactionTrait, Value};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use iam::Actor;
use iam::service::{audit, check_version};
use kernel::error::FieldErrors;
use kernel::{AppError, AppResult};

use super::{LedgersContext, db_error};
use crate::domain::account::{Category, Direction, is_child_code};

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    pub code: String,
    pub name: String,
    pub parent_code: Option<String>,
    pub category: Category,
    pub direction: Direction,
    /// Cash, bank or other funds: money is paid from or into it.
    pub is_fund: bool,
    pub enabled: bool,
    /// Has sub-accounts, so takes no postings itself.
    pub has_children: bool,
    /// Has postings, so its code and type are fixed.
    pub in_use: bool,
    pub version: i32,
}

#[derive(FromQueryResult)]
struct Row {
    code: String,
    name: String,
    parent_code: Option<String>,
    category: String,
    direction: String,
    is_fund: bool,
    enabled: bool,
    has_children: bool,
    in_use: bool,
    version: i32,
}

impl Row {
    fn into_view(self) -> AppResult<Account> {
        Ok(Account {
            category: Category::parse(&self.category)
                .ok_or_else(|| AppError::internal("category"))?,
            direction: Direction::parse(&self.direction)
                .ok_or_else(|| AppError::internal("direction"))?,
            code: self.code,
            name: self.name,
            parent_code: self.parent_code,
            is_fund: self.is_fund,
            enabled: self.enabled,
            has_children: self.has_children,
            in_use: self.in_use,
            version: self.version,
        })
    }
}

const SELECT: &str = "SELECT a.code, a.name, a.parent_code, a.category, a.direction, a.is_fund, a.enabled, \
    EXISTS (SELECT 1 FROM accounts c WHERE c.parent_code = a.code) AS has_children, \
    EXISTS (SELECT 1 FROM voucher_lines l WHERE l.account_code = a.code) AS in_use, a.version \
    FROM accounts a";

/// The whole chart in code order.
pub async fn list(ctx: &LedgersContext) -> AppResult<Vec<Account>> {
    Row::find_by_statement(Statement::from_string(
        DbBackend::Postgres,
        format!("{SELECT} ORDER BY a.code"),
    ))
    .all(&ctx.db)
    .await
    .map_err(db_error)?
    .into_iter()
    .map(Row::into_view)
    .collect()
}

pub async fn get(db: &impl ConnectionTrait, code: &str) -> AppResult<Account> {
    Row::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!("{SELECT} WHERE a.code = $1"),
        [Value::from(code)],
    ))
    .one(db)
    .await
    .map_err(db_error)?
    .ok_or_else(|| AppError::not_found("account"))?
    .into_view()
}

/// The enabled fund accounts money can be paid from or into (cash, banks, other funds).
pub async fn require_fund(db: &impl ConnectionTrait, field: &str, code: &str) -> AppResult<()> {
    let found = get(db, code).await.ok();
    match found {
        Some(a) if a.is_fund && a.enabled && !a.has_children => Ok(()),
        _ => Err(AppError::invalid_field(
            field,
            "not_a_fund_account",
            format!("{code} is not an enabled cash or bank account without sub-accounts"),
        )),
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NewSubAccount {
    pub parent_code: String,
    /// The parent's code followed by two digits.
    pub code: String,
    pub name: String,
}

/// Adds a sub-account; it takes its parent's category, direction and fund flag. A parent
/// that already has postings cannot be split (its balance would have nowhere to go).
pub async fn create(
    ctx: &LedgersContext,
    actor: &Actor,
    input: &NewSubAccount,
) -> AppResult<Account> {
    let mut errors = FieldErrors::new();
    if !is_child_code(&input.code, &input.parent_code) {
        errors.add(
            "code",
            "not_under_parent",
            "a sub-account's code is its parent's followed by two digits",
        );
    }
    if input.name.trim().is_empty() {
        errors.add("name", "required", "name the account");
    }
    errors.finish()?;
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let parent = get(&txn, &input.parent_code)
        .await
        .map_err(|_| AppError::invalid_field("parentCode", "unknown", "no such account"))?;
    if parent.in_use && !parent.has_children {
        return Err(AppError::conflict(
            "account_in_use",
            format!(
                "{} has postings of its own; it cannot take sub-accounts",
                parent.code
            ),
        ));
    }
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "INSERT INTO accounts (code, name, parent_code, category, direction, is_fund) \
         SELECT $1, $2, p.code, p.category, p.direction, p.is_fund FROM accounts p WHERE p.code = $3",
        [
            Value::from(input.code.clone()),
            Value::from(input.name.trim()),
            Value::from(input.parent_code.clone()),
        ],
    ))
    .await
    .map_err(|e| {
        if e.to_string().contains("accounts_pkey") {
            AppError::invalid_field("code", "duplicate", "already taken")
        } else {
            db_error(e)
        }
    })?;
    let after = get(&txn, &input.code).await?;
    audit::record(
        &txn,
        Some(actor),
        ctx.clock.now(),
        audit::Change::new("account", &after.code, "create").after(&after),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(after)
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AccountUpdate {
    pub name: String,
    pub enabled: bool,
    pub version: i32,
}

/// Renames or disables an account (a disabled account takes no new postings).
pub async fn update(
    ctx: &LedgersContext,
    actor: &Actor,
    code: &str,
    input: &AccountUpdate,
) -> AppResult<Account> {
    if input.name.trim().is_empty() {
        return Err(AppError::invalid_field(
            "name",
            "required",
            "name the account",
        ));
    }
    let txn = ctx.db.begin().await.map_err(db_error)?;
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT 1 FROM accounts WHERE code = $1 FOR UPDATE",
        [Value::from(code)],
    ))
    .await
    .map_err(db_error)?;
    let before = get(&txn, code).await?;
    check_version("account", before.version, input.version)?;
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "UPDATE accounts SET name = $2, enabled = $3, version = version + 1, updated_at = $4 WHERE code = $1",
        [
            Value::from(code),
            Value::from(input.name.trim()),
            Value::from(input.enabled),
            Value::from(ctx.clock.now()),
        ],
    ))
    .await
    .map_err(db_error)?;
    let after = get(&txn, code).await?;
    audit::record(
        &txn,
        Some(actor),
        ctx.clock.now(),
        audit::Change::new("account", code, "update")
            .before(&before)
            .after(&after),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(after)
}
