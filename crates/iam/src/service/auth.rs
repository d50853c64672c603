//! Sign-in (登录): passwords, lockout, token rotation with reuse detection, password change,
//! and resolving a request's token into an [`Actor`].

use std::collections::BTreeSet;

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, FromQueryResult,
    IntoActiveModel, NotSet, QueryFilter, QuerySelect, Set, Statement, TransactionTrait, Value,
};
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};
use utoipa::ToSchema;
use uuid::Uuid;

use kernel::{AppError, AppResult};

use super::tokens::{self, ACCESS_TTL, REFRESH_TTL};
use super::{IamContext, audit, db_error};
use crate::domain::password;
use crate::domain::permission::EVERYONE;
use crate::repo::{refresh_token, user};
use crate::{Actor, DataScope};

pub const MAX_FAILED_ATTEMPTS: i32 = 5;
pub const LOCKOUT: Duration = Duration::minutes(15);

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RefreshRequest {
    pub refresh_token: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChangePasswordRequest {
    pub current_password: String,
    pub new_password: String,
}

/// The signed-in user as the SPA needs it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Me {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub department_id: Option<i64>,
    pub roles: Vec<RoleRef>,
    pub permissions: Vec<String>,
    pub data_scope: DataScope,
    pub must_change_password: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema, FromQueryResult)]
#[serde(rename_all = "camelCase")]
pub struct RoleRef {
    pub id: i64,
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LoginResponse {
    pub access_token: String,
    pub refresh_token: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    pub must_change_password: bool,
    pub user: Me,
}

fn invalid_credentials() -> AppError {
    AppError::unauthenticated("invalid_credentials", "wrong username or password")
}

/// Checks the password; five failures in a row lock the account for fifteen minutes. The
/// failure count is committed even though the sign-in fails.
pub async fn login(ctx: &IamContext, request: &LoginRequest) -> AppResult<LoginResponse> {
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let Some(found) = user::Entity::find()
        .filter(user::Column::Username.eq(request.username.trim().to_lowercase()))
        .lock_exclusive()
        .one(&txn)
        .await
        .map_err(db_error)?
    else {
        // Same answer and comparable work as a wrong password, so usernames cannot be probed.
        let _ = password::verify(&request.password, DUMMY_HASH);
        return Err(invalid_credentials());
    };
    if found.status != crate::repo::status::Status::Active {
        return Err(AppError::unauthenticated(
            "account_disabled",
            "this account is disabled",
        ));
    }
    let mut failed = found.failed_attempts;
    if let Some(until) = found.locked_until {
        if until > now {
            return Err(AppError::unauthenticated(
                "account_locked",
                format!("too many failed sign-ins; try again after {until}"),
            ));
        }
        failed = 0;
    }
    if !password::verify(&request.password, &found.password_hash) {
        failed += 1;
        let locks = failed >= MAX_FAILED_ATTEMPTS;
        let mut row = found.clone().into_active_model();
        row.failed_attempts = Set(if locks { 0 } else { failed });
        row.locked_until = Set(locks.then_some(now + LOCKOUT));
        row.update(&txn).await.map_err(db_error)?;
        if locks {
            audit::record(
                &txn,
                None,
                now,
                audit::Change::new("user", found.id, "lock"),
            )
            .await?;
        }
        txn.commit().await.map_err(db_error)?;
        return Err(if locks {
            AppError::unauthenticated(
                "account_locked",
                "too many failed sign-ins; the account is locked for 15 minutes",
            )
        } else {
            invalid_credentials()
        });
    }
    let mut row = found.clone().into_active_model();
    row.failed_attempts = Set(0);
    row.locked_until = Set(None);
    row.last_login_at = Set(Some(now));
    row.update(&txn).await.map_err(db_error)?;
    let response = start_session(&txn, ctx, found.id, Uuid::new_v4(), now).await?;
    txn.commit().await.map_err(db_error)?;
    Ok(response)
}

/// A well-formed argon2id hash that matches no password.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$PxnSGT3Jx1rmyPI3sQvGKCPqbo0dMvBdWfW2nVQnEt4";

/// Exchanges a refresh token for a new pair. A token that was already rotated means it leaked:
/// the whole sign-in is revoked.
pub async fn refresh(ctx: &IamContext, request: &RefreshRequest) -> AppResult<LoginResponse> {
    let now = ctx.clock.now();
    let hash = tokens::hash_refresh_token(&request.refresh_token);
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let invalid = || AppError::unauthenticated("refresh_token_invalid", "sign in again");
    let Some(token) = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(hash))
        .lock_exclusive()
        .one(&txn)
        .await
        .map_err(db_error)?
    else {
        return Err(invalid());
    };
    if token.revoked_at.is_some() || token.expires_at <= now {
        return Err(invalid());
    }
    if token.rotated_at.is_some() {
        revoke_family(&txn, token.family_id, now).await?;
        audit::record(
            &txn,
            None,
            now,
            audit::Change::new("user", token.user_id, "refresh_token_reuse"),
        )
        .await?;
        txn.commit().await.map_err(db_error)?;
        return Err(AppError::unauthenticated(
            "refresh_token_reused",
            "this refresh token was already used; every session of this sign-in is ended",
        ));
    }
    let user = user::Entity::find_by_id(token.user_id)
        .one(&txn)
        .await
        .map_err(db_error)?
        .ok_or_else(invalid)?;
    if user.status != crate::repo::status::Status::Active {
        return Err(invalid());
    }
    let mut row = token.clone().into_active_model();
    row.rotated_at = Set(Some(now));
    row.update(&txn).await.map_err(db_error)?;
    let response = start_session(&txn, ctx, token.user_id, token.family_id, now).await?;
    txn.commit().await.map_err(db_error)?;
    Ok(response)
}

