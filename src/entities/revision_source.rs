//! The `revision_source` table: a law change or outside report recorded once, which opened a
//! revision need on each document it affects.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "revision_source")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub title: String,
    /// Who and which paper, e.g. "Prop. 152 L (2024-2025)".
    pub reference: String,
    pub url: Option<String>,
    pub description: String,
    /// `domain::RevisionKind` of the needs it opened.
    pub kind: String,
    pub created_by: String,
    pub created_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
