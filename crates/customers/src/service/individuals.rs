//! Individual customers (个人客户): created and edited with their identity, contacts and
//! finances; one customer per ID number.

use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DbBackend, EntityTrait, FromQueryResult, IntoActiveModel,
    NotSet, Set, Statement, TransactionTrait, Value,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use iam::Actor;
use iam::repo::status::Status;
use iam::service::{audit, check_version};
use kernel::error::FieldErrors;
use kernel::{AppError, AppResult, Money};

use super::customers::{
    self, Address, Contact, Customer, ID_FIELD, MOBILE_FIELD, masked_view, visible,
};
use super::{CustomersContext, blank_to_none, db_error, today, unscoped};
use crate::domain::{MobileNumber, ResidentId};
use crate::repo::{customer, grade};

/// Marital status (婚姻状况).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MaritalStatus {
    Single,
    Married,
    Divorced,
    Widowed,
}

/// Highest education (学历).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Education {
    Primary,
    JuniorHigh,
    SeniorHigh,
    Vocational,
    Associate,
    Bachelor,
    Master,
    Doctorate,
}

fn snake(value: &impl serde::Serialize) -> Option<String> {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
}

/// An individual customer to create or update.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IndividualInput {
    pub name: String,
    /// The 18-character resident ID number; birth date, sex and age come from it.
    pub id_number: String,
    pub mobile: String,
    #[serde(default)]
    pub addresses: Vec<Address>,
    pub employer: Option<String>,
    pub monthly_income: Option<Money>,
    pub marital_status: Option<MaritalStatus>,
    pub education: Option<Education>,
    /// At least two emergency contacts, each with a relation.
    #[serde(default)]
    pub contacts: Vec<Contact>,
    pub grade_id: Option<i64>,
    /// The owning customer manager; yourself when not given.
    pub manager_id: Option<i64>,
    /// Required when updating: the version you edited.
    pub version: Option<i32>,
}

/// The input once every rule holds.
pub(crate) struct Valid {
    pub name: String,
    pub id: ResidentId,
    pub mobile: MobileNumber,
    pub contacts: Vec<Contact>,
    pub addresses: Vec<Address>,
}

/// Checks every field, reporting all failures at once.
pub(crate) fn check(input: &IndividualInput, on: time::Date) -> AppResult<Valid> {
    let mut errors = FieldErrors::new();
    let name = input.name.trim().to_string();
    if name.is_empty() {
        errors.add("name", "required", "the customer's name is required");
    } else if name.chars().count() > 50 {
        errors.add("name", "too_long", "at most 50 characters");
    }
    let id = ResidentId::parse(&input.id_number)
        .map_err(|e| e.at(&mut errors, "idNumber"))
        .ok();
    if id.as_ref().is_some_and(|id| id.birth_date() > on) {
        errors.add(
            "idNumber",
            "invalid_id_number",
            "the birth date is in the future",
        );
    }
    let mobile = MobileNumber::parse(&input.mobile)
        .map_err(|e| e.at(&mut errors, "mobile"))
        .ok();
    check_contacts(&input.contacts, true, &mut errors);
    for (i, a) in input.addresses.iter().enumerate() {
        if a.text.trim().is_empty() {
            errors.add(
                format!("addresses[{i}].text"),
                "required",
                "the address is empty",
            );
        }
    }
    if input.monthly_income.is_some_and(|m| m.is_negative()) {
        errors.add("monthlyIncome", "negative", "income cannot be negative");
    }
    errors.finish()?;
    Ok(Valid {
        name,
        id: id.expect("checked"),
        mobile: mobile.expect("checked"),
        contacts: normalised_contacts(&input.contacts),
        addresses: input
            .addresses
            .iter()
            .map(|a| Address {
                kind: a.kind,
                text: a.text.trim().into(),
            })
            .collect(),
    })
}

