//! Extractors whose rejections are problem+json `AppError`s instead of axum's plain text, and
//! the JSON response type. The one place that names axum's own `Json`, `Query` and `Path`
//! (`clippy.toml` bans them everywhere else).
#![allow(clippy::disallowed_types)]

use axum::extract::{FromRequest, FromRequestParts};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};

use crate::error::AppError;

/// JSON body; malformed JSON is a 400, wrong types a 422. Also the JSON response.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(AppError))]
pub struct ApiJson<T>(pub T);

impl<T: serde::Serialize> IntoResponse for ApiJson<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// Query string; a malformed one is a 400.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(AppError))]
pub struct ApiQuery<T>(pub T);

/// Path parameters; ones that do not parse name nothing, so a 404.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(AppError))]
pub struct ApiPath<T>(pub T);

/// Returns the `If-Match` header, if any.
pub fn if_match(headers: &HeaderMap) -> Result<Option<String>, AppError> {
    match headers.get(header::IF_MATCH) {
        None => Ok(None),
        Some(v) => v
            .to_str()
            .map(|s| Some(s.to_string()))
            .map_err(|_| AppError::PreconditionFailed("If-Match is not a valid ETag".into())),
    }
}
