//! The HTTP interface: `/api/v1` routes over the domain services, authentication and the
//! permission each endpoint needs, `application/problem+json` errors, the OpenAPI document
//! (served at `/api/v1/openapi.json` with offline Swagger UI at `/api/docs/`), health checks,
//! and the SPA's static files with the client-route fallback.
//!
//! Handlers are thin: parse, authorise, call one service, shape the answer.

pub mod auth;
pub mod error;
pub mod openapi;
pub mod routes;
pub mod spa;
pub mod state;

pub use error::{ApiError, ApiResult, Problem};
pub use openapi::{openapi, openapi_json};
pub use state::{AppState, CustomerServices, ServerOptions, build_app};
