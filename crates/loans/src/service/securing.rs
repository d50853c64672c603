//! Securing a signed contract with its cars (车辆管理), and whether it may be disbursed: the
//! product says mortgage or pledge and whether GPS is required; the loan cannot be disbursed
//! until every car of the contract meets that. The records themselves live in `collateral`.

use sea_orm::{
    ConnectionTrait, DbBackend, EntityTrait, FromQueryResult, Statement, TransactionTrait, Value,
};
use serde::Serialize;
use utoipa::ToSchema;

use collateral::domain::RegistrationStatus;
use collateral::service::releases::{
    self, ReleaseDecisionInput, ReleaseRequest, ReleaseRequestInput,
};
use collateral::service::securing::{
    self, GpsDevice, GpsInput, GpsRemoval, MortgageInput, PledgeInput, Registration, ReleaseInput,
    SecurityKind,
};
use iam::Actor;
use kernel::{AppError, AppResult};

use super::applications;
use super::contracts::ContractTerms;
use super::{LoansContext, db_error, products};
use crate::domain::contract::ContractStatus;
use crate::domain::money_events::LoanStatus;
use crate::domain::terms::CollateralKind;
use crate::repo::contract;

/// One condition of disbursement and whether it holds.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReadinessCheck {
    /// `contract_signed`, `mortgage_registered`, `pledge_taken_in` or `gps_installed`.
    pub code: String,
    pub vehicle_id: Option<i64>,
    pub ok: bool,
    pub detail: String,
}

/// Whether the contract's loan may be disbursed (放款条件).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Readiness {
    pub ready: bool,
    pub checks: Vec<ReadinessCheck>,
}

/// A contract's cars as held, and what disbursement still waits for.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ContractCollateral {
    pub contract_id: i64,
    pub security_kind: SecurityKind,
    pub gps_required: bool,
    pub registrations: Vec<Registration>,
    pub gps_devices: Vec<GpsDevice>,
    pub readiness: Readiness,
    /// The contract's loan once disbursed: a settled loan's cars are released with the
    /// settlement certificate, any other car only through an approved early-release request.
    pub loan: Option<ContractLoan>,
    /// Early-release requests of the contract's cars, newest first.
    pub release_requests: Vec<ReleaseRequest>,
}

/// The loan a contract's disbursement opened, as far as releasing its cars is concerned.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ContractLoan {
    pub id: i64,
    pub loan_no: String,
    pub status: LoanStatus,
    pub settled_on: Option<time::Date>,
}

/// The contract's loan, if disbursed; `lock` holds it against a reversal un-settling it
/// while a car is released.
async fn contract_loan(
    db: &impl ConnectionTrait,
    contract_id: i64,
    lock: bool,
) -> AppResult<Option<ContractLoan>> {
    #[derive(FromQueryResult)]
    struct Row {
        id: i64,
        loan_no: String,
        status: String,
        settled_on: Option<time::Date>,
    }
    let row = Row::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!(
            "SELECT id, loan_no, status, settled_on FROM loans WHERE contract_id = $1{}",
            if lock { " FOR SHARE" } else { "" }
        ),
        [Value::from(contract_id)],
    ))
    .one(db)
    .await
    .map_err(db_error)?;
    row.map(|r| {
        Ok(ContractLoan {
            status: LoanStatus::parse(&r.status)?,
            id: r.id,
            loan_no: r.loan_no,
            settled_on: r.settled_on,
        })
    })
    .transpose()
}

/// The contract as the actor may see it, with its terms and the product's collateral rules.
struct Held {
    row: contract::Model,
    terms: ContractTerms,
    kind: SecurityKind,
    gps_required: bool,
}

async fn held(
    ctx: &LoansContext,
    db: &impl ConnectionTrait,
    actor: &Actor,
    contract_id: i64,
) -> AppResult<Held> {
    let row = contract::Entity::find_by_id(contract_id)
        .one(db)
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::not_found("contract"))?;
    let terms: ContractTerms =
        serde_json::from_value(row.terms.clone()).map_err(AppError::internal)?;
    let application = applications::load(db, actor, row.application_id).await?;
    let product = products::version(ctx, application.product_id, terms.product_version)
        .await?
        .terms;
    Ok(Held {
        row,
        kind: match product.collateral_kind {
            CollateralKind::Pledge => SecurityKind::Pledge,
            CollateralKind::Mortgage => SecurityKind::Mortgage,
        },
        gps_required: product.gps_required,
        terms,
    })
}

