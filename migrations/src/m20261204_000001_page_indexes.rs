//! Indexes that keep the public pages' work bounded whatever the registry holds: the change log
//! and the feeds read the newest published versions along `idx_version_published` and stop at
//! their page; withdrawals are found by document and by date; lists filter documents by kind
//! and status.
//!
//! The change log orders by `published_on DESC, published_at DESC NULLS LAST, id DESC`. SQLite
//! sorts NULL first, so its plain descending index already ends with the NULLs; PostgreSQL sorts
//! NULL last, so its index says `NULLS LAST` to be read in that order.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m20261204_000001_page_indexes"
    }
}

/// Plain indexes: name, table, columns.
const INDEXES: &[(&str, &str, &[&str])] = &[
    ("idx_withdrawal_document_id", "withdrawal", &["document_id"]),
    (
        "idx_withdrawal_withdrawn_on",
        "withdrawal",
        &["withdrawn_on", "created_at"],
    ),
    ("idx_document_kind_status", "document", &["kind", "status"]),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let published = match manager.get_database_backend() {
            DbBackend::Postgres => {
                "CREATE INDEX idx_version_published ON version \
                 (published_on DESC, published_at DESC NULLS LAST, id DESC)"
            }
            _ => "CREATE INDEX idx_version_published ON version (published_on DESC, published_at DESC, id DESC)",
        };
        manager.get_connection().execute_unprepared(published).await?;
        for (name, table, cols) in INDEXES {
            let mut index = Index::create();
            index.name(*name).table(*table);
            for c in *cols {
                index.col(*c);
            }
            manager.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, _) in INDEXES.iter().rev() {
            manager
                .drop_index(Index::drop().name(*name).table(*table).to_owned())
                .await?;
        }
        manager
            .drop_index(Index::drop().name("idx_version_published").table("version").to_owned())
            .await
    }
}
