//! HTTP caching of what the public reads: every successful `GET` of a public page, feed or API
//! read gets a validator and a `Cache-Control` that fits it, and a client that already holds
//! the same representation gets 304 without the body.
//!
//! The validator is a weak ETag of the response body, so it can only change when what the
//! public is shown changes: a draft edit, which changes no public byte, changes no ETag.
//! Responses for a caller who is signed in (an API token, or a workspace page under the
//! session cookie's path) may show drafts: they are `private, no-store` and get no ETag.
//!
//! Public pages are also kept, rendered, in a bounded [`PageCache`] of this process: a page is a
//! function of the public state, the request's address and the day, so it is served again until
//! one of those changes. The public state is named by a [`Stamp`]: the change log's number this
//! process has applied (every write to a document, here or in another process) and a counter
//! of this process's successful writes (meetings, plans, decisions and needs write no change-log
//! row). A page is also made again after [`FRESH_FOR`], the bound on how long another process's
//! write of that second kind can take to show.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use sha2::{Digest, Sha256};

use crate::state::AppState;

/// Public pages and reads: kept a minute, then checked again with the validator.
pub const PUBLIC: &str = "public, max-age=60, must-revalidate";
/// Anything that may depend on who asks.
pub const PRIVATE: &str = "private, no-store";

/// Bodies up to this size are hashed for their ETag; larger ones (exports) go out as they are.
const MAX_HASHED_BYTES: u64 = 8 * 1024 * 1024;

/// How long a kept page is served before it is made again, whatever the stamp says.
pub const FRESH_FOR: Duration = Duration::from_secs(2);
/// The largest page kept.
const MAX_PAGE_BYTES: usize = 1024 * 1024;
/// What all kept pages may hold together; the oldest go first.
const BUDGET_BYTES: usize = 64 * 1024 * 1024;
/// The longest key (site address and path with query) kept; longer addresses are made each time.
const MAX_KEY_BYTES: usize = 2048;
/// Paths never kept: search answers (their queries are unbounded, and search is fast as it is).
const UNKEPT_PATHS: [&str; 2] = ["/sok", "/api/v1/search"];

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

/// An HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`).
pub fn http_date(at: SystemTime) -> String {
    DateTime::<Utc>::from(at)
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string()
}

/// Reads an HTTP date; `None` for anything else (the header is then ignored, as RFC 9110 says).
pub fn parse_http_date(value: &str) -> Option<SystemTime> {
    let value = value.trim();
    if value.len() > 64 {
        return None;
    }
    DateTime::parse_from_rfc2822(value).ok().map(SystemTime::from)
}

/// What a request says it already holds.
struct Conditions {
    if_none_match: Option<String>,
    if_modified_since: Option<SystemTime>,
}

impl Conditions {
    fn of(headers: &HeaderMap) -> Self {
        let text = |name| headers.get(name).and_then(|v: &HeaderValue| v.to_str().ok());
        Conditions {
            if_none_match: text(header::IF_NONE_MATCH).map(str::to_string),
            if_modified_since: text(header::IF_MODIFIED_SINCE).and_then(parse_http_date),
        }
    }

    /// Whether the client's copy is this one: `If-None-Match` decides when sent, else
    /// `If-Modified-Since` (RFC 9110, 13.2.2).
    fn hold(&self, etag: Option<&str>, modified: Option<SystemTime>) -> bool {
        match (&self.if_none_match, self.if_modified_since) {
            (Some(wanted), _) => etag.is_some_and(|e| matches(wanted, e)),
            (None, Some(since)) => modified.is_some_and(|m| m <= since),
            (None, None) => false,
        }
    }
}

/// The public state a page was made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    /// Successful writes answered by this process.
    writes: u64,
    /// The change log's number this process has applied.
    applied: i64,
    /// Pages may say what is in force today.
    day: NaiveDate,
}

/// A page as it is served: its headers (its validators among them, set once when kept) and body.
pub struct KeptPage {
    headers: HeaderMap,
    body: Bytes,
    etag: String,
    modified: SystemTime,
}

struct Entry {
    stamp: Stamp,
    made: Instant,
    /// Which insertion this is, so the eviction queue skips keys made again since.
    turn: u64,
    page: Arc<KeptPage>,
}

#[derive(Default)]
struct Pages {
    entries: HashMap<Arc<str>, Entry>,
    order: VecDeque<(Arc<str>, u64)>,
    bytes: usize,
    turns: u64,
}

/// The rendered public pages of this process, bounded in bytes, oldest out first.
pub struct PageCache {
    enabled: bool,
    budget: usize,
    writes: AtomicU64,
    pages: Mutex<Pages>,
    /// The pages being made now, one request each: the others asking for one wait for it
    /// instead of making it too (a kept page that runs out under load is made once, not once
    /// per waiting connection).
    making: Mutex<HashMap<Arc<str>, Arc<tokio::sync::Mutex<()>>>>,
}

