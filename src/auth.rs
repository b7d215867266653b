//! Who is calling: API tokens (`Authorization: Bearer …`) resolved to a user and role.

use axum::extract::FromRequestParts;
use axum::http::{header, request::Parts};

use crate::domain::{Caller, Role};
use crate::error::{AppError, AppResult};
use crate::services::users;
use crate::state::AppState;

/// The caller if a token was sent; a bad token is a 401, no token is anonymous.
pub struct MaybeCaller(pub Option<Caller>);

impl FromRequestParts<AppState> for MaybeCaller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let Some(value) = parts.headers.get(header::AUTHORIZATION) else {
            return Ok(MaybeCaller(None));
        };
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or_else(|| AppError::Unauthorized("expected `Authorization: Bearer <token>`".into()))?;
        match users::caller_for_token(&state.db, token).await? {
            Some(caller) => Ok(MaybeCaller(Some(caller))),
            None => Err(AppError::Unauthorized("the API token is not valid".into())),
        }
    }
}

/// Whether a caller may write (editors and admins): the one place that refuses the others, for
/// the API and the workspace alike.
pub fn require_writer(caller: &Caller) -> AppResult<()> {
    if caller.role.can_write() {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "the role {} cannot make changes",
            caller.role
        )))
    }
}

/// A caller allowed to write (editor or admin).
pub struct Editor(pub Caller);

impl FromRequestParts<AppState> for Editor {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        match MaybeCaller::from_request_parts(parts, state).await?.0 {
            None => Err(AppError::Unauthorized("this change needs an editor's API token".into())),
            Some(c) => {
                require_writer(&c)?;
                Ok(Editor(c))
            }
        }
    }
}

/// A signed-in staff member of any role: reviewers, editors and admins may review documents.
pub struct StaffCaller(pub Caller);

impl FromRequestParts<AppState> for StaffCaller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        match MaybeCaller::from_request_parts(parts, state).await?.0 {
            None => Err(AppError::Unauthorized("this needs a staff member's API token".into())),
            Some(c) => Ok(StaffCaller(c)),
        }
    }
}

/// A caller with the admin role.
pub struct Admin(pub Caller);

impl FromRequestParts<AppState> for Admin {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        match MaybeCaller::from_request_parts(parts, state).await?.0 {
            None => Err(AppError::Unauthorized("this needs an admin's API token".into())),
            Some(c) if c.role == Role::Admin => Ok(Admin(c)),
            Some(c) => Err(AppError::Forbidden(format!("the role {} cannot do this", c.role))),
        }
    }
}
