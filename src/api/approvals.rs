//! Approval before publishing: submit a draft, approve it or send it back, comment on its
//! sections, list what waits, and which kinds need approval.

use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use super::extract::{ApiJson, ApiPath, if_match};
use crate::auth::{Admin, Editor, StaffCaller};
use crate::domain::Language;
use crate::error::{AppResult, Problem};
use crate::services::approvals::{self, ApprovalRules, ApprovalView, NewComment, Submission, Verdict, WaitingItem};
use crate::state::AppState;

/// Most drafts the waiting list returns.
const WAITING_LIMIT: u64 = 200;

fn answer(view: ApprovalView) -> Response {
    ([(header::ETAG, view.etag.clone())], ApiJson(view)).into_response()
}

/// Where a language's draft stands on its way to publication, with its comments (staff).
#[utoipa::path(get, path = "/api/v1/documents/{id}/drafts/{lang}/approval", tag = "approval",
    params(("id" = i32, Path, description = "document id"), ("lang" = String, Path, description = "nb, nn or en")),
    security(("token" = [])),
    responses((status = 200, body = ApprovalView), (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn show_approval(
    State(state): State<AppState>,
    StaffCaller(_): StaffCaller,
    ApiPath((id, lang)): ApiPath<(i32, String)>,
) -> AppResult<Response> {
    let lang: Language = lang.parse()?;
    Ok(answer(approvals::status(&state.db, id, lang).await?))
}

/// Submits a language's draft for approval (editors and admins).
#[utoipa::path(post, path = "/api/v1/documents/{id}/drafts/{lang}/submit", tag = "approval", request_body = Submission,
    params(("id" = i32, Path, description = "document id"), ("lang" = String, Path, description = "nb, nn or en")),
    security(("token" = [])),
    responses((status = 200, body = ApprovalView), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn submit(
    State(state): State<AppState>,
    Editor(caller): Editor,
    ApiPath((id, lang)): ApiPath<(i32, String)>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<Submission>,
) -> AppResult<Response> {
    let lang: Language = lang.parse()?;
    let view = approvals::submit(&state.db, &caller, id, lang, if_match(&headers)?.as_deref(), input).await?;
    Ok(answer(view))
}

/// Approves a waiting draft: an editor or admin other than its author (403 for the author;
/// 409 when the draft changed after it was submitted).
#[utoipa::path(post, path = "/api/v1/documents/{id}/drafts/{lang}/approve", tag = "approval", request_body = Verdict,
    params(("id" = i32, Path, description = "document id"), ("lang" = String, Path, description = "nb, nn or en")),
    security(("token" = [])),
    responses((status = 200, body = ApprovalView), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json")))]
pub async fn approve(
    State(state): State<AppState>,
    Editor(caller): Editor,
    ApiPath((id, lang)): ApiPath<(i32, String)>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<Verdict>,
) -> AppResult<Response> {
    let lang: Language = lang.parse()?;
    let view = approvals::decide(
        &state.db,
        &caller,
        id,
        lang,
        if_match(&headers)?.as_deref(),
        input,
        true,
    )
    .await?;
    Ok(answer(view))
}

/// Sends a waiting draft back to its author with a comment (someone other than its author).
#[utoipa::path(post, path = "/api/v1/documents/{id}/drafts/{lang}/return", tag = "approval", request_body = Verdict,
    params(("id" = i32, Path, description = "document id"), ("lang" = String, Path, description = "nb, nn or en")),
    security(("token" = [])),
    responses((status = 200, body = ApprovalView), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn send_back(
    State(state): State<AppState>,
    Editor(caller): Editor,
    ApiPath((id, lang)): ApiPath<(i32, String)>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<Verdict>,
) -> AppResult<Response> {
    let lang: Language = lang.parse()?;
    let view = approvals::decide(
        &state.db,
        &caller,
        id,
        lang,
        if_match(&headers)?.as_deref(),
        input,
        false,
    )
    .await?;
    Ok(answer(view))
}

/// Comments on a draft, against one of its headings or the whole (any staff role).
#[utoipa::path(post, path = "/api/v1/documents/{id}/drafts/{lang}/comments", tag = "approval", request_body = NewComment,
    params(("id" = i32, Path, description = "document id"), ("lang" = String, Path, description = "nb, nn or en")),
    security(("token" = [])),
    responses((status = 200, body = ApprovalView), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn add_comment(
    State(state): State<AppState>,
    StaffCaller(caller): StaffCaller,
    ApiPath((id, lang)): ApiPath<(i32, String)>,
    ApiJson(input): ApiJson<NewComment>,
) -> AppResult<Response> {
    let lang: Language = lang.parse()?;
    Ok(answer(approvals::comment(&state.db, &caller, id, lang, input).await?))
}

/// Drafts waiting for approval.
#[derive(Debug, Serialize, ToSchema)]
pub struct WaitingList {
    pub total: usize,
    pub items: Vec<WaitingItem>,
}

/// Lists the drafts waiting for approval as they stand, oldest submission first (staff).
#[utoipa::path(get, path = "/api/v1/approvals", tag = "approval", security(("token" = [])),
    responses((status = 200, body = WaitingList), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn waiting(State(state): State<AppState>, StaffCaller(_): StaffCaller) -> AppResult<ApiJson<WaitingList>> {
    let items = approvals::waiting(&state.db, WAITING_LIMIT).await?;
    Ok(ApiJson(WaitingList {
        total: items.len(),
        items,
    }))
}

/// Which kinds of document need approval before publishing (staff).
#[utoipa::path(get, path = "/api/v1/approval-rules", tag = "approval", security(("token" = [])),
    responses((status = 200, body = ApprovalRules), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn show_rules(
    State(state): State<AppState>,
    StaffCaller(_): StaffCaller,
) -> AppResult<ApiJson<ApprovalRules>> {
    Ok(ApiJson(approvals::rules(&state.db).await?))
}

/// Sets which kinds need approval before publishing (admins).
#[utoipa::path(put, path = "/api/v1/approval-rules", tag = "approval", request_body = ApprovalRules,
    security(("token" = [])),
    responses((status = 200, body = ApprovalRules), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn set_rules(
    State(state): State<AppState>,
    Admin(caller): Admin,
    ApiJson(input): ApiJson<ApprovalRules>,
) -> AppResult<ApiJson<ApprovalRules>> {
    Ok(ApiJson(approvals::set_rules(&state.db, &caller.name, &input).await?))
}
