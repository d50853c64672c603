//! The `loan_products` table: one row per product, pointing at its current terms version.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "loan_products")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub code: String,
    pub name: String,
    pub description: Option<String>,
    /// The current version's collateral kind, kept here for the list filter.
    pub collateral_kind: String,
    pub status: iam::repo::status::Status,
    /// The `version_no` of the current terms.
    pub current_version: i32,
    /// Optimistic lock: grows with every change, terms or status.
    pub version: i32,
    pub created_at: time::OffsetDateTime,
    pub updated_at: time::OffsetDateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
