//! Chedai's migrations, applied in order by `chedai migrate` and at every start.
//!
//! Each migration is plain SQL in its own file. A migration that has landed on main is never
//! edited: a change is a new migration.

pub use sea_orm_migration::prelude::*;

mod m20261128_000001_organisation;
mod m20261128_000002_customers;
mod m20261128_000003_risk;
mod m20261128_000004_loan_products;
mod m20261128_000005_vehicles;
mod m20261128_000006_customer_list_index;
mod m20261128_000007_workflow;
mod m20261128_000008_loan_applications;
mod m20261128_000009_review_committee;
mod m20261128_000010_credit_lines;
mod m20261128_000011_loan_contracts;
mod m20261128_000012_collateral_securing;
mod m20261128_000013_collateral_documents;
mod m20261128_000014_ledgers;
mod m20261128_000015_loan_servicing;
mod m20261128_000016_reversals_fees;
mod m20261128_000017_partial_prepayment;
mod m20261128_000018_release_requests;
mod m20261128_000019_daily_close;
mod m20261128_000020_interest_accrual;
mod m20261128_000021_classification_provisions;
mod m20261128_000022_warnings;
mod m20261128_000023_loan_extensions;
mod m20261129_000024_close_loan_failures;
mod m20261129_000025_outbox;
mod m20261129_000026_balance_snapshots;
mod m20261129_000027_credit_application;
mod m20261129_000028_close_fillfactor;
mod m20261129_000029_close_postings_without_loan_key;
mod m20261129_000030_close_hot_loans;
mod m20261129_000031_provisions_without_loan_key;
mod m20261129_000032_close_postings_vat_rate;
mod m20261129_000033_provision_summaries;
mod m20261129_000034_close_run_grid;
mod m20261129_000035_loans_class_unindexed;
mod m20261129_000036_loans_product;
mod m20261129_000037_balances_room;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261128_000001_organisation::Migration),
            Box::new(m20261128_000002_customers::Migration),
            Box::new(m20261128_000003_risk::Migration),
            Box::new(m20261128_000004_loan_products::Migration),
            Box::new(m20261128_000005_vehicles::Migration),
            Box::new(m20261128_000006_customer_list_index::Migration),
            Box::new(m20261128_000007_workflow::Migration),
            Box::new(m20261128_000008_loan_applications::Migration),
            Box::new(m20261128_000009_review_committee::Migration),
            Box::new(m20261128_000010_credit_lines::Migration),
            Box::new(m20261128_000011_loan_contracts::Migration),
            Box::new(m20261128_000012_collateral_securing::Migration),
            Box::new(m20261128_000013_collateral_documents::Migration),
            Box::new(m20261128_000014_ledgers::Migration),
            Box::new(m20261128_000015_loan_servicing::Migration),
            Box::new(m20261128_000016_reversals_fees::Migration),
            Box::new(m20261128_000017_partial_prepayment::Migration),
            Box::new(m20261128_000018_release_requests::Migration),
            Box::new(m20261128_000019_daily_close::Migration),
            Box::new(m20261128_000020_interest_accrual::Migration),
            Box::new(m20261128_000021_classification_provisions::Migration),
            Box::new(m20261128_000022_warnings::Migration),
            Box::new(m20261128_000023_loan_extensions::Migration),
            Box::new(m20261129_000024_close_loan_failures::Migration),
            Box::new(m20261129_000025_outbox::Migration),
            Box::new(m20261129_000026_balance_snapshots::Migration),
            Box::new(m20261129_000027_credit_application::Migration),
            Box::new(m20261129_000028_close_fillfactor::Migration),
            Box::new(m20261129_000029_close_postings_without_loan_key::Migration),
            Box::new(m20261129_000030_close_hot_loans::Migration),
            Box::new(m20261129_000031_provisions_without_loan_key::Migration),
            Box::new(m20261129_000032_close_postings_vat_rate::Migration),
            Box::new(m20261129_000033_provision_summaries::Migration),
            Box::new(m20261129_000034_close_run_grid::Migration),
            Box::new(m20261129_000035_loans_class_unindexed::Migration),
            Box::new(m20261129_000036_loans_product::Migration),
            Box::new(m20261129_000037_balances_room::Migration),
        ]
    }
}