/// Ends the sign-in the refresh token belongs to. Unknown tokens are ignored: logging out twice
/// is not an error.
pub async fn logout(ctx: &IamContext, request: &RefreshRequest) -> AppResult<()> {
    let now = ctx.clock.now();
    let hash = tokens::hash_refresh_token(&request.refresh_token);
    if let Some(token) = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(hash))
        .one(&ctx.db)
        .await
        .map_err(db_error)?
    {
        revoke_family(&ctx.db, token.family_id, now).await?;
    }
    Ok(())
}

/// Changes the actor's own password, ends their other sign-ins and answers with fresh tokens.
pub async fn change_password(
    ctx: &IamContext,
    actor: &Actor,
    request: &ChangePasswordRequest,
) -> AppResult<LoginResponse> {
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let found = user::Entity::find_by_id(actor.user_id)
        .lock_exclusive()
        .one(&txn)
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::not_found("user"))?;
    if !password::verify(&request.current_password, &found.password_hash) {
        return Err(AppError::invalid_field(
            "currentPassword",
            "wrong_current_password",
            "the current password is not right",
        ));
    }
    password::check_policy("newPassword", &request.new_password, &found.username)?;
    if request.new_password == request.current_password {
        return Err(AppError::invalid_field(
            "newPassword",
            "password_reused",
            "choose a password different from the current one",
        ));
    }
    let mut row = found.clone().into_active_model();
    row.password_hash = Set(password::hash(&request.new_password)?);
    row.must_change_password = Set(false);
    row.password_changed_at = Set(Some(now));
    row.updated_at = Set(now);
    row.version = Set(found.version + 1);
    row.update(&txn).await.map_err(db_error)?;
    revoke_all(&txn, found.id, now).await?;
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("user", found.id, "change_password"),
    )
    .await?;
    let response = start_session(&txn, ctx, found.id, Uuid::new_v4(), now).await?;
    txn.commit().await.map_err(db_error)?;
    Ok(response)
}

/// Issues a refresh token in `family` and an access token, and describes the user.
async fn start_session(
    db: &impl ConnectionTrait,
    ctx: &IamContext,
    user_id: i64,
    family: Uuid,
    now: OffsetDateTime,
) -> AppResult<LoginResponse> {
    let (refresh, hash) = tokens::new_refresh_token();
    refresh_token::ActiveModel {
        id: NotSet,
        family_id: Set(family),
        user_id: Set(user_id),
        token_hash: Set(hash),
        issued_at: Set(now),
        expires_at: Set(now + REFRESH_TTL),
        rotated_at: Set(None),
        revoked_at: Set(None),
    }
    .insert(db)
    .await
    .map_err(db_error)?;
    let access = tokens::issue_access(&ctx.tokens, user_id, &family.to_string(), now)?;
    let actor = load_actor(db, user_id, None).await?;
    let user = me(db, &actor).await?;
    Ok(LoginResponse {
        access_token: access,
        refresh_token: refresh,
        expires_in: ACCESS_TTL.whole_seconds(),
        must_change_password: user.must_change_password,
        user,
    })
}

