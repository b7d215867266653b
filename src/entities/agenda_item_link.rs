//! The `agenda_item_link` table: what an agenda item is about (one of a document, a revision
//! need or a plan item per row).

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "agenda_item_link")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub item_id: i32,
    pub document_id: Option<i32>,
    pub revision_need_id: Option<i32>,
    pub plan_item_id: Option<i32>,
}

impl ActiveModelBehavior for ActiveModel {}
