//! The one error type every crate maps into. Its `code` is a stable snake_case string that
//! clients (the SPA's locale files, partner systems) translate; `api` alone turns the
//! [`ErrorKind`] into an HTTP status and problem+json.

use std::borrow::Cow;

use serde::Serialize;
use utoipa::ToSchema;

pub type AppResult<T> = Result<T, AppError>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The request cannot be parsed (bad JSON, wrong types).
    BadRequest,
    /// It parses but breaks a rule; `field_errors` say where.
    Validation,
    Unauthenticated,
    Forbidden,
    NotFound,
    /// A state conflict, duplicate or stale version.
    Conflict,
    PayloadTooLarge,
    /// A bug or an outage. The message is logged, never shown.
    Internal,
}

/// One broken rule on one field, e.g. `contacts[0].phone` / `invalid_phone`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    pub field: String,
    pub code: Cow<'static, str>,
    pub message: String,
}

impl FieldError {
    pub fn new(
        field: impl Into<String>,
        code: impl Into<Cow<'static, str>>,
        message: impl Into<String>,
    ) -> FieldError {
        FieldError {
            field: field.into(),
            code: code.into(),
            message: message.into(),
        }
    }
}

#[derive(Debug, Clone, thiserror::Error)]
#[error("{code}: {message}")]
pub struct AppError {
    pub kind: ErrorKind,
    pub code: Cow<'static, str>,
    pub message: String,
    pub field_errors: Vec<FieldError>,
}

impl AppError {
    pub fn new(
        kind: ErrorKind,
        code: impl Into<Cow<'static, str>>,
        message: impl Into<String>,
    ) -> AppError {
        AppError {
            kind,
            code: code.into(),
            message: message.into(),
            field_errors: Vec::new(),
        }
    }

    pub fn bad_request(code: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        AppError::new(ErrorKind::BadRequest, code, message)
    }

    /// 422 with the fields at fault.
    pub fn validation(field_errors: Vec<FieldError>) -> AppError {
        AppError {
            kind: ErrorKind::Validation,
            code: "validation_failed".into(),
            message: "The request breaks one or more rules; see errors.".into(),
            field_errors,
        }
    }

    /// 422 for a single field.
    pub fn invalid_field(
        field: impl Into<String>,
        code: impl Into<Cow<'static, str>>,
        message: impl Into<String>,
    ) -> AppError {
        AppError::validation(vec![FieldError::new(field, code, message)])
    }

    /// 422 for a rule that is not about one field.
    pub fn rule(code: impl Into<Cow<'static, str>>, message: impl Into<String>) -> AppError {
        AppError::new(ErrorKind::Validation, code, message)
    }

    pub fn unauthenticated(code: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        AppError::new(ErrorKind::Unauthenticated, code, message)
    }

    pub fn forbidden(code: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        AppError::new(ErrorKind::Forbidden, code, message)
    }

    /// 404 naming what was looked for.
    pub fn not_found(what: &str) -> AppError {
        AppError::new(
            ErrorKind::NotFound,
            "not_found",
            format!("{what} not found"),
        )
    }

    pub fn conflict(code: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        AppError::new(ErrorKind::Conflict, code, message)
    }

    /// 409 for an update whose `version` is not the stored one.
    pub fn stale_version(what: &str) -> AppError {
        AppError::conflict(
            "version_conflict",
            format!("{what} was changed by someone else; reload and try again"),
        )
    }

    /// 409 for an edge the state machine does not allow.
    pub fn invalid_state(message: impl Into<String>) -> AppError {
        AppError::conflict("invalid_state", message)
    }

    /// A failure that is our fault. The detail goes to the log, not to the caller.
    pub fn internal(detail: impl std::fmt::Display) -> AppError {
        AppError::new(ErrorKind::Internal, "internal_error", detail.to_string())
    }
}

/// Collects field errors while validating a request, then fails once with all of them.
#[derive(Debug, Default)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> FieldErrors {
        FieldErrors::default()
    }

    pub fn add(
        &mut self,
        field: impl Into<String>,
        code: impl Into<Cow<'static, str>>,
        message: impl Into<String>,
    ) {
        self.0.push(FieldError::new(field, code, message));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Adds the field errors of a failed check made elsewhere.
    pub fn extend(&mut self, errors: impl IntoIterator<Item = FieldError>) {
        self.0.extend(errors);
    }

    /// `Ok(())` when nothing was added, else a 422 listing every field.
    pub fn finish(self) -> AppResult<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(AppError::validation(self.0))
        }
    }
}
