//! Steering-group decisions ("sak 23/25"): recorded once, referred to by case number.

use chrono::{NaiveDate, Utc};
use sea_orm::DatabaseConnection;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::Caller;
use crate::domain::{self, CaseNumber};
use crate::entities::decision;
use crate::error::{AppError, AppResult};
use crate::services::audit;

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
}

impl From<decision::Model> for DecisionView {
    fn from(d: decision::Model) -> Self {
        DecisionView {
            id: d.id,
            case_number: d.case_number,
            meeting_date: d.meeting_date,
            title: d.title,
            outcome: d.outcome,
        }
    }
}

/// Records a decision; a case number is recorded once.
pub async fn record(db: &DatabaseConnection, caller: &Caller, input: NewDecision) -> AppResult<DecisionView> {
    let case: CaseNumber = input.case_number.parse()?;
    let title = domain::clean_title(&input.title)?;
    let outcome = domain::clean_text(
        "outcome",
        input.outcome.trim(),
        domain::Lines::Many,
        domain::MAX_LONG_TEXT_CHARS,
    )?;
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