async fn revoke_family(
    db: &impl ConnectionTrait,
    family: Uuid,
    now: OffsetDateTime,
) -> AppResult<()> {
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(now))
        .filter(refresh_token::Column::FamilyId.eq(family))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await
        .map_err(db_error)?;
    Ok(())
}

/// Ends every sign-in of a user (password change, reset, disable).
pub async fn revoke_all(
    db: &impl ConnectionTrait,
    user_id: i64,
    now: OffsetDateTime,
) -> AppResult<()> {
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(now))
        .filter(refresh_token::Column::UserId.eq(user_id))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await
        .map_err(db_error)?;
    Ok(())
}

use sea_orm::sea_query::Expr;

/// Resolves a bearer token into the acting user with their current roles: a role or
/// permission change takes effect on the next request, and a disabled user is refused at once.
pub async fn authenticate(
    ctx: &IamContext,
    bearer: &str,
    request_id: Option<String>,
) -> AppResult<Actor> {
    let user_id = tokens::verify_access(&ctx.tokens, bearer, ctx.clock.now())?;
    load_actor(&ctx.db, user_id, request_id).await
}

#[derive(FromQueryResult)]
struct ActorRow {
    id: i64,
    username: String,
    display_name: String,
    department_id: Option<i64>,
    department_path: Option<String>,
    status: String,
    must_change_password: bool,
    permissions: Vec<String>,
    scopes: Vec<String>,
}

pub async fn load_actor(
    db: &impl ConnectionTrait,
    user_id: i64,
    request_id: Option<String>,
) -> AppResult<Actor> {
    let row = ActorRow::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        r#"SELECT u.id, u.username, u.display_name, u.department_id, d.path AS department_path,
                  u.status, u.must_change_password,
                  COALESCE(array_agg(DISTINCT p) FILTER (WHERE p IS NOT NULL), '{}') AS permissions,
                  COALESCE(array_agg(DISTINCT r.data_scope) FILTER (WHERE r.id IS NOT NULL), '{}') AS scopes
             FROM users u
             LEFT JOIN departments d ON d.id = u.department_id
             LEFT JOIN user_roles ur ON ur.user_id = u.id
             LEFT JOIN roles r ON r.id = ur.role_id AND r.status = 'active'
             LEFT JOIN LATERAL unnest(r.permissions) AS p ON TRUE
            WHERE u.id = $1
            GROUP BY u.id, d.path"#,
        [Value::from(user_id)],
    ))
    .one(db)
    .await
    .map_err(db_error)?
    .ok_or_else(|| AppError::unauthenticated("unauthenticated", "unknown user"))?;
    if row.status != "active" {
        return Err(AppError::unauthenticated(
            "account_disabled",
            "this account is disabled",
        ));
    }
    let mut permissions: BTreeSet<String> = row.permissions.into_iter().collect();
    permissions.extend(EVERYONE.iter().map(|p| p.to_string()));
    Ok(Actor {
        user_id: row.id,
        username: row.username,
        display_name: row.display_name,
        department_id: row.department_id,
        department_path: row.department_path,
        permissions,
        data_scope: DataScope::widest(row.scopes.iter().filter_map(|s| DataScope::parse(s))),
        must_change_password: row.must_change_password,
        request_id,
    })
}

/// The actor as `GET /me` shows them.
pub async fn me(db: &impl ConnectionTrait, actor: &Actor) -> AppResult<Me> {
    let roles = RoleRef::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT r.id, r.code, r.name FROM roles r JOIN user_roles ur ON ur.role_id = r.id \
         WHERE ur.user_id = $1 ORDER BY r.id",
        [Value::from(actor.user_id)],
    ))
    .all(db)
    .await
    .map_err(db_error)?;
    Ok(Me {
        id: actor.user_id,
        username: actor.username.clone(),
        display_name: actor.display_name.clone(),
        department_id: actor.department_id,
        roles,
        permissions: actor.permissions.iter().cloned().collect(),
        data_scope: actor.data_scope,
        must_change_password: actor.must_change_password,
    })
}
