//! Search over the registry. The database is the source of truth; the tantivy index (the
//! `index` crate) is a projection of it: the current published version of each document in each
//! language, and withdrawn documents with their last version, never drafts.
//!
//! Every write bumps a change counter in the database and then re-projects the document it
//! touched. The index records in its commits the highest counter value up to which every change
//! is in it; at start-up a different value means a crash came between a database commit and an
//! index commit (or another process wrote), and the index is rebuilt.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use index::{IndexedDocument, SearchIndex, SearchRequest, SearchResults, SuccessorRef};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::domain::{DocumentStatus, Language};
use crate::entities::{document, relation, version};
use crate::error::{AppError, AppResult};
use crate::services::documents::{self, DocumentRecord, VersionMeta};
use crate::services::editing::current_generation;

/// Which change-counter values have reached the index. Writes finish out of order; the index
/// may only claim a value once every smaller one has been applied.
pub struct IndexSync {
    inner: Mutex<SyncState>,
}

struct SyncState {
    applied_upto: i64,
    applied_later: BTreeSet<i64>,
}

impl IndexSync {
    /// Starts with everything up to `generation` in the index.
    pub fn new(generation: i64) -> Self {
        IndexSync {
            inner: Mutex::new(SyncState {
                applied_upto: generation,
                applied_later: BTreeSet::new(),
            }),
        }
    }

    /// Runs the index write of `generation`. The write is stamped with the value the index may
    /// claim once it lands; `generation` counts as applied only if the write succeeds, so a
    /// failed write keeps every later stamp below it (and the next start rebuilds). Writes run
    /// one at a time, so the stamps they commit never go down.
    pub fn write<E>(&self, generation: i64, write: impl FnOnce(i64) -> Result<(), E>) -> Result<(), E> {
        let mut s = self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let claim = s.claim_with(generation);
        write(claim)?;
        if generation > s.applied_upto {
            s.applied_later.insert(generation);
        }
        s.applied_upto = claim;
        s.applied_later.retain(|g| *g > claim);
        Ok(())
    }

    /// The value the index claims now.
    pub fn claimed(&self) -> i64 {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .applied_upto
    }
}

impl SyncState {
    /// What the index could claim if `generation` were applied too.
    fn claim_with(&self, generation: i64) -> i64 {
        let mut upto = self.applied_upto;
        while upto + 1 == generation || self.applied_later.contains(&(upto + 1)) {
            upto += 1;
        }
        upto
    }
}

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
    let metas = documents::version_metas(db, &ids, false).await?;
    // The newest published version per document and language.
    let mut latest: HashMap<(i32, Language), &VersionMeta> = HashMap::new();
    for &doc in &ids {
        for &lang in Language::ALL {
            if let Some(m) = documents::latest_published(&metas, doc, lang) {
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

/// The open search index as the use cases see it: the index and which changes it holds.
#[derive(Clone)]
pub struct SearchHandle {
    pub index: Arc<SearchIndex>,
    pub sync: Arc<IndexSync>,
}

impl SearchHandle {
    /// Re-projects the documents a write touched (and those related to them), and lets the
    /// index claim the write's counter value once the new entries are committed.
    pub async fn sync_documents(
        &self,
        db: &impl ConnectionTrait,
        document_ids: &[i32],
        generation: i64,
    ) -> AppResult<()> {
        let ids = affected_documents(db, document_ids).await?;
        let docs = document::Entity::find()
            .filter(document::Column::Id.is_in(ids.iter().copied()))
            .all(db)
            .await?;
        let entries = project(db, docs).await?;
        let search = self.index.clone();
        let sync = self.sync.clone();
        let ids: Vec<i64> = ids.into_iter().map(i64::from).collect();
        blocking(move || sync.write(generation, |claim| search.replace_documents(&ids, entries, claim))).await
    }

    /// After a committed write: brings the index up to date. A failure is logged, not
    /// returned: the write stands, the index does not claim it, and the next start rebuilds.
    pub async fn after_write(&self, db: &impl ConnectionTrait, document_id: i32, generation: i64) {
        if let Err(e) = self.sync_documents(db, &[document_id], generation).await {
            tracing::error!(error = %e, document_id, "search index update failed");
        }
    }

    /// Searches; the request's limit is capped by the index.
    pub async fn search(&self, req: SearchRequest) -> AppResult<SearchResults> {
        let search = self.index.clone();
        blocking(move || search.search(&req)).await
    }
}

/// Rebuilds the whole index from the database; returns the number of entries.
pub async fn rebuild(
    db: &DatabaseConnection,
    search: &Arc<SearchIndex>,
    progress: &mut (dyn FnMut(usize, usize) + Send),
) -> AppResult<usize> {
    let generation = current_generation(db).await?;
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

/// Rebuilds the index when its stamp differs from the database's change counter, and returns
/// the counter. Called at start-up.
pub async fn ensure_fresh(db: &DatabaseConnection, search: &Arc<SearchIndex>) -> AppResult<(i64, bool)> {
    let generation = current_generation(db).await?;
    if search.generation() == Some(generation) {
        return Ok((generation, false));
    }
    tracing::info!(index = ?search.generation(), database = generation, "search index is behind the database, rebuilding");
    let n = rebuild(db, search, &mut |_, _| {}).await?;
    tracing::info!(entries = n, "search index rebuilt");
    Ok((current_generation(db).await?, true))
}

#[cfg(test)]
mod tests {
    use super::IndexSync;

    #[test]
    fn the_index_claims_only_contiguous_generations() {
        let s = IndexSync::new(4);
        let stamp = |g: i64| {
            let mut stamped = None;
            s.write(g, |claim| {
                stamped = Some(claim);
                Ok::<(), ()>(())
            })
            .unwrap();
            stamped.unwrap()
        };
        assert_eq!(stamp(6), 4, "5 is still in flight");
        assert_eq!(stamp(5), 6);
        assert_eq!(stamp(3), 6, "old values change nothing");
        assert_eq!(stamp(7), 7);
    }

    #[test]
    fn a_failed_write_is_never_claimed() {
        let s = IndexSync::new(4);
        assert_eq!(s.write(5, |_| Err("disk full")), Err("disk full"));
        assert_eq!(s.claimed(), 4);
        let mut stamped = None;
        s.write(6, |claim| {
            stamped = Some(claim);
            Ok::<(), ()>(())
        })
        .unwrap();
        assert_eq!(
            stamped,
            Some(4),
            "6 landed, but 5 never did: the index must not claim 5 or 6"
        );
        assert_eq!(s.claimed(), 4);
    }
}
