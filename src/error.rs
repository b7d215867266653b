//! The one error type of the request path, rendered as `application/problem+json` (RFC 9457).
//!
//! Error handling, layer by layer:
//!
//! * `domain` returns [`RuleError`]: `Invalid` for input that breaks a rule whatever the state
//!   (422), `Field` for such a rule about one named field (422, with a `Fault` code the forms
//!   turn into a bokmål message by that field), `Conflict` for a step the current state forbids
//!   (409). Pure, no I/O, no HTTP.
//! * `services` return [`AppResult`]. A `RuleError` becomes its 4xx via `?`; database errors go
//!   through one `From<DbErr>` (a unique violation is a 409, a missing row a 404, the rest 500);
//!   anything unexpected is `AppError::Internal`. A service may have its own typed error (such as
//!   `services::search_params::SearchParamError`) that converts into `AppError`.
//! * `api` handlers return `AppResult` too; [`AppError`]'s `IntoResponse` writes the problem
//!   document. Extractor rejections become problem+json through `api::extract`.
//! * `web` handlers return `web::error::WebError`: an `AppError` rendered as a page in bokmål with
//!   the same status, plus the web's own CSRF refusal (403) and sign-in redirect (303).
//!
//! What the caller sees: for 4xx, the message of the variant, written for them (the pages show it
//! under a Norwegian heading, except on 404). For 5xx, only "an internal error occurred" (or the
//! generic error page); the error itself is logged with `tracing::error!`, never shown.
//!
//! A caller's mistake is a 4xx, never a 500: every input is parsed and bounded at the edge, so a
//! 500 means a bug or a failing database. Input never panics the server; the `CatchPanicLayer` in
//! `routes` is the last line of defence and answers a panicking handler with a logged 500.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use sea_orm::{DbErr, SqlErr};
use serde::Serialize;

use crate::domain::RuleError;

/// Everything a request can fail with. 4xx variants carry a message meant for the caller.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 400: the request itself is malformed (bad JSON, bad query string).
    #[error("{0}")]
    BadRequest(String),
    /// 401: no valid API token or session.
    #[error("authentication required: {0}")]
    Unauthorized(String),
    /// 403: authenticated, but the role does not allow this.
    #[error("{0}")]
    Forbidden(String),
    /// 404: no such thing (or not visible to the caller).
    #[error("{0}")]
    NotFound(String),
    /// 405: the path exists, the method does not.
    #[error("{0}")]
    MethodNotAllowed(String),
    /// 409: a lifecycle rule forbids this in the current state.
    #[error("{0}")]
    Conflict(String),
    /// 412: the `If-Match` ETag is stale.
    #[error("{0}")]
    PreconditionFailed(String),
    /// 413: the body is over the size limit.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// 415: the body is not JSON.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// 422: well-formed input that breaks a rule.
    #[error("{0}")]
    Invalid(String),
    /// 422: one field of the input breaks a rule; forms show it next to the field.
    #[error("{0}")]
    Field(crate::domain::FieldError),
    /// 500: a database failure; logged, never shown.
    #[error(transparent)]
    Db(DbErr),
    /// 500: anything else unexpected; logged, never shown.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    /// Returns the HTTP status for this error.
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::PreconditionFailed(_) => StatusCode::PRECONDITION_FAILED,
            AppError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::Invalid(_) | AppError::Field(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Db(_) | AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Returns the message safe to show to the caller.
    pub fn detail(&self) -> String {
        match self {
            AppError::Db(_) | AppError::Internal(_) => "an internal error occurred; it has been logged".into(),
            other => other.to_string(),
        }
    }

    /// Shorthand for a 404 naming what was not found.
    pub fn not_found(what: impl std::fmt::Display) -> Self {
        AppError::NotFound(format!("{what} not found"))
    }
}

impl From<RuleError> for AppError {
    fn from(e: RuleError) -> Self {
        match e {
            RuleError::Conflict(m) => AppError::Conflict(m),
            RuleError::Invalid(m) => AppError::Invalid(m),
            RuleError::Field(e) => AppError::Field(e),
            RuleError::Forbidden(m) => AppError::Forbidden(m),
        }
    }
}

/// Maps database errors in one place: unique violations are conflicts (two editors racing for
/// the same label or draft), a missing record is a 404, the rest is internal.
impl From<DbErr> for AppError {
    fn from(e: DbErr) -> Self {
        match e.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => {
                AppError::Conflict("the change conflicts with one made at the same time; reload and try again".into())
            }
            _ => match e {
                DbErr::RecordNotFound(what) => AppError::NotFound(what),
                other => AppError::Db(other),
            },
        }
    }
}

impl From<JsonRejection> for AppError {
    fn from(r: JsonRejection) -> Self {
        let text = r.body_text();
        match r {
            JsonRejection::JsonDataError(_) => AppError::Invalid(text),
            JsonRejection::MissingJsonContentType(_) => AppError::UnsupportedMediaType(text),
            JsonRejection::BytesRejection(_) if r.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                AppError::PayloadTooLarge("the request body is too large".into())
            }
            _ => AppError::BadRequest(text),
        }
    }
}

impl From<QueryRejection> for AppError {
    fn from(r: QueryRejection) -> Self {
        AppError::BadRequest(r.body_text())
    }
}

impl From<PathRejection> for AppError {
    fn from(r: PathRejection) -> Self {
        AppError::NotFound(format!("no such resource: {}", r.body_text()))
    }
}

/// The problem document of RFC 9457.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// Always "about:blank": the status says what kind of problem it is.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub title: String,
    pub status: u16,
    pub detail: String,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(error = ?self, "request failed");
        }
        let problem = Problem {
            kind: "about:blank",
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            status: status.as_u16(),
            detail: self.detail(),
        };
        let body = serde_json::to_vec(&problem).unwrap_or_default();
        let mut res = (status, [(header::CONTENT_TYPE, "application/problem+json")], body).into_response();
        if status == StatusCode::UNAUTHORIZED {
            res.headers_mut()
                .insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
        }
        res
    }
}

/// Result of the request path.
pub type AppResult<T> = Result<T, AppError>;
