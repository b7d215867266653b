//! Shared state of the HTTP server.

use std::sync::{Arc, OnceLock};

use index::SearchIndex;
use sea_orm::DatabaseConnection;

use crate::caching::PageCache;
use crate::error::AppResult;
use crate::services::Store;
use crate::services::search::SearchHandle;
use crate::services::server_keys;

/// What every handler can reach: the database pool (a cheap clone) and the search index.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub search: Arc<SearchIndex>,
    /// The index as the use cases take it, with its place in the change log.
    handle: SearchHandle,
    /// The sign-in form's CSRF key, once read from the database (it never changes).
    login_csrf_key: Arc<OnceLock<[u8; 32]>>,
    /// The site's public address without a trailing slash (`--base-url`), if given.
    base_url: Option<Arc<str>>,
    /// Rendered public pages, kept while the public state they show holds.
    pages: Arc<PageCache>,
}

impl AppState {
    /// Builds the state around a migrated database and its index (`handle`), which the
    /// change log brings up to date (`SearchHandle::catch_up`, `follow`).
    pub fn new(db: DatabaseConnection, handle: SearchHandle) -> Self {
        AppState {
            db,
            search: handle.index.clone(),
            handle,
            login_csrf_key: Arc::new(OnceLock::new()),
            base_url: None,
            pages: Arc::new(PageCache::new(true)),
        }
    }

    /// The same state with the site's public address (checked by `check_base_url`).
    pub fn with_base_url(mut self, base_url: Option<String>) -> Self {
        self.base_url = base_url.map(|u| Arc::from(u.trim_end_matches('/')));
        self
    }

    /// The same state without the page cache: every page is made for each request (the
    /// pages bench measures both).
    pub fn without_page_cache(mut self) -> Self {
        self.pages = Arc::new(PageCache::new(false));
        self
    }

    /// The rendered public pages this process keeps.
    pub fn pages(&self) -> &PageCache {
        &self.pages
    }

    /// The site's public address, if configured.
    pub fn base_url(&self) -> Option<&str> {
        self.base_url.as_deref()
    }

    /// The search index and its place in the change log, as the use cases take it.
    pub fn index(&self) -> &SearchHandle {
        &self.handle
    }

    /// The database with the open index: where a use case's write lands.
    pub fn store(&self) -> Store<'_> {
        Store {
            db: &self.db,
            index: Some(&self.handle),
        }
    }

    /// The key that signs the sign-in form's CSRF token: shared through the database by every
    /// process serving it, and cached here after the first read.
    pub async fn login_csrf_key(&self) -> AppResult<[u8; 32]> {
        if let Some(key) = self.login_csrf_key.get() {
            return Ok(*key);
        }
        let key = server_keys::get_or_create(&self.db, server_keys::LOGIN_CSRF).await?;
        Ok(*self.login_csrf_key.get_or_init(|| key))
    }
}
