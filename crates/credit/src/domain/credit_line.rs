//! A credit line's state machine (授信状态) and the arithmetic of drawing on it: every allowed
//! edge, and nothing else.
//!
//! ```text
//! draft ──submit──▶ in_review ──approve──▶ active ◀──unfreeze── frozen
//!   │                 │ │  ▲                  └──────freeze──────▶
//!   │                 │ │  └── resubmit ── returned ◀── return ──┘ (from in_review)
//!   │                 │ └──reject──▶ rejected
//!   └── withdraw (from draft, returned) ──▶ withdrawn
//! ```
//!
//! Expiry is not a status: a line whose `valid_until` has passed stays `active` (or `frozen`)
//! in the table and simply cannot be drawn on any more, so no job has to move it on time.

use kernel::{AppError, AppResult, Money};
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "snake_case")]
pub enum CreditLineStatus {
    /// 草稿: being filled in.
    #[sea_orm(string_value = "draft")]
    Draft,
    /// 审核中: in the credit-line approval flow.
    #[sea_orm(string_value = "in_review")]
    InReview,
    /// 退回: back with the customer manager to amend and resubmit.
    #[sea_orm(string_value = "returned")]
    Returned,
    /// 生效: approved; loans may draw on it within its validity.
    #[sea_orm(string_value = "active")]
    Active,
    /// 冻结: approved, but no loan may draw on it until it is unfrozen.
    #[sea_orm(string_value = "frozen")]
    Frozen,
    /// 已拒绝
    #[sea_orm(string_value = "rejected")]
    Rejected,
    /// 已撤回
    #[sea_orm(string_value = "withdrawn")]
    Withdrawn,
}

/// What moves a credit line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreditLineEvent {
    Edit,
    Submit,
    /// A step approved and the flow goes on.
    FlowStep,
    Approve,
    Reject,
    Return,
    Resubmit,
    Withdraw,
    Freeze,
    Unfreeze,
}

impl CreditLineEvent {
    pub const ALL: [CreditLineEvent; 10] = [
        CreditLineEvent::Edit,
        CreditLineEvent::Submit,
        CreditLineEvent::FlowStep,
        CreditLineEvent::Approve,
        CreditLineEvent::Reject,
        CreditLineEvent::Return,
        CreditLineEvent::Resubmit,
        CreditLineEvent::Withdraw,
        CreditLineEvent::Freeze,
        CreditLineEvent::Unfreeze,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CreditLineEvent::Edit => "edit",
            CreditLineEvent::Submit => "submit",
            CreditLineEvent::FlowStep => "flow_step",
            CreditLineEvent::Approve => "approve",
            CreditLineEvent::Reject => "reject",
            CreditLineEvent::Return => "return",
            CreditLineEvent::Resubmit => "resubmit",
            CreditLineEvent::Withdraw => "withdraw",
            CreditLineEvent::Freeze => "freeze",
            CreditLineEvent::Unfreeze => "unfreeze",
        }
    }

    fn past_tense(self) -> &'static str {
        match self {
            CreditLineEvent::Edit => "edited",
            CreditLineEvent::Submit => "submitted",
            CreditLineEvent::FlowStep => "moved along its flow",
            CreditLineEvent::Approve => "approved",
            CreditLineEvent::Reject => "rejected",
            CreditLineEvent::Return => "returned",
            CreditLineEvent::Resubmit => "resubmitted",
            CreditLineEvent::Withdraw => "withdrawn",
            CreditLineEvent::Freeze => "frozen",
            CreditLineEvent::Unfreeze => "unfrozen",
        }
    }
}

impl CreditLineStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CreditLineStatus::Draft => "draft",
            CreditLineStatus::InReview => "in_review",
            CreditLineStatus::Returned => "returned",
            CreditLineStatus::Active => "active",
            CreditLineStatus::Frozen => "frozen",
            CreditLineStatus::Rejected => "rejected",
            CreditLineStatus::Withdrawn => "withdrawn",
        }
    }

    /// The status `event` leads to from here, or 409 `invalid_transition` naming both.
    pub fn on(self, event: CreditLineEvent) -> AppResult<CreditLineStatus> {
        use CreditLineEvent as E;
        use CreditLineStatus as S;
        let next = match (self, event) {
            (S::Draft | S::Returned, E::Edit) => Some(self),
            (S::Draft, E::Submit) => Some(S::InReview),
            (S::InReview, E::FlowStep) => Some(S::InReview),
            (S::InReview, E::Approve) => Some(S::Active),
            (S::InReview, E::Reject) => Some(S::Rejected),
            (S::InReview, E::Return) => Some(S::Returned),
            (S::Returned, E::Resubmit) => Some(S::InReview),
            (S::Draft | S::Returned, E::Withdraw) => Some(S::Withdrawn),
            (S::Active, E::Freeze) => Some(S::Frozen),
            (S::Frozen, E::Unfreeze) => Some(S::Active),
            _ => None,
        };
        next.ok_or_else(|| {
            AppError::conflict(
                "invalid_transition",
                format!(
                    "a credit line that is {} cannot be {}",
                    self.as_str(),
                    event.past_tense()
                ),
            )
        })
    }

    /// Whether the line was approved: it has an approved amount and may carry uses.
    pub fn is_approved(self) -> bool {
        matches!(self, CreditLineStatus::Active | CreditLineStatus::Frozen)
    }
}

