//! Customers of both kinds (客户): the view the API shows, the filtered list with exact search by
//! ID number, mobile or credit code, one customer with its personal data masked or (audited)
//! revealed, disabling, and transfer of ownership between customer managers (客户移交).

use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DbBackend, EntityTrait, FromQueryResult, IntoActiveModel,
    QuerySelect, Set, Statement, TransactionTrait, Value,
};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use time::{Date, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};

use iam::repo::status::Status;
use iam::service::{VersionBody, audit, check_version, scope, sql::Where};
use iam::{Actor, perm};
use kernel::{AppError, AppResult, Money, Page, PageRequest};

use super::blacklist::{self, BlacklistHit, SubjectKind};
use super::{CustomersContext, blank_to_none, db_error, today, unscoped};
use crate::domain::resident_id::age_on;
use crate::domain::{CreditCode, MobileNumber, ResidentId, Sex, mask};
use crate::pii::PiiKeys;
use crate::repo::customer;

/// The field names bound into each ciphertext as associated data (see [`crate::pii`]).
pub const ID_FIELD: &str = "customers.id_number";
pub const MOBILE_FIELD: &str = "customers.mobile";
pub const LEGAL_REP_ID_FIELD: &str = "customers.legal_rep_id";

/// Individual (个人客户) or enterprise (企业客户).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CustomerKind {
    Individual,
    Enterprise,
}

impl CustomerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CustomerKind::Individual => "individual",
            CustomerKind::Enterprise => "enterprise",
        }
    }
}

/// The kind of an address (地址类型).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AddressKind {
    /// 户籍地址
    Household,
    /// 居住地址
    Residence,
    /// 单位地址
    Work,
    /// 通讯地址
    Mailing,
    /// 注册地址 (enterprises)
    Registered,
    /// 经营地址 (enterprises)
    Business,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Address {
    pub kind: AddressKind,
    pub text: String,
}

/// How an emergency contact is related to the customer (与客户关系).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ContactRelation {
    Spouse,
    Parent,
    Child,
    Sibling,
    Relative,
    Friend,
    Colleague,
    Other,
}

/// A contact person (联系人): an emergency contact of an individual, or a contact at an
/// enterprise. Phones are masked like the customer's own mobile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Contact {
    pub name: String,
    /// Required for an individual's emergency contacts.
    pub relation: Option<ContactRelation>,
    /// The contact's job, for enterprise contacts (e.g. 财务经理).
    pub position: Option<String>,
    pub phone: String,
}

/// The legal representative of an enterprise (法定代表人).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LegalRepresentative {
    /// When the representative is an individual customer of ours.
    pub customer_id: Option<i64>,
    pub name: Option<String>,
    /// Masked unless revealed.
    pub id_number: Option<String>,
}

/// A customer as the API shows it. Personal data is masked unless `piiMasked` is false.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Customer {
    pub id: i64,
    pub kind: CustomerKind,
    pub name: String,
    /// Masked (`110***********123X`) unless revealed. Individuals only.
    pub id_number: Option<String>,
    pub birth_date: Option<Date>,
    pub sex: Option<Sex>,
    /// Whole years on today's date.
    pub age: Option<i32>,
    /// Masked (`138****5678`) unless revealed. Individuals only.
    pub mobile: Option<String>,
    pub employer: Option<String>,
    pub monthly_income: Option<Money>,
    pub marital_status: Option<String>,
    pub education: Option<String>,
    /// Enterprises only.
    pub credit_code: Option<String>,
    pub registered_capital: Option<Money>,
    pub founded_on: Option<Date>,
    pub industry: Option<String>,
    pub legal_representative: Option<LegalRepresentative>,
    pub addresses: Vec<Address>,
    pub contacts: Vec<Contact>,
    pub grade_id: Option<i64>,
    pub grade_name: Option<String>,
    /// The owning customer manager (客户经理).
    pub manager_id: i64,
    pub manager_name: String,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    pub status: Status,
    /// False only when the caller asked to see personal data and may.
    pub pii_masked: bool,
    /// Blacklist entries in force that match this customer (shown on one customer, empty in lists).
    pub blacklist_hits: Vec<BlacklistHit>,
    pub version: i32,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

