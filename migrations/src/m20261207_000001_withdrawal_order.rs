//! The list of withdrawn material reads the newest withdrawals in force along an index in its
//! own order (`withdrawn_on DESC NULLS LAST, created_at DESC, id DESC`) and stops at its page,
//! instead of sorting every withdrawal there is.
//!
//! SQLite needs nothing new: it sorts NULL first, so `idx_withdrawal_withdrawn_on
//! (withdrawn_on, created_at)` read backwards ends with the unknown dates, and its rowid (the
//! id) breaks the ties. PostgreSQL sorts NULL last, so read backwards that index would put the
//! unknown dates first; it gets an index that says `NULLS LAST`.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m20261207_000001_withdrawal_order"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DbBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared(
                    "CREATE INDEX idx_withdrawal_list ON withdrawal \
                     (withdrawn_on DESC NULLS LAST, created_at DESC, id DESC)",
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DbBackend::Postgres {
            manager
                .drop_index(Index::drop().name("idx_withdrawal_list").table("withdrawal").to_owned())
                .await?;
        }
        Ok(())
    }
}
