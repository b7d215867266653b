//! Read endpoints for documents and versions. Drafts are visible only with a staff token.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::extract::{ApiJson, ApiPath, ApiQuery};
use crate::auth::MaybeCaller;
use chrono::NaiveDate;

use crate::domain::Caller;
use crate::domain::as_of as as_of_rule;
use crate::domain::{DocumentKind, DocumentStatus, Language};
use crate::error::{AppError, AppResult, Problem};
use crate::services::as_of::{self, DocumentAsOf};
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
    /// YYYY-MM-DD: the registry as it stood on that date (the documents published by then,
    /// each with its status and the version in force that day; `status` and `lang` filter as of
    /// that date too). A version published or a withdrawal made on the date counts.
    pub as_of: Option<String>,
}

/// A page of documents.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentPage {
    pub total: u64,
    pub items: Vec<DocumentSummary>,
    /// The date asked for with `as_of`; the items stand as they did then.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of: Option<NaiveDate>,
}

/// `?as_of=` on a single document.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AsOfParam {
    /// YYYY-MM-DD: the document as it stood on that date.
    pub as_of: Option<String>,
}

/// Reads an optional `as_of` date; empty counts as absent, a malformed or impossible date is
/// a 422.
pub fn parse_as_of(v: Option<&str>) -> AppResult<Option<NaiveDate>> {
    v.filter(|s| !s.is_empty())
        .map(|s| as_of_rule::parse_as_of("as_of", s))
        .transpose()
        .map_err(AppError::from)
}

/// A document now, or as it stood on the date asked for with `as_of`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum DocumentResponse {
    Current(Box<DocumentView>),
    AsOf(Box<DocumentAsOf>),
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

/// Lists documents, now or as of a date.
#[utoipa::path(get, path = "/api/v1/documents", params(ListParams), tag = "documents",
    responses((status = 200, body = DocumentPage), (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn list_documents(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    ApiQuery(p): ApiQuery<ListParams>,
) -> AppResult<ApiJson<DocumentPage>> {
    let (limit, offset) = paging(p.limit, p.offset)?;
    let as_of = parse_as_of(p.as_of.as_deref())?;
    let drafts = Caller::sees_drafts(caller.as_ref());
    let status: Option<DocumentStatus> = parse_opt(&p.status)?;
    if status == Some(DocumentStatus::Draft) && !drafts {
        return Ok(ApiJson(DocumentPage {
            total: 0,
            items: Vec::new(),
            as_of,
        }));
    }
    let filter = DocumentFilter {
        kind: parse_opt::<DocumentKind>(&p.kind)?,
        status,
        language: parse_opt::<Language>(&p.lang)?,
        external_id: p.external_id,
        number: p.number,
        order: documents::ListOrder::Created,
        limit,
        offset,
    };
    let (total, items) = match as_of {
        Some(on) => as_of::list_as_of(&state.db, &filter, on).await?,
        None => documents::list_documents(&state.db, &filter, drafts).await?,
    };
    Ok(ApiJson(DocumentPage { total, items, as_of }))
}

/// Returns a document with its current version, translations and withdrawal; with `as_of`,
/// its status and versions in force on that date (404 if it was not published yet then).
#[utoipa::path(get, path = "/api/v1/documents/{id}", tag = "documents",
    params(("id" = i32, Path, description = "document id"), AsOfParam),
    responses((status = 200, body = DocumentResponse), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn show_document(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    ApiPath(id): ApiPath<i32>,
    ApiQuery(p): ApiQuery<AsOfParam>,
) -> AppResult<Response> {
    let drafts = Caller::sees_drafts(caller.as_ref());
    if let Some(on) = parse_as_of(p.as_of.as_deref())? {
        // A historical view is the public's: a document never published was not in force.
        let doc = documents::find_visible(&state.db, id, false).await?;
        return Ok(ApiJson(as_of::document_as_of(&state.db, &doc, on).await?).into_response());
    }
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
