//! The `version` table.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "version")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub document_id: i32,
    pub language: String,
    /// `draft` or `published`.
    pub state: String,
    /// Set when published.
    pub label: Option<String>,
    pub label_major: Option<i32>,
    pub label_minor: Option<i32>,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub change_note: String,
    pub change_kind: Option<String>,
    pub published_on: Option<Date>,
    pub decision_id: Option<i32>,
    /// For a translation: the exact version it translates.
    pub source_version_id: Option<i32>,
    pub content_hash: String,
    /// The Normen version this version follows, when the editor said so at publication.
    #[serde(default)]
    pub normen_version: Option<String>,
    pub created_at: DateTimeUtc,
    pub created_by: String,
    /// When it was published, to the second (`None` for a draft, and for versions published
    /// or imported before the time was kept: only their date is known).
    #[serde(default)]
    pub published_at: Option<DateTimeUtc>,
    /// Who approved the draft this version was published from, and when.
    #[serde(default)]
    pub approved_by: Option<String>,
    #[serde(default)]
    pub approved_at: Option<DateTimeUtc>,
    /// An admin's reason for publishing it without approval.
    #[serde(default)]
    pub forced_reason: Option<String>,
}

impl ActiveModelBehavior for ActiveModel {}
