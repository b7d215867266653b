//! Write endpoints for editors: every one needs an editor's token, takes `If-Match`, and answers
//! with the document's new state and ETag.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::extract::{ApiJson, ApiPath, if_match};
use crate::auth::Editor;
use crate::domain::Language;
use crate::error::{AppResult, Problem};
use crate::services::documents::{self, DocumentView};
use crate::services::editing::{
    self, DocumentChange, DraftUpdate, NewDocument, NewDraft, NewRelation, NewTranslation, Publish, Reinstate,
    Withdraw, WriteOutcome,
};
use crate::state::AppState;

/// Answers a write with the document as staff now see it, its ETag, and (for creation) its
/// location. The use case has already brought the search index up to date.
async fn written(state: &AppState, outcome: WriteOutcome, status: StatusCode) -> AppResult<Response> {
    let view = documents::staff_view(&state.db, outcome.document_id).await?;
    let mut res = (status, [(header::ETAG, view.etag.clone())], ApiJson(view)).into_response();
    if status == StatusCode::CREATED
        && let Ok(loc) = format!("/api/v1/documents/{}", outcome.document_id).parse()
    {
        res.headers_mut().insert(header::LOCATION, loc);
    }
    Ok(res)
}

/// Creates a document with its first draft.
#[utoipa::path(post, path = "/api/v1/documents", tag = "editing", request_body = NewDocument,
    security(("token" = [])),
    responses((status = 201, body = DocumentView), (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create_document(
    State(state): State<AppState>,
    Editor(caller): Editor,
    ApiJson(input): ApiJson<NewDocument>,
) -> AppResult<Response> {
    let outcome = editing::create_document(state.store(), &caller, input).await?;
    written(&state, outcome, StatusCode::CREATED).await
}

/// Corrects a document's number, slug, Normen version or review interval; a moved address
/// keeps answering with 301 to the new one.
#[utoipa::path(patch, path = "/api/v1/documents/{id}", tag = "editing", request_body = DocumentChange,
    params(("id" = i32, Path, description = "document id")), security(("token" = [])),
    responses((status = 200, body = DocumentView), (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn change_document(
    State(state): State<AppState>,
    Editor(caller): Editor,
    ApiPath(id): ApiPath<i32>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<DocumentChange>,
) -> AppResult<Response> {
    let outcome = editing::change_document(state.store(), &caller, id, if_match(&headers)?.as_deref(), input).await?;
    written(&state, outcome, StatusCode::OK).await
}

/// Opens a new draft in the primary language.
#[utoipa::path(post, path = "/api/v1/documents/{id}/drafts", tag = "editing", request_body = NewDraft,
    params(("id" = i32, Path, description = "document id")), security(("token" = [])),
    responses((status = 201, body = DocumentView), (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn add_draft(
    State(state): State<AppState>,
    Editor(caller): Editor,
    ApiPath(id): ApiPath<i32>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<NewDraft>,
) -> AppResult<Response> {
    let outcome = editing::add_draft(state.store(), &caller, id, if_match(&headers)?.as_deref(), input).await?;
    written(&state, outcome, StatusCode::CREATED).await
}

/// Edits the open draft of a language.
#[utoipa::path(put, path = "/api/v1/documents/{id}/drafts/{lang}", tag = "editing", request_body = DraftUpdate,
    params(("id" = i32, Path, description = "document id"), ("lang" = String, Path, description = "nb, nn or en")),
    security(("token" = [])),
    responses((status = 200, body = DocumentView), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json")))]
pub async fn update_draft(
    State(state): State<AppState>,
    Editor(caller): Editor,
    ApiPath((id, lang)): ApiPath<(i32, String)>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<DraftUpdate>,
) -> AppResult<Response> {
    let lang: Language = lang.parse()?;
    let outcome =
        editing::update_draft(state.store(), &caller, id, lang, if_match(&headers)?.as_deref(), input).await?;
    written(&state, outcome, StatusCode::OK).await
}

/// Discards the open draft of a language.
#[utoipa::path(delete, path = "/api/v1/documents/{id}/drafts/{lang}", tag = "editing",
    params(("id" = i32, Path, description = "document id"), ("lang" = String, Path, description = "nb, nn or en")),
    security(("token" = [])),
    responses((status = 200, body = DocumentView), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn discard_draft(
    State(state): State<AppState>,
    Editor(caller): Editor,
    ApiPath((id, lang)): ApiPath<(i32, String)>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let lang: Language = lang.parse()?;
    let outcome = editing::discard_draft(state.store(), &caller, id, lang, if_match(&headers)?.as_deref()).await?;
    written(&state, outcome, StatusCode::OK).await
}

/// Publishes the open draft of a language.
#[utoipa::path(post, path = "/api/v1/documents/{id}/publish", tag = "editing", request_body = Publish,
    params(("id" = i32, Path, description = "document id")), security(("token" = [])),
    responses((status = 200, body = DocumentView), (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn publish(
    State(state): State<AppState>,
    Editor(caller): Editor,
    ApiPath(id): ApiPath<i32>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<Publish>,
) -> AppResult<Response> {
    let outcome = editing::publish(state.store(), &caller, id, if_match(&headers)?.as_deref(), input).await?;
    written(&state, outcome, StatusCode::OK).await
}

/// Creates a translation draft of a published source version.
#[utoipa::path(post, path = "/api/v1/documents/{id}/translations", tag = "editing", request_body = NewTranslation,
    params(("id" = i32, Path, description = "document id")), security(("token" = [])),
    responses((status = 201, body = DocumentView), (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn add_translation(
    State(state): State<AppState>,
    Editor(caller): Editor,
    ApiPath(id): ApiPath<i32>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<NewTranslation>,
) -> AppResult<Response> {
    let outcome = editing::add_translation(state.store(), &caller, id, if_match(&headers)?.as_deref(), input).await?;
    written(&state, outcome, StatusCode::CREATED).await
}

/// Withdraws a document ("utgått"): it stays readable, bannered, with its successors.
#[utoipa::path(post, path = "/api/v1/documents/{id}/withdraw", tag = "editing", request_body = Withdraw,
    params(("id" = i32, Path, description = "document id")), security(("token" = [])),
    responses((status = 200, body = DocumentView), (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn withdraw(
    State(state): State<AppState>,
    Editor(caller): Editor,
    ApiPath(id): ApiPath<i32>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<Withdraw>,
) -> AppResult<Response> {
    let outcome = editing::withdraw(state.store(), &caller, id, if_match(&headers)?.as_deref(), input).await?;
    written(&state, outcome, StatusCode::OK).await
}

/// Reinstates a withdrawn document.
#[utoipa::path(post, path = "/api/v1/documents/{id}/reinstate", tag = "editing", request_body = Reinstate,
    params(("id" = i32, Path, description = "document id")), security(("token" = [])),
    responses((status = 200, body = DocumentView), (status = 409, body = Problem, content_type = "application/problem+json")))]
pub async fn reinstate(
    State(state): State<AppState>,
    Editor(caller): Editor,
    ApiPath(id): ApiPath<i32>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<Reinstate>,
) -> AppResult<Response> {
    let outcome = editing::reinstate(state.store(), &caller, id, if_match(&headers)?.as_deref(), input).await?;
    written(&state, outcome, StatusCode::OK).await
}

/// Adds a relation (replaced_by, split_into, merged_into, related) to another document.
#[utoipa::path(post, path = "/api/v1/documents/{id}/relations", tag = "editing", request_body = NewRelation,
    params(("id" = i32, Path, description = "document id")), security(("token" = [])),
    responses((status = 200, body = DocumentView), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn add_relation(
    State(state): State<AppState>,
    Editor(caller): Editor,
    ApiPath(id): ApiPath<i32>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<NewRelation>,
) -> AppResult<Response> {
    let outcome = editing::add_relation(state.store(), &caller, id, if_match(&headers)?.as_deref(), input).await?;
    written(&state, outcome, StatusCode::OK).await
}

/// Removes a relation of this kind from this document to another.
#[utoipa::path(delete, path = "/api/v1/documents/{id}/relations/{kind}/{to}", tag = "editing",
    params(("id" = i32, Path, description = "document id"), ("kind" = String, Path, description = "replaced_by, split_into, merged_into or related"),
        ("to" = i32, Path, description = "the related document's id")),
    security(("token" = [])),
    responses((status = 200, body = DocumentView), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json")))]
pub async fn remove_relation(
    State(state): State<AppState>,
    Editor(caller): Editor,
    ApiPath((id, kind, to)): ApiPath<(i32, String, i32)>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let kind: crate::domain::RelationKind = kind.parse()?;
    let outcome =
        editing::remove_relation(state.store(), &caller, id, if_match(&headers)?.as_deref(), kind, to).await?;
    written(&state, outcome, StatusCode::OK).await
}
