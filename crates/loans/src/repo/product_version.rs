//! The `loan_product_versions` table: insert-only, one row per edit of a product's terms.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "loan_product_versions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub product_id: i64,
    pub version_no: i32,
    pub name: String,
    /// [`crate::domain::ProductTerms`] as JSON.
    pub terms: Json,
    /// The worst-case simple APR when the version was saved, 4 places of a percent.
    pub worst_apr_pct: Decimal,
    /// `ok` or `warning` (a refused version is never saved).
    pub cap_status: String,
    pub created_by: Option<i64>,
    pub created_by_name: Option<String>,
    pub created_at: time::OffsetDateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