/// What a line can lend: its approved amount, what loans use of it now, and its validity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineBalance {
    pub status: CreditLineStatus,
    /// Zero before approval.
    pub approved: Money,
    pub used: Money,
    pub valid_from: Date,
    pub valid_until: Date,
}

impl LineBalance {
    /// 409 unless a loan may draw on the line on `on`: active, not frozen, within validity.
    pub fn check_usable(&self, on: Date) -> AppResult<()> {
        match self.status {
            CreditLineStatus::Active => {}
            CreditLineStatus::Frozen => {
                return Err(AppError::conflict(
                    "credit_line_frozen",
                    "the credit line is frozen: no loan may draw on it until it is unfrozen",
                ));
            }
            other => {
                return Err(AppError::conflict(
                    "credit_line_not_active",
                    format!(
                        "the credit line is {}: only an approved, active line can be drawn on",
                        other.as_str()
                    ),
                ));
            }
        }
        if on < self.valid_from {
            return Err(AppError::conflict(
                "credit_line_not_yet_valid",
                format!(
                    "the credit line is valid from {}; it cannot be drawn on {on}",
                    self.valid_from
                ),
            ));
        }
        if on > self.valid_until {
            return Err(AppError::conflict(
                "credit_line_expired",
                format!(
                    "the credit line expired after {}; it cannot be drawn on {on}",
                    self.valid_until
                ),
            ));
        }
        Ok(())
    }

    /// What is left to draw on `on`: approved less used, or zero when the line cannot be
    /// drawn on that day at all.
    pub fn available_on(&self, on: Date) -> Money {
        if self.check_usable(on).is_err() {
            return Money::ZERO;
        }
        (self.approved - self.used).max(Money::ZERO)
    }

    /// Draws `amount` on `on` and returns the new used amount: 409 when the line cannot be
    /// used, 422 `credit_line_exceeded` naming both amounts when it is more than is left.
    pub fn draw(&self, on: Date, amount: Money) -> AppResult<Money> {
        positive(amount)?;
        self.check_usable(on)?;
        let available = self.available_on(on);
        if amount > available {
            return Err(AppError::rule(
                "credit_line_exceeded",
                format!(
                    "the amount {amount} is above what the credit line has available, {available} \
                     (approved {} less used {})",
                    self.approved, self.used
                ),
            ));
        }
        Ok(self.used + amount)
    }

    /// Gives back `amount` a reference used, of which `outstanding` is not released yet, and
    /// returns the new used amount. Allowed whatever the status: a frozen or expired line
    /// still lowers its exposure.
    pub fn release(&self, amount: Money, outstanding: Money) -> AppResult<Money> {
        positive(amount)?;
        if amount > outstanding || amount > self.used {
            return Err(AppError::rule(
                "credit_line_release_exceeded",
                format!(
                    "the release of {amount} is more than the reference still uses of the line, {}",
                    outstanding.min(self.used)
                ),
            ));
        }
        Ok(self.used - amount)
    }
}

