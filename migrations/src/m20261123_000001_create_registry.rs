//! The initial schema: documents, versions, decisions, withdrawals, relations, revision needs,
//! users, API tokens, the audit log and a small key/value table for the search index stamp.

use sea_orm_migration::{
    prelude::*,
    schema::{
        big_integer, boolean, date, date_null, integer, integer_null, pk_auto, string, string_null, string_uniq, text,
        text_null, timestamp_with_time_zone, timestamp_with_time_zone_null,
    },
};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m20261123_000001_create_registry"
    }
}

fn fk(from_table: &'static str, from_col: &'static str, to_table: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{from_table}_{from_col}"))
        .from(from_table, from_col)
        .to(to_table, "id")
        .to_owned()
}

/// Tables in creation order; dropped in reverse.
const TABLES: [&str; 11] = [
    "decision",
    "document",
    "version",
    "withdrawal",
    "relation",
    "revision_need",
    "app_user",
    "api_token",
    "audit_event",
    "registry_meta",
    "web_session",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("decision")
                    .col(pk_auto("id"))
                    .col(string_uniq("case_number"))
                    .col(date("meeting_date"))
                    .col(string("title"))
                    .col(text("outcome"))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("document")
                    .col(pk_auto("id"))
                    .col(string("kind"))
                    .col(string_null("number"))
                    .col(string_uniq("slug"))
                    .col(string("language"))
                    .col(string("status"))
                    .col(string_null("external_id").unique_key())
                    .col(string_null("normen_version"))
                    .col(integer("revision"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_document_kind_number")
                    .table("document")
                    .col("kind")
                    .col("number")
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("version")
                    .col(pk_auto("id"))
                    .col(integer("document_id"))
                    .col(string("language"))
                    .col(string("state"))
                    .col(string_null("label"))
                    .col(integer_null("label_major"))
                    .col(integer_null("label_minor"))
                    .col(string("title"))
                    .col(text("summary"))
                    .col(text("body"))
                    .col(text("change_note"))
                    .col(string_null("change_kind"))
                    .col(date_null("published_on"))
                    .col(integer_null("decision_id"))
                    .col(integer_null("source_version_id"))
                    .col(string("content_hash"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(string("created_by"))
                    .foreign_key(&mut fk("version", "document_id", "document"))
                    .foreign_key(&mut fk("version", "decision_id", "decision"))
                    .foreign_key(&mut fk("version", "source_version_id", "version"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_version_label")
                    .table("version")
                    .col("document_id")
                    .col("language")
                    .col("label")
                    .unique()
                    .to_owned(),
            )
            .await?;
        // At most one draft per document and language, enforced by the database so that two
        // concurrent requests cannot both create one. Partial indexes work on SQLite and PostgreSQL.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX ux_version_one_draft ON version (document_id, language) \
                 WHERE state = 'draft'",
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("withdrawal")
                    .col(pk_auto("id"))
                    .col(integer("document_id"))
                    .col(date("withdrawn_on"))
                    .col(text("reason"))
                    .col(integer_null("decision_id"))
                    .col(timestamp_with_time_zone_null("reinstated_at"))
                    .col(text_null("reinstate_reason"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("withdrawal", "document_id", "document"))
                    .foreign_key(&mut fk("withdrawal", "decision_id", "decision"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("relation")
                    .col(pk_auto("id"))
                    .col(integer("from_document_id"))
                    .col(integer("to_document_id"))
                    .col(string("kind"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("relation", "from_document_id", "document"))
                    .foreign_key(&mut fk("relation", "to_document_id", "document"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_relation")
                    .table("relation")
                    .col("from_document_id")
                    .col("to_document_id")
                    .col("kind")
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("revision_need")
                    .col(pk_auto("id"))
                    .col(integer("document_id"))
                    .col(integer_null("version_id"))
                    .col(string_null("section"))
                    .col(string("title"))
                    .col(text("description"))
                    .col(string("origin"))
                    .col(text_null("origin_body"))
                    .col(string_null("origin_reference"))
                    .col(string_null("period"))
                    .col(integer_null("decision_id"))
                    .col(string("kind"))
                    .col(integer("priority"))
                    .col(string("state"))
                    .col(boolean("public"))
                    .col(integer_null("resolved_version_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("revision_need", "document_id", "document"))
                    .foreign_key(&mut fk("revision_need", "version_id", "version"))
                    .foreign_key(&mut fk("revision_need", "decision_id", "decision"))
                    .foreign_key(&mut fk("revision_need", "resolved_version_id", "version"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("app_user")
                    .col(pk_auto("id"))
                    .col(string_uniq("name"))
                    .col(string("role"))
                    .col(string_null("password_hash"))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("api_token")
                    .col(pk_auto("id"))
                    .col(integer("user_id"))
                    .col(string_uniq("token_hash"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("revoked_at"))
                    .foreign_key(&mut fk("api_token", "user_id", "app_user"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("audit_event")
                    .col(pk_auto("id"))
                    .col(timestamp_with_time_zone("at"))
                    .col(string("actor"))
                    .col(string("action"))
                    .col(string("target_type"))
                    .col(integer_null("target_id"))
                    .col(text("details"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("registry_meta")
                    .col(string("key").primary_key())
                    .col(big_integer("value"))
                    .to_owned(),
            )
            .await?;
        // The change counter: every write that changes what the public sees bumps it, and the
        // search index records the value it was built from.
        manager
            .get_connection()
            .execute_unprepared("INSERT INTO registry_meta (key, value) VALUES ('generation', 0)")
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("web_session")
                    .col(string("id").primary_key())
                    .col(text("data"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES.iter().rev() {
            manager.drop_table(Table::drop().table(*table).to_owned()).await?;
        }
        Ok(())
    }
}
