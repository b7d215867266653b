//! One source, many documents: a law change or an outside report (Prop. 152 L, EHDS, a letter
//! from Bufdir) is recorded once, and each revision need it opened points back to it.

use sea_orm_migration::{
    prelude::*,
    schema::{integer_null, pk_auto, string, string_null, text, timestamp_with_time_zone},
};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m20261202_000011_revision_source"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("revision_source")
                    .col(pk_auto("id"))
                    .col(string("title"))
                    .col(string("reference"))
                    .col(string_null("url"))
                    .col(text("description"))
                    .col(string("kind"))
                    .col(string("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("revision_need")
                    .add_column(integer_null("source_id"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_revision_need_source_id")
                    .table("revision_need")
                    .col("source_id")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_revision_need_source_id")
                    .table("revision_need")
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("revision_need")
                    .drop_column("source_id")
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table("revision_source").to_owned())
            .await
    }
}
