//! `loan_contracts` and `loan_contract_transitions`.

use sea_orm::entity::prelude::*;

use crate::domain::contract::ContractStatus;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "loan_contracts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub contract_no: String,
    pub application_id: i64,
    pub status: ContractStatus,
    pub planned_disbursement_date: time::Date,
    /// [`crate::service::contracts::ContractTerms`] as JSON.
    pub terms: Json,
    pub scan_file_key: Option<String>,
    pub scan_content_type: Option<String>,
    pub signed_on: Option<time::Date>,
    pub signed_place: Option<String>,
    pub witnesses: Vec<String>,
    pub signed_by: Option<i64>,
    pub void_reason: Option<String>,
    pub created_by: i64,
    pub version: i32,
    pub created_at: time::OffsetDateTime,
    pub updated_at: time::OffsetDateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

pub mod transition {
    //! Insert-only: one row per status change.
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "loan_contract_transitions")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub contract_id: i64,
        pub from_status: Option<String>,
        pub to_status: String,
        pub action: String,
        pub actor_id: Option<i64>,
        pub actor_name: Option<String>,
        pub comment: Option<String>,
        pub at: time::OffsetDateTime,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
