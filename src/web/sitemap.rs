//! `/sitemap.xml` and `/robots.txt` for crawlers: every public document's page (withdrawn ones
//! too: they stay readable) with the date it last changed, and the lists around them. Links
//! are absolute, from `--base-url`, or else from the request's `Host`.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::services::documents;
use crate::state::AppState;
use crate::web::error::WebResult;

/// The site's address: the configured one, or `http://` and a `Host` that is a plain host name
/// or address with an optional port (anything else falls back to the local default).
fn site(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(b) = state.base_url() {
        return b.to_string();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.len() <= 255
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
        })
        .unwrap_or("127.0.0.1:8080");
    format!("http://{host}")
}

struct Entry {
    loc: String,
    lastmod: Option<String>,
}

#[derive(Template)]
#[template(path = "sitemap.xml")]
struct Sitemap {
    entries: Vec<Entry>,
}

/// The lists a reader starts from.
const LISTS: [&str; 7] = [
    "/",
    "/faktaark",
    "/veiledere",
    "/normen",
    "/utgatt",
    "/endringer",
    "/moter",
];

/// `GET /sitemap.xml`.
pub async fn sitemap(State(state): State<AppState>, headers: HeaderMap) -> WebResult<Response> {
    let site = site(&state, &headers);
    let mut entries: Vec<Entry> = LISTS
        .iter()
        .map(|p| Entry {
            loc: format!("{site}{p}"),
            lastmod: None,
        })
        .collect();
    for (url, date) in documents::public_pages(&state.db).await? {
        entries.push(Entry {
            loc: format!("{site}{url}"),
            lastmod: date.map(|d| d.to_string()),
        });
    }
    let xml = Sitemap { entries }
        .render()
        .map_err(|e| crate::error::AppError::Internal(e.into()))?;
    let mut res = (StatusCode::OK, xml).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/xml; charset=utf-8"),
    );
    Ok(res)
}

/// `GET /robots.txt`: everything public may be crawled; the workspace and the API not.
pub async fn robots(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let body = format!(
        "User-agent: *\nDisallow: /redaksjon\nDisallow: /api/\nAllow: /\nSitemap: {}/sitemap.xml\n",
        site(&state, &headers)
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response()
}
