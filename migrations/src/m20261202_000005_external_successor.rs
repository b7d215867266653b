//! A withdrawal can name replacements outside the registry (a title and an address, such as
//! Digdir's Prosjektveiviseren), shown on the banner beside the internal ones.

use sea_orm_migration::{
    prelude::*,
    schema::{integer, pk_auto, string},
};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m20261202_000005_external_successor"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("external_successor")
                    .col(pk_auto("id"))
                    .col(integer("withdrawal_id"))
                    .col(string("title"))
                    .col(string("url"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_external_successor_withdrawal_id")
                            .from("external_successor", "withdrawal_id")
                            .to("withdrawal", "id"),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("external_successor").to_owned())
            .await
    }
}
