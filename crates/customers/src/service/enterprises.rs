//! Enterprise customers (企业客户): identified by their unified social credit code, with a legal
//! representative who is either an individual customer of ours or named inline.

use sea_orm::{ActiveModelTrait, ConnectionTrait, IntoActiveModel, NotSet, Set, TransactionTrait};
use serde::Deserialize;
use time::Date;
use utoipa::ToSchema;

use iam::Actor;
use iam::repo::status::Status;
use iam::service::{audit, check_version};
use kernel::error::FieldErrors;
use kernel::{AppError, AppResult, Money};

use super::customers::{self, Address, Contact, Customer, LEGAL_REP_ID_FIELD, masked_view};
use super::individuals::{check_contacts, check_references, normalised_contacts};
use super::{CustomersContext, blank_to_none, db_error, today, unscoped};
use crate::domain::{CreditCode, ResidentId};
use crate::repo::customer;

/// The legal representative (法定代表人): a customer id, or a name and ID number.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LegalRepresentativeInput {
    /// An individual customer of ours.
    pub customer_id: Option<i64>,
    pub name: Option<String>,
    pub id_number: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EnterpriseInput {
    pub name: String,
    /// The 18-character unified social credit code.
    pub credit_code: String,
    pub legal_representative: LegalRepresentativeInput,
    pub registered_capital: Option<Money>,
    pub founded_on: Option<Date>,
    pub industry: Option<String>,
    #[serde(default)]
    pub addresses: Vec<Address>,
    #[serde(default)]
    pub contacts: Vec<Contact>,
    pub grade_id: Option<i64>,
    /// The owning customer manager; yourself when not given.
    pub manager_id: Option<i64>,
    /// Required when updating.
    pub version: Option<i32>,
}

struct Valid {
    name: String,
    code: CreditCode,
    rep_customer: Option<i64>,
    rep_name: Option<String>,
    rep_id: Option<ResidentId>,
}

fn check(input: &EnterpriseInput, on: Date) -> AppResult<Valid> {
    let mut errors = FieldErrors::new();
    let name = input.name.trim().to_string();
    if name.is_empty() {
        errors.add("name", "required", "the enterprise's name is required");
    }
    let code = CreditCode::parse(&input.credit_code)
        .map_err(|e| e.at(&mut errors, "creditCode"))
        .ok();
    let rep = &input.legal_representative;
    let mut rep_id = None;
    let rep_name = blank_to_none(&rep.name);
    if rep.customer_id.is_none() {
        if rep_name.is_none() {
            errors.add(
                "legalRepresentative.name",
                "required",
                "name the legal representative or choose a customer",
            );
        }
        match blank_to_none(&rep.id_number).map(|n| ResidentId::parse(&n)) {
            Some(Ok(id)) => rep_id = Some(id),
            Some(Err(e)) => e.at(&mut errors, "legalRepresentative.idNumber"),
            None => errors.add(
                "legalRepresentative.idNumber",
                "required",
                "give the legal representative's ID number",
            ),
        }
    }
    if input.founded_on.is_some_and(|d| d > on) {
        errors.add(
            "foundedOn",
            "in_future",
            "the founding date is in the future",
        );
    }
    if input.registered_capital.is_some_and(|m| m.is_negative()) {
        errors.add(
            "registeredCapital",
            "negative",
            "capital cannot be negative",
        );
    }
    check_contacts(&input.contacts, false, &mut errors);
    errors.finish()?;
    Ok(Valid {
        name,
        code: code.expect("checked"),
        rep_customer: rep.customer_id,
        rep_name,
        rep_id,
    })
}

/// A representative given by customer id must be an individual the actor can see.
async fn check_representative(
    db: &impl ConnectionTrait,
    actor: &Actor,
    valid: &Valid,
) -> AppResult<Option<String>> {
    let Some(id) = valid.rep_customer else {
        return Ok(valid.rep_name.clone());
    };
    match customers::find_row(db, actor, id).await {
        Ok(row) if row.kind == "individual" => Ok(Some(row.name)),
        Ok(_) | Err(_) => Err(AppError::invalid_field(
            "legalRepresentative.customerId",
            "unknown_reference",
            "choose an individual customer you can see",
        )),
    }
}

