//! Shared state of the HTTP server.

use std::sync::Arc;

use index::SearchIndex;
use sea_orm::DatabaseConnection;

use crate::services::login_throttle::LoginThrottle;
use crate::services::search::IndexSync;

/// What every handler can reach: the database pool (a cheap clone) and the search index.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub search: Arc<SearchIndex>,
    /// Tracks which change-counter values the index has caught up with.
    pub index_sync: Arc<IndexSync>,
    /// Failed sign-ins, for throttling.
    pub login_throttle: Arc<LoginThrottle>,
}

impl AppState {
    /// Builds the state around a migrated database and an index that matches it (see
    /// `services::search::ensure_fresh`), whose change counter is `generation`.
    pub fn new(db: DatabaseConnection, search: Arc<SearchIndex>, generation: i64) -> Self {
        AppState {
            db,
            search,
            index_sync: Arc::new(IndexSync::new(generation)),
            login_throttle: Arc::new(LoginThrottle::default()),
        }
    }
}
