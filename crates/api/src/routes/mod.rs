//! Every `/api/v1` route, one module per area.

pub mod audit;
pub mod auth;
pub mod blacklist;
pub mod books;
pub mod calculator;
pub mod classifications;
pub mod close;
pub mod close_schedule;
pub mod committees;
pub mod contracts;
pub mod credit_lines;
pub mod customer_accounts;
pub mod customer_grades;
pub mod customers;
pub mod departments;
pub mod disbursements;
pub mod employees;
pub mod exports;
pub mod fees;
pub mod flows;
pub mod health;
pub mod ledger;
pub mod loan_applications;
pub mod loans;
pub mod outbox;
pub mod positions;
pub mod products;
pub mod prospects;
pub mod repayments;
pub mod reports;
pub mod reversals;
pub mod risk;
pub mod roles;
pub mod securing;
pub mod tasks;
pub mod users;
pub mod vehicles;
pub mod warnings;

use ::customers::files::MAX_FILE_BYTES;
use actix_web::{error::JsonPayloadError, web};
use kernel::{AppError, ErrorKind};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::ApiError;
use crate::state::JSON_LIMIT_BYTES;

pub fn configure(cfg: &mut ServiceConfig) {
    auth::configure(cfg);
    departments::configure(cfg);
    users::configure(cfg);
    roles::configure(cfg);
    positions::configure(cfg);
    employees::configure(cfg);
    audit::configure(cfg);
    calculator::configure(cfg);
    customers::configure(cfg);
    customer_accounts::configure(cfg);
    customer_grades::configure(cfg);
    prospects::configure(cfg);
    risk::configure(cfg);
    blacklist::configure(cfg);
    vehicles::configure(cfg);
    products::configure(cfg);
    flows::configure(cfg);
    committees::configure(cfg);
    tasks::configure(cfg);
    loan_applications::configure(cfg);
    contracts::configure(cfg);
    securing::configure(cfg);
    credit_lines::configure(cfg);
    disbursements::configure(cfg);
    repayments::configure(cfg);
    loans::configure(cfg);
    ledger::configure(cfg);
    books::configure(cfg);
    fees::configure(cfg);
    reversals::configure(cfg);
    exports::configure(cfg);
    close::configure(cfg);
    close_schedule::configure(cfg);
    classifications::configure(cfg);
    warnings::configure(cfg);
    outbox::configure(cfg);
    reports::configure(cfg);
}

/// The `Idempotency-Key` a money-moving request must carry, tied to what the request says.
pub fn idempotency_key(
    req: &actix_web::HttpRequest,
    operation: &str,
    body: &impl serde::Serialize,
) -> Result<iam::service::idempotency::IdempotencyKey, ApiError> {
    let key = req
        .headers()
        .get("Idempotency-Key")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| {
            AppError::bad_request(
                "idempotency_key_required",
                "money-moving requests carry an Idempotency-Key header (a new UUID per request)",
            )
        })?;
    Ok(iam::service::idempotency::IdempotencyKey::new(
        key, operation, body,
    )?)
}

/// Reads an uploaded file sent as the raw request body, refusing more than
/// [`MAX_FILE_BYTES`] with a 413 `file_too_large` before it is all in memory.
pub async fn upload_bytes(mut payload: web::Payload) -> Result<Vec<u8>, ApiError> {
    use futures_util::StreamExt;
    let mut bytes = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| AppError::bad_request("bad_request", e.to_string()))?;
        if bytes.len() + chunk.len() > MAX_FILE_BYTES {
            return Err(AppError::new(
                ErrorKind::PayloadTooLarge,
                "file_too_large",
                format!("a file may be at most {MAX_FILE_BYTES} bytes"),
            )
            .into());
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// Unreadable JSON is a 400 that says where it broke; an oversized body a 413.
pub fn json_config() -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(JSON_LIMIT_BYTES)
        .error_handler(|err, _req| {
            let e = match &err {
                JsonPayloadError::Overflow { .. }
                | JsonPayloadError::OverflowKnownLength { .. } => AppError::new(
                    ErrorKind::PayloadTooLarge,
                    "payload_too_large",
                    format!("the body may be at most {JSON_LIMIT_BYTES} bytes"),
                ),
                JsonPayloadError::ContentType => AppError::bad_request(
                    "unsupported_media_type",
                    "send the body as application/json",
                ),
                JsonPayloadError::Deserialize(e) => {
                    AppError::bad_request("malformed_json", format!("the body is not valid: {e}"))
                }
                other => AppError::bad_request("malformed_json", other.to_string()),
            };
            ApiError(e).into()
        })
}

pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err, _req| {
        ApiError(AppError::bad_request(
            "bad_request",
            format!("the query string is not valid: {err}"),
        ))
        .into()
    })
}

pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|err, _req| {
        ApiError(AppError::bad_request(
            "bad_request",
            format!("the path is not valid: {err}"),
        ))
        .into()
    })
}
