//! The `employees` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "employees")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub employee_no: String,
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub department_id: i64,
    pub position_id: Option<i64>,
    pub user_id: Option<i64>,
    pub hired_on: Option<time::Date>,
    pub status: super::status::Status,
    pub created_by: Option<i64>,
    pub version: i32,
    pub created_at: time::OffsetDateTime,
    pub updated_at: time::OffsetDateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
