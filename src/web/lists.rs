//! Lists: all fact sheets by number, all guides, and withdrawn material ("Utgått materiell").

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use crate::domain::{DocumentKind, DocumentStatus};
use crate::services::documents::{self, DocumentFilter, DocumentSummary, ListOrder};
use crate::services::feeds;
use crate::state::AppState;
use crate::web::error::WebResult;
use crate::web::extract::Query;
use crate::web::ui::{self, Layout};
use std::collections::HashMap;

use crate::web::views::{Link, PageQuery, WithdrawnRow};

/// Rows per page of the guide and withdrawn lists.
const PAGE_SIZE: u64 = 100;
/// At most this many documents of one kind are listed.
const MAX_LISTED: u64 = 20_000;

/// A row of a document list.
pub struct DocumentRow {
    pub number: String,
    pub title: String,
    pub url: String,
    pub version: String,
    pub date: String,
    pub withdrawn: bool,
    pub language: String,
    /// What replaces a withdrawn document.
    pub successors: Vec<Link>,
}

impl DocumentRow {
    fn new(s: &DocumentSummary) -> Self {
        DocumentRow {
            number: s.number.clone().unwrap_or_default(),
            title: s.title.clone(),
            url: s.url.clone(),
            version: s.current_version.as_ref().map(|c| c.label.clone()).unwrap_or_default(),
            date: ui::format_opt_date(s.current_version.as_ref().and_then(|c| c.published_on), "nb"),
            withdrawn: s.status == DocumentStatus::Withdrawn,
            language: s.language.as_str().to_string(),
            successors: Vec::new(),
        }
    }
}

/// Sort key of fact-sheet numbers: "0" < "01" < "2" < "20a" < "20b" < "37".
fn number_key(n: &str) -> (u32, String) {
    let digits: String = n.chars().take_while(char::is_ascii_digit).collect();
    (digits.parse().unwrap_or(u32::MAX), n.to_string())
}

#[derive(Template)]
#[template(path = "list.html")]
struct ListPage {
    layout: Layout,
    en: bool,
    heading: String,
    intro: String,
    numbered: bool,
    rows: Vec<DocumentRow>,
    page: u64,
    prev: Option<String>,
    next: Option<String>,
}

/// `GET /faktaark`: every fact sheet, by number; withdrawn ones marked.
pub async fn fact_sheets(State(state): State<AppState>, Query(q): Query<PageQuery>) -> WebResult<Response> {
    let t = q.texts()?;
    let en = t.lang == "en";
    let filter = DocumentFilter {
        kind: Some(DocumentKind::FactSheet),
        limit: MAX_LISTED,
        ..Default::default()
    };
    let (_, mut docs) = documents::list_documents(&state.db, &filter, false).await?;
    docs.sort_by_key(|d| (d.number.as_deref().map(number_key), d.title.clone()));
    // The successors of the withdrawn ones, which the list promises to show.
    let withdrawn_ids: Vec<i32> = docs
        .iter()
        .filter(|d| d.status == DocumentStatus::Withdrawn)
        .map(|d| d.id)
        .collect();
    let withdrawn = feeds::withdrawals_of(&state.db, &withdrawn_ids).await?;
    let successors: HashMap<i32, Vec<Link>> = withdrawn
        .iter()
        .map(|w| (w.document.id, WithdrawnRow::new(w, t).successors))
        .collect();
    let rows = docs
        .iter()
        .map(|d| {
            let mut row = DocumentRow::new(d);
            row.date = ui::format_opt_date(d.current_version.as_ref().and_then(|c| c.published_on), t.lang);
            row.successors = successors.get(&d.id).cloned().unwrap_or_default();
            row
        })
        .collect();
    Ok(ui::render(
        StatusCode::OK,
        &ListPage {
            layout: Layout::for_language(
                t.lang,
                format!("{} – {}", t.nav_fact_sheets, t.site_name),
                Some(if en {
                    "/faktaark?lang=en".into()
                } else {
                    "/faktaark".into()
                }),
            ),
            en,
            heading: t.nav_fact_sheets.into(),
            intro: if en {
                "All fact sheets by number, in Norwegian. Withdrawn sheets are marked and show what replaces them."
                    .into()
            } else {
                "Alle faktaark etter nummer. Utgåtte faktaark er merket og viser hva som erstatter dem.".into()
            },
            numbered: true,
            rows,
            page: 1,
            prev: None,
            next: None,
        },
    ))
}

