//! Releasing a held car (解押): the registration's state machine and the maker-checker rule
//! of an early release (DESIGN.md §5, issue #5 items 8–9).
//!
//! ```text
//! registered ──release (the loan settled, with the certificate)──▶ released
//!     │  ▲
//!     │  └──reject (with a comment)──┐
//!     └──request (reason, hand-over)──▶ release_requested ──approve (someone else)──▶ released
//! ```
//! Any other edge is a 409 `invalid_transition`; the requester never decides their own request
//! (403 `maker_checker`).

use kernel::AppError;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Where a held car stands.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "snake_case")]
pub enum RegistrationStatus {
    /// 在押: mortgaged at the registry or kept in the yard.
    #[sea_orm(string_value = "registered")]
    Registered,
    /// 提前解押待审批: an early release is asked for and waits for a second person.
    #[sea_orm(string_value = "release_requested")]
    ReleaseRequested,
    /// 已解押.
    #[sea_orm(string_value = "released")]
    Released,
}

/// What happens to a held car.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReleaseEvent {
    /// The loan is settled: released with the settlement certificate.
    ReleaseSettled,
    /// An early release is asked for (申请提前解押).
    Request,
    /// A second person approves the early release.
    Approve,
    /// A second person rejects it: the car stays held.
    Reject,
}

impl ReleaseEvent {
    pub const ALL: [ReleaseEvent; 4] = [
        ReleaseEvent::ReleaseSettled,
        ReleaseEvent::Request,
        ReleaseEvent::Approve,
        ReleaseEvent::Reject,
    ];

    fn describe(self) -> &'static str {
        match self {
            ReleaseEvent::ReleaseSettled => "released as settled",
            ReleaseEvent::Request => "put up for an early release",
            ReleaseEvent::Approve => "released by an approved exception",
            ReleaseEvent::Reject => "kept by rejecting an early release",
        }
    }
}

impl RegistrationStatus {
    pub const ALL: [RegistrationStatus; 3] = [
        RegistrationStatus::Registered,
        RegistrationStatus::ReleaseRequested,
        RegistrationStatus::Released,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RegistrationStatus::Registered => "registered",
            RegistrationStatus::ReleaseRequested => "release_requested",
            RegistrationStatus::Released => "released",
        }
    }

    /// The car still secures the loan: not released (a requested release is not one yet).
    pub fn is_held(self) -> bool {
        self != RegistrationStatus::Released
    }

    /// The status `event` leads to from here, or 409 `invalid_transition` saying why.
    pub fn on(self, event: ReleaseEvent) -> Result<RegistrationStatus, AppError> {
        use RegistrationStatus as S;
        use ReleaseEvent as E;
        match (self, event) {
            (S::Registered, E::ReleaseSettled) => Ok(S::Released),
            (S::Registered, E::Request) => Ok(S::ReleaseRequested),
            (S::ReleaseRequested, E::Approve) => Ok(S::Released),
            (S::ReleaseRequested, E::Reject) => Ok(S::Registered),
            (S::Released, _) => Err(invalid("this car has already been released")),
            (S::ReleaseRequested, E::ReleaseSettled | E::Request) => Err(invalid(
                "an early release of this car is waiting for approval; it is approved or rejected first",
            )),
            (S::Registered, E::Approve | E::Reject) => Err(invalid(format!(
                "no early release of this car is waiting for approval, so it cannot be {}",
                event.describe()
            ))),
        }
    }
}

/// An early-release request (提前解押申请).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "snake_case")]
pub enum ReleaseRequestStatus {
    /// 待审批
    #[sea_orm(string_value = "requested")]
    Requested,
    /// 已批准: the car is released.
    #[sea_orm(string_value = "approved")]
    Approved,
    /// 已驳回: the car stays held.
    #[sea_orm(string_value = "rejected")]
    Rejected,
}

impl ReleaseRequestStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ReleaseRequestStatus::Requested => "requested",
            ReleaseRequestStatus::Approved => "approved",
            ReleaseRequestStatus::Rejected => "rejected",
        }
    }
}

/// A request is decided once, and never by the person who made it.
pub fn check_decision(
    status: ReleaseRequestStatus,
    requested_by: i64,
    checker: i64,
) -> Result<(), AppError> {
    if status != ReleaseRequestStatus::Requested {
        return Err(invalid(format!(
            "this early-release request has already been {}",
            status.as_str()
        )));
    }
    if requested_by == checker {
        return Err(AppError::forbidden(
            "maker_checker",
            "the person who asked for an early release cannot also approve or reject it; another holder of collateral:release:exception decides",
        ));
    }
    Ok(())
}

fn invalid(message: impl Into<String>) -> AppError {
    AppError::conflict("invalid_transition", message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use RegistrationStatus as S;
    use ReleaseEvent as E;

    #[test]
    fn only_the_drawn_edges_are_allowed() {
        let allowed = [
            (S::Registered, E::ReleaseSettled, S::Released),
            (S::Registered, E::Request, S::ReleaseRequested),
            (S::ReleaseRequested, E::Approve, S::Released),
            (S::ReleaseRequested, E::Reject, S::Registered),
        ];
        for s in S::ALL {
            for e in E::ALL {
                match allowed.iter().find(|(from, ev, _)| *from == s && *ev == e) {
                    Some((_, _, to)) => assert_eq!(s.on(e).unwrap(), *to),
                    None => assert_eq!(
                        s.on(e).unwrap_err().code,
                        "invalid_transition",
                        "{s:?} {e:?}"
                    ),
                }
            }
        }
    }

    #[test]
    fn a_requested_release_still_holds_the_car() {
        assert!(S::Registered.is_held());
        assert!(S::ReleaseRequested.is_held());
        assert!(!S::Released.is_held());
    }

    #[test]
    fn the_requester_never_decides_and_a_decision_is_final() {
        let own = check_decision(ReleaseRequestStatus::Requested, 7, 7).unwrap_err();
        assert_eq!(own.code, "maker_checker");
        for done in [
            ReleaseRequestStatus::Approved,
            ReleaseRequestStatus::Rejected,
        ] {
            assert_eq!(
                check_decision(done, 7, 8).unwrap_err().code,
                "invalid_transition"
            );
            // A decided request is refused as decided, even to its requester.
            assert_eq!(
                check_decision(done, 7, 7).unwrap_err().code,
                "invalid_transition"
            );
        }
        assert!(check_decision(ReleaseRequestStatus::Requested, 7, 8).is_ok());
    }
}
