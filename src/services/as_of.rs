//! The registry as of a date: which documents were published by then, their status on that
//! day and the version then in force (rules in `domain::as_of`). Only published versions are
//! read, for staff too: a historical view shows what the public could read.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveTime};
use sea_orm::sea_query::{Query, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::as_of::{self, DatedVersion, InForce, WithdrawalSpan};
use crate::domain::{DocumentStatus, Language, VersionState};
use crate::entities::{document, version, withdrawal};
use crate::error::{AppError, AppResult};
use crate::services::documents::{
    self, DocumentFilter, DocumentRecord, DocumentSummary, ListOrder, VersionMeta, readable_records,
};

/// A version in force on the date asked for.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VersionInForce {
    pub language: Language,
    pub label: String,
    pub title: String,
    pub published_on: Option<NaiveDate>,
}

/// One document as it stood on a date.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentAsOf {
    /// The date asked for.
    pub as_of: NaiveDate,
    /// `status` and `current_version` as they were on `as_of`.
    #[serde(flatten)]
    pub summary: DocumentSummary,
    /// The version in force in each language that had one on `as_of`.
    pub versions: Vec<VersionInForce>,
    /// The date of the withdrawal in effect on `as_of`, if the document was withdrawn then.
    pub withdrawn_on: Option<NaiveDate>,
}

/// The days a withdrawal row was in effect: the one place that reads a withdrawal's dates.
/// A reinstatement counts from the start of its day (UTC), like every other date here. A
/// withdrawal whose date nobody knows counts from the day it was recorded, the latest it can
/// have been.
fn span_of(w: &withdrawal::Model) -> WithdrawalSpan {
    WithdrawalSpan {
        withdrawn_on: crate::domain::certainly_withdrawn_from(w.withdrawn_on, w.created_at.date_naive()),
        reinstated_on: w.reinstated_at.map(|r| r.date_naive()),
    }
}

/// The documents with a withdrawal in effect on `on`, as a query: the same rule as
/// [`span_of`] and `WithdrawalSpan::covers`, kept beside them.
fn withdrawn_documents(on: NaiveDate) -> SelectStatement {
    // Reinstated on a later day: on or after the start of the next one.
    let (not_reinstated, undated_in_effect) = match on.succ_opt() {
        Some(next) => {
            let next = next.and_time(NaiveTime::MIN).and_utc();
            (
                Condition::any()
                    .add(withdrawal::Column::ReinstatedAt.is_null())
                    .add(withdrawal::Column::ReinstatedAt.gte(next)),
                Condition::all()
                    .add(withdrawal::Column::WithdrawnOn.is_null())
                    .add(withdrawal::Column::CreatedAt.lt(next)),
            )
        }
        None => (
            Condition::all().add(withdrawal::Column::ReinstatedAt.is_null()),
            Condition::all().add(withdrawal::Column::WithdrawnOn.is_null()),
        ),
    };
    Query::select()
        .column(withdrawal::Column::DocumentId)
        .from(withdrawal::Entity)
        .cond_where(
            Condition::any()
                .add(withdrawal::Column::WithdrawnOn.lte(on))
                .add(undated_in_effect),
        )
        .cond_where(not_reinstated)
        .to_owned()
}

/// The documents with a version published on or before `on` (in `language`, if given).
fn published_documents(on: NaiveDate, language: Option<Language>) -> SelectStatement {
    let mut q = Query::select()
        .column(version::Column::DocumentId)
        .from(version::Entity)
        .and_where(version::Column::State.eq(VersionState::Published))
        .and_where(version::Column::PublishedOn.lte(on))
        .to_owned();
    if let Some(l) = language {
        q.and_where(version::Column::Language.eq(l));
    }
    q
}

