//! The change log (`/endringer`) and the Atom feeds: global (`/endringer.atom`) and per document
//! (`/faktaark/37/endringer.atom`). Entries are published versions and withdrawals; drafts never
//! appear, because `services::feeds` reads only published versions of public documents.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::{DocumentKind, DocumentStatus};
use crate::services::documents::{self, DocumentRef};
use crate::services::feeds::{self, Publication, Withdrawn};
use crate::state::AppState;
use crate::web::error::WebResult;
use crate::web::extract::Query;
use crate::web::ui::{self, Layout, NB, Texts};
use crate::web::views::PageQuery;

/// Entries per page of the change log.
const PAGE_SIZE: u64 = 50;
/// The deepest page of the change log.
const MAX_PAGE: u64 = 100;
/// Entries in the global feed.
const FEED_SIZE: u64 = 50;

/// One entry of the change log or a feed.
pub struct ChangeEntry {
    pub date: NaiveDate,
    /// When on that date it happened, when that is known.
    pub at: Option<DateTime<Utc>>,
    pub date_text: String,
    /// "Faktaark 37: Tittel".
    pub document: String,
    pub url: String,
    /// "Versjon 2.0 (faglig endring)" or "Utgått".
    pub what: String,
    pub note: String,
    pub withdrawn: bool,
    /// Whether the document is withdrawn now (a publication of a document withdrawn since).
    pub document_withdrawn: bool,
    /// A stable id for Atom.
    pub atom_id: String,
    /// The deciding case's page.
    pub decision_url: Option<String>,
    pub language: String,
}

fn document_name(t: &Texts, d: &DocumentRef) -> String {
    ui::document_name(t, d.kind, d.number.as_deref(), &d.title)
}

/// A published version as a change, told in `t`'s language.
fn publication_entry(p: &Publication, t: &Texts) -> ChangeEntry {
    let lang = if p.primary {
        String::new()
    } else {
        // Language names keep their capital ("English"); bokmål's own are lower case in a sentence.
        format!(", {}", ui::language_name_in_sentence(p.language))
    };
    let kind = p
        .change_kind
        .map(|k| format!(" ({}{lang})", t.change_kind_name(k).to_lowercase()))
        .unwrap_or_default();
    let q = if p.primary {
        String::new()
    } else {
        format!("?lang={}", p.language)
    };
    ChangeEntry {
        date: p.published_on,
        at: same_day(p.published_at, p.published_on),
        date_text: t.date(&p.published_on),
        document: document_name(t, &p.document),
        url: format!("{}/versjon/{}{q}", p.document.url, p.label),
        what: format!("{} {}{kind}", t.version, p.label),
        note: p.change_note.clone(),
        withdrawn: false,
        document_withdrawn: p.document.status == DocumentStatus::Withdrawn,
        atom_id: format!("tag:normen-registry,2026:version:{}", p.version_id),
        decision_url: p.decision.as_ref().map(|d| d.url.clone()),
        language: p.language.as_str().to_string(),
    }
}

/// A withdrawal as a change, told in `t`'s language (the reason as it was written).
fn withdrawal_entry(w: &Withdrawn, t: &Texts) -> ChangeEntry {
    let successors: Vec<String> = w.successors.iter().map(|s| document_name(t, s)).collect();
    let mut note = w.reason.clone();
    if let Some(d) = &w.decision {
        note.push_str(&format!(
            " {}: {} {} ({}).",
            t.decision,
            t.case,
            d.case_number,
            t.date(&d.meeting_date)
        ));
    }
    if !successors.is_empty() {
        note.push_str(&format!(" {} {}.", t.replaced_by, successors.join(", ")));
    }
    // An unknown date sorts where the registry recorded it.
    let date = crate::domain::certainly_withdrawn_from(w.withdrawn_on, w.recorded_at.date_naive());
    ChangeEntry {
        date,
        at: same_day(Some(w.recorded_at), date),
        date_text: t.opt_date(w.withdrawn_on),
        document: document_name(t, &w.document),
        url: w.document.url.clone(),
        what: t.withdrawn_short.into(),
        note,
        withdrawn: true,
        document_withdrawn: true,
        atom_id: format!("tag:normen-registry,2026:withdrawal:{}", w.withdrawal_id),
        decision_url: w.decision.as_ref().map(|d| d.url.clone()),
        language: "nb".into(),
    }
}

/// A time that belongs to the event's date (a withdrawal dated back was recorded on another
/// day: then only its date is known).
fn same_day(at: Option<DateTime<Utc>>, date: NaiveDate) -> Option<DateTime<Utc>> {
    at.filter(|t| t.date_naive() == date)
}

/// Merges publications and withdrawals, newest first: by date, then by time where known (a
/// withdrawal made after the version it ends comes before it).
fn merge(pubs: &[Publication], wds: &[Withdrawn], t: &Texts) -> Vec<ChangeEntry> {
    let mut all: Vec<ChangeEntry> = pubs
        .iter()
        .map(|p| publication_entry(p, t))
        .chain(wds.iter().map(|w| withdrawal_entry(w, t)))
        .collect();
    all.sort_by_key(|e| std::cmp::Reverse((e.date, e.at)));
    all
}

/// The newest changes (published versions and withdrawals), newest first.
pub async fn recent_changes(state: &AppState, n: u64, t: &'static Texts) -> WebResult<Vec<ChangeEntry>> {
    let pubs = feeds::publications(&state.db, None, n, 0).await?;
    Ok(pubs.iter().map(|p| publication_entry(p, t)).collect())
}

#[derive(Template)]
#[template(path = "changes.html")]
struct ChangesPage {
    layout: Layout,
    en: bool,
    entries: Vec<ChangeEntry>,
    page: u64,
    prev: Option<String>,
    next: Option<String>,
}

