//! Corrections to records that are not versioned: a decision's title and outcome, and a
//! revision need's text, section, priority, origin facts and half-year. Each correction checks
//! `If-Match` against the record's ETag (a hash of what it holds now), is audited with the
//! fields it changed, and refuses bad input before it touches anything.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, Set};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::domain::{self, Caller, PlanPeriod, RevisionOrigin, RevisionState};
use crate::entities::{decision, revision_need};
use crate::error::{AppError, AppResult};
use crate::services::checks::{FieldErrors, collect, parse_field, refuse_first};
use crate::services::decisions::{self, DecisionView};
use crate::services::revision_needs::{self, RevisionNeedView};
use crate::services::{audit, users::sha256_hex};

/// The ETag of a record that has no revision counter: a hash of what it holds.
pub fn record_etag(kind: &str, id: i32, content: &impl serde::Serialize) -> String {
    let json = serde_json::to_string(content).unwrap_or_default();
    format!("\"{kind}-{id}-{}\"", &sha256_hex(&json)[..16])
}

/// Refuses a change made from a stale copy (412).
fn check_if_match(current: &str, if_match: Option<&str>) -> AppResult<()> {
    match if_match.map(str::trim) {
        None | Some("*") => Ok(()),
        Some(tag) if tag.trim_start_matches("W/") == current => Ok(()),
        Some(tag) => Err(AppError::PreconditionFailed(format!(
            "the record has changed since your copy ({tag}); its ETag is now {current}"
        ))),
    }
}

/// Corrections to a decision; absent fields stay as they are.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionChange {
    pub title: Option<String>,
    /// The decision as adopted.
    pub outcome: Option<String>,
}

/// Every field error of a decision's correction.
pub fn check_decision_change(input: &DecisionChange) -> AppResult<FieldErrors> {
    let mut e = FieldErrors::new();
    if let Some(t) = &input.title {
        collect(&mut e, domain::clean_title(t))?;
    }
    if let Some(o) = &input.outcome {
        collect(&mut e, decisions::clean_outcome(o))?;
    }
    Ok(e)
}

/// Corrects a decision's title or outcome text.
pub async fn change_decision(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i32,
    if_match: Option<&str>,
    input: DecisionChange,
) -> AppResult<DecisionView> {
    refuse_first(check_decision_change(&input)?)?;
    let txn = crate::db::begin_write(db).await?;
    let d = decision::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::not_found(format!("decision {id}")))?;
    check_if_match(&DecisionView::from(d.clone()).etag, if_match)?;
    let before = (d.title.clone(), d.outcome.clone());
    let mut active: decision::ActiveModel = d.into();
    if let Some(t) = &input.title {
        active.title = Set(domain::clean_title(t)?);
    }
    if let Some(o) = &input.outcome {
        active.outcome = Set(decisions::clean_outcome(o)?);
    }
    let d = active.update(&txn).await?;
    audit::record(
        &txn,
        &caller.name,
        "decision.change",
        "decision",
        Some(d.id),
        serde_json::json!({"case": d.case_number, "title_before": before.0, "outcome_before": before.1,
            "title": input.title.is_some(), "outcome": input.outcome.is_some()}),
    )
    .await?;
    txn.commit().await?;
    Ok(d.into())
}

/// Corrections to a revision need; absent fields stay as they are.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NeedChange {
    pub title: Option<String>,
    pub description: Option<String>,
    /// The section concerned; empty clears it.
    pub section: Option<String>,
    /// 1 (highest) to 3.
    pub priority: Option<i32>,
    /// For an external report: what it says.
    pub origin_body: Option<String>,
    /// For an external report: who and which letter.
    pub origin_reference: Option<String>,
    /// The action-plan half-year ("2026-H2"): an open need can move to another.
    pub period: Option<String>,
    pub public: Option<bool>,
}

