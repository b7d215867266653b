//! Reviews of published documents: recording one (and the revision need its outcome asks for),
//! the review state a document's page shows ("Sist vurdert"), and the documents due for review.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::{
    self, Caller, CaseNumber, DocumentKind, DocumentStatus, Lines, ReviewOutcome, RevisionOrigin, RevisionState,
};
use crate::entities::{decision, document, review, revision_need};
use crate::error::{AppError, AppResult};
use crate::services::checks::{FieldErrors, collect, parse_field, refuse_first};
use crate::services::documents::{self, DocumentRecord};
use crate::services::{audit, editing};

/// A review to record.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReview {
    /// reaffirm, update, revise or withdraw.
    pub outcome: String,
    /// Defaults to today.
    pub reviewed_on: Option<NaiveDate>,
    /// What the reviewer found.
    #[serde(default)]
    pub note: String,
    /// The steering-group case the review follows from, e.g. "27/25" (recorded first).
    pub decision: Option<String>,
}

/// A recorded review.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReviewView {
    pub id: i32,
    pub document_id: i32,
    pub reviewed_on: NaiveDate,
    pub outcome: ReviewOutcome,
    pub note: String,
    pub reviewer: String,
    pub decision: Option<String>,
    /// The revision need an update, revise or withdraw outcome opened.
    pub revision_need_id: Option<i32>,
}

/// Where a document is in its review cycle.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReviewSummary {
    pub last_reviewed_on: Option<NaiveDate>,
    /// The outcome of the last review.
    pub outcome: Option<ReviewOutcome>,
    /// The interval after the last review or, never reviewed, after the first publication;
    /// null for a document never published.
    pub next_review_on: Option<NaiveDate>,
    pub interval_months: u32,
    /// The next review's date has passed.
    pub overdue: bool,
}

/// A document due for review.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DueItem {
    pub document_id: i32,
    pub kind: DocumentKind,
    pub number: Option<String>,
    pub title: String,
    pub url: String,
    pub last_reviewed_on: Option<NaiveDate>,
    pub outcome: Option<ReviewOutcome>,
    pub next_review_on: NaiveDate,
    pub overdue: bool,
}

/// How the due list is ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DueOrder {
    /// The most overdue first.
    #[default]
    NextReview,
    /// By title.
    Title,
}

fn check_note(note: &str) -> Result<String, domain::RuleError> {
    domain::clean_text("note", note.trim(), Lines::Many, domain::MAX_NOTE_CHARS)
}

/// Every field error of a review that can be told without the document's history.
pub fn check_new_review(input: &NewReview, today: NaiveDate) -> AppResult<FieldErrors> {
    let mut e = FieldErrors::new();
    collect(&mut e, parse_field::<ReviewOutcome>("outcome", &input.outcome))?;
    if let Some(d) = input.reviewed_on {
        collect(&mut e, domain::check_date_bounds("reviewed_on", d, today))?;
    }
    collect(&mut e, check_note(&input.note))?;
    if let Some(c) = input.decision.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        collect(&mut e, parse_field::<CaseNumber>("decision", c))?;
    }
    Ok(e)
}

/// The date a document was first published (any language), from its version list.
fn first_published_on(metas: &[documents::VersionMeta]) -> Option<NaiveDate> {
    metas.iter().filter_map(|v| v.published_on).min()
}

