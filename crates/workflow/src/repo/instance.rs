//! `flow_instances`: one run of a flow over one business record.

use sea_orm::entity::prelude::*;

use crate::domain::{BusinessType, InstanceStatus};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "flow_instances")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub definition_id: i64,
    pub definition_version: i32,
    pub business_type: BusinessType,
    pub business_id: i64,
    pub title: String,
    /// [`crate::domain::Facts`] as JSON.
    pub facts: Json,
    pub status: InstanceStatus,
    pub current_step: Option<String>,
    pub applicant_id: i64,
    pub applicant_department_id: Option<i64>,
    pub started_at: time::OffsetDateTime,
    pub ended_at: Option<time::OffsetDateTime>,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
