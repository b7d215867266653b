//! Reading the registry: documents, their current versions, translations, withdrawals and
//! version histories, with drafts shown only to staff.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::{
    self, ChangeKind, DocumentKind, DocumentStatus, Language, RelationDirection, RelationKind, VersionLabel,
    VersionState,
};
use crate::entities::{decision, document, relation, version, withdrawal};
use crate::error::{AppError, AppResult};

/// A version's place in a list: everything but the body.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VersionInfo {
    pub id: i32,
    /// "1.0"; null for a draft.
    pub label: Option<String>,
    pub language: Language,
    pub state: VersionState,
    pub title: String,
    pub summary: String,
    pub change_note: String,
    pub change_kind: Option<ChangeKind>,
    pub published_on: Option<NaiveDate>,
    /// The approving steering-group decision, e.g. "25/25".
    pub decision: Option<String>,
    /// For a translation: the source version it translates.
    pub source: Option<SourceRef>,
    pub content_hash: String,
    /// The Normen version this version follows, if the editor said so when publishing it.
    pub normen_version: Option<String>,
    /// Who approved it, or why an admin published it without approval (staff only; absent
    /// for the public).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approval: Option<VersionApproval>,
}

/// How a published version was cleared for publication.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VersionApproval {
    pub approved_by: Option<String>,
    pub approved_at: Option<DateTime<Utc>>,
    /// An admin's reason for publishing without approval.
    pub forced_reason: Option<String>,
}

/// The source version a translation is pinned to.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SourceRef {
    pub language: Language,
    pub label: String,
}

/// A version with its Markdown body.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VersionFull {
    #[serde(flatten)]
    pub info: VersionInfo,
    pub document_id: i32,
    pub body: String,
}

/// Label and date of a document's current version.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CurrentVersion {
    pub label: String,
    pub published_on: Option<NaiveDate>,
    pub change_kind: Option<ChangeKind>,
}

/// A document as lists show it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentSummary {
    pub id: i32,
    pub kind: DocumentKind,
    pub number: Option<String>,
    pub slug: String,
    pub title: String,
    pub status: DocumentStatus,
    pub language: Language,
    pub external_id: Option<String>,
    pub normen_version: Option<String>,
    pub current_version: Option<CurrentVersion>,
    /// The public page.
    pub url: String,
}

/// A decision as other records refer to it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DecisionRef {
    pub case_number: String,
    pub meeting_date: NaiveDate,
    pub title: String,
    /// The public case page, e.g. "/sak/23-25".
    pub url: String,
}

/// A document another one points to (successor, relation).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentRef {
    pub id: i32,
    pub kind: DocumentKind,
    pub number: Option<String>,
    pub title: String,
    pub status: DocumentStatus,
    pub url: String,
}

/// Why and when a document was withdrawn ("utgått"), and what replaces it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WithdrawalView {
    /// Unknown ("dato ukjent") for material withdrawn before the registry kept it.
    pub withdrawn_on: Option<NaiveDate>,
    /// When the registry recorded the withdrawal.
    pub recorded_at: DateTime<Utc>,
    pub reason: String,
    pub decision: Option<DecisionRef>,
    pub successors: Vec<DocumentRef>,
    /// Replacements outside the registry.
    pub external_successors: Vec<ExternalLink>,
}

impl WithdrawalView {
    /// The first day it is certainly withdrawn: its date, or when that is unknown the day the
    /// registry recorded it (the latest the date can be).
    pub fn certain_from(&self) -> NaiveDate {
        domain::certainly_withdrawn_from(self.withdrawn_on, self.recorded_at.date_naive())
    }
}

/// A replacement outside the registry: its title and address.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExternalLink {
    pub title: String,
    pub url: String,
}

/// The latest published translation in one language.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TranslationView {
    pub language: Language,
    pub label: String,
    pub title: String,
    pub published_on: Option<NaiveDate>,
    /// The label of the source version it translates.
    pub source_label: String,
    /// True when a substantive source version was published after `source_label`.
    pub outdated: bool,
}

/// A typed link to another document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RelationView {
    pub kind: RelationKind,
    /// `outgoing` (this document → other) or `incoming`.
    pub direction: RelationDirection,
    pub document: DocumentRef,
}

/// A whole document as its page and the API show it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentView {
    #[serde(flatten)]
    pub summary: DocumentSummary,
    /// Date of the last substantive change in the primary language ("siste faglige endring").
    pub last_substantive_change: Option<NaiveDate>,
    pub withdrawal: Option<WithdrawalView>,
    pub translations: Vec<TranslationView>,
    pub relations: Vec<RelationView>,
    /// Languages with an open draft (staff only; empty for the public).
    pub drafts: Vec<Language>,
    /// Where the document is in its review cycle.
    pub review: crate::services::reviews::ReviewSummary,
    /// The value to send in `If-Match` when changing this document.
    pub etag: String,
}

