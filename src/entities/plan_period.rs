//! The `plan_period` table: one period of the action plan ("2026-H1", "2024") and its state.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "plan_period")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// `domain::PlanPeriod`, unique.
    #[sea_orm(unique)]
    pub key: String,
    /// `domain::PlanPeriodState`.
    pub state: String,
    /// The decision that adopted the plan.
    pub decision_id: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