/// Records a review of a published document. Update and revise open a revision need of that
/// kind; withdraw opens one proposing the withdrawal to the steering group. Any staff member
/// (reviewers too) may review.
pub async fn record(
    db: &DatabaseConnection,
    caller: &Caller,
    document_id: i32,
    if_match: Option<&str>,
    input: NewReview,
) -> AppResult<ReviewView> {
    let today = Utc::now().date_naive();
    refuse_first(check_new_review(&input, today)?)?;
    let outcome: ReviewOutcome = input.outcome.parse()?;
    let note = check_note(&input.note)?;
    let reviewed_on = input.reviewed_on.unwrap_or(today);
    let txn = crate::db::begin_write(db).await?;
    let doc = editing::lock_document(&txn, document_id, if_match).await?;
    domain::check_reviewable(editing::status_of(&doc)?)?;
    let metas = documents::version_metas(&txn, &[document_id], false).await?;
    domain::check_review_date(reviewed_on, first_published_on(&metas), today)?;
    let decision_id = editing::decision_id(&txn, input.decision.as_deref()).await?;
    let now = Utc::now();
    let need_id = match outcome.revision_need() {
        None => None,
        Some((kind, title)) => {
            let need = revision_need::ActiveModel {
                document_id: Set(document_id),
                version_id: Set(None),
                section: Set(None),
                title: Set(title.into()),
                description: Set(note.clone()),
                origin: Set(RevisionOrigin::Internal.as_str().into()),
                origin_body: Set(None),
                origin_reference: Set(Some(format!("Vurdering {reviewed_on}"))),
                period: Set(None),
                decision_id: Set(decision_id),
                kind: Set(kind.as_str().into()),
                priority: Set(2),
                state: Set(RevisionState::Reported.as_str().into()),
                public: Set(false),
                resolved_version_id: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            Some(need.id)
        }
    };
    let row = review::ActiveModel {
        document_id: Set(document_id),
        reviewed_on: Set(reviewed_on),
        outcome: Set(outcome.as_str().into()),
        note: Set(note),
        reviewer: Set(caller.name.clone()),
        decision_id: Set(decision_id),
        revision_need_id: Set(need_id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        &caller.name,
        "review.record",
        "document",
        Some(document_id),
        serde_json::json!({"outcome": outcome, "reviewed_on": reviewed_on, "revision_need": need_id}),
    )
    .await?;
    txn.commit().await?;
    let views = views_of(db, vec![row]).await?;
    views
        .into_iter()
        .next()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("the recorded review cannot be read")))
}

async fn views_of(db: &impl ConnectionTrait, rows: Vec<review::Model>) -> AppResult<Vec<ReviewView>> {
    let ids: Vec<i32> = rows.iter().filter_map(|r| r.decision_id).collect();
    let cases: HashMap<i32, String> = if ids.is_empty() {
        HashMap::new()
    } else {
        decision::Entity::find()
            .filter(decision::Column::Id.is_in(ids))
            .all(db)
            .await?
            .into_iter()
            .map(|d| (d.id, d.case_number))
            .collect()
    };
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let outcome = r.outcome.parse().ok()?;
            Some(ReviewView {
                id: r.id,
                document_id: r.document_id,
                reviewed_on: r.reviewed_on,
                outcome,
                reviewer: r.reviewer,
                decision: r.decision_id.and_then(|id| cases.get(&id).cloned()),
                revision_need_id: r.revision_need_id,
                note: r.note,
            })
        })
        .collect())
}

/// A document's reviews, newest first.
pub async fn list_for_document(db: &impl ConnectionTrait, document_id: i32) -> AppResult<Vec<ReviewView>> {
    let rows = review::Entity::find()
        .filter(review::Column::DocumentId.eq(document_id))
        .order_by_desc(review::Column::ReviewedOn)
        .order_by_desc(review::Column::Id)
        .all(db)
        .await?;
    views_of(db, rows).await
}

/// The last review of each document, by document id.
async fn last_reviews(
    db: &impl ConnectionTrait,
    document_ids: &[i32],
) -> AppResult<HashMap<i32, (NaiveDate, ReviewOutcome)>> {
    let mut out = HashMap::new();
    for chunk in document_ids.chunks(documents::IDS_PER_QUERY) {
        let rows = review::Entity::find()
            .filter(review::Column::DocumentId.is_in(chunk.iter().copied()))
            .order_by_asc(review::Column::ReviewedOn)
            .order_by_asc(review::Column::Id)
            .all(db)
            .await?;
        for r in rows {
            if let Ok(outcome) = r.outcome.parse() {
                out.insert(r.document_id, (r.reviewed_on, outcome));
            }
        }
    }
    Ok(out)
}