/// Filters of the document list.
#[derive(Debug, Default, Clone)]
pub struct DocumentFilter {
    pub kind: Option<DocumentKind>,
    pub status: Option<DocumentStatus>,
    pub language: Option<Language>,
    pub external_id: Option<String>,
    pub number: Option<String>,
    pub order: ListOrder,
    pub limit: u64,
    pub offset: u64,
}

/// How a list of documents is ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ListOrder {
    /// As they were created.
    #[default]
    Created,
    /// By the title the list shows (`document.sort_title`, along `idx_document_list`).
    Title,
}

/// A document's own facts as the services hand them out; the row behind them stays in the
/// services. Built only from a row whose kind, status and language parse.
#[derive(Debug, Clone)]
pub struct DocumentRecord {
    pub id: i32,
    pub kind: DocumentKind,
    pub number: Option<String>,
    pub slug: String,
    pub language: Language,
    pub status: DocumentStatus,
    pub external_id: Option<String>,
    pub normen_version: Option<String>,
    /// Months between reviews: the document's own, or its kind's default.
    pub review_interval_months: u32,
    /// Grows by one on every write; staff ETags are built from it.
    pub revision: i32,
}

impl DocumentRecord {
    /// The public page of the document.
    pub fn url(&self) -> String {
        domain::public_path(self.kind, self.number.as_deref(), &self.slug)
    }
}

impl TryFrom<document::Model> for DocumentRecord {
    type Error = AppError;

    fn try_from(d: document::Model) -> AppResult<Self> {
        let unreadable =
            |e: domain::RuleError| AppError::Internal(anyhow::anyhow!("document {} cannot be read: {e}", d.id));
        let kind: DocumentKind = d.kind.parse().map_err(unreadable)?;
        Ok(DocumentRecord {
            id: d.id,
            kind,
            status: d.status.parse().map_err(unreadable)?,
            language: d.language.parse().map_err(unreadable)?,
            number: d.number,
            slug: d.slug,
            external_id: d.external_id,
            normen_version: d.normen_version,
            review_interval_months: match d.review_interval_months {
                Some(m) => domain::check_review_interval(i64::from(m)).map_err(unreadable)?,
                None => domain::default_review_interval_months(kind),
            },
            revision: d.revision,
        })
    }
}

/// Reads rows into records; a row that cannot be read is logged and left out, so one bad row
/// never breaks the page or list that holds it.
pub(crate) fn readable_records(docs: Vec<document::Model>) -> Vec<DocumentRecord> {
    docs.into_iter()
        .filter_map(|d| {
            let id = d.id;
            match DocumentRecord::try_from(d) {
                Ok(r) => Some(r),
                Err(e) => {
                    tracing::warn!(document_id = id, error = %e, "document left out: its row cannot be read");
                    None
                }
            }
        })
        .collect()
}

/// Version columns without the body, as stored.
#[derive(Debug, Clone, FromQueryResult)]
struct VersionRow {
    id: i32,
    document_id: i32,
    language: String,
    state: String,
    label: Option<String>,
    label_major: Option<i32>,
    label_minor: Option<i32>,
    title: String,
    summary: String,
    change_note: String,
    change_kind: Option<String>,
    published_on: Option<NaiveDate>,
    decision_id: Option<i32>,
    source_version_id: Option<i32>,
    content_hash: String,
    normen_version: Option<String>,
    approved_by: Option<String>,
    approved_at: Option<DateTime<Utc>>,
    forced_reason: Option<String>,
}

/// A version without its body, read: for lists and for working out current versions.
#[derive(Debug, Clone)]
pub(crate) struct VersionMeta {
    pub id: i32,
    pub document_id: i32,
    pub language: Language,
    pub state: VersionState,
    /// The label as stored ("1.0"); `None` for a draft.
    pub label: Option<String>,
    /// The label from its stored numbers, for ordering.
    pub label_value: Option<VersionLabel>,
    pub title: String,
    pub summary: String,
    pub change_note: String,
    pub change_kind: Option<ChangeKind>,
    pub published_on: Option<NaiveDate>,
    pub decision_id: Option<i32>,
    pub source_version_id: Option<i32>,
    pub content_hash: String,
    pub normen_version: Option<String>,
    pub approval: Option<VersionApproval>,
}

impl VersionMeta {
    fn is_published(&self) -> bool {
        self.state == VersionState::Published
    }

    /// Reads a stored row; `None` (logged) when its language, state or change kind is unknown.
    fn read(v: VersionRow) -> Option<VersionMeta> {
        let change_kind = match v.change_kind.as_deref().map(str::parse::<ChangeKind>).transpose() {
            Ok(k) => k,
            Err(e) => {
                tracing::warn!(version_id = v.id, error = %e, "version left out: its row cannot be read");
                return None;
            }
        };
        let (language, state) = match (v.language.parse::<Language>(), v.state.parse::<VersionState>()) {
            (Ok(l), Ok(s)) => (l, s),
            (Err(e), _) | (_, Err(e)) => {
                tracing::warn!(version_id = v.id, error = %e, "version left out: its row cannot be read");
                return None;
            }
        };
        Some(VersionMeta {
            id: v.id,
            document_id: v.document_id,
            language,
            state,
            label_value: VersionLabel::from_stored(v.label_major, v.label_minor),
            label: v.label,
            title: v.title,
            summary: v.summary,
            change_note: v.change_note,
            change_kind,
            published_on: v.published_on,
            decision_id: v.decision_id,
            source_version_id: v.source_version_id,
            content_hash: v.content_hash,
            normen_version: v.normen_version,
            approval: (v.approved_by.is_some() || v.forced_reason.is_some()).then_some(VersionApproval {
                approved_by: v.approved_by,
                approved_at: v.approved_at,
                forced_reason: v.forced_reason,
            }),
        })
    }
}

