//! The section list of a rendered version (heading ids and texts, for the contents list), kept
//! beside its HTML in the `version_html` cache. Rows written before it hold `[]` and an older
//! renderer generation, so they are redone on next view.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m20261202_000014_version_sections"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("version_html")
                    .add_column(ColumnDef::new("sections").text().not_null().default("[]"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table("version_html").drop_column("sections").to_owned())
            .await
    }
}
