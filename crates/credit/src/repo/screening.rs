//! The `risk_screenings` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "risk_screenings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub customer_id: i64,
    pub rule_set_version: i32,
    pub input: Json,
    pub facts: Json,
    pub provider_calls: Json,
    pub score: i32,
    pub grade: String,
    pub decision: String,
    pub reasons: Json,
    pub score_lines: Json,
    pub rerun_of: Option<i64>,
    pub screened_by: Option<i64>,
    pub screened_at: time::OffsetDateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
