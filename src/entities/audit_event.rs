//! The `audit_event` table.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "audit_event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub at: DateTimeUtc,
    pub actor: String,
    pub action: String,
    pub target_type: String,
    pub target_id: Option<i32>,
    pub details: String,
}

impl ActiveModelBehavior for ActiveModel {}