fn positive(amount: Money) -> AppResult<()> {
    if amount.is_positive() {
        Ok(())
    } else {
        Err(AppError::internal(format!(
            "a credit line movement of {amount}: amounts must be positive"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::Iterable;
    use time::macros::date;

    fn line(status: CreditLineStatus, used: i64) -> LineBalance {
        LineBalance {
            status,
            approved: Money::yuan(300_000),
            used: Money::yuan(used),
            valid_from: date!(2026 - 03 - 01),
            valid_until: date!(2027 - 02 - 28),
        }
    }

    #[test]
    fn the_happy_path_runs_from_draft_to_active_and_freezing_comes_back() {
        use CreditLineEvent as E;
        let mut s = CreditLineStatus::Draft;
        for e in [
            E::Edit,
            E::Submit,
            E::FlowStep,
            E::Return,
            E::Edit,
            E::Resubmit,
        ] {
            s = s.on(e).unwrap();
        }
        assert_eq!(s, CreditLineStatus::InReview);
        let active = s.on(E::Approve).unwrap();
        assert_eq!(active, CreditLineStatus::Active);
        let frozen = active.on(E::Freeze).unwrap();
        assert_eq!(frozen, CreditLineStatus::Frozen);
        assert_eq!(frozen.on(E::Unfreeze).unwrap(), CreditLineStatus::Active);
    }

    #[test]
    fn final_states_accept_no_event_at_all() {
        for s in [CreditLineStatus::Rejected, CreditLineStatus::Withdrawn] {
            for e in CreditLineEvent::ALL {
                let err = s.on(e).unwrap_err();
                assert_eq!(err.code, "invalid_transition", "{s:?} {e:?}");
                assert!(err.message.contains(s.as_str()), "{}", err.message);
            }
        }
    }

    #[test]
    fn exactly_the_drawn_edges_are_allowed() {
        // 7 statuses × 10 events: 12 edges counted by hand from the diagram.
        let allowed: Vec<_> = CreditLineStatus::iter()
            .flat_map(|s| CreditLineEvent::ALL.iter().map(move |e| (s, *e)))
            .filter(|(s, e)| s.on(*e).is_ok())
            .collect();
        assert_eq!(allowed.len(), 12, "{allowed:?}");
        use CreditLineEvent as E;
        use CreditLineStatus as S;
        for (s, e) in [
            (S::InReview, E::Withdraw),
            (S::InReview, E::Edit),
            (S::Active, E::Edit),
            (S::Active, E::Withdraw),
            (S::Active, E::Unfreeze),
            (S::Frozen, E::Freeze),
            (S::Draft, E::Approve),
            (S::Returned, E::Approve),
            (S::Draft, E::Freeze),
        ] {
            assert!(s.on(e).is_err(), "{s:?} {e:?}");
        }
    }

    #[test]
    fn only_approved_lines_are_approved() {
        let approved: Vec<_> = CreditLineStatus::iter()
            .filter(|s| s.is_approved())
            .collect();
        assert_eq!(
            approved,
            vec![CreditLineStatus::Active, CreditLineStatus::Frozen]
        );
    }

    #[test]
    fn a_draw_within_the_available_amount_adds_to_the_used_amount() {
        let l = line(CreditLineStatus::Active, 100_000);
        let on = date!(2026 - 06 - 01);
        assert_eq!(l.available_on(on), Money::yuan(200_000));
        assert_eq!(
            l.draw(on, Money::yuan(200_000)).unwrap(),
            Money::yuan(300_000)
        );
        assert_eq!(
            l.draw(on, Money::from_fen(1)).unwrap(),
            Money::from_fen(10_000_001)
        );
    }

    #[test]
    fn a_draw_above_the_available_amount_names_both_amounts() {
        let l = line(CreditLineStatus::Active, 100_000);
        let err = l
            .draw(date!(2026 - 06 - 01), Money::from_fen(20_000_001))
            .unwrap_err();
        assert_eq!(err.code, "credit_line_exceeded");
        assert_eq!(err.kind, kernel::ErrorKind::Validation);
        assert!(err.message.contains("200000.01"), "{}", err.message);
        assert!(err.message.contains("200000.00"), "{}", err.message);
    }

    #[test]
    fn validity_and_status_decide_whether_a_line_can_be_drawn_on() {
        let l = line(CreditLineStatus::Active, 0);
        let code = |l: LineBalance, on| l.draw(on, Money::yuan(1)).unwrap_err().code;
        // Both ends of the validity are inclusive.
        assert!(l.draw(date!(2026 - 03 - 01), Money::yuan(1)).is_ok());
        assert!(l.draw(date!(2027 - 02 - 28), Money::yuan(1)).is_ok());
        assert_eq!(code(l, date!(2026 - 02 - 28)), "credit_line_not_yet_valid");
        assert_eq!(code(l, date!(2027 - 03 - 01)), "credit_line_expired");
        assert_eq!(l.available_on(date!(2027 - 03 - 01)), Money::ZERO);
        let frozen = line(CreditLineStatus::Frozen, 0);
        assert_eq!(code(frozen, date!(2026 - 06 - 01)), "credit_line_frozen");
        assert_eq!(frozen.available_on(date!(2026 - 06 - 01)), Money::ZERO);
        for s in [
            CreditLineStatus::Draft,
            CreditLineStatus::InReview,
            CreditLineStatus::Returned,
            CreditLineStatus::Rejected,
            CreditLineStatus::Withdrawn,
        ] {
            let err = line(s, 0).draw(date!(2026 - 06 - 01), Money::yuan(1));
            let err = err.unwrap_err();
            assert_eq!(err.code, "credit_line_not_active", "{s:?}");
            assert_eq!(err.kind, kernel::ErrorKind::Conflict);
        }
    }

    #[test]
    fn a_release_gives_back_at_most_what_the_reference_still_uses() {
        let l = line(CreditLineStatus::Frozen, 150_000);
        assert_eq!(
            l.release(Money::yuan(50_000), Money::yuan(100_000))
                .unwrap(),
            Money::yuan(100_000)
        );
        let err = l
            .release(Money::yuan(100_001), Money::yuan(100_000))
            .unwrap_err();
        assert_eq!(err.code, "credit_line_release_exceeded");
    }

    #[test]
    fn the_used_amount_never_goes_above_the_approved_amount() {
        // Any sequence of draws of 1..=1000 yuan keeps used ≤ approved.
        let mut l = line(CreditLineStatus::Active, 0);
        l.approved = Money::yuan(5_000);
        let on = date!(2026 - 06 - 01);
        for i in 0..200i64 {
            let amount = Money::yuan(1 + (i * 7919) % 1000);
            if let Ok(used) = l.draw(on, amount) {
                l.used = used;
            }
            assert!(l.used <= l.approved);
        }
        assert!(l.available_on(on) < Money::yuan(1000));
    }
}
