//! The stylesheets, compiled into the binary.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

const SITE_CSS: &str = include_str!("../../static/site.css");
const PRINT_CSS: &str = include_str!("../../static/print.css");

fn css(body: &'static str) -> Response {
    let mut res = (StatusCode::OK, body).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
    res
}

/// `GET /static/site.css`.
pub async fn site_css() -> Response {
    css(SITE_CSS)
}

/// `GET /static/print.css`.
pub async fn print_css() -> Response {
    css(PRINT_CSS)
}
