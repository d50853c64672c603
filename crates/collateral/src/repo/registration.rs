//! `collateral_registrations`: a car held for a contract by mortgage or pledge, until released.

use sea_orm::entity::prelude::*;

use crate::domain::RegistrationStatus;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "collateral_registrations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub vehicle_id: i64,
    pub contract_id: i64,
    pub kind: String,
    pub status: RegistrationStatus,
    pub registry_office: Option<String>,
    pub certificate_no: Option<String>,
    pub registered_on: time::Date,
    pub yard: Option<String>,
    pub slot: Option<String>,
    pub keys_count: Option<i32>,
    pub condition_note: Option<String>,
    pub released_on: Option<time::Date>,
    pub release_basis: Option<String>,
    pub release_reason: Option<String>,
    pub settlement_cert_no: Option<String>,
    pub handover_note: Option<String>,
    pub released_by: Option<i64>,
    pub document_key: Option<String>,
    pub document_content_type: Option<String>,
    pub created_by: i64,
    pub version: i32,
    pub created_at: time::OffsetDateTime,
    pub updated_at: time::OffsetDateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
