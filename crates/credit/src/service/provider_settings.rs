//! Where each external provider is reached and how long a call may take.

use std::time::Duration;

use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set, TransactionTrait};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use iam::Actor;
use iam::service::{audit, check_version};
use kernel::error::FieldErrors;
use kernel::{AppError, AppResult};

use super::{CreditContext, db_error};
use crate::providers::{HttpProvider, ProviderKind};
use crate::repo::provider;

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProviderSetting {
    pub kind: ProviderKind,
    /// None until configured.
    pub url: Option<String>,
    pub timeout_ms: i32,
    pub enabled: bool,
    /// 0 until configured.
    pub version: i32,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProviderSettingInput {
    /// `http://` or `https://` URL the request is posted to.
    pub url: String,
    /// 50–60000.
    pub timeout_ms: i32,
    pub enabled: bool,
    /// The version you edited (0 when configuring for the first time).
    pub version: i32,
}

fn view(kind: ProviderKind, m: Option<provider::Model>) -> ProviderSetting {
    match m {
        Some(m) => ProviderSetting {
            kind,
            url: Some(m.url),
            timeout_ms: m.timeout_ms,
            enabled: m.enabled,
            version: m.version,
        },
        None => ProviderSetting {
            kind,
            url: None,
            timeout_ms: 3000,
            enabled: false,
            version: 0,
        },
    }
}

pub async fn list(ctx: &CreditContext) -> AppResult<Vec<ProviderSetting>> {
    let rows = provider::Entity::find()
        .all(&ctx.db)
        .await
        .map_err(db_error)?;
    Ok(ProviderKind::ALL
        .into_iter()
        .map(|k| view(k, rows.iter().find(|r| r.kind == k.as_str()).cloned()))
        .collect())
}

/// The configured, enabled providers, ready to call.
pub async fn active(
    db: &impl ConnectionTrait,
    client: &reqwest::Client,
) -> AppResult<Vec<HttpProvider>> {
    let rows = provider::Entity::find().all(db).await.map_err(db_error)?;
    Ok(rows
        .into_iter()
        .filter(|r| r.enabled)
        .filter_map(|r| {
            Some(HttpProvider {
                kind: ProviderKind::parse(&r.kind)?,
                url: r.url,
                timeout: Duration::from_millis(r.timeout_ms.max(1) as u64),
                client: client.clone(),
            })
        })
        .collect())
}

pub async fn save(
    ctx: &CreditContext,
    actor: &Actor,
    kind: ProviderKind,
    input: &ProviderSettingInput,
) -> AppResult<ProviderSetting> {
    let mut errors = FieldErrors::new();
    let url = input.url.trim();
    if !(url.starts_with("http://") || url.starts_with("https://"))
        || reqwest::Url::parse(url).is_err()
    {
        errors.add("url", "invalid_url", "use an http:// or https:// URL");
    }
    if !(50..=60000).contains(&input.timeout_ms) {
        errors.add("timeoutMs", "out_of_range", "use 50 to 60000 milliseconds");
    }
    errors.finish()?;
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let found = provider::Entity::find_by_id(kind.as_str().to_string())
        .one(&txn)
        .await
        .map_err(db_error)?;
    check_version(
        "provider setting",
        found.as_ref().map(|f| f.version).unwrap_or(0),
        input.version,
    )?;
    let before = view(kind, found.clone());
    let row = provider::ActiveModel {
        kind: Set(kind.as_str().into()),
        url: Set(url.into()),
        timeout_ms: Set(input.timeout_ms),
        enabled: Set(input.enabled),
        version: Set(before.version + 1),
        updated_at: Set(now),
    };
    let saved = if found.is_some() {
        row.update(&txn).await
    } else {
        row.insert(&txn).await
    }
    .map_err(|e| match db_error(e) {
        e if e.code == "duplicate" => AppError::stale_version("provider setting"),
        e => e,
    })?;
    let saved = view(kind, Some(saved));
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change {
            entity: "risk_provider",
            entity_id: kind.as_str().into(),
            action: if before.version == 0 {
                "create"
            } else {
                "update"
            },
            before: (before.version > 0)
                .then(|| audit::snapshot(&before))
                .flatten(),
            after: audit::snapshot(&saved),
        },
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}
