//! Comparing versions for reviewers, translators and readers: two versions of a document, a
//! translation's source against the current source, and a withdrawn document against its
//! successor. The diff itself is `crate::compare`; this module finds the versions.

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use utoipa::ToSchema;

use crate::compare::{self, CompareOptions, Comparison};
use crate::domain::{DocumentStatus, Language, VersionLabel};
use crate::entities::{document, relation, version};
use crate::error::{AppError, AppResult};

/// One side of a comparison.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VersionSide {
    pub document_id: i32,
    pub label: String,
    pub language: String,
    pub title: String,
    pub published_on: Option<NaiveDate>,
    pub url: String,
}

/// A comparison with the versions it compares.
#[derive(Debug, Clone, Serialize)]
pub struct VersionComparison {
    pub from: VersionSide,
    pub to: VersionSide,
    #[serde(flatten)]
    pub comparison: Comparison,
}

/// The two bodies and their sides, before diffing.
pub struct Pair {
    pub from: (VersionSide, String),
    pub to: (VersionSide, String),
}

fn side(doc: &document::Model, v: version::Model) -> AppResult<(VersionSide, String)> {
    let url = crate::services::documents::url_of(doc)?;
    let label = v.label.clone().unwrap_or_default();
    Ok((
        VersionSide {
            document_id: doc.id,
            url: format!("{url}/versjon/{label}"),
            label,
            language: v.language,
            title: v.title,
            published_on: v.published_on,
        },
        v.body,
    ))
}

async fn published(
    db: &impl ConnectionTrait,
    doc: &document::Model,
    language: &str,
    label: &str,
) -> AppResult<version::Model> {
    let parsed: VersionLabel = label
        .parse()
        .map_err(|_| AppError::not_found(format!("version {label:?} of document {}", doc.id)))?;
    version::Entity::find()
        .filter(version::Column::DocumentId.eq(doc.id))
        .filter(version::Column::Language.eq(language))
        .filter(version::Column::State.eq("published"))
        .filter(version::Column::Label.eq(parsed.to_string()))
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found(format!("version {parsed} in {language} of document {}", doc.id)))
}

async fn newest(
    db: &impl ConnectionTrait,
    doc: &document::Model,
    language: &str,
    oldest: bool,
) -> AppResult<version::Model> {
    let q = version::Entity::find()
        .filter(version::Column::DocumentId.eq(doc.id))
        .filter(version::Column::Language.eq(language))
        .filter(version::Column::State.eq("published"));
    let q = if oldest {
        q.order_by_asc(version::Column::LabelMajor)
            .order_by_asc(version::Column::LabelMinor)
    } else {
        q.order_by_desc(version::Column::LabelMajor)
            .order_by_desc(version::Column::LabelMinor)
    };
    q.one(db)
        .await?
        .ok_or_else(|| AppError::not_found(format!("a published {language} version of document {}", doc.id)))
}

/// Two published versions of one document in one language.
pub async fn version_pair(
    db: &impl ConnectionTrait,
    doc: &document::Model,
    from: &str,
    to: &str,
    language: Option<Language>,
) -> AppResult<Pair> {
    let lang = language
        .map(|l| l.as_str().to_string())
        .unwrap_or_else(|| doc.language.clone());
    Ok(Pair {
        from: side(doc, published(db, doc, &lang, from).await?)?,
        to: side(doc, published(db, doc, &lang, to).await?)?,
    })
}

/// The source version a translation was made from, against the newest source version.
pub async fn translation_source_pair(
    db: &impl ConnectionTrait,
    doc: &document::Model,
    language: Language,
) -> AppResult<Pair> {
    if language.as_str() == doc.language {
        return Err(AppError::Invalid(format!(
            "{language} is the document's own language; name the language of a translation"
        )));
    }
    let translation = newest(db, doc, language.as_str(), false).await?;
    let source_id = translation
        .source_version_id
        .ok_or_else(|| AppError::Invalid(format!("the {language} version does not record its source version")))?;
    let source = version::Entity::find_by_id(source_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found(format!("source version {source_id}")))?;
    let current = newest(db, doc, &doc.language, false).await?;
    Ok(Pair {
        from: side(doc, source)?,
        to: side(doc, current)?,
    })
}

/// A withdrawn document's last version against the first version of a successor (the first
/// successor unless one is named).
pub async fn successor_pair(
    db: &impl ConnectionTrait,
    doc: &document::Model,
    successor: Option<i32>,
    drafts: bool,
) -> AppResult<Pair> {
    if doc.status != DocumentStatus::Withdrawn.as_str() {
        return Err(AppError::Conflict(format!(
            "document {} is not withdrawn, so it has no successor",
            doc.id
        )));
    }
    let links = relation::Entity::find()
        .filter(relation::Column::FromDocumentId.eq(doc.id))
        .filter(relation::Column::Kind.is_in(["replaced_by", "split_into", "merged_into"]))
        .order_by_asc(relation::Column::Id)
        .all(db)
        .await?;
    // Only successors the caller may see count: a draft successor is not named, not even by id.
    let mut visible = document::Entity::find()
        .filter(document::Column::Id.is_in(links.iter().map(|r| r.to_document_id)))
        .all(db)
        .await?;
    visible.retain(|d| drafts || d.status != DocumentStatus::Draft.as_str());
    let position = |d: &document::Model| links.iter().position(|r| r.to_document_id == d.id);
    visible.sort_by_key(position);
    let succ = match successor {
        Some(s) => visible
            .into_iter()
            .find(|d| d.id == s)
            .ok_or_else(|| AppError::not_found(format!("document {s} as a successor of document {}", doc.id)))?,
        None => visible
            .into_iter()
            .next()
            .ok_or_else(|| AppError::not_found(format!("a successor of document {}", doc.id)))?,
    };
    let last = newest(db, doc, &doc.language, false).await?;
    let first = newest(db, &succ, &succ.language, true).await?;
    Ok(Pair {
        from: side(doc, last)?,
        to: side(&succ, first)?,
    })
}

/// Diffs a pair off the async runtime (a 1 MB pair takes tens of milliseconds), with the
/// output bounded (`compare::OUTPUT_LIMITS`).
pub async fn run(pair: Pair, opts: CompareOptions) -> AppResult<VersionComparison> {
    let Pair { from, to } = pair;
    let comparison = tokio::task::spawn_blocking(move || {
        let c = compare::compare_bounded(&from.1, &to.1, &opts);
        (from.0, to.0, c)
    })
    .await
    .map_err(|e| AppError::Internal(anyhow::anyhow!("compare task failed: {e}")))?;
    Ok(VersionComparison {
        from: comparison.0,
        to: comparison.1,
        comparison: comparison.2,
    })
}

/// A unified diff of a pair, for download.
pub async fn unified(pair: Pair) -> AppResult<String> {
    tokio::task::spawn_blocking(move || {
        let from_label = format!("{} {} ({})", pair.from.0.title, pair.from.0.label, pair.from.0.language);
        let to_label = format!("{} {} ({})", pair.to.0.title, pair.to.0.label, pair.to.0.language);
        compare::unified_diff(&pair.from.1, &pair.to.1, &from_label, &to_label)
    })
    .await
    .map_err(|e| AppError::Internal(anyhow::anyhow!("diff task failed: {e}")))
}
