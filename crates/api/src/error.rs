//! Maps [`kernel::AppError`] to an HTTP status and an `application/problem+json` body. This is
//! the only place that knows both.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use kernel::{AppError, ErrorKind, FieldError};
use serde::Serialize;
use utoipa::ToSchema;

pub type ApiResult<T> = Result<T, ApiError>;

/// A [`kernel::AppError`] on its way out.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// RFC 9457 problem details, with our stable machine `code`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    /// A URI naming the problem type (`about:blank` when the code says it all).
    #[serde(rename = "type")]
    pub problem_type: String,
    /// A short human summary of the kind of problem.
    pub title: String,
    pub status: u16,
    /// The stable machine code, e.g. `validation_failed`, `version_conflict`.
    pub code: String,
    /// What went wrong this time, in English; clients show a translation of `code`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// For validation: each field at fault (`contacts[0].phone`) with its code.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

pub fn status_of(kind: ErrorKind) -> StatusCode {
    match kind {
        ErrorKind::BadRequest => StatusCode::BAD_REQUEST,
        ErrorKind::Validation => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorKind::Unauthenticated => StatusCode::UNAUTHORIZED,
        ErrorKind::Forbidden => StatusCode::FORBIDDEN,
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::Conflict => StatusCode::CONFLICT,
        ErrorKind::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn title_of(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::BadRequest => "The request could not be read",
        ErrorKind::Validation => "The request breaks a rule",
        ErrorKind::Unauthenticated => "Sign-in required",
        ErrorKind::Forbidden => "Not allowed",
        ErrorKind::NotFound => "Not found",
        ErrorKind::Conflict => "Conflict",
        ErrorKind::PayloadTooLarge => "The request is too large",
        ErrorKind::Internal => "Something went wrong on our side",
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        status_of(self.0.kind)
    }

    fn error_response(&self) -> HttpResponse {
        let e = &self.0;
        let detail = if e.kind == ErrorKind::Internal {
            // The cause is logged; the caller only learns that it was our fault.
            tracing::error!(error = %e.message, "internal error");
            None
        } else {
            Some(e.message.clone())
        };
        let status = self.status_code();
        let mut response = HttpResponse::build(status);
        if e.kind == ErrorKind::Unauthenticated {
            response.insert_header(("WWW-Authenticate", "Bearer"));
        }
        response
            .content_type("application/problem+json")
            .json(Problem {
                problem_type: "about:blank".into(),
                title: title_of(e.kind).into(),
                status: status.as_u16(),
                code: e.code.to_string(),
                detail,
                errors: e.field_errors.clone(),
            })
    }
}
