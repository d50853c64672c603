//! The `vehicle_photos` table: which stored file is which photo of a vehicle.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "vehicle_photos")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub vehicle_id: i64,
    pub file_key: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub file_name: Option<String>,
    pub uploaded_by: Option<i64>,
    pub uploaded_at: time::OffsetDateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
