//! What changed, for the public: published versions and withdrawals, newest first, for the home
//! page, the change log, the Atom feeds and the list of withdrawn material. Drafts never appear:
//! only published versions of documents that are not drafts are read.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, NullOrdering, Order};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, JoinType, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};

use crate::domain::{ChangeKind, DocumentStatus, Language, RelationKind, VersionState};
use crate::entities::{decision, document, relation, version, withdrawal};
use crate::error::AppResult;
use crate::services::documents::{self, DecisionRef, DocumentRef};

/// A published version as the change log shows it.
#[derive(Debug, Clone)]
pub struct Publication {
    pub version_id: i32,
    pub document: DocumentRef,
    pub language: Language,
    /// Whether this is the document's primary language (else a translation).
    pub primary: bool,
    pub label: String,
    pub title: String,
    pub change_note: String,
    pub change_kind: Option<ChangeKind>,
    pub published_on: NaiveDate,
    /// When it was published, to the second, when that is known.
    pub published_at: Option<DateTime<Utc>>,
    /// The approving case.
    pub decision: Option<DecisionRef>,
}

/// A withdrawal in force, with its decision and successors.
#[derive(Debug, Clone)]
pub struct Withdrawn {
    pub withdrawal_id: i32,
    pub document: DocumentRef,
    /// Unknown for material withdrawn before the registry kept it.
    pub withdrawn_on: Option<NaiveDate>,
    /// When the withdrawal was recorded.
    pub recorded_at: DateTime<Utc>,
    pub reason: String,
    pub decision: Option<DecisionRef>,
    pub successors: Vec<DocumentRef>,
}

/// Public references to documents by id; drafts are left out.
async fn document_refs(db: &impl ConnectionTrait, ids: &[i32]) -> AppResult<HashMap<i32, DocumentRef>> {
    documents::document_refs(db, ids, false).await
}

/// Columns read for a publication.
type PublicationRow = (
    i32,
    i32,
    String,
    Option<String>,
    String,
    String,
    Option<String>,
    Option<NaiveDate>,
    Option<DateTime<Utc>>,
    Option<i32>,
);

/// The published versions of public documents, of one document or of all, newest first: read
/// newest first along `idx_version_published`, each row's document by its key, so a page
/// stops at its limit. A join rather than `IN (SELECT …)`, which SQLite would materialise whole.
pub fn publications_query(document_id: Option<i32>) -> Select<version::Entity> {
    let mut q = version::Entity::find()
        .join(
            JoinType::InnerJoin,
            version::Entity::belongs_to(document::Entity)
                .from(version::Column::DocumentId)
                .to(document::Column::Id)
                .into(),
        )
        .filter(document::Column::Status.ne(DocumentStatus::Draft))
        .filter(version::Column::State.eq(VersionState::Published))
        .filter(version::Column::PublishedOn.is_not_null());
    if let Some(id) = document_id {
        q = q.filter(version::Column::DocumentId.eq(id));
    }
    q.order_by_desc(version::Column::PublishedOn)
        .order_by_with_nulls(version::Column::PublishedAt, Order::Desc, NullOrdering::Last)
        .order_by_desc(version::Column::Id)
}

