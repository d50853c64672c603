//! Vehicle photos (车辆照片), taken on the appraiser's phone. Bytes go to the customers crate's
//! [`customers::FileStore`] under their SHA-256; the type is sniffed from the content, never
//! trusted from the client, and only images are accepted.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, NotSet, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};
use serde::Serialize;
use time::OffsetDateTime;
use utoipa::ToSchema;

use customers::files::{MAX_FILE_BYTES, sniff};
use iam::Actor;
use iam::service::audit;
use kernel::{AppError, AppResult, ErrorKind};

use super::vehicles::get;
use super::{CollateralContext, db_error};
use crate::repo::photo;

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VehiclePhoto {
    pub id: i64,
    pub vehicle_id: i64,
    /// Sniffed from the content: `image/jpeg`, `image/png` or `image/webp`.
    pub content_type: String,
    pub size_bytes: i64,
    /// SHA-256 of the content, hex.
    pub sha256: String,
    pub file_name: Option<String>,
    pub uploaded_by: Option<i64>,
    #[serde(with = "time::serde::rfc3339")]
    pub uploaded_at: OffsetDateTime,
}

impl From<photo::Model> for VehiclePhoto {
    fn from(m: photo::Model) -> VehiclePhoto {
        VehiclePhoto {
            id: m.id,
            vehicle_id: m.vehicle_id,
            content_type: m.content_type,
            size_bytes: m.size_bytes,
            sha256: m.file_key,
            file_name: m.file_name,
            uploaded_by: m.uploaded_by,
            uploaded_at: m.uploaded_at,
        }
    }
}

/// The error for a body over [`MAX_FILE_BYTES`].
pub fn too_large() -> AppError {
    AppError::new(
        ErrorKind::PayloadTooLarge,
        "file_too_large",
        format!("a photo may be at most {MAX_FILE_BYTES} bytes"),
    )
}

/// Checks that the bytes are an image of an accepted size and returns their content type.
pub fn accept(bytes: &[u8]) -> AppResult<&'static str> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(too_large());
    }
    if bytes.is_empty() {
        return Err(AppError::invalid_field(
            "file",
            "required",
            "the file is empty",
        ));
    }
    match sniff(bytes) {
        Some(t) if t.starts_with("image/") => Ok(t),
        _ => Err(AppError::invalid_field(
            "file",
            "image_required",
            "a photo must be a JPEG, PNG or WebP image",
        )),
    }
}

pub async fn upload(
    ctx: &CollateralContext,
    actor: &Actor,
    vehicle_id: i64,
    file_name: Option<String>,
    bytes: &[u8],
) -> AppResult<VehiclePhoto> {
    get(&ctx.db, actor, vehicle_id).await?;
    let content_type = accept(bytes)?;
    // The bytes are stored first: a failed transaction leaves an unreferenced file, never a
    // record without its file.
    let key = ctx.files.put(bytes).await?;
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let saved: VehiclePhoto = photo::ActiveModel {
        id: NotSet,
        vehicle_id: Set(vehicle_id),
        file_key: Set(key),
        content_type: Set(content_type.into()),
        size_bytes: Set(bytes.len() as i64),
        file_name: Set(file_name
            .map(|n| n.chars().take(200).collect())
            .filter(|n: &String| !n.trim().is_empty())),
        uploaded_by: Set(Some(actor.user_id)),
        uploaded_at: Set(now),
    }
    .insert(&txn)
    .await
    .map_err(db_error)?
    .into();
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("vehicle_photo", saved.id, "upload").after(&saved),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}

pub async fn list(
    ctx: &CollateralContext,
    actor: &Actor,
    vehicle_id: i64,
) -> AppResult<Vec<VehiclePhoto>> {
    get(&ctx.db, actor, vehicle_id).await?;
    let rows = photo::Entity::find()
        .filter(photo::Column::VehicleId.eq(vehicle_id))
        .order_by_asc(photo::Column::Id)
        .all(&ctx.db)
        .await
        .map_err(db_error)?;
    Ok(rows.into_iter().map(VehiclePhoto::from).collect())
}

/// The photo and its bytes.
pub async fn content(
    ctx: &CollateralContext,
    actor: &Actor,
    vehicle_id: i64,
    photo_id: i64,
) -> AppResult<(VehiclePhoto, Vec<u8>)> {
    get(&ctx.db, actor, vehicle_id).await?;
    let found = photo::Entity::find_by_id(photo_id)
        .one(&ctx.db)
        .await
        .map_err(db_error)?
        .filter(|p| p.vehicle_id == vehicle_id)
        .ok_or_else(|| AppError::not_found("photo"))?;
    let bytes = ctx.files.get(&found.file_key).await?;
    Ok((found.into(), bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_images_are_photos() {
        assert_eq!(accept(b"\x89PNG\r\n\x1a\nrest").unwrap(), "image/png");
        assert_eq!(
            accept(b"%PDF-1.7").unwrap_err().field_errors[0].code,
            "image_required"
        );
        assert_eq!(accept(b"").unwrap_err().field_errors[0].code, "required");
        let big = vec![0xFFu8; MAX_FILE_BYTES + 1];
        assert_eq!(accept(&big).unwrap_err().code, "file_too_large");
    }
}
