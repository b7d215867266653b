//! API tokens, for admins: list, issue and revoke. The tokens themselves are shown once.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::extract::{ApiJson, ApiPath};
use crate::auth::Admin;
use crate::error::{AppResult, Problem};
use crate::services::users::{self, TokenInfo};
use crate::state::AppState;

/// The token list.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenList {
    pub items: Vec<TokenInfo>,
}

/// Whom to issue a token for.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    pub user: String,
}

/// A newly issued token, shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct IssuedToken {
    pub token: String,
}

/// Lists API tokens (never the tokens themselves).
#[utoipa::path(get, path = "/api/v1/tokens", tag = "admin", security(("token" = [])),
    responses((status = 200, body = TokenList), (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn list_tokens(State(state): State<AppState>, Admin(_): Admin) -> AppResult<ApiJson<TokenList>> {
    Ok(ApiJson(TokenList {
        items: users::list_tokens(&state.db).await?,
    }))
}

/// Issues a new token for a user.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "admin", request_body = NewToken, security(("token" = [])),
    responses((status = 201, body = IssuedToken), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn issue_token(
    State(state): State<AppState>,
    Admin(admin): Admin,
    ApiJson(input): ApiJson<NewToken>,
) -> AppResult<(StatusCode, ApiJson<IssuedToken>)> {
    let token = users::issue_token_for(&state.db, &admin, &input.user).await?;
    Ok((StatusCode::CREATED, ApiJson(IssuedToken { token })))
}

/// Revokes a token.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "admin", security(("token" = [])),
    params(("id" = i32, Path, description = "token id")),
    responses((status = 204, description = "revoked"), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json")))]
pub async fn revoke_token(
    State(state): State<AppState>,
    Admin(admin): Admin,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<StatusCode> {
    users::revoke_token(&state.db, &admin, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
