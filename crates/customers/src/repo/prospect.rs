//! The `prospects` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "prospects")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub mobile_cipher: String,
    pub mobile_hash: String,
    pub source: Option<String>,
    pub grade_id: Option<i64>,
    pub follow_up_on: Option<time::Date>,
    pub notes: Option<String>,
    pub manager_id: i64,
    pub department_id: Option<i64>,
    pub status: String,
    pub customer_id: Option<i64>,
    pub created_by: Option<i64>,
    pub version: i32,
    pub created_at: time::OffsetDateTime,
    pub updated_at: time::OffsetDateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
