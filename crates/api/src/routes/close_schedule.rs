//! The daily close's schedule (定时日终) as this server was started with it, for the close
//! console: read-only, since it comes from the deployment's environment (`CHEDAI_CLOSE_AT`).

use actix_web::{HttpResponse, get, web};
use iam::perm;
use loans::domain::close_schedule::CloseAt;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Auth;
use crate::{ApiResult, Problem};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_schedule);
}

/// What `build_app` was given; absent means the close runs only when someone starts it.
#[derive(Debug, Clone, Copy, Default)]
pub struct ScheduleSetting(pub Option<CloseAt>);

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CloseSchedule {
    /// The time of day (`HH:MM`, UTC) after which the server closes every missed business
    /// date by itself; null when the close is only started by hand or by `chedai close-day`.
    pub close_at: Option<String>,
}

/// The daily close's schedule (定时日终), as configured on the server.
///
/// Permission: `close:read`.
#[utoipa::path(tag = "close", security(("bearer" = [])), responses(
    (status = 200, body = CloseSchedule),
    (status = 401, body = Problem), (status = 403, body = Problem),
))]
#[get("/close-schedule")]
async fn get_schedule(setting: web::Data<ScheduleSetting>, actor: Auth) -> ApiResult<HttpResponse> {
    actor.require(perm::CLOSE_READ)?;
    Ok(HttpResponse::Ok().json(CloseSchedule {
        close_at: setting.0.map(|at| at.to_string()),
    }))
}
