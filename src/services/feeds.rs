//! What changed, for the public: published versions and withdrawals, newest first, for the home
//! page, the change log, the Atom feeds and the list of withdrawn material. Drafts never appear:
//! only published versions of documents that are not drafts are read.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::domain::DocumentStatus;
use crate::entities::{decision, document, relation, version, withdrawal};
use crate::error::AppResult;
use crate::services::documents::{self, DecisionRef, DocumentRef};

/// A published version as the change log shows it.
#[derive(Debug, Clone)]
pub struct Publication {
    pub version_id: i32,
    pub document: DocumentRef,
    pub language: String,
    /// Whether this is the document's primary language (else a translation).
    pub primary: bool,
    pub label: String,
    pub title: String,
    pub change_note: String,
    pub change_kind: Option<String>,
    pub published_on: NaiveDate,
}

/// A withdrawal in force, with its decision and successors.
#[derive(Debug, Clone)]
pub struct Withdrawn {
    pub withdrawal_id: i32,
    pub document: DocumentRef,
    pub withdrawn_on: NaiveDate,
    pub reason: String,
    pub decision: Option<DecisionRef>,
    pub successors: Vec<DocumentRef>,
}

/// Public references (title from the current primary-language version) to documents by id;
/// drafts are left out.
pub async fn document_refs(db: &impl ConnectionTrait, ids: &[i32]) -> AppResult<HashMap<i32, DocumentRef>> {
    let mut out = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let mut unique = ids.to_vec();
    unique.sort_unstable();
    unique.dedup();
    for chunk in unique.chunks(500) {
        let docs = document::Entity::find()
            .filter(document::Column::Id.is_in(chunk.iter().copied()))
            .filter(document::Column::Status.ne(DocumentStatus::Draft.as_str()))
            .all(db)
            .await?;
        let doc_ids: Vec<i32> = docs.iter().map(|d| d.id).collect();
        let metas = documents::version_metas(db, &doc_ids, false).await?;
        for d in docs {
            let title = documents::latest_published(&metas, d.id, &d.language)
                .map(|v| v.title.clone())
                .unwrap_or_default();
            // A row that cannot be read is left out of the feeds, not the whole feed.
            let Ok(url) = documents::url_of(&d) else {
                tracing::warn!(
                    document_id = d.id,
                    "document left out of the change log: its row cannot be read"
                );
                continue;
            };
            out.insert(
                d.id,
                DocumentRef {
                    id: d.id,
                    url,
                    kind: d.kind,
                    number: d.number,
                    title,
                    status: d.status,
                },
            );
        }
    }
    Ok(out)
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
);

fn public_documents() -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(document::Column::Id)
        .from(document::Entity)
        .and_where(document::Column::Status.ne(DocumentStatus::Draft.as_str()))
        .to_owned()
}

/// Published versions, newest first, of one document or of all; with the total count.
pub async fn publications(
    db: &impl ConnectionTrait,
    document_id: Option<i32>,
    limit: u64,
    offset: u64,
) -> AppResult<(u64, Vec<Publication>)> {
    let mut q = version::Entity::find()
        .filter(version::Column::State.eq("published"))
        .filter(version::Column::PublishedOn.is_not_null())
        .filter(version::Column::DocumentId.in_subquery(public_documents()));
    if let Some(id) = document_id {
        q = q.filter(version::Column::DocumentId.eq(id));
    }
    let total = q.clone().count(db).await?;
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
        ])
        .order_by_desc(version::Column::PublishedOn)
        .order_by_desc(version::Column::Id)
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
    let items = rows
        .into_iter()
        .filter_map(|(vid, did, language, label, title, note, kind, on)| {
            Some(Publication {
                version_id: vid,
                document: refs.get(&did)?.clone(),
                primary: languages.get(&did) == Some(&language),
                language,
                label: label?,
                title,
                change_note: note,
                change_kind: kind,
                published_on: on?,
            })
        })
        .collect();
    Ok((total, items))
}

/// Withdrawals in force, newest first: of one document or of all, optionally only those on or
/// after a date; with the total count.
pub async fn withdrawals(
    db: &impl ConnectionTrait,
    document_id: Option<i32>,
    since: Option<NaiveDate>,
    limit: u64,
    offset: u64,
) -> AppResult<(u64, Vec<Withdrawn>)> {
    let mut q = withdrawal::Entity::find()
        .filter(withdrawal::Column::ReinstatedAt.is_null())
        .filter(
            withdrawal::Column::DocumentId.in_subquery(
                Query::select()
                    .column(document::Column::Id)
                    .from(document::Entity)
                    .and_where(document::Column::Status.eq(DocumentStatus::Withdrawn.as_str()))
                    .to_owned(),
            ),
        );
    if let Some(id) = document_id {
        q = q.filter(withdrawal::Column::DocumentId.eq(id));
    }
    if let Some(d) = since {
        q = q.filter(withdrawal::Column::WithdrawnOn.gte(d));
    }
    let total = q.clone().count(db).await?;
    let rows = q
        .order_by_desc(withdrawal::Column::WithdrawnOn)
        .order_by_desc(withdrawal::Column::Id)
        .limit(limit)
        .offset(offset)
        .all(db)
        .await?;
    let doc_ids: Vec<i32> = rows.iter().map(|w| w.document_id).collect();
    let rels = if doc_ids.is_empty() {
        Vec::new()
    } else {
        relation::Entity::find()
            .filter(relation::Column::FromDocumentId.is_in(doc_ids.iter().copied()))
            .filter(relation::Column::Kind.is_in(["replaced_by", "split_into", "merged_into"]))
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
                reason: w.reason,
                decision: w.decision_id.and_then(|id| decisions.get(&id)).map(|d| DecisionRef {
                    case_number: d.case_number.clone(),
                    meeting_date: d.meeting_date,
                    title: d.title.clone(),
                }),
                successors: rels
                    .iter()
                    .filter(|r| r.from_document_id == w.document_id)
                    .filter_map(|r| refs.get(&r.to_document_id).cloned())
                    .collect(),
            })
        })
        .collect();
    Ok((total, items))
}
