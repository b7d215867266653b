//! The `version_html` table: rendered HTML of published versions (a cache, never exported).

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "version_html")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub version_id: i32,
    /// The version's `content_hash` when it was rendered.
    pub content_hash: String,
    /// `markdown::RENDERER`: bumped when rendering changes, so old HTML is redone.
    pub renderer: i32,
    pub html: String,
    /// `markdown::Section`s as JSON: the headings' ids and texts, for the contents list.
    pub sections: String,
}

impl ActiveModelBehavior for ActiveModel {}
