//! Customer documents (客户资料): ID card front and back, driving licence, proof of income,
//! business licence. Bytes go to the [`crate::FileStore`] under their SHA-256; the type is
//! sniffed from the content, never trusted from the client; images only where images are
//! expected.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, NotSet, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

use iam::Actor;
use iam::service::audit;
use kernel::{AppError, AppResult, ErrorKind};

use super::customers::find_row;
use super::{CustomersContext, db_error};
use crate::files::{MAX_FILE_BYTES, content_hash, sniff};
use crate::repo::document;

/// What a document is (资料类型).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// 身份证正面
    IdFront,
    /// 身份证反面
    IdBack,
    /// 驾驶证
    DrivingLicence,
    /// 收入证明 (image or PDF)
    IncomeProof,
    /// 营业执照
    BusinessLicence,
    /// Anything else (image or PDF).
    Other,
}

impl DocumentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::IdFront => "id_front",
            DocumentKind::IdBack => "id_back",
            DocumentKind::DrivingLicence => "driving_licence",
            DocumentKind::IncomeProof => "income_proof",
            DocumentKind::BusinessLicence => "business_licence",
            DocumentKind::Other => "other",
        }
    }

    fn images_only(self) -> bool {
        matches!(
            self,
            DocumentKind::IdFront | DocumentKind::IdBack | DocumentKind::DrivingLicence
        )
    }

    fn parse(s: &str) -> DocumentKind {
        serde_json::from_value(serde_json::Value::from(s)).unwrap_or(DocumentKind::Other)
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Document {
    pub id: i64,
    pub customer_id: i64,
    pub kind: DocumentKind,
    /// Sniffed from the content: `image/jpeg`, `image/png`, `image/webp` or `application/pdf`.
    pub content_type: String,
    pub size_bytes: i64,
    /// SHA-256 of the content, hex.
    pub sha256: String,
    pub file_name: Option<String>,
    pub uploaded_by: Option<i64>,
    #[serde(with = "time::serde::rfc3339")]
    pub uploaded_at: OffsetDateTime,
}

impl From<document::Model> for Document {
    fn from(m: document::Model) -> Document {
        Document {
            id: m.id,
            customer_id: m.customer_id,
            kind: DocumentKind::parse(&m.kind),
            content_type: m.content_type,
            size_bytes: m.size_bytes,
            sha256: m.file_key,
            file_name: m.file_name,
            uploaded_by: m.uploaded_by,
            uploaded_at: m.uploaded_at,
        }
    }
}

/// Checks the bytes for `kind` and returns their content type.
pub fn accept(kind: DocumentKind, bytes: &[u8]) -> AppResult<&'static str> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(AppError::new(
            ErrorKind::PayloadTooLarge,
            "file_too_large",
            format!("a document may be at most {MAX_FILE_BYTES} bytes"),
        ));
    }
    if bytes.is_empty() {
        return Err(AppError::invalid_field(
            "file",
            "required",
            "the file is empty",
        ));
    }
    match sniff(bytes) {
        Some(t) if t.starts_with("image/") || !kind.images_only() => Ok(t),
        Some(_) => Err(AppError::invalid_field(
            "file",
            "image_required",
            "this document must be a JPEG, PNG or WebP image",
        )),
        None => Err(AppError::invalid_field(
            "file",
            "unsupported_file_type",
            "send a JPEG, PNG or WebP image or a PDF",
        )),
    }
}

pub async fn upload(
    ctx: &CustomersContext,
    actor: &Actor,
    customer_id: i64,
    kind: DocumentKind,
    file_name: Option<String>,
    bytes: &[u8],
) -> AppResult<Document> {
    find_row(&ctx.db, actor, customer_id).await?;
    let content_type = accept(kind, bytes)?;
    // The bytes are stored first: a failed transaction leaves an unreferenced file, never a
    // record without its file.
    let key = ctx.files.put(bytes).await?;
    debug_assert_eq!(key, content_hash(bytes));
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let saved: Document = document::ActiveModel {
        id: NotSet,
        customer_id: Set(customer_id),
        kind: Set(kind.as_str().into()),
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
        audit::Change::new("customer_document", saved.id, "upload").after(&saved),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(saved)
}

pub async fn list(
    ctx: &CustomersContext,
    actor: &Actor,
    customer_id: i64,
) -> AppResult<Vec<Document>> {
    find_row(&ctx.db, actor, customer_id).await?;
    let rows = document::Entity::find()
        .filter(document::Column::CustomerId.eq(customer_id))
        .order_by_asc(document::Column::Id)
        .all(&ctx.db)
        .await
        .map_err(db_error)?;
    Ok(rows.into_iter().map(Document::from).collect())
}

/// The document and its bytes.
pub async fn content(
    ctx: &CustomersContext,
    actor: &Actor,
    customer_id: i64,
    document_id: i64,
) -> AppResult<(Document, Vec<u8>)> {
    find_row(&ctx.db, actor, customer_id).await?;
    let found = document::Entity::find_by_id(document_id)
        .one(&ctx.db)
        .await
        .map_err(db_error)?
        .filter(|d| d.customer_id == customer_id)
        .ok_or_else(|| AppError::not_found("document"))?;
    let bytes = ctx.files.get(&found.file_key).await?;
    Ok((found.into(), bytes))
}
