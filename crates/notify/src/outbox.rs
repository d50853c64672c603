//! The `outbox_messages` table: how writers add to it and how the back office reads it.

use sea_orm::{ConnectionTrait, FromQueryResult, Value};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};

use iam::Actor;
use iam::service::scope;
use iam::service::sql::Where;
use kernel::{AppError, AppResult, Page, PageRequest};

/// Template of a reminder before an installment falls due (还款提醒).
pub const TEMPLATE_REPAYMENT_DUE: &str = "repayment_due";
/// Template of a reminder that a loan is past due (逾期提醒/催收提醒).
pub const TEMPLATE_OVERDUE: &str = "overdue";

/// A kind of message the business writes (消息模板).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OutboxTemplate {
    /// 还款提醒
    RepaymentDue,
    /// 逾期提醒
    Overdue,
}

impl OutboxTemplate {
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxTemplate::RepaymentDue => TEMPLATE_REPAYMENT_DUE,
            OutboxTemplate::Overdue => TEMPLATE_OVERDUE,
        }
    }
}

/// Wraps a `SELECT` into the insert of its rows into the outbox, skipping any whose dedupe
/// key is there already. The `SELECT` yields, in order: channel, customer_id, loan_id,
/// department_id, manager_id, template, params (jsonb), dedupe_key, business_date, created_at.
/// Running the result twice writes each message once.
pub fn insert_select(select: &str) -> String {
    format!(
        "INSERT INTO outbox_messages (channel, customer_id, loan_id, department_id, manager_id, \
           template, params, dedupe_key, business_date, created_at) \
         {select} ON CONFLICT (dedupe_key) DO NOTHING"
    )
}

/// Where a message stands on its way out. Everything is `pending` until the sender exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OutboxStatus {
    Pending,
    Sent,
    Failed,
    Cancelled,
}

impl OutboxStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxStatus::Pending => "pending",
            OutboxStatus::Sent => "sent",
            OutboxStatus::Failed => "failed",
            OutboxStatus::Cancelled => "cancelled",
        }
    }

    fn parse(s: &str) -> AppResult<OutboxStatus> {
        [
            OutboxStatus::Pending,
            OutboxStatus::Sent,
            OutboxStatus::Failed,
            OutboxStatus::Cancelled,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
        .ok_or_else(|| AppError::internal(format!("unknown outbox status {s}")))
    }
}

/// A message in the outbox (发件箱消息).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OutboxMessage {
    pub id: i64,
    /// `sms`, `email`, `wechat` or `webhook`.
    pub channel: String,
    pub customer_id: i64,
    pub loan_id: Option<i64>,
    /// `repayment_due` (还款提醒) or `overdue` (逾期提醒).
    pub template: String,
    /// The template's figures: amounts as decimal strings (`amountDue`), dates as
    /// `YYYY-MM-DD` (`dueDate`), and for `repayment_due` the `period` and `daysBefore`, for
    /// `overdue` the `daysPastDue`; `loanNo` for both.
    #[schema(value_type = Object)]
    pub params: serde_json::Value,
    /// What the message is about; the same key is never written twice.
    pub dedupe_key: String,
    pub status: OutboxStatus,
    /// The business date whose close (or action) wrote it.
    pub business_date: Date,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

#[derive(FromQueryResult)]
struct Row {
    id: i64,
    channel: String,
    customer_id: i64,
    loan_id: Option<i64>,
    template: String,
    params: serde_json::Value,
    dedupe_key: String,
    status: String,
    business_date: Date,
    created_at: OffsetDateTime,
}

impl Row {
    fn into_view(self) -> AppResult<OutboxMessage> {
        Ok(OutboxMessage {
            status: OutboxStatus::parse(&self.status)?,
            id: self.id,
            channel: self.channel,
            customer_id: self.customer_id,
            loan_id: self.loan_id,
            template: self.template,
            params: self.params,
            dedupe_key: self.dedupe_key,
            business_date: self.business_date,
            created_at: self.created_at,
        })
    }
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct OutboxFilter {
    pub status: Option<OutboxStatus>,
    /// `repayment_due` or `overdue`. Typed, so that a misspelt one is refused (400) rather
    /// than listing nothing.
    #[param(inline)]
    pub template: Option<OutboxTemplate>,
    /// The business date that wrote the messages.
    pub business_date: Option<Date>,
    pub loan_id: Option<i64>,
}

/// One's own: messages about loans one manages.
const OWN: &str = "m.manager_id = $?";

/// The messages the actor may see, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: &OutboxFilter,
    page: &PageRequest,
) -> AppResult<Page<OutboxMessage>> {
    let mut w = Where::new();
    scope::restrict(&mut w, actor, "m.department_id", OWN);
    if let Some(s) = filter.status {
        w.and("m.status = $?", [Value::from(s.as_str())]);
    }
    if let Some(t) = filter.template {
        w.and("m.template = $?", [Value::from(t.as_str())]);
    }
    if let Some(d) = filter.business_date {
        w.and("m.business_date = $?", [Value::from(d)]);
    }
    if let Some(l) = filter.loan_id {
        w.and("m.loan_id = $?", [Value::from(l)]);
    }
    let rows: Page<Row> = w
        .page(
            db,
            "m.id, m.channel, m.customer_id, m.loan_id, m.template, m.params, m.dedupe_key, \
             m.status, m.business_date, m.created_at",
            "outbox_messages m",
            "m.business_date DESC, m.id DESC",
            page,
        )
        .await?;
    let total = rows.total;
    let items = rows
        .items
        .into_iter()
        .map(Row::into_view)
        .collect::<AppResult<Vec<_>>>()?;
    Ok(Page::new(items, total, page))
}
