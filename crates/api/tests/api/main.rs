//! HTTP tests of the whole API against a real PostgreSQL: one cluster per run, a fresh
//! database per test, the server on a free port, and a clock the tests move.

mod helpers;

mod audit;
mod auth;
mod calculator;
mod close;
mod close_long;
mod close_rounding;
mod close_schedule;
mod committee;
mod contracts;
mod conventions;
mod credit_application;
mod credit_lines;
mod customer_accounts;
mod customers;
mod data_scope;
mod enterprises;
mod money;
mod organisation;
mod origination;
mod prepayment;
mod products;
mod release;
mod risk;
mod securing;
mod snapshots;
mod vehicles;
mod warnings;
