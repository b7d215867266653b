//! Revision needs: reported errors, action-plan items and decided revisions of a document, moved
//! through their states until a published version resolves them.

use chrono::Utc;
use sea_orm::DatabaseConnection;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::Caller;
use crate::domain::{
    self, CaseNumber, Fault, FieldError, Language, Lines, PlanPeriod, RevisionKind, RevisionOrigin, RevisionState,
    RuleError, VersionLabel, VersionState,
};
use crate::entities::{decision, revision_need, version};
use crate::error::{AppError, AppResult};
use crate::services::checks::{FieldErrors, collect, parse_field, refuse_first};
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
    /// The withdrawal that resolved the need, when a withdrawal did rather than a version.
    pub resolved_withdrawal_id: Option<i32>,
    pub created_at: chrono::DateTime<Utc>,
    pub updated_at: chrono::DateTime<Utc>,
    /// The law change or outside report that opened this need with others.
    pub source_id: Option<i32>,
    /// The value to send in `If-Match` when correcting this need.
    pub etag: String,
}

/// A revision need's ETag: a hash of what it holds.
pub(crate) fn need_etag(n: &revision_need::Model) -> String {
    crate::services::corrections::record_etag("need", n.id, n)
}

/// One revision need (staff).
pub async fn get(db: &impl ConnectionTrait, id: i32) -> AppResult<RevisionNeedView> {
    let need = revision_need::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found(format!("revision need {id}")))?;
    view(db, need).await
}