/// At most this many ids in one `IN (…)` list: under the bind-parameter limits of SQLite and
/// PostgreSQL with room for the rest of the query.
pub(crate) const IDS_PER_QUERY: usize = 500;

/// Returns the ETag of a document at a revision.
pub fn etag(document_id: i32, revision: i32) -> String {
    format!("\"{document_id}.{revision}\"")
}

/// Loads the metadata of all versions of the given documents (published only unless `drafts`),
/// ordered by language and label.
pub(crate) async fn version_metas(
    db: &impl ConnectionTrait,
    document_ids: &[i32],
    drafts: bool,
) -> AppResult<Vec<VersionMeta>> {
    if document_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q =
        meta_columns(version::Entity::find()).filter(version::Column::DocumentId.is_in(document_ids.iter().copied()));
    if !drafts {
        q = q.filter(version::Column::State.eq(VersionState::Published));
    }
    read_metas(db, q).await
}

/// The newest published version of each document in each language, and no other, in one query
/// that reads only those rows whole. (SQLite keeps the columns after `body` behind its overflow
/// pages, so reading every version's metadata would read every version's body.)
pub(crate) async fn current_metas(db: &impl ConnectionTrait, document_ids: &[i32]) -> AppResult<Vec<VersionMeta>> {
    let mut out = Vec::new();
    for chunk in document_ids.chunks(IDS_PER_QUERY) {
        // A published version with no published version of a higher label beside it (same
        // document and language); the database checks that along `ux_version_label`, and only
        // the rows that pass are read whole.
        let newer = Alias::new("newer");
        let col = |c: version::Column| Expr::col((newer.clone(), c));
        let this = |c: version::Column| Expr::col((version::Entity, c));
        let has_newer = Query::select()
            .expr(Expr::val(1))
            .from_as(version::Entity, newer.clone())
            .and_where(col(version::Column::DocumentId).equals((version::Entity, version::Column::DocumentId)))
            .and_where(col(version::Column::Language).equals((version::Entity, version::Column::Language)))
            .and_where(col(version::Column::State).eq(VersionState::Published.as_str()))
            .and_where(
                col(version::Column::LabelMajor)
                    .gt(this(version::Column::LabelMajor))
                    .or(col(version::Column::LabelMajor)
                        .eq(this(version::Column::LabelMajor))
                        .and(col(version::Column::LabelMinor).gt(this(version::Column::LabelMinor)))),
            )
            .to_owned();
        let q = meta_columns(version::Entity::find())
            .filter(version::Column::DocumentId.is_in(chunk.iter().copied()))
            .filter(version::Column::State.eq(VersionState::Published))
            .filter(Expr::not_exists(has_newer));
        out.extend(read_metas(db, q).await?);
    }
    Ok(out)
}

/// What a summary is made from: the current versions for the public; for staff every version,
/// as a document never published is named by its draft.
async fn summary_metas(db: &impl ConnectionTrait, ids: &[i32], drafts: bool) -> AppResult<Vec<VersionMeta>> {
    if drafts {
        version_metas(db, ids, true).await
    } else {
        current_metas(db, ids).await
    }
}

/// The columns a `VersionMeta` is read from (all but the body).
fn meta_columns(q: sea_orm::Select<version::Entity>) -> sea_orm::Select<version::Entity> {
    q.select_only().columns([
        version::Column::Id,
        version::Column::DocumentId,
        version::Column::Language,
        version::Column::State,
        version::Column::Label,
        version::Column::LabelMajor,
        version::Column::LabelMinor,
        version::Column::Title,
        version::Column::Summary,
        version::Column::ChangeNote,
        version::Column::ChangeKind,
        version::Column::PublishedOn,
        version::Column::DecisionId,
        version::Column::SourceVersionId,
        version::Column::ContentHash,
        version::Column::NormenVersion,
        version::Column::ApprovedBy,
        version::Column::ApprovedAt,
        version::Column::ForcedReason,
    ])
}

async fn read_metas(db: &impl ConnectionTrait, q: sea_orm::Select<version::Entity>) -> AppResult<Vec<VersionMeta>> {
    let mut rows: Vec<VersionMeta> = q
        .into_model::<VersionRow>()
        .all(db)
        .await?
        .into_iter()
        .filter_map(VersionMeta::read)
        .collect();
    rows.sort_by_key(|v| {
        (
            v.document_id,
            v.language.as_str(),
            v.label_value.is_none(),
            v.label_value,
        )
    });
    Ok(rows)
}

