//! The action plan: a period's board as JSON, CSV or Markdown (for the steering group's
//! paper), its items, moves and states. Staff only, reads too: items may name drafts.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::extract::{ApiJson, ApiPath, ApiQuery};
use crate::auth::{Editor, StaffCaller};
use crate::error::AppResult;
use crate::services::checks::parse_field;
use crate::services::plans::{
    self, BoardFilter, MovePlanItem, NewPlanItem, PeriodStateChange, PlanBoard, PlanItemStateChange, PlanItemView,
    PlanPeriodSummary,
};
use crate::state::AppState;

/// The stored plan periods.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanPeriodList {
    pub items: Vec<PlanPeriodSummary>,
}

/// Filter of a board.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct BoardQuery {
    /// Only items of this kind (revision, new_document, translation, withdrawal, project).
    pub kind: Option<String>,
    /// Only items in this state.
    pub state: Option<String>,
    /// Only items on a document of this kind (fact_sheet, guide, …).
    pub document_kind: Option<String>,
}

impl BoardQuery {
    fn filter(&self) -> AppResult<BoardFilter> {
        let opt = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        Ok(BoardFilter {
            kind: opt(&self.kind).map(|v| parse_field("kind", &v)).transpose()?,
            state: opt(&self.state).map(|v| parse_field("state", &v)).transpose()?,
            document_kind: opt(&self.document_kind)
                .map(|v| parse_field("document_kind", &v))
                .transpose()?,
        })
    }
}

/// Lists the plan periods, latest first (staff).
#[utoipa::path(get, path = "/api/v1/plans", tag = "action plan", security(("token" = [])),
    responses((status = 200, body = PlanPeriodList), (status = 401, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn list_periods(
    State(state): State<AppState>,
    StaffCaller(_): StaffCaller,
) -> AppResult<ApiJson<PlanPeriodList>> {
    Ok(ApiJson(PlanPeriodList {
        items: plans::list_periods(&state.db).await?,
    }))
}

/// A period's board (staff): JSON; with `.csv` after the period ("2026-H1.csv") the items as
/// CSV, with `.md` the plan as Markdown for the steering group's paper. A period is a half-year
/// ("2026-H1") or a whole year ("2024"); one with nothing in it is an empty drafted board.
#[utoipa::path(get, path = "/api/v1/plans/{period}", tag = "action plan", security(("token" = [])),
    params(("period" = String, Path, description = "2026-H1, 2024, or either with .csv or .md"), BoardQuery),
    responses((status = 200, body = PlanBoard, description = "the board; text/csv or text/markdown with a suffix"),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn show_board(
    State(state): State<AppState>,
    StaffCaller(_): StaffCaller,
    ApiPath(period): ApiPath<String>,
    ApiQuery(q): ApiQuery<BoardQuery>,
) -> AppResult<Response> {
    let filter = q.filter()?;
    if let Some(p) = period.strip_suffix(".csv") {
        let board = plans::board(&state.db, p, filter).await?;
        return Ok(text(
            plans::board_csv(&board),
            "text/csv; charset=utf-8",
            &format!("handlingsplan-{p}.csv"),
        ));
    }
    if let Some(p) = period.strip_suffix(".md") {
        let board = plans::board(&state.db, p, filter).await?;
        return Ok(text(
            crate::web::plans::board_markdown(&board),
            "text/markdown; charset=utf-8",
            &format!("handlingsplan-{p}.md"),
        ));
    }
    Ok(ApiJson(plans::board(&state.db, &period, filter).await?).into_response())
}

fn text(body: String, content_type: &'static str, file: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, format!("inline; filename=\"{file}\"")),
        ],
        body,
    )
        .into_response()
}

/// Adds an item to a period; the period is created (drafted) with its first item.
#[utoipa::path(post, path = "/api/v1/plans/{period}/items", tag = "action plan", request_body = NewPlanItem,
    params(("period" = String, Path, description = "2026-H1 or 2024")), security(("token" = [])),
    responses((status = 201, body = PlanItemView), (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn add_item(
    State(state): State<AppState>,
    Editor(caller): Editor,
    ApiPath(period): ApiPath<String>,
    ApiJson(input): ApiJson<NewPlanItem>,
) -> AppResult<(StatusCode, ApiJson<PlanItemView>)> {
    Ok((
        StatusCode::CREATED,
        ApiJson(plans::add_item(&state.db, &caller, &period, input).await?),
    ))
}

/// Marks a period discussed, or adopts it by a decision (`{"state":"adopted","decision":"29/25"}`).
#[utoipa::path(post, path = "/api/v1/plans/{period}/state", tag = "action plan", request_body = PeriodStateChange,
    params(("period" = String, Path, description = "2026-H1 or 2024")), security(("token" = [])),
    responses((status = 200, body = PlanBoard), (status = 409, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn change_period_state(
    State(state): State<AppState>,
    Editor(caller): Editor,
    ApiPath(period): ApiPath<String>,
    ApiJson(input): ApiJson<PeriodStateChange>,
) -> AppResult<ApiJson<PlanBoard>> {
    Ok(ApiJson(
        plans::change_period_state(&state.db, &caller, &period, input).await?,
    ))
}

/// Moves an item to another period with a reason: the old item stays, marked `moved_to`, and
/// the new one (returned) continues it there.
#[utoipa::path(post, path = "/api/v1/plan-items/{id}/move", tag = "action plan", request_body = MovePlanItem,
    params(("id" = i32, Path, description = "plan item id")), security(("token" = [])),
    responses((status = 200, body = PlanItemView), (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn move_item(
    State(state): State<AppState>,
    Editor(caller): Editor,
    ApiPath(id): ApiPath<i32>,
    ApiJson(input): ApiJson<MovePlanItem>,
) -> AppResult<ApiJson<PlanItemView>> {
    Ok(ApiJson(plans::move_item(&state.db, &caller, id, input).await?))
}

/// Moves an item to another state (proposed, planned, in_progress, done, dropped).
#[utoipa::path(post, path = "/api/v1/plan-items/{id}/state", tag = "action plan", request_body = PlanItemStateChange,
    params(("id" = i32, Path, description = "plan item id")), security(("token" = [])),
    responses((status = 200, body = PlanItemView), (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn change_item_state(
    State(state): State<AppState>,
    Editor(caller): Editor,
    ApiPath(id): ApiPath<i32>,
    ApiJson(input): ApiJson<PlanItemStateChange>,
) -> AppResult<ApiJson<PlanItemView>> {
    Ok(ApiJson(plans::change_item_state(&state.db, &caller, id, input).await?))
}
