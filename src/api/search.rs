//! `GET /api/v1/search`: full-text search over the published (and, on request, withdrawn)
//! registry.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::extract::{ApiJson, ApiQuery};
use crate::error::{AppResult, Problem};
use crate::services::search_params::{self, RawSearchParams};
use crate::state::AppState;

/// Search parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SearchParams {
    /// Words, "phrases", prefix*, or a number such as "faktaark 37".
    #[serde(default)]
    pub q: String,
    pub kind: Option<String>,
    pub lang: Option<String>,
    /// published or withdrawn.
    pub status: Option<String>,
    pub normen_version: Option<String>,
    /// Show withdrawn documents too (they are hidden but counted by default).
    #[serde(default)]
    pub include_withdrawn: bool,
    /// 1 to 100 (default 20).
    pub limit: Option<usize>,
    pub offset: Option<usize>,
    /// relevance (default) or date.
    pub sort: Option<String>,
}

/// One facet value and how many hits have it.
#[derive(Debug, Serialize, ToSchema)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

/// Facet counts over the shown result set.
#[derive(Debug, Serialize, ToSchema)]
pub struct FacetsJson {
    pub kind: Vec<FacetCount>,
    pub language: Vec<FacetCount>,
    pub status: Vec<FacetCount>,
}

/// A successor of a withdrawn hit.
#[derive(Debug, Serialize, ToSchema)]
pub struct SuccessorJson {
    pub document_id: i64,
    pub title: String,
    pub url: String,
}

/// One hit: a document in one language.
#[derive(Debug, Serialize, ToSchema)]
pub struct HitJson {
    pub document_id: i64,
    pub external_id: Option<String>,
    pub title: String,
    pub number: Option<String>,
    pub kind: String,
    pub language: String,
    pub status: String,
    /// The label of the version found.
    pub version: String,
    /// The matching passage as HTML: matched words in `<mark>`, everything else escaped.
    pub snippet: String,
    pub url: String,
    pub published_on: Option<chrono::NaiveDate>,
    pub withdrawn_on: Option<chrono::NaiveDate>,
    pub successors: Vec<SuccessorJson>,
}

/// A withdrawn document a search matched when it matched nothing else.
#[derive(Debug, Serialize, ToSchema)]
pub struct WithdrawnMatchJson {
    pub document_id: i64,
    pub title: String,
    pub number: Option<String>,
    pub kind: String,
    pub language: String,
    pub url: String,
    pub withdrawn_on: Option<chrono::NaiveDate>,
    /// What replaces it (published documents only).
    pub successors: Vec<SuccessorJson>,
}

/// Search results.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchJson {
    pub total: usize,
    /// Withdrawn documents that matched but are not shown ("N utgåtte treff").
    pub withdrawn_hidden: usize,
    pub facets: FacetsJson,
    pub hits: Vec<HitJson>,
    /// When the search shows nothing because all it matched is withdrawn: the best of those
    /// (at most 3) with their successors ("Faktaark 07 er utgått; se …"). Empty otherwise.
    pub withdrawn_only: Vec<WithdrawnMatchJson>,
    /// When the search matched nothing at all: the query with its unknown words replaced by
    /// spellings the registry's published material uses ("Mente du …"). Null otherwise.
    pub suggestion: Option<String>,
}

fn successors(list: Vec<index::SuccessorRef>) -> Vec<SuccessorJson> {
    list.into_iter()
        .map(|s| SuccessorJson {
            document_id: s.document_id,
            title: s.title,
            url: s.url,
        })
        .collect()
}

/// Turns query parameters into an index request; the checks are the search page's too.
pub fn search_request(p: SearchParams) -> AppResult<index::SearchRequest> {
    Ok(search_params::parse(RawSearchParams {
        q: p.q,
        kind: p.kind,
        language: p.lang,
        status: p.status,
        normen_version: p.normen_version,
        include_withdrawn: p.include_withdrawn,
        limit: p.limit,
        offset: p.offset,
        sort: p.sort,
    })?)
}

fn facet(v: Vec<(String, u64)>) -> Vec<FacetCount> {
    v.into_iter()
        .map(|(value, count)| FacetCount { value, count })
        .collect()
}

/// Searches the registry.
#[utoipa::path(get, path = "/api/v1/search", tag = "search", params(SearchParams),
    responses((status = 200, body = SearchJson), (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn search_documents(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<SearchParams>,
) -> AppResult<ApiJson<SearchJson>> {
    let req = search_request(p)?;
    let res = state.index().search(req).await?;
    Ok(ApiJson(SearchJson {
        withdrawn_only: res
            .withdrawn_only
            .into_iter()
            .map(|h| WithdrawnMatchJson {
                document_id: h.document_id,
                title: h.title,
                number: h.number,
                kind: h.kind,
                language: h.language,
                url: h.url,
                withdrawn_on: h.withdrawn_on,
                successors: successors(h.successors),
            })
            .collect(),
        suggestion: res.suggestion,
        total: res.total,
        withdrawn_hidden: res.withdrawn_hidden,
        facets: FacetsJson {
            kind: facet(res.facets.kind),
            language: facet(res.facets.language),
            status: facet(res.facets.status),
        },
        hits: res
            .hits
            .into_iter()
            .map(|h| HitJson {
                document_id: h.document_id,
                external_id: h.external_id,
                title: h.title,
                number: h.number,
                kind: h.kind,
                language: h.language,
                status: h.status,
                version: h.version_label,
                snippet: h.snippet_html,
                url: h.url,
                published_on: h.published_on,
                withdrawn_on: h.withdrawn_on,
                successors: successors(h.successors),
            })
            .collect(),
    }))
}
