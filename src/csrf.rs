//! Protection against cross-site request forgery for the workspace's forms: every form carries
//! its session's random token in a hidden `csrf_token` field, and a POST is refused unless the
//! field matches (compared in constant time). Requests the browser marks as cross-site are
//! refused before that. The session cookie is also `SameSite=Lax`.

use axum::http::{HeaderMap, header};

/// Name of the hidden form field.
pub const FIELD: &str = "csrf_token";

/// Compares the session's token with the submitted one in constant time.
pub fn tokens_match(expected: &str, submitted: &str) -> bool {
    if expected.is_empty() || expected.len() != submitted.len() {
        return false;
    }
    expected
        .bytes()
        .zip(submitted.bytes())
        .fold(0u8, |acc, (a, b)| acc | (a ^ b))
        == 0
}

/// Whether the browser says the request comes from another site: `Sec-Fetch-Site:
/// cross-site`, or an `Origin` whose host is not the one asked.
pub fn is_cross_site(headers: &HeaderMap) -> bool {
    let fetch_site = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("cross-site"));
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let origin_host = headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .filter(|o| *o != "null")
        .map(|o| o.split_once("://").map_or(o, |(_, rest)| rest).trim_end_matches('/'));
    let foreign_origin = matches!((origin_host, host), (Some(o), Some(h)) if !o.eq_ignore_ascii_case(h));
    fetch_site || foreign_origin
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn tokens() {
        assert!(tokens_match("abc", "abc"));
        assert!(!tokens_match("abc", "abd"));
        assert!(!tokens_match("abc", "ab"));
        assert!(!tokens_match("", ""));
    }

    #[test]
    fn cross_site_requests() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("registry.example"));
        assert!(!is_cross_site(&h));
        h.insert(header::ORIGIN, HeaderValue::from_static("https://registry.example"));
        assert!(!is_cross_site(&h));
        h.insert(header::ORIGIN, HeaderValue::from_static("https://evil.example"));
        assert!(is_cross_site(&h));
        h.remove(header::ORIGIN);
        h.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert!(is_cross_site(&h));
    }
}