/// `GET /endringer`: the change log, 50 entries a page.
pub async fn change_log(State(state): State<AppState>, Query(q): Query<PageQuery>) -> WebResult<Response> {
    let t = q.texts()?;
    let lq = PageQuery::lang_prefix(t);
    let page = q.side.unwrap_or(1).clamp(1, MAX_PAGE);
    let upto = page * PAGE_SIZE;
    // One more of each than the pages so far hold: whether a next page exists, without counting.
    let pubs = feeds::publications(&state.db, None, upto + 1, 0).await?;
    let wds = feeds::withdrawals(&state.db, None, None, upto + 1, 0).await?;
    let entries: Vec<ChangeEntry> = merge(&pubs, &wds, t)
        .into_iter()
        .skip(((page - 1) * PAGE_SIZE) as usize)
        .take(PAGE_SIZE as usize)
        .collect();
    let has_more = (pubs.len() + wds.len()) as u64 > upto && page < MAX_PAGE;
    let canonical = match (page > 1, lq.is_empty()) {
        (true, _) => format!("/endringer?{lq}side={page}"),
        (false, true) => "/endringer".into(),
        (false, false) => "/endringer?lang=en".into(),
    };
    let mut layout = Layout::for_language(
        t.lang,
        format!("{}{} – {}", t.nav_changes, page_suffix(t, page), t.site_name),
        Some(canonical),
    );
    layout.feed = Some("/endringer.atom".into());
    let page_view = ChangesPage {
        layout,
        en: t.lang == "en",
        entries,
        page,
        prev: (page > 1).then(|| format!("/endringer?{lq}side={}", page - 1)),
        next: has_more.then(|| format!("/endringer?{lq}side={}", page + 1)),
    };
    Ok(ui::render(StatusCode::OK, &page_view))
}

fn page_suffix(t: &Texts, page: u64) -> String {
    if page > 1 {
        format!(", {} {page}", if t.lang == "en" { "page" } else { "side" })
    } else {
        String::new()
    }
}

#[derive(Template)]
#[template(path = "feed.xml")]
struct Feed {
    title: String,
    self_url: String,
    alternate: String,
    id: String,
    updated: String,
    entries: Vec<ChangeEntry>,
}

impl ChangeEntry {
    /// RFC 3339 time of the entry: to the second when known, else midnight UTC of its date.
    pub fn rfc3339(&self) -> String {
        match self.at {
            Some(at) => at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            None => format!("{}T00:00:00Z", self.date.format("%Y-%m-%d")),
        }
    }
}

/// Drops what XML cannot hold from every text of the feed, and makes its links absolute (feed
/// readers resolve relative ones inconsistently). Entry checks keep such characters out, but
/// one stored row must never make the feed unreadable for every subscriber.
fn xml_clean(mut feed: Feed) -> Feed {
    use crate::domain::text::xml_safe;
    use crate::links::absolute;
    feed.title = xml_safe(&feed.title);
    feed.self_url = xml_safe(&absolute(&feed.self_url));
    feed.alternate = xml_safe(&absolute(&feed.alternate));
    for e in &mut feed.entries {
        e.document = xml_safe(&e.document);
        e.url = xml_safe(&absolute(&e.url));
        e.decision_url = e.decision_url.as_deref().map(|u| xml_safe(&absolute(u)));
        e.what = xml_safe(&e.what);
        e.note = xml_safe(&e.note);
        e.atom_id = xml_safe(&e.atom_id);
    }
    feed
}

fn atom(feed: Feed) -> Response {
    let feed = xml_clean(feed);
    match feed.render() {
        Ok(xml) => {
            let mut res = (StatusCode::OK, xml).into_response();
            res.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/atom+xml; charset=utf-8"),
            );
            res
        }
        Err(e) => {
            tracing::error!(error = %e, "feed rendering failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// `GET /endringer.atom`: the newest 50 changes.
pub async fn global_feed(State(state): State<AppState>) -> WebResult<Response> {
    let pubs = feeds::publications(&state.db, None, FEED_SIZE, 0).await?;
    let wds = feeds::withdrawals(&state.db, None, None, FEED_SIZE, 0).await?;
    let mut entries = merge(&pubs, &wds, &NB);
    entries.truncate(FEED_SIZE as usize);
    Ok(atom(Feed {
        title: "Endringer i Normens veiledningsmateriell".into(),
        self_url: "/endringer.atom".into(),
        alternate: "/endringer".into(),
        id: "tag:normen-registry,2026:changes".into(),
        updated: entries
            .first()
            .map(ChangeEntry::rfc3339)
            .unwrap_or_else(|| "2026-01-01T00:00:00Z".into()),
        entries,
    }))
}

/// `GET /{kind}/{key}/endringer.atom`: every change of one document.
pub async fn document_feed(state: &AppState, kind: DocumentKind, key: &str) -> WebResult<Response> {
    let doc = documents::find_by_path(&state.db, &[kind], key, false).await?;
    let pubs = feeds::publications(&state.db, Some(doc.id), 500, 0).await?;
    let wds = feeds::withdrawals(&state.db, Some(doc.id), None, 50, 0).await?;
    let entries = merge(&pubs, &wds, &NB);
    let url = doc.url();
    let name = entries
        .first()
        .map(|e| e.document.clone())
        .unwrap_or_else(|| url.clone());
    Ok(atom(Feed {
        title: format!("Endringer i {name}"),
        self_url: format!("{url}/endringer.atom"),
        alternate: url.clone(),
        id: format!("tag:normen-registry,2026:document:{}", doc.id),
        updated: entries
            .first()
            .map(ChangeEntry::rfc3339)
            .unwrap_or_else(|| "2026-01-01T00:00:00Z".into()),
        entries,
    }))
}
