//! Loan products (贷款产品): create, edit (each edit is a new terms version), list, read with
//! the worst-case APR check, version history, disable and enable.

use calc::caps::CapStatus;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, FromQueryResult, IntoActiveModel, NotSet,
    QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait, Value,
};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};

use iam::Actor;
use iam::repo::status::Status;
use iam::service::{
    VersionBody, audit, check_version,
    sql::{self, Where},
};
use kernel::error::FieldErrors;
use kernel::{AppError, AppResult, Page, PageRequest};

use super::{LoansContext, db_error, today};
use crate::domain::terms::{CollateralKind, method_name};
use crate::domain::{ProductTerms, ValidTerms, WorstCase, worst_case};
use crate::repo::{product, product_version};

/// A product with its current terms.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Product {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub description: Option<String>,
    pub status: Status,
    /// Send it back to edit, disable or enable.
    pub version: i32,
    /// The number of the current terms version (1, 2, …).
    pub terms_version: i32,
    pub terms: ProductTerms,
    /// The worst-case APR against the caps, on today's date: on single-product answers only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cap_check: Option<WorstCase>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// A product to create, or the new state of one to edit.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProductInput {
    /// Letters, digits, `_` and `-`, unique (e.g. `CAR-EI-36`).
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(flatten)]
    pub terms: ProductTerms,
    /// Required when editing: the product `version` you edited.
    #[serde(default)]
    pub version: Option<i32>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct ProductFilter {
    /// Part of the code or the name.
    pub q: Option<String>,
    pub status: Option<Status>,
    pub collateral_kind: Option<CollateralKind>,
}

/// One saved version of a product's terms.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProductVersion {
    pub version_no: i32,
    pub name: String,
    pub terms: ProductTerms,
    /// The worst-case simple APR when it was saved, percent with 4 places.
    #[schema(value_type = String, example = "17.9984")]
    pub worst_apr_pct: rust_decimal::Decimal,
    pub cap_status: CapStatus,
    pub created_by_name: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

