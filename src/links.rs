//! A document's lifecycle in HTTP headers, for clients and crawlers: `Deprecation` on a
//! withdrawn document (RFC 9745) and `Link` relations (RFC 8288) to its successors, to the
//! latest and the neighbouring versions (RFC 5829), and to its version history; and the site's
//! public address that absolute links (canonical links, feeds, the sitemap, JSON-LD) start
//! from.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use chrono::NaiveDate;

use crate::state::AppState;

/// The address used when neither `--base-url` nor a plain `Host` says one.
const DEFAULT_ORIGIN: &str = "http://127.0.0.1:8080";

tokio::task_local! {
    /// The site's public address for the request being answered (set by [`with_origin`]).
    static ORIGIN: Arc<str>;
}

/// The site's address: the configured base URL, or `http://` and a `Host` that is a plain host
/// name or address with an optional port (anything else falls back to the local default, so
/// a hostile `Host` is never echoed).
pub fn origin(base_url: Option<&str>, host: Option<&str>) -> String {
    if let Some(b) = base_url {
        return b.to_string();
    }
    match host.filter(|h| {
        !h.is_empty()
            && h.len() <= 255
            && h.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
    }) {
        Some(h) => format!("http://{h}"),
        None => DEFAULT_ORIGIN.to_string(),
    }
}

/// Middleware: answers the request with its site address known to [`absolute`].
pub async fn with_origin(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let host = req.headers().get(header::HOST).and_then(|h| h.to_str().ok());
    let origin: Arc<str> = origin(state.base_url(), host).into();
    ORIGIN.scope(origin, next.run(req)).await
}

/// The site address of the request being answered (set by [`with_origin`]).
pub fn origin_of_request() -> Arc<str> {
    ORIGIN.try_with(Arc::clone).unwrap_or_else(|_| DEFAULT_ORIGIN.into())
}

/// A site path (`/faktaark/37`) as an absolute address; anything else (an address elsewhere)
/// as it is.
pub fn absolute(path: &str) -> String {
    if !path.starts_with('/') || path.starts_with("//") {
        return path.to_string();
    }
    format!("{}{path}", origin_of_request())
}

/// One `Link` value: `<url>; rel="rel"`. An address that a header cannot carry as it is (it
/// is built from stored slugs and labels, so this does not happen) is left out.
pub fn link(url: &str, rel: &str) -> Option<String> {
    let fits = !url.is_empty() && url.bytes().all(|b| b.is_ascii_graphic() && b != b'>' && b != b'<');
    fits.then(|| format!("<{url}>; rel=\"{rel}\""))
}

/// The `Deprecation` value of a withdrawal on `date`: `@` and the Unix time of its start.
pub fn deprecation(date: NaiveDate) -> String {
    format!(
        "@{}",
        date.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc().timestamp()
    )
}

/// Adds the headers to a response.
pub fn apply(res: &mut Response, withdrawn_on: Option<NaiveDate>, links: &[String]) {
    if let Some(d) = withdrawn_on
        && let Ok(v) = HeaderValue::from_str(&deprecation(d))
    {
        res.headers_mut().insert("deprecation", v);
    }
    if !links.is_empty()
        && let Ok(v) = HeaderValue::from_str(&links.join(", "))
    {
        res.headers_mut().insert(header::LINK, v);
    }
}

/// A base URL is `http(s)://host[:port][/path]`, printable ASCII without spaces.
pub fn check_base_url(url: &str) -> anyhow::Result<String> {
    let url = url.trim().trim_end_matches('/');
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or_default();
    let fits = !rest.is_empty()
        && url.len() <= 200
        && url
            .bytes()
            .all(|b| b.is_ascii_graphic() && !matches!(b, b'<' | b'>' | b'"' | b'\'' | b'?' | b'#'));
    anyhow::ensure!(
        fits,
        "--base-url {url:?} is not an address such as https://veiledning.example.no"
    );
    Ok(url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_origin_is_the_base_url_or_a_plain_host() {
        assert_eq!(
            origin(Some("https://n.example.no"), Some("evil.example")),
            "https://n.example.no"
        );
        assert_eq!(origin(None, Some("localhost:3000")), "http://localhost:3000");
        for hostile in ["evil.example/x", "a\"b", "a b", "<x>", ""] {
            assert_eq!(origin(None, Some(hostile)), DEFAULT_ORIGIN, "{hostile}");
        }
        assert_eq!(absolute("/faktaark/37"), "http://127.0.0.1:8080/faktaark/37");
        assert_eq!(absolute("https://lovdata.no/x"), "https://lovdata.no/x");
        assert_eq!(absolute("//evil.example"), "//evil.example");
    }

    #[tokio::test]
    async fn absolute_addresses_start_from_the_requests_origin() {
        let got = ORIGIN
            .scope(Arc::from("https://n.example.no"), async { absolute("/utgatt") })
            .await;
        assert_eq!(got, "https://n.example.no/utgatt");
    }

    #[test]
    fn values_follow_the_rfcs() {
        let d = NaiveDate::from_ymd_opt(2025, 9, 16).unwrap();
        assert_eq!(deprecation(d), "@1757980800");
        assert_eq!(
            link("/faktaark/37", "successor-version").unwrap(),
            "</faktaark/37>; rel=\"successor-version\""
        );
        assert!(link("/a b", "x").is_none());
        assert!(link("/a>", "x").is_none());
        assert!(link("", "x").is_none());
    }

    #[test]
    fn a_base_url_is_an_http_address() {
        assert_eq!(
            check_base_url("https://normen.example.no/").unwrap(),
            "https://normen.example.no"
        );
        assert_eq!(
            check_base_url("http://127.0.0.1:8080/veiledning").unwrap(),
            "http://127.0.0.1:8080/veiledning"
        );
        for bad in [
            "normen.example.no",
            "https://",
            "ftp://x",
            "https://a b",
            "https://x/\"<",
            "https://x?y",
        ] {
            assert!(check_base_url(bad).is_err(), "{bad}");
        }
    }
}
