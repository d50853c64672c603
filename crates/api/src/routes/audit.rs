//! The audit log (审计日志).

use actix_web::{HttpResponse, get, web};
use iam::perm;
use iam::service::audit::{self, AuditFilter, AuditLog};
use kernel::{Page, PageRequest};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Auth;
use crate::{ApiResult, AppState, Problem};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(search_audit_logs);
}

/// Search the audit log, newest first.
///
/// Permission: `audit:read`.
#[utoipa::path(tag = "audit", security(("bearer" = [])), params(PageRequest, AuditFilter), responses(
    (status = 200, body = Page<AuditLog>),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
))]
#[get("/audit-logs")]
async fn search_audit_logs(
    state: web::Data<AppState>,
    actor: Auth,
    page: web::Query<PageRequest>,
    filter: web::Query<AuditFilter>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::AUDIT_READ)?;
    Ok(HttpResponse::Ok().json(audit::search(&state.db, &filter, &page).await?))
}
