//! My tasks (我的待办 / 已办) and acting on them: approve, reject, return, transfer.

use actix_web::{HttpResponse, get, post, web};
use kernel::{Page, PageRequest};
use loans::service::approvals;
use utoipa_actix_web::service_config::ServiceConfig;
use workflow::ActOutcome;
use workflow::service::engine::ActionInput;
use workflow::service::queries::{self, InboxFilter, Task};

use crate::auth::Auth;
use crate::{ApiResult, AppState, Problem};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_my_tasks)
        .service(get_task)
        .service(act_on_task);
}

/// My inbox: open tasks waiting for me, oldest first (`state=open`, the default), or those I
/// dealt with, newest first (`state=done`).
///
/// Needs a signed-in user; each sees their own tasks.
#[utoipa::path(tag = "workflow", security(("bearer" = [])), params(PageRequest, InboxFilter), responses(
    (status = 200, body = Page<Task>),
    (status = 400, body = Problem), (status = 401, body = Problem),
))]
#[get("/tasks")]
async fn list_my_tasks(
    state: web::Data<AppState>,
    actor: Auth,
    page: web::Query<PageRequest>,
    filter: web::Query<InboxFilter>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(queries::inbox(&state.db, &actor, &filter, &page).await?))
}

/// One task I may act on or acted on.
///
/// Needs a signed-in user, to whom the task is or was assigned.
#[utoipa::path(tag = "workflow", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = Task),
    (status = 401, body = Problem), (status = 404, body = Problem),
))]
#[get("/tasks/{id}")]
async fn get_task(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(queries::task(&state.db, &actor, *id).await?))
}

/// Act on a task. `approve` follows the step's first exit whose conditions hold; `reject`
/// ends the flow; `return` goes back to `applicant` or to a step already passed (`returnTo`);
/// `transfer` hands the task to `transferTo`. Rejections and returns need a `comment`. The
/// record decided (a loan application, a credit line) changes in the same transaction; a
/// loan application's final approval uses its amount on its credit line.
///
/// Needs a signed-in user who is one of the task's assignees.
#[utoipa::path(tag = "workflow", security(("bearer" = [])), params(("id" = i64, Path)), request_body = ActionInput, responses(
    (status = 200, body = ActOutcome),
    (status = 400, body = Problem), (status = 401, body = Problem),
    (status = 403, body = Problem, description = "`not_your_task`"),
    (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`task_closed`, `invalid_transition`, `credit_line_frozen`, `credit_line_expired`, `credit_line_not_active`"),
    (status = 422, body = Problem, description = "`validation_failed` (comment, returnTo, transferTo), `ltv_exceeded`, `credit_line_exceeded`, `credit_line_validity_passed`, `no_assignee`"),
))]
#[post("/tasks/{id}/actions")]
async fn act_on_task(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<ActionInput>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(approvals::act(&state.loans, &actor, *id, &body).await?))
}
