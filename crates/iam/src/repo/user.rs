//! The `users` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub department_id: Option<i64>,
    pub status: super::status::Status,
    pub must_change_password: bool,
    pub failed_attempts: i32,
    pub locked_until: Option<time::OffsetDateTime>,
    pub last_login_at: Option<time::OffsetDateTime>,
    pub password_changed_at: Option<time::OffsetDateTime>,
    pub version: i32,
    pub created_at: time::OffsetDateTime,
    pub updated_at: time::OffsetDateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
