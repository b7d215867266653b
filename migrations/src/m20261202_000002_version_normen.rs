//! The Normen version each version follows, so a document's history shows when it was brought
//! up to a new Normen (the document's own `normen_version` is what its newest version says).
//! Versions published before this migration keep none: when they were aligned is not known.

use sea_orm_migration::{prelude::*, schema::string_null};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m20261202_000002_version_normen"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("version")
                    .add_column(string_null("normen_version"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table("version").drop_column("normen_version").to_owned())
            .await
    }
}
