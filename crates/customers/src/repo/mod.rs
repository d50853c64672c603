//! sea-orm entities for the customer tables. Services map them to the API's views; encrypted
//! columns (`*_cipher`) are only ever read through [`crate::pii::PiiKeys`].

pub mod bank_account;
pub mod blacklist_entry;
pub mod customer;
pub mod document;
pub mod grade;
pub mod prospect;
