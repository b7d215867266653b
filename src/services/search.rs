//! Search over the registry. The database is the source of truth; the tantivy index (the
//! `index` crate) is a projection of it: the current published version of each document in each
//! language, and withdrawn documents with their last version, never drafts.
//!
//! Every write records a change in the change log (`services::changes`) in its transaction,
//! then brings the index up to date from the log (`SearchHandle::catch_up`), as a background
//! loop also does for the changes other processes commit. The index stamps each commit with the
//! number of the newest change it holds; a stamp the log cannot bring up to date (a fresh index,
//! a trimmed log) means a rebuild.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::Duration;

use index::{IndexedDocument, SearchIndex, SearchRequest, SearchResults, SuccessorRef};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::domain::projection::{CatchUpStep, next_step};
use crate::domain::{DocumentStatus, Language};
use crate::entities::{document, relation, version};
use crate::error::{AppError, AppResult};
use crate::services::changes;
use crate::services::documents::{self, DocumentRecord, VersionMeta};

/// Changes read from the log per round of catching up.
const CATCH_UP_BATCH: u64 = 500;

fn internal(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(anyhow::anyhow!("{e}"))
}

/// Runs blocking index work off the async runtime.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, index::SearchError> + Send + 'static,
) -> AppResult<T> {
    match tokio::task::spawn_blocking(f).await.map_err(internal)? {
        Ok(v) => Ok(v),
        Err(index::SearchError::InvalidQuery(m)) => {
            Err(AppError::BadRequest(format!("the search query cannot be read: {m}")))
        }
        Err(e) => Err(internal(e)),
    }
}

/// Builds the index entries of a batch of documents (drafts give none, and a row that cannot
/// be read is logged and left out, so that one bad row never stops a rebuild, and with it the
/// server's start).
pub async fn project(db: &impl ConnectionTrait, docs: Vec<document::Model>) -> AppResult<Vec<IndexedDocument>> {
    let docs: Vec<DocumentRecord> = documents::readable_records(docs)
        .into_iter()
        .filter(|d| d.status.is_public())
        .collect();
    let ids: Vec<i32> = docs.iter().map(|d| d.id).collect();
    let metas = documents::by_document(documents::current_metas(db, &ids).await?);
    // The newest published version per document and language.
    let mut latest: HashMap<(i32, Language), &VersionMeta> = HashMap::new();
    for &doc in &ids {
        for &lang in Language::ALL {
            if let Some(m) = documents::latest_published(documents::own_metas(&metas, doc), doc, lang) {
                latest.insert((doc, lang), m);
            }
        }
    }
    let version_ids: Vec<i32> = latest.values().map(|m| m.id).collect();
    let mut bodies: HashMap<i32, String> = HashMap::new();
    for chunk in version_ids.chunks(200) {
        let rows: Vec<(i32, String)> = version::Entity::find()
            .select_only()
            .columns([version::Column::Id, version::Column::Body])
            .filter(version::Column::Id.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        bodies.extend(rows);
    }

    let mut out = Vec::new();
    for doc in &docs {
        let url = doc.url();
        let withdrawal = match doc.status {
            DocumentStatus::Withdrawn => documents::withdrawal_view(db, doc, false).await?,
            DocumentStatus::Published | DocumentStatus::Draft => None,
        };
        let (withdrawn_on, successors) = match withdrawal {
            Some(w) => (
                w.withdrawn_on,
                w.successors
                    .into_iter()
                    .map(|s| SuccessorRef {
                        document_id: i64::from(s.id),
                        title: s.title,
                        url: s.url,
                    })
                    .collect(),
            ),
            None => (None, Vec::new()),
        };
        for &lang in Language::ALL {
            let Some(m) = latest.get(&(doc.id, lang)) else {
                continue;
            };
            if m.label_value.is_none() {
                tracing::warn!(
                    version_id = m.id,
                    "version left out of the search index: its label cannot be read"
                );
                continue;
            }
            let lang_url = if lang == doc.language {
                url.clone()
            } else {
                format!("{url}?lang={lang}")
            };
            out.push(IndexedDocument {
                document_id: i64::from(doc.id),
                external_id: doc.external_id.clone(),
                kind: doc.kind.as_str().to_string(),
                number: doc.number.clone(),
                language: lang.as_str().to_string(),
                status: doc.status.as_str().to_string(),
                normen_version: doc.normen_version.clone(),
                version_label: m.label.clone().unwrap_or_default(),
                title: m.title.clone(),
                summary: m.summary.clone(),
                body_markdown: bodies.remove(&m.id).unwrap_or_default(),
                published_on: m.published_on,
                withdrawn_on,
                successors: successors.clone(),
                url: lang_url,
            });
        }
    }
    Ok(out)
}

/// The documents whose indexed view a write to `document_ids` may change: those, and the other
/// end of each of their relations (a withdrawn document lists its successors' titles and URLs,
/// so publishing, renaming or withdrawing a successor changes the predecessor's entry too).
async fn affected_documents(db: &impl ConnectionTrait, document_ids: &[i32]) -> AppResult<Vec<i32>> {
    let links: Vec<(i32, i32)> = relation::Entity::find()
        .select_only()
        .columns([relation::Column::FromDocumentId, relation::Column::ToDocumentId])
        .filter(
            Condition::any()
                .add(relation::Column::FromDocumentId.is_in(document_ids.iter().copied()))
                .add(relation::Column::ToDocumentId.is_in(document_ids.iter().copied())),
        )
        .into_tuple()
        .all(db)
        .await?;
    let ids: BTreeSet<i32> = document_ids
        .iter()
        .copied()
        .chain(links.into_iter().flat_map(|(a, b)| [a, b]))
        .collect();
    Ok(ids.into_iter().collect())
}

/// The open search index as the use cases see it. Clones share one index.
#[derive(Clone)]
pub struct SearchHandle {
    pub index: Arc<SearchIndex>,
    /// One catch-up at a time, so entries are projected and committed in change order.
    applying: Arc<tokio::sync::Mutex<()>>,
    /// Turns true once the first catch-up (at start) has finished.
    started: Arc<tokio::sync::watch::Sender<bool>>,
}

/// What one catch-up did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CatchUp {
    /// Changes applied from the log.
    pub changes: i64,
    /// Whether the index was rebuilt from the database.
    pub rebuilt: bool,
    /// The change the index holds now.
    pub applied: i64,
}

