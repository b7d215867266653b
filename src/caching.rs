//! HTTP caching of what the public reads: every successful `GET` of a public page, feed or API
//! read gets a validator and a `Cache-Control` that fits it, and a client that already holds
//! the same representation gets 304 without the body.
//!
//! The validator is a weak ETag of the response body, so it can only change when what the
//! public is shown changes: a draft edit, which changes no public byte, changes no ETag.
//! Responses for a caller who is signed in (an API token, or a workspace page under the
//! session cookie's path) may show drafts: they are `private, no-store` and get no ETag.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

/// Public pages and reads: kept a minute, then checked again with the validator.
pub const PUBLIC: &str = "public, max-age=60, must-revalidate";
/// Anything that may depend on who asks.
pub const PRIVATE: &str = "private, no-store";

/// Bodies up to this size are hashed for their ETag; larger ones (exports) go out as they are.
const MAX_HASHED_BYTES: u64 = 8 * 1024 * 1024;

/// Whether the request is made by someone signed in, or for the workspace.
fn is_private(req: &Request) -> bool {
    req.headers().contains_key(header::AUTHORIZATION)
        || req.uri().path().starts_with(crate::session::COOKIE_PATH)
        || crate::ops::PROBE_PATHS.contains(&req.uri().path())
}

/// Whether `if_none_match` (the request header's value) names `etag`, weakly compared.
pub fn matches(if_none_match: &str, etag: &str) -> bool {
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_string();
    let want = bare(etag);
    if_none_match.trim() == "*" || if_none_match.split(',').any(|t| bare(t) == want)
}

/// The weak ETag of a body.
pub fn etag_of(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    format!("W/\"{}\"", &hex::encode(digest)[..32])
}

/// Middleware: validators, `Cache-Control` and 304s for `GET` and `HEAD`.
pub async fn validators(req: Request, next: Next) -> Response {
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        return next.run(req).await;
    }
    let private = is_private(&req);
    let if_none_match = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let res = next.run(req).await;
    if res.status() != StatusCode::OK {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    if private {
        parts
            .headers
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(PRIVATE));
        return Response::from_parts(parts, body);
    }
    if !parts.headers.contains_key(header::CACHE_CONTROL) {
        parts
            .headers
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(PUBLIC));
    }
    let body = if parts.headers.contains_key(header::ETAG) {
        body
    } else {
        let size = axum::body::HttpBody::size_hint(&body).exact();
        if size.is_none_or(|n| n > MAX_HASHED_BYTES) {
            return Response::from_parts(parts, body);
        }
        let Ok(bytes) = axum::body::to_bytes(body, MAX_HASHED_BYTES as usize).await else {
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        };
        if let Ok(tag) = HeaderValue::from_str(&etag_of(&bytes)) {
            parts.headers.insert(header::ETAG, tag);
        }
        Body::from(bytes)
    };
    if let (Some(wanted), Some(etag)) = (
        if_none_match,
        parts.headers.get(header::ETAG).and_then(|v| v.to_str().ok()),
    ) && matches(&wanted, etag)
    {
        return not_modified(&parts.headers);
    }
    Response::from_parts(parts, body)
}

/// 304 with the headers a cache needs to refresh its copy.
fn not_modified(headers: &HeaderMap) -> Response {
    let mut res = StatusCode::NOT_MODIFIED.into_response();
    for name in [header::ETAG, header::CACHE_CONTROL, header::VARY, header::LAST_MODIFIED] {
        if let Some(v) = headers.get(&name) {
            res.headers_mut().insert(name, v.clone());
        }
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_compares_weakly_and_takes_lists() {
        let tag = etag_of(b"<p>Faktaark 37</p>");
        assert!(tag.starts_with("W/\"") && tag.len() == 36, "{tag}");
        assert!(matches(&tag, &tag));
        assert!(matches(&tag.replace("W/", ""), &tag), "weak comparison");
        assert!(matches(&format!("\"x\", {tag}"), &tag));
        assert!(matches("*", &tag));
        assert!(!matches("\"x\"", &tag));
        assert_ne!(tag, etag_of(b"<p>Faktaark 38</p>"));
    }
}
