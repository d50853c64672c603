//! `flow_tasks`: the work item of one step, open until someone acts on it.

use sea_orm::entity::prelude::*;

use crate::domain::TaskStatus;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "flow_tasks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub instance_id: i64,
    pub step_key: String,
    pub step_name: String,
    pub candidate_ids: Vec<i64>,
    /// Set when the step is decided by a review committee.
    pub committee_id: Option<i64>,
    pub status: TaskStatus,
    pub action: Option<String>,
    pub comment: Option<String>,
    pub acted_by: Option<i64>,
    pub acted_by_name: Option<String>,
    pub created_at: time::OffsetDateTime,
    pub acted_at: Option<time::OffsetDateTime>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
