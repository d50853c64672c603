//! Customer bank accounts (客户银行卡): where disbursements go and repayments come from. Card
//! numbers are Luhn-checked, plain accounts only for shape; the holder must be the customer;
//! at most one active account is primary.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, NotSet,
    QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

use iam::repo::status::Status;
use iam::service::{audit, check_version};
use iam::{Actor, perm};
use kernel::error::FieldErrors;
use kernel::{AppError, AppResult};

use super::customers::find_row;
use super::{CustomersContext, blank_to_none, db_error};
use crate::domain::bank_card::{BankCardNumber, parse_account_number};
use crate::domain::mask;
use crate::pii::PiiKeys;
use crate::repo::bank_account;

const NUMBER_FIELD: &str = "customer_bank_accounts.number";

/// A bank card (银行卡) or a plain account (银行账户).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AccountType {
    Card,
    Account,
}

impl AccountType {
    fn as_str(self) -> &'static str {
        match self {
            AccountType::Card => "card",
            AccountType::Account => "account",
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BankAccount {
    pub id: i64,
    pub customer_id: i64,
    pub bank_name: String,
    pub branch: Option<String>,
    pub account_type: AccountType,
    /// Masked (`6222***********0128`) unless revealed.
    pub number: String,
    pub holder_name: String,
    pub is_primary: bool,
    pub status: Status,
    pub version: i32,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BankAccountInput {
    pub bank_name: String,
    pub branch: Option<String>,
    pub account_type: AccountType,
    pub number: String,
    /// Must be the customer's name.
    pub holder_name: String,
    #[serde(default)]
    pub is_primary: bool,
}

fn view(pii: &PiiKeys, m: bank_account::Model, reveal: bool) -> AppResult<BankAccount> {
    let number = pii.decrypt(NUMBER_FIELD, &m.number_cipher)?;
    Ok(BankAccount {
        id: m.id,
        customer_id: m.customer_id,
        bank_name: m.bank_name,
        branch: m.branch,
        account_type: if m.account_type == "card" {
            AccountType::Card
        } else {
            AccountType::Account
        },
        number: if reveal {
            number
        } else {
            mask::account_number(&number)
        },
        holder_name: m.holder_name,
        is_primary: m.is_primary,
        status: m.status,
        version: m.version,
        created_at: m.created_at,
    })
}

/// The accounts of a customer the actor may see, primary first. With `reveal` the numbers come
/// unmasked: that needs `customer:pii:view` and is audited.
pub async fn list(
    ctx: &CustomersContext,
    actor: &Actor,
    customer_id: i64,
    reveal: bool,
) -> AppResult<Vec<BankAccount>> {
    if reveal {
        actor.require(perm::CUSTOMER_PII_VIEW)?;
    }
    let txn = ctx.db.begin().await.map_err(db_error)?;
    find_row(&txn, actor, customer_id).await?;
    let rows = bank_account::Entity::find()
        .filter(bank_account::Column::CustomerId.eq(customer_id))
        .order_by_desc(bank_account::Column::IsPrimary)
        .order_by_asc(bank_account::Column::Id)
        .all(&txn)
        .await
        .map_err(db_error)?;
    let views = rows
        .into_iter()
        .map(|r| view(&ctx.pii, r, reveal))
        .collect::<AppResult<Vec<_>>>()?;
    if reveal {
        audit::record(
            &txn,
            Some(actor),
            ctx.clock.now(),
            audit::Change {
                entity: "customer",
                entity_id: customer_id.to_string(),
                action: "view_pii",
                before: None,
                after: Some(serde_json::json!({"fields": ["bankAccounts.number"]})),
            },
        )
        .await?;
    }
    txn.commit().await.map_err(db_error)?;
    Ok(views)
}

async fn clear_primary(db: &impl ConnectionTrait, customer_id: i64) -> AppResult<()> {
    bank_account::Entity::update_many()
        .col_expr(
            bank_account::Column::IsPrimary,
            sea_orm::sea_query::Expr::value(false),
        )
        .filter(bank_account::Column::CustomerId.eq(customer_id))
        .exec(db)
        .await
        .map_err(db_error)?;
    Ok(())
}

/// Adds an account. The first active account becomes primary whatever the input says.
pub async fn add(
    ctx: &CustomersContext,
    actor: &Actor,
    customer_id: i64,
    input: &BankAccountInput,
) -> AppResult<BankAccount> {
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let customer = find_row(&txn, actor, customer_id).await?;
    super::customers::lock(&txn, customer_id).await?;
    let mut errors = FieldErrors::new();
    if input.bank_name.trim().is_empty() {
        errors.add("bankName", "required", "name the bank");
    }
    let number = match input.account_type {
        AccountType::Card => BankCardNumber::parse(&input.number).map(|n| n.as_str().to_string()),
        AccountType::Account => parse_account_number(&input.number),
    }
    .map_err(|e| e.at(&mut errors, "number"))
    .ok();
    if input.holder_name.trim() != customer.name {
        errors.add(
            "holderName",
            "holder_mismatch",
            "the account holder must be the customer",
        );
    }
    errors.finish()?;
    let number = number.expect("checked");
    let has_primary = bank_account::Entity::find()
        .filter(bank_account::Column::CustomerId.eq(customer_id))
        .filter(bank_account::Column::IsPrimary.eq(true))
        .filter(bank_account::Column::Status.eq(Status::Active))
        .one(&txn)
        .await
        .map_err(db_error)?
        .is_some();
    let primary = input.is_primary || !has_primary;
    if primary {
        clear_primary(&txn, customer_id).await?;
    }
    let row = bank_account::ActiveModel {
        id: NotSet,
        customer_id: Set(customer_id),
        bank_name: Set(input.bank_name.trim().into()),
        branch: Set(blank_to_none(&input.branch)),
        account_type: Set(input.account_type.as_str().into()),
        number_cipher: Set(ctx.pii.encrypt(NUMBER_FIELD, &number)),
        number_hash: Set(ctx.pii.hash("account_number", &number)),
        holder_name: Set(customer.name.clone()),
        is_primary: Set(primary),
        status: Set(Status::Active),
        created_by: Set(Some(actor.user_id)),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await
    .map_err(db_error)?;
    let saved = view(&ctx.pii, row, false)?;
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("customer_bank_account", saved.id, "create").after(&saved),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}

/// What can happen to an existing account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountChange {
    MakePrimary,
    Disable,
}

pub async fn change(
    ctx: &CustomersContext,
    actor: &Actor,
    customer_id: i64,
    account_id: i64,
    version: i32,
    what: AccountChange,
) -> AppResult<BankAccount> {
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    find_row(&txn, actor, customer_id).await?;
    super::customers::lock(&txn, customer_id).await?;
    let found = bank_account::Entity::find_by_id(account_id)
        .lock_exclusive()
        .one(&txn)
        .await
        .map_err(db_error)?
        .filter(|a| a.customer_id == customer_id)
        .ok_or_else(|| AppError::not_found("bank account"))?;
    check_version("bank account", found.version, version)?;
    if found.status != Status::Active {
        return Err(AppError::invalid_state("the account is disabled"));
    }
    let before = view(&ctx.pii, found.clone(), false)?;
    if what == AccountChange::MakePrimary {
        clear_primary(&txn, customer_id).await?;
    }
    let mut row = found.clone().into_active_model();
    match what {
        AccountChange::MakePrimary => row.is_primary = Set(true),
        AccountChange::Disable => {
            row.is_primary = Set(false);
            row.status = Set(Status::Disabled);
        }
    }
    row.version = Set(found.version + 1);
    row.updated_at = Set(now);
    let saved = view(&ctx.pii, row.update(&txn).await.map_err(db_error)?, false)?;
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change {
            entity: "customer_bank_account",
            entity_id: account_id.to_string(),
            action: match what {
                AccountChange::MakePrimary => "make_primary",
                AccountChange::Disable => "disable",
            },
            before: audit::snapshot(&before),
            after: audit::snapshot(&saved),
        },
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}
