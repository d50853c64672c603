//! The review committee (贷审会管理): committees, meetings with their agenda, attendance,
//! recusals, named votes and the decision of each item.

use actix_web::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use actix_web::{HttpResponse, get, post, put, web};
use iam::perm;
use loans::service::approvals;
use utoipa_actix_web::service_config::ServiceConfig;
use workflow::ActOutcome;
use workflow::service::committees::{self, Committee, CommitteeInput};
use workflow::service::meetings::{
    self, AttendanceInput, Meeting, MeetingInput, RecusalInput, VoteInput,
};
use workflow::service::minutes;
use workflow::service::queries::Task;

use crate::auth::Auth;
use crate::{ApiResult, AppState, Problem};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_committees)
        .service(get_committee)
        .service(create_committee)
        .service(update_committee)
        .service(list_committee_pending_tasks)
        .service(list_meetings)
        .service(get_meeting)
        .service(create_meeting)
        .service(set_meeting_attendance)
        .service(recuse_from_agenda_item)
        .service(vote_on_agenda_item)
        .service(close_agenda_item)
        .service(meeting_minutes_pdf);
}

/// Every committee with its members.
///
/// Permission: `flow:read` or `committee:manage`.
#[utoipa::path(tag = "committee", security(("bearer" = [])), responses(
    (status = 200, body = Vec<Committee>),
    (status = 401, body = Problem), (status = 403, body = Problem),
))]
#[get("/committees")]
async fn list_committees(state: web::Data<AppState>, actor: Auth) -> ApiResult<HttpResponse> {
    if !actor.has(perm::COMMITTEE_MANAGE) {
        actor.require(perm::FLOW_READ)?;
    }
    Ok(HttpResponse::Ok().json(committees::list(&state.workflow).await?))
}

/// One committee.
///
/// Permission: `flow:read` or `committee:manage`.
#[utoipa::path(tag = "committee", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = Committee),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
))]
#[get("/committees/{id}")]
async fn get_committee(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    if !actor.has(perm::COMMITTEE_MANAGE) {
        actor.require(perm::FLOW_READ)?;
    }
    Ok(HttpResponse::Ok().json(committees::get(&state.workflow, *id).await?))
}

/// Create a committee: exactly one chair, an odd number (≥ 3) of voting members; quorum and
/// pass fractions default to 2/3.
///
/// Permission: `committee:manage`.
#[utoipa::path(tag = "committee", security(("bearer" = [])), request_body = CommitteeInput, responses(
    (status = 201, body = Committee),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 422, body = Problem, description = "`validation_failed`: `one_chair`, `odd_voters`, …"),
))]
#[post("/committees")]
async fn create_committee(
    state: web::Data<AppState>,
    actor: Auth,
    body: web::Json<CommitteeInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::COMMITTEE_MANAGE)?;
    Ok(HttpResponse::Created().json(committees::create(&state.workflow, &actor, &body).await?))
}

/// Edit a committee (send its `version`).
///
/// Permission: `committee:manage`.
#[utoipa::path(tag = "committee", security(("bearer" = [])), params(("id" = i64, Path)), request_body = CommitteeInput, responses(
    (status = 200, body = Committee),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem), (status = 409, body = Problem, description = "`version_conflict`"),
    (status = 422, body = Problem, description = "`validation_failed`"),
))]
#[put("/committees/{id}")]
async fn update_committee(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<CommitteeInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::COMMITTEE_MANAGE)?;
    let saved = committees::update(&state.workflow, &actor, *id, &body).await?;
    Ok(HttpResponse::Ok().json(saved))
}

/// Tasks waiting for the committee and on no open agenda: what the next meeting takes up.
///
/// Permission: `committee:manage`.
#[utoipa::path(tag = "committee", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = Vec<Task>),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
))]
#[get("/committees/{id}/pending-tasks")]
async fn list_committee_pending_tasks(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::COMMITTEE_MANAGE)?;
    Ok(HttpResponse::Ok().json(meetings::pending(&state.workflow, *id).await?))
}

/// Meetings of the committees I sit on (all of them for a committee manager), newest first.
///
/// Needs a signed-in user; members see their committees' meetings.
#[utoipa::path(tag = "committee", security(("bearer" = [])), responses(
    (status = 200, body = Vec<Meeting>),
    (status = 401, body = Problem),
))]
#[get("/meetings")]
async fn list_meetings(state: web::Data<AppState>, actor: Auth) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(meetings::list(&state.workflow, &actor).await?))
}

/// A meeting with its agenda, named votes, recusals and each item's tally.
///
/// Needs a signed-in user who is a member of the committee, or `committee:manage`.
#[utoipa::path(tag = "committee", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = Meeting),
    (status = 401, body = Problem), (status = 404, body = Problem),
))]
#[get("/meetings/{id}")]
async fn get_meeting(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(meetings::get(&state.workflow, &actor, *id).await?))
}

