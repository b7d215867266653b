//! When a version was published, to the second, so the change log and the feeds put events of
//! one day in the order they happened (a withdrawal after the version it ends). Versions
//! published before this migration, and imported ones, keep only their date: their time is not
//! known.

use sea_orm_migration::{prelude::*, schema::timestamp_with_time_zone_null};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m20261202_000006_version_published_at"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("version")
                    .add_column(timestamp_with_time_zone_null("published_at"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table("version").drop_column("published_at").to_owned())
            .await
    }
}
