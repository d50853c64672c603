//! The `customer_bank_accounts` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "customer_bank_accounts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub customer_id: i64,
    pub bank_name: String,
    pub branch: Option<String>,
    pub account_type: String,
    pub number_cipher: String,
    pub number_hash: String,
    pub holder_name: String,
    pub is_primary: bool,
    pub status: iam::repo::status::Status,
    pub created_by: Option<i64>,
    pub version: i32,
    pub created_at: time::OffsetDateTime,
    pub updated_at: time::OffsetDateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
