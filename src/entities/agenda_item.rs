//! The `agenda_item` table: one case on a meeting's agenda, in order, with its outcome.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "agenda_item")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub meeting_id: i32,
    /// Order on the agenda, from 1.
    pub position: i32,
    /// "23/25" as the paper writes it; `case_year` and `case_seq` order and number cases.
    pub case_number: String,
    pub case_year: i32,
    pub case_seq: i32,
    /// `domain::AgendaKind`.
    pub kind: String,
    pub title: String,
    /// Markdown.
    pub background: String,
    /// *Forslag til vedtak*.
    pub proposal: String,
    pub presenter: Option<String>,
    pub starts_at: Option<String>,
    /// `domain::ItemOutcome`, none until recorded.
    pub outcome: Option<String>,
    pub outcome_text: String,
    /// The decision a decided item became.
    pub decision_id: Option<i32>,
    pub created_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
