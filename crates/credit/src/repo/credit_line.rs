//! `credit_lines`, `credit_line_transitions` and `credit_line_uses`.

use sea_orm::entity::prelude::*;

use crate::domain::credit_line::CreditLineStatus;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "credit_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub line_no: String,
    pub customer_id: i64,
    pub requested_amount: Decimal,
    pub approved_amount: Option<Decimal>,
    pub used_amount: Decimal,
    pub valid_from: time::Date,
    pub valid_until: time::Date,
    pub purpose: String,
    pub status: CreditLineStatus,
    pub frozen_reason: Option<String>,
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
    #[sea_orm(table_name = "credit_line_transitions")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub line_id: i64,
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

pub mod line_use {
    //! Insert-only: every use of a line and every release.
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "credit_line_uses")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub line_id: i64,
        /// `use` or `release`.
        pub kind: String,
        pub amount: Decimal,
        pub reference_type: String,
        pub reference_id: i64,
        pub used_after: Decimal,
        pub actor_id: Option<i64>,
        pub actor_name: Option<String>,
        pub at: time::OffsetDateTime,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
