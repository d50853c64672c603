//! Notifications through an outbox (通知发件箱, DESIGN.md §3 `notify`).
//!
//! A business change that should tell a customer something writes an `outbox_messages` row in
//! the same transaction as the change, so a message exists exactly when its cause was
//! committed; a sender (the notifications work, still to come) delivers the `pending` rows
//! over SMS, e-mail, WeChat or webhooks and records the outcome. Each message carries a dedupe
//! key naming what it is about, so writing it again — a rerun of the daily close, a retried
//! request — adds nothing.
//!
//! This crate owns the table: writers in other crates go through [`outbox::insert_select`]
//! rather than naming its columns, and readers through [`outbox::list`].

pub mod outbox;

pub use outbox::{OutboxFilter, OutboxMessage, OutboxStatus, OutboxTemplate};
