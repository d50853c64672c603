//! The customer blacklist (客户黑名单): ID numbers, mobile numbers and credit codes that must not
//! borrow, each with a reason, a source and the dates it is in force. Adding and lifting are
//! audited; new customers and applications are checked against it.

use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DbBackend, EntityTrait, FromQueryResult, IntoActiveModel,
    NotSet, QuerySelect, Set, Statement, TransactionTrait, Value,
};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};

use iam::Actor;
use iam::service::{audit, check_version, sql::Where};
use kernel::error::FieldErrors;
use kernel::{AppError, AppResult, Page, PageRequest};

use super::{CustomersContext, blank_to_none, db_error, today};
use crate::domain::{CreditCode, MobileNumber, ResidentId, mask};
use crate::pii::PiiKeys;
use crate::repo::blacklist_entry;

/// What a blacklist entry names (名单类型).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    IdNumber,
    Mobile,
    CreditCode,
}

impl SubjectKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SubjectKind::IdNumber => "id_number",
            SubjectKind::Mobile => "mobile",
            SubjectKind::CreditCode => "credit_code",
        }
    }

    fn parse(s: &str) -> SubjectKind {
        match s {
            "id_number" => SubjectKind::IdNumber,
            "mobile" => SubjectKind::Mobile,
            _ => SubjectKind::CreditCode,
        }
    }

    /// The column the value is encrypted for.
    fn field(self) -> &'static str {
        "blacklist_entries.value"
    }

    /// Parses and normalises a value of this kind.
    fn normalise(self, raw: &str) -> Result<String, crate::domain::Invalid> {
        match self {
            SubjectKind::IdNumber => ResidentId::parse(raw).map(|v| v.as_str().to_string()),
            SubjectKind::Mobile => MobileNumber::parse(raw).map(|v| v.as_str().to_string()),
            SubjectKind::CreditCode => CreditCode::parse(raw).map(|v| v.as_str().to_string()),
        }
    }

    fn mask(self, value: &str) -> String {
        match self {
            SubjectKind::IdNumber => mask::id_number(value),
            SubjectKind::Mobile => mask::mobile(value),
            // Credit codes are public business information.
            SubjectKind::CreditCode => value.to_string(),
        }
    }
}

