//! Old public addresses of documents: when a number or slug changes, the address it had keeps
//! answering with a permanent redirect to the new one.

use sea_orm_migration::{
    prelude::*,
    schema::{integer, string},
};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m20261202_000003_path_alias"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("path_alias")
                    .col(string("path").primary_key())
                    .col(integer("document_id"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_path_alias_document_id")
                            .from("path_alias", "document_id")
                            .to("document", "id"),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("path_alias").to_owned()).await
    }
}
