//! Shared state of the HTTP server.

use sea_orm::DatabaseConnection;

/// What every handler can reach: the database pool (a cheap clone).
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
}

impl AppState {
    /// Builds the state around a connected, migrated database.
    pub fn new(db: DatabaseConnection) -> Self {
        AppState { db }
    }
}
