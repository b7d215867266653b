//! Rendering bodies for pages: always on the blocking pool (a large body takes a while and must
//! not hold an async worker), and for published versions only once. A published version never
//! changes, so its HTML is kept in `version_html` at publication or on first view; drafts and
//! previews are rendered on demand. The kept HTML is a cache: not exported, and redone when the
//! version's content hash or the renderer's generation differs.

use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, EntityTrait, Set};

use crate::domain::body::{BodyStructureError, check_body_structure};
use crate::domain::{Language, VersionState};
use crate::entities::{version, version_html};
use crate::error::{AppError, AppResult};
use crate::markdown::{self, Rendered};
use crate::services::documents::VersionFull;

/// Generation of the renderer; bump it when `markdown::render_document` changes its output, and
/// kept HTML is redone on next view.
pub const RENDERER: i32 = 3;

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> AppResult<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("render task failed: {e}")))
}

/// Renders a body as its page shows it, on the blocking pool (drafts, previews).
pub async fn render(body: String, language: Language) -> AppResult<Rendered> {
    blocking(move || markdown::render_document(&body, language)).await
}

/// The body rule (nesting depth, rendered size), on the blocking pool: it parses the whole body.
pub async fn check_structure(body: &str) -> AppResult<Result<(), BodyStructureError>> {
    let body = body.to_owned();
    blocking(move || check_body_structure(&body)).await
}

/// The body rule as a refusal (HTTP 422).
pub async fn require_structure(body: &str) -> AppResult<()> {
    check_structure(body)
        .await?
        .map_err(|e| AppError::from(crate::domain::RuleError::from(e)))
}

/// A version as shown on a page (HTML and sections): a published one from `version_html`
/// (rendered and kept there on first view), a draft rendered now.
pub async fn version_html(db: &impl ConnectionTrait, v: &VersionFull) -> AppResult<Rendered> {
    if v.info.state == VersionState::Draft {
        return render(v.body.clone(), v.info.language).await;
    }
    if let Some(kept) = version_html::Entity::find_by_id(v.info.id).one(db).await?
        && kept.content_hash == v.info.content_hash
        && kept.renderer == RENDERER
        && let Ok(sections) = serde_json::from_str(&kept.sections)
    {
        return Ok(Rendered {
            html: kept.html,
            sections,
        });
    }
    let rendered = render(v.body.clone(), v.info.language).await?;
    // A failed write only means the next view renders again.
    if let Err(e) = keep(db, v.info.id, &v.info.content_hash, &rendered).await {
        tracing::warn!(error = %e, version_id = v.info.id, "could not keep rendered HTML");
    }
    Ok(rendered)
}

/// Renders a just-published version and keeps its HTML, so that no page view renders it.
pub async fn keep_published(db: &impl ConnectionTrait, version_id: i32) -> AppResult<()> {
    let Some(v) = version::Entity::find_by_id(version_id).one(db).await? else {
        return Ok(());
    };
    if v.state != VersionState::Published.as_str() {
        return Ok(());
    }
    let language = v.language.parse().unwrap_or(Language::Nb);
    let rendered = render(v.body, language).await?;
    keep(db, version_id, &v.content_hash, &rendered).await?;
    Ok(())
}

async fn keep(
    db: &impl ConnectionTrait,
    version_id: i32,
    content_hash: &str,
    rendered: &Rendered,
) -> Result<(), sea_orm::DbErr> {
    let row = version_html::ActiveModel {
        version_id: Set(version_id),
        content_hash: Set(content_hash.to_string()),
        renderer: Set(RENDERER),
        html: Set(rendered.html.clone()),
        sections: Set(serde_json::to_string(&rendered.sections).unwrap_or_else(|_| "[]".into())),
    };
    version_html::Entity::insert(row)
        .on_conflict(
            OnConflict::column(version_html::Column::VersionId)
                .update_columns([
                    version_html::Column::ContentHash,
                    version_html::Column::Renderer,
                    version_html::Column::Html,
                    version_html::Column::Sections,
                ])
                .to_owned(),
        )
        .exec(db)
        .await?;
    Ok(())
}
