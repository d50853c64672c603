//! First start: the built-in administrator role and the `admin` user.

use sea_orm::{ActiveModelTrait, EntityTrait, NotSet, PaginatorTrait, Set, TransactionTrait};

use kernel::AppResult;

use super::{IamContext, audit, db_error};
use crate::domain::{password, permission};
use crate::repo::{role, user, user_role};

pub const ADMIN_ROLE: &str = "admin";
pub const ADMIN_USER: &str = "admin";

/// What the first start did, so the server can say it once.
#[derive(Debug)]
pub enum AdminBootstrap {
    AlreadyThere,
    Created { username: String },
}

/// Creates the administrator role (every permission, all data) and the `admin` user with
/// `initial_password` when no user exists yet. The password must be changed at first sign-in.
pub async fn ensure_admin(ctx: &IamContext, initial_password: &str) -> AppResult<AdminBootstrap> {
    let txn = ctx.db.begin().await.map_err(db_error)?;
    if user::Entity::find().count(&txn).await.map_err(db_error)? > 0 {
        return Ok(AdminBootstrap::AlreadyThere);
    }
    let now = ctx.clock.now();
    let admin_role = role::ActiveModel {
        id: NotSet,
        code: Set(ADMIN_ROLE.into()),
        name: Set("系统管理员".into()),
        description: Set(Some("Every permission over all data".into())),
        data_scope: Set("all".into()),
        permissions: Set(permission::all_codes()),
        builtin: Set(true),
        status: Set(crate::repo::status::Status::Active),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await
    .map_err(db_error)?;
    let admin = user::ActiveModel {
        id: NotSet,
        username: Set(ADMIN_USER.into()),
        display_name: Set("管理员".into()),
        password_hash: Set(password::hash(initial_password)?),
        department_id: Set(None),
        status: Set(crate::repo::status::Status::Active),
        must_change_password: Set(true),
        failed_attempts: Set(0),
        locked_until: Set(None),
        last_login_at: Set(None),
        password_changed_at: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await
    .map_err(db_error)?;
    user_role::ActiveModel {
        user_id: Set(admin.id),
        role_id: Set(admin_role.id),
    }
    .insert(&txn)
    .await
    .map_err(db_error)?;
    audit::record(
        &txn,
        None,
        now,
        audit::Change::new("user", admin.id, "bootstrap"),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(AdminBootstrap::Created {
        username: ADMIN_USER.into(),
    })
}

/// Keeps the built-in administrator role holding every permission in the catalogue, so a
/// release that adds permissions does not lock the administrator out of them.
pub async fn sync_admin_permissions(ctx: &IamContext) -> AppResult<()> {
    use sea_orm::{ColumnTrait, QueryFilter, sea_query::Expr};
    role::Entity::update_many()
        .col_expr(
            role::Column::Permissions,
            Expr::value(permission::all_codes()),
        )
        .filter(role::Column::Builtin.eq(true))
        .exec(&ctx.db)
        .await
        .map_err(db_error)?;
    Ok(())
}
