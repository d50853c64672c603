//! `flow_definitions`: one per business type, pointing at its current graph version.

use sea_orm::entity::prelude::*;

use crate::domain::BusinessType;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "flow_definitions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub business_type: BusinessType,
    pub name: String,
    pub current_version: i32,
    pub status: iam::repo::status::Status,
    pub version: i32,
    pub created_at: time::OffsetDateTime,
    pub updated_at: time::OffsetDateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
