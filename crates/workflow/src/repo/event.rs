//! `flow_events`: insert-only history of an instance.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "flow_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub instance_id: i64,
    pub task_id: Option<i64>,
    /// `submit`, `approve`, `reject`, `return`, `transfer`, `resubmit`, `cancel`.
    pub action: String,
    pub step_key: Option<String>,
    pub step_name: Option<String>,
    /// The step the action led to: a step key, `end`, or `applicant`.
    pub to_step: Option<String>,
    pub actor_id: Option<i64>,
    pub actor_name: Option<String>,
    pub comment: Option<String>,
    pub at: time::OffsetDateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