/// The right to make one page; the others asking for it wait until it is dropped.
struct Making<'a> {
    cache: &'a PageCache,
    key: Arc<str>,
    turn: Arc<tokio::sync::Mutex<()>>,
    held: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl Drop for Making<'_> {
    fn drop(&mut self) {
        // The guard holds the turn too: let it go first.
        self.held = None;
        let mut making = self
            .cache
            .making
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // The map's and this one: nobody else waits, so the entry goes.
        if Arc::strong_count(&self.turn) <= 2 {
            making.remove(&self.key);
        }
    }
}

impl PageCache {
    pub fn new(enabled: bool) -> Self {
        PageCache {
            enabled,
            budget: BUDGET_BYTES,
            writes: AtomicU64::new(0),
            pages: Mutex::new(Pages::default()),
            making: Mutex::new(HashMap::new()),
        }
    }

    /// Waits for any request making the page at `key`, then holds the right to make it.
    async fn make(&self, key: &Arc<str>) -> Making<'_> {
        let turn = self
            .making
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .entry(key.clone())
            .or_default()
            .clone();
        let held = turn.clone().lock_owned().await;
        Making {
            cache: self,
            key: key.clone(),
            turn,
            held: Some(held),
        }
    }

    /// Called after every successful write this process answers: no page made before it is
    /// served again.
    pub fn wrote(&self) {
        self.writes.fetch_add(1, Ordering::SeqCst);
    }

    /// The public state now, as far as this process knows it.
    pub fn stamp(&self, applied: i64) -> Stamp {
        Stamp {
            writes: self.writes.load(Ordering::SeqCst),
            applied,
            day: Utc::now().date_naive(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Pages> {
        self.pages.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The page kept under `key` if it was made from `stamp` less than [`FRESH_FOR`] ago.
    fn get(&self, key: &str, stamp: Stamp) -> Option<Arc<KeptPage>> {
        let pages = self.lock();
        let entry = pages.entries.get(key)?;
        (entry.stamp == stamp && entry.made.elapsed() < FRESH_FOR).then(|| entry.page.clone())
    }

    /// Keeps a page made from `stamp`. Its `Last-Modified` is the time this process first
    /// served this body at this address: kept when the body is the same as before, and moved
    /// on by at least a second when it is not, so a changed page never shares its predecessor's
    /// date.
    fn put(&self, key: Arc<str>, stamp: Stamp, mut headers: HeaderMap, body: Bytes, etag: String) -> Arc<KeptPage> {
        let now = whole_second(SystemTime::now());
        let mut pages = self.lock();
        let modified = match pages.entries.get(&key) {
            Some(old) if old.page.etag == etag => old.page.modified,
            Some(old) => now.max(old.page.modified + Duration::from_secs(1)),
            None => now,
        };
        if let Ok(tag) = HeaderValue::from_str(&etag) {
            headers.insert(header::ETAG, tag);
        }
        if let Ok(date) = HeaderValue::from_str(&http_date(modified)) {
            headers.insert(header::LAST_MODIFIED, date);
        }
        let page = Arc::new(KeptPage {
            headers,
            body,
            etag,
            modified,
        });
        pages.turns += 1;
        let turn = pages.turns;
        let size = key.len() + page.body.len();
        if let Some(old) = pages.entries.insert(
            key.clone(),
            Entry {
                stamp,
                made: Instant::now(),
                turn,
                page: page.clone(),
            },
        ) {
            pages.bytes -= key.len() + old.page.body.len();
        }
        pages.bytes += size;
        pages.order.push_back((key, turn));
        while pages.bytes > self.budget {
            let Some((oldest, turn)) = pages.order.pop_front() else {
                break;
            };
            if pages.entries.get(&oldest).is_some_and(|e| e.turn == turn)
                && let Some(gone) = pages.entries.remove(&oldest)
            {
                pages.bytes -= oldest.len() + gone.page.body.len();
            }
        }
        page
    }
}

fn whole_second(at: SystemTime) -> SystemTime {
    let secs = at.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
}

/// The address a page is kept under: the site address links are made from, and the path with
/// its query.
fn page_key(req: &Request) -> Option<Arc<str>> {
    let path = req.uri().path();
    if UNKEPT_PATHS.contains(&path) {
        return None;
    }
    let key = format!(
        "{}{}",
        crate::links::origin_of_request(),
        req.uri().path_and_query().map_or(path, |p| p.as_str())
    );
    (key.len() <= MAX_KEY_BYTES).then(|| key.into())
}

/// Middleware: validators, `Cache-Control` and 304s for `GET` and `HEAD`, public pages served
/// from the [`PageCache`]; any other method that succeeds tells the cache that something changed.
pub async fn validators(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        let res = next.run(req).await;
        if res.status().is_success() || res.status().is_redirection() {
            state.pages().wrote();
        }
        return res;
    }
    let private = is_private(&req);
    let conditions = Conditions::of(req.headers());
    let kept = if private || !state.pages().enabled {
        None
    } else {
        page_key(&req)
    };
    // Only a GET's body is whole (the router empties a HEAD's), so only a GET makes a page to keep.
    let is_get = req.method() == Method::GET;
    let stamp = kept.as_ref().map(|_| state.pages().stamp(state.index().applied()));
    let mut making = None;
    if let (Some(key), Some(stamp)) = (&kept, stamp) {
        let mut page = state.pages().get(key, stamp);
        if page.is_none() && is_get {
            making = Some(state.pages().make(key).await);
            // Made while this one waited.
            page = state.pages().get(key, stamp);
        }
        if let Some(page) = page {
            metrics::counter!("normen_page_cache_hits_total").increment(1);
            return serve_kept(&page, &conditions);
        }
    }
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
    if parts.headers.contains_key(header::ETAG) {
        let etag = parts.headers.get(header::ETAG).and_then(|v| v.to_str().ok());
        if conditions.hold(etag, None) {
            return not_modified(&parts.headers);
        }
        return Response::from_parts(parts, body);
    }
    let size = axum::body::HttpBody::size_hint(&body).exact();
    if size.is_none_or(|n| n > MAX_HASHED_BYTES) {
        return Response::from_parts(parts, body);
    }
    let Ok(bytes) = axum::body::to_bytes(body, MAX_HASHED_BYTES as usize).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let etag = etag_of(&bytes);
    let keep = kept
        .zip(stamp)
        .filter(|_| is_get && bytes.len() <= MAX_PAGE_BYTES && !parts.headers.contains_key(header::SET_COOKIE));
    if let Some((key, stamp)) = keep {
        let page = state.pages().put(key, stamp, parts.headers, bytes, etag);
        drop(making);
        return serve_kept(&page, &conditions);
    }
    if let Ok(tag) = HeaderValue::from_str(&etag) {
        parts.headers.insert(header::ETAG, tag);
    }
    if conditions.hold(Some(&etag), None) {
        return not_modified(&parts.headers);
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// A kept page, or 304 when the client holds it.
fn serve_kept(page: &KeptPage, conditions: &Conditions) -> Response {
    if conditions.hold(Some(&page.etag), Some(page.modified)) {
        return not_modified(&page.headers);
    }
    let mut res = Response::new(Body::from(page.body.clone()));
    *res.headers_mut() = page.headers.clone();
    res
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

    fn page(cache: &PageCache, key: &str, stamp: Stamp, body: &str) -> Arc<KeptPage> {
        let body = Bytes::from(body.to_string());
        let etag = etag_of(&body);
        cache.put(key.into(), stamp, HeaderMap::new(), body, etag)
    }

    #[test]
    fn kept_pages_stay_within_their_budget_oldest_out_first() {
        let cache = PageCache {
            budget: 3 * 110,
            ..PageCache::new(true)
        };
        let stamp = cache.stamp(7);
        for key in ["/a", "/b", "/c"] {
            page(&cache, key, stamp, &"x".repeat(100));
        }
        // Made again: counted once, and its first turn in the queue is skipped.
        page(&cache, "/a", stamp, &"y".repeat(100));
        assert!(cache.get("/a", stamp).is_some() && cache.get("/b", stamp).is_some());
        page(&cache, "/d", stamp, &"x".repeat(100));
        assert!(cache.get("/b", stamp).is_none(), "the oldest went first");
        assert!(cache.get("/c", stamp).is_some() && cache.get("/d", stamp).is_some());
        assert!(cache.get("/a", stamp).is_some(), "made again after /b, so kept");
        assert!(cache.lock().bytes <= cache.budget);
    }

    #[tokio::test]
    async fn a_page_is_made_by_one_request_at_a_time_and_the_turn_is_cleared() {
        let cache = PageCache::new(true);
        let key: Arc<str> = "/".into();
        let first = cache.make(&key).await;
        let waiting = tokio::time::timeout(Duration::from_millis(50), cache.make(&key)).await;
        assert!(
            waiting.is_err(),
            "a second request waits while the first makes the page"
        );
        drop(first);
        let second = cache.make(&key).await;
        drop(second);
        assert!(cache.making.lock().unwrap().is_empty(), "nobody waits: no turn is kept");
    }

    #[test]
    fn a_page_is_served_only_for_the_state_it_was_made_from() {
        let cache = PageCache::new(true);
        let stamp = cache.stamp(7);
        page(&cache, "/", stamp, "side");
        assert!(cache.get("/", stamp).is_some());
        assert!(cache.get("/", cache.stamp(8)).is_none(), "a newer change log");
        cache.wrote();
        assert!(cache.get("/", cache.stamp(7)).is_none(), "a write in this process");
    }

    #[test]
    fn last_modified_holds_while_the_body_does_and_moves_on_when_it_changes() {
        let cache = PageCache::new(true);
        let first = page(&cache, "/", cache.stamp(1), "en");
        let same = page(&cache, "/", cache.stamp(2), "en");
        assert_eq!(same.modified, first.modified);
        let other = page(&cache, "/", cache.stamp(3), "to");
        assert!(
            other.modified > first.modified,
            "a changed page never shares the old date"
        );
        assert_eq!(parse_http_date(&http_date(other.modified)), Some(other.modified));
    }
}
