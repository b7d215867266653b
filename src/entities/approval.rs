//! The `approval` table: one submission of a draft for approval, and what became of it.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "approval")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub version_id: i32,
    /// `domain::ApprovalState`.
    pub state: String,
    /// The draft's title, summary and body as submitted, hashed: an approval holds for them.
    pub fingerprint: String,
    pub submitted_by: String,
    pub submitted_at: DateTimeUtc,
    pub note: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTimeUtc>,
    /// Why it was sent back (or a word with the approval).
    pub comment: String,
}

impl ActiveModelBehavior for ActiveModel {}
