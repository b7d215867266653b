//! Revision needs: reported errors, action-plan items and decided revisions of a document, moved
//! through their states until a published version resolves them.

use chrono::Utc;
use sea_orm::DatabaseConnection;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::Caller;
use crate::domain::{
    self, Language, Lines, PlanPeriod, RevisionKind, RevisionOrigin, RevisionState, VersionLabel, VersionState,
};
use crate::entities::{decision, revision_need, version};
use crate::error::{AppError, AppResult};
use crate::services::{audit, editing};

/// A revision need to register.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRevisionNeed {
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// external_report, action_plan, decision or internal.
    pub origin: String,
    /// For an external report: what it says.
    pub origin_body: Option<String>,
    /// For an external report: who and which letter, e.g. "Brev fra Bufdir".
    pub origin_reference: Option<String>,
    /// For an action-plan item: the half-year, e.g. "2026-H1".
    pub period: Option<String>,
    /// A case number, e.g. "25/25".
    pub decision: Option<String>,
    /// error, editorial, substantive or legal_change.
    pub kind: String,
    /// 1 (highest) to 3.
    pub priority: i32,
    /// The version the need is about (label in the primary language).
    pub version_label: Option<String>,
    /// The section concerned, e.g. "3.2 Tilgangskontroll".
    pub section: Option<String>,
    /// Shown to the public as a known error or planned change.
    #[serde(default)]
    pub public: bool,
}

/// Moving a revision need to another state.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveRevisionNeed {
    /// The new state.
    pub state: String,
    /// For `resolved`: the published version that resolved it.
    pub resolved_label: Option<String>,
    /// Language of `resolved_label`; defaults to the document's.
    pub resolved_language: Option<String>,
    /// For `planned`: the action-plan half-year.
    pub period: Option<String>,
}

/// A revision need as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct RevisionNeedView {
    pub id: i32,
    pub document_id: i32,
    pub title: String,
    pub description: String,
    pub origin: RevisionOrigin,
    pub origin_body: Option<String>,
    pub origin_reference: Option<String>,
    pub period: Option<String>,
    pub decision: Option<String>,
    pub kind: RevisionKind,
    pub priority: i32,
    pub state: RevisionState,
    pub public: bool,
    pub version_label: Option<String>,
    pub section: Option<String>,
    pub resolved_label: Option<String>,
    pub created_at: chrono::DateTime<Utc>,
    pub updated_at: chrono::DateTime<Utc>,
}

async fn view(db: &impl ConnectionTrait, n: revision_need::Model) -> AppResult<RevisionNeedView> {
    let label = |id: Option<i32>| async move {
        match id {
            Some(id) => Ok::<_, AppError>(version::Entity::find_by_id(id).one(db).await?.and_then(|v| v.label)),
            None => Ok(None),
        }
    };
    let decision = match n.decision_id {
        Some(id) => decision::Entity::find_by_id(id).one(db).await?.map(|d| d.case_number),
        None => None,
    };
    let unreadable =
        |e: domain::RuleError| AppError::Internal(anyhow::anyhow!("revision need {} cannot be read: {e}", n.id));
    let (origin, kind, state) = (
        n.origin.parse().map_err(unreadable)?,
        n.kind.parse().map_err(unreadable)?,
        n.state.parse().map_err(unreadable)?,
    );
    Ok(RevisionNeedView {
        id: n.id,
        document_id: n.document_id,
        version_label: label(n.version_id).await?,
        resolved_label: label(n.resolved_version_id).await?,
        title: n.title,
        description: n.description,
        origin,
        origin_body: n.origin_body,
        origin_reference: n.origin_reference,
        period: n.period,
        decision,
        kind,
        priority: n.priority,
        state,
        public: n.public,
        section: n.section,
        created_at: n.created_at,
        updated_at: n.updated_at,
    })
}

async fn published_version_id(
    db: &impl ConnectionTrait,
    document_id: i32,
    language: &str,
    label: &str,
) -> AppResult<i32> {
    let label: VersionLabel = label.parse()?;
    version::Entity::find()
        .filter(version::Column::DocumentId.eq(document_id))
        .filter(version::Column::Language.eq(language))
        .filter(version::Column::State.eq(VersionState::Published))
        .filter(version::Column::Label.eq(label.to_string()))
        .one(db)
        .await?
        .map(|v| v.id)
        .ok_or_else(|| {
            AppError::Invalid(format!(
                "document {document_id} has no published {language} version {label}"
            ))
        })
}

