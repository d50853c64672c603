//! `collateral_release_requests`: an early release asked for, and its second person's decision.

use sea_orm::entity::prelude::*;

use crate::domain::ReleaseRequestStatus;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "collateral_release_requests")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub registration_id: i64,
    pub status: ReleaseRequestStatus,
    pub reason: String,
    pub handover_note: String,
    pub requested_by: i64,
    pub requested_at: time::OffsetDateTime,
    pub reviewed_by: Option<i64>,
    pub reviewed_at: Option<time::OffsetDateTime>,
    pub review_comment: Option<String>,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