/// Version metadata grouped by document, so that work per document reads only its own versions
/// (a scan of the whole list per document grows with the square of the registry).
pub(crate) fn by_document(metas: Vec<VersionMeta>) -> HashMap<i32, Vec<VersionMeta>> {
    let mut out: HashMap<i32, Vec<VersionMeta>> = HashMap::new();
    for m in metas {
        out.entry(m.document_id).or_default().push(m);
    }
    out
}

/// Derives each document's list sort key from its versions, in the write's transaction: the
/// key of the title its lists show (the newest published version's, in its own language).
/// Unchanged keys are not written.
pub(crate) async fn refresh_sort_titles(txn: &impl ConnectionTrait, ids: &[i32]) -> AppResult<()> {
    for chunk in ids.chunks(IDS_PER_QUERY) {
        let docs = document::Entity::find()
            .filter(document::Column::Id.is_in(chunk.iter().copied()))
            .all(txn)
            .await?;
        let metas = by_document(current_metas(txn, chunk).await?);
        for d in docs {
            let Ok(language) = d.language.parse::<Language>() else {
                continue;
            };
            let key = latest_published(own_metas(&metas, d.id), d.id, language).map(|v| domain::sort_title(&v.title));
            if key != d.sort_title {
                document::Entity::update_many()
                    .col_expr(document::Column::SortTitle, Expr::value(key))
                    .filter(document::Column::Id.eq(d.id))
                    .exec(txn)
                    .await?;
            }
        }
    }
    Ok(())
}

/// A document's own versions from a grouping made by [`by_document`].
pub(crate) fn own_metas(grouped: &HashMap<i32, Vec<VersionMeta>>, document_id: i32) -> &[VersionMeta] {
    grouped.get(&document_id).map_or(&[], Vec::as_slice)
}

/// The latest published version of a document in a language: the one place that says which
/// version is current.
pub(crate) fn latest_published(metas: &[VersionMeta], document_id: i32, language: Language) -> Option<&VersionMeta> {
    metas
        .iter()
        .filter(|v| v.document_id == document_id && v.language == language && v.is_published())
        .max_by_key(|v| v.label_value)
}

fn summary_of(doc: &DocumentRecord, metas: &[VersionMeta]) -> DocumentSummary {
    let current = latest_published(metas, doc.id, doc.language);
    let title = current
        .map(|v| v.title.clone())
        .or_else(|| {
            metas
                .iter()
                .find(|v| v.document_id == doc.id && v.language == doc.language)
                .map(|v| v.title.clone())
        })
        .unwrap_or_default();
    summary_with(doc, title, doc.status, current)
}

/// A document's summary with the title, status and current version it has now, or had on a
/// date (the as-of view).
pub(crate) fn summary_with(
    doc: &DocumentRecord,
    title: String,
    status: DocumentStatus,
    current: Option<&VersionMeta>,
) -> DocumentSummary {
    DocumentSummary {
        id: doc.id,
        kind: doc.kind,
        number: doc.number.clone(),
        slug: doc.slug.clone(),
        title,
        status,
        language: doc.language,
        external_id: doc.external_id.clone(),
        normen_version: doc.normen_version.clone(),
        current_version: current.map(|v| CurrentVersion {
            label: v.label.clone().unwrap_or_default(),
            published_on: v.published_on,
            change_kind: v.change_kind,
        }),
        url: doc.url(),
    }
}

/// The documents matching a filter's kind, external id and number: the filters about what a
/// document is rather than where it stands (status and language depend on the date asked for).
pub(crate) fn filtered_by_facts(filter: &DocumentFilter) -> sea_orm::Select<document::Entity> {
    let mut q = document::Entity::find();
    if let Some(kind) = filter.kind {
        q = q.filter(document::Column::Kind.eq(kind));
    }
    if let Some(ext) = &filter.external_id {
        q = q.filter(document::Column::ExternalId.eq(ext.as_str()));
    }
    if let Some(number) = &filter.number {
        // By the normal form when the filter is a number ("037" finds "37"), else as typed.
        q = match domain::number_key(number) {
            Ok(key) => q.filter(document::Column::NumberKey.eq(key)),
            Err(_) => q.filter(document::Column::Number.eq(number.as_str())),
        };
    }
    q
}