/// Registers a revision need against a document.
pub async fn register(
    db: &DatabaseConnection,
    caller: &Caller,
    document_id: i32,
    input: NewRevisionNeed,
) -> AppResult<RevisionNeedView> {
    let title = domain::clean_title(&input.title)?;
    let long =
        |field: &'static str, v: &str| domain::clean_text(field, v.trim(), Lines::Many, domain::MAX_LONG_TEXT_CHARS);
    let short = |field: &'static str, v: &str| domain::clean_text(field, v.trim(), Lines::One, domain::MAX_SHORT_CHARS);
    let description = long("description", &input.description)?;
    let origin_body = input
        .origin_body
        .as_deref()
        .map(|v| long("origin_body", v))
        .transpose()?;
    let origin_reference = input
        .origin_reference
        .as_deref()
        .map(|v| short("origin_reference", v))
        .transpose()?;
    let section = input.section.as_deref().map(|v| short("section", v)).transpose()?;
    let origin: RevisionOrigin = input.origin.parse()?;
    let kind: RevisionKind = input.kind.parse()?;
    if !(1..=3).contains(&input.priority) {
        return Err(AppError::Invalid("priority must be 1, 2 or 3".into()));
    }
    let period = input.period.as_deref().map(str::parse::<PlanPeriod>).transpose()?;
    let txn = crate::db::begin_write(db).await?;
    let doc = editing::lock_document(&txn, document_id, None).await?;
    let decision_id = editing::decision_id(&txn, input.decision.as_deref()).await?;
    domain::check_revision_origin(
        origin,
        origin_reference.as_deref(),
        period.as_ref().map(super::super::domain::types::PlanPeriod::as_str),
        decision_id.is_some(),
    )?;
    let version_id = match &input.version_label {
        Some(l) => Some(published_version_id(&txn, document_id, &doc.language, l).await?),
        None => None,
    };
    let now = Utc::now();
    let need = revision_need::ActiveModel {
        document_id: Set(document_id),
        version_id: Set(version_id),
        section: Set(section),
        title: Set(title),
        description: Set(description),
        origin: Set(origin.as_str().into()),
        origin_body: Set(origin_body),
        origin_reference: Set(origin_reference),
        period: Set(period.map(|p| p.as_str().to_string())),
        decision_id: Set(decision_id),
        kind: Set(kind.as_str().into()),
        priority: Set(input.priority),
        state: Set(RevisionState::Reported.as_str().into()),
        public: Set(input.public),
        resolved_version_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        &caller.name,
        "revision_need.register",
        "revision_need",
        Some(need.id),
        serde_json::json!({"document_id": document_id, "title": need.title}),
    )
    .await?;
    txn.commit().await?;
    view(db, need).await
}

/// Moves a revision need to another state, checking the state machine.
pub async fn move_state(
    db: &DatabaseConnection,
    caller: &Caller,
    need_id: i32,
    input: MoveRevisionNeed,
) -> AppResult<RevisionNeedView> {
    let to: RevisionState = input.state.parse()?;
    let period = input.period.as_deref().map(str::parse::<PlanPeriod>).transpose()?;
    let txn = crate::db::begin_write(db).await?;
    let need = revision_need::Entity::find_by_id(need_id)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::not_found(format!("revision need {need_id}")))?;
    let doc = editing::lock_document(&txn, need.document_id, None).await?;
    let from: RevisionState = need.state.parse()?;
    let resolved_version = match (&input.resolved_label, to) {
        (Some(label), RevisionState::Resolved) => {
            let lang = match &input.resolved_language {
                Some(l) => l.parse::<Language>()?.as_str().to_string(),
                None => doc.language.clone(),
            };
            Some(published_version_id(&txn, need.document_id, &lang, label).await?)
        }
        _ => None,
    };
    domain::check_revision_move(from, to, resolved_version.is_some())?;
    let mut active: revision_need::ActiveModel = need.into();
    active.state = Set(to.as_str().into());
    active.updated_at = Set(Utc::now());
    if resolved_version.is_some() {
        active.resolved_version_id = Set(resolved_version);
    }
    if let Some(p) = period {
        active.period = Set(Some(p.as_str().into()));
    }
    let need = active.update(&txn).await?;
    audit::record(
        &txn,
        &caller.name,
        "revision_need.move",
        "revision_need",
        Some(need.id),
        serde_json::json!({"from": from, "to": to}),
    )
    .await?;
    txn.commit().await?;
    view(db, need).await
}

/// Lists the revision needs of a document; the public sees only those marked public and open.
pub async fn list_for_document(
    db: &impl ConnectionTrait,
    document_id: i32,
    staff: bool,
) -> AppResult<Vec<RevisionNeedView>> {
    let mut q = revision_need::Entity::find().filter(revision_need::Column::DocumentId.eq(document_id));
    if !staff {
        q = q
            .filter(revision_need::Column::Public.eq(true))
            .filter(revision_need::Column::State.is_not_in(RevisionState::closed()));
    }
    let rows = q.order_by_asc(revision_need::Column::Id).all(db).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(view(db, r).await?);
    }
    Ok(out)
}

/// Lists all revision needs, optionally in one state (staff).
pub async fn list_all(db: &impl ConnectionTrait, state: Option<RevisionState>) -> AppResult<Vec<RevisionNeedView>> {
    let mut q = revision_need::Entity::find();
    if let Some(s) = state {
        q = q.filter(revision_need::Column::State.eq(s));
    }
    let rows = q
        .order_by_asc(revision_need::Column::Priority)
        .order_by_asc(revision_need::Column::Id)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(view(db, r).await?);
    }
    Ok(out)
}