impl SearchHandle {
    pub fn new(index: Arc<SearchIndex>) -> Self {
        SearchHandle {
            index,
            applying: Arc::new(tokio::sync::Mutex::new(())),
            started: Arc::new(tokio::sync::watch::Sender::new(false)),
        }
    }

    /// Whether the start-up catch-up has finished.
    pub fn started(&self) -> bool {
        *self.started.borrow()
    }

    /// Waits until the start-up catch-up has finished.
    pub async fn wait_started(&self) {
        let mut started = self.started.subscribe();
        // The sender lives as long as `self`, so this only returns once it is true.
        let _ = started.wait_for(|s| *s).await;
    }

    /// The newest change the index holds (0 for a fresh index).
    pub fn applied(&self) -> i64 {
        self.index.generation().unwrap_or(0)
    }

    /// Applies every change committed so far that the index does not hold yet, from the log,
    /// or rebuilds the index when the log cannot (see `domain::projection::next_step`).
    pub async fn catch_up(&self, db: &DatabaseConnection) -> AppResult<CatchUp> {
        let _one_at_a_time = self.applying.lock().await;
        let mut done = CatchUp::default();
        loop {
            let applied = self.index.generation();
            let latest = changes::latest(db).await?;
            let next = match applied {
                Some(a) if a < latest => changes::after(db, a, CATCH_UP_BATCH).await?,
                _ => Vec::new(),
            };
            let next_ids: Vec<(i64, Option<&[i32]>)> =
                next.iter().map(|c| (c.seq, c.document_ids.as_deref())).collect();
            match next_step(applied, latest, &next_ids) {
                CatchUpStep::UpToDate => {
                    done.applied = latest;
                    self.started.send_replace(true);
                    return Ok(done);
                }
                CatchUpStep::Rebuild => {
                    tracing::info!(index = ?applied, database = latest, "the change log cannot bring the search index up to date, rebuilding");
                    let n = rebuild(db, &self.index, &mut |_, _| {}).await?;
                    tracing::info!(entries = n, "search index rebuilt");
                    done.rebuilt = true;
                }
                CatchUpStep::Apply { document_ids, upto } => {
                    self.reproject(db, &document_ids, upto).await?;
                    done.changes += upto - applied.unwrap_or(0);
                }
            }
        }
    }

