//! How this process stands, for `/readyz` and `/metrics`: the database reachable and migrated,
//! and how far the search index is behind the change log.

use std::time::Duration;

use migration::MigratorTrait;
use sea_orm::{DatabaseConnection, DbBackend};

use crate::domain::projection::ProcessState;
use crate::error::AppResult;
use crate::services::changes;
use crate::services::search::SearchHandle;

/// How far the index is behind the database.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IndexLag {
    /// The newest change the index holds.
    pub applied: i64,
    /// The newest change committed.
    pub latest: i64,
    /// Changes committed and not yet in the index.
    pub changes: i64,
    /// How long the oldest of them has waited (zero when none).
    pub age: Duration,
}

/// Reads the lag of `index` behind `db` (two indexed reads).
pub async fn index_lag(db: &DatabaseConnection, index: &SearchHandle) -> AppResult<IndexLag> {
    let applied = index.applied();
    let latest = changes::latest(db).await?;
    let changes = (latest - applied).max(0);
    let age = if changes > 0 {
        match changes::committed_at(db, applied + 1).await? {
            Some(at) => (chrono::Utc::now() - at).to_std().unwrap_or_default(),
            // Trimmed from the log: at least as old as anything it still holds.
            None => Duration::MAX,
        }
    } else {
        Duration::ZERO
    };
    Ok(IndexLag {
        applied,
        latest,
        changes,
        age,
    })
}

/// Everything `/readyz` decides on. Fails when the database cannot be reached.
pub async fn process_state(db: &DatabaseConnection, index: &SearchHandle) -> AppResult<ProcessState> {
    let lag = index_lag(db, index).await?;
    let pending_migrations = migration::Migrator::get_pending_migrations(db).await?.len();
    Ok(ProcessState {
        started: index.started(),
        pending_migrations,
        lag_changes: lag.changes,
        lag: lag.age,
    })
}

/// Connections of the database pool: (open, idle).
pub fn pool_use(db: &DatabaseConnection) -> (u32, usize) {
    if db.get_database_backend() == DbBackend::Postgres {
        let pool = db.get_postgres_connection_pool();
        (pool.size(), pool.num_idle())
    } else {
        let pool = db.get_sqlite_connection_pool();
        (pool.size(), pool.num_idle())
    }
}
