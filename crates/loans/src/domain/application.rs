//! A loan application's state machine (贷款申请状态): every allowed edge, and nothing else.
//!
//! ```text
//! draft ──submit──▶ submitted ──assign──▶ investigating ──send_to_review──▶ in_review
//!   │                  │ screening declines                                 │ │ │
//!   │                  ▼                                        approve ◀───┘ │ └──▶ return ──▶ returned
//!   │               rejected ◀──────────────────────────── reject ◀───────────┘                │
//!   └── withdraw (from draft, submitted, investigating, returned) ──▶ withdrawn   resubmit ◀────┘
//! ```

use kernel::AppError;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    /// 草稿: being filled in; nothing checked yet.
    #[sea_orm(string_value = "draft")]
    Draft,
    /// 已提交: screened, waiting to be assigned to an investigator.
    #[sea_orm(string_value = "submitted")]
    Submitted,
    /// 调查中: with its investigator (贷前调查).
    #[sea_orm(string_value = "investigating")]
    Investigating,
    /// 审批中: in the approval flow.
    #[sea_orm(string_value = "in_review")]
    InReview,
    /// 退回: back with the customer manager to amend and resubmit.
    #[sea_orm(string_value = "returned")]
    Returned,
    /// 已批准: ready for the contract.
    #[sea_orm(string_value = "approved")]
    Approved,
    /// 已拒绝: by the screening or the flow.
    #[sea_orm(string_value = "rejected")]
    Rejected,
    /// 已撤回
    #[sea_orm(string_value = "withdrawn")]
    Withdrawn,
}

/// What moves an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplicationEvent {
    Edit,
    Submit,
    /// The screening's decision was `reject`.
    ScreeningDeclined,
    Assign,
    Reassign,
    /// The investigator records or amends the investigation.
    Investigate,
    SendToReview,
    /// A step approved and the flow goes on.
    FlowStep,
    Approve,
    Reject,
    Return,
    Resubmit,
    Withdraw,
}

impl ApplicationEvent {
    pub fn as_str(self) -> &'static str {
        match self {
            ApplicationEvent::Edit => "edit",
            ApplicationEvent::Submit => "submit",
            ApplicationEvent::ScreeningDeclined => "screening_declined",
            ApplicationEvent::Assign => "assign",
            ApplicationEvent::Reassign => "reassign",
            ApplicationEvent::Investigate => "investigate",
            ApplicationEvent::SendToReview => "send_to_review",
            ApplicationEvent::FlowStep => "flow_step",
            ApplicationEvent::Approve => "approve",
            ApplicationEvent::Reject => "reject",
            ApplicationEvent::Return => "return",
            ApplicationEvent::Resubmit => "resubmit",
            ApplicationEvent::Withdraw => "withdraw",
        }
    }
}

impl ApplicationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ApplicationStatus::Draft => "draft",
            ApplicationStatus::Submitted => "submitted",
            ApplicationStatus::Investigating => "investigating",
            ApplicationStatus::InReview => "in_review",
            ApplicationStatus::Returned => "returned",
            ApplicationStatus::Approved => "approved",
            ApplicationStatus::Rejected => "rejected",
            ApplicationStatus::Withdrawn => "withdrawn",
        }
    }

    /// The status `event` leads to from here, or 409 `invalid_transition` naming both.
    pub fn on(self, event: ApplicationEvent) -> Result<ApplicationStatus, AppError> {
        use ApplicationEvent as E;
        use ApplicationStatus as S;
        let next = match (self, event) {
            (S::Draft | S::Returned, E::Edit) => Some(self),
            (S::Draft, E::Submit) => Some(S::Submitted),
            (S::Draft, E::ScreeningDeclined) => Some(S::Rejected),
            (S::Submitted, E::Assign) => Some(S::Investigating),
            (S::Investigating, E::Reassign) => Some(S::Investigating),
            (S::Investigating | S::Returned, E::Investigate) => Some(self),
            (S::Investigating, E::SendToReview) => Some(S::InReview),
            (S::InReview, E::FlowStep) => Some(S::InReview),
            (S::InReview, E::Approve) => Some(S::Approved),
            (S::InReview, E::Reject) => Some(S::Rejected),
            (S::InReview, E::Return) => Some(S::Returned),
            (S::Returned, E::Resubmit) => Some(S::InReview),
            (S::Draft | S::Submitted | S::Investigating | S::Returned, E::Withdraw) => {
                Some(S::Withdrawn)
            }
            _ => None,
        };
        next.ok_or_else(|| {
            AppError::conflict(
                "invalid_transition",
                format!(
                    "an application that is {} cannot be {}",
                    self.as_str(),
                    past_tense(event)
                ),
            )
        })
    }
}

