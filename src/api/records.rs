//! Decisions, revision needs and the audit log.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::documents::paging;
use super::extract::{ApiJson, ApiPath, ApiQuery, if_match};
use crate::auth::{Admin, Editor, MaybeCaller, StaffCaller};
use crate::domain::Caller;
use crate::domain::RevisionState;
use crate::error::{AppError, AppResult, Problem};
use crate::services::audit::{self, AuditEntry};
use crate::services::corrections::{self, DecisionChange, NeedChange};
use crate::services::decisions::{self, DecisionView, NewDecision};
use crate::services::documents;
use crate::services::revision_needs::{self, MoveRevisionNeed, NewRevisionNeed, RevisionNeedView};
use crate::services::revision_sources::{self, NewSource, SourceView};
use crate::state::AppState;

/// A list of decisions.
#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionList {
    pub items: Vec<DecisionView>,
}

/// Lists the recorded steering-group decisions.
#[utoipa::path(get, path = "/api/v1/decisions", tag = "decisions", responses((status = 200, body = DecisionList)))]
pub async fn list_decisions(State(state): State<AppState>) -> AppResult<ApiJson<DecisionList>> {
    Ok(ApiJson(DecisionList {
        items: decisions::list(&state.db).await?,
    }))
}

/// Records a steering-group decision.
#[utoipa::path(post, path = "/api/v1/decisions", tag = "decisions", request_body = NewDecision, security(("token" = [])),
    responses((status = 201, body = DecisionView), (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn record_decision(
    State(state): State<AppState>,
    Editor(caller): Editor,
    ApiJson(input): ApiJson<NewDecision>,
) -> AppResult<(StatusCode, ApiJson<DecisionView>)> {
    Ok((
        StatusCode::CREATED,
        ApiJson(decisions::record(&state.db, &caller, input).await?),
    ))
}

/// A list of revision needs.
#[derive(Debug, Serialize, ToSchema)]
pub struct RevisionNeedList {
    pub items: Vec<RevisionNeedView>,
}

/// Lists a document's revision needs; the public sees the open ones marked public.
#[utoipa::path(get, path = "/api/v1/documents/{id}/revision-needs", tag = "revision needs",
    params(("id" = i32, Path, description = "document id")),
    responses((status = 200, body = RevisionNeedList), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn list_document_needs(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<ApiJson<RevisionNeedList>> {
    let staff = Caller::sees_drafts(caller.as_ref());
    documents::find_visible(&state.db, id, staff).await?;
    Ok(ApiJson(RevisionNeedList {
        items: revision_needs::list_for_document(&state.db, id, staff).await?,
    }))
}

/// Registers a revision need against a document.
#[utoipa::path(post, path = "/api/v1/documents/{id}/revision-needs", tag = "revision needs", request_body = NewRevisionNeed,
    params(("id" = i32, Path, description = "document id")), security(("token" = [])),
    responses((status = 201, body = RevisionNeedView), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn register_need(
    State(state): State<AppState>,
    Editor(caller): Editor,
    ApiPath(id): ApiPath<i32>,
    ApiJson(input): ApiJson<NewRevisionNeed>,
) -> AppResult<(StatusCode, ApiJson<RevisionNeedView>)> {
    let need = revision_needs::register(&state.db, &caller, id, input).await?;
    Ok((StatusCode::CREATED, ApiJson(need)))
}

/// Filter of the revision-need queue.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct NeedFilter {
    /// Only needs in this state.
    pub state: Option<String>,
}

/// Lists every revision need (staff).
#[utoipa::path(get, path = "/api/v1/revision-needs", tag = "revision needs", params(NeedFilter), security(("token" = [])),
    responses((status = 200, body = RevisionNeedList), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn list_needs(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    ApiQuery(f): ApiQuery<NeedFilter>,
) -> AppResult<ApiJson<RevisionNeedList>> {
    if caller.is_none() {
        return Err(AppError::Unauthorized(
            "the revision-need queue needs a staff token".into(),
        ));
    }
    let filter = f.state.as_deref().map(str::parse::<RevisionState>).transpose()?;
    Ok(ApiJson(RevisionNeedList {
        items: revision_needs::list_all(&state.db, filter).await?,
    }))
}

/// Moves a revision need to another state.
#[utoipa::path(post, path = "/api/v1/revision-needs/{id}/state", tag = "revision needs", request_body = MoveRevisionNeed,
    params(("id" = i32, Path, description = "revision need id")), security(("token" = [])),
    responses((status = 200, body = RevisionNeedView), (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn move_need(
    State(state): State<AppState>,
    Editor(caller): Editor,
    ApiPath(id): ApiPath<i32>,
    ApiJson(input): ApiJson<MoveRevisionNeed>,
) -> AppResult<ApiJson<RevisionNeedView>> {
    Ok(ApiJson(
        revision_needs::move_state(&state.db, &caller, id, input).await?,
    ))
}

/// Paging of the audit log.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditParams {
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

/// A page of the audit log.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    pub total: u64,
    pub items: Vec<AuditEntry>,
}

/// Reads the audit log, newest first (admins).
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditParams), security(("token" = [])),
    responses((status = 200, body = AuditPage), (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn list_audit(
    State(state): State<AppState>,
    Admin(_): Admin,
    ApiQuery(p): ApiQuery<AuditParams>,
) -> AppResult<ApiJson<AuditPage>> {
    let (limit, offset) = paging(p.limit, p.offset)?;
    let (total, items) = audit::list(&state.db, limit, offset).await?;
    Ok(ApiJson(AuditPage { total, items }))
}

fn with_etag<T: Serialize>(etag: &str, body: T) -> axum::response::Response {
    use axum::response::IntoResponse;
    ([(axum::http::header::ETAG, etag.to_string())], ApiJson(body)).into_response()
}

/// Corrects a decision's title or outcome text (`If-Match` with its ETag).
#[utoipa::path(patch, path = "/api/v1/decisions/{id}", tag = "decisions", request_body = DecisionChange,
    params(("id" = i32, Path, description = "decision id")), security(("token" = [])),
    responses((status = 200, body = DecisionView), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn change_decision(
    State(state): State<AppState>,
    Editor(caller): Editor,
    ApiPath(id): ApiPath<i32>,
    headers: axum::http::HeaderMap,
    ApiJson(input): ApiJson<DecisionChange>,
) -> AppResult<axum::response::Response> {
    let d = corrections::change_decision(&state.db, &caller, id, if_match(&headers)?.as_deref(), input).await?;
    Ok(with_etag(&d.etag.clone(), d))
}

/// One revision need (staff), with its ETag.
#[utoipa::path(get, path = "/api/v1/revision-needs/{id}", tag = "revision needs",
    params(("id" = i32, Path, description = "revision need id")), security(("token" = [])),
    responses((status = 200, body = RevisionNeedView), (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn show_need(
    State(state): State<AppState>,
    StaffCaller(_): StaffCaller,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<axum::response::Response> {
    let n = revision_needs::get(&state.db, id).await?;
    Ok(with_etag(&n.etag.clone(), n))
}

/// Corrects an open revision need: text, section, priority, origin facts, public flag, or the
/// half-year it is planned for (`If-Match` with its ETag).
#[utoipa::path(patch, path = "/api/v1/revision-needs/{id}", tag = "revision needs", request_body = NeedChange,
    params(("id" = i32, Path, description = "revision need id")), security(("token" = [])),
    responses((status = 200, body = RevisionNeedView), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn change_need(
    State(state): State<AppState>,
    Editor(caller): Editor,
    ApiPath(id): ApiPath<i32>,
    headers: axum::http::HeaderMap,
    ApiJson(input): ApiJson<NeedChange>,
) -> AppResult<axum::response::Response> {
    let n = corrections::change_need(&state.db, &caller, id, if_match(&headers)?.as_deref(), input).await?;
    Ok(with_etag(&n.etag.clone(), n))
}

/// The recorded law changes and outside reports.
#[derive(Debug, Serialize, ToSchema)]
pub struct SourceList {
    pub items: Vec<SourceView>,
}

/// Records a law change or outside report once and opens a revision need on each document it
/// affects, in one step (all or nothing).
#[utoipa::path(post, path = "/api/v1/revision-sources", tag = "revision needs", request_body = NewSource,
    security(("token" = [])),
    responses((status = 201, body = SourceView), (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn record_source(
    State(state): State<AppState>,
    Editor(caller): Editor,
    ApiJson(input): ApiJson<NewSource>,
) -> AppResult<(StatusCode, ApiJson<SourceView>)> {
    Ok((
        StatusCode::CREATED,
        ApiJson(revision_sources::record(&state.db, &caller, input).await?),
    ))
}

/// Lists the recorded sources, newest first, each with its revision needs (staff).
#[utoipa::path(get, path = "/api/v1/revision-sources", tag = "revision needs", security(("token" = [])),
    responses((status = 200, body = SourceList), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn list_sources(
    State(state): State<AppState>,
    StaffCaller(_): StaffCaller,
) -> AppResult<ApiJson<SourceList>> {
    Ok(ApiJson(SourceList {
        items: revision_sources::list(&state.db).await?,
    }))
}

/// One source with its revision needs (staff).
#[utoipa::path(get, path = "/api/v1/revision-sources/{id}", tag = "revision needs",
    params(("id" = i32, Path, description = "source id")), security(("token" = [])),
    responses((status = 200, body = SourceView), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn show_source(
    State(state): State<AppState>,
    StaffCaller(_): StaffCaller,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<ApiJson<SourceView>> {
    Ok(ApiJson(revision_sources::get(&state.db, id).await?))
}
