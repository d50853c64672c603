//! The kernel every Chedai crate stands on: [`Money`] and [`Rate`], business dates and the
//! [`Clock`], typed ids, paging, and [`AppError`] with stable machine codes.
//!
//! It does no I/O and knows nothing of HTTP or SQL: `api` maps [`ErrorKind`] to statuses and
//! problem+json, domain crates map their rows into these types.

pub mod clock;
pub mod date;
pub mod error;
pub mod id;
pub mod money;
pub mod paging;
pub mod rate;

pub use clock::{Clock, ManualClock, SharedClock, SystemClock};
pub use error::{AppError, AppResult, ErrorKind, FieldError};
pub use money::{Money, round_half_up};
pub use paging::{Page, PageRequest};
pub use rate::Rate;
