//! Database schema of the registry, as sea-orm migrations that run on SQLite and PostgreSQL.

// sea-orm's MigrationTrait is an async_trait: its methods are written as the trait declares them.
#![allow(elided_lifetimes_in_paths)]

pub use sea_orm_migration::prelude::*;

mod m20261123_000001_create_registry;
mod m20261201_000001_version_html;
mod m20261201_000002_auth_hardening;
mod m20261201_000003_number_key;
mod m20261202_000001_reviews;
mod m20261202_000002_version_normen;
mod m20261202_000003_path_alias;
mod m20261202_000004_need_resolved_by_withdrawal;
mod m20261202_000005_external_successor;
mod m20261202_000006_version_published_at;
mod m20261202_000010_approval;
mod m20261202_000011_revision_source;
mod m20261202_000012_meetings;
mod m20261202_000013_plans;
mod m20261202_000014_version_sections;
mod m20261203_000001_withdrawal_date_unknown;
mod m20261203_000002_change_log;
mod m20261204_000001_page_indexes;
mod m20261207_000001_withdrawal_order;

/// Runs the registry's migrations in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_create_registry::Migration),
            Box::new(m20261201_000001_version_html::Migration),
            Box::new(m20261201_000002_auth_hardening::Migration),
            Box::new(m20261201_000003_number_key::Migration),
            Box::new(m20261202_000001_reviews::Migration),
            Box::new(m20261202_000002_version_normen::Migration),
            Box::new(m20261202_000003_path_alias::Migration),
            Box::new(m20261202_000004_need_resolved_by_withdrawal::Migration),
            Box::new(m20261202_000005_external_successor::Migration),
            Box::new(m20261202_000006_version_published_at::Migration),
            Box::new(m20261202_000010_approval::Migration),
            Box::new(m20261202_000011_revision_source::Migration),
            Box::new(m20261202_000012_meetings::Migration),
            Box::new(m20261202_000013_plans::Migration),
            Box::new(m20261202_000014_version_sections::Migration),
            Box::new(m20261203_000001_withdrawal_date_unknown::Migration),
            Box::new(m20261203_000002_change_log::Migration),
            Box::new(m20261204_000001_page_indexes::Migration),
            Box::new(m20261207_000001_withdrawal_order::Migration),
        ]
    }
}
