//! Records are disabled, never deleted, once anything may refer to them.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "snake_case")]
pub enum Status {
    #[sea_orm(string_value = "active")]
    Active,
    #[sea_orm(string_value = "disabled")]
    Disabled,
}

impl Status {
    /// The audit action of a change to this status.
    pub fn action(self) -> &'static str {
        match self {
            Status::Active => "enable",
            Status::Disabled => "disable",
        }
    }
}
