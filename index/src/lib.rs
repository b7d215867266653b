//! Full-text search over the registry's documents (fact sheets, guides, ...),
//! built on tantivy. The app never sees tantivy: it hands over
//! [`IndexedDocument`]s and asks [`SearchRequest`]s.
//!
//! Norwegian (bokmål and nynorsk) and English entries are analysed with their
//! own stemmers; queries also reach words typed without æ/ø/å, compounds
//! (`styring` finds `tilgangsstyring`, `risiko` finds `risikostyring`) and one-letter
//! typos after the first letter, always ranked below exact matches; a title holding
//! the query's words as a phrase ranks above bodies that only repeat them. Queries
//! typed in NFD read as NFC.
//! A query naming a fact sheet (`FA 37`, `faktark 37`, or just `37`) puts it first;
//! `6` means `06` when there is no 6, and `20` means `20a`, `20b`, … when there is no 20.
//! Withdrawn documents are hidden unless asked for, but counted; a search that finds only
//! withdrawn ones names them with their successors, and one that finds nothing suggests
//! spellings the index knows.

mod collect;
mod levenshtein;
mod query;
mod schema;
mod snippet;
mod suggest;
pub mod text;
mod tiered;
mod tokenizer;

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use serde::{Deserialize, Serialize};
use tantivy::collector::DocSetCollector;
use tantivy::directory::MmapDirectory;
use tantivy::indexer::LogMergePolicy;
use tantivy::query::{AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::store::Compressor;
use tantivy::{
    DocAddress, Index, IndexReader, IndexSettings, IndexWriter, ReloadPolicy, Searcher, TantivyDocument, Term,
};

use crate::collect::{Order, PageCollector};
use crate::query::{Languages, ParsedQuery, QueryBuilder};
use crate::schema::{Fields, SCHEMA_VERSION, StoredMeta};
use crate::snippet::{Highlighter, SNIPPET_CHARS};

/// The most hits one request returns.
pub const MAX_LIMIT: usize = 100;
/// Deeper pages are refused: nobody reads them and they cost a full sort.
pub const MAX_OFFSET: usize = 10_000;
/// At most this many documents are pinned for a number query.
const MAX_PINNED: usize = 10;
/// Indexing memory, split over the writer threads (tantivy wants >= 15 MB each).
const WRITER_MEMORY: usize = 64 * 1024 * 1024;
/// How often [`SearchIndex::rebuild`] reports progress.
const PROGRESS_EVERY: usize = 500;
/// Segments with more deleted documents than this are merged away; tantivy's
/// default never merges for deletes alone, and every edit deletes.
const DEL_DOCS_RATIO_BEFORE_MERGE: f32 = 0.1;

/// One language version of a document, as the app gives it to the index.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct IndexedDocument {
    pub document_id: i64,
    pub external_id: Option<String>,
    /// `fact_sheet`, `guide`, `norm`, `template` or `other`.
    pub kind: String,
    /// A fact sheet's number as written: `"0"`, `"01"`, `"20a"`.
    pub number: Option<String>,
    /// `nb`, `nn` or `en`.
    pub language: String,
    /// `published` or `withdrawn` (drafts are never indexed).
    pub status: String,
    pub normen_version: Option<String>,
    pub version_label: String,
    pub title: String,
    pub summary: String,
    /// Raw Markdown; front matter, Liquid and MDX are stripped for indexing.
    pub body_markdown: String,
    pub published_on: Option<chrono::NaiveDate>,
    pub withdrawn_on: Option<chrono::NaiveDate>,
    pub successors: Vec<SuccessorRef>,
    /// The public page, returned in hits.
    pub url: String,
}

/// A document that replaces a withdrawn one.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct SuccessorRef {
    pub document_id: i64,
    pub title: String,
    pub url: String,
}

