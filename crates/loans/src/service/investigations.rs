//! The pre-loan investigation (贷前调查): the investigator's findings, the visit (place and
//! time), the conclusion, and photos and files taken on the visit.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, NotSet,
    QueryFilter, QueryOrder, Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

use customers::files::{MAX_FILE_BYTES, sniff};
use iam::Actor;
use iam::service::{audit, check_version};
use kernel::error::{ErrorKind, FieldErrors};
use kernel::{AppError, AppResult};

use super::applications::load;
use super::{LoansContext, db_error};
use crate::domain::application::ApplicationEvent;
use crate::repo::investigation::{self, file};

/// The investigator's conclusion (调查结论).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Conclusion {
    /// 建议通过
    Recommend,
    /// 附条件通过: with the conditions stated.
    Conditional,
    /// 建议拒绝
    Decline,
}

impl Conclusion {
    fn as_str(self) -> &'static str {
        match self {
            Conclusion::Recommend => "recommend",
            Conclusion::Conditional => "conditional",
            Conclusion::Decline => "decline",
        }
    }

    fn parse(s: &str) -> Conclusion {
        match s {
            "recommend" => Conclusion::Recommend,
            "conditional" => Conclusion::Conditional,
            _ => Conclusion::Decline,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Investigation {
    pub findings: String,
    pub visit_place: String,
    #[serde(with = "time::serde::rfc3339")]
    pub visit_at: OffsetDateTime,
    pub conclusion: Conclusion,
    pub conditions: Option<String>,
    pub investigator_id: i64,
    pub investigator_name: String,
    pub version: i32,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InvestigationInput {
    /// 调查情况: the household, business, income and the car as seen.
    pub findings: String,
    /// 走访地点
    pub visit_place: String,
    #[serde(with = "time::serde::rfc3339")]
    pub visit_at: OffsetDateTime,
    pub conclusion: Conclusion,
    /// Required for a conditional recommendation.
    #[serde(default)]
    pub conditions: Option<String>,
    /// Required when amending: the investigation's `version`.
    #[serde(default)]
    pub version: Option<i32>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InvestigationFile {
    pub id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub uploaded_at: OffsetDateTime,
}

fn view(m: investigation::Model) -> Investigation {
    Investigation {
        findings: m.findings,
        visit_place: m.visit_place,
        visit_at: m.visit_at,
        conclusion: Conclusion::parse(&m.conclusion),
        conditions: m.conditions,
        investigator_id: m.investigator_id,
        investigator_name: m.investigator_name,
        version: m.version,
        updated_at: m.updated_at,
    }
}

pub async fn find(
    db: &impl ConnectionTrait,
    application_id: i64,
) -> AppResult<Option<Investigation>> {
    Ok(investigation::Entity::find_by_id(application_id)
        .one(db)
        .await
        .map_err(db_error)?
        .map(view))
}

pub async fn files(
    db: &impl ConnectionTrait,
    application_id: i64,
) -> AppResult<Vec<InvestigationFile>> {
    Ok(file::Entity::find()
        .filter(file::Column::ApplicationId.eq(application_id))
        .order_by_asc(file::Column::Id)
        .all(db)
        .await
        .map_err(db_error)?
        .into_iter()
        .map(|f| InvestigationFile {
            id: f.id,
            file_name: f.file_name,
            content_type: f.content_type,
            size_bytes: f.size_bytes,
            uploaded_at: f.uploaded_at,
        })
        .collect())
}

/// Only the assigned investigator, while the application is with them (or returned).
async fn require_investigator(
    db: &impl ConnectionTrait,
    actor: &Actor,
    application_id: i64,
) -> AppResult<()> {
    let application = load(db, actor, application_id).await?;
    application.status.on(ApplicationEvent::Investigate)?;
    if application.investigator_id != Some(actor.user_id) {
        return Err(AppError::forbidden(
            "not_your_application",
            "only the assigned investigator records the investigation",
        ));
    }
    Ok(())
}

fn validate(input: &InvestigationInput, now: OffsetDateTime) -> AppResult<()> {
    let mut errors = FieldErrors::new();
    let findings = input.findings.trim();
    if findings.chars().count() < 10 || findings.chars().count() > 10_000 {
        errors.add(
            "findings",
            "required",
            "describe what the visit found, in 10 to 10 000 characters",
        );
    }
    let place = input.visit_place.trim();
    if place.is_empty() || place.chars().count() > 200 {
        errors.add(
            "visitPlace",
            "required",
            "say where the visit took place, in at most 200 characters",
        );
    }
    if input.visit_at > now {
        errors.add("visitAt", "in_future", "the visit cannot be after now");
    }
    let conditions = input.conditions.as_deref().map(str::trim).unwrap_or("");
    if input.conclusion == Conclusion::Conditional && conditions.is_empty() {
        errors.add(
            "conditions",
            "required",
            "a conditional recommendation states its conditions",
        );
    }
    if conditions.chars().count() > 2000 {
        errors.add("conditions", "too_long", "at most 2000 characters");
    }
    errors.finish()
}

/// Records the investigation, or amends it (send its `version`).
pub async fn save(
    ctx: &LoansContext,
    actor: &Actor,
    application_id: i64,
    input: &InvestigationInput,
) -> AppResult<Investigation> {
    let now = ctx.clock.now();
    validate(input, now)?;
    let txn = ctx.db.begin().await.map_err(db_error)?;
    require_investigator(&txn, actor, application_id).await?;
    let existing = investigation::Entity::find_by_id(application_id)
        .one(&txn)
        .await
        .map_err(db_error)?;
    let conditions = input
        .conditions
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string);
    let (saved, before) = match existing {
        None => (
            investigation::ActiveModel {
                application_id: Set(application_id),
                findings: Set(input.findings.trim().into()),
                visit_place: Set(input.visit_place.trim().into()),
                visit_at: Set(input.visit_at),
                conclusion: Set(input.conclusion.as_str().into()),
                conditions: Set(conditions),
                investigator_id: Set(actor.user_id),
                investigator_name: Set(actor.display_name.clone()),
                version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
            }
            .insert(&txn)
            .await
            .map_err(db_error)?,
            None,
        ),
        Some(found) => {
            let Some(given) = input.version else {
                return Err(AppError::invalid_field(
                    "version",
                    "required",
                    "the investigation exists: send the version you amended",
                ));
            };
            check_version("investigation", found.version, given)?;
            let before = view(found.clone());
            let version = found.version + 1;
            let mut active = found.into_active_model();
            active.findings = Set(input.findings.trim().into());
            active.visit_place = Set(input.visit_place.trim().into());
            active.visit_at = Set(input.visit_at);
            active.conclusion = Set(input.conclusion.as_str().into());
            active.conditions = Set(conditions);
            active.investigator_id = Set(actor.user_id);
            active.investigator_name = Set(actor.display_name.clone());
            active.version = Set(version);
            active.updated_at = Set(now);
            (active.update(&txn).await.map_err(db_error)?, Some(before))
        }
    };
    let after = view(saved);
    let mut change = audit::Change::new(
        "loan_investigation",
        application_id,
        if before.is_some() { "update" } else { "create" },
    )
    .after(&after);
    if let Some(before) = &before {
        change = change.before(before);
    }
    audit::record(&txn, Some(actor), now, change).await?;
    txn.commit().await.map_err(db_error)?;
    Ok(after)
}

/// Adds a photo (JPEG, PNG, WebP) or a PDF taken on the visit; phones upload straight from the
/// camera.
pub async fn upload(
    ctx: &LoansContext,
    actor: &Actor,
    application_id: i64,
    file_name: Option<String>,
    bytes: &[u8],
) -> AppResult<InvestigationFile> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(AppError::new(
            ErrorKind::PayloadTooLarge,
            "file_too_large",
            format!("a file may be at most {MAX_FILE_BYTES} bytes"),
        ));
    }
    let Some(content_type) = sniff(bytes) else {
        return Err(AppError::invalid_field(
            "file",
            "unsupported_type",
            "upload a JPEG, PNG or WebP photo or a PDF",
        ));
    };
    require_investigator(&ctx.db, actor, application_id).await?;
    // Bytes first: a failed transaction leaves an unreferenced file, never a record without one.
    let key = ctx.collateral.files.put(bytes).await?;
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let name = file_name
        .map(|n| n.trim().chars().take(200).collect::<String>())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| format!("file-{}", now.unix_timestamp()));
    let saved = file::ActiveModel {
        id: NotSet,
        application_id: Set(application_id),
        file_name: Set(name),
        content_type: Set(content_type.into()),
        size_bytes: Set(bytes.len() as i64),
        file_key: Set(key),
        uploaded_by: Set(actor.user_id),
        uploaded_at: Set(now),
    }
    .insert(&txn)
    .await
    .map_err(db_error)?;
    let view = InvestigationFile {
        id: saved.id,
        file_name: saved.file_name,
        content_type: saved.content_type,
        size_bytes: saved.size_bytes,
        uploaded_at: saved.uploaded_at,
    };
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("loan_investigation_file", view.id, "upload").after(&view),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(view)
}

/// A file of an application the actor may see, with its bytes.
pub async fn content(
    ctx: &LoansContext,
    actor: &Actor,
    application_id: i64,
    file_id: i64,
) -> AppResult<(InvestigationFile, Vec<u8>)> {
    load(&ctx.db, actor, application_id).await?;
    let found = file::Entity::find_by_id(file_id)
        .one(&ctx.db)
        .await
        .map_err(db_error)?
        .filter(|f| f.application_id == application_id)
        .ok_or_else(|| AppError::not_found("file"))?;
    let bytes = ctx.collateral.files.get(&found.file_key).await?;
    Ok((
        InvestigationFile {
            id: found.id,
            file_name: found.file_name,
            content_type: found.content_type,
            size_bytes: found.size_bytes,
            uploaded_at: found.uploaded_at,
        },
        bytes,
    ))
}
