//! The action plan ("handlingsplan"): its periods (`plan_period`, a half-year "2026-H1" or a
//! whole year "2024", drafted, discussed, adopted by a decision) and their items (`plan_item`:
//! a piece of work of a kind and priority, optionally linked to a document, a revision need and
//! the case that asked for it). An item moved to another period stays where it was with
//! `moved_to` and `moved_reason` set, and a new item in the target period points back at it
//! (`moved_from_item_id`).

use sea_orm_migration::{
    prelude::*,
    schema::{integer, integer_null, pk_auto, string, string_null, text, timestamp_with_time_zone},
};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m20261202_000013_plans"
    }
}

fn fk(from_col: &'static str, to_table: &'static str, to_col: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_plan_item_{from_col}"))
        .from("plan_item", from_col)
        .to(to_table, to_col)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("plan_period")
                    .col(pk_auto("id"))
                    .col(string("key").unique_key())
                    .col(string("state"))
                    .col(integer_null("decision_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_plan_period_decision_id")
                            .from("plan_period", "decision_id")
                            .to("decision", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("plan_item")
                    .col(pk_auto("id"))
                    .col(string("period"))
                    .col(string("title"))
                    .col(text("description"))
                    .col(string("kind"))
                    .col(integer("priority"))
                    .col(string("state"))
                    .col(integer_null("document_id"))
                    .col(integer_null("revision_need_id"))
                    .col(integer_null("decision_id"))
                    .col(string_null("moved_to"))
                    .col(string_null("moved_reason"))
                    .col(integer_null("moved_from_item_id"))
                    .col(string("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("period", "plan_period", "key"))
                    .foreign_key(&mut fk("moved_to", "plan_period", "key"))
                    .foreign_key(&mut fk("document_id", "document", "id"))
                    .foreign_key(&mut fk("revision_need_id", "revision_need", "id"))
                    .foreign_key(&mut fk("decision_id", "decision", "id"))
                    .foreign_key(&mut fk("moved_from_item_id", "plan_item", "id"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_plan_item_period")
                    .table("plan_item")
                    .col("period")
                    .to_owned(),
            )
            .await?;
        // An agenda item can be about a plan item too.
        manager
            .alter_table(
                Table::alter()
                    .table("agenda_item_link")
                    .add_column(integer_null("plan_item_id"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_agenda_item_link_plan_item_id")
                    .table("agenda_item_link")
                    .col("plan_item_id")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_agenda_item_link_plan_item_id")
                    .table("agenda_item_link")
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("agenda_item_link")
                    .drop_column("plan_item_id")
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(Index::drop().name("idx_plan_item_period").table("plan_item").to_owned())
            .await?;
        manager.drop_table(Table::drop().table("plan_item").to_owned()).await?;
        manager.drop_table(Table::drop().table("plan_period").to_owned()).await
    }
}
