//! `flow_definition_versions`: insert-only, one row per saved graph.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "flow_definition_versions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub definition_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub version_no: i32,
    /// [`crate::domain::FlowGraph`] as JSON.
    pub graph: Json,
    pub created_by: Option<i64>,
    pub created_by_name: Option<String>,
    pub created_at: time::OffsetDateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
