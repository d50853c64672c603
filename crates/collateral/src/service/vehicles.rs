//! Vehicles (车辆): registered with a checked VIN and plate, one active vehicle per VIN, edited
//! with their version; the newest appraisal is shown as the vehicle's current value.

use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DbBackend, EntityTrait, FromQueryResult, IntoActiveModel,
    NotSet, Set, Statement, TransactionTrait, Value,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use time::{Date, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};

use iam::service::{audit, check_version, scope, sql::Where};
use iam::{Actor, DataScope};
use kernel::error::FieldErrors;
use kernel::{AppError, AppResult, Money, Page, PageRequest};
use rust_decimal::Decimal;

use super::{CollateralContext, blank_to_none, db_error, like_escape, parse_snake, snake, today};
use crate::domain::vin::INVALID_CHECK_DIGIT;
use crate::domain::{PlateNumber, Vin};
use crate::repo::vehicle;

/// The largest odometer reading accepted, in km.
pub const MAX_MILEAGE_KM: i64 = 5_000_000;

/// Gearbox (变速箱).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Transmission {
    /// 手动
    Manual,
    /// 自动
    Automatic,
    /// 无级变速
    Cvt,
    /// 双离合
    Dct,
    /// 电动车单速
    SingleSpeed,
}

/// What the car is used for (使用性质).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VehicleUsage {
    /// 非营运 (private)
    Private,
    /// 营运 (commercial: freight, passenger transport)
    Commercial,
    /// 网约车 (ride-hailing)
    RideHailing,
    /// 租赁 (rental)
    Rental,
    Other,
}

/// A vehicle to register or update.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VehicleRegistration {
    /// 17 characters, no I, O or Q; the 9th is the ISO 3779 check digit.
    pub vin: String,
    /// Accept a VIN whose check digit fails (some imported cars); needs `overrideReason` and is
    /// audited (`override_vin_check_digit`).
    #[serde(default)]
    pub vin_override: bool,
    pub override_reason: Option<String>,
    /// e.g. 京A12345, or 8 characters for a new-energy plate. Empty for an unregistered car.
    pub plate: Option<String>,
    pub brand: String,
    pub model: String,
    /// First registration (初次登记日期); not in the future.
    pub first_registered_on: Date,
    /// Odometer reading in km, ≥ 0.
    pub mileage_km: i64,
    pub colour: Option<String>,
    pub transmission: Option<Transmission>,
    /// e.g. `1.5T`, `2.0L`; empty for an electric car.
    pub displacement: Option<String>,
    pub usage: VehicleUsage,
    /// 事故车
    #[serde(default)]
    pub accident: bool,
    /// 泡水车
    #[serde(default)]
    pub flood: bool,
    /// 火烧车
    #[serde(default)]
    pub fire: bool,
    /// Annual inspection valid until (年检有效期).
    pub inspection_expires_on: Option<Date>,
    /// Compulsory insurance valid until (交强险到期).
    pub insurance_expires_on: Option<Date>,
    /// The owning customer, when known.
    pub owner_customer_id: Option<i64>,
    /// Required when updating: the version you edited.
    pub version: Option<i32>,
}

/// A vehicle as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Vehicle {
    pub id: i64,
    pub vin: String,
    /// False when the VIN was accepted by an override.
    pub vin_check_digit_valid: bool,
    pub vin_override_reason: Option<String>,
    pub plate: Option<String>,
    pub brand: String,
    pub model: String,
    pub first_registered_on: Date,
    pub mileage_km: i64,
    pub colour: Option<String>,
    pub transmission: Option<Transmission>,
    pub displacement: Option<String>,
    pub usage: VehicleUsage,
    pub accident: bool,
    pub flood: bool,
    pub fire: bool,
    pub inspection_expires_on: Option<Date>,
    pub insurance_expires_on: Option<Date>,
    pub owner_customer_id: Option<i64>,
    pub owner_name: Option<String>,
    pub department_id: Option<i64>,
    pub created_by: i64,
    pub created_by_name: String,
    /// The newest appraisal's value (the vehicle's current value), if appraised.
    pub current_value: Option<Money>,
    pub last_appraised_on: Option<Date>,
    pub appraisal_count: i64,
    pub version: i32,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

