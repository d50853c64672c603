//! The `vehicles` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "vehicles")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub vin: String,
    pub vin_override_reason: Option<String>,
    pub plate: Option<String>,
    pub brand: String,
    pub model: String,
    pub first_registered_on: time::Date,
    pub mileage_km: i64,
    pub colour: Option<String>,
    pub transmission: Option<String>,
    pub displacement: Option<String>,
    pub usage: String,
    pub accident: bool,
    pub flood: bool,
    pub fire: bool,
    pub inspection_expires_on: Option<time::Date>,
    pub insurance_expires_on: Option<time::Date>,
    pub owner_customer_id: Option<i64>,
    pub department_id: Option<i64>,
    pub created_by: i64,
    pub status: String,
    pub version: i32,
    pub created_at: time::OffsetDateTime,
    pub updated_at: time::OffsetDateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
