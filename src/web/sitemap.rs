//! `/sitemap.xml` and `/robots.txt` for crawlers: every public document's page (withdrawn ones
//! too: they stay readable) in each of its languages and every published version, with the
//! date each last changed, and the lists around them in bokmål and English. Links
//! are absolute (`links::absolute`: from `--base-url`, or else from the request's `Host`).

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::links::absolute;
use crate::services::documents;
use crate::state::AppState;
use crate::web::error::WebResult;

struct Entry {
    loc: String,
    lastmod: Option<String>,
}

#[derive(Template)]
#[template(path = "sitemap.xml")]
struct Sitemap {
    entries: Vec<Entry>,
}

/// Most addresses one sitemap holds (the protocol's limit).
const SITEMAP_LIMIT: usize = 50_000;

/// The lists a reader starts from.
const LISTS: [&str; 13] = [
    "/",
    "/faktaark",
    "/veiledere",
    "/normen",
    "/utgatt",
    "/endringer",
    "/moter",
    "/?lang=en",
    "/faktaark?lang=en",
    "/veiledere?lang=en",
    "/utgatt?lang=en",
    "/endringer?lang=en",
    "/per",
];

/// `GET /sitemap.xml`.
pub async fn sitemap(State(state): State<AppState>) -> WebResult<Response> {
    let mut entries: Vec<Entry> = LISTS
        .iter()
        .map(|p| Entry {
            loc: absolute(p),
            lastmod: None,
        })
        .collect();
    let room = SITEMAP_LIMIT - LISTS.len();
    for (url, date) in documents::public_pages(&state.db, room).await? {
        entries.push(Entry {
            loc: absolute(&url),
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
pub async fn robots() -> Response {
    let body = format!(
        "User-agent: *\nDisallow: /redaksjon\nDisallow: /api/\nAllow: /\nSitemap: {}\n",
        absolute("/sitemap.xml")
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response()
}
