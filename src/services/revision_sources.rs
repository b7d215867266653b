//! One source, many documents: a law change or outside report is recorded once and linked to
//! the documents (and sections) it affects, opening a revision need on each in one step, in one
//! transaction: every document is found, or nothing is written.

use std::collections::HashSet;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::{self, Caller, Fault, FieldError, RevisionKind, RevisionOrigin, RevisionState, RuleError};
use crate::entities::{revision_need, revision_source};
use crate::error::{AppError, AppResult};
use crate::services::checks::{FieldErrors, collect, parse_field, refuse_first};
use crate::services::revision_needs::{self, RevisionNeedView};
use crate::services::{audit, editing};

/// Most documents one source opens needs on.
pub const MAX_TARGETS: usize = 100;
/// Most sources a list returns.
pub const LIST_LIMIT: u64 = 200;

/// A document a source affects, and where.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceTarget {
    pub document_id: i32,
    /// The section concerned, e.g. "3.2 Tilgangskontroll".
    #[serde(default)]
    pub section: Option<String>,
}

/// A law change or outside report, and the documents it affects.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSource {
    /// What changed, e.g. "Endringer i pasientjournalloven".
    pub title: String,
    /// Who and which paper, e.g. "Prop. 152 L (2024-2025)" or "Brev fra Bufdir 3. mars 2026".
    pub reference: String,
    /// Where to read it (`https://`).
    #[serde(default)]
    pub url: Option<String>,
    /// What it says, for the editors.
    #[serde(default)]
    pub description: String,
    /// legal_change (default), substantive, editorial or error.
    #[serde(default)]
    pub kind: Option<String>,
    /// 1 (highest) to 3; 2 by default.
    #[serde(default)]
    pub priority: Option<i32>,
    /// The documents it affects: one revision need each.
    pub targets: Vec<SourceTarget>,
}

/// A recorded source with the needs it opened.
#[derive(Debug, Serialize, ToSchema)]
pub struct SourceView {
    pub id: i32,
    pub title: String,
    pub reference: String,
    pub url: Option<String>,
    pub description: String,
    pub kind: RevisionKind,
    pub created_by: String,
    pub created_at: chrono::DateTime<Utc>,
    pub needs: Vec<RevisionNeedView>,
}

fn check_targets(targets: &[SourceTarget]) -> Result<(), RuleError> {
    if targets.is_empty() {
        return Err(RuleError::field(
            "targets",
            Fault::Required,
            "name at least one document the source affects",
        ));
    }
    if targets.len() > MAX_TARGETS {
        return Err(RuleError::field(
            "targets",
            Fault::Malformed,
            format!("a source affects at most {MAX_TARGETS} documents; record it in parts"),
        ));
    }
    let mut seen = HashSet::new();
    for t in targets {
        if !seen.insert((t.document_id, t.section.as_deref().map(str::trim).unwrap_or_default())) {
            return Err(RuleError::field(
                "targets",
                Fault::Malformed,
                format!("document {} is named twice for the same section", t.document_id),
            ));
        }
    }
    Ok(())
}

/// Every field error of a new source (whether the documents exist is the use case's question).
pub fn check_new_source(input: &NewSource) -> AppResult<FieldErrors> {
    let mut e = FieldErrors::new();
    collect(&mut e, domain::clean_title(&input.title))?;
    collect(&mut e, revision_needs::short_text("reference", &input.reference))?;
    if input.reference.trim().is_empty() {
        e.push(FieldError::new(
            "reference",
            Fault::Required,
            "name who sent it or which paper it is, e.g. Prop. 152 L (2024-2025)",
        ));
    }
    if let Some(u) = input.url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        collect(&mut e, domain::check_external_url(u).map_err(|r| r.in_field("url")))?;
    }
    collect(&mut e, revision_needs::long_text("description", &input.description))?;
    if let Some(k) = &input.kind {
        collect(&mut e, parse_field::<RevisionKind>("kind", k))?;
    }
    if let Some(p) = input.priority {
        collect(&mut e, revision_needs::check_priority(p))?;
    }
    for t in &input.targets {
        if let Some(s) = &t.section {
            collect(&mut e, revision_needs::short_text("section", s))?;
        }
    }
    collect(&mut e, check_targets(&input.targets))?;
    Ok(e)
}

