//! The `appraisals` table: insert-only, one row per appraisal of a vehicle.

use rust_decimal::Decimal;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "appraisals")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub vehicle_id: i64,
    pub value: Decimal,
    pub appraised_on: time::Date,
    pub method: String,
    pub condition_grade: String,
    pub notes: Option<String>,
    pub appraiser_id: i64,
    pub department_id: Option<i64>,
    pub created_at: time::OffsetDateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
