//! Holding the cars for a contract (车辆管理): mortgage registration (抵押物办理登记), pledge
//! intake (质押入库), release (解押), and GPS devices (GPS安装管理). These functions run in
//! the caller's transaction: the loans crate, which owns the contract, checks it first.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, NotSet,
    QueryFilter, QueryOrder, QuerySelect, Set, SqlErr,
};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;

use iam::Actor;
use iam::service::{audit, check_version};
use kernel::error::FieldErrors;
use kernel::{AppError, AppResult};

use super::db_error;
use crate::domain::imei::ImeiError;
use crate::domain::{Imei, RegistrationStatus, ReleaseEvent};
use crate::repo::{gps_device, registration};

/// How a car secures the loan (RULES.md §12).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SecurityKind {
    /// 抵押: registered at the vehicle registry; the borrower keeps the car.
    Mortgage,
    /// 质押: the car is kept in the lender's yard.
    Pledge,
}

impl SecurityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SecurityKind::Mortgage => "mortgage",
            SecurityKind::Pledge => "pledge",
        }
    }
}

/// A car held for a contract.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Registration {
    pub id: i64,
    pub vehicle_id: i64,
    pub contract_id: i64,
    pub kind: SecurityKind,
    pub status: RegistrationStatus,
    pub registry_office: Option<String>,
    pub certificate_no: Option<String>,
    pub registered_on: Date,
    pub yard: Option<String>,
    pub slot: Option<String>,
    pub keys_count: Option<i32>,
    pub condition_note: Option<String>,
    pub released_on: Option<Date>,
    pub release_basis: Option<ReleaseBasis>,
    /// Why an exception released the car early (the approved request's reason).
    pub release_reason: Option<String>,
    pub settlement_cert_no: Option<String>,
    pub handover_note: Option<String>,
    /// The registration certificate's scan (or the pledge sheet) is attached.
    pub has_document: bool,
    pub version: i32,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

impl From<registration::Model> for Registration {
    fn from(m: registration::Model) -> Registration {
        Registration {
            id: m.id,
            vehicle_id: m.vehicle_id,
            contract_id: m.contract_id,
            kind: if m.kind == "pledge" {
                SecurityKind::Pledge
            } else {
                SecurityKind::Mortgage
            },
            status: m.status,
            registry_office: m.registry_office,
            certificate_no: m.certificate_no,
            registered_on: m.registered_on,
            yard: m.yard,
            slot: m.slot,
            keys_count: m.keys_count,
            condition_note: m.condition_note,
            released_on: m.released_on,
            release_basis: m.release_basis.as_deref().and_then(ReleaseBasis::parse),
            release_reason: m.release_reason,
            settlement_cert_no: m.settlement_cert_no,
            handover_note: m.handover_note,
            has_document: m.document_key.is_some(),
            version: m.version,
            created_at: m.created_at,
        }
    }
}

/// A mortgage registered at the vehicle registry (抵押登记).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MortgageInput {
    pub vehicle_id: i64,
    /// 登记机关, e.g. `福州市公安局交通警察支队车辆管理所`.
    pub registry_office: String,
    /// 登记证书编号.
    pub certificate_no: String,
    pub registered_on: Date,
}

/// A car taken into the yard (质押入库).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PledgeInput {
    pub vehicle_id: i64,
    pub yard: String,
    pub slot: Option<String>,
    pub keys_count: i32,
    /// The state at intake: damage, mileage, fuel, belongings.
    pub condition_note: String,
    pub intake_on: Date,
}

/// Why a car was released.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReleaseBasis {
    /// The loan is settled (结清): with the settlement certificate.
    Settled,
    /// Released before settlement by an approved early-release request, with its reason.
    Exception,
}

impl ReleaseBasis {
    pub fn as_str(self) -> &'static str {
        match self {
            ReleaseBasis::Settled => "settled",
            ReleaseBasis::Exception => "exception",
        }
    }

    pub fn parse(s: &str) -> Option<ReleaseBasis> {
        match s {
            "settled" => Some(ReleaseBasis::Settled),
            "exception" => Some(ReleaseBasis::Exception),
            _ => None,
        }
    }
}