fn summary_of(
    doc: &DocumentRecord,
    last: Option<(NaiveDate, ReviewOutcome)>,
    first_published: Option<NaiveDate>,
    today: NaiveDate,
) -> ReviewSummary {
    let next = domain::next_review_on(last.map(|l| l.0), first_published, doc.review_interval_months);
    ReviewSummary {
        last_reviewed_on: last.map(|l| l.0),
        outcome: last.map(|l| l.1),
        next_review_on: next,
        interval_months: doc.review_interval_months,
        overdue: doc.status == DocumentStatus::Published && domain::is_overdue(next, today),
    }
}

/// A document's review state; `metas` are its published versions (for the first publication).
pub(crate) async fn summary(
    db: &impl ConnectionTrait,
    doc: &DocumentRecord,
    metas: &[documents::VersionMeta],
) -> AppResult<ReviewSummary> {
    // One document: only its newest review is read.
    let last = review::Entity::find()
        .filter(review::Column::DocumentId.eq(doc.id))
        .order_by_desc(review::Column::ReviewedOn)
        .order_by_desc(review::Column::Id)
        .one(db)
        .await?
        .and_then(|r| Some((r.reviewed_on, r.outcome.parse().ok()?)));
    // Drafts have no publication date, so they never count as the first publication.
    Ok(summary_of(
        doc,
        last,
        first_published_on(metas),
        Utc::now().date_naive(),
    ))
}

/// The published documents whose next review falls before `before`, optionally of one kind;
/// with the total count.
pub async fn due(
    db: &impl ConnectionTrait,
    before: NaiveDate,
    kind: Option<DocumentKind>,
    order: DueOrder,
    limit: usize,
    offset: usize,
) -> AppResult<(usize, Vec<DueItem>)> {
    let mut q = document::Entity::find().filter(document::Column::Status.eq(DocumentStatus::Published));
    if let Some(k) = kind {
        q = q.filter(document::Column::Kind.eq(k));
    }
    let docs = documents::readable_records(q.order_by_asc(document::Column::Id).all(db).await?);
    let ids: Vec<i32> = docs.iter().map(|d| d.id).collect();
    let mut metas = Vec::new();
    for chunk in ids.chunks(documents::IDS_PER_QUERY) {
        metas.extend(documents::version_metas(db, chunk, false).await?);
    }
    let metas = documents::by_document(metas);
    let last = last_reviews(db, &ids).await?;
    let today = Utc::now().date_naive();
    let none = Vec::new();
    let mut items: Vec<DueItem> = docs
        .iter()
        .filter_map(|d| {
            let own = metas.get(&d.id).unwrap_or(&none);
            let first = first_published_on(own);
            let s = summary_of(d, last.get(&d.id).copied(), first, today);
            let next = s.next_review_on.filter(|n| *n < before)?;
            let title = documents::latest_published(own, d.id, d.language)
                .map(|v| v.title.clone())
                .unwrap_or_default();
            Some(DueItem {
                document_id: d.id,
                kind: d.kind,
                number: d.number.clone(),
                title,
                url: d.url(),
                last_reviewed_on: s.last_reviewed_on,
                outcome: s.outcome,
                next_review_on: next,
                overdue: s.overdue,
            })
        })
        .collect();
    match order {
        DueOrder::NextReview => items.sort_by_key(|i| (i.next_review_on, i.document_id)),
        DueOrder::Title => items.sort_by(|a, b| (&a.title, a.document_id).cmp(&(&b.title, b.document_id))),
    }
    let total = items.len();
    Ok((total, items.into_iter().skip(offset).take(limit).collect()))
}