/// The withdrawal spans of the given documents, one query.
async fn spans(db: &impl ConnectionTrait, ids: &[i32]) -> AppResult<HashMap<i32, Vec<WithdrawalSpan>>> {
    let mut out: HashMap<i32, Vec<WithdrawalSpan>> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let rows = withdrawal::Entity::find()
        .filter(withdrawal::Column::DocumentId.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    for w in &rows {
        out.entry(w.document_id).or_default().push(span_of(w));
    }
    Ok(out)
}

fn dated(metas: &[VersionMeta]) -> Vec<DatedVersion> {
    metas
        .iter()
        .filter(|v| v.state == VersionState::Published)
        .filter_map(|v| {
            Some(DatedVersion {
                label: v.label_value?,
                language: v.language,
                published_on: v.published_on?,
            })
        })
        .collect()
}

/// A document's summary and versions as they stood on `on`; `None` if nothing was published.
fn as_of_view(
    doc: &DocumentRecord,
    metas: &[VersionMeta],
    withdrawals: &[WithdrawalSpan],
    on: NaiveDate,
) -> Option<DocumentAsOf> {
    let InForce {
        status,
        versions,
        withdrawn_on,
    } = as_of::in_force(&dated(metas), withdrawals, on)?;
    let meta = |l: Language, label| {
        metas
            .iter()
            .find(|v| v.language == l && v.label_value == Some(label) && v.state == VersionState::Published)
    };
    let in_force: Vec<&VersionMeta> = versions.iter().filter_map(|&(l, label)| meta(l, label)).collect();
    let primary = in_force.iter().find(|v| v.language == doc.language).copied();
    let title = primary
        .or_else(|| in_force.first().copied())
        .map(|v| v.title.clone())
        .unwrap_or_default();
    Some(DocumentAsOf {
        as_of: on,
        summary: documents::summary_with(doc, title, status, primary),
        versions: in_force
            .iter()
            .map(|v| VersionInForce {
                language: v.language,
                label: v.label.clone().unwrap_or_default(),
                title: v.title.clone(),
                published_on: v.published_on,
            })
            .collect(),
        withdrawn_on,
    })
}

/// Lists the documents published by `on`, with their status then and the version then in
/// force, paged like the current list: one query for the count, one for the page, one for its
/// versions and one for its withdrawals. `filter.status` and `filter.language` are read as of
/// `on` too. Drafts never appear.
pub async fn list_as_of(
    db: &impl ConnectionTrait,
    filter: &DocumentFilter,
    on: NaiveDate,
) -> AppResult<(u64, Vec<DocumentSummary>)> {
    let mut q = documents::filtered_by_facts(filter)
        .filter(document::Column::Status.ne(DocumentStatus::Draft))
        .filter(document::Column::Id.in_subquery(published_documents(on, filter.language)));
    match filter.status {
        None => {}
        Some(DocumentStatus::Draft) => return Ok((0, Vec::new())),
        Some(DocumentStatus::Withdrawn) => q = q.filter(document::Column::Id.in_subquery(withdrawn_documents(on))),
        Some(DocumentStatus::Published) => {
            q = q.filter(document::Column::Id.not_in_subquery(withdrawn_documents(on)));
        }
    }
    let total = q.clone().count(db).await?;
    let q = match filter.order {
        ListOrder::Created => q,
        // By kind, then by the title the document has now: its title on the day may differ.
        ListOrder::Title => q
            .order_by_asc(document::Column::Kind)
            .order_by_asc(document::Column::SortTitle),
    };
    let docs = readable_records(
        q.order_by_asc(document::Column::Id)
            .limit(filter.limit)
            .offset(filter.offset)
            .all(db)
            .await?,
    );
    let ids: Vec<i32> = docs.iter().map(|d| d.id).collect();
    let metas = documents::by_document(documents::version_metas(db, &ids, false).await?);
    let withdrawals = spans(db, &ids).await?;
    let items = docs
        .iter()
        .filter_map(|d| {
            as_of_view(
                d,
                metas.get(&d.id).map_or(&[], Vec::as_slice),
                withdrawals.get(&d.id).map_or(&[], Vec::as_slice),
                on,
            )
        })
        .map(|v| v.summary)
        .collect();
    Ok((total, items))
}

/// One document as it stood on `on`; 404 when it was not published yet then.
pub async fn document_as_of(db: &impl ConnectionTrait, doc: &DocumentRecord, on: NaiveDate) -> AppResult<DocumentAsOf> {
    let not_yet = || AppError::NotFound(format!("document {} was not published yet on {on}", doc.id));
    if !doc.status.is_public() {
        return Err(not_yet());
    }
    let metas = documents::version_metas(db, &[doc.id], false).await?;
    let withdrawals = spans(db, &[doc.id]).await?;
    as_of_view(doc, &metas, withdrawals.get(&doc.id).map_or(&[], Vec::as_slice), on).ok_or_else(not_yet)
}
