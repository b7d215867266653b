//! Connecting to the database: PostgreSQL when a URL is given, otherwise SQLite in the data dir.

use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use sea_orm::{
    ConnectOptions, Database, DatabaseConnection, DatabaseTransaction, DbErr, SqliteTransactionMode,
    TransactionOptions, TransactionTrait,
};

/// Connects to `url`, or to `<data_dir>/registry.db` (created if missing), and tunes SQLite
/// for a web server: WAL so readers never wait for a writer, and a busy timeout for writers.
pub async fn connect(url: Option<&str>, data_dir: &Path) -> anyhow::Result<DatabaseConnection> {
    let url = if let Some(url) = url {
        url.to_string()
    } else {
        std::fs::create_dir_all(data_dir).with_context(|| format!("cannot create data dir {}", data_dir.display()))?;
        format!("sqlite://{}?mode=rwc", data_dir.join("registry.db").display())
    };
    let mut opts = ConnectOptions::new(url.clone());
    opts.sqlx_logging(false)
        .max_connections(8)
        .acquire_timeout(Duration::from_secs(30))
        .map_sqlx_sqlite_opts(|o| {
            o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(30))
                // Pages are read from a memory map rather than copied in by a system call each.
                .pragma("mmap_size", "268435456")
        });
    let db = Database::connect(opts)
        .await
        .with_context(|| format!("cannot connect to {}", redact(&url)))?;
    Ok(db)
}

/// Hides a password in a database URL for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => format!("{}://***{}", &url[..scheme], &url[at..]),
        _ => url.to_string(),
    }
}

/// Begins a transaction that will write. On SQLite it takes the write lock at once (`BEGIN
/// IMMEDIATE`), so two writers queue on the busy timeout instead of one failing when it tries to
/// upgrade a read lock; PostgreSQL ignores the mode and relies on row locks and constraints.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}
