//! Mortgage and pledge queries (抵押查询 / 质押查询) and the GPS ledger, across contracts,
//! within the actor's data scope over the cars; plus the scans that go with them (the
//! registration certificate, the device as fitted).

use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, EntityTrait, FromQueryResult, IntoActiveModel, Set, TransactionTrait, Value,
};
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::{IntoParams, ToSchema};

use customers::files::sniff;
use iam::Actor;
use iam::service::{
    audit, scope,
    sql::{self, Where},
};
use kernel::{AppError, AppResult, Page, PageRequest};

use super::securing::{GpsDevice, Registration, SecurityKind};
use super::{CollateralContext, blank_to_none, db_error};
use crate::domain::RegistrationStatus;
use crate::repo::{gps_device, registration};

/// One held car, as the queries list it.
#[derive(Debug, Clone, Serialize, ToSchema, FromQueryResult)]
#[serde(rename_all = "camelCase")]
pub struct HoldingRow {
    pub id: i64,
    pub kind: String,
    pub status: RegistrationStatus,
    pub vehicle_id: i64,
    pub vin: String,
    pub plate: Option<String>,
    pub brand: String,
    pub model: String,
    pub contract_id: i64,
    pub contract_no: String,
    pub borrower_name: String,
    #[schema(value_type = Option<String>)]
    pub amount: Option<Decimal>,
    pub certificate_no: Option<String>,
    pub registry_office: Option<String>,
    pub yard: Option<String>,
    pub slot: Option<String>,
    pub registered_on: Date,
    pub released_on: Option<Date>,
    /// `settled` or `exception`, once released.
    pub release_basis: Option<String>,
    /// The contract's loan: `active` or `settled`; none before disbursement. A settled loan's
    /// car is released with the settlement certificate, any other only by an approved request.
    pub loan_status: Option<String>,
    /// Who asked for the early release and who approved it (released by exception).
    pub release_requested_by_name: Option<String>,
    pub release_approved_by_name: Option<String>,
    pub has_document: bool,
    pub version: i32,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct HoldingFilter {
    pub kind: Option<SecurityKind>,
    pub status: Option<RegistrationStatus>,
    /// VIN, plate, certificate number or contract number, in part.
    pub q: Option<String>,
}

const OWN: &str = "v.created_by = $?";

pub async fn holdings(
    ctx: &CollateralContext,
    actor: &Actor,
    filter: &HoldingFilter,
    page: &PageRequest,
) -> AppResult<Page<HoldingRow>> {
    let mut w = Where::new();
    scope::restrict(&mut w, actor, "v.department_id", OWN);
    if let Some(kind) = filter.kind {
        w.and("r.kind = $?", [Value::from(kind.as_str())]);
    }
    if let Some(status) = filter.status {
        w.and("r.status = $?", [Value::from(status.as_str())]);
    }
    if let Some(q) = blank_to_none(&filter.q) {
        let q = sql::contains(&q.to_uppercase());
        w.and(
            "(v.vin LIKE $? OR v.plate LIKE $? OR r.certificate_no ILIKE $? OR k.contract_no LIKE $?)",
            [
                Value::from(q.clone()),
                Value::from(q.clone()),
                Value::from(q.clone()),
                Value::from(q),
            ],
        );
    }
    // The loan and the approved request only add columns: the total counts without them.
    let rows: Page<HoldingRow> = w
        .page_counting_over(
            &ctx.db,
            "r.id, r.kind, r.status, r.vehicle_id, v.vin, v.plate, v.brand, v.model, \
             r.contract_id, k.contract_no, k.terms->>'borrowerName' AS borrower_name, \
             (k.terms->>'amount')::numeric AS amount, r.certificate_no, r.registry_office, \
             r.yard, r.slot, r.registered_on, r.released_on, r.release_basis, \
             l.status AS loan_status, qu.display_name AS release_requested_by_name, \
             vu.display_name AS release_approved_by_name, \
             (r.document_key IS NOT NULL) AS has_document, r.version",
            "collateral_registrations r JOIN vehicles v ON v.id = r.vehicle_id \
             JOIN loan_contracts k ON k.id = r.contract_id \
             LEFT JOIN loans l ON l.contract_id = r.contract_id \
             LEFT JOIN collateral_release_requests q ON q.registration_id = r.id AND q.status = 'approved' \
             LEFT JOIN users qu ON qu.id = q.requested_by LEFT JOIN users vu ON vu.id = q.reviewed_by",
            "collateral_registrations r JOIN vehicles v ON v.id = r.vehicle_id \
             JOIN loan_contracts k ON k.id = r.contract_id",
            "r.id DESC",
            page,
        )
        .await?;
    Ok(rows)
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct GpsFilter {
    /// `installed` or `removed`.
    pub status: Option<String>,
    /// IMEI, VIN or plate, in part.
    pub q: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema, FromQueryResult)]
#[serde(rename_all = "camelCase")]
pub struct GpsRow {
    pub id: i64,
    pub imei: String,
    pub sim_no: Option<String>,
    pub kind: String,
    pub status: String,
    pub vehicle_id: i64,
    pub vin: String,
    pub plate: Option<String>,
    pub contract_id: Option<i64>,
    pub install_place: String,
    pub installer: String,
    pub installed_on: Date,
    pub removed_on: Option<Date>,
    pub has_photo: bool,
}

/// The GPS ledger (GPS台账).
pub async fn devices(
    ctx: &CollateralContext,
    actor: &Actor,
    filter: &GpsFilter,
    page: &PageRequest,
) -> AppResult<Page<GpsRow>> {
    let mut w = Where::new();
    scope::restrict(&mut w, actor, "v.department_id", OWN);
    if let Some(status) = blank_to_none(&filter.status) {
        w.and("g.status = $?", [Value::from(status)]);
    }
    if let Some(q) = blank_to_none(&filter.q) {
        let q = sql::contains(&q.to_uppercase());
        w.and(
            "(g.imei LIKE $? OR v.vin LIKE $? OR v.plate LIKE $?)",
            [
                Value::from(q.clone()),
                Value::from(q.clone()),
                Value::from(q),
            ],
        );
    }
    w.page(
        &ctx.db,
        "g.id, g.imei, g.sim_no, g.kind, g.status, g.vehicle_id, v.vin, v.plate, g.contract_id, \
         g.install_place, g.installer, g.installed_on, g.removed_on, \
         (g.photo_key IS NOT NULL) AS has_photo",
        "gps_devices g JOIN vehicles v ON v.id = g.vehicle_id",
        "g.id DESC",
        page,
    )
    .await
}

fn accept(bytes: &[u8]) -> AppResult<&'static str> {
    if bytes.len() > customers::files::MAX_FILE_BYTES {
        return Err(super::photos::too_large());
    }
    sniff(bytes).ok_or_else(|| {
        AppError::invalid_field(
            "file",
            "unsupported_type",
            "upload a JPEG, PNG or WebP photo or a PDF",
        )
    })
}

