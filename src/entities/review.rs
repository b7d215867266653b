//! The `review` table: one look at a document and what it concluded.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "review")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub document_id: i32,
    pub reviewed_on: Date,
    /// `domain::ReviewOutcome`.
    pub outcome: String,
    pub note: String,
    pub reviewer: String,
    pub decision_id: Option<i32>,
    /// The revision need an update, revise or withdraw outcome opened.
    pub revision_need_id: Option<i32>,
    pub created_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
