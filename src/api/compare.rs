//! Comparison endpoints: two versions, a translation's source against the current source, and a
//! withdrawn document against its successor. `format=diff` downloads a unified diff.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::IntoParams;

use super::documents::parse_opt;
use super::extract::{ApiJson, ApiPath, ApiQuery};
use crate::auth::MaybeCaller;
use crate::diff::CompareOptions;
use crate::domain::Caller;
use crate::domain::Language;
use crate::error::{AppError, AppResult, Problem};
use crate::services::comparisons::{self, Pair};
use crate::services::documents::{self, VersionPick};
use crate::state::AppState;

/// Options shared by every comparison.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DiffOptions {
    /// Treat whitespace-only changes as no change (default true).
    pub ignore_whitespace: Option<bool>,
    /// Treat punctuation and markup changes as no change (default false).
    pub ignore_punctuation: Option<bool>,
    /// Treat case changes as no change (default false).
    pub ignore_case: Option<bool>,
    /// `json` (default) or `diff` for a unified diff download.
    pub format: Option<String>,
}

impl DiffOptions {
    fn options(&self) -> CompareOptions {
        let d = CompareOptions::default();
        CompareOptions {
            ignore_whitespace: self.ignore_whitespace.unwrap_or(d.ignore_whitespace),
            ignore_punctuation: self.ignore_punctuation.unwrap_or(d.ignore_punctuation),
            ignore_case: self.ignore_case.unwrap_or(d.ignore_case),
            deadline: d.deadline,
        }
    }
}

async fn answer(pair: Pair, opts: &DiffOptions) -> AppResult<Response> {
    match opts.format.as_deref() {
        None | Some("" | "json") => Ok(ApiJson(comparisons::run(pair, opts.options()).await?).into_response()),
        Some("diff") => {
            let name = format!(
                "dokument-{}-{}-{}.diff",
                pair.from.0.document_id, pair.from.0.label, pair.to.0.label
            );
            let text = comparisons::unified(pair).await?;
            Ok((
                [
                    (header::CONTENT_TYPE, "text/x-diff; charset=utf-8".to_string()),
                    (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
                ],
                text,
            )
                .into_response())
        }
        Some(other) => Err(AppError::BadRequest(format!("format {other:?} must be json or diff"))),
    }
}

/// Which versions to compare.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VersionsParams {
    /// The older label (either order works); staff may name `draft`.
    pub from: String,
    pub to: String,
    /// Language of both versions; defaults to the document's.
    pub lang: Option<String>,
}

/// Compares two versions of a document in one language, section by section and word by word.
#[utoipa::path(get, path = "/api/v1/documents/{id}/diff", tag = "compare",
    params(("id" = i32, Path, description = "document id"), VersionsParams, DiffOptions),
    responses((status = 200, description = "from, to, summary, sections with ops (equal/insert/delete), granularity, degraded", body = Object),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn diff_versions(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    ApiPath(id): ApiPath<i32>,
    ApiQuery(which): ApiQuery<VersionsParams>,
    ApiQuery(opts): ApiQuery<DiffOptions>,
) -> AppResult<Response> {
    let drafts = Caller::sees_drafts(caller.as_ref());
    let doc = documents::find_visible(&state.db, id, drafts).await?;
    let lang = parse_opt::<Language>(&which.lang)?;
    let pick = |label: &str| {
        VersionPick::parse(label).ok_or_else(|| AppError::not_found(format!("version {label:?} of document {id}")))
    };
    let pair = comparisons::version_pair(&state.db, &doc, pick(&which.from)?, pick(&which.to)?, lang, drafts).await?;
    answer(pair, &opts).await
}

/// Shows what changed in the source since a translation was made: the source version the
/// translation records against the newest source version.
#[utoipa::path(get, path = "/api/v1/documents/{id}/translations/{lang}/source-diff", tag = "compare",
    params(("id" = i32, Path, description = "document id"), ("lang" = String, Path, description = "language of the translation"), DiffOptions),
    responses((status = 200, description = "as /diff", body = Object),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn diff_translation_source(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    ApiPath((id, lang)): ApiPath<(i32, String)>,
    ApiQuery(opts): ApiQuery<DiffOptions>,
) -> AppResult<Response> {
    let doc = documents::find_visible(&state.db, id, Caller::sees_drafts(caller.as_ref())).await?;
    let lang: Language = lang.parse()?;
    let pair = comparisons::translation_source_pair(&state.db, &doc, lang).await?;
    answer(pair, &opts).await
}

/// Which successor to compare with.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SuccessorParam {
    /// A successor's document id; the first successor by default.
    pub successor: Option<i32>,
}

/// Compares a withdrawn document's last version with the first version of its successor.
#[utoipa::path(get, path = "/api/v1/documents/{id}/successor-diff", tag = "compare",
    params(("id" = i32, Path, description = "withdrawn document id"), SuccessorParam, DiffOptions),
    responses((status = 200, description = "as /diff", body = Object),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json")))]
pub async fn diff_successor(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    ApiPath(id): ApiPath<i32>,
    ApiQuery(which): ApiQuery<SuccessorParam>,
    ApiQuery(opts): ApiQuery<DiffOptions>,
) -> AppResult<Response> {
    let drafts = Caller::sees_drafts(caller.as_ref());
    let doc = documents::find_visible(&state.db, id, drafts).await?;
    let pair = comparisons::successor_pair(&state.db, &doc, which.successor, drafts).await?;
    answer(pair, &opts).await
}
