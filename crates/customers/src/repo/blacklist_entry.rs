//! The `blacklist_entries` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "blacklist_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub subject_kind: String,
    pub value_cipher: String,
    pub value_hash: String,
    pub subject_name: Option<String>,
    pub reason: String,
    pub source: String,
    pub effective_on: time::Date,
    pub expires_on: Option<time::Date>,
    pub status: String,
    pub lifted_at: Option<time::OffsetDateTime>,
    pub lifted_by: Option<i64>,
    pub lift_reason: Option<String>,
    pub created_by: Option<i64>,
    pub version: i32,
    pub created_at: time::OffsetDateTime,
    pub updated_at: time::OffsetDateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