/// Every field error of a revision need's correction that can be told without the need.
pub fn check_need_change(input: &NeedChange) -> AppResult<FieldErrors> {
    let mut e = FieldErrors::new();
    if let Some(t) = &input.title {
        collect(&mut e, domain::clean_title(t))?;
    }
    if let Some(v) = &input.description {
        collect(&mut e, revision_needs::long_text("description", v))?;
    }
    if let Some(v) = &input.origin_body {
        collect(&mut e, revision_needs::long_text("origin_body", v))?;
    }
    if let Some(v) = &input.origin_reference {
        collect(&mut e, revision_needs::short_text("origin_reference", v))?;
    }
    if let Some(v) = &input.section {
        collect(&mut e, revision_needs::short_text("section", v))?;
    }
    if let Some(p) = input.priority {
        collect(&mut e, revision_needs::check_priority(p))?;
    }
    if let Some(p) = &input.period {
        collect(&mut e, parse_field::<PlanPeriod>("period", p))?;
    }
    Ok(e)
}

/// Corrects a revision need. A closed need (resolved, rejected) keeps its facts; an
/// external report keeps a reference.
pub async fn change_need(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i32,
    if_match: Option<&str>,
    input: NeedChange,
) -> AppResult<RevisionNeedView> {
    refuse_first(check_need_change(&input)?)?;
    let txn = crate::db::begin_write(db).await?;
    let need = revision_need::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::not_found(format!("revision need {id}")))?;
    check_if_match(&revision_needs::need_etag(&need), if_match)?;
    let unreadable = |e: domain::RuleError| AppError::Internal(anyhow::anyhow!("revision need {id}: {e}"));
    let state: RevisionState = need.state.parse().map_err(unreadable)?;
    let origin: RevisionOrigin = need.origin.parse().map_err(unreadable)?;
    if !state.is_open() {
        return Err(AppError::Conflict(format!(
            "revision need {id} is {}; a closed need is not changed",
            state.as_str()
        )));
    }
    let mut active: revision_need::ActiveModel = need.clone().into();
    if let Some(t) = &input.title {
        active.title = Set(domain::clean_title(t)?);
    }
    if let Some(v) = &input.description {
        active.description = Set(revision_needs::long_text("description", v)?);
    }
    if let Some(v) = &input.origin_body {
        active.origin_body = Set(Some(revision_needs::long_text("origin_body", v)?).filter(|s| !s.is_empty()));
    }
    let reference = match &input.origin_reference {
        Some(v) => Some(revision_needs::short_text("origin_reference", v)?).filter(|s| !s.is_empty()),
        None => need.origin_reference.clone(),
    };
    let period = match &input.period {
        Some(p) => Some(p.parse::<PlanPeriod>()?.as_str().to_string()),
        None => need.period.clone(),
    };
    // The origin's facts must still hold after the change (a report names who sent it).
    domain::check_revision_origin(
        origin,
        reference.as_deref(),
        period.as_deref(),
        need.decision_id.is_some(),
    )?;
    active.origin_reference = Set(reference);
    active.period = Set(period);
    if let Some(v) = &input.section {
        active.section = Set(Some(revision_needs::short_text("section", v)?).filter(|s| !s.is_empty()));
    }
    if let Some(p) = input.priority {
        active.priority = Set(p);
    }
    if let Some(p) = input.public {
        active.public = Set(p);
    }
    active.updated_at = Set(Utc::now());
    let changed = active.update(&txn).await?;
    audit::record(
        &txn,
        &caller.name,
        "revision_need.change",
        "revision_need",
        Some(id),
        serde_json::json!({"period_before": need.period, "period": changed.period,
            "priority_before": need.priority, "priority": changed.priority,
            "fields": [input.title.is_some().then_some("title"), input.description.is_some().then_some("description"),
                input.section.is_some().then_some("section"), input.origin_body.is_some().then_some("origin_body"),
                input.origin_reference.is_some().then_some("origin_reference"), input.public.is_some().then_some("public")]}),
    )
    .await?;
    txn.commit().await?;
    revision_needs::view(db, changed).await
}
