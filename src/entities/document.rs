//! The `document` table.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "document")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub kind: String,
    pub number: Option<String>,
    /// The normal form the number is unique by (`domain::number_key`): "037" and "37" share one.
    #[serde(default)]
    pub number_key: Option<String>,
    pub slug: String,
    pub language: String,
    pub status: String,
    pub external_id: Option<String>,
    pub normen_version: Option<String>,
    /// Months between reviews; `None` follows the kind's default
    /// (`domain::default_review_interval_months`).
    #[serde(default)]
    pub review_interval_months: Option<i32>,
    /// Grows by one on every write; the ETag is derived from it.
    pub revision: i32,
    /// The key its lists sort it by (`domain::sort_title` of the title they show), derived from
    /// its versions by every write (`services::changes::record`); not exported.
    #[serde(skip)]
    pub sort_title: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