/// A blacklist entry as the API shows it; the value is masked.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BlacklistEntry {
    pub id: i64,
    pub subject_kind: SubjectKind,
    /// Masked (`110***********123X`).
    pub value: String,
    pub subject_name: Option<String>,
    pub reason: String,
    /// Where the listing came from, e.g. `court`, `internal`, `partner`.
    pub source: String,
    pub effective_on: Date,
    pub expires_on: Option<Date>,
    /// `active` or `lifted`.
    pub status: String,
    #[serde(with = "time::serde::rfc3339::option")]
    pub lifted_at: Option<OffsetDateTime>,
    pub lifted_by: Option<i64>,
    pub lift_reason: Option<String>,
    pub created_by: Option<i64>,
    pub version: i32,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// One entry that matched a check.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BlacklistHit {
    pub entry_id: i64,
    pub subject_kind: SubjectKind,
    pub reason: String,
    pub source: String,
    pub effective_on: Date,
    pub expires_on: Option<Date>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BlacklistInput {
    pub subject_kind: SubjectKind,
    /// The ID number, mobile number or credit code, in full.
    pub value: String,
    pub subject_name: Option<String>,
    pub reason: String,
    pub source: String,
    /// Defaults to today.
    pub effective_on: Option<Date>,
    pub expires_on: Option<Date>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LiftInput {
    pub reason: String,
    pub version: i32,
}

/// The values to check; any may be missing.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CheckInput {
    pub id_number: Option<String>,
    pub mobile: Option<String>,
    pub credit_code: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CheckResult {
    /// True when any entry in force matched: the application must not go on.
    pub blocked: bool,
    pub hits: Vec<BlacklistHit>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct BlacklistFilter {
    pub subject_kind: Option<SubjectKind>,
    /// Exact value (ID number, mobile or credit code), matched through its keyed hash.
    pub value: Option<String>,
    /// `active` or `lifted`.
    pub status: Option<String>,
    pub source: Option<String>,
}

fn view(pii: &PiiKeys, row: blacklist_entry::Model) -> AppResult<BlacklistEntry> {
    let kind = SubjectKind::parse(&row.subject_kind);
    let value = pii.decrypt(kind.field(), &row.value_cipher)?;
    Ok(BlacklistEntry {
        id: row.id,
        subject_kind: kind,
        value: kind.mask(&value),
        subject_name: row.subject_name,
        reason: row.reason,
        source: row.source,
        effective_on: row.effective_on,
        expires_on: row.expires_on,
        status: row.status,
        lifted_at: row.lifted_at,
        lifted_by: row.lifted_by,
        lift_reason: row.lift_reason,
        created_by: row.created_by,
        version: row.version,
        created_at: row.created_at,
    })
}

/// Entries in force on `on` that match any of `subjects` (kind and normalised value).
pub async fn hits(
    db: &impl ConnectionTrait,
    pii: &PiiKeys,
    subjects: &[(SubjectKind, String)],
    on: Date,
) -> AppResult<Vec<BlacklistHit>> {
    let mut found = Vec::new();
    for (kind, value) in subjects {
        let sql = "SELECT * FROM blacklist_entries WHERE subject_kind = $1 AND value_hash = $2 \
            AND status = 'active' AND effective_on <= $3 AND (expires_on IS NULL OR expires_on > $3) \
            ORDER BY id";
        let rows = blacklist_entry::Model::find_by_statement(Statement::from_sql_and_values(
            DbBackend::Postgres,
            sql,
            [
                Value::from(kind.as_str()),
                Value::from(pii.hash(kind.as_str(), value)),
                Value::from(on),
            ],
        ))
        .all(db)
        .await
        .map_err(db_error)?;
        found.extend(rows.into_iter().map(|r| BlacklistHit {
            entry_id: r.id,
            subject_kind: *kind,
            reason: r.reason,
            source: r.source,
            effective_on: r.effective_on,
            expires_on: r.expires_on,
        }));
    }
    Ok(found)
}

/// Checks the values an application or a new customer brings.
pub async fn check(ctx: &CustomersContext, input: &CheckInput) -> AppResult<CheckResult> {
    let mut errors = FieldErrors::new();
    let mut subjects = Vec::new();
    for (field, kind, raw) in [
        ("idNumber", SubjectKind::IdNumber, &input.id_number),
        ("mobile", SubjectKind::Mobile, &input.mobile),
        ("creditCode", SubjectKind::CreditCode, &input.credit_code),
    ] {
        if let Some(raw) = blank_to_none(raw) {
            match kind.normalise(&raw) {
                Ok(v) => subjects.push((kind, v)),
                Err(e) => e.at(&mut errors, field),
            }
        }
    }
    if subjects.is_empty() && errors.is_empty() {
        errors.add(
            "idNumber",
            "required",
            "give an ID number, a mobile or a credit code",
        );
    }
    errors.finish()?;
    let hits = hits(&ctx.db, &ctx.pii, &subjects, today(&ctx.clock)).await?;
    Ok(CheckResult {
        blocked: !hits.is_empty(),
        hits,
    })
}

pub async fn list(
    ctx: &CustomersContext,
    filter: &BlacklistFilter,
    page: &PageRequest,
) -> AppResult<Page<BlacklistEntry>> {
    let mut w = Where::new();
    if let Some(kind) = filter.subject_kind {
        w.and("subject_kind = $?", [Value::from(kind.as_str())]);
    }
    if let Some(value) = blank_to_none(&filter.value) {
        // The kind is unknown when not given: try each way the value could parse.
        let hashes: Vec<String> = [
            SubjectKind::IdNumber,
            SubjectKind::Mobile,
            SubjectKind::CreditCode,
        ]
        .into_iter()
        .filter(|k| filter.subject_kind.is_none_or(|f| f == *k))
        .filter_map(|k| {
            k.normalise(&value)
                .ok()
                .map(|v| ctx.pii.hash(k.as_str(), &v))
        })
        .collect();
        let hashes = if hashes.is_empty() {
            vec![String::new()]
        } else {
            hashes
        };
        w.and("value_hash = ANY($?)", [Value::from(hashes)]);
    }
    if let Some(status) = blank_to_none(&filter.status) {
        w.and("status = $?", [Value::from(status)]);
    }
    if let Some(source) = blank_to_none(&filter.source) {
        w.and("source = $?", [Value::from(source)]);
    }
    let page = w
        .page::<blacklist_entry::Model>(&ctx.db, "*", "blacklist_entries", "id DESC", page)
        .await?;
    let items = page
        .items
        .into_iter()
        .map(|r| view(&ctx.pii, r))
        .collect::<AppResult<Vec<_>>>()?;
    Ok(Page {
        items,
        total: page.total,
        page: page.page,
        page_size: page.page_size,
    })
}

pub async fn get(ctx: &CustomersContext, id: i64) -> AppResult<BlacklistEntry> {
    let row = blacklist_entry::Entity::find_by_id(id)
        .one(&ctx.db)
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::not_found("blacklist entry"))?;
    view(&ctx.pii, row)
}

pub async fn add(
    ctx: &CustomersContext,
    actor: &Actor,
    input: &BlacklistInput,
) -> AppResult<BlacklistEntry> {
    let mut errors = FieldErrors::new();
    let value = match input.subject_kind.normalise(&input.value) {
        Ok(v) => Some(v),
        Err(e) => {
            e.at(&mut errors, "value");
            None
        }
    };
    if input.reason.trim().is_empty() {
        errors.add("reason", "required", "say why the subject is listed");
    }
    if input.source.trim().is_empty() {
        errors.add("source", "required", "say where the listing comes from");
    }
    let now = ctx.clock.now();
    let effective_on = input.effective_on.unwrap_or(now.date());
    if input.expires_on.is_some_and(|e| e <= effective_on) {
        errors.add(
            "expiresOn",
            "before_effective",
            "the expiry must come after the effective date",
        );
    }
    errors.finish()?;
    let value = value.expect("checked above");
    let kind = input.subject_kind;
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let row = blacklist_entry::ActiveModel {
        id: NotSet,
        subject_kind: Set(kind.as_str().into()),
        value_cipher: Set(ctx.pii.encrypt(kind.field(), &value)),
        value_hash: Set(ctx.pii.hash(kind.as_str(), &value)),
        subject_name: Set(blank_to_none(&input.subject_name)),
        reason: Set(input.reason.trim().into()),
        source: Set(input.source.trim().into()),
        effective_on: Set(effective_on),
        expires_on: Set(input.expires_on),
        status: Set("active".into()),
        lifted_at: Set(None),
        lifted_by: Set(None),
        lift_reason: Set(None),
        created_by: Set(Some(actor.user_id)),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await
    .map_err(db_error)?;
    let saved = view(&ctx.pii, row)?;
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("blacklist_entry", saved.id, "create").after(&saved),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}

/// Lifts (解除) an entry: it stays on record but no longer matches.
pub async fn lift(
    ctx: &CustomersContext,
    actor: &Actor,
    id: i64,
    input: &LiftInput,
) -> AppResult<BlacklistEntry> {
    if input.reason.trim().is_empty() {
        return Err(AppError::invalid_field(
            "reason",
            "required",
            "say why the entry is lifted",
        ));
    }
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let found = blacklist_entry::Entity::find_by_id(id)
        .lock_exclusive()
        .one(&txn)
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::not_found("blacklist entry"))?;
    check_version("blacklist entry", found.version, input.version)?;
    if found.status != "active" {
        return Err(AppError::invalid_state("the entry is already lifted"));
    }
    let before = view(&ctx.pii, found.clone())?;
    let mut row = found.clone().into_active_model();
    row.status = Set("lifted".into());
    row.lifted_at = Set(Some(now));
    row.lifted_by = Set(Some(actor.user_id));
    row.lift_reason = Set(Some(input.reason.trim().into()));
    row.version = Set(found.version + 1);
    row.updated_at = Set(now);
    let saved = view(&ctx.pii, row.update(&txn).await.map_err(db_error)?)?;
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("blacklist_entry", id, "lift")
            .before(&before)
            .after(&saved),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}
