//! The `withdrawal` table.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "withdrawal")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub document_id: i32,
    /// Unknown for material withdrawn before the registry kept it.
    pub withdrawn_on: Option<Date>,
    pub reason: String,
    pub decision_id: Option<i32>,
    pub reinstated_at: Option<DateTimeUtc>,
    pub reinstate_reason: Option<String>,
    pub created_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
