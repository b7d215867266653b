//! A document's lifecycle in HTTP headers, for clients and crawlers: `Deprecation` on a
//! withdrawn document (RFC 9745) and `Link` relations (RFC 8288) to its successors, to the
//! latest and the neighbouring versions (RFC 5829), and to its version history; and the site's
//! public address that absolute links (the sitemap) start from.

use axum::http::{HeaderValue, header};
use axum::response::Response;
use chrono::NaiveDate;

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