pub(crate) async fn view(db: &impl ConnectionTrait, n: revision_need::Model) -> AppResult<RevisionNeedView> {
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
    let etag = need_etag(&n);
    Ok(RevisionNeedView {
        etag,
        source_id: n.source_id,
        id: n.id,
        document_id: n.document_id,
        version_label: label(n.version_id).await?,
        resolved_label: label(n.resolved_version_id).await?,
        resolved_withdrawal_id: n.resolved_withdrawal_id,
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

/// A long text of a need (description, what a report says) as stored.
pub(crate) fn long_text(field: &'static str, value: &str) -> Result<String, RuleError> {
    domain::clean_text(field, value.trim(), Lines::Many, domain::MAX_LONG_TEXT_CHARS)
}

/// A short one-line value of a need (reference, section) as stored.
pub(crate) fn short_text(field: &'static str, value: &str) -> Result<String, RuleError> {
    domain::clean_text(field, value.trim(), Lines::One, domain::MAX_SHORT_CHARS)
}

pub(crate) fn check_priority(priority: i32) -> Result<(), RuleError> {
    if (1..=3).contains(&priority) {
        Ok(())
    } else {
        Err(RuleError::field(
            "priority",
            Fault::Malformed,
            "priority must be 1, 2 or 3",
        ))
    }
}

/// The case number given, if any: an empty one counts as none (as in `editing::decision_id`).
fn given_case(decision: Option<&str>) -> Option<&str> {
    decision.map(str::trim).filter(|c| !c.is_empty())
}

/// The domain's rule for a move to resolved, checked on the input alone so it can name the field.
const RESOLVED_NEEDS_VERSION: &str = "a resolved revision need must name the published version that resolved it";

/// Every field error of a new revision need (the form shows them all; the use case stops at
/// the first). Whether the decision and the version exist is the use case's question.
pub fn check_new_need(input: &NewRevisionNeed) -> AppResult<FieldErrors> {
    let mut e = FieldErrors::new();
    collect(&mut e, domain::clean_title(&input.title))?;
    collect(&mut e, long_text("description", &input.description))?;
    if let Some(v) = &input.origin_body {
        collect(&mut e, long_text("origin_body", v))?;
    }
    if let Some(v) = &input.origin_reference {
        collect(&mut e, short_text("origin_reference", v))?;
    }
    if let Some(v) = &input.section {
        collect(&mut e, short_text("section", v))?;
    }
    let origin = collect(&mut e, parse_field::<RevisionOrigin>("origin", &input.origin))?;
    collect(&mut e, parse_field::<RevisionKind>("kind", &input.kind))?;
    collect(&mut e, check_priority(input.priority))?;
    if let Some(p) = &input.period {
        collect(&mut e, parse_field::<PlanPeriod>("period", p))?;
    }
    let case = given_case(input.decision.as_deref());
    if let Some(c) = case {
        collect(&mut e, parse_field::<CaseNumber>("decision", c))?;
    }
    if let Some(origin) = origin {
        collect(
            &mut e,
            domain::check_revision_origin(
                origin,
                input.origin_reference.as_deref(),
                input.period.as_deref(),
                case.is_some(),
            ),
        )?;
    }
    if let Some(l) = &input.version_label {
        collect(&mut e, parse_field::<VersionLabel>("version_label", l))?;
    }
    Ok(e)
}

/// Every field error of a move that can be told without the need's current state.
pub fn check_move(input: &MoveRevisionNeed) -> AppResult<FieldErrors> {
    let mut e = FieldErrors::new();
    let to = collect(&mut e, parse_field::<RevisionState>("state", &input.state))?;
    if let Some(p) = &input.period {
        collect(&mut e, parse_field::<PlanPeriod>("period", p))?;
    }
    // The version that resolved the need is read only for a move to resolved.
    if to == Some(RevisionState::Resolved) {
        match &input.resolved_label {
            Some(l) => {
                collect(&mut e, parse_field::<VersionLabel>("resolved_label", l))?;
                if let Some(lang) = &input.resolved_language {
                    collect(&mut e, parse_field::<Language>("resolved_language", lang))?;
                }
            }
            None => e.push(FieldError::new(
                "resolved_label",
                Fault::Required,
                RESOLVED_NEEDS_VERSION,
            )),
        }
    }
    Ok(e)
}

/// Registers a revision need against a document.
pub async fn register(
    db: &DatabaseConnection,
    caller: &Caller,
    document_id: i32,
    input: NewRevisionNeed,
) -> AppResult<RevisionNeedView> {
    refuse_first(check_new_need(&input)?)?;
    let title = domain::clean_title(&input.title)?;
    let description = long_text("description", &input.description)?;
    let origin_body = input
        .origin_body
        .as_deref()
        .map(|v| long_text("origin_body", v))
        .transpose()?;
    let origin_reference = input
        .origin_reference
        .as_deref()
        .map(|v| short_text("origin_reference", v))
        .transpose()?;
    let section = input.section.as_deref().map(|v| short_text("section", v)).transpose()?;
    let origin: RevisionOrigin = input.origin.parse()?;
    let kind: RevisionKind = input.kind.parse()?;
    let period = input.period.as_deref().map(str::parse::<PlanPeriod>).transpose()?;
    let txn = crate::db::begin_write(db).await?;
    let doc = editing::lock_document(&txn, document_id, None).await?;
    // The origin's facts were checked with the input; here the case must also be recorded.
    let decision_id = editing::decision_id(&txn, input.decision.as_deref()).await?;
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
    refuse_first(check_move(&input)?)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn need(origin: RevisionOrigin) -> NewRevisionNeed {
        NewRevisionNeed {
            title: "Feil i avsnitt 2".into(),
            description: String::new(),
            origin: origin.as_str().into(),
            origin_body: None,
            origin_reference: None,
            period: None,
            decision: None,
            kind: RevisionKind::Error.as_str().into(),
            priority: 2,
            version_label: None,
            section: None,
            public: false,
        }
    }

    fn faults(errors: &FieldErrors) -> Vec<(&'static str, Fault)> {
        errors.iter().map(|e| (e.field, e.fault)).collect()
    }

    #[test]
    fn a_plain_internal_need_passes() {
        assert!(check_new_need(&need(RevisionOrigin::Internal)).unwrap().is_empty());
    }

    #[test]
    fn every_field_error_is_reported_by_its_field() {
        let input = NewRevisionNeed {
            title: "  ".into(),
            origin: "letter".into(),
            kind: "typo".into(),
            priority: 4,
            period: Some("2026-H3".into()),
            decision: Some("sak 25".into()),
            version_label: Some("v1".into()),
            ..need(RevisionOrigin::Internal)
        };
        let errors = check_new_need(&input).unwrap();
        assert_eq!(
            faults(&errors),
            [
                ("title", Fault::Required),
                ("origin", Fault::Malformed),
                ("kind", Fault::Malformed),
                ("priority", Fault::Malformed),
                ("period", Fault::Malformed),
                ("decision", Fault::Malformed),
                ("version_label", Fault::Malformed),
            ]
        );
        // The API's words stay those of the domain rules.
        assert!(errors[4].message.contains("2026-H1"), "{}", errors[4]);
        assert!(errors[5].message.contains("NUMBER/YEAR"), "{}", errors[5]);
    }

    #[test]
    fn an_origin_names_the_fact_it_lacks() {
        let missing = |input: NewRevisionNeed| faults(&check_new_need(&input).unwrap());
        let report = NewRevisionNeed {
            origin_reference: Some(" ".into()),
            ..need(RevisionOrigin::ExternalReport)
        };
        assert_eq!(missing(report), [("origin_reference", Fault::Required)]);
        assert_eq!(missing(need(RevisionOrigin::ActionPlan)), [("period", Fault::Required)]);
        // An empty case number is no case (as the use case reads it).
        let decided = NewRevisionNeed {
            decision: Some(String::new()),
            ..need(RevisionOrigin::Decision)
        };
        assert_eq!(missing(decided), [("decision", Fault::Required)]);
        let decided = NewRevisionNeed {
            decision: Some("25/25".into()),
            ..need(RevisionOrigin::Decision)
        };
        assert!(missing(decided).is_empty());
    }

    #[test]
    fn a_move_to_resolved_names_its_version() {
        let mv = |state: &str, label: Option<&str>| MoveRevisionNeed {
            state: state.into(),
            resolved_label: label.map(Into::into),
            resolved_language: None,
            period: None,
        };
        let errors = check_move(&mv("resolved", None)).unwrap();
        assert_eq!(faults(&errors), [("resolved_label", Fault::Required)]);
        assert!(errors[0].message.contains("published version"));
        assert_eq!(
            faults(&check_move(&mv("resolved", Some("1"))).unwrap()),
            [("resolved_label", Fault::Malformed)]
        );
        // The label is read only for a move to resolved, as before.
        assert!(check_move(&mv("accepted", Some("1"))).unwrap().is_empty());
        assert_eq!(
            faults(&check_move(&mv("done", None)).unwrap()),
            [("state", Fault::Malformed)]
        );
    }
}