#[derive(Debug, Clone, FromQueryResult)]
struct VehicleRow {
    id: i64,
    vin: String,
    vin_override_reason: Option<String>,
    plate: Option<String>,
    brand: String,
    model: String,
    first_registered_on: Date,
    mileage_km: i64,
    colour: Option<String>,
    transmission: Option<String>,
    displacement: Option<String>,
    usage: String,
    accident: bool,
    flood: bool,
    fire: bool,
    inspection_expires_on: Option<Date>,
    insurance_expires_on: Option<Date>,
    owner_customer_id: Option<i64>,
    owner_name: Option<String>,
    department_id: Option<i64>,
    created_by: i64,
    created_by_name: String,
    current_value: Option<Decimal>,
    last_appraised_on: Option<Date>,
    appraisal_count: i64,
    version: i32,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

impl From<VehicleRow> for Vehicle {
    fn from(r: VehicleRow) -> Vehicle {
        Vehicle {
            id: r.id,
            vin_check_digit_valid: Vin::parse(&r.vin).is_ok(),
            vin: r.vin,
            vin_override_reason: r.vin_override_reason,
            plate: r.plate,
            brand: r.brand,
            model: r.model,
            first_registered_on: r.first_registered_on,
            mileage_km: r.mileage_km,
            colour: r.colour,
            transmission: r.transmission.as_deref().and_then(parse_snake),
            displacement: r.displacement,
            usage: parse_snake(&r.usage).unwrap_or(VehicleUsage::Other),
            accident: r.accident,
            flood: r.flood,
            fire: r.fire,
            inspection_expires_on: r.inspection_expires_on,
            insurance_expires_on: r.insurance_expires_on,
            owner_customer_id: r.owner_customer_id,
            owner_name: r.owner_name,
            department_id: r.department_id,
            created_by: r.created_by,
            created_by_name: r.created_by_name,
            current_value: r.current_value.map(Money::round),
            last_appraised_on: r.last_appraised_on,
            appraisal_count: r.appraisal_count,
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

const COLUMNS: &str = "v.id, v.vin, v.vin_override_reason, v.plate, v.brand, v.model, \
    v.first_registered_on, v.mileage_km, v.colour, v.transmission, v.displacement, v.usage, \
    v.accident, v.flood, v.fire, v.inspection_expires_on, v.insurance_expires_on, \
    v.owner_customer_id, c.name AS owner_name, v.department_id, v.created_by, \
    u.display_name AS created_by_name, la.value AS current_value, \
    la.appraised_on AS last_appraised_on, \
    (SELECT COUNT(*) FROM appraisals n WHERE n.vehicle_id = v.id) AS appraisal_count, \
    v.version, v.created_at, v.updated_at";
const FROM: &str = "vehicles v JOIN users u ON u.id = v.created_by \
    LEFT JOIN customers c ON c.id = v.owner_customer_id \
    LEFT JOIN LATERAL (SELECT a.value, a.appraised_on FROM appraisals a \
        WHERE a.vehicle_id = v.id ORDER BY a.appraised_on DESC, a.id DESC LIMIT 1) la ON TRUE";
/// A vehicle is one's own when one registered it.
const OWN: &str = "v.created_by = $?";

/// The vehicle as `actor` may see it, or 404.
pub async fn get(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<Vehicle> {
    let mut w = Where::new();
    w.and("v.id = $?", [Value::from(id)]);
    scope::restrict(&mut w, actor, "v.department_id", OWN);
    let sql = format!("SELECT {COLUMNS} FROM {FROM} WHERE {}", w.sql());
    VehicleRow::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        &sql,
        w.values(),
    ))
    .one(db)
    .await
    .map_err(db_error)?
    .map(Vehicle::from)
    .ok_or_else(|| AppError::not_found("vehicle"))
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct VehicleFilter {
    /// Exact VIN.
    pub vin: Option<String>,
    /// Part of the plate.
    pub plate: Option<String>,
    /// The start of the brand.
    pub brand: Option<String>,
    pub owner_customer_id: Option<i64>,
}

/// Lists vehicles within the actor's data scope, newest first.
pub async fn list(
    ctx: &CollateralContext,
    actor: &Actor,
    filter: &VehicleFilter,
    page: &PageRequest,
) -> AppResult<Page<Vehicle>> {
    let mut w = Where::new();
    scope::restrict(&mut w, actor, "v.department_id", OWN);
    if let Some(vin) = blank_to_none(&filter.vin) {
        w.and("v.vin = $?", [Value::from(normalise(&vin))]);
    }
    if let Some(plate) = blank_to_none(&filter.plate) {
        let plate = like_escape(&plate.to_uppercase());
        w.and("v.plate LIKE $?", [Value::from(format!("%{plate}%"))]);
    }
    if let Some(brand) = blank_to_none(&filter.brand) {
        w.and(
            "v.brand ILIKE $?",
            [Value::from(format!("{}%", like_escape(&brand)))],
        );
    }
    if let Some(owner) = filter.owner_customer_id {
        w.and("v.owner_customer_id = $?", [Value::from(owner)]);
    }
    let rows: Page<VehicleRow> = w
        .page(&ctx.db, COLUMNS, FROM, "v.created_at DESC, v.id DESC", page)
        .await?;
    Ok(rows.map(Vehicle::from))
}

/// A VIN as typed, upper-cased without separators, for exact search.
pub(crate) fn normalise(vin: &str) -> String {
    vin.chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .collect::<String>()
        .to_ascii_uppercase()
}

/// The input once every rule holds.
struct Valid {
    vin: Vin,
    override_reason: Option<String>,
    plate: Option<PlateNumber>,
    brand: String,
    model: String,
}

fn check(input: &VehicleRegistration, on: Date) -> AppResult<Valid> {
    let mut errors = FieldErrors::new();
    let reason = blank_to_none(&input.override_reason);
    let vin = match Vin::parse(&input.vin) {
        Ok(vin) => Some((vin, None)),
        Err(e) if e == INVALID_CHECK_DIGIT && input.vin_override => match reason {
            Some(reason) if reason.chars().count() <= 500 => {
                Vin::parse_overriding_check_digit(&input.vin)
                    .ok()
                    .map(|v| (v, Some(reason)))
            }
            Some(_) => {
                errors.add("overrideReason", "too_long", "at most 500 characters");
                None
            }
            None => {
                errors.add(
                    "overrideReason",
                    "required",
                    "say why the VIN is accepted with a failing check digit",
                );
                None
            }
        },
        Err(e) => {
            e.at(&mut errors, "vin");
            None
        }
    };
    let plate = blank_to_none(&input.plate).and_then(|p| {
        PlateNumber::parse(&p)
            .map_err(|e| e.at(&mut errors, "plate"))
            .ok()
    });
    let mut text = |field: &str, value: &str| {
        let value = value.trim().to_string();
        if value.is_empty() {
            errors.add(field, "required", format!("{field} is required"));
        } else if value.chars().count() > 100 {
            errors.add(field, "too_long", "at most 100 characters");
        }
        value
    };
    let brand = text("brand", &input.brand);
    let model = text("model", &input.model);
    if input.first_registered_on > on {
        errors.add(
            "firstRegisteredOn",
            "in_future",
            "the first registration cannot be after today",
        );
    }
    if input.mileage_km < 0 {
        errors.add("mileageKm", "negative", "mileage cannot be negative");
    } else if input.mileage_km > MAX_MILEAGE_KM {
        errors.add("mileageKm", "too_large", "mileage is not plausible");
    }
    for (field, value) in [
        ("colour", &input.colour),
        ("displacement", &input.displacement),
    ] {
        if value.as_ref().is_some_and(|v| v.chars().count() > 50) {
            errors.add(field, "too_long", "at most 50 characters");
        }
    }
    errors.finish()?;
    let (vin, override_reason) = vin.expect("checked");
    Ok(Valid {
        vin,
        override_reason,
        plate,
        brand,
        model,
    })
}

/// The owner, when given, must be a customer.
async fn check_owner(db: &impl ConnectionTrait, owner: Option<i64>) -> AppResult<()> {
    if let Some(id) = owner {
        let found = customers::repo::customer::Entity::find_by_id(id)
            .one(db)
            .await
            .map_err(db_error)?;
        if found.is_none() {
            return Err(AppError::invalid_field(
                "ownerCustomerId",
                "unknown_reference",
                "no such customer",
            ));
        }
    }
    Ok(())
}

fn apply(m: &mut vehicle::ActiveModel, input: &VehicleRegistration, valid: Valid) {
    m.vin = Set(valid.vin.as_str().to_string());
    m.vin_override_reason = Set(valid.override_reason);
    m.plate = Set(valid.plate.map(|p| p.as_str().to_string()));
    m.brand = Set(valid.brand);
    m.model = Set(valid.model);
    m.first_registered_on = Set(input.first_registered_on);
    m.mileage_km = Set(input.mileage_km);
    m.colour = Set(blank_to_none(&input.colour));
    m.transmission = Set(input.transmission.map(|t| snake(&t)));
    m.displacement = Set(blank_to_none(&input.displacement));
    m.usage = Set(snake(&input.usage));
    m.accident = Set(input.accident);
    m.flood = Set(input.flood);
    m.fire = Set(input.fire);
    m.inspection_expires_on = Set(input.inspection_expires_on);
    m.insurance_expires_on = Set(input.insurance_expires_on);
    m.owner_customer_id = Set(input.owner_customer_id);
}

/// Audits an accepted failing check digit on its own, so it can be searched for.
async fn audit_override(
    db: &impl ConnectionTrait,
    actor: &Actor,
    now: OffsetDateTime,
    saved: &Vehicle,
) -> AppResult<()> {
    audit::record(
        db,
        Some(actor),
        now,
        audit::Change {
            entity: "vehicle",
            entity_id: saved.id.to_string(),
            action: "override_vin_check_digit",
            before: None,
            after: Some(json!({"vin": saved.vin, "reason": saved.vin_override_reason})),
        },
    )
    .await
}

/// Whoever registered a vehicle may read it back whatever their scope.
fn unscoped(actor: &Actor) -> Actor {
    Actor {
        data_scope: DataScope::All,
        ..actor.clone()
    }
}

pub async fn create(
    ctx: &CollateralContext,
    actor: &Actor,
    input: &VehicleRegistration,
) -> AppResult<Vehicle> {
    let valid = check(input, today(&ctx.clock))?;
    let overridden = valid.override_reason.is_some();
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    check_owner(&txn, input.owner_customer_id).await?;
    let mut m = vehicle::ActiveModel {
        id: NotSet,
        department_id: Set(actor.department_id),
        created_by: Set(actor.user_id),
        status: Set("active".into()),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    apply(&mut m, input, valid);
    let row = m.insert(&txn).await.map_err(db_error)?;
    let saved = get(&txn, &unscoped(actor), row.id).await?;
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("vehicle", saved.id, "create").after(&saved),
    )
    .await?;
    if overridden {
        audit_override(&txn, actor, now, &saved).await?;
    }
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}

pub async fn update(
    ctx: &CollateralContext,
    actor: &Actor,
    id: i64,
    input: &VehicleRegistration,
) -> AppResult<Vehicle> {
    let before = get(&ctx.db, actor, id).await?;
    let Some(version) = input.version else {
        return Err(AppError::invalid_field(
            "version",
            "required",
            "send the version you edited",
        ));
    };
    let valid = check(input, today(&ctx.clock))?;
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let row = vehicle::Entity::find_by_id(id)
        .one(&txn)
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::not_found("vehicle"))?;
    check_version("vehicle", row.version, version)?;
    check_owner(&txn, input.owner_customer_id).await?;
    let newly_overridden = valid.override_reason.is_some()
        && (before.vin != valid.vin.as_str()
            || before.vin_override_reason != valid.override_reason);
    let mut m = row.into_active_model();
    apply(&mut m, input, valid);
    m.version = Set(version + 1);
    m.updated_at = Set(now);
    m.update(&txn).await.map_err(db_error)?;
    let saved = get(&txn, &unscoped(actor), id).await?;
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("vehicle", id, "update")
            .before(&before)
            .after(&saved),
    )
    .await?;
    if newly_overridden {
        audit_override(&txn, actor, now, &saved).await?;
    }
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}
