//! Every `/api/v1` route, one module per area.

pub mod audit;
pub mod auth;
pub mod blacklist;
pub mod calculator;
pub mod customer_accounts;
pub mod customer_grades;
pub mod customers;
pub mod departments;
pub mod employees;
pub mod health;
pub mod positions;
pub mod products;
pub mod prospects;
pub mod risk;
pub mod roles;
pub mod users;
pub mod vehicles;

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
