//! The `plan_item` table: one piece of work in a period of the action plan.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "plan_item")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The period's key (`plan_period.key`).
    pub period: String,
    pub title: String,
    pub description: String,
    /// `domain::PlanItemKind`.
    pub kind: String,
    /// 1 (highest) to 3.
    pub priority: i32,
    /// `domain::PlanItemState`.
    pub state: String,
    pub document_id: Option<i32>,
    pub revision_need_id: Option<i32>,
    /// The case that asked for the work.
    pub decision_id: Option<i32>,
    /// The period the item moved to, and why; the item there has `moved_from_item_id` = this id.
    pub moved_to: Option<String>,
    pub moved_reason: Option<String>,
    pub moved_from_item_id: Option<i32>,
    pub created_by: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
