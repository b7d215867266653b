//! Which fact sheets and guides follow the current Normen: what normen.no says in one sentence
//! ("Et fåtall faktaark er foreløpig oppdatert ut fra siste versjon av Normen"), as a list with
//! counts per kind. The current Normen is the newest published version of the Normen document.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::{Alignment, DocumentKind, DocumentStatus, VersionLabel, alignment_of};
use crate::entities::document;
use crate::error::AppResult;
use crate::services::documents::{self, DocumentRecord};

/// One document in the report.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AlignmentItem {
    pub document_id: i32,
    pub kind: DocumentKind,
    pub number: Option<String>,
    pub title: String,
    pub url: String,
    pub normen_version: Option<String>,
    pub alignment: Alignment,
}

/// The counts of one kind.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KindCounts {
    pub kind: DocumentKind,
    pub total: usize,
    pub current: usize,
    pub older: usize,
    pub unknown: usize,
}

/// The whole report.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AlignmentReport {
    /// The newest published version of Normen, e.g. "6.1"; null when none is published.
    pub current_normen_version: Option<String>,
    pub kinds: Vec<KindCounts>,
    /// Fact sheets by number, then guides by title.
    pub items: Vec<AlignmentItem>,
}

/// The kinds the report covers.
const KINDS: [DocumentKind; 2] = [DocumentKind::FactSheet, DocumentKind::Guide];

/// The newest published version label of the Normen documents.
async fn current_normen(db: &impl ConnectionTrait) -> AppResult<Option<VersionLabel>> {
    let norms = documents::readable_records(
        document::Entity::find()
            .filter(document::Column::Kind.eq(DocumentKind::Norm))
            .filter(document::Column::Status.eq(DocumentStatus::Published))
            .all(db)
            .await?,
    );
    let ids: Vec<i32> = norms.iter().map(|d| d.id).collect();
    let metas = documents::version_metas(db, &ids, false).await?;
    Ok(norms
        .iter()
        .filter_map(|d| documents::latest_published(&metas, d.id, d.language)?.label_value)
        .max())
}

/// Which published fact sheets and guides follow the current Normen.
pub async fn report(db: &impl ConnectionTrait) -> AppResult<AlignmentReport> {
    let current = current_normen(db).await?;
    let docs: Vec<DocumentRecord> = documents::readable_records(
        document::Entity::find()
            .filter(document::Column::Kind.is_in(KINDS))
            .filter(document::Column::Status.eq(DocumentStatus::Published))
            .order_by_asc(document::Column::Id)
            .all(db)
            .await?,
    );
    let ids: Vec<i32> = docs.iter().map(|d| d.id).collect();
    let mut metas = Vec::new();
    for chunk in ids.chunks(documents::IDS_PER_QUERY) {
        metas.extend(documents::version_metas(db, chunk, false).await?);
    }
    let metas = documents::by_document(metas);
    let none = Vec::new();
    let mut items: Vec<AlignmentItem> = docs
        .iter()
        .map(|d| AlignmentItem {
            document_id: d.id,
            kind: d.kind,
            number: d.number.clone(),
            title: documents::latest_published(metas.get(&d.id).unwrap_or(&none), d.id, d.language)
                .map(|v| v.title.clone())
                .unwrap_or_default(),
            url: d.url(),
            normen_version: d.normen_version.clone(),
            alignment: alignment_of(d.normen_version.as_deref(), current),
        })
        .collect();
    let number_order = |n: &Option<String>| {
        let n = n.as_deref().unwrap_or("");
        let digits: String = n.chars().take_while(char::is_ascii_digit).collect();
        (digits.parse::<u32>().unwrap_or(u32::MAX), n.to_string())
    };
    items.sort_by(|a, b| {
        (a.kind != DocumentKind::FactSheet, number_order(&a.number), &a.title).cmp(&(
            b.kind != DocumentKind::FactSheet,
            number_order(&b.number),
            &b.title,
        ))
    });
    let kinds = KINDS
        .iter()
        .map(|k| {
            let of = |a: Alignment| items.iter().filter(|i| i.kind == *k && i.alignment == a).count();
            KindCounts {
                kind: *k,
                total: items.iter().filter(|i| i.kind == *k).count(),
                current: of(Alignment::Current),
                older: of(Alignment::Older),
                unknown: of(Alignment::Unknown),
            }
        })
        .collect();
    Ok(AlignmentReport {
        current_normen_version: current.map(|c| c.to_string()),
        kinds,
        items,
    })
}
