//! The outbox (消息发件箱): messages to customers the business has written — the daily close's
//! repayment and overdue reminders — waiting for delivery.

use actix_web::{HttpResponse, get, web};
use iam::perm;
use kernel::{Page, PageRequest};
use notify::{OutboxFilter, OutboxMessage};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Auth;
use crate::{ApiResult, AppState, Problem};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_messages);
}

/// Messages in the outbox, newest business date first, within the caller's data scope (one's
/// own: about loans one manages). Every message is `pending` until delivery is built.
///
/// Permission: `outbox:read`.
#[utoipa::path(tag = "post_loan", security(("bearer" = [])), params(PageRequest, OutboxFilter), responses(
    (status = 200, body = Page<OutboxMessage>),
    (status = 400, body = Problem, description = "`bad_request` (a filter that does not parse: `status`, `template`, `businessDate`, `loanId`)"),
    (status = 401, body = Problem), (status = 403, body = Problem),
))]
#[get("/outbox-messages")]
async fn list_messages(
    state: web::Data<AppState>,
    actor: Auth,
    page: web::Query<PageRequest>,
    filter: web::Query<OutboxFilter>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::OUTBOX_READ)?;
    Ok(HttpResponse::Ok().json(notify::outbox::list(&state.db, &actor, &filter, &page).await?))
}
