//! The `approval_rule` table: whether a kind of document needs approval before publishing.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "approval_rule")]
pub struct Model {
    /// `domain::DocumentKind`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub kind: String,
    pub required: bool,
}

impl ActiveModelBehavior for ActiveModel {}
