//! Sign-in hardening: the login throttle moves into the database (so several processes serve
//! one registry with one throttle), a table of server keys (the sign-in form's CSRF key),
//! a status for users (disabled users cannot sign in or use tokens), and sessions that name
//! their user (so ending a user's sessions is one delete).

use sea_orm_migration::{
    prelude::*,
    schema::{integer, string, timestamp_with_time_zone},
};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m20261201_000002_auth_hardening"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Rows are keyed by a SHA-256 of (source address, user name) or of the address alone,
        // so a row has a fixed size whatever was typed.
        manager
            .create_table(
                Table::create()
                    .table("login_throttle")
                    .col(string("key").primary_key())
                    .col(integer("failures"))
                    .col(timestamp_with_time_zone("last_failure_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_login_throttle_last_failure_at")
                    .table("login_throttle")
                    .col("last_failure_at")
                    .to_owned(),
            )
            .await?;

        // Not in registry_meta: that table goes into exports, and a key must not.
        manager
            .create_table(
                Table::create()
                    .table("server_key")
                    .col(string("name").primary_key())
                    .col(string("value"))
                    .to_owned(),
            )
            .await?;

        manager
            .alter_table(
                Table::alter()
                    .table("app_user")
                    .add_column(ColumnDef::new("status").string().not_null().default("active"))
                    .to_owned(),
            )
            .await?;

        // Sessions written before this migration do not name their user, so they could not be
        // ended by a password change or a disable: everyone signs in once more. This also
        // clears the anonymous sessions the sign-in form used to store.
        manager
            .get_connection()
            .execute_unprepared("DELETE FROM web_session")
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("web_session")
                    .add_column(ColumnDef::new("user_id").integer().null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_web_session_user_id")
                    .table("web_session")
                    .col("user_id")
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_web_session_user_id")
                    .table("web_session")
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(Table::alter().table("web_session").drop_column("user_id").to_owned())
            .await?;
        manager
            .alter_table(Table::alter().table("app_user").drop_column("status").to_owned())
            .await?;
        manager.drop_table(Table::drop().table("server_key").to_owned()).await?;
        manager
            .drop_table(Table::drop().table("login_throttle").to_owned())
            .await?;
        Ok(())
    }
}