/// A search. `q` may be empty: the filters then list documents.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SearchRequest {
    pub q: String,
    pub kind: Option<String>,
    pub language: Option<String>,
    /// `published` or `withdrawn`; when set, `include_withdrawn` is moot.
    pub status: Option<String>,
    pub normen_version: Option<String>,
    /// Show withdrawn documents (hidden and counted by default).
    pub include_withdrawn: bool,
    /// Capped at [`MAX_LIMIT`].
    pub limit: usize,
    pub offset: usize,
    pub sort: Sort,
    /// Whether hits get a `snippet_html`.
    pub snippets: bool,
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            q: String::new(),
            kind: None,
            language: None,
            status: None,
            normen_version: None,
            include_withdrawn: false,
            limit: 20,
            offset: 0,
            sort: Sort::Relevance,
            snippets: true,
        }
    }
}

/// Hit order.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// Best match first; with an empty query, by title.
    #[default]
    Relevance,
    /// Newest `published_on` first, undated last.
    Date,
}

/// The answer to a [`SearchRequest`].
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SearchResults {
    /// Matching documents shown (over all pages).
    pub total: usize,
    /// Matching withdrawn documents not shown because `include_withdrawn` was false.
    pub withdrawn_hidden: usize,
    pub facets: Facets,
    pub hits: Vec<SearchHit>,
    /// When a search shows nothing because everything it matched is withdrawn: the best of
    /// those (at most [`MAX_WITHDRAWN_ONLY`], without snippets), with their successors.
    pub withdrawn_only: Vec<SearchHit>,
    /// When a search matched nothing at all: the query with its unknown words replaced by
    /// spellings the index knows ("Mente du …").
    pub suggestion: Option<String>,
}

/// At most this many withdrawn matches are named when a search finds only withdrawn material.
pub const MAX_WITHDRAWN_ONLY: usize = 3;

/// Counts over the shown result set, most frequent first.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Facets {
    pub kind: Vec<(String, u64)>,
    pub language: Vec<(String, u64)>,
    pub status: Vec<(String, u64)>,
}

/// One result.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SearchHit {
    pub document_id: i64,
    pub external_id: Option<String>,
    pub title: String,
    pub number: Option<String>,
    pub kind: String,
    pub language: String,
    pub status: String,
    pub version_label: String,
    /// A passage with matched words in `<mark>`; everything else is escaped.
    pub snippet_html: String,
    pub url: String,
    /// Only comparable within one response.
    pub score: f32,
    pub published_on: Option<chrono::NaiveDate>,
    pub withdrawn_on: Option<chrono::NaiveDate>,
    pub successors: Vec<SuccessorRef>,
}

/// Search failures.
#[derive(thiserror::Error, Debug)]
pub enum SearchError {
    /// 400-worthy: the query can't be understood (says why).
    #[error("invalid query: {0}")]
    InvalidQuery(String),
    /// Anything else.
    #[error("search index error: {0}")]
    Internal(String),
}

impl From<tantivy::TantivyError> for SearchError {
    fn from(e: tantivy::TantivyError) -> Self {
        SearchError::Internal(e.to_string())
    }
}

impl From<std::io::Error> for SearchError {
    fn from(e: std::io::Error) -> Self {
        SearchError::Internal(e.to_string())
    }
}

/// Size of the index, for status pages.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct IndexStats {
    /// Indexed entries (one per document language).
    pub entries: u64,
    pub segments: usize,
}

/// What each commit records.
#[derive(Debug, Serialize, Deserialize)]
struct CommitPayload {
    schema: u32,
    generation: i64,
}

/// The search index: one writer (behind a mutex) and a manually reloaded reader.
pub struct SearchIndex {
    index: Index,
    fields: Fields,
    writer: Mutex<IndexWriter>,
    reader: IndexReader,
    generation: Mutex<Option<i64>>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("generation", &self.generation())
            .finish_non_exhaustive()
    }
}

