//! `loan_applications` and `loan_application_transitions`.

use sea_orm::entity::prelude::*;

use crate::domain::application::ApplicationStatus;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "loan_applications")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub application_no: String,
    pub customer_id: i64,
    pub product_id: i64,
    pub product_version: i32,
    pub amount: Decimal,
    pub term_months: i32,
    pub repayment_method: String,
    pub annual_rate: Decimal,
    pub purpose: String,
    pub vehicle_ids: Vec<i64>,
    pub guarantor_ids: Vec<i64>,
    pub credit_line_id: Option<i64>,
    pub status: ApplicationStatus,
    pub screening_id: Option<i64>,
    pub risk_decision: Option<String>,
    pub risk_grade: Option<String>,
    pub risk_score: Option<i32>,
    pub investigator_id: Option<i64>,
    pub assigned_at: Option<time::OffsetDateTime>,
    pub department_id: Option<i64>,
    pub created_by: i64,
    pub decided_at: Option<time::OffsetDateTime>,
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
    #[sea_orm(table_name = "loan_application_transitions")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub application_id: i64,
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
