//! The `customers` table: individuals and enterprises side by side.

use rust_decimal::Decimal;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "customers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub id_number_cipher: Option<String>,
    pub id_number_hash: Option<String>,
    pub birth_date: Option<time::Date>,
    pub sex: Option<String>,
    pub mobile_cipher: Option<String>,
    pub mobile_hash: Option<String>,
    pub employer: Option<String>,
    pub monthly_income: Option<Decimal>,
    pub marital_status: Option<String>,
    pub education: Option<String>,
    pub credit_code: Option<String>,
    pub registered_capital: Option<Decimal>,
    pub founded_on: Option<time::Date>,
    pub industry: Option<String>,
    pub legal_rep_customer_id: Option<i64>,
    pub legal_rep_name: Option<String>,
    pub legal_rep_id_cipher: Option<String>,
    pub legal_rep_id_hash: Option<String>,
    pub addresses: Json,
    pub contacts: Json,
    pub grade_id: Option<i64>,
    pub manager_id: i64,
    pub department_id: Option<i64>,
    pub status: iam::repo::status::Status,
    pub created_by: Option<i64>,
    pub version: i32,
    pub created_at: time::OffsetDateTime,
    pub updated_at: time::OffsetDateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
