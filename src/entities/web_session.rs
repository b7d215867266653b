//! The `web_session` table: sessions of the editors' web workspace.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "web_session")]
pub struct Model {
    /// SHA-256 (hex) of the cookie value; the value itself is never stored.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// The session's data as JSON.
    pub data: String,
    pub expires_at: DateTimeUtc,
    /// The signed-in user (every stored session has one).
    pub user_id: Option<i32>,
}

impl ActiveModelBehavior for ActiveModel {}
