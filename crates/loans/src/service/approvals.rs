//! Acting on an approval task (审批): the flow moves and the record it decides follows, in
//! one transaction. Business types whose records live elsewhere get the flow's outcome only
//! until their crates handle it.

use sea_orm::TransactionTrait;

use iam::Actor;
use kernel::AppResult;
use workflow::ActOutcome;
use workflow::domain::BusinessType;
use workflow::service::engine::{self, ActionInput};

use super::{LoansContext, applications, db_error};

pub async fn act(
    ctx: &LoansContext,
    actor: &Actor,
    task_id: i64,
    input: &ActionInput,
) -> AppResult<ActOutcome> {
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await.map_err(db_error)?;
    let outcome = engine::act(&txn, actor, now, task_id, input).await?;
    if outcome.business_type == BusinessType::LoanApplication {
        let comment = input
            .comment
            .as_ref()
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty());
        applications::apply_outcome(ctx, &txn, actor, now, &outcome, comment).await?;
    }
    txn.commit().await.map_err(db_error)?;
    Ok(outcome)
}