impl SearchIndex {
    /// Opens the index in `dir`, creating the directory and the index if
    /// missing. An index with another schema is wiped and recreated (its
    /// [`generation`](Self::generation) is then `None`: rebuild it).
    pub fn open(dir: &Path) -> Result<Self, SearchError> {
        std::fs::create_dir_all(dir)?;
        let (schema, fields) = schema::build();
        let directory = MmapDirectory::open(dir).map_err(|e| SearchError::Internal(e.to_string()))?;
        let exists = Index::exists(&directory).map_err(|e| SearchError::Internal(e.to_string()))?;
        let reusable = exists
            && Index::open(directory.clone())
                .ok()
                .filter(|index| index.schema() == schema)
                .and_then(|index| index.load_metas().ok())
                .is_some_and(|metas| match metas.payload {
                    Some(payload) => {
                        serde_json::from_str::<CommitPayload>(&payload).is_ok_and(|p| p.schema == SCHEMA_VERSION)
                    }
                    None => true,
                });
        let index = if reusable {
            Index::open(directory)?
        } else {
            if exists {
                wipe(dir)?;
            }
            Index::builder()
                .schema(schema)
                .settings(settings())
                .create_in_dir(dir)?
        };
        Self::with_index(index, fields)
    }

    /// A fresh index in memory (tests, tools).
    pub fn in_memory() -> Result<Self, SearchError> {
        let (schema, fields) = schema::build();
        Self::with_index(
            Index::builder().schema(schema).settings(settings()).create_in_ram()?,
            fields,
        )
    }

