//! The audit log (审计日志): an insert-only record of every change, written in the same
//! transaction as the change itself.

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};

use kernel::{AppResult, Page, PageRequest};
use sea_orm::{ActiveModelTrait, ConnectionTrait, FromQueryResult, NotSet, Set, Value};

use super::db_error;
use super::sql::Where;
use crate::Actor;
use crate::repo::audit_log;

/// One change as the audit log keeps it.
pub struct Change<'a> {
    pub entity: &'a str,
    pub entity_id: String,
    pub action: &'a str,
    /// The record as the API showed it before the change, and after.
    pub before: Option<Json>,
    pub after: Option<Json>,
}

impl<'a> Change<'a> {
    /// A change with no record attached yet; add them with [`Change::before`] and
    /// [`Change::after`].
    pub fn new(entity: &'a str, entity_id: impl ToString, action: &'a str) -> Change<'a> {
        Change {
            entity,
            entity_id: entity_id.to_string(),
            action,
            before: None,
            after: None,
        }
    }

    /// The record as the API showed it before the change.
    pub fn before(mut self, view: &impl Serialize) -> Change<'a> {
        self.before = snapshot(view);
        self
    }

    /// The record as the API shows it after the change.
    pub fn after(mut self, view: &impl Serialize) -> Change<'a> {
        self.after = snapshot(view);
        self
    }
}

/// Writes one audit record, in the caller's transaction.
pub async fn record(
    db: &impl ConnectionTrait,
    actor: Option<&Actor>,
    now: OffsetDateTime,
    change: Change<'_>,
) -> AppResult<()> {
    let Change {
        entity,
        entity_id,
        action,
        before,
        after,
    } = change;
    audit_log::ActiveModel {
        id: NotSet,
        occurred_at: Set(now),
        actor_id: Set(actor.map(|a| a.user_id)),
        actor_name: Set(actor.map(|a| a.display_name.clone())),
        entity: Set(entity.to_string()),
        entity_id: Set(entity_id),
        action: Set(action.to_string()),
        before: Set(before),
        after: Set(after),
        request_id: Set(actor.and_then(|a| a.request_id.clone())),
    }
    .insert(db)
    .await
    .map_err(db_error)?;
    Ok(())
}

/// Serialises a view for the audit record.
pub fn snapshot(view: &impl Serialize) -> Option<Json> {
    serde_json::to_value(view).ok()
}

#[derive(Debug, Clone, Serialize, ToSchema, FromQueryResult)]
#[serde(rename_all = "camelCase")]
pub struct AuditLog {
    pub id: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub occurred_at: OffsetDateTime,
    pub actor_id: Option<i64>,
    pub actor_name: Option<String>,
    /// `department`, `user`, `role`, `position`, `employee` …
    pub entity: String,
    pub entity_id: String,
    /// `create`, `update`, `disable`, `enable`, `change_password`, `lock` …
    pub action: String,
    pub before: Option<Json>,
    pub after: Option<Json>,
    pub request_id: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct AuditFilter {
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub actor_id: Option<i64>,
    pub action: Option<String>,
    /// From this instant (RFC 3339), inclusive.
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[param(value_type = Option<String>)]
    pub from: Option<OffsetDateTime>,
    /// Up to this instant (RFC 3339), exclusive.
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[param(value_type = Option<String>)]
    pub to: Option<OffsetDateTime>,
}

/// Searches the log, newest first.
pub async fn search(
    db: &impl ConnectionTrait,
    filter: &AuditFilter,
    page: &PageRequest,
) -> AppResult<Page<AuditLog>> {
    let mut w = Where::new();
    if let Some(entity) = &filter.entity {
        w.and("entity = $?", [Value::from(entity.clone())]);
    }
    if let Some(id) = &filter.entity_id {
        w.and("entity_id = $?", [Value::from(id.clone())]);
    }
    if let Some(actor) = filter.actor_id {
        w.and("actor_id = $?", [Value::from(actor)]);
    }
    if let Some(action) = &filter.action {
        w.and("action = $?", [Value::from(action.clone())]);
    }
    if let Some(from) = filter.from {
        w.and("occurred_at >= $?", [Value::from(from)]);
    }
    if let Some(to) = filter.to {
        w.and("occurred_at < $?", [Value::from(to)]);
    }
    w.page(
        db,
        "id, occurred_at, actor_id, actor_name, entity, entity_id, action, before, after, request_id",
        "audit_log",
        "occurred_at DESC, id DESC",
        page,
    )
    .await
}