/// Releasing the car of a settled loan (解押): the settlement certificate and the hand-over
/// record. A car is released before settlement only through an approved early-release
/// request (`POST /collateral-registrations/{id}/release-requests`).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReleaseInput {
    pub released_on: Date,
    /// 结清证明编号.
    pub settlement_cert_no: String,
    /// 交接记录: what was handed back (registration certificate, keys) and to whom.
    pub handover_note: String,
    pub version: i32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GpsKind {
    /// 有线
    Wired,
    /// 无线
    Wireless,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GpsDevice {
    pub id: i64,
    pub vehicle_id: i64,
    pub contract_id: Option<i64>,
    pub imei: String,
    pub sim_no: Option<String>,
    pub kind: GpsKind,
    pub install_place: String,
    pub installer: String,
    pub installed_on: Date,
    /// `installed` or `removed`.
    pub status: String,
    pub removed_on: Option<Date>,
    pub removal_reason: Option<String>,
    pub has_photo: bool,
    pub version: i32,
}

impl From<gps_device::Model> for GpsDevice {
    fn from(m: gps_device::Model) -> GpsDevice {
        GpsDevice {
            id: m.id,
            vehicle_id: m.vehicle_id,
            contract_id: m.contract_id,
            imei: m.imei,
            sim_no: m.sim_no,
            kind: if m.kind == "wired" {
                GpsKind::Wired
            } else {
                GpsKind::Wireless
            },
            install_place: m.install_place,
            installer: m.installer,
            installed_on: m.installed_on,
            status: m.status,
            removed_on: m.removed_on,
            removal_reason: m.removal_reason,
            has_photo: m.photo_key.is_some(),
            version: m.version,
        }
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GpsInput {
    pub vehicle_id: i64,
    /// 15 digits with a Luhn check digit.
    pub imei: String,
    pub sim_no: Option<String>,
    pub kind: GpsKind,
    /// 安装位置, e.g. `仪表台下`.
    pub install_place: String,
    pub installer: String,
    pub installed_on: Date,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GpsRemoval {
    pub removed_on: Date,
    pub reason: String,
    pub version: i32,
}

pub(crate) fn text(field: &str, value: &str, max: usize, errors: &mut FieldErrors) -> String {
    let v = value.trim();
    if v.is_empty() || v.chars().count() > max {
        errors.add(
            field,
            "required",
            format!("fill in {field}, at most {max} characters"),
        );
    }
    v.to_string()
}

fn optional(value: &Option<String>) -> Option<String> {
    value
        .as_ref()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

fn not_after(field: &str, on: Date, today: Date, errors: &mut FieldErrors) {
    if on > today {
        errors.add(field, "in_future", "this date cannot be after today");
    }
}

fn already_held(e: sea_orm::DbErr) -> AppError {
    match e.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => AppError::conflict(
            "already_held",
            "the car is already held by a registration that has not been released",
        ),
        _ => db_error(e),
    }
}

#[allow(clippy::too_many_arguments)]
async fn insert_registration(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    now: OffsetDateTime,
    contract_id: i64,
    vehicle_id: i64,
    kind: SecurityKind,
    on: Date,
    fill: impl FnOnce(&mut registration::ActiveModel),
) -> AppResult<Registration> {
    let mut row = registration::ActiveModel {
        id: NotSet,
        vehicle_id: Set(vehicle_id),
        contract_id: Set(contract_id),
        kind: Set(kind.as_str().into()),
        status: Set(RegistrationStatus::Registered),
        registry_office: Set(None),
        certificate_no: Set(None),
        registered_on: Set(on),
        yard: Set(None),
        slot: Set(None),
        keys_count: Set(None),
        condition_note: Set(None),
        released_on: Set(None),
        release_basis: Set(None),
        release_reason: Set(None),
        settlement_cert_no: Set(None),
        handover_note: Set(None),
        released_by: Set(None),
        document_key: Set(None),
        document_content_type: Set(None),
        created_by: Set(actor.user_id),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    };
    fill(&mut row);
    let saved: Registration = row.insert(txn).await.map_err(already_held)?.into();
    audit::record(
        txn,
        Some(actor),
        now,
        audit::Change::new("collateral_registration", saved.id, kind.as_str()).after(&saved),
    )
    .await?;
    Ok(saved)
}

/// Records a mortgage registration of one of the contract's cars.
pub async fn register_mortgage(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    now: OffsetDateTime,
    contract_id: i64,
    input: &MortgageInput,
) -> AppResult<Registration> {
    let mut errors = FieldErrors::new();
    let office = text("registryOffice", &input.registry_office, 100, &mut errors);
    let certificate = text("certificateNo", &input.certificate_no, 50, &mut errors);
    not_after("registeredOn", input.registered_on, now.date(), &mut errors);
    errors.finish()?;
    insert_registration(
        txn,
        actor,
        now,
        contract_id,
        input.vehicle_id,
        SecurityKind::Mortgage,
        input.registered_on,
        |r| {
            r.registry_office = Set(Some(office));
            r.certificate_no = Set(Some(certificate));
        },
    )
    .await
}

/// Records a car taken into the yard under a pledge, with its state at intake.
pub async fn intake_pledge(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    now: OffsetDateTime,
    contract_id: i64,
    input: &PledgeInput,
) -> AppResult<Registration> {
    let mut errors = FieldErrors::new();
    let yard = text("yard", &input.yard, 100, &mut errors);
    let condition = text("conditionNote", &input.condition_note, 2000, &mut errors);
    if !(1..=10).contains(&input.keys_count) {
        errors.add(
            "keysCount",
            "out_of_range",
            "a pledged car comes with 1 to 10 keys",
        );
    }
    not_after("intakeOn", input.intake_on, now.date(), &mut errors);
    errors.finish()?;
    insert_registration(
        txn,
        actor,
        now,
        contract_id,
        input.vehicle_id,
        SecurityKind::Pledge,
        input.intake_on,
        |r| {
            r.yard = Set(Some(yard));
            r.slot = Set(optional(&input.slot));
            r.keys_count = Set(Some(input.keys_count));
            r.condition_note = Set(Some(condition));
        },
    )
    .await
}

/// The registration, locked, with its version checked.
pub async fn lock_registration(
    txn: &impl ConnectionTrait,
    id: i64,
    version: i32,
) -> AppResult<registration::Model> {
    let found = registration::Entity::find_by_id(id)
        .lock_exclusive()
        .one(txn)
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::not_found("collateral registration"))?;
    check_version("collateral registration", found.version, version)?;
    Ok(found)
}

/// The release's own rules: a held car, the hand-over record and the settlement certificate,
/// a date not before the registration nor after today.
pub fn check_release(
    found: &registration::Model,
    input: &ReleaseInput,
    today: Date,
) -> AppResult<()> {
    found.status.on(ReleaseEvent::ReleaseSettled)?;
    let mut errors = FieldErrors::new();
    text(
        "settlementCertNo",
        &input.settlement_cert_no,
        50,
        &mut errors,
    );
    text("handoverNote", &input.handover_note, 2000, &mut errors);
    not_after("releasedOn", input.released_on, today, &mut errors);
    if input.released_on < found.registered_on {
        errors.add(
            "releasedOn",
            "before_registration",
            "a car cannot be released before it was registered",
        );
    }
    errors.finish()
}

/// Releases the held car of a settled loan. The caller has checked that the loan is settled.
pub async fn release(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    now: OffsetDateTime,
    found: registration::Model,
    input: &ReleaseInput,
) -> AppResult<Registration> {
    check_release(&found, input, now.date())?;
    let status = found.status.on(ReleaseEvent::ReleaseSettled)?;
    let before: Registration = found.clone().into();
    let version = found.version + 1;
    let mut active = found.into_active_model();
    active.status = Set(status);
    active.released_on = Set(Some(input.released_on));
    active.release_basis = Set(Some(ReleaseBasis::Settled.as_str().into()));
    active.release_reason = Set(None);
    active.settlement_cert_no = Set(Some(input.settlement_cert_no.trim().to_string()));
    active.handover_note = Set(Some(input.handover_note.trim().to_string()));
    active.released_by = Set(Some(actor.user_id));
    active.version = Set(version);
    active.updated_at = Set(now);
    let after: Registration = active.update(txn).await.map_err(db_error)?.into();
    audit::record(
        txn,
        Some(actor),
        now,
        audit::Change::new("collateral_registration", after.id, "release")
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(after)
}

/// Fits a GPS device to one of the contract's cars.
pub async fn install_gps(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    now: OffsetDateTime,
    contract_id: i64,
    input: &GpsInput,
) -> AppResult<GpsDevice> {
    let mut errors = FieldErrors::new();
    let imei = match Imei::parse(&input.imei) {
        Ok(imei) => Some(imei),
        Err(ImeiError::Format) => {
            errors.add("imei", "invalid_format", "an IMEI is 15 digits");
            None
        }
        Err(ImeiError::CheckDigit) => {
            errors.add(
                "imei",
                "invalid_check_digit",
                "the IMEI's last digit does not match: check the number on the device",
            );
            None
        }
    };
    let place = text("installPlace", &input.install_place, 100, &mut errors);
    let installer = text("installer", &input.installer, 50, &mut errors);
    not_after("installedOn", input.installed_on, now.date(), &mut errors);
    errors.finish()?;
    let saved: GpsDevice = gps_device::ActiveModel {
        id: NotSet,
        vehicle_id: Set(input.vehicle_id),
        contract_id: Set(Some(contract_id)),
        imei: Set(imei.expect("checked").as_str().into()),
        sim_no: Set(optional(&input.sim_no)),
        kind: Set(match input.kind {
            GpsKind::Wired => "wired",
            GpsKind::Wireless => "wireless",
        }
        .into()),
        install_place: Set(place),
        installer: Set(installer),
        installed_on: Set(input.installed_on),
        photo_key: Set(None),
        status: Set("installed".into()),
        removed_on: Set(None),
        removal_reason: Set(None),
        created_by: Set(actor.user_id),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(txn)
    .await
    .map_err(|e| match e.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => {
            let mut err = AppError::conflict(
                "device_in_use",
                "a device with this IMEI is installed in another car; remove it there first",
            );
            err.field_errors.push(kernel::FieldError::new(
                "imei",
                "device_in_use",
                "installed elsewhere",
            ));
            err
        }
        _ => db_error(e),
    })?
    .into();
    audit::record(
        txn,
        Some(actor),
        now,
        audit::Change::new("gps_device", saved.id, "install").after(&saved),
    )
    .await?;
    Ok(saved)
}

/// Removes a device (拆除), with the reason.
pub async fn remove_gps(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    now: OffsetDateTime,
    id: i64,
    input: &GpsRemoval,
) -> AppResult<GpsDevice> {
    let found = gps_device::Entity::find_by_id(id)
        .lock_exclusive()
        .one(txn)
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::not_found("GPS device"))?;
    check_version("GPS device", found.version, input.version)?;
    if found.status != "installed" {
        return Err(AppError::conflict(
            "invalid_transition",
            "this device has already been removed",
        ));
    }
    let mut errors = FieldErrors::new();
    let reason = text("reason", &input.reason, 500, &mut errors);
    not_after("removedOn", input.removed_on, now.date(), &mut errors);
    if input.removed_on < found.installed_on {
        errors.add(
            "removedOn",
            "before_installation",
            "a device cannot be removed before it was installed",
        );
    }
    errors.finish()?;
    let before: GpsDevice = found.clone().into();
    let version = found.version + 1;
    let mut active = found.into_active_model();
    active.status = Set("removed".into());
    active.removed_on = Set(Some(input.removed_on));
    active.removal_reason = Set(Some(reason));
    active.version = Set(version);
    active.updated_at = Set(now);
    let after: GpsDevice = active.update(txn).await.map_err(db_error)?.into();
    audit::record(
        txn,
        Some(actor),
        now,
        audit::Change::new("gps_device", after.id, "remove")
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(after)
}

/// The contract's registrations and devices, oldest first.
pub async fn for_contract(
    db: &impl ConnectionTrait,
    contract_id: i64,
) -> AppResult<(Vec<Registration>, Vec<GpsDevice>)> {
    let registrations = registration::Entity::find()
        .filter(registration::Column::ContractId.eq(contract_id))
        .order_by_asc(registration::Column::Id)
        .all(db)
        .await
        .map_err(db_error)?
        .into_iter()
        .map(Registration::from)
        .collect();
    let devices = gps_device::Entity::find()
        .filter(gps_device::Column::ContractId.eq(contract_id))
        .order_by_asc(gps_device::Column::Id)
        .all(db)
        .await
        .map_err(db_error)?
        .into_iter()
        .map(GpsDevice::from)
        .collect();
    Ok((registrations, devices))
}

/// The contract a GPS device was fitted under, for the caller's checks.
pub async fn device_contract(db: &impl ConnectionTrait, id: i64) -> AppResult<Option<i64>> {
    Ok(gps_device::Entity::find_by_id(id)
        .one(db)
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::not_found("GPS device"))?
        .contract_id)
}

/// The contract a registration belongs to, for the caller's checks.
pub async fn registration_contract(db: &impl ConnectionTrait, id: i64) -> AppResult<i64> {
    Ok(registration::Entity::find_by_id(id)
        .one(db)
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::not_found("collateral registration"))?
        .contract_id)
}
