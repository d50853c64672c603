//! Pure rules of customers: no database, no clock. Each identifier is parsed once into a type
//! that cannot be invalid, and trusted after.

pub mod bank_card;
pub mod credit_code;
pub mod mask;
pub mod mobile;
pub mod resident_id;

pub use bank_card::BankCardNumber;
pub use credit_code::CreditCode;
pub use mobile::MobileNumber;
pub use resident_id::{ResidentId, Sex};

/// Why a value did not parse: a stable code for the client and an English message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Invalid {
    pub code: &'static str,
    pub message: &'static str,
}

impl Invalid {
    pub const fn new(code: &'static str, message: &'static str) -> Invalid {
        Invalid { code, message }
    }

    /// Records this failure against `field`.
    pub fn at(self, errors: &mut kernel::error::FieldErrors, field: impl Into<String>) {
        errors.add(field, self.code, self.message);
    }
}