#[derive(Debug, Clone, FromQueryResult)]
pub(crate) struct CustomerRow {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub id_number_cipher: Option<String>,
    pub birth_date: Option<Date>,
    pub sex: Option<String>,
    pub mobile_cipher: Option<String>,
    pub employer: Option<String>,
    pub monthly_income: Option<Decimal>,
    pub marital_status: Option<String>,
    pub education: Option<String>,
    pub credit_code: Option<String>,
    pub registered_capital: Option<Decimal>,
    pub founded_on: Option<Date>,
    pub industry: Option<String>,
    pub legal_rep_customer_id: Option<i64>,
    pub legal_rep_name: Option<String>,
    pub legal_rep_id_cipher: Option<String>,
    pub addresses: Json,
    pub contacts: Json,
    pub grade_id: Option<i64>,
    pub grade_name: Option<String>,
    pub manager_id: i64,
    pub manager_name: String,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    pub status: Status,
    pub version: i32,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

const COLUMNS: &str = "c.id, c.kind, c.name, c.id_number_cipher, c.birth_date, c.sex, \
    c.mobile_cipher, c.employer, c.monthly_income, c.marital_status, c.education, c.credit_code, \
    c.registered_capital, c.founded_on, c.industry, c.legal_rep_customer_id, c.legal_rep_name, \
    c.legal_rep_id_cipher, c.addresses, c.contacts, c.grade_id, g.name AS grade_name, \
    c.manager_id, u.display_name AS manager_name, c.department_id, d.name AS department_name, \
    c.status, c.version, c.created_at, c.updated_at";
const FROM: &str = "customers c JOIN users u ON u.id = c.manager_id \
    LEFT JOIN customer_grades g ON g.id = c.grade_id \
    LEFT JOIN departments d ON d.id = c.department_id";
/// A customer is one's own when one manages it.
const OWN: &str = "c.manager_id = $?";

fn money(value: Option<Decimal>) -> Option<Money> {
    value.map(Money::round)
}

/// Turns a row into the view, decrypting personal data and masking it unless `reveal`.
pub(crate) fn to_view(
    pii: &PiiKeys,
    row: CustomerRow,
    reveal: bool,
    on: Date,
) -> AppResult<Customer> {
    let open = |field: &str, cipher: &Option<String>, masker: fn(&str) -> String| {
        cipher
            .as_ref()
            .map(|c| {
                pii.decrypt(field, c)
                    .map(|plain| if reveal { plain } else { masker(&plain) })
            })
            .transpose()
    };
    let kind = if row.kind == "enterprise" {
        CustomerKind::Enterprise
    } else {
        CustomerKind::Individual
    };
    let mut contacts: Vec<Contact> = serde_json::from_value(row.contacts).unwrap_or_default();
    if !reveal {
        for c in &mut contacts {
            c.phone = mask::mobile(&c.phone);
        }
    }
    let legal_representative = (kind == CustomerKind::Enterprise).then(|| -> AppResult<_> {
        Ok(LegalRepresentative {
            customer_id: row.legal_rep_customer_id,
            name: row.legal_rep_name.clone(),
            id_number: open(
                LEGAL_REP_ID_FIELD,
                &row.legal_rep_id_cipher,
                mask::id_number,
            )?,
        })
    });
    Ok(Customer {
        id: row.id,
        kind,
        name: row.name,
        id_number: open(ID_FIELD, &row.id_number_cipher, mask::id_number)?,
        birth_date: row.birth_date,
        sex: row
            .sex
            .as_deref()
            .map(|s| if s == "male" { Sex::Male } else { Sex::Female }),
        age: row.birth_date.map(|b| age_on(b, on)),
        mobile: open(MOBILE_FIELD, &row.mobile_cipher, mask::mobile)?,
        employer: row.employer,
        monthly_income: money(row.monthly_income),
        marital_status: row.marital_status,
        education: row.education,
        credit_code: row.credit_code,
        registered_capital: money(row.registered_capital),
        founded_on: row.founded_on,
        industry: row.industry,
        legal_representative: legal_representative.transpose()?,
        addresses: serde_json::from_value(row.addresses).unwrap_or_default(),
        contacts,
        grade_id: row.grade_id,
        grade_name: row.grade_name,
        manager_id: row.manager_id,
        manager_name: row.manager_name,
        department_id: row.department_id,
        department_name: row.department_name,
        status: row.status,
        pii_masked: !reveal,
        blacklist_hits: Vec::new(),
        version: row.version,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

/// The stored row of one customer within the actor's data scope, or 404.
pub(crate) async fn find_row(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> AppResult<CustomerRow> {
    let mut w = Where::new();
    w.and("c.id = $?", [Value::from(id)]);
    scope::restrict(&mut w, actor, "c.department_id", OWN);
    let sql = format!("SELECT {COLUMNS} FROM {FROM} WHERE {}", w.sql());
    CustomerRow::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        &sql,
        w.values(),
    ))
    .one(db)
    .await
    .map_err(db_error)?
    .ok_or_else(|| AppError::not_found("customer"))
}

/// Whether the actor's data scope covers customer `id`.
pub(crate) async fn visible(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<bool> {
    match find_row(db, actor, id).await {
        Ok(_) => Ok(true),
        Err(e) if e.kind == kernel::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

/// The customer as the actor may see it, masked, with its blacklist hits.
pub(crate) async fn masked_view(
    ctx: &CustomersContext,
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> AppResult<Customer> {
    let on = today(&ctx.clock);
    let row = find_row(db, actor, id).await?;
    let subjects = subjects(&ctx.pii, &row)?;
    let mut view = to_view(&ctx.pii, row, false, on)?;
    view.blacklist_hits = blacklist::hits(db, &ctx.pii, &subjects, on).await?;
    Ok(view)
}

/// The values of a customer the blacklist is checked against.
fn subjects(pii: &PiiKeys, row: &CustomerRow) -> AppResult<Vec<(SubjectKind, String)>> {
    let mut out = Vec::new();
    if let Some(c) = &row.id_number_cipher {
        out.push((SubjectKind::IdNumber, pii.decrypt(ID_FIELD, c)?));
    }
    if let Some(c) = &row.mobile_cipher {
        out.push((SubjectKind::Mobile, pii.decrypt(MOBILE_FIELD, c)?));
    }
    if let Some(c) = &row.legal_rep_id_cipher {
        out.push((SubjectKind::IdNumber, pii.decrypt(LEGAL_REP_ID_FIELD, c)?));
    }
    if let Some(code) = &row.credit_code {
        out.push((SubjectKind::CreditCode, code.clone()));
    }
    Ok(out)
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct CustomerFilter {
    pub kind: Option<CustomerKind>,
    /// The start of the name (prefix match).
    pub name: Option<String>,
    pub grade_id: Option<i64>,
    pub manager_id: Option<i64>,
    pub department_id: Option<i64>,
    pub status: Option<Status>,
    /// Exact ID number (matched through its keyed hash; the number is never stored plain).
    pub id_number: Option<String>,
    /// Exact mobile number (keyed hash).
    pub mobile: Option<String>,
    /// Exact unified social credit code.
    pub credit_code: Option<String>,
}

/// Lists customers within the actor's data scope, newest first, always masked.
pub async fn list(
    ctx: &CustomersContext,
    actor: &Actor,
    filter: &CustomerFilter,
    page: &PageRequest,
) -> AppResult<Page<Customer>> {
    let mut w = Where::new();
    scope::restrict(&mut w, actor, "c.department_id", OWN);
    if let Some(kind) = filter.kind {
        w.and("c.kind = $?", [Value::from(kind.as_str())]);
    }
    if let Some(name) = blank_to_none(&filter.name) {
        let escaped = iam::service::sql::like_escape(&name);
        w.and("c.name LIKE $?", [Value::from(format!("{escaped}%"))]);
    }
    if let Some(g) = filter.grade_id {
        w.and("c.grade_id = $?", [Value::from(g)]);
    }
    if let Some(m) = filter.manager_id {
        w.and("c.manager_id = $?", [Value::from(m)]);
    }
    if let Some(d) = filter.department_id {
        w.and("c.department_id = $?", [Value::from(d)]);
    }
    if let Some(s) = filter.status {
        w.and("c.status = $?", [Value::from(status_str(s))]);
    }
    // An exact search value that cannot be valid matches nothing rather than failing.
    if let Some(raw) = blank_to_none(&filter.id_number) {
        let hash = ResidentId::parse(&raw)
            .map(|v| ctx.pii.hash("id_number", v.as_str()))
            .unwrap_or_default();
        w.and("c.id_number_hash = $?", [Value::from(hash)]);
    }
    if let Some(raw) = blank_to_none(&filter.mobile) {
        let hash = MobileNumber::parse(&raw)
            .map(|v| ctx.pii.hash("mobile", v.as_str()))
            .unwrap_or_default();
        w.and("c.mobile_hash = $?", [Value::from(hash)]);
    }
    if let Some(raw) = blank_to_none(&filter.credit_code) {
        let code = CreditCode::parse(&raw)
            .map(|v| v.as_str().to_string())
            .unwrap_or_default();
        w.and("c.credit_code = $?", [Value::from(code)]);
    }
    // Every filter is on `customers` itself, and the joins of FROM keep every row (the manager
    // is a NOT NULL foreign key, the others are LEFT joins), so the total counts `customers`.
    let rows: Page<CustomerRow> = w
        .page_counting_over(&ctx.db, COLUMNS, FROM, "customers c", "c.id DESC", page)
        .await?;
    let on = today(&ctx.clock);
    let items = rows
        .items
        .into_iter()
        .map(|r| to_view(&ctx.pii, r, false, on))
        .collect::<AppResult<Vec<_>>>()?;
    Ok(Page {
        items,
        total: rows.total,
        page: rows.page,
        page_size: rows.page_size,
    })
}

pub(crate) fn status_str(s: Status) -> &'static str {
    if s == Status::Active {
        "active"
    } else {
        "disabled"
    }
}

/// One customer. With `reveal` the personal data comes unmasked: that needs
/// `customer:pii:view` and writes a `view_pii` audit record.
pub async fn get(
    ctx: &CustomersContext,
    actor: &Actor,
    id: i64,
    reveal: bool,
) -> AppResult<Customer> {
    if !reveal {
        return masked_view(ctx, &ctx.db, actor, id).await;
    }
    actor.require(perm::CUSTOMER_PII_VIEW)?;
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let mut view = masked_view(ctx, &txn, actor, id).await?;
    let row = find_row(&txn, actor, id).await?;
    let hits = std::mem::take(&mut view.blacklist_hits);
    let mut view = to_view(&ctx.pii, row, true, now.date())?;
    view.blacklist_hits = hits;
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change {
            entity: "customer",
            entity_id: id.to_string(),
            action: "view_pii",
            before: None,
            after: Some(serde_json::json!({
                "fields": ["idNumber", "mobile", "contacts.phone", "legalRepresentative.idNumber"]
            })),
        },
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(view)
}

/// Disables or re-enables a customer.
pub async fn set_status(
    ctx: &CustomersContext,
    actor: &Actor,
    id: i64,
    input: &VersionBody,
    status: Status,
) -> AppResult<Customer> {
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let before = masked_view(ctx, &txn, actor, id).await?;
    let found = lock(&txn, id).await?;
    check_version("customer", found.version, input.version)?;
    let mut row = found.clone().into_active_model();
    row.status = Set(status);
    row.version = Set(found.version + 1);
    row.updated_at = Set(now);
    row.update(&txn).await.map_err(db_error)?;
    let saved = masked_view(ctx, &txn, &unscoped(actor), id).await?;
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("customer", id, status.action())
            .before(&before)
            .after(&saved),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}

pub(crate) async fn lock(db: &impl ConnectionTrait, id: i64) -> AppResult<customer::Model> {
    customer::Entity::find_by_id(id)
        .lock_exclusive()
        .one(db)
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::not_found("customer"))
}

/// The manager a customer is assigned to, and the department that comes with them.
pub(crate) async fn manager(
    db: &impl ConnectionTrait,
    manager_id: i64,
) -> AppResult<Option<iam::repo::user::Model>> {
    let found = iam::repo::user::Entity::find_by_id(manager_id)
        .one(db)
        .await
        .map_err(db_error)?;
    Ok(found.filter(|u| u.status == Status::Active))
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TransferInput {
    pub customer_ids: Vec<i64>,
    /// The customer manager who takes them over.
    pub to_manager_id: i64,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TransferResult {
    pub transferred: Vec<i64>,
    pub to_manager_id: i64,
    pub to_department_id: Option<i64>,
}

/// Moves customers to another manager (and that manager's department) in one transaction:
/// all or none, each audited.
pub async fn transfer(
    ctx: &CustomersContext,
    actor: &Actor,
    input: &TransferInput,
) -> AppResult<TransferResult> {
    let mut ids = input.customer_ids.clone();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() || ids.len() > 1000 {
        return Err(AppError::invalid_field(
            "customerIds",
            "out_of_range",
            "choose 1 to 1000 customers",
        ));
    }
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let target = manager(&txn, input.to_manager_id).await?.ok_or_else(|| {
        AppError::invalid_field("toManagerId", "unknown_reference", "choose an active user")
    })?;
    for id in &ids {
        let before = masked_view(ctx, &txn, actor, *id).await?;
        let found = lock(&txn, *id).await?;
        let mut row = found.clone().into_active_model();
        row.manager_id = Set(target.id);
        row.department_id = Set(target.department_id);
        row.version = Set(found.version + 1);
        row.updated_at = Set(now);
        row.update(&txn).await.map_err(db_error)?;
        let mut after = audit::snapshot(&masked_view(ctx, &txn, &unscoped(actor), *id).await?);
        if let (Some(Json::Object(map)), Some(reason)) = (&mut after, blank_to_none(&input.reason))
        {
            map.insert("transferReason".into(), Json::from(reason));
        }
        audit::record(
            &txn,
            Some(actor),
            now,
            audit::Change {
                entity: "customer",
                entity_id: id.to_string(),
                action: "transfer",
                before: audit::snapshot(&before),
                after,
            },
        )
        .await?;
    }
    txn.commit().await.map_err(db_error)?;
    Ok(TransferResult {
        transferred: ids,
        to_manager_id: target.id,
        to_department_id: target.department_id,
    })
}

/// What risk screening needs to know about a customer. It holds personal data in the clear for
/// the external providers and must never be returned as it is.
#[derive(Debug, Clone)]
pub struct ScreeningSubject {
    pub id: i64,
    pub kind: CustomerKind,
    pub name: String,
    /// The individual's ID number, or the enterprise's legal representative's.
    pub id_number: Option<String>,
    pub mobile: Option<String>,
    pub credit_code: Option<String>,
    pub birth_date: Option<Date>,
    pub founded_on: Option<Date>,
    pub monthly_income: Option<Decimal>,
    pub blacklist_hits: Vec<BlacklistHit>,
}

/// The screening subject of customer `id`, within the actor's data scope.
pub async fn screening_subject(
    ctx: &CustomersContext,
    actor: &Actor,
    id: i64,
) -> AppResult<ScreeningSubject> {
    let row = find_row(&ctx.db, actor, id).await?;
    let subjects = subjects(&ctx.pii, &row)?;
    let hits = blacklist::hits(&ctx.db, &ctx.pii, &subjects, today(&ctx.clock)).await?;
    let id_number = match (&row.id_number_cipher, &row.legal_rep_id_cipher) {
        (Some(c), _) => Some(ctx.pii.decrypt(ID_FIELD, c)?),
        (None, Some(c)) => Some(ctx.pii.decrypt(LEGAL_REP_ID_FIELD, c)?),
        (None, None) => None,
    };
    Ok(ScreeningSubject {
        id: row.id,
        kind: if row.kind == "enterprise" {
            CustomerKind::Enterprise
        } else {
            CustomerKind::Individual
        },
        name: row.name.clone(),
        id_number,
        mobile: row
            .mobile_cipher
            .as_ref()
            .map(|c| ctx.pii.decrypt(MOBILE_FIELD, c))
            .transpose()?,
        credit_code: row.credit_code.clone(),
        birth_date: row.birth_date,
        founded_on: row.founded_on,
        monthly_income: row.monthly_income,
        blacklist_hits: hits,
    })
}

/// Restricts `filter` to rows whose `customer_column` names a customer the actor may see, for
/// other crates' lists of things that belong to customers. The SQL over the customers table
/// stays here.
pub fn restrict_to_visible(filter: &mut Where, actor: &Actor, customer_column: &str) {
    let mut inner = Where::new();
    scope::restrict(&mut inner, actor, "c.department_id", OWN);
    if inner.sql() == "TRUE" {
        return;
    }
    let values = inner.values();
    // Renumbering is left to `Where::and`: the inner placeholders become `$?` again.
    let mut sql = inner.sql();
    for i in (1..=values.len()).rev() {
        sql = sql.replace(&format!("${i}"), "$?");
    }
    filter.and(
        &format!("{customer_column} IN (SELECT c.id FROM customers c WHERE {sql})"),
        values,
    );
}