pub async fn create(
    ctx: &CustomersContext,
    actor: &Actor,
    input: &EnterpriseInput,
) -> AppResult<Customer> {
    let now = ctx.clock.now();
    let valid = check(input, today(&ctx.clock))?;
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let manager = check_references(
        &txn,
        input.grade_id,
        input.manager_id.unwrap_or(actor.user_id),
        "customer",
    )
    .await?;
    let rep_name = check_representative(&txn, actor, &valid).await?;
    let inserted = customer::ActiveModel {
        id: NotSet,
        kind: Set("enterprise".into()),
        name: Set(valid.name.clone()),
        id_number_cipher: Set(None),
        id_number_hash: Set(None),
        birth_date: Set(None),
        sex: Set(None),
        mobile_cipher: Set(None),
        mobile_hash: Set(None),
        employer: Set(None),
        monthly_income: Set(None),
        marital_status: Set(None),
        education: Set(None),
        credit_code: Set(Some(valid.code.as_str().into())),
        registered_capital: Set(input.registered_capital.map(Money::amount)),
        founded_on: Set(input.founded_on),
        industry: Set(blank_to_none(&input.industry)),
        legal_rep_customer_id: Set(valid.rep_customer),
        legal_rep_name: Set(rep_name),
        legal_rep_id_cipher: Set(valid
            .rep_id
            .as_ref()
            .map(|id| ctx.pii.encrypt(LEGAL_REP_ID_FIELD, id.as_str()))),
        legal_rep_id_hash: Set(valid
            .rep_id
            .as_ref()
            .map(|id| ctx.pii.hash("id_number", id.as_str()))),
        addresses: Set(serde_json::to_value(&input.addresses).map_err(AppError::internal)?),
        contacts: Set(serde_json::to_value(normalised_contacts(&input.contacts))
            .map_err(AppError::internal)?),
        grade_id: Set(input.grade_id),
        manager_id: Set(manager.id),
        department_id: Set(manager.department_id),
        status: Set(Status::Active),
        created_by: Set(Some(actor.user_id)),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await
    .map_err(db_error)?;
    let saved = masked_view(ctx, &txn, &unscoped(actor), inserted.id).await?;
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("customer", saved.id, "create").after(&saved),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}

pub async fn update(
    ctx: &CustomersContext,
    actor: &Actor,
    id: i64,
    input: &EnterpriseInput,
) -> AppResult<Customer> {
    let version = input.version.ok_or_else(|| {
        AppError::invalid_field("version", "required", "send the version you edited")
    })?;
    let now = ctx.clock.now();
    let valid = check(input, today(&ctx.clock))?;
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let before = masked_view(ctx, &txn, actor, id).await?;
    let found = customers::lock(&txn, id).await?;
    if found.kind != "enterprise" {
        return Err(AppError::not_found("enterprise customer"));
    }
    check_version("customer", found.version, version)?;
    let manager = check_references(
        &txn,
        input.grade_id,
        input.manager_id.unwrap_or(found.manager_id),
        "customer",
    )
    .await?;
    let rep_name = check_representative(&txn, actor, &valid).await?;
    let mut row = found.clone().into_active_model();
    row.name = Set(valid.name.clone());
    row.credit_code = Set(Some(valid.code.as_str().into()));
    row.registered_capital = Set(input.registered_capital.map(Money::amount));
    row.founded_on = Set(input.founded_on);
    row.industry = Set(blank_to_none(&input.industry));
    row.legal_rep_customer_id = Set(valid.rep_customer);
    row.legal_rep_name = Set(rep_name);
    row.legal_rep_id_cipher = Set(valid
        .rep_id
        .as_ref()
        .map(|id| ctx.pii.encrypt(LEGAL_REP_ID_FIELD, id.as_str())));
    row.legal_rep_id_hash = Set(valid
        .rep_id
        .as_ref()
        .map(|id| ctx.pii.hash("id_number", id.as_str())));
    row.addresses = Set(serde_json::to_value(&input.addresses).map_err(AppError::internal)?);
    row.contacts =
        Set(serde_json::to_value(normalised_contacts(&input.contacts))
            .map_err(AppError::internal)?);
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
