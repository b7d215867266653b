//! What the editors' dashboard lists: open drafts and outdated translations (staff only).

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::domain::{self, DocumentKind, DocumentStatus, Language, VersionState};
use crate::entities::{document, version};
use crate::error::AppResult;
use crate::services::documents::{self, DocumentRecord};

/// An open draft.
#[derive(Debug, Clone)]
pub struct DraftItem {
    pub document_id: i32,
    pub kind: DocumentKind,
    pub number: Option<String>,
    pub document_status: DocumentStatus,
    pub language: Language,
    pub title: String,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    /// For a translation draft: the source label.
    pub is_translation: bool,
}

/// A published translation whose source has changed substantively since.
#[derive(Debug, Clone)]
pub struct OutdatedTranslation {
    pub document_id: i32,
    pub kind: DocumentKind,
    pub number: Option<String>,
    pub title: String,
    pub language: Language,
    pub label: String,
    pub source_label: String,
    pub current_source_label: String,
}

/// Every open draft, newest first.
pub async fn open_drafts(db: &impl ConnectionTrait) -> AppResult<Vec<DraftItem>> {
    let drafts = version::Entity::find()
        .select_only()
        .columns([
            version::Column::DocumentId,
            version::Column::Language,
            version::Column::Title,
            version::Column::CreatedBy,
            version::Column::CreatedAt,
            version::Column::SourceVersionId,
        ])
        .filter(version::Column::State.eq(VersionState::Draft))
        .order_by_desc(version::Column::CreatedAt)
        .into_tuple::<(i32, String, String, String, DateTime<Utc>, Option<i32>)>()
        .all(db)
        .await?;
    let ids: Vec<i32> = drafts.iter().map(|d| d.0).collect();
    let docs: Vec<DocumentRecord> = if ids.is_empty() {
        Vec::new()
    } else {
        documents::readable_records(
            document::Entity::find()
                .filter(document::Column::Id.is_in(ids))
                .all(db)
                .await?,
        )
    };
    Ok(drafts
        .into_iter()
        .filter_map(|(id, language, title, by, at, source)| {
            let d = docs.iter().find(|d| d.id == id)?;
            Some(DraftItem {
                document_id: id,
                kind: d.kind,
                number: d.number.clone(),
                document_status: d.status,
                language: language.parse().ok()?,
                title,
                created_by: by,
                created_at: at,
                is_translation: source.is_some(),
            })
        })
        .collect())
}

/// Every published translation that is outdated: a substantive source version came after the
/// one it translates.
pub async fn outdated_translations(db: &impl ConnectionTrait) -> AppResult<Vec<OutdatedTranslation>> {
    let ids: Vec<i32> = version::Entity::find()
        .select_only()
        .column(version::Column::DocumentId)
        .filter(version::Column::State.eq(VersionState::Published))
        .filter(version::Column::SourceVersionId.is_not_null())
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    let mut out = Vec::new();
    for chunk in ids.chunks(200) {
        let docs = documents::readable_records(
            document::Entity::find()
                .filter(document::Column::Id.is_in(chunk.iter().copied()))
                .order_by_asc(document::Column::Id)
                .all(db)
                .await?,
        );
        let metas = documents::version_metas(db, chunk, false).await?;
        for d in &docs {
            let history = documents::source_history(&metas, d.id, d.language);
            let Some(current) = documents::latest_published(&metas, d.id, d.language) else {
                continue;
            };
            for &lang in Language::ALL {
                if lang == d.language {
                    continue;
                }
                let Some(t) = documents::latest_published(&metas, d.id, lang) else {
                    continue;
                };
                let Some(source) = t.source_version_id.and_then(|s| metas.iter().find(|v| v.id == s)) else {
                    continue;
                };
                let Some(source_label) = source.label_value else {
                    continue;
                };
                if domain::is_translation_outdated(source_label, &history) {
                    out.push(OutdatedTranslation {
                        document_id: d.id,
                        kind: d.kind,
                        number: d.number.clone(),
                        title: current.title.clone(),
                        language: lang,
                        label: t.label.clone().unwrap_or_default(),
                        source_label: source_label.to_string(),
                        current_source_label: current.label.clone().unwrap_or_default(),
                    });
                }
            }
        }
    }
    Ok(out)
}

/// One revision need by id (staff), with the document it belongs to.
pub async fn revision_need(
    db: &impl ConnectionTrait,
    id: i32,
) -> AppResult<crate::services::revision_needs::RevisionNeedView> {
    let need = crate::entities::revision_need::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| crate::error::AppError::not_found(format!("revision need {id}")))?;
    crate::services::revision_needs::list_for_document(db, need.document_id, true)
        .await?
        .into_iter()
        .find(|n| n.id == id)
        .ok_or_else(|| crate::error::AppError::not_found(format!("revision need {id}")))
}
