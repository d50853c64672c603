//! `loan_investigations` (one per application) and `loan_investigation_files`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "loan_investigations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub application_id: i64,
    pub findings: String,
    pub visit_place: String,
    pub visit_at: time::OffsetDateTime,
    pub conclusion: String,
    pub conditions: Option<String>,
    pub investigator_id: i64,
    pub investigator_name: String,
    pub version: i32,
    pub created_at: time::OffsetDateTime,
    pub updated_at: time::OffsetDateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

pub mod file {
    //! Photos and documents of an investigation, kept in the shared file store.
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "loan_investigation_files")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub application_id: i64,
        pub file_name: String,
        pub content_type: String,
        pub size_bytes: i64,
        pub file_key: String,
        pub uploaded_by: i64,
        pub uploaded_at: time::OffsetDateTime,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
