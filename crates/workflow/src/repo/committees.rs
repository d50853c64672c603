//! The review committee's tables.

pub mod committee {
    //! `committees`
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "committees")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub name: String,
        pub quorum_numerator: i32,
        pub quorum_denominator: i32,
        pub pass_numerator: i32,
        pub pass_denominator: i32,
        pub status: iam::repo::status::Status,
        pub version: i32,
        pub created_at: time::OffsetDateTime,
        pub updated_at: time::OffsetDateTime,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod member {
    //! `committee_members`
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "committee_members")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub committee_id: i64,
        #[sea_orm(primary_key, auto_increment = false)]
        pub user_id: i64,
        /// `chair`, `member` or `presenter`.
        pub role: String,
        pub veto: bool,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod meeting {
    //! `committee_meetings`
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "committee_meetings")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub committee_id: i64,
        pub title: String,
        pub scheduled_at: time::OffsetDateTime,
        pub place: String,
        pub present_ids: Vec<i64>,
        pub created_by: i64,
        pub version: i32,
        pub created_at: time::OffsetDateTime,
        pub updated_at: time::OffsetDateTime,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod agenda_item {
    //! `committee_agenda_items`
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "committee_agenda_items")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub meeting_id: i64,
        pub task_id: i64,
        pub title: String,
        /// `voting` or `decided`.
        pub status: String,
        pub outcome: Option<String>,
        pub tally: Option<Json>,
        pub decided_by: Option<i64>,
        pub decided_at: Option<time::OffsetDateTime>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod recusal {
    //! `committee_recusals`
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "committee_recusals")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub item_id: i64,
        #[sea_orm(primary_key, auto_increment = false)]
        pub user_id: i64,
        pub reason: String,
        pub at: time::OffsetDateTime,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod vote {
    //! `committee_votes`: insert-only, guarded by a trigger.
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "committee_votes")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub item_id: i64,
        #[sea_orm(primary_key, auto_increment = false)]
        pub user_id: i64,
        pub vote: String,
        pub veto: bool,
        pub opinion: String,
        pub cast_at: time::OffsetDateTime,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
