//! The change log: one row per committed write, numbered by the change counter
//! (`registry_meta.generation`) in the same transaction, naming the documents whose search
//! projection the write changed. Every serving process applies it in order to its own index.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m20261203_000002_change_log"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("change_log")
                    .col(ColumnDef::new("seq").big_integer().not_null().primary_key())
                    // JSON array of document ids.
                    .col(ColumnDef::new("document_ids").text().not_null())
                    .col(ColumnDef::new("committed_at").timestamp_with_time_zone().not_null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("change_log").to_owned()).await
    }
}
