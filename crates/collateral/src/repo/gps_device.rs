//! `gps_devices`: a tracker fitted to a car, until removed.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "gps_devices")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub vehicle_id: i64,
    pub contract_id: Option<i64>,
    pub imei: String,
    pub sim_no: Option<String>,
    pub kind: String,
    pub install_place: String,
    pub installer: String,
    pub installed_on: time::Date,
    pub photo_key: Option<String>,
    pub status: String,
    pub removed_on: Option<time::Date>,
    pub removal_reason: Option<String>,
    pub created_by: i64,
    pub version: i32,
    pub created_at: time::OffsetDateTime,
    pub updated_at: time::OffsetDateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
