//! The review cycle: a `review` per look at a document (date, outcome, note, reviewer, optional
//! case and the revision need it opened), and a document's own review interval beside the
//! default of its kind.

use sea_orm_migration::{
    prelude::*,
    schema::{date, integer, integer_null, pk_auto, string, text, timestamp_with_time_zone},
};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m20261202_000001_reviews"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("document")
                    .add_column(integer_null("review_interval_months"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("review")
                    .col(pk_auto("id"))
                    .col(integer("document_id"))
                    .col(date("reviewed_on"))
                    .col(string("outcome"))
                    .col(text("note"))
                    .col(string("reviewer"))
                    .col(integer_null("decision_id"))
                    .col(integer_null("revision_need_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_review_document_id")
                            .from("review", "document_id")
                            .to("document", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_review_decision_id")
                            .from("review", "decision_id")
                            .to("decision", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_review_revision_need_id")
                            .from("review", "revision_need_id")
                            .to("revision_need", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        // A document's reviews, newest first: what its page and the due list read.
        manager
            .create_index(
                Index::create()
                    .name("idx_review_document_reviewed_on")
                    .table("review")
                    .col("document_id")
                    .col("reviewed_on")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("review").to_owned()).await?;
        manager
            .alter_table(
                Table::alter()
                    .table("document")
                    .drop_column("review_interval_months")
                    .to_owned(),
            )
            .await
    }
}
