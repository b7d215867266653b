//! Use cases: each takes its dependencies explicitly (a database handle, and for writes a
//! [`Store`] that also holds the search index), applies the domain rules and returns read
//! models; the sea-orm entities stay in here.

pub mod alignment;
pub mod approvals;
pub mod as_of;
pub mod audit;
pub mod changes;
pub mod checks;
pub mod comparisons;
pub mod corrections;
pub mod dashboard;
pub mod decisions;
pub mod demo;
pub mod documents;
pub mod editing;
pub mod export;
pub mod feeds;
pub mod health;
pub mod import;
pub mod login_throttle;
pub mod meetings;
pub mod plans;
pub mod rendering;
pub mod reviews;
pub mod revision_needs;
pub mod revision_sources;
pub mod search;
pub mod search_params;
pub mod server_keys;
pub mod users;

use sea_orm::DatabaseConnection;

/// Where a write lands: the database, and the search index when one is open. A use case that
/// writes keeps the index in step itself; without an index (the CLI's import, the demo loader,
/// which write before the server opens one) the start-up check brings it up to date.
#[derive(Clone, Copy)]
pub struct Store<'a> {
    pub db: &'a DatabaseConnection,
    pub index: Option<&'a search::SearchHandle>,
}

impl<'a> Store<'a> {
    /// The database and the open index.
    pub fn new(db: &'a DatabaseConnection, index: &'a search::SearchHandle) -> Self {
        Store { db, index: Some(index) }
    }

    /// The database alone: the index is rebuilt from it at the next start.
    pub fn without_index(db: &'a DatabaseConnection) -> Self {
        Store { db, index: None }
    }

    /// After a committed write: the index takes it in, if there is one (without one, the
    /// serving processes take it from the change log).
    pub(crate) async fn after_write(&self) {
        if let Some(index) = self.index {
            index.after_write(self.db).await;
        }
    }
}