/// Lists documents with a total count; drafts only for staff.
pub async fn list_documents(
    db: &impl ConnectionTrait,
    filter: &DocumentFilter,
    drafts: bool,
) -> AppResult<(u64, Vec<DocumentSummary>)> {
    let mut q = filtered_by_facts(filter);
    if !drafts {
        q = q.filter(document::Column::Status.ne(DocumentStatus::Draft));
    }
    if let Some(status) = filter.status {
        q = q.filter(document::Column::Status.eq(status));
    }
    if let Some(lang) = filter.language {
        q = q.filter(
            document::Column::Id.in_subquery(
                Query::select()
                    .column(version::Column::DocumentId)
                    .from(version::Entity)
                    .and_where(version::Column::Language.eq(lang))
                    .and_where(version::Column::State.eq(VersionState::Published))
                    .to_owned(),
            ),
        );
    }
    let total = q.clone().count(db).await?;
    let q = match filter.order {
        ListOrder::Created => q,
        ListOrder::Title => q.order_by_asc(document::Column::SortTitle),
    };
    let docs = q
        .order_by_asc(document::Column::Id)
        .limit(filter.limit)
        .offset(filter.offset)
        .all(db)
        .await?;
    let docs = readable_records(docs);
    let ids: Vec<i32> = docs.iter().map(|d| d.id).collect();
    let metas = by_document(summary_metas(db, &ids, drafts).await?);
    let items = docs.iter().map(|d| summary_of(d, own_metas(&metas, d.id))).collect();
    Ok((total, items))
}

/// Returns the record if the caller may see it: the public sees published and withdrawn
/// documents, staff (`drafts`) also those never published. A row that cannot be read is
/// logged and not found.
fn visible(doc: Option<document::Model>, drafts: bool) -> Option<DocumentRecord> {
    readable_records(doc.into_iter().collect())
        .pop()
        .filter(|d| drafts || d.status.is_public())
}

/// Finds a document the caller may see, or 404.
pub async fn find_visible(db: &impl ConnectionTrait, id: i32, drafts: bool) -> AppResult<DocumentRecord> {
    visible(document::Entity::find_by_id(id).one(db).await?, drafts)
        .ok_or_else(|| AppError::not_found(format!("document {id}")))
}

/// Finds a visible document by its kind and number or slug (the public URL).
pub async fn find_by_path(
    db: &impl ConnectionTrait,
    kinds: &[DocumentKind],
    key: &str,
    drafts: bool,
) -> AppResult<DocumentRecord> {
    let kinds = kinds.to_vec();
    // A number resolves by its normal form ("/faktaark/037" is Faktaark 37); the number as
    // typed is the fallback for rows that predate the normal form and clash with another.
    let by_key = match domain::number_key(key) {
        Ok(k) => {
            document::Entity::find()
                .filter(document::Column::Kind.is_in(kinds.clone()))
                .filter(document::Column::NumberKey.eq(k))
                .one(db)
                .await?
        }
        Err(_) => None,
    };
    let by_number = match by_key {
        Some(d) => Some(d),
        None => {
            document::Entity::find()
                .filter(document::Column::Kind.is_in(kinds.clone()))
                .filter(document::Column::Number.eq(key))
                .one(db)
                .await?
        }
    };
    let doc = match by_number {
        Some(d) => Some(d),
        None => {
            document::Entity::find()
                .filter(document::Column::Kind.is_in(kinds))
                .filter(document::Column::Slug.eq(key))
                .one(db)
                .await?
        }
    };
    visible(doc, drafts).ok_or_else(|| AppError::not_found(format!("document {key:?}")))
}

