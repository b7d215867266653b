//! The `change_log` table: which documents' search projection each committed write changed.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "change_log")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub seq: i64,
    /// JSON array of document ids.
    pub document_ids: String,
    pub committed_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