/// `GET /veiledere`: the guides in force, by title, 100 a page.
pub async fn guides(State(state): State<AppState>, Query(q): Query<PageQuery>) -> WebResult<Response> {
    let t = q.texts()?;
    let en = t.lang == "en";
    let lq = PageQuery::lang_prefix(t);
    // One page in SQL, by title; a page past the end shows the last one.
    let list = |page: u64| {
        let filter = DocumentFilter {
            kind: Some(DocumentKind::Guide),
            status: Some(DocumentStatus::Published),
            order: ListOrder::Title,
            limit: PAGE_SIZE,
            offset: (page - 1) * PAGE_SIZE,
            ..Default::default()
        };
        let db = state.db.clone();
        async move { documents::list_documents(&db, &filter, false).await }
    };
    let mut page = q.side.unwrap_or(1).max(1);
    let (mut total, mut docs) = list(page).await?;
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    if page > pages {
        page = pages;
        (total, docs) = list(page).await?;
    }
    let rows = docs
        .iter()
        .map(|d| {
            let mut row = DocumentRow::new(d);
            row.date = ui::format_opt_date(d.current_version.as_ref().and_then(|c| c.published_on), t.lang);
            row
        })
        .collect();
    let canonical = match (page > 1, en) {
        (true, _) => format!("/veiledere?{lq}side={page}"),
        (false, true) => "/veiledere?lang=en".into(),
        (false, false) => "/veiledere".into(),
    };
    Ok(ui::render(
        StatusCode::OK,
        &ListPage {
            layout: Layout::for_language(t.lang, format!("{} – {}", t.nav_guides, t.site_name), Some(canonical)),
            en,
            heading: t.nav_guides.into(),
            intro: if en {
                let guides = if total == 1 { "guide" } else { "guides" };
                format!(
                    "{total} {guides} in force, by title, most of them in Norwegian. Withdrawn guides are under Withdrawn material."
                )
            } else {
                let veiledere = if total == 1 {
                    "gjeldende veileder"
                } else {
                    "gjeldende veiledere"
                };
                format!("{total} {veiledere} etter tittel. Utgåtte veiledere står under Utgått materiell.")
            },
            numbered: false,
            rows,
            page,
            prev: (page > 1).then(|| format!("/veiledere?{lq}side={}", page - 1)),
            next: (page < pages).then(|| format!("/veiledere?{lq}side={}", page + 1)),
        },
    ))
}

#[derive(Template)]
#[template(path = "withdrawn_list.html")]
struct WithdrawnPage {
    layout: Layout,
    en: bool,
    total: u64,
    rows: Vec<WithdrawnRow>,
    page: u64,
    prev: Option<String>,
    next: Option<String>,
}

/// `GET /utgatt`: withdrawn material, newest first, with reasons and successors.
pub async fn withdrawn(State(state): State<AppState>, Query(q): Query<PageQuery>) -> WebResult<Response> {
    let t = q.texts()?;
    let lq = PageQuery::lang_prefix(t);
    let page = q.side.unwrap_or(1).clamp(1, 10_000);
    let total = feeds::withdrawn_count(&state.db).await?;
    let items = feeds::withdrawals(&state.db, None, None, PAGE_SIZE, (page - 1) * PAGE_SIZE).await?;
    let canonical = match (page > 1, lq.is_empty()) {
        (true, _) => format!("/utgatt?{lq}side={page}"),
        (false, true) => "/utgatt".into(),
        (false, false) => "/utgatt?lang=en".into(),
    };
    Ok(ui::render(
        StatusCode::OK,
        &WithdrawnPage {
            layout: Layout::for_language(
                t.lang,
                format!("{} – {}", t.nav_withdrawn, t.site_name),
                Some(canonical),
            ),
            en: t.lang == "en",
            total,
            rows: items.iter().map(|w| WithdrawnRow::new(w, t)).collect(),
            page,
            prev: (page > 1).then(|| format!("/utgatt?{lq}side={}", page - 1)),
            next: (page * PAGE_SIZE < total).then(|| format!("/utgatt?{lq}side={}", page + 1)),
        },
    ))
}