    fn with_index(index: Index, fields: Fields) -> Result<Self, SearchError> {
        tokenizer::register(&index);
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(2));
        let writer: IndexWriter = index.writer_with_num_threads(threads, WRITER_MEMORY)?;
        let mut merge_policy = LogMergePolicy::default();
        merge_policy.set_del_docs_ratio_before_merge(DEL_DOCS_RATIO_BEFORE_MERGE);
        writer.set_merge_policy(Box::new(merge_policy));
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        let generation = index
            .load_metas()?
            .payload
            .and_then(|p| serde_json::from_str::<CommitPayload>(&p).ok())
            .map(|p| p.generation);
        Ok(SearchIndex {
            index,
            fields,
            writer: Mutex::new(writer),
            reader,
            generation: Mutex::new(generation),
        })
    }

    fn lock_writer(&self) -> MutexGuard<'_, IndexWriter> {
        // A panic mid-write leaves uncommitted changes, which the next
        // operation rolls back or commits: the writer itself stays usable.
        self.writer.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Replaces every entry of this document (all languages) with `entries`
    /// (empty removes it) and commits with `generation` in the commit payload.
    pub fn replace_document(
        &self,
        document_id: i64,
        entries: Vec<IndexedDocument>,
        generation: i64,
    ) -> Result<(), SearchError> {
        self.replace_documents(&[document_id], entries, generation)
    }

    /// Replaces every entry of each of `document_ids` with those of `entries` that belong to
    /// it, in one commit stamped with `generation`: all of them or none.
    pub fn replace_documents(
        &self,
        document_ids: &[i64],
        entries: Vec<IndexedDocument>,
        generation: i64,
    ) -> Result<(), SearchError> {
        let docs = entries
            .into_iter()
            .map(|entry| schema::to_document(&self.fields, entry))
            .collect::<Result<Vec<_>, _>>()
            .map_err(SearchError::Internal)?;
        let mut writer = self.lock_writer();
        let result = (|| {
            for id in document_ids {
                writer.delete_term(Term::from_field_i64(self.fields.document_id, *id));
            }
            for doc in docs {
                writer.add_document(doc)?;
            }
            self.commit(&mut writer, generation)
        })();
        if result.is_err() {
            let _ = writer.rollback();
        }
        result
    }

    /// Deletes everything, adds all `entries`, and commits once with
    /// `generation`. Calls `progress` with the number added now and then.
    /// Returns the number of entries indexed.
    pub fn rebuild(
        &self,
        entries: impl IntoIterator<Item = IndexedDocument>,
        generation: i64,
        progress: &mut dyn FnMut(usize),
    ) -> Result<usize, SearchError> {
        let mut writer = self.lock_writer();
        let mut done = 0;
        let mut result = (|| {
            writer.delete_all_documents()?;
            for entry in entries {
                let doc = schema::to_document(&self.fields, entry).map_err(SearchError::Internal)?;
                writer.add_document(doc)?;
                done += 1;
                if done % PROGRESS_EVERY == 0 {
                    progress(done);
                }
            }
            Ok(())
        })();
        if result.is_ok() {
            result = self.commit(&mut writer, generation);
        }
        match result {
            Ok(()) => {
                progress(done);
                Ok(done)
            }
            Err(e) => {
                let _ = writer.rollback();
                Err(e)
            }
        }
    }

    fn commit(&self, writer: &mut IndexWriter, generation: i64) -> Result<(), SearchError> {
        let payload = serde_json::to_string(&CommitPayload {
            schema: SCHEMA_VERSION,
            generation,
        })
        .map_err(|e| SearchError::Internal(e.to_string()))?;
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&payload);
        prepared.commit()?;
        self.reader.reload()?;
        *self
            .generation
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(generation);
        Ok(())
    }

    /// The generation stamped on the last commit; `None` for a fresh index.
    pub fn generation(&self) -> Option<i64> {
        *self
            .generation
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Entry and segment counts of the searchable index.
    pub fn stats(&self) -> Result<IndexStats, SearchError> {
        Ok(IndexStats {
            entries: self.reader.searcher().num_docs(),
            segments: self.index.searchable_segment_ids()?.len(),
        })
    }

    /// Runs a search.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults, SearchError> {
        if req.offset > MAX_OFFSET {
            return Err(SearchError::InvalidQuery(format!("offset is larger than {MAX_OFFSET}")));
        }
        let mut parsed = query::parse(&req.q)?;
        let limit = req.limit.min(MAX_LIMIT);
        let searcher = self.reader.searcher();
        let filters = self.filters(req);
        let (pinned, resolved) = self.pinned(&searcher, &parsed, req, &filters)?;
        // `faktaark 6` names 06 when there is no 6: documents citing 06 come next.
        if let (Some(number), Some(resolved)) = (&parsed.number, resolved) {
            for clause in &mut parsed.clauses {
                if let query::Clause::Phrase(words) = clause
                    && words.len() == 2
                    && words[0] == "faktaark"
                    && words[1] == *number
                {
                    words[1].clone_from(&resolved);
                }
            }
        }
        let languages = Languages::for_filter(req.language.as_deref());
        let mut builder = QueryBuilder::new(&self.fields, &searcher, languages);
        let text_query = builder.build(&parsed);

        let order = match (req.sort, text_query.is_some()) {
            (Sort::Date, _) => Order::Date,
            (Sort::Relevance, true) => Order::Score,
            (Sort::Relevance, false) => Order::Title,
        };
        let collector = PageCollector {
            k: (req.offset + limit).saturating_sub(pinned.len()),
            order,
            hide_withdrawn: req.status.is_none() && !req.include_withdrawn,
            skip: pinned.clone(),
            scoring: text_query.is_some(),
        };
        let has_text = text_query.is_some();
        let main = with_filters(text_query.unwrap_or_else(|| Box::new(AllQuery)), &filters);
        let page = searcher.search(&main, &collector)?;

        let mut kind = page.kind;
        let mut language = page.language;
        let mut status = page.status;
        let top_score = page.hits.first().map_or(0.0, |h| h.score);
        let mut ordered: Vec<(DocAddress, f32, Option<StoredMeta>)> =
            Vec::with_capacity(pinned.len() + page.hits.len());
        for &address in &pinned {
            let meta = self.meta(&searcher, address)?;
            *kind.entry(meta.kind.clone()).or_default() += 1;
            *language.entry(meta.language.clone()).or_default() += 1;
            *status.entry(meta.status.clone()).or_default() += 1;
            ordered.push((address, top_score + 1.0, Some(meta)));
        }
        ordered.extend(page.hits.into_iter().map(|h| (h.address, h.score, None)));

        let mut highlighter = req.snippets.then(|| Highlighter::new(&parsed, &builder.expansions));
        let mut hits = Vec::with_capacity(limit);
        for (address, score, _) in ordered.into_iter().skip(req.offset).take(limit) {
            hits.push(self.hit(&searcher, address, score, highlighter.as_mut())?);
        }
        // Nothing to show: say what the withdrawn matches were, or how the words may be spelt.
        let mut withdrawn_only = Vec::new();
        let mut suggestion = None;
        if has_text && page.total + pinned.len() == 0 && req.offset == 0 {
            if page.withdrawn_hidden > 0 {
                withdrawn_only = self
                    .search(&SearchRequest {
                        status: Some(schema::WITHDRAWN.into()),
                        limit: MAX_WITHDRAWN_ONLY,
                        offset: 0,
                        snippets: false,
                        ..req.clone()
                    })?
                    .hits;
            } else {
                suggestion = suggest::suggest(
                    &searcher,
                    self.fields.spell,
                    &query::to_nfc(&req.q),
                    &parsed,
                    &builder.spellings,
                );
            }
        }
        Ok(SearchResults {
            withdrawn_only,
            suggestion,
            total: page.total + pinned.len(),
            withdrawn_hidden: page.withdrawn_hidden,
            facets: Facets {
                kind: sorted_counts(kind),
                language: sorted_counts(language),
                status: sorted_counts(status),
            },
            hits,
        })
    }

    /// Filter clauses from the request (never scored).
    fn filters(&self, req: &SearchRequest) -> Vec<Box<dyn Query>> {
        let f = &self.fields;
        let mut out = Vec::new();
        for (field, value) in [
            (f.kind, &req.kind),
            (f.language, &req.language),
            (f.status, &req.status),
            (f.normen_version, &req.normen_version),
        ] {
            if let Some(value) = value {
                out.push(term_filter(field, value));
            }
        }
        out
    }

    /// Fact sheets whose number the query names, shown first whatever their status (unless a
    /// filter excludes them): the number itself, then its lettered parts (`20` → `20a`, `20b`),
    /// or when none of those exists the number with its leading zero added or dropped
    /// (`6` → `06`). Also returns the first number found, when it is not the one named.
    fn pinned(
        &self,
        searcher: &Searcher,
        parsed: &ParsedQuery,
        req: &SearchRequest,
        filters: &[Box<dyn Query>],
    ) -> Result<(Vec<DocAddress>, Option<String>), SearchError> {
        let Some(number) = &parsed.number else {
            return Ok((Vec::new(), None));
        };
        if req.kind.as_deref().is_some_and(|k| k != "fact_sheet") {
            return Ok((Vec::new(), None));
        }
        let named = schema::normalize_number(number);
        let (own, padded) = query::number_candidates(&named);
        let mut found = Vec::new();
        let mut resolved = None;
        for candidates in [own, padded] {
            for candidate in candidates {
                let term = Term::from_field_text(self.fields.number, &candidate);
                if searcher.doc_freq(&term)? == 0 {
                    continue;
                }
                let mut all: Vec<Box<dyn Query>> = filters.iter().map(|q| q.box_clone()).collect();
                all.push(term_filter(self.fields.number, &candidate));
                let query = with_filters(term_filter(self.fields.kind, "fact_sheet"), &all);
                let mut these: Vec<DocAddress> = searcher.search(&query, &DocSetCollector)?.into_iter().collect();
                if these.is_empty() {
                    continue;
                }
                these.sort();
                resolved.get_or_insert(candidate);
                found.extend(these);
            }
            if !found.is_empty() {
                break;
            }
        }
        found.truncate(MAX_PINNED);
        Ok((found, resolved.filter(|r| *r != named)))
    }

    fn meta(&self, searcher: &Searcher, address: DocAddress) -> Result<StoredMeta, SearchError> {
        let doc: TantivyDocument = searcher.doc(address)?;
        let json = doc
            .get_first(self.fields.meta)
            .and_then(|v| v.as_str())
            .ok_or_else(|| SearchError::Internal("stored document without meta".into()))?;
        serde_json::from_str(json).map_err(|e| SearchError::Internal(e.to_string()))
    }

    fn hit(
        &self,
        searcher: &Searcher,
        address: DocAddress,
        score: f32,
        highlighter: Option<&mut Highlighter>,
    ) -> Result<SearchHit, SearchError> {
        let doc: TantivyDocument = searcher.doc(address)?;
        let json = doc
            .get_first(self.fields.meta)
            .and_then(|v| v.as_str())
            .ok_or_else(|| SearchError::Internal("stored document without meta".into()))?;
        let meta: StoredMeta = serde_json::from_str(json).map_err(|e| SearchError::Internal(e.to_string()))?;
        let snippet_html = match highlighter {
            Some(h) => {
                let plain = doc.get_first(self.fields.plain).and_then(|v| v.as_str()).unwrap_or("");
                h.snippet(plain, schema::is_english(&meta.language), SNIPPET_CHARS)
            }
            None => String::new(),
        };
        Ok(SearchHit {
            document_id: meta.document_id,
            external_id: meta.external_id,
            title: meta.title,
            number: meta.number,
            kind: meta.kind,
            language: meta.language,
            status: meta.status,
            version_label: meta.version_label,
            snippet_html,
            url: meta.url,
            score,
            published_on: meta.published_on,
            withdrawn_on: meta.withdrawn_on,
            successors: meta.successors,
        })
    }
}

