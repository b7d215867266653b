//! The `external_successor` table: a replacement outside the registry that a withdrawal names.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "external_successor")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub withdrawal_id: i32,
    pub title: String,
    /// An `https://` or `http://` address.
    pub url: String,
}

impl ActiveModelBehavior for ActiveModel {}
