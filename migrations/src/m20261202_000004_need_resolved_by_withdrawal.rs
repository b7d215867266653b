//! A revision need can be resolved by a withdrawal instead of a version: withdrawing a document
//! closes the needs that proposed it.

use sea_orm_migration::{prelude::*, schema::integer_null};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m20261202_000004_need_resolved_by_withdrawal"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("revision_need")
                    .add_column(integer_null("resolved_withdrawal_id"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("revision_need")
                    .drop_column("resolved_withdrawal_id")
                    .to_owned(),
            )
            .await
    }
}
