//! The steering group's meetings: a `meeting` (date, time span, place, state), its
//! `agenda_item`s in order (case number, kind, background, *forslag til vedtak*, outcome, and
//! the `decision` a decided item became) and `agenda_item_link`s to what an item is about
//! (documents, revision needs). Decisions recorded before meetings existed stay cases without
//! a meeting.

use sea_orm_migration::{
    prelude::*,
    schema::{date, integer, integer_null, pk_auto, string, string_null, text, timestamp_with_time_zone},
};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m20261202_000012_meetings"
    }
}

fn fk(from_table: &'static str, from_col: &'static str, to_table: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{from_table}_{from_col}"))
        .from(from_table, from_col)
        .to(to_table, "id")
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("meeting")
                    .col(pk_auto("id"))
                    .col(date("date"))
                    .col(string_null("starts_at"))
                    .col(string_null("ends_at"))
                    .col(string("place"))
                    .col(string("title"))
                    .col(string("state"))
                    .col(string("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_meeting_date")
                    .table("meeting")
                    .col("date")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("agenda_item")
                    .col(pk_auto("id"))
                    .col(integer("meeting_id"))
                    .col(integer("position"))
                    .col(string("case_number"))
                    .col(integer("case_year"))
                    .col(integer("case_seq"))
                    .col(string("kind"))
                    .col(string("title"))
                    .col(text("background"))
                    .col(text("proposal"))
                    .col(string_null("presenter"))
                    .col(string_null("starts_at"))
                    .col(string_null("outcome"))
                    .col(text("outcome_text"))
                    .col(integer_null("decision_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(fk("agenda_item", "meeting_id", "meeting").on_delete(ForeignKeyAction::Cascade))
                    .foreign_key(&mut fk("agenda_item", "decision_id", "decision"))
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            ("idx_agenda_item_meeting_position", vec!["meeting_id", "position"]),
            ("idx_agenda_item_case", vec!["case_year", "case_seq"]),
            ("idx_agenda_item_decision_id", vec!["decision_id"]),
        ] {
            let mut index = Index::create();
            index.name(name).table("agenda_item");
            for c in cols {
                index.col(c);
            }
            manager.create_index(index.clone()).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table("agenda_item_link")
                    .col(pk_auto("id"))
                    .col(integer("item_id"))
                    .col(integer_null("document_id"))
                    .col(integer_null("revision_need_id"))
                    .foreign_key(fk("agenda_item_link", "item_id", "agenda_item").on_delete(ForeignKeyAction::Cascade))
                    .foreign_key(&mut fk("agenda_item_link", "document_id", "document"))
                    .foreign_key(&mut fk("agenda_item_link", "revision_need_id", "revision_need"))
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("idx_agenda_item_link_item_id", "item_id"),
            ("idx_agenda_item_link_document_id", "document_id"),
            ("idx_agenda_item_link_revision_need_id", "revision_need_id"),
        ] {
            manager
                .create_index(Index::create().name(name).table("agenda_item_link").col(col).to_owned())
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["agenda_item_link", "agenda_item", "meeting"] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
