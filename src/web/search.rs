//! The search page (`/sok?q=`): hits with snippets, facets for kind, language and status,
//! withdrawn hits hidden but counted ("3 utgåtte treff: vis"), and paging.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use crate::domain::{DocumentKind, DocumentStatus};
use crate::error::AppError;
use crate::services::search_params::{self, MAX_QUERY_CHARS, RawSearchParams, SearchParamCode, SearchParamError};
use crate::state::AppState;
use crate::web::error::{WebError, WebResult, urlencode};
use crate::web::extract::Query;
use crate::web::ui::{self, Layout, Texts};
use crate::web::views::{Link, texts_for_lang};

/// Hits per page.
const PAGE_SIZE: usize = 20;
/// Deepest page.
const MAX_PAGE: usize = 100;

/// The search page's query string.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    pub q: String,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub sprak: Option<String>,
    pub status: Option<String>,
    pub utgatte: Option<String>,
    pub side: Option<usize>,
    /// `en` for the page in English.
    pub lang: Option<String>,
}

impl SearchQuery {
    fn include_withdrawn(&self) -> bool {
        self.utgatte.as_deref().is_some_and(|v| !v.is_empty() && v != "0")
    }

    /// This search's URL with one parameter changed (`None` removes it); paging restarts.
    fn url_with(&self, key: &str, value: Option<&str>) -> String {
        let mut parts = Vec::new();
        let mut push = |k: &str, v: Option<&str>| {
            if let Some(v) = v.filter(|v| !v.is_empty()) {
                parts.push(format!("{k}={}", urlencode(v)));
            }
        };
        push("q", Some(&self.q));
        let pick = |k: &str, own: Option<&str>| -> Option<String> {
            if k == key {
                value.map(str::to_string)
            } else {
                own.map(str::to_string)
            }
        };
        let kind = pick("type", self.kind.as_deref());
        let sprak = pick("sprak", self.sprak.as_deref());
        let status = pick("status", self.status.as_deref());
        let utgatte = pick("utgatte", self.include_withdrawn().then_some("1"));
        let side = if key == "side" { value.map(str::to_string) } else { None };
        push("type", kind.as_deref());
        push("sprak", sprak.as_deref());
        push("status", status.as_deref());
        push("utgatte", utgatte.as_deref());
        push("side", side.as_deref());
        push("lang", self.lang.as_deref());
        format!("/sok?{}", parts.join("&"))
    }
}

/// One hit as the page shows it.
pub struct HitView {
    pub title: String,
    pub url: String,
    pub label: String,
    pub language: String,
    pub language_name: &'static str,
    pub version: String,
    pub date: String,
    pub snippet_html: String,
    pub withdrawn: bool,
    pub withdrawn_on: String,
    pub successors: Vec<Link>,
}

/// A withdrawn document a search matched when it matched nothing else: "Faktaark 07 er utgått;
/// se Veileder om risikostyring".
pub struct WithdrawnNotice {
    /// "Faktaark 07", or the title in «» for other kinds (not linked: the hit list hides it,
    /// and "vis" shows it).
    pub name: String,
    pub successors: Vec<Link>,
}

/// One facet value with its count and the link that applies or removes it.
pub struct FacetValue {
    pub label: String,
    pub count: u64,
    pub url: String,
    pub active: bool,
}

/// A facet group.
pub struct FacetGroup {
    pub title: &'static str,
    pub values: Vec<FacetValue>,
    pub clear_url: Option<String>,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    layout: Layout,
    en: bool,
    q: String,
    searched: bool,
    total: usize,
    withdrawn_hidden: usize,
    include_withdrawn: bool,
    show_withdrawn_url: String,
    hide_withdrawn_url: String,
    hits: Vec<HitView>,
    facets: Vec<FacetGroup>,
    page: usize,
    pages: usize,
    prev: Option<String>,
    next: Option<String>,
    error: Option<String>,
    first: usize,
    last: usize,
    withdrawn_only: Vec<WithdrawnNotice>,
    /// "Mente du …": the suggested query and its search's URL.
    suggestion: Option<Link>,
}

/// The page's texts for a refused parameter, all 400 (the error page adds the Norwegian
/// heading and advice).
fn refused(e: &SearchParamError) -> WebError {
    let detail = match &e.code {
        SearchParamCode::TooLong | SearchParamCode::ControlCharacter => {
            format!("the query must be at most {MAX_QUERY_CHARS} characters without control characters")
        }
        SearchParamCode::Unknown { value, .. } => format!("unknown filter value {value:?}"),
        // The page sets limit, offset and sort itself, so these name the query or the status.
        SearchParamCode::NotUtf8 | SearchParamCode::DraftNotSearchable | SearchParamCode::OutOfRange => e.to_string(),
    };
    WebError::App(AppError::BadRequest(detail))
}

fn facet_label(t: &Texts, group: &str, value: &str) -> String {
    match group {
        "type" => value.parse().map(|k| t.kind_name(k)).unwrap_or(value).to_string(),
        "sprak" => value.parse().map(ui::language_name).unwrap_or(value).to_string(),
        _ => match (value.parse(), t.lang == "en") {
            (Ok(DocumentStatus::Published), true) => "Current".into(),
            (Ok(DocumentStatus::Withdrawn), true) => "Withdrawn".into(),
            (Ok(DocumentStatus::Draft), true) => "Draft".into(),
            (s, _) => s.map(ui::status_name).unwrap_or(value).to_string(),
        },
    }
}

/// A facet group's query key, title, counts and current value.
type FacetSource<'a> = (&'static str, &'static str, &'a Vec<(String, u64)>, Option<&'a str>);

