//! The change log. Every committed write that changes what the search index holds bumps the
//! change counter (`registry_meta.generation`) and appends a `change_log` row numbered by it,
//! in the write's own transaction. The counter row is locked by the bump until the commit, so
//! writers take numbers one at a time and commit in number order: a reader that has seen
//! change `n` has seen every change before it. Each serving process applies the log in order to
//! its own index (`search::SearchHandle::catch_up`); on PostgreSQL the commit also sends a
//! `NOTIFY` so the others wake at once.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    Statement,
};

use crate::entities::{change_log, registry_meta};
use crate::error::{AppError, AppResult};

/// The PostgreSQL channel a commit notifies; the payload is the change's number.
pub const CHANNEL: &str = "normen_changes";

/// Changes kept in the log after the newest: a process that was down for fewer catches up
/// from the log, one further behind rebuilds its index.
pub const KEEP: i64 = 20_000;

/// One committed write, as the log holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub seq: i64,
    /// `None` when the row cannot be read: the reader must then rebuild.
    pub document_ids: Option<Vec<i32>>,
    pub committed_at: DateTime<Utc>,
}

/// Records, inside the write's transaction `txn`, that it changes the projection of
/// `document_ids`; returns the change's number.
pub async fn record(txn: &impl ConnectionTrait, document_ids: &[i32]) -> AppResult<i64> {
    registry_meta::Entity::update_many()
        .col_expr(
            registry_meta::Column::Value,
            Expr::col(registry_meta::Column::Value).add(1),
        )
        .filter(registry_meta::Column::Key.eq("generation"))
        .exec(txn)
        .await?;
    let seq = latest(txn).await?;
    let ids = serde_json::to_string(document_ids).map_err(|e| AppError::Internal(e.into()))?;
    change_log::ActiveModel {
        seq: Set(seq),
        document_ids: Set(ids),
        committed_at: Set(Utc::now()),
    }
    .insert(txn)
    .await?;
    // Every write that changes what a document shows passes here: its list key follows.
    crate::services::documents::refresh_sort_titles(txn, document_ids).await?;
    if txn.get_database_backend() == DbBackend::Postgres {
        // Delivered when the transaction commits, and not at all if it rolls back.
        txn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_notify($1, $2)",
            [CHANNEL.into(), seq.to_string().into()],
        ))
        .await?;
    }
    Ok(seq)
}

/// The number of the newest committed change (0 for a fresh registry).
pub async fn latest(db: &impl ConnectionTrait) -> AppResult<i64> {
    Ok(registry_meta::Entity::find_by_id("generation")
        .one(db)
        .await?
        .map(|m| m.value)
        .unwrap_or(0))
}

/// Up to `limit` changes after `seq`, oldest first.
pub async fn after(db: &impl ConnectionTrait, seq: i64, limit: u64) -> AppResult<Vec<Change>> {
    let rows = change_log::Entity::find()
        .filter(change_log::Column::Seq.gt(seq))
        .order_by_asc(change_log::Column::Seq)
        .limit(limit)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| Change {
            seq: r.seq,
            document_ids: serde_json::from_str(&r.document_ids).ok(),
            committed_at: r.committed_at,
        })
        .collect())
}

/// When change `seq` was committed, if the log still holds it.
pub async fn committed_at(db: &impl ConnectionTrait, seq: i64) -> AppResult<Option<DateTime<Utc>>> {
    Ok(change_log::Entity::find_by_id(seq)
        .select_only()
        .column(change_log::Column::CommittedAt)
        .into_tuple()
        .one(db)
        .await?)
}

/// Drops the changes older than the newest `keep`. Safe at any time: a process whose next
/// change is gone finds the gap and rebuilds its index from the database.
pub async fn trim(db: &impl ConnectionTrait, keep: i64) -> AppResult<u64> {
    let newest = latest(db).await?;
    let res = change_log::Entity::delete_many()
        .filter(change_log::Column::Seq.lte(newest - keep))
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}

/// What wakes a process to look at the log: a `NOTIFY` on PostgreSQL, else (and also, in case
/// a notification is lost with its connection) the poll interval.
pub struct Wake {
    listener: Option<sea_orm::sqlx::postgres::PgListener>,
}

impl Wake {
    /// Listens on `CHANNEL` when `db` is PostgreSQL; polls alone when it is not, or when
    /// listening fails (said in the log).
    pub async fn new(db: &sea_orm::DatabaseConnection) -> Self {
        if db.get_database_backend() != DbBackend::Postgres {
            return Wake { listener: None };
        }
        let listener = async {
            let mut l = sea_orm::sqlx::postgres::PgListener::connect_with(db.get_postgres_connection_pool()).await?;
            l.listen(CHANNEL).await?;
            Ok::<_, sea_orm::sqlx::Error>(l)
        }
        .await;
        match listener {
            Ok(l) => Wake { listener: Some(l) },
            Err(e) => {
                tracing::warn!(error = %e, "cannot LISTEN for changes; polling only");
                Wake { listener: None }
            }
        }
    }

    /// Resolves at the next notification or after `poll`, whichever is first. Notifications
    /// that arrived meanwhile are taken too: one look at the log covers them all.
    pub async fn next(&mut self, poll: std::time::Duration) {
        let Some(listener) = self.listener.as_mut() else {
            tokio::time::sleep(poll).await;
            return;
        };
        match tokio::time::timeout(poll, listener.recv()).await {
            Err(_elapsed) => {}
            Ok(Ok(_)) => while listener.next_buffered().is_some() {},
            Ok(Err(e)) => {
                // The listener reconnects on its next `recv`; until then, poll.
                tracing::warn!(error = %e, "listening for changes failed");
                tokio::time::sleep(poll).await;
            }
        }
    }
}
