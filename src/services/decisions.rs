//! Steering-group decisions ("sak 23/25"): recorded once, referred to by case number.

use chrono::{NaiveDate, Utc};
use sea_orm::DatabaseConnection;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::Caller;
use crate::domain::{self, CaseNumber, RuleError};
use crate::entities::decision;
use crate::error::{AppError, AppResult};
use crate::services::audit;
use crate::services::checks::{FieldErrors, collect, parse_field, refuse_first};

/// A decision to record.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDecision {
    /// "23/25": case 23 of 2025.
    pub case_number: String,
    pub meeting_date: NaiveDate,
    pub title: String,
    /// The outcome ("vedtak") as text.
    #[serde(default)]
    pub outcome: String,
}

/// A recorded decision.
#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionView {
    pub id: i32,
    pub case_number: String,
    pub meeting_date: NaiveDate,
    pub title: String,
    pub outcome: String,
    /// The value to send in `If-Match` when correcting this decision.
    pub etag: String,
}

impl From<decision::Model> for DecisionView {
    fn from(d: decision::Model) -> Self {
        DecisionView {
            etag: crate::services::corrections::record_etag("decision", d.id, &d),
            id: d.id,
            case_number: d.case_number,
            meeting_date: d.meeting_date,
            title: d.title,
            outcome: d.outcome,
        }
    }
}

/// The outcome as stored: trimmed clean text.
pub(crate) fn clean_outcome(outcome: &str) -> Result<String, RuleError> {
    domain::clean_text(
        "outcome",
        outcome.trim(),
        domain::Lines::Many,
        domain::MAX_LONG_TEXT_CHARS,
    )
}

/// Every field error of a new decision (the form shows them all; the use case stops at the
/// first). The meeting date has no bounds: the registry takes the date of the case as given.
pub fn check_new_decision(input: &NewDecision) -> AppResult<FieldErrors> {
    let mut e = FieldErrors::new();
    collect(&mut e, parse_field::<CaseNumber>("case_number", &input.case_number))?;
    collect(&mut e, domain::clean_title(&input.title))?;
    collect(&mut e, clean_outcome(&input.outcome))?;
    Ok(e)
}

/// Records a decision; a case number is recorded once.
pub async fn record(db: &DatabaseConnection, caller: &Caller, input: NewDecision) -> AppResult<DecisionView> {
    refuse_first(check_new_decision(&input)?)?;
    let case: CaseNumber = input.case_number.parse()?;
    let title = domain::clean_title(&input.title)?;
    let outcome = clean_outcome(&input.outcome)?;
    let txn = crate::db::begin_write(db).await?;
    if decision::Entity::find()
        .filter(decision::Column::CaseNumber.eq(case.as_str()))
        .one(&txn)
        .await?
        .is_some()
    {
        return Err(AppError::Conflict(format!(
            "case {} is recorded already",
            case.as_str()
        )));
    }
    let d = decision::ActiveModel {
        case_number: Set(case.as_str().into()),
        meeting_date: Set(input.meeting_date),
        title: Set(title),
        outcome: Set(outcome),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        &caller.name,
        "decision.record",
        "decision",
        Some(d.id),
        serde_json::json!({"case": d.case_number}),
    )
    .await?;
    txn.commit().await?;
    Ok(d.into())
}

/// One decision.
pub async fn get(db: &impl ConnectionTrait, id: i32) -> AppResult<DecisionView> {
    decision::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(Into::into)
        .ok_or_else(|| crate::error::AppError::not_found(format!("decision {id}")))
}

/// Lists decisions, newest meeting first.
pub async fn list(db: &impl ConnectionTrait) -> AppResult<Vec<DecisionView>> {
    Ok(decision::Entity::find()
        .order_by_desc(decision::Column::MeetingDate)
        .order_by_asc(decision::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(Into::into)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Fault;

    fn decision(case_number: &str, title: &str, outcome: &str) -> NewDecision {
        NewDecision {
            case_number: case_number.into(),
            meeting_date: NaiveDate::from_ymd_opt(2025, 9, 16).unwrap(),
            title: title.into(),
            outcome: outcome.into(),
        }
    }

    #[test]
    fn a_decision_passes_or_names_each_field() {
        assert!(
            check_new_decision(&decision("23/25", "Sanering", ""))
                .unwrap()
                .is_empty()
        );
        let errors = check_new_decision(&decision("sak 25", " ", "a\u{7}b")).unwrap();
        let faults: Vec<_> = errors.iter().map(|e| (e.field, e.fault)).collect();
        assert_eq!(
            faults,
            [
                ("case_number", Fault::Malformed),
                ("title", Fault::Required),
                ("outcome", Fault::Control { ch: '\u{7}', at: 2 }),
            ]
        );
        assert!(errors[0].message.contains("NUMBER/YEAR"));
    }
}
