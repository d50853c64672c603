//! Prospects (意向客户): people who showed interest, with a contact number, a source, a grade
//! and a follow-up date, until they are converted into customers or dropped.

use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DbBackend, EntityTrait, FromQueryResult, IntoActiveModel,
    NotSet, QuerySelect, Set, Statement, TransactionTrait, Value,
};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};

use iam::Actor;
use iam::service::{audit, check_version, scope, sql::Where};
use kernel::error::FieldErrors;
use kernel::{AppError, AppResult, Page, PageRequest};

use super::customers::Customer;
use super::individuals::{self, IndividualInput, check_references};
use super::{CustomersContext, blank_to_none, db_error, unscoped};
use crate::domain::{MobileNumber, mask};
use crate::pii::PiiKeys;
use crate::repo::prospect;

const MOBILE_FIELD: &str = "prospects.mobile";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProspectStatus {
    Open,
    Converted,
    Dropped,
}

impl ProspectStatus {
    fn as_str(self) -> &'static str {
        match self {
            ProspectStatus::Open => "open",
            ProspectStatus::Converted => "converted",
            ProspectStatus::Dropped => "dropped",
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Prospect {
    pub id: i64,
    pub name: String,
    /// Masked.
    pub mobile: String,
    /// Where the lead came from (渠道), e.g. `dealer`, `referral`, `walk_in`.
    pub source: Option<String>,
    pub grade_id: Option<i64>,
    pub grade_name: Option<String>,
    pub follow_up_on: Option<Date>,
    pub notes: Option<String>,
    pub manager_id: i64,
    pub manager_name: String,
    pub department_id: Option<i64>,
    pub status: ProspectStatus,
    /// The customer it became.
    pub customer_id: Option<i64>,
    pub version: i32,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

#[derive(FromQueryResult)]
struct Row {
    id: i64,
    name: String,
    mobile_cipher: String,
    source: Option<String>,
    grade_id: Option<i64>,
    grade_name: Option<String>,
    follow_up_on: Option<Date>,
    notes: Option<String>,
    manager_id: i64,
    manager_name: String,
    department_id: Option<i64>,
    status: String,
    customer_id: Option<i64>,
    version: i32,
    created_at: OffsetDateTime,
}

const COLUMNS: &str = "p.id, p.name, p.mobile_cipher, p.source, p.grade_id, g.name AS grade_name, \
    p.follow_up_on, p.notes, p.manager_id, u.display_name AS manager_name, p.department_id, \
    p.status, p.customer_id, p.version, p.created_at";
const FROM: &str = "prospects p JOIN users u ON u.id = p.manager_id \
    LEFT JOIN customer_grades g ON g.id = p.grade_id";
const OWN: &str = "p.manager_id = $?";

fn view(pii: &PiiKeys, r: Row) -> AppResult<Prospect> {
    Ok(Prospect {
        id: r.id,
        name: r.name,
        mobile: mask::mobile(&pii.decrypt(MOBILE_FIELD, &r.mobile_cipher)?),
        source: r.source,
        grade_id: r.grade_id,
        grade_name: r.grade_name,
        follow_up_on: r.follow_up_on,
        notes: r.notes,
        manager_id: r.manager_id,
        manager_name: r.manager_name,
        department_id: r.department_id,
        status: match r.status.as_str() {
            "converted" => ProspectStatus::Converted,
            "dropped" => ProspectStatus::Dropped,
            _ => ProspectStatus::Open,
        },
        customer_id: r.customer_id,
        version: r.version,
        created_at: r.created_at,
    })
}

async fn find(
    ctx: &CustomersContext,
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> AppResult<Prospect> {
    let mut w = Where::new();
    w.and("p.id = $?", [Value::from(id)]);
    scope::restrict(&mut w, actor, "p.department_id", OWN);
    let sql = format!("SELECT {COLUMNS} FROM {FROM} WHERE {}", w.sql());
    let row = Row::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        &sql,
        w.values(),
    ))
    .one(db)
    .await
    .map_err(db_error)?
    .ok_or_else(|| AppError::not_found("prospect"))?;
    view(&ctx.pii, row)
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProspectInput {
    pub name: String,
    pub mobile: String,
    pub source: Option<String>,
    pub grade_id: Option<i64>,
    pub follow_up_on: Option<Date>,
    pub notes: Option<String>,
    /// Yourself when not given.
    pub manager_id: Option<i64>,
    /// `open` or `dropped` when updating; conversion has its own endpoint.
    pub status: Option<ProspectStatus>,
    /// Required when updating.
    pub version: Option<i32>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct ProspectFilter {
    pub status: Option<ProspectStatus>,
    pub grade_id: Option<i64>,
    pub manager_id: Option<i64>,
    /// Exact mobile number.
    pub mobile: Option<String>,
    /// Follow-ups due on or before this date.
    pub follow_up_by: Option<Date>,
}

pub async fn list(
    ctx: &CustomersContext,
    actor: &Actor,
    filter: &ProspectFilter,
    page: &PageRequest,
) -> AppResult<Page<Prospect>> {
    let mut w = Where::new();
    scope::restrict(&mut w, actor, "p.department_id", OWN);
    if let Some(s) = filter.status {
        w.and("p.status = $?", [Value::from(s.as_str())]);
    }
    if let Some(g) = filter.grade_id {
        w.and("p.grade_id = $?", [Value::from(g)]);
    }
    if let Some(m) = filter.manager_id {
        w.and("p.manager_id = $?", [Value::from(m)]);
    }
    if let Some(raw) = blank_to_none(&filter.mobile) {
        let hash = MobileNumber::parse(&raw)
            .map(|m| ctx.pii.hash("mobile", m.as_str()))
            .unwrap_or_default();
        w.and("p.mobile_hash = $?", [Value::from(hash)]);
    }
    if let Some(d) = filter.follow_up_by {
        w.and("p.follow_up_on <= $?", [Value::from(d)]);
    }
    let rows: Page<Row> = w
        .page(
            &ctx.db,
            COLUMNS,
            FROM,
            "p.follow_up_on NULLS LAST, p.id DESC",
            page,
        )
        .await?;
    let items = rows
        .items
        .into_iter()
        .map(|r| view(&ctx.pii, r))
        .collect::<AppResult<Vec<_>>>()?;
    Ok(Page {
        items,
        total: rows.total,
        page: rows.page,
        page_size: rows.page_size,
    })
}

fn check(input: &ProspectInput) -> AppResult<MobileNumber> {
    let mut errors = FieldErrors::new();
    if input.name.trim().is_empty() {
        errors.add("name", "required", "the prospect's name is required");
    }
    let mobile = MobileNumber::parse(&input.mobile)
        .map_err(|e| e.at(&mut errors, "mobile"))
        .ok();
    if input.status == Some(ProspectStatus::Converted) {
        errors.add(
            "status",
            "use_convert",
            "convert a prospect with its convert action",
        );
    }
    errors.finish()?;
    Ok(mobile.expect("checked"))
}

pub async fn create(
    ctx: &CustomersContext,
    actor: &Actor,
    input: &ProspectInput,
) -> AppResult<Prospect> {
    let mobile = check(input)?;
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let manager = check_references(
        &txn,
        input.grade_id,
        input.manager_id.unwrap_or(actor.user_id),
        "prospect",
    )
    .await?;
    let row = prospect::ActiveModel {
        id: NotSet,
        name: Set(input.name.trim().into()),
        mobile_cipher: Set(ctx.pii.encrypt(MOBILE_FIELD, mobile.as_str())),
        mobile_hash: Set(ctx.pii.hash("mobile", mobile.as_str())),
        source: Set(blank_to_none(&input.source)),
        grade_id: Set(input.grade_id),
        follow_up_on: Set(input.follow_up_on),
        notes: Set(blank_to_none(&input.notes)),
        manager_id: Set(manager.id),
        department_id: Set(manager.department_id),
        status: Set("open".into()),
        customer_id: Set(None),
        created_by: Set(Some(actor.user_id)),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await
    .map_err(db_error)?;
    let saved = find(ctx, &txn, &unscoped(actor), row.id).await?;
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("prospect", saved.id, "create").after(&saved),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}

async fn lock(db: &impl ConnectionTrait, id: i64) -> AppResult<prospect::Model> {
    prospect::Entity::find_by_id(id)
        .lock_exclusive()
        .one(db)
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::not_found("prospect"))
}

pub async fn update(
    ctx: &CustomersContext,
    actor: &Actor,
    id: i64,
    input: &ProspectInput,
) -> AppResult<Prospect> {
    let mobile = check(input)?;
    let version = input.version.ok_or_else(|| {
        AppError::invalid_field("version", "required", "send the version you edited")
    })?;
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let before = find(ctx, &txn, actor, id).await?;
    let found = lock(&txn, id).await?;
    check_version("prospect", found.version, version)?;
    if found.status == "converted" {
        return Err(AppError::invalid_state(
            "a converted prospect cannot change",
        ));
    }
    let manager = check_references(
        &txn,
        input.grade_id,
        input.manager_id.unwrap_or(found.manager_id),
        "prospect",
    )
    .await?;
    let mut row = found.clone().into_active_model();
    row.name = Set(input.name.trim().into());
    row.mobile_cipher = Set(ctx.pii.encrypt(MOBILE_FIELD, mobile.as_str()));
    row.mobile_hash = Set(ctx.pii.hash("mobile", mobile.as_str()));
    row.source = Set(blank_to_none(&input.source));
    row.grade_id = Set(input.grade_id);
    row.follow_up_on = Set(input.follow_up_on);
    row.notes = Set(blank_to_none(&input.notes));
    row.manager_id = Set(manager.id);
    row.department_id = Set(manager.department_id);
    row.status = Set(input.status.unwrap_or(ProspectStatus::Open).as_str().into());
    row.version = Set(found.version + 1);
    row.updated_at = Set(now);
    row.update(&txn).await.map_err(db_error)?;
    let saved = find(ctx, &txn, &unscoped(actor), id).await?;
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("prospect", id, "update")
            .before(&before)
            .after(&saved),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConvertInput {
    /// The prospect's version.
    pub version: i32,
    /// The full individual customer to create.
    pub customer: IndividualInput,
}

/// Converts an open prospect into an individual customer, in one transaction.
pub async fn convert(
    ctx: &CustomersContext,
    actor: &Actor,
    id: i64,
    input: &ConvertInput,
) -> AppResult<Customer> {
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let before = find(ctx, &txn, actor, id).await?;
    let found = lock(&txn, id).await?;
    check_version("prospect", found.version, input.version)?;
    if found.status != "open" {
        return Err(AppError::invalid_state(
            "only an open prospect can be converted",
        ));
    }
    let customer = individuals::create_in(ctx, &txn, actor, &input.customer)
        .await
        .map_err(|mut e| {
            // The customer's fields sit under `customer` in this body.
            for f in &mut e.field_errors {
                f.field = format!("customer.{}", f.field);
            }
            e
        })?;
    let mut row = found.clone().into_active_model();
    row.status = Set("converted".into());
    row.customer_id = Set(Some(customer.id));
    row.version = Set(found.version + 1);
    row.updated_at = Set(now);
    row.update(&txn).await.map_err(db_error)?;
    let saved = find(ctx, &txn, &unscoped(actor), id).await?;
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("prospect", id, "convert")
            .before(&before)
            .after(&saved),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(customer)
}
