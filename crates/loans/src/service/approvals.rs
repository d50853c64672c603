//! Acting on an approval task (审批), from a reviewer's inbox or by the review committee's
//! vote: the flow moves and the record it decides follows, in one transaction. Business types
//! whose records live elsewhere get the flow's outcome only until their crates handle it.

use sea_orm::{ConnectionTrait, TransactionTrait};
use time::OffsetDateTime;

use iam::Actor;
use kernel::AppResult;
use workflow::ActOutcome;
use workflow::domain::BusinessType;
use workflow::service::engine::{self, ActionInput};
use workflow::service::meetings;

use super::{LoansContext, applications, db_error};

/// A reviewer acts on a task from their inbox.
pub async fn act(
    ctx: &LoansContext,
    actor: &Actor,
    task_id: i64,
    input: &ActionInput,
) -> AppResult<ActOutcome> {
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let outcome = engine::act(&txn, actor, now, task_id, input).await?;
    let comment = input
        .comment
        .as_ref()
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty());
    apply(ctx, &txn, actor, now, &outcome, comment).await?;
    txn.commit().await.map_err(db_error)?;
    Ok(outcome)
}

/// The committee secretary closes an agenda item: the tally decides the task.
pub async fn close_committee_item(
    ctx: &LoansContext,
    actor: &Actor,
    meeting_id: i64,
    item_id: i64,
) -> AppResult<ActOutcome> {
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let outcome = meetings::close_item(&txn, actor, now, meeting_id, item_id).await?;
    apply(ctx, &txn, actor, now, &outcome, Some("贷审会表决".into())).await?;
    txn.commit().await.map_err(db_error)?;
    Ok(outcome)
}

/// Applies a flow outcome to the record it decides, in the action's transaction.
async fn apply(
    ctx: &LoansContext,
    txn: &impl ConnectionTrait,
    actor: &Actor,
    now: OffsetDateTime,
    outcome: &ActOutcome,
    comment: Option<String>,
) -> AppResult<()> {
    if outcome.business_type == BusinessType::LoanApplication {
        applications::apply_outcome(ctx, txn, actor, now, outcome, comment).await?;
    } else if outcome.business_type == BusinessType::CreditLine {
        credit::service::credit_lines::apply_outcome(txn, actor, now, outcome, comment).await?;
    }
    Ok(())
}