/// Records a source and opens a revision need on each document it affects.
pub async fn record(db: &DatabaseConnection, caller: &Caller, input: NewSource) -> AppResult<SourceView> {
    refuse_first(check_new_source(&input)?)?;
    let title = domain::clean_title(&input.title)?;
    let reference = revision_needs::short_text("reference", &input.reference)?;
    let url = input
        .url
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(str::to_string);
    let description = revision_needs::long_text("description", &input.description)?;
    let kind = match &input.kind {
        Some(k) => k.parse()?,
        None => RevisionKind::LegalChange,
    };
    let priority = input.priority.unwrap_or(2);
    let txn = crate::db::begin_write(db).await?;
    let now = Utc::now();
    let source = revision_source::ActiveModel {
        title: Set(title.clone()),
        reference: Set(reference.clone()),
        url: Set(url.clone()),
        description: Set(description.clone()),
        kind: Set(kind.as_str().into()),
        created_by: Set(caller.name.clone()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let mut targets = input.targets.clone();
    // Lock the documents in id order, so two sources over the same documents cannot deadlock.
    targets.sort_by_key(|t| t.document_id);
    let mut locked = HashSet::new();
    for t in &targets {
        if locked.insert(t.document_id) {
            match editing::lock_document(&txn, t.document_id, None).await {
                Err(AppError::NotFound(_)) => {
                    return Err(AppError::Invalid(format!(
                        "document {} does not exist; nothing was recorded",
                        t.document_id
                    )));
                }
                other => other?,
            };
        }
        let section = t
            .section
            .as_deref()
            .map(|s| revision_needs::short_text("section", s))
            .transpose()?
            .filter(|s| !s.is_empty());
        revision_need::ActiveModel {
            document_id: Set(t.document_id),
            version_id: Set(None),
            section: Set(section),
            title: Set(title.clone()),
            description: Set(description.clone()),
            origin: Set(RevisionOrigin::ExternalReport.as_str().into()),
            origin_body: Set(None),
            origin_reference: Set(Some(reference.clone())),
            period: Set(None),
            decision_id: Set(None),
            kind: Set(kind.as_str().into()),
            priority: Set(priority),
            state: Set(RevisionState::Reported.as_str().into()),
            public: Set(false),
            resolved_version_id: Set(None),
            source_id: Set(Some(source.id)),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    audit::record(
        &txn,
        &caller.name,
        "revision_source.record",
        "revision_source",
        Some(source.id),
        serde_json::json!({"title": title, "reference": reference, "documents": locked.len()}),
    )
    .await?;
    txn.commit().await?;
    get(db, source.id).await
}

async fn view(db: &impl ConnectionTrait, s: revision_source::Model) -> AppResult<SourceView> {
    let needs = revision_need::Entity::find()
        .filter(revision_need::Column::SourceId.eq(s.id))
        .order_by_asc(revision_need::Column::Id)
        .limit(MAX_TARGETS as u64)
        .all(db)
        .await?;
    let mut views = Vec::with_capacity(needs.len());
    for n in needs {
        views.push(revision_needs::view(db, n).await?);
    }
    Ok(SourceView {
        id: s.id,
        kind: s
            .kind
            .parse()
            .map_err(|e| AppError::Internal(anyhow::anyhow!("source {}: {e}", s.id)))?,
        title: s.title,
        reference: s.reference,
        url: s.url,
        description: s.description,
        created_by: s.created_by,
        created_at: s.created_at,
        needs: views,
    })
}

/// One source with its needs.
pub async fn get(db: &impl ConnectionTrait, id: i32) -> AppResult<SourceView> {
    let s = revision_source::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found(format!("revision source {id}")))?;
    view(db, s).await
}

/// The sources, newest first, with their needs.
pub async fn list(db: &impl ConnectionTrait) -> AppResult<Vec<SourceView>> {
    let rows = revision_source::Entity::find()
        .order_by_desc(revision_source::Column::Id)
        .limit(LIST_LIMIT)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for s in rows {
        out.push(view(db, s).await?);
    }
    Ok(out)
}
