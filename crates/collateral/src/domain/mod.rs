//! Pure rules of collateral: no database, no clock.

pub mod imei;
pub mod plate;
pub mod release;
pub mod vin;

pub use customers::domain::Invalid;
pub use imei::Imei;
pub use plate::PlateNumber;
pub use release::{RegistrationStatus, ReleaseEvent, ReleaseRequestStatus};
pub use vin::Vin;
