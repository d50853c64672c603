//! Review committees (贷审会管理): members with a chair, votes and veto, and the quorum and
//! pass fractions their meetings decide by.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, NotSet,
    QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

use iam::Actor;
use iam::repo::status::Status;
use iam::service::{audit, check_version};
use kernel::error::FieldErrors;
use kernel::{AppError, AppResult};

use super::candidates::active_ids;
use super::{WorkflowContext, db_error};
use crate::domain::committee::{Fraction, Member};
use crate::repo::committees::{committee, member};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MemberRole {
    /// 主任委员: votes, and the committee's tasks wait in their inbox.
    Chair,
    /// 委员: votes.
    Member,
    /// 汇报人: attends without a vote.
    Presenter,
}

impl MemberRole {
    fn as_str(self) -> &'static str {
        match self {
            MemberRole::Chair => "chair",
            MemberRole::Member => "member",
            MemberRole::Presenter => "presenter",
        }
    }

    fn parse(s: &str) -> MemberRole {
        match s {
            "chair" => MemberRole::Chair,
            "member" => MemberRole::Member,
            _ => MemberRole::Presenter,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CommitteeMember {
    pub user_id: i64,
    pub name: String,
    pub role: MemberRole,
    /// May reject by veto (一票否决); a veto never approves.
    pub veto: bool,
}

/// A member as a committee is saved.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MemberInput {
    pub user_id: i64,
    pub role: MemberRole,
    #[serde(default)]
    pub veto: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Committee {
    pub id: i64,
    pub name: String,
    /// Voting members present ÷ voting members needed for a quorum.
    pub quorum: Fraction,
    /// Agreeing ÷ eligible voters needed to pass.
    pub pass: Fraction,
    pub members: Vec<CommitteeMember>,
    pub status: Status,
    pub version: i32,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CommitteeInput {
    pub name: String,
    /// Default 2/3.
    #[serde(default)]
    pub quorum: Option<Fraction>,
    /// Default 2/3.
    #[serde(default)]
    pub pass: Option<Fraction>,
    pub members: Vec<MemberInput>,
    /// Required when editing.
    #[serde(default)]
    pub version: Option<i32>,
}

impl Committee {
    /// The members as the tally sees them.
    pub fn tally_members(&self) -> Vec<Member> {
        self.members
            .iter()
            .map(|m| Member {
                user_id: m.user_id,
                voting: m.role != MemberRole::Presenter,
                veto: m.veto,
            })
            .collect()
    }

    pub fn member(&self, user_id: i64) -> Option<&CommitteeMember> {
        self.members.iter().find(|m| m.user_id == user_id)
    }
}

#[derive(sea_orm::FromQueryResult)]
struct MemberRow {
    user_id: i64,
    display_name: String,
    role: String,
    veto: bool,
}

pub(crate) async fn load(db: &impl ConnectionTrait, id: i64) -> AppResult<Committee> {
    let c = committee::Entity::find_by_id(id)
        .one(db)
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::not_found("committee"))?;
    let members = <MemberRow as sea_orm::FromQueryResult>::find_by_statement(
        sea_orm::Statement::from_sql_and_values(
            sea_orm::DbBackend::Postgres,
            "SELECT m.user_id, u.display_name, m.role, m.veto FROM committee_members m \
             JOIN users u ON u.id = m.user_id WHERE m.committee_id = $1 \
             ORDER BY CASE m.role WHEN 'chair' THEN 0 WHEN 'member' THEN 1 ELSE 2 END, m.user_id",
            [id.into()],
        ),
    )
    .all(db)
    .await
    .map_err(db_error)?
    .into_iter()
    .map(|m| CommitteeMember {
        user_id: m.user_id,
        name: m.display_name,
        role: MemberRole::parse(&m.role),
        veto: m.veto,
    })
    .collect();
    Ok(Committee {
        id: c.id,
        name: c.name,
        quorum: Fraction {
            numerator: c.quorum_numerator as u32,
            denominator: c.quorum_denominator as u32,
        },
        pass: Fraction {
            numerator: c.pass_numerator as u32,
            denominator: c.pass_denominator as u32,
        },
        members,
        status: c.status,
        version: c.version,
        updated_at: c.updated_at,
    })
}

pub async fn list(ctx: &WorkflowContext) -> AppResult<Vec<Committee>> {
    let ids = committee::Entity::find()
        .order_by_asc(committee::Column::Id)
        .all(&ctx.db)
        .await
        .map_err(db_error)?;
    let mut out = Vec::with_capacity(ids.len());
    for c in ids {
        out.push(load(&ctx.db, c.id).await?);
    }
    Ok(out)
}

pub async fn get(ctx: &WorkflowContext, id: i64) -> AppResult<Committee> {
    load(&ctx.db, id).await
}

/// One chair, an odd number (at least three) of voting members, distinct active users, a veto
/// only for voters, fractions between 0 and 1 (RULES.md §12).
async fn check(db: &impl ConnectionTrait, input: &CommitteeInput) -> AppResult<()> {
    let mut errors = FieldErrors::new();
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        errors.add(
            "name",
            "required",
            "the committee needs a name of at most 60 characters",
        );
    }
    for (field, f) in [("quorum", input.quorum), ("pass", input.pass)] {
        if f.is_some_and(|f| !f.is_valid()) {
            errors.add(
                field,
                "invalid_fraction",
                "a fraction above 0 and at most 1, such as 2/3",
            );
        }
    }
    let chairs = input
        .members
        .iter()
        .filter(|m| m.role == MemberRole::Chair)
        .count();
    if chairs != 1 {
        errors.add("members", "one_chair", "a committee has exactly one chair");
    }
    let voters = input
        .members
        .iter()
        .filter(|m| m.role != MemberRole::Presenter)
        .count();
    if voters < 3 || voters % 2 == 0 {
        errors.add(
            "members",
            "odd_voters",
            format!("a committee needs an odd number of voting members, at least 3 (now {voters})"),
        );
    }
    let ids: Vec<i64> = input.members.iter().map(|m| m.user_id).collect();
    let found = active_ids(db, "users", &ids).await?;
    for (i, m) in input.members.iter().enumerate() {
        if ids[..i].contains(&m.user_id) {
            errors.add(format!("members[{i}].userId"), "duplicate", "listed twice");
        } else if !found.contains(&m.user_id) {
            errors.add(
                format!("members[{i}].userId"),
                "unknown_user",
                "no such active user",
            );
        }
        if m.veto && m.role == MemberRole::Presenter {
            errors.add(
                format!("members[{i}].veto"),
                "presenter_veto",
                "a presenter has no vote, so no veto",
            );
        }
    }
    errors.finish()
}

async fn write_members(
    txn: &impl ConnectionTrait,
    committee_id: i64,
    members: &[MemberInput],
) -> AppResult<()> {
    member::Entity::delete_many()
        .filter(member::Column::CommitteeId.eq(committee_id))
        .exec(txn)
        .await
        .map_err(db_error)?;
    for m in members {
        member::ActiveModel {
            committee_id: Set(committee_id),
            user_id: Set(m.user_id),
            role: Set(m.role.as_str().into()),
            veto: Set(m.veto),
        }
        .insert(txn)
        .await
        .map_err(db_error)?;
    }
    Ok(())
}

pub async fn create(
    ctx: &WorkflowContext,
    actor: &Actor,
    input: &CommitteeInput,
) -> AppResult<Committee> {
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    check(&txn, input).await?;
    let quorum = input.quorum.unwrap_or(Fraction::TWO_THIRDS);
    let pass = input.pass.unwrap_or(Fraction::TWO_THIRDS);
    let saved = committee::ActiveModel {
        id: NotSet,
        name: Set(input.name.trim().into()),
        quorum_numerator: Set(quorum.numerator as i32),
        quorum_denominator: Set(quorum.denominator as i32),
        pass_numerator: Set(pass.numerator as i32),
        pass_denominator: Set(pass.denominator as i32),
        status: Set(Status::Active),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await
    .map_err(db_error)?;
    write_members(&txn, saved.id, &input.members).await?;
    let after = load(&txn, saved.id).await?;
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("committee", after.id, "create").after(&after),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(after)
}

/// Edits a committee. Meetings already decided keep their tallies; open agenda items are
/// counted with the members as they are when the item is closed.
pub async fn update(
    ctx: &WorkflowContext,
    actor: &Actor,
    id: i64,
    input: &CommitteeInput,
) -> AppResult<Committee> {
    let Some(version) = input.version else {
        return Err(AppError::invalid_field(
            "version",
            "required",
            "send the version you edited",
        ));
    };
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    check(&txn, input).await?;
    let found = committee::Entity::find_by_id(id)
        .lock_exclusive()
        .one(&txn)
        .await
        .map_err(db_error)?
        .ok_or_else(|| AppError::not_found("committee"))?;
    check_version("committee", found.version, version)?;
    let before = load(&txn, id).await?;
    let quorum = input.quorum.unwrap_or(before.quorum);
    let pass = input.pass.unwrap_or(before.pass);
    let next = found.version + 1;
    let mut active = found.into_active_model();
    active.name = Set(input.name.trim().into());
    active.quorum_numerator = Set(quorum.numerator as i32);
    active.quorum_denominator = Set(quorum.denominator as i32);
    active.pass_numerator = Set(pass.numerator as i32);
    active.pass_denominator = Set(pass.denominator as i32);
    active.version = Set(next);
    active.updated_at = Set(now);
    active.update(&txn).await.map_err(db_error)?;
    write_members(&txn, id, &input.members).await?;
    let after = load(&txn, id).await?;
    audit::record(
        &txn,
        Some(actor),
        now,
        audit::Change::new("committee", id, "update")
            .before(&before)
            .after(&after),
    )
    .await?;
    txn.commit().await.map_err(db_error)?;
    Ok(after)
}