    /// Re-projects `document_ids` (and the documents related to them) in one index commit
    /// stamped `upto`.
    async fn reproject(&self, db: &DatabaseConnection, document_ids: &[i32], upto: i64) -> AppResult<()> {
        let ids = affected_documents(db, document_ids).await?;
        let mut entries = Vec::new();
        for chunk in ids.chunks(100) {
            let docs = document::Entity::find()
                .filter(document::Column::Id.is_in(chunk.iter().copied()))
                .all(db)
                .await?;
            entries.extend(project(db, docs).await?);
        }
        let search = self.index.clone();
        let ids: Vec<i64> = ids.into_iter().map(i64::from).collect();
        blocking(move || search.replace_documents(&ids, entries, upto)).await
    }

    /// After a committed write: brings the index up to date. A failure is logged, not
    /// returned: the write stands, and the next catch-up (the background loop's, or the next
    /// start's) applies it.
    pub async fn after_write(&self, db: &DatabaseConnection) {
        if let Err(e) = self.catch_up(db).await {
            tracing::error!(error = %e, "search index update failed");
        }
    }

    /// Follows the change log until `shutdown` resolves: catches up when another process
    /// commits (PostgreSQL's `NOTIFY`) and every `poll` in any case, and trims the log now and
    /// then.
    pub async fn follow(
        &self,
        db: DatabaseConnection,
        poll: Duration,
        shutdown: impl std::future::Future<Output = ()>,
    ) {
        tokio::pin!(shutdown);
        let mut wake = changes::Wake::new(&db).await;
        let mut rounds: u64 = 0;
        loop {
            tokio::select! {
                () = &mut shutdown => return,
                () = wake.next(poll) => {}
            }
            if let Err(e) = self.catch_up(&db).await {
                tracing::warn!(error = %e, "catching up with the change log failed; trying again");
            }
            rounds += 1;
            if rounds.is_multiple_of(TRIM_EVERY) {
                match changes::trim(&db, changes::KEEP).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(changes = n, "trimmed the change log"),
                    Err(e) => tracing::warn!(error = %e, "trimming the change log failed"),
                }
            }
        }
    }

    /// Waits for the index write in progress, if any (every write commits), and returns the
    /// change the index holds: the last step of a graceful shutdown.
    pub async fn close(&self) -> i64 {
        let _no_more = self.applying.lock().await;
        self.applied()
    }

    /// Searches; the request's limit is capped by the index.
    pub async fn search(&self, req: SearchRequest) -> AppResult<SearchResults> {
        let search = self.index.clone();
        blocking(move || search.search(&req)).await
    }
}

/// Rounds of the follow loop between trims of the change log.
const TRIM_EVERY: u64 = 600;

/// Rebuilds the whole index from the database; returns the number of entries. The index is
/// stamped with the newest change read before the documents, so nothing committed while it
/// runs is claimed.
pub async fn rebuild(
    db: &DatabaseConnection,
    search: &Arc<SearchIndex>,
    progress: &mut (dyn FnMut(usize, usize) + Send),
) -> AppResult<usize> {
    let generation = changes::latest(db).await?;
    let ids: Vec<i32> = document::Entity::find()
        .select_only()
        .column(document::Column::Id)
        .filter(document::Column::Status.ne(DocumentStatus::Draft))
        .order_by_asc(document::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let mut entries = Vec::new();
    for (i, chunk) in ids.chunks(100).enumerate() {
        let docs = document::Entity::find()
            .filter(document::Column::Id.is_in(chunk.iter().copied()))
            .all(db)
            .await?;
        entries.extend(project(db, docs).await?);
        progress((i * 100 + chunk.len()).min(ids.len()), ids.len());
    }
    let search = search.clone();
    blocking(move || search.rebuild(entries, generation, &mut |_| {})).await
}
