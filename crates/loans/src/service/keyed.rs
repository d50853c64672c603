//! What every money-moving use case does around its own work: open the transaction with the
//! request's idempotency key claimed (a repeat gets the first answer), and finish by writing
//! the audit record and the answer under the key in that same transaction before committing.
//! Also the checker's input they share.

use sea_orm::{DatabaseTransaction, TransactionTrait};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

use iam::Actor;
use iam::service::audit;
use iam::service::idempotency::{self, IdempotencyKey};
use kernel::{AppError, AppResult};

use super::{LoansContext, db_error};
use crate::domain::money_events::CheckDecision;

/// The transaction of a keyed request, or the answer it already got.
pub enum Keyed<T> {
    Fresh(DatabaseTransaction),
    Done(T),
}

pub async fn begin<T: DeserializeOwned>(
    ctx: &LoansContext,
    actor: &Actor,
    key: &IdempotencyKey,
    now: OffsetDateTime,
) -> AppResult<Keyed<T>> {
    let txn = ctx.db.begin().await.map_err(db_error)?;
    Ok(match idempotency::claim(&txn, actor, key, now).await? {
        Some(done) => Keyed::Done(done),
        None => Keyed::Fresh(txn),
    })
}

/// Audit, answer under the key, commit; returns the answer.
pub async fn finish<T: Serialize>(
    txn: DatabaseTransaction,
    actor: &Actor,
    key: &IdempotencyKey,
    now: OffsetDateTime,
    change: audit::Change<'_>,
    answer: T,
) -> AppResult<T> {
    audit::record(&txn, Some(actor), now, change).await?;
    idempotency::complete(&txn, actor, key, &answer).await?;
    txn.commit().await.map_err(db_error)?;
    Ok(answer)
}

/// A checker's decision on a registration (复核/确认).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = MoneyCheckInput)]
pub struct CheckInput {
    pub decision: CheckDecision,
    /// Required when rejecting.
    pub comment: Option<String>,
    pub version: i32,
}

impl CheckInput {
    /// The trimmed comment; 422 when a rejection gives none.
    pub fn comment(&self, what: &str) -> AppResult<Option<String>> {
        let comment = self
            .comment
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_string);
        if self.decision == CheckDecision::Reject && comment.is_none() {
            return Err(AppError::invalid_field(
                "comment",
                "required",
                format!("say why the {what} is rejected"),
            ));
        }
        Ok(comment)
    }

    /// The audit action of the decision: `approve` / `reject`.
    pub fn action(&self) -> &'static str {
        match self.decision {
            CheckDecision::Approve => "approve",
            CheckDecision::Reject => "reject",
        }
    }
}
