//! Approval before publishing: which kinds need it (`approval_rule`, on for fact sheets and
//! guides), each submission of a draft and what became of it (`approval`), reviewers' comments
//! on a draft's sections (`draft_comment`), and on each version who approved it, when, or the
//! admin's reason for publishing without approval.

use sea_orm_migration::{
    prelude::*,
    schema::{
        boolean, integer, pk_auto, string, string_null, text, timestamp_with_time_zone, timestamp_with_time_zone_null,
    },
};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m20261202_000010_approval"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("approval_rule")
                    .col(string("kind").primary_key())
                    .col(boolean("required"))
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::insert()
                    .into_table("approval_rule")
                    .columns(["kind", "required"])
                    .values_panic(["fact_sheet".into(), true.into()])
                    .values_panic(["guide".into(), true.into()])
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("approval")
                    .col(pk_auto("id"))
                    .col(integer("version_id"))
                    .col(string("state"))
                    .col(string("fingerprint"))
                    .col(string("submitted_by"))
                    .col(timestamp_with_time_zone("submitted_at"))
                    .col(text("note"))
                    .col(string_null("decided_by"))
                    .col(timestamp_with_time_zone_null("decided_at"))
                    .col(text("comment"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_approval_version_id")
                            .from("approval", "version_id")
                            .to("version", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_approval_version_id")
                    .table("approval")
                    .col("version_id")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_approval_state")
                    .table("approval")
                    .col("state")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("draft_comment")
                    .col(pk_auto("id"))
                    .col(integer("version_id"))
                    .col(string("section"))
                    .col(text("body"))
                    .col(string("author"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_draft_comment_version_id")
                            .from("draft_comment", "version_id")
                            .to("version", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_draft_comment_version_id")
                    .table("draft_comment")
                    .col("version_id")
                    .to_owned(),
            )
            .await?;
        for col in ["approved_by", "forced_reason"] {
            manager
                .alter_table(Table::alter().table("version").add_column(string_null(col)).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table("version")
                    .add_column(timestamp_with_time_zone_null("approved_at"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for col in ["approved_at", "forced_reason", "approved_by"] {
            manager
                .alter_table(Table::alter().table("version").drop_column(col).to_owned())
                .await?;
        }
        for table in ["draft_comment", "approval", "approval_rule"] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