/// Where a document that had `path` as its public address (before a number or slug changed)
/// lives now; `None` when no visible document had it.
pub async fn moved_to(db: &impl ConnectionTrait, path: &str) -> AppResult<Option<String>> {
    let Some(alias) = crate::entities::path_alias::Entity::find_by_id(path.to_string())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    match find_visible(db, alias.document_id, false).await {
        Ok(d) if d.url() != path => Ok(Some(d.url())),
        Ok(_) | Err(AppError::NotFound(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// References (title from the current primary-language version) to the documents by id that
/// the caller may see; the one way every page and feed names another document.
pub(crate) async fn document_refs(
    db: &impl ConnectionTrait,
    ids: &[i32],
    drafts: bool,
) -> AppResult<HashMap<i32, DocumentRef>> {
    let mut unique = ids.to_vec();
    unique.sort_unstable();
    unique.dedup();
    let mut out = HashMap::new();
    for chunk in unique.chunks(IDS_PER_QUERY) {
        let docs = document::Entity::find()
            .filter(document::Column::Id.is_in(chunk.iter().copied()))
            .all(db)
            .await?;
        let docs: Vec<DocumentRecord> = readable_records(docs)
            .into_iter()
            .filter(|d| drafts || d.status.is_public())
            .collect();
        let doc_ids: Vec<i32> = docs.iter().map(|d| d.id).collect();
        let metas = by_document(summary_metas(db, &doc_ids, drafts).await?);
        for d in &docs {
            let s = summary_of(d, own_metas(&metas, d.id));
            out.insert(
                d.id,
                DocumentRef {
                    id: s.id,
                    kind: s.kind,
                    number: s.number,
                    title: s.title,
                    status: s.status,
                    url: s.url,
                },
            );
        }
    }
    Ok(out)
}

/// Returns the active withdrawal of a document, if any.
pub(crate) async fn active_withdrawal(
    db: &impl ConnectionTrait,
    document_id: i32,
) -> AppResult<Option<withdrawal::Model>> {
    Ok(withdrawal::Entity::find()
        .filter(withdrawal::Column::DocumentId.eq(document_id))
        .filter(withdrawal::Column::ReinstatedAt.is_null())
        .order_by_desc(withdrawal::Column::Id)
        .one(db)
        .await?)
}

/// Returns why, when and by what decision a withdrawn document was withdrawn, and its
/// successors; `None` unless the document is withdrawn.
pub async fn withdrawal_view(
    db: &impl ConnectionTrait,
    doc: &DocumentRecord,
    drafts: bool,
) -> AppResult<Option<WithdrawalView>> {
    Ok(match active_withdrawal(db, doc.id).await? {
        Some(w) if doc.status == DocumentStatus::Withdrawn => {
            let decision = match w.decision_id {
                Some(id) => decision::Entity::find_by_id(id).one(db).await?.map(decision_ref),
                None => None,
            };
            let succ_ids: Vec<i32> = relation::Entity::find()
                .filter(relation::Column::FromDocumentId.eq(doc.id))
                .filter(relation::Column::Kind.is_in(RelationKind::SUCCESSORS.iter().copied()))
                .order_by_asc(relation::Column::Id)
                .all(db)
                .await?
                .into_iter()
                .map(|r| r.to_document_id)
                .collect();
            let refs = document_refs(db, &succ_ids, drafts).await?;
            Some(WithdrawalView {
                withdrawn_on: w.withdrawn_on,
                recorded_at: w.created_at,
                reason: w.reason,
                decision,
                successors: succ_ids.iter().filter_map(|id| refs.get(id).cloned()).collect(),
                external_successors: crate::entities::external_successor::Entity::find()
                    .filter(crate::entities::external_successor::Column::WithdrawalId.eq(w.id))
                    .order_by_asc(crate::entities::external_successor::Column::Id)
                    .all(db)
                    .await?
                    .into_iter()
                    .map(|x| ExternalLink {
                        title: x.title,
                        url: x.url,
                    })
                    .collect(),
            })
        }
        _ => None,
    })
}

/// Every public page of the documents, for the sitemap, with the date it last changed: each
/// public document's current page, its current page in each language it is translated into
/// (`?lang=en`), and every published version at its permanent address (`…/versjon/1.0`). One
/// query for the documents and one for their published versions (metadata only); at most
/// `limit` addresses.
pub async fn public_pages(db: &impl ConnectionTrait, limit: usize) -> AppResult<Vec<(String, Option<NaiveDate>)>> {
    let docs = readable_records(
        document::Entity::find()
            .filter(document::Column::Status.is_in([DocumentStatus::Published, DocumentStatus::Withdrawn]))
            .order_by_asc(document::Column::Id)
            .limit(limit as u64)
            .all(db)
            .await?,
    );
    /// A published version's language, label and date.
    type Published = (String, Option<String>, Option<NaiveDate>);
    let mut versions: HashMap<i32, Vec<Published>> = HashMap::new();
    for chunk in docs.chunks(IDS_PER_QUERY) {
        let rows: Vec<(i32, String, Option<String>, Option<NaiveDate>)> = version::Entity::find()
            .select_only()
            .column(version::Column::DocumentId)
            .column(version::Column::Language)
            .column(version::Column::Label)
            .column(version::Column::PublishedOn)
            .filter(version::Column::State.eq(VersionState::Published))
            .filter(version::Column::DocumentId.is_in(chunk.iter().map(|d| d.id)))
            .order_by_asc(version::Column::Id)
            .into_tuple()
            .all(db)
            .await?;
        for (id, language, label, on) in rows {
            versions.entry(id).or_default().push((language, label, on));
        }
    }
    let mut pages = Vec::new();
    for d in &docs {
        let url = d.url();
        let own = versions.get(&d.id).map(Vec::as_slice).unwrap_or_default();
        let latest = |language: &str| {
            own.iter()
                .filter(|(l, _, _)| l == language)
                .filter_map(|(_, _, on)| *on)
                .max()
        };
        pages.push((url.clone(), latest(d.language.as_str())));
        let mut translated: Vec<&str> = own
            .iter()
            .map(|(l, _, _)| l.as_str())
            .filter(|l| *l != d.language.as_str())
            .collect();
        translated.sort_unstable();
        translated.dedup();
        for language in translated {
            pages.push((format!("{url}?lang={language}"), latest(language)));
        }
        for (language, label, on) in own {
            let Some(label) = label else { continue };
            let q = if language == d.language.as_str() {
                String::new()
            } else {
                format!("?lang={language}")
            };
            pages.push((format!("{url}/versjon/{label}{q}"), *on));
        }
        if pages.len() >= limit {
            break;
        }
    }
    pages.truncate(limit);
    Ok(pages)
}

/// Builds the whole view of a document.
pub async fn document_view(db: &impl ConnectionTrait, doc: &DocumentRecord, drafts: bool) -> AppResult<DocumentView> {
    let metas = version_metas(db, &[doc.id], drafts).await?;
    let summary = summary_of(doc, &metas);

    let source_history = source_history(&metas, doc.id, doc.language);
    let last_substantive_change = metas
        .iter()
        .filter(|v| v.language == doc.language && v.is_published())
        .filter(|v| v.change_kind == Some(ChangeKind::Substantive))
        .filter_map(|v| v.published_on)
        .max();

    let mut translations = Vec::new();
    for &lang in Language::ALL {
        if lang == doc.language {
            continue;
        }
        let Some(t) = latest_published(&metas, doc.id, lang) else {
            continue;
        };
        let source = t.source_version_id.and_then(|sid| metas.iter().find(|v| v.id == sid));
        let (source_label, outdated) = match source.and_then(|s| Some((s.label.clone()?, s.label_value?))) {
            Some((text, label)) => (text, domain::is_translation_outdated(label, &source_history)),
            None => (String::new(), false),
        };
        translations.push(TranslationView {
            language: lang,
            label: t.label.clone().unwrap_or_default(),
            title: t.title.clone(),
            published_on: t.published_on,
            source_label,
            outdated,
        });
    }

    let withdrawal = withdrawal_view(db, doc, drafts).await?;

    let rels = relation::Entity::find()
        .filter(
            relation::Column::FromDocumentId
                .eq(doc.id)
                .or(relation::Column::ToDocumentId.eq(doc.id)),
        )
        .order_by_asc(relation::Column::Id)
        .all(db)
        .await?;
    let other_ids: Vec<i32> = rels
        .iter()
        .map(|r| {
            if r.from_document_id == doc.id {
                r.to_document_id
            } else {
                r.from_document_id
            }
        })
        .collect();
    let refs = document_refs(db, &other_ids, drafts).await?;
    let relations = rels
        .iter()
        .filter_map(|r| {
            let outgoing = r.from_document_id == doc.id;
            let other = if outgoing { r.to_document_id } else { r.from_document_id };
            let kind = match r.kind.parse::<RelationKind>() {
                Ok(k) => k,
                Err(e) => {
                    tracing::warn!(relation_id = r.id, error = %e, "relation left out: its row cannot be read");
                    return None;
                }
            };
            Some(RelationView {
                kind,
                direction: if outgoing {
                    RelationDirection::Outgoing
                } else {
                    RelationDirection::Incoming
                },
                document: refs.get(&other)?.clone(),
            })
        })
        .collect();

    let drafts_open = if drafts {
        metas
            .iter()
            .filter(|v| v.state == VersionState::Draft)
            .map(|v| v.language)
            .collect()
    } else {
        Vec::new()
    };

    let review = crate::services::reviews::summary(db, doc, &metas).await?;
    let mut view = DocumentView {
        summary,
        review,
        last_substantive_change,
        withdrawal,
        translations,
        relations,
        drafts: drafts_open,
        etag: String::new(),
    };
    // Staff get the revision, to send back in `If-Match`. The revision also counts draft
    // saves, so the public gets a validator built from what it is shown, and nothing else.
    view.etag = if drafts {
        etag(doc.id, doc.revision)
    } else {
        public_etag(&view)
    };
    Ok(view)
}

/// The whole view of a document as staff see it (drafts included), by id.
pub async fn staff_view(db: &impl ConnectionTrait, id: i32) -> AppResult<DocumentView> {
    let doc = find_visible(db, id, true).await?;
    document_view(db, &doc, true).await
}

/// The (label, change kind) of every published version of a document in its primary language:
/// what decides whether a translation is outdated.
pub(crate) fn source_history(
    metas: &[VersionMeta],
    document_id: i32,
    language: Language,
) -> Vec<(VersionLabel, ChangeKind)> {
    metas
        .iter()
        .filter(|v| v.document_id == document_id && v.language == language && v.is_published())
        .filter_map(|v| Some((v.label_value?, v.change_kind?)))
        .collect()
}

/// A validator of a public view: a digest of the view itself (whose `etag` is still empty).
fn public_etag(view: &DocumentView) -> String {
    let json = serde_json::to_vec(view).unwrap_or_default();
    let digest = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&json));
    format!("\"p{}\"", &digest[..20])
}

/// A decision as other records refer to it.
pub(crate) fn decision_ref(d: decision::Model) -> DecisionRef {
    DecisionRef {
        url: crate::services::meetings::case_url(&d.case_number),
        case_number: d.case_number,
        meeting_date: d.meeting_date,
        title: d.title,
    }
}

async fn decision_numbers(db: &impl ConnectionTrait, metas: &[VersionMeta]) -> AppResult<HashMap<i32, String>> {
    let ids: Vec<i32> = metas.iter().filter_map(|v| v.decision_id).collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(decision::Entity::find()
        .filter(decision::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.id, d.case_number))
        .collect())
}

async fn source_refs(db: &impl ConnectionTrait, metas: &[VersionMeta]) -> AppResult<HashMap<i32, SourceRef>> {
    let ids: Vec<i32> = metas.iter().filter_map(|v| v.source_version_id).collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(version::Entity::find()
        .select_only()
        .columns([version::Column::Id, version::Column::Language, version::Column::Label])
        .filter(version::Column::Id.is_in(ids))
        .into_tuple::<(i32, String, Option<String>)>()
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(id, language, label)| {
            Some((
                id,
                SourceRef {
                    language: language.parse().ok()?,
                    label: label.unwrap_or_default(),
                },
            ))
        })
        .collect())
}

