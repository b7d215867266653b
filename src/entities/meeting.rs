//! The `meeting` table: one steering-group meeting.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "meeting")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub date: Date,
    /// "10:00", as the call gives it.
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
    /// "Digitalt møte", "Helsedirektoratet – Vitaminveien 4 - Oslo".
    pub place: String,
    pub title: String,
    /// `domain::MeetingState`.
    pub state: String,
    pub created_by: String,
    pub created_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