/// A car is held only under a signed contract, and only a car the contract names.
fn check_vehicle(h: &Held, vehicle_id: i64, kind: SecurityKind) -> AppResult<()> {
    if h.row.status != ContractStatus::Signed {
        return Err(AppError::conflict(
            "contract_not_signed",
            "cars are registered against a signed contract",
        ));
    }
    if !h.terms.vehicles.iter().any(|v| v.vehicle_id == vehicle_id) {
        return Err(AppError::invalid_field(
            "vehicleId",
            "not_in_contract",
            "the contract does not name this car",
        ));
    }
    if h.kind != kind {
        return Err(AppError::rule(
            "wrong_security_kind",
            format!(
                "the product secures its loans by {}, not {}",
                h.kind.as_str(),
                kind.as_str()
            ),
        ));
    }
    Ok(())
}

pub async fn register_mortgage(
    ctx: &LoansContext,
    actor: &Actor,
    contract_id: i64,
    input: &MortgageInput,
) -> AppResult<Registration> {
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let h = held(ctx, &txn, actor, contract_id).await?;
    check_vehicle(&h, input.vehicle_id, SecurityKind::Mortgage)?;
    let saved = securing::register_mortgage(&txn, actor, now, contract_id, input).await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}

pub async fn intake_pledge(
    ctx: &LoansContext,
    actor: &Actor,
    contract_id: i64,
    input: &PledgeInput,
) -> AppResult<Registration> {
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let h = held(ctx, &txn, actor, contract_id).await?;
    check_vehicle(&h, input.vehicle_id, SecurityKind::Pledge)?;
    let saved = securing::intake_pledge(&txn, actor, now, contract_id, input).await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}

pub async fn install_gps(
    ctx: &LoansContext,
    actor: &Actor,
    contract_id: i64,
    input: &GpsInput,
) -> AppResult<GpsDevice> {
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let h = held(ctx, &txn, actor, contract_id).await?;
    if h.row.status == ContractStatus::Voided {
        return Err(AppError::conflict(
            "invalid_transition",
            "the contract is voided",
        ));
    }
    if !h
        .terms
        .vehicles
        .iter()
        .any(|v| v.vehicle_id == input.vehicle_id)
    {
        return Err(AppError::invalid_field(
            "vehicleId",
            "not_in_contract",
            "the contract does not name this car",
        ));
    }
    let saved = securing::install_gps(&txn, actor, now, contract_id, input).await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}

pub async fn remove_gps(
    ctx: &LoansContext,
    actor: &Actor,
    device_id: i64,
    input: &GpsRemoval,
) -> AppResult<GpsDevice> {
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    if let Some(contract_id) = securing::device_contract(&txn, device_id).await? {
        held(ctx, &txn, actor, contract_id).await?;
    }
    let saved = securing::remove_gps(&txn, actor, now, device_id, input).await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}

/// Releases the car of a settled loan (解押) with the settlement certificate and the
/// hand-over record. Before settlement a car is released only through an approved
/// early-release request ([`request_release`], [`decide_release`]).
pub async fn release(
    ctx: &LoansContext,
    actor: &Actor,
    registration_id: i64,
    input: &ReleaseInput,
) -> AppResult<Registration> {
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let contract_id = securing::registration_contract(&txn, registration_id).await?;
    held(ctx, &txn, actor, contract_id).await?;
    // Version and the request's own rules first, so a bad request is told what to fix.
    let found = securing::lock_registration(&txn, registration_id, input.version).await?;
    securing::check_release(&found, input, now.date())?;
    match contract_loan(&txn, contract_id, true).await? {
        Some(loan) if loan.status == LoanStatus::Settled => {}
        Some(loan) => {
            return Err(AppError::conflict(
                "loan_not_settled",
                format!(
                    "loan {} is {}, not settled; before settlement a car is released only by an approved early-release request (申请提前解押)",
                    loan.loan_no,
                    loan.status.as_str()
                ),
            ));
        }
        None => {
            return Err(AppError::conflict(
                "loan_not_settled",
                "the contract's loan has not been disbursed, so it is not settled; before settlement a car is released only by an approved early-release request (申请提前解押)",
            ));
        }
    }
    let saved = securing::release(&txn, actor, now, found, input).await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}

