//! The `revision_need` table.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "revision_need")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub document_id: i32,
    pub version_id: Option<i32>,
    pub section: Option<String>,
    pub title: String,
    pub description: String,
    pub origin: String,
    pub origin_body: Option<String>,
    pub origin_reference: Option<String>,
    pub period: Option<String>,
    pub decision_id: Option<i32>,
    pub kind: String,
    pub priority: i32,
    pub state: String,
    pub public: bool,
    pub resolved_version_id: Option<i32>,
    /// The withdrawal that resolved the need, when a withdrawal did rather than a version.
    #[serde(default)]
    pub resolved_withdrawal_id: Option<i32>,
    /// The law change or outside report that opened this need with others.
    #[serde(default)]
    pub source_id: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
