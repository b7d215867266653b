//! A withdrawal's date may be unknown: material withdrawn before the registry kept it says
//! "dato ukjent" rather than a date someone invented. `withdrawn_on` becomes nullable.
//!
//! PostgreSQL alters the column in place. SQLite cannot, so the table is rebuilt (create,
//! copy, drop, rename) in one transaction. Foreign keys stay on, and SQLite cannot switch
//! them off inside a transaction, so the rows that point at withdrawals (`external_successor`)
//! are set aside first and put back, ids kept, once the new table has the old one's name:
//! dropping a table that is still referenced would count as a violation nothing undoes.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    date, date_null, integer, integer_null, pk_auto, text, text_null, timestamp_with_time_zone,
    timestamp_with_time_zone_null,
};
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m20261203_000001_withdrawal_date_unknown"
    }
}

/// The withdrawal table as it is after (`nullable`) or before this migration.
fn table(name: &str, nullable: bool) -> TableCreateStatement {
    let fk = |col: &'static str, to: &'static str| {
        ForeignKey::create()
            .name(format!("fk_withdrawal_{col}"))
            .from(name.to_string(), col)
            .to(to, "id")
            .to_owned()
    };
    Table::create()
        .table(name.to_string())
        .col(pk_auto("id"))
        .col(integer("document_id"))
        .col(if nullable {
            date_null("withdrawn_on")
        } else {
            date("withdrawn_on")
        })
        .col(text("reason"))
        .col(integer_null("decision_id"))
        .col(timestamp_with_time_zone_null("reinstated_at"))
        .col(text_null("reinstate_reason"))
        .col(timestamp_with_time_zone("created_at"))
        .foreign_key(&mut fk("document_id", "document"))
        .foreign_key(&mut fk("decision_id", "decision"))
        .to_owned()
}

/// Rebuilds SQLite's withdrawal table with the column nullable or not.
async fn rebuild_sqlite(manager: &SchemaManager<'_>, nullable: bool) -> Result<(), DbErr> {
    let db = manager.get_connection();
    db.execute_unprepared("CREATE TABLE external_successor_kept AS SELECT * FROM external_successor")
        .await?;
    db.execute_unprepared("DELETE FROM external_successor").await?;
    manager.create_table(table("withdrawal_new", nullable)).await?;
    db.execute_unprepared(
        "INSERT INTO withdrawal_new (id, document_id, withdrawn_on, reason, decision_id, reinstated_at, \
         reinstate_reason, created_at) SELECT id, document_id, withdrawn_on, reason, decision_id, \
         reinstated_at, reinstate_reason, created_at FROM withdrawal",
    )
    .await?;
    // AUTOINCREMENT never reissues an id: the new table carries on from the old one's mark.
    db.execute_unprepared(
        "UPDATE sqlite_sequence SET seq = (SELECT seq FROM sqlite_sequence WHERE name = 'withdrawal') \
         WHERE name = 'withdrawal_new' AND EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'withdrawal')",
    )
    .await?;
    db.execute_unprepared("DROP TABLE withdrawal").await?;
    db.execute_unprepared("ALTER TABLE withdrawal_new RENAME TO withdrawal")
        .await?;
    db.execute_unprepared("INSERT INTO external_successor SELECT * FROM external_successor_kept")
        .await?;
    db.execute_unprepared("DROP TABLE external_successor_kept").await?;
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    // SQLite's rebuild must be all or nothing.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        match manager.get_database_backend() {
            DbBackend::Sqlite => rebuild_sqlite(manager, true).await,
            _ => {
                manager
                    .alter_table(
                        Table::alter()
                            .table("withdrawal")
                            .modify_column(ColumnDef::new("withdrawn_on").date().null())
                            .to_owned(),
                    )
                    .await
            }
        }
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // An unknown date goes back to the day the withdrawal was recorded.
        let day = match manager.get_database_backend() {
            DbBackend::Sqlite => "date(created_at)",
            _ => "CAST(created_at AS DATE)",
        };
        manager
            .get_connection()
            .execute_unprepared(&format!(
                "UPDATE withdrawal SET withdrawn_on = {day} WHERE withdrawn_on IS NULL"
            ))
            .await?;
        match manager.get_database_backend() {
            DbBackend::Sqlite => rebuild_sqlite(manager, false).await,
            _ => {
                manager
                    .alter_table(
                        Table::alter()
                            .table("withdrawal")
                            .modify_column(ColumnDef::new("withdrawn_on").date().not_null())
                            .to_owned(),
                    )
                    .await
            }
        }
    }
}
