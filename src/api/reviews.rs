//! The review cycle: recording a review of a document, a document's reviews, and the documents
//! due for review.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::documents::{paging, parse_opt};
use super::extract::{ApiJson, ApiPath, ApiQuery, if_match};
use crate::auth::StaffCaller;
use crate::domain::DocumentKind;
use crate::error::{AppError, AppResult, Problem};
use crate::services::alignment::{self, AlignmentReport};
use crate::services::documents;
use crate::services::reviews::{self, DueItem, DueOrder, NewReview, ReviewView};
use crate::state::AppState;

/// Records a review of a published document (any staff role). `update` and `revise` open a
/// revision need; `withdraw` opens one proposing the withdrawal.
#[utoipa::path(post, path = "/api/v1/documents/{id}/reviews", tag = "reviews", request_body = NewReview,
    params(("id" = i32, Path, description = "document id")), security(("token" = [])),
    responses((status = 201, body = ReviewView), (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn record_review(
    State(state): State<AppState>,
    StaffCaller(caller): StaffCaller,
    ApiPath(id): ApiPath<i32>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<NewReview>,
) -> AppResult<(StatusCode, ApiJson<ReviewView>)> {
    let review = reviews::record(&state.db, &caller, id, if_match(&headers)?.as_deref(), input).await?;
    Ok((StatusCode::CREATED, ApiJson(review)))
}

/// A document's reviews.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewList {
    pub items: Vec<ReviewView>,
}

/// Lists a document's reviews, newest first (staff: notes are working notes).
#[utoipa::path(get, path = "/api/v1/documents/{id}/reviews", tag = "reviews",
    params(("id" = i32, Path, description = "document id")), security(("token" = [])),
    responses((status = 200, body = ReviewList), (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn list_reviews(
    State(state): State<AppState>,
    StaffCaller(_): StaffCaller,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<ApiJson<ReviewList>> {
    documents::find_visible(&state.db, id, true).await?;
    Ok(ApiJson(ReviewList {
        items: reviews::list_for_document(&state.db, id).await?,
    }))
}

/// Lists which published fact sheets and guides follow the current Normen version, with counts
/// per kind.
#[utoipa::path(get, path = "/api/v1/normen-alignment", tag = "reviews",
    responses((status = 200, body = AlignmentReport)))]
pub async fn normen_alignment(State(state): State<AppState>) -> AppResult<ApiJson<AlignmentReport>> {
    Ok(ApiJson(alignment::report(&state.db).await?))
}

/// Which documents to list as due.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DueParams {
    /// Documents whose next review falls before this date (YYYY-MM-DD).
    pub before: NaiveDate,
    /// Only one kind: fact_sheet, guide, norm, template or other.
    pub kind: Option<String>,
    /// `next_review` (default: the most overdue first) or `title`.
    pub sort: Option<String>,
    /// 1 to 100 (default 50).
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

/// Documents due for review.
#[derive(Debug, Serialize, ToSchema)]
pub struct DueList {
    pub total: usize,
    pub items: Vec<DueItem>,
}

/// Lists the published documents due for review before a date.
#[utoipa::path(get, path = "/api/v1/reviews/due", tag = "reviews", params(DueParams),
    responses((status = 200, body = DueList), (status = 400, body = Problem, content_type = "application/problem+json")))]
pub async fn due_reviews(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<DueParams>,
) -> AppResult<ApiJson<DueList>> {
    let kind: Option<DocumentKind> = parse_opt(&p.kind)?;
    let order = match p.sort.as_deref() {
        None | Some("" | "next_review") => DueOrder::NextReview,
        Some("title") => DueOrder::Title,
        Some(_) => {
            return Err(AppError::BadRequest("sort must be next_review or title".into()));
        }
    };
    let (limit, offset) = paging(p.limit, p.offset)?;
    let (total, items) = reviews::due(
        &state.db,
        p.before,
        kind,
        order,
        usize::try_from(limit).unwrap_or(usize::MAX),
        usize::try_from(offset).unwrap_or(usize::MAX),
    )
    .await?;
    Ok(ApiJson(DueList { total, items }))
}