/// Published versions, newest first, of one document or of all. No total: counting them all
/// would cost what the registry holds, and a page only needs to know whether one more follows.
pub async fn publications(
    db: &impl ConnectionTrait,
    document_id: Option<i32>,
    limit: u64,
    offset: u64,
) -> AppResult<Vec<Publication>> {
    let q = publications_query(document_id);
    let rows: Vec<PublicationRow> = q
        .select_only()
        .columns([
            version::Column::Id,
            version::Column::DocumentId,
            version::Column::Language,
            version::Column::Label,
            version::Column::Title,
            version::Column::ChangeNote,
            version::Column::ChangeKind,
            version::Column::PublishedOn,
            version::Column::PublishedAt,
            version::Column::DecisionId,
        ])
        .limit(limit)
        .offset(offset)
        .into_tuple()
        .all(db)
        .await?;
    let ids: Vec<i32> = rows.iter().map(|r| r.1).collect();
    let refs = document_refs(db, &ids).await?;
    let languages: HashMap<i32, String> = document::Entity::find()
        .select_only()
        .columns([document::Column::Id, document::Column::Language])
        .filter(document::Column::Id.is_in(ids.iter().copied()))
        .into_tuple::<(i32, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let decision_ids: Vec<i32> = rows.iter().filter_map(|r| r.9).collect();
    let decisions: HashMap<i32, decision::Model> = if decision_ids.is_empty() {
        HashMap::new()
    } else {
        decision::Entity::find()
            .filter(decision::Column::Id.is_in(decision_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|d| (d.id, d))
            .collect()
    };
    let items = rows
        .into_iter()
        .filter_map(|(vid, did, language, label, title, note, kind, on, at, decision)| {
            Some(Publication {
                version_id: vid,
                document: refs.get(&did)?.clone(),
                primary: languages.get(&did) == Some(&language),
                language: language.parse().ok()?,
                label: label?,
                title,
                change_note: note,
                change_kind: kind.as_deref().map(str::parse).transpose().ok()?,
                published_on: on?,
                published_at: at,
                decision: decision
                    .and_then(|id| decisions.get(&id))
                    .cloned()
                    .map(documents::decision_ref),
            })
        })
        .collect();
    Ok(items)
}

/// The withdrawals in force: not reinstated, of documents that are withdrawn. The document is
/// asked of each withdrawal (`EXISTS`, by primary key) rather than joined, so a list walks the
/// withdrawals along an index in its own order and stops at its page
/// (`m20261207_000001_withdrawal_order`).
fn in_force() -> Select<withdrawal::Entity> {
    let withdrawn_document = sea_orm::sea_query::Query::select()
        .expr(Expr::val(1))
        .from(document::Entity)
        .and_where(
            Expr::col((document::Entity, document::Column::Id))
                .equals((withdrawal::Entity, withdrawal::Column::DocumentId)),
        )
        .and_where(document::Column::Status.eq(DocumentStatus::Withdrawn))
        .to_owned();
    withdrawal::Entity::find()
        .filter(withdrawal::Column::ReinstatedAt.is_null())
        .filter(Expr::exists(withdrawn_document))
}

/// Withdrawals in force, newest first: of one document or of all, optionally only those on or
/// after a date. No total (see [`withdrawn_count`]).
pub async fn withdrawals(
    db: &impl ConnectionTrait,
    document_id: Option<i32>,
    since: Option<NaiveDate>,
    limit: u64,
    offset: u64,
) -> AppResult<Vec<Withdrawn>> {
    let rows = withdrawals_query(document_id, since)
        .limit(limit)
        .offset(offset)
        .all(db)
        .await?;
    with_successors(db, rows).await
}

/// The query behind [`withdrawals`]: newest first, those whose date nobody knows last, alike on
/// both databases (the order of the index the migration `m20261207_000001_withdrawal_order`
/// names).
pub fn withdrawals_query(document_id: Option<i32>, since: Option<NaiveDate>) -> Select<withdrawal::Entity> {
    let mut q = in_force();
    if let Some(id) = document_id {
        q = q.filter(withdrawal::Column::DocumentId.eq(id));
    }
    if let Some(d) = since {
        q = q.filter(withdrawal::Column::WithdrawnOn.gte(d));
    }
    q.order_by_with_nulls(withdrawal::Column::WithdrawnOn, Order::Desc, NullOrdering::Last)
        .order_by_desc(withdrawal::Column::CreatedAt)
        .order_by_desc(withdrawal::Column::Id)
}

/// How many withdrawals are in force: for the pages of the list of withdrawn material (along
/// `idx_document_status`, so it costs what is withdrawn, not what the registry holds).
pub async fn withdrawn_count(db: &impl ConnectionTrait) -> AppResult<u64> {
    Ok(in_force().count(db).await?)
}

/// The withdrawals in force of the given documents (a list shows what replaces each), read by
/// document rather than from every withdrawal there is.
pub async fn withdrawals_of(db: &impl ConnectionTrait, document_ids: &[i32]) -> AppResult<Vec<Withdrawn>> {
    let mut out = Vec::new();
    for chunk in document_ids.chunks(documents::IDS_PER_QUERY) {
        let rows = withdrawal::Entity::find()
            .filter(withdrawal::Column::ReinstatedAt.is_null())
            .filter(withdrawal::Column::DocumentId.is_in(chunk.iter().copied()))
            .order_by_desc(withdrawal::Column::Id)
            .all(db)
            .await?;
        out.extend(with_successors(db, rows).await?);
    }
    Ok(out)
}

/// Withdrawal rows with their documents, decisions and successors, in the rows' order.
async fn with_successors(db: &impl ConnectionTrait, rows: Vec<withdrawal::Model>) -> AppResult<Vec<Withdrawn>> {
    let doc_ids: Vec<i32> = rows.iter().map(|w| w.document_id).collect();
    let rels = if doc_ids.is_empty() {
        Vec::new()
    } else {
        relation::Entity::find()
            .filter(relation::Column::FromDocumentId.is_in(doc_ids.iter().copied()))
            .filter(relation::Column::Kind.is_in(RelationKind::SUCCESSORS.iter().copied()))
            .order_by_asc(relation::Column::Id)
            .all(db)
            .await?
    };
    let mut all_ids = doc_ids.clone();
    all_ids.extend(rels.iter().map(|r| r.to_document_id));
    let refs = document_refs(db, &all_ids).await?;
    let decision_ids: Vec<i32> = rows.iter().filter_map(|w| w.decision_id).collect();
    let decisions: HashMap<i32, decision::Model> = if decision_ids.is_empty() {
        HashMap::new()
    } else {
        decision::Entity::find()
            .filter(decision::Column::Id.is_in(decision_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|d| (d.id, d))
            .collect()
    };
    let items = rows
        .into_iter()
        .filter_map(|w| {
            Some(Withdrawn {
                withdrawal_id: w.id,
                document: refs.get(&w.document_id)?.clone(),
                withdrawn_on: w.withdrawn_on,
                recorded_at: w.created_at,
                reason: w.reason,
                decision: w
                    .decision_id
                    .and_then(|id| decisions.get(&id))
                    .map(|d| documents::decision_ref(d.clone())),
                successors: rels
                    .iter()
                    .filter(|r| r.from_document_id == w.document_id)
                    .filter_map(|r| refs.get(&r.to_document_id).cloned())
                    .collect(),
            })
        })
        .collect();
    Ok(items)
}