/// Call a meeting with an agenda of tasks waiting for the committee.
///
/// Permission: `committee:manage`.
#[utoipa::path(tag = "committee", security(("bearer" = [])), request_body = MeetingInput, responses(
    (status = 201, body = Meeting),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`already_on_agenda`"),
    (status = 422, body = Problem, description = "`validation_failed` (`taskIds[i]` / `not_pending`)"),
))]
#[post("/meetings")]
async fn create_meeting(
    state: web::Data<AppState>,
    actor: Auth,
    body: web::Json<MeetingInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::COMMITTEE_MANAGE)?;
    Ok(HttpResponse::Created().json(meetings::create(&state.workflow, &actor, &body).await?))
}

/// Record who is present (members only; send the meeting's `version`).
///
/// Permission: `committee:manage`.
#[utoipa::path(tag = "committee", security(("bearer" = [])), params(("id" = i64, Path)), request_body = AttendanceInput, responses(
    (status = 200, body = Meeting),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem), (status = 409, body = Problem, description = "`version_conflict`"),
    (status = 422, body = Problem, description = "`validation_failed` (`not_a_member`)"),
))]
#[put("/meetings/{id}/attendance")]
async fn set_meeting_attendance(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<AttendanceInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::COMMITTEE_MANAGE)?;
    let saved = meetings::set_attendance(&state.workflow, &actor, *id, &body).await?;
    Ok(HttpResponse::Ok().json(saved))
}

/// Recuse myself from an item (回避): my vote is not counted; I still count for the quorum.
///
/// Needs a signed-in user who is a member of the committee.
#[utoipa::path(tag = "committee", security(("bearer" = [])), params(("id" = i64, Path), ("itemId" = i64, Path)), request_body = RecusalInput, responses(
    (status = 200, body = Meeting),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem), (status = 409, body = Problem, description = "`already_recused`, `item_decided`"),
    (status = 422, body = Problem, description = "`validation_failed`"),
))]
#[post("/meetings/{id}/items/{itemId}/recusal")]
async fn recuse_from_agenda_item(
    state: web::Data<AppState>,
    actor: Auth,
    path: web::Path<(i64, i64)>,
    body: web::Json<RecusalInput>,
) -> ApiResult<HttpResponse> {
    let (meeting, item) = *path;
    let saved = meetings::recuse(&state.workflow, &actor, meeting, item, &body).await?;
    Ok(HttpResponse::Ok().json(saved))
}

/// Cast my named vote with a written opinion; it can never be changed. A veto holder may
/// cast a veto with a disagreement.
///
/// Needs a signed-in user who is a voting member, recorded as present and not recused.
#[utoipa::path(tag = "committee", security(("bearer" = [])), params(("id" = i64, Path), ("itemId" = i64, Path)), request_body = VoteInput, responses(
    (status = 200, body = Meeting),
    (status = 400, body = Problem), (status = 401, body = Problem),
    (status = 403, body = Problem, description = "`not_a_member`, `no_vote`"),
    (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`already_voted`, `not_present`, `recused`, `item_decided`"),
    (status = 422, body = Problem, description = "`validation_failed` (opinion, `veto_not_allowed`)"),
))]
#[post("/meetings/{id}/items/{itemId}/votes")]
async fn vote_on_agenda_item(
    state: web::Data<AppState>,
    actor: Auth,
    path: web::Path<(i64, i64)>,
    body: web::Json<VoteInput>,
) -> ApiResult<HttpResponse> {
    let (meeting, item) = *path;
    let saved = meetings::cast(&state.workflow, &actor, meeting, item, &body).await?;
    Ok(HttpResponse::Ok().json(saved))
}

/// Close an item: with the quorum met and every eligible vote in, the tally decides the
/// task — passed approves it along the flow, rejected (or vetoed) rejects it,
/// re-investigation returns it to the applicant — and the application follows.
///
/// Permission: `committee:manage`.
#[utoipa::path(tag = "committee", security(("bearer" = [])), params(("id" = i64, Path), ("itemId" = i64, Path)), responses(
    (status = 200, body = ActOutcome),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`votes_missing`, `item_decided`"),
    (status = 422, body = Problem, description = "`quorum_not_met`, `ltv_exceeded`"),
))]
#[post("/meetings/{id}/items/{itemId}/close")]
async fn close_agenda_item(
    state: web::Data<AppState>,
    actor: Auth,
    path: web::Path<(i64, i64)>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::COMMITTEE_MANAGE)?;
    let (meeting, item) = *path;
    let decided = approvals::close_committee_item(&state.loans, &actor, meeting, item).await?;
    Ok(HttpResponse::Ok().json(decided))
}

/// The meeting's minutes (会议纪要) as a PDF: attendance, every named vote with its opinion,
/// recusals, tallies and decisions.
///
/// Needs a signed-in user who is a member of the committee, or `committee:manage`.
#[utoipa::path(tag = "committee", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, content_type = "application/pdf", body = String, description = "The minutes"),
    (status = 401, body = Problem), (status = 404, body = Problem),
    (status = 500, body = Problem, description = "`font_missing`: the server lacks fonts-noto-cjk"),
))]
#[get("/meetings/{id}/minutes.pdf")]
async fn meeting_minutes_pdf(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let (name, bytes) = minutes::pdf(&state.workflow, &actor, *id).await?;
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "application/pdf"))
        .insert_header((
            CONTENT_DISPOSITION,
            format!("inline; filename=\"{name}.pdf\""),
        ))
        .body(bytes))
}
