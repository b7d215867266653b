//! Read endpoints for documents and versions. Drafts are visible only with a staff token.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::extract::{ApiJson, ApiPath, ApiQuery};
use crate::auth::MaybeCaller;
use crate::domain::Caller;
use crate::domain::{DocumentKind, DocumentStatus, Language};
use crate::error::{AppError, AppResult, Problem};
use crate::services::documents::{self, DocumentFilter, DocumentSummary, DocumentView, VersionFull, VersionInfo};
use crate::state::AppState;

/// Largest page of a list.
pub const MAX_LIMIT: u64 = 500;

/// Largest offset of a list.
pub const MAX_OFFSET: u64 = 1_000_000;

/// Filters and paging of the document list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    /// fact_sheet, guide, norm, template or other.
    pub kind: Option<String>,
    /// draft (staff only), published or withdrawn.
    pub status: Option<String>,
    /// Documents with a published version in this language.
    pub lang: Option<String>,
    pub external_id: Option<String>,
    pub number: Option<String>,
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

/// A page of documents.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentPage {
    pub total: u64,
    pub items: Vec<DocumentSummary>,
}

/// Parses an optional query value; empty counts as absent.
pub fn parse_opt<T: std::str::FromStr<Err = crate::domain::RuleError>>(v: &Option<String>) -> AppResult<Option<T>> {
    v.as_deref()
        .filter(|s| !s.is_empty())
        .map(str::parse)
        .transpose()
        .map_err(AppError::from)
}

/// Checks paging values.
pub fn paging(limit: Option<u64>, offset: Option<u64>) -> AppResult<(u64, u64)> {
    let limit = limit.unwrap_or(50);
    if limit == 0 || limit > MAX_LIMIT {
        return Err(AppError::BadRequest(format!("limit must be between 1 and {MAX_LIMIT}")));
    }
    let offset = offset.unwrap_or(0);
    // Offsets go to the database as signed 64-bit numbers; anything near that is nonsense.
    if offset > MAX_OFFSET {
        return Err(AppError::BadRequest(format!("offset must be at most {MAX_OFFSET}")));
    }
    Ok((limit, offset))
}

/// Lists documents.
#[utoipa::path(get, path = "/api/v1/documents", params(ListParams), tag = "documents",
    responses((status = 200, body = DocumentPage), (status = 400, body = Problem, content_type = "application/problem+json")))]
pub async fn list_documents(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    ApiQuery(p): ApiQuery<ListParams>,
) -> AppResult<ApiJson<DocumentPage>> {
    let (limit, offset) = paging(p.limit, p.offset)?;
    let drafts = Caller::sees_drafts(caller.as_ref());
    let status: Option<DocumentStatus> = parse_opt(&p.status)?;
    if status == Some(DocumentStatus::Draft) && !drafts {
        return Ok(ApiJson(DocumentPage {
            total: 0,
            items: Vec::new(),
        }));
    }
    let filter = DocumentFilter {
        kind: parse_opt::<DocumentKind>(&p.kind)?,
        status,
        language: parse_opt::<Language>(&p.lang)?,
        external_id: p.external_id,
        number: p.number,
        limit,
        offset,
    };
    let (total, items) = documents::list_documents(&state.db, &filter, drafts).await?;
    Ok(ApiJson(DocumentPage { total, items }))
}

/// Returns a document with its current version, translations and withdrawal.
#[utoipa::path(get, path = "/api/v1/documents/{id}", tag = "documents",
    params(("id" = i32, Path, description = "document id")),
    responses((status = 200, body = DocumentView), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn show_document(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<Response> {
    let drafts = Caller::sees_drafts(caller.as_ref());
    let doc = documents::find_visible(&state.db, id, drafts).await?;
    let view = documents::document_view(&state.db, &doc, drafts).await?;
    let withdrawn_on = view.withdrawal.as_ref().map(documents::WithdrawalView::certain_from);
    let mut links: Vec<String> = view
        .withdrawal
        .iter()
        .flat_map(|w| &w.successors)
        .filter_map(|s| crate::links::link(&format!("/api/v1/documents/{}", s.id), "successor-version"))
        .collect();
    links.extend(crate::links::link(
        &format!("/api/v1/documents/{id}/versions"),
        "version-history",
    ));
    let mut res = ([(header::ETAG, view.etag.clone())], ApiJson(view)).into_response();
    crate::links::apply(&mut res, withdrawn_on, &links);
    Ok(res)
}

/// Language filter of version endpoints.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct LangParam {
    /// nb, nn or en.
    pub lang: Option<String>,
}

/// The versions of a document.
#[derive(Debug, Serialize, ToSchema)]
pub struct VersionList {
    pub items: Vec<VersionInfo>,
}

/// Lists a document's versions, oldest first (all languages unless `lang`).
#[utoipa::path(get, path = "/api/v1/documents/{id}/versions", tag = "documents",
    params(("id" = i32, Path, description = "document id"), LangParam),
    responses((status = 200, body = VersionList), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn list_versions(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    ApiPath(id): ApiPath<i32>,
    ApiQuery(p): ApiQuery<LangParam>,
) -> AppResult<ApiJson<VersionList>> {
    let drafts = Caller::sees_drafts(caller.as_ref());
    let doc = documents::find_visible(&state.db, id, drafts).await?;
    let lang = parse_opt::<Language>(&p.lang)?;
    let items = documents::list_versions(&state.db, &doc, lang, drafts).await?;
    Ok(ApiJson(VersionList { items }))
}

/// Returns one version with its Markdown body; `draft` as label for staff.
#[utoipa::path(get, path = "/api/v1/documents/{id}/versions/{label}", tag = "documents",
    params(("id" = i32, Path, description = "document id"), ("label" = String, Path, description = "e.g. 1.0"), LangParam),
    responses((status = 200, body = VersionFull), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn show_version(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    ApiPath((id, label)): ApiPath<(i32, String)>,
    ApiQuery(p): ApiQuery<LangParam>,
) -> AppResult<ApiJson<VersionFull>> {
    let drafts = Caller::sees_drafts(caller.as_ref());
    let doc = documents::find_visible(&state.db, id, drafts).await?;
    let lang = parse_opt::<Language>(&p.lang)?;
    Ok(ApiJson(
        documents::get_version(&state.db, &doc, &label, lang, drafts).await?,
    ))
}