/// The stored texts stay uncompressed, in small blocks: every hit reads its text for the
/// snippet, and decompressing (or copying) a 16 KB block of several texts cost more than the
/// rest of making the snippet. The price is disk: the store takes about as many bytes as the
/// plain texts (1.6 MB of the 2.6 MB index of the 418 corpus documents).
fn settings() -> IndexSettings {
    IndexSettings {
        docstore_compression: Compressor::None,
        docstore_blocksize: 4096,
        ..IndexSettings::default()
    }
}

fn term_filter(field: tantivy::schema::Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

/// `query` restricted by `filters`, which add nothing to the score.
fn with_filters(query: Box<dyn Query>, filters: &[Box<dyn Query>]) -> Box<dyn Query> {
    if filters.is_empty() {
        return query;
    }
    let mut clauses = vec![(Occur::Must, query)];
    clauses.extend(filters.iter().map(|f| {
        (
            Occur::Must,
            Box::new(ConstScoreQuery::new(f.box_clone(), 0.0)) as Box<dyn Query>,
        )
    }));
    Box::new(BooleanQuery::new(clauses))
}

fn sorted_counts(counts: collect::Counts) -> Vec<(String, u64)> {
    let mut out: Vec<(String, u64)> = counts.into_iter().collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out
}

/// Removes an index's files from `dir` (and nothing else that may live there).
fn wipe(dir: &Path) -> Result<(), SearchError> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let stem = name.split('.').next().unwrap_or("");
        let managed = matches!(
            name.as_ref(),
            "meta.json" | ".managed.json" | ".tantivy-meta.lock" | ".tantivy-writer.lock"
        ) || (stem.len() == 32 && stem.bytes().all(|b| b.is_ascii_hexdigit()));
        if managed && entry.file_type()?.is_file() {
            std::fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}
