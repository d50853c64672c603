//! Risk screening (风控): the rule set and its versions, external providers, screenings.

use actix_web::{HttpResponse, get, post, put, web};
use credit::providers::ProviderKind;
use credit::service::provider_settings::{self, ProviderSetting, ProviderSettingInput};
use credit::service::rule_sets::{self, RuleSetInput, RuleSetVersion};
use credit::service::screenings::{
    self, Screening, ScreeningFilter, ScreeningInput, TrialInput, TrialResult,
};
use iam::perm;
use kernel::{Page, PageRequest};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Auth;
use crate::{ApiResult, AppState, Problem};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_rule_set)
        .service(save_rule_set)
        .service(list_rule_set_versions)
        .service(get_rule_set_version)
        .service(try_rule_set)
        .service(list_risk_providers)
        .service(save_risk_provider)
        .service(list_screenings)
        .service(screen_customer)
        .service(get_screening)
        .service(rerun_screening);
}

/// The rule set and scorecard in force (version 0 is the built-in one).
///
/// Permission: `risk:rule:read`.
#[utoipa::path(tag = "risk", security(("bearer" = [])), responses(
    (status = 200, body = RuleSetVersion),
    (status = 401, body = Problem), (status = 403, body = Problem),
))]
#[get("/risk/rule-set")]
async fn get_rule_set(state: web::Data<AppState>, actor: Auth) -> ApiResult<HttpResponse> {
    actor.require(perm::RISK_RULE_READ)?;
    Ok(HttpResponse::Ok().json(rule_sets::current(&state.credit.db).await?))
}

/// Save an edited rule set as the next version (audited); send the `baseVersion` you edited.
///
/// Permission: `risk:rule:write`.
#[utoipa::path(tag = "risk", security(("bearer" = [])), request_body = RuleSetInput, responses(
    (status = 201, body = RuleSetVersion),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 409, body = Problem, description = "`version_conflict`: someone saved a newer version"),
    (status = 422, body = Problem),
))]
#[put("/risk/rule-set")]
async fn save_rule_set(
    state: web::Data<AppState>,
    actor: Auth,
    body: web::Json<RuleSetInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::RISK_RULE_WRITE)?;
    Ok(HttpResponse::Created().json(rule_sets::save(&state.credit, &actor, &body).await?))
}

/// Every saved version, newest first.
///
/// Permission: `risk:rule:read`.
#[utoipa::path(tag = "risk", security(("bearer" = [])), params(PageRequest), responses(
    (status = 200, body = Page<RuleSetVersion>),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
))]
#[get("/risk/rule-set/versions")]
async fn list_rule_set_versions(
    state: web::Data<AppState>,
    actor: Auth,
    page: web::Query<PageRequest>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::RISK_RULE_READ)?;
    Ok(HttpResponse::Ok().json(rule_sets::history(&state.credit, &page).await?))
}

/// One version.
///
/// Permission: `risk:rule:read`.
#[utoipa::path(tag = "risk", security(("bearer" = [])), params(("version" = i32, Path)), responses(
    (status = 200, body = RuleSetVersion),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
))]
#[get("/risk/rule-set/versions/{version}")]
async fn get_rule_set_version(
    state: web::Data<AppState>,
    actor: Auth,
    version: web::Path<i32>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::RISK_RULE_READ)?;
    Ok(HttpResponse::Ok().json(rule_sets::version(&state.credit, *version).await?))
}

/// Try a draft rule set on a customer: the decision it would give, with the facts and provider
/// calls. Nothing is saved.
///
/// Permission: `risk:rule:write`.
#[utoipa::path(tag = "risk", security(("bearer" = [])), request_body = TrialInput, responses(
    (status = 200, body = TrialResult),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 422, body = Problem),
))]
#[post("/risk/rule-set/trial")]
async fn try_rule_set(
    state: web::Data<AppState>,
    actor: Auth,
    body: web::Json<TrialInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::RISK_RULE_WRITE)?;
    Ok(HttpResponse::Ok().json(screenings::trial(&state.credit, &actor, &body).await?))
}

/// The external data providers and their settings.
///
/// Permission: `risk:rule:read`.
#[utoipa::path(tag = "risk", security(("bearer" = [])), responses(
    (status = 200, body = Vec<ProviderSetting>),
    (status = 401, body = Problem), (status = 403, body = Problem),
))]
#[get("/risk/providers")]
async fn list_risk_providers(state: web::Data<AppState>, actor: Auth) -> ApiResult<HttpResponse> {
    actor.require(perm::RISK_RULE_READ)?;
    Ok(HttpResponse::Ok().json(provider_settings::list(&state.credit).await?))
}

/// Configure a provider: its URL, timeout and whether it is used (audited).
///
/// Permission: `risk:rule:write`.
#[utoipa::path(tag = "risk", security(("bearer" = [])), params(("kind" = ProviderKind, Path)), request_body = ProviderSettingInput, responses(
    (status = 200, body = ProviderSetting),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 409, body = Problem), (status = 422, body = Problem),
))]
#[put("/risk/providers/{kind}")]
async fn save_risk_provider(
    state: web::Data<AppState>,
    actor: Auth,
    kind: web::Path<ProviderKind>,
    body: web::Json<ProviderSettingInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::RISK_RULE_WRITE)?;
    Ok(
        HttpResponse::Ok()
            .json(provider_settings::save(&state.credit, &actor, *kind, &body).await?),
    )
}

/// Stored screenings of customers in your data scope, newest first.
///
/// Permission: `risk:screen`.
#[utoipa::path(tag = "risk", security(("bearer" = [])), params(PageRequest, ScreeningFilter), responses(
    (status = 200, body = Page<Screening>),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
))]
#[get("/risk/screenings")]
async fn list_screenings(
    state: web::Data<AppState>,
    actor: Auth,
    page: web::Query<PageRequest>,
    filter: web::Query<ScreeningFilter>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::RISK_SCREEN)?;
    Ok(HttpResponse::Ok().json(screenings::list(&state.credit, &actor, &filter, &page).await?))
}

/// Screen a customer for a loan under the rule set in force: blacklist, rules, external data
/// (each provider call recorded; a provider that fails or times out becomes a reason for
/// manual review), scorecard. The result is stored.
///
/// Permission: `risk:screen`.
#[utoipa::path(tag = "risk", security(("bearer" = [])), request_body = ScreeningInput, responses(
    (status = 201, body = Screening),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 422, body = Problem),
))]
#[post("/risk/screenings")]
async fn screen_customer(
    state: web::Data<AppState>,
    actor: Auth,
    body: web::Json<ScreeningInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::RISK_SCREEN)?;
    Ok(HttpResponse::Created().json(screenings::screen(&state.credit, &actor, &body).await?))
}

/// One stored screening.
///
/// Permission: `risk:screen`.
#[utoipa::path(tag = "risk", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = Screening),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
))]
#[get("/risk/screenings/{id}")]
async fn get_screening(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::RISK_SCREEN)?;
    Ok(HttpResponse::Ok().json(screenings::get(&state.credit, &actor, *id).await?))
}

/// Run a stored screening's input again under the rules in force now; the result is a new
/// screening that names the one it re-ran.
///
/// Permission: `risk:screen`.
#[utoipa::path(tag = "risk", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 201, body = Screening),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
))]
#[post("/risk/screenings/{id}/rerun")]
async fn rerun_screening(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::RISK_SCREEN)?;
    Ok(HttpResponse::Created().json(screenings::rerun(&state.credit, &actor, *id).await?))
}
