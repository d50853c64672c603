//! Idempotency keys (幂等键) of money-moving requests. The key and the answer are stored in the
//! same transaction as the change they answer, so a retry — after a timeout, a crash, or twice
//! at once — returns the first answer and moves nothing. A second request with the same key
//! waits on the first's row until it commits, then reads its answer.

use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};
use serde::Serialize;
use serde::de::DeserializeOwned;
use time::OffsetDateTime;

use kernel::{AppError, AppResult};

use super::db_error;
use crate::Actor;

/// A client's key for one request, and what the request said (to refuse the same key reused
/// for a different request).
#[derive(Debug, Clone)]
pub struct IdempotencyKey {
    pub key: String,
    pub fingerprint: String,
}

impl IdempotencyKey {
    /// A key for `operation` (e.g. `POST /repayments`) with `body` as its fingerprint.
    pub fn new(key: &str, operation: &str, body: &impl Serialize) -> AppResult<IdempotencyKey> {
        let key = key.trim();
        if !(8..=100).contains(&key.len()) {
            return Err(AppError::bad_request(
                "idempotency_key_invalid",
                "the Idempotency-Key header must be 8 to 100 characters (a UUID, say)",
            ));
        }
        Ok(IdempotencyKey {
            key: key.to_string(),
            fingerprint: format!(
                "{operation} {}",
                serde_json::to_string(body).map_err(AppError::internal)?
            ),
        })
    }
}

/// Claims `key` in the caller's transaction. `Some(answer)` means the request was already
/// done: return that answer and change nothing.
pub async fn claim<T: DeserializeOwned>(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    key: &IdempotencyKey,
    now: OffsetDateTime,
) -> AppResult<Option<T>> {
    let inserted = txn
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "INSERT INTO idempotency_keys (user_id, key, operation, fingerprint, status, response, created_at) \
             VALUES ($1, $2, '', $3, 0, 'null', $4) ON CONFLICT DO NOTHING",
            [
                Value::from(actor.user_id),
                Value::from(key.key.clone()),
                Value::from(key.fingerprint.clone()),
                Value::from(now),
            ],
        ))
        .await
        .map_err(db_error)?
        .rows_affected();
    if inserted == 1 {
        return Ok(None);
    }
    let row = txn
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT fingerprint, response FROM idempotency_keys WHERE user_id = $1 AND key = $2",
            [Value::from(actor.user_id), Value::from(key.key.clone())],
        ))
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::internal("idempotency key vanished"))?;
    let fingerprint: String = row.try_get("", "fingerprint").map_err(db_error)?;
    if fingerprint != key.fingerprint {
        return Err(AppError::rule(
            "idempotency_key_reused",
            "this Idempotency-Key was used for a different request; use a new key for a new request",
        ));
    }
    let response: serde_json::Value = row.try_get("", "response").map_err(db_error)?;
    serde_json::from_value(response)
        .map(Some)
        .map_err(AppError::internal)
}

/// Stores the answer under the claimed key, in the same transaction as the change.
pub async fn complete(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    key: &IdempotencyKey,
    answer: &impl Serialize,
) -> AppResult<()> {
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "UPDATE idempotency_keys SET status = 200, response = $3 WHERE user_id = $1 AND key = $2",
        [
            Value::from(actor.user_id),
            Value::from(key.key.clone()),
            Value::from(serde_json::to_value(answer).map_err(AppError::internal)?),
        ],
    ))
    .await
    .map_err(db_error)?;
    Ok(())
}
