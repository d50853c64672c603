//! Key rotation of personal data (密钥轮换): re-encrypts every value written under a key other
//! than the active one, a batch per transaction, so it can run while the server serves and be
//! run again after an interruption. The search hashes do not change.

use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Statement, TransactionTrait, Value};
use serde::Serialize;

use kernel::AppResult;

use super::db_error;
use crate::pii::PiiKeys;

/// Every encrypted column: table, column and the field name bound into its ciphertexts.
pub const ENCRYPTED_COLUMNS: &[(&str, &str, &str)] = &[
    ("customers", "id_number_cipher", "customers.id_number"),
    ("customers", "mobile_cipher", "customers.mobile"),
    ("customers", "legal_rep_id_cipher", "customers.legal_rep_id"),
    (
        "customer_bank_accounts",
        "number_cipher",
        "customer_bank_accounts.number",
    ),
    (
        "blacklist_entries",
        "value_cipher",
        "blacklist_entries.value",
    ),
    ("prospects", "mobile_cipher", "prospects.mobile"),
];

const BATCH: u64 = 500;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RotationReport {
    pub active_key: String,
    /// `table.column` and how many values were re-encrypted.
    pub columns: Vec<(String, u64)>,
}

#[derive(FromQueryResult)]
struct Sealed {
    id: i64,
    value: String,
}

/// Re-encrypts everything not yet under the active key.
pub async fn rotate(db: &sea_orm::DatabaseConnection, pii: &PiiKeys) -> AppResult<RotationReport> {
    let prefix = format!("{}:%", pii.active_key_id());
    let mut columns = Vec::new();
    for (table, column, field) in ENCRYPTED_COLUMNS {
        let mut done = 0u64;
        loop {
            let txn = db.begin().await.map_err(db_error)?;
            let rows = Sealed::find_by_statement(Statement::from_sql_and_values(
                DbBackend::Postgres,
                format!(
                    "SELECT id, {column} AS value FROM {table} \
                     WHERE {column} IS NOT NULL AND {column} NOT LIKE $1 \
                     ORDER BY id LIMIT {BATCH} FOR UPDATE SKIP LOCKED"
                ),
                [Value::from(prefix.clone())],
            ))
            .all(&txn)
            .await
            .map_err(db_error)?;
            if rows.is_empty() {
                txn.commit().await.map_err(db_error)?;
                break;
            }
            for row in &rows {
                let plain = pii.decrypt(field, &row.value)?;
                txn.execute_raw(Statement::from_sql_and_values(
                    DbBackend::Postgres,
                    format!("UPDATE {table} SET {column} = $1 WHERE id = $2"),
                    [Value::from(pii.encrypt(field, &plain)), Value::from(row.id)],
                ))
                .await
                .map_err(db_error)?;
            }
            done += rows.len() as u64;
            txn.commit().await.map_err(db_error)?;
        }
        columns.push((format!("{table}.{column}"), done));
    }
    Ok(RotationReport {
        active_key: pii.active_key_id().to_string(),
        columns,
    })
}
