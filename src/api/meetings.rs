//! The steering group's meetings, their agendas and outcomes, the call and the minutes as
//! Markdown, and cases ("sak 23/25") with everything they touched.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::extract::{ApiJson, ApiPath};
use crate::auth::{Editor, MaybeCaller};
use crate::domain::{Caller, CaseNumber};
use crate::error::{AppResult, Problem};
use crate::services::meetings::{
    self, AgendaItemView, CaseView, MeetingChange, MeetingSummary, MeetingView, NewAgendaItem, NewLinks, NewMeeting,
    NewOutcome,
};
use crate::state::AppState;

/// A list of meetings.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeetingList {
    pub items: Vec<MeetingSummary>,
}

/// Lists the meetings, newest first (the public sees called and held ones).
#[utoipa::path(get, path = "/api/v1/meetings", tag = "meetings", responses((status = 200, body = MeetingList)))]
pub async fn list_meetings(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
) -> AppResult<ApiJson<MeetingList>> {
    Ok(ApiJson(MeetingList {
        items: meetings::list(&state.db, Caller::sees_drafts(caller.as_ref())).await?,
    }))
}

/// Puts a meeting of the steering group in the registry.
#[utoipa::path(post, path = "/api/v1/meetings", tag = "meetings", request_body = NewMeeting, security(("token" = [])),
    responses((status = 201, body = MeetingView), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create_meeting(
    State(state): State<AppState>,
    Editor(caller): Editor,
    ApiJson(input): ApiJson<NewMeeting>,
) -> AppResult<(StatusCode, ApiJson<MeetingView>)> {
    Ok((
        StatusCode::CREATED,
        ApiJson(meetings::create(&state.db, &caller, input).await?),
    ))
}

/// One meeting with its agenda.
#[utoipa::path(get, path = "/api/v1/meetings/{id}", tag = "meetings", params(("id" = i32, Path, description = "meeting id")),
    responses((status = 200, body = MeetingView), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn show_meeting(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<ApiJson<MeetingView>> {
    Ok(ApiJson(
        meetings::get(&state.db, id, Caller::sees_drafts(caller.as_ref())).await?,
    ))
}

/// Changes a meeting's date, time, place or title, or moves its state forward (planned,
/// called, held).
#[utoipa::path(patch, path = "/api/v1/meetings/{id}", tag = "meetings", request_body = MeetingChange,
    params(("id" = i32, Path, description = "meeting id")), security(("token" = [])),
    responses((status = 200, body = MeetingView), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn change_meeting(
    State(state): State<AppState>,
    Editor(caller): Editor,
    ApiPath(id): ApiPath<i32>,
    ApiJson(input): ApiJson<MeetingChange>,
) -> AppResult<ApiJson<MeetingView>> {
    Ok(ApiJson(meetings::change(&state.db, &caller, id, input).await?))
}

/// Puts a case on the agenda, last. Without `case` it gets the next number of the meeting's
/// year; a number used already is recorded and the meeting warns of it.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/items", tag = "meetings", request_body = NewAgendaItem,
    params(("id" = i32, Path, description = "meeting id")), security(("token" = [])),
    responses((status = 201, body = AgendaItemView), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn add_item(
    State(state): State<AppState>,
    Editor(caller): Editor,
    ApiPath(id): ApiPath<i32>,
    ApiJson(input): ApiJson<NewAgendaItem>,
) -> AppResult<(StatusCode, ApiJson<AgendaItemView>)> {
    Ok((
        StatusCode::CREATED,
        ApiJson(meetings::add_item(&state.db, &caller, id, input).await?),
    ))
}

/// Records what came of a case: decided (the text as adopted; the proposal when empty),
/// deferred, rejected or noted. A decided case is the decision others cite by its number.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/items/{item}/outcome", tag = "meetings", request_body = NewOutcome,
    params(("id" = i32, Path, description = "meeting id"), ("item" = i32, Path, description = "agenda item id")),
    security(("token" = [])),
    responses((status = 200, body = AgendaItemView), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn record_outcome(
    State(state): State<AppState>,
    Editor(caller): Editor,
    ApiPath((id, item)): ApiPath<(i32, i32)>,
    ApiJson(input): ApiJson<NewOutcome>,
) -> AppResult<ApiJson<AgendaItemView>> {
    Ok(ApiJson(
        meetings::record_outcome(&state.db, &caller, id, item, input).await?,
    ))
}

/// Links a case to more documents and revision needs it is about.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/items/{item}/links", tag = "meetings", request_body = NewLinks,
    params(("id" = i32, Path, description = "meeting id"), ("item" = i32, Path, description = "agenda item id")),
    security(("token" = [])),
    responses((status = 200, body = AgendaItemView), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn add_links(
    State(state): State<AppState>,
    Editor(caller): Editor,
    ApiPath((id, item)): ApiPath<(i32, i32)>,
    ApiJson(input): ApiJson<NewLinks>,
) -> AppResult<ApiJson<AgendaItemView>> {
    Ok(ApiJson(meetings::add_links(&state.db, &caller, id, item, input).await?))
}

fn markdown(text: String) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/markdown; charset=utf-8")], text)
}

/// The call (møteinnkalling) as Markdown.
#[utoipa::path(get, path = "/api/v1/meetings/{id}/agenda.md", tag = "meetings",
    params(("id" = i32, Path, description = "meeting id")),
    responses((status = 200, body = String, content_type = "text/markdown"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn agenda(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<impl IntoResponse> {
    let m = meetings::get(&state.db, id, Caller::sees_drafts(caller.as_ref())).await?;
    Ok(markdown(meetings::agenda_markdown(&m)))
}

/// The minutes (referat) as Markdown.
#[utoipa::path(get, path = "/api/v1/meetings/{id}/minutes.md", tag = "meetings",
    params(("id" = i32, Path, description = "meeting id")),
    responses((status = 200, body = String, content_type = "text/markdown"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn minutes(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<impl IntoResponse> {
    let m = meetings::get(&state.db, id, Caller::sees_drafts(caller.as_ref())).await?;
    Ok(markdown(meetings::minutes_markdown(&m)))
}

/// A case ("23-25" for sak 23/25): its agenda items and meetings, the decision, and the
/// versions, withdrawals and revision needs that cite it.
#[utoipa::path(get, path = "/api/v1/cases/{case}", tag = "meetings",
    params(("case" = String, Path, description = "case number with a hyphen, e.g. 23-25")),
    responses((status = 200, body = CaseView), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn show_case(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    ApiPath(case): ApiPath<String>,
) -> AppResult<ApiJson<CaseView>> {
    let case = CaseNumber::from_slug(&case).map_err(|e| crate::error::AppError::not_found(e.to_string()))?;
    Ok(ApiJson(
        meetings::case_view(&state.db, &case, Caller::sees_drafts(caller.as_ref())).await?,
    ))
}

/// Which meeting a proposal goes to.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposeTo {
    /// The meeting; the next one not yet held when left out.
    #[serde(default)]
    pub meeting_id: Option<i32>,
}

/// Proposes a revision need for decision on the next meeting (or the one given): a case with
/// the need's title, background and a *forslag til vedtak*, linked to the need and document.
#[utoipa::path(post, path = "/api/v1/revision-needs/{id}/propose", tag = "meetings", request_body = ProposeTo,
    params(("id" = i32, Path, description = "revision need id")), security(("token" = [])),
    responses((status = 201, body = AgendaItemView), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json")))]
pub async fn propose_need(
    State(state): State<AppState>,
    Editor(caller): Editor,
    ApiPath(id): ApiPath<i32>,
    ApiJson(to): ApiJson<ProposeTo>,
) -> AppResult<(StatusCode, ApiJson<AgendaItemView>)> {
    let item = meetings::proposal_from_need(&state.db, id).await?;
    Ok((
        StatusCode::CREATED,
        ApiJson(meetings::propose(&state.db, &caller, to.meeting_id, item).await?),
    ))
}

/// Proposes withdrawing (sanering of) a document on the next meeting (or the one given).
#[utoipa::path(post, path = "/api/v1/documents/{id}/propose-withdrawal", tag = "meetings", request_body = ProposeTo,
    params(("id" = i32, Path, description = "document id")), security(("token" = [])),
    responses((status = 201, body = AgendaItemView), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json")))]
pub async fn propose_withdrawal(
    State(state): State<AppState>,
    Editor(caller): Editor,
    ApiPath(id): ApiPath<i32>,
    ApiJson(to): ApiJson<ProposeTo>,
) -> AppResult<(StatusCode, ApiJson<AgendaItemView>)> {
    let item = meetings::proposal_of_withdrawal(&state.db, id).await?;
    Ok((
        StatusCode::CREATED,
        ApiJson(meetings::propose(&state.db, &caller, to.meeting_id, item).await?),
    ))
}

/// Puts an item of the action plan to the next meeting (or the one given), linked to it.
#[utoipa::path(post, path = "/api/v1/plan-items/{id}/propose", tag = "meetings", request_body = ProposeTo,
    params(("id" = i32, Path, description = "plan item id")), security(("token" = [])),
    responses((status = 201, body = AgendaItemView), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json")))]
pub async fn propose_plan_item(
    State(state): State<AppState>,
    Editor(caller): Editor,
    ApiPath(id): ApiPath<i32>,
    ApiJson(to): ApiJson<ProposeTo>,
) -> AppResult<(StatusCode, ApiJson<AgendaItemView>)> {
    let item = meetings::proposal_from_plan_item(&state.db, id).await?;
    Ok((
        StatusCode::CREATED,
        ApiJson(meetings::propose(&state.db, &caller, to.meeting_id, item).await?),
    ))
}
