//! What keeps the public pages' work bounded whatever the registry holds:
//!
//! - the change log and the feeds read the newest published versions along
//!   `idx_version_published` and stop at their page;
//! - withdrawals are found by document and by date, and counted from the withdrawn documents;
//! - a list of documents pages in SQL by title: `document.sort_title` is the sort key of the
//!   title its lists show (`domain::sort_title` of the newest published version's title in the
//!   document's language), kept up to date by every write (`services::changes::record`) and
//!   filled here for the documents there are. Compared byte by byte (`COLLATE "C"` on
//!   PostgreSQL, SQLite's default), so both databases order alike.
//!
//! The change log orders by `published_on DESC, published_at DESC NULLS LAST, id DESC`. SQLite
//! sorts NULL first, so its plain descending index already ends with the NULLs; PostgreSQL sorts
//! NULL last, so its index says `NULLS LAST` to be read in that order.

use std::collections::HashMap;

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, Statement};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &'static str {
        "m20261204_000001_page_indexes"
    }
}

/// Plain indexes: name, table, columns.
const INDEXES: &[(&str, &str, &[&str])] = &[
    ("idx_withdrawal_document_id", "withdrawal", &["document_id"]),
    (
        "idx_withdrawal_withdrawn_on",
        "withdrawal",
        &["withdrawn_on", "created_at"],
    ),
    ("idx_document_list", "document", &["kind", "status", "sort_title", "id"]),
    ("idx_document_status", "document", &["status"]),
];

/// `domain::sort_title` as it was when this migration was written.
fn sort_title(title: &str) -> String {
    title
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'æ' => '{',
            'ø' => '|',
            'å' => '}',
            c => c,
        })
        .collect()
}

/// Fills `sort_title` from each document's newest published version in its own language.
async fn fill_sort_titles(db: &SchemaManagerConnection<'_>) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    let languages: HashMap<i32, String> = db
        .query_all_raw(Statement::from_string(backend, "SELECT id, language FROM document"))
        .await?
        .iter()
        .map(|r| Ok((r.try_get_by_index(0)?, r.try_get_by_index(1)?)))
        .collect::<Result<_, DbErr>>()?;
    let mut newest: HashMap<i32, ((i32, i32), String)> = HashMap::new();
    for r in db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT document_id, language, label_major, label_minor, title FROM version \
             WHERE state = 'published' AND label_major IS NOT NULL",
        ))
        .await?
    {
        let (doc, language): (i32, String) = (r.try_get_by_index(0)?, r.try_get_by_index(1)?);
        let label: (i32, i32) = (
            r.try_get_by_index(2)?,
            r.try_get_by_index::<Option<i32>>(3)?.unwrap_or(0),
        );
        if languages.get(&doc) != Some(&language) {
            continue;
        }
        let title: String = r.try_get_by_index(4)?;
        if newest.get(&doc).is_none_or(|(l, _)| *l < label) {
            newest.insert(doc, (label, title));
        }
    }
    let placeholder = |n: usize| match backend {
        DbBackend::Postgres => format!("${n}"),
        _ => "?".into(),
    };
    let update = format!(
        "UPDATE document SET sort_title = {} WHERE id = {}",
        placeholder(1),
        placeholder(2)
    );
    for (doc, (_, title)) in newest {
        db.execute_raw(Statement::from_sql_and_values(
            backend,
            &update,
            [sort_title(&title).into(), doc.into()],
        ))
        .await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let (published, column) = match manager.get_database_backend() {
            DbBackend::Postgres => (
                "CREATE INDEX idx_version_published ON version \
                 (published_on DESC, published_at DESC NULLS LAST, id DESC)",
                "ALTER TABLE document ADD COLUMN sort_title TEXT COLLATE \"C\"",
            ),
            _ => (
                "CREATE INDEX idx_version_published ON version (published_on DESC, published_at DESC, id DESC)",
                "ALTER TABLE document ADD COLUMN sort_title TEXT",
            ),
        };
        db.execute_unprepared(published).await?;
        db.execute_unprepared(column).await?;
        fill_sort_titles(db).await?;
        for (name, table, cols) in INDEXES {
            let mut index = Index::create();
            index.name(*name).table(*table);
            for c in *cols {
                index.col(*c);
            }
            manager.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, _) in INDEXES.iter().rev() {
            manager
                .drop_index(Index::drop().name(*name).table(*table).to_owned())
                .await?;
        }
        manager
            .drop_index(Index::drop().name("idx_version_published").table("version").to_owned())
            .await?;
        manager
            .alter_table(Table::alter().table("document").drop_column("sort_title").to_owned())
            .await
    }
}