/// Asks for a car to be released before its loan is settled (申请提前解押), with the reason
/// and the planned hand-over: the car waits in `release_requested` for a second person.
pub async fn request_release(
    ctx: &LoansContext,
    actor: &Actor,
    registration_id: i64,
    input: &ReleaseRequestInput,
) -> AppResult<ReleaseRequest> {
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let contract_id = securing::registration_contract(&txn, registration_id).await?;
    held(ctx, &txn, actor, contract_id).await?;
    let found = securing::lock_registration(&txn, registration_id, input.version).await?;
    releases::check_request(&found, input)?;
    if let Some(loan) = contract_loan(&txn, contract_id, true).await?
        && loan.status == LoanStatus::Settled
    {
        return Err(AppError::conflict(
            "loan_settled",
            format!(
                "loan {} is settled: release the car with its settlement certificate (结清解押) instead of an early release",
                loan.loan_no
            ),
        ));
    }
    let saved = releases::request(&txn, actor, now, found, input).await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}

/// Approves (the car is released, basis `exception`) or rejects (it stays held) an
/// early-release request; never one's own. The caller holds `collateral:release:exception`.
pub async fn decide_release(
    ctx: &LoansContext,
    actor: &Actor,
    request_id: i64,
    input: &ReleaseDecisionInput,
) -> AppResult<ReleaseRequest> {
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let registration_id = releases::request_registration(&txn, request_id).await?;
    let contract_id = securing::registration_contract(&txn, registration_id).await?;
    held(ctx, &txn, actor, contract_id).await?;
    let found = releases::lock_request(&txn, request_id).await?;
    let saved = releases::decide(&txn, actor, now, found, input).await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}

fn readiness(h: &Held, registrations: &[Registration], devices: &[GpsDevice]) -> Readiness {
    let mut checks = vec![ReadinessCheck {
        code: "contract_signed".into(),
        vehicle_id: None,
        ok: h.row.status == ContractStatus::Signed,
        detail: format!(
            "contract {} is {}",
            h.row.contract_no,
            h.row.status.as_str()
        ),
    }];
    for v in &h.terms.vehicles {
        let held = registrations.iter().any(|r| {
            r.vehicle_id == v.vehicle_id
                && r.kind == h.kind
                && r.status == RegistrationStatus::Registered
        });
        checks.push(ReadinessCheck {
            code: match h.kind {
                SecurityKind::Mortgage => "mortgage_registered",
                SecurityKind::Pledge => "pledge_taken_in",
            }
            .into(),
            vehicle_id: Some(v.vehicle_id),
            ok: held,
            detail: format!("{} {}", v.vin, v.description),
        });
        if h.gps_required {
            let fitted = devices
                .iter()
                .any(|d| d.vehicle_id == v.vehicle_id && d.status == "installed");
            checks.push(ReadinessCheck {
                code: "gps_installed".into(),
                vehicle_id: Some(v.vehicle_id),
                ok: fitted,
                detail: format!("{} {}", v.vin, v.description),
            });
        }
    }
    Readiness {
        ready: checks.iter().all(|c| c.ok),
        checks,
    }
}

/// The contract's cars as held, and what disbursement still waits for.
pub async fn collateral(
    ctx: &LoansContext,
    actor: &Actor,
    contract_id: i64,
) -> AppResult<ContractCollateral> {
    let h = held(ctx, &ctx.db, actor, contract_id).await?;
    let (registrations, gps_devices) = securing::for_contract(&ctx.db, contract_id).await?;
    Ok(ContractCollateral {
        contract_id,
        security_kind: h.kind,
        gps_required: h.gps_required,
        readiness: readiness(&h, &registrations, &gps_devices),
        registrations,
        gps_devices,
        loan: contract_loan(&ctx.db, contract_id, false).await?,
        release_requests: releases::for_contract(&ctx.db, contract_id).await?,
    })
}

/// 422 `collateral_not_ready` naming what is missing, for the disbursement to call.
pub async fn require_ready(ctx: &LoansContext, actor: &Actor, contract_id: i64) -> AppResult<()> {
    let c = collateral(ctx, actor, contract_id).await?;
    if c.readiness.ready {
        return Ok(());
    }
    let missing: Vec<String> = c
        .readiness
        .checks
        .iter()
        .filter(|x| !x.ok)
        .map(|x| format!("{} ({})", x.code, x.detail))
        .collect();
    Err(AppError::rule(
        "collateral_not_ready",
        format!("the loan cannot be disbursed yet: {}", missing.join("; ")),
    ))
}
