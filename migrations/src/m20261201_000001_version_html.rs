//! Rendered HTML of published versions, kept so that a page view does not render Markdown.
//! A cache: not exported, filled at publication or on first view, and checked against the
//! version's content hash and the renderer's generation before use.

use sea_orm_migration::{
    prelude::*,
    schema::{integer, string, text},
};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m20261201_000001_version_html"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("version_html")
                    .col(integer("version_id").primary_key())
                    .col(string("content_hash"))
                    .col(integer("renderer"))
                    .col(text("html"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_version_html_version_id")
                            .from("version_html", "version_id")
                            .to("version", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("version_html").to_owned()).await
    }
}
