//! A loan contract's state machine (合同状态) and its number rule (合同编号).
//!
//! ```text
//! draft ──sign (scan uploaded)──▶ signed
//!   └──void──▶ voided
//! ```
//! A signed contract is changed only through a contract-change flow, never edited here.

use kernel::AppError;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "snake_case")]
pub enum ContractStatus {
    /// 待签: generated, its terms and schedule drafted.
    #[sea_orm(string_value = "draft")]
    Draft,
    /// 已签: terms fixed.
    #[sea_orm(string_value = "signed")]
    Signed,
    /// 作废: replaced before signing.
    #[sea_orm(string_value = "voided")]
    Voided,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContractEvent {
    Generate,
    UploadScan,
    Sign,
    Void,
}

impl ContractEvent {
    pub fn as_str(self) -> &'static str {
        match self {
            ContractEvent::Generate => "generate",
            ContractEvent::UploadScan => "upload_scan",
            ContractEvent::Sign => "sign",
            ContractEvent::Void => "void",
        }
    }
}

impl ContractStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ContractStatus::Draft => "draft",
            ContractStatus::Signed => "signed",
            ContractStatus::Voided => "voided",
        }
    }

    /// The status `event` leads to, or 409 `invalid_transition`.
    pub fn on(self, event: ContractEvent) -> Result<ContractStatus, AppError> {
        use ContractEvent as E;
        use ContractStatus as S;
        match (self, event) {
            (S::Draft, E::UploadScan) => Ok(S::Draft),
            (S::Draft, E::Sign) => Ok(S::Signed),
            (S::Draft, E::Void) => Ok(S::Voided),
            _ => Err(AppError::conflict(
                "invalid_transition",
                format!(
                    "a contract that is {} cannot take `{}`",
                    self.as_str(),
                    event.as_str()
                ),
            )),
        }
    }
}

/// `JK` + the date generated + the application id, six digits: `JK20260302000017`. One live
/// contract per application, so the number says which application it belongs to; the
/// successor of a voided contract adds `-2`, `-3`.
pub fn contract_no(generated_on: Date, application_id: i64, generation: u32) -> String {
    let base = format!(
        "JK{:04}{:02}{:02}{:06}",
        generated_on.year(),
        u8::from(generated_on.month()),
        generated_on.day(),
        application_id
    );
    if generation <= 1 {
        base
    } else {
        format!("{base}-{generation}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn only_a_draft_moves_and_a_signed_contract_is_final() {
        assert_eq!(
            ContractStatus::Draft.on(ContractEvent::Sign).unwrap(),
            ContractStatus::Signed
        );
        for e in [
            ContractEvent::Sign,
            ContractEvent::Void,
            ContractEvent::UploadScan,
        ] {
            assert_eq!(
                ContractStatus::Signed.on(e).unwrap_err().code,
                "invalid_transition"
            );
            assert!(ContractStatus::Voided.on(e).is_err());
        }
    }

    #[test]
    fn the_number_names_the_day_and_the_application() {
        assert_eq!(
            contract_no(date!(2026 - 03 - 02), 17, 1),
            "JK20260302000017"
        );
        assert_eq!(
            contract_no(date!(2026 - 03 - 02), 17, 3),
            "JK20260302000017-3"
        );
    }
}