/// Contacts need a name and a valid phone; an individual's emergency contacts (at least two)
/// also need a relation.
pub(crate) fn check_contacts(contacts: &[Contact], emergency: bool, errors: &mut FieldErrors) {
    if emergency && contacts.len() < 2 {
        errors.add(
            "contacts",
            "too_few_contacts",
            "give at least two emergency contacts",
        );
    }
    for (i, c) in contacts.iter().enumerate() {
        if c.name.trim().is_empty() {
            errors.add(
                format!("contacts[{i}].name"),
                "required",
                "the contact's name is required",
            );
        }
        if emergency && c.relation.is_none() {
            errors.add(
                format!("contacts[{i}].relation"),
                "required",
                "say how the contact is related to the customer",
            );
        }
        if let Err(e) = MobileNumber::parse(&c.phone) {
            e.at(errors, format!("contacts[{i}].phone"));
        }
    }
}

pub(crate) fn normalised_contacts(contacts: &[Contact]) -> Vec<Contact> {
    contacts
        .iter()
        .map(|c| Contact {
            name: c.name.trim().into(),
            relation: c.relation,
            position: blank_to_none(&c.position),
            phone: MobileNumber::parse(&c.phone)
                .map(|m| m.as_str().to_string())
                .unwrap_or_else(|_| c.phone.clone()),
        })
        .collect()
}

/// The grade and manager a customer refers to must exist and be active.
pub(crate) async fn check_references(
    db: &impl ConnectionTrait,
    grade_id: Option<i64>,
    manager_id: i64,
    grade_scope: &str,
) -> AppResult<iam::repo::user::Model> {
    let mut errors = FieldErrors::new();
    if let Some(id) = grade_id {
        let found = grade::Entity::find_by_id(id)
            .one(db)
            .await
            .map_err(db_error)?;
        if !matches!(found, Some(g) if g.status == Status::Active && g.scope == grade_scope) {
            errors.add(
                "gradeId",
                "unknown_reference",
                "choose an existing, active grade",
            );
        }
    }
    let manager = customers::manager(db, manager_id).await?;
    if manager.is_none() {
        errors.add(
            "managerId",
            "unknown_reference",
            "choose an active user as the manager",
        );
    }
    errors.finish()?;
    Ok(manager.expect("checked"))
}

#[derive(FromQueryResult)]
struct Existing {
    id: i64,
    name: String,
}

/// 409 `duplicate` when another customer has this ID number, naming it if the actor may see it.
async fn check_unique_id(
    db: &impl ConnectionTrait,
    actor: &Actor,
    hash: &str,
    except: Option<i64>,
) -> AppResult<()> {
    let existing = Existing::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT id, name FROM customers WHERE id_number_hash = $1 AND id <> $2",
        [Value::from(hash), Value::from(except.unwrap_or(0))],
    ))
    .one(db)
    .await
    .map_err(db_error)?;
    let Some(existing) = existing else {
        return Ok(());
    };
    let message = if visible(db, actor, existing.id).await? {
        format!(
            "this ID number belongs to customer {} ({})",
            existing.id, existing.name
        )
    } else {
        "this ID number belongs to a customer outside your data scope".to_string()
    };
    let mut err = AppError::conflict("duplicate", message.clone());
    err.field_errors
        .push(kernel::FieldError::new("idNumber", "duplicate", message));
    Err(err)
}

pub async fn create(
    ctx: &CustomersContext,
    actor: &Actor,
    input: &IndividualInput,
) -> AppResult<Customer> {
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let saved = create_in(ctx, &txn, actor, input).await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}

