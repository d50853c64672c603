//! A customer's bank accounts (客户银行卡) and documents (客户资料).

use actix_web::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use actix_web::{HttpResponse, get, post, web};
use customers::service::bank_accounts::{self, AccountChange, BankAccount, BankAccountInput};
use customers::service::documents::{self, Document, DocumentKind};
use iam::perm;
use iam::service::VersionBody;

use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Auth;
use crate::{ApiResult, AppState, Problem};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_bank_accounts)
        .service(add_bank_account)
        .service(make_bank_account_primary)
        .service(disable_bank_account)
        .service(list_documents)
        .service(upload_document)
        .service(document_content);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct RevealQuery {
    /// Show account numbers unmasked. Needs `customer:pii:view`; audited (`view_pii`).
    #[serde(default)]
    reveal: bool,
}

/// The customer's bank accounts, primary first.
///
/// Permission: `customer:read` (and `customer:pii:view` with `reveal=true`).
#[utoipa::path(tag = "customers", security(("bearer" = [])), params(("id" = i64, Path), RevealQuery), responses(
    (status = 200, body = Vec<BankAccount>),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
))]
#[get("/customers/{id}/bank-accounts")]
async fn list_bank_accounts(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    query: web::Query<RevealQuery>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::CUSTOMER_READ)?;
    Ok(HttpResponse::Ok()
        .json(bank_accounts::list(&state.customers, &actor, *id, query.reveal).await?))
}

/// Add a bank account: card numbers must pass the Luhn check, the holder must be the customer.
/// The first account, or one sent with `isPrimary`, becomes the primary one.
///
/// Permission: `customer:write`.
#[utoipa::path(tag = "customers", security(("bearer" = [])), params(("id" = i64, Path)), request_body = BankAccountInput, responses(
    (status = 201, body = BankAccount),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem),
    (status = 409, body = Problem, description = "`duplicate`: the customer already has this number"),
    (status = 422, body = Problem, description = "`invalid_card_luhn`, `holder_mismatch` …"),
))]
#[post("/customers/{id}/bank-accounts")]
async fn add_bank_account(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    body: web::Json<BankAccountInput>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::CUSTOMER_WRITE)?;
    Ok(HttpResponse::Created()
        .json(bank_accounts::add(&state.customers, &actor, *id, &body).await?))
}

/// Make an account the primary one.
///
/// Permission: `customer:write`.
#[utoipa::path(tag = "customers", security(("bearer" = [])), params(("id" = i64, Path), ("accountId" = i64, Path)), request_body = VersionBody, responses(
    (status = 200, body = BankAccount),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
    (status = 409, body = Problem),
))]
#[post("/customers/{id}/bank-accounts/{accountId}/make-primary")]
async fn make_bank_account_primary(
    state: web::Data<AppState>,
    actor: Auth,
    path: web::Path<(i64, i64)>,
    body: web::Json<VersionBody>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::CUSTOMER_WRITE)?;
    let (customer, account) = *path;
    Ok(HttpResponse::Ok().json(
        bank_accounts::change(
            &state.customers,
            &actor,
            customer,
            account,
            body.version,
            AccountChange::MakePrimary,
        )
        .await?,
    ))
}

/// Disable an account (it stops being primary).
///
/// Permission: `customer:write`.
#[utoipa::path(tag = "customers", security(("bearer" = [])), params(("id" = i64, Path), ("accountId" = i64, Path)), request_body = VersionBody, responses(
    (status = 200, body = BankAccount),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
    (status = 409, body = Problem),
))]
#[post("/customers/{id}/bank-accounts/{accountId}/disable")]
async fn disable_bank_account(
    state: web::Data<AppState>,
    actor: Auth,
    path: web::Path<(i64, i64)>,
    body: web::Json<VersionBody>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::CUSTOMER_WRITE)?;
    let (customer, account) = *path;
    Ok(HttpResponse::Ok().json(
        bank_accounts::change(
            &state.customers,
            &actor,
            customer,
            account,
            body.version,
            AccountChange::Disable,
        )
        .await?,
    ))
}

/// The customer's documents.
///
/// Permission: `customer:read`.
#[utoipa::path(tag = "customers", security(("bearer" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = Vec<Document>),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
))]
#[get("/customers/{id}/documents")]
async fn list_documents(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::CUSTOMER_READ)?;
    Ok(HttpResponse::Ok().json(documents::list(&state.customers, &actor, *id).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
struct UploadQuery {
    kind: DocumentKind,
    /// The original file name, kept for display.
    file_name: Option<String>,
}

/// Upload a document as the raw request body (up to 10 MiB). The type is read from the
/// content: ID card and driving licence scans must be images; others may also be PDF.
///
/// Permission: `customer:write`.
#[utoipa::path(tag = "customers", security(("bearer" = [])), params(("id" = i64, Path), UploadQuery),
    request_body(content = String, content_type = "application/octet-stream", description = "The file's bytes"),
    responses(
    (status = 201, body = Document),
    (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
    (status = 404, body = Problem), (status = 413, body = Problem, description = "`file_too_large`"),
    (status = 422, body = Problem, description = "`image_required`, `unsupported_file_type`"),
))]
#[post("/customers/{id}/documents")]
async fn upload_document(
    state: web::Data<AppState>,
    actor: Auth,
    id: web::Path<i64>,
    query: web::Query<UploadQuery>,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    actor.require(perm::CUSTOMER_WRITE)?;
    let bytes = super::upload_bytes(payload).await?;
    let saved = documents::upload(
        &state.customers,
        &actor,
        *id,
        query.kind,
        query.file_name.clone(),
        &bytes,
    )
    .await?;
    Ok(HttpResponse::Created().json(saved))
}

/// The bytes of one document, with its sniffed content type.
///
/// Permission: `customer:read`.
#[utoipa::path(tag = "customers", security(("bearer" = [])), params(("id" = i64, Path), ("documentId" = i64, Path)), responses(
    (status = 200, content_type = "application/octet-stream", body = String, description = "The file"),
    (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
))]
#[get("/customers/{id}/documents/{documentId}/content")]
async fn document_content(
    state: web::Data<AppState>,
    actor: Auth,
    path: web::Path<(i64, i64)>,
) -> ApiResult<HttpResponse> {
    actor.require(perm::CUSTOMER_READ)?;
    let (customer, document) = *path;
    let (doc, bytes) = documents::content(&state.customers, &actor, customer, document).await?;
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, doc.content_type.clone()))
        .insert_header((
            CONTENT_DISPOSITION,
            format!("inline; filename=\"document-{}\"", doc.id),
        ))
        .body(bytes))
}
