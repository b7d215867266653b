//! Export of the whole registry as JSON lines, and the import of such an export into an empty
//! database, which gives back the same registry (same ids, same content hashes).

use std::io::Write;

use sea_orm::DatabaseConnection;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbBackend, EntityTrait, IntoActiveModel, PaginatorTrait, QueryOrder};
use serde::{Deserialize, Serialize};

use crate::entities::{decision, document, registry_meta, relation, revision_need, version, withdrawal};

/// Name in the header line that marks a registry export.
pub const FORMAT: &str = "normen-registry-export";

/// One line of an export.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ExportRecord {
    Header { format: String, version: u32 },
    Meta(registry_meta::Model),
    Decision(decision::Model),
    Document(document::Model),
    Version(version::Model),
    Withdrawal(withdrawal::Model),
    Relation(relation::Model),
    RevisionNeed(revision_need::Model),
}

/// Counts of what an export holds.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ExportCounts {
    pub documents: usize,
    pub versions: usize,
    pub other: usize,
}

fn line(out: &mut impl Write, record: &ExportRecord) -> anyhow::Result<()> {
    serde_json::to_writer(&mut *out, record)?;
    out.write_all(b"\n")?;
    Ok(())
}

/// Writes everything, in id order so two exports of the same registry are byte for byte equal.
pub async fn export(db: &impl ConnectionTrait, out: &mut impl Write) -> anyhow::Result<ExportCounts> {
    let mut counts = ExportCounts::default();
    line(
        out,
        &ExportRecord::Header {
            format: FORMAT.into(),
            version: 1,
        },
    )?;
    for m in registry_meta::Entity::find()
        .order_by_asc(registry_meta::Column::Key)
        .all(db)
        .await?
    {
        line(out, &ExportRecord::Meta(m))?;
    }
    for m in decision::Entity::find()
        .order_by_asc(decision::Column::Id)
        .all(db)
        .await?
    {
        counts.other += 1;
        line(out, &ExportRecord::Decision(m))?;
    }
    for m in document::Entity::find()
        .order_by_asc(document::Column::Id)
        .all(db)
        .await?
    {
        counts.documents += 1;
        line(out, &ExportRecord::Document(m))?;
    }
    // Versions hold most of the bytes: page through them instead of loading all at once.
    let mut pages = version::Entity::find()
        .order_by_asc(version::Column::Id)
        .paginate(db, 500);
    while let Some(batch) = pages.fetch_and_next().await? {
        for m in batch {
            counts.versions += 1;
            line(out, &ExportRecord::Version(m))?;
        }
    }
    for m in withdrawal::Entity::find()
        .order_by_asc(withdrawal::Column::Id)
        .all(db)
        .await?
    {
        counts.other += 1;
        line(out, &ExportRecord::Withdrawal(m))?;
    }
    for m in relation::Entity::find()
        .order_by_asc(relation::Column::Id)
        .all(db)
        .await?
    {
        counts.other += 1;
        line(out, &ExportRecord::Relation(m))?;
    }
    for m in revision_need::Entity::find()
        .order_by_asc(revision_need::Column::Id)
        .all(db)
        .await?
    {
        counts.other += 1;
        line(out, &ExportRecord::RevisionNeed(m))?;
    }
    out.flush()?;
    Ok(counts)
}

/// Returns whether the first line of a file is an export header.
pub fn is_export_header(first_line: &str) -> bool {
    matches!(serde_json::from_str::<ExportRecord>(first_line), Ok(ExportRecord::Header { format, .. }) if format == FORMAT)
}

/// Loads an export into an empty database, in one transaction.
pub async fn import_export<'a>(
    db: &DatabaseConnection,
    lines: impl Iterator<Item = (usize, &'a str)>,
) -> anyhow::Result<ExportCounts> {
    if document::Entity::find().count(db).await? > 0 {
        anyhow::bail!("an export is imported into an empty database; this one holds documents already");
    }
    let txn = crate::db::begin_write(db).await?;
    let mut counts = ExportCounts::default();
    for (no, text) in lines {
        if text.trim().is_empty() {
            continue;
        }
        let record: ExportRecord =
            serde_json::from_str(text).map_err(|e| anyhow::anyhow!("line {no}: not an export record: {e}"))?;
        match record {
            ExportRecord::Header { .. } => {}
            ExportRecord::Meta(m) => {
                registry_meta::Entity::delete_by_id(m.key.clone()).exec(&txn).await?;
                m.into_active_model().insert(&txn).await?;
            }
            ExportRecord::Decision(m) => {
                counts.other += 1;
                m.into_active_model().insert(&txn).await?;
            }
            ExportRecord::Document(m) => {
                counts.documents += 1;
                m.into_active_model().insert(&txn).await?;
            }
            ExportRecord::Version(m) => {
                counts.versions += 1;
                m.into_active_model().insert(&txn).await?;
            }
            ExportRecord::Withdrawal(m) => {
                counts.other += 1;
                m.into_active_model().insert(&txn).await?;
            }
            ExportRecord::Relation(m) => {
                counts.other += 1;
                m.into_active_model().insert(&txn).await?;
            }
            ExportRecord::RevisionNeed(m) => {
                counts.other += 1;
                m.into_active_model().insert(&txn).await?;
            }
        }
    }
    // Rows came with their ids: move PostgreSQL's sequences past them.
    if txn.get_database_backend() == DbBackend::Postgres {
        for table in [
            "decision",
            "document",
            "version",
            "withdrawal",
            "relation",
            "revision_need",
        ] {
            txn.execute_unprepared(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            ))
            .await?;
        }
    }
    txn.commit().await?;
    Ok(counts)
}

/// Writes a consistent copy of a live SQLite database to `target` (`VACUUM INTO`: an online
/// backup that readers and writers need not stop for). PostgreSQL is backed up with `pg_dump`.
pub async fn backup_sqlite(db: &impl ConnectionTrait, target: &std::path::Path) -> anyhow::Result<()> {
    if db.get_database_backend() != DbBackend::Sqlite {
        anyhow::bail!("backup copies a SQLite database; for PostgreSQL use pg_dump (see the README)");
    }
    if target.exists() {
        anyhow::bail!("{} exists already; a backup never overwrites a file", target.display());
    }
    let path = target
        .to_str()
        .ok_or_else(|| anyhow::anyhow!("the backup path must be UTF-8"))?;
    db.execute_raw(sea_orm::Statement::from_sql_and_values(
        DbBackend::Sqlite,
        "VACUUM INTO ?",
        [path.into()],
    ))
    .await?;
    Ok(())
}