#[derive(Debug, FromQueryResult)]
struct ProductRow {
    id: i64,
    code: String,
    name: String,
    description: Option<String>,
    status: Status,
    current_version: i32,
    version: i32,
    terms: Json,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

fn parse_terms(json: Json) -> AppResult<ProductTerms> {
    serde_json::from_value(json).map_err(AppError::internal)
}

impl ProductRow {
    fn into_view(self) -> AppResult<Product> {
        Ok(Product {
            id: self.id,
            code: self.code,
            name: self.name,
            description: self.description,
            status: self.status,
            version: self.version,
            terms_version: self.current_version,
            terms: parse_terms(self.terms)?,
            cap_check: None,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

fn version_view(m: product_version::Model) -> AppResult<ProductVersion> {
    Ok(ProductVersion {
        version_no: m.version_no,
        name: m.name,
        terms: parse_terms(m.terms)?,
        worst_apr_pct: m.worst_apr_pct,
        cap_status: if m.cap_status == "warning" {
            CapStatus::Warning
        } else {
            CapStatus::Ok
        },
        created_by_name: m.created_by_name,
        created_at: m.created_at,
    })
}

fn blank_to_none(value: &Option<String>) -> Option<String> {
    value
        .as_ref()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// Every field rule at once, then the worst case against the caps: above the hard cap the
/// product is refused (422 `apr_above_cap`), above 4 × LPR it passes with the warning.
fn check(ctx: &LoansContext, input: &ProductInput) -> AppResult<(ValidTerms, WorstCase)> {
    let mut errors = FieldErrors::new();
    let code = input.code.trim();
    if code.is_empty()
        || code.len() > 30
        || !code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        errors.add(
            "code",
            "invalid_format",
            "use 1–30 letters, digits, '_' and '-'",
        );
    }
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        errors.add(
            "name",
            "required",
            "the product needs a name of at most 100 characters",
        );
    }
    let terms = input.terms.validate_into(&mut errors);
    errors.finish()?;
    let worst = worst_case(&terms, today(&ctx.clock), &ctx.caps)?;
    if worst.check.status == CapStatus::Refused {
        let w = &worst.worst;
        let message = format!(
            "at its worst case — {} over {} months, {} at an annual rate of {} % — the \
             product's simple APR is {} %, above the {} % cap",
            method_name(w.method),
            w.term_months,
            w.amount,
            (w.annual_rate.value() * rust_decimal::Decimal::ONE_HUNDRED).normalize(),
            worst.check.apr_simple_pct_2dp,
            worst.check.hard_cap_pct
        );
        let mut err = AppError::rule("apr_above_cap", message.clone());
        err.field_errors
            .push(kernel::FieldError::new("rateMax", "apr_above_cap", message));
        return Err(err);
    }
    Ok((terms, worst))
}

fn cap_status_str(status: CapStatus) -> &'static str {
    match status {
        CapStatus::Warning => "warning",
        _ => "ok",
    }
}

pub async fn list(
    ctx: &LoansContext,
    filter: &ProductFilter,
    page: &PageRequest,
) -> AppResult<Page<Product>> {
    let mut w = Where::new();
    if let Some(q) = blank_to_none(&filter.q) {
        let like = sql::contains(&q);
        w.and(
            "(p.code ILIKE $? OR p.name ILIKE $?)",
            [Value::from(like.clone()), Value::from(like)],
        );
    }
    if let Some(s) = filter.status {
        let s = if s == Status::Active {
            "active"
        } else {
            "disabled"
        };
        w.and("p.status = $?", [Value::from(s)]);
    }
    if let Some(k) = filter.collateral_kind {
        w.and("p.collateral_kind = $?", [Value::from(k.as_str())]);
    }
    let rows = w
        .page::<ProductRow>(
            &ctx.db,
            "p.id, p.code, p.name, p.description, p.status, p.current_version, p.version, \
             v.terms, p.created_at, p.updated_at",
            "loan_products p JOIN loan_product_versions v \
             ON v.product_id = p.id AND v.version_no = p.current_version",
            "p.code",
            page,
        )
        .await?;
    let total = rows.total;
    let items = rows
        .items
        .into_iter()
        .map(ProductRow::into_view)
        .collect::<AppResult<Vec<_>>>()?;
    Ok(Page::new(items, total, page))
}

async fn load(db: &impl sea_orm::ConnectionTrait, id: i64) -> AppResult<Product> {
    let p = product::Entity::find_by_id(id)
        .one(db)
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::not_found("product"))?;
    let v = product_version::Entity::find()
        .filter(product_version::Column::ProductId.eq(id))
        .filter(product_version::Column::VersionNo.eq(p.current_version))
        .one(db)
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::internal("a product without its current version"))?;
    ProductRow {
        id: p.id,
        code: p.code,
        name: p.name,
        description: p.description,
        status: p.status,
        current_version: p.current_version,
        version: p.version,
        terms: v.terms,
        created_at: p.created_at,
        updated_at: p.updated_at,
    }
    .into_view()
}

/// A product with its current terms and their worst-case APR on today's date. Terms saved
/// under older rules that no longer validate are still shown, without the check.
pub async fn get(ctx: &LoansContext, id: i64) -> AppResult<Product> {
    let mut found = load(&ctx.db, id).await?;
    found.cap_check = found
        .terms
        .validate()
        .and_then(|terms| worst_case(&terms, today(&ctx.clock), &ctx.caps))
        .ok();
    Ok(found)
}

async fn insert_version(
    txn: &impl sea_orm::ConnectionTrait,
    actor: &Actor,
    now: OffsetDateTime,
    product_id: i64,
    version_no: i32,
    input: &ProductInput,
    worst: &WorstCase,
) -> AppResult<()> {
    product_version::ActiveModel {
        id: NotSet,
        product_id: Set(product_id),
        version_no: Set(version_no),
        name: Set(input.name.trim().into()),
        terms: Set(serde_json::to_value(input.terms.normalized()).map_err(AppError::internal)?),
        worst_apr_pct: Set(worst.worst.apr_simple_pct),
        cap_status: Set(cap_status_str(worst.check.status).into()),
        created_by: Set(Some(actor.user_id)),
        created_by_name: Set(Some(actor.display_name.clone())),
        created_at: Set(now),
    }
    .insert(txn)
    .await
    .map_err(db_error)?;
    Ok(())
}

pub async fn create(ctx: &LoansContext, actor: &Actor, input: &ProductInput) -> AppResult<Product> {
    let (terms, worst) = check(ctx, input)?;
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let saved = product::ActiveModel {
        id: NotSet,
        code: Set(input.code.trim().into()),
        name: Set(input.name.trim().into()),
        description: Set(blank_to_none(&input.description)),
        collateral_kind: Set(terms.collateral_kind.as_str().into()),
        status: Set(Status::Active),
        current_version: Set(1),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await
    .map_err(db_error)?;
    insert_version(&txn, actor, now, saved.id, 1, input, &worst).await?;
    let view = load(&txn, saved.id).await?;
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("loan_product", saved.id, "create").after(&view),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(Product {
        cap_check: Some(worst),
        ..view
    })
}

/// Saves the input as the product's next terms version; the old versions stay as they were.
pub async fn update(
    ctx: &LoansContext,
    actor: &Actor,
    id: i64,
    input: &ProductInput,
) -> AppResult<Product> {
    let version = input.version.ok_or_else(|| {
        AppError::invalid_field("version", "required", "send the version you edited")
    })?;
    let (terms, worst) = check(ctx, input)?;
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let found = lock(&txn, id).await?;
    check_version("product", found.version, version)?;
    let before = load(&txn, id).await?;
    let next = found.current_version + 1;
    let mut row = found.clone().into_active_model();
    row.code = Set(input.code.trim().into());
    row.name = Set(input.name.trim().into());
    row.description = Set(blank_to_none(&input.description));
    row.collateral_kind = Set(terms.collateral_kind.as_str().into());
    row.current_version = Set(next);
    row.version = Set(found.version + 1);
    row.updated_at = Set(now);
    row.update(&txn).await.map_err(db_error)?;
    insert_version(&txn, actor, now, id, next, input, &worst).await?;
    let after = load(&txn, id).await?;
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("loan_product", id, "update")
            .before(&before)
            .after(&after),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(Product {
        cap_check: Some(worst),
        ..after
    })
}

async fn lock(txn: &sea_orm::DatabaseTransaction, id: i64) -> AppResult<product::Model> {
    product::Entity::find_by_id(id)
        .lock_exclusive()
        .one(txn)
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::not_found("product"))
}

/// Disables (no new loans) or enables a product; its terms do not change.
pub async fn set_status(
    ctx: &LoansContext,
    actor: &Actor,
    id: i64,
    input: &VersionBody,
    status: Status,
) -> AppResult<Product> {
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let found = lock(&txn, id).await?;
    check_version("product", found.version, input.version)?;
    let before = load(&txn, id).await?;
    let mut row = found.clone().into_active_model();
    row.status = Set(status);
    row.version = Set(found.version + 1);
    row.updated_at = Set(now);
    row.update(&txn).await.map_err(db_error)?;
    let after = load(&txn, id).await?;
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("loan_product", id, status.action())
            .before(&before)
            .after(&after),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(after)
}

/// Every terms version of a product, newest first.
pub async fn versions(ctx: &LoansContext, id: i64) -> AppResult<Vec<ProductVersion>> {
    product::Entity::find_by_id(id)
        .one(&ctx.db)
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::not_found("product"))?;
    product_version::Entity::find()
        .filter(product_version::Column::ProductId.eq(id))
        .order_by_desc(product_version::Column::VersionNo)
        .all(&ctx.db)
        .await
        .map_err(db_error)?
        .into_iter()
        .map(version_view)
        .collect()
}

/// One terms version: what a loan signed under it keeps.
pub async fn version(ctx: &LoansContext, id: i64, version_no: i32) -> AppResult<ProductVersion> {
    let found = product_version::Entity::find()
        .filter(product_version::Column::ProductId.eq(id))
        .filter(product_version::Column::VersionNo.eq(version_no))
        .one(&ctx.db)
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::not_found("product version"))?;
    version_view(found)
}