/// Creates an individual inside the caller's transaction (a prospect's conversion uses it).
pub(crate) async fn create_in(
    ctx: &CustomersContext,
    txn: &impl ConnectionTrait,
    actor: &Actor,
    input: &IndividualInput,
) -> AppResult<Customer> {
    let now = ctx.clock.now();
    let valid = check(input, today(&ctx.clock))?;
    let id_hash = ctx.pii.hash("id_number", valid.id.as_str());
    let manager = check_references(
        txn,
        input.grade_id,
        input.manager_id.unwrap_or(actor.user_id),
        "customer",
    )
    .await?;
    check_unique_id(txn, actor, &id_hash, None).await?;
    let inserted = customer::ActiveModel {
        id: NotSet,
        kind: Set("individual".into()),
        name: Set(valid.name.clone()),
        id_number_cipher: Set(Some(ctx.pii.encrypt(ID_FIELD, valid.id.as_str()))),
        id_number_hash: Set(Some(id_hash)),
        birth_date: Set(Some(valid.id.birth_date())),
        sex: Set(Some(valid.id.sex().as_str().into())),
        mobile_cipher: Set(Some(ctx.pii.encrypt(MOBILE_FIELD, valid.mobile.as_str()))),
        mobile_hash: Set(Some(ctx.pii.hash("mobile", valid.mobile.as_str()))),
        employer: Set(blank_to_none(&input.employer)),
        monthly_income: Set(input.monthly_income.map(Money::amount)),
        marital_status: Set(input.marital_status.as_ref().and_then(snake)),
        education: Set(input.education.as_ref().and_then(snake)),
        credit_code: Set(None),
        registered_capital: Set(None),
        founded_on: Set(None),
        industry: Set(None),
        legal_rep_customer_id: Set(None),
        legal_rep_name: Set(None),
        legal_rep_id_cipher: Set(None),
        legal_rep_id_hash: Set(None),
        addresses: Set(serde_json::to_value(&valid.addresses).map_err(AppError::internal)?),
        contacts: Set(serde_json::to_value(&valid.contacts).map_err(AppError::internal)?),
        grade_id: Set(input.grade_id),
        manager_id: Set(manager.id),
        department_id: Set(manager.department_id),
        status: Set(Status::Active),
        created_by: Set(Some(actor.user_id)),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(txn)
    .await
    .map_err(db_error)?;
    let saved = masked_view(ctx, txn, &unscoped(actor), inserted.id).await?;
    audit::record(
        txn,
        Some(actor),
        now,
        audit::Change::new("customer", saved.id, "create").after(&saved),
    )
    .await?;
    Ok(saved)
}

pub async fn update(
    ctx: &CustomersContext,
    actor: &Actor,
    id: i64,
    input: &IndividualInput,
) -> AppResult<Customer> {
    let version = input.version.ok_or_else(|| {
        AppError::invalid_field("version", "required", "send the version you edited")
    })?;
    let now = ctx.clock.now();
    let valid = check(input, today(&ctx.clock))?;
    let id_hash = ctx.pii.hash("id_number", valid.id.as_str());
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let before = masked_view(ctx, &txn, actor, id).await?;
    let found = customers::lock(&txn, id).await?;
    if found.kind != "individual" {
        return Err(AppError::not_found("individual customer"));
    }
    check_version("customer", found.version, version)?;
    let manager = check_references(
        &txn,
        input.grade_id,
        input.manager_id.unwrap_or(found.manager_id),
        "customer",
    )
    .await?;
    check_unique_id(&txn, actor, &id_hash, Some(id)).await?;
    let mut row = found.clone().into_active_model();
    row.name = Set(valid.name.clone());
    if found.id_number_hash.as_deref() != Some(id_hash.as_str()) {
        row.id_number_cipher = Set(Some(ctx.pii.encrypt(ID_FIELD, valid.id.as_str())));
        row.id_number_hash = Set(Some(id_hash));
    }
    row.birth_date = Set(Some(valid.id.birth_date()));
    row.sex = Set(Some(valid.id.sex().as_str().into()));
    let mobile_hash = ctx.pii.hash("mobile", valid.mobile.as_str());
    if found.mobile_hash.as_deref() != Some(mobile_hash.as_str()) {
        row.mobile_cipher = Set(Some(ctx.pii.encrypt(MOBILE_FIELD, valid.mobile.as_str())));
        row.mobile_hash = Set(Some(mobile_hash));
    }
    row.employer = Set(blank_to_none(&input.employer));
    row.monthly_income = Set(input.monthly_income.map(Money::amount));
    row.marital_status = Set(input.marital_status.as_ref().and_then(snake));
    row.education = Set(input.education.as_ref().and_then(snake));
    row.addresses = Set(serde_json::to_value(&valid.addresses).map_err(AppError::internal)?);
    row.contacts = Set(serde_json::to_value(&valid.contacts).map_err(AppError::internal)?);
    row.grade_id = Set(input.grade_id);
    row.manager_id = Set(manager.id);
    row.department_id = Set(manager.department_id);
    row.version = Set(found.version + 1);
    row.updated_at = Set(now);
    row.update(&txn).await.map_err(db_error)?;
    let saved = masked_view(ctx, &txn, &unscoped(actor), id).await?;
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("customer", id, "update")
            .before(&before)
            .after(&saved),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}