/// `GET /sok`.
pub async fn search_page(State(state): State<AppState>, Query(q): Query<SearchQuery>) -> WebResult<Response> {
    let t = texts_for_lang(q.lang.as_deref())?;
    let en = t.lang == "en";
    let page = q.side.unwrap_or(1).clamp(1, MAX_PAGE);
    let req = search_params::parse(RawSearchParams {
        q: q.q.clone(),
        kind: q.kind.clone(),
        language: q.sprak.clone(),
        status: q.status.clone(),
        normen_version: None,
        include_withdrawn: q.include_withdrawn(),
        limit: Some(PAGE_SIZE),
        offset: Some((page - 1) * PAGE_SIZE),
        sort: None,
    })
    .map_err(|e| refused(&e))?;
    let searched = !q.q.trim().is_empty() || req.kind.is_some() || req.language.is_some() || req.status.is_some();
    let title = match (q.q.trim().is_empty(), en) {
        (true, false) => format!("Søk – {}", t.site_name),
        (false, false) => format!("Søk etter «{}» – {}", q.q.trim(), t.site_name),
        (true, true) => format!("Search – {}", t.site_name),
        (false, true) => format!("Search for “{}” – {}", q.q.trim(), t.site_name),
    };
    let canonical = if en { "/sok?lang=en" } else { "/sok" };
    let mut view = SearchPage {
        layout: Layout::for_language(t.lang, title, Some(canonical.into())),
        en,
        q: q.q.clone(),
        searched,
        total: 0,
        withdrawn_hidden: 0,
        include_withdrawn: q.include_withdrawn(),
        show_withdrawn_url: q.url_with("utgatte", Some("1")),
        hide_withdrawn_url: q.url_with("utgatte", None),
        hits: Vec::new(),
        facets: Vec::new(),
        page,
        pages: 0,
        prev: None,
        next: None,
        error: None,
        first: 0,
        last: 0,
        withdrawn_only: Vec::new(),
        suggestion: None,
    };
    if !searched {
        return Ok(ui::render(StatusCode::OK, &view));
    }
    let res = match state.index().search(req).await {
        Ok(r) => r,
        Err(AppError::BadRequest(m)) => {
            view.error = Some(if en {
                format!("The search could not be read. Try with fewer special characters. ({m})")
            } else {
                format!("Søket kunne ikke tolkes. Prøv med færre spesialtegn. ({m})")
            });
            return Ok(ui::render(StatusCode::BAD_REQUEST, &view));
        }
        Err(e) => return Err(e.into()),
    };
    view.withdrawn_only = res
        .withdrawn_only
        .into_iter()
        .map(|h| WithdrawnNotice {
            name: match h.kind.parse() {
                Ok(kind @ DocumentKind::FactSheet) if h.number.is_some() => {
                    ui::document_label(t, kind, h.number.as_deref())
                }
                _ => format!("«{}»", h.title),
            },
            successors: h
                .successors
                .into_iter()
                .map(|s| Link {
                    url: s.url,
                    text: s.title,
                })
                .collect(),
        })
        .collect();
    view.suggestion = res.suggestion.map(|text| Link {
        url: SearchQuery {
            q: text.clone(),
            ..q.clone()
        }
        .url_with("side", None),
        text,
    });
    view.total = res.total;
    view.withdrawn_hidden = res.withdrawn_hidden;
    view.pages = res.total.div_ceil(PAGE_SIZE);
    view.first = (page - 1) * PAGE_SIZE + 1;
    view.last = ((page - 1) * PAGE_SIZE + res.hits.len()).max(view.first.saturating_sub(1));
    view.prev = (page > 1).then(|| q.url_with("side", Some(&(page - 1).to_string())));
    view.next = (page < view.pages && page < MAX_PAGE).then(|| q.url_with("side", Some(&(page + 1).to_string())));
    view.hits = res
        .hits
        .into_iter()
        .map(|h| HitView {
            label: h
                .kind
                .parse()
                .map(|k| ui::document_label(t, k, h.number.as_deref()))
                .unwrap_or_default(),
            language_name: h.language.parse().map(ui::language_name).unwrap_or_default(),
            language: h.language,
            version: h.version_label,
            date: ui::format_opt_date(h.published_on, t.lang),
            withdrawn: h.status == DocumentStatus::Withdrawn.as_str(),
            withdrawn_on: t.opt_date(h.withdrawn_on),
            successors: h
                .successors
                .into_iter()
                .map(|s| Link {
                    url: s.url,
                    text: s.title,
                })
                .collect(),
            title: h.title,
            url: h.url,
            // Escaped by the index except for its own <mark> tags.
            snippet_html: h.snippet_html,
        })
        .collect();
    let groups: [FacetSource<'_>; 3] = [
        ("type", "Type", &res.facets.kind, q.kind.as_deref()),
        (
            "sprak",
            if en { "Language" } else { "Språk" },
            &res.facets.language,
            q.sprak.as_deref(),
        ),
        ("status", "Status", &res.facets.status, q.status.as_deref()),
    ];
    view.facets = groups
        .into_iter()
        .filter(|(_, _, values, _)| !values.is_empty())
        .map(|(key, title, values, current)| FacetGroup {
            title,
            clear_url: current.filter(|c| !c.is_empty()).map(|_| q.url_with(key, None)),
            values: values
                .iter()
                .map(|(value, count)| FacetValue {
                    label: facet_label(t, key, value),
                    count: *count,
                    active: current == Some(value.as_str()),
                    url: q.url_with(key, Some(value)),
                })
                .collect(),
        })
        .collect();
    Ok(ui::render(StatusCode::OK, &view))
}