fn past_tense(event: ApplicationEvent) -> &'static str {
    match event {
        ApplicationEvent::Edit => "edited",
        ApplicationEvent::Submit => "submitted",
        ApplicationEvent::ScreeningDeclined => "declined by screening",
        ApplicationEvent::Assign => "assigned",
        ApplicationEvent::Reassign => "reassigned",
        ApplicationEvent::Investigate => "investigated",
        ApplicationEvent::SendToReview => "sent to review",
        ApplicationEvent::FlowStep => "moved along its flow",
        ApplicationEvent::Approve => "approved",
        ApplicationEvent::Reject => "rejected",
        ApplicationEvent::Return => "returned",
        ApplicationEvent::Resubmit => "resubmitted",
        ApplicationEvent::Withdraw => "withdrawn",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::Iterable;

    const EVENTS: [ApplicationEvent; 13] = [
        ApplicationEvent::Edit,
        ApplicationEvent::Submit,
        ApplicationEvent::ScreeningDeclined,
        ApplicationEvent::Assign,
        ApplicationEvent::Reassign,
        ApplicationEvent::Investigate,
        ApplicationEvent::SendToReview,
        ApplicationEvent::FlowStep,
        ApplicationEvent::Approve,
        ApplicationEvent::Reject,
        ApplicationEvent::Return,
        ApplicationEvent::Resubmit,
        ApplicationEvent::Withdraw,
    ];

    #[test]
    fn the_happy_path_runs_from_draft_to_approved() {
        use ApplicationEvent as E;
        let mut s = ApplicationStatus::Draft;
        for e in [
            E::Edit,
            E::Submit,
            E::Assign,
            E::Investigate,
            E::SendToReview,
            E::FlowStep,
        ] {
            s = s.on(e).unwrap();
        }
        assert_eq!(s, ApplicationStatus::InReview);
        assert_eq!(s.on(E::Approve).unwrap(), ApplicationStatus::Approved);
        assert_eq!(
            s.on(E::Return).unwrap().on(E::Resubmit).unwrap(),
            ApplicationStatus::InReview
        );
    }

    #[test]
    fn final_states_accept_no_event_at_all() {
        for s in [
            ApplicationStatus::Approved,
            ApplicationStatus::Rejected,
            ApplicationStatus::Withdrawn,
        ] {
            for e in EVENTS {
                let err = s.on(e).unwrap_err();
                assert_eq!(err.code, "invalid_transition", "{s:?} {e:?}");
            }
        }
    }

    #[test]
    fn exactly_the_drawn_edges_are_allowed() {
        // 8 statuses × 13 events: 18 edges counted by hand from the diagram; count the allowed pairs so an edge added by accident shows.
        let allowed = ApplicationStatus::iter()
            .flat_map(|s| EVENTS.iter().map(move |e| (s, *e)))
            .filter(|(s, e)| s.on(*e).is_ok())
            .count();
        assert_eq!(allowed, 18);
        assert!(
            ApplicationStatus::InReview
                .on(ApplicationEvent::Withdraw)
                .is_err()
        );
        assert!(
            ApplicationStatus::Submitted
                .on(ApplicationEvent::SendToReview)
                .is_err()
        );
    }
}