/// Attaches the scan of the registration certificate (or the pledge hand-over sheet).
pub async fn attach_registration_document(
    ctx: &CollateralContext,
    actor: &Actor,
    id: i64,
    bytes: &[u8],
) -> AppResult<Registration> {
    let content_type = accept(bytes)?;
    let key = ctx.files.put(bytes).await?;
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let found = registration::Entity::find_by_id(id)
        .one(&txn)
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::not_found("collateral registration"))?;
    super::vehicles::get(&txn, actor, found.vehicle_id).await?;
    let version = found.version + 1;
    let mut active = found.into_active_model();
    active.document_key = Set(Some(key));
    active.document_content_type = Set(Some(content_type.into()));
    active.version = Set(version);
    active.updated_at = Set(now);
    let saved: Registration = active.update(&txn).await.map_err(db_error)?.into();
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("collateral_registration", id, "attach_document").after(&saved),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}

/// Attaches the photo of a fitted device.
pub async fn attach_gps_photo(
    ctx: &CollateralContext,
    actor: &Actor,
    id: i64,
    bytes: &[u8],
) -> AppResult<GpsDevice> {
    let content_type = accept(bytes)?;
    if !content_type.starts_with("image/") {
        return Err(AppError::invalid_field(
            "file",
            "image_required",
            "the device as fitted is a photo: JPEG, PNG or WebP",
        ));
    }
    let key = ctx.files.put(bytes).await?;
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let found = gps_device::Entity::find_by_id(id)
        .one(&txn)
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::not_found("GPS device"))?;
    super::vehicles::get(&txn, actor, found.vehicle_id).await?;
    let version = found.version + 1;
    let mut active = found.into_active_model();
    active.photo_key = Set(Some(key));
    active.version = Set(version);
    active.updated_at = Set(now);
    let saved: GpsDevice = active.update(&txn).await.map_err(db_error)?.into();
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("gps_device", id, "attach_photo").after(&saved),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}

/// A registration's document or a device's photo: content type and bytes.
pub async fn attachment(
    ctx: &CollateralContext,
    actor: &Actor,
    registration_id: Option<i64>,
    device_id: Option<i64>,
) -> AppResult<(String, Vec<u8>)> {
    let (vehicle, key, kind) = match (registration_id, device_id) {
        (Some(id), _) => {
            let r = registration::Entity::find_by_id(id)
                .one(&ctx.db)
                .await
                .map_err(db_error)?
                .ok_or_else(|| AppError::not_found("collateral registration"))?;
            (r.vehicle_id, r.document_key, r.document_content_type)
        }
        (None, Some(id)) => {
            let g = gps_device::Entity::find_by_id(id)
                .one(&ctx.db)
                .await
                .map_err(db_error)?
                .ok_or_else(|| AppError::not_found("GPS device"))?;
            let bytes_kind = g.photo_key.as_ref().map(|_| "image".to_string());
            (g.vehicle_id, g.photo_key, bytes_kind)
        }
        _ => return Err(AppError::not_found("attachment")),
    };
    super::vehicles::get(&ctx.db, actor, vehicle).await?;
    let (Some(key), Some(_)) = (key, kind) else {
        return Err(AppError::not_found("attachment"));
    };
    let bytes = ctx.files.get(&key).await?;
    let content_type = sniff(&bytes).unwrap_or("application/octet-stream");
    Ok((content_type.to_string(), bytes))
}
