//! The `path_alias` table: an address a document had (`/faktaark/37`), kept for redirects.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "path_alias")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub path: String,
    pub document_id: i32,
}

impl ActiveModelBehavior for ActiveModel {}