/// A version as a list shows it; who approved it only for staff.
fn info_of(
    v: &VersionMeta,
    decisions: &HashMap<i32, String>,
    sources: &HashMap<i32, SourceRef>,
    staff: bool,
) -> VersionInfo {
    VersionInfo {
        id: v.id,
        label: v.label.clone(),
        language: v.language,
        state: v.state,
        title: v.title.clone(),
        summary: v.summary.clone(),
        change_note: v.change_note.clone(),
        change_kind: v.change_kind,
        published_on: v.published_on,
        decision: v.decision_id.and_then(|id| decisions.get(&id).cloned()),
        source: v.source_version_id.and_then(|id| sources.get(&id).cloned()),
        content_hash: v.content_hash.clone(),
        normen_version: v.normen_version.clone(),
        approval: v.approval.clone().filter(|_| staff),
    }
}

/// Lists a document's versions (all languages unless one is given), oldest first.
pub async fn list_versions(
    db: &impl ConnectionTrait,
    doc: &DocumentRecord,
    language: Option<Language>,
    drafts: bool,
) -> AppResult<Vec<VersionInfo>> {
    let metas: Vec<VersionMeta> = version_metas(db, &[doc.id], drafts)
        .await?
        .into_iter()
        .filter(|v| language.is_none_or(|l| v.language == l))
        .collect();
    let decisions = decision_numbers(db, &metas).await?;
    let sources = source_refs(db, &metas).await?;
    Ok(metas.iter().map(|v| info_of(v, &decisions, &sources, drafts)).collect())
}

/// Which version of a language a reader asks for: a published label, or the open draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionPick {
    Published(VersionLabel),
    Draft,
}

impl VersionPick {
    /// Reads "1.0" or "draft" (the form URLs and the API use); anything else names nothing.
    pub fn parse(s: &str) -> Option<VersionPick> {
        if s == VersionState::Draft.as_str() {
            Some(VersionPick::Draft)
        } else {
            s.parse().ok().map(VersionPick::Published)
        }
    }
}

impl std::fmt::Display for VersionPick {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            VersionPick::Published(l) => l.fmt(f),
            VersionPick::Draft => f.write_str(VersionState::Draft.as_str()),
        }
    }
}

/// Returns one version with its body. `label` is "1.0", or "draft" for staff.
pub async fn get_version(
    db: &impl ConnectionTrait,
    doc: &DocumentRecord,
    label: &str,
    language: Option<Language>,
    drafts: bool,
) -> AppResult<VersionFull> {
    let pick = VersionPick::parse(label)
        .ok_or_else(|| AppError::not_found(format!("version {label:?} of document {}", doc.id)))?;
    get_picked_version(db, doc, pick, language, drafts).await
}

/// Returns one version with its body; a draft only for staff.
pub async fn get_picked_version(
    db: &impl ConnectionTrait,
    doc: &DocumentRecord,
    pick: VersionPick,
    language: Option<Language>,
    drafts: bool,
) -> AppResult<VersionFull> {
    let lang = language.unwrap_or(doc.language);
    let mut q = version::Entity::find()
        .filter(version::Column::DocumentId.eq(doc.id))
        .filter(version::Column::Language.eq(lang));
    match pick {
        VersionPick::Draft if !drafts => return Err(AppError::not_found(format!("version {pick} in {lang}"))),
        VersionPick::Draft => q = q.filter(version::Column::State.eq(VersionState::Draft)),
        VersionPick::Published(label) => {
            q = q
                .filter(version::Column::State.eq(VersionState::Published))
                .filter(version::Column::Label.eq(label.to_string()));
        }
    }
    let v = q
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found(format!("version {pick} in {lang} of document {}", doc.id)))?;
    let row = VersionRow {
        id: v.id,
        document_id: v.document_id,
        language: v.language,
        state: v.state,
        label: v.label,
        label_major: v.label_major,
        label_minor: v.label_minor,
        title: v.title,
        summary: v.summary,
        change_note: v.change_note,
        change_kind: v.change_kind,
        published_on: v.published_on,
        decision_id: v.decision_id,
        source_version_id: v.source_version_id,
        content_hash: v.content_hash,
        normen_version: v.normen_version,
        approved_by: v.approved_by,
        approved_at: v.approved_at,
        forced_reason: v.forced_reason,
    };
    let meta =
        VersionMeta::read(row).ok_or_else(|| AppError::Internal(anyhow::anyhow!("version {} cannot be read", v.id)))?;
    let metas = [meta];
    let decisions = decision_numbers(db, &metas).await?;
    let sources = source_refs(db, &metas).await?;
    Ok(VersionFull {
        info: info_of(&metas[0], &decisions, &sources, drafts),
        document_id: doc.id,
        body: v.body,
    })
}
